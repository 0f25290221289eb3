"""The Lua layer: a LuaJIT runtime in which `require 'torch'`/'nn'/'optim' are torch7py."""
import ctypes
import os
import sys
import types
import weakref

from lupa import luajit21 as _lupa

from .luavalues import (_CODEC, EmptyTable, _KeyBox, LuaError, LuaFunction, LuaList, LuaMethod,
                        LuaSyntaxError, LuaTableMapping, _Ops, Ref, _same_items)
from .luavalues import lua_message  # noqa: F401  (th, suite, parity import it from here)
from .bridgecalls import _C_OBJECTS, BridgeCalls
from .torchcalls import TorchCalls
from torch7py import messages
from torch7py.storage import GEOM_EPOCH


_HERE = os.path.dirname(os.path.abspath(__file__))
_TVIEW_MAX = 64  # bridge.lua's TVIEW_MAX: tview sends the items of lists up to this long


def _read(name):
    with open(os.path.join(_HERE, name), encoding="utf-8") as f:
        return f.read()


def _python_calls_on_main(lua):
    """Make every call from Lua into Python run on the main Lua thread (_luamain.c says why:
    lupa anchors each Lua value it hands Python in the lua_State that was running, and a
    coroutine's is freed with the coroutine; dropping the value later was a SIGSEGV). Wraps
    the C functions of lupa's metatable of Python objects, the way Lua reaches Python (and
    the closures of lupa's python.as_function). Without the C extension (no compiler) nothing
    changes: bridge.lua's field pins and torch.lua's coroutine sentinels still cover a
    module's fields."""
    try:
        from . import _luamain
        _luamain.bind(_lupa.__file__)
    except (ImportError, OSError):  # (no compiler, or a lupa that does not export Lua's API)
        return False
    lua.eval("""function(o, path)
        local wrap = assert(package.loadlib(path, 'luaopen_luamain'))()
        local mt = getmetatable(o)
        for k, f in pairs(mt) do
           if k ~= '__gc' and type(f) == 'function' then mt[k] = wrap(f) end
        end
        -- lupa's python.as_function(obj): a C closure that calls obj itself
        local asf = python and python.as_function
        if asf then python.as_function = function(o) return wrap(asf(o)) end end
    end""")(object(), _luamain.__file__)
    return True


