"""optim.adamax: Torch7's AdaMax, Adam's infinity-norm variant (Kingma & Ba)."""
import numpy as np

from . import _literal
from ._common import addcdiv, axpy, evaluate_decayed, new_as, num, tables

# the fields the numpy path reads as numbers (and as tensors of x's size)
_CONFIG = ('learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay')
_STATE = ('t',)


def adamax(opfunc, x, config=None, state=None):
    """x, {f(x)} = adamax(opfunc, x, config, state); state keeps t, m, u, max."""
    config, state = tables(config, state, "adamax")
    # a field that is no number, an x that is no tensor: the Lua's own steps (_literal)
    if (_literal.needed(x, config, _CONFIG)
            or _literal.needed(x, state, _STATE)):
        return _literal.adamax(opfunc, x, config, state)
    lr = num(config, "learningRate", 0.002, "adamax")
    beta1 = num(config, "beta1", 0.9, "adamax")
    beta2 = num(config, "beta2", 0.999, "adamax")
    epsilon = num(config, "epsilon", 1e-38, "adamax")
    wd = num(config, "weightDecay", 0, "adamax")

    try:
        fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "adamax")
    except _literal.OffPath as e:  # df/dx is no tensor of x's size
        return _literal.adamax(opfunc, x, config, state, e.results)

    state["t"] = num(state, "t", 0, "adamax")
    if state.get("m") is None:
        state["m"] = new_as(x, dfdx, 0)
    if state.get("u") is None:
        state["u"] = new_as(x, dfdx, 0)
    if state.get("max") is None:
        state["max"] = type(x)(2, *dfdx._size)
        state["max"].zero()
    state["t"] = state["t"] + 1

    m, u, mx = state["m"].numpy(), state["u"], state["max"].numpy()
    np.multiply(m, beta1, out=m)
    axpy(m, 1 - beta1, g)
    mx[0] = u.numpy().reshape(mx[0].shape)
    np.multiply(mx[0], beta2, out=mx[0])
    np.abs(g.reshape(mx[1].shape), out=mx[1])
    np.add(mx[1], epsilon, out=mx[1])
    # u:max(state.max, 1) leaves u with the reduced shape (1, ...), as Torch7 does
    u.resize(1, *dfdx._size)
    np.maximum(mx[0], mx[1], out=u.numpy()[0])

    step = lr / (1 - beta1 ** state["t"])
    addcdiv(x.numpy(), -step, m, u.numpy()[0])
    return x, [fx]
