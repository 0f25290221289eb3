"""Torch7's Tensor (THTensor): a view (storage, offset, size, stride) with a 1-based API."""
import math
from collections.abc import Mapping

import numpy as np

from . import luacall
from . import overlap as _overlap
from .messages import (at_lua, lua_line, bad_argument, checkstring_error, from_lua_table,
                       lua_call_error, lua_method_call, lua_tonumber, lua_type,
                       luaT_typename, msg, torch_type)
from .storage import lua_sequence, element_size_function, GEOM_WATCHED, geom_changed
from .storage import _geom_init
from .storage import (Storage, ByteStorage, CharStorage, ShortStorage, IntStorage, LongStorage,
                      FloatStorage, DoubleStorage, HalfStorage, c_cast, lua_real, _to_int, _typename,
                      TorchError, check_file, storage_types)
from .luaresults import NOVALUE
from .tensor_args import (_c_index, _c_long, _check_stride_storage, _checkint, _checkint32,
                          _long_sub1, _wrap64, _holds_mapping,
                          _lua_isnumber, _lua_num, _table_array)

__all__ = [
    "ByteTensor", "CharTensor", "ShortTensor", "IntTensor", "LongTensor", "FloatTensor",
    "DoubleTensor", "HalfTensor", "isTensor", "from_numpy",
]


def _contiguous_strides(size):
    stride = [0] * len(size)
    acc = 1
    for d in range(len(size) - 1, -1, -1):
        stride[d] = acc
        acc *= size[d]
    return tuple(stride)


def _sizes_from_args(args, what="size"):
    """Sizes given as numbers or one LongStorage (or list); Torch7 stops at the first <= 0.
    Another type's storage is no size (c_readSizeStride's luaT_toudata of torch.LongStorage)."""
    if len(args) == 1 and isinstance(args[0], (LongStorage, list, tuple)):
        vals = list(args[0])
    else:
        vals = list(args)
    return [_to_int(v, what) for v in vals]  # a size <= 0 ends the dimensions (_trim_sizes)


def _trim_sizes(size, stride=None):
    """THTensor_resizeNd: the dimensions stop at the first size <= 0."""
    n = 0
    while n < len(size) and size[n] > 0:
        n += 1
    size = tuple(size[:n])
    if stride is None:
        return size, None
    return size, tuple(stride[:n])


def _fill_strides(size, stride):
    """Strides < 0 (not given) become contiguous ones, computed from the last dim backwards."""
    out = list(stride)
    for d in range(len(size) - 1, -1, -1):
        if out[d] < 0:
            out[d] = 1 if d == len(size) - 1 else out[d + 1] * size[d + 1]
    return tuple(out)