class LuaRuntime(BridgeCalls, TorchCalls):
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
        _python_calls_on_main(lua)
        self._TableType = type(lua.eval("{}"))
        self._FunctionType = type(lua.eval("print"))
        self._UserdataType = type(lua.eval("newproxy()"))
        self._templates = {}
        self._tmplkey = {}  # class -> index of its proxy template in Lua's TEMPLATES
        self._tkeys = {}  # the same, for the classes whose objects to_lua turns into proxies
        self._keys = weakref.WeakValueDictionary()
        self._class_edits = []  # (class, name, old value): see undo_class_edits
        # handle -> (static attribute, function) of a class function Lua read as cls.k (its
        # Lua closure may be written back), kept alive so that the ids in the keys stay valid
        self._class_fns, self._class_fn_keys = [], {}
        self._lua_class_fields = set()  # (class, name) of non-function fields Lua set on a class
        self._pending = []  # lists made from the table arguments of the coming call
        self._held = [None]  # the object of the last (WRAPID, id) result
        self._lcall_args = []  # the arguments of the Python-to-Lua calls in progress
        self._snap, self._snap_limit = {}, 1024  # id(list) -> its items when it last crossed
        self.pending_exit = None
        self._classproxies = {}
        self._shadowed = {}  # class -> names of its methods that some object has as a field
        B = lua.table()
        for name in ("call", "wrap", "fromfunc", "idxlist", "index_miss", "setfield",
                     "tget", "tgetv", "tset", "tsetv", "tgetk", "tsetk", "fieldkeys", "len",
                     "class_index", "class_setattr", "tostring", "wrapcall", "take", "objarg",
                     "newbare", "no_constructor", "geom", "mkview", "lua_hook"):
            B[name] = getattr(self, "_b_" + name)
        B.epoch = ctypes.addressof(GEOM_EPOCH)  # (bridge.lua's geometry cache)
        B.fromtable = self._b_fromtable_lua
        B.negzero = Ref(-0.0)  # what a Lua -0.0 argument becomes (bridge.lua's U)
        ops = lua.table()
        for name in ("add", "sub", "mul", "div", "mod", "pow", "unm", "NOOP"):
            ops[name] = getattr(_Ops, name)
        B.ops = ops
        H = self._exec_internal("bridge.lua", B)
        self.H = H
        self.ERR = H.ERR
        self._WRAP, self._SELF, self._NOTHING = H.WRAP, H.SELF, H.NOTHING
        self._WRAPID, self._MULTI = H.WRAPID, H.MULTI
        self._cache = H.CACHE
        self._pyobj = H.PYOBJ
        self._lists = H.LISTS
        self._tbl2py = H.TBL2PY
        messages.LUA_TABLE_OWNERS.add(self)  # (torch7py asks it whether a list is a table)
        self._mkproxy = H.mkproxy
        self._mkfunc_lua = H.mkfunc
        self._newclass = H.newclass
        self._newclassproxy = H.newclassproxy
        self._newlisttable = H.newlisttable
        self._filltable = H.filltable
        self._plaintable = H.plaintable
        self._forgetmap = H.forgetmap
        self._tview = H.tview
        self._reglist = H.reglist
        self._lcall = H.lcall
        self._newlist = H.newlist
        self._filldict = H.filldict
        self._tableinfo = H.tableinfo
        self._infoof = H.infoof
        self._isempty = H.isempty
        self._tblid = H.tblid
        self._negzeros = H.negzeros
        self._isnegzero, self._hasnegzero = H.isnegzero, H.hasnegzero
        self._tblobjs = {}
        from . import luaclass
        self.classes = luaclass.ClassRegistry(self)
        B.set_method = self.classes.set_method
        from torch7py.serialization import objects as _objects
        _objects.list_memo_key = self._list_memo_key
        self._objects = _objects
        self._field_lists = {}  # id(list) -> its table's id, for lists a LuaList replaced
        P = lua.table()
        for name in dir(self):
            if name.startswith("_p_"):
                P[name[3:]] = getattr(self, name)
        P.ERR = self.ERR
        from torch7py.messages import LUA_PREFIX, XLUA_ERROR_WHERE
        P.lua_prefix = LUA_PREFIX  # where Torch7's Lua files are: their errors' positions
        P.xlua_error_where = XLUA_ERROR_WHERE
        self.globals = lua.globals()
        self.P = P
        from . import luajit  # Torch7's LuaJIT: pairs() order, printf rounding, LUA52COMPAT
        luajit.install_pairs(self)  # first: torch.lua's pairs/next build on it
        if getattr(self, "pairs_api", None) is not None:
            P.note_order = self.pairs_api.noteall  # the package tables' order for pairs
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
        conv, flat = self._conv, []
        for k, x in list(d.items()):
            if type(k).__name__ == "LuaKey":  # a table as a key: maybe d itself (t[t] = t)
                k = k.value
            flat.append(conv(k, memo))
            flat.append(conv(x, memo))
        if len(flat) < 4000:  # one call (LuaJIT's limit on a call's arguments is ~8000)
            self._filldict(t, *flat)
        else:
            for i in range(0, len(flat), 2):
                if flat[i] is not None:
                    t[flat[i]] = flat[i + 1]
        note = getattr(self, "pairs_note", None)
        if note is not None and len(flat) > 2:  # pairs() follows the order keys went in
            note(t, flat[0::2])
        return t

    def _list_template(self, cls):
        return self._templates.get(cls) or self._class_template(cls)

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

    def field_warning(self, text):
        """File.lua's `print` of a field it cannot write: the global print of the moment (th's
        is trepl's, a tab after the text; a script may have replaced it)."""
        self.globals.print("$ Warning: %s" % text)

    def _list_memo_key(self, lst):
        """A Python list mirrored by a Lua table whose live wrapper (LuaList) took its place in
        an object's field (a gModule's output, also its output node's data.input): one Lua table,
        so one object to torch.save and clone, as the wrapper's key says."""
        tid = self._field_lists.get(id(lst))
        if tid is None:
            return None
        t = self._lists[id(lst)]
        snap = self._snap.get(id(lst))
        # (the table is this list's, not a dead list's with the same id: they last agreed on
        # these very items)
        if t is None or snap is None or not _same_items(snap, lst) or self._tblid(t) != tid:
            return None
        return ("table", tid)

    def stands_for_table(self, lst):
        """Whether the Python list lst is the one that stands for a Lua table of this runtime
        (it crossed from Lua, as an argument of a call from Lua or a table's field)."""
        t = self._lists[id(lst)]
        return t is not None and self._tbl2py_get(t) is lst

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
        self._forgetmap(t)  # bridge.lua's MAPREF may hold t's previous mapping
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
        # luaT's metatable.new: every class's instances answer `new` (m.new(...) in net2net)
        if kind != "object" or issubclass(cls, _C_OBJECTS):
            # a C function there (Storage.c's, Tensor.c's, File's __new): luaL_argerror names
            # it as the call names it (T.new(...) 'new'; the constructor table's call '?')
            ctor = self._mkfunc_lua(*self._b_wrap(cls, ("new", 0)))
        else:
            ctor = self._mkfunc(cls)
        tmpl = self._newclass(Ref(cls), kind, self.typename_of_class(cls), ctor, luaclass)
        if kind == "object" and issubclass(cls, _C_OBJECTS):
            # a File's, Timer's, Generator's constructor table calls a C __new (bridge.lua)
            self._infoof(tmpl).cnew = True
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
            p = self._newclassproxy(Ref(cls), info.ctor, info)  # Foo.new == obj.new
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

    def _list_to_table(self, lst, memo=None, newest=False):
        # newest: Python's list is the newer whatever the snapshot says (see bridgecalls' conv)
        lid = id(lst)
        t = self._lists[lid]
        if t is not None and self._tbl2py_get(t) is not lst:
            # the table of a dead list whose id this list reuses (Lua still holds the table,
            # e.g. an unfinished pairs() over an object's keys): this list needs its own
            t = None
        if t is None:
            if len(lst) < 4000 and not any(type(x) in (list, tuple, dict) for x in lst):
                # no item can lead back to lst: the items first, then table and proxy at once
                conv = self.to_lua
                t = self._newlist(Ref(lst), self._list_template(type(lst)), lid,
                                  *[conv(x) for x in lst])
                if memo is not None:
                    memo[lid] = t
                self._remember(lst)
                if type(lst) is not list and hasattr(lst, "_lua_hash_part"):
                    self._fill_hash_part(t, lst)
                return t
            t = self._newlist(Ref(lst), self._list_template(type(lst)), lid)
            old = 0
        else:
            snap = None if newest else self._snap.get(lid)
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
        if type(lst) is not list and hasattr(lst, "_lua_hash_part"):
            self._fill_hash_part(t, lst)
        return t

    def _fill_hash_part(self, t, lst):
        """A list that stands for a table with another part too (graph's nodes: t[node] = i)
        gives the table those keys."""
        conv = self.to_lua
        for k, v in lst._lua_hash_part():
            t[conv(k)] = conv(v)

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
        tr = type(r)
        if tr is list or tr is EmptyTable:
            self._pending.append(r)
        elif tr is LuaTableMapping:
            return Ref(r), True  # bridge.lua keeps the Ref for the table's next crossing
        return Ref(r)

    def _fix_negzeros(self, t, n, lst):
        """lupa reads a Lua -0.0 as the int 0: the table's -0.0 items become -0.0 again."""
        for v in lst:
            if type(v) is int and v == 0:
                for i in self._negzeros(t, n).values():
                    lst[i - 1] = -0.0
                return

    def _b_fromtable(self, t, memo=None):
        # one Lua call (bridge.lua's tview) tells the table's Python object, its shape and,
        # for a short list, its items
        r = self._tview(t)
        ref, tid, n, islist = r[0], r[1], r[2], r[3]
        if ref is not False:
            known = ref.o
        elif tid is not False:
            w = self._tblobjs.get(tid)
            known = None if w is None else w()
        else:
            known = None
        items = r[4:] if islist and n <= _TVIEW_MAX else None
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
                self._fill_from(known, t, n, items, memo)
                self._remember(known)
                return known
            if tk is LuaTableMapping and not islist:
                return known
            if tk is EmptyTable and n == 0 and not islist:
                if r[4]:
                    return known
            if isinstance(getattr(tk, "typename", None), str):
                return known  # a table that stands for a torch object (torch.setmetatable)
        if islist:
            lst = []
            self._reglist(t, Ref(lst), self._list_template(list), id(lst))
            memo = {} if memo is None else memo
            memo[id(lst)] = lst
            self._fill_from(lst, t, n, items, memo)
            self._remember(lst)
            return lst
        if r[4]:
            m = EmptyTable(t, self)
        else:
            m = LuaTableMapping(t, self)
        self._tbl2py_set(t, m)
        return m

    def _fill_from(self, lst, t, n, items, memo):
        """lst[:] = the Python values of t[1..n]; items: tview's items when it sent them."""
        if items is not None:
            fl = self._from_lua_m
            lst[:] = [x.o if type(x) is Ref else fl(x, memo) for x in items]
            return
        lst[:] = [self._from_lua_m(t[i], memo) for i in range(1, n + 1)]
        self._fix_negzeros(t, n, lst)

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
        # while Lua runs, File.lua's field warnings are its print; Python's saves warn
        objects = self._objects
        warn, objects.field_warning = objects.field_warning, self.field_warning
        try:
            r = tb(f)
        finally:
            objects.field_warning = warn
        self._held[0] = None  # the last result found by id (see BridgeCalls._b_take)
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
