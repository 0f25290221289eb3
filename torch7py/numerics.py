"""Torch7's rounding and order of operations in numpy: fused multiply-add, sequential sums.

The original computes `x:add(value, y)` with one rounding (OpenBLAS axpy and TH's AVX2 cadd
are FMA kernels on the reference CPU) and sums with a plain C loop (`accreal sum = 0; for ...
sum += x[i]`) where numpy sums pairwise. These kernels reproduce the original's bits.
"""
import math
import struct

import numpy as np

try:  # the same loops in C (setup.py builds it; without a compiler the numpy code below runs)
    from . import _exact as _c
except ImportError:
    _c = None
try:  # BLAS levels 1 and 2 in OpenBLAS 0.3.21's order (axpy, dot, gemv, ger)
    from . import _obl12 as _b
except ImportError:
    _b = None

# Which kernel set of OpenBLAS 0.3.21 (Debian's DYNAMIC_ARCH build) gemm, axpy, dot, gemv and
# ger follow: "fused" its SkylakeX set (AVX-512 micro-kernels: ddot/sdot's zmm accumulators,
# dgemv_n's contracted sums, sgemv_n's column chains for n <= 48, sgemv_t's kernels for packed
# matrices of up to 8 rows; C loops compiled with -march=skylake-avx512, so GCC fused their
# multiply-adds), the build the legacy scripts' goldens of ../shared/parity were recorded with
# (the default); "plain" its Haswell set, which the parity cases' goldens follow (th-parity runs
# the cases so). The two differ in the last bits (optim's cg in the 10th digit after its line
# search). gemm follows the same set (torch7py.obgemm; README, "BLAS: OpenBLAS 0.3.21's bits").
BLAS_LOOPS_ENV = "TORCH7PY_BLAS_LOOPS"
_BLAS_LOOPS = ("fused", "plain")
blas_fused = True
_BLAS_HOOKS = []  # f(fused) for each C module with its own copy of these orders (_nnk, _obgemm)


def on_blas_loops(f):
    """Calls f(blas_fused) now and whenever blas_loops sets the build."""
    _BLAS_HOOKS.append(f)
    f(blas_fused)


def blas_loops(mode=None):
    """The BLAS build reproduced: "fused" or "plain" (see above); sets it when mode is given.
    Returns the mode in force before the call."""
    global blas_fused
    old = "fused" if blas_fused else "plain"
    if mode is not None:
        if mode not in _BLAS_LOOPS:
            raise ValueError("%s: 'fused' or 'plain', not %r" % (BLAS_LOOPS_ENV, mode))
        blas_fused = mode == "fused"
        if _b is not None:
            _b.contract(blas_fused)
        for f in _BLAS_HOOKS:
            f(blas_fused)
    return old


def blas_core():
    """The OpenBLAS kernel set reproduced: 'SkylakeX' for blas_loops "fused", 'Haswell' for
    "plain"."""
    return "SkylakeX" if blas_fused else "Haswell"


def _blas_loops_from_env():
    import os
    mode = os.environ.get(BLAS_LOOPS_ENV)
    blas_loops(mode if mode else "fused")


# False trades Torch7's bits for numpy's speed: pairwise sums, a*b + c with two roundings and
# numpy's BLAS everywhere (several times faster on large tensors; see bench_numerics.py)
exact = True

_SPLIT = 134217729.0  # 2**27 + 1: Dekker's splitter for binary64
_BIG = 2.0 ** 995     # beyond this the split overflows: such elements take the plain formula
_I64 = np.dtype(np.int64)
_CHUNK = 1 << 15      # elements per pass: keeps the temporaries of the EFTs in cache


def _split(a):
    t = a * _SPLIT
    hi = t - (t - a)
    return hi, a - hi


def _round_to_odd(v, err):
    """v = RN(x) and err = x - v (exact): x rounded to odd, i.e. toward zero with the last bit
    forced to 1 when inexact. Integer steps on the bit patterns (np.nextafter is 50x slower)."""
    v = np.array(v, np.float64, ndmin=1)
    err = np.broadcast_to(err, v.shape)
    bits = v.view(_I64)
    inexact = err != 0
    # |v| > |x| when err and v differ in sign: step the magnitude down to truncate
    bits -= inexact & ((err > 0) != (v > 0))
    bits |= inexact
    return v


def _fma32(a, b, c):
    """Correctly rounded a*b + c in float32: the product is exact in float64; the sum is made
    round-to-odd in float64 (53 >= 2*24 + 2 bits) before the final rounding to float32."""
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    c = np.asarray(c, np.float64)
    with np.errstate(all="ignore"):
        p = a * b
        s = p + c
        z = s - p
        err = (p - (s - z)) + (c - z)
        fin = np.isfinite(s)
        if not fin.all():
            err = np.where(fin, err, 0.0)
        return _round_to_odd(s, err).reshape(s.shape).astype(np.float32)


_pack_d, _unpack_q = struct.Struct("<d").pack, struct.Struct("<q").unpack
_pack_q, _unpack_d = struct.Struct("<q").pack, struct.Struct("<d").unpack
_SMALL = 32           # up to this many elements Python floats beat ~40 numpy calls


