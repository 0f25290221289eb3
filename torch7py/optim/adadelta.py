"""optim.adadelta: Torch7's AdaDelta (Zeiler, 2012)."""
import numpy as np

from . import _literal
from ._common import addcmul, axpy, evaluate_decayed, new_as, fnum


@_literal.fallback(_literal.adadelta, note='no state table, ADADELTA initializing')
def adadelta(opfunc, x, config, state):
    """x, {f(x)} = adadelta(opfunc, x, config, state); state keeps paramVariance, paramStd,
    delta, accDelta, evalCounter."""
    _literal.off_path_unless(_literal.float_tensor(x))  # (the Lua's steps otherwise)
    _literal.state_tensors(state, x, ("paramVariance", "paramStd", "delta", "accDelta"),
                           "paramVariance")
    rho = fnum(config, "rho", 0.9)
    eps = fnum(config, "eps", 1e-6)
    wd = fnum(config, "weightDecay", 0)
    state["evalCounter"] = fnum(state, "evalCounter", 0)

    # (OffPath here: a df/dx that is no tensor of x's size)
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
