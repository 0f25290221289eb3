"""Torch7's torch.File, DiskFile, MemoryFile, PipeFile (THFile.c, THDiskFile.c, THMemoryFile.c)."""
import io
import math
import os
import re
import struct
import sys

import numpy as np

from ..luaresults import NOVALUE
from ..messages import at_lua, bad_argument, from_c, lua_tonumber, lua_type, msg
from ..storage import _INVALID_MEMORY, c_cast
from ..tensor import TorchError


class SerializationError(TorchError):
    """A read or write error of a torch File, or a corrupt/truncated/unsupported .t7 stream."""


class FileArgError(TorchError, ValueError):
    """THArgCheck's error in THFile.c/THDiskFile.c/THMemoryFile.c and the luaL checks of
    File.c: luaL_argerror's "bad argument #n to '?' (text)", n counting self (a ValueError
    too, as Python's own checks of these arguments)."""

    def __init__(self, n, text):
        super().__init__(bad_argument(n, text))



def _check_string(x, n, strict=False):
    """luaL_checkstring of argument n (a number becomes its string, "%.14g"), or with strict
    luaL_checktype(LUA_TSTRING): "string expected, got <type>"."""
    if isinstance(x, (str, bytes, bytearray)):
        return x
    if not strict and isinstance(x, (int, float, np.integer, np.floating)) \
            and not isinstance(x, bool):
        return "%.14g" % x
    raise FileArgError(n, "string expected, got %s" % lua_type(x))


def _opt_string(x, n, default):
    """luaL_optstring: the default for an argument left out or nil."""
    return default if x is NOVALUE or x is None else _check_string(x, n)


def _opt_boolean(x, n, default):
    """luaT_optboolean: a boolean, or luaT_typerror's "boolean expected, got <luaT's name, or
    lua_typename(L, n): luaT passes the index as a type code>"."""
    if x is NOVALUE or x is None:
        return default
    if isinstance(x, bool):
        return x
    got = getattr(type(x), "typename", None)
    if not isinstance(got, str):
        got = ("no value", "nil", "boolean", "userdata", "number", "string", "table",
               "function", "userdata", "thread", "proto", "cdata")[n + 1] if n < 11 else "?"
    raise FileArgError(n, "boolean expected, got %s" % got)


def _lua_isnumber(x):
    """lua_isnumber's number: a number or a numeric string (not a boolean), else None."""
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float, np.integer, np.floating)):
        return x
    return lua_tonumber(x) if isinstance(x, str) else None


# ---------------------------------------------------------------------------------------------
# primitive element types

_DTYPES = {"Byte": np.dtype(np.uint8), "Char": np.dtype(np.int8), "Short": np.dtype(np.int16),
           "Int": np.dtype(np.int32), "Long": np.dtype(np.int64), "Float": np.dtype(np.float32),
           "Double": np.dtype(np.float64), "Half": np.dtype(np.float16)}
# THFile writes a half as the float it stands for (TH_half2float, "%.9g")
_ASCII_FORMAT = {"Float": "%.9g", "Double": "%.17g", "Half": "%.9g"}
_FLOAT_KINDS = ("Float", "Double", "Half")
_STRUCTS = {}
_STRUCT = {"Byte": "B", "Char": "b", "Short": "h", "Int": "i", "Long": "q", "Float": "f",
           "Double": "d", "Half": "e"}
_TOKEN = re.compile(rb"[ \t\n\r\x0b\x0c]*([^ \t\n\r\x0b\x0c]+)")
_WHITESPACE = b" \t\n\r\x0b\x0c"


def _storage_class(kind):
    from .. import storage
    return getattr(storage, kind + "Storage")


def _as_number(v):
    """A Lua number read from a file: integral values become Python ints (as LuaJIT prints them)."""
    if -9007199254740992.0 < v < 9007199254740992.0:
        i = int(v)
        if i == v and (i != 0 or math.copysign(1.0, v) > 0):
            return i
    return v


def _printf_floats(fmt, lst):
    """C's fprintf of each float with fmt, joined by spaces. printf writes a NaN with its sign
    bit ('-nan': x86's 0/0, the value Lua's 0/0 gives); Python's % drops it."""
    text = " ".join([fmt] * len(lst)) % tuple(lst)
    if "nan" in text:
        text = " ".join(("-nan" if math.isnan(v) and math.copysign(1.0, v) < 0 else
                         fmt % v) for v in lst)
    return text


def _signed_nans(values, text):
    """fscanf reads '-nan' (what printf writes for a NaN with its sign bit: x86's 0/0) as a
    NaN with its sign bit; numpy's parser drops the sign: set it again."""
    if values.dtype.kind == "f" and b"-nan" in text.lower():
        for i, tok in enumerate(text.split()[:len(values)]):
            if tok.lower().startswith(b"-nan"):
                values[i] = np.copysign(np.nan, -1.0)


def _format_ascii(kind, values):
    """Torch7's ascii text for a 1-D array of one kind (no separators, no trailing newline)."""
    lst = values.tolist()
    if kind in _ASCII_FORMAT:
        return _printf_floats(_ASCII_FORMAT[kind], lst).encode()
    return " ".join(map(str, lst)).encode()


