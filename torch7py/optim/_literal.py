"""The first-order methods of optim (sgd.lua ... asgd.lua) step by step as their Lua runs, on
Lua values, for the calls the numpy paths of sgd.py ... asgd.py do not take: a config field
that is no number (a numeric string computes, as Lua's arithmetic converts it; anything else
fails where the Lua first computes with it), an x that is no tensor, an opfunc whose df/dx is
no tensor of x's size. Every tensor operation is torch7py's, so a failure is the one Torch7's
C code or LuaJIT gave at the same step, with the same text, and the state tables hold what
they held in Torch7 when it failed."""
import math
import numbers

import numpy as np

from .. import messages
from ..messages import NOT_INDEXABLE, lua_line, lua_tonumber, lua_type
from ..printing import lua_print
from ..tensor import Tensor, TorchError


class OffPath(Exception):
    """Raised by a numpy path once opfunc has run and its results are off that path: the
    algorithm goes on in this module from there (results: what opfunc returned)."""

    def __init__(self, results):
        super().__init__("optim: off the numpy path")
        self.results = results


def fallback(literal, note=None):
    """The numpy path `fast` of an algorithm, falling back on `literal` (its Lua's steps) when
    it raises OffPath: before opfunc (results None: the literal path calls it) or after. Both
    get the same config and state tables (`config or {}`, `state or config`); note: what the
    Lua prints when called without either (adagrad's 'no state table, ...')."""
    def wrap(fast):
        def run(opfunc, x, config=None, state=None):
            from ._common import tables
            if note is not None and config is None and state is None:
                lua_print(note)
            config, state = tables(config, state, fast.__name__)
            try:
                return fast(opfunc, x, config, state)
            except OffPath as e:
                return literal(opfunc, x, config, state, e.results)
        run.__name__, run.__qualname__ = fast.__name__, fast.__qualname__
        run.__doc__, run.__module__ = fast.__doc__, fast.__module__
        return run
    return wrap


def float_tensor(x):
    """Whether x is a FloatTensor or a DoubleTensor, the types the numpy paths compute in; an
    integer tensor takes the Lua's steps, where TH's integer arithmetic (and the methods such a
    type lacks: sqrt) decide."""
    return isinstance(x, Tensor) and x.dtype in (np.float32, np.float64)


def off_path_unless(ok):
    """Raise OffPath (before opfunc) where the numpy path cannot follow the Lua."""
    if not ok:
        raise OffPath(None)


def state_tensors(state, x, keys, trigger=None, sizes=None):
    """off_path_unless for the state tensors a numpy path reads and writes: each one there is
    a tensor of x's type and size (sizes: key -> its element count, adamax's max), and once
    trigger is there (rmsprop.lua's `if not state.m then` makes m and tmp together) all of
    them are; else the Lua's steps, where a state table another algorithm filled fails."""
    n = x.nElement()
    if trigger is not None and state.get(trigger) is None:
        return
    for key in keys:
        v = state.get(key)
        if v is None and trigger is None:
            continue
        if type(v) is not type(x) or v.nElement() != (sizes or {}).get(key, n):
            raise OffPath(None)


def _or(v, default):
    """Lua's `v or default`."""
    return default if v is None or v is False else v


def arith(v, what):
    """v as an operand of Lua's arithmetic: a number, a string that reads as one, else
    LuaJIT's error naming it (what: "local 'lr'", "field 'lambda'")."""
    if type(v) is float or type(v) is int:
        return v
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        return v.item() if isinstance(v, np.generic) else v
    n = lua_tonumber(v) if isinstance(v, str) else None
    if n is None:
        raise TorchError(messages.arith_text(lua_type(v), what))
    return n


def ne0(v):
    """Lua's `v ~= 0` (only the number 0 equals 0)."""
    return not (isinstance(v, numbers.Real) and not isinstance(v, bool) and v == 0)


def le0(v, what):
    """Lua's `v <= 0`: numbers only (LuaJIT names the two types otherwise)."""
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        return v <= 0
    raise TorchError(messages.msg("compare", "number", lua_type(v)))  # LuaJIT: 0 >= v


def recv(v, what, method):
    """The method `method` of v for the call v:method(...): a tensor's, else LuaJIT's error
    (indexing a value that has no fields, or calling the nil a table or string gives)."""
    if isinstance(v, Tensor):
        f = getattr(v, method, None)
        if f is None:  # a method this tensor type lacks (an integer tensor's sqrt): nil
            raise TorchError(messages.msg("call_nil_method", method))
        return f
    kind = lua_type(v)
    if kind in NOT_INDEXABLE:
        raise TorchError(messages.index_text(kind, what))
    raise TorchError(messages.msg("call_nil_method", method))


