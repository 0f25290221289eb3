"""The Lua layer's Python views of Lua values: live tables (mappings, lists), functions,
the byte-string codec, and Lua error messages."""
import codecs
import operator
import re
import types
import weakref

from lupa import luajit21 as _lupa

from torch7py.messages import LUA_PREFIX, lua_position
from torch7py.nn._lua_sites import where as _nn_where


LuaError = _lupa.LuaError
LuaSyntaxError = _lupa.LuaSyntaxError

_FUNC_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodDescriptorType,
               types.WrapperDescriptorType)


_TRACEBACK_WARNING = ("WARNING: If you see a stack trace below, it doesn't point to the place "
                      "where this error occurred. Please use only the one above.")


_INNER_NOTES = re.compile(r"[^\n]*\nIn \d+ module of [^\n]*:\n")
# Container:rethrowErrors's `if not ok then error(ret) end`: the position Lua puts first
_RETHROW_WHERE = "nn/Container.lua:67"


def _module_notes(e):
    """The notes containers added to e ("In 2 module of nn.Sequential:"), innermost first."""
    notes = [str(n) for n in getattr(e, "__notes__", None) or ()]
    return [n for n in notes if n.startswith("In ") and " module of " in n]


def carries_position(msg):
    """Whether msg, an error's message as the Lua layer shows it, starts with the position of
    Torch7's Lua code that raised it (messages.at_lua; a container's rethrow; THNN.lua's
    wrapper): raised again with level 0. A file name of 60 characters or more is LuaJIT's
    shortened one ('...' and its last 56: messages.lua_position), as
    nn/VolumetricFractionalMaxPooling.lua's under LUA_PREFIX."""
    return msg.startswith(LUA_PREFIX) or _SHORT_POSITION.match(msg) is not None


_SHORT_POSITION = re.compile(r"\.\.\.[^\s:]{52}\.lua:\d+: ")


# THNN's errors come through the wrapper THNN.lua makes for each function, at its line 110
# (`ftable[n] = function(...) v(state_getter(), ...) end`): C errors and FFI conversions there
# carry that position (its local `v` is what their argument errors name; THAssert's text)
_THNN_WHERE = "nn/THNN.lua:110"
_THNN_TEXT = re.compile(r"bad argument #\d+ to 'v' \(|Assertion `")


def _with_notes(e, msg):
    """Containers note the failing module ("In 2 module of nn.Sequential:"): the text of
    nn's Container:rethrowErrors, outermost first: a new line (Lua puts the position before
    it), the notes, the message, the traceback at the failure and nn's warning."""
    mods = _module_notes(e)
    if mods:
        if _INNER_NOTES.match(msg):
            # an inner container's error that went through Lua's error() (its text carries
            # nn's warning, which lua_message cut with the traceback): the outer handler
            # drops its first line, the position Lua put before "\nIn 1 module of ..."
            msg = msg[msg.find("\n") + 1:]
        msg = "\n" + "\n".join(reversed(mods)) + "\n" + msg
        if _TRACEBACK_WARNING not in msg:
            # handleError's traceback at the failure: a Lua error's frames as lupa's handler
            # (bridge.lua's debug.traceback) saw them, else the xpcall of rethrowErrors
            frames = "\t[C]: in function 'xpcall'"
            raw = str(e.args[0]) if isinstance(e, LuaError) and e.args else ""
            i = raw.find("\nstack traceback:\n")
            if i >= 0:
                frames = raw[i + len("\nstack traceback:\n"):]
            msg += "\nstack traceback:\n" + frames + "\n\n" + _TRACEBACK_WARNING
        msg = lua_position(_RETHROW_WHERE) + msg
    return msg


def _py_message(e):
    msg = getattr(e, "torch7_message", None)
    if msg is not None:  # an error whose Python text says more than Torch7's did
        if not getattr(e, "torch7_plain", False):  # (plain: a message built whole already)
            msg = _at_lua(e, msg)
        return _with_notes(e, msg)
    if isinstance(e, RecursionError):
        # a Lua recursion through Python calls (a Lua module's updateOutput calling forward):
        # Torch7's runs in Lua alone, and LuaJIT stops it with its own text (LJ_ERR_STKOV)
        return "stack overflow"
    msg = str(e)
    if msg.startswith("bad argument #"):
        from .luaerrors import lua_method_argerror
        msg = lua_method_argerror(e, msg) or msg
    if isinstance(e, KeyError) and len(e.args) == 1:
        msg = str(e.args[0])
    elif isinstance(e, (TypeError, AttributeError, IndexError)):
        from .luaerrors import lua_runtime_message
        msg = lua_runtime_message(e) or msg
    return _with_notes(e, _at_lua(e, msg or type(e).__name__))


def _at_lua(e, msg):
    """msg after the position of Torch7's Lua code that raised e (messages.at_lua), if any."""
    where = getattr(e, "lua_where", None)
    if where == "":  # raised in C under C (messages.from_c): no position
        return msg
    if where is None and _THNN_TEXT.match(msg):
        where = _THNN_WHERE
    if where is None:  # raised inside an nn module's Lua method: its file:line
        where = _nn_where(e, msg)
        if where == "":  # (a port of Lua whose position is none: the table says so)
            e.lua_where = where
            return msg
    return msg if where is None else lua_position(where) + msg


