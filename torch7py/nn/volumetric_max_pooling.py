"""nn.VolumetricMaxPooling: port of torch/nn VolumetricMaxPooling.lua and THNN
VolumetricDilatedMaxPooling.c: its windows (a padded start moves forward by whole dilations and
the kernel shrinks by the padding), its scan (from -THInf, `val > maxval`: NaN never wins, the
first maximum does), and its indices: the kernel offsets (z, y, x) of each maximum in the
first three bytes of the long (z + 256 y + 65536 x; -1 is byte 255)."""
import functools
import math

import numpy as np

from .. import messages
from .. import tensor as _tensor
from ..storage import TorchError
from . import _kernels, _lua, utils
from ._kernels import arr, out_like, pool_ceil, pool_floor, scatter_planes
from ._thnn_check import arg_check, check_dim_sizes, error, thnn_argcheck
from .module import Module
from . import _shape_memo
from ._shape_memo import size_of
from .spatial_max_pooling import pool_tostring


@functools.lru_cache(maxsize=16)
def _axis_taps(k, d, pad, dil, size, out):
    """One axis of VolumetricDilatedMaxPooling_updateOutput_frame: for each output o, the
    input position of kernel step z (clipped for the gather), whether THNN reads it, and the
    offset it stores (z + k - kernel): start = o*d - pad; kernel = min(k, k + start); start
    moves up by dil while negative; a step is read while start + z*dil < size."""
    o = np.arange(out)
    start = o * d - pad
    kernel = np.minimum(k, k + start)
    start = np.where(start < 0, start + dil * ((-start + dil - 1) // dil), start)
    z = np.arange(k)
    pos = start[:, None] + z[None, :] * dil
    ok = (z[None, :] < kernel[:, None]) & (pos < size)
    stored = z[None, :] + (k - kernel)[:, None]
    for a in (pos, ok, stored):
        a.flags.writeable = False
    return np.minimum(pos, size - 1), ok, stored


@functools.lru_cache(maxsize=16)
def _gather_table(k, d, pad, dil, S, out):
    """(M, K) flat volume index of each window's kernel steps (z, y, x in THNN's loop order),
    the mask of the steps THNN reads (True when all are), and each axis's stored offsets."""
    (pt, okt, st), (ph, okh, sh), (pw, okw, sw) = (
        _axis_taps(k[i], d[i], pad[i], dil[i], S[i], out[i]) for i in range(3))
    flat = ((pt[:, None, None, :, None, None] * S[1] + ph[None, :, None, None, :, None]) * S[2]
            + pw[None, None, :, None, None, :])
    ok = (okt[:, None, None, :, None, None] & okh[None, :, None, None, :, None]
          & okw[None, None, :, None, None, :])
    M, K = math.prod(out), math.prod(k)
    flat = np.ascontiguousarray(flat.reshape(M, K))
    ok = np.ascontiguousarray(ok.reshape(M, K))
    flat.flags.writeable = False
    ok.flags.writeable = False
    return flat, (True if ok.all() else ok), (st, sh, sw)


@functools.lru_cache(maxsize=256)
def out_size(size, k, d, pad, dil, ceil_mode, padded):
    """THNN's output size (float division), and with any padding the last window must start
    inside the padded input (`if (pT || pW || pH)`)."""
    span = np.float32(size - (dil * (k - 1) + 1) + 2 * pad) / np.float32(d)
    o = int(math.ceil(span) if ceil_mode else math.floor(span)) + 1
    if padded and (o - 1) * d >= size + pad:
        o -= 1
    return o


def _ints(t):
    """A module's geometry (Lua numbers may arrive as floats) as the C call's ints."""
    return (int(t[0]), int(t[1]), int(t[2]))


def encode(mz, my, mx):
    """The index long THNN writes: bytes [mz, my, mx, 0] (unsigned char), little-endian."""
    return (mz & 255) | (my & 255) << 8 | (mx & 255) << 16


def decode(v):
    return v & 255, (v >> 8) & 255, (v >> 16) & 255

try:  # _nnk.vmaxpool's loop, from the values of its last call where the windows are unchanged
    from ._sn import vmaxpool_resume as _VMAXPOOL_RESUME
except ImportError:  # not built (or built before it): _nnk's
    _VMAXPOOL_RESUME = None


_FLOATS = (_tensor.DoubleTensor, _tensor.FloatTensor)
_NUMBERS = (int, float, bool)


class VolumetricMaxPooling(Module):
    # the numbers its Lua passes to THNN's updateOutput, in order (then ceil_mode, a bool)
    _thnn_numbers = ('kT', 'kW', 'kH', 'dT', 'dW', 'dH', 'padT', 'padW', 'padH')

    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
        super().__init__()
        self.kT, self.kH, self.kW = kT, kH, kW  # (VolumetricMaxPooling.lua's order)
        self.dT = kT if dT is None else dT
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padT = padT or 0
        self.padW = padW or 0
        self.padH = padH or 0
        self.ceil_mode = False
        self.indices = _tensor.LongTensor()

    ceil = pool_ceil
    floor = pool_floor

    def _t7_read(self, fields, version):
        """VolumetricMaxPooling:read: a file of version < 2 gets ceil_mode false. Torch7 writes
        a class's own __version (luaT's rawget), so VolumetricDilatedMaxPooling files are
        version 1 and its inherited read sets ceil_mode false on every load, as here."""
        self.__dict__.update(fields)
        if (version or 0) < 2:
            self.ceil_mode = False

    def _dilation(self):
        return (1, 1, 1)

    def _geo(self, input, gradOutput=None):
        """THNN VolumetricDilatedMaxPooling_shapeCheck in its order (gradOutput and indices
        checked with a gradOutput)."""
        k = (self.kT, self.kH, self.kW)
        d = (self.dT, self.dH, self.dW)
        pad = (self.padT, self.padH, self.padW)
        dil = self._dilation()
        key = (type(self), size_of(input), k, d, pad, dil, self.ceil_mode) + (
            ('none', 'none') if gradOutput is None
            else (size_of(gradOutput), size_of(self.__dict__.get('indices'))))
        got = _shape_memo.get(key)
        if got is not None:
            return got
        nd = input.dim()
        arg_check(min(k) > 0, 5, 'kernel size should be greater than zero, but got kT: %d kH: '
                  '%d kW: %d', *k)
        arg_check(min(d) > 0, 8, 'stride should be greater than zero, but got dT: %d dH: %d '
                  'dW: %d', *d)
        arg_check(min(dil) > 0, 14, 'dilation should be greater than 0, but got dilationT: %d '
                  'dilationH: %d dilationW: %d', *dil)
        thnn_argcheck(nd in (4, 5), 2, input, '4D or 5D (batch mode) tensor expected for '
                      'input, but got: %s')
        arg_check(all(k[i] // 2 >= pad[i] for i in range(3)), 2, 'pad should be smaller than '
                  'half of kernel size, but got kT: %d kW: %d, kH: %d, padT: %d, padW: %d, '
                  'padH: %d', self.kT, self.kW, self.kH, self.padT, self.padW, self.padH)
        S = tuple(input._size[-3:])
        ceil, padded = bool(self.ceil_mode), pad != (0, 0, 0)
        out = (out_size(S[0], k[0], d[0], pad[0], dil[0], ceil, padded),
               out_size(S[1], k[1], d[1], pad[1], dil[1], ceil, padded),
               out_size(S[2], k[2], d[2], pad[2], dil[2], ceil, padded))
        C = input._size[-4]
        if min(out) < 1:
            raise error('Given input size: (%dx%dx%dx%d). Calculated output size: '
                        '(%dx%dx%dx%d). Output size is too small', *((C,) + S + (C,) + out))
        if gradOutput is not None:
            check_dim_sizes(gradOutput, 'gradOutput', nd, nd - 4, (C,) + out)
            check_dim_sizes(self.indices, 'indices', nd, nd - 4, (C,) + out)
        return _shape_memo.put(key, (nd == 5, k, d, pad, dil, S, out))

    def _lua_lines(self, input):
        """VolumetricMaxPooling.lua's lines before THNN, where a call may fail there: input's
        dim() and size(dims-2..dims), self.indices:long(), then the THNN call's input.THNN,
        cdata()s and the FFI's conversions (#3 output, #4 indices, #5... the numbers)."""
        d = self.__dict__
        if (type(input) in _FLOATS and type(d.get('output')) is type(input)
                and len(input._size) in (4, 5)
                and type(d.get('ceil_mode')) in _NUMBERS
                and all(type(d.get(f)) in _NUMBERS for f in self._thnn_numbers)):
            return
        dims = _lua.mcall(input, 'dim', what="local 'input'")
        for name, back in (('itime', 2), ('iheight', 1), ('iwidth', 0)):
            d[name] = _lua.mcall(input, 'size', dims - back, what="local 'input'")
        if d.get('indices') is None or d.get('indices') is False:
            self.indices = _tensor.LongTensor()
        if not isinstance(getattr(type(input), 'typename', None), str):
            raise TorchError(messages.msg('index_nil'))  # torch.typename(input):find
        self.indices = _lua.mcall(self.indices, 'long', what="field 'indices'")
        ceil = d.get('ceil_mode')
        _lua.thnn_call(input, ("field 'output'", d.get('output')),
                       ("field 'indices'", self.indices),
                       nums=tuple((d.get(f), 'int') for f in self._thnn_numbers)
                       + (((0 if ceil is None else ceil), 'bool'),),
                       index=("field 'indices'",))

    def updateOutput(self, input):
        self._lua_lines(input)
        batch, k, d, pad, dil, S, out = self._geo(input)
        # Torch7 records the input's size (VolumetricMaxUnpooling reads it)
        self.itime, self.iheight, self.iwidth = S
        x = arr(input)
        x5 = x if batch else x[None]
        N, C = x5.shape[:2]
        shape = (N, C) + out if batch else (C,) + out
        if not isinstance(self.__dict__.get('indices'), _tensor.LongTensor):
            # type() converts every tensor field; indices stay LongTensor
            self.indices = _tensor.LongTensor()
        y = out_like(self.output, shape)
        ind = out_like(self.indices, shape)
        xc = np.ascontiguousarray(x5)
        if _kernels.c_ok(xc, y, ind) and y.dtype == xc.dtype:
            # THNN's frame loop in C, window by window (a Jacobian check runs thousands)
            # (_sn's resumes from the last call: only the windows that read a changed element)
            (_VMAXPOOL_RESUME or _kernels._nnk.vmaxpool)(
                xc, y, ind, N * C, S, out, _ints(k), _ints(d), _ints(pad), _ints(dil),
                xc.dtype == np.float32)
            return self.output
        flat, ok, (st, sh, sw) = _gather_table(k, d, pad, dil, S, out)
        low = -np.finfo(x.dtype).max  # -THInf: only a greater value is kept
        win = np.take(x5.reshape(N * C, -1), flat, axis=1)  # (N * C, M, K)
        with np.errstate(invalid="ignore"):
            keep = win > low
        if ok is not True:
            keep &= ok
        if not keep.all():
            win[~keep] = -np.inf
        M = math.prod(out)
        cols = win
        j = cols.argmax(axis=2)  # the first maximum
        vals = np.take_along_axis(cols, j[..., None], axis=2)[..., 0]
        none = vals == -np.inf
        jz, jy, jx = np.unravel_index(j, k)
        m = np.arange(M)
        mt, mh, mw = np.unravel_index(m, out)
        mz = st[mt[None, :], jz]
        my = sh[mh[None, :], jy]
        mx = sw[mw[None, :], jx]
        if none.any():  # mx = my = mz = -1 and maxval = -THInf
            mz, my, mx = (np.where(none, -1, a) for a in (mz, my, mx))
            vals = np.where(none, low, vals)
        y[...] = vals.reshape(shape)
        ind[...] = encode(mz, my, mx).reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        batch, k, d, pad, dil, S, out = self._geo(input, gradOutput)
        gi = out_like(self.gradInput, input._size)
        g5 = gi if batch else gi[None]
        N, C = g5.shape[:2]
        vol = int(math.prod(S))
        bz, by, bx = decode(arr(self.indices).reshape(N * C, *out))
        # maxti = byte0 * dilationT + ti * dT - pT (and so on); `if (maxti != -1)` the
        # gradient goes to maxti * iheight * iwidth + maxi * iwidth + maxj
        o = [np.arange(out[i]) * d[i] - pad[i] for i in range(3)]
        mt = bz * dil[0] + o[0][:, None, None]
        mh = by * dil[1] + o[1][None, :, None]
        mw = bx * dil[2] + o[2][None, None, :]
        flat = (mt * S[1] + mh) * S[2] + mw
        # (a window without a maximum stores 255s: C writes outside the volume; dropped)
        idx = np.where((mt != -1) & (flat >= 0) & (flat < vol), flat + 1, 0)
        g4 = g5.reshape(N, C, vol, 1)
        go = np.ascontiguousarray(arr(gradOutput).reshape(N, C, -1, 1))
        scatter_planes(g4, np.ascontiguousarray(idx.reshape(N, C, -1, 1)), go)
        return self.gradInput

    def __tostring__(self):
        return pool_tostring(self, 3)

    def clearState(self):
        utils.clear(self, 'indices')
        return super().clearState()
