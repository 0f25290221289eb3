"""optim.adadelta: Torch7's AdaDelta (Zeiler, 2012)."""
import numpy as np

from . import _literal
from ._common import addcmul, axpy, evaluate_decayed, new_as, num, tables
from ..printing import lua_print

# the fields the numpy path reads as numbers (and as tensors of x's size)
_CONFIG = ('rho', 'eps', 'weightDecay')
_STATE = ('evalCounter',)


def adadelta(opfunc, x, config=None, state=None):
    """x, {f(x)} = adadelta(opfunc, x, config, state); state keeps paramVariance, paramStd,
    delta, accDelta, evalCounter."""
    if config is None and state is None:
        lua_print("no state table, ADADELTA initializing")
    config, state = tables(config, state, "adadelta")
    # a field that is no number, an x that is no tensor: the Lua's own steps (_literal)
    if (_literal.needed(x, config, _CONFIG)
            or _literal.needed(x, state, _STATE)):
        return _literal.adadelta(opfunc, x, config, state)
    rho = num(config, "rho", 0.9, "adadelta")
    eps = num(config, "eps", 1e-6, "adadelta")
    wd = num(config, "weightDecay", 0, "adadelta")
    state["evalCounter"] = num(state, "evalCounter", 0, "adadelta")

    try:
        fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "adadelta")
    except _literal.OffPath as e:  # df/dx is no tensor of x's size
        return _literal.adadelta(opfunc, x, config, state, e.results)

    if state.get("paramVariance") is None:
        for key in ("paramVariance", "paramStd", "delta", "accDelta"):
            state[key] = new_as(x, dfdx, 0)
    var, std = state["paramVariance"].numpy(), state["paramStd"].numpy()
    delta, acc = state["delta"].numpy(), state["accDelta"].numpy()
    np.multiply(var, rho, out=var)
    addcmul(var, 1 - rho, g, g)
    np.add(var, eps, out=std)
    np.sqrt(std, out=std)
    np.add(acc, eps, out=delta)
    np.sqrt(delta, out=delta)
    np.divide(delta, std, out=delta)
    np.multiply(delta, g.reshape(delta.shape), out=delta)
    axpy(x.numpy(), -1, delta)
    np.multiply(acc, rho, out=acc)
    addcmul(acc, 1 - rho, delta, delta)

    state["evalCounter"] = state["evalCounter"] + 1
    return x, [fx]
