"""LuaRuntime's torch.load from Lua, class names and torch.lua's helpers (_p_*)."""
import hashlib
import os
import re
import sys
import types
import weakref

import numpy as np

from torch7py import classes as _classes, messages
from torch7py.serialization import bytecode
from torch7py.serialization.files import _string_bytes
from torch7py.storage import geom_changed

from .bridgecalls import torch_cfunc

# TensorMath's functions of the torch table (torch.mv, torch.zeros, torch.randn, ...): C
# dispatchers that lua_call the method of the arguments' tensor type, so what that method raises
# (cwrap's "invalid arguments", TH's errors) has no position: luaL_where's level 1 is the
# dispatcher, a C function (Torch7 prints 'invalid arguments: ...' where x:mv(5) gives the line)
_RANDOM_DISPATCHERS = frozenset((
    "rand", "randn", "randperm", "random", "uniform", "normal", "cauchy", "logNormal",
    "exponential", "geometric", "bernoulli", "multinomial"))


def _is_dispatcher(k, v):
    from torch7py.tensor_math import _dispatch
    return _dispatch._PUBLIC.get(k) is v or k in _RANDOM_DISPATCHERS


# The one error the dispatcher raises itself (luaL_error in torch.X's C function, which the
# script's line called: LuaJIT's lj_err_callermsg names that line, as for any C function the
# Lua code calls): the arguments' type has no such function, or the default type (no
# argument picked one) is no tensor type with TensorMath's functions (torch.HalfTensor)
_DISPATCHER_OWN = re.compile(r"torch\.\w+ does not implement the torch\.\w+\(\) function$|"
                            r"internal error: the default tensor type does not seem to be an "
                            r"actual tensor$")


def _dispatcher(f):
    """f, its errors raised without the caller's position (see _RANDOM_DISPATCHERS), but for
    the dispatcher's own (_DISPATCHER_OWN)."""
    def torch_dispatcher(*args):
        try:
            return f(*args)
        except Exception as e:
            if not _DISPATCHER_OWN.match(str(e)):
                e.torch7_plain = True
            raise
    torch_dispatcher.__name__ = getattr(f, "__name__", "torch_dispatcher")
    return torch_dispatcher
from .luaclass import ClassRegistry
from .luavalues import (_FUNC_TYPES, _LUA_FUNCTIONS_HINT, _LUA_UNKNOWN_HINT, LuaError,
                        LuaFunction, LuaList, LuaMethod, LuaTableMapping, _PY_FUNCTIONS_HINT,
                        _py_message, _u, _UNKNOWN_HINT)

try:  # Tester's tensor comparison in C (small_diff)
    from torch7py._exact import maxabsdiff as _c_maxabsdiff
except ImportError:  # built without the C extension
    _c_maxabsdiff = None


# packages that Torch7 scripts commonly require and that torch7py does not provide
_F64 = np.dtype(np.float64)
_KNOWN_MISSING = ("cutorch", "cunn", "cudnn", "image", "qt", "qtlua", "itorch",
                  "dp", "hdf5", "matio", "ffmpeg", "audio")


# torch7py's Python conveniences, which no Torch7 metatable holds (they stay callable)
_PYTHON_ONLY = frozenset(("numpy", "tolist", "unsqueeze", "isTensor", "state_dict",
                          "load_state_dict", "named_parameters"))
_USERDATA = {}  # class -> whether its objects are userdata in Torch7 (a plain dict: hot path)
# Torch7's keys of a C class's own metatable that are no Lua method names of its Python class
# (names with underscores, the luaT destructor): luaT_newmetatable's __gc where the class has
# a C destructor; generic/Tensor.c's and Storage.c's __index__, __newindex__, __len__;
# TensorOperator.c's operators (no Half); the __tostring__ of Tensor.lua, Storage.c, Timer.c
# and the File classes' C; FFInterface.lua's cdata; init.lua's torch.Tensor.isTensor (the
# default type when init.lua runs: Double). Their values are what the objects answer for the
# names (classraw), __gc a function doing nothing (the object stays usable).
_T7_STORAGE_KEYS = ("__gc", "__index__", "__newindex__", "__len__", "__tostring__", "cdata")
_T7_TENSOR_OPS = ("__add__", "__sub__", "__mul__", "__div__", "__mod__", "__unm__")
_T7_FILE_KEYS = ("__gc", "__tostring__")
_T7_CLASS_KEYS = {"torch.Generator": ("__gc",), "torch.Timer": _T7_FILE_KEYS,
                  "torch.DiskFile": _T7_FILE_KEYS, "torch.MemoryFile": _T7_FILE_KEYS,
                  "torch.PipeFile": _T7_FILE_KEYS}
