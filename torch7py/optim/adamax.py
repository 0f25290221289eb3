"""optim.adamax: Torch7's AdaMax, Adam's infinity-norm variant (Kingma & Ba)."""
import numpy as np

from . import _literal
from ._common import addcdiv, axpy, evaluate_decayed, new_as, fnum


@_literal.fallback(_literal.adamax)
def adamax(opfunc, x, config, state):
    """x, {f(x)} = adamax(opfunc, x, config, state); state keeps t, m, u, max."""
    _literal.off_path_unless(_literal.float_tensor(x))  # (the Lua's steps otherwise)
    _literal.state_tensors(state, x, ("m", "u", "max"), sizes={"max": 2 * x.nElement()})
    lr = fnum(config, "learningRate", 0.002)
    beta1 = fnum(config, "beta1", 0.9)
    beta2 = fnum(config, "beta2", 0.999)
    epsilon = fnum(config, "epsilon", 1e-38)
    wd = fnum(config, "weightDecay", 0)

    # (OffPath here: a df/dx that is no tensor of x's size)
    fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "adamax")

    state["t"] = fnum(state, "t", 0)
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
