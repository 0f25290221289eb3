"""optim.rmsprop: Torch7's RMSprop with weight decay and an initial mean square."""
import numpy as np

from ._common import addcdiv, addcmul, check_x, evaluate_decayed, new_as, num, tables


def rmsprop(opfunc, x, config=None, state=None):
    """x, {f(x)} = rmsprop(opfunc, x, config, state); state keeps m, tmp."""
    check_x(x, "rmsprop")
    config, state = tables(config, state, "rmsprop")
    lr = num(config, "learningRate", 1e-2, "rmsprop")
    alpha = num(config, "alpha", 0.99, "rmsprop")
    epsilon = num(config, "epsilon", 1e-8, "rmsprop")
    wd = num(config, "weightDecay", 0, "rmsprop")
    mfill = num(config, "initialMean", 0, "rmsprop")

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
