"""optim.rmsprop: Torch7's RMSprop with weight decay and an initial mean square."""
import numpy as np

from . import _literal
from ._common import addcdiv, addcmul, evaluate_decayed, new_as, num, tables

# the fields the numpy path reads as numbers (and as tensors of x's size)
_CONFIG = ('learningRate', 'alpha', 'epsilon', 'weightDecay', 'initialMean')
_STATE = ()


def rmsprop(opfunc, x, config=None, state=None):
    """x, {f(x)} = rmsprop(opfunc, x, config, state); state keeps m, tmp."""
    config, state = tables(config, state, "rmsprop")
    # a field that is no number, an x that is no tensor: the Lua's own steps (_literal)
    if (_literal.needed(x, config, _CONFIG)
            or _literal.needed(x, state, _STATE)):
        return _literal.rmsprop(opfunc, x, config, state)
    lr = num(config, "learningRate", 1e-2, "rmsprop")
    alpha = num(config, "alpha", 0.99, "rmsprop")
    epsilon = num(config, "epsilon", 1e-8, "rmsprop")
    wd = num(config, "weightDecay", 0, "rmsprop")
    mfill = num(config, "initialMean", 0, "rmsprop")

    try:
        fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "rmsprop")
    except _literal.OffPath as e:  # df/dx is no tensor of x's size
        return _literal.rmsprop(opfunc, x, config, state, e.results)

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
