"""The checks of a THNN module's Lua call, in Lua's order, before the port computes anything.

nn's Lua evaluates `input.THNN.F(input:cdata(), gradOutput:cdata(), self.gradInput:cdata(), ...,
self.kW, ...)` in a fixed order: its `assert(input.THNN, ...)` or `torch.typename(input):find`
first, then input.THNN (a tensor type without THNN functions indexes nil), each argument's
:cdata() (nil, a number or a boolean fail to index, a string or a table have no cdata), then
LuaJIT's FFI converts each argument to the C parameter's type (a tensor of another type, a
value that is no number). Only then do THNN's own shape checks run. The calls are data
(_thnn_calls.CALLS, generated from nn's Lua and THNN.h); `install` wraps the methods of the
classes it lists so that every call runs them first."""
import functools
import threading

from .. import messages
from ..storage import TorchError
from ..tensor import DoubleTensor, FloatTensor, LongTensor, Tensor
from . import _lua
from ._thnn_calls import CALLS

_THNN_TYPES = ("torch.FloatTensor", "torch.DoubleTensor")
_LOCALS = ("input", "gradOutput")
# the variable whose THNN table the call indexes: input, or the full convolutions' local
# `inputTensor = input` (input[1] of a {input, target size} pair: the port's lines)
_INPUTS = ("input", "inputTensor")
_ARG_COUNT = {"updateOutput": 1, "updateGradInput": 2, "accGradParameters": 3}


def _usable(spec):
    """The calls whose arguments are the method's own (input, gradOutput, scale) and self's
    fields (others compute a local first: their Lua lines are the port's)."""
    _, var, args = spec
    if var not in _INPUTS:
        return False
    for a in args:
        if a[0] == "local" and a[1] not in _LOCALS + _INPUTS:
            return False
    return True


def _ctype(ctype, input):
    if ctype == "real":
        return "float" if input.typename == "torch.FloatTensor" else "double"
    return "double" if ctype == "accreal" else ctype


def check(m, spec, input, gradOutput=None, scale=None, strict=frozenset()):
    """Raises what the Lua call `spec` raises on these arguments, if anything. strict: the
    fields the port keeps as its Lua does (made by a forward), so that a nil one is nil in the
    Lua too and fails at its :cdata(). A `self.x = self.x or input.new()` line that ran before
    the failure leaves x made (a tensor of the input's type, kept by the next call: a failed
    FloatTensor forward of a Double module leaves a FloatTensor buffer, which the next call's
    FFI conversion refuses)."""
    made = []
    try:
        _check(m, spec, input, gradOutput, scale, strict, made)
    except TorchError:
        d = m.__dict__
        for name, x in made:
            if d.get(name) is None:
                d[name] = x.new()
        raise