class File:
    """Torch7's torch.File: typed reads/writes in binary or ascii, and the object (de)serializer."""

    # Python API beyond Torch7's class: a Lua script finds nil there, as in Torch7
    _py_only = frozenset(("readHalf", "writeHalf"))
    # File.c: luaT_newmetatable without a factory (File.lua refuses to write a file: "Unwritable
    # object <userdata>"), a C object; each File class says so in its own dict (luaT's rule)
    typename = "torch.File"
    _t7_factory = False
    _t7_userdata = True

    def __init__(self, readable, writable):
        self._readable = readable
        self._writable = writable
        self._quiet = False
        self._binary = False
        self._autospacing = True
        self._has_error = False
        self._byteorder = "="
        self._long_size = 0
        self._env = None
        self._mem = None  # all the bytes, when they are in memory (MemoryFile, DiskFile 'r')
        self._pos = 0

    # Subclasses provide the raw layer: _tell, _size, _raw_seek, _raw_read, _raw_readinto,
    # _raw_write, _is_open, _do_close.

    # luaT_newmetatable(L, "torch.File", NULL, NULL, NULL, NULL) (File.c): no constructor,
    # so no `new` in its metatable, and calling the class is luaT_cmt__call's error
    _t7_no_constructor = True

    def __new__(cls, *args, **kwargs):
        if cls is File:
            raise TorchError("no constructor available")
        return super().__new__(cls)

    def __repr__(self):  # the class's __tostring__ (DiskFile.c, MemoryFile.c, PipeFile.c)
        return self.__str__()

    # ---- flags
    def isQuiet(self):
        return self._quiet

    def isReadable(self):
        return self._readable

    def isWritable(self):
        return self._writable

    def isBinary(self):
        return self._binary

    def isAutoSpacing(self):
        return self._autospacing

    def hasError(self):
        return self._has_error

    def binary(self):
        self._binary = True
        return self

    def ascii(self):
        self._binary = False
        return self

    def autoSpacing(self):
        self._autospacing = True
        return self

    def noAutoSpacing(self):
        self._autospacing = False
        return self

    def quiet(self):
        self._quiet = True
        return self

    def pedantic(self):
        self._quiet = False
        return self

    def clearError(self):
        self._has_error = False
        return self

    def synchronize(self):
        self._check_open()
        return self

    def nativeEndianEncoding(self):
        self._check_open()
        self._byteorder = "="
        return self

    def littleEndianEncoding(self):
        self._check_open()
        self._byteorder = "<"
        return self

    def bigEndianEncoding(self):
        self._check_open()
        self._byteorder = ">"
        return self

    def longSize(self, size=NOVALUE):
        """Size in bytes of a binary `long` (0: native 8; 4: files written where long is 32-bit).
        lua_tointeger: anything but a number (or a numeric string) is 0."""
        v = _lua_isnumber(size)
        size = 0 if v is None else int(v)
        if isinstance(self, DiskFile):  # THDiskFile_longSize checks the handle first
            self._check_open()
        if size not in (0, 4, 8):
            raise FileArgError(1, "Invalid long size specified")
        self._long_size = size
        return self

    def seek(self, position=NOVALUE):
        # File.c: luaL_checkinteger(L, 2) - 1, THArgCheck(position >= 0, 2, ...)
        v = _lua_isnumber(position)
        if v is None:
            raise FileArgError(2, "number expected, got %s" % lua_type(position))
        position = int(v) - 1
        if position < 0:  # File.c checks the position before THFile_seek checks the file
            raise FileArgError(2, "position has to be greater than 0!")
        self._check_open()
        self._seek(position)
        return self

    def _seek(self, position):
        self._raw_seek(position)

    def seekEnd(self):
        self._check_open()
        self._raw_seek(self._size())
        return self

    def position(self):
        self._check_open()
        return self._tell() + 1

    def close(self):
        self._check_open()
        self._do_close()
        if self._env is not None:
            # a closed file reads and writes no more: its memo lets go of the objects, which
            # the reader (a reference cycle) would otherwise keep until Python's cyclic
            # collector runs: a dropped 100 MB model stayed in memory
            for k in ("read", "write", "keep"):
                self._env[k].clear()
        return self

    # ---- errors
    def _check_open(self):
        if not self._is_open():
            raise FileArgError(1, msg("file_closed"))

    def _lua_checked(self, check, name, line):
        """check() as File.lua's first `self:<name>(...)` meets it (line of File.lua): the C
        method's argument check on self reads "calling '<name>' on bad self (...)"."""
        try:
            check()
        except FileArgError as e:
            m = re.match(r"^bad argument #1 to '\?' \((.*)\)$", str(e), re.S)
            if m is None:
                raise
            raise at_lua(SerializationError("calling '%s' on bad self (%s)" % (name, m.group(1))),
                         "torch/File.lua:%d" % line) from None

    def _check_read(self):
        self._check_open()
        if not self._readable:
            raise FileArgError(1, msg("file_write_only"))

    def _check_write(self):
        self._check_open()
        if not self._writable:
            raise FileArgError(1, msg("file_read_only"))

    def _mode(self):
        return ("r" if self._readable else " ") + ("w" if self._writable else " ")

    def _fail(self, message):
        self._has_error = True
        if not self._quiet:
            raise SerializationError(message)  # THError's text

    # ---- typed reads
    def _read_array(self, kind, n):
        """Read up to n elements of `kind` as a 1-D numpy array; a short read is an error."""
        self._check_read()
        n = int(n)
        if n < 0:  # File.c makes a storage of that size first: THAlloc refuses it
            raise ValueError(_INVALID_MEMORY)
        dtype = _DTYPES[kind]
        if n == 0:
            return np.zeros(0, dtype)
        if self._binary:
            itemsize = 4 if (kind == "Long" and self._long_size == 4) else dtype.itemsize
            fdtype = np.dtype("i4" if itemsize == 4 and kind == "Long" else dtype)
            fdtype = fdtype.newbyteorder(self._byteorder) if fdtype.itemsize > 1 else fdtype
            avail = max(self._size() - self._tell(), 0) // itemsize
            count = min(n, avail)
            out = np.empty(count, fdtype)
            got = self._raw_readinto(memoryview(out).cast("B")) // itemsize if count else 0
            out = out[:got]
            if fdtype != dtype:
                out = out.astype(dtype)
        elif kind in ("Byte", "Char"):
            data = self._raw_read(n)
            out = np.frombuffer(data, dtype).copy()
            got = len(out)
            self._eat_newline()
        else:
            out = self._read_ascii_numbers(kind, n)
            got = len(out)
            self._eat_newline()
        if got != n:
            self._fail("read error: read %d blocks instead of %d" % (got, n))
        return out

    # ---- fast paths for the object layer: few values, Python numbers, no numpy allocation
    def _struct_format(self, kind, n):
        """The struct for n binary values of `kind` in this file's encoding (small ones cached)."""
        key = (kind, n, self._byteorder, self._long_size)
        fmt = _STRUCTS.get(key)
        if fmt is None:
            code = "i" if (kind == "Long" and self._long_size == 4) else _STRUCT[kind]
            fmt = struct.Struct("%s%d%s" % (self._byteorder, n, code))
            if n <= 16:
                _STRUCTS[key] = fmt
        return fmt

    def _read_values(self, kind, n):
        """Read n values of `kind` as a tuple of Python numbers (short reads are errors)."""
        if self._binary:
            fmt = self._struct_format(kind, n)
            mem = self._mem
            if mem is not None:
                pos = self._pos
                if pos + fmt.size <= len(mem):
                    self._pos = pos + fmt.size
                    if type(mem) is _Snapshot:
                        return fmt.unpack_from(mem.bytes_at(pos, fmt.size), pos)
                    return fmt.unpack_from(mem, pos)
            else:
                data = self._raw_read(fmt.size)
                if len(data) == fmt.size:
                    return fmt.unpack(data)
                self._raw_seek(self._tell() - len(data))
        elif n == 1 and kind not in ("Byte", "Char"):
            a = self._read_ascii_numbers(kind, 1)
            if len(a) == 1:
                self._eat_newline()
                return (a[0].item(),)
            self._eat_newline()
            self._fail("read error: read 0 blocks instead of 1")
            return (0,)
        return tuple(self._read_array(kind, n).tolist())

    def _read_bytes(self, n):
        """n raw chars (readChar without the storage), as bytes."""
        data = self._raw_read(n)
        if len(data) != n:
            self._fail("read error: read %d blocks instead of %d" % (len(data), n))
        if not self._binary and n > 0:
            self._eat_newline()
        return data

    def _write_values(self, kind, values):
        """Write a few Python numbers of `kind` (writeX of scalars, or a small storage)."""
        n = len(values)
        if n == 0:
            return
        if self._binary:
            self._raw_write(self._struct_format(kind, n).pack(*values))
            return
        if kind in _FLOAT_KINDS:
            if kind != "Double":
                values = [float(np.dtype(_DTYPES[kind]).type(v)) for v in values]
            text = _printf_floats(_ASCII_FORMAT[kind], values)
        else:
            text = " ".join(map(str, values))
        if not self._autospacing:
            text = text.replace(" ", "")
        else:
            text += "\n"
        self._raw_write(text.encode())

    def _write_bytes(self, data):
        if len(data):
            self._raw_write(data)
            if not self._binary and self._autospacing:
                self._raw_write(b"\n")

    def _eat_newline(self):
        if self._autospacing:
            pos = self._tell()
            if self._raw_read(1) != b"\n":
                self._raw_seek(pos)

    def _read_ascii_numbers(self, kind, n):
        start = self._tell()
        if n == 1:
            size = 64
            while True:
                win = self._raw_read(size)
                m = _TOKEN.match(win)
                if len(win) < size or (m is not None and m.end() < len(win)):
                    break
                self._raw_seek(start)
                size *= 4
            if m is None:
                self._raw_seek(start + len(win))
                return np.zeros(0, _DTYPES[kind])
            self._raw_seek(start + m.end())
            tok = m.group(1)
            try:
                if kind in _FLOAT_KINDS:
                    value = float(tok)
                else:
                    value = int(tok)
            except ValueError:
                self._raw_seek(start + m.start(1))
                return np.zeros(0, _DTYPES[kind])
            return self._cast_scalar(kind, value)
        pdtype = np.float64 if kind in _FLOAT_KINDS else np.int64
        mem = self._mem
        if type(mem) is _Snapshot:
            mem = mem.whole()
        if mem is not None:
            # Torch7 writes the n values of a storage on one line: parse up to its newline
            end = mem.find(b"\n", start)
            end = len(mem) if end < 0 else end
            line = bytes(mem[start:end])
            try:
                values = np.fromstring(line, dtype=pdtype, sep=" ")
            except ValueError:
                values = None
            if values is not None and len(values) == n:
                _signed_nans(values, line)
                self._pos = end
                with np.errstate(over="ignore", invalid="ignore"):
                    return values.astype(_DTYPES[kind])
        size = 24 * n + 64
        total = self._size() - start
        while True:
            win = self._raw_read(min(size, max(total, 0)))
            self._raw_seek(start)
            at_end = len(win) >= total
            parts = win.split(None, n)
            if len(parts) > n or at_end:
                break
            size *= 2
        k = min(n, len(parts))
        if k == 0:
            self._raw_seek(start + len(win))
            return np.zeros(0, _DTYPES[kind])
        if len(parts) > n:
            rest = len(win) - len(parts[n])
            end = len(win[:rest].rstrip(_WHITESPACE))
        else:
            end = len(win.rstrip(_WHITESPACE))
        first = len(win) - len(win.lstrip(_WHITESPACE))
        region = win[first:end]
        try:
            values = np.fromstring(region, dtype=pdtype, sep=" ")
        except ValueError:
            values = None
        if values is None or len(values) != k:
            # find the first token that does not parse and stop there, as fscanf does
            good = []
            for tok in parts[:k]:
                try:
                    good.append(float(tok) if pdtype is np.float64 else int(tok))
                except ValueError:
                    break
            k = len(good)
            values = np.array(good, dtype=pdtype)
            end = first
            for tok in parts[:k]:
                end = win.index(tok, end) + len(tok)
        else:
            _signed_nans(values, region)
        self._raw_seek(start + end)
        with np.errstate(over="ignore", invalid="ignore"):
            return values.astype(_DTYPES[kind])

    @staticmethod
    def _cast_scalar(kind, value):
        dtype = _DTYPES[kind]
        if dtype.kind in "iu":
            value = value & ((1 << (8 * dtype.itemsize)) - 1)
            if dtype.kind == "i" and value >= 1 << (8 * dtype.itemsize - 1):
                value -= 1 << (8 * dtype.itemsize)
        with np.errstate(over="ignore"):
            return np.array([value], dtype=dtype)

    def _write_array(self, kind, values):
        self._check_write()
        dtype = _DTYPES[kind]
        values = np.ascontiguousarray(values, dtype=dtype).reshape(-1)
        n = len(values)
        if n == 0:
            return 0
        if self._binary:
            if kind == "Long" and self._long_size == 4:
                values = values.astype(np.int32)
            if values.dtype.itemsize > 1 and self._byteorder != "=":
                values = values.astype(values.dtype.newbyteorder(self._byteorder))
            self._raw_write(memoryview(values).cast("B"))
        else:
            if kind in ("Byte", "Char"):
                text = values.tobytes()
            elif self._autospacing:
                text = _format_ascii(kind, values)
            else:
                text = _format_ascii(kind, values).replace(b" ", b"")
            if self._autospacing:
                text += b"\n"
            self._raw_write(text)
        return n

    def _read_public(self, kind, arg):
        """File:readX([n | storage]) for X = kind (readByte ... readDouble: _typed_methods):
        no argument reads one value; a nil given is none of the forms (File.c counts them)."""
        if arg is NOVALUE:
            a = self._read_array(kind, 1)
            return a[0].item() if len(a) else 0
        cls = _storage_class(kind)
        n = _lua_isnumber(arg)
        if n is not None:
            a = self._read_array(kind, int(n))
            return cls._wrap(a)
        if isinstance(arg, cls):
            a = self._read_array(kind, arg.size())
            arg._data[:len(a)] = a
            return len(a)
        raise TorchError("nothing, number, or %sStorage expected" % kind)

    def _write_public(self, kind, arg):
        """File:writeX(number | storage) for X = kind."""
        cls = _storage_class(kind)
        n = _lua_isnumber(arg)
        if n is not None:
            dtype = _DTYPES[kind]
            if dtype.kind not in "iu":
                vals = np.array([n], dtype)
            elif isinstance(n, (int, np.integer)) and not (-2 ** 1023 < n < 2 ** 1023
                                                           and float(n) == n):
                vals = self._cast_scalar(kind, int(n))  # (a Python int no double holds)
            else:
                # File.c's `TYPE value = lua_tonumber(L, 2)`: C's cast of the double (x86:
                # through int32 for the narrow types, INT_MIN / INT64_MIN out of range or NaN)
                vals = c_cast(np.array([float(n)]), dtype)
            self._write_array(kind, vals)
            return None  # (File.c: a number written returns nothing to Lua, a storage its count)
        if isinstance(arg, cls):
            return self._write_array(kind, arg._data)
        raise TorchError("number, or %sStorage expected" % kind)

    def readBool(self):
        return self.readInt() == 1

    def writeBool(self, value):
        self.writeInt(1 if value else 0)

    def readString(self, fmt=NOVALUE):
        """'*a': everything up to the end; '*l': one line without its newline (File.c:
        luaL_checkstring(L, 2); THFile's THArgCheck of the format, argument 2)."""
        fmt = _check_string(fmt, 2)
        if isinstance(fmt, (bytes, bytearray)):
            fmt = bytes(fmt).decode("latin-1")
        self._check_read()
        if not (len(fmt) >= 2 and fmt[0] == "*" and fmt[1] in "al"):
            raise FileArgError(2, "format must be '*a' or '*l'")
        start = self._tell()
        if start >= self._size():
            self._fail("read error: read 0 blocks instead of 1")
            return ""
        if fmt[1] == "a":
            data = self._raw_read(self._size() - start)
        else:
            chunks = []
            while True:
                block = self._raw_read(4096)
                i = block.find(b"\n")
                if i >= 0:
                    chunks.append(block[:i])
                    self._raw_seek(self._tell() - len(block) + i + 1)
                    break
                chunks.append(block)
                if len(block) < 4096:
                    break
            data = b"".join(chunks)
        return _lua_string(data)

    def writeString(self, s=NOVALUE):
        _check_string(s, 2, strict=True)  # File.c: luaL_checktype(L, 2, LUA_TSTRING)
        self._check_write()
        data = _string_bytes(s)
        self._raw_write(data)
        return len(data)

    # ---- objects (File.lua)
    def referenced(self, ref=True):
        self._ensure_env()["force"] = not ref
        return self

    def isReferenced(self):
        return self._env is None or not self._env["force"]

    def _ensure_env(self):
        if self._env is None:
            self._env = {"force": False, "write": {}, "keep": [], "n": 0, "read": {}}
        return self._env

    def isWritableObject(self, obj=None):
        """File.lua's: the type index writeObject writes obj under (0 nil, 1 number, 2 string,
        3 table, 4 torch object, 5 boolean, 8 function), nil for what it cannot write
        (classic's torch serialization skips such fields)."""
        from .objects import TYPE_NIL, _writable_type
        if obj is None:
            return TYPE_NIL
        return _writable_type(obj)

    def writeObject(self, obj, debugname=None, hook=None):
        """Write any Lua-representable Python value (File.lua's writeObject): debugname names
        it in error messages; hook(value), when given, replaces each value written."""
        from .objects import Writer
        if hook is False:  # File.lua: hook = hook or function(object) return object end
            hook = None
        if hook is not None and not callable(hook):  # then hook(object), before any write
            raise TorchError(msg("call_local", "hook", lua_type(hook)))
        self._lua_checked(self._check_write, "writeInt", 143)
        try:
            Writer(self, hook).write(obj, debugname)
        except RecursionError:
            # (a table that contains itself, written with referenced(false): File.lua's
            # writeObject recurses until LuaJIT raises its own "stack overflow", no position)
            raise from_c(SerializationError("stack overflow")) from None

    def readObject(self, allow_functions=None, unknown_classes=None, gpu_types=None):
        """Read one object (File.lua's readObject); see `torch7py.load` for the options. Inside
        another read (a class's own read method) an option not given follows that read's."""
        from .objects import Reader
        self._lua_checked(self._check_read, "readInt", 259)
        outer = (self._env or {}).get("options") or {}
        opts = {"allow_functions": allow_functions, "unknown_classes": unknown_classes,
                "gpu_types": gpu_types}
        defaults = {"allow_functions": False, "unknown_classes": "error", "gpu_types": "cpu"}
        for k, v in opts.items():
            if v is None:
                opts[k] = outer.get(k, defaults[k])
        return Reader(self, **opts).read_top()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._is_open():
            self.close()


