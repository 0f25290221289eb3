"""TensorMath's argument matcher (a small cwrap) and the registry of the torch.f/t:f functions."""
from collections.abc import Mapping

import numpy as np

from .. import messages
from ..storage import Storage
from ..tensor_args import _c_index, _c_int_of_number, _c_long
from ..tensor import (ByteTensor, default_tensor_type, DoubleTensor, FloatTensor, IntTensor,
                      LongTensor, Tensor, tensor_types, TorchError)
from ._helpers import _ALL_TYPES, _real


# --------------------------------------------------------------------------------------------
# the argument matcher (a small cwrap)
# --------------------------------------------------------------------------------------------

_FUNCS = {}  # name -> _Fn
_PUBLIC = {}  # name -> the torch.f function, in definition order (the package's __all__)

_REQ = object()
_NEW = object()
_SELF = object()

_TENSOR_KINDS = {"B": ByteTensor, "L": LongTensor, "I": IntTensor, "F": FloatTensor,
                 "D": DoubleTensor}


class _Arg:
    __slots__ = ("kind", "dflt", "inv", "values", "cls", "dim", "ret")

    def __init__(self, kind, dflt, inv, values=None, dim=None, ret=False):
        self.ret = ret  # cwrap's returned=true: `*X*` in the help
        self.dim = dim  # cwrap's dim= of a tensor argument ('DoubleTensor~2D' in its help)
        self.kind = kind
        self.dflt = dflt
        self.inv = inv
        self.values = values
        self.cls = _TENSOR_KINDS.get(kind)

    def test(self, T, code):
        k = self.kind
        if k in "RST":
            return code is T
        if self.cls is not None:
            return code is self.cls
        if k in "rdnika":  # lua_isnumber: a numeric string too
            return code == "n" or (type(code) is tuple and code[0] == "s"
                                   and messages.lua_tonumber(code[1]) is not None)
        if k == "b":
            return code == "b"
        if k == "c":  # cwrap's charoption: lua_tostring, then its FIRST character
            return (type(code) is tuple and code[0] == "s" and code[1][:1] != ""
                    and code[1][:1] in self.values)
        if k == "A":
            return code == "A"
        if k == "G":
            return type(code) is tuple and getattr(code[1], "typename", None) == "torch.Generator"
        return False


def _parse_default(kind, s):
    if kind == "c":
        return s
    if s.startswith("L"):
        return ("lastdim", int(s[1:]) - 1)
    if kind == "b":
        return s in ("1", "true")
    v = float(s)
    if kind == "i":
        return int(v) - 1
    if kind in "nk":
        return int(v)
    return v


def _parse(spec, method):
    """Parse a cwrap-like argument list. Tokens:
    R (result, optional), R! (result, optional except in methods: self), S (source: required,
    self in methods), T (tensor), T@ (defaults to the first argument), B/L/I/F/D (typed
    tensors; '?' makes them optional results), A (tensor array), r/d/n/i/b (real, double,
    long, 1-based dim, boolean), k (C int), a (accreal: long for integer types, else double),
    G (an optional Generator), c (char option, 'c=V:VF'), '=x' a default, '^' invisible,
    '*' a tensor cwrap returns (`*X*` in its help), '~N' (after the rest) the number of
    dimensions cwrap requires."""
    out = []
    for tok in spec.split():
        inv = tok.endswith("^")
        tok = tok.rstrip("^")
        ret = tok.endswith("*")
        tok = tok.rstrip("*")
        tok, _, dim = tok.partition("~")
        dim = int(dim) if dim else None
        kind = tok[0]
        rest = tok[1:]
        values = None
        dflt = _REQ
        if kind == "R":
            if rest == "!":
                dflt = _REQ if method else _NEW
            else:
                dflt = _NEW
        elif kind == "S":
            dflt = _SELF if method else _REQ
        elif kind == "T":
            if rest == "@":
                dflt = _SELF
        elif kind in "BLIFD":
            if rest == "?":
                dflt = _NEW
            elif rest == "!":  # a result, optional except in methods (method={default='nil'})
                dflt = _REQ if method else _NEW
        elif rest.startswith("="):
            d = rest[1:]
            if kind == "c":
                d, vals = d.split(":")
                values = tuple(vals)
            dflt = _parse_default(kind, d)
        elif kind == "c":
            values = tuple(rest[1:])
        elif kind == "G":  # cwrap declares every Generator argument with a default
            dflt = None
        out.append(_Arg(kind, dflt, inv, values, dim, ret))
    return out


