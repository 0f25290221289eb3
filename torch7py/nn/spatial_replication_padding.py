"""nn.SpatialReplicationPadding: port of torch/nn SpatialReplicationPadding.lua and THNN
SpatialReplicationPadding.c (the edge pixels repeated outwards)."""
import numpy as np

from ._kernels import arr, out_like
from ._padding import (check_grad_thnn, check_thnn, gather, init_pads, lua_grad_checks,
                       pads_tostring, scatter)
from .module import Module


def replicate(n, before, after):
    return np.clip(np.arange(-before, n + after), 0, n - 1)


class SpatialReplicationPadding(Module):
    # updateGradInput runs its Lua's lines itself (its assert on the sizes comes between the
    # dimension check and the THNN call: _padding.lua_grad_checks)
    _thnn_own_checks = ('updateGradInput',)

    def __init__(self, pad_l, pad_r=None, pad_t=None, pad_b=None):
        super().__init__()
        init_pads(self, pad_l, pad_r, pad_t, pad_b)

    def _maps(self, input):
        check_thnn(input, 3, [(self.pad_t, self.pad_b), (self.pad_l, self.pad_r)])
        H, W = input._size[-2:]
        return replicate(H, self.pad_t, self.pad_b), replicate(W, self.pad_l, self.pad_r)

    def updateOutput(self, input):
        rows, cols = self._maps(input)
        x = arr(input)
        H, W = x.shape[-2:]
        l, r, t, b = self.pad_l, self.pad_r, self.pad_t, self.pad_b
        if min(l, r, t, b) < 0:
            gather(input, self.output, rows, cols)
            return self.output
        y = out_like(self.output, x.shape[:-2] + (rows.size, cols.size))
        # the plane, then its edge rows, then its edge columns (corners come with them)
        y[..., t:t + H, l:l + W] = x
        y[..., :t, l:l + W] = x[..., :1, :]
        y[..., t + H:, l:l + W] = x[..., -1:, :]
        y[..., :l] = y[..., l:l + 1]
        y[..., l + W:] = y[..., l + W - 1:l + W]
        return self.output

    def updateGradInput(self, input, gradOutput):
        lua_grad_checks(self, input, gradOutput, (('pad_t', 'pad_b'), ('pad_l', 'pad_r')))
        rows, cols = self._maps(input)
        check_grad_thnn(input, gradOutput, (rows.size, cols.size))
        # THNN's loop order (a sum over the edge rows and columns would add in another)
        scatter(input, gradOutput, self.gradInput, rows, cols)
        return self.gradInput

    def __tostring__(self):
        return pads_tostring(self)
