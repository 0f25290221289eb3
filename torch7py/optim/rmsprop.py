"""optim.rmsprop: Torch7's RMSprop with weight decay and an initial mean square."""
import numpy as np

from . import _literal
from ._common import addcdiv, addcmul, evaluate_decayed, new_as, fnum


@_literal.fallback(_literal.rmsprop)
def rmsprop(opfunc, x, config, state):
    """x, {f(x)} = rmsprop(opfunc, x, config, state); state keeps m, tmp."""
    _literal.off_path_unless(_literal.float_tensor(x))  # (the Lua's steps otherwise)
    _literal.state_tensors(state, x, ("m", "tmp"), "m")
    lr = fnum(config, "learningRate", 1e-2)
    alpha = fnum(config, "alpha", 0.99)
    epsilon = fnum(config, "epsilon", 1e-8)
    wd = fnum(config, "weightDecay", 0)
    mfill = fnum(config, "initialMean", 0)

    # (OffPath here: a df/dx that is no tensor of x's size)
    fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "rmsprop")

    if state.get("m") is None:
        state["m"] = new_as(x, dfdx, mfill)
        state["tmp"] = new_as(x, dfdx)
    m, tmp = state["m"].numpy(), state["tmp"].numpy()
    np.multiply(m, alpha, out=m)
    addcmul(m, 1.0 - alpha, g, g)
    np.sqrt(m, out=tmp)
    np.add(tmp, epsilon, out=tmp)
    addcdiv(x.numpy(), -lr, g, tmp)
    return x, [fx]
