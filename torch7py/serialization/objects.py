"""Torch7's object serialization (File.lua's writeObject/readObject) and the class registry."""
import struct
import sys
import types
import warnings

import numpy as np

from ..fieldorder import note_read_order as _note_read_order
from ..fieldorder import read_order as _read_order, written_order as _written_order
from ..classes import has_factory, is_userdata, version as class_version
from ..messages import at_lua
from ..storage import TorchError
from .files import _DTYPES, _TOKEN, SerializationError, _as_number, _lua_string, _string_bytes
from .packages import described as _described, package_of as _package_of

# numpy's limit (NPY_MAXDIMS): a tensor with more dimensions could be read but never used
MAX_DIMS = 64


# ---------------------------------------------------------------------------------------------
# Lua values that have no direct Python counterpart

class LuaKey:
    """A Lua table key Python cannot use by value: a boolean (distinct from 1 and 0), or a
    table/object used as a key (compared by identity)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        if not isinstance(other, LuaKey):
            return NotImplemented
        if isinstance(self.value, bool) or isinstance(other.value, bool):
            return type(self.value) is type(other.value) and self.value == other.value
        return self.value is other.value

    def __hash__(self):
        return hash(("LuaKey", self.value)) if isinstance(self.value, bool) else id(self.value)

    def __repr__(self):
        return "LuaKey(%r)" % (self.value,)


class LuaFunction:
    """A Lua function read from a file: its bytecode (never run here) and upvalues."""

    def __init__(self, bytecode, upvalues, legacy=False):
        self.bytecode = bytes(bytecode)
        self.upvalues = upvalues
        self.legacy = legacy

    def __repr__(self):
        return "<LuaFunction: %d bytes of bytecode>" % len(self.bytecode)


class TorchObject(dict):
    """An object of a Torch class unknown to torch7py, loaded as its field table.

    Each class name gets its own subclass, whose `typename` class attribute is that name (so
    `torch.typename(obj)` answers it); saving the object writes it back as that class.
    """

    typename = None
    _subclasses = {}

    def __new__(cls, typename=None, fields=(), version=1):
        # TorchObject(name, ...) picks the class of that name; a subclass called with no name
        # (a copy: type(obj)()) is that class
        if typename is None:
            if cls.typename is None:
                raise TypeError("TorchObject needs the name of its Torch class")
            return dict.__new__(cls)
        sub = TorchObject._subclasses.get(typename)
        if sub is None:
            sub = type("TorchObject", (TorchObject,), {"typename": typename,
                                                       "__module__": __name__})
            TorchObject._subclasses[typename] = sub
        return dict.__new__(sub)

    def __init__(self, typename=None, fields=(), version=1):
        super().__init__(fields)
        self.version = version

    def __repr__(self):
        return "TorchObject(%r, %s)" % (self.typename, dict.__repr__(self))

    def __str__(self):
        # luaT's tostring of an object whose class has no __tostring__: its class name (a
        # container prints its modules this way)
        return self.typename

    __tostring__ = __str__

    def __getattr__(self, name):
        # used as a module (a container calls updateOutput): say which class is missing
        if name.startswith("__") or name.startswith("_t7"):
            raise AttributeError(name)
        from .packages import described
        legacy = _legacy()
        if legacy.resolve(self.typename) not in (None, legacy._as_object) or \
                self.typename.startswith("torch.Cuda"):
            # a GPU class torch7py reads onto the CPU, kept by name (gpu_types='keep')
            raise AttributeError(
                "%s was kept as a plain object (its fields) by gpu_types='keep': it has no %s; "
                "load without gpu_types='keep', or convert it with torch7py.legacy.convert "
                "(from Lua: cudnn.convert(net, nn)) and :float(), to run it on the CPU"
                % (self.typename, name))
        raise AttributeError(
            "%s is a class torch7py does not know, loaded as a plain object (its fields): it "
            "has no %s; map the class to an implementation with torch7py.register_class(%r, "
            "cls) (from Lua: torch.class(%r, ...)) before loading (t7-to-pytorch and "
            "tools/t7_sweep.py take --define FILE.py, a Python file that registers it)" % (
                described(self.typename), name, self.typename, self.typename))


# ---------------------------------------------------------------------------------------------
# the class registry

_registry = {}
_typenames = {}
_scanned = [False]
_scan_sizes = [None]  # the sizes of nn's and optim's namespaces when they were last scanned
# nn classes whose Torch7 metatable has a __version above 1 (written as "V 2")
# the __version of nn's classes that set one (Torch7 writes a class's own __version, luaT's
# rawget on its metatable: nothing is inherited, so VolumetricBatchNormalization and
# VolumetricDilatedMaxPooling, which set none, write 1)
_VERSIONS = {"nn.BatchNormalization": 2, "nn.SpatialBatchNormalization": 2,
             "nn.LookupTable": 4, "nn.GradientReversal": 2, "nn.VolumetricMaxPooling": 2}


def register_class(typename, cls):
    """Make `cls` the Python class of the Torch class `typename` for save and load."""
    _registry[typename] = cls
    _typenames[cls] = typename
    return cls


def _scan_builtin(force=False):
    if _scanned[0] and not force:
        return
    _scanned[0] = True
    from .. import storage, tensor
    for name, cls in storage.storage_types.items():
        _registry.setdefault(name, cls)
        _typenames.setdefault(cls, name)
    for name, cls in tensor.tensor_types.items():
        _registry.setdefault(name, cls)
        _typenames.setdefault(cls, name)
    from ..random import Generator
    from ..timer import Timer
    from ..allocator import Allocator
    from . import files
    # (Timer, Allocator and the File classes have no factory: named here for
    # torch.getconstructortable, neither written nor read as Torch objects)
    for cls in (Generator, Timer, Allocator, files.File, files.DiskFile, files.MemoryFile,
                files.PipeFile):
        _registry.setdefault(cls.typename, cls)
        _typenames.setdefault(cls, cls.typename)
    # torch's own torch.class classes (CmdLine.lua, Tester.lua): their metatables, with a
    # factory, exist once torch is loaded, before any object of theirs
    from ..cmdline import CmdLine
    from ..tester import Tester
    for cls in (CmdLine, Tester):
        _registry.setdefault(cls.typename, cls)
        _typenames.setdefault(cls, cls.typename)
    from .tds import CLASSES as tds_classes
    for name, cls in tds_classes.items():
        _registry.setdefault(name, cls)
        _typenames.setdefault(cls, cls.typename)
    for pkg in ("nn", "optim"):
        try:
            mod = __import__("torch7py." + pkg, fromlist=["*"])
        except Exception:  # a broken nn must not stop tensors and tables from loading
            _scanned[0] = False
            continue
        for attr, cls in list(vars(mod).items()):
            if isinstance(cls, type) and getattr(cls, "__module__", "").startswith("torch7py."):
                name = cls.__dict__.get("typename")
                if not isinstance(name, str):
                    name = pkg + "." + attr
                _registry.setdefault(name, cls)
                _typenames.setdefault(cls, name)
    _scan_sizes[0] = _namespace_sizes()


def _namespace_sizes():
    mods = sys.modules
    return tuple(-1 if m is None else len(vars(m))
                 for m in (mods.get("torch7py.nn"), mods.get("torch7py.optim")))


def _class_of(typename):
    cls = _registry.get(typename)
    if cls is not None:
        return cls
    _scan_builtin()
    cls = _registry.get(typename)
    if cls is None and _scan_sizes[0] != _namespace_sizes():
        # rescan only when nn or optim gained names since (a scan costs ~1 ms an unknown name)
        _scan_builtin(force=True)
        cls = _registry.get(typename)
    if cls is None and (typename.split(".")[0] in ("graph", "nngraph")
                        or typename in ("nn.gModule", "nn.ModuleFromCriterion")):
        # nngraph's classes: importing torch7py.nngraph registers them
        try:
            __import__("torch7py.nngraph")
        except ImportError:
            return None
        cls = _registry.get(typename)
    if cls is None:
        # a subclass defined in Python after the scan (its typename set by __init_subclass__)
        try:
            from .. import nn
        except Exception:
            return None
        todo = [nn.Module, nn.Criterion]
        while todo:
            c = todo.pop()
            if c.__dict__.get("typename") == typename and not c.__dict__.get("_t7_by_fields"):
                return register_class(typename, c)
            todo.extend(c.__subclasses__())
    return cls


def _typename_of(obj):
    if isinstance(obj, TorchObject):
        return obj.typename
    cls = type(obj)
    name = _typenames.get(cls)
    if name is None:
        _scan_builtin()
        name = _typenames.get(cls)
        if name is None and isinstance(cls.__dict__.get("typename"), str) \
                and cls.__module__ != "builtins":
            name = cls.__dict__["typename"]
            if cls.__dict__.get("_t7_by_fields"):  # read by its fields, never by its name
                _typenames[cls] = name
            elif name not in _registry:
                register_class(name, cls)
    return name


def _legacy():
    from .. import legacy
    return legacy


# the names torch7py.legacy may know: cutorch's types, cudnn's modules, cunn's table
_LEGACY_PREFIXES = ("torch.Cuda", "cudnn.", "nn.DataParallelTable")
# Element-Research rnn's classes torch7py.legacy.ern defines
_ERN_NAMES = frozenset(("nn.AbstractRecurrent", "nn.Recursor", "nn.Recurrent", "nn.LSTM",
                        "nn.FastLSTM", "nn.LinearNoBias", "nn.AbstractSequencer",
                        "nn.Sequencer", "nn.Repeater", "nn.GRU", "nn.NormStabilizer",
                        "nn.MaskZero", "nn.TrimZero", "nn.LookupTableMaskZero", "nn.SAdd",
                        "nn.CopyGrad", "nn.ReverseTable", "nn.BiSequencer", "nn.BiSequencerLM",
                        "nn.SeqLSTM", "nn.SeqLSTMP", "nn.SeqGRU", "nn.SeqReverseSequence",
                        "nn.SeqBRNN", "nn.Recurrence", "nn.SequencerCriterion",
                        "nn.RepeaterCriterion", "nn.MaskZeroCriterion", "nn.MuFuRu",
                        "nn.RecurrentAttention",
                        # dpnn's (torch7py.legacy.ern.DPNN_CLASSES)
                        "nn.Reinforce", "nn.ReinforceBernoulli", "nn.ReinforceCategorical",
                        "nn.ReinforceNormal", "nn.Serial", "nn.SpatialGlimpse",
                        "nn.VRClassReward", "nn.NCEModule", "nn.NCECriterion",
                        "torch.AliasMultinomial", "nn.Inception", "nn.ArgMax",
                        "nn.CategoricalEntropy", "nn.Clip", "nn.TotalDropout",
                        "nn.BinaryClassReward", "nn.FireModule", "nn.BinaryLogisticRegression",
                        "nn.SpatialBinaryLogisticRegression", "nn.SpatialRegionDropout",
                        "nn.SpatialFeatNormalization", "nn.SimpleColorTransform",
                        "nn.PCAColorTransform", "nn.SpatialBinaryConvolution"))


def _tensor_base():
    global _TENSOR
    if _TENSOR is None:
        from ..tensor import Tensor as _TENSOR
    return _TENSOR


_TENSOR = _STORAGE = None


def _storage_base():
    global _STORAGE
    if _STORAGE is None:
        from ..storage import Storage as _STORAGE
    return _STORAGE


_KIND_OF_DTYPE = {dtype: kind for kind, dtype in _DTYPES.items()}


def _kind_of_storage(storage):
    """The element kind a storage is written as (its dtype's: a CudaStorage kept under its
    cutorch name is written as Float, as cutorch does)."""
    cls = storage if isinstance(storage, type) else type(storage)
    return _KIND_OF_DTYPE[cls.dtype]


# ---------------------------------------------------------------------------------------------
# writeObject / readObject (File.lua)

def _where_of(err, e):
    """err, the located error read_top raises for e, keeps e's File.lua line."""
    where = getattr(e, "lua_where", None)
    if where is not None:
        err.lua_where = where
    return err


