"""nn.SpatialAdaptiveAveragePooling: port of torch/nn SpatialAdaptiveAveragePooling.lua and THNN
SpatialAdaptiveAveragePooling.c (window i spans floor(i*in/out) .. ceil((i+1)*in/out))."""
import numpy as np

from ._kernels import arr, out_like
from ._thnn_check import thnn_argcheck
from .module import Module
from .spatial_adaptive_max_pooling import adaptive_bounds


def _offsets(size, n):
    """Per output index, the input index of each step of its window (THNN's loop), and `size`
    (a zero pad) past the window's end: (n, longest window) indices, and the window lengths."""
    s, e = adaptive_bounds(size, n)
    k = e - s
    steps = np.arange(int(k.max()) if n else 0)
    idx = s[:, None] + steps[None, :]
    return np.where(steps[None, :] < k[:, None], idx, size), k


class SpatialAdaptiveAveragePooling(Module):

    def __init__(self, W, H):
        super().__init__()
        self.W = W
        self.H = H

    def _check(self, input):
        # THNN_ARGCHECK(input->nDimension == 3 || input->nDimension == 4, 2, input, ...):
        # luaT's 'bad argument #2 to 'v' (...)' around the text
        thnn_argcheck(input.dim() in (3, 4), 2, input,
                      '3D or 4D (batch mode) tensor expected for input, but got: %s')

    def updateOutput(self, input):
        # THNN's frame loop: per output a `real sum = 0` over its window, rows then columns, in
        # the input's own strides (a transposed input sums in the same order), then
        # sum / kW / kH; all outputs at once, one window step at a time (steps past a shorter
        # window add the zero pad: sum + 0 is sum, and the sum is never -0)
        self._check(input)
        iH, iW = input._size[-2:]
        rows, kh = _offsets(iH, self.H)
        cols, kw = _offsets(iW, self.W)
        x = arr(input)
        xp = np.zeros(x.shape[:-2] + (iH + 1, iW + 1), dtype=x.dtype)
        xp[..., :iH, :iW] = x
        s = np.zeros(x.shape[:-2] + (self.H, self.W), dtype=x.dtype)
        for a in range(rows.shape[1]):
            ra = xp[..., rows[:, a], :]
            for b in range(cols.shape[1]):
                s += ra[..., cols[:, b]]
        t = x.dtype.type
        y = out_like(self.output, x.shape[:-2] + (self.H, self.W))
        y[...] = s / kw.astype(t)[None, :] / kh.astype(t)[:, None]
        return self.output

    def updateGradInput(self, input, gradOutput):
        # THNN: gradInput zeroed, then per output (i, j) in order, each input of its window
        # gets += gradOutput / kW / kH (overlapping windows add in that order)
        self._check(input)
        iH, iW = input._size[-2:]
        nd = input.dim()
        oH, oW = gradOutput._size[nd - 2], gradOutput._size[nd - 1]
        gi = out_like(self.gradInput, input._size)
        go = arr(gradOutput).reshape(gi.shape[:-2] + (oH, oW))
        gi[...] = 0
        hs, he = adaptive_bounds(iH, oH)
        ws, we = adaptive_bounds(iW, oW)
        t = gi.dtype.type
        g = go / (we - ws).astype(t)[None, :] / (he - hs).astype(t)[:, None]
        for i in range(oH):
            for j in range(oW):
                gi[..., hs[i]:he[i], ws[j]:we[j]] += g[..., i, j, None, None]
        return self.gradInput