def _typed_methods(kind):
    """File:readX(...) and File:writeX(...) for one element type X (THFile.c's 7 pairs)."""
    def read(self, arg=NOVALUE):
        return self._read_public(kind, arg)

    def write(self, arg=NOVALUE):
        return self._write_public(kind, arg)
    write.none_is_no_value = True  # (its None, a number written, is no value for Lua)
    for fn, verb in ((read, "read"), (write, "write")):
        fn.__name__ = verb + kind
        fn.__qualname__ = "File." + fn.__name__
    return read, write


for _kind in _DTYPES:
    for _fn in _typed_methods(_kind):
        setattr(File, _fn.__name__, _fn)


def _lua_string(data):
    """A Lua string read from a file: UTF-8 text, undecodable bytes kept as surrogates
    (surrogateescape), so that every byte string is written back unchanged."""
    return bytes(data).decode("utf-8", "surrogateescape")


def _string_bytes(s):
    if isinstance(s, str):
        return s.encode("utf-8", "surrogateescape")
    if isinstance(s, (bytes, bytearray, memoryview)):
        return bytes(s)
    raise TypeError("string expected, got %s" % type(s).__name__)


def _file_args(name, mode, quiet, default_mode):
    """DiskFile.c's and PipeFile.c's luaL_checkstring(L, 1), luaL_optstring(L, 2, mode),
    luaT_optboolean(L, 3, 0) (a path-like name from Python too)."""
    if not isinstance(name, os.PathLike):
        name = _check_string(name, 1)
    mode = _opt_string(mode, 2, default_mode)
    if isinstance(mode, (bytes, bytearray)):
        mode = bytes(mode).decode("latin-1")
    return name, mode, _opt_boolean(quiet, 3, False)