def field(state, key, method):
    """state.key:method for the call state.key:method(...): LuaJIT's error where the field is
    nil (a state table another algorithm filled: rmsprop after adam finds m and no tmp)."""
    return recv(state.get(key), "field '%s'" % key, method)


def size_of(v, what):
    """v:size() as the Lua writes it (dfdx:size())."""
    return recv(v, what, "size")()


def _evaluated(opfunc, x, evaluated, who=None):
    """local fx, dfdx = opfunc(x) (or what the numpy path got from it already); who: the
    method, whose Lua line of the call an opfunc that is no function names."""
    if evaluated is None:
        from ._common import call_opfunc
        res = call_opfunc(opfunc, x, who)
    else:
        res = evaluated
    if not isinstance(res, tuple):
        res = (res,)
    fx = res[0] if len(res) > 0 else None
    dfdx = res[1] if len(res) > 1 else None
    return fx, dfdx


def _new_tensor():
    import torch7py
    return torch7py.Tensor()


def _typed_as(like, sized):
    """torch.Tensor():typeAs(like):resizeAs(sized)."""
    return _new_tensor().typeAs(like).resizeAs(sized)


def lua_pow(a, b):
    """Lua's a ^ b (C's pow: a negative base with a fractional exponent is nan)."""
    try:
        r = a ** b
    except ZeroDivisionError:
        return float("inf")
    except OverflowError:
        return float("inf")
    return float("nan") if isinstance(r, complex) else r


def _at(name):
    """`with L(n):` around the port of line n of optim/<name>.lua: an error raised there (a
    tensor method's C check, LuaJIT's runtime error) carries that position, as luaL_error and
    LuaJIT name the calling Lua line (opfunc's own errors are not wrapped: they keep theirs)."""
    path = "optim/%s.lua:" % name
    return lambda n: lua_line(path + str(n))


def sgd(opfunc, x, config, state, evaluated=None):
    L = _at("sgd")
    lr = _or(config.get("learningRate"), 1e-3)
    lrd = _or(config.get("learningRateDecay"), 0)
    wd = _or(config.get("weightDecay"), 0)
    mom = _or(config.get("momentum"), 0)
    damp = _or(config.get("dampening"), mom)
    nesterov = _or(config.get("nesterov"), False)
    lrs = config.get("learningRates")
    wds = config.get("weightDecays")
    state["evalCounter"] = _or(state.get("evalCounter"), 0)
    nevals = state.get("evalCounter")
    if not (nesterov is None or nesterov is False):
        with L(41):
            m, d = arith(mom, "local 'mom'"), damp
            if not (m > 0 and not ne0(d)):
                raise TorchError("Nesterov momentum requires a momentum and zero dampening")
    fx, dfdx = _evaluated(opfunc, x, evaluated, "sgd")
    if ne0(wd):
        with L(48):
            recv(dfdx, "local 'dfdx'", "add")(wd, x)
    elif not (wds is None or wds is False):
        if state.get("decayParameters") is None:
            with L(51):
                state["decayParameters"] = _typed_as(x, dfdx)
        with L(53):
            field(state, "decayParameters", "copy")(wds).cmul(x)
        with L(54):
            recv(dfdx, "local 'dfdx'", "add")(state.get("decayParameters"))
    if ne0(mom):
        if state.get("dfdx") is None:
            with L(60):
                state["dfdx"] = _typed_as(dfdx, dfdx).copy(dfdx)
        else:
            with L(62):
                field(state, "dfdx", "mul")(mom).add(1 - arith(damp, "local 'damp'"), dfdx)
        if not (nesterov is None or nesterov is False):
            with L(65):
                recv(dfdx, "local 'dfdx'", "add")(mom, state.get("dfdx"))
        else:
            dfdx = state.get("dfdx")
    with L(72):
        clr = arith(lr, "local 'lr'") / (1 + arith(nevals, "local 'nevals'") *
                                          arith(lrd, "local 'lrd'"))
    if not (lrs is None or lrs is False):
        if state.get("deltaParameters") is None:
            with L(77):
                state["deltaParameters"] = _typed_as(x, dfdx)
        with L(79):
            field(state, "deltaParameters", "copy")(lrs).cmul(dfdx)
        with L(80):
            recv(x, "local 'x'", "add")(-clr, state.get("deltaParameters"))
    else:
        with L(82):
            recv(x, "local 'x'", "add")(-clr, dfdx)
    with L(86):
        state["evalCounter"] = arith(state.get("evalCounter"), "field 'evalCounter'") + 1
    return x, [fx]


