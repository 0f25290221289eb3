"""nn.LogSoftMax: port of torch/nn LogSoftMax.lua and THNN LogSoftMax.c."""
import numpy as np

from ._kernels import arr, check_same_size, check_type, out_like
from .module import Module
from .soft_max import frames


class LogSoftMax(Module):

    def updateOutput(self, input):
        check_type(self, input)
        x = frames(arr(input))
        y = frames(out_like(self.output, input._size))
        mx = x.max(axis=1, keepdims=True)
        np.subtract(x, mx, out=y)
        np.exp(y, out=y)
        logsum = np.log(y.sum(axis=1, keepdims=True))
        logsum += mx
        np.subtract(x, logsum, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        check_same_size(self.output, gradOutput)
        y = frames(arr(self.output))
        go = frames(arr(gradOutput))
        gi = frames(out_like(self.gradInput, self.output._size))
        s = go.sum(axis=1, keepdims=True)
        np.exp(y, out=gi)
        gi *= s
        np.subtract(go, gi, out=gi)
        return self.gradInput
