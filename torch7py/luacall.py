"""Lua's calling convention in torch7py: a call that Lua code makes passes nil for missing
trailing arguments and drops the extra ones, where a Python function raises TypeError for both.
`arity(f)` reads f's signature once (cached per function); `fitter(f, n)` fits an argument list
to it; `call(f, *args)` is a Lua call of f. The Lua bridge (compat/callconv.py) fits each call
from Lua with them, and ported nn code where nn's Lua calls a method with whatever it has
(CriterionTable's `criterion:updateOutput(table.unpack(input))`)."""
import inspect
import types

from . import messages

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


# torch7py's ports of Torch7's Lua code: a nil it got for a missing argument is a local that
# its Lua passes on explicitly (`self.gradInput:cmul(self.output, gradOutput)`), and cwrap
# lists such a nil among the arguments it got
_LUA_PORTS = ("torch7py.nn.", "torch7py.optim.", "torch7py.nngraph.")


def _padded(f, args, missing):
    """f called with nil (None) for the `missing` trailing arguments Lua left out; while a
    function standing for a C function runs, cwrap's invalid-arguments text leaves them out
    of the arguments it says it got (Lua passed the C function fewer)."""
    if (getattr(f, "__module__", None) or "").startswith(_LUA_PORTS):
        return f(*args, *(None,) * missing)
    messages.padded_nils += missing
    try:
        return f(*args, *(None,) * missing)
    finally:
        messages.padded_nils -= missing


def call(f, *args):
    """f(*args) as a Lua call: missing parameters nil, extra arguments dropped."""
    return fitter(f, len(args))(*args)
