"""nn.SpatialUpSamplingBilinear: port of torch/nn SpatialUpSamplingBilinear.lua and THNN
SpatialUpSamplingBilinear.c (corner-aligned bilinear interpolation; also the linear kernels of
nn.UpSampling)."""
import functools
import math

import numpy as np

from ..storage import LongStorage
from ..messages import at_lua
from ..tensor import TorchError
from . import _kernels, _lua
from ._kernels import arr, out_like
from ._thnn_check import arg_check, check_dim_sizes
from .module import Module


def linear_map(isize, osize, dtype):
    """THNN's source rows for each output row: (i0, i0 + step, lambda0, lambda1); the ratio and
    position are single-precision floats as in THNN, the lambdas the tensor's precision."""
    r = np.float32(np.float32(isize - 1) / np.float32(osize - 1)) if osize > 1 else \
        np.float32(0)
    pos = r * np.arange(osize, dtype=np.float32)
    i0 = pos.astype(np.int64)
    step = (i0 < isize - 1).astype(np.int64)
    l1 = (pos - i0.astype(np.float32)).astype(dtype)
    l0 = (dtype.type(1) - l1).astype(dtype)
    return i0, i0 + step, l0, l1


def _shape(v, axis, nd):
    s = [1] * nd
    s[axis] = v.size
    return v.reshape(s)


def lin_forward(x, maps, axis=0):
    """THNN's nested interpolation l0 * f(i0) + l1 * f(i1), the outermost spatial axis first
    (the same operation order, so the same rounding)."""
    if axis == len(maps):
        return x
    ax = x.ndim - len(maps) + axis
    i0, i1, l0, l1 = maps[axis]
    a = lin_forward(np.take(x, i0, axis=ax), maps, axis + 1)
    b = lin_forward(np.take(x, i1, axis=ax), maps, axis + 1)
    return _shape(l0, ax, x.ndim) * a + _shape(l1, ax, x.ndim) * b


@functools.lru_cache(maxsize=8)
def _corner_tables(S, out, P, dtype):
    """For every (plane, output position, corner) in THNN's loop order: the flat input index
    it adds into and its interpolation weight. Depends on the sizes only, so a Jacobian check's
    thousands of backward calls build it once."""
    dtype = np.dtype(dtype)
    nd = len(S)
    maps = [linear_map(S[d], out[d], dtype) for d in range(nd)]
    corners = []
    for bits in np.ndindex(*([2] * nd)):
        flat = np.zeros(out, dtype=np.int64)
        w = np.ones(out, dtype=dtype)
        for d, b in enumerate(bits):
            i0, i1, l0, l1 = maps[d]
            idx = i1 if b else i0
            stride = int(math.prod(S[d + 1:]))
            flat = flat + _shape(idx * stride, d, nd)
            w = w * _shape(l1 if b else l0, d, nd)
        corners.append((flat, w))
    flat = np.stack([c[0] for c in corners], axis=-1)          # (*o, 2^nd)
    w = np.stack([c[1] for c in corners], axis=-1)
    vol = int(math.prod(S))
    allidx = (flat[None] + (np.arange(P) * vol).reshape((P,) + (1,) * (nd + 1))).ravel()
    allidx.flags.writeable = False
    w.flags.writeable = False
    return allidx, w


def lin_backward(go, S):
    """Sums go (..., *o) back into (..., *S) through the interpolation weights (linear_map's),
    each input element accumulating its terms in THNN's loop order (output position, then
    corner) and in the tensor's own type (`real`: a float gradient rounds to float after every
    term, as THNN's `pos1[0] += w * g` does; ufunc.at applies the terms one by one in order)."""
    nd = len(S)
    lead = go.shape[:-nd]
    P = int(math.prod(lead))
    out = go.shape[-nd:]
    allidx, w = _corner_tables(tuple(int(v) for v in S), tuple(out), P, go.dtype.str)
    vol = int(math.prod(S))
    g = go.reshape(-1)
    if _kernels.use_c and _kernels._nnk is not None and go.dtype in (np.float32, np.float64) \
            and hasattr(_kernels._nnk, 'uplin_back'):
        # THNN's loop in C (a Jacobian check calls this once per output element)
        res = np.empty(P * vol, dtype=go.dtype)
        _kernels._nnk.uplin_back(np.ascontiguousarray(g), res, allidx, np.ascontiguousarray(w),
                                 P, int(math.prod(out)), w.shape[-1], vol,
                                 go.dtype == np.float32)
        return res.reshape(lead + tuple(S))
    res = np.zeros(P * vol, dtype=go.dtype)
    nz = np.flatnonzero(g != 0)  # the same elements (NaN counts, -0 does not), ~10x faster
    if nz.size * 8 < g.size:
        # a sparse gradOutput (a Jacobian check's one-hot rows): only its nonzero terms, in
        # the same order. Each sum starts at +0 and never holds -0, so the +-0 terms skipped
        # would not have changed a bit.
        C = w.shape[-1]
        idx = allidx.reshape(-1, C)[nz]
        wts = w.reshape(-1, C)[nz % w[..., 0].size] * g[nz][:, None]
        np.add.at(res, idx.ravel(), wts.ravel())
    else:
        weights = w[None] * go.reshape((P,) + out)[..., None]
        np.add.at(res, allidx, weights.ravel())
    return res.reshape(lead + tuple(S))