class Tensor:
    """Base class of the seven tensor types."""

    # Python API beyond Torch7's class: a Lua script finds nil there, as in Torch7
    _py_only = frozenset(("cuda", "numpy", "tolist", "unsqueeze"))
    dtype = None
    typename = None
    storage_class = None
    is_integer = False
    _t7_userdata = True  # a C object in Torch7 (luaT_pushudata)

    # (an existing tensor's geometry changes only through _set, _resize_nd and resize: they
    # move storage.GEOM_EPOCH on, which the Lua layer's cache of addresses and sizes follows;
    # a storage's buffer likewise only through Storage.resize and string)
    __slots__ = ("_storage", "_offset", "_size", "_stride", "_np", "_np_data", "__weakref__")

    # -- construction --------------------------------------------------------
    def __init__(self, *args):
        if id(self) in GEOM_WATCHED:
            _geom_init(self, "_size")
        self._np = None
        self._np_data = None
        self._storage = None
        self._offset = 0
        self._size = ()
        self._stride = ()
        if not args:
            return
        a = args[0]
        # Tensor.c's c_readTensorStorageSizeStride: a tensor of this type (what follows is
        # not read), a storage of this type, numbers or a LongStorage; anything else (another
        # type's tensor or storage too) is "expecting number or <Tensor> or <Storage>"
        if type(a) is type(self):
            self._set(a._storage, a._offset, a._size, a._stride)
        elif isinstance(a, self.storage_class):
            self._init_storage(a, args[1:])
        elif isinstance(a, (Tensor, Storage)) and not isinstance(a, LongStorage):
            raise TypeError(bad_argument(1, "expecting number or %s or %s"
                                          % (self.typename, self.storage_class.typename)))
        elif isinstance(a, (list, np.ndarray, Mapping)):
            # Tensor.c's new: a table first reads its array part, whatever else it holds
            if isinstance(a, Mapping):
                a = lua_sequence(a)
            try:
                arr = _table_array(a, self.dtype) if isinstance(a, list) else np.asarray(a)
            except TorchError:
                # a table inside holding other keys too ({{1, 2, k = 1}, {3, 4}})
                if not (isinstance(a, list) and _holds_mapping(a)):
                    raise
                arr = _table_array(lua_sequence(a), self.dtype)
            if arr.dtype == object:
                raise TorchError("invalid tensor sizes")
            self.resize(*arr.shape) if arr.size else None
            if arr.size:
                self.numpy()[...] = c_cast(arr, self.dtype)
        else:
            self._init_sizes(args)

    def _init_sizes(self, args, index=1):
        a = args[0]
        if not isinstance(a, LongStorage):
            args = args[:8]  # c_readSizeStride reads 8 numbers at most, not the rest
        if not (isinstance(a, LongStorage) or isinstance(a, (int, float, np.number))
                and not isinstance(a, (bool, np.bool_))):
            # torch's Tensor constructor (generic/Tensor.c's c_readTensorStorageSizeStride:
            # lua_type(L, 1) == LUA_TNUMBER, so '2' is no size there; the sizes after it are
            # luaL_checklong's, which take '2')
            raise TypeError(bad_argument(index, "expecting number or %s or %s"
                                         % (self.typename, self.storage_class.typename)))
        if not isinstance(a, LongStorage):
            for i, v in enumerate(args[1:]):  # luaL_checklong of the other sizes
                if not _lua_isnumber(v):
                    # luaL_typerror names Lua's type (a tensor is a userdata)
                    from .messages import lua_type
                    raise TypeError(bad_argument(index + i + 1, "number expected, got %s"
                                                 % lua_type(v)))
        if isinstance(a, LongStorage) and len(args) > 1 and args[1] is not None:
            _check_stride_storage(a, args[1], index + 1)
            size = _sizes_from_args((args[0],))
            stride = _sizes_from_args((args[1],), "stride")
        elif isinstance(a, LongStorage):
            size = _sizes_from_args((a,))
            stride = None
        else:
            size = _sizes_from_args(args)
            stride = None
        self._resize_nd(size, stride)

    def _init_storage(self, storage, rest, index=1):
        # c_readTensorStorageSizeStride, the storage at argument `index`: without an offset,
        # the whole storage as one dimension; with one, the sizes (and strides) that follow,
        # none meaning a tensor of no dimension at that offset
        if not rest:
            size, stride = (storage.size(),), (1,)
            if size[0] <= 0:
                size, stride = (), ()
            self._set(storage, 0, size, stride)
            return
        offset = _checkint(rest[0], index + 1)  # luaL_checkinteger
        if offset < 1:  # THTensor_(setStorageNd)
            raise TorchError("Tensor: invalid storage offset")
        rest = rest[1:]
        if rest and isinstance(rest[0], LongStorage):
            if len(rest) > 1 and rest[1] is not None:
                _check_stride_storage(rest[0], rest[1], index + 3)
            size = _sizes_from_args((rest[0],))
            stride = (_sizes_from_args((rest[1],), "stride") if len(rest) > 1
                      and rest[1] is not None else [-1] * len(size))
            size, stride = _trim_sizes(size, stride)
            stride = _fill_strides(size, stride)
        else:
            # luaL_checklong of 8 (size, stride) pairs at most
            nums = [_checkint(v, index + 2 + i) for i, v in enumerate(rest[:16])]
            size = nums[0::2]
            stride = nums[1::2] + [-1] * (len(size) - len(nums[1::2]))
            size, stride = _trim_sizes(size, stride)
            stride = _fill_strides(size, stride)
        self._set(storage, offset - 1, tuple(size), tuple(stride))
        _check_in_storage(self)

    @classmethod
    def _make(cls, storage, offset, size, stride):
        t = cls.__new__(cls)
        t._storage = storage
        t._offset = offset
        t._size = size
        t._stride = stride
        t._np = None
        t._np_data = None
        return t

    def _set(self, storage, offset, size, stride):
        if id(self) in GEOM_WATCHED:
            geom_changed()
        self._storage = storage
        self._offset = offset
        self._size = tuple(size)
        self._stride = tuple(stride)
        self._np = None

    def new(self, *args):
        return type(self)(*args)

    # -- numpy door ----------------------------------------------------------
    def numpy(self):
        """Zero-copy numpy view with the tensor's logical shape (0-based)."""
        a = self._np  # the view made last time, while the storage keeps its buffer
        if a is not None and self._np_data is self._storage._data:
            return a
        st = self._storage
        if st is None or not self._size:
            return np.zeros(0, dtype=self.dtype)
        data = st._data
        a = self._np
        if a is not None and self._np_data is data:
            return a
        item = data.itemsize
        size = self._size
        if min(size) < 0:  # (unfold's negative sizes): no element, as TH's loops see it
            size = tuple(max(n, 0) for n in size)
        a = np.ndarray(size, dtype=data.dtype, buffer=data, offset=self._offset * item,
                       strides=tuple(s * item for s in self._stride))
        self._np = a
        self._np_data = data
        return a

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    # -- geometry ------------------------------------------------------------
    def dim(self):
        return len(self._size)

    nDimension = dim

    def size(self, dim=None):
        if type(dim) is int and 0 < dim <= len(self._size):  # the common case
            return self._size[dim - 1]
        if dim is None or not _lua_isnumber(dim):  # Tensor.c: a size storage unless a number
            return LongStorage._wrap(np.array(self._size, dtype=np.int64))
        n = len(self._size)
        d = _checkint32(dim, 2)  # luaL_checkint
        if d < 1 or d > n:  # luaL_argcheck, named after the method (LuaJIT: #1 of a method)
            raise TorchError(bad_argument(1, "dimension %d out of range of %dD tensor" % (d, n),
                                          "size"))
        return self._size[d - 1]

    def stride(self, dim=None):
        if dim is None or not _lua_isnumber(dim):
            return LongStorage._wrap(np.array(self._stride, dtype=np.int64))
        n = len(self._size)
        d = _checkint32(dim, 2)  # luaL_checkint
        if d < 1 or d > n:  # Tensor.c's stride: the same check as size's
            raise TorchError(bad_argument(1, "dimension %d out of range of %dD tensor" % (d, n),
                                          "stride"))
        return self._stride[d - 1]

    def storage(self):
        return self._storage

    # -- Tensor.c's reference counting and File methods ----------------------
    def retain(self):
        """Reference counting is Python's; Torch7's returns nothing."""
        return

    def free(self):
        return

    def write(self, file=NOVALUE):
        """Tensor.c's write: nDimension, sizes, strides, offset + 1, then the storage as an
        object (what File:writeObject calls for a tensor)."""
        f = check_file(file)
        n = len(self._size)
        f.writeInt(n)
        f.writeLong(LongStorage._wrap(np.array(self._size, dtype=np.int64)))
        f.writeLong(LongStorage._wrap(np.array(self._stride, dtype=np.int64)))
        f.writeLong(self._offset + 1)
        f.writeObject(self._storage)
        return

    def read(self, file=NOVALUE):
        """Tensor.c's read: the fields as write wrote them, unchecked; a storage of another
        type reads as none (luaT_toudata)."""
        f = check_file(file)
        n = f.readInt()
        size = tuple(int(v) for v in f.readLong(n)) if n > 0 else ()
        stride = tuple(int(v) for v in f.readLong(n)) if n > 0 else ()
        offset = int(f.readLong()) - 1
        st = f.readObject()
        self._set(st if isinstance(st, self.storage_class) else None, offset, size, stride)
        return

    def __tostring__(self):
        """Tensor.lua's __tostring__ (what tostring(t) and print show)."""
        return str(self)

    def storageOffset(self):
        return self._offset + 1

    def nElement(self):
        if not self._size:
            return 0
        n = 1
        for s in self._size:
            n *= s
        # (unfold's sizes <= 0 can make TH's ptrdiff_t product wrap)
        return n if -9223372036854775808 <= n < 9223372036854775808 else _wrap64(n)

    def numel(self, *extra):
        # TensorMath's numel (cwrap-checked), unlike Tensor.c's nElement
        if extra:
            raise _cwrap_invalid((self,) + extra, "%s")
        return self.nElement()

    def isContiguous(self):
        acc = 1
        for d in range(len(self._size) - 1, -1, -1):
            if self._size[d] != 1:
                if self._stride[d] != acc:
                    return False
                acc *= self._size[d]
        return True

    def isSameSizeAs(self, other):
        return self._size == _check_tensor(self, other, 2)._size

    def isSetTo(self, other=NOVALUE):
        other = _check_tensor(self, other, 2)
        return (self._storage is not None and self._storage is other._storage
                and self._offset == other._offset and self._size == other._size
                and self._stride == other._stride)

    def isSize(self, size=NOVALUE):
        if not isinstance(size, LongStorage):  # Tensor.c: luaT_checkudata(L, 2, ...)
            raise TypeError(bad_argument(2, "torch.LongStorage expected, got %s"
                                         % luaT_typename(size, 2)))
        return self._size == tuple(size.tolist())

    def _dim(self, d, ndim=None, arg=None):
        """0-based dimension d; out of range: luaL_argcheck's message for argument #arg
        ('out of range'), else size()'s"""
        n = len(self._size) if ndim is None else ndim
        d = _to_int(d, "dimension")
        if d < 1 or d > n:
            if arg is not None:
                raise TorchError(bad_argument(arg, msg("out_of_range")))
            raise TorchError("dimension %d out of range of %dD tensor" % (d, n))
        return d - 1

    # -- resize / set --------------------------------------------------------
    def _resize_nd(self, size, stride=None):
        size, stride = _trim_sizes(size, stride)
        if stride is not None:
            given = stride
        else:
            given = (-1,) * len(size)
        if size == self._size and all(g < 0 or g == s for g, s in zip(given, self._stride)):
            return self
        stride = _fill_strides(size, given)
        if size:
            # the storage grows first: if it cannot, the tensor keeps its geometry
            total = 1 + sum((n - 1) * s for n, s in zip(size, stride))
            if self._storage is None:
                self._storage = self.storage_class(total + self._offset)
            elif total + self._offset > self._storage.size():
                self._storage.resize(total + self._offset)
        if id(self) in GEOM_WATCHED:
            geom_changed()
        self._size = size
        self._stride = stride
        self._np = None
        return self

    def resize(self, *sizes):
        if len(sizes) > 8 and not isinstance(sizes[0], LongStorage):
            sizes = sizes[:8]  # c_readSizeStride reads 8 numbers at most, not the rest
        if sizes and type(sizes[0]) is int:
            # the plain call (sizes all ints > 0) without the general walk: the same geometry
            # as _resize_nd's (it returns early on an equal size, whatever the strides)
            for v in sizes:
                if type(v) is not int or v <= 0:
                    break
            else:
                if sizes == self._size:
                    return self
                stride = _contiguous_strides(sizes)
                total = sizes[0] * stride[0] + self._offset
                if self._storage is None:
                    self._storage = self.storage_class(total)
                elif total > self._storage.size():
                    self._storage.resize(total)
                if id(self) in GEOM_WATCHED:
                    geom_changed()
                self._size = sizes
                self._stride = stride
                self._np = None
                return self
        # (c_readSizeStride: a torch.LongStorage, no other storage type, else numbers; after
        # a LongStorage, a stride that is not nil must be one too)
        if len(sizes) >= 2 and isinstance(sizes[0], LongStorage) and sizes[1] is not None:
            if not isinstance(sizes[1], LongStorage):
                raise TorchError(msg("bad_argument", 3, "?", "torch.LongStorage expected"))
            return self._resize_nd(_sizes_from_args((sizes[0],)),
                                   _sizes_from_args((sizes[1],), "stride"))
        if not (len(sizes) == 1 and isinstance(sizes[0], (LongStorage, list, tuple))
                and not from_lua_table(sizes[0])):
            for i, v in enumerate(sizes):  # luaL_checklong of arguments #2...
                if not _lua_isnumber(v):
                    # luaL_typerror names Lua's type (a tensor is a userdata)
                    from .messages import bad_argument, lua_type
                    raise TorchError(bad_argument(i + 2, "number expected, got %s"
                                                  % lua_type(v)))
        return self._resize_nd(_sizes_from_args(sizes))

    def resizeAs(self, other):
        return self._resize_nd(list(_check_tensor(self, other, 2)._size))

    def set(self, *args):
        if not args:
            self._set(None, 0, (), ())
            return self
        a = args[0]
        # Tensor.c's set: c_readTensorStorageSizeStride(L, 2, ...) as the constructor reads
        # its arguments: a tensor of this type, a storage of this type, numbers or a
        # LongStorage (sizes, on a fresh storage); another type's tensor or storage, nil, ...
        # is "expecting number or <Tensor> or <Storage>" (Tensor.lua's expand/view of a source
        # of another type fail there)
        if isinstance(a, Tensor) and a.typename == self.typename:
            self._set(a._storage, a._offset, a._size, a._stride)
            return self
        tmp = type(self).__new__(type(self))
        Tensor.__init__(tmp)
        if isinstance(a, self.storage_class):
            tmp._init_storage(a, args[1:], 2)
        elif isinstance(a, LongStorage) or isinstance(a, (int, float, np.number)) and not \
                isinstance(a, bool):
            tmp._init_sizes(args, 2)
        else:
            raise TypeError(bad_argument(2, "expecting number or %s or %s" % (
                self.typename, self.storage_class.typename)))
        self._set(tmp._storage, tmp._offset, tmp._size, tmp._stride)
        return self

    # -- views ---------------------------------------------------------------
    def _th_set(self):
        """THTensor_(set)(view, self), where TH's views begin: its resizeNd keeps the
        dimensions before the first size <= 0 (which only unfold makes)."""
        size = self._size
        if not size or min(size) > 0:  # (every tensor but unfold's of a size <= 0)
            return self
        k = next(i for i, n in enumerate(size) if n <= 0)
        return self._view(self._offset, size[:k], self._stride[:k])

    def _view(self, offset, size, stride):
        return type(self)._make(self._storage, offset, tuple(size), tuple(stride))

    def narrow(self, dim=NOVALUE, first=NOVALUE, size=NOVALUE):
        # Tensor.c: luaL_checkint(L, 2), luaL_checklong(L, 3), luaL_checklong(L, 4), then
        # THTensor_(narrow)'s THArgChecks: arguments #2, #3, #4
        dim, first, size = (_checkint32(dim, 2), _long_sub1(_checkint(first, 3)),
                            _checkint(size, 4))
        self = self._th_set()
        d = self._dim(dim, arg=2)
        n = self._size[d]
        if first < 0 or first >= n:
            raise TorchError(bad_argument(3, msg("out_of_range")))
        if size <= 0 or first > n - size:
            raise TorchError(bad_argument(4, msg("out_of_range")))
        sz = list(self._size)
        sz[d] = size
        return self._view(self._offset + first * self._stride[d], sz, self._stride)

    def select(self, dim=NOVALUE, index=NOVALUE):
        # Tensor.c: luaL_checkint(L, 2), luaL_checklong(L, 3) first
        dim, i = _checkint32(dim, 2), _long_sub1(_checkint(index, 3))
        if len(self._size) <= 1:
            # Tensor.c: a vector gives its element get1d(index), whatever dim says
            if not self._size:
                raise TorchError(bad_argument(1, "empty Tensor"))
            if i < 0 or i >= self._size[0]:
                raise TorchError(bad_argument(2, msg("out_of_range")))
            return self.numpy()[i].item()
        self = self._th_set()
        d = self._dim(dim, arg=2)
        n = self._size[d]
        if i < 0 or i >= n:
            raise TorchError(bad_argument(3, msg("out_of_range")))
        sz = self._size[:d] + self._size[d + 1:]
        st = self._stride[:d] + self._stride[d + 1:]
        return self._view(self._offset + i * self._stride[d], sz, st)

    def sub(self, *bounds):
        """sub(d1s, d1e [, d2s, d2e [, ...]]): inclusive bounds per dimension, negative ones
        counted from the end (-1 is the last). Tensor.c's: a pair is read (luaL_checklong of
        both) when its first argument is there, 4 pairs at most (the rest not read)."""
        t = self
        for k in range(0, 8, 2):
            if k and len(bounds) <= k:  # lua_isnone(L, k + 2)
                break
            lo = _checkint(bounds[k] if k < len(bounds) else NOVALUE, k + 2)
            hi = _checkint(bounds[k + 1] if k + 1 < len(bounds) else NOVALUE, k + 3)
            d = k // 2 + 1
            n = self._size[d - 1] if d <= self.dim() else 0
            lo = lo + n + 1 if lo < 0 else lo
            hi = hi + n + 1 if hi < 0 else hi
            # torch's sub: start is argument #(k+2), end #(k+3)
            if d > self.dim():
                raise TorchError(bad_argument(k + 2, "invalid dimension"))
            if not 1 <= lo <= n:
                raise TorchError(bad_argument(k + 2, msg("out_of_range")))
            if not 1 <= hi <= n:
                raise TorchError(bad_argument(k + 3, msg("out_of_range")))
            if hi < lo:
                raise TorchError(bad_argument(k + 3, msg("end_smaller")))
            t = t.narrow(d, lo, hi - lo + 1)
        return t

    def transpose(self, d1=NOVALUE, d2=NOVALUE):
        d1, d2 = _checkint32(d1, 2), _checkint32(d2, 3)  # Tensor.c's luaL_checkint
        self = self._th_set()
        a, b = self._dim(d1, arg=1), self._dim(d2, arg=2)  # THTensor_(transpose)'s checks
        sz, st = list(self._size), list(self._stride)
        sz[a], sz[b] = sz[b], sz[a]
        st[a], st[b] = st[b], st[a]
        return self._view(self._offset, sz, st)

    def t(self):
        if len(self._size) != 2:
            raise TorchError(bad_argument(1, "Tensor must have 2 dimensions"))
        return self.transpose(1, 2)

    def permute(self, *dims):
        # Tensor.lua's algorithm on Lua's {...}: cycles of transposes, 0 marks a placed
        # dimension; a wrong count or a value out of range fails its assert ("Invalid
        # permutation"); a value that is no number fails its comparison with 0 first, as Lua
        # does ("attempt to compare number with string"); ipairs stops at a nil
        perm = list(dims)
        while perm and perm[-1] is None:  # the border of {...}: trailing nils are not counted
            perm.pop()
        n = len(self._size)
        if len(perm) != n:  # (LuaJIT's assert names its line)
            raise at_lua(TorchError("Invalid permutation"), 'torch/Tensor.lua:543')
        extra = {}

        def key(j):
            if isinstance(j, float) and j.is_integer():
                j = int(j)
            return j - 1 if type(j) is int and 1 <= j <= n else None

        def get(j):
            k = key(j)
            return perm[k] if k is not None else extra.get(j)

        def put(j, v):
            k = key(j)
            if k is not None:
                perm[k] = v
            else:
                extra[j] = v

        sz, st = list(self._size), list(self._stride)
        for i in range(1, n + 1):
            p = perm[i - 1]
            if p is None:
                break
            if p != i and p != 0 or isinstance(p, bool):
                j = i
                while True:
                    q = get(j)
                    if isinstance(q, (Tensor, Storage)):  # luaT's __lt of its class
                        raise at_lua(TorchError("both (null) and %s have no less-than "
                                                "operator" % q.typename),
                                     'torch/Tensor.lua:549')
                    if isinstance(q, bool) or not isinstance(q, (int, float, np.number)):
                        raise at_lua(TorchError(msg("compare", "number", lua_type(q))),
                                     'torch/Tensor.lua:549')
                    if not 0 < q <= n:
                        raise at_lua(TorchError("Invalid permutation"), 'torch/Tensor.lua:549')
                    a, b = int(j) - 1, int(q) - 1  # transpose's luaL_checkint truncates
                    sz[a], sz[b] = sz[b], sz[a]
                    st[a], st[b] = st[b], st[a]
                    put(j, 0)
                    j = q
                    if get(j) == i:
                        break
                put(j, j)
        return self._view(self._offset, sz, st)

    def unfold(self, dim=NOVALUE, size=NOVALUE, step=NOVALUE):
        # Tensor.c: luaL_checkint(L, 2), luaL_checklong(L, 3), luaL_checklong(L, 4) first
        dim, size, step = _checkint32(dim, 2), _checkint(size, 3), _checkint(step, 4)
        self = self._th_set()
        if not self._size:
            raise TorchError(bad_argument(1, "cannot unfold an empty tensor"))
        d = self._dim(dim, arg=2)
        if size > self._size[d]:
            raise TorchError(bad_argument(3, msg("out_of_range")))
        if step <= 0:
            raise TorchError(bad_argument(4, "invalid step"))
        sz, st = list(self._size), list(self._stride)
        # C's long arithmetic (it wraps; / truncates toward zero): a size <= 0 (or NaN's,
        # 1e300's INT64_MIN) passes the checks and makes a dimension of that size
        span = _wrap64(self._size[d] - size)
        sz[d] = _wrap64((abs(span) // step) * (1 if span >= 0 else -1) + 1)
        st[d] = _wrap64(self._stride[d] * step)
        return self._view(self._offset, sz + [size], st + [self._stride[d]])

    def expand(self, *args):
        tensor, sizes, res_form = _lua_size_args(self, args, 'torch/Tensor.lua:311', "dim")
        v = tensor._expanded(sizes)
        if not res_form:
            return v
        # result-first form (Tensor.lua): res:expand(src, sizes...) makes res that view
        # (Tensor.lua's result:set(tensor:storage(), offset, size, stride): its errors name
        # 'set', a storage of another type is its argument #2)
        with lua_line('torch/Tensor.lua:331'), lua_method_call("set"):
            return self.set(tensor.storage(), tensor.storageOffset(),
                            LongStorage(list(v._size)), LongStorage(list(v._stride)))

    def _expanded(self, sizes):
        """Tensor.lua's expand of self to sizes (a list of ints), its checks in its order."""
        if len(sizes) != len(self._size):
            raise at_lua(TorchError("the number of dimensions provided must equal tensor:dim()"),
                         'torch/Tensor.lua:317')
        st = list(self._stride)
        for d, (want, have) in enumerate(zip(sizes, self._size)):
            if have == 1:  # Tensor.lua: every singleton gets stride 0, expanded or not
                st[d] = 0
            elif want != have:
                raise at_lua(TorchError(msg("expand_size")), 'torch/Tensor.lua:326')
        # Tensor.lua's result:set(storage, offset, size, stride): THTensor_(resizeNd) keeps
        # the dimensions before the first size <= 0 (expand(2, 0) of a 2x1 is 1-D)
        sizes, st = _trim_sizes(sizes, st)
        return self._view(self._offset, sizes, st)

    def expandAs(self, other, template=None):
        # Tensor.lua: `if template then` res:expand(src, template:size()) else
        # self:expand(tensor:size()) (a storage's size() is a number: expand's own checks)
        if template is not None and template is not False:
            return self.expand(other, _lua_size(template, "template", 'torch/Tensor.lua:339'))
        return self.expand(_lua_size(other, "tensor", 'torch/Tensor.lua:341'))

    def view(self, *sizes):
        if sizes and type(sizes[0]) is int:
            v = self._plain_view(sizes)
            if v is not None:
                return v
        # Tensor.lua's view(result, src, ...) with result = self, src = sizes[1], size = the
        # first of `...`, its four forms tried in its order (a Lua table is none of them;
        # Python's list or tuple of sizes stands for a LongStorage)
        src = sizes[0] if sizes else None
        size = sizes[1] if len(sizes) > 1 else None
        if isinstance(src, Tensor) and _lua_number(size):
            target, sizes = src, sizes[1:]
        elif isinstance(src, Tensor) and _is_size_storage(size):
            target, sizes = src, (size,)
        elif _is_size_storage(src) and size is None and all(x is None for x in sizes[1:]):
            target, sizes = None, (src,)
        elif _lua_number(src):
            target = None
            while sizes and sizes[-1] is None:  # {...}: its trailing nils are no elements
                sizes = sizes[:-1]
            if not all(_lua_number(x) for x in sizes):  # torch.LongStorage(size)'s check
                try:
                    LongStorage(list(sizes))
                except TypeError as e:
                    e.torch7_plain = True  # (luaL_error in C: no position)
                    raise
        else:
            raise at_lua(TorchError(msg("view_usage")), 'torch/Tensor.lua:456')
        if target is not None:
            # result-first form: res:view(src, sizes...) makes res that view of src
            return target._view_lua(sizes, into=self)
        return self._view_lua(sizes)

    def _view_lua(self, sizes, into=None):
        """Tensor.lua's view of self (its `tensor`) after its dispatch: specifyFully, the
        contiguity assert, view:set(storage, offset, size), the count check. into: the result
        of res:view(src, ...), set before the check (which reads src's size then: res may be
        src)."""
        sizes = list(_sizes_from_args_signed(sizes))
        n = self.nElement()
        # Tensor.lua's order: the -1 is inferred (specifyFully), then contiguity, then the count
        if sizes.count(-1) > 1:
            raise at_lua(TorchError(msg("view_two_infer")), 'torch/Tensor.lua:405')
        if -1 in sizes:
            known = 1
            for s in sizes:
                if s != -1:
                    known *= s
            if known == 0 or n % known:
                raise at_lua(TorchError("The number of covered elements is not a multiple "
                                        "of all elements."), 'torch/Tensor.lua:417')
            sizes[sizes.index(-1)] = n // known
        if not self.isContiguous():
            raise at_lua(TorchError("expecting a contiguous tensor"), 'torch/Tensor.lua:461')
        if into is not None:
            with lua_line('torch/Tensor.lua:462'), lua_method_call("set"):
                into.set(self.storage(), self.storageOffset(), LongStorage(sizes))
            if into.nElement() != n:
                raise at_lua(TorchError(msg("view_size", "x".join(map(_lua_num, self._size)),
                                            "x".join(map(_lua_num, sizes)))),
                             'torch/Tensor.lua:466')
            return into
        if self._storage is None:  # view:set(tensor:storage(), ...) of nil
            try:
                with lua_method_call("set"):
                    type(self)().set(None)
            except TypeError as e:
                raise at_lua(TorchError(str(e)), 'torch/Tensor.lua:462') from None
        # Tensor.lua makes the view with set(storage, offset, size): TH's resize keeps the
        # dimensions before the first size <= 0 (view(20, 0) is 20 elements), and a tensor
        # with no dimension has no element
        kept = []
        for s in sizes:
            if s <= 0:
                break
            kept.append(s)
        prod = 1 if kept else 0
        for s in kept:
            prod *= s
        if self._offset + prod > self._storage.size():
            # view:set(storage, offset, size) first: TH's resizeNd grows the storage to hold
            # the view (the check below then fails, the storage stays grown)
            with lua_line('torch/Tensor.lua:462'), lua_method_call("set"):
                self._storage.resize(self._offset + prod)
        if prod != n:
            # (table.concat of size:totable(): Lua numbers, %.14g)
            raise at_lua(TorchError(msg("view_size", "x".join(map(_lua_num, self._size)),
                                        "x".join(map(_lua_num, sizes)))),
                         'torch/Tensor.lua:466')
        return self._view(self._offset, kept, _contiguous_strides(kept))

    def _plain_view(self, sizes):
        """view's result for ints > 0 and at most one -1 on a contiguous tensor of that many
        elements, in one pass; None for anything else (the general path decides and raises)."""
        prod, infer = 1, -1
        for i, s in enumerate(sizes):
            if type(s) is not int:
                return None
            if s > 0:
                prod *= s
            elif s == -1 and infer < 0:
                infer = i
            else:
                return None
        size = self._size
        n = 1 if size else 0
        for s in size:
            n *= s
        if infer >= 0:
            if n == 0 or n % prod:
                return None
            sizes = sizes[:infer] + (n // prod,) + sizes[infer + 1:]
        elif prod != n:
            return None
        if not self.isContiguous():
            return None
        return self._view(self._offset, sizes, _contiguous_strides(sizes))

    def viewAs(self, other, template=None):
        # Tensor.lua: `if template and torch.typename(template)` res:view(src,
        # template:size()), elseif template == nil self:view(template:size()) with the
        # template in src's place, else its usage error
        if template is not None:  # res:viewAs(src, template)
            if not isinstance(template, (Tensor, Storage)):
                raise at_lua(TypeError(
                    "expecting (torch.Tensor, torch.Tensor, torch.LongStorage) or "
                    "(torch.Tensor, torch.LongStorage)"), 'torch/Tensor.lua:484')
            return self.view(other, _lua_size(template, "template", 'torch/Tensor.lua:475'))
        return self.view(_lua_size(other, "template", 'torch/Tensor.lua:480'))

    def squeeze(self, dim=None, *rest):
        T = type(self)
        if rest and not (isinstance(dim, T) and len(rest) == 1 and _lua_isnumber(rest[0])) or \
                not (dim is None or isinstance(dim, T) or _lua_isnumber(dim)):
            # cwrap: [res] src [dim] (an index argument: lua_isnumber, so '1' too)
            raise _cwrap_invalid((self, dim) + rest, "[*%s*] %s | [*%s*] %s index")
        if isinstance(dim, Tensor):
            # result-first form: res:squeeze(src[, dim])
            src = dim
            dim = rest[0] if rest else None
            keep = src._squeezed(dim)
            self._set(src._storage, src._offset, [k[0] for k in keep], [k[1] for k in keep])
            return self
        if dim is None:
            keep = [(n, s) for n, s in zip(self._size, self._stride) if n != 1]
            if not keep and self._size:
                return self.numpy().reshape(-1)[0].item()
            return self._view(self._offset, [k[0] for k in keep], [k[1] for k in keep])
        d = self._squeeze_dim(dim)
        if self._size[d] != 1 or len(self._size) == 1:
            return self._view(self._offset, self._size, self._stride)
        return self._view(self._offset, self._size[:d] + self._size[d + 1:],
                          self._stride[:d] + self._stride[d + 1:])

    def _squeeze_dim(self, dim):
        # cwrap's index: (long)lua_tonumber - 1 taken as TH's int dimension (low 32 bits)
        d = _c_index(lua_tonumber(dim) if isinstance(dim, str) else dim)
        if d < 0 or d >= len(self._size):  # THTensor_(squeeze1d)'s check
            raise TorchError(bad_argument(2, "dimension out of range"))
        return d

    def _squeezed(self, dim):
        pairs = list(zip(self._size, self._stride))
        if dim is None:
            keep = [p for p in pairs if p[0] != 1]
            return keep if keep or not pairs else pairs[:1]
        d = self._squeeze_dim(dim)
        if self._size[d] == 1 and len(pairs) > 1:
            pairs.pop(d)
        return pairs

    def repeatTensor(self, *args):
        tensor, reps, res_form = _lua_size_args(self, args, 'torch/Tensor.lua:356',
                                                "isContiguous", method_first=True)
        if not res_form:
            return tensor._repeated(reps)
        r = tensor._repeated(reps)
        self.set(r)
        return self

    def _repeated(self, reps):
        """Tensor.lua's repeatTensor of self, reps a list of ints, its checks in its order."""
        if len(reps) < len(self._size):
            raise at_lua(TorchError(
                "Number of dimensions of repeat dims can not be smaller than number "
                "of dimensions of tensor"), 'torch/Tensor.lua:369')
        if not self._size or any(r <= 0 for r in reps):
            return self._repeat_lua(reps)
        src = self.contiguous().numpy() if self._size else np.zeros(0, self.dtype)
        src = src.reshape((1,) * (len(reps) - src.ndim) + src.shape)
        out = type(self)(*[r * n for r, n in zip(reps, src.shape)])
        out.numpy()[...] = np.tile(src, reps)
        return out

    def _repeat_lua(self, reps):
        """Tensor.lua's repeatTensor step by step, for what the tiled copy does not cover: an
        empty tensor (resized to ones: a fresh storage) or a repeat count <= 0 (TH's resize
        keeps the dimensions before it: an empty result, whose first unfold fails)."""
        x = type(self)().set(self.contiguous())
        xsize = [1] * (len(reps) - len(self._size)) + list(self._size)
        size = [a * b for a, b in zip(xsize, reps)]
        x.resize(LongStorage(xsize))  # (Tensor.lua resizes with LongStorages)
        result = type(self)()
        result.resize(LongStorage(size))
        ur = type(self)().set(result)
        for i in range(1, x.dim() + 1):
            with lua_line('torch/Tensor.lua:381'), lua_method_call("unfold"):
                ur = ur.unfold(i, x.size(i), x.size(i))
        xsize = [1] * (ur.dim() - x.dim()) + xsize
        x.resize(LongStorage(xsize))
        ur.copy(x.expandAs(ur))
        return result

    def elementSize(self):
        return self.dtype.itemsize

    def unsqueeze(self, dim):
        d = _to_int(dim, "dimension") - 1
        if d < 0 or d > len(self._size):
            raise TorchError("dimension %d out of range" % (d + 1))
        sz, st = list(self._size), list(self._stride)
        new_stride = sz[d] * st[d] if d < len(sz) else 1
        sz.insert(d, 1)
        st.insert(d, new_stride)
        return self._view(self._offset, sz, st)

    def split(self, size, dim=1):
        return split(self, size, dim)

    def chunk(self, n, dim=1):
        return chunk(self, n, dim)

    # -- data ----------------------------------------------------------------
    def contiguous(self):
        return self if self.isContiguous() else self.clone()

    def clone(self):
        t = type(self)()
        size = self._size
        if size and min(size) <= 0:  # (unfold's sizes <= 0) TH's resizeAs, then its copy
            t._resize_nd(list(size))
            return t.copy(self)
        if size:
            # a new contiguous storage of nElement values (what resize then copy would make)
            data = np.ravel(self.numpy(), order="C").copy() if self._storage is not None \
                else np.zeros(0, self.dtype)
            t._set(self.storage_class._wrap(data), 0, size, _contiguous_strides(size))
        return t

    def copy(self, src=NOVALUE):
        if not isinstance(src, Tensor):
            # luaL_typerror(L, 2, "torch.*Tensor"): Lua's type of the value
            raise TypeError(bad_argument(2, "torch.*Tensor expected, got %s" % lua_type(src)))
        n, m = self.nElement(), src.nElement()
        if n != m:  # TH_TENSOR_APPLY2(tensor, src)'s check
            from .messages import msg, size_str
            raise TorchError(msg("inconsistent_2", "tensor", size_str(self._size), "src",
                                 size_str(src._size), n, m))
        if n == 0:
            return self
        st = self._stride
        if self._storage is src._storage or (
                (st[0] == 0 and self._size[0] > 1) if len(st) == 1
                else _overlap.self_overlaps(self)) or (
                src._storage._data.base is not None or self._storage._data.base is not None):
            if self is src:
                return self  # THTensor_(copy): `if (tensor == src) return;`
            if _overlap.conflict(self, (src,)):
                _overlap.ordered_copy(self, src, c_cast)  # TH's element order
                return self
        dst = self.numpy()
        s = src.numpy()
        if s.shape != dst.shape:
            s = np.ascontiguousarray(s).reshape(dst.shape)
        if self.dtype == s.dtype:
            np.copyto(dst, s)
        else:
            dst[...] = c_cast(s, self.dtype)
        return self

    def fill(self, value, *extra):
        try:
            if extra:
                raise TypeError
            # cwrap's (real)lua_tonumber: a number, or a string Lua reads as one
            value = _scalar(_checknumber(value), self)
        except (TypeError, ValueError):
            # cwrap's check of TensorMath's fill(Tensor, real)
            from .messages import REAL_CTYPE, invalid_arguments
            real = REAL_CTYPE[type(self).__name__[:-len("Tensor")]]
            raise TorchError(invalid_arguments((self, value) + extra, ["*%s* %s" % (
                type(self).__name__, real)])) from None
        if self._size:
            self.numpy()[...] = value
        return self

    def zero(self, *extra):
        if extra:
            raise _cwrap_invalid((self,) + extra, "*%s*")
        if self._size:
            self.numpy()[...] = 0
        return self

    # apply/map/map2 as Torch7 under LuaJIT runs them: FFInterface.lua replaces Tensor.c's
    # methods (every type but Half) by Lua functions that check map's sources, then loop in
    # Lua over the memory of contiguous tensors -- `res = func(x)`, `if res then x = res end`,
    # an ffi store -- and hand anything else to Tensor.c: luaL_checktype of the function, then
    # TH_TENSOR_APPLY/2/3, each tensor walked in its own row-major order, all in step, a result
    # stored when lua_isnumber, nil skipped, anything else THError's. Either way each element
    # is read when its turn comes and each result stored at once (a source overlapping the
    # result sees the stores before it). A callable may loop itself
    # (_t7_elementwise(t, sources, ffi) -> True), as the Lua layer's functions do in Lua.
    def apply(self, fn=None):
        if not isinstance(self, Tensor):  # FFInterface.lua's apply: self:isContiguous() first
            kind = lua_type(self)
            e = at_lua(TorchError(msg("index_local", "self", kind) if kind in (
                "nil", "number", "boolean", "function") else msg(
                    "call_nil_method", "isContiguous")), "torch/FFInterface.lua:130")
            e.lua_text = True
            raise e
        return self._elementwise(fn, (), 2)

    def map(self, other=None, fn=None):
        Tensor._ffi_sources(self, "map", (other,))
        return self._elementwise(fn, (other,), 3)

    def map2(self, t1=None, t2=None, fn=None):
        Tensor._ffi_sources(self, "map", (t1, t2))  # FFInterface names map2's arguments 'map''s
        return self._elementwise(fn, (t1, t2), 4)

    def _ffi_sources(self, name, sources):
        # FFInterface.lua's checkArgument / checkArgumentType, all sources' kind first: Lua's
        # error(text, 3), its text whole (lua_text), at the line that called map; then
        # self:type() (torch.DoubleTensor.map(3, t) indexes a number self)
        for k, o in enumerate(sources, 1):
            if not isinstance(o, Tensor):
                e = TypeError(bad_argument(k, "tensor expected", name))
                e.lua_text = True
                raise e
        if not isinstance(self, Tensor):
            kind = lua_type(self)
            text = msg("index_local", "self", kind) if kind in (
                "nil", "number", "boolean", "function") else msg("call_nil_method", "type")
            e = at_lua(TorchError(text),
                       "torch/FFInterface.lua:%d" % (150 if len(sources) == 1 else 175))
            e.lua_text = True
            raise e
        for k, o in enumerate(sources, 1):
            if o.typename != self.typename:
                e = TypeError(bad_argument(k, "%s expected, got %s"
                                           % (self.typename, o.typename), name))
                e.lua_text = True
                raise e

    def _elementwise(self, fn, sources, fn_arg):
        tensors = (self,) + sources
        ffi = all(t.isContiguous() for t in tensors)
        n = self.nElement()
        if ffi:
            # FFInterface.lua's lines: map's assert, map2's two, then each one's func(...) call
            asserts, call, store = _FFI_LINES[len(sources)]
            for o, line in zip(sources, asserts):
                if o.nElement() != n:
                    raise at_lua(TorchError("size mismatch"), "torch/FFInterface.lua:%d" % line)
            if n and lua_type(fn) != "function":  # LuaJIT's error at func(...)
                raise at_lua(TypeError(msg("call_local", "func", lua_type(fn))),
                             "torch/FFInterface.lua:%d" % call)
        else:
            kind = lua_type(fn)  # Tensor.c: luaL_checktype(L, fn_arg, LUA_TFUNCTION)
            if kind != "function":
                raise TypeError(bad_argument(fn_arg, msg("type_expected", "function", kind)))
            if any(t.nElement() != n for t in sources):  # TH_TENSOR_APPLY2/3's check
                from .tensor_math._helpers import _inconsistent
                names = ("tensor", "src") if len(sources) == 1 else ("tensor", "src1", "src2")
                raise _inconsistent(names, tensors)
        if not self._size or not n:
            return self
        fast = getattr(fn, "_t7_elementwise", None)
        if fast is not None and fast(self, sources, ffi):
            return self
        arrays = [t.numpy() for t in tensors]
        a = arrays[0]
        walks = [np.ndindex(x.shape) for x in arrays]
        for _ in range(n):
            idx = [next(w) for w in walks]
            r = fn(*[x[i].item() for x, i in zip(arrays, idx)])
            if r is None or (ffi and r is False):
                continue
            if ffi and isinstance(r, (bool, np.bool_)):
                r = 1  # LuaJIT's FFI stores a boolean as a number: true is 1
            elif ffi and not isinstance(r, (int, float, np.number)):
                raise at_lua(TypeError("cannot convert '%s' to '%s'" % (
                    lua_type(r), _FFI_REAL[self.typename])), "torch/FFInterface.lua:%d" % store)
            try:
                a[idx[0]] = _scalar(r, self)
            except TypeError:
                raise TorchError("given function should return a number or nil") from None
        return self

    def totable(self):
        return self.numpy().tolist() if self._size else []

    tolist = totable

    def data(self):
        return self.numpy()

    # -- types ---------------------------------------------------------------
    def type(self, name=None):
        if not isinstance(self, Tensor):
            return _type_of_no_tensor(self, name)
        if name is None:
            return self.typename
        if not isinstance(name, (str, type)):
            # Tensor.lua's torch.getmetatable(name): luaL_checkstring
            text = checkstring_error(name, 1, "getmetatable")
            if text is not None:
                raise at_lua(TorchError(text), 'torch/Tensor.lua:238')
        cls = name if isinstance(name, type) else tensor_types.get(name)
        if cls is None and name in storage_types:
            # Tensor.lua's torch.getmetatable(name).new() of a storage type: an empty storage
            # when there is nothing to copy, else new:resize(self:size()) refuses the size
            if self.nElement() == 0:
                return storage_types[name]()
            raise at_lua(TorchError(bad_argument(1, "number expected, got userdata",
                                                 "resize")), 'torch/Tensor.lua:240')
        if cls is None:
            # Tensor.lua's type() indexes torch.getmetatable(name), nil for an unknown name
            raise at_lua(ValueError(msg("index_nil")), 'torch/Tensor.lua:238')
        if cls is type(self):
            return self
        t = cls()
        if self.nElement() > 0:  # Tensor.lua: new:resize(self:size()):copy(self)
            t.resize(*self._size)
            t.numpy()[...] = c_cast(self.numpy(), cls.dtype)
        return t

    def typeAs(self, tensor):  # Tensor.lua: self:type(tensor:type())
        if not isinstance(self, Tensor):  # (self is indexed first, then tensor:type() runs)
            _method_then_args(self, "self", "type", "torch/Tensor.lua:249",
                              lambda: Tensor.typeAs(Tensor(), tensor))
        if lua_type(tensor) != "table" and not isinstance(tensor, Tensor) or isinstance(
                tensor, (str, list, dict)):
            raise at_lua(TorchError(lua_call_error(tensor, "tensor", "type")),
                         'torch/Tensor.lua:249')
        return self.type(tensor.typename)

    def double(self):
        if not isinstance(self, Tensor):  # torch.DoubleTensor.double(x): Tensor.lua's self:type
            _method_then_args(self, "self", "type", "torch/Tensor.lua:277", _no_args)
        return self.type("torch.DoubleTensor")

    def half(self):
        if not isinstance(self, Tensor):  # torch.DoubleTensor.half(x): Tensor.lua's self:type
            _method_then_args(self, "self", "type", "torch/Tensor.lua:281", _no_args)
        return self.type("torch.HalfTensor")

    def real(self):
        """Tensor.lua's real(): this tensor as the default tensor type."""
        if not isinstance(self, Tensor):  # torch.DoubleTensor.real(x): Tensor.lua's self:type
            _method_then_args(self, "self", "type", "torch/Tensor.lua:285", _no_args)
        return self.type(default_tensor_type().typename)

    @staticmethod
    def isTensor(x):
        """torch.Tensor.isTensor: torch.isTensor reached through a tensor class."""
        return isinstance(x, Tensor)

    def float(self):
        if not isinstance(self, Tensor):  # torch.DoubleTensor.float(x): Tensor.lua's self:type
            _method_then_args(self, "self", "type", "torch/Tensor.lua:273", _no_args)
        return self.type("torch.FloatTensor")

    def long(self):
        if not isinstance(self, Tensor):  # torch.DoubleTensor.long(x): Tensor.lua's self:type
            _method_then_args(self, "self", "type", "torch/Tensor.lua:269", _no_args)
        return self.type("torch.LongTensor")

    def int(self):
        if not isinstance(self, Tensor):  # torch.DoubleTensor.int(x): Tensor.lua's self:type
            _method_then_args(self, "self", "type", "torch/Tensor.lua:265", _no_args)
        return self.type("torch.IntTensor")

    def short(self):
        if not isinstance(self, Tensor):  # torch.DoubleTensor.short(x): Tensor.lua's self:type
            _method_then_args(self, "self", "type", "torch/Tensor.lua:261", _no_args)
        return self.type("torch.ShortTensor")

    def char(self):
        if not isinstance(self, Tensor):  # torch.DoubleTensor.char(x): Tensor.lua's self:type
            _method_then_args(self, "self", "type", "torch/Tensor.lua:257", _no_args)
        return self.type("torch.CharTensor")

    def byte(self):
        if not isinstance(self, Tensor):  # torch.DoubleTensor.byte(x): Tensor.lua's self:type
            _method_then_args(self, "self", "type", "torch/Tensor.lua:253", _no_args)
        return self.type("torch.ByteTensor")

    def cuda(self):
        raise TorchError("cuda: torch7py has no GPU backend (cutorch is not available)")

    # -- indexing (1-based; a tuple is Torch7's index table, a list a range) ---
    def _resolve(self, key):
        """Return ('view', tensor) or ('elem', flat numpy index) for a Torch7 index."""
        if isinstance(key, bool):
            return "none", None  # Tensor.c's __index__/__newindex__ decline it
        if isinstance(key, (int, float, np.integer)):
            k = _c_long(key)  # luaL_checklong truncates t[2.7] to t[2]
            if not self._size:
                raise TorchError(bad_argument(1, "empty tensor"))
            n = self._size[0]
            if k < 0:
                k = n + k + 1
            if k < 1 or k > n:
                raise IndexError(bad_argument(2, msg("out_of_range")))
            if len(self._size) == 1:
                return "elem", (k - 1,)
            return "view", self.select(1, k)
        if isinstance(key, list):
            key = (key,) if key else ()  # {}: no entry (lua_objlen 0), the tensor itself
        if isinstance(key, tuple):
            # the narrows and selects of the index, applied to the geometry at once
            size = list(self._size)
            stride = list(self._stride)
            off = self._offset
            d = 0  # current dimension (0-based)
            if len(key) > len(size):
                raise TorchError(bad_argument(2, msg("too_many_indices")))
            for k in key:
                n = size[d]
                if isinstance(k, (list, tuple)):
                    if len(k) == 0:
                        d += 1
                        continue
                    # {i, j}: the range starts as the whole dimension; a number first
                    # makes it {i, i}, a number second sets its end (lua_isnumber of each:
                    # {'x'} is the whole dimension, {'x', 2} is {1, 2})
                    # (long)(x - 1): C truncates after subtracting ({0.5} is {1, 1})
                    lo, hi = 1, n
                    first = _lua_index_number(k[0])
                    if first is not None:
                        lo = hi = _c_long(first - 1) + 1
                    last = _lua_index_number(k[1]) if len(k) > 1 else None
                    if last is not None:
                        hi = _c_long(last - 1) + 1
                    lo = lo + n + 1 if lo < 0 else lo
                    hi = hi + n + 1 if hi < 0 else hi
                    if lo < 1 or lo > n:
                        raise IndexError(bad_argument(2, msg("start_index_out_of_bound")))
                    if hi < 1 or hi > n:
                        raise IndexError(bad_argument(2, msg("end_index_out_of_bound")))
                    if hi < lo:
                        raise IndexError(bad_argument(2, msg("end_before_start")))
                    off += (lo - 1) * stride[d]
                    size[d] = hi - lo + 1
                    d += 1
                else:
                    i = _lua_index_number(k)
                    if i is None:
                        # Tensor.c's __index__/__newindex__ stop at an entry that is neither
                        # a number nor a table (a mask, a string, nil): the dimensions
                        # selected so far make the result (t[{{-1}, mask}] = v fills a row)
                        break
                    i = _c_long(i - 1) + 1  # (long)(x - 1)
                    i = i + n + 1 if i < 0 else i
                    if i < 1 or i > n:
                        raise IndexError(bad_argument(2, msg("index_out_of_bound")))
                    off += (i - 1) * stride[d]
                    if len(size) == 1:  # select on a 1-D tensor: the element
                        return "pos", off
                    del size[d]
                    del stride[d]
            if all(isinstance(k, (list, tuple)) and not k for k in key):
                return "view", self  # only {} entries: the tensor itself, as before
            return "view", self._view(off, size, stride)
        if isinstance(key, ByteTensor):
            return "mask", key
        if isinstance(key, LongStorage):
            idx = [int(v) for v in key]
            if len(idx) != len(self._size):
                raise TorchError(bad_argument(2, "invalid size"))
            pos = []
            for i, n in zip(idx, self._size):
                i = n + i + 1 if i < 0 else i
                if i < 1 or i > n:
                    raise IndexError(bad_argument(2, msg("index_out_of_bound")))
                pos.append(i - 1)
            return "elem", tuple(pos)
        # Tensor.c's __index__ declines any other key (false): luaT finds no method of that
        # name (nil), and __newindex__ leaves luaT's "cannot be indexed"
        return "none", None

    def _element_offset(self, key):
        """Fast path for t[i, j, ...] with one number per dimension: the storage position."""
        if len(key) != len(self._size) or not key:  # ({} of a 0-d tensor: itself)
            return None
        pos = self._offset
        for k, n, s in zip(key, self._size, self._stride):
            if type(k) is not int:
                return None
            if k < 0:
                k += n + 1
            if k < 1 or k > n:
                return None
            pos += (k - 1) * s
        return pos

    def __getitem__(self, key):
        if type(key) is int:  # t[i] in range: what _resolve gives, without its dispatch
            size = self._size
            if size and 0 < key <= size[0]:
                pos = self._offset + (key - 1) * self._stride[0]
                if len(size) == 1:
                    return self._storage._data[pos].item()
                return self._view(pos, size[1:], self._stride[1:])
        if type(key) is tuple:
            pos = self._element_offset(key)
            if pos is not None:
                return self._storage._data[pos].item()
        kind, v = self._resolve(key)
        if kind == "view":
            return v
        if kind == "elem":
            return self.numpy()[v].item()
        if kind == "pos":
            return self._storage._data[v].item()
        if kind == "mask":
            if self.dtype == np.float16:  # (Tensor.c's text)
                raise TorchError("ByteTensor based indexing not yetsupported with half type")
            from . import tensor_math
            return tensor_math.maskedSelect(self, v)
        return None

    def __setitem__(self, key, value):
        tv = type(value)
        if tv is not float and tv is not int and not isinstance(value, Tensor) \
                and not isinstance(key, (LongStorage, tuple, list, Tensor, bool)) \
                and key is not None:
            # Tensor.c's __newindex with a number key: a number (lua_isnumber) or a tensor,
            # else luaL_typerror(L, 3, "torch.*Tensor") (a table key checks its value after
            # walking the key: _check_set_value)
            try:
                _checknumber(value)
            except TypeError:
                raise TypeError(bad_argument(3, "torch.*Tensor expected, got %s"
                                             % torch_type(value))) from None
        if type(key) is int and len(self._size) == 1 and 0 < key <= self._size[0] \
                and not isinstance(value, Tensor):
            self._storage._data[self._offset + (key - 1) * self._stride[0]] = \
                _scalar(value, self)
            return
        if type(key) is tuple and not isinstance(value, Tensor):
            pos = self._element_offset(key)
            if pos is not None:
                self._storage._data[pos] = _scalar(value, self)
                return
        if isinstance(key, LongStorage):
            # Tensor.c: luaG_(checkreal)(L, 3) before the index's checks (the value read
            # then: for an integer type a string is strtol's)
            value = _scalar(value, self)
        if (type(key) is int or type(key) is float) and len(self._size) > 1:
            # Tensor.c's __newindex__ with a number key on a tensor of 2+ dimensions: a narrow
            # to that one slice (THTensor_(narrow)'s checks: argument #3), then a fill with
            # luaG_(checkreal)'s value or a copy from a tensor of any type
            if self.dtype == np.float16 and not isinstance(value, Tensor):
                raise TorchError(_HALF_FILL)
            k = _c_long(key) - 1
            if k < 0:
                k += self._size[0] + 1
            if k < 0 or k >= self._size[0]:
                raise IndexError(bad_argument(3, msg("out_of_range")))
            v = self._view(self._offset + k * self._stride[0], (1,) + self._size[1:],
                           self._stride)
            if isinstance(value, Tensor):
                v.copy(value)
            else:
                v.fill(_scalar(value, self))
            return
        kind, v = self._resolve(key)
        self._check_set_value(kind, v, value)
        if kind == "elem":
            if isinstance(value, Tensor) and len(v) == 1:
                # Tensor.c's __newindex with a number key and a tensor of any type: narrow to
                # that one element and copy into it (`_, y[i] = torch.max(x, 1)`)
                self.narrow(1, v[0] + 1, 1).copy(value)
                return
            self.numpy()[v] = _scalar(value, self)
        elif kind == "pos":
            self._storage._data[v] = _scalar(value, self)
        elif kind == "view":
            if isinstance(value, Tensor):
                v.copy(value)
            elif self.dtype == np.float16:
                raise TorchError(_HALF_FILL)
            else:
                v.fill(value)  # a table key: Tensor.c fills with (real)lua_tonumber
        elif kind == "mask":
            from . import tensor_math
            if self.dtype == np.float16:
                raise TorchError("ByteTensor indexing not yet supported with half types")
            if isinstance(value, Tensor):
                if type(value) is not type(self):
                    raise TorchError("number or %s expected" % self.typename)
                tensor_math.maskedCopy(self, v, value)
            else:
                tensor_math.maskedFill(self, v, _scalar(value, self))  # luaG_(checkreal)
        elif kind == "none":
            # Tensor.c's __newindex__ declines a tensor key (not a ByteTensor): luaT's
            # __newindex then refuses to set a field of a userdata
            raise TorchError("the class %s cannot be indexed" % self.typename)
        else:
            raise TypeError("invalid tensor index of type %s" % _typename(key))

    def _check_set_value(self, kind, v, value):
        """Tensor.c's __newindex__'s reading of the value, after the key: an element (a
        table key down to one element, a LongStorage key) takes a number (luaG_checkreal:
        #3 'number expected'), a slice a number or a tensor (luaL_typerror #3 'torch.*Tensor'),
        a mask a number or a tensor of this type (THError)."""
        if isinstance(value, (bool, np.bool_)) or not (
                isinstance(value, (int, float, np.number, Tensor)) or isinstance(value, str)):
            ok = False
        elif isinstance(value, str):
            try:
                _checknumber(value)
                ok = True
            except TypeError:
                ok = False
        else:
            ok = True
        from .messages import lua_type
        if kind == "pos" and isinstance(value, str) and self.is_integer:
            # a key down to one element reads the value with luaG_(checkreal) alone (no
            # lua_isnumber first): for an integer type any string, strtol(s, NULL, 0)
            return
        if kind in ("elem", "pos"):
            if kind == "elem" and isinstance(value, Tensor) and len(v) == 1:
                return  # a number key of a vector with a tensor: narrow and copy
            if not ok or isinstance(value, Tensor):
                raise TypeError(bad_argument(3, "number expected, got %s" % lua_type(value)))
        elif kind == "view":
            if not ok:
                raise TypeError(bad_argument(3, "torch.*Tensor expected, got %s"
                                             % lua_type(value)))
        elif kind == "mask":
            if not ok or isinstance(value, Tensor) and type(value) is not type(self):
                raise TorchError("number or %s expected" % self.typename)

    def __len__(self):
        return self._size[0] if self._size else 0

    def __iter__(self):
        for i in range(1, len(self) + 1):
            yield self[i]

    def __bool__(self):
        return True

    __hash__ = object.__hash__

    def __str__(self):
        from .printing import format_tensor
        if self._size and min(self._size) <= 0:
            # (unfold's sizes <= 0) Tensor.lua's __tostring__:
            # torch.DoubleTensor():resize(self:size()):copy(self), its errors at its line
            with lua_line('torch/Tensor.lua:201'):
                tmp = DoubleTensor()
                tmp._resize_nd(list(self._size))
                tmp.copy(self)
        return format_tensor(self.numpy() if self._size else np.zeros(0, self.dtype),
                             self.typename)

    __repr__ = __str__

    def __copy__(self):
        return type(self)._make(self._storage, self._offset, self._size, self._stride)

    def __reduce_ex__(self, protocol):
        return (_rebuild, (self.typename, self.numpy().copy() if self._size else None))


def _rebuild(typename, array):
    t = tensor_types[typename]()
    if array is not None:
        t.resize(*array.shape).numpy()[...] = array
    return t


def _lua_number(x):
    """Lua's type(x) == 'number' (a string is not one)."""
    return not isinstance(x, bool) and (isinstance(x, (int, float)) or
                                       type(x).__module__ == "numpy" and np.ndim(x) == 0)


def _is_size_storage(x):
    """What Tensor.lua's view takes for its size: a LongStorage (torch7py's Python callers'
    list or tuple of sizes too; a Lua table is none)."""
    return isinstance(x, LongStorage) or (isinstance(x, (list, tuple)) and
                                          not from_lua_table(x))


def _sizes_from_args_signed(args):
    if len(args) == 1 and isinstance(args[0], (Storage, list, tuple)):
        vals = list(args[0])
    else:
        vals = list(args)
    return [_to_int(v, "size") for v in vals]


def _checknumber(value):
    """luaL_checknumber: numbers, and strings Lua converts to numbers; booleans are rejected."""
    if isinstance(value, (int, float, np.number)) and not isinstance(value, (bool, np.bool_)):
        return value
    if isinstance(value, str):
        v = lua_tonumber(value)  # lua_isnumber: LuaJIT's lj_strscan ('0x1p4' too)
        if v is not None:
            return v
    if isinstance(value, Tensor):
        raise TypeError("number expected, got %s" % value.typename)
    kind = ("nil" if value is None else "boolean" if isinstance(value, (bool, np.bool_))
            else "string" if isinstance(value, str) else _typename(value))
    raise TypeError("number expected, got %s" % kind)


def _scalar(value, t):
    """A Lua number (or numeric string) assigned into tensor t: luaG_(checkreal) of argument
    #3 (__newindex__'s value) and the store's C conversion to t's type (storage.lua_real)."""
    if type(value) is float and t.dtype == np.float64:
        return value
    if isinstance(value, str) and t.dtype.kind in "iu":
        return lua_real(value, t.dtype)  # luaG_(checkreal): strtol(s, NULL, 0)
    try:
        _checknumber(value)
    except TypeError:
        raise TypeError(bad_argument(3, msg("number_expected", lua_type(value)))) from None
    return lua_real(value, t.dtype)


_HALF_FILL = "fill on torch.HalfTensor not yet supported"


def _check_in_storage(t):
    """THTensor_(resizeNd) on a given storage: one too small for the view grows (reallocated,
    every tensor on it sees the new size), as Tensor.lua's view and torch.Tensor(storage, ...)
    rely on."""
    if not t._size:
        return
    if any(s < 0 for s in t._stride):
        raise ValueError("negative strides are not supported")
    last = t._offset + sum((n - 1) * s for n, s in zip(t._size, t._stride))
    if last >= t._storage.size():
        t._storage.resize(last + 1)
        t._np = None
        t._np_data = None


def _make_type(name, storage_cls):
    dtype = storage_cls.dtype
    cls = type(name, (Tensor,), {"dtype": dtype, "typename": "torch." + name,
                                 "storage_class": storage_cls, "__slots__": (),
                                 "is_integer": dtype.kind in "iu", "__module__": __name__,
                                 "elementSize": element_size_function(dtype)})
    storage_cls.tensor_class = cls
    return cls


ByteTensor = _make_type("ByteTensor", ByteStorage)
CharTensor = _make_type("CharTensor", CharStorage)
ShortTensor = _make_type("ShortTensor", ShortStorage)
IntTensor = _make_type("IntTensor", IntStorage)
LongTensor = _make_type("LongTensor", LongStorage)
FloatTensor = _make_type("FloatTensor", FloatStorage)
DoubleTensor = _make_type("DoubleTensor", DoubleStorage)
HalfTensor = _make_type("HalfTensor", HalfStorage)
# Tensor.c registers apply/map/map2 for every type but Half (#ifndef TH_REAL_IS_HALF), and
# FFInterface.lua skips torch.HalfTensor: Lua finds nil there
HalfTensor.apply = HalfTensor.map = HalfTensor.map2 = None
# TensorMath.lua wraps nothing for HalfTensor (`if Tensor ~= 'HalfTensor'`) and random.lua's
# methods skip it: Lua finds no zero, squeeze, numel, random... on a HalfTensor


def _no_operator(self, other):
    return NotImplemented


# TensorOperator.c is not built for Half: luaT finds no __add__... in torch.HalfTensor's
# metatable ("both torch.HalfTensor and (null) have no multiplication operator")
for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
              "__truediv__", "__rtruediv__", "__mod__", "__rmod__"):
    setattr(HalfTensor, _name, _no_operator)
HalfTensor.__neg__ = None
HalfTensor._py_only = Tensor._py_only | frozenset((
    "zero", "squeeze", "numel", "random", "bernoulli", "geometric", "randperm"))

tensor_types = {c.typename: c for c in (ByteTensor, CharTensor, ShortTensor, IntTensor,
                                        LongTensor, FloatTensor, DoubleTensor, HalfTensor)}

_default = [DoubleTensor]


def default_tensor_type():
    return _default[0]


def set_default_tensor_type(name):
    """init.lua's torch.setdefaulttensortype: any tensor type name."""
    if not isinstance(name, str):
        raise TypeError("string expected, got %s" % _typename(name))
    cls = tensor_types.get(name)
    if cls is None:
        raise at_lua(TorchError("<%s> is not a string describing a torch object" % name),
                     'torch/init.lua:116')
    _default[0] = cls


def isTensor(x):
    return isinstance(x, Tensor)


_dtype_to_tensor = {c.dtype: c for c in tensor_types.values()}


def from_numpy(a):
    """A tensor sharing a's memory (no copy)."""
    a = np.asarray(a)
    if a.dtype == np.bool_:
        a = a.view(np.uint8)
    cls = _dtype_to_tensor.get(a.dtype)
    if cls is None:
        raise TypeError("from_numpy: unsupported dtype %s" % a.dtype)
    item = a.itemsize
    if any(s % item for s in a.strides) or any(s < 0 for s in a.strides):
        raise ValueError("from_numpy: strides must be non-negative multiples of the item size")
    if a.size == 0:
        return cls()
    span = 1 + sum((n - 1) * (s // item) for n, s in zip(a.shape, a.strides))
    flat = np.lib.stride_tricks.as_strided(a, shape=(span,), strides=(item,))
    storage = cls.storage_class._wrap(flat)
    if a.ndim == 0:
        return cls._make(storage, 0, (1,), (1,))
    return cls._make(storage, 0, a.shape, tuple(s // item for s in a.strides))


def _storage_number(x):
    """What `size[i] = x` stores in a LongStorage (Storage.c's __newindex: LuaJIT's
    lua_tonumber, 0 for a string that is no number; anything else but a number fails)."""
    if isinstance(x, str):
        v = lua_tonumber(x)
        x = 0 if v is None else v
    if not _lua_number(x):
        e = TorchError("bad argument #3 to '?' (number expected, got %s)" % lua_type(x))
        e.torch7_plain = True  # (Storage.c's luaL_checknumber, called by luaT: no position)
        raise e
    # (C's (long) of an infinity or a NaN on x86: LONG_MIN)
    return int(x) if math.isfinite(x) else -2 ** 63


def _lua_size_args(self, args, where, method, method_first=False):
    """Tensor.lua's expand/repeatTensor(result, tensor, ...) called as self:f(*args):
    (tensor, sizes, result-first form). A number or a LongStorage first makes self the tensor,
    else the first argument is it and the sizes follow; a LongStorage first among the sizes is
    the size, else LongStorage(#sizes) filled by ipairs. `tensor:method()` (at where) fails on
    a non-tensor; repeatTensor calls it before building the size, expand after."""
    first = args[0] if args else None
    if _lua_number(first) or _is_size_storage(first):
        tensor, sizes, res_form = self, args, False
    else:
        tensor, sizes, res_form = first, args[1:], True
    if method_first and not isinstance(tensor, Tensor):
        raise at_lua(TorchError(lua_call_error(tensor, "tensor", method)), where)
    if sizes and _is_size_storage(sizes[0]):
        size = [_storage_number(v) for v in sizes[0]]
    else:
        size = []
        for v in sizes:
            if v is None:  # ipairs stops at the first nil
                break
            size.append(_storage_number(v))
    if not isinstance(tensor, Tensor):
        raise at_lua(TorchError(lua_call_error(tensor, "tensor", method)), where)
    return tensor, size, res_form


def _lua_size(x, local, where):
    """Tensor.lua's `local:size()` at `where`: a tensor's size (a LongStorage), a storage's
    (a number), else LuaJIT's error on the call, at that line."""
    if isinstance(x, (Tensor, Storage)):
        return x.size()
    raise at_lua(TorchError(lua_call_error(x, local, "size")), where)


def _as_tensor_arg(x, what, local="tensor", method="size"):
    """x when it is a tensor, else the error of Tensor.lua's `local:method()` on it (LuaJIT:
    indexing nil, a number or a boolean fails; a string or a table gives a nil method)."""
    if not isinstance(x, Tensor):
        raise TorchError(lua_call_error(x, local, method))
    return x


def _result_first(args, what):
    """(result list or None, tensor, rest): Tensor.lua's split/chunk take an optional table
    first, which they empty and fill."""
    if args and isinstance(args[0], list):
        res = args[0]
        if len(res):
            del res[:]
        args = args[1:]
    else:
        res = None
    if not args:
        args = (None,)
    return res, _as_tensor_arg(args[0], what), args[1:]


def split(*args):
    """torch.split([result,] tensor, size[, dim]): views of size `size` along dim."""
    with lua_line('torch/Tensor.lua:503'):  # the loop's tensor:size(dim), its first use
        res, t, rest = _result_first(args, "split")
        dim = rest[1] if len(rest) > 1 and rest[1] is not None else 1
        n = t.size(dim)
        if isinstance(n, Storage):  # size(dim) of a non-number dim: `start <= storage`
            raise TorchError("both (null) and %s have no less-equal operator" % n.typename)
    # math.min(splitSize, ...) checks splitSize once the loop runs (a local: nil if left out)
    size = rest[0] if rest else None
    if n >= 1:
        if not (size is NOVALUE or size is None or isinstance(size, (str, bool, int, float,
                                                                    np.number))):
            raise at_lua(TorchError("bad argument #1 to 'min' (number expected, got %s)"
                                    % lua_type(size)), 'torch/Tensor.lua:504')
        try:
            _checkint(size, 1)
        except TorchError as e:
            raise at_lua(TorchError(str(e).replace("to '?'", "to 'min'")),
                         'torch/Tensor.lua:504') from None
        if isinstance(size, str):
            size = lua_tonumber(size)  # math.min's lj_lib_checknum
    out = [] if res is None else res
    del out[:]  # Tensor.lua empties a given result table first
    i = 1
    while i <= n:
        # Tensor.lua's math.min(splitSize, n - start + 1), x86's minsd (a NaN size gives the
        # rest), then tensor:narrow(dim, start, size): a method call, whose luaL_checklong
        # truncates a fractional start or size, and a size <= 0 fails as narrow's #3
        rest_n = n - i + 1
        step = size if size < rest_n else rest_n
        with lua_line('torch/Tensor.lua:505'), lua_method_call("narrow"):
            out.append(t.narrow(dim, i, step))
        i += step
    return out


def chunk(*args):
    """torch.chunk([result,] tensor, n[, dim]): n views (the last one smaller) along dim."""
    with lua_line('torch/Tensor.lua:521'):  # math.ceil(tensor:size(dim)/nChunk)
        res, t, rest = _result_first(args, "chunk")
        dim = rest[1] if len(rest) > 1 and rest[1] is not None else 1
        n = t.size(dim)
        k = rest[0] if rest else None
        # n / nChunk: a storage operand's metamethod (luaT's, n's first: size(dim) of a
        # non-number dim is the size storage), a tensor's (its __div__ with a number first:
        # TH's check of argument 1, no position: luaT calls it from C), else Lua's arithmetic
        for a, b in ((n, k), (k, n)):
            if isinstance(a, Storage):
                raise TorchError("both %s and %s have no division operator" % (
                    luaT_typename(n, 1) if isinstance(n, Storage) else "(null)",
                    luaT_typename(k, 1) if isinstance(k, (Storage, Tensor)) else "(null)"))
        if isinstance(k, str):  # Lua's arithmetic converts a numeric string
            k = lua_tonumber(k) if lua_tonumber(k) is not None else k
        if isinstance(k, bool) or not isinstance(k, (int, float, np.number, Tensor)):
            raise TorchError(msg("arith_on", "local 'nChunk'", lua_type(k)))
    if isinstance(k, Tensor):
        e = TorchError("bad argument #1 to '?' (%s expected, got boolean)" % k.typename)
        e.torch7_plain = True
        raise e
    # Lua's math.ceil(n / nChunk): nChunk 0 gives inf, and split's math.min(inf, rest) takes
    # the whole dimension in one view
    q = n / k if k else math.inf
    size = math.ceil(q) if math.isfinite(q) else n
    return split(t, size, dim) if res is None else split(res, t, size, dim)


# torch.fill/zero/squeeze/numel are TensorMath's (cwrap) functions: a first argument that is
# no tensor is a call matching none of their forms (%s: the type's name, %r: its real)
_CWRAP_FUNCTION_FORMS = {"fill": "*%s* %r", "zero": "*%s*",
                         "squeeze": "[*%s*] %s | [*%s*] %s index", "numel": "%s"}


_TENSOR_LUA_FUNCTIONS = ("view", "viewAs", "expand", "expandAs", "repeatTensor", "permute")


def _field_call_error(value, local, field):
    """LuaJIT's text for `local.field(...)`: indexing nil, a number, a boolean or a function
    fails; a string's or a table's field is nil, which the call fails on."""
    kind = lua_type(value)
    if kind in ("nil", "number", "boolean", "function"):
        return msg("index_local", local, kind)
    return msg("call_nil_field", field)


def _method_then_args(r, local, method, where, args_first):
    """Lua's `local:method(args)` at where with local = r, no tensor: SELF fails on indexing
    nil, a number, a boolean or a function before the arguments are evaluated; a string's or
    a table's method is nil, and the call fails after them (args_first() raises first)."""
    if lua_type(r) in ("nil", "number", "boolean", "function"):
        raise at_lua(TorchError(msg("index_local", local, lua_type(r))), where)
    args_first()
    raise at_lua(TorchError(msg("call_nil_method", method)), where)


def _no_args():
    pass


def _type_of_no_tensor(x, name):
    """Tensor.lua's Tensor.type(self, type) with no tensor as self (torch.FloatTensor.type(3)):
    torch.typename(self) is nil, returned as it is without a type; with one, the new tensor
    of that type is made (an unknown name indexes nil) before self:nElement() fails."""
    if name is None:
        return None
    if tensor_types.get(name) is None:
        raise at_lua(TorchError(msg("index_nil")), 'torch/Tensor.lua:238')
    _method_then_args(x, "self", "nElement", 'torch/Tensor.lua:239', _no_args)


def _tensor_lua_nontensor(name, r, args):
    """torch.view/viewAs/expand/expandAs/repeatTensor/permute/totable(r, ...) with r no tensor
    (or the method of a type's table called so):
    Tensor.lua's function run with result (permute: tensor) = r, up to its error."""
    L = 'torch/Tensor.lua:%d'
    get = (lambda i: args[i] if len(args) > i else None)
    if name == "view":  # every form wants istensor(result)
        raise at_lua(TorchError(msg("view_usage")), L % 456)
    if name == "permute":
        raise at_lua(TorchError(lua_call_error(r, "tensor", "dim")), L % 542)
    if name == "totable":  # Tensor.totable(tensor): local dim = tensor:dim()
        raise at_lua(TorchError(lua_call_error(r, "tensor", "dim")), L % 528)
    if name == "viewAs":
        template = get(1)
        if template is not None and template is not False and isinstance(template, (
                Tensor, Storage)):
            _method_then_args(r, "result", "view", L % 475,
                              lambda: _lua_size(template, "template", L % 475))
        if template is None:  # template = src; src = result; result = src.new()
            raise at_lua(TorchError(_field_call_error(r, "src", "new")), L % 479)
        raise at_lua(TypeError(
            "expecting (torch.Tensor, torch.Tensor, torch.LongStorage) or "
            "(torch.Tensor, torch.LongStorage)"), L % 484)
    if name == "expandAs":
        tensor, template = get(0), get(1)
        if template is not None and template is not False:
            _method_then_args(r, "result", "expand", L % 339,
                              lambda: _lua_size(template, "template", L % 339))
        _method_then_args(r, "result", "expand", L % 341,
                          lambda: _lua_size(tensor, "tensor", L % 341))
    # expand / repeatTensor(result, tensor, ...)
    first = get(0)
    new_line, set_line, set_method = ((296, 331, "set") if name == "expand" else
                                      (353, 378, "resize"))
    if _lua_number(first) or _is_size_storage(first):
        # tensor = result; result = tensor.new()
        raise at_lua(TorchError(_field_call_error(r, "tensor", "new")), L % new_line)
    probe = type(r)() if isinstance(r, Tensor) else Tensor()
    if name == "expand":
        tensor, sizes, _ = _lua_size_args(probe, args, L % 311, "dim")
        tensor._expanded(sizes)
    else:
        tensor, sizes, _ = _lua_size_args(probe, args, L % 356, "isContiguous",
                                          method_first=True)
        if len(sizes) < len(tensor._size):
            raise at_lua(TorchError(
                "Number of dimensions of repeat dims can not be smaller than number "
                "of dimensions of tensor"), L % 369)
    raise at_lua(TorchError(lua_call_error(r, "result", set_method)), L % set_line)


def _function_form(name):
    """torch.narrow(t, ...), torch.transpose(t, ...): the method called on its first argument."""
    def fn(t=NOVALUE, *args):
        if not isinstance(t, Tensor) and name in _TENSOR_LUA_FUNCTIONS:
            _tensor_lua_nontensor(name, None if t is NOVALUE else t, args)
        if not isinstance(t, Tensor) or (type(t) is HalfTensor
                                         and name in _CWRAP_FUNCTION_FORMS):
            # (TensorMath's dispatcher sees no tensor type in a HalfTensor: the default
            # type's function gets it)
            form = _CWRAP_FUNCTION_FORMS.get(name)
            T = default_tensor_type()
            if form is not None:
                from .messages import REAL_CTYPE, invalid_arguments
                given = () if t is NOVALUE else (t,) + args
                last = given[-1] if given else None
                if isinstance(last, str) and last in tensor_types and \
                        tensor_types[last] is not HalfTensor:
                    # the dispatcher's trailing type name: that type's function, called
                    # without it
                    T, given = tensor_types[last], given[:-1]
                tn = T.__name__
                real = REAL_CTYPE[tn[:-len("Tensor")]]
                raise TorchError(invalid_arguments(given, [
                    form.replace("%s", tn).replace("%r", real)]))
            # the default type's C function, whose luaT_checkudata of #1 reports
            # lua_typename(L, 1) for a value that is no torch object (luaT_typerror)
            raise TorchError(bad_argument(1, "%s expected, got %s" % (
                T.typename, luaT_typename(None if t is NOVALUE else t, 1))))
        # Tensor.lua's torch.viewAs = Tensor.viewAs: the method itself, which Lua calls with
        # nil for the arguments left out (torch.expandAs(x) fails at tensor:size(), not here)
        return luacall.call(getattr(t, name), *args)
    fn.__name__ = name
    fn.__doc__ = "torch.%s(tensor, ...): Tensor.%s as a function." % (name, name)
    return fn


_VIEW_FUNCTIONS = ("narrow", "select", "sub", "transpose", "t", "unfold", "expand", "expandAs",
                   "view", "viewAs", "squeeze", "unsqueeze", "permute", "repeatTensor",
                   "contiguous", "clone", "isSameSizeAs", "isSetTo", "isContiguous", "numel",
                   "fill", "zero")
for _name in _VIEW_FUNCTIONS:
    globals()[_name] = _function_form(_name)
__all__ += list(_VIEW_FUNCTIONS) + ["split", "chunk"]


def totable(obj):
    """torch.totable(obj): the nested table of a tensor's or a storage's values (init.lua)."""
    if isinstance(obj, (Tensor, Storage)):
        return obj.totable()
    raise at_lua(TypeError("obj must be a Storage or a Tensor"), 'torch/init.lua:166')


__all__.append("totable")


def _lua_index_number(x):
    """An entry of an index table as Tensor.c reads it (lua_isnumber, then lua_tonumber): its
    number, else None."""
    if type(x) is int or type(x) is float:
        return x
    if isinstance(x, bool):
        return None
    if isinstance(x, str):
        return lua_tonumber(x)
    if isinstance(x, (np.integer, np.floating)):
        return x.item()
    return None


def _cwrap_invalid(given, form):
    """cwrap's invalid-arguments error of a TensorMath function implemented here; form names
    the tensor type with %s."""
    from .messages import invalid_arguments
    name = type(given[0]).__name__
    return TorchError(invalid_arguments(given, [form.replace("%s", name)]))


# FFInterface.lua's `real` of each type: the C type its loops store through, as LuaJIT's
# conversion errors name it (x86-64's `long` is the ctype int64_t)
# FFInterface.lua's lines in apply / map / map2 (by the number of sources): the size asserts,
# the func(...) call, the ffi store `self_d[i] = res` (errors there carry that position)
_FFI_LINES = {0: ((), 133, 135), 1: ((155,), 157, 159), 2: ((182, 183), 185, 187)}
_FFI_REAL = {"torch.ByteTensor": "unsigned char", "torch.CharTensor": "char",
             "torch.ShortTensor": "short", "torch.IntTensor": "int",
             "torch.LongTensor": "int64_t", "torch.FloatTensor": "float",
             "torch.DoubleTensor": "double"}


def _check_tensor(self, other, n):
    """luaT_checkudata(L, n, <self's type>): other, else its error."""
    if type(other) is not type(self):
        raise TypeError(bad_argument(n, "%s expected, got %s" % (self.typename,
                                                                 luaT_typename(other, n))))
    return other