def _ro_scalar(v, err):
    """Python float v = RN(x), err = x - v: x rounded to odd (see _round_to_odd)."""
    if not err:
        return v
    bits = _unpack_q(_pack_d(v))[0]
    if (err > 0) != (v > 0):
        bits -= 1
    return _unpack_d(_pack_q(bits | 1))[0]


def fma_scalar(a, b, c):
    """a*b + c rounded once, for Python floats (binary64); the algorithm of _fma64."""
    p = a * b
    t = a * _SPLIT
    ah = t - (t - a)
    al = a - ah
    t = b * _SPLIT
    bh = t - (t - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    h = c + p
    z = h - c
    lo = (c - (h - z)) + (p - z)
    v = lo + e
    z = v - lo
    r = h + _ro_scalar(v, (lo - (v - z)) + (e - z))
    if (math.isfinite(r) and abs(p) >= 2.0 ** -968 and abs(a) <= _BIG and abs(b) <= _BIG):
        return r
    if math.isfinite(a) and math.isfinite(b):
        if math.isinf(c):  # a finite product added to an infinity: the infinity
            return c
        if math.isinf(p) and math.isfinite(c):
            # the product overflowed but the sum may not: scale a and b (exactly, by powers of
            # two) into the split's range, c by both, and the rounded result back
            s1 = max(0, math.frexp(a)[1] - 500)
            s2 = max(0, math.frexp(b)[1] - 500)
            r = fma_scalar(a * 2.0 ** -s1, b * 2.0 ** -s2, c * 2.0 ** -s1 * 2.0 ** -s2)
            return r * 2.0 ** s1 * 2.0 ** s2
    return c + p


def fma32_scalar(a, b, c):
    """a*b + c rounded once to binary32 (a, b, c binary32 values given as Python floats)."""
    p = a * b
    s = p + c
    z = s - p
    if math.isfinite(s):
        s = _ro_scalar(s, (p - (s - z)) + (c - z))
    return np.float32(s)


def _floats(x, n, shape):
    """x's elements (row-major) as n Python floats."""
    if isinstance(x, np.ndarray):
        if x.size == n:
            return x.ravel().tolist()
        return np.broadcast_to(x, shape).ravel().tolist()
    return [float(x)] * n


def fma(a, b, c, out=None):
    """out = a*b + c rounded once, elementwise, in out's (or the arguments') float type.

    a, b, c: arrays or numbers that broadcast together; float32 or float64 decides the
    precision (the type of `out` when given). Other types: the plain formula."""
    dt = out.dtype if out is not None else np.result_type(a, b, c)
    if dt != np.float32 and dt != np.float64 or not exact:
        r = a * b + c
    elif _c is not None:
        return _fma_c(a, b, c, out, dt)
    else:
        shape = out.shape if out is not None else np.broadcast_shapes(
            np.shape(a), np.shape(b), np.shape(c))
        n = math.prod(shape)
        if n <= _SMALL:
            f = fma_scalar if dt == np.float64 else fma32_scalar
            r = np.array(list(map(f, _floats(a, n, shape), _floats(b, n, shape),
                                  _floats(c, n, shape))), dt)
            if shape != r.shape:
                r = r.reshape(shape)
        else:
            return _fma_chunked(np.asarray(a, dt), np.asarray(b, dt), np.asarray(c, dt),
                                out, dt)
    if out is None:
        return r
    out[...] = r
    return out


def fma_contiguous(a, v, c, out):
    """out = a*v + c rounded once (the axpy of add(value, y)): a, c and out C-contiguous
    arrays of out's shape and float type (the caller checked), v a number. One C call."""
    if exact and _c is not None:
        _c.fma(a, float(v), c, out, out.dtype == _F32)
        return out
    return fma(a, out.dtype.type(v), c, out=out)


def _flat(x, shape, dt):
    """x broadcast to shape as a C-contiguous 1-D array of dt (a view when it already is)."""
    x = np.asarray(x, dt)
    if x.shape != shape:
        x = np.broadcast_to(x, shape)
    return np.ascontiguousarray(x).reshape(-1)


def _plain(x, shape, dt):
    """x is an ndarray of dt and shape in C order: the C loop can take it as it is."""
    return (type(x) is np.ndarray and x.dtype == dt and x.shape == shape
            and x.flags.c_contiguous)


def _fma_c(a, b, c, out, dt):
    """fma through the C extension: one hardware (or libm) fma per element."""
    if out is not None and _plain(c, out.shape, dt) and out.flags.writeable:
        # the hot path (axpy, add(value, y)): arrays of one shape, b a number
        shape = out.shape
        scalar = isinstance(b, (float, int, np.generic)) or (
            isinstance(b, np.ndarray) and b.ndim == 0)
        if _plain(a, shape, dt) and out.flags.c_contiguous and (scalar or _plain(b, shape, dt)):
            if scalar:
                b = float(dt.type(b))
            _c.fma(a, b, c, out, dt == _F32)
            return out
    shape = out.shape if out is not None else np.broadcast_shapes(
        np.shape(a), np.shape(b), np.shape(c))
    if out is not None and np.broadcast_shapes(np.shape(a), np.shape(b), np.shape(c),
                                                shape) != shape:
        raise ValueError(f"fma: operands of shapes {np.shape(a)}, {np.shape(b)}, "
                         f"{np.shape(c)} do not broadcast to out's {shape}")
    bs = np.ndim(b) == 0
    bb = float(dt.type(b)) if bs else _flat(b, shape, dt)
    af, cf = _flat(a, shape, dt), _flat(c, shape, dt)
    direct = out is not None and out.flags.c_contiguous and out.flags.writeable
    r = out.reshape(-1) if direct else np.empty(cf.size, dt)
    _c.fma(af, bb, cf, r, dt == np.float32)
    if out is None:
        return r.reshape(shape)
    if not direct:
        out[...] = r.reshape(shape)
    return out


_WORK = {}


def _work(n):
    """Scratch arrays for _fma64_into: 9 doubles and 3 booleans of n elements, kept per n."""
    w = _WORK.get(n)
    if w is None:
        if len(_WORK) > 8:
            _WORK.clear()
        w = _WORK[n] = ([np.empty(n) for _ in range(9)], [np.empty(n, bool) for _ in range(3)])
    return w


def _split_into(x, hi, lo, t1, t2):
    """hi + lo = x, each half of 26 bits (Dekker's split, as _split), into the given arrays."""
    np.multiply(x, _SPLIT, out=t1)
    np.subtract(t1, x, out=t2)
    np.subtract(t1, t2, out=hi)
    np.subtract(x, hi, out=lo)


def _two_sum_into(a, b, s, err, t1, t2):
    """s + err = a + b exactly (Knuth's TwoSum), into the given arrays; err may not be b."""
    np.add(a, b, out=s)
    np.subtract(s, a, out=t1)
    np.subtract(s, t1, out=t2)
    np.subtract(a, t2, out=err)
    np.subtract(b, t1, out=t2)
    np.add(err, t2, out=err)


def _fma64_into(a, b, c, r):
    """Correctly rounded a*b + c for 1-D float64 arrays (b may be a 0-d scalar), into r.

    Error-free transformations (Dekker's TwoProduct, Knuth's TwoSum) give a*b + c exactly as
    h + lo + e; the small part lo + e is rounded to odd and then added to h in round-to-nearest,
    which rounds the exact sum correctly (Boldo and Melquiond, "Emulation of FMA and correctly
    rounded sums: proved algorithms using rounding to odd", IEEE TC 2008). Non-finite values
    and products out of the split's range (|x| > 2**995) or near underflow fall back to
    RN(RN(a*b) + c); those are far from any value the parity scripts meet. Temporaries are
    preallocated: about 45 passes over the data, ~18x a plain a*b + c."""
    n = r.shape[0]
    (p, t1, t2, ah, al, bh, bl, e, h), (m1, m2, m3) = _work(n)
    mul, sub, add = np.multiply, np.subtract, np.add
    mul(a, b, out=p)
    _split_into(a, ah, al, t1, t2)
    if np.ndim(b) == 0:
        bh_, bl_ = _split(float(b))
    else:
        _split_into(b, bh, bl, t1, t2)
        bh_, bl_ = bh, bl
    # e = ((ah*bh - p) + ah*bl + al*bh) + al*bl: the product's rounding error, exactly
    mul(ah, bh_, out=e)
    sub(e, p, out=e)
    mul(ah, bl_, out=t1)
    add(e, t1, out=e)
    mul(al, bh_, out=t1)
    add(e, t1, out=e)
    mul(al, bl_, out=t1)
    add(e, t1, out=e)
    # h + lo = c + p exactly
    lo = bh
    _two_sum_into(c, p, h, lo, t1, t2)
    # v + verr = lo + e exactly, then v rounded to odd
    v, verr = ah, al
    _two_sum_into(lo, e, v, verr, t1, t2)
    bits = v.view(_I64)
    np.not_equal(verr, 0, out=m1)
    np.greater(verr, 0, out=m2)
    np.greater(v, 0, out=m3)
    np.not_equal(m2, m3, out=m2)
    np.logical_and(m2, m1, out=m2)
    np.subtract(bits, m2, out=bits, casting="unsafe")
    np.bitwise_or(bits, m1, out=bits, casting="unsafe")
    add(h, v, out=h)
    # the EFTs' range: finite values, |a|, |b| <= 2**995, a product far from underflow
    np.isfinite(h, out=m1)
    np.abs(p, out=t1)
    np.less(t1, 2.0 ** -968, out=m2)
    if not (m1.all() and not m2.any() and np.abs(a).max() <= _BIG
            and np.abs(b).max() <= _BIG):
        np.not_equal(p, 0, out=m3)
        np.logical_and(m2, m3, out=m2)  # an exact zero product is handled exactly
        bad = ~m1 | m2 | (np.abs(a) > _BIG) | (np.abs(b) > _BIG)
        if bad.any():
            h[bad] = (c + p)[bad]
            # a finite product that overflowed, with c infinite or cancelling it: per element
            over = bad & np.isinf(p) & np.isfinite(a) & np.isfinite(b)
            if over.any():
                idx = np.flatnonzero(over.ravel())
                af, bf, cf = (np.broadcast_to(x, h.shape).ravel() for x in (a, b, c))
                h.ravel()[idx] = [fma_scalar(float(af[i]), float(bf[i]), float(cf[i]))
                                  for i in idx]
    r[...] = h  # last: r may be c itself (an in-place axpy)
    return r


def _fma_chunked(a, b, c, out, dt):
    """fma over chunks of _CHUNK elements (the temporaries stay in cache and small), into out
    (written chunk by chunk: out may be c) or a new array."""
    shape = np.broadcast_shapes(a.shape, b.shape, c.shape)
    n = math.prod(shape)
    a = np.broadcast_to(a, shape).reshape(-1)
    c = np.broadcast_to(c, shape).reshape(-1)
    b = b if b.ndim == 0 else np.broadcast_to(b, shape).reshape(-1)
    direct = out is not None and out.shape == shape and out.flags.c_contiguous
    r = out.reshape(-1) if direct else np.empty(n, dt)
    with np.errstate(all="ignore"):
        for i in range(0, n, _CHUNK):
            j = min(i + _CHUNK, n)
            bi = b if b.ndim == 0 else b[i:j]
            if dt == np.float64:
                _fma64_into(a[i:j], bi, c[i:j], r[i:j])
            else:
                r[i:j] = _fma32(a[i:j], bi, c[i:j])
    if out is None:
        return r.reshape(shape)
    if not direct:
        out[...] = r.reshape(shape)
    return out


_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)


