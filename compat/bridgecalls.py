"""The Python half of bridge.lua's calls (LuaRuntime's B.* callbacks)."""
import inspect
import re
import sys
import types

import numpy as np

from torch7py import luacall, messages
from torch7py.fieldorder import never_set, note_cleared
from torch7py.luaorder import fields_order
from torch7py.random import Generator
from torch7py.serialization.files import File
from torch7py.timer import Timer
from torch7py.luaresults import NoResults, WithMore
from torch7py.storage import Storage
from torch7py.tensor import (_TENSOR_LUA_FUNCTIONS, Tensor, TorchError, _scalar,
                            _tensor_lua_nontensor)

from .callconv import class_fitter, fitter, returns_nothing
from .luavalues import (EmptyTable, _FUNC_TYPES, lua_message, LuaError, LuaFunction, LuaList,
                        LuaMethod, LuaTableMapping, _MISSING, _py_message, Ref, _same_items, _u,
                        _with_notes, carries_position)

try:  # the geometry of an index table in C (a Lua loop's t[{i, {j}, ...}]); _flat_geom else
    from torch7py._exact import flat_geom as _c_flat_geom
except ImportError:  # built without the C extension
    _c_flat_geom = None

_F64 = np.dtype(np.float64)
_F16 = np.dtype(np.float16)
_NODICT = {}
_NOSET = frozenset()
_OPERATOR_ALIASES = {"__unm__": "__neg__", "__div__": "__truediv__"}
_TABLE_OBJECTS = {}  # class -> its objects are tables in Torch7 (not userdata): index_miss
_C_OBJECTS = (File, Timer, Generator)  # the userdata classes besides tensors and storages

# luaL_argerror's text as torch7py raises it (see BridgeCalls._fail_c and bridge.lua's argerror)
_ARGERR = re.compile(r"bad argument #(\d+) to '([^']*)' \(")
# the Tensor/Storage methods that torch7's Tensor.lua writes in Lua (they raise with error());
# every other method of theirs is a C function (Tensor.c, Storage.c, TensorMath's cwrap).
# apply/map/map2 count as C functions: FFInterface.lua's Lua wrappers tail-call Tensor.c's
# for a tensor that is not contiguous, and LuaJIT names a tail-called function after the
# call site (x:apply('x') is "bad argument #1 to 'apply'", its THError at the caller's line)
_LUA_METHODS = frozenset((
    "type", "typeAs", "byte", "char", "short", "int", "long", "float", "double", "half",
    "real", "expand", "expandAs", "repeatTensor", "view", "viewAs", "split", "chunk",
    "totable", "permute", "__tostring__", "__tostring"))


# File.lua's methods of torch.File (the others are File.c's, DiskFile.c's, MemoryFile.c's)
_LUA_FILE_METHODS = frozenset((
    "writeBool", "readBool", "isWritableObject", "referenced", "isReferenced", "writeObject",
    "readObject"))


def _is_cfunc(cls, k):
    """(k, 1, the class luaT_checkudata wants as self, whether it checks self first) when
    method k of cls is a C function in Torch7 (a Tensor's, a Storage's, a File's, a Timer's),
    else None."""
    if k not in _LUA_METHODS and issubclass(cls, (Tensor, Storage)):
        # torch7py names a method in its x:k() form (self not counted)
        return k, 1, cls, False
    if issubclass(cls, _C_OBJECTS) and k not in _LUA_FILE_METHODS and not k.startswith("_"):
        for c in cls.__mro__:  # the class whose metatable holds k (torch.File's readDouble)
            if k in c.__dict__:
                return k, 1, c, True
    return None


# the functions of the torch table that are C functions there, called directly (random.lua's
# random__ and utils.c's torch_utils__ lists; the others are Lua, or TensorMath's dispatchers,
# which lua_call the method: '?')
_TORCH_CFUNCS = frozenset((
    "seed", "initialSeed", "manualSeed", "getRNGState", "setRNGState", "setnumthreads",
    "getnumthreads", "getnumcores", "tic", "toc", "pointer", "setheaptracking"))


# TensorMath's cwrap methods (and two of Tensor.c's) that torch7py's Tensor base class defines
# once for every type:
# cwrap's method in a type's table takes a tensor of that type as self, and any other first
# argument (torch.DoubleTensor.fill(3), or a FloatTensor) matches none of its forms (%s: the
# type's name, %r: its real's C type)
_CWRAP_SELF_FORMS = {
    "fill": "*%s* %r", "zero": "*%s*", "numel": "%s",
    "squeeze": "[*%s*] %s | [*%s*] %s index",
    "zeros": "*%s* " + messages.LONG_ARG, "ones": "*%s* " + messages.LONG_ARG,
    "reshape": "[*%s*] %s " + messages.LONG_ARG,
    # Tensor.c's, whose luaT_checkudata of self comes first (torch7py's accept any tensor)
    "free": None, "retain": None,
}
_self_checked = {}


def _cwrap_self_checked(cls, k, f, form):
    """f, cls's method k, behind cwrap's check that its first argument is a cls tensor."""
    tn = cls.__name__
    expected = form and form.replace("%s", tn).replace(
        "%r", messages.REAL_CTYPE[tn[:-len("Tensor")]])

    def method(*args):
        if not args or not isinstance(args[0], cls):
            if form is None:  # Tensor.c's luaT_checkudata: _fail_c gives its text
                raise TorchError("luaT_checkudata")
            raise TorchError(messages.invalid_arguments(args, [expected]))
        return luacall.call(f, *args)
    method.__name__ = method.__qualname__ = k
    if returns_nothing(f):  # (free, retain: no value, as f's None)
        method.none_is_no_value = True
    return method


