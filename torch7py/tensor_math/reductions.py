"""TensorMath's reductions: sum prod mean std var norm min max cumsum ..."""
import math

import numpy as np

from .. import messages, numerics, overlap
from ..storage import c_cast
from ..tensor import ByteTensor, LongTensor, TorchError
from ._helpers import (_acc, _check_same_n, _dimcheck, _FLOAT_TYPES, _pyacc, _pyreal,
                       _quiet, _result, _view_as)
from ._dispatch import _define
from .pointwise import _libm2, _prep


# --------------------------------------------------------------------------------------------
# reductions
# --------------------------------------------------------------------------------------------

def _kept(t, d):
    s = list(t._size)
    s[d] = 1
    return tuple(s)


def _reduce_into(T, res, src, d, values):
    """Store values (keepdims, any dtype) into res (new or resized), C-cast to T."""
    r = _result(T, res, _kept(src, d))
    ra = r.numpy()
    if values.dtype == ra.dtype:
        ra[...] = values
    else:
        ra[...] = c_cast(values, T.dtype)
    return r


def _sumall(T, t):
    if not t._size:
        return _pyacc(T, 0)
    if T.dtype.kind != "f":
        return _pyacc(T, np.add.reduce(t.numpy(), axis=None, dtype=_acc(T)))
    # TH: `accreal sum = 0; sum += x` in row-major order (numpy's sum is pairwise)
    return numerics.sumall(t.numpy())


def _dim_reduce(T, src, d, seq, plain):
    """THTensor_(sum/prod) along d: a slice of stride 1 loops in accreal, otherwise the result
    (typed as the tensor) accumulates the slices one after the other."""
    a = src.numpy()
    if T.dtype.kind != "f":
        return plain(a, axis=d, keepdims=True, dtype=_acc(T))
    return seq(a, d, np.float64 if src._stride[d] == 1 else T.dtype)


def _shared_result(T, res, src, d):
    """THTensor_(sum/prod/max/std...)'s resize of the result before it reads the source: the
    resized result where it shares what the source reads (the reduction then runs in TH's
    order: torch7py/overlap.py), else None."""
    if res is None or res._storage is None or res._storage is not src._storage:
        return None
    r = _result(T, res, _kept(src, d))
    return r if overlap.shares_storage(r, src) else None


def _slice_fn(f):
    """A keepdims reduction f(a, axis) of arrays as a function of one slice (1-D)."""
    return lambda v: f(v.reshape(1, -1), 1).reshape(-1)[0]


def _ordered_sumprod(T, r, src, d, one):
    """THTensor_(sum/prod) writing into the source's storage: a source slice of stride 1 is
    summed in accreal slice after slice, otherwise r is filled with 0 (1) and each source
    element added (multiplied) into it in the tensor's type, row-major."""
    if src._stride[d] == 1:
        if T.dtype.kind == "f":
            seq = numerics.seqsum_axis if one == 0 else numerics.seqprod_axis
            overlap.reduce_slices(r, src, d, _slice_fn(lambda a, ax: seq(a, ax, np.float64)))
        else:
            plain = np.sum if one == 0 else np.prod
            overlap.reduce_slices(r, src, d, lambda v: plain(v, dtype=np.int64))
    else:
        r.numpy()[...] = one
        overlap.fold_into(r, src, d, np.add if one == 0 else np.multiply)
    return r


def _sum(T, res, src, d):
    _dimcheck(src, d)
    r = _shared_result(T, res, src, d)
    if r is not None:
        return _ordered_sumprod(T, r, src, d, 0)
    return _reduce_into(T, res, src, d, _dim_reduce(T, src, d, numerics.seqsum_axis, np.sum))


def _prodall(T, t):
    if not t._size:
        return _pyacc(T, 1)
    if T.dtype.kind != "f":
        return _pyacc(T, np.prod(t.numpy(), dtype=_acc(T)))
    return _pyacc(T, numerics.seqprod(t.numpy(), np.float64))


def _prod(T, res, src, d):
    _dimcheck(src, d)
    r = _shared_result(T, res, src, d)
    if r is not None:
        return _ordered_sumprod(T, r, src, d, 1)
    return _reduce_into(T, res, src, d, _dim_reduce(T, src, d, numerics.seqprod_axis, np.prod))


def _cum(ufunc, op, start):
    def impl(T, res, src, d):
        _dimcheck(src, d)
        r = _prep(T, res, src)
        if r is not src and overlap.shares_storage(r, src):
            # TH's loop reads each element after the earlier ones of its slice (and the
            # earlier slices) were written
            overlap.cumulate(r, src, d, op, start, _acc(T))
            return r
        ra = r.numpy()
        acc = _acc(T)
        if ra.dtype == acc and r is not src:
            ufunc(src.numpy(), axis=d, dtype=acc, out=ra)
        else:
            v = ufunc(src.numpy(), axis=d, dtype=acc)
            ra[...] = v if v.dtype == ra.dtype else c_cast(v, T.dtype)
        return r
    return impl