def _at_file_lua(e, line):
    """e, raised by THFile's read (a C function's luaL_error names its caller's line) or by a
    readObject called at File.lua's `line`: it names that line, unless an inner one is named
    already (readObject's `return self:readDouble()` is a tail call: its caller's line)."""
    if getattr(e, "lua_where", None) is None:
        at_lua(e, "torch/File.lua:%d" % line)
    return e


TYPE_NIL, TYPE_NUMBER, TYPE_STRING, TYPE_TABLE, TYPE_TORCH, TYPE_BOOLEAN = 0, 1, 2, 3, 4, 5
TYPE_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION, TYPE_RECUR_FUNCTION = 6, 7, 8
_NUMBERS = (int, float, np.integer, np.floating)


def _writable_type(obj):
    if obj is None:
        return TYPE_NIL
    if isinstance(obj, (bool, np.bool_)):
        return TYPE_BOOLEAN
    if isinstance(obj, _NUMBERS):
        return TYPE_NUMBER
    if isinstance(obj, (str, bytes, bytearray)):
        return TYPE_STRING
    if isinstance(obj, LuaFunction):
        # a function from an old file keeps its old tag: its upvalues are a plain list
        return LEGACY_TYPE_RECUR_FUNCTION if obj.legacy else TYPE_RECUR_FUNCTION
    if hasattr(type(obj), "_t7_function"):
        # a live Lua function; one that string.dump refuses (a C function in Torch7) is not
        return TYPE_RECUR_FUNCTION if getattr(obj, "_t7_dumpable", True) else None
    if _typename_of(obj) is not None and has_factory(type(obj)):
        # File.lua: `torch.typename(object) and torch.factory(torch.typename(object))`; a Timer
        # or a File is a userdata without one: "Unwritable object <userdata>"
        return TYPE_TORCH
    if isinstance(obj, (list, tuple, dict)) or _is_mapping(obj):
        return TYPE_TABLE
    return None


