"""Torch7's rounding and order of operations in numpy: fused multiply-add, sequential sums.

The original computes `x:add(value, y)` with one rounding (OpenBLAS axpy and TH's AVX2 cadd
are FMA kernels on the reference CPU) and sums with a plain C loop (`accreal sum = 0; for ...
sum += x[i]`) where numpy sums pairwise. These kernels reproduce the original's bits.
"""
import math
import struct

import numpy as np

_SPLIT = 134217729.0  # 2**27 + 1: Dekker's splitter for binary64
_BIG = 2.0 ** 995     # beyond this the split overflows: such elements take the plain formula
_I64 = np.dtype(np.int64)
_CHUNK = 1 << 15      # elements per pass: keeps the temporaries of the EFTs in cache


def _split(a):
    t = a * _SPLIT
    hi = t - (t - a)
    return hi, a - hi


def _fma64(a, b, c):
    """Correctly rounded a*b + c for float64 arrays (or scalars broadcast against them).

    Error-free transformations (Dekker's TwoProduct, Knuth's TwoSum) give a*b + c exactly as
    h + lo + e; the small part lo + e is rounded to odd and then added to h in round-to-nearest,
    which rounds the exact sum correctly (Boldo and Melquiond, "Emulation of FMA and correctly
    rounded sums: proved algorithms using rounding to odd", IEEE TC 2008). Non-finite values
    and products out of the split's range (|x| > 2**995) or near underflow fall back to
    RN(RN(a*b) + c); those are far from any value the parity scripts meet.
    """
    with np.errstate(all="ignore"):
        p = a * b
        ah, al = _split(a)
        bh, bl = _split(b)
        e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        h = c + p
        z = h - c
        lo = (c - (h - z)) + (p - z)
        v = lo + e
        z = v - lo
        verr = (lo - (v - z)) + (e - z)
        r = h + _round_to_odd(v, verr)
        if not (np.isfinite(r).all() and np.abs(p).min() >= 2.0 ** -968
                and np.abs(a).max() <= _BIG and np.abs(b).max() <= _BIG):
            bad = ~np.isfinite(r) | (np.abs(p) < 2.0 ** -968) | (np.abs(a) > _BIG) \
                | (np.abs(b) > _BIG)
            r = np.where(bad, c + p, r)
    return r


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
    if dt != np.float32 and dt != np.float64:
        r = a * b + c
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
        elif dt == np.float32:
            r = _fma32(a, b, c)
        else:
            r = _fma_chunked(np.asarray(a, np.float64), np.asarray(b, np.float64),
                             np.asarray(c, np.float64))
    if out is None:
        return r
    out[...] = r
    return out


def _fma_chunked(a, b, c):
    n = max(a.size, b.size, c.size)
    if n <= _CHUNK:
        return _fma64(a, b, c)
    shape = np.broadcast_shapes(a.shape, b.shape, c.shape)
    a, b, c = (np.broadcast_to(x, shape).reshape(-1) for x in (a, b, c))
    r = np.empty(n, np.float64)
    for i in range(0, n, _CHUNK):
        j = i + _CHUNK
        r[i:j] = _fma64(a[i:j], b[i:j], c[i:j])
    return r.reshape(shape)


def seqsum(a, dtype=None):
    """sum of a's elements in row-major order, one after the other (`acc = 0; acc += x`), in
    dtype (the accumulator: double for float tensors, Torch7's accreal)."""
    a = np.asarray(a)
    dt = np.dtype(dtype or a.dtype)
    flat = a.reshape(-1)
    if flat.size == 0:
        return dt.type(0)
    if flat.dtype != dt:
        flat = flat.astype(dt)
    # add.accumulate is a sequential loop; + 0 makes a sum of -0.0 +0.0 as `0 + x` does
    return np.add.accumulate(flat)[-1] + dt.type(0)


