"""Lua's calling convention for Python callables: how many arguments a call from Lua passes and
how many values it returns.

Lua pads a call's missing trailing arguments with nil and drops the extra ones; a Python
function raises TypeError for both.  `arity(f)` reads f's signature once (cached per function)
so the bridge can fit each Lua argument list to it.  `returns_nothing(f)` tells whether f never
returns a value (every `return` is bare, or f falls off its end): its None result is Lua's "no
value" (select('#', torch.manualSeed(1)) is 0), where a function that returns values keeps its
None as one nil (m:get(9) on a short container)."""
import dis
import inspect
import types

from torch7py import messages

_P = inspect.Parameter
_POSITIONAL = (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD)
_arity_cache = {}
_nothing_cache = {}


def _target(f):
    """(the function or class whose signature describes f, parameters bound already)."""
    if isinstance(f, types.MethodType):
        return f.__func__, 1
    return f, 0


def _compute_arity(f):
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):  # a builtin without a signature: passed as it is
        return None
    lo = hi = 0
    for p in sig.parameters.values():
        if p.kind is _P.VAR_POSITIONAL:
            hi = None
            break
        if p.kind in _POSITIONAL:
            hi += 1
            if p.default is _P.empty:
                lo = hi
    return lo, hi


def arity(f):
    """(lo, hi): the positional parameters f requires and takes (hi None: any number); None
    when f's signature is unknown.  A bound method's self is not counted."""
    g, bound = _target(f)
    try:
        r = _arity_cache[g]
    except KeyError:
        r = _compute_arity(g)
        _arity_cache[g] = r
    except TypeError:  # an unhashable callable
        r = _compute_arity(g)
    if r is None or not bound:
        return r
    lo, hi = r
    return max(lo - 1, 0), None if hi is None else max(hi - 1, 0)


def fitter(f, n):
    """A callable taking n positional arguments that calls f the way Lua would: missing required
    parameters get None, arguments beyond what f takes are dropped.  f itself when n fits, and
    for n None (any count) a callable that fits each call."""
    a = arity(f)
    if a is None:
        return f
    lo, hi = a
    if hi is None and lo == 0:
        return f
    if n is None:
        def fit_any(*args):
            k = len(args)
            if k < lo:
                return _padded(f, args, lo - k)
            if hi is not None and k > hi:
                args = args[:hi]
            return f(*args)
        return fit_any
    if lo <= n and (hi is None or n <= hi):
        return f
    if n < lo:
        missing = lo - n
        return lambda *args: _padded(f, args, missing)
    return lambda *args: f(*args[:hi])


def _padded(f, args, missing):
    """f called with nil (None) for the `missing` trailing arguments Lua left out; while it
    runs, cwrap's invalid-arguments text leaves them out of the arguments it says it got."""
    messages.padded_nils += missing
    try:
        return f(*args, *(None,) * missing)
    finally:
        messages.padded_nils -= missing


def _compute_nothing(g):
    code = getattr(g, "__code__", None)
    if code is None or code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE
                                        | inspect.CO_ASYNC_GENERATOR):
        return False
    prev = None
    for ins in dis.get_instructions(code):
        if ins.opname == "RETURN_VALUE":
            if prev is None or prev.opname != "LOAD_CONST" or prev.argval is not None:
                return False
        elif ins.opname == "RETURN_CONST" and ins.argval is not None:  # Python >= 3.12
            return False
        prev = ins
    return True


def returns_nothing(f):
    """Whether f (a function or method, not a class) never returns a value."""
    if isinstance(f, type):
        return False
    g, _ = _target(f)
    try:
        r = _nothing_cache.get(g)
    except TypeError:
        return _compute_nothing(g)
    if r is None:
        r = _nothing_cache[g] = _compute_nothing(g)
    return r
