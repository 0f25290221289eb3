"""Shared helpers of the torch/optim port: reading config/state tables, calling opfunc, in-place
numpy updates without temporaries larger than one parameter vector."""
import numbers
from collections.abc import Mapping

import numpy as np

from .. import numerics
from .. import messages
from ..messages import torch_type
from ..tensor import Tensor, TorchError


def tables(config, state, who):
    """Torch7's `config = config or {}; state = state or config` (an empty table is not nil);
    a config or state that is no table fails where the Lua first indexes it."""
    if config is None or config is False:
        config = {}
    if state is None or state is False:
        state = _StringTable("state", who, config) if isinstance(config, str) else config
    if isinstance(config, str):
        config = _StringTable("config", who, config)
    elif isinstance(state, str):
        state = _StringTable("state", who, state)
    for name, t in (("config", config), ("state", state)):
        # a dict, or a Lua table seen through the Lua layer (a mapping, or an empty table)
        if type(t) is not dict and not isinstance(t, Mapping) and not callable(
                getattr(t, "get", None)):
            e = TorchError(messages.index_text(messages.lua_type(t), "local '%s'" % name))
            lines = _FIRST_INDEX.get(who)
            if lines is not None:  # LuaJIT names the line of the Lua's first config.x / state.x
                line = lines[0] if name == "config" and lines[0] else lines[1]
                messages.at_lua(e, "optim/%s.lua:%d" % (who, line))
            raise e
    return config, state


class _StringTable(Mapping):
    """A string given as config or state: Lua indexes a string through the string library's
    table, so reading config.learningRate gives nil, and the first write (state.evalCounter =
    ...) fails at the line of optim/<who>.lua that makes it (_FIRST_WRITE)."""

    def __init__(self, name, who, text):
        self._name, self._who, self._text = name, who, text

    def __getitem__(self, key):
        raise KeyError(key)

    def get(self, key, default=None):
        return default

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0

    def __setitem__(self, key, value):
        e = TorchError(messages.index_text("string", "local '%s'" % self._name))
        line = _FIRST_WRITE.get(self._who, {}).get(self._name)
        if line is not None:
            messages.at_lua(e, "optim/%s.lua:%d" % (self._who, line))
        raise e


# the line of optim/<who>.lua that first writes into state (or config: asgd's defaults)
_FIRST_WRITE = {"sgd": {"state": 39}, "adam": {"state": 45}, "adamax": {"state": 42},
                "adagrad": {"state": 27}, "adadelta": {"state": 29}, "rmsprop": {"state": 44},
                "nag": {"state": 36}, "asgd": {"config": 36, "state": 42},
                "rprop": {"state": 45}, "lbfgs": {"state": 50}, "cg": {"state": 201}}


# the lines of optim/<who>.lua that first index config and state (config.x, state.x) after
# `local config = config or {}; local state = state or config` (cmaes reads no config field;
# de is given a state table of its own)
_FIRST_INDEX = {"sgd": (31, 39), "adam": (28, 45), "adamax": (26, 42), "adagrad": (24, 27),
                "adadelta": (26, 29), "rmsprop": (28, 43), "nag": (30, 36), "asgd": (36, 42),
                "rprop": (29, 44), "lbfgs": (40, 50), "cg": (37, 57), "cmaes": (None, 45),
                "de": (26, 26)}


def truthy(v):
    """Lua truthiness: only nil and false are false (0 is true)."""
    return v is not None and v is not False


def opt(table, key, default=None):
    """Lua's `table.key or default`."""
    v = table.get(key)
    return v if truthy(v) else default


def num(table, key, default, who):
    """Lua's `table.key or default` for a number, with a clear error for a mistyped field."""
    v = table.get(key)
    tv = type(v)
    if tv is float or tv is int:  # the common case, without the ABC checks of to_number
        return v
    if not truthy(v):
        return default
    return to_number(v, "%s.%s" % ("config" if key != "evalCounter" else "state", key), who)


def fnum(table, key, default):
    """`table.key or default` for a numpy path: a number, else OffPath (the literal path
    computes with the value as the Lua does, and fails where it does)."""
    v = table.get(key)
    tv = type(v)
    if tv is float or tv is int:
        return v
    if v is None or v is False:
        return default
    if isinstance(v, numbers.Real) and not isinstance(v, (bool, np.generic)):
        return v
    from ._literal import OffPath
    raise OffPath(None)


