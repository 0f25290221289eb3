"""TensorMath's index, indexCopy, indexAdd, indexFill, gather, scatter, masked*."""
import numpy as np

from .. import messages, overlap
from ..tensor import TorchError
from ._helpers import _new, _resize, _th_dim1
from ._dispatch import _define, _FUNCS
from .blas import _shares


# --------------------------------------------------------------------------------------------
# index, indexCopy, indexAdd, indexFill, gather, scatter, masked*
# --------------------------------------------------------------------------------------------

def _check_index(idx, n, what="index out of range"):
    """0-based indices of a LongTensor of 1-based ones; out of range: what (the message)."""
    if idx.dim() != 1:
        raise TorchError(messages.bad_argument(3, "Index is supposed to be a vector"))
    i = idx.numpy()
    if i.size and (i.min() < 1 or i.max() > n):
        raise TorchError(what)
    return i - 1


def _index_dim(t, d):
    """TH's check of the dimension of index/indexCopy/indexAdd/indexFill: `dim < nDimension`
    only, a dimension below 0 (dim 0 or a negative one in Lua) goes on (_negative_dim)."""
    if d >= t.dim():
        raise TorchError(messages.bad_argument(4, "Indexing dim %d is out of bounds of tensor"
                                               % _th_dim1(d)))
    if d < 0 and t.dim() == 1:
        # a vector is read and written through get1d/set1d, which take no dimension
        return 0
    return d


def _negative_dim(t, d, numel):
    """A dimension below 0 that passed _index_dim on a tensor of 2 or more dimensions: the
    loop's THTensor_(select) refuses it at its first index (argument #2, out of range)."""
    if d < 0 and t.dim() > 1 and numel:
        raise TorchError(messages.bad_argument(2, messages.msg("out_of_range")))
    if d < 0 and t.dim() == 0 and numel:  # set1d on a tensor without dimensions
        raise TorchError(messages.bad_argument(1, "tensor must have one dimension"))


def _index_checks(self, d, idx, src):
    """THTensor_(indexCopy)'s / indexAdd's checks, in their order."""
    if idx.dim() != 1:
        raise TorchError(messages.bad_argument(3, "Index is supposed to be a vector"))
    _index_dim(src, d)
    # a dimension below 0 reads a size before src's sizes: not the count of indices
    if d < 0 or idx.nElement() != src._size[d]:
        raise TorchError(messages.bad_argument(
            4, "Number of indices should be equal to source:size(dim)"))


def _index(T, res, src, d, idx):
    # THTensor_(indexSelect)'s checks, in its order
    if idx.dim() != 1:
        raise TorchError(messages.bad_argument(3, "Index is supposed to be a vector"))
    if d < 0 and src.dim() == 1:
        # TH resizes the result through a size before the sizes' array and reads get1d of
        # it: undefined, refused here
        raise TorchError(messages.bad_argument(4, "Indexing dim %d is out of bounds of tensor"
                                               % _th_dim1(d)))
    _index_dim(src, d)
    if not src._size:
        raise TorchError(messages.bad_argument(2, "Source tensor is empty"))
    _negative_dim(src, d, idx.nElement())
    shape = list(src._size)
    shape[d] = idx.nElement()
    r = T() if res is None else res
    _resize(r, tuple(shape))    # (TH resizes the result before it reads an index)
    i = idx.numpy().astype(np.int64) - 1 if idx._size else np.zeros(0, np.int64)
    bad = _first_bad(i + 1, src._size[d])
    if bad is not None:
        if d == 0 and src.isContiguous() and r.isContiguous():
            # the contiguous path checks every index first: THError
            raise TorchError("index out of range")
        # the other path copies slice after slice: set1d(get1d) on a vector (get1d's
        # argument #2), select on a matrix (#3) refuse the bad index, after the ones before it
        if bad and r._size and _aliased(r, src):
            overlap.index_select(r.narrow(d + 1, 1, bad), src, d, i[:bad], False)
        elif bad and r._size:
            sl = [slice(None)] * len(shape)
            sl[d] = slice(0, bad)
            r.numpy()[tuple(sl)] = np.take(src.numpy(), i[:bad], axis=d)
        raise TorchError(messages.bad_argument(3 if src.dim() > 1 else 2,
                                               messages.msg("out_of_range")))
    if r._size and _aliased(r, src):
        # TH copies slice after slice: a later one reads what an earlier one wrote
        overlap.index_select(r, src, d, i, d == 0 and src.isContiguous() and r.isContiguous())
    elif r._size:
        ra = r.numpy()
        if ra.flags.c_contiguous and not _shares(r, src):
            np.take(src.numpy(), i, axis=d, out=ra)
        else:
            ra[...] = np.take(src.numpy(), i, axis=d)
    return r


