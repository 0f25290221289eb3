"""Shared numpy kernels for nn's layers: THNN's im2col/col2im, pooling windows, helpers."""
import math
import sys

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import messages, numerics
from ..tensor import Tensor, TorchError
from ._conv import fold, out_size as conv_out_size, unfold  # noqa: F401
from ._thnn_check import THNN_WHERE
from ._nnk_load import nnk as _nnk, portable as _nnk_portable  # noqa: F401

# _nnk: THNN's loops in C (torch7py/nn/_nnk*.c; its AVX2 build where the CPU has it), None
# without a compiler: then the numpy code below

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def c_ok(*arrays):
    """The C kernels apply: built, enabled, every array C-contiguous and of one float type."""
    if _nnk is None or not use_c:
        return False
    dt = arrays[0].dtype
    if dt not in _FLOATS:
        return False
    for a in arrays:
        if not a.flags.c_contiguous or (a.dtype != dt and a.dtype != np.int64):
            return False
    return True


# tests switch this off to check the numpy code against the C kernels
use_c = True


def sizes_str(shape):
    """Torch7's THDescBuff text for a size: ``[4 x 3]``."""
    return '[' + ' x '.join(str(int(s)) for s in shape) + ']'


def arr(t):
    """The tensor's data as a numpy view (zero-copy)."""
    try:
        return t.numpy()
    except AttributeError:
        if isinstance(t, Tensor):
            raise
        raise thnn_value_error(t, _caller_name(t)) from None


def _caller_name(value):
    """The name the calling module method gives value (its input, gradOutput, target), as the
    Lua code's local holding it: 'input' when none does."""
    f = sys._getframe(2)
    names = [k for k, v in f.f_locals.items() if v is value and k != 'self']
    for k in ('input', 'gradOutput', 'target'):
        if k in names:
            return k
    return names[0] if names else 'input'


def out_like(buf, shape):
    """Resize a module buffer tensor to ``shape`` and return its numpy view."""
    if buf._size != shape:  # the common case, a tuple equal to the size, costs one compare
        shape = tuple(int(s) for s in shape)
        if tuple(buf._size) != shape:
            buf.resize(*shape)
    return buf.numpy()


def th_sum_dims(a, axes):
    """THTensor_(sum)(r, t, dim) of a contiguous floating array along each axis in turn, the
    result of one the source of the next (CMul.lua's, MixtureTable.lua's sums of their
    buffers): a slice of stride 1 loops in accreal (double) and rounds once, while along any
    other stride the result, typed as the tensor, accumulates the slices one after the other."""
    dt = a.dtype
    for ax in axes:
        inner = math.prod(a.shape[ax + 1:])
        s = numerics.seqsum_axis(a, ax, np.float64 if inner == 1 else dt)
        a = s if s.dtype == dt else s.astype(dt)
    return a


def pool_out_size(size, k, d, pad, ceil_mode, dil=1, any_pad=None):
    """THNN's output size of a pooling along one dimension. ceil mode divides in C float
    (`ceil((float)span / d)`); only a pooling with some padding (any dimension's: `if (padW ||
    padH)`) then drops a last window that would start past the input, so without padding ceil
    mode can keep a window that reads nothing (max -inf, average 0/0)."""
    span = size + 2 * pad - (dil * (k - 1) + 1)
    if ceil_mode:
        o = int(math.ceil(np.float32(span) / np.float32(d))) + 1
    else:
        o = span // d + 1
    if pad if any_pad is None else any_pad:
        if (o - 1) * d >= size + pad:
            o -= 1
    return o


def positive_dimension(m, ndim):
    """Torch7's _getPositiveDimension for an input of ndim dimensions: a negative m.dimension
    counts from the end; with m.nInputDims set, a batch input (one more dimension) shifts it."""
    dimension = m.dimension
    nid = m.__dict__.get('nInputDims')
    if dimension < 0:
        dimension = ndim + dimension + 1
    elif nid and ndim == nid + 1:
        dimension += 1
    return dimension


def no_bias(self):
    """The layers' noBias(): the bias and its gradient are dropped."""
    self.bias = None  # (`self.bias = nil`: the keys stay, set to nil, as in a Lua table)
    self.gradBias = None
    return self