def _type_name(obj):
    """The type named in an error: a Lua value (a Lua layer's proxy, a lupa object) names its
    Lua type, as Torch7 does (<function>, <userdata>)."""
    name = getattr(type(obj), "_t7_luatype", None) or (
        "userdata" if is_userdata(type(obj)) else None)
    if name is None and type(obj).__module__.startswith("lupa"):
        # a coroutine reaches Python as lupa's _LuaThread, or, not yet started, as a
        # _LuaCoroutineFunction, whose lua_type is its body's 'function': Lua's type is thread
        if type(obj).__name__ in ("_LuaThread", "_LuaCoroutineFunction"):
            return "thread"
        lua_type = getattr(sys.modules.get(type(obj).__module__), "lua_type", None)
        name = lua_type(obj) if lua_type is not None else None
    return name or type(obj).__name__


def _is_nn_module(obj):
    """Whether obj's class inherits nn.Module (and with it Module.lua's write)."""
    mod = sys.modules.get("torch7py.nn.module")
    return mod is not None and isinstance(obj, mod.Module)


def _is_mapping(obj):
    from collections.abc import Mapping
    return isinstance(obj, Mapping)


_UPVALUES = object()  # File.lua's UPVALUES_TOKEN: names the upvalue list in the name stack


# list_memo_key(lst) -> a key or None: set by a layer that mirrors Python lists as tables of its
# own (the Lua bridge), so that a list and the live wrapper of its table are one object
list_memo_key = None


def memo_key(obj):
    """The identity of obj for torch.save and clone's reference tables (File.lua keys objects
    by pointer): an object standing for another names that one's key."""
    if hasattr(type(obj), "_t7_memo_key"):
        return obj._t7_memo_key()
    if list_memo_key is not None and isinstance(obj, list):
        key = list_memo_key(obj)
        if key is not None:
            return key
    return id(obj)


def _warn_field(text):
    warnings.warn(text, stacklevel=5)


# field_warning(text): File.lua's `print('$ Warning: ' .. text)` for a field it cannot write
# (a Timer, a File, a C function); the Lua layer prints it as Torch7 does, Python warns
field_warning = _warn_field