def _lua_array(x):
    """A table as torchcwrap's TensorArray reads it (torch_isnonemptytable: t[1] not nil, then
    t[1], t[2]... up to the first nil): a list's items, or a table with holes or a hash
    part (a mapping) read the same way; None for a mapping without t[1]."""
    if isinstance(x, (list, tuple)):
        return x
    out = []
    v = x.get(1)
    while v is not None:
        out.append(v)
        v = x.get(len(out) + 1)
    return out or None


def _code(x):
    tp = type(x)
    c = _TC.get(tp)
    if c is not None:
        return c
    if isinstance(x, Tensor):
        return tp
    if tp is str:
        return ("s", x)
    if isinstance(x, (list, tuple)):
        return "A"
    if isinstance(x, Mapping) and x.get(1) is not None:
        return "A"
    if isinstance(x, (np.integer, np.floating)):
        return "n"
    if isinstance(x, bool):
        return "b"
    if isinstance(x, Storage):
        return ("S", tp)
    return ("o", tp)


_TC = {int: "n", float: "n", bool: "b", np.float64: "n", np.float32: "n", np.int64: "n",
       np.int32: "n", np.bool_: "b", list: "A", tuple: "A"}
for _t in _ALL_TYPES:
    _TC[_t] = _t


def _match(T, specs, codes):
    n = len(codes)
    ns = len(specs)

    def rec(si, ai, plan):
        if si == ns:
            return plan if ai == n else None
        a = specs[si]
        if a.inv:
            return rec(si + 1, ai, plan + [-1])
        if ai < n and a.test(T, codes[ai]):
            r = rec(si + 1, ai + 1, plan + [ai])
            if r is not None:
                return r
        if a.dflt is not _REQ:
            return rec(si + 1, ai, plan + [-1])
        return None

    return rec(0, 0, [])


def _argname(code):
    """cwrap's name of a given argument's type (luaT's typename without 'torch.', else Lua's
    type name)."""
    if isinstance(code, type):
        return code.__name__
    if code == "n":
        return "number"
    if code == "b":
        return "boolean"
    if code == "A":
        return "table"
    if isinstance(code, tuple):
        if code[0] == "s":
            return messages.cwrap_type_name(code[1])
        tp = code[1]
        if tp is type(None):
            return "nil"
        name = getattr(tp, "typename", None)
        if isinstance(name, str):
            return name[6:] if name.startswith("torch.") else name
        if issubclass(tp, (dict, Mapping, list, tuple, type)):
            return "table"  # a class (torch.DoubleTensor, nn.Linear) is a Lua table in Torch7
        if tp.__name__ in ("function", "LuaFunction", "builtin_function_or_method", "method"):
            return "???"  # cwrap's str_arg_types has no case for a function
        return "userdata"
    return str(code)


def _specname(T, a):
    """cwrap's help name of a declared argument: `*X*` for the returned tensor, `~ND` for a
    required number of dimensions, `[X]` when it may be left out, the C type of `real`."""
    if a.inv:
        return None
    k = a.kind
    if k in "RST" or a.cls is not None:
        s = (T if a.cls is None else a.cls).__name__
        if a.dim is not None:
            s += "~%dD" % a.dim
        if k == "R" or a.ret or (a.cls is not None and a.dflt is _NEW):
            s = "*%s*" % s
    elif k == "r":
        s = messages.REAL_CTYPE.get(T.__name__[:-len("Tensor")], "double")
    elif k == "a":
        s = "long" if T.is_integer else "double"
    elif k == "A":
        s = "{%s+}" % T.__name__
    else:
        s = {"d": "double", "n": "long", "k": "int", "i": "index", "b": "boolean",
             "c": "string", "G": "Generator"}[k]
        if k == "c":
            s = "(%s)" % "|".join(a.values)
    if a.dflt is not _REQ:
        return "[%s]" % s
    return s


