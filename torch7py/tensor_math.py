"""Torch7's TensorMath (TensorMath.lua + THTensorMath.c): torch.f(...) functions and t:f(...)."""
import builtins
from collections.abc import Mapping
import math
import warnings

import numpy as np

from . import messages, numerics
from .storage import Storage, c_cast
from .tensor import (Tensor, TorchError, ByteTensor, CharTensor, ShortTensor, IntTensor,
                     LongTensor, FloatTensor, DoubleTensor, tensor_types, default_tensor_type,
                     _contiguous_strides)

_ALL_TYPES = (ByteTensor, CharTensor, ShortTensor, IntTensor, LongTensor, FloatTensor,
              DoubleTensor)
_FLOAT_TYPES = (FloatTensor, DoubleTensor)
_NUMBER_TYPES = (int, float, np.integer, np.floating)

__all__ = []
# the torch functions below shadow these builtins in this module
_bany, _ball, _bmax, _bmin, _babs, _brange, _bsum, _bround, _bpow = (
    builtins.any, builtins.all, builtins.max, builtins.min, builtins.abs, builtins.range,
    builtins.sum, builtins.round, builtins.pow)
_FUNCS = {}  # name -> _Fn

# Torch7 computes inf/nan silently; numpy's floating-point warnings raised from these modules
# (overflow in add/mul, ...) are not Torch7 behaviour. Division, log etc. also run in errstate.
warnings.filterwarnings("ignore", category=RuntimeWarning,
                        module=r"torch7py\.(tensor_math|conv|lapack)$")


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------

_STRIDES = {}


def _new(T, shape):
    """A new contiguous tensor of type T and the given sizes (uninitialised)."""
    st = _STRIDES.get(shape)
    if st is None:
        shape = tuple(shape)
        n = 1
        for s in shape:
            n *= s
        if n == 0 or not shape:
            return T()
        st = _STRIDES[shape] = (n, _contiguous_strides(shape))
        if len(_STRIDES) > 4096:
            _STRIDES.clear()
    return T._make(T.storage_class._wrap(np.empty(st[0], T.dtype)), 0, shape, st[1])


def _resize(t, shape):
    if t._size != tuple(shape):
        t._resize_nd(list(shape))
    return t


def _result(T, res, shape):
    """Torch7's `res` handling: a new tensor when absent, else resized to shape."""
    if res is None:
        return _new(T, shape)
    if res._size != shape:
        res._resize_nd(list(shape))
    return res


def _real(T, v):
    """A Lua number as Torch7's C `real` of tensor type T (integers truncate and wrap)."""
    dt = T.dtype
    if dt.kind == "f":
        return dt.type(v)
    if isinstance(v, float):
        return c_cast(np.float64(v), dt)[()]
    return np.array(int(v)).astype(dt)[()]


def _acc(T):
    return np.float64 if T.dtype.kind == "f" else np.int64


def _pyacc(T, v):
    """accreal return value as a Python number."""
    return float(v) if T.dtype.kind == "f" else int(v)


def _pyreal(T, v):
    return float(v) if T.dtype.kind == "f" else int(v)


def _view_as(t, shape):
    """t's elements (logical order) with the given shape."""
    a = t.numpy()
    if a.shape != shape:
        a = a.reshape(shape)
    return a


def _check_same_n(a, b, names=("r_", "t", "src")):
    """TH_TENSOR_APPLY3(r_, t, src)'s check (r_ resized as t first); two names: APPLY2's."""
    if a._size != b._size and a.nElement() != b.nElement():
        raise _inconsistent(names, (a, a, b) if len(names) == 3 else (a, b))


def _inconsistent(names, tensors):
    """TH_TENSOR_APPLY2/3's message: the tensors' names, sizes and element counts."""
    parts = []
    for n, t in zip(names, tensors):
        parts += [n, messages.size_str(t._size)]
    counts = [t.nElement() for t in tensors]
    key = "inconsistent_3" if len(tensors) == 3 else "inconsistent_2"
    return TorchError(messages.msg(key, *(parts + counts)))


def _fmt_size(t):
    return "x".join(str(s) for s in t._size) if t._size else "empty"


def _dimcheck(t, d, name="dimension", arg=2):
    """TH's THArgCheck of a dimension argument (#arg): 'dimension 3 out of range'."""
    n = len(t._size)
    if d < 0 or d >= n:
        if name == "dimension":
            raise TorchError(messages.bad_argument(arg, "dimension %d out of range" % (d + 1)))
        raise TorchError("%s %d out of range of %dD tensor" % (name, d + 1, n))
    return d


def _quiet():
    return np.errstate(all="ignore")


def _c_int_div(a, b, out):
    """C integer division (truncation toward zero); division by zero gives 0."""
    with _quiet():
        q = np.floor_divide(a, b)
        if a.dtype.kind == "i":
            m = np.remainder(a, b)
            fix = (m != 0) & ((np.asarray(a) < 0) != (np.asarray(b) < 0))
            q = q + fix.astype(q.dtype)
    out[...] = q
    return out


# --------------------------------------------------------------------------------------------
# the argument matcher (a small cwrap)
# --------------------------------------------------------------------------------------------

_REQ = object()
_NEW = object()
_SELF = object()

_TENSOR_KINDS = {"B": ByteTensor, "L": LongTensor, "I": IntTensor, "F": FloatTensor,
                 "D": DoubleTensor}


class _Arg:
    __slots__ = ("kind", "dflt", "inv", "values", "cls", "dim")

    def __init__(self, kind, dflt, inv, values=None, dim=None):
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
        if k in "rdni":
            return code == "n"
        if k == "b":
            return code == "b"
        if k == "c":
            return type(code) is tuple and code[0] == "s" and code[1] in self.values
        if k == "A":
            return code == "A"
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
    if kind == "n":
        return int(v)
    return v


def _parse(spec, method):
    """Parse a cwrap-like argument list. Tokens:
    R (result, optional), R! (result, optional except in methods: self), S (source: required,
    self in methods), T (tensor), T@ (defaults to the first argument), B/L/I/F/D (typed
    tensors; '?' makes them optional results), A (tensor array), r/d/n/i/b (real, double,
    long, 1-based dim, boolean), c (char option, 'c=V:VF'), '=x' a default, '^' invisible,
    '~N' (after the rest) the number of dimensions cwrap requires of a tensor."""
    out = []
    for tok in spec.split():
        inv = tok.endswith("^")
        tok = tok.rstrip("^")
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
        elif rest.startswith("="):
            d = rest[1:]
            if kind == "c":
                d, vals = d.split(":")
                values = tuple(vals)
            dflt = _parse_default(kind, d)
        elif kind == "c":
            values = tuple(rest[1:])
        out.append(_Arg(kind, dflt, inv, values, dim))
    return out


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
            return "string"
        tp = code[1]
        if tp is type(None):
            return "nil"
        name = getattr(tp, "typename", None)
        if isinstance(name, str):
            return name[6:] if name.startswith("torch.") else name
        if issubclass(tp, (dict, Mapping, list, tuple)):
            return "table"
        if tp.__name__ in ("function", "LuaFunction", "builtin_function_or_method", "method"):
            return "function"
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
        if k == "R" or (a.cls is not None and a.dflt is _NEW):
            s = "*%s*" % s
    elif k == "r":
        s = messages.REAL_CTYPE.get(T.__name__[:-len("Tensor")], "double")
    else:
        s = {"d": "double", "n": "long", "i": "index", "b": "boolean",
             "c": "string", "A": "table"}[k]
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
_TENSOR_C = frozenset(("index", "indexCopy", "indexAdd", "indexFill"))


class _DimError(TorchError):
    """A tensor argument without the number of dimensions its cwrap declaration requires."""


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
        cache = self.mcache if method else self.cache
        types = tuple(map(type, args))
        key = (T, types, tuple(a for a in args if type(a) is str)) if str in types \
            else (T, types)
        f = cache.get(key)
        if f is None:
            codes = tuple([_code(a) for a in args])
            v, plan = self._resolve(T, self.mvariants if method else self.variants, codes)
            f = self._compile(T, v, plan)
            cache[key] = f
        try:
            return f(args)
        except _DimError:  # cwrap checks dimensions as part of the argument types
            variants = self.mvariants if method else self.variants
            raise self._invalid(T, variants, [_code(a) for a in args]) from None

    def _check_array(self, T, x):
        x = list(x)
        for e in x:
            if type(e) is not T:
                raise TorchError("%s: expected a table of %s, got an element of type %s"
                                 % (self.name, T.typename, _argname(_code(e))))
        return x

    def _compile(self, T, v, plan):
        """The argument conversion of one resolved call form, as a small generated function."""
        env = {"impl": v.impl, "T": T, "_real": _real, "_arr": self._check_array}
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
                if k == "r":
                    x = "_real(T, %s)" % x
                elif k == "i":
                    x = "int(%s) - 1" % x
                elif k == "n":
                    x = "int(%s)" % x
                elif k == "d":
                    x = "float(%s)" % x
                elif k == "A":
                    x = "_arr(T, %s)" % x
                parts.append(x)
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
        if self.name in _TENSOR_C:  # luaT_checkudata of the index tensor, not cwrap
            for v in variants:
                if len(v.specs) != len(codes):
                    continue
                for j, (a, c) in enumerate(zip(v.specs, codes)):
                    if a.cls is not None and c is not a.cls and isinstance(c, type):
                        return TorchError(messages.bad_argument(
                            j + 1, "%s expected, got %s" % (a.cls.typename, c.typename)))
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
        if isinstance(a, Tensor):
            return type(a), args
        if len(args) >= 2 and isinstance(args[1], Tensor):
            return type(args[1]), args
        if isinstance(a, (list, tuple)) and a and isinstance(a[0], Tensor):
            return type(a[0]), args
        last = args[-1]
        if isinstance(last, str) and last in tensor_types:
            return tensor_types[last], args[:-1]
    return default_tensor_type(), args


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
        def torch_function(*args):
            T, args = _dispatch_type(args)
            if T not in fn.types:
                raise TorchError("%s does not implement the torch.%s() function"
                                 % (T.typename, name))
            return fn.call(T, args, False)
        torch_function.__name__ = name
        torch_function.__qualname__ = name
        torch_function.__doc__ = "torch.%s (Torch7 TensorMath)" % name
        globals()[name] = torch_function
        __all__.append(name)
    return fn