def adam(opfunc, x, config, state, evaluated=None):
    L = _at("adam")
    lr = _or(config.get("learningRate"), 0.001)
    lrd = _or(config.get("learningRateDecay"), 0)
    beta1 = _or(config.get("beta1"), 0.9)
    beta2 = _or(config.get("beta2"), 0.999)
    epsilon = _or(config.get("epsilon"), 1e-8)
    wd = _or(config.get("weightDecay"), 0)
    fx, dfdx = _evaluated(opfunc, x, evaluated, "adam")
    if ne0(wd):
        with L(41):
            recv(dfdx, "local 'dfdx'", "add")(wd, x)
    state["t"] = _or(state.get("t"), 0)
    for key, line in (("m", 47), ("v", 49), ("denom", 51)):
        if _or(state.get(key), None) is None:
            with L(line):
                size = size_of(dfdx, "local 'dfdx'")
                state[key] = recv(x, "local 'x'", "new")(size).zero()
    with L(54):
        clr = arith(lr, "local 'lr'") / (1 + arith(state.get("t"), "field 't'") *
                                          arith(lrd, "local 'lrd'"))
    with L(56):
        state["t"] = arith(state.get("t"), "field 't'") + 1
    # the tensor methods take the values as they are (cwrap: a number, or a numeric string)
    with L(59):
        field(state, "m", "mul")(beta1).add(1 - arith(beta1, "local 'beta1'"), dfdx)
    with L(60):
        field(state, "v", "mul")(beta2).addcmul(1 - arith(beta2, "local 'beta2'"), dfdx, dfdx)
    with L(62):
        field(state, "denom", "copy")(state.get("v")).sqrt().add(epsilon)
    with L(64):
        b1 = arith(beta1, "local 'beta1'")
        bias1 = 1 - lua_pow(b1, state.get("t"))
    with L(65):
        b2 = arith(beta2, "local 'beta2'")
        bias2 = 1 - lua_pow(b2, state.get("t"))
    step = clr * (math.sqrt(bias2) if bias2 >= 0 else float("nan")) / bias1
    with L(68):
        recv(x, "local 'x'", "addcdiv")(-step, state.get("m"), state.get("denom"))
    return x, [fx]


def adamax(opfunc, x, config, state, evaluated=None):
    L = _at("adamax")
    lr = _or(config.get("learningRate"), 0.002)
    beta1 = _or(config.get("beta1"), 0.9)
    beta2 = _or(config.get("beta2"), 0.999)
    epsilon = _or(config.get("epsilon"), 1e-38)
    wd = _or(config.get("weightDecay"), 0)
    fx, dfdx = _evaluated(opfunc, x, evaluated, "adamax")
    if ne0(wd):
        with L(38):
            recv(dfdx, "local 'dfdx'", "add")(wd, x)
    state["t"] = _or(state.get("t"), 0)
    for key, line in (("m", 44), ("u", 46)):
        if _or(state.get(key), None) is None:
            with L(line):
                size = size_of(dfdx, "local 'dfdx'")
                state[key] = recv(x, "local 'x'", "new")(size).zero()
    if _or(state.get("max"), None) is None:
        with L(48):
            sizes = size_of(dfdx, "local 'dfdx'").totable()
            state["max"] = recv(x, "local 'x'", "new")(2, *sizes).zero()
    with L(50):
        state["t"] = arith(state.get("t"), "field 't'") + 1
    with L(53):
        field(state, "m", "mul")(beta1).add(1 - arith(beta1, "local 'beta1'"), dfdx)
    with L(55):
        state.get("max")[1].copy(state.get("u")).mul(beta2)
    with L(56):
        state.get("max")[2].copy(dfdx).abs().add(epsilon)
    with L(57):
        field(state, "u", "max")(state.get("max"), 1)
    with L(59):
        b1 = arith(beta1, "local 'beta1'")
        bias1 = 1 - lua_pow(b1, state.get("t"))
    with L(60):
        step = arith(lr, "local 'lr'") / bias1
    with L(62):
        recv(x, "local 'x'", "addcdiv")(-step, state.get("m"), state.get("u"))
    return x, [fx]


