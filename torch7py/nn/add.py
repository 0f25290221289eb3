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
        # Add.lua's operations: a Lua-number sum for a scalar bias, axpy for one sample, a
        # gemv against a ones vector for a batch (their roundings are the tensor ops')
        if scale is None:
            scale = 1
        if self.gradBias.size(1) == 1:
            self.gradBias[1] = self.gradBias[1] + scale * gradOutput.sum()
        elif input.isSameSizeAs(self.bias):
            self.gradBias.add(scale, gradOutput)
        else:
            batch = input.size(1)
            ones = self.__dict__.get('_ones')
            if ones is None or ones.type() != gradOutput.type():
                ones = self._ones = gradOutput.new()
            if ones.nElement() != batch:
                ones.resize(batch).fill(1)
            self.gradBias.view(-1).addmv(scale, gradOutput.view(batch, -1).t(), ones)
