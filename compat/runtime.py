"""The Lua layer: a LuaJIT runtime in which `require 'torch'`/'nn'/'optim' are torch7py."""
import codecs
import inspect
import operator
import os
import re
import sys
import types
import weakref

import numpy as np

from lupa import luajit21 as _lupa

from torch7py.serialization import bytecode

from .callconv import fitter, returns_nothing

LuaError = _lupa.LuaError
LuaSyntaxError = _lupa.LuaSyntaxError

_HERE = os.path.dirname(os.path.abspath(__file__))
_FUNC_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType,
               types.WrapperDescriptorType)
# packages that Torch7 scripts commonly require and that torch7py does not provide
_KNOWN_MISSING = ("cutorch", "cunn", "cudnn", "image", "qt", "qtlua", "gnuplot", "itorch",
                  "dp", "dpnn", "rnn", "hdf5", "matio", "ffmpeg", "audio")


def _read(name):
    with open(os.path.join(_HERE, name), encoding="utf-8") as f:
        return f.read()


_TRACEBACK_WARNING = ("WARNING: If you see a stack trace below, it doesn't point to the place "
                      "where this error occurred. Please use only the one above.")


def _with_notes(e, msg):
    """Containers note the failing module ("In 2 module of nn.Sequential:"): the text of
    nn's Container:rethrowErrors, outermost first: a new line (Lua puts the position before
    it), the notes, the message, the traceback at the failure and nn's warning."""
    notes = [str(n) for n in getattr(e, "__notes__", None) or ()]
    mods = [n for n in notes if n.startswith("In ") and " module of " in n]
    if mods:
        msg = "\n" + "\n".join(reversed(mods)) + "\n" + msg
        if _TRACEBACK_WARNING not in msg:
            msg += "\nstack traceback:\n\t[C]: in function 'xpcall'\n\n" + _TRACEBACK_WARNING
    return msg


def _py_message(e):
    msg = str(e)
    if isinstance(e, KeyError) and len(e.args) == 1:
        msg = str(e.args[0])
    return _with_notes(e, msg or type(e).__name__)


def lua_message(e):
    """The message of a LuaError without the traceback lupa appends."""
    msg = str(e.args[0]) if e.args else str(e)
    i = msg.find("\nstack traceback:")
    return msg if i < 0 else msg[:i]


# Lua strings are bytes; Python sees them as UTF-8 text with undecodable bytes kept as
# surrogates (the convention torch7py's File uses), so every byte string round-trips.
_CODEC = "torch7py-lua-utf8"


def _codec_search(name):
    if name.replace("_", "-") != _CODEC:
        return None

    def encode(s, errors="strict"):
        return codecs.utf_8_encode(s, "surrogateescape")

    def decode(b, errors="strict"):
        return codecs.utf_8_decode(b, "surrogateescape", True)
    return codecs.CodecInfo(encode, decode, name=_CODEC)


codecs.register(_codec_search)


class LuaTableMapping:
    """A live MutableMapping over a Lua table (option/state tables): Python writes land in it."""

    __slots__ = ("_t", "_rt", "__weakref__")

    def _t7_memo_key(self):
        """One Lua table is one object to torch.save and clone, whichever wrapper holds it."""
        return ("table", self._rt._tblid(self._t))

    def __init__(self, table, rt):
        self._t = table
        self._rt = rt

    def __getitem__(self, key):
        v = self._t[self._rt.key_to_lua(key)]
        if v is None:
            raise KeyError(key)
        return self._rt.from_lua(v)

    def get(self, key, default=None):
        v = self._t[self._rt.key_to_lua(key)]
        return default if v is None else self._rt.from_lua(v)

    def __setitem__(self, key, value):
        self._t[self._rt.key_to_lua(key)] = self._rt.to_lua(value)

    def __delitem__(self, key):
        if self._t[self._rt.key_to_lua(key)] is None:
            raise KeyError(key)
        self._t[self._rt.key_to_lua(key)] = None

    def __contains__(self, key):
        return self._t[self._rt.key_to_lua(key)] is not None

    def keys(self):
        return [self._rt.key_from_lua(k) for k, _ in _raw_items(self._t, self._rt)]

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(list(self._t.keys()))

    def items(self):
        fl, kf = self._rt.from_lua, self._rt.key_from_lua
        return [(kf(k), fl(v)) for k, v in _raw_items(self._t, self._rt)]

    def values(self):
        return [v for _, v in self.items()]

    def setdefault(self, key, default=None):
        v = self.get(key)
        if v is None:
            self[key] = default
            return default
        return v

    def pop(self, key, *default):
        v = self.get(key)
        if v is None:
            if default:
                return default[0]
            raise KeyError(key)
        del self[key]
        return v

    def update(self, other=(), **kw):
        items = other.items() if hasattr(other, "items") else other
        for k, v in items:
            self[k] = v
        for k, v in kw.items():
            self[k] = v

    def clear(self):
        for k in list(self._t.keys()):
            self._t[k] = None

    def copy(self):
        return dict(self.items())

    def __eq__(self, other):
        if isinstance(other, LuaTableMapping):
            return self._t == other._t
        return NotImplemented

    __hash__ = object.__hash__

    def __repr__(self):
        return "LuaTable(%r)" % (dict(self.items()),)

    def __deepcopy__(self, memo):
        """A new Lua table with deep copies of the values (clone() of a Lua class instance)."""
        return _copy_table(self, memo, LuaTableMapping)


try:  # register as a MutableMapping without paying the ABC's per-call overhead
    from collections.abc import MutableMapping as _MM
    _MM.register(LuaTableMapping)
except Exception:  # pragma: no cover
    pass


def _copy_table(m, memo, cls):
    import copy
    rt = m._rt
    new = cls(rt.lua.table(), rt)
    memo[id(m)] = new
    for k, v in m.items():
        new[copy.deepcopy(k, memo)] = copy.deepcopy(v, memo)
    return new


def _table_items(t, rt):
    """Every (key, value) of a Lua table, converted: what torch.save and clone must see of a
    field that Python holds as a list (a Lua class's `self.w2i = {}` later given string keys)."""
    kf, fl = rt.key_from_lua, rt.from_lua
    return [(kf(k), fl(v)) for k, v in _raw_items(t, rt)]


def _raw_items(t, rt):
    """A Lua table's (key, value) pairs in the order its pairs() visits them (Torch7's LuaJIT's
    order: compat/pairs_order.py)."""
    items = getattr(rt, "pairs_items", None)
    return items(t) if items is not None else list(t.items())


