"""nn.NaN: port of torch/nn NaN.lua (a decorator that raises as soon as a NaN appears)."""
import math

from .. import tensor as _tensor
from .decorator import Decorator


def _has_nan(x):
    if isinstance(x, (list, tuple)):
        return any(_has_nan(v) for v in x)
    if isinstance(x, dict):
        return any(_has_nan(v) for v in x.values())
    if isinstance(x, _tensor.Tensor):
        return x.nElement() > 0 and math.isnan(float(x.numpy().sum()))
    return False


class NaN(Decorator):

    _idx = [1]

    def __init__(self, module, id=None):
        super().__init__(module)
        self.id = NaN._idx[0] if id is None else id
        NaN._idx[0] += 1

    def _check(self, what, value, culprits):
        if _has_nan(value):
            for name, v in culprits:
                if _has_nan(v):
                    raise RuntimeError('NaN found in %s of module :\n%s'
                                       % (name, self.__tostring__()))
            raise RuntimeError('NaN found in %s of module :\n%s' % (what, self.__tostring__()))

    def updateOutput(self, input):
        self.output = self.modules[0].updateOutput(input)
        self._check('output', self.output,
                    [('input', input), ('parameters', self.parameters()[0])])
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.modules[0].updateGradInput(input, gradOutput)
        self._check('gradInput', self.gradInput, [('gradOutput', gradOutput)])
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.modules[0].accGradParameters(input, gradOutput, scale)
        self._check('gradParameters', self.parameters()[1], [])

    def __tostring__(self):
        return '%s(%s) @ %s' % (self.typename, self.id, self.modules[0].__tostring__())
