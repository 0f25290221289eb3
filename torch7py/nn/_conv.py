"""N-d unfold/fold (THNN's im2col/col2im and vol2col/col2vol) for the convolutions and poolings of
the full nn: temporal (1-d), spatial dilated/full (2-d) and volumetric (3-d); and the uniform
weight initialisation that nn's layers share."""
import functools
import itertools
import math
import weakref

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._nnk_load import nnk as _nnk
from .. import messages, obgemm
from ..tensor import Tensor, TorchError

_HAS_VOL2COL = _nnk is not None and hasattr(_nnk, 'col2vol')


def out_size(size, k, d, pad, dil=1):
    """THNN's `(size + 2*pad - (dil*(k-1)+1)) / d + 1` in C's long division, which truncates
    towards zero (an input smaller than the kernel prints C's size in THNN's error)."""
    n = size + 2 * pad - (dil * (k - 1) + 1)
    return (n // d if n >= 0 or d <= 0 else -(-n // d)) + 1


def unfold(x, k, d, pad, dil, out, fill=0):
    """x (N, C, *S) -> a read-only view (N, C, *k, *out) of its windows (padded with ``fill``)."""
    nd = len(k)
    S = x.shape[2:]
    need = [max(S[i] + 2 * pad[i], (out[i] - 1) * d[i] + dil[i] * (k[i] - 1) + 1 + pad[i])
            for i in range(nd)]
    if any(p != 0 for p in pad) or any(need[i] > S[i] for i in range(nd)):
        buf = np.full(x.shape[:2] + tuple(need), fill, dtype=x.dtype)
        buf[(slice(None), slice(None)) + tuple(slice(pad[i], pad[i] + S[i])
                                               for i in range(nd))] = x
        x = buf
    st = x.strides
    shape = x.shape[:2] + tuple(k) + tuple(out)
    strides = st[:2] + tuple(st[2 + i] * dil[i] for i in range(nd)) + \
        tuple(st[2 + i] * d[i] for i in range(nd))
    return as_strided(x, shape, strides, writeable=False)


@functools.lru_cache(maxsize=256)
def _geo3(*axes):
    """1-d and 2-d geometry as 3-d (the C vol2col/col2vol): unit leading axes, each tuple
    padded with its neutral value (S, k, out: 1; d, dil: 1; pad: 0)."""
    nd = len(axes[0])
    return tuple((0,) * (3 - nd) + tuple(int(v) for v in a) if i == 3
                 else (1,) * (3 - nd) + tuple(int(v) for v in a) for i, a in enumerate(axes))


def _c_cols(a, b):
    """The C vol2col/col2vol apply to a and b (see _kernels.c_ok), of one float type."""
    return _HAS_VOL2COL and a.dtype == b.dtype and _kernels_mod().c_ok(a, b)


_KERNELS = []


def _kernels_mod():
    # _kernels imports this module: looked up once both are loaded
    if not _KERNELS:
        from . import _kernels
        _KERNELS.append(_kernels)
    return _KERNELS[0]


def unfold_copy(x, k, d, pad, dil, out, cols=None):
    """THNN's im2col/vol2col: x (N, C, *S) -> columns (N, C*prod(k), prod(out)), zero in the
    padding, in ``cols`` when given."""
    N, C = x.shape[:2]
    shape = (N, C * int(math.prod(k)), int(math.prod(out)))
    if cols is None:
        cols = np.empty(shape, dtype=x.dtype)
    if len(k) <= 3 and _c_cols(x, cols):
        S3, k3, d3, p3, l3, o3 = _geo3(x.shape[2:], tuple(k), tuple(d), tuple(pad), tuple(dil),
                                       tuple(out))
        _nnk.vol2col(x, cols, N * C, S3, k3, d3, p3, l3, o3, x.dtype == np.float32)
        return cols.reshape(shape)
    win = unfold(x, k, d, pad, dil, out)
    np.copyto(cols.reshape(win.shape), win)
    return cols.reshape(shape)


def fold(cols, S, d, pad, dil, out_arr=None):
    """cols (N, C, *k, *out) summed back into (N, C, *S) (THNN's col2im), a new array or
    ``out_arr`` (overwritten). Each kernel offset adds the part of its window grid that falls
    inside the input (padding positions receive nothing), straight into the result."""
    N, C = cols.shape[:2]
    nd = len(S)
    k = cols.shape[2:2 + nd]
    out = cols.shape[2 + nd:]
    if nd <= 3 and _HAS_VOL2COL:
        res = np.empty((N, C) + tuple(S), dtype=cols.dtype) if out_arr is None else out_arr
        if not cols.flags.c_contiguous and cols.dtype in (np.float32, np.float64):
            cols = np.ascontiguousarray(cols)  # a product of strided views: one copy
        if _c_cols(cols, res):
            # THNN's col2vol loop: the same additions in the same order, without a numpy pass
            # per kernel offset
            S3, k3, d3, p3, l3, o3 = _geo3(tuple(S), k, tuple(d), tuple(pad), tuple(dil), out)
            _nnk.col2vol(res, cols, N * C, S3, k3, d3, p3, l3, o3,
                                  cols.dtype == np.float32)
            return res
    res = np.zeros((N, C) + tuple(S), dtype=cols.dtype) if out_arr is None else out_arr
    if out_arr is not None:
        res[...] = 0
    for off in itertools.product(*[range(n) for n in k]):
        sl = offset_slices(off, S, d, pad, dil, out)
        if sl is not None:
            src, dst = sl
            res[(slice(None), slice(None)) + dst] += \
                cols[(slice(None), slice(None)) + off + src]
    return res


def offset_slices(off, S, d, pad, dil, out):
    """For the kernel offset `off`: the output positions (src) whose window reads an input
    position at that offset, and those input positions (dst), as slices per dimension; None
    where no output's window reaches the input at that offset (fold's and
    VolumetricAveragePooling's scatter)."""
    src, dst = [], []
    for i in range(len(off)):
        first = off[i] * dil[i] - pad[i]            # input position of output index 0
        lo = max(0, -(first // d[i]))                 # first index landing at >= 0
        hi = min(out[i] - 1, (S[i] - 1 - first) // d[i])  # last landing at <= S - 1
        if hi < lo:
            return None
        src.append(slice(lo, hi + 1))
        start = first + lo * d[i]
        dst.append(slice(start, start + (hi - lo) * d[i] + 1, d[i]))
    return tuple(src), tuple(dst)


class _ColsMemo:
    """The last vol2col of one layer's forward, kept to redo only what changed: columns are
    copies of input elements, so after a call whose input differs from the last one in a few
    elements (nn.Jacobian's central differences change one element per forward) the kept
    columns get those elements at the places that read them, and are copied out: the same
    columns, for a memcpy instead of vol2col's gather. The columns are kept only once a call
    has found few changes. One per layer (cols_memo), so that layers of other shapes do not
    reset each other; its buffers are reused while the shapes stay. A call that finds many
    changes (a training loop: every input is new) makes the next 1, 2, 4 ... 64 calls skip the
    compare and the copy of the input; the next compare is against the input last kept, which
    for a Jacobian's perturbations of one point still finds few changes."""

    MAX_SKIP = 64

    def __init__(self):
        self.key = None
        self.x = None
        self.cols = None
        self.cbuf = None   # the buffer m.cols lives in, kept for the next time
        self.where = None  # per input position of one plane: the flat places in its columns
        self.skip = 0      # calls left that go straight to vol2col
        self.backoff = 0

    def taps(self, S, k, d, pad, dil, out):
        """(ptr, idx) in CSR form: input position p of a plane is read at the flat places
        idx[ptr[p]:ptr[p + 1]] of that plane's prod(k) rows of columns."""
        P = int(math.prod(S))
        ids = np.arange(1, P + 1, dtype=np.float64).reshape((1, 1) + tuple(S))
        c = unfold_copy(ids, k, d, pad, dil, out).reshape(-1).astype(np.int64)
        order = np.argsort(c, kind='stable')
        counts = np.bincount(c, minlength=P + 1)
        ptr = np.concatenate(([0], np.cumsum(counts[1:])))
        return ptr, order[counts[0]:]

    def keep_x(self, xi):
        if self.x is None or self.x.shape != xi.shape or self.x.dtype != xi.dtype:
            self.x = xi.copy()
        else:
            np.copyto(self.x, xi)

    def keep_cols(self, res):
        if self.cbuf is None or self.cbuf.shape != res.shape or self.cbuf.dtype != res.dtype:
            self.cbuf = np.empty_like(res)
        np.copyto(self.cbuf, res)
        self.cols = self.cbuf


_MEMOS = weakref.WeakKeyDictionary()


def cols_memo(owner):
    """owner's (a layer's) _ColsMemo, made at its first forward, gone with the layer."""
    m = _MEMOS.get(owner)
    if m is None:
        m = _MEMOS[owner] = _ColsMemo()
    return m


def unfold_copy_resumed(x, k, d, pad, dil, out, cols, m):
    """unfold_copy into ``cols`` (given, C-contiguous, x's dtype), through the memo m."""
    key = (x.shape, x.dtype.str, tuple(k), tuple(d), tuple(pad), tuple(dil), tuple(out))
    if (x.dtype not in (np.float32, np.float64) or not x.flags.c_contiguous
            or not cols.flags.c_contiguous or cols.dtype != x.dtype):
        m.key = None
        return unfold_copy(x, k, d, pad, dil, out, cols)
    if m.skip and m.key == key:
        m.skip -= 1
        return unfold_copy(x, k, d, pad, dil, out, cols)
    xi = x.reshape(-1).view(np.int64 if x.dtype.itemsize == 8 else np.int32)
    if m.key != key:
        m.key, m.cols, m.where, m.skip, m.backoff = key, None, None, 0, 0
        m.keep_x(xi)
        return unfold_copy(x, k, d, pad, dil, out, cols)
    changed = np.flatnonzero(xi != m.x)  # bits: -0 and NaN count
    if changed.size * 8 > xi.size or changed.size > 64:
        m.keep_x(xi)
        m.cols = None
        m.backoff = min(max(1, 2 * m.backoff), m.MAX_SKIP)
        m.skip = m.backoff
        return unfold_copy(x, k, d, pad, dil, out, cols)
    m.backoff = 0
    if m.cols is None:
        # few changes: keep this call's columns for the next ones
        m.keep_x(xi)
        res = unfold_copy(x, k, d, pad, dil, out, cols)
        m.keep_cols(res)
        return res
    if m.where is None:
        m.where = m.taps(x.shape[2:], k, d, pad, dil, out)
    ptr, idx = m.where
    P = int(math.prod(x.shape[2:]))
    plane = m.cols.shape[1] // x.shape[1] * m.cols.shape[2]  # one plane's share of columns
    flat = m.cols.reshape(-1)
    xf = x.reshape(-1)
    for e in changed.tolist():
        p = e % P
        flat[(e // P) * plane + idx[ptr[p]:ptr[p + 1]]] = xf[e]
    m.x[changed] = xi[changed]
    res = cols.reshape(m.cols.shape)
    np.copyto(res, m.cols)
    return res


def conv_forward(x, w2, k, d, pad, dil, out, bias=None, cols=None, y=None, memo=None):
    """x (N, C, *S), w2 (nOut, C*prod(k)) -> y (N, nOut, prod(out)), with the im2col columns
    (N, C*prod(k), prod(out)) written into ``cols`` and the result into ``y`` when given;
    memo: the layer's _ColsMemo (cols_memo(layer)), to redo only the columns that changed."""
    N = x.shape[0]
    if cols is not None and memo is not None:
        cols = unfold_copy_resumed(x, k, d, pad, dil, out, cols, memo)
    else:
        cols = unfold_copy(x, k, d, pad, dil, out, cols)
    shape = cols.shape
    if y is None:
        y = np.empty((N, w2.shape[0], shape[2]), dtype=x.dtype)
    frames_forward(w2, cols, y, bias)
    return y, cols


def _exact_gemm(*arrays):
    """obgemm serves these arrays (one float type, torch7py's exact order asked for)."""
    dt = arrays[0].dtype
    return obgemm.available() and dt.kind == 'f' and all(a.dtype == dt for a in arrays)


def _blocks(k, dt):
    """The number of K blocks of OpenBLAS's gemm driver for a product of k terms."""
    return len(obgemm.k_blocks(k, dt))


def frames_forward(w2, cols, y, bias):
    """THNN's per-frame output (SpatialConvolutionMM's updateOutput_frame): y[n] (nOut, L)
    filled with the bias (zeroed without one), then addmm(y[n], 1, y[n], 1, w2, cols[n]): the
    BLAS adds each K block's product in turn. numpy's batched matmul and a bias add after it
    give the same bits for one K block without a vector shape (numpy's gemv); the rest runs
    frame by frame through obgemm."""
    N, nOut, L = y.shape
    K = w2.shape[1]
    if (not _exact_gemm(w2, cols, y)
            or obgemm.numpy_serves() and nOut > 1 and L > 1 and _blocks(K, y.dtype) <= 1):
        with obgemm.one_thread(nOut * L * K):
            np.matmul(w2, cols, out=y)
        if bias is not None:
            y += bias[:, None]
        return y
    if bias is not None:
        y[...] = bias[:, None]
    else:
        y[...] = 0
    for n in range(N):
        obgemm.mm_into(y[n], w2, cols[n], 1, 1)
    return y


def frames_mm(a, b, out):
    """out[n] = a @ b[n] for each frame (THNN's addmm(out[n], 0, out[n], 1, a, b[n]), out[n]
    laid out as the array is): numpy's batched matmul where it gives the same bits (no
    vector shape, numpy's BLAS the kernel set in force), else obgemm frame by frame."""
    if obgemm.numpy_serves() and out.shape[1] > 1 and out.shape[2] > 1 \
            or not _exact_gemm(a, b, out):
        with obgemm.one_thread(out.shape[1] * out.shape[2] * a.shape[-1]):
            return np.matmul(a, b, out=out)
    for n in range(out.shape[0]):
        obgemm.mm_into(out[n], a, b[n])
    return out


def frames_gemm_t(a, b, out):
    """out[n] = a @ b[n] for each frame as THNN's direct THBlas_(gemm) calls of the full
    convolutions make it: the BLAS's column-major C is out[n] transposed (whatever out's
    shape); numpy's batched matmul where both of out[n]'s dimensions are 2 or more (and
    numpy's BLAS is the kernel set in force)."""
    if obgemm.numpy_serves() and out.shape[1] > 1 and out.shape[2] > 1 \
            or not _exact_gemm(a, b, out):
        with obgemm.one_thread(out.shape[1] * out.shape[2] * a.shape[-1]):
            return np.matmul(a, b, out=out)
    for n in range(out.shape[0]):
        obgemm.gemm(out[n].T, b[n].T, a.T, 1.0, 0.0)
    return out


def acc_outer(g, a, b, scale=1, direct=False):
    """g += scale * sum_n a[n] @ b[n].T in place, sample after sample (THNN's per-frame
    addmm(gradWeight, 1, gradWeight, scale, gradOutput, finput^T)): the N products in one
    batched numpy matmul into a reused scratch buffer, then added into g in sample order.
    direct: the full convolutions' THBlas_(gemm) call, whose column-major C is g transposed
    (addmm's orientation follows g's strides)."""
    N = a.shape[0]
    if N == 0:
        return
    if _exact_gemm(g, a, b) and (not obgemm.numpy_serves() or g.shape[0] < 2 or g.shape[1] < 2
                                 or _blocks(a.shape[2], g.dtype) > 1
                                 or scale != 1 and g.dtype == np.float32):
        # where the products below differ from the BLAS call's (numpy's gemv for a vector
        # shape; the products of several K blocks each added in; the float kernel's fused
        # alpha): THNN's addmm per sample through obgemm
        for n in range(N):
            if direct:
                obgemm.gemm(g.T, b[n], a[n].T, scale, 1)
            else:
                obgemm.mm_into(g, a[n], b[n].T, scale, 1)
        return
    if g.dtype != a.dtype or g.dtype != b.dtype or g.dtype.kind != 'f':
        for n in range(N):
            g += (a[n] @ b[n].T) * scale if scale != 1 else a[n] @ b[n].T
        return
    prods = scratch((N,) + g.shape, g.dtype)
    with obgemm.one_thread(g.shape[0] * g.shape[1] * a.shape[2]):
        np.matmul(a, b.transpose(0, 2, 1), out=prods)
    if scale != 1:
        prods *= g.dtype.type(scale)
    for n in range(N):
        np.add(g, prods[n], out=g)


_SCRATCH = {}


def scratch(shape, dtype, slot=0):
    """A reused buffer of the given shape (its contents are garbage): one per dtype and slot
    (callers that need two at once use two slots), grown to the largest size asked, so that a
    training step allocates no new arrays after the first."""
    dtype = np.dtype(dtype)
    n = 1
    for s in shape:
        n *= s
    key = (dtype, slot)
    buf = _SCRATCH.get(key)
    if buf is None or buf.size < n:
        buf = _SCRATCH[key] = np.empty(max(n, 1), dtype)
    return buf[:n].reshape(shape)




def conv_backward_input(go, w2, S, k, d, pad, dil, gcols=None, out_arr=None):
    """go (N, nOut, prod(out)) -> gradient (N, C, *S), through the columns ``gcols``."""
    N = go.shape[0]
    nd = len(S)
    C = w2.shape[1] // int(math.prod(k))
    if gcols is None:
        gcols = np.empty((N, w2.shape[1], go.shape[2]), dtype=go.dtype)
    frames_mm(w2.T, go, gcols)
    out_shape = tuple(out_size(S[i], k[i], d[i], pad[i], dil[i]) for i in range(nd))
    return fold(gcols.reshape((N, C) + tuple(k) + out_shape), S, d, pad, dil, out_arr)


def init_bound(stdv, fan_in):
    """The bound of nn's uniform initialisations: reset(stdv) draws in +-stdv*sqrt(3) (the
    standard deviation stdv), the default reset() in +-1/sqrt(fan_in)."""
    if stdv is not None and stdv is not False:  # Lua's `if stdv then`
        if isinstance(stdv, bool) or not isinstance(stdv, (int, float, Tensor)):
            # stdv * math.sqrt(3): Lua's arithmetic (a numeric string converts; a tensor's
            # __mul makes a tensor, which the caller's uniform(-stdv, stdv) then refuses)
            n = messages.lua_tonumber(stdv)
            if n is None:
                raise TorchError(messages.msg("arith_on", "local 'stdv'",
                                              messages.lua_type(stdv)))
            stdv = n
        return stdv * math.sqrt(3)
    if isinstance(fan_in, bool) or not isinstance(fan_in, (int, float)):
        # math.sqrt(x): luaL_checknumber
        n = messages.lua_tonumber(fan_in)
        if n is None:
            raise TorchError(messages.bad_argument(1, messages.msg(
                "number_expected", messages.lua_type(fan_in)), "sqrt"))
        fan_in = n
    # Lua's 1/math.sqrt(0) is inf (a module with no weights, e.g. nn.CMul(nil))
    return 1.0 / math.sqrt(fan_in) if fan_in else math.inf


def uniform_reset(m, fan_in, stdv=None, bias_line=None):
    """weight, and the bias when there is one, uniform in +-init_bound(stdv, fan_in). A module
    whose Lua reset draws `self.bias:uniform(...)` unguarded (noBias() then reset()) names
    that line (bias_line, 'nn/X.lua:N'): Lua fails there, after drawing the weight."""
    stdv = init_bound(stdv, fan_in)
    m.weight.uniform(-stdv, stdv)
    if m.__dict__.get('bias') is not None:
        m.bias.uniform(-stdv, stdv)
    elif bias_line is not None:
        raise messages.at_lua(TorchError(messages.msg('index_field', 'bias', 'nil')), bias_line)
    return m