def seqsum_axis(a, axis, dtype=None):
    """a summed along axis one element after the other (keepdims), in dtype."""
    a = np.asarray(a)
    dt = np.dtype(dtype or a.dtype)
    if a.shape[axis] == 0:
        shape = list(a.shape)
        shape[axis] = 1
        return np.zeros(shape, dt)
    acc = np.add.accumulate(a, axis=axis, dtype=dt)
    last = np.take(acc, [a.shape[axis] - 1], axis=axis)
    last += dt.type(0)
    return last


def seqprod_axis(a, axis, dtype=None):
    a = np.asarray(a)
    dt = np.dtype(dtype or a.dtype)
    if a.shape[axis] == 0:
        shape = list(a.shape)
        shape[axis] = 1
        return np.ones(shape, dt)
    acc = np.multiply.accumulate(a, axis=axis, dtype=dt)
    return np.take(acc, [a.shape[axis] - 1], axis=axis)


__all__ = ["fma", "axpy", "exact_scale", "fma_scalar", "fma32_scalar", "seqsum", "seqsum_axis",
           "seqprod_axis", "seqprod", "dot", "gemm_small", "gemv_n_tail", "gemv_t_tail"]


def exact_scale(v):
    """v*y is exact for every y (v is 0 or a power of two): fused and plain forms agree."""
    m = math.frexp(v)[0]
    return m == 0.5 or m == -0.5 or m == 0


def axpy(d, value, s):
    """d += value * s in place (numpy arrays of one shape), as TH's cadd rounds it: one rounding
    (OpenBLAS axpy / AVX2 cadd are FMA kernels) when both are contiguous floats, else the
    product first (TH_TENSOR_APPLY3's `*t + value * *src`)."""
    if value == 1:
        np.add(d, s, out=d)
    elif value == -1:
        np.subtract(d, s, out=d)
    elif (d.dtype.kind != "f" or exact_scale(value) or not d.flags.c_contiguous
          or not s.flags.c_contiguous):
        np.add(d, s * d.dtype.type(value) if d.dtype.kind == "f" else s * value, out=d)
    elif d.dtype == np.float64 or d.dtype == np.float32:
        _axpy_fused(d, value, s)
    else:
        fma(s, d.dtype.type(value), d, out=d)
    return d


def gemv_t_tail(a, x, y, alpha=1.0):
    """y += alpha * a @ x for a dot length m <= 3, as OpenBLAS's gemv_t (row-major `a`, the
    case of Linear's 1D forward) computes it: those rows are its scalar tail,
    `y[j] += a[j,0]*x0 + a[j,1]*x1 + a[j,2]*x2` with x pre-scaled by alpha, which GCC contracts
    to fma(a2, x2, fma(a0, x0, a1*x1)) (for m = 1 the product fuses into y itself).
    a: (n, m) array, x: (m,), y: (n,) written in place. Returns False (nothing done) when
    m > 3: the blocked kernel's order is not reproduced."""
    m = a.shape[1]
    if m == 0 or m > 3 or y.dtype.kind != "f":
        return False
    xs = [y.dtype.type(v) for v in (x * y.dtype.type(alpha) if alpha != 1 else x)]
    if m == 1:
        fma(a[:, 0], xs[0], y, out=y)
        return True
    t = fma(a[:, 0], xs[0], a[:, 1] * xs[1])
    if m == 3:
        t = fma(a[:, 2], xs[2], t)
    np.add(y, t, out=y)
    return True


def seqprod(a, dtype=None):
    """product of a's elements in row-major order, one after the other, in dtype."""
    a = np.asarray(a)
    dt = np.dtype(dtype or a.dtype)
    flat = a.reshape(-1)
    if flat.size == 0:
        return dt.type(1)
    return np.multiply.accumulate(flat, dtype=dt)[-1]


