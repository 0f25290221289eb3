"""nn.SoftMin: port of torch/nn SoftMin.lua (SoftMax of -input)."""
import numpy as np

from . import _lua
from . import utils
from ..messages import lua_line
from ._kernels import arr, out_like
from ..tensor import DoubleTensor, FloatTensor
from .module import Module
from .soft_max import softmax, softmax_backward

_THNN = (DoubleTensor, FloatTensor)


class SoftMin(Module):

    def _lua_checks(self, line, input, *args):
        """SoftMin.lua's lines before THNN's SoftMax: self.mininput = self.mininput or
        input.new(), mininput:resizeAs(input):copy(input):mul(-1), then input.THNN and each
        argument's cdata (mininput's type is input's)."""
        mi = self.__dict__.get('mininput')
        if type(input) in _THNN and type(mi) is type(input) and all(
                type(v) is type(input) for _, v in args):
            return
        if mi is None:
            mi = self.mininput = _lua.field_call(input, 'new', "local 'input'")()
        with lua_line('nn/SoftMin.lua:%d' % line):  # (5 in updateOutput, 15 in updateGradInput)
            _lua.chain(mi, None, ('resizeAs', input), ('copy', input), ('mul', -1))
        _lua.thnn_call(input, *args)

    def updateOutput(self, input):
        self._lua_checks(5, input, ("field 'output'", self.output))
        if self.__dict__.get('mininput') is None:
            self.mininput = input.new()
        m = out_like(self.mininput, input._size)
        np.negative(arr(input), out=m)
        return softmax(self, m, input._size)

    def updateGradInput(self, input, gradOutput):
        self._lua_checks(15, input, ('gradOutput', gradOutput), ("field 'gradInput'", self.gradInput),
                         ("field 'output'", self.output))
        return softmax_backward(self, gradOutput, -1, input)  # (THNN's input: -input)

    def clearState(self):
        # SoftMin.lua: `if self.mininput then self.mininput:set() end`
        utils.set_empty(self, 'mininput')
        return super().clearState()
