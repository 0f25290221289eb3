"""Torch7's files and serialization: torch.File/DiskFile/MemoryFile, torch.save/load/serialize.

files.py ports THFile/THDiskFile/THMemoryFile (typed reads and writes, binary and ascii);
objects.py ports File.lua's writeObject/readObject (object memo, type tags, class registry).
"""
import os
import re
import tempfile

import numpy as np

from ..messages import at_lua, bad_argument, msg
from ..tensor import TorchError
from .files import DiskFile, File, MemoryFile, PipeFile, SerializationError, _string_bytes
from .files import _check_string, _storage_class
from .objects import LuaFunction, LuaKey, TorchObject, register_class  # noqa: F401
from .objects import _at_file_lua

__all__ = [
    "register_class", "File", "DiskFile", "MemoryFile", "PipeFile", "SerializationError",
    "save", "load", "serialize", "deserialize", "serializeToStorage", "deserializeFromStorage",
]


# ---------------------------------------------------------------------------------------------
# torch.save / load / serialize / deserialize

def _check_format(fmt, line):
    """File.lua's serializeToStorage / deserializeFromStorage select the mode with
    `f = f[mode](f)` on their MemoryFile, no assert: a mode other than 'binary' or 'ascii' is
    a nil method there, "attempt to call a nil value" at that line of File.lua."""
    if fmt not in ("binary", "ascii"):
        raise at_lua(ValueError(msg("call_a", "nil")), "torch/File.lua:%d" % line)


def _checked_referenced(referenced, line):
    """File.lua's assert on save's and load's `referenced` (at that line): true, false or nil,
    nil meaning true."""
    if referenced is not None and not isinstance(referenced, bool):
        raise at_lua(ValueError("true or false (or nil) expected for referenced"),
                     "torch/File.lua:%d" % line)
    return True if referenced is None else referenced


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def save(path, obj, format="binary", referenced=True):
    """torch.save: write `obj` to `path`, atomically (a temporary file renamed over it).

    A symbolic link is written through. Where the folder does not allow a new file but the
    target is writable, the target is rewritten in place (what Torch7 always does).
    """
    if format is not None and format not in ("binary", "ascii"):  # File.lua's asserts
        raise at_lua(ValueError('"binary" or "ascii" (or nil) expected for mode'),
                     "torch/File.lua:381")
    format = format or "binary"
    referenced = _checked_referenced(referenced, 382)
    if not isinstance(path, os.PathLike):
        path = _check_string(path, 1)  # torch.DiskFile(filename, 'w'): luaL_checkstring
    path = os.fspath(path)
    if os.path.islink(path):
        path = os.path.realpath(path)
    folder = os.path.dirname(os.path.abspath(path))
    prefix = _temp_prefix(path)
    _remove_stale_temps(folder, prefix)
    try:
        fd, tmp = tempfile.mkstemp(prefix="%s%d." % (prefix, os.getpid()), suffix=".tmp",
                                   dir=folder)
    except OSError:
        if os.path.isfile(path) and os.access(path, os.W_OK):
            _write(path, obj, format, referenced)
            return
        raise SerializationError("cannot open <%s> in mode  w" % path) from None
    os.close(fd)
    try:
        _write(tmp, obj, format, referenced)
        try:
            mode = os.stat(path).st_mode & 0o7777
        except OSError:
            mode = 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        _fsync_folder(folder)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write(path, obj, format, referenced):
    f = DiskFile(path, "w")
    try:
        getattr(f, format)()
        f.referenced(referenced)
        f.writeObject(obj)
        f.synchronize()
        os.fsync(f._handle.fileno())  # on disk before the rename makes it the file
    finally:
        f.close()


def _temp_prefix(path):
    """The name that save's temporary files for `path` start with (then the writer's pid)."""
    return "." + os.path.basename(path) + ".t7tmp."


def _remove_stale_temps(folder, prefix):
    """Remove the temporary files that a save to the same path left when its process was
    killed (their writer's pid is in the name and no longer runs)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid = name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or _pid_alive(int(pid)):
            continue
        try:
            os.unlink(os.path.join(folder, name))
        except OSError:
            pass


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _fsync_folder(folder):
    """Make the rename durable: fsync the folder that holds the new name."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load(path, format="binary", referenced=True, allow_functions=False,
         unknown_classes="note", gpu_types="cpu"):
    """torch.load: read one object from `path`.

    `format` is "binary", "ascii", or, as File.lua's torch.load takes them, "b32" / "b64": binary
    with 4-byte / 8-byte longs (files written where a C long has 32 bits: Windows, 32-bit ARM).

    Lua functions in the file raise SerializationError unless allow_functions=True (then they
    load as LuaFunction, bytecode kept and never run). An object of a class torch7py does not
    know loads as a TorchObject (its class name and fields, saved back unchanged; used as a
    module it raises an error naming the class) with a note on stderr ('note', the default),
    silently ('table'), or raises as Torch7 does ('error'). cutorch,
    cudnn and cunn objects load as their CPU/nn equivalents (gpu_types='cpu', with a note on
    stderr), or keep their class names with gpu_types='keep' (see docs/gpu_checkpoints.md).
    """
    format = format or "binary"
    if format not in ("binary", "b32", "b64", "ascii"):  # File.lua's asserts
        raise at_lua(ValueError('"binary", "b32", "b64" or "ascii" (or nil) expected for mode'),
                     "torch/File.lua:393")
    referenced = _checked_referenced(referenced, 396)
    opts = {"allow_functions": allow_functions, "unknown_classes": unknown_classes,
            "gpu_types": gpu_types}
    long_size = {"b32": 4, "b64": 8}.get(format)
    with DiskFile(path, "r") as f:
        getattr(f, "binary" if long_size else format)()
        f.referenced(referenced)
        if long_size:
            f.longSize(long_size)
        try:
            try:
                return f.readObject(**opts)
            except Exception as e:  # File.lua's torch.load: `local object = file:readObject()`
                raise _at_file_lua(e, 409)
        except SerializationError as e:
            if format != "binary":
                raise
            if _reads_with_4byte_longs(path, referenced, opts):
                raise _hinted(e, "%s (the file reads with 4-byte longs, as written where a C "
                              "long has 32 bits: load it with mode 'b32')" % e) from None
            what = _sniff(path)
            if what is None:
                raise
            raise _hinted(e, "%s (%s)" % (e, what)) from None