class Writer:
    """File.lua's writeObject. hook(obj), when given, replaces each value before it is written
    (the memo still keys on the original). Names on the stack are File.lua's: debugname or
    '<?>' for the root and for keys, a key's tostring for its value, a torch object's class
    name for its field table, an upvalue's name for its value."""

    def __init__(self, f, hook=None):
        self.f = f
        self.env = f._ensure_env()
        self.force = self.env["force"]
        self.stack = []
        self.hook = hook

    def where(self):
        parts = [v for i, v in enumerate(self.stack)
                 if v is not _UPVALUES and (i == 0 or self.stack[i - 1] is not _UPVALUES)]
        return ".".join(parts)

    def write(self, obj, name=None):
        f = self.f
        sobj = obj
        if self.hook is not None:
            obj = self.hook(obj)
        if obj is None:
            f._write_values("Int", (TYPE_NIL,))
            return
        self.stack.append("<?>" if name is None else name)
        t = _writable_type(obj)
        if t is None:
            raise at_lua(SerializationError("Unwritable object <%s> at %s"
                                            % (_type_name(obj), self.where())),
                         "torch/File.lua:141")  # File.lua's writeObject: error(...)
        self._int(t)
        if t == TYPE_NUMBER:
            f._write_values("Double", (float(obj),))
        elif t == TYPE_BOOLEAN:
            self._int(1 if obj else 0)
        elif t == TYPE_STRING:
            self._string(_string_bytes(obj))
        else:
            # an object that proxies another (a Lua table seen from Python) names its identity
            key = memo_key(sobj)
            index = None if self.force else self.env["write"].get(key)
            if index is not None:
                self._int(index)
            else:
                index = self._new_index()
                if not self.force:
                    self.env["write"][key] = index
                    self.env["keep"].append(sobj)
                    self.env["keep"].append(obj)
                self._int(index)
                if t in (TYPE_RECUR_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION):
                    # a live function (the Lua layer's) gives what File.lua writes: string.dump's
                    # bytecode and its upvalues as a list of {name=, id=, value=} tables
                    code, upvalues = ((obj.bytecode, obj.upvalues) if isinstance(obj, LuaFunction)
                                      else obj._t7_function(self.env))
                    self._string(_string_bytes(code))
                    self.write(upvalues, _UPVALUES)
                elif t == TYPE_TORCH:
                    self._torch(obj)
                else:
                    self._table_body(obj, fields=False)
        self.stack.pop()

    def _new_index(self):
        self.env["n"] += 1
        return self.env["n"]

    def _int(self, v):
        self.f._write_values("Int", (v,))

    def _string(self, data):
        self._int(len(data))
        self.f._write_bytes(data)

    def _table_body(self, obj, fields):
        if hasattr(type(obj), "_t7_items"):
            # a list over a Lua table (compat's LuaList): its string keys are written too
            items = [(k, v) for k, v in obj._t7_items() if v is not None]
        elif isinstance(obj, (list, tuple)):
            items = [(i + 1, v) for i, v in enumerate(obj) if v is not None]
        else:
            items = []
            for k, v in obj.items():
                if v is None:
                    continue
                if fields and _writable_type(v) is None:
                    if isinstance(v, types.MethodType):
                        continue  # a bound method stored on the instance: the class restores it
                    if fields == "module":
                        items.append((k, v))  # Module.write: writeObject fails on it
                        continue
                    field_warning("cannot write object field <%s> of <%s> %s"
                                  % (_lua_tostring(k) if isinstance(k, (str, int, float))
                                     else k, _typename_of(self._owner), self._owner_where))
                    continue
                items.append((k, v))
        self._int(len(items))
        for k, v in items:
            if isinstance(k, LuaKey):
                k = k.value
            if k is None or _writable_type(k) is None:
                raise SerializationError("Unwritable table key <%s> at %s"
                                         % (type(k).__name__, self.where()))
            self.write(k)
            name = _lua_tostring(k) if isinstance(k, (str, int, float)) and \
                not isinstance(k, bool) else None
            if name == "value" and len(self.stack) > 1 and self.stack[-2] is _UPVALUES and \
                    _is_mapping(obj) and isinstance(obj.get("name"), str):
                name = obj["name"]  # an upvalue's value is named by the upvalue
            self.write(v, name)

    def _torch(self, obj):
        f = self.f
        typename = _typename_of(obj)
        if isinstance(obj, TorchObject):
            version = obj.version
        else:
            version = class_version(type(obj))
        self._string(("V %s" % version).encode())
        self._string(typename.encode())
        if isinstance(obj, _tensor_base()):
            f._write_values("Int", (len(obj._size),))
            f._write_values("Long", tuple(obj._size))
            f._write_values("Long", tuple(obj._stride))
            f._write_values("Long", (obj._offset + 1,))
            self.write(obj._storage, "<storage>")
        elif isinstance(obj, _storage_base()):
            f._write_values("Long", (len(obj._data),))
            f._write_array(_kind_of_storage(obj), obj._data)
        elif hasattr(obj, "_t7_write_file"):
            obj._t7_write_file(f)
        elif hasattr(obj, "_t7_writing"):
            # a class whose write() changes its fields around Module.write (WeightNorm's sets
            # weight and gradWeight to nil while it writes, then back)
            with obj._t7_writing():
                self._fields_of(obj, typename)
        else:
            self._fields_of(obj, typename)

    def _fields_of(self, obj, typename):
        """Module.write / File.lua's writeObject of an object: its fields as a table."""
        fields = obj if isinstance(obj, TorchObject) else (
            obj._t7_fields() if hasattr(obj, "_t7_fields") else vars(obj))
        # Torch7 writes a fresh table of the fields: it gets an index of its own
        self._int(TYPE_TABLE)
        self._int(self._new_index())
        # File.lua checks the fields before it names the class on its stack
        self._owner, self._owner_where = obj, self.where()
        # nn's Module.lua has its own write: `file:writeObject(object)` of a plain table of the
        # fields (no debugname: '<?>' on the stack), so a field File.lua cannot write fails
        # there ("Unwritable object <function> at <?>.<?>.f") where an object of another class
        # (a criterion, torch.class's) has it skipped with a warning
        module_write = _is_nn_module(obj)
        self.stack.append("<?>" if module_write else typename)
        self._table_body(_written_order(obj, fields), fields=not module_write or "module")
        self.stack.pop()


# the first bytes of files often mistaken for .t7 files: what a first "type" read means
_FOREIGN = ((b"\x89HDF", "an HDF5 file (torch-hdf5, h5py)"),
            (b"PK\x03\x04", "a zip archive (PyTorch's torch.save since 1.6, or .npz)"),
            (b"\x93NUM", "a numpy .npy array"))


def _not_torch7(t):
    """A note on what a file is when its first object type is no Torch7 type."""
    head = struct.pack("<i", t)
    what = next((w for magic, w in _FOREIGN if head.startswith(magic)), None)
    if what is None and head[0] == 0x80 and 2 <= head[1] <= 5:
        what = "a Python pickle (PyTorch's legacy torch.save, pickle.dump)"
    return "" if what is None else " (the file starts as %s, not a Torch7 .t7 file)" % what


def _lua_tostring(k):
    """Lua's tostring of a string or number key (integral numbers print without '.0')."""
    if isinstance(k, str):
        return k
    if isinstance(k, float) and k.is_integer() and abs(k) < 1e15:
        return str(int(k))
    if isinstance(k, float):
        return "%.14g" % k
    return str(k)