def _check(m, spec, input, gradOutput, scale, strict, made):
    pre, var, args = spec
    kept = frozenset(s[1] for s in pre if s[0] == "new")
    kind = messages.lua_type(input)
    d = m.__dict__
    for step in pre:
        if step[0] == "table":  # if torch.type(inputTensor) == 'table' then ... end
            if messages.torch_type(input) == "table":
                # inputTensor = input[1]; targetTensor = input[2]; tDims = targetTensor:dim();
                # targetTensor:size(tDims - k) for each kernel dimension, outermost first
                # (tT, tH, tW: a volumetric one has kT); the call on inputTensor
                target = _lua.index(input, 2)
                nd = _lua.mcall(target, "dim", what="local 'targetTensor'")
                for k in range(2 if "kT" in d else 1, -1, -1):
                    _lua.mcall(target, "size", _lua.plus(nd, -k))
                input = _lua.index(input, 1)
                kind = messages.lua_type(input)
        elif step[0] == "assert":  # assert(input.THNN, torch.type(input)..'.THNN backend ...')
            if kind in messages.NOT_INDEXABLE:
                raise TorchError(messages.msg("index_local", "input", kind))
            if not isinstance(input, Tensor) or input.typename not in _THNN_TYPES:
                raise TorchError(messages.msg("thnn_not_imported",
                                              messages.torch_type(input)))
        elif step[0] == "typename":  # torch.typename(input):find(...): nil for a non-object
            if not isinstance(getattr(type(input), "typename", None), str):
                raise TorchError(messages.msg("index_nil"))
        elif step[0] == "dims":  # if input:dim() == a or input:dim() == b ... else error
            if _lua.mcall(input, "dim", what="local 'input'") not in step[1]:
                raise messages.at_lua(TorchError(step[2]), step[3])  # (the error's line)
        elif step[0] == "dims2":  # the same on input and gradOutput, branch by branch
            for nd in step[1]:
                if _lua.mcall(input, "dim", what="local 'input'") == nd and _lua.mcall(
                        gradOutput, "dim", what="local 'gradOutput'") == nd:
                    break
            else:
                raise messages.at_lua(TorchError(step[2]), step[3])
        elif step[0] == "dimsizes":  # local dims = input:dim(); input:size(dims - 1), ...
            n = _lua.mcall(input, "dim", what="local 'input'")
            _lua.mcall(input, "size", n - 1)
            _lua.mcall(input, "size", n)
        elif d.get(step[1]) is None:  # self.x = self.x or input.new()
            _lua.field_call(input, "new", "local 'input'")
            if isinstance(input, Tensor):
                made.append((step[1], input))
    if ("field", "gradInput") in args and d.get("gradInput") is None:
        return  # `if self.gradInput then` around the call
    if kind in messages.NOT_INDEXABLE:
        # (raised by the call's line, `input.THNN.F(`: the line of its THNN index, not that
        # of a `self.x = self.x or input.new()` before it, which indexed input only while x
        # was nil)
        e = TorchError(messages.msg("index_local", var, kind))
        e.lua_thnn_call = True
        raise e
    if not isinstance(input, Tensor) or input.typename not in _THNN_TYPES:
        raise TorchError(messages.msg("index_field", "THNN", "nil"))
    values = []
    for a in args:  # the arguments' expressions, in order
        what = a[0]
        if what in ("field", "setfield") and d.get(a[1]) is None and (
                what == "setfield" or a[1] not in strict):
            # (set by the Lua before the call or by a forward; the port may keep it elsewhere
            # or not at all: nothing to check)
            v = None
        elif what in ("local", "field", "setfield"):
            v = (input if a[1] in _INPUTS else gradOutput) if what == "local" else d.get(a[1])
            if not isinstance(v, Tensor):
                vkind = messages.lua_type(v)
                if vkind in messages.NOT_INDEXABLE:
                    where = "local" if what == "local" else "field"
                    raise TorchError(messages.index_text(vkind, "%s '%s'" % (where, a[1])))
                raise TorchError(messages.msg("call_nil_method", "cdata"))
        elif what == "opt":
            v = d.get(a[1])
        elif what == "num":
            v = d.get(a[1])
            if v is None and a[1] not in d:
                # (a field the port does not keep: nothing to check; a nil one fails the
                # FFI's conversion, to a bool too: "cannot convert 'nil' to 'bool'")
                v = 0
        elif what == "localnum":
            # (`scale or 1`, or set so before the call; another local is the Lua's own value)
            v = 0 if scale is None or a[1] != "scale" else scale
        else:
            v = 0
        values.append(v)
    for n, (a, v) in enumerate(zip(args, values), 2):  # the FFI's conversions, in order
        if a[0] in ("local", "field", "opt") or a[0] == "setfield" and a[1] in kept:
            # a THTensor parameter takes the input's type, a THIndexTensor a LongTensor (a
            # field the Lua sets just before the call, `self.indices:long()`, is its own; one
            # it keeps, `self.x = self.x or input.new()`, has the type it was made with)
            want = "torch.LongTensor" if a[2:] == ("index",) else input.typename
            if isinstance(v, Tensor) and v.typename != want:
                raise TorchError(messages.msg("thnn_ffi_type", n, v.typename[6:], want[6:]))
        elif a[0] in ("num", "localnum"):
            vkind = messages.lua_type(v)
            if vkind not in ("number", "boolean"):
                raise TorchError(messages.ffi_convert(n, vkind, _ctype(a[2], input)))


_THNN_CLASSES = (FloatTensor, DoubleTensor)
_NUMBERS = (int, float, bool)