def _index_self(T, src, d, idx):
    return _index(T, None, src, d, idx)


def _along(t, d, i):
    """t's array and the numpy key selecting the indices i along dimension d."""
    a = t.numpy()
    sl = [slice(None)] * a.ndim
    sl[d] = i
    return a, tuple(sl)


def _aliased(r, src):
    """Whether r's loop can read what it wrote: r shares memory with src (src itself too:
    these loops read other elements than they write) or holds an element twice."""
    return (src is r and r._storage is not None) or overlap.conflict(r, (src,))


def _first_bad(i, n):
    """The position of the first index (1-based values) outside 1..n, or None."""
    bad = np.flatnonzero((i < 1) | (i > n))
    return int(bad[0]) if bad.size else None


def _index_prefix(fn, self, d, idx, other):
    """An index loop that meets an index out of range: TH has done the steps before it when
    select (argument #3) or set1d/get1d (#2, a 1-D tensor) refuses it."""
    n = self._size[d] if d < self.dim() else 0
    bad = _first_bad(idx.numpy(), n)
    if bad is None:
        return False
    if bad:
        fn(idx.narrow(1, 1, bad), other if not isinstance(other, type(self)) or other.dim() <= d
           else other.narrow(d + 1, 1, bad))
    raise TorchError(messages.bad_argument(3 if self.dim() > 1 else 2,
                                           messages.msg("out_of_range")))


def _slice_checks(self, d, idx, src, add=False):
    """THTensor_(indexCopy)'s / indexAdd's loop at its first index: the checks that hold for
    every step when they hold for the first, in their order. A tensor of 2 or more
    dimensions: select(tSlice, tensor, dim, index[1]) (the dimension #2, the index #3),
    select(sSlice, src, dim, 0) (#1 on a vector), then copy (cadd) of the two slices, whose
    element counts must agree. A vector: set1d(tensor, index[1], get1d(src, 0)), get1d first."""
    if not idx.nElement():
        return
    if self.dim() > 1:
        if d >= self.dim():
            raise TorchError(messages.bad_argument(2, messages.msg("out_of_range")))
        i0 = int(idx.numpy()[0])
        if not 1 <= i0 <= self._size[d]:
            raise TorchError(messages.bad_argument(3, messages.msg("out_of_range")))
        if src.dim() <= 1:
            raise TorchError(messages.bad_argument(1, "cannot select on a vector"))
        ts = self._size[:d] + self._size[d + 1:]
        ss = src._size[:d] + src._size[d + 1:]
        n, m = int(np.prod(ts)), int(np.prod(ss))
        if n != m:
            a, b = messages.size_str(ts), messages.size_str(ss)
            if add:  # THTensor_(cadd)(tSlice, tSlice, 1, sSlice)
                raise TorchError(messages.msg("inconsistent_3", "r_", a, "t", a, "src", b,
                                              n, n, m))
            raise TorchError(messages.msg("inconsistent_2", "tensor", a, "src", b, n, m))
    elif src.dim() != 1 or self.dim() != 1:
        raise TorchError(messages.bad_argument(1, "tensor must have one dimension"))