# --------------------------------------------------------------------------------------------
# pointwise arithmetic
# --------------------------------------------------------------------------------------------

def _prep(T, res, src):
    """Result tensor for a pointwise op on src: new, or resized as src."""
    if res is None:
        return _new(T, src._size)
    if res is not src and res._size != src._size:
        res._resize_nd(list(src._size))
    return res


def _value_op(ufunc):
    """r = src (op) value, elementwise."""
    def impl(T, res, src, value):
        r = _prep(T, res, src)
        ufunc(src.numpy(), value, out=r.numpy())
        return r
    return impl


def _scaled_tensor_op(ufunc):
    """add/csub with a tensor: r = src (op) value * other; _prep and _view_as inlined (hot path)."""
    def impl(T, res, src, value, other):
        ss = src._size
        o = other.numpy()
        if other._size != ss:
            _check_same_n(src, other)
            o = o.reshape(ss)
        if res is None:
            r = _new(T, ss)
        else:
            r = res
            if r is not src and r._size != ss:
                r._resize_nd(list(ss))
        if value == 1:
            ufunc(src.numpy(), o, out=r.numpy())
        elif (T.dtype.kind == "f" and not numerics.exact_scale(value) and r.isContiguous()
              and src.isContiguous() and other.isContiguous()):
            # contiguous: OpenBLAS axpy (in place) or TH's AVX2 cadd, both fused
            # multiply-adds on the reference CPU: one rounding
            numerics.fma(o, value if ufunc is np.add else -value, src.numpy(), out=r.numpy())
        else:
            # TH_TENSOR_APPLY3's `*t + value * *src`: the product rounds first
            ufunc(src.numpy(), o * value, out=r.numpy())
        return r
    return impl


_add_value = _value_op(np.add)
_sub_value = _value_op(np.subtract)
_mul = _value_op(np.multiply)
_cadd = _scaled_tensor_op(np.add)
_csub = _scaled_tensor_op(np.subtract)


def _divide(T, a, b, out):
    """out = a / b as TH divides T: C integer division for integer types."""
    if T.is_integer:
        _c_int_div(a, b, out)
    else:
        with _quiet():
            np.divide(a, b, out=out)
    return out


def _div(T, res, src, value):
    r = _prep(T, res, src)
    _divide(T, src.numpy(), value, r.numpy())
    return r


def _cmul(T, res, src, other):
    _check_same_n(src, other)
    r = _prep(T, res, src)
    np.multiply(src.numpy(), _view_as(other, src._size), out=r.numpy())
    return r


def _cdiv(T, res, src, other):
    _check_same_n(src, other)
    r = _prep(T, res, src)
    _divide(T, src.numpy(), _view_as(other, src._size), r.numpy())
    return r


def _make_addc(combine):
    """addcmul/addcdiv: r = src + value * t1 (op) t2, evaluated left to right as Torch7 does."""
    def impl(T, res, src, value, t1, t2):
        _check_same_n(t1, t2)
        _check_same_n(src, t1)
        r = _prep(T, res, src)
        p = combine(T, _view_as(t1, src._size) * value, _view_as(t2, src._size))
        np.add(src.numpy(), p, out=r.numpy())
        return r
    return impl


def _times(T, a, b):
    a *= b  # a is a temporary
    return a


def _over(T, a, b):
    return _divide(T, a, b, np.empty(a.shape, T.dtype))


_addcmul = _make_addc(_times)
_addcdiv = _make_addc(_over)


def _fmod(T, res, src, value):
    r = _prep(T, res, src)
    with _quiet():
        np.fmod(src.numpy(), value, out=r.numpy())
    return r


def _remainder_arrays(a, b, out, integer):
    with _quiet():
        if integer:
            np.remainder(a, b, out=out)
            if np.ndim(b) == 0 and b == 0 or np.ndim(b) and not np.all(b):
                out[...] = np.where(np.asarray(b) == 0, 0, out)
        else:
            f = np.floor(a / b)
            out[...] = np.where(np.asarray(b) == 0, np.nan, a - b * f)
    return out


def _remainder(T, res, src, value):
    r = _prep(T, res, src)
    _remainder_arrays(src.numpy(), value, r.numpy(), T.is_integer)
    return r


def _cfmod(T, res, src, other):
    _check_same_n(src, other)
    r = _prep(T, res, src)
    with _quiet():
        np.fmod(src.numpy(), _view_as(other, src._size), out=r.numpy())
    return r


def _cremainder(T, res, src, other):
    _check_same_n(src, other)
    r = _prep(T, res, src)
    _remainder_arrays(src.numpy(), _view_as(other, src._size), r.numpy(), T.is_integer)
    return r


def _int_only(name):
    def check(T):
        if T.dtype.kind == "f":
            raise TorchError("%s is only supported for integer type tensors" % name)
    return check


def _make_bit(name, ufunc, tensor_arg):
    if tensor_arg:
        def impl(T, res, src, other):
            _int_only(name)(T)
            _check_same_n(src, other)
            r = _prep(T, res, src)
            ufunc(src.numpy(), _view_as(other, src._size).astype(T.dtype), out=r.numpy())
            return r
    else:
        def impl(T, res, src, value):
            _int_only(name)(T)
            r = _prep(T, res, src)
            ufunc(src.numpy(), value, out=r.numpy())
            return r
    return impl


def _make_shift(float_op, int_op, tensor_arg):
    """lshift/rshift by a value, clshift/crshift by a tensor; a float shifts as a scaling by 2^n."""
    def impl(T, res, src, n):
        if tensor_arg:
            _check_same_n(src, n)
        r = _prep(T, res, src)
        if tensor_arg:
            n = _view_as(n, src._size)
        if T.dtype.kind == "f":
            scale = np.power(2.0, np.trunc(n)) if tensor_arg else 2.0 ** int(n)
            float_op(src.numpy(), scale, out=r.numpy())
        else:
            int_op(src.numpy(), n, out=r.numpy())
        return r
    return impl


def _clamp(T, res, src, lo, hi):
    r = _prep(T, res, src)
    a = src.numpy()
    if lo <= hi:
        np.clip(a, lo, hi, out=r.numpy())
    else:
        r.numpy()[...] = np.where(a < lo, lo, np.where(a > hi, hi, a))
    return r


def _cpow(T, res, src, other):
    _check_same_n(src, other)
    r = _prep(T, res, src)
    o = _view_as(other, src._size)
    with _quiet():
        if T.is_integer:
            r.numpy()[...] = c_cast(np.power(src.numpy().astype(np.float64),
                                             o.astype(np.float64)), T.dtype)
        else:
            np.power(src.numpy(), o, out=r.numpy())
    return r


def _cminmax(pick_first):
    def impl_t(T, res, src, other):
        _check_same_n(src, other)
        r = _prep(T, res, src)
        a = src.numpy()
        b = _view_as(other, src._size)
        # THMax(a, b) = a > b ? a : b; THMin(a, b) = a < b ? a : b (NaN-order kept)
        r.numpy()[...] = np.where(pick_first(a, b), a, b)
        return r

    def impl_v(T, res, src, value):
        r = _prep(T, res, src)
        a = src.numpy()
        r.numpy()[...] = np.where(pick_first(a, value), a, value)
        return r
    return impl_t, impl_v


_cmax_t, _cmax_v = _cminmax(np.greater)
_cmin_t, _cmin_v = _cminmax(np.less)

_define("add", [("R! S r", _add_value), ("R! S r=1 T", _cadd)])
_define("csub", [("R! S r", _sub_value), ("R! S r=1 T", _csub)])
_define("mul", [("R! S r", _mul)])
_define("div", [("R! S r", _div)])
_define("cmul", [("R! S T", _cmul)])
_define("cdiv", [("R! S T", _cdiv)])
_define("addcmul", [("R! S r=1 T T", _addcmul)])
_define("addcdiv", [("R! S r=1 T T", _addcdiv)])
_define("fmod", [("R! S r", _fmod)])
_define("mod", [("R! S r", _fmod)])
_define("remainder", [("R! S r", _remainder)])
_define("cfmod", [("R! S T", _cfmod)])
_define("cmod", [("R! S T", _cfmod)])
_define("cremainder", [("R! S T", _cremainder)])
_define("cpow", [("R! S T", _cpow)])
_define("clamp", [("R! S r r", _clamp)])
_define("cmax", [("R S T", _cmax_t), ("R S r", _cmax_v)])
_define("cmin", [("R S T", _cmin_t), ("R S r", _cmin_v)])
_define("lshift", [("R! S r", _make_shift(np.multiply, np.left_shift, False))])
_define("rshift", [("R! S r", _make_shift(np.divide, np.right_shift, False))])
_define("clshift", [("R! S T", _make_shift(np.multiply, np.left_shift, True))])
_define("crshift", [("R! S T", _make_shift(np.divide, np.right_shift, True))])
for _n, _u in (("bitand", np.bitwise_and), ("bitor", np.bitwise_or),
               ("bitxor", np.bitwise_xor)):
    _define(_n, [("R! S r", _make_bit(_n, _u, False))])
    _define("c" + _n, [("R! S T", _make_bit("c" + _n, _u, True))])


# --------------------------------------------------------------------------------------------
# unary math
# --------------------------------------------------------------------------------------------

def _round_half_away(a, out):
    t = np.trunc(a)
    d = a - t
    out[...] = t + np.where(np.abs(d) >= 0.5, np.sign(a), 0)
    return out


