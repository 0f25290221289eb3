"""TensorMath's index, indexCopy, indexAdd, indexFill, gather, scatter, masked*."""
import numpy as np

from .. import messages
from ..tensor import TorchError
from ._helpers import _dimcheck, _fmt_size, _new, _pyreal, _resize
from ._dispatch import _define, _FUNCS
from .blas import _shares


# --------------------------------------------------------------------------------------------
# index, indexCopy, indexAdd, indexFill, gather, scatter, masked*
# --------------------------------------------------------------------------------------------

def _check_index(idx, n, what="index out of range"):
    """0-based indices of a LongTensor of 1-based ones; out of range: what (the message)."""
    if idx.dim() != 1:
        raise TorchError("Index is supposed to be a vector")
    i = idx.numpy()
    if i.size and (i.min() < 1 or i.max() > n):
        raise TorchError(what)
    return i - 1


def _index(T, res, src, d, idx):
    if not src._size:
        raise TorchError("index: Source tensor is empty")
    _dimcheck(src, d, "Indexing dim")
    i = _check_index(idx, src._size[d]) if idx._size else np.zeros(0, np.int64)
    shape = list(src._size)
    shape[d] = i.shape[0]
    r = T() if res is None else res
    _resize(r, tuple(shape))
    if r._size:
        ra = r.numpy()
        if ra.flags.c_contiguous and not _shares(r, src):
            np.take(src.numpy(), i, axis=d, out=ra)
        else:
            ra[...] = np.take(src.numpy(), i, axis=d)
    return r


def _index_self(T, src, d, idx):
    return _index(T, None, src, d, idx)


def _index_copy(T, self, d, idx, src):
    _dimcheck(src, d, "Indexing dim")
    if idx.nElement() != src._size[d]:
        raise TorchError("indexCopy: Number of indices should be equal to source:size(dim)")
    i = _check_index(idx, self._size[d] if d < self.dim() else 0)
    a = self.numpy()
    sl = [slice(None)] * a.ndim
    sl[d] = i
    a[tuple(sl)] = src.numpy().reshape(a[tuple(sl)].shape)
    return src


def _index_add(T, self, d, idx, src):
    _dimcheck(src, d, "Indexing dim")
    if idx.nElement() != src._size[d]:
        raise TorchError("indexAdd: Number of indices should be equal to source:size(dim)")
    i = _check_index(idx, self._size[d] if d < self.dim() else 0)
    a = self.numpy()
    sl = [slice(None)] * a.ndim
    sl[d] = i
    s = src.numpy()
    np.add.at(a, tuple(sl), s)
    return src


def _index_fill(T, self, d, idx, value):
    _dimcheck(self, d, "Indexing dim")
    i = _check_index(idx, self._size[d], messages.bad_argument(2, messages.msg("out_of_range")))
    a = self.numpy()
    sl = [slice(None)] * a.ndim
    sl[d] = i
    a[tuple(sl)] = value
    return _pyreal(T, value)


def _check_dim_apply(name, d, t1, t2):
    if t1.dim() != t2.dim():
        raise TorchError("%s: Index tensor must have same dimensions as input tensor" % name)
    for i, (a, b) in enumerate(zip(t1._size, t2._size)):
        if i != d and a != b:
            raise TorchError("%s: inconsistent tensor sizes %s and %s" % (
                name, _fmt_size(t1), _fmt_size(t2)))


def _gather(T, res, src, d, idx):
    _dimcheck(src, d, "Index dimension")
    _check_dim_apply("gather", d, idx, src)
    if res is None:
        res = _new(T, idx._size)
    elif res.dim() != src.dim():
        raise TorchError("gather: Input tensor must have same dimensions as output tensor")
    elif res._size != idx._size:
        raise TorchError("gather: inconsistent tensor sizes %s and %s" % (_fmt_size(res),
                                                                         _fmt_size(idx)))
    i = idx.numpy()
    n = src._size[d]
    if i.size and (i.min() < 1 or i.max() > n):
        raise TorchError("Invalid index in gather")
    res.numpy()[...] = np.take_along_axis(src.numpy(), i - 1, axis=d)
    return res


def _scatter_common(name, self, d, idx):
    _dimcheck(self, d, "Index dimension")
    _check_dim_apply(name, d, idx, self)
    i = idx.numpy()
    n = self._size[d]
    if i.size and (i.min() < 1 or i.max() > n):
        raise TorchError("Invalid index in scatter")
    return i - 1


def _scatter(T, self, d, idx, src):
    i = _scatter_common("scatter", self, d, idx)
    if src.dim() != self.dim():
        raise TorchError("scatter: Input tensor must have same dimensions as output tensor")
    s = src.numpy()
    sl = tuple(slice(0, m) for m in idx._size)
    np.put_along_axis(self.numpy(), i, s[sl], axis=d)
    return self


def _scatter_fill(T, self, d, idx, value):
    i = _scatter_common("scatter", self, d, idx)
    np.put_along_axis(self.numpy(), i, value, axis=d)
    return self


_define("gather", [("R T i L", _gather)])
_define("scatter", [("T* i L T", _scatter), ("T* i L r", _scatter_fill)])
_define("index", [("R T i L", _index)], torch_fn=False,
        method_forms=[("T i L", _index_self), ("T T i L", _index)])
_define("indexCopy", [("T i L T", _index_copy)], torch_fn=False)
_define("indexAdd", [("T i L T", _index_add)], torch_fn=False)
_define("indexFill", [("T i L r", _index_fill)], torch_fn=False)


def _mask_array(mask, shape, n):
    if mask.nElement() != n:  # TH_TENSOR_APPLY2(tensor, mask)'s check
        raise TorchError(messages.msg("inconsistent_2", "tensor", messages.size_str(shape),
                                      "mask", messages.size_str(mask._size), n,
                                      mask.nElement()))
    m = mask.numpy()
    if m.size and m.max() > 1:
        raise TorchError("Mask tensor can take 0 and 1 values only")
    m = m.view(np.bool_)
    return m if m.shape == shape else m.reshape(shape)


def _masked_select(T, res, src, mask):
    m = _mask_array(mask, src._size, src.nElement())
    vals = src.numpy()[m] if src._size else np.zeros(0, T.dtype)
    r = T() if res is None else res
    _resize(r, (vals.shape[0],))
    if vals.shape[0]:
        r.numpy()[...] = vals
    return r


def _masked_select_self(T, src, mask):
    return _masked_select(T, None, src, mask)


def _masked_fill(T, self, mask, value):
    m = _mask_array(mask, self._size, self.nElement())
    if self._size:
        self.numpy()[m] = value
    return _pyreal(T, value)


def _masked_copy(T, self, mask, src):
    m = _mask_array(mask, self._size, self.nElement())
    if not self._size:
        return self
    cnt = int(np.count_nonzero(m))
    if cnt > src.nElement():
        raise TorchError("Number of elements of src < number of ones in mask")
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
