"""nn.SoftMin: port of torch/nn SoftMin.lua (SoftMax of -input)."""
import numpy as np

from ._kernels import arr, check_same_size, out_like
from .module import Module
from .soft_max import frames


class SoftMin(Module):

    def updateOutput(self, input):
        if self.__dict__.get('mininput') is None:
            self.mininput = input.new()
        m = out_like(self.mininput, input._size)
        np.negative(arr(input), out=m)
        x = frames(m)
        y = frames(out_like(self.output, input._size))
        np.subtract(x, x.max(axis=1, keepdims=True), out=y)
        np.exp(y, out=y)
        y /= y.sum(axis=1, keepdims=True)
        return self.output

    def updateGradInput(self, input, gradOutput):
        check_same_size(self.output, gradOutput)
        y = frames(arr(self.output))
        go = frames(arr(gradOutput))
        gi = frames(out_like(self.gradInput, self.output._size))
        dot = (go * y).sum(axis=1, keepdims=True)
        np.subtract(dot, go, out=gi)
        gi *= y
        return self.gradInput