def adagrad(opfunc, x, config, state, evaluated=None, told=False):
    L = _at("adagrad")
    lr = _or(config.get("learningRate"), 1e-3)
    lrd = _or(config.get("learningRateDecay"), 0)
    wd = _or(config.get("weightDecay"), 0)
    state["evalCounter"] = _or(state.get("evalCounter"), 0)
    nevals = state.get("evalCounter")
    fx, dfdx = _evaluated(opfunc, x, evaluated, "adagrad")
    if ne0(wd):
        with L(35):
            recv(dfdx, "local 'dfdx'", "add")(wd, x)
    with L(39):
        clr = arith(lr, "local 'lr'") / (1 + arith(nevals, "local 'nevals'") *
                                          arith(lrd, "local 'lrd'"))
    if _or(state.get("paramVariance"), None) is None:
        with L(43):
            state["paramVariance"] = _typed_as(x, dfdx).zero()
        with L(44):
            state["paramStd"] = _typed_as(x, dfdx)
    with L(46):
        field(state, "paramVariance", "addcmul")(1, dfdx, dfdx)
    with L(47):
        var = state.get("paramVariance")
        field(state, "paramStd", "resizeAs")(var).copy(var).sqrt()
    with L(48):
        recv(x, "local 'x'", "addcdiv")(-clr, dfdx, field(state, "paramStd", "add")(1e-10))
    with L(51):
        state["evalCounter"] = arith(state.get("evalCounter"), "field 'evalCounter'") + 1
    return x, [fx]


def adadelta(opfunc, x, config, state, evaluated=None):
    L = _at("adadelta")
    rho = _or(config.get("rho"), 0.9)
    eps = _or(config.get("eps"), 1e-6)
    wd = _or(config.get("weightDecay"), 0)
    state["evalCounter"] = _or(state.get("evalCounter"), 0)
    fx, dfdx = _evaluated(opfunc, x, evaluated, "adadelta")
    if ne0(wd):
        with L(35):
            recv(dfdx, "local 'dfdx'", "add")(wd, x)
    if _or(state.get("paramVariance"), None) is None:
        for key, line in (("paramVariance", 40), ("paramStd", 41), ("delta", 42),
                          ("accDelta", 43)):
            with L(line):
                state[key] = _typed_as(x, dfdx).zero()
    with L(45):
        field(state, "paramVariance", "mul")(rho).addcmul(1 - arith(rho, "local 'rho'"), dfdx,
                                                          dfdx)
    r = rho
    with L(46):
        var = state.get("paramVariance")
        field(state, "paramStd", "resizeAs")(var).copy(var).add(eps).sqrt()
    with L(47):
        field(state, "delta", "resizeAs")(state.get("paramVariance")).copy(
            state.get("accDelta")).add(eps).sqrt().cdiv(state.get("paramStd")).cmul(dfdx)
    with L(48):
        recv(x, "local 'x'", "add")(-1, state.get("delta"))
    with L(49):
        delta = state.get("delta")
        field(state, "accDelta", "mul")(r).addcmul(1 - arith(r, "local 'rho'"), delta, delta)
    with L(51):
        state["evalCounter"] = arith(state.get("evalCounter"), "field 'evalCounter'") + 1
    return x, [fx]


def rmsprop(opfunc, x, config, state, evaluated=None):
    L = _at("rmsprop")
    lr = _or(config.get("learningRate"), 1e-2)
    alpha = _or(config.get("alpha"), 0.99)
    epsilon = _or(config.get("epsilon"), 1e-8)
    wd = _or(config.get("weightDecay"), 0)
    mfill = _or(config.get("initialMean"), 0)
    fx, dfdx = _evaluated(opfunc, x, evaluated, "rmsprop")
    if ne0(wd):
        with L(39):
            recv(dfdx, "local 'dfdx'", "add")(wd, x)
    if _or(state.get("m"), None) is None:
        with L(44):
            state["m"] = _typed_as(x, dfdx).fill(mfill)
        with L(45):
            state["tmp"] = _typed_as(x, dfdx)
    with L(49):
        field(state, "m", "mul")(alpha)
    with L(50):
        field(state, "m", "addcmul")(1.0 - arith(alpha, "local 'alpha'"), dfdx, dfdx)
    with L(53):
        field(state, "tmp", "sqrt")(state.get("m")).add(epsilon)
    with L(54):
        recv(x, "local 'x'", "addcdiv")(-arith(lr, "local 'lr'"), dfdx, state.get("tmp"))
    return x, [fx]