# Torch7 method names that Python also uses (their own level's, where the class defines them):
# Module.lua's and Criterion.lua's __call__, the Lua classes' __tostring__ (none in Module.lua
# and Criterion.lua: luaT's __tostring gives their objects' typename there; torch7py's
# default __tostring__ of its base classes is no Lua key)
_T7_DUNDER_METHODS = frozenset(("__call__", "__tostring__"))
_NO_T7_TOSTRING = frozenset(("nn.Module", "nn.Criterion"))


# where a Python class defines a Lua method at another level than Torch7's registration puts it:
# (names its metatable holds in Torch7 that Python defines above it, names Python defines at
# it that Torch7's metatable does not hold). DiskFile.c registers the endian encodings and
# longSize (MemoryFile.c longSize too), File.c synchronize; PipeFile.c only its __tostring__;
# ConfusionMatrix.lua its _add.
_T7_LEVEL_NAMES = {
    "torch.File": ((), ("bigEndianEncoding", "littleEndianEncoding", "nativeEndianEncoding",
                        "longSize")),
    "torch.DiskFile": (("bigEndianEncoding", "littleEndianEncoding", "nativeEndianEncoding",
                        "longSize"), ("synchronize",)),
    "torch.MemoryFile": (("longSize",), ()),
    "torch.PipeFile": ((), ("position", "seekEnd")),
    "optim.ConfusionMatrix": (("_add",), ()),
}


def _timer_class():
    from torch7py.timer import Timer
    return Timer


def _t7_class_keys(name):
    """The keys of _T7_CLASS_KEYS's rule for the class named name (a tuple)."""
    if not isinstance(name, str) or not name.startswith("torch."):
        return ()
    keys = _T7_CLASS_KEYS.get(name)
    if keys is not None:
        if name == "torch.Timer" and "_t7_write_file" in _timer_class().__dict__:
            # nn's Profile.lua (makeTorchTimerSerializable) put write and read there
            return keys + ("read", "write")
        return keys
    if name.endswith("Storage"):
        return _T7_STORAGE_KEYS
    if name.endswith("Tensor"):
        keys = _T7_STORAGE_KEYS if name == "torch.HalfTensor" else (
            _T7_STORAGE_KEYS + _T7_TENSOR_OPS + ("torch",))
        return keys + ("isTensor",) if name == "torch.DoubleTensor" else keys
    return ()


def small_diff(ta, tb):
    """Tester's largest |ta - tb| for two DoubleTensors (an assertTensorEq inside a script's
    loop), from their storages without numpy views: in C for any size (_exact.maxabsdiff), else
    for at most 16 elements each; None for anything else (the caller's numpy path). The same
    values as numpy's: float64 differences element by element in logical order, and NaN when
    any is NaN, as TH's maxall."""
    if ta.dtype != _F64 or tb.dtype != _F64:
        return None
    if _c_maxabsdiff is not None:
        sa, sb = ta._storage, tb._storage
        if sa is None or sb is None:
            return None
        return _c_maxabsdiff(sa._data, ta._offset, ta._size, ta._stride, sb._data, tb._offset,
                             tb._size, tb._stride)
    pa = _positions(ta)
    pb = _positions(tb)
    if pa is None or pb is None or len(pa) != len(pb) or not pa:
        return None
    da = ta._storage._data
    db = tb._storage._data
    m = 0.0
    for i, j in zip(pa, pb):
        d = abs(da.item(i) - db.item(j))
        if d != d:
            return d
        if d > m:
            m = d
    return m


def _positions(t):
    """The storage positions of a small tensor's elements in row-major logical order."""
    if t._storage is None:
        return None
    pos = [t._offset]
    for n, s in zip(t._size, t._stride):
        if n != 1:
            if len(pos) * n > 16:
                return None
            pos = [p + i * s for p in pos for i in range(n)]
    return pos