# Tensor.lua's functions that torch7py writes as methods: a first argument that is no tensor
# (torch.DoubleTensor.viewAs(3)) runs the Lua up to its error (tensor._tensor_lua_nontensor;
# the torch.X forms' list, and Tensor.totable, which torch.totable is not)
_TENSOR_LUA_SELF = frozenset(_TENSOR_LUA_FUNCTIONS + ("totable",))


def _tensor_lua_self_checked(k, f):
    def method(*args):
        if args and isinstance(args[0], Tensor):
            return luacall.call(f, *args)
        # (it raises the error the Lua's first line with no tensor raises)
        _tensor_lua_nontensor(k, args[0] if args else None, args[1:])
    method.__name__ = method.__qualname__ = k
    return method


def _lua_method_of(cls, k):
    """The function Lua finds as cls's method k: m:__call__ is the one a Lua call of m runs
    (nngraph's init.lua replaces nn.Module's and nn.Criterion's __call__ when loaded:
    _t7_lua_call), else cls's own."""
    if k == "__call__":
        lua_call = getattr(cls, "_t7_lua_call", None)
        if lua_call is not None:
            return lua_call
    if k in _CWRAP_SELF_FORMS and issubclass(cls, Tensor) and cls.__name__.endswith("Tensor") \
            and cls.__name__[:-len("Tensor")] in messages.REAL_CTYPE:
        w = _self_checked.get((cls, k))
        if w is None:
            w = _self_checked[(cls, k)] = _cwrap_self_checked(cls, k, getattr(cls, k),
                                                             _CWRAP_SELF_FORMS[k])
        return w
    if k in _TENSOR_LUA_SELF and issubclass(cls, Tensor):
        w = _self_checked.get((cls, k))
        if w is None:
            w = _self_checked[(cls, k)] = _tensor_lua_self_checked(k, getattr(cls, k))
        return w
    return getattr(cls, k)


def _absent_in_lua(cls, k, sv):
    """Whether method k of cls (sv, the function getattr_static found) is Python API that the
    Torch7 class lacks: named in cls._py_only, or a base class's fallback marked _t7_absent
    (nn.Module's __tostring__: Lua reads nil there unless a class below defines its own)."""
    return k in getattr(cls, "_py_only", _NOSET) or getattr(sv, "_t7_absent", False)


def torch_cfunc(k):
    """The _b_wrap flag of torch.k: (k, 0) for a C function of torch's own table."""
    return (k, 0) if k in _TORCH_CFUNCS else None


# The __len that nn's Lua sources define on a class's own metatable (Sequential.lua,
# ClassNLLCriterion.lua, BCECriterion.lua, SpatialClassNLLCriterion.lua): luaT gives every new
# metatable its own __len (luaT_mt__len), so a subclass does not inherit these
_OWN_LEN = {
    "nn.Sequential": lambda o: len(o.modules),   # #self.modules
    "nn.ClassNLLCriterion": lambda o: _weights_len(o),
    "nn.SpatialClassNLLCriterion": lambda o: _weights_len(o),
    "nn.BCECriterion": lambda o: _weights_len(o),
}


def _weights_len(o):
    """The criterions' `self.weights and #self.weights or 0`: # of a tensor is its sizes."""
    w = getattr(o, "weights", None)
    return 0 if w is None else w.size() if isinstance(w, Tensor) else len(w)


def _t7_len(obj, name):
    """Torch7's `#obj` for an object (of class name) that is no Tensor or Storage: what its
    class's own __len returns, else luaT_mt__len's error (luaT.c: no __len__ along the
    metatables)."""
    own = _OWN_LEN.get(name)
    if own is None:
        raise TorchError("%s has no length operator" % (name or "(null)"))
    return own(obj)


def _flat_key(flat):
    """The index tuple of bridge.lua's flat key: (i, None) a number, (False, False) {},
    (i, j) the range {i, j}."""
    key = []
    for i in range(0, len(flat), 2):
        a, b = flat[i], flat[i + 1]
        key.append(a if b is None else [] if a is False else [a, b])
    return tuple(key)


def _static_has(cls, k):
    """Whether inspect.getattr_static(cls, k) can find k: in the dict of a class along cls's
    MRO or its metaclass's (what getattr_static walks), read afresh at every call so that a
    class that gains k later (a Lua script's method, an import's) is seen at once."""
    for c in cls.__mro__:
        if k in c.__dict__:
            return True
    for c in type(cls).__mro__:
        if k in c.__dict__:
            return True
    return False