def _index_copy(T, self, d, idx, src):
    _index_checks(self, d, idx, src)
    _slice_checks(self, d, idx, src)
    _index_prefix(lambda ix, s: _index_copy(T, self, d, ix, s), self, d, idx, src)
    i = _check_index(idx, self._size[d] if d < self.dim() else 0,
                     messages.bad_argument(3, messages.msg("out_of_range")))
    if _aliased(self, src):  # a source the copies change: TH's order
        overlap.index_copy(self, d, i, src)
        return src
    a, sl = _along(self, d, i)
    a[sl] = src.numpy().reshape(a[sl].shape)
    return src


def _index_add(T, self, d, idx, src):
    _index_checks(self, d, idx, src)
    _slice_checks(self, d, idx, src, add=True)
    _index_prefix(lambda ix, s: _index_add(T, self, d, ix, s), self, d, idx, src)
    i = _check_index(idx, self._size[d] if d < self.dim() else 0,
                     messages.bad_argument(3, messages.msg("out_of_range")))
    if _aliased(self, src):
        overlap.index_copy(self, d, i, src, add=True)
        return src
    a, sl = _along(self, d, i)
    np.add.at(a, sl, src.numpy())
    return src


def _index_fill(T, self, d, idx, value):
    if idx.dim() != 1:
        raise TorchError(messages.bad_argument(3, "Index is supposed to be a vector"))
    d = _index_dim(self, d)
    _negative_dim(self, d, idx.nElement())
    _index_prefix(lambda ix, v: _index_fill(T, self, d, ix, v), self, d, idx, value)
    i = _check_index(idx, self._size[d], messages.bad_argument(2, messages.msg("out_of_range")))
    a, sl = _along(self, d, i)
    a[sl] = value


_index_fill.returns_last_argument = True


def _desc(t):
    return "[%s]" % messages.size_str(t._size)


def _dim_apply(d, *named):
    """TH_TENSOR_DIM_APPLY2/3's checks of (name, tensor) pairs along dimension d (0-based)."""
    (n1, t1) = named[0]
    if d < 0 or d >= t1.dim():
        raise TorchError("invalid dimension %d (expected to be 0 <= dim < %d)" % (d, t1.dim()))
    descs = ", ".join("%s %s" % (n, _desc(t)) for n, t in named[:-1])
    descs = "%s and %s %s" % (descs, named[-1][0], _desc(named[-1][1]))
    if any(t.dim() != t1.dim() for _, t in named[1:]):
        raise TorchError("inconsistent tensor size, expected %s to have the same number of "
                         "dimensions" % descs)
    for i in range(t1.dim()):
        if i != d and any(t._size[i] != t1._size[i] for _, t in named[1:]):
            raise TorchError("Expected %s to have the same size in dimension %d" % (descs, d))


def _index_size(idx, d):
    """THLongTensor_size(index, dim), which gather/scatter call before their loop: a dimension
    below 0 (the checks before it only bound it above) is its argument error."""
    if d < 0 or d >= idx.dim():
        raise TorchError(messages.bad_argument(
            2, "dimension %d out of range of %dD tensor" % (d + 1, idx.dim())))


def _gather(T, res, src, d, idx):
    if res is None:  # cwrap's init: a new result of the index's size
        res = _new(T, idx._size)
    # THTensor_(gather)'s checks
    if src.dim() != res.dim():
        raise TorchError(messages.bad_argument(
            2, "Input tensor must have same dimensions as output tensor"))
    if d >= res.dim():
        raise TorchError(messages.bad_argument(3, "Index dimension is out of bounds"))
    if idx.dim() != src.dim():
        raise TorchError(messages.bad_argument(
            4, "Index tensor must have same dimensions as input tensor"))
    _index_size(idx, d)
    _dim_apply(d, ("tensor", res), ("src", src), ("index", idx))
    i = idx.numpy()
    n = src._size[d]
    if i.size and (i.min() < 1 or i.max() > n):
        # TH stops at the first bad index, the steps before it done
        overlap.gather(res, src, d, i - 1, overlap.dim_apply_first_bad(i - 1, d, n))
        raise TorchError("Invalid index in gather")
    if _aliased(res, src):
        overlap.gather(res, src, d, i - 1)
        return res
    res.numpy()[...] = np.take_along_axis(src.numpy(), i - 1, axis=d)
    return res