def pool_ceil(self):
    """The pooling layers' ceil(): output sizes round up."""
    self.ceil_mode = True
    return self


def pool_floor(self):
    """The pooling layers' floor(): output sizes round down (the default)."""
    self.ceil_mode = False
    return self


def pool_count_include_pad(self):
    """The average poolings' setCountIncludePad(): padding counts in the divisor."""
    self.count_include_pad = True
    return self


def pool_count_exclude_pad(self):
    """The average poolings' setCountExcludePad(): only the input's cells count."""
    self.count_include_pad = False
    return self


def padded(x, padH, padW, fill, needH=0, needW=0):
    """``x`` (N, C, H, W) inside a new buffer filled with ``fill``: padH/padW before, and after
    at least padH/padW rows/cols, more if windows need up to needH x needW."""
    N, C, H, W = x.shape
    Hp = max(H + 2 * padH, needH)
    Wp = max(W + 2 * padW, needW)
    if Hp == H and Wp == W and padH == 0 and padW == 0:
        return x
    buf = np.full((N, C, Hp, Wp), fill, dtype=x.dtype)
    buf[:, :, padH:padH + H, padW:padW + W] = x
    return buf


def windows(xp, kH, kW, dH, dW, oH, oW, dilH=1, dilW=1):
    """(N, C, kH, kW, oH, oW) strided view of the windows of ``xp`` (N, C, Hp, Wp)."""
    N, C = xp.shape[:2]
    sN, sC, sH, sW = xp.strides
    return as_strided(xp, (N, C, kH, kW, oH, oW),
                      (sN, sC, sH * dilH, sW * dilW, sH * dH, sW * dW), writeable=False)


def im2col(x, cols, kH, kW, dH, dW, padH, padW, oH, oW, dilH=1, dilW=1):
    """THNN unfolded_copy: x (N, C, H, W) into cols (N, C*kH*kW, oH*oW)."""
    N, C = x.shape[:2]
    if c_ok(x, cols) and cols.dtype == x.dtype:
        _nnk.im2col(x, cols, N, C, x.shape[2], x.shape[3], kH, kW, dH, dW, padH, padW, dilH,
                    dilW, oH, oW, x.dtype == np.float32)
        return
    np.copyto(cols.reshape(N, C, kH, kW, oH, oW),
              unfold(x, (kH, kW), (dH, dW), (padH, padW), (dilH, dilW), (oH, oW)))


def add_bias(y, b, outer, inner):
    """y viewed as (outer, len(b), inner): y[o, c, :] += b[c], in place (no broadcast buffer)."""
    if c_ok(y, b) and b.dtype == y.dtype:
        _nnk.add_bias(y, b, outer, b.shape[0], inner, y.dtype == np.float32)
    else:
        y3 = y.reshape(outer, b.shape[0], inner)
        y3 += b[:, None]


def col2im(cols, gx, kH, kW, dH, dW, padH, padW, oH, oW, dilH=1, dilW=1):
    """THNN unfolded_acc: sums cols (N, C*kH*kW, oH*oW) back into gx (N, C, H, W) (overwritten)."""
    N, C = gx.shape[:2]
    if c_ok(cols, gx) and cols.dtype == gx.dtype:
        _nnk.col2im(cols, gx, N, C, gx.shape[2], gx.shape[3], kH, kW, dH, dW, padH, padW, dilH,
                    dilW, oH, oW, gx.dtype == np.float32)
        return
    fold(cols.reshape(N, C, kH, kW, oH, oW), gx.shape[2:], (dH, dW), (padH, padW), (dilH, dilW),
         gx)


def as4d(x):
    """A 3D (C, H, W) array as (1, C, H, W); a 4D one as is."""
    return x[None] if x.ndim == 3 else x


