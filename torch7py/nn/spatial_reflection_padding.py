"""nn.SpatialReflectionPadding: port of torch/nn SpatialReflectionPadding.lua and THNN
SpatialReflectionPadding.c (mirror padding without repeating the edge)."""
import numpy as np

from ..tensor import TorchError
from ._padding import (check_grad_thnn, check_thnn, gather, init_pads, lua_grad_checks,
                       pads_tostring, scatter)
from .module import Module


def reflect(n, before, after):
    """THNN's source index of each output position; a negative pad crops that side."""
    j = np.arange(max(n + before + after, 0))
    i = np.where(j < before, 2 * before - j,
                 np.where(j < n + before, j, 2 * (n + before - 1) - j))
    return i - max(0, before) + max(0, -before)


class SpatialReflectionPadding(Module):
    # updateGradInput runs its Lua's lines itself (its assert on the sizes comes between the
    # dimension check and the THNN call: _padding.lua_grad_checks)
    _thnn_own_checks = ('updateGradInput',)

    def __init__(self, pad_l, pad_r=None, pad_t=None, pad_b=None):
        super().__init__()
        init_pads(self, pad_l, pad_r, pad_t, pad_b)

    def _maps(self, input):
        check_thnn(input, 3, [(self.pad_t, self.pad_b), (self.pad_l, self.pad_r)])
        H, W = input._size[-2:]
        rows = reflect(H, self.pad_t, self.pad_b)
        cols = reflect(W, self.pad_l, self.pad_r)
        # a pad as large as the input would read outside it (THNN does not check)
        if any(m.size and (m.min() < 0 or m.max() >= n) for m, n in ((rows, H), (cols, W))):
            raise TorchError('Padding size should be less than the corresponding input '
                             'dimension, but got: padding (%d, %d, %d, %d) at dimension %dx%d'
                             % (self.pad_l, self.pad_r, self.pad_t, self.pad_b, H, W))
        return rows, cols

    def updateOutput(self, input):
        rows, cols = self._maps(input)
        pads = (self.pad_l, self.pad_r, self.pad_t, self.pad_b)
        if min(pads) < 0:
            gather(input, self.output, rows, cols)
        else:
            gather(input, self.output, rows, cols, pads, 'reflect')
        return self.output

    def updateGradInput(self, input, gradOutput):
        lua_grad_checks(self, input, gradOutput, (('pad_t', 'pad_b'), ('pad_l', 'pad_r')))
        rows, cols = self._maps(input)
        check_grad_thnn(input, gradOutput, (rows.size, cols.size))
        scatter(input, gradOutput, self.gradInput, rows, cols)
        return self.gradInput

    def __tostring__(self):
        return pads_tostring(self)
