"""TH's element order when a result overlaps its operands (TH_TENSOR_APPLY*, THVector_*).

numpy buffers overlapping operands (every read happens before any write); TH does not. A
non-contiguous operation is TH_TENSOR_APPLY2/3 (THTensorApply.h): one C loop over the k-th
element of each tensor in its own row-major order, `*r = f(*t, *src)` one element after the
other, so a later element reads what an earlier one wrote. The contiguous paths call a
THVector kernel (vector/AVX.c, AVX2.c) that loads a block of B elements, computes, stores the
block, then the next block, and finishes the tail element by element; `r_ == t` in cadd is
OpenBLAS's axpy (Haswell kernel: blocks of 16 doubles / 32 floats, then a scalar tail).
Integer types have no SIMD kernel: the C loops (THVectorDefault.c) run element by element.

The common case pays a few attribute checks (`conflict`); an overlapping call is run here in
chunks: consecutive steps whose reads and writes do not touch what another step of the same
chunk writes are one vectorised read-compute-write, which gives the sequential result.
"""
import numpy as np

# elements per THVector/BLAS block on the reference CPU (AVX2, OpenBLAS Haswell kernels):
# (double, float); integer types run element by element
_BLOCKS = {"vec": (8, 16), "axpy": (16, 32)}

_SELF = {}


def self_overlaps(t):
    """Whether two elements of t are one storage element (an expanded or unfolded view)."""
    key = (t._size, t._stride)
    v = _SELF.get(key)
    if v is None:
        dims = sorted((abs(st), sz) for sz, st in zip(t._size, t._stride) if sz > 1)
        span = 0  # the largest offset the smaller strides reach
        v = False
        for st, sz in dims:
            if st <= span or st == 0:
                v = True  # may alias (exactness is left to the ordered run)
                break
            span += st * (sz - 1)
        if len(_SELF) > 4096:
            _SELF.clear()
        _SELF[key] = v
    return v


def _bounds(t):
    lo = hi = t._offset
    for sz, st in zip(t._size, t._stride):
        if st > 0:
            hi += st * (sz - 1)
        else:
            lo += st * (sz - 1)
    return lo, hi


def _shared_buffer(a, b):
    """Whether storages a and b may be one memory (the same object, or windows of one)."""
    if a is b:
        return True
    da, db = a._data, b._data
    if da.base is None and db.base is None:
        return False
    return da.dtype == db.dtype and np.may_share_memory(da, db)


def _touches(r, s):
    """Whether input s reads storage elements that r writes, other than r's own elements."""
    if s is r or s._storage is None or not s._size:
        return False
    rs, ss = r._storage, s._storage
    if rs is ss:
        if s._offset == r._offset and s._size == r._size and s._stride == r._stride:
            return False
        (rl, rh), (sl, sh) = _bounds(r), _bounds(s)
        if rh < sl or sh < rl:
            return False
    elif not _shared_buffer(rs, ss):
        return False
    try:
        return np.shares_memory(r.numpy(), s.numpy(), max_work=100000)
    except np.exceptions.TooHardError:
        return True


def conflict(r, inputs):
    """Whether writing r element by element can differ from numpy's buffered result."""
    rs = r._storage
    if rs is None:
        return False
    st = r._stride
    if len(st) == 1:  # (the common case without the cache)
        if st[0] == 0 and r._size[0] > 1:
            return True
    elif self_overlaps(r):
        return True
    rbase = rs._data.base
    for s in inputs:
        if s is r:
            continue
        ss = s._storage
        if ss is not rs and rbase is None and (ss is None or ss._data.base is None):
            continue  # (different storages of their own buffers cannot overlap)
        if _touches(r, s):
            return True
    return False


def positions(t):
    """The storage index of each element of t, row-major (TH_TENSOR_APPLY's order)."""
    p = np.array(t._offset, dtype=np.int64)
    for sz, st in zip(t._size, t._stride):
        p = p[..., None] + np.arange(sz, dtype=np.int64) * st
    return p.ravel()