def window_max(win, axis=-1):
    """THNN's scan of each window along `axis` from -THInf (the largest finite value, negated)
    keeping `val > maxval`: (k, vals), the index of the first maximum and its value, never a
    NaN; k = -1 and vals = -THInf where nothing in the window exceeds -THInf."""
    if np.isnan(win).any():
        win = np.where(np.isnan(win), -np.inf, win)
    k = win.argmax(axis=axis)
    vals = np.take_along_axis(win, np.expand_dims(k, axis), axis=axis).squeeze(axis)
    low = -np.finfo(vals.dtype).max
    none = ~(vals > low)
    if none.any():
        vals = np.where(none, low, vals)
        k = np.where(none, -1, k)
    return k, vals


def maxpool_forward(x, vals, idx, kH, kW, dH, dW, padH, padW, oH, oW, dilH=1, dilW=1):
    """Max over windows of x (N, C, H, W) into vals (N, C, oH, oW), and THNN's 1-based indices
    into each plane (row * W + col + 1) into idx (int64); the first maximum in window order."""
    H, W = x.shape[2:]
    if c_ok(x, vals, idx) and vals.dtype == x.dtype:
        N, C = x.shape[:2]
        if ((kH, kW, dH, dW, padH, padW, dilH, dilW) == (2, 2, 2, 2, 0, 0, 1, 1)
                and 2 * oH <= H and 2 * oW <= W):
            # the common 2x2 / stride 2 layer: the same scan without the generic loops (float
            # planes 8 windows at a time on AVX2, where built)
            f = getattr(_nnk, 'maxpool22_v', None) or _nnk.maxpool22
            f(x, vals, idx, N * C, H, W, oH, oW, x.dtype == np.float32)
            return
        _nnk.maxpool(x, vals, idx, N * C, H, W, oH, oW, kH, kW, dH, dW, padH, padW, dilH, dilW,
                     x.dtype == np.float32)
        return
    needH = (oH - 1) * dH + dilH * (kH - 1) + 1
    needW = (oW - 1) * dW + dilW * (kW - 1) + 1
    xp = padded(x, padH, padW, -np.inf, needH + padH, needW + padW)
    win = windows(xp, kH, kW, dH, dW, oH, oW, dilH, dilW)
    # THNN's scan of each window in order from -THInf (the largest finite value, negated) and
    # index -1: a value replaces the max only when greater (`val > maxval`), so the first
    # maximum wins and a NaN never does; one strided pass per kernel offset
    low = -np.finfo(vals.dtype).max
    k = np.full(vals.shape, -1, np.int64)
    vals.fill(low)
    take = np.empty(vals.shape, bool)
    for o in range(kH * kW):
        v = win[:, :, o // kW, o % kW]
        np.greater(v, vals, out=take)
        np.copyto(vals, v, where=take)
        np.copyto(k, o, where=take)
    none = k < 0  # a window holding nothing above -THInf: THNN's maxindex -1, stored as 0
    np.copyto(k, 0, where=none)
    # index = (oh*dH - padH + ki*dilH) * W + (ow*dW - padW + kj*dilW) + 1, built in place
    np.floor_divide(k, kW, out=idx)
    idx *= dilH * W
    np.remainder(k, kW, out=k)
    k *= dilW
    idx += k
    base = (np.arange(oH)[:, None] * dH - padH) * W + np.arange(oW)[None, :] * dW - padW + 1
    idx += base
    if none.any():
        np.copyto(idx, 0, where=none)


def scatter_planes(gx, idx, go, unique=False):
    """gx (N, C, H, W) = sum of go at the 1-based per-plane indices idx (N, C, oH, oW);
    ``unique`` (windows that cannot overlap) allows a plain assignment."""
    N, C, H, W = gx.shape
    plane = H * W
    if c_ok(gx, go, idx) and idx.dtype == np.int64 and go.dtype == gx.dtype:
        _nnk.maxpool_back(gx, go, idx, N * C, plane, go.shape[2] * go.shape[3],
                          gx.dtype == np.float32)
        return
    base = (np.arange(N * C) * plane).reshape(N, C, 1, 1)
    flat = (idx - 1 + base).ravel()
    gof = go.ravel()
    some = (idx > 0).ravel()  # index 0: a window without a maximum passes no gradient (THNN)
    if not some.all():
        flat, gof = flat[some], gof[some]
    if unique and gx.flags.c_contiguous:
        gx[...] = 0
        gx.reshape(-1)[flat] = gof
        return
    res = np.bincount(flat, weights=gof, minlength=N * C * plane)
    gx[...] = res.reshape(N, C, H, W)


def avgpool_divisors(iH, iW, kH, kW, dH, dW, padH, padW, oH, oW, include_pad):
    """THNN SpatialAveragePooling's divide factor for each output position (oH, oW)."""
    def axis(i, k, d, pad, o):
        start = np.arange(o) * d - pad
        end = np.minimum(start + k, i + pad)
        size = end - start
        count = np.minimum(end, i) - np.maximum(start, 0)
        return size, count
    sh, ch = axis(iH, kH, dH, padH, oH)
    sw, cw = axis(iW, kW, dW, padW, oW)
    if include_pad:
        return np.outer(sh, sw)
    return np.outer(ch, cw)


def new_tensor(*sizes):
    """A tensor of the default type (``torch.Tensor(...)``)."""
    from . import utils
    return utils.default_tensor_class()(*sizes)


def check_dims(input, dims, what='input'):
    """Torch7's argument check on the number of input dimensions."""
    nd = input.dim()
    if nd not in dims:
        want = ' or '.join('%dD' % d for d in dims)
        raise TorchError('%s must be %s (got %dD tensor of size %s)'
                         % (what, want, nd, sizes_str(input._size)))


def check_same_size(a, b, what='gradOutput', names=None, kind=None):
    """b's size against a's. kind 'shape': THNN_CHECK_SHAPE(a, b) named names; 'nelement':
    THNN_CHECK_NELEMENT(a, b) only (THNN's TH_TENSOR_APPLY loops then pair the elements in
    order, whatever the shapes: the caller reads b through as_shape)."""
    if not isinstance(b, Tensor):  # the module's Lua passes it on as gradOutput:cdata()
        raise TorchError(messages.lua_call_error(b, names[1] if names else what, 'cdata'))
    if kind == 'shape' and tuple(a._size) != tuple(b._size):
        raise messages.at_lua(TorchError('%s and %s shapes do not match: %s %s, %s %s' % (
            names[0], names[1], names[0], sizes_str(a._size), names[1], sizes_str(b._size))),
            THNN_WHERE)
    if kind == 'nelement' and a.nElement() != b.nElement():
        raise messages.at_lua(TorchError(
            '%s and %s have different number of elements: %s%s has %d elements, '
            'while %s%s has %d elements' % (
                names[0], names[1], names[0], sizes_str(a._size), a.nElement(),
                names[1], sizes_str(b._size), b.nElement())), THNN_WHERE)
    if kind == 'nelement':
        return
    if tuple(a._size) != tuple(b._size):
        raise TorchError('size mismatch: %s is %s, expected %s'
                         % (what, sizes_str(b._size), sizes_str(a._size)))


def as_shape(g, shape):
    """g's elements in order as an array of shape (a view where numpy can; TH_TENSOR_APPLY
    pairs tensors of the same count element by element)."""
    return g if g.shape == tuple(shape) else g.reshape(shape)


def write_back(g, v):
    """Stores v (as_shape(g, ...) after an in-place update) into g when it was a copy."""
    if v is not g and not np.shares_memory(v, g):
        g[...] = v.reshape(g.shape)


def apply_check(names, *tensors):
    """TH_TENSOR_APPLY2/3's check where the module's Lua code calls a TH method on them
    (cmul, add, copy, dot, ...): the same number of elements, or TH's inconsistent size text
    with the C argument names (r_, t, src or tensor, src)."""
    ns = [t.nElement() for t in tensors]
    if min(ns) != max(ns):
        from ..messages import msg, size_str
        parts = []
        for name, t in zip(names, tensors):
            parts += [name, size_str(t._size)]
        raise TorchError(msg('inconsistent_%d' % len(ns), *(parts + ns)))


def view_check(t, shape):
    """t:view(shape) in the module's Lua code: TH's text when the counts differ."""
    if t.nElement() != int(np.prod(shape, dtype=np.int64)):
        t.contiguous().view(*shape)


def lua_call_error(value, local, method):
    """LuaJIT's error for `local:method()` on a value that is not a tensor."""
    return TorchError(messages.lua_call_error(value, local, method))


def check_nelement(input, target):
    """THNN_CHECK_NELEMENT: input and target must hold as many elements (the criterion's Lua
    calls target:cdata() first)."""
    for name, t in (('input', input), ('target', target)):
        if not hasattr(t, 'nElement'):
            raise lua_call_error(t, name, 'cdata')
    if input.nElement() != target.nElement():
        raise messages.at_lua(TorchError(
            'input and target have different number of elements: input%s has %d '
            'elements, while target%s has %d elements'
            % (sizes_str(input._size), input.nElement(), sizes_str(target._size),
               target.nElement())), THNN_WHERE)


def as_target(input, target):
    """The target's values as an array of the input's shape."""
    return np.asarray(arr(target), dtype=np.float64 if input.dtype == np.float64
                      else input.dtype).reshape(input._size or (0,))  # (an empty one: none)


def thnn_value_error(value, local='input'):
    """LuaJIT's error where a THNN module's Lua code meets a value that is no tensor: it calls
    `input.THNN.F(input:cdata(), ...)`: nil, a number or a boolean fail to index, a string or
    a table index to nil (their THNN field); another argument fails at its :cdata()."""
    kind = messages.lua_type_name(value)
    if kind in messages.NOT_INDEXABLE:
        return TorchError(messages.msg('index_local', local, kind))
    if local == 'input':
        return TorchError(messages.msg('index_field', 'THNN', 'nil'))
    return TorchError(messages.msg('call_nil_method', 'cdata'))


_THNN_TYPES = ('torch.FloatTensor', 'torch.DoubleTensor')


def check_type(m, input, buf=None, what='input'):
    """THNN dispatches on the input's type and requires the module's tensors to match it."""
    buf = m.output if buf is None else buf
    if not isinstance(input, Tensor):
        raise thnn_value_error(input, what)
    if what == 'input' and input.typename not in _THNN_TYPES:
        # input.THNN: only the float and double tensor types have THNN's functions
        raise TorchError(messages.msg('index_field', 'THNN', 'nil'))
    if input.typename != buf.typename and what == 'input':
        # THNN.lua runs the input type's C function: the FFI refuses the module's output (#3)
        raise TorchError(messages.msg('thnn_ffi_type', 3, buf.typename[6:], input.typename[6:]))
    if input.typename != buf.typename:
        raise TorchError('%s: %s expected (the module is of type %s), got %s; convert the %s '
                         'or the module with :type()' % (m.typename, buf.typename, buf.typename,
                                                         input.typename, what))


_INT_OF = {4: np.int32, 8: np.int64, 2: np.int16}


def select_scalar(keep, a, val, out):
    """out = keep ? a : val, elementwise and bit-exact (NaN, inf and -0.0 pass unchanged).

    A bitwise select on the float's bits: masked ufuncs (copyto/where/putmask) are an order of
    magnitude slower than these four plain passes."""
    it = _INT_OF[a.dtype.itemsize]
    vbits = np.array(val, dtype=a.dtype).view(it)[()]
    n = a.size
    if n > _CHUNK and a.flags.c_contiguous and out.flags.c_contiguous and \
            keep.flags.c_contiguous:
        # chunks keep the integer mask small (it is 4-8 bytes an element)
        ka, aa, oa = keep.reshape(-1), a.reshape(-1), out.reshape(-1)
        m = np.empty(_CHUNK, dtype=it)
        for i in range(0, n, _CHUNK):
            j = min(i + _CHUNK, n)
            _select_bits(ka[i:j], aa[i:j].view(it), oa[i:j].view(it), vbits, m[:j - i])
        return out
    _select_bits(keep, a.view(it), out.view(it), vbits, np.empty(keep.shape, dtype=it))
    return out


_CHUNK = 1 << 15


def _select_bits(keep, ai, oi, vbits, m):
    np.negative(keep.view(np.int8), out=m, casting='unsafe')  # all ones where keep, else zero
    if vbits == 0:
        np.bitwise_and(ai, m, out=oi)
    else:
        np.bitwise_xor(ai, vbits, out=oi)
        np.bitwise_and(oi, m, out=oi)
        np.bitwise_xor(oi, vbits, out=oi)