def dot(x, y):
    """BLAS dot of two contiguous vectors as OpenBLAS's x86-64 ddot/sdot computes a short one:
    below 16 elements its C tail `dot += y[i] * x[i]`, contracted to fused multiply-adds.
    Returns None for longer vectors (the blocked kernel's order is not reproduced)."""
    n = x.size
    if n >= 16 or x.dtype.kind != "f":
        return None
    if x.dtype == np.float32:
        s = np.float32(0)
        for a, b in zip(y.ravel().tolist(), x.ravel().tolist()):
            s = fma32_scalar(a, b, float(s))
        return float(s)
    s = 0.0
    for a, b in zip(y.ravel().tolist(), x.ravel().tolist()):
        s = fma_scalar(a, b, s)
    return s


_GEMM_SMALL = 8192    # m*n*k up to which gemm runs as the kernel's per-element FMA chain


def gemm_small(a, b, c, alpha=1.0, beta=0.0):
    """c = beta*c + alpha*(a @ b) in OpenBLAS's order for a small product: each c[i, j] is an
    FMA chain over k from zero (the gemm micro-kernel), then scaled by alpha and added to the
    beta-scaled c. c is written in place. Returns False (nothing done) for a large product or
    a non-float type: the caller's BLAS call takes over."""
    m, k = a.shape
    n = b.shape[1]
    if c.dtype.kind != "f" or k == 0 or m * n * k > _GEMM_SMALL:
        return False
    dt = c.dtype.type
    acc = a[:, 0:1] * b[0:1, :]
    for i in range(1, k):
        acc = fma(a[:, i:i + 1], b[i:i + 1, :], acc)
    if alpha != 1:
        acc = acc * dt(alpha)
    if beta == 0:
        c[...] = acc
    else:
        if beta != 1:
            c *= dt(beta)
        c += acc
    return True


def gemv_n_tail(a, x, y, alpha=1.0, packed=True):
    """y = beta-scaled y + alpha * a @ x for a matrix of at most 3 rows in BLAS 'n' form
    (column-major), as OpenBLAS's dgemv_n tail computes it: one accumulator per row, with
    `temp += a*x` fused; when the matrix is packed (lda == rows, unit x stride) the columns go
    four at a time as `temp += a0*x0 + a1*x1 + ...` (contracted into FMAs); finally
    `y += alpha * temp`, fused. y is written in place; returns False when not applicable."""
    m, n = a.shape
    if m == 0 or m > 3 or y.dtype.kind != "f":
        return False
    dt = y.dtype.type
    xs = [dt(v) for v in x.tolist()]
    temp = np.zeros(m, y.dtype)
    j = 0
    if packed and n >= 4:
        for j in range(0, n & -4, 4):
            if m == 1:
                s = fma(a[:, j], xs[j], a[:, j + 1] * xs[j + 1])
                s = fma(a[:, j + 2], xs[j + 2], s)
                temp = temp + fma(a[:, j + 3], xs[j + 3], s)
            else:
                temp = temp + fma(a[:, j], xs[j], a[:, j + 1] * xs[j + 1])
                temp = temp + fma(a[:, j + 2], xs[j + 2], a[:, j + 3] * xs[j + 3])
        j = n & -4
    for i in range(j, n):
        temp = fma(a[:, i], xs[i], temp)
    fma(temp, dt(alpha), y, out=y)
    return True


# ---- the fused axpy of updateParameters, in place and in cache-sized chunks ----------------------

_AXPY_CHUNK = 1 << 13  # elements per pass: the scratch rows stay in L1/L2