def _flat_geom(o, flat):
    """The geometry of tensor o indexed by bridge.lua's flat key, as Tensor._resolve computes it,
    without building the key: (storage position, None, None) for an element, (offset, sizes,
    strides) for a view, o itself for a key of {} only, None for anything else (a float, an
    index out of range, too many entries: the general path raises Torch7's errors)."""
    size = o._size
    nk = len(flat) >> 1
    nd = len(size)
    if nk > nd or nk == 0:
        return None
    stride = o._stride
    off = o._offset
    nsize = []
    nstride = []
    plain = True  # only {} entries so far
    for d in range(nk):
        a = flat[2 * d]
        b = flat[2 * d + 1]
        n = size[d]
        if b is None:  # a number: select
            if type(a) is not int:
                return None
            if a < 0:
                a += n + 1
            if a < 1 or a > n:
                return None
            off += (a - 1) * stride[d]
            plain = False
        elif a is False:  # {}: the whole dimension
            nsize.append(n)
            nstride.append(stride[d])
        else:  # {lo, hi}
            if type(a) is not int or type(b) is not int:
                return None
            if a < 0:
                a += n + 1
            if b < 0:
                b += n + 1
            if a < 1 or a > n or b < a or b > n:
                return None
            off += (a - 1) * stride[d]
            nsize.append(b - a + 1)
            nstride.append(stride[d])
            plain = False
    if plain:
        return o
    if not nsize and nk == nd:  # a number per dimension: the element
        return off, None, None
    if nk < nd:
        nsize.extend(size[nk:])
        nstride.extend(stride[nk:])
    return off, nsize, nstride


def _geom(o, flat):
    """_flat_geom(o, flat), from C where built."""
    if _c_flat_geom is None:
        return _flat_geom(o, flat)
    g = _c_flat_geom(o._size, o._stride, o._offset, flat)
    if g is None or type(g) is tuple:
        return g
    if g is True:
        return o
    return g, None, None