def _scatter_common(name, self, d, idx, src):
    # THTensor_(scatter)'s / scatterFill's checks
    if d >= self.dim():
        raise TorchError(messages.bad_argument(2, "Index dimension is out of bounds"))
    if idx.dim() != self.dim():
        raise TorchError(messages.bad_argument(
            3, "Index tensor must have same dimensions as output tensor"))
    if not isinstance(src, (int, float, np.number)):
        if src.dim() != self.dim():
            raise TorchError(messages.bad_argument(
                4, "Input tensor must have same dimensions as output tensor"))
    _index_size(idx, d)
    if not isinstance(src, (int, float, np.number)):
        _dim_apply(d, ("tensor", self), ("src", src), ("index", idx))
    else:
        _dim_apply(d, ("tensor", self), ("index", idx))
    i = idx.numpy()
    n = self._size[d]
    if i.size and (i.min() < 1 or i.max() > n):
        # TH stops at the first bad index, the steps before it done
        overlap.scatter(self, d, i - 1, src, overlap.dim_apply_first_bad(i - 1, d, n))
        raise TorchError("Invalid index in scatter")
    return i - 1


def _scatter(T, self, d, idx, src):
    i = _scatter_common("scatter", self, d, idx, src)
    if _aliased(self, src):
        overlap.scatter(self, d, i, src)
        return self
    s = src.numpy()
    if src._size[d] < idx._size[d]:
        s = _read_along(src, d, idx._size[d])
    sl = tuple(slice(0, m) for m in idx._size)
    np.put_along_axis(self.numpy(), i, s[sl], axis=d)
    return self


def _read_along(src, d, n):
    """src as THTensor_(scatter)'s loop reads it, n elements along d where src has fewer: its
    pointer steps on by src's stride d past the slice (TH checks no size along d), into the
    rest of its storage. Reads past the storage's end are not emulated."""
    data = src._storage._data if src._storage is not None else np.zeros(0, src.numpy().dtype)
    size = list(src._size)
    size[d] = n
    last = src._offset + sum((k - 1) * st for k, st in zip(size, src._stride))
    if last >= data.shape[0]:
        raise TorchError("scatter: the index reads src past the end of its storage (size %d "
                         "along dimension %d, %d indices)" % (src._size[d], d + 1, n))
    return np.lib.stride_tricks.as_strided(
        data[src._offset:], shape=tuple(size),
        strides=tuple(st * data.itemsize for st in src._stride), writeable=False)


def _scatter_fill(T, self, d, idx, value):
    i = _scatter_common("scatter", self, d, idx, value)
    np.put_along_axis(self.numpy(), i, value, axis=d)
    return self


_define("gather", [("R T i L", _gather)])
_define("scatter", [("T* i L T", _scatter), ("T* i L r", _scatter_fill)])
_define("index", [("R T i L", _index)], torch_fn=False,
        method_forms=[("T i L", _index_self), ("T T i L", _index)])
_define("indexCopy", [("T i L T", _index_copy)], torch_fn=False)
_define("indexAdd", [("T i L T", _index_add)], torch_fn=False)
_define("indexFill", [("T i L r", _index_fill)], torch_fn=False)


def _mask_array(mask, shape, n, name="tensor"):
    if mask.nElement() != n:  # TH_TENSOR_APPLY2(<name>, mask)'s check
        raise TorchError(messages.msg("inconsistent_2", name, messages.size_str(shape),
                                      "mask", messages.size_str(mask._size), n,
                                      mask.nElement()))
    m = mask.numpy()
    if m.size and m.max() > 1:
        raise TorchError("Mask tensor can take 0 and 1 values only")
    m = m.view(np.bool_)
    # (an empty tensor and an empty mask: TH's loops do nothing)
    return m if m.shape == shape or not n else m.reshape(shape)


