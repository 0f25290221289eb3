"""nn.L1Cost: port of torch/nn L1Cost.lua and THNN L1Cost.c (sum of |x|; the target is unused)."""
import numpy as np

from .. import messages, numerics
from ..messages import lua_line
from . import _lua
from ._kernels import arr, new_tensor, out_like
from .criterion import Criterion
from ..tensor import DoubleTensor, FloatTensor, TorchError

_THNN = (DoubleTensor, FloatTensor)


class L1Cost(Criterion):

    def updateOutput(self, input, target=None):
        ot = self.__dict__.get('output_tensor')
        if type(input) not in _THNN or type(ot) is not type(input):
            # L1Cost.lua: self.output_tensor = self.output_tensor or input.new(1), then
            # input.THNN.L1Cost_updateOutput(input:cdata(), self.output_tensor:cdata())
            if ot is None:
                with lua_line('nn/L1Cost.lua:9'):
                    self.output_tensor = _lua.field_call(input, 'new', "local 'input'")(1)
            with lua_line('nn/L1Cost.lua:10'):   # (input.THNN: its index, before THNN.lua)
                _lua.field(input, 'THNN', "local 'input'")
            _lua.thnn_call(input, ("field 'output_tensor'", self.output_tensor))
        s = float(numerics.seqsum(np.abs(arr(input)), np.float64))  # THNN: accreal
        if self.__dict__.get('output_tensor') is None:
            self.output_tensor = new_tensor(1)
        if self.output_tensor._size != (1,):  # THNN_CHECK_DIM_SIZE(output, 1, 0, 1)
            raise TorchError('Need output of dimension 1 and output.size[0] == 1 but got '
                             'output to be of shape: %s'
                             % messages.size_desc(self.output_tensor._size))
        ot = arr(self.output_tensor)
        ot[0] = s
        self.output = float(ot[0])  # L1Cost.lua: self.output_tensor[1], the sum in real
        return self.output

    def updateGradInput(self, input, target=None):
        if type(input) not in _THNN or type(self.gradInput) is not type(input):
            # L1Cost.lua: L1Cost_updateGradInput(input:cdata(), THNN.NULL, gradInput:cdata())
            _lua.thnn_call(input, ("field 'gradInput'", self.gradInput), first=4)
        np.sign(arr(input), out=out_like(self.gradInput, input._size))
        return self.gradInput

    def clearState(self):
        # L1Cost.lua: `if self.output_tensor then self.output_tensor:set() end return
        # parent.clearState(self)`; nn.Criterion (nn 8726825) has no clearState
        ot = self.__dict__.get('output_tensor')
        if ot is not None:
            ot.set()
        raise messages.at_lua(TorchError(messages.msg('call_nil_field', 'clearState')),
                              'nn/L1Cost.lua:29')