def _sign_arr(a, out):
    pos = a > 0
    neg = a < 0
    np.copyto(out, pos, casting="unsafe")
    np.subtract(out, neg, out=out, casting="unsafe")
    return out


def _sigmoid_arr(a, out):
    with _quiet():
        np.negative(a, out=out)
        np.exp(out, out=out)
        np.add(out, 1, out=out)
        np.divide(1, out, out=out)
    return out


def _unary_kernel(ufunc):
    def k(a, out):
        with _quiet():
            ufunc(a, out=out)
        return out
    return k


def _frac_arr(a, out):
    np.subtract(a, np.trunc(a), out=out)
    return out


def _rsqrt_arr(a, out):
    with _quiet():
        np.sqrt(a, out=out)
        np.divide(1, out, out=out)
    return out


def _cinv_arr(a, out):
    with _quiet():
        np.divide(1, a, out=out)
    return out


def _abs_arr(a, out):
    np.abs(a, out=out)
    return out


def _neg_arr(a, out):
    np.negative(a, out=out)
    return out


def _scalar_unary(kernel):
    def f(T, x):
        out = np.empty((), np.float64)
        kernel(np.float64(x), out)
        return float(out)
    return f


def _tensor_unary(kernel):
    def f(T, res, src):
        r = _prep(T, res, src)
        a = src.numpy()
        ra = r.numpy()
        if r is src or not _overlaps(r, src):
            kernel(a, ra)
        else:
            ra[...] = kernel(a, np.empty(a.shape, a.dtype))
        return r
    return f


def _overlaps(r, s):
    return r._storage is s._storage and r._storage is not None


_UNARY = {
    "log": np.log, "log1p": np.log1p, "exp": np.exp, "cos": np.cos, "acos": np.arccos,
    "cosh": np.cosh, "sin": np.sin, "asin": np.arcsin, "sinh": np.sinh, "tan": np.tan,
    "atan": np.arctan, "tanh": np.tanh, "sqrt": np.sqrt, "ceil": np.ceil, "floor": np.floor,
    "trunc": np.trunc,
}
for _n, _u in _UNARY.items():
    _k = _unary_kernel(_u)
    _define(_n, [("R! S", _tensor_unary(_k)), ("d", _scalar_unary(_k))], types=_FLOAT_TYPES,
            method_forms=[("R! S", _tensor_unary(_k))])
for _n, _k in (("round", _round_half_away), ("frac", _frac_arr), ("rsqrt", _rsqrt_arr),
               ("sigmoid", _sigmoid_arr)):
    _define(_n, [("R! S", _tensor_unary(_k)), ("d", _scalar_unary(_k))], types=_FLOAT_TYPES,
            method_forms=[("R! S", _tensor_unary(_k))])
_define("neg", [("R! S", _tensor_unary(_neg_arr))], types=_FLOAT_TYPES)
_define("cinv", [("R! S", _tensor_unary(_cinv_arr))], types=_FLOAT_TYPES)


def _abs_scalar(T, x):
    return _pyreal(T, _babs(x)) if T.dtype.kind == "f" else int(_babs(int(x)))


_define("abs", [("R! S", _tensor_unary(_abs_arr)), ("d", _abs_scalar)],
        types=(IntTensor, LongTensor, FloatTensor, DoubleTensor),
        method_forms=[("R! S", _tensor_unary(_abs_arr))])
_define("sign", [("R! S", _tensor_unary(_sign_arr))])


def _pow(T, res, src, value):
    r = _prep(T, res, src)
    with _quiet():
        np.power(src.numpy(), value, out=r.numpy())
    return r


def _tpow(T, res, value, src):
    r = _prep(T, res, src)
    with _quiet():
        np.power(value, src.numpy(), out=r.numpy())
    return r


def _pow_scalar(T, a, b):
    with _quiet():
        return float(np.power(np.float64(a), np.float64(b)))


_define("pow", [("R! S r", _pow), ("R! r S", _tpow), ("d d", _pow_scalar)],
        types=_FLOAT_TYPES, method_forms=[("R! S r", _pow), ("R! r S", _tpow)])


def _atan2(T, res, src, other):
    _check_same_n(src, other)
    r = _prep(T, res, src)
    np.arctan2(src.numpy(), _view_as(other, src._size), out=r.numpy())
    return r


_define("atan2", [("R! S T", _atan2), ("d d", lambda T, a, b: math.atan2(a, b))],
        types=_FLOAT_TYPES, method_forms=[("R! S T", _atan2)])


def _lerp(T, res, src, end, weight):
    _check_same_n(src, end)
    r = _prep(T, res, src)
    a = src.numpy()
    r.numpy()[...] = a + weight * (_view_as(end, src._size) - a)
    return r


_define("lerp", [("R! S T r", _lerp), ("d d d", lambda T, a, b, w: a + w * (b - a))],
        types=_FLOAT_TYPES, method_forms=[("R! S T r", _lerp)])


# --------------------------------------------------------------------------------------------
# BLAS: mm mv ger bmm dot addmm addmv addr addbmm baddbmm
# --------------------------------------------------------------------------------------------

def _need_dims(name, pairs):
    for t, d in pairs:
        if t.dim() != d:
            raise _DimError("%s: expected a %dD tensor, got %dD (size %s)"
                             % (name, d, t.dim(), _fmt_size(t)))


def _gemm_into(r, beta, p_fn, alpha, aliased):
    """r = beta * r + alpha * p; p_fn(out) computes the product (into out when given)."""
    if beta == 0:
        if alpha == 1 and not aliased:
            p_fn(r)
        else:
            p = p_fn(None)
            np.multiply(p, alpha, out=r, casting="unsafe")
        return
    p = p_fn(None)
    if alpha != 1:
        p = p * alpha
    if beta != 1:
        r *= beta
    np.add(r, p, out=r, casting="unsafe")


def _matmul(a, b, out):
    """a @ b, into `out` when given."""
    return np.matmul(a, b) if out is None else np.matmul(a, b, out=out)


def _outer(a, b, out):
    if out is None:
        return np.multiply.outer(a, b)
    return np.multiply(a[:, None], b[None, :], out=out)


def _batch_sum_matmul(a, b, out):
    """sum over the batch of a[i] @ b[i]: one (n, nb*k) @ (nb*k, m) GEMM."""
    nb, n, k = a.shape
    return _matmul(a.transpose(1, 0, 2).reshape(n, nb * k), b.reshape(nb * k, b.shape[2]), out)


def _blas_into(T, res, beta, M, alpha, t1, t2, product=_matmul):
    """res = beta * M + alpha * product(t1, t2). A new result skips copying M when beta is 0
    (the product overwrites it); t1 and t2 are read after res is sized and holds M."""
    if res is None:
        res = _new(T, M._size)
        if beta != 0:
            res.numpy()[...] = M.numpy()
    elif res is not M:
        _resize(res, M._size)
        res.numpy()[...] = M.numpy()
    a, b = t1.numpy(), t2.numpy()
    _gemm_into(res.numpy(), beta, lambda out: product(a, b, out), alpha, _shares(res, t1, t2))
    return res


def _shares(r, *ts):
    return _bany(t._storage is r._storage for t in ts)


def _addmm(T, res, beta, M, alpha, m1, m2):
    _need_dims("addmm", ((M, 2), (m1, 2), (m2, 2)))
    n, k = m1._size
    k2, m = m2._size
    ss = messages.size_str
    if k != k2:
        raise TorchError(messages.msg("size_mismatch_mm", ss(m1._size), ss(m2._size)))
    if M._size != (n, m):
        raise TorchError(messages.msg("size_mismatch_addmm", ss(M._size), ss(m1._size),
                                      ss(m2._size)))
    return _blas_into(T, res, beta, M, alpha, m1, m2)


def _addmv(T, res, beta, M, alpha, mat, vec):
    _need_dims("addmv", ((M, 1), (mat, 2), (vec, 1)))
    ss = messages.size_str
    if mat._size[1] != vec._size[0]:
        raise TorchError(messages.msg("size_mismatch_mv", ss(mat._size), ss(vec._size)))
    if M._size[0] != mat._size[0]:
        raise TorchError(messages.msg("size_mismatch_addmv", ss(M._size), ss(mat._size),
                                      ss(vec._size)))
    m, n = mat._size
    if (T.dtype.kind == "f" and mat._stride[0] == 1 and n > 0 and m > 0
            and not _shares(res or M, mat, vec)
            and (T.dtype == np.float64 or m <= 3)):
        # BLAS gemv 'n' (a column-major matrix): OpenBLAS dgemv_n's order
        r = _new(T, M._size) if res is None else _resize(res, M._size)
        y = r.numpy()
        if r is not M:
            y[...] = M.numpy()
        if beta == 0:
            y[...] = 0
        elif beta != 1:
            y *= beta
        lda = m if n == 1 else mat._stride[1]
        numerics.gemv_n(mat.numpy(), vec.numpy(), y, alpha,
                        lda == m and vec._stride[0] == 1)
        return r
    if (T.dtype.kind == "f" and 2 <= mat._size[1] <= 3 and mat._stride[1] == 1
            and mat._stride[0] != 1 and not _shares(res or M, mat, vec)):
        # BLAS gemv 't' with a dot of 2 or 3: OpenBLAS's scalar tail, in its order
        r = _new(T, M._size) if res is None else _resize(res, M._size)
        y = r.numpy()
        if r is not M:
            y[...] = M.numpy()
        if beta == 0:
            y[...] = 0
        elif beta != 1:
            y *= beta
        numerics.gemv_t_tail(mat.numpy(), vec.numpy(), y, alpha)
        return r
    return _blas_into(T, res, beta, M, alpha, mat, vec)


def _addr(T, res, beta, M, alpha, v1, v2):
    _need_dims("addr", ((M, 2), (v1, 1), (v2, 1)))
    if M._size != (v1._size[0], v2._size[0]):
        ss = messages.size_str
        raise TorchError(messages.msg("size_mismatch_addr", ss(M._size), ss(v1._size),
                                      ss(v2._size)))
    return _blas_into(T, res, beta, M, alpha, v1, v2, _outer)


