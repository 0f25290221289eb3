"""optim.adadelta: Torch7's AdaDelta (Zeiler, 2012)."""
import numpy as np

from ._common import addcmul, axpy, check_x, evaluate_decayed, new_as, num, tables
from ..printing import lua_print


def adadelta(opfunc, x, config=None, state=None):
    """x, {f(x)} = adadelta(opfunc, x, config, state); state keeps paramVariance, paramStd,
    delta, accDelta, evalCounter."""
    check_x(x, "adadelta")
    if config is None and state is None:
        lua_print("no state table, ADADELTA initializing")
    config, state = tables(config, state, "adadelta")
    rho = num(config, "rho", 0.9, "adadelta")
    eps = num(config, "eps", 1e-6, "adadelta")
    wd = num(config, "weightDecay", 0, "adadelta")
    state["evalCounter"] = num(state, "evalCounter", 0, "adadelta")

    fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "adadelta")

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