def _axpy_fused(d, value, s):
    """d += value * s rounded once (d, s contiguous of one float type, value a number): _fma64's
    and _fma32's algorithms with the scalar's split hoisted out and every temporary in reused
    scratch rows, so that a large update allocates nothing per element."""
    dt = d.dtype
    df, sf = d.reshape(-1), s.reshape(-1)
    n = df.size
    if n <= _SMALL:
        fma(s, dt.type(value), d, out=d)
        return d
    c = min(n, _AXPY_CHUNK)
    if dt == np.float64:
        v = float(value)
        t = v * _SPLIT
        vh = t - (t - v)
        vl = v - vh
        if not (math.isfinite(v) and abs(v) <= _BIG):
            fma(s, dt.type(value), d, out=d)
            return d
        bufs = [np.empty(c, np.float64) for _ in range(6)]
        with np.errstate(all="ignore"):
            for i in range(0, n, c):
                j = min(i + c, n)
                if not _axpy64_chunk(df[i:j], v, vh, vl, sf[i:j], [b[:j - i] for b in bufs]):
                    fma(sf[i:j], v, df[i:j].copy(), out=df[i:j])
        return d
    v = float(dt.type(value))
    bufs = [np.empty(c, np.float64) for _ in range(4)]
    with np.errstate(all="ignore"):
        for i in range(0, n, c):
            j = min(i + c, n)
            _axpy32_chunk(df[i:j], v, sf[i:j], [b[:j - i] for b in bufs])
    return d


def _axpy64_chunk(d, v, vh, vl, s, bufs):
    """One chunk of _axpy_fused in float64; False (nothing written) where _fma64 would take its
    plain fallback (non-finite values, out-of-range splits): the caller redoes it with fma."""
    p, sh, sl, e, w, x = bufs
    np.multiply(s, v, out=p)
    # Dekker's split of s
    np.multiply(s, _SPLIT, out=w)
    np.subtract(w, s, out=sh)
    np.subtract(w, sh, out=sh)
    np.subtract(s, sh, out=sl)
    # e = ((sh*vh - p) + sh*vl + sl*vh) + sl*vl: the product's exact error
    np.multiply(sh, vh, out=e)
    e -= p
    np.multiply(sh, vl, out=w)
    e += w
    np.multiply(sl, vh, out=w)
    e += w
    np.multiply(sl, vl, out=w)
    e += w
    # h = d + p, lo its exact error (TwoSum); sh and sl are free again
    h = sh
    np.add(d, p, out=h)
    z = sl
    np.subtract(h, d, out=z)
    np.subtract(h, z, out=w)
    np.subtract(d, w, out=w)            # d - (h - z)
    np.subtract(p, z, out=x)            # p - z
    lo = w
    lo += x
    # v2 = lo + e, verr its exact error
    v2 = x
    np.add(lo, e, out=v2)
    np.subtract(v2, lo, out=z)          # z = v2 - lo
    np.subtract(e, z, out=e)            # e - z
    np.subtract(v2, z, out=z)           # v2 - z
    np.subtract(lo, z, out=lo)          # lo - (v2 - z)
    lo += e                             # verr
    # v2 rounded to odd with verr, on its bits
    bits = v2.view(_I64)
    inexact = lo != 0
    step = (lo > 0) != (v2 > 0)
    step &= inexact
    bits -= step
    bits |= inexact
    np.add(h, v2, out=x)
    if not (np.isfinite(x).all() and np.abs(p, out=w).min() >= 2.0 ** -968
            and np.abs(s, out=w).max() <= _BIG):
        return False
    d[...] = x
    return True


def _axpy32_chunk(d, v, s, bufs):
    """One chunk of _axpy_fused in float32: _fma32's exact float64 product, its sum rounded to
    odd, then rounded to float32."""
    p, sm, z, err = bufs
    np.multiply(s, v, out=p, dtype=np.float64)  # exact: 24 + 24 bits
    np.add(p, d, out=sm, dtype=np.float64)
    np.subtract(sm, p, out=z)
    np.subtract(sm, z, out=err)
    np.subtract(p, err, out=err)        # p - (s - z)
    np.subtract(d, z, out=z, dtype=np.float64)
    err += z
    fin = np.isfinite(sm)
    if not fin.all():
        err[~fin] = 0.0
    bits = sm.view(_I64)
    inexact = err != 0
    step = (err > 0) != (sm > 0)
    step &= inexact
    bits -= step
    bits |= inexact
    np.copyto(d, sm, casting="same_kind")
