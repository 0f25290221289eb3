"""Torch7's Storages (THStorage): flat typed buffers that tensors view."""
import ctypes
import math
import os
import weakref
from collections.abc import Mapping

import numpy as np

from .luaresults import NOVALUE
from .messages import bad_argument, from_c, lua_type, luaT_typename, msg

__all__ = [
    "Storage", "ByteStorage", "CharStorage", "ShortStorage", "IntStorage", "LongStorage",
    "FloatStorage", "DoubleStorage", "HalfStorage", "isStorage",
]


def lua_sequence(t):
    """A Lua table that is no list here (one with other keys, the torch package table...) as
    Torch7's constructors read it: its values t[1], t[2], ... up to the first nil (lua_objlen
    of a table without holes); the tables inside it the same way, level by level."""
    if isinstance(t, list):
        return [lua_sequence(v) if isinstance(v, (list, Mapping)) else v for v in t]
    out, i = [], 1
    while i in t:
        v = t[i]
        out.append(lua_sequence(v) if isinstance(v, (list, Mapping)) else v)
        i += 1
    return out


def c_cast(values, dtype):
    """Convert an array to dtype the way an x86 C cast does (Torch7's copy between types).

    Float to a narrow integer goes through int32 and then wraps (-1 -> 255, 300 -> 44);
    float to int32 of an out-of-range value gives INT_MIN, as cvttsd2si does.
    """
    values = np.asarray(values)
    dtype = np.dtype(dtype)
    if values.dtype == dtype:
        return values
    if dtype == np.float16 and values.dtype != np.float32:
        # TH converts to half from float (TH_float2half): a double is first cast to float
        with np.errstate(invalid="ignore", over="ignore"):
            return values.astype(np.float32).astype(np.float16)
    if values.dtype.kind == "f" and dtype.kind in "iu":
        with np.errstate(invalid="ignore", over="ignore"):
            if dtype.itemsize < 4:
                return values.astype(np.int32).astype(dtype)
            return values.astype(dtype)
    if values.dtype.kind == "b":
        return values.astype(dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        return values.astype(dtype)


_INT64_MIN = -(1 << 63)
_FLT_BIG = 3.4e38  # below FLT_MAX: a double this small rounds to a finite float
_WIDTH = {1: 0xFF, 2: 0xFFFF, 4: 0xFFFFFFFF}


def _wrap_int(i, dtype):
    """A C integer conversion to a narrower (or same) width: two's complement wraps."""
    mask = _WIDTH.get(dtype.itemsize)
    if mask is None:
        return i
    i &= mask
    if dtype.kind == "i" and i > mask >> 1:
        i -= mask + 1
    return i


def strtol0(s):
    """C's strtol(s, NULL, 0): spaces, a sign, then base 16 after 0x, 8 after a leading 0,
    else 10, as far as the digits go (none: 0); beyond a long, LONG_MAX or LONG_MIN."""
    i, n = 0, len(s)
    while i < n and s[i] in " \t\n\v\f\r":
        i += 1
    neg = False
    if i < n and s[i] in "+-":
        neg = s[i] == "-"
        i += 1
    base = 10
    if s[i:i + 2] in ("0x", "0X") and i + 2 < n and s[i + 2] in "0123456789abcdefABCDEF":
        base, i = 16, i + 2
    elif s[i:i + 1] == "0":
        base = 8
    digits = "0123456789abcdef"[:base]
    j = i
    while j < n and s[j].lower() in digits:
        j += 1
    v = int(s[i:j], base) if j > i else 0
    v = -v if neg else v
    return max(_INT64_MIN, min(v, -_INT64_MIN - 1))


def lua_real(value, dtype):
    """luaG_(checkreal) of a number (or a string lua_isnumber accepts) as stored in a `real`
    of dtype. Integer types: a string is strtol(s, NULL, 0) cast to the type ('010' is 8,
    '1e1' is 1); a number is luaL_checkinteger's (lua_Integer) cast, back to a lua_Number,
    then the C double -> real cast: cvttsd2si (32 bits for Byte...Int: out of range gives
    INT_MIN, then the low bits), NaN/inf/beyond int64 giving INT64_MIN. Float: the double
    rounded to float; Half: through float (TH_float2half)."""
    if dtype.kind == "f":
        if isinstance(value, str):
            from .messages import lua_tonumber
            value = lua_tonumber(value)
        value = float(value)
        if dtype.itemsize == 8:
            return value
        if dtype.itemsize == 4 and -_FLT_BIG < value < _FLT_BIG:
            return np.float32(value)  # (no overflow: no warning state to set)
        with np.errstate(over="ignore"):
            v = np.float32(value)
            return v if dtype.itemsize == 4 else np.float16(v)
    if isinstance(value, str):
        return _wrap_int(strtol0(value), dtype)
    if isinstance(value, float) or not isinstance(value, (int, np.integer)):
        value = float(value)
        i = int(value) if value == value and -2.0 ** 63 <= value < 2.0 ** 63 else _INT64_MIN
    else:
        i = int(value) if _INT64_MIN <= value < -_INT64_MIN else _INT64_MIN
    if dtype.itemsize < 8:
        i = i if -(1 << 31) <= i < (1 << 31) else -(1 << 31)  # cvttsd2si of (double)i
    return _wrap_int(i, dtype)


# The geometry epoch: a number in memory that the Lua layer reads (compat/bridge.lua caches
# the memory address, offset, sizes and strides of the tensors and storages it indexes, valid
# while the epoch is unchanged). GEOM_WATCHED holds the ids of the objects whose geometry was
# handed out since the last change; a change of one of them (Tensor._set/resize, Storage.resize:
# a new geometry or a new buffer) clears the set and moves the epoch on.
GEOM_EPOCH = ctypes.c_double(0.0)
GEOM_WATCHED = set()


def geom_changed():
    """An object in GEOM_WATCHED changes its geometry or its memory: every cache is stale."""
    GEOM_WATCHED.clear()
    GEOM_EPOCH.value += 1.0


def _geom_init(obj, slot):
    """__init__ of an object whose id is in GEOM_WATCHED: a new one has the id of a dead one
    (no cache can know it: forget the id), an existing one (its slot set: __init(t, ...)
    called again) changes its geometry."""
    if hasattr(obj, slot):
        geom_changed()
    else:
        GEOM_WATCHED.discard(id(obj))


# storages THStorage_(resize) refuses (their flag lacks TH_STORAGE_RESIZABLE): views of
# another storage's memory, file mappings
_FIXED = weakref.WeakSet()


class TorchError(RuntimeError):
    """An error raised where Torch7 raises one (bad argument, out of range, size mismatch)."""


# Torch7's heap tracking (THGeneral.c): when set, heap_hook(nbytes) is told the size of every
# buffer a storage allocates. The Lua layer runs Lua's collector from it: Lua cannot see the
# numpy memory its tensor proxies hold, so without it garbage tensors pile up between Lua's
# own collections (torch.setheaptracking).
heap_hook = None


def check_file(file, error=None):
    """luaT_checkudata(L, 2, "torch.File") of the C read/write methods (Storage, Tensor,
    Generator): luaT_typerror names a value without a torch type by type number 2,
    'userdata'. error: the exception class (TorchError by default)."""
    from .serialization.files import File
    if not isinstance(file, File):
        raise (error or TorchError)(bad_argument(2, msg(
            "type_expected", "torch.File", luaT_typename(file, 2))))
    return file


class Storage:
    """Base class of the seven storage types; `_data` is the buffer (1-D numpy array)."""

    # Python API beyond Torch7's class: a Lua script finds nil there, as in Torch7
    _py_only = frozenset(("numpy", "tolist", "type", "zero"))
    dtype = None
    typename = None
    tensor_class = None  # set by tensor.py
    _t7_userdata = True  # a C object in Torch7 (luaT_pushudata)

    __slots__ = ("_data", "__weakref__")

    def __init__(self, *args):
        if id(self) in GEOM_WATCHED:
            _geom_init(self, "_data")
        if not args:
            self._data = np.zeros(0, dtype=self.dtype)
            return
        a = args[0]
        if isinstance(a, Storage):
            # Storage(storage[, offset[, size]]): a window sharing the other's memory
            if type(a) is not type(self):  # luaT_checkudata
                raise TypeError("bad argument #1 to '?' (%s expected, got %s)"
                                % (self.typename, a.typename))
            # Storage.c's checks (luaL_error): a view holds at least one element
            offset = _to_int(args[1], "offset") if len(args) > 1 and args[1] is not None \
                else 1
            if offset < 1 or offset > a.size():
                raise ValueError("offset out of bounds")
            size = _to_int(args[2], "size") if len(args) > 2 and args[2] is not None \
                else a.size() - offset + 1
            if size < 1 or size > a.size() - offset + 1:
                raise ValueError("size out of bounds")
            self._data = a._data[offset - 1: offset - 1 + size]
            _FIXED.add(self)  # TH_STORAGE_VIEW without TH_STORAGE_RESIZABLE
        elif isinstance(a, str):
            self._data = _map_file(self, *args)
            _FIXED.add(self)  # THStorage_(newWithMapping) clears TH_STORAGE_RESIZABLE
            if len(args) > 3 and args[1] and args[3]:
                # THMapAllocator_free: a shared-memory mapping shm_unlinks its file when the
                # storage is freed (a plain shared file mapping stays)
                weakref.finalize(self, _shm_unlink, _shm_path(a))
        elif isinstance(a, (list, tuple, Mapping)):
            if isinstance(a, Mapping):
                a = lua_sequence(a)
            from .messages import lua_tonumber
            a = list(a)
            for i, v in enumerate(a):  # Storage.c's constructor from a table: lua_isnumber,
                if isinstance(v, str) and lua_tonumber(v) is not None:  # a numeric string
                    a[i] = lua_tonumber(v)  # too (csvigo's fields): lua_tonumber's value
                elif isinstance(v, bool) or not isinstance(v, (int, float, np.number)):
                    raise TypeError("element at index %d is not a number" % (i + 1))
            self._data = c_cast(np.array(a, dtype=np.float64) if a else np.zeros(0),
                                self.dtype).copy()
        elif isinstance(a, np.ndarray):
            self._data = c_cast(a.ravel(), self.dtype).copy()
        else:
            n = _to_int(a, "size")
            if n < 0:  # THAlloc's check of a negative byte count
                raise ValueError(_INVALID_MEMORY)
            self._data = _th_zeros(n, self.dtype)
        if heap_hook is not None:
            heap_hook(self._data.nbytes)

    @classmethod
    def _wrap(cls, array):
        s = cls.__new__(cls)
        s._data = array
        if heap_hook is not None:
            heap_hook(array.nbytes)
        return s

    # -- size ----------------------------------------------------------------
    def size(self):
        return self._data.shape[0]

    def __len__(self):
        return self._data.shape[0]

    def resize(self, n=NOVALUE):
        """Resize keeping the content (THStorage_resize reallocates)."""
        if type(n) is not int:
            n = int(_check_number(n, 2))  # luaL_checkinteger: a C cast
        if n < 0:  # THRealloc's check of a negative byte count
            raise ValueError(_INVALID_MEMORY)
        if self in _FIXED:  # a view or a file mapping, whatever the size asked
            raise TorchError("Trying to resize storage that is not resizable")
        old = self._data
        if n != old.shape[0]:
            if id(self) in GEOM_WATCHED:
                geom_changed()
            new = _th_zeros(n, self.dtype, old.shape[0] > 0)  # THRealloc of NULL: THAlloc
            k = min(n, old.shape[0])
            new[:k] = old[:k]
            self._data = new
            if heap_hook is not None:
                heap_hook(new.nbytes)
        return self

    # -- element access (1-based) ---------------------------------------------
    def _index(self, i):
        if isinstance(i, float) and not math.isfinite(i):
            i = _INT64_MIN  # luaL_checkinteger of NaN or inf: x86's integer indefinite
        i = _to_int(i, "index")
        n = self._data.shape[0]
        if i < 1 or i > n:  # torch's storage __index__/__newindex__: luaL_argcheck
            # (raised by the class's __index__/__newindex__ under luaT's C metamethods: no
            # position, from whatever Lua line or port of one it came)
            raise from_c(IndexError("bad argument #2 to '?' (out of bounds)"))
        return i - 1

    def __getitem__(self, i):
        return self._data[self._index(i)].item()

    def __setitem__(self, i, value):
        if type(value) is not float and type(value) is not int and not self._strtol(value):
            # Storage.c's __newindex__: luaG_(checkreal)(L, 3), called by luaT's __newindex
            # through lua_call (LuaJIT names no function: '?', nor any position)
            try:
                _check_number(value, 3)
            except Exception as e:
                raise from_c(e)
        self._data[self._index(i)] = lua_real(value, self.dtype)

    def __iter__(self):
        return iter(self._data.tolist())

    def _strtol(self, value):
        """Whether luaG_(checkreal) reads value as a string: any string, for an integer type
        (strtol(s, NULL, 0), with no check that it is a number: 'x' is 0)."""
        return isinstance(value, str) and self.dtype.kind in "iu"

    def fill(self, value=NOVALUE):
        if type(value) is not float and type(value) is not int and not self._strtol(value):
            _check_number(value, 2)  # luaG_checkreal
        self._data[...] = lua_real(value, self.dtype)
        return self

    def zero(self):
        self._data[...] = 0
        return self

    def copy(self, other=NOVALUE):
        if not isinstance(other, Storage):
            # luaL_typerror(L, 2, "torch.*Storage"): Lua's type of the value
            raise TypeError("bad argument #2 to '?' (torch.*Storage expected, got %s)"
                            % lua_type(other))
        if other.size() != self.size():
            # THStorage_(copy) (same type) checks the sizes; the copies from another type
            # read self's size of elements from the source without a check: a longer source
            # gives its first ones (a shorter one would be read past its end: refused)
            # (the copies to and from Half check the sizes: IMPLEMENT_THStorage_COPY_*_HALF)
            if type(other) is type(self) or other.size() < self.size() or \
                    np.float16 in (self.dtype, other.dtype):
                raise ValueError("bad argument #2 to '?' (size mismatch)")
            other = type(other)._wrap(other._data[:self.size()])
        d, o = self._data, other._data
        if (d.base is not None or o.base is not None) and d.dtype == o.dtype and \
                np.shares_memory(d, o):
            # windows of one buffer: THStorage_(rawCopy)'s loop, one element after the other
            from .overlap import run
            n = d.shape[0]
            k = np.arange(n, dtype=np.int64)
            run(d, k, [("pos", o, k)], k, lambda v: v[0])
            return self
        self._data[...] = c_cast(other._data, self.dtype)
        return self

    def retain(self):
        """Reference counting is Python's; kept for Torch7 scripts that call it (Storage.c's
        returns nothing)."""
        return

    def free(self):
        return

    def write(self, file=NOVALUE):
        """Storage.c's write: the size (a long), then the elements raw."""
        f = check_file(file)
        f.writeLong(self.size())
        if self.size():
            getattr(f, "write" + self._kind())(self)
        return

    def read(self, file=NOVALUE):
        """Storage.c's read: the size, a resize, then the elements raw."""
        f = check_file(file)
        n = int(f.readLong())
        self.resize(n)
        if n:
            self._data[...] = getattr(f, "read" + self._kind())(n)._data
        return

    def _kind(self):
        return self.typename[len("torch."):-len("Storage")]

    def elementSize(self):
        return self.dtype.itemsize

    def totable(self):
        return self._data.tolist()

    def tolist(self):
        return self._data.tolist()

    def string(self, value=None):
        """Char/Byte storages: the content as a string, or set the content from one
        (Storage.c defines it for those two types only: Lua sees no such method on the
        others)."""
        if self.dtype.itemsize != 1:
            raise TypeError("string() is only defined for Byte and Char storages")
        if value is None:
            # text with undecodable bytes kept as surrogates: the convention of File, and what
            # the Lua layer turns back into the same bytes
            return self._data.view(np.uint8).tobytes().decode("utf-8", "surrogateescape")
        raw = value.encode("utf-8", "surrogateescape") if isinstance(value, str) \
            else bytes(value)
        if self in _FIXED:  # Storage.c's string: THStorage_(resize) first
            self.resize(len(raw))
        if id(self) in GEOM_WATCHED:
            geom_changed()
        self._data = np.frombuffer(raw, dtype=np.uint8).view(self.dtype).copy()
        return self

    def type(self, name=None):
        if name is None:
            return self.typename
        cls = storage_types.get(name)
        if cls is None:
            raise ValueError("unknown storage type %r" % (name,))
        if cls is type(self):
            return self
        return cls._wrap(c_cast(self._data, cls.dtype).copy())

    def data(self):
        return self._data

    def numpy(self):
        return self._data

    def __str__(self):
        from .printing import format_storage
        return format_storage(self._data, self.typename)

    __repr__ = __str__

    def __reduce_ex__(self, protocol):
        return (type(self)._wrap, (self._data.copy(),))


def _shm_path(name):
    """Where shm_open(name) puts its file (Linux)."""
    return os.path.join("/dev/shm", name.lstrip("/"))


def _shm_unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass  # already gone: unlinked by its other user


_INVALID_MEMORY = "$ Torch: invalid memory size -- maybe an overflow?"


def _th_zeros(n, dtype, grow=False):
    """n elements of dtype, zeroed; where the memory cannot be had, THAlloc's message (THRealloc's
    when grow: a storage holding memory already), the byte count in whole GB."""
    try:
        return np.zeros(n, dtype=dtype)
    except MemoryError:
        raise TorchError("$ Torch: not enough memory: you tried to %s %dGB. Buy new RAM!" % (
            "reallocate" if grow else "allocate", n * np.dtype(dtype).itemsize // 1073741824)) \
            from None


def _map_file(self, filename, shared=False, size=None, shared_mem=False):
    """Storage(filename[, shared[, size[, sharedMem]]]) as THMapAllocator: a private (copy on
    write) or shared mapping; a shared one creates the file and grows it to `size`."""
    orig = filename
    # Storage.c's reads of its arguments, in its order, before anything is opened:
    # luaT_optboolean(shared), luaL_optinteger(size), luaT_optboolean(sharedMem) when shared
    shared = _opt_boolean(shared, 2)
    if size is not None:
        size = _check_number(size, 3)
    shared_mem = shared and _opt_boolean(shared_mem, 4)
    if shared_mem and shared:
        filename = _shm_path(filename)
    size = None if size is None or size == 0 else _to_int(size, "size")
    if size is not None and size < 0:
        raise ValueError("invalid storage size %d (it must be >= 0)" % size)
    isz = self.dtype.itemsize
    try:
        if shared:
            fd = os.open(filename, os.O_RDWR | os.O_CREAT, 0o600)
            os.close(fd)
        have = os.path.getsize(filename)
    except OSError:
        # THMapAllocator's THError texts (open's errno is not in them); the file is the name
        # given, a shared-memory object is named as shm_open got it
        if shared_mem and shared:
            raise OSError("unable to open shared memory object <%s> in read-write mode"
                          % orig) from None
        raise OSError("unable to open file <%s> in %s mode" % (
            filename, "read-write" if shared else "read-only")) from None
    if size is None:
        size = have // isz
    elif have < size * isz:
        if not shared:
            raise ValueError("file <%s> size is smaller than the required mapping size <%d>"
                             % (filename, size * isz))
        with open(filename, "r+b") as f:
            f.truncate(size * isz)
    if size == 0:
        return np.zeros(0, dtype=self.dtype)
    return np.memmap(filename, dtype=self.dtype, mode="r+" if shared else "c", shape=(size,))


def _opt_boolean(x, n):
    """luaT_optboolean of argument n: nil (or none) is false, a boolean itself, anything else
    luaT_typerror's "boolean expected, got T" (T: luaT_typename's name)."""
    if x is None or x is NOVALUE:
        return False
    if isinstance(x, bool):
        return x
    raise TorchError(bad_argument(n, msg("type_expected", "boolean", luaT_typename(x, n))))


def _typename(x):
    return getattr(x, "typename", type(x).__name__)


def _check_number(x, n):
    """luaL_checknumber of argument n (self counted): a number or a numeric string, else
    LuaJIT's "number expected, got <Lua type>"."""
    if type(x) is int or type(x) is float:  # the common case, before any import
        return x
    from .messages import lua_tonumber
    if isinstance(x, str):
        v = lua_tonumber(x)
        if v is not None:
            return v
        got = "string"
    elif x is None:
        got = "nil"
    elif x is NOVALUE:  # left out of the call
        got = "no value"
    elif isinstance(x, bool):
        got = "boolean"
    elif isinstance(x, (list, tuple, dict)):
        got = "table"
    elif isinstance(x, Storage) or hasattr(x, "typename"):
        got = "userdata"
    else:
        return x
    raise TorchError(bad_argument(n, msg("number_expected", got)))


def _to_int(x, what):
    """luaL_checklong: a number truncated toward zero as the C cast does (Torch7 accepts
    torch.Tensor(2.5) as a tensor of size 2)."""
    if isinstance(x, bool):
        raise TypeError("%s must be a number, got boolean" % what)
    if isinstance(x, str):  # luaL_checklong's lua_tonumber: a numeric string ('2.5', '0x10')
        from .messages import lua_tonumber
        x = lua_tonumber(x) if lua_tonumber(x) is not None else x
    if isinstance(x, float) and not -9.2233720368547758e18 <= x < 9.2233720368547758e18:
        return _INT64_MIN  # NaN, inf, beyond 64 bits: x86's integer indefinite
    try:
        i = int(x)
    except (TypeError, ValueError, OverflowError):
        raise TypeError("%s must be a number, got %s" % (what, _typename(x))) from None
    return i


def element_size_function(dtype):
    """A type's elementSize (Storage.c, Tensor.c): the size of an element in bytes. The C
    function reads no argument, so Lua may call it on the class as well as on an object
    (torch.ByteStorage.elementSize(), torchnet's IndexedDataset)."""
    n = np.dtype(dtype).itemsize

    def elementSize(*_ignored):
        return n
    return elementSize


def _make(name, dtype):
    attrs = {"dtype": np.dtype(dtype), "typename": "torch." + name, "__slots__": (),
             "__module__": __name__, "elementSize": element_size_function(dtype)}
    if np.dtype(dtype).itemsize != 1:  # Storage.c defines string for Char and Byte only
        attrs["_py_only"] = Storage._py_only | {"string"}
    return type(name, (Storage,), attrs)


ByteStorage = _make("ByteStorage", np.uint8)
CharStorage = _make("CharStorage", np.int8)
ShortStorage = _make("ShortStorage", np.int16)
IntStorage = _make("IntStorage", np.int32)
LongStorage = _make("LongStorage", np.int64)
FloatStorage = _make("FloatStorage", np.float32)
DoubleStorage = _make("DoubleStorage", np.float64)
HalfStorage = _make("HalfStorage", np.float16)  # Torch7's CPU Half: storage, copy, file I/O

storage_types = {c.typename: c for c in (ByteStorage, CharStorage, ShortStorage, IntStorage,
                                         LongStorage, FloatStorage, DoubleStorage, HalfStorage)}


def isStorage(x):
    return isinstance(x, Storage)