def _c_types(a, dt):
    """The C reductions take float32 or float64 elements into a float32 or float64
    accumulator (float64 elements into float32 are converted first, as numpy's path does)."""
    return (dt == _F32 or dt == _F64) and (a.dtype == _F32 or a.dtype == _F64)


def _reduce_c(a, axis, dt, prod):
    """a (non-empty along axis) summed or multiplied along axis in the C extension, one
    element after the other, accumulating in dt (keepdims)."""
    axis = axis % a.ndim
    if a.dtype == _F64 and dt == _F32:
        with np.errstate(over="ignore"):  # a double beyond float's range is inf, as C's cast
            a = a.astype(_F32)
    a = np.ascontiguousarray(a)
    shape = a.shape
    n = shape[axis]
    out_shape = shape[:axis] + (1,) + shape[axis + 1:]
    out = np.empty(out_shape, dt)
    _c.reduce(a.reshape(-1), out.reshape(-1), math.prod(shape[:axis]), n,
              math.prod(shape[axis + 1:]), a.dtype == _F32, dt == _F32, prod)
    return out


def sumall(a, op=0):
    """TH's sumall and normall (p = 1, 2) of a float32/float64 array, a Python float: its
    elements (op 0), their squares in double (1) or their magnitudes (2) added one after the
    other in row-major order from 0, in double. One C call for any strides (no copies)."""
    if exact and _c is not None and type(a) is np.ndarray:
        r = _c.sumall(a, op)
        if r is not None:
            return r
    if op == 0:
        return float(seqsum(a, _F64))
    with np.errstate(all="ignore"):
        if op == 1:
            z = np.asarray(a, _F64)
            return float(seqsum(z * z, _F64))
        return float(seqsum(np.abs(a), _F64))


