"""nn.DontCast: port of torch/nn DontCast.lua (a decorator whose module keeps its type through
type(); inputs and outputs are copied across types when castin/castout)."""
from ..messages import at_lua
from .. import tensor as _tensor
from . import utils
from .decorator import Decorator


def _tensor_type(x):
    if isinstance(x, list):
        for v in x:
            return _tensor_type(v)
        return None
    return x.typename if isinstance(x, _tensor.Tensor) else None


def _type_copy(dst, src, type_name):
    if isinstance(src, list):
        dst = dst if isinstance(dst, list) else []
        for i, v in enumerate(src):
            utils.put(dst, i, _type_copy(dst[i] if i < len(dst) else None, v, type_name))
        del dst[len(src):]
        return dst
    cls = _tensor.tensor_types[type_name]
    if not isinstance(dst, cls):
        dst = cls()
    dst.resize(*src._size).copy(src)
    return dst


class DontCast(Decorator):

    # castin/castout/moduleType may be nil (absent fields), as in Lua
    castin = castout = moduleType = None

    def __init__(self, module, castin=None, castout=None, moduleType=None):
        super().__init__(module)
        self.castin = castin
        self.castout = castin if castout is None else castout
        self.moduleType = moduleType
        if (self.castin or self.castout) and not self.moduleType:
            # the type of the module's output, else of its parameters
            self.moduleType = _tensor_type(module.output) or _tensor_type(
                module.parameters()[0] or [])
            if not self.moduleType:
                raise at_lua(_tensor.TorchError(
                    'Cannot extrapolate moduleType. Provide constructor argument 4'),
                    'nn/DontCast.lua:52')

    def updateOutput(self, input):
        if self.castin and _tensor_type(input) != self.moduleType:
            self._input = _type_copy(self.__dict__.get('_input'), input, self.moduleType)
            input = self._input
        out = self.modules[0].updateOutput(input)
        if self.castout:
            self.output = _type_copy(self.output, out, _tensor_type(self.output)
                                     or self.moduleType)
        else:
            self.output = out
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.castin and _tensor_type(input) != self.moduleType:
            input = self._input
        if self.castout and _tensor_type(gradOutput) != self.moduleType:
            self._gradOutput = _type_copy(self.__dict__.get('_gradOutput'), gradOutput,
                                          self.moduleType)
            gradOutput = self._gradOutput
        gi = self.modules[0].updateGradInput(input, gradOutput)
        if self.castin:
            self.gradInput = _type_copy(self.gradInput, gi, _tensor_type(self.gradInput)
                                        or self.moduleType)
        else:
            self.gradInput = gi
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if self.castin and _tensor_type(input) != self.moduleType:
            input = self._input
        if self.castout and _tensor_type(gradOutput) != self.moduleType:
            gradOutput = self._gradOutput
        self.modules[0].accGradParameters(input, gradOutput, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        if self.castin and _tensor_type(input) != self.moduleType:
            input = self._input
        if self.castout and _tensor_type(gradOutput) != self.moduleType:
            gradOutput = self._gradOutput
        self.modules[0].accUpdateGradParameters(input, gradOutput, lr)

    def type(self, type=None, tensorCache=None):
        if type is None:
            return self._type
        # the decorated module keeps its type; only the cast copies change theirs
        if self.castout and _tensor_type(self.output) != type:
            self.output = _type_copy(None, self.output, type)
        if self.castin and _tensor_type(self.gradInput) != type:
            self.gradInput = _type_copy(None, self.gradInput, type)
        return self