def invalid_arguments(given, expected):
    """cwrap's message: the given arguments' type names (each followed by a space; the ones
    the Lua layer added as nil for absent arguments left out) and the accepted forms."""
    given = list(given)
    n = messages.padded_nils
    while n > 0 and given and given[-1] == "nil":
        given.pop()
        n -= 1
    got = "".join(g + " " for g in given) or messages.msg("no_arguments")
    return TorchError(messages.msg("invalid_arguments", got, " | ".join(expected)))


# functions of torch's Tensor.c (checked with luaT_checkudata, not by cwrap)
_TENSOR_C = frozenset(("index", "indexCopy", "indexAdd", "indexFill", "maskedSelect",
                       "maskedCopy", "maskedFill"))


# Tensor.c's functions whose last argument is read with luaG_(checkreal)
_CHECKREAL_LAST = frozenset(("indexFill", "maskedFill"))


# Tensor.c's index/indexCopy/indexAdd/indexFill: per argument count, what each stack slot is
# read with (luaT_checkudata of a type, luaL_checkint, luaG_checkreal), in the order the C
# reads them; another count is its THError naming the forms (%T the tensor's type name)
_TENSOR_C_FORMS = {
    "index": {3: ((2, "int"), (3, "torch.LongTensor")),
              4: ((2, "T"), (3, "int"), (4, "torch.LongTensor")),
              None: "%T, number, torch.LongTensor | %T, %T, number, torch.LongTensor "
                    "expected"},
    "indexCopy": {4: ((2, "int"), (3, "torch.LongTensor"), (4, "T")),
                  None: "%T, number, torch.LongTensor, %T expected"},
    "indexAdd": {4: ((2, "int"), (3, "torch.LongTensor"), (4, "T")),
                 None: "%T, number, torch.LongTensor, %T expected"},
    "indexFill": {4: ((2, "int"), (3, "torch.LongTensor"), (4, "real")),
                  None: "%T, number, torch.LongTensor, number expected"},
    "maskedSelect": {2: ((2, "torch.ByteTensor"),),
                     3: ((2, "T"), (3, "torch.ByteTensor")),
                     None: "%T, torch.ByteTensor | %T, %T, torch.ByteTensor expected"},
    "maskedCopy": {3: ((2, "torch.ByteTensor"), (3, "T")),
                   None: "%T, torch.ByteTensor, %T expected"},
    "maskedFill": {3: ((2, "torch.ByteTensor"), (3, "real")),
                   None: "%T, torch.ByteTensor, number expected"},
}
_LUA_TYPES = {"n": "number", "b": "boolean", "A": "table"}


def _tensor_c_error(name, T, codes):
    """The error of Tensor.c's function `name` (a method: codes[0] is self) on arguments of
    these codes: luaL_checkint / luaG_checkreal's 'number expected, got <type>', luaT's
    '<class> expected, got <class>' (a value that is no torch object named by lua_typename of
    its index), or the THError of an argument count it does not take."""
    forms = _TENSOR_C_FORMS[name]
    slots = forms.get(len(codes))
    if slots is None:
        # (Tensor.c checks the count before it reads self: this THError stands for any self,
        # torch.DoubleTensor.index(3) included: self_checked, see compat's _fail_c)
        e = TorchError(forms[None].replace("%T", T.typename))
        e.self_checked = True
        return e
    for n, kind in slots:
        c = codes[n - 1]
        if kind in ("int", "real"):
            if c == "n" or (type(c) is tuple and c[0] == "s"
                            and messages.lua_tonumber(c[1]) is not None):
                continue
            got = (_LUA_TYPES.get(c) if isinstance(c, str) else "userdata"
                   if isinstance(c, type) else "string" if c[0] == "s" else
                   "nil" if c[1] is type(None) else "table"
                   if issubclass(c[1], (dict, Mapping, list, tuple)) else "userdata")
            return TorchError(messages.bad_argument(n, "number expected, got %s" % got))
        want = T.typename if kind == "T" else kind
        tn = c.typename if isinstance(c, type) else getattr(c[1], "typename", None) \
            if type(c) is tuple and c[0] in ("S", "o") else None
        if tn == want:
            continue
        if not isinstance(tn, str):
            tn = messages.luaT_typename(None, n)
        return TorchError(messages.bad_argument(n, "%s expected, got %s" % (want, tn)))
    return None