def seqsum(a, dtype=None):
    """sum of a's elements in row-major order, one after the other (`acc = 0; acc += x`), in
    dtype (the accumulator: double for float tensors, Torch7's accreal)."""
    if not exact:
        return np.sum(a, dtype=dtype or np.asarray(a).dtype)
    if (_c is not None and type(a) is np.ndarray and (dtype is np.float64 or dtype is _F64
                                                      or dtype is None and a.dtype == _F64)):
        r = _c.sumall(a, 0)  # float32/float64 of any strides: one call, no copy
        if r is not None:
            return _F64.type(r)
    a = np.asarray(a)
    dt = np.dtype(dtype or a.dtype)
    flat = a.reshape(-1)
    if flat.size == 0:
        return dt.type(0)
    if _c is not None and _c_types(flat, dt):
        if flat.dtype == _F64 and dt == _F32 or not flat.flags.c_contiguous:
            return _reduce_c(flat, 0, dt, False)[0]
        out = np.empty(1, dt)  # the whole-tensor sum (t:sum()): one call, no reshaping
        _c.reduce(flat, out, 1, flat.size, 1, flat.dtype == _F32, dt == _F32, False)
        return out[0]
    if flat.dtype != dt:
        flat = flat.astype(dt)
    # add.accumulate is a sequential loop; + 0 makes a sum of -0.0 +0.0 as `0 + x` does
    return np.add.accumulate(flat)[-1] + dt.type(0)


def seqsum_axis(a, axis, dtype=None):
    """a summed along axis one element after the other (keepdims), in dtype."""
    if not exact:
        return np.sum(a, axis=axis, keepdims=True, dtype=dtype or np.asarray(a).dtype)
    a = np.asarray(a)
    dt = np.dtype(dtype or a.dtype)
    if a.shape[axis] == 0:
        shape = list(a.shape)
        shape[axis] = 1
        return np.zeros(shape, dt)
    if _c is not None and _c_types(a, dt):
        return _reduce_c(a, axis, dt, False)
    acc = np.add.accumulate(a, axis=axis, dtype=dt)
    last = np.take(acc, [a.shape[axis] - 1], axis=axis)
    last += dt.type(0)
    return last


