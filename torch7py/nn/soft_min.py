"""nn.SoftMin: port of torch/nn SoftMin.lua (SoftMax of -input)."""
import numpy as np

from ._kernels import arr, out_like
from .module import Module
from .soft_max import softmax, softmax_backward


class SoftMin(Module):

    def updateOutput(self, input):
        if self.__dict__.get('mininput') is None:
            self.mininput = input.new()
        m = out_like(self.mininput, input._size)
        np.negative(arr(input), out=m)
        return softmax(self, m, input._size)

    def updateGradInput(self, input, gradOutput):
        return softmax_backward(self, gradOutput, -1)