def to_number(v, what, who):
    if isinstance(v, bool) or not isinstance(v, (numbers.Real, str)):
        if isinstance(v, np.ndarray) and v.ndim == 0:
            return v.item()
        raise TypeError("optim.%s: %s must be a number, got %s" % (who, what, torch_type(v)))
    if isinstance(v, str):
        # Lua coerces numeric strings in arithmetic; anything else is an error there too
        try:
            return float(v)
        except ValueError:
            raise TypeError("optim.%s: %s must be a number, got the string %r"
                            % (who, what, v)) from None
    if isinstance(v, np.generic):
        return v.item()
    return v


def tensor_arg(v, what, who, n=None):
    """A config tensor, with as many elements as x (n) when given."""
    if not isinstance(v, Tensor):
        raise TypeError("optim.%s: %s must be a tensor, got %s" % (who, what, torch_type(v)))
    if n is not None and v.nElement() != n:
        raise TorchError("optim.%s: inconsistent tensor size: %s has %d elements, x has %d"
                         % (who, what, v.nElement(), n))
    return v


def check_x(x, who):
    if not isinstance(x, Tensor):
        raise TypeError("optim.%s: x must be a tensor, got %s" % (who, torch_type(x)))


# the line of optim/<who>.lua (a5ceed7) that first calls opfunc(x): LuaJIT's 'attempt to call
# local 'opfunc'' for an opfunc that is no function names it
OPFUNC_LINE = {"sgd": 44, "adagrad": 31, "adadelta": 31, "adam": 37, "adamax": 34,
               "rmsprop": 35, "nag": 51, "asgd": 47, "rprop": 41, "lbfgs": 66, "cg": 78,
               "checkgrad": 23, "lswolfe": 46}


def call_opfunc(opfunc, x, who=None, line=None):
    """opfunc(x) at optim/<who>.lua's line (OPFUNC_LINE's by default): a value that cannot be
    called fails with that position, as the Lua's call does."""
    if who is not None and not callable(opfunc):
        with messages.lua_line("optim/%s.lua:%d" % (who, line or OPFUNC_LINE[who])):
            return opfunc(x)
    return opfunc(x)


def lua_min(a, *rest):
    """LuaJIT's math.min (x64's minsd, argument by argument): `a < b and a or b`, so where a
    NaN is compared the later argument wins (Python's min keeps the earlier one)."""
    for b in rest:
        a = a if a < b else b
    return a


def lua_max(a, *rest):
    """LuaJIT's math.max (maxsd): `a > b and a or b`, the later argument where a NaN is
    compared."""
    for b in rest:
        a = a if a > b else b
    return a


def returns(res):
    """The values an opfunc returned, as a tuple (a Lua function's several returns)."""
    if isinstance(res, tuple):
        return res
    return (res,)


def first(res):
    """The first value returned by a function (Lua keeps only that one in `local f = g(x)`)."""
    res = returns(res)
    return _loss(res[0]) if res else None


def _loss(f):
    if isinstance(f, np.generic):
        return f.item()
    return f


def evaluate(opfunc, x, who, any_fx=False, literal=False):
    """Call opfunc(x) -> (f, df/dx), checking what it returned. With any_fx, f(x) is only
    handed back (the first-order methods, sgd.lua to rmsprop.lua, return {fx} and never compute
    with it: an opfunc returning nil or a tensor for f(x) trains as in Torch7)."""
    res = returns(call_opfunc(opfunc, x, who if who in OPFUNC_LINE else None))
    if literal and (len(res) < 2 or type(res[1]) is not type(x)
                    or res[1].nElement() != x.nElement()):
        from ._literal import OffPath
        raise OffPath(res)  # the Lua's own steps take these results from here
    if len(res) < 2:
        raise TypeError("optim.%s: opfunc must return f(x) and df/dx, it returned %d value%s"
                        % (who, len(res), "" if len(res) == 1 else "s"))
    fx, dfdx = _loss(res[0]), res[1]
    tf = type(fx)
    if not any_fx and tf is not float and tf is not int and (
            isinstance(fx, bool) or not isinstance(fx, numbers.Real)):
        raise TypeError("optim.%s: opfunc returned f(x) = %s, expected a number"
                        % (who, torch_type(fx)))
    if not isinstance(dfdx, Tensor):
        raise TypeError("optim.%s: opfunc returned df/dx = %s, expected a tensor"
                        % (who, torch_type(dfdx)))
    if dfdx.nElement() != x.nElement():
        raise TorchError("optim.%s: inconsistent tensor size: df/dx has %d elements, x has %d"
                         % (who, dfdx.nElement(), x.nElement()))
    return fx, dfdx