def lua_message(e):
    """The message of a LuaError without the traceback lupa appends (the last one: a message
    may hold its own, as nngraph's debug handler builds it)."""
    msg = str(e.args[0]) if e.args else str(e)
    i = msg.rfind("\nstack traceback:")
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


_BKEYS = {}  # str key -> its bytes in the Lua layer's codec (lupa pushes bytes as they are)


def _lkey(rt, key):
    """The Lua value of table key `key` (runtime.key_to_lua), a string's bytes cached."""
    if type(key) is str:
        b = _BKEYS.get(key)
        if b is None:
            b = key.encode("utf-8", "surrogateescape")
            if len(_BKEYS) < 4096:
                _BKEYS[key] = b
        return b
    return rt.key_to_lua(key)


class LuaTableMapping:
    """A live MutableMapping over a Lua table (option/state tables): Python writes land in it."""

    __slots__ = ("_t", "_rt", "_neg", "_ordered", "__weakref__")

    def _t7_memo_key(self):
        """One Lua table is one object to torch.save and clone, whichever wrapper holds it."""
        return ("table", self._rt._tblid(self._t))

    def __init__(self, table, rt):
        self._t = table
        self._rt = rt
        self._neg = None  # whether the table holds a -0.0 (None: not asked yet)
        self._ordered = False  # whether the keys there before Python's first insert are placed

    def _zero(self, k):
        """The value 0 that lupa read at key k: -0.0 where the table holds -0.0. Whether the
        table holds any -0.0 is asked once (optim's tables are read at every step), and set
        again by Python's writes; a -0.0 that Lua stores later in a table already asked about
        reads as 0."""
        neg = self._neg
        if neg is None:
            neg = self._neg = bool(self._rt._hasnegzero(self._t))
        if neg and self._rt._isnegzero(self._t, k):
            return -0.0
        return 0

    # optim reads a dozen fields of its config and state tables at every step: a string key
    # goes as its cached bytes (no codec call) and a number value comes back as it is
    def __getitem__(self, key):
        k = _lkey(self._rt, key)
        v = self._t[k]
        tv = type(v)
        if tv is int:
            return self._zero(k) if v == 0 else v
        if tv is float:
            return v
        if v is None:
            raise KeyError(key)
        return self._rt.from_lua(v)

    def get(self, key, default=None):
        k = _lkey(self._rt, key)
        v = self._t[k]
        tv = type(v)
        if tv is int:  # lupa reads -0.0 as the int 0
            return self._zero(k) if v == 0 else v
        if tv is float:
            return v
        return default if v is None else self._rt.from_lua(v)

    def __setitem__(self, key, value):
        tv = type(value)
        if tv is float and value == 0 and str(value)[0] == "-":
            self._neg = True
        k = _lkey(self._rt, key)
        t = self._t
        note = getattr(self._rt, "pairs_note1", None)
        if note is not None and value is not None and t[k] is None:
            # a key Python inserts (optim's state fields): pairs() follows the order keys
            # went in, which the table does not record. The keys already there (a config
            # table's constructor) went in first: one traversal fixes their order first
            if not self._ordered:
                self._ordered = True
                self._rt.pairs_items(t)
            note(t, k)
        t[k] = value if tv is float or tv is int else self._rt.to_lua(value)

    def __delitem__(self, key):
        k = _lkey(self._rt, key)
        if self._t[k] is None:
            raise KeyError(key)
        self._t[k] = None

    def __contains__(self, key):
        return self._t[_lkey(self._rt, key)] is not None

    def keys(self):
        return [self._rt.key_from_lua(k) for k, _ in _raw_items(self._t, self._rt)]

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(list(self._t.keys()))

    def _t7_len(self):
        """Lua's #t: the border LuaJIT's lj_tab_len finds (a table with holes, {a, nil, b},
        comes to Python as this mapping; its length is the table's own), or what its __len
        metamethod answers (Torch7's LuaJIT is built with LUA52COMPAT)."""
        rt = self._rt
        f = getattr(rt, "_t7_lua_len", None)
        if f is None:
            # (compat/luajit.lua's __L52c: a script's `#t`, __len honoured)
            f = rt._t7_lua_len = rt.lua.eval(
                "function(t) local f = ('').__L52c if f then return f(t) end return #t end")
        return f(self._t)

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


class _TableList(list):
    """A list that stands for one Lua table (self._t) of the runtime self._rt."""

    def _t7_memo_key(self):
        """One Lua table is one object to torch.save and clone, whichever wrapper holds it."""
        return ("table", self._rt._tblid(self._t))

    def __init__(self, table, rt):
        list.__init__(self)
        self._t = table
        self._rt = rt


class EmptyTable(_TableList):
    """An empty Lua table: an empty list (a table of values) that also works as a live
    mapping over the table (an option or state table that Python fills in)."""

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
        if isinstance(key, slice) or isinstance(key, int) and not isinstance(key, bool) \
                and list.__len__(self):
            # the list part (torch.split's `del out[:]` of a result table {}), as __setitem__
            return list.__delitem__(self, key)
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


