"""nn.SpatialAdaptiveMaxPooling: port of torch/nn SpatialAdaptiveMaxPooling.lua and THNN
SpatialAdaptiveMaxPooling.c (window i spans floor(i*in/out) .. ceil((i+1)*in/out) in float;
the scan starts from -FLT_MAX and keeps `val > maxval`; indices are two planes, the 1-based
row and column of each maximum within its window)."""
import numpy as np

from . import _lua
from .. import messages
from .. import tensor as _tensor
from ..tensor import TorchError
from . import utils
from ._kernels import arr, out_like, scatter_planes
from ._thnn_check import thnn_argcheck
from .module import Module


def adaptive_bounds(size, n):
    i = np.arange(n)
    return (i * size) // n, -((-(i + 1) * size) // n)


def _float_bounds(size, n):
    """THNN's `(int)floor((float)i / n * size)` and `(int)ceil((float)(i + 1) / n * size)`,
    computed in float as the C code does (the quotient rounds before the product)."""
    f = np.float32
    i = np.arange(n, dtype=f)
    with np.errstate(all="ignore"):
        s = np.floor(i / f(n) * f(size)).astype(np.int64)
        e = np.ceil((i + f(1)) / f(n) * f(size)).astype(np.int64)
    return s, e


def _c_div_mod(a, b):
    """C's a / b and a % b (truncation toward zero) for integer arrays."""
    q = np.trunc(a / b).astype(np.int64)
    return q, a - q * b


def _window_index(start, end):
    """(n, kmax) indices of each window padded to the longest, and the mask of the real ones."""
    kmax = int((end - start).max())
    idx = start[:, None] + np.arange(kmax)
    mask = idx < end[:, None]
    return np.minimum(idx, end[:, None] - 1), mask


class SpatialAdaptiveMaxPooling(Module):
    # indices: made by updateOutput as its Lua makes them: a backward before a forward fails
    # at self.indices:cdata() (_thnn_lua's strict fields)
    _thnn_lua_fields = ('indices',)

    def __init__(self, W, H):
        super().__init__()
        self.W = W
        self.H = H

    def updateOutput(self, input):
        # its Lua: self.indices = self.indices or torch.LongTensor(), torch.typename(input):find
        # (nil for what is no torch object), then the THNN call's checks
        if self.__dict__.get('indices') is None:
            self.indices = _tensor.LongTensor()
        if not isinstance(getattr(type(input), 'typename', None), str):
            raise TorchError(messages.msg('index_nil'))
        if not isinstance(self.indices, _tensor.LongTensor):
            self.indices = self.indices.long()
        _lua.thnn_call(input, ("field 'output'", self.output), ("field 'indices'", self.indices),
                       nums=((self.W, 'int'), (self.H, 'int')), index=("field 'indices'",))
        nd = input.dim()
        # THNN_ARGCHECK(input->nDimension == 3 || input->nDimension == 4, 2, input, ...):
        # luaT's 'bad argument #2 to 'v' (...)' around the text
        thnn_argcheck(nd in (3, 4), 2, input,
                      '3D or 4D (batch mode) tensor expected for input, but got: %s')
        x = arr(input)
        x4 = x if nd == 4 else x[None]
        N, C, iH, iW = x4.shape
        oH, oW = self.H, self.W
        hs, he = _float_bounds(iH, oH)
        ws, we = _float_bounds(iW, oW)
        rows, rmask = _window_index(hs, he)
        cols, cmask = _window_index(ws, we)
        win = x4[:, :, rows[:, None, :, None], cols[None, :, None, :]]
        # only a value above -FLT_MAX (the scan's start, for doubles too) can win; NaN never
        low = -np.finfo(np.float32).max
        valid = rmask[:, None, :, None] & cmask[None, :, None, :]
        with np.errstate(invalid="ignore"):
            win = np.where(valid & (win > low), win, -np.inf).reshape(N, C, oH, oW, -1)
        # the first maximum in row-major window order, as THNN scans them
        k = win.argmax(axis=4)
        vals = np.take_along_axis(win, k[..., None], axis=4)[..., 0]
        none = vals == -np.inf
        ki, kj = np.divmod(k, cols.shape[1])
        if none.any():
            # maxindex = -1: THNN stores -1 / kW + 1 and -1 % kW + 1 (C division)
            kw = np.broadcast_to((we - ws)[None, :], (oH, oW))
            ni, nj = _c_div_mod(np.full((oH, oW), -1, np.int64), kw)
            ki = np.where(none, ni, ki)
            kj = np.where(none, nj, kj)
            vals = np.where(none, low, vals)
        shape = (N, C, oH, oW) if nd == 4 else (C, oH, oW)
        out_like(self.output, shape)[...] = vals.reshape(shape)
        if not isinstance(self.__dict__.get('indices'), _tensor.LongTensor):
            # type() converts every tensor field; indices stay LongTensor
            self.indices = _tensor.LongTensor()
        ind = out_like(self.indices, (2,) + shape)
        ind[0] = (ki + 1).reshape(shape)  # the row within the window (indy), 1-based
        ind[1] = (kj + 1).reshape(shape)  # the column (indx)
        return self.output

    def updateGradInput(self, input, gradOutput):
        _lua.thnn_call(input, ('gradOutput', gradOutput), ("field 'gradInput'", self.gradInput),
                       ("field 'indices'", self.__dict__.get('indices')),
                       index=("field 'indices'",))
        gi = out_like(self.gradInput, input._size)
        g4 = gi if gi.ndim == 4 else gi[None]
        N, C, iH, iW = g4.shape
        oH, oW = self.H, self.W
        ind = arr(self.indices).reshape(2, N * C, oH, oW)
        hs, _ = _float_bounds(iH, oH)
        ws, _ = _float_bounds(iW, oW)
        # gradInput_p_k[maxi * iwidth + maxj] += gradOutput, maxi/maxj from the window start
        # (a window without a maximum points before its start: THNN writes there too, within
        # the plane; before the plane's first element it would leave the plane: dropped)
        maxi = ind[0] - 1 + hs[None, :, None]
        maxj = ind[1] - 1 + ws[None, None, :]
        idx = np.ascontiguousarray((maxi * iW + maxj + 1).reshape(N, C, oH, oW))
        go = np.ascontiguousarray(arr(gradOutput).reshape(N, C, oH, oW))
        scatter_planes(g4, idx, go)
        return self.gradInput

    def clearState(self):
        utils.clear(self, 'indices')
        return super().clearState()