# a Lua object's dict and list fields come back from a load as live views of their tables
_LIVE = {dict: LuaTableMapping, list: LuaList}


class TorchCalls:
    """LuaRuntime's torch.load/readObject from Lua, its class names, and the helpers exposed
    to torch.lua (prefix _p_)."""

    # -- torch.load and readObject from Lua -----------------------------------------------------
    # Lua reads its own format as Torch7 does when the script allows functions (see
    # allow_functions below): a function in the stream is checked (bytecode.check), loaded
    # (loadstring) and given its upvalues; bytecode that LuaJIT refuses (another VM's flags)
    # gives File.lua's warning on stderr and nil.
    def _lua_read(self, read, opts):
        from torch7py.serialization import SerializationError
        memo = {}  # the tables made for the upvalues, shared with the result as in the file
        H = self.H
        joined = {}  # upvalue id -> (function, index) that first held it (File.lua)

        def make(code, legacy):
            try:  # LuaJIT trusts bytecode: a corrupted dump must not reach it
                bytecode.check(code)
            except bytecode.BytecodeError as e:
                raise SerializationError("bad function bytecode: %s" % e) from None
            r = H.undump(code)
            f = r[0] if type(r) is tuple else r
            if f is None:
                # File.lua: a warning (no newline) and a nil function, whose first upvalue to
                # set then fails in debug.setupvalue
                sys.stdout.flush()
                sys.stderr.write("Warning: Failed to load function from bytecode: %s" % r[1])
                sys.stderr.flush()

            def finish(upvalues):
                if isinstance(upvalues, dict):
                    items = upvalues.items()
                else:
                    items = enumerate(upvalues or (), 1)
                for i, u in items:
                    uid = None
                    if not legacy:
                        if not hasattr(u, "get") or u.get("name") == "_ENV":
                            continue
                        uid = u.get("id")
                        u = u.get("value")
                    if f is None:
                        raise SerializationError("bad argument #1 to 'setupvalue' (function "
                                                 "expected, got nil)")
                    H.setupvalue(f, i, self._conv(u, memo))
                    if uid is not None:
                        if uid in joined:
                            H.upvaluejoin(f, i, *joined[uid])
                        else:
                            joined[uid] = (f, i)
            return (None if f is None else LuaFunction(f, self)), finish

        def own(code, legacy):
            return make(code, legacy)
        # without the opt-in, only functions this run wrote itself load (clone_many_times'
        # MemoryFile round trip of a model holding a function, a checkpoint reloaded): the
        # same bytecode string.dump gave here, so no code that was not already in the run
        own.trusts = self._is_own_bytecode
        unknown, allow, gpu_types = "error", self.allow_functions, "cpu"
        # (an argument that is no options table is one more argument than File.lua's
        # functions take: ignored, as Lua ignores it there)
        if opts is not None and hasattr(opts, "get"):
            unknown = opts.get("unknown_classes") or "error"
            gpu_types = opts.get("gpu_types") or "cpu"
            if opts.get("allow_functions") is not None:
                allow = bool(opts.get("allow_functions"))
        # Heap tracking: nothing a load allocates is garbage before it returns, so collecting
        # every few MB of it (the hook's step) would only walk Lua's heap again and again (40
        # times for a 200 MB model). The load's bytes are told to the hook once, at the end.
        from torch7py import storage
        hook, held = storage.heap_hook, [0]

        def hold(nbytes):
            held[0] += nbytes
        if hook is not None:
            storage.heap_hook = hold
        try:
            r = read(allow_functions=make if allow else own, unknown_classes=unknown,
                     gpu_types=gpu_types)
        except SerializationError as e:
            # the Python options named in the message, as a Lua user writes them
            t7 = getattr(e, "torch7_message", None)
            if t7 is not None:  # Torch7's own text for what Torch7 itself met (a short read)
                raise messages.at_lua(SerializationError(t7), e.lua_where) \
                    if getattr(e, "lua_where", None) else SerializationError(t7) from None
            msg = _UNKNOWN_HINT.sub(_LUA_UNKNOWN_HINT, str(e))
            err = SerializationError(msg.replace(_PY_FUNCTIONS_HINT, _LUA_FUNCTIONS_HINT))
            if getattr(e, "lua_where", None):  # (File.lua's line that raised it)
                messages.at_lua(err, e.lua_where)
            raise err from None
        finally:
            if hook is not None and storage.heap_hook is hold:
                storage.heap_hook = hook
        self._adopt(r, memo)
        t = self._conv(r, memo)
        if hook is not None and held[0] and storage.heap_hook is hook:
            hook(held[0])
        return t

    def _adopt(self, root, memo):
        """Give the table fields of the Lua-class objects (and unknown-class objects) in a
        loaded graph their Lua tables now, all through one memo: a table that several objects
        share in the file is one Lua table, as Torch7's reader makes it (converting each field
        on first access would make one table per object)."""
        found, seen, stack = [], set(), [root]
        TorchObject, Tensor, Storage = self._TorchObject, self._Tensor, self._Storage
        while stack:
            x = stack.pop()
            tx = type(x)
            if tx in (int, float, str, bool, bytes) or x is None or id(x) in seen:
                continue
            seen.add(id(x))
            if tx is list or tx is tuple:
                stack.extend(x)
            elif tx is dict:
                for k, v in x.items():
                    stack.append(v)
                    if type(k).__name__ == "LuaKey":
                        stack.append(k.value)
            elif isinstance(x, (Tensor, Storage)):
                continue
            elif isinstance(x, TorchObject):
                found.append((x, x))
                stack.extend(x.values())
            else:
                d = getattr(x, "__dict__", None)
                if d is None or isinstance(x, LuaFunction) or tx is ClassRegistry or (
                        tx.__module__.startswith("compat.")
                        and tx.__module__ != "compat.luaclass"):
                    # (a method bound here holds the runtime: the layer's own objects are
                    # no part of the loaded graph)
                    continue
                if tx.__module__ == "compat.luaclass":
                    found.append((x, d))
                for k, v in d.items():
                    # a saved method override comes back bound, as _b_setfield binds it
                    if type(v) is LuaFunction and type(k) is str and callable(
                            getattr(type(x), k, None)):
                        d[k] = LuaMethod(v._f, self, x)
                        if k not in self._shadowed.get(type(x), ()):
                            self._shadow(type(x), k)
                stack.extend(d.values())
        for obj, d in found:
            for k, v in list(d.items()):
                live = _LIVE.get(type(v))  # the field's table, kept live (LuaList / mapping)
                if live is not None:
                    t = self._conv(v, memo)
                    w = self._tbl2py_get(t)
                    if type(w) is not live:
                        w = live(t, self)
                        self._tbl2py_set(t, w)
                    d[k] = w

    def _lua_load(self, filename, mode=None, referenced=None, opts=None):
        return self._lua_read(lambda **kw: self.torch.load(
            filename, "binary" if mode is None else mode,
            True if referenced is None else referenced, **kw), opts)

    def _lua_deserialize(self, data, mode=None, opts=None):
        return self._lua_read(lambda **kw: self.torch.deserialize(
            data, "binary" if mode is None else mode, **kw), opts)

    def _lua_deserializeFromStorage(self, storage, mode=None, opts=None):
        return self._lua_read(lambda **kw: self.torch.deserializeFromStorage(
            storage, "binary" if mode is None else mode, **kw), opts)

    def file_clone(self, obj):
        """Module.lua's clone as Torch7 does it, a MemoryFile write and read, for a graph that
        holds an object whose class reads or writes itself in Lua (dpnn's Serial writes a
        typecast state of its module): the Lua read's rules, so the copy is what torch.load
        gives the script."""
        data = self.torch.serialize(obj)
        return self.from_lua(self._lua_deserialize(data))

    def _lua_readObject(self, f, opts=None):
        return self._lua_read(f.readObject, opts)

    def _install_readers(self):
        torch = self.globals.torch
        for name in ("load", "deserialize", "deserializeFromStorage"):
            torch[name] = self._mkfunc(getattr(self, "_lua_" + name))
        lua_load = self._lua_load

        def load(filename, mode=None, referenced=None, opts=None):
            # File.lua's Lua in Torch7: what it raises comes from DiskFile's C __new (no
            # position: luaT's constructor table calls it) or from File.lua's error() (a line
            # of File.lua, a machine path), never from the caller's line; raised as a Lua
            # error, the bridge passes the text on as it is
            try:
                return lua_load(filename, mode, referenced, opts)
            except LuaError:
                raise
            except Exception as e:
                raise LuaError(_py_message(e)) from None
        torch.load = self._mkfunc(load)
        py_save = self.torch.save

        def save(filename, obj, mode=None, referenced=None):
            # File.lua's too: torch.DiskFile(filename, 'w') raises without a position
            args = [filename, obj, mode, referenced]
            while len(args) > 2 and args[-1] is None:
                args.pop()
            try:
                py_save(*args)
            except LuaError:
                raise
            except Exception as e:
                raise LuaError(_py_message(e)) from None
        torch.save = self._mkfunc(save)
        # File.lua's names "safe for global import"
        torch.loadobj, torch.saveobj = torch.load, torch.save
        torch.allowFunctionsOnLoad = self._mkfunc(self._lua_allow_functions)

    # Torch7 loads the functions a file holds, and so runs code from it. Here a file's functions
    # load only when the script asks: per call ({allow_functions = true} as the options table),
    # or for the whole run (torch.allowFunctionsOnLoad(true), or TORCH7PY_ALLOW_FUNCTIONS=1).
    allow_functions = os.environ.get("TORCH7PY_ALLOW_FUNCTIONS", "") not in ("", "0")

    # digests of the bytecode that this run's writers dumped (string.dump of live functions)
    def note_own_bytecode(self, code):
        own = self.__dict__.setdefault("_own_bytecode", set())
        own.add(hashlib.sha256(_string_bytes(code)).digest())

    def _is_own_bytecode(self, code):
        own = self.__dict__.get("_own_bytecode")
        return bool(own) and hashlib.sha256(_string_bytes(code)).digest() in own

    def _lua_allow_functions(self, flag=None):
        """torch.allowFunctionsOnLoad([flag]): the previous setting; sets it when given."""
        previous = self.allow_functions
        if flag is not None:
            self.allow_functions = bool(flag)
        return previous

    # -- names -------------------------------------------------------------------------------
    def typename_of_class(self, cls):
        if "typename" in cls.__dict__ and cls.__dict__["typename"] is None \
                and issubclass(cls, dict):
            return None  # a plain Lua table kept in Python (nngraph's Table): no class
        name = _classes.name_of(cls)
        if name is None:
            mod = getattr(cls, "__module__", "") or ""
            if mod.startswith("torch7py.nn"):
                name = "nn." + cls.__name__
            elif mod.startswith("torch7py.optim"):
                name = "optim." + cls.__name__
            elif mod.startswith("torch7py"):
                name = "torch." + cls.__name__
            else:
                name = cls.__name__
        return name

    def typename_of(self, obj):
        if isinstance(obj, type):
            return None
        return self.typename_of_class(type(obj))

    # -- helpers exposed to torch.lua (prefix _p_) --------------------------------------------
    def _p_module(self, name):
        import importlib
        name, _, attr = name.partition(":")
        mod = importlib.import_module(name)
        return getattr(mod, attr) if attr else mod

    def _p_package_names(self, package):
        """The keys of Torch7's table `package` ('torch', 'nn') in Torch7's order."""
        from . import package_names
        return self.lua.table(*getattr(package_names, package.upper()))

    def _p_package_files(self, package):
        """The files package's init.lua requires (package_names.FILES), as a Lua list."""
        from . import package_names
        return self.lua.table(*package_names.FILES.get(package, ()))

    @staticmethod
    def _lua_submodule(mod, k):
        """Whether Python submodule `k` of a package stands for a field of Torch7's table
        (nn.utils, nn.hessian): the files of torch7py.optim, torch7py.nn, torch7py (fista,
        linear, tensor, ...) are no fields there, so optim.fista is nil as in Torch7."""
        from . import package_names
        names = {"torch7py": package_names.TORCH,
                 "torch7py.nn": package_names.NN}.get(getattr(mod, "__name__", ""), ())
        return k in names

    rnn_required = False  # `require 'rnn'` found no rnn on the path: torch7py's classes

    def _p_rnn_required(self):
        self.rnn_required = True

    dpnn_required = False  # `require 'dpnn'` found no dpnn on the path: its modules only

    def _p_dpnn_required(self):
        self.dpnn_required = True

    def _rnn_class(self, mod, k):
        """Element-Research rnn's class nn.k (torch7py.legacy.ern) after `require 'rnn'` or
        once a loaded file held one of rnn's classes: Torch7 read such a file only after
        `require 'rnn'`, which defines them all. None before (or for another name)."""
        if getattr(mod, "__name__", "") != "torch7py.nn" or not isinstance(k, str):
            return None
        from torch7py.serialization import objects
        if not self.rnn_required and not any(
                getattr(c, "__module__", "").startswith("torch7py.legacy.ern")
                for c in list(objects._registry.values())):
            if not self.dpnn_required:
                return None
            from torch7py.legacy import ern
            return ern.DPNN_CLASSES.get("nn." + k)
        from torch7py.legacy import ern
        return ern.CLASSES.get("nn." + k) or (ern.LSTM if k == "LSTM" else None)

    def _p_modattr(self, mod, k):
        try:
            if not hasattr(mod, k):
                rnn = self._rnn_class(mod, k)
                return (True, self.class_proxy(rnn)) if rnn is not None else (False, None)
            if k in getattr(mod, "_py_only", ()):
                return False, None
            v = getattr(mod, k)
            if isinstance(v, types.ModuleType) and not self._lua_submodule(mod, k):
                return False, None
            if isinstance(v, type):
                return True, self.class_proxy(v)
            if callable(v) and not hasattr(v, "__dict__") or isinstance(v, types.FunctionType):
                cfunc = torch_cfunc(k) if getattr(mod, "__name__", "") == "torch7py" else None
                if cfunc is not None:  # luaL_argerror names it (bridgecalls._fail_c)
                    return True, self._mkfunc_lua(*self._b_wrap(v, cfunc))
                if getattr(mod, "__name__", "") == "torch7py" and _is_dispatcher(k, v):
                    return True, self._mkfunc(_dispatcher(v))
                return True, self._mkfunc(v)
            return True, self.to_lua(v)
        except Exception as e:
            return self.ERR, _py_message(e)

    def _p_rawfield(self, obj, k):
        obj = _u(obj)
        if type(obj) in self._fieldtables:
            return self.to_lua(obj.get(k))
        d = getattr(obj, "__dict__", None) or {}
        # self[i] of a torch object is kept in its __dict__ under the number
        return self.to_lua(d.get(k)) if type(k) in (str, int, float) else None

    def _p_pointer(self, obj):
        obj = _u(obj)
        try:
            ptr = self.torch.pointer(obj)
        except Exception:
            ptr = id(obj)
        pointed = self.__dict__.get("_pointed")
        if pointed is None:
            pointed = self._pointed = weakref.WeakValueDictionary()
        try:  # torch.pushudata finds the object again by this number
            pointed[ptr] = obj
        except TypeError:
            pass
        return ptr

    def _p_object_at(self, ptr, name):
        """torch.pushudata: the object whose torch.pointer is ptr, when it is a `name`."""
        pointed = self.__dict__.get("_pointed")
        obj = pointed.get(int(ptr)) if pointed is not None else None
        if obj is None or not self._p_isinstance_name(obj, name):
            return self.ERR
        return self.to_lua(obj)

    def _p_reclass(self, obj, name):
        """torch.setmetatable(obj, name) of a torch7py object: obj's class becomes the class
        named name (its fields stay); the Lua template of that class for obj's proxy."""
        from torch7py.serialization.objects import _class_of
        obj = _u(obj)
        cls = _class_of(name)
        if cls is None:
            return self.ERR, "unknown typename %s\n" % name
        try:
            obj.__class__ = cls
        except TypeError as e:
            return self.ERR, "torch.setmetatable: a %s cannot become a %s (%s)" % (
                self.typename_of_class(type(obj)), name, e)
        geom_changed()  # (bridge.lua's geometry caches know the element type of the class)
        return self._templates.get(cls) or self._class_template(cls)

    def _p_class_methods(self, cls):
        """The method names in a class's own metatable, sorted (rawget/pairs/next over it):
        those its Python classes define up to its Torch7 parent (whose metatable holds the
        inherited ones, as luaT chains metatables), `__init` for a constructor of its own."""
        cls = _u(cls)
        parent = self.classes.parent_of(cls)
        names = set()
        hidden = getattr(cls, "_py_only", ())  # Python API the class names as none of Lua's
        for c in cls.__mro__:
            if c is parent or c is object:
                break
            for k, v in c.__dict__.items():
                if isinstance(v, _FUNC_TYPES + (staticmethod,)) and k not in names:
                    if not k.startswith("_") and k not in _PYTHON_ONLY and (
                            k not in hidden or hasattr(v, "_t7_lua_fn")):
                        names.add(k)
                    elif k == "__init__" and not self._p_is_userdata(cls):
                        names.add("__init")  # a torch.class class's Lua constructor
                    elif k in _T7_DUNDER_METHODS and isinstance(v, _FUNC_TYPES):
                        names.add(k)
                elif (c, k) in self._lua_class_fields:  # a value Lua put in the metatable
                    names.add(k)
        name = self.typename_of_class(cls)
        if name in _NO_T7_TOSTRING:
            names.discard("__tostring__")
        names.update(_t7_class_keys(name))
        add, drop = _T7_LEVEL_NAMES.get(name, ((), ()))
        names.difference_update(drop)
        names.update(add)
        return self.to_lua(sorted(names))

    @staticmethod
    def _p_class_version(cls):
        """luaT's __version of a class's metatable (torch7py.classes.version)."""
        return _classes.version(_u(cls))

    def _p_is_userdata(self, cls):
        """Whether the objects of cls are userdata in Torch7 (made in C, luaT_pushudata):
        tensors, storages, torch.Timer, the File classes and torch.Generator; every other
        class is a torch.class class, whose objects are tables."""
        cls = _u(cls)
        r = _USERDATA.get(cls)
        if r is None:
            # (a torch.class child of one is a table: init.lua's constructor makes {} objects)
            r = _USERDATA[cls] = _classes.is_userdata(cls)
        return r

    @staticmethod
    def _p_is_tensor_type(name):
        """Whether name is a tensor type (torch.setdefaulttensortype's Python side takes it)."""
        from torch7py.tensor import tensor_types
        return name in tensor_types

    def _p_address(self, obj):
        """The address of a storage's first number, or of a tensor's first element (at its
        storage offset); None for a tensor without a storage.  The numpy buffer lives as long
        as the storage keeps it (a resize reallocates, as THStorage_resize does)."""
        obj = _u(obj)
        if isinstance(obj, self._Tensor):
            st = obj._storage
            if st is None:
                return None
            a = st._data
            return a.ctypes.data + obj._offset * a.itemsize
        if isinstance(obj, self._Storage):
            return obj._data.ctypes.data
        return None

    def _p_isinstance_name(self, obj, name):
        obj = _u(obj)
        for cls in self.torch.torch_ancestry(type(obj)):  # Torch7's parents, not Python's
            if self.typename_of_class(cls) == name:
                return True
        return False

    def _p_istypeof(self, obj, spec):
        return self.torch.isTypeOf(_u(obj), spec)

    def _p_isinstance(self, obj, cls):
        obj, cls = _u(obj), _u(cls)
        return isinstance(cls, type) and cls in self.torch.torch_ancestry(type(obj))

    def _p_class_by_name(self, name):
        torch = self.torch
        c = self.classes.by_name(name)
        if c is not None:
            return c
        pkg, _, short = name.partition(".")
        mods = [{"torch": torch}.get(pkg)]
        if pkg == "nn":
            mods = [sys.modules.get("torch7py.nn") or self._p_module("torch7py.nn"),
                    sys.modules.get("torch7py.nngraph")]  # nn.gModule
        elif pkg in ("optim", "nngraph", "graph"):
            # registered when the package loads, as luaT's registry in Torch7
            ng = sys.modules.get("torch7py.nngraph")
            mods = [sys.modules.get("torch7py." + pkg) if pkg != "graph"
                    else ng and ng.graph]
        for mod in mods:
            c = getattr(mod, short, None) if mod is not None else None
            if isinstance(c, type) and (pkg == "torch" or self.typename_of_class(c) == name):
                if c.__dict__.get("_t7_no_metatable"):
                    return None  # (a function in Torch7 making plain tables: no class)
                return self.class_proxy(c)
        c = self._rnn_class(mods[0], short) if pkg == "nn" else None
        return None if c is None else self.class_proxy(c)

    def _p_parent_typename(self, cls):
        """The Torch7 name of cls's parent class (luaT's metatable of the metatable), or None."""
        parent = self.classes.parent_of(_u(cls))
        return None if parent is None else self.typename_of_class(parent)

    def _p_parent_typename_of(self, name):
        """The Torch7 name of the parent of the class named name, or None (a root, unknown)."""
        cls = self.classes._resolve(name)
        return None if cls is None else self._p_parent_typename(cls)

    def _p_newclass(self, name, parent=None):
        parent = _u(parent)
        try:
            return self.classes.new(name, parent)
        except Exception as e:
            return self.ERR, _py_message(e)

    def _p_exit(self, code=None):
        if code is None or code is True:
            code = 0
        elif code is False:
            code = 1
        self.pending_exit = SystemExit(code)

    def _p_exiting(self):
        return self.pending_exit is not None

    def _p_write(self, s):
        sys.stdout.write(s)

    def _p_flush(self):
        sys.stdout.flush()

    def _p_isatty(self, fd):
        try:
            return os.isatty(int(fd))
        except (OSError, ValueError):
            return False

    def _p_known_missing(self):
        return self.to_lua(list(_KNOWN_MISSING))

    _initial_threads = None

    def _p_reset(self):
        """Fresh torch state for a new script: default tensor type, number of threads."""
        torch = self.torch
        torch.setdefaulttensortype("torch.DoubleTensor")
        self.rnn_required = False
        self.dpnn_required = False
        T = getattr(self, "T", None)
        if T is not None:
            T.default_changed()
        if TorchCalls._initial_threads is None:
            TorchCalls._initial_threads = torch.getnumthreads()
        torch.setnumthreads(TorchCalls._initial_threads)

    # Heap tracking (torch.setheaptracking): Lua collects each time storages have allocated
    # HEAP_STEP bytes, or twice Lua's own heap if that is more (the collections' cost stays in
    # proportion), so tensors that only dead Lua proxies hold are freed in time (Torch7's
    # THHeapUpdate calls Lua's collector past a soft limit). A larger step lets freed numpy
    # buffers fragment the C heap: RSS then creeps up over a long run. One runtime tracks at a
    # time: the last to ask.
    HEAP_STEP = 4 << 20

    def _p_set_heap_tracking(self, enabled):
        from torch7py import storage
        if not enabled:
            if storage.heap_hook is getattr(self, "_heap_hook", None):
                storage.heap_hook = None
            return
        me = weakref.ref(self)
        state = {"bytes": 0, "step": self.HEAP_STEP, "busy": False}
        collect = self.lua.globals().collectgarbage

        def hook(nbytes):
            state["bytes"] += nbytes
            if state["bytes"] < state["step"] or state["busy"] or me() is None:
                return
            state["bytes"] = 0
            state["busy"] = True  # a finalizer that allocates must not collect again
            try:
                collect("collect")
                lua_bytes = collect("count") * 1024
                state["step"] = max(self.HEAP_STEP, 2 * int(lua_bytes))
            finally:
                state["busy"] = False

        self._heap_hook = storage.heap_hook = hook

    def _p_compat_part(self, name, *args):
        """A part of torch.lua's chunk in a file of its own (torch_objects.lua, torch_luat.lua,
        torch_luajit.lua), run with args: P, H and the table of the locals the parts share."""
        return self._exec_internal(name, *args)

    def _p_compat_chunk(self, name):
        """A library of the layer's own written in Lua (moses.lua): what its chunk returns. The
        chunk receives pairs_order's `note(t, k)` (or nil), to record the order it inserts keys
        into the tables it builds for scripts (pl.lapp's results), and the install prefix
        under which errors name the original package's Lua files (gnuplot.lua's)."""
        from torch7py.messages import LUA_PREFIX
        api = getattr(self, "pairs_api", None)
        return self._exec_internal(name, api.note if api is not None else None, LUA_PREFIX)