class LuaList(_TableList):
    """A Lua table of values kept in a field of a Python object (a Lua class's `self.x = {}`):
    a list that reads the table again before each use and writes every change back to it, so
    Lua (table.insert, t[i] = v) and Python (iteration, append, type(), clone) see one table."""

    def __init__(self, table, rt):
        _TableList.__init__(self, table, rt)
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
        if not isinstance(key, (int, slice)):  # the table's other part: t.name, t[node]
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
    if not isinstance(key, (int, slice)):
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
        # through bridge.lua's lcall: objects cross as ids, proxy results come back as Refs
        rt = self._rt
        if len(args) > 50:  # the mask is a Lua number: exact up to 53 bits
            r = self._f(*[rt.to_lua(a) for a in args])
            if type(r) is tuple:
                return tuple(rt.from_lua(x) for x in r)
            return rt.from_lua(r)
        tk = rt._tkeys
        mask = 0
        bit = 1
        conv = []
        for a in args:
            if type(a) in tk:
                mask |= bit
                conv.append(id(a))
            else:
                conv.append(rt.to_lua(a))
            bit <<= 1
        stack = rt._lcall_args
        stack.append(args)
        try:
            r = rt._lcall(self._f, mask, *conv)
        finally:
            stack.pop()
        if type(r) is tuple:
            fl = rt.from_lua
            return tuple([x.o if type(x) is Ref else fl(x) for x in r])
        if type(r) is Ref:
            return r.o
        return rt.from_lua(r)

    def __repr__(self):
        return "<Lua function>"

    def _t7_elementwise(self, t, sources, ffi=False):
        """Tensor:apply/map/map2 with this function, looped in Lua (bridge.lua's elemloop) over
        t and the map's source tensors, each in its own memory and order, storing results as
        FFInterface.lua's loops do (ffi) or as Tensor.c's; False where it cannot (no ffi, an
        element type ffi lacks: then Python loops)."""
        loop = self._rt.H.elemloop
        if not loop:
            return False
        lua = self._rt.lua
        from torch7py.messages import lua_position
        from torch7py.tensor import _FFI_LINES, _FFI_REAL
        args = [_FFI_REAL.get(t.typename, "double") if ffi else False,
                lua_position("torch/FFInterface.lua:%d" % _FFI_LINES[len(sources)][2])]
        for o in (t,) + tuple(sources):
            ctype = _CTYPES.get(o.dtype.str[1:])
            if ctype is None or not o.dtype.isnative or o._storage is None:
                return False
            data = o._storage._data
            args += [ctype, data.ctypes.data + o._offset * data.itemsize,
                     lua.table(*o._size), lua.table(*o._stride)]
        if loop(self._f, t.nElement(), *args) is False:
            from torch7py.storage import TorchError
            raise TorchError("given function should return a number or nil")
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
        self._rt.note_own_bytecode(code)
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


# operands without a metatable of luaT's: Lua's numbers, booleans, nil, plain tables (a string
# has one, the string library's, without luaT's operators: op below; bridge.lua asks a string's
# metatable, or a table's, first)
_PLAIN_OPERANDS = (int, float, bool, type(None), list, tuple, dict, LuaTableMapping)


def _is_lua_function(x):
    """A function (no metatable: luaT asks the other operand's class)."""
    return type(x).__name__ in ("LuaFunction", "_LuaFunction", "_LuaCoroutineFunction",
                                "function", "builtin_function_or_method")


def _luat_op(f, dunder=None):
    """Python's operator f, or _Ops.NOOP where the class luaT asks has no such operator:
    bridge.lua then raises luaT's 'both A and B have no ... operator'. luaT_mt__add asks the
    first operand's class when it has one (a number, a string, a plain table has none), and
    only that class (storage + tensor fails, where Python would try the tensor's __radd__);
    Python's own TypeError at the operator itself (not one raised inside a class's method)
    is the same answer."""
    def op(*args):
        a = args[0]
        if dunder is not None and isinstance(a, str):
            return _Ops.NOOP  # a string's metatable (the string library's) has no __add__...
        if dunder is not None and not isinstance(a, _PLAIN_OPERANDS) and \
                not _is_lua_function(a) and getattr(type(a), dunder, None) is None:
            return _Ops.NOOP
        try:
            return f(*args)
        except TypeError as e:
            if e.__traceback__.tb_next is None and str(e).startswith(
                    ("unsupported operand type", "bad operand type")):
                return _Ops.NOOP
            raise
    return staticmethod(op)


class _Ops:
    """Python operators behind the Lua metamethods."""

    NOOP = "\0luaT: no such operator"
    add = _luat_op(operator.add, "__add__")
    sub = _luat_op(operator.sub, "__sub__")
    mul = _luat_op(operator.mul, "__mul__")
    div = _luat_op(operator.truediv, "__truediv__")
    mod = _luat_op(operator.mod, "__mod__")
    pow = _luat_op(operator.pow, "__pow__")
    unm = _luat_op(operator.neg, "__neg__")