class DiskFile(File):
    """torch.DiskFile(path, mode='r', quiet=False): a file on disk ('r', 'w' or 'rw').

    A file opened 'r' is read whole into memory when it is opened, so the object reader parses
    it without a system call per value. It is never memory-mapped: a mapped file that another
    process truncates or rewrites meanwhile (a trainer saving in place, `cp`, `rsync
    --inplace`) kills the reader with SIGBUS; a read gives a snapshot or a short read, which is
    a loader error at worst.
    """

    typename = "torch.DiskFile"
    _t7_factory = False

    def __new__(cls, name=NOVALUE, mode=NOVALUE, quiet=NOVALUE):
        # DiskFile.c: a quiet DiskFile that cannot be opened is nil (None), not a closed file
        self = super().__new__(cls)
        if cls.__init__ is DiskFile.__init__ and _file_args(name, mode, quiet, "r")[2]:
            self.__init__(name, mode, quiet)
            if not self._is_open():
                return None
            self._opened = True  # the __init__ that follows has nothing left to do
        return self

    def __init__(self, name=NOVALUE, mode=NOVALUE, quiet=NOVALUE):
        if self.__dict__.pop("_opened", False):
            return
        name, mode, quiet = _file_args(name, mode, quiet, "r")
        if mode not in ("r", "w", "rw"):
            raise FileArgError(2, "file mode should be 'r','w' or 'rw'")
        super().__init__("r" in mode, "w" in mode)
        self._name = os.fspath(name)
        self._handle = None
        self._quiet = bool(quiet)
        try:
            if mode == "r":
                with open(self._name, "rb") as h:
                    self._mem = _Snapshot.of(h)
                self._pos = 0
            elif mode == "rw":
                if not os.path.exists(self._name):
                    open(self._name, "wb").close()
                self._handle = open(self._name, "r+b")
            else:
                self._handle = open(self._name, "wb")
        except OSError:
            if not quiet:
                # THDiskFile's THError (the system's reason is not part of it)
                raise SerializationError("cannot open <%s> in mode %s" % (
                    self._name, self._mode())) from None

    _py_only = File._py_only | {"name"}  # (THDiskFile has no name method in Lua)

    def name(self):
        return self._name

    def noBuffer(self):
        # THDiskFile_noBuffer: setvbuf(_IONBF): what was buffered goes out, then every write
        self._check_open()
        h = self._handle
        if h is not None and isinstance(h, (io.BufferedWriter, io.BufferedRandom)):
            h.flush()
            self._handle = h.detach()
        elif isinstance(h, _StdioWriter):
            h.flush()
            h.size = 0
        return self

    def synchronize(self):
        # THDiskFile_synchronize: fflush, so that another reader of the file (or the command
        # at the other end of a pipe) sees what was written
        self._check_open()
        if self._handle is not None and self._writable:
            self._handle.flush()
        return self

    @staticmethod
    def isLittleEndianCPU():
        return sys.byteorder == "little"

    @staticmethod
    def isBigEndianCPU():
        return sys.byteorder == "big"

    def __str__(self):
        return "%s on <%s> [status: %s -- mode%s %s]" % (
            self._tostring_name, self._name, "open" if self._is_open() else "closed",
            self._tostring_colon, self._mode())

    _tostring_name, _tostring_colon = "torch.DiskFile", ""

    def _is_open(self):
        return self._handle is not None or self._mem is not None

    def _do_close(self):
        if self._mem is not None:
            if type(self._mem) is _Snapshot:
                self._mem.close()
            self._mem = None
        else:
            self._handle.close()
            self._handle = None

    def _tell(self):
        if self._mem is not None:
            return self._pos
        return self._handle.tell() if self._handle is not None else 0

    def _size(self):
        if self._mem is not None:
            return len(self._mem)
        pos = self._handle.tell()
        self._handle.seek(0, 2)
        end = self._handle.tell()
        self._handle.seek(pos)
        return end

    def _raw_seek(self, pos):
        if self._mem is not None:
            if type(self._mem) is _Snapshot and pos < self._mem.filled:
                self._mem.ensure(pos, self._mem.filled)  # keeps [pos, filled) readable
            self._pos = pos
        else:
            self._handle.seek(pos)

    def _raw_read(self, n):
        if self._mem is not None:
            return _mem_read(self, n)
        return self._handle.read(n)

    def _raw_readinto(self, buf):
        if self._mem is not None:
            return _mem_readinto(self, buf)
        return self._handle.readinto(buf) or 0

    def _raw_write(self, data):
        self._handle.write(data)

    def __del__(self):
        h = getattr(self, "_handle", None)
        if h is not None:
            h.close()