class EmptyTable(list):
    """An empty Lua table: an empty list (a table of values) that also works as a live
    mapping over the table (an option or state table that Python fills in)."""

    def _t7_memo_key(self):
        """One Lua table is one object to torch.save and clone, whichever wrapper holds it."""
        return ("table", self._rt._tblid(self._t))

    def __init__(self, table, rt):
        list.__init__(self)
        self._t = table
        self._rt = rt

    def _m(self):
        return LuaTableMapping(self._t, self._rt)

    def _t7_items(self):
        return _table_items(self._t, self._rt)

    def __getitem__(self, key):
        if isinstance(key, (int, slice)) and not isinstance(key, bool):
            return list.__getitem__(self, key)
        return self._m()[key]

    def __setitem__(self, key, value):
        if isinstance(key, (int, slice)) and not isinstance(key, bool) and list.__len__(self):
            return list.__setitem__(self, key, value)
        self._m()[key] = value

    def __delitem__(self, key):
        del self._m()[key]

    def __contains__(self, key):
        return key in self._m()

    def get(self, key, default=None):
        return self._m().get(key, default)

    def setdefault(self, key, default=None):
        return self._m().setdefault(key, default)

    def pop(self, key=None, *default):
        return self._m().pop(key, *default)

    def update(self, other=(), **kw):
        self._m().update(other, **kw)

    def keys(self):
        return self._m().keys()

    def items(self):
        return self._m().items()

    def values(self):
        return self._m().values()

    def __eq__(self, other):
        return self is other

    __hash__ = object.__hash__

    def __repr__(self):
        return "LuaTable(%r)" % (dict(self.items()),)

    def __deepcopy__(self, memo):
        return _copy_table(self, memo, EmptyTable)


class LuaList(list):
    """A Lua table of values kept in a field of a Python object (a Lua class's `self.x = {}`):
    a list that reads the table again before each use and writes every change back to it, so
    Lua (table.insert, t[i] = v) and Python (iteration, append, type(), clone) see one table."""

    def _t7_memo_key(self):
        """One Lua table is one object to torch.save and clone, whichever wrapper holds it."""
        return ("table", self._rt._tblid(self._t))

    def __init__(self, table, rt):
        list.__init__(self)
        self._t = table
        self._rt = rt
        self._sync()

    def _sync(self):
        t, fl = self._t, self._rt.from_lua
        n = len(t)
        list.__setitem__(self, slice(None), [fl(t[i]) for i in range(1, n + 1)])

    def _push(self):
        rt = self._rt
        rt._filltable(self._t, len(self._t), *[rt.to_lua(x) for x in list.__iter__(self)])

    def _t7_items(self):
        return _table_items(self._t, self._rt)

    def __iter__(self):
        self._sync()
        return list.__iter__(self)

    def __len__(self):
        return len(self._t)

    def __getitem__(self, key):
        if isinstance(key, str):
            return LuaTableMapping(self._t, self._rt)[key]
        self._sync()
        return list.__getitem__(self, key)

    def __contains__(self, x):
        self._sync()
        return list.__contains__(self, x)

    def __repr__(self):
        self._sync()
        return list.__repr__(self)

    def __eq__(self, other):
        self._sync()
        return list.__eq__(self, other)

    def __ne__(self, other):
        return not self.__eq__(other)

    __hash__ = None

    def get(self, key, default=None):
        return LuaTableMapping(self._t, self._rt).get(key, default)

    def copy(self):
        self._sync()
        return list(list.__iter__(self))

    def __deepcopy__(self, memo):
        import copy
        self._sync()
        new = LuaList(self._rt.lua.table(), self._rt)
        memo[id(self)] = new
        list.extend(new, [copy.deepcopy(x, memo) for x in list.__iter__(self)])
        new._push()
        return new


def _mutator(name):
    op = getattr(list, name)

    def method(self, *args):
        self._sync()
        r = op(self, *args)
        self._push()
        return self if name in ("__iadd__", "__imul__") else r
    method.__name__ = name
    return method


for _name in ("__setitem__", "__delitem__", "append", "extend", "insert", "pop", "remove",
              "clear", "sort", "reverse", "__iadd__", "__imul__"):
    setattr(LuaList, _name, _mutator(_name))

_setitem = LuaList.__setitem__


def _list_setitem(self, key, value):
    if isinstance(key, str):
        LuaTableMapping(self._t, self._rt)[key] = value
    else:
        _setitem(self, key, value)


LuaList.__setitem__ = _list_setitem


_CTYPES = {"f8": "double", "f4": "float", "i8": "int64_t", "i4": "int32_t", "i2": "int16_t",
           "i1": "int8_t", "u1": "uint8_t"}


class LuaFunction:
    """A Lua function seen from Python: converts arguments and results across the bridge."""

    __slots__ = ("_f", "_rt")

    def __init__(self, f, rt):
        self._f = f
        self._rt = rt

    def __call__(self, *args):
        rt = self._rt
        r = self._f(*[rt.to_lua(a) for a in args])
        if type(r) is tuple:
            return tuple(rt.from_lua(x) for x in r)
        return rt.from_lua(r)

    def __repr__(self):
        return "<Lua function>"

    def _t7_elementwise(self, t, sources):
        """Tensor:apply/map/map2 with this function, looped in Lua (bridge.lua's elemloop);
        False where it cannot (no ffi, an element type ffi lacks: then Python loops)."""
        loop = self._rt.H.elemloop
        ctype = _CTYPES.get(t.dtype.str[1:])
        if not loop or ctype is None or not t.dtype.isnative:
            return False
        srcs, args = [], []
        for o in sources:
            a = np.ascontiguousarray(o)
            c = _CTYPES.get(a.dtype.str[1:])
            if c is None or not a.dtype.isnative:
                return False
            srcs.append(a)  # kept alive for the loop
            args += [a.ctypes.data, c]
        data = t._storage._data
        addr = data.ctypes.data + t._offset * data.itemsize
        lua = self._rt.lua
        loop(self._f, ctype, addr, lua.table(*t._size), lua.table(*t._stride), t.nElement(),
             *args)
        return True

    # torch.save of a Lua function (File.lua): its string.dump and upvalues, written once
    _t7_luatype = "function"

    @property
    def _t7_dumpable(self):
        return bool(self._rt.H.dumpable(self._f))

    def _t7_function(self, env=None):
        # env: the writer's file environment, where the file's upvalue ids live
        ids = None
        if env is not None:
            ids = env.get("lua_upvalue_ids")
            if ids is None:
                ids = env["lua_upvalue_ids"] = self._rt.lua.table()
        r = self._rt.H.dumpfunc(self._f, ids)
        if type(r) is not tuple:
            from torch7py.serialization import SerializationError
            raise SerializationError("Unwritable object <function>")
        code, upvalues = r
        return code, self._rt.from_lua(upvalues)

    def _t7_memo_key(self):
        return ("function", self._rt._tblid(self._f))


