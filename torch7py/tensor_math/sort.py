"""TensorMath's sort, topk, kthvalue, median and mode (Torch7's own algorithms)."""
import numpy as np

from .. import messages, overlap
from ..storage import c_cast
from ..tensor import LongTensor, TorchError
from ._helpers import _brange, _result, _th_dim1
from ._dispatch import _define
from .reductions import _kept


# --------------------------------------------------------------------------------------------
# sort, topk, kthvalue, median, mode
# --------------------------------------------------------------------------------------------

# Torch7 sorts with Sedgewick's quicksort (insertion sort below 12 elements) and selects with a
# median-of-three quickselect. Neither is stable, so the positions reported for equal values
# (and the order of an unsorted topk) depend on the exact swaps. Where that matters and the
# slices are small, the slices run through the same algorithms (_ts_*) one by one; otherwise a
# numpy kernel gives the same values, and the same indices whenever there are no ties.
_EXACT_LIMIT = 10000  # elements; above this the numpy kernels are used (topk)
# sort, kthvalue, median and mode run the algorithms only on the slices that hold ties (~3 us an
# element): up to this many elements in all, the indices are Torch7's whatever the ties
_TIES_LIMIT = 100000


def _ts_quicksort(a, ix, n, desc):
    """Torch7's quicksortascend/quicksortdescend on the first n entries of lists a, ix."""
    if desc:
        def before(x, y):
            return x > y
    else:
        def before(x, y):
            return x < y
    stack = []
    lo, hi = 0, n - 1
    done = n - 1 <= 10
    while not done:
        p = (lo + hi) >> 1
        a[p], a[lo + 1] = a[lo + 1], a[p]
        ix[p], ix[lo + 1] = ix[lo + 1], ix[p]
        for u, v in ((lo + 1, hi), (lo, hi), (lo + 1, lo)):
            if before(a[v], a[u]):
                a[u], a[v] = a[v], a[u]
                ix[u], ix[v] = ix[v], ix[u]
        i, j, piv = lo + 1, hi, a[lo]
        while True:
            i += 1
            while before(a[i], piv):
                i += 1
            j -= 1
            while before(piv, a[j]):
                j -= 1
            if j < i:
                break
            a[i], a[j] = a[j], a[i]
            ix[i], ix[j] = ix[j], ix[i]
        a[lo], a[j] = a[j], a[lo]
        ix[lo], ix[j] = ix[j], ix[lo]
        left, right = j - lo, hi - i + 1
        if left <= 10 and right <= 10:
            if not stack:
                done = True
            else:
                lo, hi = stack.pop()
        elif left <= 10 or right <= 10:
            if left > right:
                hi = j - 1
            else:
                lo = i
        elif left > right:
            stack.append((lo, j - 1))
            lo = i
        else:
            stack.append((i, hi))
            hi = j - 1
    for i in _brange(n - 2, -1, -1):
        if before(a[i + 1], a[i]):
            piv, pid = a[i], ix[i]
            j = i + 1
            while True:
                a[j - 1] = a[j]
                ix[j - 1] = ix[j]
                j += 1
                if not (j < n and before(a[j], piv)):
                    break
            a[j - 1] = piv
            ix[j - 1] = pid


def _ts_quickselect(a, ix, k):
    """Torch7's quickselect: puts the (k+1)-th smallest of lists a, ix at position k."""
    lo, hi = 0, len(a) - 1
    while True:
        if hi <= lo:
            return
        if hi == lo + 1:
            if a[lo] > a[hi]:
                a[lo], a[hi] = a[hi], a[lo]
                ix[lo], ix[hi] = ix[hi], ix[lo]
            return
        p = (lo + hi) >> 1
        a[p], a[lo + 1] = a[lo + 1], a[p]
        ix[p], ix[lo + 1] = ix[lo + 1], ix[p]
        for u, v in ((lo + 1, hi), (lo, hi), (lo + 1, lo)):
            if a[u] > a[v]:
                a[u], a[v] = a[v], a[u]
                ix[u], ix[v] = ix[v], ix[u]
        i, j, piv = lo + 1, hi, a[lo]
        while True:
            i += 1
            while a[i] < piv:
                i += 1
            j -= 1
            while a[j] > piv:
                j -= 1
            if j < i:
                break
            a[i], a[j] = a[j], a[i]
            ix[i], ix[j] = ix[j], ix[i]
        a[lo], a[j] = a[j], a[lo]
        ix[lo], ix[j] = ix[j], ix[lo]
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


def _slices(a, d):
    """a with dim d moved last, as rows (a copy)."""
    m = np.moveaxis(a, d, -1)
    return m.reshape(-1, m.shape[-1]), m.shape


def _unslice(rows, shape, d):
    return np.moveaxis(rows.reshape(shape[:-1] + (rows.shape[-1],)), -1, d)


def _has_ties(rows):
    """Per row: equal values (or NaN) present."""
    if rows.shape[1] < 2:
        return np.zeros(rows.shape[0], bool)
    s = np.sort(rows, axis=1)
    ties = (s[:, 1:] == s[:, :-1]).any(axis=1)
    if rows.dtype.kind == "f":
        ties |= np.isnan(rows).any(axis=1)
    return ties