class Reader:
    def __init__(self, f, allow_functions=False, unknown_classes="error", gpu_types="cpu"):
        if unknown_classes not in ("error", "table", "note"):
            raise ValueError("unknown_classes must be 'error', 'table' or 'note'")
        if gpu_types not in ("cpu", "keep"):
            raise ValueError("gpu_types must be 'cpu' or 'keep'")
        self.gpu_types = gpu_types
        self.f = f
        self.env = f._ensure_env()
        self.force = self.env["force"]
        self.objects = self.env["read"]
        self.allow_functions = allow_functions
        # 'note': as 'table', and the outermost read says once on stderr which classes it met
        self.unknown_table = unknown_classes in ("table", "note")
        self.unknown_note = unknown_classes == "note"
        self.stack = []
        self.pending = {}
        if f._binary and f._mem is not None and f._long_size in (0, 8):
            self._install_fast_binary(f)
        elif not f._binary and f._mem is not None and f._autospacing:
            self._install_fast_ascii(f)

    def _install_fast_ascii(self, f):
        """Readers of an ascii stream held in memory: one regex match per value."""
        if hasattr(f._mem, "whole"):  # a DiskFile's snapshot: text is parsed from all of it
            f._mem = f._mem.whole()
        mem = f._mem
        match = _TOKEN.match
        slow_int, slow_double, slow_longs = self._int, self._double, self._longs

        def parse(conv, lo, hi):
            """The next token as conv() gives it, consumed, or None (then nothing is read)."""
            m = match(mem, f._pos)
            if m is None or b"_" in m.group(1):
                return None
            try:
                v = conv(m.group(1))
            except ValueError:
                return None
            if lo is not None and not lo <= v < hi:
                return None
            pos = m.end()
            if pos < len(mem) and mem[pos] == 10:
                pos += 1
            f._pos = pos
            return v

        def fast_int():
            v = parse(int, -2 ** 31, 2 ** 31)
            return slow_int() if v is None else v

        def fast_double():
            v = parse(float, None, None)
            return slow_double() if v is None else v

        def fast_longs(n, what):
            v = parse(int, -2 ** 63, 2 ** 63) if n == 1 else None
            return slow_longs(n, what) if v is None else (v,)

        def fast_remaining():
            return max(len(mem) - f._pos, 0)

        self._int, self._double, self._longs = fast_int, fast_double, fast_longs
        self._remaining = fast_remaining

    def _install_fast_binary(self, f):
        """Readers of a binary stream held in memory, without the File call layers."""
        mem = f._mem
        snap = mem if hasattr(mem, "ensure") else None
        if snap is not None:
            # a DiskFile's snapshot: bytes [pos, snap.filled) are always there; read on
            # before parsing past them
            mem = snap.buf

            def have(pos, n):
                if pos + n > snap.filled:
                    snap.ensure(pos, pos + n)
        else:
            def have(pos, n):
                pass
        unpack_i = struct.Struct(f._byteorder + "i").unpack_from
        unpack_d = struct.Struct(f._byteorder + "d").unpack_from
        longs = {}
        slow_int, slow_double, slow_longs = self._int, self._double, self._longs
        slow_chars = self._chars

        def fast_int():
            pos = f._pos
            if pos + 4 <= len(mem):
                have(pos, 4)
                f._pos = pos + 4
                return unpack_i(mem, pos)[0]
            return slow_int()

        def fast_double():
            pos = f._pos
            if pos + 8 <= len(mem):
                have(pos, 8)
                f._pos = pos + 8
                return unpack_d(mem, pos)[0]
            return slow_double()

        def fast_remaining():
            return max(len(mem) - f._pos, 0)

        def fast_chars(n, what):
            pos = f._pos
            if n < 0 or pos + n > len(mem):
                return slow_chars(n, what)  # (THFile's short read: its "read error" text)
            have(pos, n)
            f._pos = pos + n
            return bytes(mem[pos:pos + n])

        def fast_longs(n, what):
            pos = f._pos
            if 0 <= n and pos + 8 * n <= len(mem):
                fmt = longs.get(n)
                if fmt is None:
                    fmt = longs[n] = struct.Struct("%s%dq" % (f._byteorder, n))
                have(pos, 8 * n)
                f._pos = pos + 8 * n
                return fmt.unpack_from(mem, pos)
            return slow_longs(n, what)

        def fast_array(kind, n):
            dtype = _DTYPES[kind]
            pos = f._pos
            if f._byteorder != "=" or n < 0 or pos + n * dtype.itemsize > len(mem):
                return f._read_array(kind, n)
            if n * dtype.itemsize >= 1 << 16:
                out = np.empty(n, dtype)
                f._raw_readinto(memoryview(out).cast("B"))
                return out
            have(pos, n * dtype.itemsize)
            f._pos = pos + n * dtype.itemsize
            return np.frombuffer(mem, dtype, n, pos).copy()

        self._array = fast_array
        self._int, self._double, self._remaining = fast_int, fast_double, fast_remaining
        self._chars, self._longs = fast_chars, fast_longs
        if snap is None and type(mem) is bytearray:
            self.read = self._fast_read(f, mem, unpack_i, unpack_d)

    def _fast_read(self, f, mem, unpack_i, unpack_d):
        """read() for a binary stream wholly in memory (a MemoryFile: clone_many_times' copies
        of a network): a number or a string, most of what a module's fields hold, read in one
        step when its bytes are all there; anything else (and any short read, for its error)
        through read(), from the same position."""
        slow_read = Reader.read.__get__(self)
        objects, pending = self.objects, self.pending
        known = not self.force  # an object read before comes back as that object

        def read(empty_list=False):
            pos = f._pos
            if pos + 8 <= len(mem):
                t = unpack_i(mem, pos)[0]
                if t == TYPE_STRING:
                    n = unpack_i(mem, pos + 4)[0]
                    end = pos + 8 + n
                    if n >= 0 and end <= len(mem):
                        f._pos = end
                        return mem[pos + 8:end].decode("utf-8", "surrogateescape")
                elif t == TYPE_NUMBER:
                    if pos + 12 <= len(mem):
                        f._pos = pos + 12
                        return _as_number(unpack_d(mem, pos + 4)[0])
                elif t == TYPE_TABLE or t == TYPE_TORCH:
                    index = unpack_i(mem, pos + 4)[0]
                    if known and index in objects:
                        f._pos = pos + 8
                        if index in pending:
                            pending[index] = True
                        return objects[index]
                elif t == TYPE_BOOLEAN:
                    f._pos = pos + 8
                    return unpack_i(mem, pos + 4)[0] == 1
            return slow_read(empty_list)
        return read

    def read_top(self):
        start = self.f._tell()
        env = self.env
        outer = env.get("options")
        # a class's own read method (nn.GPU's, DataParallelTable's) calls file:readObject():
        # that inner read follows this one's options, and the outermost one gives the note
        env["options"] = {"allow_functions": self.allow_functions,
                          "unknown_classes": ("note" if self.unknown_note else "table")
                          if self.unknown_table else "error",
                          "gpu_types": self.gpu_types}
        if outer is None:
            env["gpu_mapped"] = set()
            env["unknown_seen"] = set()
        try:
            obj = self.read()
            if outer is None and env["gpu_mapped"] and self.gpu_types == "cpu":
                _legacy().note_mapped(env["gpu_mapped"])
            if outer is None and env["unknown_seen"] and self.unknown_note:
                sys.stderr.write("torch7py: classes torch7py does not know loaded as plain "
                                 "objects (their fields kept; register_class gives them an "
                                 "implementation): %s\n" % ", ".join(
                                     _described(t) for t in sorted(env["unknown_seen"])))
            return obj
        except SerializationError as e:
            if getattr(e, "_t7_located", False):
                raise
            raise _where_of(self._error(str(e), str(e)), e) from None
        except TorchError as e:  # a class's own check of what it read (a Generator's state)
            raise _where_of(self._error(str(e)), e) from None
        except RecursionError:
            raise self._error("objects nested too deeply") from None
        except (ValueError, TypeError, OverflowError, MemoryError, IndexError, KeyError,
                UnicodeError, AttributeError) as e:
            raise _where_of(self._error("%s: %s" % (type(e).__name__, e)), e) from e
        finally:
            env["options"] = outer
            if outer is None:
                env.pop("gpu_mapped", None)
                env.pop("unknown_seen", None)
            del start
            # a reader reads once: its fast readers are closures over it (a reference cycle)
            # and over the file's buffer, which would stay until Python's cyclic collector ran
            self.__dict__.clear()

    def _error(self, msg, torch7=None):
        """A loader error naming the object path and byte offset. torch7: the text Torch7's own
        load raised there (THDiskFile's "read error: ..." of a truncated file), which th shows
        instead, as the original printed it."""
        where = ".".join(self.stack) or "<root>"
        truncated = self._cut_short(msg)
        if truncated:
            # a read that ran into the end of the file: a save that did not finish
            left, size = self._remaining(), self.f._size()
            msg += (" (the file ends %s, %d bytes in all: it is cut short, as a save that did "
                    "not finish leaves it (a killed process, a full disk, a partial copy); "
                    "Torch7 cannot read it either)"
                    % ("here" if left == 0 else "%d bytes on" % left, size))
        err = SerializationError("cannot read %s at byte offset %d: %s"
                                 % (where, self.f._tell(), msg))
        err._t7_located = True
        err._t7_truncated = truncated
        if torch7 is not None:
            err.torch7_message = torch7
        return err

    def _cut_short(self, msg):
        """Whether the read that failed with msg ran into the end of the file (fewer bytes left
        than one value): a file cut short, not a corrupt one."""
        try:
            left, size = self._remaining(), self.f._size()
        except Exception:  # noqa: BLE001 (a closed or odd file: no note)
            return False
        return left < 8 and size > 0 and (msg.startswith("read error") or "remain" in msg)

    def _short_read(self, what, n, itemsize):
        """The error for a block of n items (itemsize bytes each in a binary file, at least one
        character each in an ascii one) that the file cannot hold: THFile reads what is there
        and fails with "read error: read K blocks instead of n", which th reports."""
        f, left = self.f, self._remaining()
        if f._binary or itemsize == 1:  # raw blocks (an ascii file's chars are raw bytes too)
            k = left // itemsize
        else:  # numbers read one by one as text (fscanf), until the first that fails
            pos = f._tell()
            k = 0
            for tok in f._read_bytes(left).split()[:n]:
                try:
                    float(tok)
                except ValueError:
                    break
                k += 1
            f._raw_seek(pos)
        return self._error("%s claims %d %s, %d bytes remain" % (what, n, "elements" if
                           itemsize > 1 else "bytes", self._remaining()),
                           "read error: read %d blocks instead of %d" % (min(k, n), n))

    def _int(self):
        f = self.f
        if not f._binary:
            # an ascii int is text: one beyond 32 bits is a corrupt length, not a wrapped one
            start = f._tell()
            v = f._read_values("Long", 1)[0]
            if not -2 ** 31 <= v < 2 ** 31:
                f._raw_seek(start)
                raise self._error("an integer out of range (%d)" % v)
            return v
        return f._read_values("Int", 1)[0]

    def _array(self, kind, n):
        return self.f._read_array(kind, n)

    def _double(self):
        return self.f._read_values("Double", 1)[0]

    def _remaining(self):
        return max(self.f._size() - self.f._tell(), 0)

    def _chars(self, n, what):
        if n < 0:
            raise self._error("%s claims %d bytes, %d remain" % (what, n, self._remaining()))
        if n > self._remaining():
            raise self._short_read(what, n, 1)
        return self.f._read_bytes(n)

    def read(self, empty_list=False):
        # File.lua's line of each THFile read (their errors name it, see _at_file_lua); None
        # where the read is a tail call (`return self:readDouble()`: the caller's line) or a
        # method below names its own lines
        line = 259
        try:
            t = self._int()
            if t == TYPE_NIL:
                return None
            if t == TYPE_NUMBER:
                line = None
                return _as_number(float(self._double()))
            if t == TYPE_BOOLEAN:
                line = 12  # File:readBool's `return (self:readInt() == 1)`
                return self._int() == 1
            if t == TYPE_STRING:
                line = 271
                n = self._int()
                line = 272
                return _lua_string(self._chars(n, "a string"))
            line = None
            return self._read_object(t, empty_list)
        except Exception as e:
            raise e if line is None else _at_file_lua(e, line)

    def _read_object(self, t, empty_list):
        if t == TYPE_FUNCTION:
            return self._function(None, t)
        if t not in (TYPE_TABLE, TYPE_TORCH, TYPE_RECUR_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION):
            # File.lua's readObject: error('unknown object'), th's text; Python's names the
            # type read and, at the root of a binary read, what the file is (an ascii one...)
            hint = _not_torch7(t) if not self.stack and self.f._binary else ""
            raise at_lua(self._error("unknown object type %d%s" % (t, hint),
                                     torch7="unknown object"), "torch/File.lua:375")
        try:
            index = self._int()
        except Exception as e:
            raise _at_file_lua(e, 287)
        if not self.force and index in self.objects:
            if index in self.pending:
                self.pending[index] = True
            return self.objects[index]
        if t == TYPE_TABLE:
            return self._table(index, empty_list)
        if t == TYPE_TORCH:
            return self._torch(index)
        return self._function(index, t)

    def _remember(self, index, obj):
        if not self.force:
            self.objects[index] = obj

    def _function(self, index, t):
        # File.lua reads a function's size and bytecode at its lines 274-275 (a recursive
        # one's, after its index: 297-298)
        line = 274 if index is None else 297
        try:
            n = self._int()
            line += 1
            code = self._chars(n, "function bytecode")
        except Exception as e:
            raise _at_file_lua(e, line)
        # a maker may trust some code without the opt-in (th: bytecode this run dumped itself)
        trusts = getattr(self.allow_functions, "trusts", None)
        if not self.allow_functions or (trusts is not None and not trusts(code)):
            raise self._error("the stream holds a Lua function (bytecode); loading it needs "
                              "allow_functions=True (the bytecode is kept, never run)")
        legacy = t != TYPE_RECUR_FUNCTION
        if callable(self.allow_functions):
            # a maker of live functions (the Lua layer's loadstring): (function, set_upvalues),
            # the function made before its upvalues are read, which may hold it
            fn, finish = self.allow_functions(code, legacy)
        else:
            fn = LuaFunction(code, None, legacy=legacy)
            finish = None
        if index is not None:
            self._remember(index, fn)
        self.stack.append("<upvalues>")
        try:
            upvalues = self.read()
        except Exception as e:
            raise _at_file_lua(e, 280 if index is None else 307)
        self.stack.pop()
        if finish is None:
            fn.upvalues = upvalues
        else:
            finish(upvalues)
        return fn

    def _table(self, index, empty_list=False, fields=False):
        try:
            size = self._int()
        except Exception as e:
            raise _at_file_lua(e, 362)
        # File.lua's `for i = 1,size`: a negative size reads no entry, one larger than the
        # stream holds fails at the entry that runs out (THFile's read error at that line)
        obj = {}
        self._remember(index, obj)
        self.pending[index] = False
        for _ in range(size):
            self.stack.append("<key>")
            try:
                k = self.read()
            except Exception as e:
                raise _at_file_lua(e, 368)
            self.stack.pop()
            if k is None:  # LuaJIT's error at File.lua's `object[k] = v`
                raise at_lua(self._error("table index is nil", "table index is nil"),
                             "torch/File.lua:370")
            if isinstance(k, float) and k != k:
                raise at_lua(self._error("table index is NaN", "table index is NaN"),
                             "torch/File.lua:370")
            self.stack.append(str(k) if isinstance(k, (str, int, float)) else "<?>")
            try:
                v = self.read(empty_list=fields)
            except Exception as e:
                raise _at_file_lua(e, 369)
            self.stack.pop()
            if not isinstance(k, (str, bytes, int, float)) or isinstance(k, bool):
                k = LuaKey(k)
            if v is None:
                obj.pop(k, None)
            else:
                obj[k] = v
        leaked = self.pending.pop(index, False)
        if leaked or fields:
            return obj
        n = len(obj)
        if (n == 0 and empty_list) or (n and all(type(k) is int for k in obj)
                                       and min(obj) == 1 and max(obj) == n):
            lst = [obj[i] for i in range(1, n + 1)]
            self._remember(index, lst)
            return lst
        return obj

    def _torch(self, index):
        try:
            head = self._chars(self._int(), "a class header").decode("latin-1")
        except Exception as e:
            raise _at_file_lua(e, 334)
        version = None
        if head.startswith("V "):
            try:
                version = _as_number(float(head[2:]))
            except ValueError:
                pass
        if version is not None:
            try:
                typename = self._chars(self._int(), "a class name").decode("latin-1")
            except Exception as e:
                raise _at_file_lua(e, 340)
        else:
            # a file written before Torch7 had versions: the header is the class name
            version, typename = 0, head
        self.stack.append("<%s>" % typename)
        cls = _registry.get(typename)
        post = None
        if cls is None:
            # a class of cutorch/cudnn/cunn: read on the CPU (torch7py.legacy), asked before
            # the registry's slow path (a rescan for every name it lacks)
            handler = (_legacy().resolve(typename, self.gpu_types)
                       if typename.startswith(_LEGACY_PREFIXES) else None)
            if handler is None:
                cls = _class_of(typename)
                if cls is None and typename in _ERN_NAMES:
                    # Element-Research rnn's recurrent classes (torch7py.legacy.ern); a file's
                    # nn.LSTM is rnn's only when its fields are (torch-rnn has one too)
                    ern = _legacy().ern
                    cls = ern.CLASSES.get(typename)
                    if cls is None:
                        obj = ern.load_lstm(self, index, version, typename)
                        self.stack.pop()
                        return obj
                    register_class(typename, cls)
            else:
                self.env.setdefault("gpu_mapped", set()).add(typename)
                if isinstance(handler, tuple):
                    cls, post = handler
                else:
                    obj = handler(self, index, version, typename)
                    self._remember(index, obj)
                    if isinstance(obj, TorchObject):  # a class kept by name: its file's order
                        _note_read_order(obj, obj)
                    self.stack.pop()
                    return obj
        if cls is not None and not has_factory(cls):
            cls = None  # File.lua: no torch.factory(className) (torch.Timer): an unknown class
        if cls is not None and issubclass(cls, _tensor_base()):
            try:  # Tensor.c's read, called at File.lua's `read(object, self, versionNumber)`
                obj = self._tensor(cls)
            except Exception as e:
                raise _at_file_lua(e, 351)
            self._remember(index, obj)
        elif cls is not None and issubclass(cls, _storage_base()):
            try:
                obj = self._storage(cls)
            except Exception as e:
                raise _at_file_lua(e, 351)
            if post is not None:
                obj = post(obj)
            self._remember(index, obj)
        elif cls is None:
            if not self.unknown_table:
                pkg = _package_of(typename)
                raise self._error("unknown Torch class <%s> (%sload with unknown_classes='table' "
                                  "to get its fields as a TorchObject)" % (
                                      typename, "a class of %s; " % pkg if pkg else ""))
            obj = TorchObject(typename, version=version)
            self._remember(index, obj)
            seen = self.env.get("unknown_seen")
            if seen is not None:
                seen.add(typename)
            try:
                infile = self._fields()
            except SerializationError as e:
                # Torch7 reads such an object with its class's own read(); a class that wrote
                # itself with its own write() (2011's nnx, a project's class) is no table
                if getattr(e, "_t7_unknown_class", False) or getattr(e, "_t7_truncated", False) \
                        or self._cut_short(str(e.args[0]) if e.args else ""):
                    raise
                e.args = ("%s (<%s> is a class torch7py does not know, read as a table of "
                          "fields: it may have written itself with its own write(), which only "
                          "its package's read() reads back; define the class to load it)"
                          % (e.args[0], typename),) + e.args[1:]
                e._t7_unknown_class = True
                raise
            obj.update(_read_order(infile))
            _note_read_order(obj, infile)
        else:
            obj = cls.__new__(cls)
            self._remember(index, obj)
            if hasattr(cls, "_t7_read_file"):
                obj._t7_read_file(self.f, version)
            else:
                fields = self._fields()
                if self.gpu_types == "cpu" and isinstance(fields.get("_type"), str) \
                        and fields["_type"].startswith("torch.Cuda"):
                    # a module converted with :cuda() records its type: on the CPU it is float
                    fields["_type"] = _legacy().cpu_typename(fields["_type"])
                infile = fields
                fields = _read_order(fields)
                if hasattr(cls, "_t7_read"):
                    obj._t7_read(fields, version)
                else:
                    obj.__dict__.update(fields)
                _note_read_order(obj, infile)
        self.stack.pop()
        return obj

    def _fields(self):
        """File.lua's `local var = self:readObject()` (line 353) of a table's fields."""
        try:
            return self._fields_at()
        except Exception as e:
            raise _at_file_lua(e, 353)

    def _fields_at(self):
        try:
            t = self._int()
        except Exception as e:
            raise _at_file_lua(e, 259)
        if t == TYPE_NIL:
            return {}
        if t != TYPE_TABLE:
            raise self._error("the fields of a Torch object must be a table (got type %d)" % t)
        try:
            index = self._int()
        except Exception as e:
            raise _at_file_lua(e, 287)
        if not self.force and index in self.objects:
            var = self.objects[index]
        else:
            var = self._table(index, fields=True)
        if isinstance(var, list):
            var = {i + 1: v for i, v in enumerate(var)}
        return dict(var)

    def _longs(self, n, what):
        itemsize = 4 if (self.f._binary and self.f._long_size == 4) else 8
        if n < 0:
            raise self._error("%s claims %d values, %d bytes remain" % (what, n, self._remaining()))
        if n * (itemsize if self.f._binary else 1) > self._remaining():
            raise self._short_read(what, n, itemsize)
        a = self.f._read_values("Long", n)
        if len(a) != n:
            raise self._error("truncated %s" % what)
        return a

    def _storage(self, cls):
        kind = _kind_of_storage(cls)
        size = int(self._longs(1, "a storage size")[0])
        itemsize = _DTYPES[kind].itemsize
        if kind == "Long" and self.f._binary and self.f._long_size == 4:
            itemsize = 4
        need = size * itemsize if self.f._binary else size
        if size < 0:
            raise self._error("%s claims %d elements, %d bytes remain"
                              % (cls.typename, size, self._remaining()))
        if need > self._remaining():
            raise self._short_read(cls.typename, size, itemsize)
        data = self._array(kind, size)
        if len(data) != size:
            raise self._error("truncated %s" % cls.typename)
        return cls._wrap(data)

    def _tensor(self, cls):
        ndim = self._int()
        if ndim > MAX_DIMS:
            raise self._error("a tensor of %d dimensions (at most %d can be used)"
                              % (ndim, MAX_DIMS))
        sizes = self._longs(ndim, "a tensor's sizes")
        strides = self._longs(ndim, "a tensor's strides")
        offset = int(self._longs(1, "a tensor's offset")[0]) - 1
        self.stack.append("<storage>")
        storage = self.read()
        self.stack.pop()
        if storage is not None and not isinstance(storage, cls.storage_class):
            raise self._error("a %s on a %s" % (cls.typename, type(storage).__name__))
        if any(s < 0 for s in sizes):
            raise self._error("negative tensor size %s" % list(sizes))
        if ndim and all(sizes):
            if storage is None:
                raise self._error("a tensor of size %s without a storage" % list(sizes))
            if offset < 0 or any(s < 0 for s in strides):
                raise self._error("negative tensor offset or stride")
            last = offset + sum((n - 1) * s for n, s in zip(sizes, strides))
            if last >= len(storage._data):
                raise self._error("a tensor of size %s, stride %s, offset %d overruns its "
                                  "storage of %d elements" % (list(sizes), list(strides),
                                                              offset + 1, len(storage._data)))
        return cls._make(storage, max(offset, 0), tuple(sizes), tuple(strides))