def _check_bmm(name, M, b1, b2, batched):
    _need_dims(name, ((M, 3 if batched else 2), (b1, 3), (b2, 3)))
    nb, n, k = b1._size
    nb2, k2, m = b2._size
    if nb != nb2 or k != k2 or M._size != ((nb, n, m) if batched else (n, m)):
        raise TorchError("size mismatch: %s of %s + %s * %s" % (
            name, _fmt_size(M), _fmt_size(b1), _fmt_size(b2)))


def _baddbmm(T, res, beta, M, alpha, b1, b2):
    _check_bmm("baddbmm", M, b1, b2, True)
    return _blas_into(T, res, beta, M, alpha, b1, b2)


def _addbmm(T, res, beta, M, alpha, b1, b2):
    _check_bmm("addbmm", M, b1, b2, False)
    return _blas_into(T, res, beta, M, alpha, b1, b2, _batch_sum_matmul)


def _product(name, dims, add_impl, result_size):
    """mm/mv/ger/bmm: add_impl with beta 0 into res (new, of result_size(a, b), when absent)."""
    def impl(T, res, beta, M, alpha, a, b):
        _need_dims(name, ((a, dims[0]), (b, dims[1])))
        if res is None:
            res = _new(T, result_size(a._size, b._size))
        return add_impl(T, res, 0, res, 1, a, b)
    return impl


_mm = _product("mm", (2, 2), _addmm, lambda a, b: (a[0], b[1]))
_mv = _product("mv", (2, 1), _addmv, lambda a, b: (a[0],))
_ger = _product("ger", (1, 1), _addr, lambda a, b: (a[0], b[0]))
_bmm = _product("bmm", (3, 3), _baddbmm, lambda a, b: (a[0], a[1], b[2]))


_PRODUCT_DIMS = {"mm": (2, 2), "mv": (2, 1), "ger": (1, 1), "bmm": (3, 3)}
_ADD_DIMS = {"addmm": (2, 2, 2, 2), "addmv": (1, 1, 2, 1), "addr": (2, 2, 1, 1),
             "addbmm": (2, 2, 3, 3), "baddbmm": (3, 3, 3, 3)}
for _n, _impl in (("mm", _mm), ("mv", _mv), ("ger", _ger), ("bmm", _bmm)):
    _define(_n, [("R! r=0^ T@^ r=1^ T~%d T~%d" % _PRODUCT_DIMS[_n], _impl)])
for _n, _impl in (("addmm", _addmm), ("addmv", _addmv), ("addr", _addr), ("addbmm", _addbmm),
                  ("baddbmm", _baddbmm)):
    _d = _ADD_DIMS[_n]
    _define(_n, [("R~%d r=1 T~%d r=1 T~%d T~%d" % _d, _impl)],
            method_forms=[("R!~%d r=1^ T@~%d r=1 T~%d T~%d" % _d, _impl),
                          ("R!~%d r T@~%d r T~%d T~%d" % _d, _impl)])


def _dot(T, a, b):
    if a.nElement() != b.nElement():
        raise _inconsistent(("tensor", "src"), (a, b))
    x = a.numpy().reshape(-1)
    y = b.numpy().reshape(-1)
    if T.dtype.kind == "f":
        if a.isContiguous() and b.isContiguous():
            r = numerics.dot(y, x)  # THBlas_(dot)(n, src, tensor): OpenBLAS's order
            if r is not None:
                return r
        return float(np.dot(x, y))
    return int(np.dot(x.astype(np.int64), y.astype(np.int64)))


_define("dot", [("T T", _dot)])


# --------------------------------------------------------------------------------------------
# reductions
# --------------------------------------------------------------------------------------------

def _kept(t, d):
    s = list(t._size)
    s[d] = 1
    return tuple(s)


def _reduce_into(T, res, src, d, values):
    """Store values (keepdims, any dtype) into res (new or resized), C-cast to T."""
    r = _result(T, res, _kept(src, d))
    ra = r.numpy()
    if values.dtype == ra.dtype:
        ra[...] = values
    else:
        ra[...] = c_cast(values, T.dtype)
    return r


def _sumall(T, t):
    if not t._size:
        return _pyacc(T, 0)
    if T.dtype.kind != "f":
        return _pyacc(T, np.add.reduce(t.numpy(), axis=None, dtype=_acc(T)))
    # TH: `accreal sum = 0; sum += x` in row-major order (numpy's sum is pairwise)
    return _pyacc(T, numerics.seqsum(t.numpy(), np.float64))


def _dim_reduce(T, src, d, seq, plain):
    """THTensor_(sum/prod) along d: a slice of stride 1 loops in accreal, otherwise the result
    (typed as the tensor) accumulates the slices one after the other."""
    a = src.numpy()
    if T.dtype.kind != "f":
        return plain(a, axis=d, keepdims=True, dtype=_acc(T))
    return seq(a, d, np.float64 if src._stride[d] == 1 else T.dtype)


def _sum(T, res, src, d):
    _dimcheck(src, d)
    return _reduce_into(T, res, src, d, _dim_reduce(T, src, d, numerics.seqsum_axis, np.sum))


def _prodall(T, t):
    if not t._size:
        return _pyacc(T, 1)
    if T.dtype.kind != "f":
        return _pyacc(T, np.prod(t.numpy(), dtype=_acc(T)))
    return _pyacc(T, numerics.seqprod(t.numpy(), np.float64))


def _prod(T, res, src, d):
    _dimcheck(src, d)
    return _reduce_into(T, res, src, d, _dim_reduce(T, src, d, numerics.seqprod_axis, np.prod))


def _cum(ufunc):
    def impl(T, res, src, d):
        _dimcheck(src, d)
        r = _prep(T, res, src)
        ra = r.numpy()
        acc = _acc(T)
        if ra.dtype == acc and r is not src:
            ufunc(src.numpy(), axis=d, dtype=acc, out=ra)
        else:
            v = ufunc(src.numpy(), axis=d, dtype=acc)
            ra[...] = v if v.dtype == ra.dtype else c_cast(v, T.dtype)
        return r
    return impl


def _meanall(T, t):
    if not t._size:
        raise TorchError("mean: empty tensor")
    return _sumall(T, t) / t.nElement()


def _mean(T, res, src, d):
    # THTensor_(mean): sum along d (typed as the tensor), then div by the size, in real
    r = _sum(T, res, src, d)
    ra = r.numpy()
    np.divide(ra, T.dtype.type(src._size[d]), out=ra)
    return r


def _moments(a, axis, dt):
    """var/std's one-pass sums along axis: `sum += z; sum2 += z*z` (z*z in the tensor's type)."""
    s = numerics.seqsum_axis(a, axis, np.float64)
    s2 = numerics.seqsum_axis(a * a, axis, np.float64)
    return s, s2


def _var_dim(T, src, d, biased):
    a = src.numpy()
    n = src._size[d]
    s, s2 = _moments(a, d, T.dtype)
    with _quiet():
        s = s / n
        if biased:
            s2 = s2 / n - s * s
        else:
            # ((real)n)/((real)(n-1)) is computed in the tensor's type
            s2 = s2 / (n - 1) - np.float64(T.dtype.type(n) / T.dtype.type(n - 1)) * s * s
    return np.maximum(s2, 0)


def _varall(T, t, biased):
    if not t._size:
        raise TorchError("var: empty tensor")
    mean = _meanall(T, t)
    z = t.numpy().astype(np.float64) - mean
    with _quiet():
        return float(numerics.seqsum(z * z, np.float64) / (t.nElement() - (0 if biased else 1)))


def _var(T, res, src, d, biased):
    _dimcheck(src, d)
    return _reduce_into(T, res, src, d, _var_dim(T, src, d, biased))


def _std(T, res, src, d, biased):
    _dimcheck(src, d)
    v = _var_dim(T, src, d, biased)
    # TH_MATH_NAME(sqrt): sqrtf of the double rounded to float for FloatTensor
    return _reduce_into(T, res, src, d, np.sqrt(v.astype(T.dtype)))


def _stdall_impl(T, t, biased):
    v = _varall(T, t, biased)
    return math.sqrt(v) if v == v else v


_define("sum", [("T", _sumall), ("R T i", _sum)])
_define("prod", [("T", _prodall), ("R T i", _prod)])
_define("cumsum", [("R T i=1", _cum(np.cumsum))])
_define("cumprod", [("R T i=1", _cum(np.cumprod))])
_define("mean", [("T", _meanall), ("R T i", _mean)], types=_FLOAT_TYPES)
_define("var", [("T b=0", _varall), ("R T i b=0", _var)], types=_FLOAT_TYPES)
_define("std", [("T b=0", _stdall_impl), ("R T i b=0", _std)], types=_FLOAT_TYPES)


def _maxall(T, t):
    if not t._size:
        raise TorchError("max: tensor must have one dimension")
    return _pyreal(T, np.max(t.numpy()))


def _minall(T, t):
    if not t._size:
        raise TorchError("min: tensor must have one dimension")
    return _pyreal(T, np.min(t.numpy()))


def _argext(argf):
    def impl(T, res, ires, src, d):
        _dimcheck(src, d)
        a = src.numpy()
        idx = argf(a, axis=d, keepdims=True)
        vals = np.take_along_axis(a, idx, axis=d)
        shape = _kept(src, d)
        r = _result(T, res, shape)
        ri = _result(LongTensor, ires, shape)
        r.numpy()[...] = vals
        np.add(idx, 1, out=ri.numpy())
        return r, ri
    return impl


_define("max", [("T", _maxall), ("R L? T i", _argext(np.argmax))])
_define("min", [("T", _minall), ("R L? T i", _argext(np.argmin))])


