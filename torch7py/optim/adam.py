"""optim.adam: Torch7's Adam (Kingma & Ba) with weight decay and learning-rate decay."""
import numpy as np

from . import _literal
from ._common import addcdiv, addcmul, axpy, evaluate_decayed, new_as, num, tables

# the fields the numpy path reads as numbers (and as tensors of x's size)
_CONFIG = ('learningRate', 'learningRateDecay', 'beta1', 'beta2', 'epsilon', 'weightDecay')
_STATE = ('t',)


def adam(opfunc, x, config=None, state=None):
    """x, {f(x)} = adam(opfunc, x, config, state); state keeps t, m, v, denom."""
    config, state = tables(config, state, "adam")
    # a field that is no number, an x that is no tensor: the Lua's own steps (_literal)
    if (_literal.needed(x, config, _CONFIG)
            or _literal.needed(x, state, _STATE)):
        return _literal.adam(opfunc, x, config, state)
    lr = num(config, "learningRate", 0.001, "adam")
    lrd = num(config, "learningRateDecay", 0, "adam")
    beta1 = num(config, "beta1", 0.9, "adam")
    beta2 = num(config, "beta2", 0.999, "adam")
    epsilon = num(config, "epsilon", 1e-8, "adam")
    wd = num(config, "weightDecay", 0, "adam")

    try:
        fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "adam")
    except _literal.OffPath as e:  # df/dx is no tensor of x's size
        return _literal.adam(opfunc, x, config, state, e.results)

    state["t"] = num(state, "t", 0, "adam")
    for key in ("m", "v", "denom"):
        if state.get(key) is None:
            state[key] = new_as(x, dfdx, 0)

    clr = lr / (1 + state["t"] * lrd)
    state["t"] = state["t"] + 1

    m, v, denom = state["m"].numpy(), state["v"].numpy(), state["denom"].numpy()
    np.multiply(m, beta1, out=m)
    axpy(m, 1 - beta1, g)
    np.multiply(v, beta2, out=v)
    addcmul(v, 1 - beta2, g, g)
    np.sqrt(v, out=denom)
    np.add(denom, epsilon, out=denom)

    bias1 = 1 - beta1 ** state["t"]
    bias2 = 1 - beta2 ** state["t"]
    step = clr * bias2 ** 0.5 / bias1
    addcdiv(x.numpy(), -step, m, denom)
    return x, [fx]