def _meanall(T, t):
    if not t._size:
        raise TorchError(messages.bad_argument(1, "empty Tensor"))  # THTensor_(meanall)
    return _sumall(T, t) / t.nElement()


def _mean(T, res, src, d):
    # THTensor_(mean): sum along d (typed as the tensor), then div by the size, in real
    _dimcheck(src, d, "invalid", 2)
    r = _sum(T, res, src, d)
    ra = r.numpy()
    np.divide(ra, T.dtype.type(src._size[d]), out=ra)
    return r


def _moments(a, axis, dt):
    """var/std's one-pass sums along axis: `sum += z; sum2 += z*z` (z*z in the tensor's type)."""
    s = numerics.seqsum_axis(a, axis, np.float64)
    s2 = numerics.seqsum_axis(a * a, axis, np.float64)
    return s, s2


def _var_dim(T, src, d, biased):
    return _var_arr(T, src.numpy(), d, biased)


def _var_arr(T, a, d, biased):
    n = a.shape[d]
    s, s2 = _moments(a, d, T.dtype)
    with _quiet():
        s = s / n
        if biased:
            s2 = s2 / n - s * s
        else:
            # ((real)n)/((real)(n-1)) is computed in the tensor's type
            s2 = s2 / (n - 1) - np.float64(T.dtype.type(n) / T.dtype.type(n - 1)) * s * s
    return np.maximum(s2, 0)


def _varall(T, t, biased):
    if not t._size:
        raise TorchError(messages.bad_argument(1, "empty Tensor"))  # varall calls meanall
    mean = _meanall(T, t)
    z = t.numpy().astype(np.float64) - mean
    with _quiet():
        return float(numerics.seqsum(z * z, np.float64) / (t.nElement() - (0 if biased else 1)))


def _var(T, res, src, d, biased):
    _dimcheck(src, d, "invalid", 3)
    r = _shared_result(T, res, src, d)
    if r is not None:
        overlap.reduce_slices(r, src, d, _slice_fn(lambda a, ax: _var_arr(T, a, ax, biased)))
        return r
    return _reduce_into(T, res, src, d, _var_dim(T, src, d, biased))


def _std(T, res, src, d, biased):
    _dimcheck(src, d, "invalid", 3)
    r = _shared_result(T, res, src, d)
    if r is not None:
        overlap.reduce_slices(r, src, d, _slice_fn(
            lambda a, ax: np.sqrt(_var_arr(T, a, ax, biased).astype(T.dtype))))
        return r
    v = _var_dim(T, src, d, biased)
    # TH_MATH_NAME(sqrt): sqrtf of the double rounded to float for FloatTensor
    return _reduce_into(T, res, src, d, np.sqrt(v.astype(T.dtype)))


def _stdall_impl(T, t, biased):
    v = _varall(T, t, biased)
    return math.sqrt(v) if v == v else v


_define("sum", [("T", _sumall), ("R T i", _sum)])
_define("prod", [("T", _prodall), ("R T i", _prod)])
_define("cumsum", [("R T i=1", _cum(np.cumsum, np.add, 0))])
_define("cumprod", [("R T i=1", _cum(np.cumprod, np.multiply, 1))])
_define("mean", [("T", _meanall), ("R T i", _mean)], types=_FLOAT_TYPES)
_define("var", [("T b=0", _varall), ("R T i b=0", _var)], types=_FLOAT_TYPES)
_define("std", [("T b=0", _stdall_impl), ("R T i b=0", _std)], types=_FLOAT_TYPES)


def _extall(T, t, reduce):
    """THTensor_(maxall/minall): the first element, replaced by each later one that is not <=
    (>=) it, stopping at a NaN: the first NaN, else the first element equal to the extremum
    (so the sign of a zero is the first zero's)."""
    if not t._size:
        raise TorchError(messages.bad_argument(1, "tensor must have one dimension"))
    a = t.numpy()
    if not a.size:  # (unfold's sizes <= 0) TH's first element, its loop running no step
        return _pyreal(T, t._storage._data[t._offset])
    m = reduce(a, axis=None)
    if T.dtype.kind == "f" and m == 0:
        flat = a.reshape(-1)
        m = flat[np.argmax(flat == 0)]
    return _pyreal(T, m)


def _maxall(T, t):
    return _extall(T, t, np.maximum.reduce)


def _minall(T, t):
    return _extall(T, t, np.minimum.reduce)