def block_ids(n, block):
    """Block number of each step: blocks of `block` steps, then a tail step by step."""
    k = np.arange(n, dtype=np.int64)
    if block <= 1:
        return k
    full = (n // block) * block
    return np.where(k < full, k // block, k - full + (full // block))


def block_size(kind, T):
    """Elements per block of the contiguous kernel `kind` for tensor type T (1: a C loop)."""
    if kind is None or T.dtype.kind != "f":
        return 1
    b = _BLOCKS[kind]
    return b[0] if T.dtype.itemsize == 8 else b[1]


def run(dest, write_pos, inputs, blk, compute):
    """Run steps k = 0..n-1 of `dest[write_pos[k]] = compute(inputs[k])` in TH's order.

    dest: the written storage's buffer (1-D); write_pos: storage indices (int64, n);
    inputs: per operand either ('pos', data, positions) read from a buffer that the writes
    may change, or ('val', values) fixed values; blk: nondecreasing block ids (steps of one
    block read all before any writes). compute(list of 1-D arrays) -> 1-D array.
    Addresses of different buffers are compared through their element address (`base`)."""
    n = write_pos.shape[0]
    if n == 0:
        return
    wbase = dest.__array_interface__["data"][0] // dest.itemsize
    W = write_pos + wbase
    # dep[k]: the last step of an earlier block writing a position that step k reads or writes
    nb = int(blk[-1]) + 1
    order = np.lexsort((np.arange(n), W))
    ws = W[order]
    keys = ws * nb + blk[order]
    dep = np.full(n, -1, np.int64)
    queries = [W] + [inp[2] + inp[1].__array_interface__["data"][0] // inp[1].itemsize
                     for inp in inputs if inp[0] == "pos"]
    for q in queries:
        i = np.searchsorted(keys, q * nb + blk, side="left") - 1
        ok = i >= 0
        ic = np.where(ok, i, 0)
        ok &= ws[ic] == q
        np.maximum(dep, np.where(ok, order[ic], -1), out=dep)
    # greedy chunks: a step joins the current chunk unless it depends on a step inside it
    first = np.searchsorted(blk, blk, side="left")  # the first step of each step's block
    starts = [0]
    cur = 0
    cand = np.flatnonzero(dep >= 0)
    for k, d, f in zip(cand.tolist(), dep[cand].tolist(), first[cand].tolist()):
        if d >= cur:
            cur = f
            starts.append(f)
    starts.append(n)
    for a, b in zip(starts[:-1], starts[1:]):
        vals = [inp[1][inp[2][a:b]] if inp[0] == "pos" else inp[1][a:b] for inp in inputs]
        dest[write_pos[a:b]] = compute(vals)


def operand(r, s):
    """An input of an ordered run: read live from the buffer r writes, or fixed values."""
    rs = r._storage
    if s._storage is not None and _shared_buffer(rs, s._storage):
        return ("pos", s._storage._data, positions(s))
    return ("val", np.ravel(s.numpy(), order="C"))



def ordered_copy(dst, src, cast):
    """THTensor_(copy)(dst, src) element by element in TH's order (generic/THTensorCopy.c).

    Contiguous tensors of one type: THVector_(copy) (AVX blocks for float/double); a
    contiguous dst of >= 3600 elements from a transposed 2D src: copyTranspose, which reads
    a 60x60 tile (120x120 for bytes) of src into a buffer, then writes the tile; otherwise
    TH_TENSOR_APPLY2, one element after the other."""
    W = positions(dst)
    n = W.shape[0]
    inp = operand(dst, src)
    same = dst.dtype == src.dtype
    blk = None
    if same and dst.isContiguous() and src.isContiguous():
        blk = block_ids(n, block_size("vec", dst))
    elif (same and dst.isContiguous() and len(src._size) == 2 and src._stride[0] == 1
          and src._stride[1] == src._size[0] and n >= 3600):
        nr, nc = src._size
        bs = 120 if dst.dtype.itemsize == 1 else 60
        i = np.arange(nr, dtype=np.int64)[:, None]
        j = np.arange(nc, dtype=np.int64)[None, :]
        tile = np.broadcast_to((i // bs) * ((nc + bs - 1) // bs) + j // bs, (nr, nc)).ravel()
        order = np.argsort(tile, kind="stable")
        W, blk = W[order], tile[order]
        inp = inp[:2] + (inp[2][order],) if inp[0] == "pos" else ("val", inp[1][order])
    else:
        blk = block_ids(n, 1)
    dt = dst.dtype
    run(dst._storage._data, W, [inp], blk,
        (lambda v: v[0]) if same else (lambda v: cast(v[0], dt)))


# ---- THTensorMath.c's index loops (indexCopy, indexAdd, gather, scatter, maskedCopy) -------
# Each is a C loop over the index in order, reading its source and writing its result one
# element (or one slice copy) after the other: where the result shares memory with the
# source, or holds one element twice (an expanded view), a later step sees an earlier write.
# indexFill, scatterFill and maskedFill only write one value: their order cannot show.

def _grid(t):
    """The storage index of each element of t, in t's shape."""
    return positions(t).reshape(t._size)


def _source(dest, src, pos):
    """An input read at src's storage indices pos (in step order): live from the buffer
    dest writes, or src's values taken before the loop."""
    if src._storage is not None and _shared_buffer(dest._storage, src._storage):
        return ("pos", src._storage._data, pos)
    return ("val", src._storage._data[pos])


def _slice_blocks(tensor, src, d, numel, per, kind):
    """Block ids of numel slice operations of `per` elements each along dimension d (0-based):
    a slice operation on contiguous slices is one THVector/BLAS kernel (blocks), any other a
    TH_TENSOR_APPLY loop (element by element); slice k's blocks follow slice k-1's."""
    bs = 1
    if kind is not None and per > 0 and src.dim() > 1:
        ts = tensor.select(d + 1, 1)
        ss = src.select(d + 1, 1)
        if ts.isContiguous() and ss.isContiguous():
            bs = block_size(kind, tensor)
    one = block_ids(per, bs)
    width = int(one[-1]) + 1 if per else 1
    return (np.arange(numel, dtype=np.int64)[:, None] * width + one[None, :]).ravel()


def index_copy(tensor, d, idx, src, add=False):
    """THTensor_(indexCopy) (add: indexAdd) in TH's order: for each i, the slice idx[i] of
    tensor along d gets THTensor_(copy) of (or THTensor_(cadd) with) slice i of src; a 1-D
    tensor is set1d/get1d element by element. idx: 0-based indices."""
    idx = np.asarray(idx, dtype=np.int64)
    numel = idx.shape[0]
    if numel == 0 or tensor._storage is None:
        return
    PT = _grid(tensor)
    if tensor.dim() > 1:
        W = np.moveaxis(np.take(PT, idx, axis=d), d, 0).ravel()
        R = np.moveaxis(_grid(src), d, 0).ravel()
        per = W.shape[0] // numel
        blk = _slice_blocks(tensor, src, d, numel, per, "axpy" if add else "vec")
    else:
        W = PT[idx]
        R = positions(src)[:numel]
        blk = np.arange(numel, dtype=np.int64)
    data = tensor._storage._data
    ins = [_source(tensor, src, R)]
    if add:
        ins.append(("pos", data, W))
        run(data, W, ins, blk, lambda v: v[1] + v[0])
    else:
        run(data, W, ins, blk, lambda v: v[0])


def index_select(res, src, d, idx, rows):
    """THTensor_(indexSelect) in TH's order where res shares src's storage: for each i, slice
    i of res (along d) gets slice idx[i] of src: a memcpy of the row (rows: the path of a
    contiguous src and result along dimension 0: the row read whole, then written), set1d of
    get1d on a vector, else THTensor_(copy) of the slice. idx: 0-based."""
    numel = idx.shape[0]
    if numel == 0 or res._storage is None:
        return
    PR, PS = _grid(res), _grid(src)
    if res.dim() > 1:
        W = np.moveaxis(PR, d, 0).reshape(numel, -1)
        R = np.moveaxis(np.take(PS, idx, axis=d), d, 0).reshape(numel, -1)
        per = W.shape[1]
        if rows:
            blk = np.repeat(np.arange(numel, dtype=np.int64), per)
        else:
            blk = _slice_blocks(res, src, d, numel, per, "vec")
        W, R = W.ravel(), R.ravel()
    else:
        W, R = PR.ravel()[:numel], PS.ravel()[idx]
        blk = np.arange(numel, dtype=np.int64)
    run(res._storage._data, W, [_source(res, src, R)], blk, lambda v: v[0])


def _dim_apply(P, d):
    """P (in a tensor's shape) in TH_TENSOR_DIM_APPLY's order: the dimensions other than d
    counted with the FIRST fastest (THTensorDimApply.h's counter), dimension d innermost."""
    P = np.moveaxis(P, d, -1)
    nd = P.ndim - 1
    return np.transpose(P, tuple(range(nd - 1, -1, -1)) + (nd,))


def _dim_last(P, d):
    """TH_TENSOR_DIM_APPLY's order of P's elements, flat (_dim_apply)."""
    return _dim_apply(P, d).ravel()


def dim_apply_first_bad(idx, d, n):
    """The step (in TH_TENSOR_DIM_APPLY's order) of the first index (0-based) outside 0..n-1,
    or None: gather/scatter have written the steps before it when they stop there."""
    bad = np.flatnonzero(_dim_last((idx < 0) | (idx >= n), d))
    return int(bad[0]) if bad.size else None


def gather(res, src, d, idx, limit=None):
    """THTensor_(gather): res[..i..] = src[..idx[..i..]..] along d, in DIM_APPLY's order.
    idx: 0-based, in index's shape (res's); limit: only the steps before it."""
    if res._storage is None or idx.size == 0 or limit == 0:
        return
    W = _dim_last(_grid(res), d)[:limit]
    R = _dim_last(np.take_along_axis(_grid(src), np.clip(idx, 0, src._size[d] - 1), axis=d),
                  d)[:limit]
    run(res._storage._data, W, [_source(res, src, R)], np.arange(W.shape[0], dtype=np.int64),
        lambda v: v[0])


def scatter(tensor, d, idx, src, limit=None):
    """THTensor_(scatter) (src a number: scatterFill): tensor[..idx[..i..]..] = src[..i..]
    along d, in DIM_APPLY's order. idx: 0-based, in index's shape; limit: only the steps
    before it."""
    if tensor._storage is None or idx.size == 0 or limit == 0:
        return
    safe = np.clip(idx, 0, tensor._size[d] - 1)
    W = _dim_last(np.take_along_axis(_grid(tensor), safe, axis=d), d)[:limit]
    if isinstance(src, (int, float, np.number)):
        ins = [("val", np.full(W.shape[0], src, dtype=tensor.dtype))]
    else:
        PS = _grid(src)[tuple(slice(0, m) for m in idx.shape)]
        ins = [_source(tensor, src, _dim_last(PS, d)[:limit])]
    run(tensor._storage._data, W, ins, np.arange(W.shape[0], dtype=np.int64), lambda v: v[0])


def masked_copy(tensor, mask, src):
    """THTensor_(maskedCopy): tensor's elements where mask is 1, row-major, take src's
    elements one after the other (src made contiguous first: a copy unless it already is)."""
    W = positions(tensor)[mask.reshape(-1)]
    n = W.shape[0]
    if n == 0:
        return
    if src.isContiguous():
        ins = [_source(tensor, src, src._offset + np.arange(n, dtype=np.int64))]
    else:
        ins = [("val", np.ravel(src.numpy(), order="C")[:n])]
    run(tensor._storage._data, W, ins, np.arange(n, dtype=np.int64), lambda v: v[0])


# ---- THTensorMath.c's dim reductions (sum prod cumsum cumprod max min std var norm) -------
# TH resizes the result first (so a result that is the source itself is then read with its
# new shape), then runs TH_TENSOR_DIM_APPLY2/3: slice after slice along the dimension, in
# _dim_apply's order (the other dimensions counted with the first fastest), each slice
# read before its result element is written; or, where the source's stride along the
# dimension is not 1, sum/prod/max/min fill the result and fold the source into it element by
# element (TH_TENSOR_APPLY2/3, row-major). Where the result shares the source's storage a later
# slice (element) reads what an earlier one wrote.

def shares_storage(r, t):
    """Whether a dim reduction of t into r must run in TH's order: r is t (read with r's new
    shape), or r writes storage elements that t reads (one storage)."""
    return (r._storage is not None and r._storage is t._storage
            and (r is t or (bool(t._size) and _touches(r, t))))


def dim_apply_grid(t, d):
    """t's storage indices as [slices, t's size along d]: TH_TENSOR_DIM_APPLY's slices (the
    dimensions other than d counted with the first fastest), each along d (0-based)."""
    return _dim_apply(_grid(t), d).reshape(-1, t._size[d])


def _store(buf, pos, v):
    """buf[pos] = v as C's assignment to the tensor's type (a double or a long narrowed)."""
    v = np.asarray(v)
    if v.dtype != buf.dtype:
        from .storage import c_cast
        v = c_cast(v, buf.dtype)
    buf[pos] = v


def reduce_slices(r, t, d, f):
    """TH_TENSOR_DIM_APPLY2(t, r_, d) of a reduction, r sharing t's storage: for each slice,
    r's element = f(the slice's current values); f may return (value, extra): the extras
    (max/min's indices) are returned in slice order."""
    buf = r._storage._data
    R = dim_apply_grid(r, d)[:, 0]
    T = dim_apply_grid(t, d)
    extras = []
    with np.errstate(all="ignore"):
        for k in range(T.shape[0]):
            v = f(buf[T[k]])
            if isinstance(v, tuple):
                v, e = v
                extras.append(e)
            _store(buf, R[k], v)
    return extras


def fold_into(r, t, d, op):
    """TH_TENSOR_APPLY2(temp_, t): temp_ is r expanded along d to t's shape, row-major, each
    step `*temp = *temp op *t` in the tensor's type (sum's and prod's other path)."""
    W = np.broadcast_to(_grid(r), t._size).ravel()
    buf = r._storage._data
    with np.errstate(all="ignore"):
        run(buf, W, [("pos", buf, W), operand(r, t)], np.arange(W.shape[0], dtype=np.int64),
            lambda v: op(v[0], v[1]).astype(buf.dtype, copy=False))


def cumulate(r, t, d, op, start, acc):
    """THTensor_(cumsum/cumprod) with r sharing t's storage: slice after slice, each element
    read from t, folded into the accumulator (accreal acc) and written to r before the next."""
    buf = r._storage._data
    R = dim_apply_grid(r, d)
    T = dim_apply_grid(t, d)
    with np.errstate(all="ignore"):
        for k in range(T.shape[0]):
            a = acc(start)
            for i in range(T.shape[1]):
                a = op(a, acc(buf[T[k, i]]))
                _store(buf, R[k, i], a)


def extremum_fold(v, ix, t, d, better):
    """max/min's other path (source stride along d not 1), after values_ got t's first slice
    and indices_ zeros: row-major over t, an element replaces its slice's value (and index)
    when better(x, current) and the current value is not NaN."""
    vbuf = v._storage._data
    W = np.broadcast_to(_grid(v), t._size).ravel()
    I = np.broadcast_to(_grid(ix), t._size).ravel()
    T = positions(t)
    tbuf = t._storage._data
    along = np.broadcast_to(
        np.arange(t._size[d], dtype=np.int64).reshape([-1 if k == d else 1
                                                       for k in range(len(t._size))]),
        t._size).ravel()
    ibuf = ix._storage._data
    for k in range(T.shape[0]):
        x, cur = tbuf[T[k]], vbuf[W[k]]
        if better(x, cur) and cur == cur:
            vbuf[W[k]] = x
            ibuf[I[k]] = along[k] + 1  # (the Lua wrapper's 1-based index)