class _DimError(TorchError):
    """A tensor argument without the number of dimensions its cwrap declaration requires."""


class _EmptyArray(_DimError):
    """A {Tensor+} argument that is an empty table: cwrap's check (torch_isnonemptytable)
    refuses it, so no form matches the call (raised where the form was resolved by type)."""


class _Variant:
    __slots__ = ("specs", "impl", "types")

    def __init__(self, specs, impl, types):
        self.specs = specs
        self.impl = impl
        self.types = types


class _Fn:
    """One Torch7 function: its call forms (variants) for the function and the method tables."""

    def __init__(self, name, variants, method_variants, types, torch_fn=True, method=True):
        self.name = name
        self.variants = variants
        self.mvariants = method_variants
        self.types = types
        self.cache = {}
        self.mcache = {}
        self.torch_fn = torch_fn
        self.method = method

    def call(self, T, args, method):
        try:
            return self.form(T, args, method)(args)
        except _DimError:  # cwrap checks dimensions as part of the argument types
            raise self.dim_error(T, args, method) from None

    def form(self, T, args, method):
        """The compiled call form for these arguments (resolved once per type signature; a
        string argument's value is part of the signature)."""
        cache = self.mcache if method else self.cache
        types = tuple(map(type, args))
        key = (T, types, tuple(a for a in args if type(a) is str)) if str in types \
            else (T, types)
        f = cache.get(key)
        if f is None:
            codes = tuple([_code(a) for a in args])
            if self.name in _CHECKREAL_LAST and T.is_integer and type(codes[-1]) is tuple \
                    and codes[-1][0] == "s":
                # Tensor.c reads the value with luaG_(checkreal): for an integer type any
                # string is strtol(s, NULL, 0) ('x' is 0, '010' 8), which _real does
                codes = codes[:-1] + ("n",)
            v, plan = self._resolve(T, self.mvariants if method else self.variants, codes)
            f = self._compile(T, v, plan, codes)
            cache[key] = f
        return f

    def dim_error(self, T, args, method):
        # (an empty table is no {Tensor+} for cwrap's torch_isnonemptytable: a plain table)
        return self._invalid(T, self.mvariants if method else self.variants,
                             [("o", list) if isinstance(a, (list, tuple)) and not (
                                 a and a[0] is not None) else _code(a) for a in args])

    def _check_array(self, T, x):
        # torchcwrap.lua's TensorArray: a table whose first element is not nil, read up to
        # its first nil, each element luaT_toudata'd as T (luaL_error otherwise)
        x = list(x) if isinstance(x, (list, tuple)) else _lua_array(x) or []
        if not x or x[0] is None:
            raise _EmptyArray("empty tensor array")
        if None in x:
            x = x[:x.index(None)]
        for e in x:
            if type(e) is not T:
                raise TorchError("expected %s in tensor array" % T.__name__)
        return x

    def _compile(self, T, v, plan, codes):
        """The argument conversion of one resolved call form, as a small generated function."""
        env = {"impl": v.impl, "T": T, "_real": _real, "_arr": self._check_array,
               "_tonum": messages.lua_tonumber, "_cidx": _c_index, "_clong": _c_long,
               "_cint": _c_int_of_number}
        # an impl that rounds its float/double `real` arguments itself (the one-call paths of
        # pointwise.py: C's (float) of the number is numpy's float32() of it) takes them as given
        raw = getattr(v.impl, "raw_real", False)
        parts = []
        for j, (a, p) in enumerate(zip(v.specs, plan)):
            if p < 0:
                d = a.dflt
                if d is _NEW:
                    parts.append("None")
                elif d is _SELF:
                    parts.append(parts[0])
                elif type(d) is tuple:
                    parts.append("(%s).dim() - 1" % parts[d[1]])
                else:
                    env["d%d" % j] = _real(T, d) if a.kind == "r" else d
                    parts.append("d%d" % j)
            else:
                x = "a[%d]" % p
                k = a.kind
                if k in "rdnika" and type(codes[p]) is tuple:  # a numeric string
                    x = "_tonum(%s)" % x
                if k == "r":
                    if T.dtype.kind == "f" and raw:
                        pass
                    elif T.dtype.kind == "f":  # _real's float case, inlined
                        env["_ft"] = T.dtype.type
                        x = "_ft(%s)" % x
                    else:
                        x = "_real(T, %s)" % x
                elif k == "i":
                    x = "_cidx(%s)" % x
                elif k == "n":
                    x = "_clong(%s)" % x
                elif k == "k":
                    x = "_cint(%s)" % x
                elif k == "a":
                    x = ("int(%s)" if T.is_integer else "float(%s)") % x
                elif k == "d":
                    x = "float(%s)" % x
                elif k == "A":
                    x = "_arr(T, %s)" % x
                elif k == "c":  # TH reads the option's first character (*vf, uplo[0])
                    x = "%s[:1]" % x
                parts.append(x)
        if getattr(v.impl, "returns_last_argument", False):
            # Tensor.c's functions that end in `return 1` with their arguments still on the
            # stack: the caller gets the last argument back as it was passed (not converted)
            return eval("lambda a: (impl(T, %s), a[-1])[1]" % ", ".join(parts), env)
        return eval("lambda a: impl(T, %s)" % ", ".join(parts), env)

    def _resolve(self, T, variants, codes):
        for v in variants:
            if v.types is not None and T not in v.types:
                continue
            plan = _match(T, v.specs, codes)
            if plan is not None:
                return v, plan
        raise self._invalid(T, variants, codes)

    def _invalid(self, T, variants, codes):
        if self.name in _TENSOR_C:  # Tensor.c's own argument checks, not cwrap's
            e = _tensor_c_error(self.name, T, codes)
            if e is not None:
                return e
        expected = []
        for v in variants:
            if v.types is not None and T not in v.types:
                continue
            names = [s for s in (_specname(T, a) for a in v.specs) if s]
            expected.append(" ".join(names))
        if not expected:
            return TorchError("%s does not implement the torch.%s() function"
                              % (T.typename, self.name))
        return invalid_arguments([_argname(c) for c in codes], expected)