def _powabs(a, p):
    """TH_MATH_NAME(pow)(fabs(x), p) in the tensor's type; p = 1 and 2 are exact forms."""
    a = np.abs(a)
    if p == 1:
        return a
    if p == 2:
        return a * a
    return np.power(a, a.dtype.type(p))


def _root(T, s, p):
    """TH_MATH_NAME(pow)(sum, 1.0/value): powf of floats for FloatTensor."""
    dt = T.dtype.type
    if p == 1:
        return dt(s)
    return np.power(dt(s), dt(np.float64(1.0) / p))


def _normall(T, t, p):
    if not t._size:
        return 0.0
    a = t.numpy()
    p = float(p)
    with _quiet():
        if p == 0:
            return float(np.count_nonzero(a))
        if p == 1:
            return float(numerics.seqsum(np.abs(a), np.float64))
        if p == 2:
            z = a.astype(np.float64)
            return math.sqrt(numerics.seqsum(z * z))
        return float(_root(T, numerics.seqsum(_powabs(a, p), np.float64), p))


def _norm_arr(T, a, p, axis):
    with _quiet():
        if p == 0:
            return np.sum(a != 0, axis=axis, keepdims=True).astype(np.float64)
        s = numerics.seqsum_axis(_powabs(a, p), axis, np.float64)
        return _root(T, s, p)


def _norm(T, res, src, p, d):
    _dimcheck(src, d)
    return _reduce_into(T, res, src, d, _norm_arr(T, src.numpy(), float(p), d))


def _dist(T, a, b, p):
    _check_same_n(a, b, ("tensor", "src"))
    if not a._size:
        return 0.0
    p = float(p)
    with _quiet():
        # `real sum += pow(fabs(t - s), value)`, then pow(sum, 1.0/value), all in real
        d = a.numpy() - _view_as(b, a._size)
        return float(_root(T, numerics.seqsum(_powabs(d, p), T.dtype), p))


def _renorm(T, res, src, p, d, maxnorm):
    _dimcheck(src, d)
    if p <= 0:
        raise TorchError("renorm: non-positive norm")
    if src.dim() <= 1:
        raise TorchError("renorm: need at least 2 dimensions")
    a = src.numpy()
    axes = tuple(i for i in _brange(a.ndim) if i != d)
    with _quiet():
        norms = np.sum(np.abs(a.astype(np.float64)) ** float(p), axis=axes,
                       keepdims=True) ** (1.0 / float(p))
    scale = np.where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    r = _prep(T, res, src)
    r.numpy()[...] = c_cast(a * scale, T.dtype) if T.dtype != np.float64 else a * scale
    return r


_define("norm", [("T r=2", _normall), ("R T r i", _norm)], types=_FLOAT_TYPES)
_define("dist", [("T T r=2", _dist)], types=_FLOAT_TYPES)
_define("renorm", [("R! S r i r", _renorm)], types=_FLOAT_TYPES)


def _trace(T, t):
    _need_dims("trace", ((t, 2),))
    if T.dtype.kind == "f":
        return _pyacc(T, numerics.seqsum(np.diagonal(t.numpy()), np.float64))
    return _pyacc(T, np.trace(t.numpy(), dtype=_acc(T)))


def _numel(T, t):
    return t.nElement()


def _equal(T, a, b):
    if a._size != b._size:
        return False
    return bool(np.array_equal(a.numpy(), b.numpy()))


_define("trace", [("T", _trace)])
_define("numel", [("T", _numel)])
_define("equal", [("T T", _equal)])


def _logical(name, f):
    def impl(T, t):
        if not t._size:
            raise TorchError("%s: empty Tensor" % name)
        return bool(f(t.numpy()))
    return impl


_define("all", [("T", _logical("all", np.all))], types=(ByteTensor,))
_define("any", [("T", _logical("any", np.any))], types=(ByteTensor,))


# --------------------------------------------------------------------------------------------
# sort, topk, kthvalue, median, mode
# --------------------------------------------------------------------------------------------

# Torch7 sorts with Sedgewick's quicksort (insertion sort below 12 elements) and selects with a
# median-of-three quickselect. Neither is stable, so the positions reported for equal values
# (and the order of an unsorted topk) depend on the exact swaps. Where that matters and the
# slices are small, the slices run through the same algorithms (_ts_*) one by one; otherwise a
# numpy kernel gives the same values, and the same indices whenever there are no ties.
_EXACT_LIMIT = 10000  # elements; above this the numpy kernels are used


def _ts_quicksort(a, ix, n, desc):
    """Torch7's quicksortascend/quicksortdescend on the first n entries of lists a, ix."""
    if desc:
        def before(x, y):
            return x > y
    else:
        def before(x, y):
            return x < y
    stack = []
    lo, hi = 0, n - 1
    done = n - 1 <= 10
    while not done:
        p = (lo + hi) >> 1
        a[p], a[lo + 1] = a[lo + 1], a[p]
        ix[p], ix[lo + 1] = ix[lo + 1], ix[p]
        for u, v in ((lo + 1, hi), (lo, hi), (lo + 1, lo)):
            if before(a[v], a[u]):
                a[u], a[v] = a[v], a[u]
                ix[u], ix[v] = ix[v], ix[u]
        i, j, piv = lo + 1, hi, a[lo]
        while True:
            i += 1
            while before(a[i], piv):
                i += 1
            j -= 1
            while before(piv, a[j]):
                j -= 1
            if j < i:
                break
            a[i], a[j] = a[j], a[i]
            ix[i], ix[j] = ix[j], ix[i]
        a[lo], a[j] = a[j], a[lo]
        ix[lo], ix[j] = ix[j], ix[lo]
        left, right = j - lo, hi - i + 1
        if left <= 10 and right <= 10:
            if not stack:
                done = True
            else:
                lo, hi = stack.pop()
        elif left <= 10 or right <= 10:
            if left > right:
                hi = j - 1
            else:
                lo = i
        elif left > right:
            stack.append((lo, j - 1))
            lo = i
        else:
            stack.append((i, hi))
            hi = j - 1
    for i in _brange(n - 2, -1, -1):
        if before(a[i + 1], a[i]):
            piv, pid = a[i], ix[i]
            j = i + 1
            while True:
                a[j - 1] = a[j]
                ix[j - 1] = ix[j]
                j += 1
                if not (j < n and before(a[j], piv)):
                    break
            a[j - 1] = piv
            ix[j - 1] = pid


def _ts_quickselect(a, ix, k):
    """Torch7's quickselect: puts the (k+1)-th smallest of lists a, ix at position k."""
    lo, hi = 0, len(a) - 1
    while True:
        if hi <= lo:
            return
        if hi == lo + 1:
            if a[lo] > a[hi]:
                a[lo], a[hi] = a[hi], a[lo]
                ix[lo], ix[hi] = ix[hi], ix[lo]
            return
        p = (lo + hi) >> 1
        a[p], a[lo + 1] = a[lo + 1], a[p]
        ix[p], ix[lo + 1] = ix[lo + 1], ix[p]
        for u, v in ((lo + 1, hi), (lo, hi), (lo + 1, lo)):
            if a[u] > a[v]:
                a[u], a[v] = a[v], a[u]
                ix[u], ix[v] = ix[v], ix[u]
        i, j, piv = lo + 1, hi, a[lo]
        while True:
            i += 1
            while a[i] < piv:
                i += 1
            j -= 1
            while a[j] > piv:
                j -= 1
            if j < i:
                break
            a[i], a[j] = a[j], a[i]
            ix[i], ix[j] = ix[j], ix[i]
        a[lo], a[j] = a[j], a[lo]
        ix[lo], ix[j] = ix[j], ix[lo]
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


def _slices(a, d):
    """a with dim d moved last, as rows (a copy)."""
    m = np.moveaxis(a, d, -1)
    return m.reshape(-1, m.shape[-1]), m.shape


def _unslice(rows, shape, d):
    return np.moveaxis(rows.reshape(shape[:-1] + (rows.shape[-1],)), -1, d)


def _has_ties(rows):
    """Per row: equal values (or NaN) present."""
    if rows.shape[1] < 2:
        return np.zeros(rows.shape[0], bool)
    s = np.sort(rows, axis=1)
    ties = (s[:, 1:] == s[:, :-1]).any(axis=1)
    if rows.dtype.kind == "f":
        ties |= np.isnan(rows).any(axis=1)
    return ties


def _stable_order(a, axis, descending):
    """Indices that sort a along axis, ties kept in their original order (both directions)."""
    if not descending:
        return np.argsort(a, axis=axis, kind="stable")
    n = a.shape[axis]
    rev = np.flip(a, axis=axis)
    o = np.argsort(rev, axis=axis, kind="stable")
    return (n - 1) - np.flip(o, axis=axis)


def _sort_order(a, d, descending):
    """Torch7's sort permutation along d (exact for small inputs)."""
    o = _stable_order(a, d, descending)
    n = a.shape[d]
    if n <= 11 or a.size > _EXACT_LIMIT:
        return o  # insertion sort (stable) below 12 elements
    rows, shape = _slices(a, d)
    ties = _has_ties(rows)
    if ties.any():
        orows, _ = _slices(o, d)
        for r in np.nonzero(ties)[0]:
            vals = rows[r].tolist()
            ix = list(_brange(n))
            _ts_quicksort(vals, ix, n, descending)
            orows[r] = ix
        o = _unslice(orows, shape, d)
    return o


def _sort(T, res, ires, src, d, descending):
    if not src._size:
        return _result(T, res, ()), _result(LongTensor, ires, ())
    if not 0 <= d < src.dim():
        raise TorchError(messages.bad_argument(2, "invalid dimension %d" % (d + 1)))
    a = src.numpy()
    o = _sort_order(a, d, descending)
    vals = np.take_along_axis(a, o, axis=d)
    r = _result(T, res, src._size)
    ri = _result(LongTensor, ires, src._size)
    r.numpy()[...] = vals
    np.add(o, 1, out=ri.numpy())
    return r, ri