def _ordered_ext(T, r, ri, src, d, argf, better):
    """THTensor_(max/min) writing into the source's storage: slices of stride 1 one after the
    other; otherwise values_ gets the source's first slice (THTensor_(copy)), indices_ 1, and
    the source's elements row-major replace them where better (torch7py/overlap.py)."""
    if src._stride[d] == 1:
        def f(v):
            i = int(argf(v))
            return v[i], i + 1
        idx = overlap.reduce_slices(r, src, d, f)
        ri._storage._data[overlap.dim_apply_grid(ri, d)[:, 0]] = idx
        return r, ri
    if src.dim() > 1:
        overlap.ordered_copy(r, src.select(d + 1, 1), c_cast)
    else:
        r.numpy()[...] = src._storage._data[src._offset]
    ri.numpy()[...] = 1
    if src._size[d] > 1:
        overlap.extremum_fold(r, ri, src, d, better)
    return r, ri


def _argext(argf, better):
    def impl(T, res, ires, src, d):
        _dimcheck(src, d)
        if res is not None and res._storage is not None and res._storage is src._storage:
            shape = _kept(src, d)
            r = _result(T, res, shape)
            ri = _result(LongTensor, ires, shape)
            if overlap.shares_storage(r, src) and src.nElement():
                return _ordered_ext(T, r, ri, src, d, argf, better)
        a = src.numpy()
        idx = argf(a, axis=d, keepdims=True)
        vals = np.take_along_axis(a, idx, axis=d)
        shape = _kept(src, d)
        r = _result(T, res, shape)
        ri = _result(LongTensor, ires, shape)
        r.numpy()[...] = vals
        np.add(idx, 1, out=ri.numpy())
        return r, ri
    return impl


_define("max", [("T", _maxall), ("R L? T i", _argext(np.argmax, lambda x, c: not x <= c))])
_define("min", [("T", _minall), ("R L? T i", _argext(np.argmin, lambda x, c: not x >= c))])


def _powabs(a, p):
    """TH_MATH_NAME(pow)(fabs(x), p) in the tensor's type: libm's powf / pow of each element
    (powf(x, 2) is not always x*x: it rounds ties its own way; numpy's power is its own SIMD
    code on AVX-512 CPUs); p = 1 is x itself."""
    a = np.abs(a)
    if p == 1 or a.dtype.kind != "f":
        return a if p == 1 else np.power(a, a.dtype.type(p))
    return _libm2("pow", a, float(a.dtype.type(p)), np.empty(a.shape, a.dtype), False)


def _root(T, s, p):
    """TH_MATH_NAME(pow)(sum, 1.0/value): powf of floats for FloatTensor."""
    dt = T.dtype.type
    if p == 1:
        return dt(s)
    # libm's powf/pow (numpy's float32 power of 0.5 is not powf's)
    s = np.asarray(s).astype(T.dtype)
    out = np.empty(s.shape, T.dtype)
    _libm2("pow", s, float(dt(np.float64(1.0) / p)), out, False)
    return out if out.ndim else out[()]


def _normall(T, t, p):
    p = float(p)
    if not t._size:
        # no element: a sum of 0, then (p other than 0, 1, 2) pow(0, 1.0/p): inf for p < 0,
        # 1 for p = inf
        if p in (0, 1, 2):
            return 0.0
        with _quiet():
            return float(_root(T, 0.0, p))
    a = t.numpy()
    if p == 2:  # `accreal z = x; sum += z*z`, then sqrt
        return math.sqrt(numerics.sumall(a, 1))
    if p == 1:
        return numerics.sumall(a, 2)
    if p == 0:
        return float(np.count_nonzero(a))
    with _quiet():
        return float(_root(T, numerics.seqsum(_powabs(a, p), np.float64), p))


def _norm_arr(T, a, p, axis):
    with _quiet():
        if p == 0:
            return np.sum(a != 0, axis=axis, keepdims=True).astype(np.float64)
        s = numerics.seqsum_axis(_powabs(a, p), axis, np.float64)
        return _root(T, s, p)


def _norm(T, res, src, p, d):
    _dimcheck(src, d, "invalid", 3)
    r = _shared_result(T, res, src, d)
    if r is not None:
        overlap.reduce_slices(r, src, d, _slice_fn(lambda a, ax: _norm_arr(T, a, float(p), ax)))
        return r
    return _reduce_into(T, res, src, d, _norm_arr(T, src.numpy(), float(p), d))


def _dist(T, a, b, p):
    _check_same_n(a, b, ("tensor", "src"))
    p = float(p)
    if not a._size:  # pow(0, 1.0/p) of the empty sum (inf for p < 0, 1 for p = inf)
        with _quiet():
            return float(_root(T, 0.0, p))
    with _quiet():
        # `real sum += pow(fabs(t - s), value)`, then pow(sum, 1.0/value), all in real
        d = a.numpy() - _view_as(b, a._size)
        return float(_root(T, numerics.seqsum(_powabs(d, p), T.dtype), p))