def _dispatch_type(args):
    """TensorMath's dispatch: the first argument's type, else the second's, else a table of
    tensors, else a trailing type name, else the default tensor type."""
    if args:
        a = args[0]
        if isinstance(a, Tensor) and type(a) in _DISPATCH_TYPES:
            return type(a), args
        if len(args) >= 2 and isinstance(args[1], Tensor) and type(args[1]) in _DISPATCH_TYPES:
            return type(args[1]), args
        if isinstance(a, (list, tuple, Mapping)):  # torch_istensorarray: t[1]'s type
            a0 = (a[0] if a else None) if isinstance(a, (list, tuple)) else a.get(1)
            if isinstance(a0, Tensor) and type(a0) in _DISPATCH_TYPES:
                return type(a0), args
        last = args[-1]
        if isinstance(last, str) and last in tensor_types \
                and tensor_types[last] in _DISPATCH_TYPES:
            return tensor_types[last], args[:-1]
    T = default_tensor_type()
    if T not in _DISPATCH_TYPES:  # (torch.setdefaulttensortype('torch.HalfTensor'))
        raise TorchError("internal error: the default tensor type does not seem to be an "
                         "actual tensor")
    return T, args


# torch_istensortype: the types whose metatable has TensorMath's `torch` table of functions;
# TensorMath gives torch.HalfTensor none, so a HalfTensor argument picks no type (the default
# type's function gets it: "invalid arguments: HalfTensor ...")
_DISPATCH_TYPES = frozenset(_ALL_TYPES)


