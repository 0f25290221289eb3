"""nn.SpatialAdaptiveAveragePooling: port of torch/nn SpatialAdaptiveAveragePooling.lua and THNN
SpatialAdaptiveAveragePooling.c (window i spans floor(i*in/out) .. ceil((i+1)*in/out))."""
import numpy as np

from ..tensor import TorchError
from ._kernels import arr, out_like, sizes_str
from .module import Module
from .spatial_adaptive_max_pooling import adaptive_bounds


def _window_matrix(size, n):
    """(n, size) matrix with 1/len over each adaptive window: y = M x averages windows."""
    s, e = adaptive_bounds(size, n)
    i = np.arange(size)
    m = ((i[None, :] >= s[:, None]) & (i[None, :] < e[:, None])).astype(np.float64)
    return m / (e - s)[:, None]


class SpatialAdaptiveAveragePooling(Module):

    def __init__(self, W, H):
        super().__init__()
        self.W = W
        self.H = H

    def _mats(self, input):
        if input.dim() not in (3, 4):
            raise TorchError('3D or 4D (batch mode) tensor expected for input, but got: %s'
                             % sizes_str(input._size))
        iH, iW = input._size[-2:]
        return _window_matrix(iH, self.H), _window_matrix(iW, self.W)

    def updateOutput(self, input):
        mh, mw = self._mats(input)
        x = arr(input)
        y = out_like(self.output, x.shape[:-2] + (self.H, self.W))
        y[...] = mh @ x @ mw.T
        return self.output

    def updateGradInput(self, input, gradOutput):
        mh, mw = self._mats(input)
        gi = out_like(self.gradInput, input._size)
        gi[...] = mh.T @ arr(gradOutput).reshape(gi.shape[:-2] + (self.H, self.W)) @ mw
        return self.gradInput