def _size_check(H, W, oH, oW):
    arg_check(H > 0 and W > 0 and oH > 0 and oW > 0, 2, 'input and output sizes should be '
              'greater than 0, but got input (H: %d, W: %d) output (H: %d, W: %d)', H, W, oH, oW)


class SpatialUpSamplingBilinear(Module):

    def __init__(self, params):
        super().__init__()
        # `self.owidth, self.oheight, self.scale_factor = nil, nil, nil`: LuaJIT stores a
        # multiple assignment from the last target to the first, and each nil key takes a node
        self.scale_factor = self.oheight = self.owidth = None
        if isinstance(params, dict) or hasattr(params, 'keys'):
            self.owidth, self.oheight = params.get('owidth'), params.get('oheight')
        elif isinstance(params, (list, tuple)):
            # a Python convenience: (oheight, owidth)
            self.oheight, self.owidth = params[0], params[1]
        else:
            self.scale_factor = params
            if self.scale_factor < 1:
                raise at_lua(TorchError('scale_factor must be greater than 1'),
                             'nn/SpatialUpSamplingBilinear.lua:28')
            if int(self.scale_factor) != self.scale_factor:
                raise at_lua(TorchError('scale_factor must be integer'),
                             'nn/SpatialUpSamplingBilinear.lua:31')
        self.inputSize = LongStorage(4).fill(0)
        self.outputSize = LongStorage(4).fill(0)

    def _sizes(self, input):
        if input.dim() not in (3, 4):
            raise TorchError('SpatialUpSamplingBilinear only supports 3D or 4D tensors')
        H, W = input._size[-2:]
        s = self.__dict__.get('scale_factor')
        if s is not None:
            oH, oW = H * int(s), W * int(s)
        else:
            oH, oW = self.oheight, self.owidth
        size4 = ((1,) if input.dim() == 3 else ()) + tuple(input._size)
        for i in range(4):
            self.inputSize[i + 1] = size4[i]
            self.outputSize[i + 1] = size4[i] if i < 2 else (oH, oW)[i - 2]
        # `input.THNN.SpatialUpSamplingBilinear_updateOutput(input:cdata(),
        # self.output:cdata(), ...)`: the FFI's conversions before THNN's checks
        _lua.thnn_call(input, ("field 'output'", self.output))
        _size_check(H, W, oH, oW)
        return H, W, oH, oW

    def updateOutput(self, input):
        H, W, oH, oW = self._sizes(input)
        x = arr(input)
        y = out_like(self.output, x.shape[:-2] + (oH, oW))
        if (H, W) == (oH, oW):
            y[...] = x
        else:
            y[...] = lin_forward(x, [linear_map(H, oH, x.dtype), linear_map(W, oW, x.dtype)])
        return self.output

    def updateGradInput(self, input, gradOutput):
        # the Lua asserts, then THNN's shapeCheck with the output size of the last forward,
        # on the 4-d views (a batch of one added to 3-d tensors)
        if input.dim() not in (3, 4):
            raise TorchError('SpatialUpSamplingBilinear only support 3D or 4D tensors')
        if input.dim() != gradOutput.dim():
            raise TorchError('Input and gradOutput should be of same dimension')
        b = (1,) if input.dim() == 3 else ()
        N, C, H, W = b + tuple(input._size)
        # self.gradInput:resizeAs(input) (its 4-d view), then `input.THNN.
        # SpatialUpSamplingBilinear_updateGradInput(gradOutput:cdata(),
        # self.gradInput:cdata(), ...)`: the FFI's conversions, then THNN's checks
        _lua.resize_as_first(self.gradInput, input)
        self.gradInput.resize(N, C, H, W)
        _lua.thnn_call(input, ('gradOutput', gradOutput), ("field 'gradInput'",
                                                          self.gradInput), first=2)
        oH, oW = self.outputSize[3], self.outputSize[4]
        _size_check(H, W, oH, oW)
        check_dim_sizes(b + tuple(gradOutput._size), 'gradOutput', 4, 0, (N, C, oH, oW))
        x = arr(input)
        gi = out_like(self.gradInput, x.shape)
        go = arr(gradOutput)
        if (H, W) == (oH, oW):
            gi[...] = go
        else:
            gi[...] = lin_backward(go, (H, W))
        return self.gradInput

    def __tostring__(self):
        if self.__dict__.get('scale_factor') is not None:
            return '%s(%d)' % (self.typename, self.scale_factor)
        return '%s(%d, %d)' % (self.typename, self.oheight, self.owidth)