def _topk_exact(row, k, largest, sorted_):
    n = len(row)
    vals = row.tolist()
    ix = list(_brange(n))
    if largest:
        K = n - k
        if K > 0:
            _ts_quickselect(vals, ix, K - 1)
        if sorted_:
            sub, subi = vals[K:], ix[K:]
            _ts_quicksort(sub, subi, k, True)
            vals[K:], ix[K:] = sub, subi
        return ix[K:]
    _ts_quickselect(vals, ix, k - 1)
    if sorted_:
        _ts_quicksort(vals, ix, k - 1, False)  # Torch7 sorts the first k - 1 only
    return ix[:k]


def _topk(T, res, ires, src, k, d, largest, sorted_):
    _dimcheck(src, d)
    n = src._size[d]
    if k < 1 or k > n:
        raise TorchError(messages.bad_argument(2, "k not in range for dimension"))
    a = src.numpy()
    if a.size <= _EXACT_LIMIT:
        rows, shape = _slices(a, d)
        sel = np.array([_topk_exact(r, k, largest, sorted_) for r in rows], np.int64)
        sel = _unslice(sel.reshape(rows.shape[0], k), shape, d)
    else:
        if largest:
            part = np.argpartition(a, n - k, axis=d)
            sel = np.take(part, np.arange(n - k, n), axis=d)
        else:
            part = np.argpartition(a, k - 1, axis=d)
            sel = np.take(part, np.arange(k), axis=d)
        sel = np.sort(sel, axis=d)
        o = _stable_order(np.take_along_axis(a, sel, axis=d), d, largest)
        sel = np.take_along_axis(sel, o, axis=d)
    shape = list(src._size)
    shape[d] = k
    shape = tuple(shape)
    r = _result(T, res, shape)
    ri = _result(LongTensor, ires, shape)
    r.numpy()[...] = np.take_along_axis(a, sel, axis=d)
    np.add(sel, 1, out=ri.numpy())
    return r, ri


def _kthvalue(T, res, ires, src, k, d):
    _dimcheck(src, d)
    n = src._size[d]
    if k < 1 or k > n:
        raise TorchError("kthvalue: selected index out of range (k = %d, size %d)" % (k, n))
    a = src.numpy()
    o = np.argsort(a, axis=d, kind="stable")
    sel = np.take(o, [k - 1], axis=d)
    if a.size <= _EXACT_LIMIT:
        # the index is only ambiguous when the k-th value occurs more than once (or NaN)
        kth = np.take_along_axis(a, sel, axis=d)
        amb = (np.sum(a == kth, axis=d, keepdims=True) > 1)
        if a.dtype.kind == "f":
            amb |= np.isnan(a).any(axis=d, keepdims=True)
        if amb.any():
            rows, shape = _slices(a, d)
            srows, sshape = _slices(sel, d)
            for r in np.nonzero(_slices(amb, d)[0][:, 0])[0]:
                vals = rows[r].tolist()
                ix = list(_brange(n))
                _ts_quickselect(vals, ix, k - 1)
                srows[r, 0] = ix[k - 1]
            sel = _unslice(srows, sshape, d)
    shape = _kept(src, d)
    r = _result(T, res, shape)
    ri = _result(LongTensor, ires, shape)
    r.numpy()[...] = np.take_along_axis(a, sel, axis=d)
    np.add(sel, 1, out=ri.numpy())
    return r, ri