def evaluate_raw(opfunc, x, who=None, line=None):
    """local f, g = opfunc(x): the first two results as they are (nil where missing), for the
    code that uses them where the Lua does (a wrong one fails there, with Torch7's error);
    who/line: the Lua file and line of the call (call_opfunc)."""
    res = returns(call_opfunc(opfunc, x, who, line))
    f = _loss(res[0]) if len(res) > 0 else None
    return f, (res[1] if len(res) > 1 else None)


def evaluate_decayed(opfunc, x, wd, who):
    """fx, dfdx and dfdx's numpy view, after `dfdx:add(wd, x)` when wd != 0 (the weight decay
    goes into the caller's gradient tensor, as Torch7 does). fx is passed through unchecked;
    a df/dx that is no tensor of x's type and size raises OffPath (the Lua's own steps from
    there: its first operation on both fails, a FloatTensor's add of a DoubleTensor)."""
    fx, dfdx = evaluate(opfunc, x, who, any_fx=True, literal=True)
    g = dfdx.numpy()
    if wd != 0:
        axpy(g, wd, x.numpy())
    return fx, dfdx, g


def new_as(typed, sized, fill=None):
    """torch.Tensor():typeAs(typed):resizeAs(sized), optionally filled."""
    t = type(typed)(*sized._size) if sized._size else type(typed)()
    if fill is not None and sized._size:
        t.numpy()[...] = fill
    return t


def arr(t, like=None):
    """numpy view of t, reshaped (for reading) to `like`'s shape when the sizes differ."""
    a = t.numpy()
    if like is not None and a.shape != like.shape:
        a = a.reshape(like.shape)
    return a


_scratch = {}


def scratch(shape, dtype):
    """A reusable work buffer (one per dtype) so that updates allocate nothing per step."""
    n = int(np.prod(shape))
    key = np.dtype(dtype)
    buf = _scratch.get(key)
    if buf is None or buf.size < n:
        buf = np.empty(max(n, 1), dtype=key)
        _scratch[key] = buf
    return buf[:n].reshape(shape)


def axpy(dst, alpha, src):
    """dst += alpha * src, in place (TH's add(value, src))."""
    src = src if src.shape == dst.shape else src.reshape(dst.shape)
    numerics.axpy(dst, alpha, src)


def _addc(dst, alpha, a, b, op):
    """dst += op(alpha * a, b), in place, with no temporary beyond the scratch buffer."""
    a = a if a.shape == dst.shape else a.reshape(dst.shape)
    b = b if b.shape == dst.shape else b.reshape(dst.shape)
    tmp = scratch(dst.shape, dst.dtype)
    np.multiply(a, alpha, out=tmp)
    op(tmp, b, out=tmp)
    np.add(dst, tmp, out=dst)


def addcmul(dst, alpha, a, b):
    """dst += alpha * a * b, in place."""
    _addc(dst, alpha, a, b, np.multiply)


def addcdiv(dst, alpha, a, b):
    """dst += alpha * a / b, in place."""
    _addc(dst, alpha, a, b, np.divide)


def product_buffer(state, key, x, dfdx, factors, t):
    """state[key] (typed as x, sized as dfdx, created on first use) = factors * t, elementwise;
    its numpy view (sgd/nag's per-parameter learning rates and weight decays)."""
    if state.get(key) is None:
        state[key] = new_as(x, dfdx)
    buf = state[key].numpy()
    copy_into(buf, arr(factors))
    np.multiply(buf, arr(t, buf), out=buf)
    return buf


def copy_into(dst, src):
    """dst:copy(src) on numpy views (sizes may differ, element counts agree)."""
    dst[...] = src if src.shape == dst.shape else src.reshape(dst.shape)


def dot(a, b):
    """TH's dot of two tensors with the same number of elements, as a Python float."""
    a, b = a.numpy(), b.numpy()
    if a.shape != b.shape:
        b = b.reshape(a.shape)
    if a.flags.c_contiguous and b.flags.c_contiguous:
        r = numerics.dot(b, a)  # THBlas_(dot)(n, src, tensor): OpenBLAS's order
        if r is not None:
            return r
    if a.ndim == 1:
        return float(np.dot(a, b))
    return float(np.vdot(a, b))