class LuaMethod(LuaFunction):
    """A Lua function stored in an object's field under the name of one of its class's methods
    (`m.updateOutput = function(self, x) ... end`): it overrides the method for that object,
    so Python's m.updateOutput(x) calls it with m as self, as Lua's m:updateOutput(x) does.
    (A field that is no method, a hook that Python calls as hook(self, x), stays unbound.)"""

    __slots__ = ("_self",)

    def __init__(self, f, rt, obj):
        LuaFunction.__init__(self, f, rt)
        try:  # weak: the object holds its method, not the other way
            self._self = weakref.ref(obj)
        except TypeError:
            self._self = lambda o=obj: o

    def __call__(self, *args):
        return LuaFunction.__call__(self, self._self(), *args)

    def __deepcopy__(self, memo):
        """clone(): the copy's method runs on the copy."""
        obj = self._self()
        return LuaMethod(self._f, self._rt, memo.get(id(obj), obj))


class Ref:
    """What Lua holds for a Python object: a fresh handle per proxy.  lupa wraps each Python
    object it sees in one userdata, found again by the object's address; an object that comes
    back to Lua while its previous userdata awaits finalization can end up sharing a slot with
    another object (lupa 2.8 on LuaJIT).  A Ref is handed to lupa exactly once, so that never
    happens to it; the objects themselves only cross inside Refs."""

    __slots__ = ("o",)

    def __init__(self, o):
        self.o = o


def _u(x):
    return x.o if type(x) is Ref else x


_MISSING = object()
_PY_FUNCTIONS_HINT = "allow_functions=True (the bytecode is kept, never run)"
_LUA_FUNCTIONS_HINT = ("{allow_functions = true} as the last argument of torch.load, or "
                       "torch.allowFunctionsOnLoad(true); only for files you trust")
_UNKNOWN_HINT = re.compile(r"\(load with unknown_classes='table'[^)]*\)")
_LUA_UNKNOWN_HINT = ("(declare it with torch.class before loading; or load it as a table that "
                     "keeps its class name with the option {unknown_classes = 'table'}: "
                     "torch.load(path, 'binary', true, {unknown_classes = 'table'}) or "
                     "file:readObject({unknown_classes = 'table'}))")


def _same_items(snap, lst):
    """Whether lst still holds the items of snap (the same objects, or equal plain values)."""
    if len(snap) != len(lst):
        return False
    for a, b in zip(snap, lst):
        if a is not b and not (type(a) is type(b) and type(a) in (int, float, str) and a == b):
            return False
    return True


class _KeyBox:
    """A Python-only table key (a tuple) as one object, for as long as a Lua table uses it."""

    __slots__ = ("key", "__weakref__")

    def __init__(self, key):
        self.key = key


class _Ops:
    """Python operators behind the Lua metamethods."""

    add = staticmethod(operator.add)
    sub = staticmethod(operator.sub)
    mul = staticmethod(operator.mul)
    div = staticmethod(operator.truediv)
    mod = staticmethod(operator.mod)
    unm = staticmethod(operator.neg)