def _stable_order(a, axis, descending):
    """Indices that sort a along axis, ties kept in their original order (both directions)."""
    if not descending:
        return np.argsort(a, axis=axis, kind="stable")
    n = a.shape[axis]
    rev = np.flip(a, axis=axis)
    o = np.argsort(rev, axis=axis, kind="stable")
    return (n - 1) - np.flip(o, axis=axis)


def _sort_order(a, d, descending):
    """Torch7's sort permutation along d (exact for small inputs)."""
    o = _stable_order(a, d, descending)
    n = a.shape[d]
    if a.size > _TIES_LIMIT or (n <= 11 and (a.dtype.kind != "f" or not np.isnan(a).any())):
        return o  # insertion sort below 12 elements: stable, where the values are ordered
    rows, shape = _slices(a, d)
    if n <= 11:  # NaN compares false: the insertion sort's moves decide where it stays
        ties = np.isnan(rows).any(axis=1)
    else:
        ties = _has_ties(rows)
    if ties.any():
        orows, _ = _slices(o, d)
        for r in np.nonzero(ties)[0]:
            vals = rows[r].tolist()
            ix = list(_brange(n))
            _ts_quicksort(vals, ix, n, descending)
            orows[r] = ix
        o = _unslice(orows, shape, d)
    return o


def _shared(res, src):
    """Whether res (given) is another tensor on src's storage."""
    return (res is not None and res is not src and res._storage is not None
            and res._storage is src._storage)


def _ordered_slices(r, ri, src, d, per_slice):
    """TH_TENSOR_DIM_APPLY3(t, rt_, ri_) where rt_ (resized first) shares t's storage:
    slice after slice (overlap.py's order), per_slice(the slice's current values) -> (values,
    0-based indices) written before the next slice is read (topk, kthvalue, median)."""
    buf, ibuf = r._storage._data, ri._storage._data
    R, I = overlap.dim_apply_grid(r, d), overlap.dim_apply_grid(ri, d)
    S = overlap.dim_apply_grid(src, d)
    for k in range(S.shape[0]):
        v, ix = per_slice(buf[S[k]])
        buf[R[k]] = v
        ibuf[I[k]] = np.asarray(ix) + 1
    return r, ri


def _sort(T, res, ires, src, d, descending):
    # THTensor_(sort)'s check: a tensor without dimensions has none to sort along
    if not 0 <= d < src.dim():
        raise TorchError(messages.bad_argument(2, "invalid dimension %d" % _th_dim1(d)))
    if _shared(res, src):
        r = _result(T, res, src._size)
        if overlap.shares_storage(r, src):
            # THTensor_(sort): resizeAs and copy(rt_, t) (in TH's element order), then each
            # slice of rt_ sorted in place: rt_'s values from here
            overlap.ordered_copy(r, src, c_cast)
            src = r
    a = src.numpy()
    o = _sort_order(a, d, descending)
    vals = np.take_along_axis(a, o, axis=d)
    r = _result(T, res, src._size)
    ri = _result(LongTensor, ires, src._size)
    r.numpy()[...] = vals
    np.add(o, 1, out=ri.numpy())
    return r, ri


def _topk_exact(row, k, largest, sorted_):
    n = len(row)
    vals = row.tolist()
    ix = list(_brange(n))
    if largest:
        K = n - k
        if K > 0:
            _ts_quickselect(vals, ix, K - 1)
        if sorted_:
            sub, subi = vals[K:], ix[K:]
            _ts_quicksort(sub, subi, k, True)
            vals[K:], ix[K:] = sub, subi
        return ix[K:]
    _ts_quickselect(vals, ix, k - 1)
    if sorted_:
        _ts_quicksort(vals, ix, k - 1, False)  # Torch7 sorts the first k - 1 only
    return ix[:k]


def _topk(T, res, ires, src, k, d, largest, sorted_):
    if d < 0 or d >= src.dim():
        raise TorchError(messages.bad_argument(3, "dim not in range"))
    n = src._size[d]
    if k < 1 or k > n:
        raise TorchError(messages.bad_argument(2, "k not in range for dimension"))
    shape = list(src._size)
    shape[d] = k
    if _shared(res, src):
        r = _result(T, res, tuple(shape))
        ri = _result(LongTensor, ires, tuple(shape))
        if overlap.shares_storage(r, src):
            def one(v):
                sel = np.array(_topk_exact(v, k, largest, sorted_), np.int64)
                return v[sel], sel
            return _ordered_slices(r, ri, src, d, one)
    a = src.numpy()
    if a.size <= _EXACT_LIMIT:
        rows, shape = _slices(a, d)
        sel = np.array([_topk_exact(r, k, largest, sorted_) for r in rows], np.int64)
        sel = _unslice(sel.reshape(rows.shape[0], k), shape, d)
    else:
        if largest:
            part = np.argpartition(a, n - k, axis=d)
            sel = np.take(part, np.arange(n - k, n), axis=d)
        else:
            part = np.argpartition(a, k - 1, axis=d)
            sel = np.take(part, np.arange(k), axis=d)
        sel = np.sort(sel, axis=d)
        o = _stable_order(np.take_along_axis(a, sel, axis=d), d, largest)
        sel = np.take_along_axis(sel, o, axis=d)
    shape = list(src._size)
    shape[d] = k
    shape = tuple(shape)
    r = _result(T, res, shape)
    ri = _result(LongTensor, ires, shape)
    r.numpy()[...] = np.take_along_axis(a, sel, axis=d)
    np.add(sel, 1, out=ri.numpy())
    return r, ri


