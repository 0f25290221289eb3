"""nn.SpatialCrossMapLRN: port of torch/nn SpatialCrossMapLRN.lua (local response normalisation
across neighbouring planes: x / (k + alpha/size * sum of squares) ^ beta)."""
import numpy as np

from ..tensor import TorchError
from ..tensor_math.pointwise import th_pow
from ._kernels import arr, out_like
from ._pointwise import buffer
from .module import Module


def _window_sums(a, before, after):
    """Sum over planes c-before .. c+after (clipped) along axis 1 of a (N, C, H, W)."""
    N, C = a.shape[:2]
    cs = np.zeros((N, C + 1) + a.shape[2:], dtype=a.dtype)
    np.cumsum(a, axis=1, out=cs[:, 1:])
    hi = np.minimum(np.arange(C) + after + 1, C)
    lo = np.maximum(np.arange(C) - before, 0)
    return cs[:, hi] - cs[:, lo]


class SpatialCrossMapLRN(Module):

    def __init__(self, size, alpha=0.0001, beta=0.75, k=1):
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k
        # (scale: made by the first forward, as SpatialCrossMapLRN.lua's)

    def _x4(self, t):
        if t.dim() not in (3, 4):
            raise TorchError('Input must be 3D or 4D')
        a = arr(t)
        return a if a.ndim == 4 else a[None]

    def updateOutput(self, input):
        x = self._x4(input)
        half = (self.size - 1) // 2
        # Torch7 slides a running sum over planes c - half .. c + half
        sq = _window_sums(x * x, half, half)
        scale = buffer(self, 'scale', input._size)
        s4 = scale.reshape(x.shape)
        np.multiply(sq, self.alpha / self.size, out=s4)
        s4 += self.k
        y = out_like(self.output, input._size).reshape(x.shape)
        th_pow(s4, -self.beta, y)  # output:pow(scale, -beta): TH's pow (libm's powf/pow)
        y *= x
        return self.output

    def updateGradInput(self, input, gradOutput):
        x = self._x4(input)
        s = arr(self.scale).reshape(x.shape)
        y = arr(self.output).reshape(x.shape)
        go = arr(gradOutput).reshape(x.shape)
        ratio = go * y / s
        before = self.size - (self.size - 1) // 2 - 1
        after = self.size - 1 - before
        acc = _window_sums(ratio, before, after)
        gi = out_like(self.gradInput, input._size).reshape(x.shape)
        th_pow(s, -self.beta, gi)  # gradInput:pow(scale, -beta)
        gi *= go
        gi -= (2 * self.alpha * self.beta / self.size) * x * acc
        return self.gradInput

    def clearState(self):
        from . import utils
        utils.clear(self, 'scale', 'paddedRatio', 'accumRatio')
        return super().clearState()
