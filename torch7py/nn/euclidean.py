"""nn.Euclidean: port of torch/nn Euclidean.lua (y_j = ||w_j - x||; weight is in x out)."""
import numpy as np

from ._conv import uniform_reset
from ._kernels import arr, new_tensor, out_like
from ..tensor import TorchError
from .module import Module


class Euclidean(Module):

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = new_tensor(inputSize, outputSize)
        self.gradWeight = new_tensor(inputSize, outputSize).zero()
        self.reset()
        self.fastBackward = True

    def reset(self, stdv=None):
        return uniform_reset(self, self.weight.size(1), stdv)

    def _rows(self, input):
        if input.dim() not in (1, 2):
            raise TorchError('1D or 2D input expected')
        x = arr(input)
        return x.reshape(1, -1) if x.ndim == 1 else x

    def updateOutput(self, input):
        x = self._rows(input)
        w = arr(self.weight)
        d = x[:, :, None] - w[None]                    # (batch, in, out)
        y = out_like(self.output, (w.shape[1],) if input.dim() == 1 else (x.shape[0], w.shape[1]))
        y.reshape(x.shape[0], -1)[...] = np.sqrt((d * d).sum(axis=1))
        return self.output

    def _term(self, input, gradOutput):
        """(x - w_j) * go_j / (y_j + 1e-7): Torch7 adds 1e-7 against division by zero."""
        x = self._rows(input)
        w = arr(self.weight)
        y = arr(self.output).reshape(x.shape[0], -1)
        go = arr(gradOutput).reshape(x.shape[0], -1)
        return (x[:, :, None] - w[None]) * (go / (y + 1e-7))[:, None, :]

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        t = self._term(input, gradOutput)
        gi = out_like(self.gradInput, input._size)
        gi.reshape(t.shape[0], -1)[...] = t.sum(axis=2)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        t = self._term(input, gradOutput)
        gw = arr(self.gradWeight)
        gw -= scale * t.sum(axis=0)