def _hinted(e, text):
    """The error e says more in Python (text: what the file is, the mode that reads it); the
    text Torch7 printed for it (torch7_message, th's) stays Torch7's, without the hint."""
    err = SerializationError(text)
    for attr in ("torch7_message", "_t7_located", "_t7_truncated", "lua_where"):
        if hasattr(e, attr):
            setattr(err, attr, getattr(e, attr))
    return err


# what the first bytes of a file that fails as a binary .t7 say it is (File.lua does not guess:
# the failure only names the format); the 4-byte magics are named by the reader itself
_ASCII_T7 = re.compile(rb"\A[0-8]\r?\n(-?[0-9][0-9.eE+-]*|-?nan|-?inf)?\r?\n")
_HEADS = ((rb"\Aversion https://git-lfs", "a Git LFS pointer, not the file: fetch it with "
           "git lfs pull"),
          (rb"\A\s*<(!DOCTYPE|html)", "an HTML page (a download that saved a web page)"))


def _sniff(path):
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return None
    if _ASCII_T7.match(head):
        return "the file starts in Torch7's ascii format: load it with mode 'ascii'"
    for pattern, what in _HEADS:
        if re.match(pattern, head, re.I):
            return "the file is %s" % what
    if head[257:262] == b"ustar":
        return ("the file is a tar archive (PyTorch's legacy torch.save before 1.6), not a "
                "Torch7 .t7 file")
    return None


def _reads_with_4byte_longs(path, referenced, opts):
    """Whether a file that failed to read as binary reads whole with 4-byte longs (File.lua
    does not guess; the failure only names the mode that works)."""
    try:
        with DiskFile(path, "r") as f:
            f.binary()
            f.referenced(referenced)
            f.longSize(4)
            f.readObject(**opts)
        return True
    except Exception:  # noqa: BLE001 (any failure: not a b32 file either)
        return False


def serializeToStorage(obj, format="binary"):
    """torch.serializeToStorage: the serialized bytes as a CharStorage (no trailing NUL)."""
    return _storage_class("Char")._wrap(np.frombuffer(serialize(obj, format), np.int8).copy())


def serialize(obj, format="binary"):
    """torch.serialize: the bytes that torch.save would write."""
    format = format or "binary"
    _check_format(format, 424)
    f = MemoryFile("w")
    getattr(f, format)()
    f.writeObject(obj)
    return bytes(f._mem)


def deserialize(data, format="binary", allow_functions=False, unknown_classes="note",
                gpu_types="cpu"):
    """torch.deserialize: read one object from bytes (a str is taken as its UTF-8 bytes)."""
    format = format or "binary"
    if not isinstance(data, (str, bytes, bytearray, memoryview)):
        # File.lua's torch.CharStorage():string(str): Storage.c's string sets the storage from
        # a string or a number (lua_isstring: a number becomes its string); any other value
        # makes it return the storage's own string, "", which torch.CharTensor(storage) then
        # refuses (no position: the constructor table's __call raised it)
        if not isinstance(data, (int, float, np.integer, np.floating)) or \
                isinstance(data, bool):
            raise TorchError(bad_argument(1, "expecting number or torch.CharTensor or "
                                          "torch.CharStorage"))
        data = "%.14g" % data
    data = _string_bytes(data)
    if not len(data):
        # File.lua's deserializeFromStorage reads tx:size(1) of torch.CharTensor(storage): an
        # empty storage makes a tensor of no dimension
        # (a SerializationError for Python: no stream to read)
        raise at_lua(SerializationError(bad_argument(
            1, "dimension 1 out of range of 0D tensor", "size")), "torch/File.lua:436")
    _check_format(format, 441)  # (after the storage's checks, as File.lua reads them)
    f = MemoryFile(data, "r")
    getattr(f, format)()
    try:
        return f.readObject(allow_functions=allow_functions, unknown_classes=unknown_classes,
                            gpu_types=gpu_types)
    except Exception as e:  # File.lua's deserializeFromStorage: `local object = f:readObject()`
        raise _at_file_lua(e, 442)


def deserializeFromStorage(storage, format="binary", **options):
    """torch.deserializeFromStorage: read one object from serialized bytes. File.lua reads
    the bytes of torch.CharTensor(storage): a CharStorage, or a CharTensor (torchnet's
    IndexedDataset gives it a narrowed view of its archive); another type is the Tensor
    constructor's error."""
    from ..tensor import CharTensor
    tx = CharTensor(storage)
    return deserialize(np.asarray(tx, dtype=np.int8).tobytes(), format, **options)