def _fast(spec, n, strict_fields=frozenset()):
    """A check that answers True only where `check` raises nothing, in a few type tests: a
    THNN tensor as input, every tensor argument of its type (or Long), numbers as numbers. It
    answers False on anything else, and `check` then decides (a legacy loop calls these methods
    a million times: check's general walk costs 8-12 us a call, this ~1 us)."""
    pre, _, args = spec
    dims = tuple(frozenset(s[1]) for s in pre if s[0] == "dims")
    dims2 = tuple(tuple(s[1]) for s in pre if s[0] == "dims2")
    rank2 = any(s[0] == "dimsizes" for s in pre)  # input:size(dims - 1): dims >= 2 passes
    guard = ("field", "gradInput") in args
    # check reads a local other than input (gradOutput, target) from its second argument;
    # each tensor argument with whether it is a THIndexTensor (a LongTensor)
    second = tuple((a[1] not in _INPUTS, a[2:] == ("index",)) for a in args
                   if a[0] == "local")
    fields = tuple((a[1], a[2:] == ("index",)) for a in args if a[0] == "field")
    kept = frozenset(s[1] for s in pre if s[0] == "new")
    setfields = tuple(a[1] for a in args if a[0] == "setfield" and a[1] not in kept)
    fields += tuple((a[1], a[2:] == ("index",)) for a in args
                    if a[0] == "setfield" and a[1] in kept)
    opts = tuple((a[1], a[2:] == ("index",)) for a in args if a[0] == "opt")
    # (a nil field fails the FFI's conversion, to a number or a bool: check's text)
    nums = tuple((a[1], True) for a in args if a[0] == "num")
    scale = any(a[0] == "localnum" and a[1] == "scale" for a in args)
    nil_fails = tuple(a[1] for a in args if a[0] == "field" and a[1] in strict_fields)

    def ok(m, args):
        input = args[0] if args else None
        t = type(input)
        if t is not DoubleTensor and t is not FloatTensor:
            return False
        go = args[1] if n > 1 and len(args) > 1 else None
        nd = len(input._size)
        for s in dims:
            if nd not in s:
                return False
        if dims2:
            if not isinstance(go, Tensor):
                return False
            gd = len(go._size)
            for branch in dims2:
                if nd != gd or nd not in branch:
                    return False
        if rank2 and nd < 2:
            return False
        d = m.__dict__
        if guard and d.get("gradInput") is None:
            return True
        for f in nil_fails:
            if d.get(f) is None:
                return False
        for g, idx in second:
            v = go if g else input
            if type(v) is not (LongTensor if idx else t):
                return False
        for f, idx in fields:
            v = d.get(f)
            if v is not None and type(v) is not (LongTensor if idx else t):
                return False
        for f in setfields:
            v = d.get(f)
            if v is not None and not isinstance(v, Tensor):
                return False
        for f, idx in opts:
            v = d.get(f)
            if isinstance(v, Tensor) and type(v) is not (LongTensor if idx else t):
                return False
        for f, strict in nums:
            v = d.get(f)
            if v is None:
                if strict and f in d:
                    return False
            elif type(v) not in _NUMBERS:
                return False
        s = args[2] if scale and n > 2 and len(args) > 2 else None
        return s is None or type(s) in _NUMBERS
    return ok


_STATE = threading.local()


class raw:
    """Context of a direct THNN call (nn/thnn.py's `call`): the module methods it runs skip the
    Lua call's checks."""

    def __enter__(self):
        _STATE.raw = getattr(_STATE, "raw", 0) + 1

    def __exit__(self, *exc):
        _STATE.raw -= 1


def _wrap(f, meth, spec, strict=frozenset()):
    n = _ARG_COUNT[meth]
    fast = _fast(spec, n, strict)

    @functools.wraps(f)
    def method(self, *args, **kw):
        if not fast(self, args) and not getattr(_STATE, "raw", 0):
            a = args + (None,) * (n - len(args))
            check(self, spec, *a[:n], strict=strict)
        return f(self, *args, **kw)
    method._thnn_lua = True
    return method


def install(namespace):
    """Wraps the listed methods of the classes of `namespace` (torch7py.nn)."""
    for name, methods in CALLS.items():
        cls = getattr(namespace, name, None)
        if not isinstance(cls, type):
            continue
        own = getattr(cls, "_thnn_own_checks", ())
        strict = frozenset(getattr(cls, "_thnn_lua_fields", ()))
        for meth, spec in methods.items():
            f = getattr(cls, meth, None)
            if f is None or not _usable(spec) or meth in own:
                # (a port that runs its Lua's lines itself: lines the generated spec lacks,
                # such as `target = target:long()` before the call)
                continue
            while getattr(f, "_thnn_lua", False):  # (a parent's wrapper: its own Lua call)
                f = f.__wrapped__
            setattr(cls, meth, _wrap(f, meth, spec, strict))