def _define(name, forms, types=_ALL_TYPES, torch_fn=True, method=True, method_forms=None):
    """forms: list of (spec, impl[, types]); the method table uses the same specs read as
    methods unless method_forms is given."""
    variants = []
    mvariants = []
    for f in forms:
        spec, impl = f[0], f[1]
        vt = f[2] if len(f) > 2 else None
        variants.append(_Variant(_parse(spec, False), impl, vt))
        if method_forms is None:
            mvariants.append(_Variant(_parse(spec, True), impl, vt))
    if method_forms is not None:
        for f in method_forms:
            vt = f[2] if len(f) > 2 else None
            mvariants.append(_Variant(_parse(f[0], True), f[1], vt))
    fn = _Fn(name, variants, mvariants, tuple(types), torch_fn, method)
    _FUNCS[name] = fn
    if torch_fn:
        fast = {}  # argument types -> (T, call form): the dispatch of a known signature
        form = fn.form

        def torch_function(*args):
            key = (type(args[0]), type(args[1])) if len(args) == 2 else tuple(map(type, args))
            hit = fast.get(key)
            if hit is None:
                T, targs = _dispatch_type(args)
                if T not in fn.types:
                    raise TorchError("%s does not implement the torch.%s() function"
                                     % (T.typename, name))
                try:
                    f = form(T, targs, False)
                except Exception as e:
                    # cwrap's check in the type's function, which torch.X's dispatcher
                    # lua_calls: no position (messages.from_c)
                    raise messages.from_c(e)
                # the dispatch depends on types alone unless a string (a type name, an
                # option) or a table (of tensors) takes part, or no tensor picked the type
                # (the default type, which setdefaulttensortype changes)
                if targs is args and len(fast) < 256 and not any(
                        issubclass(t, (str, list, tuple)) for t in key) and any(
                        t in _DISPATCH_TYPES for t in key[:2]):
                    fast[key] = (T, f)
            else:
                T, f = hit
                targs = args
            try:
                return f(targs)
            except _DimError:
                raise messages.from_c(fn.dim_error(T, targs, False)) from None
            except Exception as e:
                raise messages.from_c(e)
        torch_function.__name__ = name
        torch_function.__qualname__ = name
        torch_function.__doc__ = "torch.%s (Torch7 TensorMath)" % name
        _PUBLIC[name] = torch_function
    return fn


# functions implemented outside the matcher (random.py) whose arguments are checked by cwrap
_GATES = {}


def cwrap_gate(name, forms, types=_ALL_TYPES, method_forms=None):
    """Declare the cwrap forms of a function whose implementation parses its own arguments:
    `check_args` then gives cwrap's answer to a call that matches none of them."""
    mforms = forms if method_forms is None else method_forms
    _GATES[name] = _Fn(name, [_Variant(_parse(f, False), None, None) for f in forms],
                       [_Variant(_parse(f, True), None, None) for f in mforms], tuple(types),
                       torch_fn=False, method=False)


def check_args(name, T, args, method=False):
    """cwrap's argument check of a gated function: nothing when a declared form matches the
    arguments, else its invalid-arguments error (or 'does not implement' for a type that has
    no such function)."""
    fn = _GATES[name]
    if T is None:
        T = default_tensor_type()
    elif T not in fn.types:
        raise TorchError("%s does not implement the torch.%s() function" % (T.typename, name))
    codes = [_code(a) for a in args]
    variants = fn.mvariants if method else fn.variants
    for v in variants:
        if _match(T, v.specs, codes) is not None:
            return
    raise fn._invalid(T, variants, codes)
