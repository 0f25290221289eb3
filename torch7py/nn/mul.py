"""nn.Mul: port of torch/nn Mul.lua (the input times one learnt scalar)."""
import numpy as np

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
        return uniform_reset(self, self.weight.size(1), stdv)

    def updateOutput(self, input):
        _lua.resize_as_first(self.output, input)   # Mul.lua's first line
        y = out_like(self.output, input._size)
        np.multiply(arr(input), arr(self.weight)[0], out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        _lua.resize_as_first(self.gradInput, input)
        gi = out_like(self.gradInput, input._size)
        if gradOutput.nElement() != gi.size:  # Mul.lua: gradInput:zero():add(w, gradOutput)
            gi[...] = 0
            apply_check(('r_', 't', 'src'), self.gradInput, self.gradInput, gradOutput)
        np.multiply(arr(gradOutput).reshape(gi.shape), arr(self.weight)[0], out=gi)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        apply_check(('tensor', 'src'), input, gradOutput)  # input:dot(gradOutput)
        x = arr(input)
        arr(self.gradWeight)[0] += scale * float(np.dot(x.ravel(), arr(gradOutput).ravel()))