def seqprod_axis(a, axis, dtype=None):
    """a multiplied along axis one element after the other (keepdims), in dtype."""
    a = np.asarray(a)
    dt = np.dtype(dtype or a.dtype)
    if not exact:
        return np.prod(a, axis=axis, keepdims=True, dtype=dt)
    if a.shape[axis] == 0:
        shape = list(a.shape)
        shape[axis] = 1
        return np.ones(shape, dt)
    if _c is not None and _c_types(a, dt):
        return _reduce_c(a, axis, dt, True)
    acc = np.multiply.accumulate(a, axis=axis, dtype=dt)
    return np.take(acc, [a.shape[axis] - 1], axis=axis)


__all__ = ["fma", "fma_contiguous", "axpy", "vector_cadd", "blas_axpy", "blas_dot", "blas_gemv",
           "blas_ger", "exact_scale", "fma_scalar", "fma32_scalar", "seqsum", "sumall", "seqsum_axis",
           "seqprod_axis", "seqprod", "dot", "gemv_n", "gemv_t_tail"]


def exact_scale(v):
    """v*y is exact for every y (v is 0 or a power of two): fused and plain forms agree."""
    m = math.frexp(v)[0]
    return m == 0.5 or m == -0.5 or m == 0


def blas_axpy(value, s, d):
    """d += value * s as THBlas_(axpy) (OpenBLAS's daxpy/saxpy) computes it, d and s float32 or
    float64 arrays of one type and size, each 1-D or C-contiguous (flat): the micro-kernel's
    fused multiply-adds for the first n & -16 (double) or n & -32 (float) elements of two unit
    strides, `y[i] += a*x[i]` (product rounded first) for the rest and for any other strides;
    nothing at all when value is 0. False (nothing done) without the C extension or for other
    arrays."""
    if _b is None or not exact:
        return False
    try:
        _b.axpy(float(value), s, d)
    except (ValueError, TypeError, BufferError):
        return False
    return True


def blas_dot(n, x, incx, y, incy):
    """THBlas_(dot)(n, x, incx, y, incy) as OpenBLAS's ddot/sdot computes it (x and y float
    arrays whose first elements start the vectors; the result rounded to x's type), a Python
    float; None without the C extension or for other arrays."""
    if _b is None or not exact:
        return None
    try:
        return _b.dot(n, x, incx, y, incy)
    except (ValueError, TypeError, BufferError):
        return None


def blas_gemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy):
    """dgemv_/sgemv_ as OpenBLAS 0.3.21's kernels (the build blas_loops sets) compute it (a
    column-major m x n matrix starting at a's first element; y = beta*y + alpha*op(a) x, y
    scaled by beta first unless beta is 1, zeros for beta 0). True when done; False without
    the C extension or for arguments it does not take (nothing written)."""
    if _b is None or not exact:
        return False
    try:
        _b.gemv(trans, m, n, float(alpha), a, lda, x, incx, float(beta), y, incy)
    except (ValueError, TypeError, BufferError):
        return False
    return True


def blas_ger(m, n, alpha, x, incx, y, incy, a, lda):
    """dger_/sger_ as OpenBLAS computes it: for each column j of the column-major a, the axpy
    kernel with alpha*y[j] on x. True when done, False as blas_gemv."""
    if _b is None or not exact:
        return False
    try:
        _b.ger(m, n, float(alpha), x, incx, y, incy, a, lda)
    except (ValueError, TypeError, BufferError):
        return False
    return True


def axpy(d, value, s):
    """d += value * s in place (numpy arrays of one shape), as TH's cadd (r_ == t) computes it:
    THBlas_(axpy) over the whole tensor (OpenBLAS's order, blas_axpy) when both are contiguous
    floats, else the product first (TH_TENSOR_APPLY3's `*t + value * *src`)."""
    if (d.dtype.kind == "f" and d.dtype == s.dtype and d.flags.c_contiguous
            and s.flags.c_contiguous and d.flags.writeable and blas_axpy(value, s, d)):
        return d
    return vector_cadd(d, value, s)


