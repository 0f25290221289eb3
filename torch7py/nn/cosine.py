"""nn.Cosine: port of torch/nn Cosine.lua (y_j = cos(w_j, x); weight outputSize x inputSize)."""
import numpy as np

from ._conv import uniform_reset
from ._kernels import arr, new_tensor, out_like
from ..tensor import TorchError
from .module import Module


class Cosine(Module):

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = new_tensor(outputSize, inputSize)
        self.gradWeight = new_tensor(outputSize, inputSize).zero()
        self.reset()

    def reset(self, stdv=None):
        return uniform_reset(self, self.weight.size(1), stdv)

    def _parts(self, input):
        if input.dim() not in (1, 2):
            raise TorchError('1D or 2D input expected')
        x = arr(input)
        x = x.reshape(1, -1) if x.ndim == 1 else x
        w = arr(self.weight)
        wn = np.sqrt((w * w).sum(axis=1)) + 1e-12       # (out,)
        xn = np.sqrt((x * x).sum(axis=1)) + 1e-12       # (batch,)
        return x, w, wn, xn

    def updateOutput(self, input):
        x, w, wn, xn = self._parts(input)
        y = out_like(self.output, (w.shape[0],) if input.dim() == 1 else (x.shape[0], w.shape[0]))
        y.reshape(x.shape[0], -1)[...] = (x @ w.T) / wn[None, :] / xn[:, None]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, w, wn, xn = self._parts(input)
        y = arr(self.output).reshape(x.shape[0], -1)
        go = arr(gradOutput).reshape(x.shape[0], -1)
        # dy_j/dx = w_j / (|w_j| |x|) - y_j x / |x|^2
        g = (go / wn[None, :]) @ w / xn[:, None] - (go * y).sum(axis=1)[:, None] * x \
            / (xn * xn)[:, None]
        gi = out_like(self.gradInput, input._size)
        gi.reshape(g.shape)[...] = g
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        x, w, wn, xn = self._parts(input)
        y = arr(self.output).reshape(x.shape[0], -1)
        go = arr(gradOutput).reshape(x.shape[0], -1)
        # dy_j/dw_j = x / (|w_j| |x|) - y_j w_j / |w_j|^2
        g = (go / wn[None, :]).T @ (x / xn[:, None]) - (go * y).sum(axis=0)[:, None] * w \
            / (wn * wn)[:, None]
        gw = arr(self.gradWeight)
        gw += scale * g