class BridgeCalls:
    """LuaRuntime's callbacks that bridge.lua calls (B.*): calls of Python functions and
    methods from Lua, table and field access on proxies, class edits, len and tostring."""

    def _b_fromfunc(self, f):
        return LuaFunction(f, self)

    def _b_idxlist(self, t):
        fl = self.from_lua
        n = len(t)
        return [fl(t[i]) for i in range(1, n + 1)]

    # -- calls -------------------------------------------------------------------------------
    def _fail(self, e, *_first):
        if not isinstance(e, Exception):  # SystemExit (os.exit, CmdLine), KeyboardInterrupt
            self.pending_exit = e
            return self.ERR, "exit", True
        if isinstance(e, LuaError):
            msg = lua_message(e)
            v = self.H.takeerr(msg)  # a table error value, which lupa's text lost
            if v is not None:
                if v == self.H.NILERR_TEXT:  # error() or error(nil): nil again in Lua
                    return self.ERR, None, True
                return self.ERR, v, True
            t7 = getattr(e, "torch7_message", None)  # a message rebuilt on its way (nngraph's)
            if t7 is not None:
                return self.ERR, t7, True
            out = _with_notes(e, msg)
            if out == msg:
                # its frames at the failure, for a traceback of it in Lua (bridge.lua)
                raw = str(e.args[0]) if e.args else ""
                i = raw.rfind("\nstack traceback:\n")
                if i >= 0 and raw.startswith(msg):
                    self.H.noteinner(msg, raw[i + len("\nstack traceback:\n"):])
            return self.ERR, out, True
        # Lua's assert(v, msg) raises msg as it is, without the caller's file:line (a failed
        # Torch7 assert is torch7py.nn.utils.TorchAssertionError, a TorchError and an
        # AssertionError: tested so, without importing nn at th's start)
        # (torch7_plain: raised again with level 0, as nngraph's debug handler does)
        # (carries_position: Torch7's Lua code raised it, its message starts with that place)
        # (lua_where "": raised by C under C, without a position: messages.from_c)
        msg = _py_message(e)
        if getattr(e, "lua_cfunc", False):
            # a C function's luaL_argerror ("to '?'"): bridge.lua names it as LuaJIT does
            return self.ERR, msg, False, True
        return self.ERR, msg, isinstance(e, AssertionError) and isinstance(
            e, TorchError) or getattr(e, "torch7_plain", False) or carries_position(msg) \
            or getattr(e, "lua_where", None) == ""

    def _fail_c(self, e, cfunc, first=()):
        """_fail for function k that Torch7 implements in C (cfunc: k and 1 for a method): its
        luaL_argerror message is flagged for bridge.lua to name as LuaJIT does. torch7py writes
        it "#n to '?'" (n counts self), or as Lua's usual call of k names it: "#n-1 to 'k'" for
        a method (x:size(d)), "#n to 'k'" for a torch.k function (torch.setRNGState). first:
        the call's first argument (none when absent); a method's cfunc also names the class
        its luaT_checkudata wants there, and whether that check comes first (File, Timer:
        always; a Tensor's cwrap methods check their self with the other arguments: their
        "invalid arguments" stays, and so does the error of a form without self that matched,
        marked self_checked: torch.DoubleTensor.bernoulli(3) is torch.bernoulli(3))."""
        k, self_arg = cfunc[0], cfunc[1]
        if len(cfunc) > 2 and not (first and isinstance(first[0], cfunc[2])) and (
                cfunc[3] or not (str(e).startswith("invalid arguments")
                                 or getattr(e, "self_checked", False)
                                 or getattr(e, "lua_text", False))):
            # luaT_checkudata(L, 1, tname) failed before the C function did anything
            return (self.ERR, "bad argument #1 to '?' (%s)" % self._typerror(cfunc[2], first),
                    False, True)
        r = self._fail(e)
        if r[2] is not False:
            return r
        m = _ARGERR.match(r[1])
        if m is None or getattr(e, "lua_text", False):
            # (lua_text: a message that Lua code wrote whole, FFInterface.lua's checkArgument
            # "bad argument #1 to 'map'", which a C function's caller line precedes)
            return r
        if m.group(2) == k:
            n = int(m.group(1)) + self_arg
            return (r[0], "bad argument #%d to '?' (%s" % (n, r[1][m.end():]), False, True)
        if m.group(2) == "?":
            return r + (True,)
        return r

    def _typerror(self, cls, first):
        """luaT_typerror's text for argument 1: '<tname> expected, got <luaT's typename of the
        value>', or lua_typename(L, 1) (luaT passes the index as a type code: 'boolean') for a
        value without one."""
        x = first[0] if first else None
        got = None
        if isinstance(x, (Tensor, Storage) + _C_OBJECTS) or (
                not isinstance(x, type) and isinstance(getattr(type(x), "typename", None), str)):
            got = self.typename_of(x)
        return "%s expected, got %s" % (self.typename_of_class(cls), got or "boolean")

    def _b_call(self, f, *args):
        try:
            r = f(*[_u(a) for a in args])
        except BaseException as e:
            return self._fail(e)
        tr = type(r)
        if tr is float or tr is int or tr is bool or r is None:
            return r
        if tr is WithMore:  # a number and more values after it
            r, tr = (float(r),) + r.more, tuple
        if tr is tuple:
            conv = self.to_lua
            return tuple(conv(x) for x in r)
        if tr is NoResults:  # a bare Lua return: no values
            return self._NOTHING
        return self.to_lua(r)

    def _b_wrap(self, f, cfunc=None):
        """f as Python closures for 0, 1, 2, 3 and any number of arguments: each unwraps Refs,
        and reports an exception as (ERR, message, plain).  A result that is the first
        argument comes back as SELF (Lua returns its own first argument); an object of a
        proxied class as (WRAP, Ref, template key, id) for Lua to find or make its proxy.
        The bodies repeat on purpose: this is the hot path of every call from Lua, and a
        shared helper for the argument/result handling costs one more Python call each time."""
        to_lua, fail, R = self.to_lua, self._fail, Ref
        if cfunc:  # a C function of Torch7: luaL_argerror names it (the error path only)
            def fail(e, *first):
                return self._fail_c(e, cfunc, first)
        WRAP, SELF, tkeys = self._WRAP, self._SELF, self._tkeys
        WRAPID, held, rc, MULTI = self._WRAPID, self._held, sys.getrefcount, self._MULTI
        FT, LF, rt = self._FunctionType, LuaFunction, self
        pending, sync = self._pending, self._sync_args
        f = _u(f)
        # Lua's calling convention (compat/callconv.py): each closure calls f through the
        # fitter for its argument count, which is f itself whenever the count fits
        fit = class_fitter if isinstance(f, type) else fitter
        f0, f1, f2, f3, fv = (fit(f, n) for n in (0, 1, 2, 3, None))
        # a function that never returns a value returns nothing to Lua, not one nil
        none = self._NOTHING if returns_nothing(f) else None
        # a method whose Lua original ends in a tail call `return self:NAME(...)` (Module's
        # forward): its None is what self's NAME gave, no value where NAME returns none (a
        # script's Lua method, whose nothing and nil Python cannot tell apart: nothing is the
        # usual case, an updateOutput that only sets self.output)
        tail = getattr(f, "lua_tail_call", None)
        if tail is not None:
            def tail_none(obj, _nothing=self._NOTHING):
                m = getattr(obj, tail, None)
                g = getattr(m, "__func__", m)
                if getattr(g, "lua_written", False) or isinstance(g, LuaFunction):
                    return _nothing
                if getattr(g, "__code__", None) is not None and returns_nothing(g):
                    return _nothing
                return None

        NOTHING = self._NOTHING

        plain = self._plain_list

        def conv(r, owner=None):
            if type(r) is WithMore:  # a number and more values after it
                r = (float(r),) + r.more
            if type(r) is tuple:
                # several results: objects Lua may have proxies for go as ids (bit i of the
                # mask: result i), a fresh list that only the tuple holds (optim's {f(x)}) as
                # a plain table
                mask = 0
                bit = 1
                out = []
                for x in r:
                    tx = type(x)
                    if tx in tkeys and rc(x) > 3:  # held by more than r and x: maybe a Ref
                        mask |= bit
                        out.append(id(x))
                    elif tx is list and rc(x) == 3:
                        out.append(plain(x))
                    else:
                        out.append(to_lua(x))
                    bit <<= 1
                if mask and len(r) <= 50:
                    held[0] = r
                    return (MULTI, mask, *out)
                if mask:
                    return tuple([to_lua(x) for x in r])
                return tuple(out)
            if type(r) is list:
                if rc(r) == 3:  # the callee's fresh list: only r holds it
                    return plain(r)
                d = getattr(owner, "__dict__", None)
                if d is not None and (d.get("output") is r or d.get("gradInput") is r):
                    # a module's output/gradInput table, which its method has just rewritten
                    # (perhaps with the same items): the table follows the list, whatever
                    # the script did to the table since (table.remove on a gModule's output)
                    return rt._list_to_table(r, None, True)
            if type(r) is NoResults:  # a bare Lua return: no values
                return NOTHING
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
                if rc(r) > 2:
                    held[0] = r
                    return WRAPID, id(r)
                return WRAP, R(r), k, id(r)
            return conv(r)

        def d1(a):
            if type(a) is R:
                a = a.o
            elif type(a) is FT:
                a = LF(a, rt)
            mine = None
            if pending:  # the tables among the arguments (see _sync_args)
                mine = pending[:]
                del pending[:]
            try:
                r = f1(a)
            except BaseException as e:
                return fail(e, a)
            if mine:
                sync(mine)
            if r is None:
                return none if tail is None else tail_none(a)
            tr = type(r)
            if tr is float or tr is int or tr is bool:
                return r
            if r is a:
                return SELF
            k = tkeys.get(tr)
            if k is not None:
                if rc(r) > 2:
                    held[0] = r
                    return WRAPID, id(r)
                return WRAP, R(r), k, id(r)
            return conv(r, a)

        def d2(a, b):
            if type(a) is R:
                a = a.o
            elif type(a) is FT:
                a = LF(a, rt)
            if type(b) is R:
                b = b.o
            elif type(b) is FT:
                b = LF(b, rt)
            mine = None
            if pending:  # the tables among the arguments (see _sync_args)
                mine = pending[:]
                del pending[:]
            try:
                r = f2(a, b)
            except BaseException as e:
                return fail(e, a)
            if mine:
                sync(mine)
            if r is None:
                return none if tail is None else tail_none(a)
            tr = type(r)
            if tr is float or tr is int or tr is bool:
                return r
            if r is a:
                return SELF
            k = tkeys.get(tr)
            if k is not None:
                if rc(r) > 2:
                    held[0] = r
                    return WRAPID, id(r)
                return WRAP, R(r), k, id(r)
            return conv(r, a)

        def d3(a, b, c):
            if type(a) is R:
                a = a.o
            elif type(a) is FT:
                a = LF(a, rt)
            if type(b) is R:
                b = b.o
            elif type(b) is FT:
                b = LF(b, rt)
            if type(c) is R:
                c = c.o
            elif type(c) is FT:
                c = LF(c, rt)
            mine = None
            if pending:  # the tables among the arguments (see _sync_args)
                mine = pending[:]
                del pending[:]
            try:
                r = f3(a, b, c)
            except BaseException as e:
                return fail(e, a)
            if mine:
                sync(mine)
            if r is None:
                return none if tail is None else tail_none(a)
            tr = type(r)
            if tr is float or tr is int or tr is bool:
                return r
            if r is a:
                return SELF
            k = tkeys.get(tr)
            if k is not None:
                if rc(r) > 2:
                    held[0] = r
                    return WRAPID, id(r)
                return WRAP, R(r), k, id(r)
            return conv(r, a)

        def dv(*args):
            args = [a.o if type(a) is R else LF(a, rt) if type(a) is FT else a for a in args]
            mine = None
            if pending:  # the tables among the arguments (see _sync_args)
                mine = pending[:]
                del pending[:]
            try:
                r = fv(*args)
            except BaseException as e:
                return fail(e, *args[:1])
            if mine:
                sync(mine)
            if r is None:
                return none if tail is None else tail_none(args[0] if args else None)
            tr = type(r)
            if tr is float or tr is int or tr is bool:
                return r
            if args and r is args[0]:
                return SELF
            k = tkeys.get(tr)
            if k is not None:
                if rc(r) > 2:
                    held[0] = r
                    return WRAPID, id(r)
                return WRAP, R(r), k, id(r)
            return conv(r, args[0] if args else None)
        return d0, d1, d2, d3, dv

    def _plain_list(self, lst):
        """The Lua table of a list that nothing in Python holds (a fresh result): no Python
        object will see it again, so it needs none of _list_to_table's bookkeeping."""
        to_lua = self.to_lua
        vals = []
        for x in lst:
            tx = type(x)
            if tx is list or tx is tuple or tx is dict:
                return to_lua(lst)
            vals.append(to_lua(x))
        if len(vals) >= 4000:
            return to_lua(lst)
        return self._plaintable(*vals)

    def _b_newbare(self, cls):
        """An object of a Lua class before its __init (torch.class's constructor: a table
        with the class's metatable); bridge.lua's luanew then calls the Lua __init."""
        return cls.__new__(cls)

    def _b_objarg(self, i):
        """The object with id i among the arguments of the innermost LuaFunction call in
        progress (bridge.lua's lcall found no proxy for it)."""
        for a in self._lcall_args[-1]:
            if id(a) == i:
                return self._WRAP, Ref(a), self._tkeys[type(a)], i
        return self.ERR, "internal error: lost argument object", True

    def _b_take(self, i):
        """The object of the last (WRAPID, id) result, which Lua has no proxy for."""
        r = self._held[0]
        if type(r) is tuple:  # a (MULTI, mask, ...) result's objects
            for x in r:
                if id(x) == i:
                    return self._WRAP, Ref(x), self._tkeys[type(x)], i
            return self.ERR, "internal error: lost result object", True
        self._held[0] = None
        if id(r) != i:
            return self.ERR, "internal error: lost result object", True
        return self._WRAP, Ref(r), self._tkeys[type(r)], i

    def _b_wrapcall(self, obj):
        """A Lua call of an object: its class's _t7_lua_call when it has one (nngraph makes a
        module called from Lua build a node), else __call__."""
        o = _u(obj)
        lua_call = getattr(type(o), "_t7_lua_call", None)
        if lua_call is None and not callable(o):
            # luaT's __call of a class without __call__ (luaT_mt__call's luaL_error)
            text = "%s has no call operator" % getattr(o, "typename", type(o).__name__)

            def no_call(*_args):
                raise TorchError(text)
            return self._b_wrap(no_call)
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
        o = t.o
        if type(k) is int and isinstance(o, self._Storage):
            # s[i] in range (a legacy Lua loop over a storage): the element, without the
            # index's conversions
            d = o._data
            if 0 < k <= d.shape[0]:
                return d.item(k - 1)
        try:
            r = o[_u(k)]
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

    def _b_tgetk(self, t, *flat):
        """t[{...}] with bridge.lua's flat key (flatkey: pairs of numbers and markers)."""
        o = t.o
        tk = self._tkeys.get(type(o))
        if tk is not None and _c_flat_geom is not None and isinstance(o, self._Tensor) and \
                o._storage is not None:
            # _flat_geom's answer: None or True (only {}) for the general path below
            g = _c_flat_geom(o._size, o._stride, o._offset, flat)
            tg = type(g)
            if tg is int:
                return o._storage._data[g].item()
            if tg is tuple:
                r = type(o)._make(o._storage, *g)
                return self._WRAP, Ref(r), tk, id(r)
        elif tk is not None and isinstance(o, self._Tensor) and o._storage is not None:
            g = _flat_geom(o, flat)
            if g is not None and g is not o:
                off, size, stride = g
                if size is None:
                    return o._storage._data[off].item()
                r = type(o)._make(o._storage, off, tuple(size), tuple(stride))
                return self._WRAP, Ref(r), tk, id(r)
        try:
            r = o[_flat_key(flat)]
        except Exception as e:
            return self._fail(e)
        tr = type(r)
        if tr is float or tr is int:
            return r
        key = self._tkeys.get(tr)
        if key is not None:
            return self._WRAP, Ref(r), key, id(r)
        return self.to_lua(r)

    def _b_tsetk(self, t, v, *flat):
        o = t.o
        if isinstance(o, self._Tensor) and o._storage is not None:
            g = _geom(o, flat)
            if g is not None and g is not o:
                off, size, stride = g
                v = _u(v)
                try:
                    # Tensor.c's reading of the value after the key (Tensor._check_set_value)
                    o._check_set_value("pos" if size is None else "view", None, v)
                    if size is None:
                        o._storage._data[off] = _scalar(v, o)
                    else:
                        r = type(o)._make(o._storage, off, tuple(size), tuple(stride))
                        if isinstance(v, self._Tensor):
                            r.copy(v)
                        elif o.dtype == _F16:  # Tensor.c's __newindex__ (THError)
                            raise TorchError("fill on torch.HalfTensor not yet supported")
                        else:
                            r.fill(v)
                except Exception as e:
                    return self._fail(e)
                return
        try:
            o[_flat_key(flat)] = _u(v)
        except Exception as e:
            return self._fail(e)

    def _b_tset(self, t, k, v):
        o = t.o
        if type(k) is int and (type(v) is float or type(v) is int) and isinstance(
                o, self._Storage) and o.dtype == _F64:
            d = o._data  # s[i] = x in range of a DoubleStorage: C's double is the number itself
            if 0 < k <= d.shape[0]:
                d[k - 1] = v
                return
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
        table_obj = _TABLE_OBJECTS.get(cls)
        if table_obj is None:  # a userdata in Torch7 (a tensor, a Timer) has no fields
            table_obj = _TABLE_OBJECTS[cls] = not self._p_is_userdata(cls)
        if type(k) is str and table_obj and cls not in self._fieldtables:
            # the common case first: a field holding a number or a proxied object (net.output)
            v = getattr(obj, "__dict__", _NODICT).get(k, _MISSING)
            tv = type(v)
            if tv is float or tv is int or tv is bool:
                return False, v
            if tv in self._tkeys:
                if sys.getrefcount(v) > 3:  # held by a Ref: Lua may have its proxy
                    self._held[0] = v
                    return self._WRAPID, id(v)
                return False, self.proxy(v)
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
                    v = self._lua_init_of(cls)
                    if v is not _MISSING:  # a Lua class: its (or its Lua parents') __init
                        return False, v
                    k = "__init__"
                elif k == "readObject" and isinstance(obj, self._File):
                    return (True,) + self._b_wrap(self._lua_readObject)
                sv = None
                if _static_has(cls, k):  # a nil field's read (`self.x = self.x or ...`) skips
                    try:  # getattr_static, ten times the cost of the plain check
                        sv = inspect.getattr_static(cls, k)
                    except AttributeError:
                        pass
                if isinstance(sv, _FUNC_TYPES):
                    if _absent_in_lua(cls, k, sv) and not hasattr(sv, "_t7_lua_fn"):
                        # Python API that Torch7's class lacks: nil (a function the script
                        # put there under that name, a cutorch stand-in's Tensor:cuda, is its)
                        return False, None
                    return (True,) + self._b_wrap(_lua_method_of(cls, k), _is_cfunc(cls, k))
                if sv is None and k not in d:
                    if isinstance(obj, dict):
                        return False, self.to_lua(obj.get(k))
                    return False, None
            if self._p_is_userdata(cls):
                # a userdata has no fields (Python's attributes are none); luaT's __index
                # finds what Lua put in its metatables
                for c in cls.__mro__:
                    if (c, k) in self._lua_class_fields:
                        return False, self.to_lua(c.__dict__[k])
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
        if type(v) is list or hasattr(type(v), "_lua_hash_part"):  # (graph's node tables)
            t = self._list_to_table(v)
            lv = LuaList(t, self)
            if self._tbl2py_get(t) is not v:
                # (a list already held from Lua with this table keeps it: the list may be
                # held elsewhere too, as a Sequential's gradInput is its last module's, and
                # must find the same table at its next crossing)
                self._tbl2py_set(t, lv)
            d[k] = lv
            # v may be held elsewhere too (a gModule's output is its output node's
            # data.input): it and lv stay one table to torch.save and clone
            fl = self._field_lists
            if len(fl) > 4096:
                for i in [i for i in fl if self._lists[i] is None]:
                    del fl[i]
            fl[id(v)] = self._tblid(t)
            return t
        if type(v) is dict and live_dicts:
            t = self._dict_to_table(v)
            lm = LuaTableMapping(t, self)
            self._tbl2py_set(t, lm)
            d[k] = lm
            return t
        return self.to_lua(v)

    def _lua_init_of(self, cls):
        """obj.__init of an object of a Lua class (torch.class): the __init its class or its Lua
        parents define, nil where none does (luaT's __index finds nothing in the metatables);
        _MISSING for a class with a Python ancestor in between (its constructor answers)."""
        from .luaclass import LuaObject as _LuaObject
        for c in cls.__mro__:
            info = self.classes.info.get(c)
            if info is not None:
                v = info[1]["__init"]
                if v is not None:
                    return v
            elif c is _LuaObject:
                return None
            else:
                return _MISSING
        return _MISSING

    @staticmethod
    def _b_no_constructor(cls):
        """Whether the class has no constructor in Torch7 (luaT_newmetatable given none: its
        metatable holds no `new`): torch.File, torch.Allocator."""
        return bool(cls.o.__dict__.get("_t7_no_constructor", False))

    def _b_class_index(self, cls, k):
        cls = cls.o
        try:
            if k == "__init":
                from .luaclass import LuaObject as _LuaObject
                # Foo.__init of a Lua class is Foo's own (or its Lua parents') __init, found
                # from Foo, not from self's class: nn.A.__init(self) inside nn.B:__init
                # (B a child of A) must not call B's __init again
                for c in cls.__mro__:
                    info = self.classes.info.get(c)
                    if info is not None:
                        v = info[1]["__init"]
                        if v is not None:
                            return False, v
                    elif c is _LuaObject:  # no class up the chain has one: nil
                        return False, None
                    else:
                        cls = c  # the nearest Python ancestor's constructor
                        break
                k = "__init__"
            try:
                sv = inspect.getattr_static(cls, k)
            except AttributeError:
                return False, None
            lua_fn = getattr(sv, "_t7_lua_fn", None)
            if lua_fn is not None and lua_fn._rt is self:  # (not another runtime's)
                # a Lua function the script stored in the class: the same function comes
                # back, as from a Lua table (autobw saves nn.Module.forward, patches it,
                # then puts the saved value back)
                return False, self.to_lua(lua_fn)
            if isinstance(sv, _FUNC_TYPES):
                if _absent_in_lua(cls, k, sv):
                    return False, None
                # A handle per function: Lua gives every read of it one closure (in Torch7
                # nn.Linear.forward is nn.Module.forward, one Lua value), and a write of that
                # closure back puts sv itself back rather than a Python wrapper of a Lua
                # wrapper of sv (one more layer each time autobw's tape patches and restores)
                fn, cfunc = _lua_method_of(cls, k), _is_cfunc(cls, k)
                key = (id(sv), k, cfunc, id(fn))
                h = self._class_fn_keys.get(key)
                if h is None:
                    h = self._class_fn_keys[key] = len(self._class_fns)
                    self._class_fns.append((sv, fn))
                return (True,) + self._b_wrap(fn, cfunc) + (h,)
            return False, self.to_lua(getattr(cls, k))
        except Exception as e:
            return self.ERR, _py_message(e)

    def _b_class_setattr(self, cls, k, v, h=None):
        cls, v = _u(cls), _u(v)
        if h is not None:  # the Lua closure of a class function read earlier: that function
            v = self._class_fns[h][0]
        elif isinstance(v, LuaFunction):
            fn = v

            def method(self, *args):
                return fn(self, *args)
            method.__name__ = k
            method._t7_lua_fn = fn
            v = method
        if k == "__init":
            k = "__init__"
        self._class_edits.append((cls, k, cls.__dict__.get(k, _MISSING)))
        if v is None:  # cls.k = nil removes the field, as for a Lua table
            self._lua_class_fields.discard((cls, k))
            if k in cls.__dict__:
                delattr(cls, k)
            return
        if isinstance(v, _FUNC_TYPES):
            self._lua_class_fields.discard((cls, k))
        else:  # a value in the metatable (nn/THNN.lua's `mt.THNN = kernels`): objects see it
            self._lua_class_fields.add((cls, k))
        setattr(cls, k, v)
        # luaT's operators call the class's __unm__/__div__ (nngraph's `Module.__unm__ = ...`):
        # Python's operators read __neg__/__truediv__
        alias = _OPERATOR_ALIASES.get(k)
        if alias is not None and isinstance(v, _FUNC_TYPES):
            self._class_edits.append((cls, alias, cls.__dict__.get(alias, _MISSING)))
            setattr(cls, alias, v)

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
        self._lua_class_fields.clear()
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
            if tv is LuaTableMapping and type(k) is str:
                # `obj.modules = t` of the table the field's live list stands for (dpnn's
                # sharedClone writes each field back while it holds a hole): it stays that list
                cur = getattr(obj, "__dict__", {}).get(k)
                if type(cur) is LuaList and self._tblid(cur._t) == self._tblid(v._t):
                    return
            if tv is list or tv is EmptyTable:
                t = v._t if tv is EmptyTable else self._lists[id(v)]
                if t is not None:  # a Lua table: keep it live in the field
                    v = LuaList(t, self)
                    self._tbl2py_set(t, v)
            if self._p_is_userdata(type(obj)):
                # luaT_mt__newindex: a userdata has no fields (a Tensor's __newindex__ takes
                # numbers and index tables only, a Storage's numbers: any other key, a nil, a
                # boolean, a table for a storage, is no field either)
                raise TorchError("the class %s cannot be indexed" % self.typename_of(obj))
            is_method = type(k) is str and _static_has(type(obj), k) and isinstance(
                inspect.getattr_static(type(obj), k, None), _FUNC_TYPES)
            if is_method and v is None:
                # `m.updateOutput = nil` (optnet's clean-up of its wrappers) removes the
                # object's key: luaT's __index then finds the class's method again
                d = getattr(obj, "__dict__", None)
                if d is not None and not isinstance(obj, dict):
                    d.pop(k, None)
                    return
            if is_method and k not in self._shadowed.get(type(obj), ()):
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
            if v is None and type(k) is str:
                d = getattr(obj, "__dict__", None)
                if d is not None and d.get(k) is not None:
                    note_cleared(obj, k)
            setattr(obj, k, v)
        except Exception as e:
            return self._fail(e)

    def _b_fieldkeys(self, obj):
        # in the order Torch7's LuaJIT lists a table's keys set in the order the fields were
        obj = obj.o
        if type(obj) in self._fieldtables:
            return self.to_lua(fields_order(k for k in obj if isinstance(k, (str, int, float))))
        items = getattr(obj, "_t7_items", None)
        if items is not None and isinstance(obj, dict):
            # a plain Lua table kept in Python (nngraph's node data, mapindex, reverseMap):
            # every key, tables and nodes included (mapindex[data], reverseMap[node]), in the
            # order torch.save writes them
            return self.to_lua([k for k, v in items() if v is not None])
        d = getattr(obj, "__dict__", None) or {}
        keys = [k for k in d if isinstance(k, (str, int, float))]
        if isinstance(obj, dict):
            keys += [k for k in obj if isinstance(k, (str, int, float))]
        # a field holding None is a key set to nil where it had none: its node holds nil
        # (luaorder.set_nil: a later key may take it over); next() never returns it
        def val(k):
            return obj.get(k) if isinstance(obj, dict) and k not in d else d.get(k)
        nils = never_set(obj, [k for k in keys if val(k) is None])
        keys = [k for k in fields_order(keys, nils) if val(k) is not None]
        if isinstance(obj, dict):
            # keys that are tables or objects (nngraph's mapindex[data], children[node],
            # reverseMap[node]): after the others, as Torch7 orders them by address
            keys += [k for k, v in obj.items()
                     if not isinstance(k, (str, int, float)) and v is not None]
        return self.to_lua(keys)

    def _b_len(self, obj):
        obj = obj.o
        try:
            if isinstance(obj, self._Tensor):
                return self.to_lua(obj.size())
            if isinstance(obj, self._Storage):
                return obj.size()
            name = self.typename_of(obj)
            if type(obj) in self._fieldtables or name is None:
                # a plain Lua table kept in Python (nngraph's node data): Lua's #, its border
                if hasattr(type(obj), "__len__") and type(obj) not in self._fieldtables:
                    return len(obj)
                d = obj if isinstance(obj, dict) else getattr(obj, "__dict__", None) or {}
                n = 0
                while n + 1 in d:
                    n += 1
                return n
            return self.to_lua(_t7_len(obj, name))
        except Exception as e:
            return self._fail(e)

    def _b_tostring(self, obj):
        o = _u(obj)
        cls = type(o)
        if cls.__str__ is object.__str__ and cls.__repr__ is object.__repr__:
            # a torch class's object without a __tostring__: luaT's tostring is its typename
            # (torch.CmdLine, optim.Logger), not Python's '<... object at 0x...>'
            name = getattr(cls, "typename", None)
            if isinstance(name, str):
                return name
        try:
            return str(o)
        except TypeError:
            # luaT_mt__tostring returns what the class's __tostring__ returned, unchecked: a
            # gModule's name that is a number prints as that number
            ts = getattr(o, "__tostring__", None)
            if ts is None:
                raise
            r = ts()
            if isinstance(r, str):
                raise
            return r