def axpy_rows(y, idx, x, alpha, unit):
    """y[idx[i]] += alpha_i * x[i] for each i in order, each row one THBlas_(axpy) call as
    OpenBLAS rounds it in blas_loops' build: with unit strides (`unit`) its micro-kernel fuses
    the multiply-add for the first n & -16 doubles (n & -32 floats) and its C loop does the
    rest; with other strides the C loop does all. That loop is fused in the SkylakeX build,
    not in the Haswell one. y: a 2-D float array (rows of n, any strides: a view such as a
    matrix's transpose for its columns), idx: row numbers, x: (len(idx), n), alpha: a number
    or an array that broadcasts against x (len(idx), 1). Repeated rows add in idx's order:
    the rows go in rounds of distinct indices (each one's first occurrence, then its second,
    ...)."""
    n = y.shape[1]
    if blas_fused:
        fused = n
    else:
        fused = n & (-16 if y.dtype == np.float64 else -32) if unit else 0
    scalar = np.ndim(alpha) == 0
    # OpenBLAS's axpy returns at once for alpha == 0: such a row adds nothing, not 0 * x
    # (a NaN or inf in x leaves y as it was)
    if scalar:
        if alpha == 0:
            return
    else:
        live = np.asarray(alpha).reshape(len(idx), -1)[:, 0] != 0
        if not live.all():
            idx, x, alpha = idx[live], x[live], alpha[live]
            if not idx.size:
                return
    if not exact or fused == 0 or scalar and (alpha == 1 or exact_scale(float(alpha))):
        # every product exact, or none fused: the product rounded, then the sum
        np.add.at(y, idx, x * alpha)
        return
    order = np.argsort(idx, kind='stable')
    si = idx[order]
    starts = np.flatnonzero(np.r_[True, si[1:] != si[:-1]])
    rank = np.arange(si.size) - np.repeat(starts, np.diff(np.r_[starts, si.size]))
    occ = np.empty_like(rank)
    occ[order] = rank
    for r in range(int(occ.max()) + 1 if occ.size else 0):
        sel = np.flatnonzero(occ == r)
        k = idx[sel]
        xs = x[sel]
        a = alpha if scalar else alpha[sel]
        v = y[k]
        v[:, :fused] = fma(xs[:, :fused], np.broadcast_to(a, xs[:, :fused].shape), v[:, :fused])
        if fused < n:
            v[:, fused:] += xs[:, fused:] * a
        y[k] = v


def vector_cadd(d, value, s):
    """d += value * s in place as THVector_(cadd) (TH's AVX2 kernel, fused multiply-adds, its
    tail contracted too) computes it for contiguous floats: one rounding; else the product
    first (TH_TENSOR_APPLY3's `*t + value * *src`). THNN's loops that call THVector_(cadd)
    (IndexLinear's) take this one."""
    if value == 1:
        np.add(d, s, out=d)
    elif value == -1:
        np.subtract(d, s, out=d)
    elif (d.dtype.kind != "f" or exact_scale(value) or not d.flags.c_contiguous
          or not s.flags.c_contiguous):
        np.add(d, s * d.dtype.type(value) if d.dtype.kind == "f" else s * value, out=d)
    else:
        fma(s, d.dtype.type(value), d, out=d)
    return d


def gemv_t_tail(a, x, y, alpha=1.0):
    """y += alpha * a @ x for a dot length m <= 3, as OpenBLAS's gemv_t (row-major `a`, the
    case of Linear's 1D forward) computes it: those rows are its scalar tail,
    `y[j] += a[j,0]*x0 + a[j,1]*x1 + a[j,2]*x2` with x pre-scaled by alpha, which GCC contracts
    to fma(a2, x2, fma(a0, x0, a1*x1)) (for m = 1 the product fuses into y itself); Haswell's
    sgemv_t does not contract it (each product rounded, added in order); SkylakeX's sgemv_t
    (blas_loops "fused") takes a packed float matrix of up to 8 rows and 16384 columns to its
    AVX-512 kernels, whose order depends on the block output j falls in (_gemv_t_skx).
    a: (n, m) array, x: (m,), y: (n,) written in place. With the C kernels (torch7py._obl12) a
    row-major `a` of any m goes to blas_gemv ('t'); the Python steps below, without them,
    reproduce m <= 3 only. Returns False (nothing done) when neither applies."""
    if not exact:
        return False
    if _blas_gemv_into("t", a, x, y, alpha):
        return True
    m = a.shape[1]
    if m == 0 or m > 3 or y.dtype.kind != "f":
        return False
    dt = y.dtype.type
    xs = [dt(v) for v in (x * dt(alpha) if alpha != 1 else x)]
    if y.dtype == _F32 and blas_fused and a.shape[0] <= 16384:
        _gemv_t_skx(a, [dt(v) for v in x], xs, dt(alpha), y)
        return True
    if y.dtype == _F32 and not blas_fused:
        t = a[:, 0] * xs[0]
        for i in range(1, m):
            t = t + a[:, i] * xs[i]
        np.add(y, t, out=y)
        return True
    if m == 1:
        fma(a[:, 0], xs[0], y, out=y)
        return True
    t = fma(a[:, 0], xs[0], a[:, 1] * xs[1])
    if m == 3:
        t = fma(a[:, 2], xs[2], t)
    np.add(y, t, out=y)
    return True