def _dim_range(src, d):
    if d < 0 or d >= src.dim():  # kthvalue's, mode's and median's check
        raise TorchError(messages.bad_argument(3, "dimension out of range"))


def _kthvalue(T, res, ires, src, k, d):
    _dim_range(src, d)
    n = src._size[d]
    if k < 1 or k > n:
        raise TorchError(messages.bad_argument(2, "selected index out of range"))
    if _shared(res, src):
        r = _result(T, res, _kept(src, d))
        ri = _result(LongTensor, ires, _kept(src, d))
        if overlap.shares_storage(r, src):
            def one(v):
                vals, ix = v.tolist(), list(_brange(n))
                _ts_quickselect(vals, ix, k - 1)
                return v[ix[k - 1]], ix[k - 1]
            return _ordered_slices(r, ri, src, d, one)
    a = src.numpy()
    o = np.argsort(a, axis=d, kind="stable")
    sel = np.take(o, [k - 1], axis=d)
    if a.size <= _TIES_LIMIT:
        # the index is only ambiguous when the k-th value occurs more than once (or NaN)
        kth = np.take_along_axis(a, sel, axis=d)
        amb = (np.sum(a == kth, axis=d, keepdims=True) > 1)
        if a.dtype.kind == "f":
            amb |= np.isnan(a).any(axis=d, keepdims=True)
        if amb.any():
            rows, shape = _slices(a, d)
            srows, sshape = _slices(sel, d)
            for r in np.nonzero(_slices(amb, d)[0][:, 0])[0]:
                vals = rows[r].tolist()
                ix = list(_brange(n))
                _ts_quickselect(vals, ix, k - 1)
                srows[r, 0] = ix[k - 1]
            sel = _unslice(srows, sshape, d)
    shape = _kept(src, d)
    r = _result(T, res, shape)
    ri = _result(LongTensor, ires, shape)
    r.numpy()[...] = np.take_along_axis(a, sel, axis=d)
    np.add(sel, 1, out=ri.numpy())
    return r, ri


def _median(T, res, ires, src, d):
    _dim_range(src, d)
    return _kthvalue(T, res, ires, src, (src._size[d] - 1) // 2 + 1, d)


def _mode(T, res, ires, src, d):
    _dim_range(src, d)
    if _shared(res, src):
        r = _result(T, res, _kept(src, d))
        ri = _result(LongTensor, ires, _kept(src, d))
        if overlap.shares_storage(r, src):
            def one(v):
                vals, idx = _mode_last(v[None, :])
                return vals[0, 0], idx[0, 0]
            return _ordered_slices(r, ri, src, d, one)
    vals, idx = _mode_last(np.moveaxis(src.numpy(), d, -1))
    shape = _kept(src, d)
    r = _result(T, res, shape)
    ri = _result(LongTensor, ires, shape)
    r.numpy()[...] = np.moveaxis(vals, -1, d)
    np.add(np.moveaxis(idx, -1, d), 1, out=ri.numpy())
    return r, ri


def _mode_last(a):
    """THTensor_(mode) along a's last dimension: the most frequent value (the smallest of
    equally frequent ones) and its 0-based position (its run's last, in sorted order)."""
    n = a.shape[-1]
    o = _sort_order(a, a.ndim - 1, False)
    s = np.take_along_axis(a, o, axis=-1)
    pos = np.arange(n)
    start = np.ones(s.shape, bool)
    start[..., 1:] = s[..., 1:] != s[..., :-1]
    run_start = np.maximum.accumulate(np.where(start, pos, 0), axis=-1)
    end = np.ones(s.shape, bool)
    end[..., :-1] = start[..., 1:]
    freq = np.where(end, pos - run_start + 1, 0)
    best = np.argmax(freq, axis=-1)[..., None]  # first maximum: the smallest value
    vals = np.take_along_axis(s, best, axis=-1)
    idx = np.take_along_axis(o, best, axis=-1)  # Torch7 reports the run's last position
    return vals, idx


_define("sort", [("R L? T i=L3 b=0", _sort)])
_define("topk", [("R L? T n=1 i=L3 b=0 b=0", _topk)])
_define("kthvalue", [("R L? T n i=L3", _kthvalue)])
_define("median", [("R L? T i=L3", _median)])
_define("mode", [("R L? T i=L3", _mode)])
