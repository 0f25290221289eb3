"""nn.Tanh: port of torch/nn Tanh.lua and THNN Tanh.c."""
import numpy as np

from ._kernels import arr, check_same_size, check_type, out_like
from .module import Module


class Tanh(Module):

    def updateOutput(self, input):
        check_type(self, input)
        np.tanh(arr(input), out=out_like(self.output, input._size))
        return self.output

    def updateGradInput(self, input, gradOutput):
        check_same_size(self.output, gradOutput, names=('output', 'gradOutput'), kind='shape')
        y = arr(self.output)
        gi = out_like(self.gradInput, self.output._size)
        np.multiply(y, y, out=gi)
        np.subtract(1, gi, out=gi)
        np.multiply(arr(gradOutput), gi, out=gi)
        return self.gradInput