def _gemv_t_skx(a, x, xa, alpha, y):
    """SkylakeX's sgemv_t kernels (sgemv_t_microk_skylakex_template.c) for m = a.shape[1] <= 3
    rows, alpha * a @ x added to y in place (xa: x * alpha): m = 1 fma(a0, xa0, y); m = 2
    fma(a1, xa1, a0*xa0) + y for the outputs below n & -16, then (a0*x0)*alpha +
    (a1*x1)*alpha + y; m = 3 fma(a2, xa2, fma(a1, xa1, a0*xa0)) + y below n & -8, then with
    fma(a0, xa0, a1*xa1) inside below n & -4, then pairs fma(alpha, (p0 + p1) + (p2 + 0), y)
    (p = a*x), a last one fma(alpha, fma(a2, x2, fma(a0, x0, a1*x1)), y)."""
    n, m = a.shape
    if m == 1:
        fma(a[:, 0], xa[0], y, out=y)
        return
    if m == 2:
        k = n & -16
        t = fma(a[:k, 1], xa[1], a[:k, 0] * xa[0])
        y[:k] = t + y[:k]
        u = (a[k:, 0] * x[0]) * alpha
        v = (a[k:, 1] * x[1]) * alpha
        y[k:] = (u + v) + y[k:]
        return
    k8, k4, k2 = n & -8, n & -4, n & -2
    r = slice(0, k8)
    y[r] = fma(a[r, 2], xa[2], fma(a[r, 1], xa[1], a[r, 0] * xa[0])) + y[r]
    r = slice(k8, k4)
    y[r] = fma(a[r, 2], xa[2], fma(a[r, 0], xa[0], a[r, 1] * xa[1])) + y[r]
    r = slice(k4, k2)
    p = [a[r, i] * x[i] for i in range(3)]
    yr = y[r]
    fma((p[0] + p[1]) + (p[2] + y.dtype.type(0)), alpha, yr, out=yr)
    r = slice(k2, n)
    t = fma(a[r, 2], x[2], fma(a[r, 0], x[0], a[r, 1] * x[1]))
    yr = y[r]
    fma(t, alpha, yr, out=yr)


def _inc(v):
    """the element stride of a 1-D float array (None when it is not a positive whole one)"""
    if v.ndim != 1:
        return None
    if v.shape[0] <= 1:
        return 1
    st, it = v.strides[0], v.itemsize
    return st // it if st > 0 and st % it == 0 else None


def _blas_gemv_into(trans, a, x, y, alpha):
    """y += alpha * a @ x through blas_gemv(trans) when a's layout is the one that BLAS form
    reads with whole strides: for 't' a (n, m) row-major array (OpenBLAS's gemv_t on the
    column-major m x n a^T), for 'n' a (m, n) column-major one; False (nothing done)
    otherwise."""
    if _b is None or y.dtype.kind != "f" or not (a.dtype == x.dtype == y.dtype):
        return False
    if trans == "t":
        (n, m), unit, lead = a.shape, 1, 0
    else:
        (m, n), unit, lead = a.shape, 0, 1
    it = a.itemsize
    if m == 0 or n == 0 or (m > 1 and a.strides[unit] != it):
        return False
    lda = a.strides[lead] // it if n > 1 else m
    incx, incy = _inc(x), _inc(y)
    if (n > 1 and (a.strides[lead] % it or lda < max(1, m))) or not incx or not incy \
            or not y.flags.writeable:
        return False
    return blas_gemv(trans, m, n, alpha, a, lda, x, incx, 1.0, y, incy)


def seqprod(a, dtype=None):
    """product of a's elements in row-major order, one after the other, in dtype."""
    if not exact:
        return np.prod(a, dtype=dtype or np.asarray(a).dtype)
    a = np.asarray(a)
    dt = np.dtype(dtype or a.dtype)
    flat = a.reshape(-1)
    if flat.size == 0:
        return dt.type(1)
    if _c is not None and _c_types(flat, dt):
        return _reduce_c(flat, 0, dt, True)[0]
    return np.multiply.accumulate(flat, dtype=dt)[-1]


def dot(x, y):
    """BLAS dot of two contiguous float vectors (THBlas_(dot)(n, x, 1, y, 1)) as OpenBLAS's
    ddot/sdot computes it: blas_dot (the C kernels: the Haswell or SkylakeX micro-kernel's
    lanes for the first n & -16 doubles or n & -32 floats); without them, a short one as the
    kernels' C tail computes it, the same in both builds' micro-kernels' absence (below 16
    doubles: `dot += y[i] * x[i]`, the product rounded first, or fused in blas_loops' "fused"
    build; below 32 floats: each float product added in double, the sum rounded to float
    once).
    Returns None where that does not apply (longer vectors without the C kernels)."""
    if not exact:
        return None
    n = x.size
    if (_b is not None and x.dtype == y.dtype and x.dtype in (_F32, _F64) and y.size == n
            and x.flags.c_contiguous and y.flags.c_contiguous):
        return blas_dot(n, x.reshape(-1), 1, y.reshape(-1), 1)
    if x.dtype.kind != "f" or n >= (32 if x.dtype == _F32 else 16):
        return None
    xs, ys = x.ravel(), y.ravel()
    if x.dtype == _F32:
        s = 0.0
        for p in (xs * ys.astype(_F32)).tolist():  # float products, a double sum
            s += p
        return float(np.float32(s))
    s = 0.0
    if blas_fused:  # (the C tail contracted: one rounding per element)
        for a, b in zip(ys.tolist(), xs.tolist()):
            s = fma_scalar(a, b, s)
        return s
    for a, b in zip(ys.tolist(), xs.tolist()):
        s += a * b
    return s


_GEMM_SMALL = 8192    # m*n*k up to which Linear's products go through torch7py.obgemm