def _stdio_bufsize(fd):
    """glibc's buffer for a FILE on fd (_IO_file_doallocate): st_blksize when below BUFSIZ
    (a pipe's 4096), else BUFSIZ (8192)."""
    try:
        bs = os.fstat(fd).st_blksize
    except OSError:
        bs = 0
    return bs if 0 < bs < 8192 else 8192


class _StdioWriter:
    """A FILE's full buffering as glibc writes it (_IO_new_file_xsputn): data fills the buffer;
    what does not fit sends the full buffer, then as many whole buffers of the rest as there
    are straight to the file, and keeps the remainder. size 0: unbuffered (setvbuf _IONBF)."""

    def __init__(self, raw, size):
        self.raw = raw
        self.size = size
        self.buf = bytearray()

    def _send(self, data):
        view = memoryview(data)
        while len(view):
            view = view[self.raw.write(view):]

    def write(self, data):
        if self.size == 0:
            self._send(data)
            return
        data = memoryview(data).cast("B")
        space = self.size - len(self.buf)
        self.buf += data[:space]
        rest = data[space:]
        if len(rest):
            self.flush()
            whole = len(rest) - len(rest) % self.size
            if whole:
                self._send(rest[:whole])
            self.buf += rest[whole:]

    def flush(self):
        if self.buf:
            buf, self.buf = self.buf, bytearray()
            self._send(buf)

    def close(self):
        try:
            self.flush()
        finally:
            self.raw.close()