def _renorm(T, res, src, p, d, maxnorm):
    _dimcheck(src, d, "invalid", 3)  # THTensor_(renorm)'s checks, in its order
    if p <= 0:
        raise TorchError(messages.bad_argument(2, "non-positive-norm not supported"))
    if src.dim() <= 1:
        raise TorchError(messages.bad_argument(1, "need at least 2 dimensions, got %d "
                                                  "dimensions" % src.dim()))
    r = _prep(T, res, src)
    if r is not src and overlap.shares_storage(r, src):
        return _ordered_renorm(T, r, src, p, d, maxnorm)
    a = np.moveaxis(src.numpy(), d, 0)
    rows = a.reshape(a.shape[0], -1)  # each slice's elements in TH_TENSOR_APPLY's order
    norm, new_norm, scaled = _renorm_rows(T, rows, p, maxnorm)
    dt = T.dtype.type
    out = np.where((norm > dt(maxnorm))[:, None], scaled, rows)
    np.moveaxis(r.numpy(), d, 0)[...] = out.reshape(a.shape)
    return r


def _ordered_renorm(T, r, src, p, d, maxnorm):
    """THTensor_(renorm) writing into its source's storage: slice i of src (along d) read,
    then slice i of res written (TH_TENSOR_APPLY2 element by element, or THTensor_(copy))
    before slice i + 1 is read."""
    buf = r._storage._data
    for i in range(1, src._size[d] + 1):
        rowS, rowR = src.select(d + 1, i), r.select(d + 1, i)
        norm, new_norm, _ = _renorm_rows(T, np.ravel(rowS.numpy()).reshape(1, -1), p, maxnorm)
        if norm[0] > T.dtype.type(maxnorm):
            W = overlap.positions(rowR)
            f = new_norm[0]
            overlap.run(buf, W, [overlap.operand(rowR, rowS)], np.arange(W.shape[0]),
                        lambda v: (v[0] * f).astype(buf.dtype, copy=False))
        else:
            overlap.ordered_copy(rowR, rowS, c_cast)
    return r


def _renorm_rows(T, rows, p, maxnorm):
    """renorm's per-row norm (THTensor_(renorm)'s sums and pow), its factor and the scaled
    rows, in the tensor's type."""
    dt = T.dtype.type
    p, maxnorm = dt(p), dt(maxnorm)
    f64 = np.float64
    norm = np.zeros(rows.shape[0], T.dtype)
    with _quiet():
        # THTensor_(renorm): `real norm += ...` element by element: fabs() (a double),
        # z*z of `accreal z`, else libm's powf/pow(fabs(x), p) in real; each sum rounds to real
        if p not in (1, 2):
            pw = _powabs(rows, p)
        for k in range(rows.shape[1]):
            z = rows[:, k]
            if p == 1:
                norm = (norm.astype(f64) + np.abs(z.astype(f64))).astype(T.dtype)
            elif p == 2:
                z = z.astype(f64)
                norm = (norm.astype(f64) + z * z).astype(T.dtype)
            else:
                norm = norm + pw[:, k]
        # norm = pow(norm, 1/value): C's double pow (libm's) of the real 1/value
        nd = np.empty(norm.shape, f64)
        _libm2("pow", norm.astype(f64), float(dt(1) / p), nd, True)
        norm = nd.astype(T.dtype)
        new_norm = (f64(maxnorm) / (norm.astype(f64) + 1e-7)).astype(T.dtype)
        scaled = rows * new_norm[:, None]
    return norm, new_norm, scaled


_define("norm", [("T r=2", _normall), ("R T r i", _norm)], types=_FLOAT_TYPES)
_define("dist", [("T T r=2", _dist)], types=_FLOAT_TYPES)
_define("renorm", [("R! S r i r", _renorm)], types=_FLOAT_TYPES)


def _trace(T, t):
    if t.dim() != 2:
        raise TorchError(messages.bad_argument(1, "expected a matrix"))
    if T.dtype.kind == "f":
        return _pyacc(T, numerics.seqsum(np.diagonal(t.numpy()), np.float64))
    return _pyacc(T, np.trace(t.numpy(), dtype=_acc(T)))


def _numel(T, t):
    return t.nElement()


def _equal(T, a, b):
    if a._size != b._size:
        return False
    return bool(np.array_equal(a.numpy(), b.numpy()))


_define("trace", [("T", _trace)])
_define("numel", [("T", _numel)])
_define("equal", [("T T", _equal)])


def _logical(name, f):
    def impl(T, t):
        if not t._size:
            # TENSOR_IMPLEMENT_LOGICAL_SUM's THArgCheck
            raise TorchError(messages.bad_argument(1, "empty Tensor"))
        return bool(f(t.numpy()))
    return impl


_define("all", [("T", _logical("all", np.all))], types=(ByteTensor,))
_define("any", [("T", _logical("any", np.any))], types=(ByteTensor,))
