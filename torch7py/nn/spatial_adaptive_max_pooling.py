"""nn.SpatialAdaptiveMaxPooling: port of torch/nn SpatialAdaptiveMaxPooling.lua and THNN
SpatialAdaptiveMaxPooling.c (window i spans floor(i*in/out) .. ceil((i+1)*in/out))."""
import numpy as np

from .. import tensor as _tensor
from ..tensor import TorchError
from . import utils
from ._kernels import arr, out_like, scatter_planes, sizes_str
from .module import Module


def adaptive_bounds(size, n):
    i = np.arange(n)
    return (i * size) // n, -((-(i + 1) * size) // n)


def _window_index(start, end):
    """(n, kmax) indices of each window padded to the longest, and the mask of the real ones."""
    kmax = int((end - start).max())
    idx = start[:, None] + np.arange(kmax)
    mask = idx < end[:, None]
    return np.minimum(idx, end[:, None] - 1), mask


class SpatialAdaptiveMaxPooling(Module):

    def __init__(self, W, H):
        super().__init__()
        self.W = W
        self.H = H
        self.indices = _tensor.LongTensor()

    def updateOutput(self, input):
        nd = input.dim()
        if nd not in (3, 4):
            raise TorchError('3D or 4D (batch mode) tensor expected for input, but got: %s'
                             % sizes_str(input._size))
        x = arr(input)
        x4 = x if nd == 4 else x[None]
        N, C, iH, iW = x4.shape
        oH, oW = self.H, self.W
        hs, he = adaptive_bounds(iH, oH)
        ws, we = adaptive_bounds(iW, oW)
        rows, rmask = _window_index(hs, he)
        cols, cmask = _window_index(ws, we)
        if iH % oH == 0 and iW % oW == 0:
            # equal windows tiling the plane: a reshape, no gather
            win = x4.reshape(N, C, oH, iH // oH, oW, iW // oW).transpose(0, 1, 2, 4, 3, 5)
            win = win.reshape(N, C, oH, oW, -1)
        else:
            # windows padded to the largest one (extra cells masked with -inf)
            win = x4[:, :, rows[:, None, :, None], cols[None, :, None, :]]
            valid = rmask[:, None, :, None] & cmask[None, :, None, :]
            win = np.where(valid, win, -np.inf).reshape(N, C, oH, oW, -1)
        # one argmax in row-major window order, as THNN scans them
        k = win.argmax(axis=4)
        vals = np.take_along_axis(win, k[..., None], axis=4)[..., 0]
        ki, kj = np.divmod(k, cols.shape[1])
        idx = (hs[:, None] + ki) * iW + ws[None, :] + kj + 1
        shape = (N, C, oH, oW) if nd == 4 else (C, oH, oW)
        out_like(self.output, shape)[...] = vals.reshape(shape)
        if not isinstance(self.__dict__.get('indices'), _tensor.LongTensor):
            # type() converts every tensor field; indices stay LongTensor
            self.indices = _tensor.LongTensor()
        out_like(self.indices, shape)[...] = idx.reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = out_like(self.gradInput, input._size)
        g4 = gi if gi.ndim == 4 else gi[None]
        shape = g4.shape[:2] + (self.H, self.W)
        scatter_planes(g4, arr(self.indices).reshape(shape), arr(gradOutput).reshape(shape))
        return self.gradInput

    def clearState(self):
        utils.clear(self, 'indices')
        return super().clearState()