def _masked_select(T, res, src, mask):
    # THTensor_(maskedSelect): the result is resized to the mask's sum before the loop checks
    # (TH_TENSOR_APPLY2(src, mask): "src" names the tensor whose size does not match)
    r = T() if res is None else res
    _resize(r, (int(mask.numpy().sum(dtype=np.int64)) if mask.nElement() else 0,))
    m = _mask_array(mask, src._size, src.nElement(), "src")
    vals = src.numpy()[m] if src._size else np.zeros(0, T.dtype)
    _resize(r, (vals.shape[0],))
    if vals.shape[0]:
        r.numpy()[...] = vals
    return r


def _masked_select_self(T, src, mask):
    return _masked_select(T, None, src, mask)


def _mask_stop(mask, n, nsrc=None):
    """TH_TENSOR_APPLY2(tensor, mask)'s loop over a mask (row-major, in step with the
    tensor): (the step where it stops, its message) or (None, None): a mask value above 1, or
    (maskedCopy, nsrc given) a 1 beyond the source's elements. The steps before are done."""
    if mask.nElement() != n:
        return None, None  # the size check comes first (the callers')
    m = np.ravel(mask.numpy(), order="C")
    big = np.flatnonzero(m > 1)
    stop = int(big[0]) if big.size else None
    text = "Mask tensor can take 0 and 1 values only"
    if nsrc is not None:
        ones = np.flatnonzero(m == 1)
        if ones.size > nsrc and (stop is None or int(ones[nsrc]) < stop):
            stop, text = int(ones[nsrc]), "Number of elements of src < number of ones in mask"
    return (stop, text) if stop is not None else (None, None)


def _mask_prefix(mask, shape, stop):
    """The mask's ones before step stop, as a bool array in the tensor's shape."""
    m = np.ravel(mask.numpy(), order="C") == 1
    m[stop:] = False
    return m.reshape(shape)


def _masked_fill(T, self, mask, value):
    stop, text = _mask_stop(mask, self.nElement())
    if stop is not None:
        if stop:
            self.numpy()[_mask_prefix(mask, self._size, stop)] = value
        raise TorchError(text)
    m = _mask_array(mask, self._size, self.nElement())
    if self._size:
        self.numpy()[m] = value


_masked_fill.returns_last_argument = True


def _masked_copy(T, self, mask, src):
    if self.nElement() != mask.nElement():  # THTensor_(maskedCopy)'s own check, first
        raise TorchError("Number of elements of destination tensor != Number of elements in "
                         "mask")
    stop, text = _mask_stop(mask, self.nElement(), src.nElement())
    if stop is not None:
        if stop:
            overlap.masked_copy(self, _mask_prefix(mask, self._size, stop), src)
        raise TorchError(text)
    m = _mask_array(mask, self._size, self.nElement())
    if not self._size:
        return self
    cnt = int(np.count_nonzero(m))
    if _aliased(self, src):
        overlap.masked_copy(self, m, src)
        return self
    self.numpy()[m] = src.numpy().reshape(-1)[:cnt]
    return self


_define("maskedSelect", [("T B", _masked_select_self), ("T T B", _masked_select)],
        torch_fn=False)
_define("maskedFill", [("T B r", _masked_fill)], torch_fn=False)
_define("maskedCopy", [("T B T", _masked_copy)], torch_fn=False)


def _method_fn(name):
    fn = _FUNCS[name]

    def f(self, *args):
        return fn.call(type(self), (self,) + args, True)
    f.__name__ = name
    return f


# module-level helpers for tensor.py's t[mask] forms (Torch7 has no torch.maskedSelect)
maskedSelect = _method_fn("maskedSelect")
maskedFill = _method_fn("maskedFill")
maskedCopy = _method_fn("maskedCopy")