_PREAD_CHUNK = 4 << 20
_POOL = []


def _pread_into(fd, buf, offset):
    """Fill buf from the file at offset: large reads in parallel chunks (the kernel copies
    page-cache data on several cores; os.preadv releases the GIL)."""
    n = len(buf)
    chunks = [(i, min(_PREAD_CHUNK, n - i)) for i in range(0, n, _PREAD_CHUNK)]

    def read(chunk):
        i, size = chunk
        while size > 0:
            got = os.preadv(fd, [buf[i:i + size]], offset + i)
            if got <= 0:
                raise SerializationError("read error: the file shrank while it was read")
            i += got
            size -= got

    workers = min(len(chunks), os.cpu_count() or 1, 8)
    if workers <= 1:
        for c in chunks:
            read(c)
        return
    if not _POOL:
        from concurrent.futures import ThreadPoolExecutor
        _POOL.append(ThreadPoolExecutor(8, thread_name_prefix="t7read"))
    list(_POOL[0].map(read, chunks))


class _Snapshot:
    """The bytes of a file opened 'r', read with pread as the reader reaches them.

    Small values are read through a buffer filled a chunk at a time; a large read (a storage's
    data) goes straight from the file into its destination, leaving a hole in the buffer that
    is filled only if the reader comes back to it. Never memory-mapped (see DiskFile). The
    size is the file's size at open: a file that shrinks meanwhile gives a loader error.
    """

    CHUNK = 1 << 16

    @classmethod
    def of(cls, handle):
        """A snapshot of an open file; a file of unknown size (a pipe) is read whole now."""
        try:
            size = os.fstat(handle.fileno()).st_size
        except (OSError, ValueError):
            size = 0
        if size <= 0:
            return bytearray(handle.read())
        return cls(os.dup(handle.fileno()), size)

    def __init__(self, fd, size):
        self.fd = fd
        self.size = size
        self.buf = np.empty(size, np.uint8)  # pages are only touched where bytes are read
        self.filled = 0  # [0, filled) is in buf, except the holes
        self.holes = []  # [start, end) ranges that went straight to a destination

    def __len__(self):
        return self.size

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    __del__ = close

    def _pread(self, dest, offset):
        if self.fd is None:
            raise SerializationError("read error: the file is closed")
        try:
            _pread_into(self.fd, dest, offset)
        except OSError as e:
            raise SerializationError("read error: %s" % e.strerror) from None

    def ensure(self, start, end):
        """Make bytes [start, end) present in buf."""
        if end > self.filled:
            stop = min(self.size, max(end, self.filled + self.CHUNK))
            try:
                self._pread(memoryview(self.buf)[self.filled:stop], self.filled)
            except SerializationError:
                if stop == end:
                    raise
                stop = end  # the file shrank: what this read needs may still be there
                self._pread(memoryview(self.buf)[self.filled:stop], self.filled)
            self.filled = stop
        if self.holes:
            for hole in [h for h in self.holes if h[0] < end and start < h[1]]:
                self.holes.remove(hole)
                self._pread(memoryview(self.buf)[hole[0]:hole[1]], hole[0])

    def bytes_at(self, start, n):
        self.ensure(start, start + n)
        return self.buf

    def whole(self):
        self.ensure(0, self.size)
        return bytearray(self.buf)

    def readinto(self, dest, pos):
        """Copy [pos, pos + len(dest)) into dest; a large read past what is buffered goes
        straight from the file to dest."""
        n = len(dest)
        if n < (1 << 20):
            self.ensure(pos, pos + n)
            dest[:] = memoryview(self.buf)[pos:pos + n]
            return
        head = max(0, min(self.filled - pos, n))
        if head:
            self.ensure(pos, pos + head)
            dest[:head] = memoryview(self.buf)[pos:pos + head]
        if head < n:  # then pos + n > filled
            start = pos + head
            self._pread(dest[head:], start)
            if start > self.filled:
                self.holes.append((self.filled, start))
            self.holes.append((start, pos + n))
            self.filled = pos + n


