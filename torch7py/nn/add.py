"""nn.Add: port of torch/nn Add.lua (a learnt bias, one per input element or one scalar)."""
import numpy as np

from ._conv import init_bound
from ._kernels import arr, new_tensor, out_like
from .module import Module


class Add(Module):

    def __init__(self, inputSize, scalar=False):
        super().__init__()
        size = inputSize
        if scalar:
            size = 1
        self.scalar = scalar
        self.bias = new_tensor(size)
        self.gradBias = new_tensor(size).zero()
        self.reset()

    def reset(self, stdv=None):
        stdv = init_bound(stdv, self.bias.size(1))
        self.bias.uniform(-stdv, stdv)
        return self

    def _bias_view(self, input):
        b = arr(self.bias)
        if self.scalar:
            return b[0]
        if input.isSameSizeAs(self.bias):
            return b
        return b.reshape(1, -1)

    def updateOutput(self, input):
        y = out_like(self.output, input._size)
        b = self._bias_view(input)
        if np.ndim(b) == 2:
            y.reshape(input.size(1), -1)[...] = arr(input).reshape(input.size(1), -1) + b
        else:
            np.add(arr(input), b, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is not None:
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        gb = arr(self.gradBias)
        go = arr(gradOutput)
        if gb.size == 1:
            gb[0] += scale * go.sum()
        elif input.isSameSizeAs(self.bias):
            gb += scale * go.reshape(gb.shape)
        else:
            gb += scale * go.reshape(input.size(1), -1).sum(axis=0)