def nag(opfunc, x, config, state, evaluated=None):
    """evaluated: the numpy path has made the momentum step and called opfunc already."""
    L = _at("nag")
    lr = _or(config.get("learningRate"), 1e-3)
    lrd = _or(config.get("learningRateDecay"), 0)
    wd = _or(config.get("weightDecay"), 0)
    mom = _or(config.get("momentum"), 0.9)
    lrs = config.get("learningRates")
    state["evalCounter"] = _or(state.get("evalCounter"), 0)
    nevals = state.get("evalCounter")
    if evaluated is None:
        with L(39):
            small = le0(mom, "local 'mom'")
        if small:
            raise messages.at_lua(
                TorchError("Momentum must be positive for Nesterov Accelerated Gradient"),
                "optim/nag.lua:40")
        if _or(state.get("dfdx"), None) is not None:
            with L(47):
                recv(x, "local 'x'", "add")(mom, state.get("dfdx"))
    fx, dfdx = _evaluated(opfunc, x, evaluated, "nag")
    if ne0(wd):
        with L(55):
            recv(dfdx, "local 'dfdx'", "add")(wd, x)
    with L(59):
        clr = arith(lr, "local 'lr'") / (1 + arith(nevals, "local 'nevals'") *
                                          arith(lrd, "local 'lrd'"))
    if _or(state.get("dfdx"), None) is None:
        with L(63):
            state["dfdx"] = _typed_as(dfdx, dfdx).fill(0)
    else:
        with L(65):
            field(state, "dfdx", "mul")(mom)
    if not (lrs is None or lrs is False):
        if state.get("deltaParameters") is None:
            with L(71):
                state["deltaParameters"] = _typed_as(x, dfdx)
        with L(73):
            field(state, "deltaParameters", "copy")(lrs).cmul(dfdx)
        with L(74):
            recv(x, "local 'x'", "add")(-clr, state.get("deltaParameters"))
        with L(75):
            field(state, "dfdx", "add")(-clr, state.get("deltaParameters"))
    else:
        with L(77):
            recv(x, "local 'x'", "add")(-clr, dfdx)
        with L(78):
            field(state, "dfdx", "add")(-clr, dfdx)
    with L(82):
        state["evalCounter"] = arith(state.get("evalCounter"), "field 'evalCounter'") + 1
    return x, [fx]


def asgd(opfunc, x, config, state, evaluated=None):
    L = _at("asgd")
    for key, default in (("eta0", 1e-4), ("lambda", 1e-4), ("alpha", 0.75), ("t0", 1e6)):
        config[key] = _or(config.get(key), default)
    state["eta_t"] = _or(state.get("eta_t"), config["eta0"])
    state["mu_t"] = _or(state.get("mu_t"), 1)
    state["t"] = _or(state.get("t"), 0)
    fx, dfdx = _evaluated(opfunc, x, evaluated, "asgd")
    with L(50):
        lam = arith(config["lambda"], "field 'lambda'")
        recv(x, "local 'x'", "mul")(1 - lam * arith(state.get("eta_t"), "field 'eta_t'"))
    with L(53):
        x.add(-arith(state.get("eta_t"), "field 'eta_t'"), dfdx)
    if _or(state.get("ax"), None) is None:
        with L(56):
            state["ax"] = _typed_as(x, x).zero()
    if _or(state.get("tmp"), None) is None:
        with L(57):
            state["tmp"] = _typed_as(state.get("ax"), state.get("ax"))
    if ne1(state.get("mu_t")):
        with L(59):
            field(state, "tmp", "copy")(x)
        with L(60):
            field(state, "tmp", "add")(-1, state.get("ax")).mul(state.get("mu_t"))
        with L(61):
            field(state, "ax", "add")(state.get("tmp"))
    else:
        with L(63):
            field(state, "ax", "copy")(x)
    with L(67):
        state["t"] = arith(state.get("t"), "field 't'") + 1
    with L(68):
        eta0 = arith(config["eta0"], "field 'eta0'")
        base = 1 + lam * eta0 * state.get("t")
        state["eta_t"] = eta0 / lua_pow(base, arith(config["alpha"], "field 'alpha'"))
    with L(69):
        state["mu_t"] = 1 / max(1, state.get("t") - arith(config["t0"], "field 't0'"))
    return x, [fx], state.get("ax")


def ne1(v):
    """Lua's `v ~= 1`."""
    return not (isinstance(v, numbers.Real) and not isinstance(v, bool) and v == 1)