def _mem_read(f, n):
    pos = f._pos
    if type(f._mem) is _Snapshot:
        n = max(0, min(n, len(f._mem) - pos))
        data = bytes(f._mem.bytes_at(pos, n)[pos:pos + n])
    else:
        data = bytes(f._mem[pos:pos + n])
    f._pos = pos + len(data)
    return data


def _mem_readinto(f, buf):
    pos = f._pos
    n = min(len(buf), len(f._mem) - pos)
    if n > 0 and type(f._mem) is _Snapshot:
        with memoryview(buf) as dest:
            f._mem.readinto(dest.cast("B")[:n], pos)
        f._pos = pos + n
    elif n > 0:
        with memoryview(f._mem) as view:
            buf[:n] = view[pos:pos + n]
        f._pos = pos + n
    return max(n, 0)


class MemoryFile(File):
    """torch.MemoryFile([storage][, mode]): a file in a growing CharStorage-like buffer."""

    typename = "torch.MemoryFile"
    _t7_factory = False
    # the encodings are DiskFile.c's methods: a MemoryFile has none in Lua
    _py_only = File._py_only | {"nativeEndianEncoding", "littleEndianEncoding",
                                "bigEndianEncoding"}

    def __init__(self, storage=NOVALUE, mode=NOVALUE):
        # MemoryFile.c: a CharStorage first, then luaL_optstring(L, 2, "rw"); anything else
        # first is the mode (luaL_optstring(L, 1, "rw")); THMemoryFile's checks name #1, #2
        from ..storage import CharStorage
        if isinstance(storage, CharStorage):
            mode = _opt_string(mode, 2, "rw")
            data = storage._data
            if len(data) == 0 or data[-1] != 0:
                raise FileArgError(1, "provided CharStorage must be terminated by 0")
            mem = bytearray(data[:-1].tobytes())
        elif isinstance(storage, (bytes, bytearray, memoryview)):  # Python's bytes
            mode = _opt_string(mode, 2, "rw")
            mem = bytearray(storage)
        else:
            mode = _opt_string(storage, 1, "rw")
            mem = bytearray()
        if isinstance(mode, (bytes, bytearray)):
            mode = bytes(mode).decode("latin-1")
        if mode not in ("r", "w", "rw"):
            raise FileArgError(2, "file mode should be 'r','w' or 'rw'")
        super().__init__("r" in mode, "w" in mode)
        self._mem = mem
        self._pos = 0
        self._open = True

    def __str__(self):
        return "torch.MemoryFile [status: %s -- mode: %s]" % (
            "open" if self._is_open() else "closed", self._mode())

    def storage(self):
        """A CharStorage of the contents followed by a NUL byte (THMemoryFile_storage)."""
        self._check_open()
        arr = np.empty(len(self._mem) + 1, np.int8)
        arr[:-1] = np.frombuffer(self._mem, np.int8)
        arr[-1] = 0
        return _storage_class("Char")._wrap(arr)

    def _is_open(self):
        return self._open

    def _do_close(self):
        self._open = False
        self._mem = bytearray()

    def _tell(self):
        return self._pos

    def _size(self):
        return len(self._mem)

    def _raw_seek(self, pos):
        self._pos = pos

    def _seek(self, position):
        if position <= len(self._mem):
            self._pos = position
        else:
            self._fail("unable to seek at position %d" % position)

    def _raw_read(self, n):
        return _mem_read(self, n)

    def _raw_readinto(self, buf):
        return _mem_readinto(self, buf)

    def _raw_write(self, data):
        n = len(data)
        if self._pos == len(self._mem):
            self._mem += data
        else:
            self._mem[self._pos:self._pos + n] = data
        self._pos += n


