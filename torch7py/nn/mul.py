"""nn.Mul: port of torch/nn Mul.lua (the input times one learnt scalar)."""
import numpy as np

from .. import messages, numerics
from ..tensor import Tensor, TorchError
from . import _lua
from ._conv import uniform_reset
from ._kernels import apply_check, arr, new_tensor, out_like
from .module import Module


class Mul(Module):

    def __init__(self):
        super().__init__()
        self.weight = new_tensor(1)
        self.gradWeight = new_tensor(1).zero()
        self.reset()

    def reset(self, stdv=None):
        uniform_reset(self, self.weight.size(1), stdv)

    def updateOutput(self, input):
        _lua.resize_as_first(self.output, input)   # Mul.lua's first line
        y = out_like(self.output, input._size)
        np.multiply(arr(input), arr(self.weight)[0], out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        _lua.resize_as_first(self.gradInput, input)
        if type(gradOutput) is not type(input):
            # Mul.lua: gradInput:resizeAs(input):zero(), then gradInput:add(w, gradOutput)
            self.gradInput.resizeAs(input).zero()
            _lua.mcall(self.gradInput, 'add', self.weight[1], gradOutput)
            return self.gradInput
        gi = out_like(self.gradInput, input._size)
        gi[...] = 0
        if gradOutput.nElement() != gi.size:  # Mul.lua: gradInput:zero():add(w, gradOutput)
            apply_check(('r_', 't', 'src'), self.gradInput, self.gradInput, gradOutput)
        # gradInput:add(w, gradOutput) on zeros: TH's cadd (THBlas_(axpy) when contiguous,
        # which skips a weight of 0), so 0 + w * g: +0 where the product is -0
        numerics.axpy(gi, arr(self.weight)[0], arr(gradOutput).reshape(gi.shape))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None or scale is False:
            scale = 1
        if self.__dict__.get('gradWeight') is None:
            # Mul.lua 37: self.gradWeight[1] = self.gradWeight[1] + ...: the index of a nil
            raise messages.at_lua(TorchError(messages.msg('index_field', 'gradWeight', 'nil')),
                                  'nn/Mul.lua:37')
        if type(gradOutput) is not type(input) or not isinstance(input, Tensor) or type(
                scale) not in (int, float):
            # Mul.lua: gradWeight[1] = gradWeight[1] + scale*input:dot(gradOutput)
            v = _lua.mcall(input, 'dot', gradOutput, what="local 'input'")
            if messages.lua_type(scale) != 'number':
                raise TorchError(messages.arith_text(messages.lua_type(scale), "local 'scale'"))
            self.gradWeight[1] = self.gradWeight[1] + scale * v
            return
        # input:dot(gradOutput): THTensor_(dot), a BLAS dot per contiguous run of the two
        # (strides passed: a transposed or selected input is not summed as a raveled copy),
        # added in Lua's doubles, stored in the weight's type
        v = input.dot(gradOutput)
        g = arr(self.gradWeight)
        g[0] = float(g[0]) + scale * v