class LuaRuntime:
    """One LuaJIT state with the bridge installed and torch/nn/optim available to require."""

    def __init__(self, argv=None, script=None):
        import torch7py
        import torch7py.storage
        import torch7py.tensor
        self.torch = torch7py
        self._Tensor = torch7py.tensor.Tensor
        self._Storage = torch7py.storage.Storage
        from torch7py.serialization.files import File
        from torch7py.serialization.objects import TorchObject
        self._File, self._TorchObject = File, TorchObject
        self._fieldtables = set()  # TorchObject classes: proxies whose fields are dict items
        self.lua = _lupa.LuaRuntime(unpack_returned_tuples=True, encoding=_CODEC,
                                    register_eval=False)
        lua = self.lua
        self._TableType = type(lua.eval("{}"))
        self._FunctionType = type(lua.eval("print"))
        self._UserdataType = type(lua.eval("newproxy()"))
        self._templates = {}
        self._tmplkey = {}  # class -> index of its proxy template in Lua's TEMPLATES
        self._tkeys = {}  # the same, for the classes whose objects to_lua turns into proxies
        self._keys = weakref.WeakValueDictionary()
        self._class_edits = []  # (class, name, old value): see undo_class_edits
        self._pending = []  # lists made from the table arguments of the coming call
        self._snap, self._snap_limit = {}, 1024  # id(list) -> its items when it last crossed
        self.pending_exit = None
        self._classproxies = {}
        self._shadowed = {}  # class -> names of its methods that some object has as a field
        B = lua.table()
        for name in ("call", "wrap", "fromfunc", "idxlist", "index_miss", "setfield",
                     "tget", "tgetv", "tset", "tsetv", "fieldkeys", "len",
                     "class_index", "class_setattr", "tostring", "wrapcall"):
            B[name] = getattr(self, "_b_" + name)
        B.fromtable = self._b_fromtable_lua
        ops = lua.table()
        for name in ("add", "sub", "mul", "div", "mod", "unm"):
            ops[name] = getattr(_Ops, name)
        B.ops = ops
        H = self._exec_internal("bridge.lua", B)
        self.H = H
        self.ERR = H.ERR
        self._WRAP, self._SELF, self._NOTHING = H.WRAP, H.SELF, H.NOTHING
        self._cache = H.CACHE
        self._pyobj = H.PYOBJ
        self._lists = H.LISTS
        self._tbl2py = H.TBL2PY
        self._mkproxy = H.mkproxy
        self._mkfunc_lua = H.mkfunc
        self._newclass = H.newclass
        self._newclassproxy = H.newclassproxy
        self._newlisttable = H.newlisttable
        self._filltable = H.filltable
        self._tableinfo = H.tableinfo
        self._infoof = H.infoof
        self._isempty = H.isempty
        self._tblid = H.tblid
        self._tblobjs = {}
        from . import luaclass
        self.classes = luaclass.ClassRegistry(self)
        B.set_method = self.classes.set_method
        P = lua.table()
        for name in dir(self):
            if name.startswith("_p_"):
                P[name[3:]] = getattr(self, name)
        P.ERR = self.ERR
        self.globals = lua.globals()
        self.P = P
        from . import luajit  # Torch7's LuaJIT: pairs() order, printf rounding, LUA52COMPAT
        luajit.install_pairs(self)  # first: torch.lua's pairs/next build on it
        self.T = self._exec_internal("torch.lua", P, H)
        luajit.install(self)
        self._install_readers()
        self._exec_internal("nngraph.lua", P, self.T.pymodule)  # require 'nngraph', 'graph'
        self.globals.arg = self.to_lua(list(argv or []))
        if script is not None:
            self.globals.arg[0] = script

    def key_to_lua(self, k):
        """A table key: tuples (Python-only composite keys) stand for one interned object."""
        if type(k) is tuple:
            box = self._keys.get(k)
            if box is None:
                box = self._keys[k] = _KeyBox(k)
            return self.to_lua(box)
        return self.to_lua(k)

    def key_from_lua(self, k):
        k = self.from_lua(k)
        return k.key if type(k) is _KeyBox else k

    # -- conversions -----------------------------------------------------------------------
    def to_lua(self, v):
        """The Lua value for a Python value (proxies for objects, tables for lists)."""
        tv = type(v)
        if tv is float or tv is int or tv is bool or v is None:
            return v
        if tv is str:
            return v
        if tv is list or tv is tuple:
            return self._list_to_table(v)
        if tv is LuaTableMapping or tv is EmptyTable or tv is LuaList:
            return v._t
        if tv is LuaFunction or tv is LuaMethod:
            return v._f
        if tv in self._tkeys:
            return self.proxy(v)
        return self._to_lua_slow(v)

    def _to_lua_slow(self, v, memo=None):
        if isinstance(v, bool):
            return bool(v)
        if isinstance(v, float):
            return float(v)
        if isinstance(v, int):
            return int(v)
        if isinstance(v, bytes):
            return v
        if isinstance(v, str):
            return str(v)
        if isinstance(v, (self._TableType, self._FunctionType, self._UserdataType)):
            return v
        if isinstance(v, (LuaTableMapping, EmptyTable, LuaList)):
            return v._t
        if type(v).__name__ == "LuaKey":
            return self.to_lua(v.value)
        np = sys.modules.get("numpy")
        if np is not None and isinstance(v, np.generic):
            return self.to_lua(v.item())
        if type(v) is dict:
            return self._dict_to_table(v, memo)
        if isinstance(v, self._TorchObject):
            # an object of a class torch7py does not know (load's unknown_classes='table'):
            # a torch object whose fields are the dict's items, class name kept
            self._fieldtables.add(type(v))
        if isinstance(v, type):
            return self.class_proxy(v)
        if isinstance(v, (types.FunctionType, types.BuiltinFunctionType, types.MethodType,
                          types.BuiltinMethodType, types.LambdaType)):
            return self._mkfunc(v)
        if type(v) is Ref:
            return self.to_lua(v.o)
        if isinstance(v, (list, tuple)):
            return self._list_to_table(v, memo)
        p = self.proxy(v)
        self._tkeys[type(v)] = self._tmplkey[type(v)]
        return p

    def _conv(self, x, memo):
        tx = type(x)
        if tx is list or tx is tuple or tx is dict:
            if id(x) in memo:
                return memo[id(x)]
            return self._list_to_table(x, memo) if tx is not dict else self._dict_to_table(
                x, memo)
        return self.to_lua(x)

    def _dict_to_table(self, d, memo=None):
        memo = {} if memo is None else memo
        t = self.lua.table()
        memo[id(d)] = t
        keys = []
        for k, x in list(d.items()):
            if type(k).__name__ == "LuaKey":  # a table as a key: maybe d itself (t[t] = t)
                k = k.value
            k = self._conv(k, memo)
            t[k] = self._conv(x, memo)
            keys.append(k)
        note = getattr(self, "pairs_note", None)
        if note is not None and len(keys) > 1:  # pairs() follows the order keys went in
            note(t, keys)
        return t

    def proxy(self, v):
        p = self._cache[id(v)]
        if p is None:
            cls = type(v)
            tmpl = self._templates.get(cls)
            if tmpl is None:
                tmpl = self._class_template(cls)
            p = self._mkproxy(Ref(v), tmpl, id(v))
        return p

    def _mkfunc(self, f):
        """A Lua function calling the Python callable f."""
        return self._mkfunc_lua(*self._b_wrap(f))

    # The Python object that stands for a Lua table.  A plain list is held from Lua (it dies
    # with the table); objects that hold the table themselves (mappings, live lists) are held
    # weakly from Python, or the pair would keep each other alive through the Lua registry.
    def _tbl2py_get(self, t):
        u = self._tbl2py[t]
        if u is not None:
            return self._pyobj[u].o
        r = self._tblobjs.get(self._tblid(t))
        return None if r is None else r()

    def _tbl2py_set(self, t, obj):
        if type(obj) is list:
            self._tbl2py[t] = self.proxy(obj)
            return
        self._tbl2py[t] = None
        tid = self._tblid(t)
        objs = self._tblobjs
        objs[tid] = weakref.ref(obj, lambda _, tid=tid: objs.pop(tid, None))

    def _class_template(self, cls):
        if issubclass(cls, self._Tensor):
            kind = "tensor"
        elif issubclass(cls, self._Storage):
            kind = "storage"
        else:
            kind = "object"
        luaclass = self.classes.luaclass_of(cls)
        ctor = self._mkfunc(cls) if kind != "object" else None
        tmpl = self._newclass(Ref(cls), kind, self.typename_of_class(cls), ctor, luaclass)
        self._templates[cls] = tmpl
        key = len(self._tmplkey) + 1
        self.H.TEMPLATES[key] = tmpl
        self._tmplkey[cls] = key
        return tmpl

    def class_proxy(self, cls):
        p = self._classproxies.get(cls)
        if p is None:
            tmpl = self._templates.get(cls) or self._class_template(cls)
            info = self._infoof(tmpl)
            p = self._newclassproxy(Ref(cls), self._mkfunc(cls), info)
            self._classproxies[cls] = p
        return p

    def _remember(self, lst):
        """Note what lst holds now that it and its Lua table agree (see _list_to_table)."""
        snap = self._snap
        snap[id(lst)] = tuple(lst)
        if len(snap) > self._snap_limit:  # forget the lists whose tables are gone
            for k in [k for k in snap if self._lists[k] is None]:
                del snap[k]
            self._snap_limit = max(1024, 2 * len(snap))

    def _list_to_table(self, lst, memo=None):
        lid = id(lst)
        t = self._lists[lid]
        if t is None:
            t = self._newlisttable(self.proxy(lst), lid)
            old = 0
        else:
            snap = self._snap.get(lid)
            if snap is not None and _same_items(snap, lst):
                # Python left the list as it was when the two last agreed, so the Lua table is
                # the newer (the script edited it after passing it): the list follows the table
                self._b_fromtable(t)
                return t
            old = len(t)
        if memo is None:
            if not any(type(x) in (list, tuple, dict) for x in lst):
                conv = self.to_lua
                vals = [conv(x) for x in lst]
            else:
                memo = {lid: t}
                vals = [self._conv(x, memo) for x in lst]
        else:
            memo[lid] = t
            vals = [self._conv(x, memo) for x in lst]
        if len(vals) < 4000:
            self._filltable(t, old, *vals)
        else:
            self._filltable(t, old)
            for i, x in enumerate(vals, 1):
                t[i] = x
        self._remember(lst)
        return t

    def from_lua(self, v):
        """The Python value for a Lua value (objects for proxies, lists/mappings for tables)."""
        tv = type(v)
        if tv is float or tv is int or tv is bool or v is None:
            return v
        if tv is str:
            return v
        if tv is self._UserdataType:
            o = self._pyobj[v]
            return v if o is None else o.o
        if tv is self._TableType:
            return self._b_fromtable(v)
        if tv is self._FunctionType:
            return LuaFunction(v, self)
        return v

    def _b_fromtable_lua(self, t):
        """fromtable for a call from Lua: the result travels inside a fresh Ref; a list is
        noted for the call it is an argument of (see _sync_args)."""
        r = self._b_fromtable(t)
        if type(r) is list or type(r) is EmptyTable:
            self._pending.append(r)
        return Ref(r)

    def _b_fromtable(self, t, memo=None):
        known = self._tbl2py_get(t)
        n, islist = self._tableinfo(t)
        if known is not None:
            tk = type(known)
            if tk is LuaList:
                return known
            if tk is list and (islist or n == 0):
                if memo is not None and id(known) in memo:
                    return known
                snap = self._snap.get(id(known))
                if snap is not None and not _same_items(snap, known) and self._lua_agrees(
                        t, n, snap):
                    # Python changed the list (a module's nested gradInput shrunk in place)
                    # since the two last agreed and Lua did not: Python's is the newer
                    self._list_to_table(known)
                    return known
                memo = {} if memo is None else memo
                memo[id(known)] = known
                known[:] = [self._from_lua_m(t[i], memo) for i in range(1, n + 1)]
                self._remember(known)
                return known
            if tk is LuaTableMapping and not islist:
                return known
            if tk is EmptyTable and n == 0 and not islist:
                if self._isempty(t):
                    return known
        if islist:
            lst = []
            self._tbl2py_set(t, lst)
            self._lists[id(lst)] = t
            memo = {} if memo is None else memo
            memo[id(lst)] = lst
            lst[:] = [self._from_lua_m(t[i], memo) for i in range(1, n + 1)]
            self._remember(lst)
            return lst
        if self._isempty(t):
            m = EmptyTable(t, self)
        else:
            m = LuaTableMapping(t, self)
        self._tbl2py_set(t, m)
        return m

    def _lua_agrees(self, t, n, snap):
        """Whether Lua's table t (of length n) still holds the items of snap."""
        if n != len(snap):
            return False
        pyobj, TT = self._pyobj, self._TableType
        for i in range(n):
            v = t[i + 1]
            tv = type(v)
            if tv is self._UserdataType:
                r = pyobj[v]
                v = v if r is None else r.o
            elif tv is TT:
                v = self._tbl2py_get(v)
            a = snap[i]
            if a is not v and not (type(a) is type(v) and type(a) in (int, float, str)
                                   and a == v):
                return False
        return True

    def _from_lua_m(self, v, memo):
        if type(v) is self._TableType:
            return self._b_fromtable(v, memo)
        return self.from_lua(v)

    def _b_fromfunc(self, f):
        return LuaFunction(f, self)

    def _b_idxlist(self, t):
        fl = self.from_lua
        n = len(t)
        return [fl(t[i]) for i in range(1, n + 1)]

    # -- calls -------------------------------------------------------------------------------
    def _fail(self, e):
        if not isinstance(e, Exception):  # SystemExit (os.exit, CmdLine), KeyboardInterrupt
            self.pending_exit = e
            return self.ERR, "exit", True
        if isinstance(e, LuaError):
            return self.ERR, _with_notes(e, lua_message(e)), True
        return self.ERR, _py_message(e), False

    def _b_call(self, f, *args):
        try:
            r = f(*[_u(a) for a in args])
        except BaseException as e:
            return self._fail(e)
        tr = type(r)
        if tr is float or tr is int or tr is bool or r is None:
            return r
        if tr is tuple:
            conv = self.to_lua
            return tuple(conv(x) for x in r)
        return self.to_lua(r)

    def _b_wrap(self, f):
        """f as Python closures for 0, 1, 2, 3 and any number of arguments: each unwraps Refs,
        and reports an exception as (ERR, message, plain).  A result that is the first
        argument comes back as SELF (Lua returns its own first argument); an object of a
        proxied class as (WRAP, Ref, template key, id) for Lua to find or make its proxy.
        The bodies repeat on purpose: this is the hot path of every call from Lua, and a
        shared helper for the argument/result handling costs one more Python call each time."""
        to_lua, fail, R = self.to_lua, self._fail, Ref
        WRAP, SELF, tkeys = self._WRAP, self._SELF, self._tkeys
        pending, sync = self._pending, self._sync_args
        f = _u(f)
        # Lua's calling convention (compat/callconv.py): each closure calls f through the
        # fitter for its argument count, which is f itself whenever the count fits
        f0, f1, f2, f3, fv = (fitter(f, n) for n in (0, 1, 2, 3, None))
        # a function that never returns a value returns nothing to Lua, not one nil
        none = self._NOTHING if returns_nothing(f) else None

        def conv(r):
            if type(r) is tuple:
                return tuple([to_lua(x) for x in r])
            return to_lua(r)

        def d0():
            mine = None
            if pending:  # the tables among the arguments (see _sync_args)
                mine = pending[:]
                del pending[:]
            try:
                r = f0()
            except BaseException as e:
                return fail(e)
            if mine:
                sync(mine)
            if r is None:
                return none
            tr = type(r)
            if tr is float or tr is int or tr is bool:
                return r
            k = tkeys.get(tr)
            if k is not None:
                return WRAP, R(r), k, id(r)
            return conv(r)

        def d1(a):
            if type(a) is R:
                a = a.o
            mine = None
            if pending:  # the tables among the arguments (see _sync_args)
                mine = pending[:]
                del pending[:]
            try:
                r = f1(a)
            except BaseException as e:
                return fail(e)
            if mine:
                sync(mine)
            if r is None:
                return none
            tr = type(r)
            if tr is float or tr is int or tr is bool:
                return r
            if r is a:
                return SELF
            k = tkeys.get(tr)
            if k is not None:
                return WRAP, R(r), k, id(r)
            return conv(r)

        def d2(a, b):
            if type(a) is R:
                a = a.o
            if type(b) is R:
                b = b.o
            mine = None
            if pending:  # the tables among the arguments (see _sync_args)
                mine = pending[:]
                del pending[:]
            try:
                r = f2(a, b)
            except BaseException as e:
                return fail(e)
            if mine:
                sync(mine)
            if r is None:
                return none
            tr = type(r)
            if tr is float or tr is int or tr is bool:
                return r
            if r is a:
                return SELF
            k = tkeys.get(tr)
            if k is not None:
                return WRAP, R(r), k, id(r)
            return conv(r)

        def d3(a, b, c):
            if type(a) is R:
                a = a.o
            if type(b) is R:
                b = b.o
            if type(c) is R:
                c = c.o
            mine = None
            if pending:  # the tables among the arguments (see _sync_args)
                mine = pending[:]
                del pending[:]
            try:
                r = f3(a, b, c)
            except BaseException as e:
                return fail(e)
            if mine:
                sync(mine)
            if r is None:
                return none
            tr = type(r)
            if tr is float or tr is int or tr is bool:
                return r
            if r is a:
                return SELF
            k = tkeys.get(tr)
            if k is not None:
                return WRAP, R(r), k, id(r)
            return conv(r)

        def dv(*args):
            args = [a.o if type(a) is R else a for a in args]
            mine = None
            if pending:  # the tables among the arguments (see _sync_args)
                mine = pending[:]
                del pending[:]
            try:
                r = fv(*args)
            except BaseException as e:
                return fail(e)
            if mine:
                sync(mine)
            if r is None:
                return none
            tr = type(r)
            if tr is float or tr is int or tr is bool:
                return r
            if args and r is args[0]:
                return SELF
            k = tkeys.get(tr)
            if k is not None:
                return WRAP, R(r), k, id(r)
            return conv(r)
        return d0, d1, d2, d3, dv

    def _b_wrapcall(self, obj):
        """A Lua call of an object: its class's _t7_lua_call when it has one (nngraph makes a
        module called from Lua build a node), else __call__."""
        o = _u(obj)
        lua_call = getattr(type(o), "_t7_lua_call", None)
        return self._b_wrap(types.MethodType(lua_call, o) if lua_call is not None else o)

    def _sync_args(self, lists):
        """Table arguments that the Python callee changed in place (nn.utils.recursiveCopy
        filling the caller's table): the caller's Lua tables follow, as they would in Torch7."""
        for x in lists:
            self._sync_arg(x, set())

    def _sync_arg(self, x, seen):
        if id(x) in seen:
            return
        seen.add(id(x))
        if type(x) is EmptyTable:
            if list.__len__(x):
                self._filltable(x._t, 0, *[self.to_lua(v) for v in list.__iter__(x)])
            return
        lid = id(x)
        snap = self._snap.get(lid)
        if snap is None or self._lists[lid] is None:
            return
        if not _same_items(snap, x):
            self._list_to_table(x)  # the nested lists too
            return
        for v in x:
            if type(v) is list or type(v) is EmptyTable:
                self._sync_arg(v, seen)

    def _b_tget(self, t, k):
        try:
            r = t.o[_u(k)]
        except Exception as e:
            return self._fail(e)
        tr = type(r)
        if tr is float or tr is int:
            return r
        key = self._tkeys.get(tr)
        if key is not None:  # a view: its proxy is made in Lua
            return self._WRAP, Ref(r), key, id(r)
        return self.to_lua(r)

    def _b_tgetv(self, t, *k):
        try:
            r = t.o[tuple([_u(x) for x in k])]
        except Exception as e:
            return self._fail(e)
        tr = type(r)
        if tr is float or tr is int:
            return r
        key = self._tkeys.get(tr)
        if key is not None:
            return self._WRAP, Ref(r), key, id(r)
        return self.to_lua(r)

    def _b_tset(self, t, k, v):
        try:
            t.o[_u(k)] = _u(v)
        except Exception as e:
            return self._fail(e)

    def _b_tsetv(self, t, *kv):
        try:
            t.o[tuple([_u(x) for x in kv[:-1]])] = _u(kv[-1])
        except Exception as e:
            return self._fail(e)

    def _b_index_miss(self, obj, k):
        """(True, closures) for a method of obj's class, else (False, value of field k)."""
        obj = obj.o
        cls = type(obj)
        if cls in self._fieldtables:  # an object of an unknown class: its fields only
            return False, self._field_to_lua(obj, k, obj.get(k), True)
        if type(k) is not str:  # self[i] of a torch object (a plain table in Torch7)
            if type(k) is self._UserdataType:  # an object key: t[node.data]
                k = self.from_lua(k)
            d = obj if isinstance(obj, dict) else getattr(obj, "__dict__", None) or {}
            return False, self.to_lua(d.get(k))
        try:
            d = obj.__dict__ if hasattr(obj, "__dict__") else {}
            if k == "__tostring" and k not in d:
                # obj:__tostring() reaches the metatable's __tostring in Torch7 (the 60-minute
                # blitz prints 'Lenet5\n' .. net:__tostring())
                return (True,) + self._b_wrap(self._b_tostring)
            if k not in d:
                if k == "__init":
                    k = "__init__"
                elif k == "readObject" and isinstance(obj, self._File):
                    return (True,) + self._b_wrap(self._lua_readObject)
                try:
                    sv = inspect.getattr_static(cls, k)
                except AttributeError:
                    sv = None
                if isinstance(sv, _FUNC_TYPES):
                    return (True,) + self._b_wrap(getattr(cls, k))
                if sv is None and k not in d:
                    if isinstance(obj, dict):
                        return False, self.to_lua(obj.get(k))
                    return False, None
            if k not in d:
                return False, self.to_lua(getattr(obj, k, None))
            return False, self._field_to_lua(d, k, d[k], cls.__module__ == "compat.luaclass")
        except Exception as e:
            return self.ERR, _py_message(e)

    def _field_to_lua(self, d, k, v, live_dicts):
        """The Lua value of field k (value v) of the field dict d.  A list field becomes live
        so that Lua's edits (table.insert, m.modules[#m.modules] = nil) reach the object; so
        does a dict field where live_dicts (a Lua class's object: a loaded vocabulary's
        vocab.w2i[w] = n must stay), Python classes (optim.Logger's symbols) keep their dicts,
        which their own methods update."""
        if type(v) is list:
            t = self._list_to_table(v)
            lv = LuaList(t, self)
            self._tbl2py_set(t, lv)
            d[k] = lv
            return t
        if type(v) is dict and live_dicts:
            t = self._dict_to_table(v)
            lm = LuaTableMapping(t, self)
            self._tbl2py_set(t, lm)
            d[k] = lm
            return t
        return self.to_lua(v)

    def _b_class_index(self, cls, k):
        cls = cls.o
        try:
            if k == "__init":
                k = "__init__"
            try:
                sv = inspect.getattr_static(cls, k)
            except AttributeError:
                return False, None
            if isinstance(sv, _FUNC_TYPES):
                return (True,) + self._b_wrap(getattr(cls, k))
            return False, self.to_lua(getattr(cls, k))
        except Exception as e:
            return self.ERR, _py_message(e)

    def _b_class_setattr(self, cls, k, v):
        cls, v = _u(cls), _u(v)
        if isinstance(v, LuaFunction):
            fn = v

            def method(self, *args):
                return fn(self, *args)
            method.__name__ = k
            v = method
        if k == "__init":
            k = "__init__"
        self._class_edits.append((cls, k, cls.__dict__.get(k, _MISSING)))
        if v is None:  # cls.k = nil removes the field, as for a Lua table
            if k in cls.__dict__:
                delattr(cls, k)
            return
        setattr(cls, k, v)

    def _shadow(self, cls, k):
        """An object of cls holds field k, a name of one of cls's methods: Lua stops caching
        the method for the class, so each object's own field is found first."""
        self._shadowed.setdefault(cls, set()).add(k)
        tmpl = self._templates.get(cls) or self._class_template(cls)
        self.H.shadow(tmpl, k)

    def undo_class_edits(self):
        """Put back what this runtime's scripts changed on torch7py's classes (`function
        nn.Module:foo()` changes the Python class, for the whole process), so that the next
        script run in this process finds them as a fresh Torch7 would."""
        while self._class_edits:
            cls, k, old = self._class_edits.pop()
            if old is _MISSING:
                if k in cls.__dict__:
                    delattr(cls, k)
            else:
                setattr(cls, k, old)
        self.H.clear_method_caches()

    def _b_setfield(self, obj, k, v):
        obj, v = obj.o, _u(v)
        try:
            tv = type(v)
            if tv is list or tv is EmptyTable:
                t = v._t if tv is EmptyTable else self._lists[id(v)]
                if t is not None:  # a Lua table: keep it live in the field
                    v = LuaList(t, self)
                    self._tbl2py_set(t, v)
            if type(k) is str and k not in self._shadowed.get(type(obj), ()) and isinstance(
                    inspect.getattr_static(type(obj), k, None), _FUNC_TYPES):
                self._shadow(type(obj), k)
            if type(v) is LuaFunction and type(k) is str and callable(
                    getattr(type(obj), k, None)):
                v = LuaMethod(v._f, self, obj)
            if type(k) is not str:  # self[i] = x: kept beside the fields, as Lua would
                d = obj if isinstance(obj, dict) else obj.__dict__
                if v is None:
                    d.pop(k, None)
                else:
                    d[k] = v
                return
            if isinstance(obj, dict) and (type(obj) in self._fieldtables or not hasattr(
                    type(obj), k) and k not in getattr(obj, "__dict__", ())):
                if v is None:
                    obj.pop(k, None)
                else:
                    obj[k] = v
                return
            setattr(obj, k, v)
        except Exception as e:
            return self._fail(e)

    def _b_fieldkeys(self, obj):
        obj = obj.o
        if type(obj) in self._fieldtables:
            return self.to_lua([k for k in obj if isinstance(k, (str, int, float))])
        d = getattr(obj, "__dict__", None) or {}
        keys = [k for k in d if isinstance(k, (str, int, float))]
        if isinstance(obj, dict):
            keys += [k for k in obj if isinstance(k, (str, int, float))]
        return self.to_lua(keys)

    def _b_len(self, obj):
        obj = obj.o
        try:
            if isinstance(obj, self._Tensor):
                return self.to_lua(obj.size())
            if isinstance(obj, self._Storage):
                return obj.size()
            if type(obj) in self._fieldtables:
                d = obj
            elif hasattr(type(obj), "__len__"):
                return len(obj)
            else:
                d = getattr(obj, "__dict__", None) or {}
            n = 0
            while n + 1 in d:  # Lua's # of the table the object is in Torch7
                n += 1
            return n
        except Exception as e:
            return self._fail(e)

    def _b_tostring(self, obj):
        return str(_u(obj))

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
        unknown, allow, gpu_types = "error", self.allow_functions, "cpu"
        if opts is not None:
            if not hasattr(opts, "get"):
                raise TypeError("options table expected, got %s" % type(opts).__name__)
            unknown = opts.get("unknown_classes") or "error"
            gpu_types = opts.get("gpu_types") or "cpu"
            if opts.get("allow_functions") is not None:
                allow = bool(opts.get("allow_functions"))
        try:
            r = read(allow_functions=make if allow else False, unknown_classes=unknown,
                     gpu_types=gpu_types)
        except SerializationError as e:
            # the Python options named in the message, as a Lua user writes them
            msg = _UNKNOWN_HINT.sub(_LUA_UNKNOWN_HINT, str(e))
            raise SerializationError(msg.replace(_PY_FUNCTIONS_HINT, _LUA_FUNCTIONS_HINT)) \
                from None
        self._adopt(r, memo)
        return self._conv(r, memo)

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
                if d is None:
                    continue
                if type(x).__module__ == "compat.luaclass":
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
                tv = type(v)
                if tv is dict:
                    t = self._conv(v, memo)
                    lm = self._tbl2py_get(t)
                    if type(lm) is not LuaTableMapping:
                        lm = LuaTableMapping(t, self)
                        self._tbl2py_set(t, lm)
                    d[k] = lm
                elif tv is list:
                    t = self._conv(v, memo)
                    lv = self._tbl2py_get(t)
                    if type(lv) is not LuaList:
                        lv = LuaList(t, self)
                        self._tbl2py_set(t, lv)
                    d[k] = lv

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

    def _lua_readObject(self, f, opts=None):
        return self._lua_read(f.readObject, opts)

    def _install_readers(self):
        torch = self.globals.torch
        for name in ("load", "deserialize", "deserializeFromStorage"):
            torch[name] = self._mkfunc(getattr(self, "_lua_" + name))
        # File.lua's names "safe for global import"
        torch.loadobj, torch.saveobj = torch.load, torch.save
        torch.allowFunctionsOnLoad = self._mkfunc(self._lua_allow_functions)

    # Torch7 loads the functions a file holds, and so runs code from it. Here a file's functions
    # load only when the script asks: per call ({allow_functions = true} as the options table),
    # or for the whole run (torch.allowFunctionsOnLoad(true), or TORCH7PY_ALLOW_FUNCTIONS=1).
    allow_functions = os.environ.get("TORCH7PY_ALLOW_FUNCTIONS", "") not in ("", "0")

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
        name = cls.__dict__.get("typename") if isinstance(cls.__dict__.get("typename"),
                                                          str) else None
        if name is None:
            name = getattr(cls, "__typename__", None) or getattr(cls, "typename", None)
        if not isinstance(name, str):
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

    def _p_modattr(self, mod, k):
        try:
            if not hasattr(mod, k):
                return False, None
            v = getattr(mod, k)
            if isinstance(v, type):
                return True, self.class_proxy(v)
            if callable(v) and not hasattr(v, "__dict__") or isinstance(v, types.FunctionType):
                return True, self._mkfunc(v)
            return True, self.to_lua(v)
        except Exception as e:
            return self.ERR, _py_message(e)

    def _p_rawfield(self, obj, k):
        obj = _u(obj)
        if type(obj) in self._fieldtables:
            return self.to_lua(obj.get(k))
        d = getattr(obj, "__dict__", None) or {}
        return self.to_lua(d.get(k)) if isinstance(k, str) else None

    def _p_pointer(self, obj):
        obj = _u(obj)
        try:
            return self.torch.pointer(obj)
        except Exception:
            return id(obj)

    def _p_class_methods(self, cls):
        """The method names of a class, sorted (pairs over its metatable)."""
        cls = _u(cls)
        names = [k for k in dir(cls) if not k.startswith("_")
                 and isinstance(inspect.getattr_static(cls, k, None), _FUNC_TYPES)]
        return self.to_lua(sorted(names))

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
        for cls in type(obj).__mro__:
            if self.typename_of_class(cls) == name:
                return True
        return False

    def _p_istypeof(self, obj, spec):
        return self.torch.isTypeOf(_u(obj), spec)

    def _p_isinstance(self, obj, cls):
        obj, cls = _u(obj), _u(cls)
        return isinstance(cls, type) and isinstance(obj, cls)

    def _p_class_by_name(self, name):
        torch = self.torch
        c = self.classes.by_name(name)
        if c is not None:
            return c
        pkg, _, short = name.partition(".")
        mod = {"torch": torch}.get(pkg)
        if pkg == "nn":
            mod = sys.modules.get("torch7py.nn") or self._p_module("torch7py.nn")
        if mod is not None and isinstance(getattr(mod, short, None), type):
            return self.class_proxy(getattr(mod, short))
        return None

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

    def _p_write(self, s):
        sys.stdout.write(s)

    def _p_flush(self):
        sys.stdout.flush()

    def _p_known_missing(self):
        return self.to_lua(list(_KNOWN_MISSING))

    _initial_threads = None

    def _p_reset(self):
        """Fresh torch state for a new script: default tensor type, number of threads."""
        torch = self.torch
        torch.setdefaulttensortype("torch.DoubleTensor")
        if LuaRuntime._initial_threads is None:
            LuaRuntime._initial_threads = torch.getnumthreads()
        torch.setnumthreads(LuaRuntime._initial_threads)

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

    def _p_compat_chunk(self, name):
        """A library of the layer's own written in Lua (moses.lua): what its chunk returns."""
        return self._exec_internal(name)

    def _exec_internal(self, name, *args):
        # the layer's own chunks are named [compat]: tracebacks leave their frames out
        f = self.lua.globals().loadstring(_read(name), "=[compat]")
        if type(f) is tuple:
            raise LuaSyntaxError("%s: %s" % (name, f[1]))
        return f(*args)

    def enable_trepl(self):
        """Install what Torch7's th adds: its print, and the prompt's evaluator (returned)."""
        self.trepl = self._exec_internal("trepl.lua", self.P)
        return self.trepl

    # -- running code --------------------------------------------------------------------------
    def execute(self, code, name="=(command line)"):
        """Run a chunk of Lua code; returns what it returns (converted to Python)."""
        f = self.load(code, name)
        return self._run(f)

    def load(self, code, name):
        loader = self.lua.globals().loadstring
        r = loader(code, name)
        if type(r) is tuple:
            raise LuaSyntaxError(r[1] if len(r) > 1 else "syntax error")
        return r

    def dofile(self, path):
        """Run a Lua file; returns the raw Lua result (a LuaTable for a results table)."""
        with open(path, "rb") as fh:
            code = fh.read()
        if code.startswith(b"#!"):
            code = b"--" + code
        f = self.load(code.decode("utf-8", "surrogateescape"), "@" + path)
        return self._run(f, raw=True)

    def _run(self, f, raw=False):
        tb = self.T.xpcall
        r = tb(f)
        if type(r) is tuple:
            ok, rest = r[0], r[1:]
        else:
            ok, rest = r, ()
        if not ok:
            if self.pending_exit is not None:
                e, self.pending_exit = self.pending_exit, None
                raise e
            raise LuaError(rest[0] if rest else "error")
        if raw:
            return rest[0] if rest else None
        if len(rest) == 1:
            return self.from_lua(rest[0])
        return tuple(self.from_lua(x) for x in rest)