class PipeFile(DiskFile):
    """torch.PipeFile(command, mode='r', quiet=False): a DiskFile on a shell command's output
    ('r') or input ('w').

    'r': the whole output is read when the file opens (a pipe cannot seek back, which the
    ascii readers need). 'w': as popen(command, "w"): the command runs from the start and what
    is written reaches it through a stdio-sized buffer, flushed when full, at synchronize(),
    noBuffer() and close(); close waits for the command (pclose).
    """

    typename = "torch.PipeFile"
    _t7_factory = False
    _tostring_name, _tostring_colon = "torch.PipeFile", ":"

    def __init__(self, command=NOVALUE, mode=NOVALUE, quiet=NOVALUE):
        import subprocess
        command, mode, quiet = _file_args(command, mode, quiet, "r")
        if mode not in ("r", "w"):
            raise FileArgError(2, "file mode should be 'r','w'")
        File.__init__(self, mode == "r", mode == "w")
        self._name = command
        self._handle = None
        self._proc = None
        self._quiet = bool(quiet)
        if mode == "r":
            self._mem = subprocess.run(command, shell=True, stdout=subprocess.PIPE).stdout
        else:
            sys.stdout.flush()  # what the script printed comes before the command's output
            self._proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, bufsize=0)
            raw = self._proc.stdin
            self._handle = _StdioWriter(raw, _stdio_bufsize(raw.fileno()))

    def _do_close(self):
        if self._handle is not None:
            h, self._handle = self._handle, None
            try:
                h.close()  # the last buffer, then EOF for the command
            except BrokenPipeError:  # the command has ended without reading it all
                pass
            self._proc.wait()
            self._proc = None
        else:
            self._mem = None

    def _tell(self):
        if self._handle is None:
            return super()._tell()
        # ftello on a pipe fails (ESPIPE): THDiskFile_position's error, else offset 0
        if not self._quiet:
            raise SerializationError(
                "unable to obtain disk file offset (maybe a long overflow occurred)")
        return 0

    # a pipe, read or written, cannot seek nor tell (fseeko and ftello fail with ESPIPE):
    # THDiskFile's errors (quiet: hasError, position 1), even where 'r' holds the whole output
    def position(self):
        self._check_open()
        if not self._quiet:
            raise SerializationError(
                "unable to obtain disk file offset (maybe a long overflow occurred)")
        return 1

    def _seek(self, position):
        self._fail("unable to seek to position %d" % position)

    def seekEnd(self):
        self._check_open()
        self._fail("unable to seek at end of file")
        return self

    def __del__(self):
        # Torch7's free closes the pipe, so what was written still reaches the command
        if getattr(self, "_handle", None) is not None:
            try:
                self._do_close()
            except Exception:
                pass
