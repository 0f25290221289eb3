"""Lua's calling convention for Python callables: how many arguments a call from Lua passes and
how many values it returns.

Lua pads a call's missing trailing arguments with nil and drops the extra ones; a Python
function raises TypeError for both.  `arity(f)` reads f's signature once (cached per function)
so the bridge can fit each Lua argument list to it (torch7py/luacall.py, which ported nn code
shares).  `returns_nothing(f)` tells whether f never
returns a value (every `return` is bare, or f falls off its end): its None result is Lua's "no
value" (select('#', torch.manualSeed(1)) is 0), where a function that returns values keeps its
None as one nil (m:get(9) on a short container). A function marked `none_is_no_value` gives
no value for its None and its other results as values (File:writeDouble of a number / of a
storage)."""
import dis
import inspect

# (the bridge's names)
from torch7py.luacall import _arity_cache, _padded, _target, arity, fitter  # noqa: F401

_nothing_cache = {}


def _compute_nothing(g):
    if getattr(g, "none_is_no_value", False):  # a function whose None result means no value
        return True
    while getattr(g, "_thnn_lua", False):  # THNN's argument checks around a method: its result
        g = g.__wrapped__
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


def class_fitter(cls, n):
    """fitter(cls, n) for a constructor: the class's signature is its __init__'s, which a script
    may replace after the first call (`function nn.Dropout:__init(p, v1, inplace, lazy, mono)`,
    rnn's, takes one more argument than nn's): the fit is read again when __init__ changed."""
    state = [cls.__init__, fitter(cls, n)]

    def fit(*args):
        init = cls.__init__
        if init is not state[0]:
            _arity_cache.pop(cls, None)
            state[0], state[1] = init, fitter(cls, n)
        return state[1](*args)
    return fit