def gemv_n(a, x, y, alpha=1.0, packed=True):
    """y += alpha * a @ x (y already beta-scaled) in BLAS 'n' form (a column-major matrix of
    m rows, `packed` when lda == m and x has unit stride), in the order of OpenBLAS's
    dgemv_n (dgemv_n_4.c with the Haswell micro-kernels):

    - rows below m & -4, per group of four columns: t = a0*x0 + a2*x2 (fused) and
      u = a1*x1 + a3*x3 (fused), y = fma(alpha, t + u, y) (SkylakeX, blas_loops "fused":
      t = fma(a3, x3, fma(a2, x2, fma(a0, x0, a1*x1))), y = fma(t, alpha, y)); a pair of
      columns left: y = fma(alpha, a0*x0 + a1*x1, y) (SkylakeX: fma(a0, x0, a1*x1)); a last
      column: y += a * (x*alpha), unfused;
    - the last m & 3 rows, one accumulator each: `temp += a*x` fused, or for a packed matrix
      of fewer than 4 rows four columns at a time (`temp += a0*x0 + a1*x1 + ...` as GCC
      contracts it); then `y += alpha * temp`, fused. (SkylakeX's sgemv_n, for n <= 48 and
      n != 4: every row a chain fma(a, x, temp) from zero, then fma(temp, alpha, y).)

    y is written in place. With the C kernels (torch7py._obl12) a column-major `a` goes to
    blas_gemv (either build, as blas_loops sets it); the Python steps here, without them,
    follow blas_loops' build too (Haswell's last rows' loops unfused). Returns
    False (nothing done) for float32 with 4 rows or more (sgemv has other kernels) and for
    non-float types."""
    if not exact:
        return False
    if _blas_gemv_into("n", a, x, y, alpha):
        return True
    m, n = a.shape
    if m == 0 or y.dtype.kind != "f" or (m > 3 and y.dtype != np.float64):
        return False
    dt = y.dtype.type
    xs = [dt(v) for v in x.tolist()]
    al = dt(alpha)
    m4 = m & -4
    if m4:
        ya = y[:m4]
        ones = all(v == 1 for v in xs)
        mul = (lambda j: a[:m4, j]) if ones else (lambda j: a[:m4, j] * xs[j])

        if _c is not None and not ones:
            # the columns as contiguous rows, so that each fused step is one C call (the
            # general fma() path costs more per call than the work here)
            cols = np.ascontiguousarray(a[:m4].T, np.float64)

            def fused(j, acc):  # a[:, j]*x[j] + acc, one rounding
                acc = np.ascontiguousarray(acc, np.float64)
                r = np.empty(m4)
                _c.fma(cols[j], float(xs[j]), acc, r, False)
                return r
        else:
            def fused(j, acc):  # a[:, j]*x[j] + acc, one rounding
                return acc + a[:m4, j] if ones else fma(a[:m4, j], xs[j], acc)

        def into_y(t):
            if al == 1:
                ya[...] = ya + t
            else:
                fma(t, al, ya, out=ya)
        for j in range(0, n & -4, 4):
            if blas_fused:
                into_y(fused(j + 3, fused(j + 2, fused(j, mul(j + 1)))))
            else:
                into_y(fused(j + 2, mul(j)) + fused(j + 3, mul(j + 1)))
        j = n & -4
        if n & 2:
            into_y(fused(j, mul(j + 1)) if blas_fused else mul(j) + mul(j + 1))
            j += 2
        if n & 1:
            ya[...] = ya + a[:m4, j] * (xs[j] * al)
    if m == m4:
        return True
    t_rows = slice(m4, m)
    rows = m - m4
    temp = np.zeros(rows, y.dtype)
    j = 0
    skx = blas_fused and y.dtype == _F32 and n <= 48 and n != 4  # (sgemv_kernel_n_128)
    if packed and m4 == 0 and n >= 4 and not skx:
        for j in range(0, n & -4, 4):
            p = [a[t_rows, j + k] * xs[j + k] for k in range(4)]
            if rows == 1:
                if blas_fused:
                    s = fma(a[t_rows, j], xs[j], p[1])
                    s = fma(a[t_rows, j + 2], xs[j + 2], s)
                    s = fma(a[t_rows, j + 3], xs[j + 3], s)
                else:
                    s = ((p[0] + p[1]) + p[2]) + p[3]
                temp = temp + s
            elif blas_fused:
                temp = temp + fma(a[t_rows, j], xs[j], p[1])
                temp = temp + fma(a[t_rows, j + 2], xs[j + 2], p[3])
            else:
                temp = temp + (p[0] + p[1])
                temp = temp + (p[2] + p[3])
        j = n & -4
    if not blas_fused:  # Haswell: the C loops unfused, each product rounded first
        for i in range(j, n):
            temp = temp + a[t_rows, i] * xs[i]
        yt = y[t_rows]
        yt[...] = yt + temp * al
        return True
    if j == 0 and _c is not None and y.dtype in (_F32, _F64):
        # each row's chain from zero is the C dot (fma(a, x, s) from s = 0), one call a row
        xv = np.array(xs, y.dtype)
        temp = np.array([_c.dot(xv, np.ascontiguousarray(a[r], y.dtype), y.dtype == _F32)
                         for r in range(m4, m)], y.dtype)
    else:
        for i in range(j, n):
            temp = fma(a[t_rows, i], xs[i], temp)
    yt = y[t_rows]
    fma(temp, al, yt, out=yt)
    return True


_blas_loops_from_env()