def _median(T, res, ires, src, d):
    _dimcheck(src, d)
    return _kthvalue(T, res, ires, src, (src._size[d] - 1) // 2 + 1, d)


def _mode(T, res, ires, src, d):
    _dimcheck(src, d)
    a = np.moveaxis(src.numpy(), d, -1)
    n = a.shape[-1]
    o = _sort_order(a, a.ndim - 1, False)
    s = np.take_along_axis(a, o, axis=-1)
    pos = np.arange(n)
    start = np.ones(s.shape, bool)
    start[..., 1:] = s[..., 1:] != s[..., :-1]
    run_start = np.maximum.accumulate(np.where(start, pos, 0), axis=-1)
    end = np.ones(s.shape, bool)
    end[..., :-1] = start[..., 1:]
    freq = np.where(end, pos - run_start + 1, 0)
    best = np.argmax(freq, axis=-1)[..., None]  # first maximum: the smallest value
    vals = np.take_along_axis(s, best, axis=-1)
    idx = np.take_along_axis(o, best, axis=-1)  # Torch7 reports the run's last position
    shape = _kept(src, d)
    r = _result(T, res, shape)
    ri = _result(LongTensor, ires, shape)
    r.numpy()[...] = np.moveaxis(vals, -1, d)
    np.add(np.moveaxis(idx, -1, d), 1, out=ri.numpy())
    return r, ri


_define("sort", [("R L? T i=L3 b=0", _sort)])
_define("topk", [("R L? T n=1 i=L3 b=0 b=0", _topk)])
_define("kthvalue", [("R L? T n i=L3", _kthvalue)])
_define("median", [("R L? T i=L3", _median)])
_define("mode", [("R L? T i=L3", _mode)])


# --------------------------------------------------------------------------------------------
# comparisons
# --------------------------------------------------------------------------------------------

def _make_cmp(ufunc):
    def value_b(T, res, src, value):
        r = _result(ByteTensor, res, src._size)
        ufunc(src.numpy(), value, out=r.numpy(), casting="unsafe")
        return r

    def value_t(T, res, src, value):
        r = _result(T, res, src._size)
        ufunc(src.numpy(), value, out=r.numpy(), casting="unsafe")
        return r

    def tensor_b(T, res, a, b):
        _check_same_n(a, b)
        r = _result(ByteTensor, res, a._size)
        ufunc(a.numpy(), _view_as(b, a._size), out=r.numpy(), casting="unsafe")
        return r

    def tensor_t(T, res, a, b):
        _check_same_n(a, b)
        r = _result(T, res, a._size)
        ufunc(a.numpy(), _view_as(b, a._size), out=r.numpy(), casting="unsafe")
        return r
    return [("B? T r", value_b), ("T T r", value_t), ("B? T T", tensor_b),
            ("T T T", tensor_t)]


for _n, _u in (("lt", np.less), ("le", np.less_equal), ("gt", np.greater),
               ("ge", np.greater_equal), ("eq", np.equal), ("ne", np.not_equal)):
    _define(_n, _make_cmp(_u))


def _nonzero(T, res, src):
    r = LongTensor() if res is None else res
    if not src._size:
        _resize(r, ())
        return r
    nz = np.nonzero(src.numpy())
    cnt = nz[0].shape[0]
    _resize(r, (cnt, src.dim()))
    if cnt:
        np.add(np.stack(nz, axis=1), 1, out=r.numpy())
    return r


_define("nonzero", [("L? T", _nonzero)])


# --------------------------------------------------------------------------------------------
# construction and structure: zeros ones eye range linspace logspace diag tril triu cat cross
# reshape histc
# --------------------------------------------------------------------------------------------

def _sizes(args, name):
    if len(args) == 1 and isinstance(args[0], (Storage, list, tuple)):
        vals = list(args[0]._data) if isinstance(args[0], Storage) else list(args[0])
    else:
        vals = list(args)
    out = []
    for v in vals:
        if isinstance(v, bool) or not isinstance(v, _NUMBER_TYPES):
            raise _SizeArgError(name)
        out.append(int(v))
    return out


class _SizeArgError(TorchError):
    """A size argument (cwrap's LongArg) that is neither numbers nor a LongStorage."""


def sized_invalid(T, given, method=False, generator=False):
    """cwrap's invalid-arguments error of a function taking [result] [Generator] sizes."""
    res = ("*%s*" if method else "[*%s*]") % T.__name__
    form = res + (" [Generator]" if generator else "") + " " + messages.LONG_ARG
    return TorchError(messages.invalid_arguments(given, [form]))


def _filled(name, value):
    def fn(*args):
        given = args
        T, args = _dispatch_type(args)
        if args and isinstance(args[0], Tensor):
            r, args = args[0], args[1:]
        else:
            r = T()
        try:
            sizes = _sizes(args, name)
        except _SizeArgError:
            raise sized_invalid(T, given) from None
        r.resize(*sizes)
        if r._size:
            r.numpy()[...] = value
        return r

    def method(self, *args):
        try:
            sizes = _sizes(args, name)
        except _SizeArgError:
            raise sized_invalid(type(self), (self,) + args, method=True) from None
        self.resize(*sizes)
        if self._size:
            self.numpy()[...] = value
        return self
    fn.__name__ = name
    return fn, method


zeros, _zeros_m = _filled("zeros", 0)
ones, _ones_m = _filled("ones", 1)
__all__ += ["zeros", "ones"]


def reshape(*args):
    """torch.reshape([res,] src, sizes...): a contiguous copy with new sizes."""
    T, args = _dispatch_type(args)
    if len(args) >= 2 and isinstance(args[1], Tensor):
        res, src, sizes = args[0], args[1], args[2:]
    else:
        res, src, sizes = None, args[0], args[1:]
    sizes = _sizes(sizes, "reshape")
    n = 1
    for s in sizes:
        n *= s
    if n != src.nElement():
        raise TorchError("reshape: inconsistent number of elements (%d vs %d)"
                         % (n, src.nElement()))
    r = T() if res is None else res
    data = np.array(src.numpy()).reshape(-1)
    r.resize(*sizes)
    if r._size:
        r.numpy()[...] = data.reshape(r._size)
    return r


__all__.append("reshape")


def _reshape_m(self, *args):
    if args and isinstance(args[0], Tensor):
        return reshape(self, *args)
    return reshape(self, *args)


def _eye(T, res, n, m):
    if n <= 0:
        raise TorchError("eye: invalid number of rows %d" % n)
    if m <= 0:
        m = n
    r = _result(T, res, (n, m))
    a = r.numpy()
    a[...] = 0
    k = _bmin(n, m)
    a[np.arange(k), np.arange(k)] = 1
    return r


_define("eye", [("R! n n=0", _eye)])


def _range(T, res, xmin, xmax, step):
    if T.is_integer:
        xmin, xmax, step = int(xmin), int(xmax), int(step)
    if step == 0:
        raise TorchError(messages.bad_argument(3, "step must be a non-null number"))
    if not ((step > 0 and xmax >= xmin) or (step < 0 and xmax <= xmin)):
        raise TorchError(messages.bad_argument(2, "upper bound and larger bound incoherent "
                                                  "with step sign"))
    if T.is_integer:
        size = (xmax - xmin) // step + 1
    else:
        size = int((xmax - xmin) / step + 1)
    r = T() if res is None else res
    if r.nElement() != size:
        r._resize_nd([size])
    vals = xmin + np.arange(size, dtype=_acc(T)) * step
    r.numpy()[...] = c_cast(vals, T.dtype).reshape(r._size)
    return r


_define("range", [("R! d d d=1", _range)])


def _linspace(T, res, a, b, n):
    if not (n > 1 or (n == 1 and a == b)):
        raise TorchError(messages.bad_argument(3, "invalid number of points"))
    r = T() if res is None else res
    if r.nElement() != n:
        r._resize_nd([n])
    dt = T.dtype.type
    if n == 1:
        vals = np.array([a], T.dtype)
    else:
        step = (dt(b) - dt(a)) / dt(n - 1)
        vals = dt(a) + np.arange(n).astype(T.dtype) * step
    r.numpy()[...] = vals.reshape(r._size)
    return r


def _logspace(T, res, a, b, n):
    r = _linspace(T, res, a, b, n)
    a_ = r.numpy()
    np.power(T.dtype.type(10), a_, out=a_)
    return r


_define("linspace", [("R! r r n=100", _linspace)], types=_FLOAT_TYPES)
_define("logspace", [("R! r r n=100", _logspace)], types=_FLOAT_TYPES)


def _diag(T, res, src, k):
    if src.dim() == 1:
        n = src._size[0]
        size = n + _babs(k)
        r = _result(T, res, (size, size))
        a = r.numpy()
        a[...] = 0
        i = np.arange(n)
        if k >= 0:
            a[i, i + k] = src.numpy()
        else:
            a[i - k, i] = src.numpy()
        return r
    if src.dim() == 2:
        d = np.diagonal(src.numpy(), offset=k)
        r = _result(T, res, (d.shape[0],))
        r.numpy()[...] = d
        return r
    raise TorchError("diag: matrix or a vector expected")


_define("diag", [("R T n=0", _diag)])


def _tri(f):
    def impl(T, res, src, k):
        _need_dims("tril/triu", ((src, 2),))
        r = _prep(T, res, src)
        r.numpy()[...] = f(src.numpy(), k)
        return r
    return impl


_define("tril", [("R T n=0", _tri(np.tril))])
_define("triu", [("R T n=0", _tri(np.triu))])


def _cat_array(T, res, inputs, dim):
    if not inputs:
        raise TorchError("cat: invalid number of inputs 0")
    maxdim = _bmax([dim + 1] + [t.dim() for t in inputs])
    ldim = (maxdim - 1 if maxdim else 0) if dim == -2 else dim
    if ldim < 0:
        raise TorchError("cat: invalid dimension %d" % (dim + 1))

    def sz(t, i):
        return t._size[i] if i < t.dim() else _bmin(t.dim(), 1)
    size = []
    for i in _brange(maxdim):
        s = sz(inputs[0], i)
        for t in inputs[1:]:
            s2 = sz(t, i)
            if i == ldim:
                s += s2
            elif s != s2 and s and s2:
                raise TorchError("inconsistent tensor sizes")  # THTensor_(catArray)
            elif not s:
                s = s2
        size.append(s)
    r = T() if res is None else res
    if not _bany(size):
        return r
    _resize(r, tuple(size))
    ra = r.numpy()
    off = 0
    for t in inputs:
        if not t._size:
            continue
        n = t._size[ldim] if ldim < t.dim() else 1
        sl = [slice(None)] * maxdim
        sl[ldim] = slice(off, off + n)
        dst = ra[tuple(sl)]
        dst[...] = t.numpy().reshape(dst.shape)
        off += n
    return r


def _cat2(T, res, a, b, dim):
    return _cat_array(T, res, [a, b], dim)


_define("cat", [("R T T i=-1", _cat2), ("R A i=-1", _cat_array)])


def _cross(T, res, a, b, d):
    if a._size != b._size:
        raise TorchError("cross: inconsistent tensor sizes %s and %s" % (_fmt_size(a),
                                                                          _fmt_size(b)))
    if d < 0:
        for i, s in enumerate(a._size):
            if s == 3:
                d = i
                break
        else:
            raise TorchError("no dimension of size 3 in a: [%s]" % messages.size_str(a._size))
    _dimcheck(a, d)
    if a._size[d] != 3:
        raise TorchError("cross: dimension %d does not have size 3" % (d + 1))
    r = _prep(T, res, a)
    x = np.moveaxis(a.numpy(), d, -1)
    y = np.moveaxis(b.numpy(), d, -1)
    c = np.empty(x.shape, T.dtype)
    c[..., 0] = x[..., 1] * y[..., 2] - x[..., 2] * y[..., 1]
    c[..., 1] = x[..., 2] * y[..., 0] - x[..., 0] * y[..., 2]
    c[..., 2] = x[..., 0] * y[..., 1] - x[..., 1] * y[..., 0]
    r.numpy()[...] = np.moveaxis(c, -1, d)
    return r


_define("cross", [("R T T i=0", _cross)])


def _histc(T, res, src, nbins, lo, hi):
    if nbins <= 0:
        raise TorchError("histc: bins must be > 0")
    r = _result(T, res, (nbins,))
    a = src.numpy().astype(np.float64).reshape(-1)
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    a = a[(a >= lo) & (a <= hi)]
    b = ((a - lo) / (hi - lo) * nbins).astype(np.int64)
    np.minimum(b, nbins - 1, out=b)
    r.numpy()[...] = np.bincount(b, minlength=nbins)[:nbins]
    return r


_define("histc", [("R T n=100 d=0 d=0", _histc)], types=_FLOAT_TYPES)


def _bhistc(T, res, src, nbins, lo, hi):
    _need_dims("bhistc", ((src, 2),))
    if nbins <= 0:
        raise TorchError("bhistc: bins must be > 0")
    rows = src._size[0]
    r = _result(T, res, (rows, nbins))
    a = src.numpy().astype(np.float64)
    if lo == hi:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    row = np.broadcast_to(np.arange(rows)[:, None], a.shape)
    keep = (a >= lo) & (a <= hi)
    b = ((a[keep] - lo) / (hi - lo) * nbins).astype(np.int64)
    np.minimum(b, nbins - 1, out=b)
    r.numpy()[...] = np.bincount(row[keep] * nbins + b, minlength=rows * nbins).reshape(
        rows, nbins)
    return r


_define("bhistc", [("R T n=100 d=0 d=0", _bhistc)], types=_FLOAT_TYPES)


def _match_impl(T, res, m1, m2, gain):
    """res[i][j] = gain * squared distance between row i of m1 and row j of m2."""
    a = m1.numpy().reshape(m1._size[0], -1).astype(np.float64)
    b = m2.numpy().reshape(m2._size[0], -1).astype(np.float64)
    if a.shape[1] != b.shape[1]:
        raise TorchError("match: inconsistent dimensions %s and %s" % (_fmt_size(m1),
                                                                       _fmt_size(m2)))
    d = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    r = _result(T, res, d.shape)
    r.numpy()[...] = c_cast(d * float(gain), T.dtype)
    return r


_define("match", [("R! T T r=1", _match_impl)])


# --------------------------------------------------------------------------------------------
# index, indexCopy, indexAdd, indexFill, gather, scatter, masked*
# --------------------------------------------------------------------------------------------

def _check_index(idx, n, what="index out of range"):
    """0-based indices of a LongTensor of 1-based ones; out of range: what (the message)."""
    if idx.dim() != 1:
        raise TorchError("Index is supposed to be a vector")
    i = idx.numpy()
    if i.size and (i.min() < 1 or i.max() > n):
        raise TorchError(what)
    return i - 1


def _index(T, res, src, d, idx):
    if not src._size:
        raise TorchError("index: Source tensor is empty")
    _dimcheck(src, d, "Indexing dim")
    i = _check_index(idx, src._size[d]) if idx._size else np.zeros(0, np.int64)
    shape = list(src._size)
    shape[d] = i.shape[0]
    r = T() if res is None else res
    _resize(r, tuple(shape))
    if r._size:
        ra = r.numpy()
        if ra.flags.c_contiguous and not _shares(r, src):
            np.take(src.numpy(), i, axis=d, out=ra)
        else:
            ra[...] = np.take(src.numpy(), i, axis=d)
    return r


def _index_self(T, src, d, idx):
    return _index(T, None, src, d, idx)


def _index_copy(T, self, d, idx, src):
    _dimcheck(src, d, "Indexing dim")
    if idx.nElement() != src._size[d]:
        raise TorchError("indexCopy: Number of indices should be equal to source:size(dim)")
    i = _check_index(idx, self._size[d] if d < self.dim() else 0)
    a = self.numpy()
    sl = [slice(None)] * a.ndim
    sl[d] = i
    a[tuple(sl)] = src.numpy().reshape(a[tuple(sl)].shape)
    return src


def _index_add(T, self, d, idx, src):
    _dimcheck(src, d, "Indexing dim")
    if idx.nElement() != src._size[d]:
        raise TorchError("indexAdd: Number of indices should be equal to source:size(dim)")
    i = _check_index(idx, self._size[d] if d < self.dim() else 0)
    a = self.numpy()
    sl = [slice(None)] * a.ndim
    sl[d] = i
    s = src.numpy()
    np.add.at(a, tuple(sl), s)
    return src


def _index_fill(T, self, d, idx, value):
    _dimcheck(self, d, "Indexing dim")
    i = _check_index(idx, self._size[d], messages.bad_argument(2, messages.msg("out_of_range")))
    a = self.numpy()
    sl = [slice(None)] * a.ndim
    sl[d] = i
    a[tuple(sl)] = value
    return _pyreal(T, value)


def _check_dim_apply(name, d, t1, t2):
    if t1.dim() != t2.dim():
        raise TorchError("%s: Index tensor must have same dimensions as input tensor" % name)
    for i, (a, b) in enumerate(zip(t1._size, t2._size)):
        if i != d and a != b:
            raise TorchError("%s: inconsistent tensor sizes %s and %s" % (
                name, _fmt_size(t1), _fmt_size(t2)))


def _gather(T, res, src, d, idx):
    _dimcheck(src, d, "Index dimension")
    _check_dim_apply("gather", d, idx, src)
    if res is None:
        res = _new(T, idx._size)
    elif res.dim() != src.dim():
        raise TorchError("gather: Input tensor must have same dimensions as output tensor")
    elif res._size != idx._size:
        raise TorchError("gather: inconsistent tensor sizes %s and %s" % (_fmt_size(res),
                                                                         _fmt_size(idx)))
    i = idx.numpy()
    n = src._size[d]
    if i.size and (i.min() < 1 or i.max() > n):
        raise TorchError("Invalid index in gather")
    res.numpy()[...] = np.take_along_axis(src.numpy(), i - 1, axis=d)
    return res


def _scatter_common(name, self, d, idx):
    _dimcheck(self, d, "Index dimension")
    _check_dim_apply(name, d, idx, self)
    i = idx.numpy()
    n = self._size[d]
    if i.size and (i.min() < 1 or i.max() > n):
        raise TorchError("Invalid index in scatter")
    return i - 1


def _scatter(T, self, d, idx, src):
    i = _scatter_common("scatter", self, d, idx)
    if src.dim() != self.dim():
        raise TorchError("scatter: Input tensor must have same dimensions as output tensor")
    s = src.numpy()
    sl = tuple(slice(0, m) for m in idx._size)
    np.put_along_axis(self.numpy(), i, s[sl], axis=d)
    return self


def _scatter_fill(T, self, d, idx, value):
    i = _scatter_common("scatter", self, d, idx)
    np.put_along_axis(self.numpy(), i, value, axis=d)
    return self


_define("gather", [("R T i L", _gather)])
_define("scatter", [("T i L T", _scatter), ("T i L r", _scatter_fill)])
_define("index", [("R T i L", _index)], torch_fn=False,
        method_forms=[("T i L", _index_self), ("T T i L", _index)])
_define("indexCopy", [("T i L T", _index_copy)], torch_fn=False)
_define("indexAdd", [("T i L T", _index_add)], torch_fn=False)
_define("indexFill", [("T i L r", _index_fill)], torch_fn=False)


def _mask_array(mask, shape, n):
    if mask.nElement() != n:  # TH_TENSOR_APPLY2(tensor, mask)'s check
        raise TorchError(messages.msg("inconsistent_2", "tensor", messages.size_str(shape),
                                      "mask", messages.size_str(mask._size), n,
                                      mask.nElement()))
    m = mask.numpy()
    if m.size and m.max() > 1:
        raise TorchError("Mask tensor can take 0 and 1 values only")
    m = m.view(np.bool_)
    return m if m.shape == shape else m.reshape(shape)


def _masked_select(T, res, src, mask):
    m = _mask_array(mask, src._size, src.nElement())
    vals = src.numpy()[m] if src._size else np.zeros(0, T.dtype)
    r = T() if res is None else res
    _resize(r, (vals.shape[0],))
    if vals.shape[0]:
        r.numpy()[...] = vals
    return r


def _masked_select_self(T, src, mask):
    return _masked_select(T, None, src, mask)


def _masked_fill(T, self, mask, value):
    m = _mask_array(mask, self._size, self.nElement())
    if self._size:
        self.numpy()[m] = value
    return _pyreal(T, value)


def _masked_copy(T, self, mask, src):
    m = _mask_array(mask, self._size, self.nElement())
    if not self._size:
        return self
    cnt = int(np.count_nonzero(m))
    if cnt > src.nElement():
        raise TorchError("Number of elements of src < number of ones in mask")
    self.numpy()[m] = src.numpy().reshape(-1)[:cnt]
    return self


_define("maskedSelect", [("T B", _masked_select_self), ("T T B", _masked_select)],
        torch_fn=False)
_define("maskedFill", [("T B r", _masked_fill)], torch_fn=False)
_define("maskedCopy", [("T B T", _masked_copy)], torch_fn=False)


def _method_fn(name):
    fn = _FUNCS[name]

    def f(self, *args):
        return fn.call(type(self), (self,) + args, True)
    f.__name__ = name
    return f


# module-level helpers for tensor.py's t[mask] forms (Torch7 has no torch.maskedSelect)
maskedSelect = _method_fn("maskedSelect")
maskedFill = _method_fn("maskedFill")
maskedCopy = _method_fn("maskedCopy")


# --------------------------------------------------------------------------------------------
# operators (TensorOperator.c): + - * / % and unary minus
# --------------------------------------------------------------------------------------------

def _is_num(x):
    return isinstance(x, _NUMBER_TYPES) and not isinstance(x, bool)


def _op_operand(T, x, op, arg=2):
    """The other operand of a TensorOperator: a tensor of the same type or a number; else
    luaL_checknumber's error for argument #arg (a tensor of another type is a userdata)."""
    if isinstance(x, Tensor):
        if type(x) is not T:
            raise TorchError(messages.bad_argument(arg, "number expected, got userdata"))
        return x
    if _is_num(x):
        return None
    raise TorchError(messages.bad_argument(arg, "number expected, got %s"
                                           % messages.lua_type_name(x)))


def _op_add_sub(op, ufunc, negate):
    """a + b and a - b: by a number through add, by a tensor elementwise into a new tensor."""
    def binop(a, b):
        T = type(a)
        if _op_operand(T, b, op) is None:
            return _add_value(T, None, a, _real(T, -b if negate else b))
        _check_same_n(a, b)
        r = _new(T, a._size)
        ufunc(a.numpy(), _view_as(b, a._size), out=r.numpy())
        return r
    return binop


_op_add = _op_add_sub("__add__", np.add, False)
_op_sub = _op_add_sub("__sub__", np.subtract, True)


def _op_radd(a, b):
    T = type(a)
    _op_operand(T, b, "__add__", 1)
    return _add_value(T, None, a, _real(T, b))


def _op_rsub(a, b):
    T = type(a)
    _op_operand(T, b, "__sub__", 1)
    r = _new(T, a._size)
    np.subtract(_real(T, b), a.numpy(), out=r.numpy())
    return r


def _op_neg(a):
    r = _new(type(a), a._size)
    np.negative(a.numpy(), out=r.numpy())
    return r


def _op_mul(a, b):
    T = type(a)
    if _op_operand(T, b, "__mul__") is None:
        return _mul(T, None, a, _real(T, b))
    da, db = a.dim(), b.dim()
    if da == 1 and db == 1:
        return _dot(T, a, b)
    if da == 2 and db == 1:
        return _mv(T, None, 0, None, 1, a, b)
    if da == 2 and db == 2:
        return _mm(T, None, 0, None, 1, a, b)
    raise TorchError("multiplication between %dD and %dD tensors not yet supported" % (da, db))


def _op_rmul(a, b):
    T = type(a)
    _op_operand(T, b, "__mul__")
    return _mul(T, None, a, _real(T, b))


def _op_by_number(op, impl):
    """a / b and a % b: Torch7 takes only a number on the right."""
    def binop(a, b):
        if not _is_num(b):
            raise TorchError("%s: number expected as second argument, got %s"
                             % (op, _argname(_code(b))))
        T = type(a)
        return impl(T, None, a, _real(T, b))
    return binop


_op_div = _op_by_number("__div__", _div)


def _op_rdiv(a, b):
    raise TorchError("__div__: a tensor can only be divided by a number (got %s / tensor)"
                     % _argname(_code(b)))


_op_mod = _op_by_number("__mod__", _remainder)


def _op_rmod(a, b):
    raise TorchError("__mod__: the left operand of %% must be a tensor (got %s %% tensor)"
                     % _argname(_code(b)))


# --------------------------------------------------------------------------------------------
# installation of the methods on the tensor classes
# --------------------------------------------------------------------------------------------

def _make_method(fn, T):
    call = fn.call

    def method(self, *args):
        return call(T, (self,) + args, True)
    method.__name__ = fn.name
    method.__qualname__ = "%s.%s" % (T.__name__, fn.name)
    method.__doc__ = "%s:%s (Torch7 TensorMath)" % (T.typename, fn.name)
    return method


def install(base):
    """Add the TensorMath methods and the Python operators to the tensor classes."""
    own = set(vars(base))
    for name, fn in _FUNCS.items():
        if not fn.method or name in own:
            continue
        for T in fn.types:
            setattr(T, name, _make_method(fn, T))
    for T in _ALL_TYPES:
        for name, m in (("zeros", _zeros_m), ("ones", _ones_m), ("reshape", _reshape_m)):
            if name not in own:
                setattr(T, name, m)
    base.__add__ = _op_add
    base.__radd__ = _op_radd
    base.__sub__ = _op_sub
    base.__rsub__ = _op_rsub
    base.__mul__ = _op_mul
    base.__rmul__ = _op_rmul
    base.__truediv__ = _op_div
    base.__rtruediv__ = _op_rdiv
    base.__mod__ = _op_mod
    base.__rmod__ = _op_rmod
    base.__neg__ = _op_neg


from . import lapack as _lapack_mod  # noqa: E402,F401  (registers the LAPACK functions)
from . import conv as _conv_mod  # noqa: E402,F401  (registers conv2/xcorr2/conv3/xcorr3)
