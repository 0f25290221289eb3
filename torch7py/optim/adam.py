"""optim.adam: Torch7's Adam (Kingma & Ba) with weight decay and learning-rate decay."""
import numpy as np

from . import _literal
from ._common import addcdiv, addcmul, axpy, evaluate_decayed, new_as, fnum


@_literal.fallback(_literal.adam)
def adam(opfunc, x, config, state):
    """x, {f(x)} = adam(opfunc, x, config, state); state keeps t, m, v, denom."""
    _literal.off_path_unless(_literal.float_tensor(x))  # (the Lua's steps otherwise)
    _literal.state_tensors(state, x, ("m", "v", "denom"))
    lr = fnum(config, "learningRate", 0.001)
    lrd = fnum(config, "learningRateDecay", 0)
    beta1 = fnum(config, "beta1", 0.9)
    beta2 = fnum(config, "beta2", 0.999)
    epsilon = fnum(config, "epsilon", 1e-8)
    wd = fnum(config, "weightDecay", 0)

    # (OffPath here: a df/dx that is no tensor of x's size)
    fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "adam")

    state["t"] = fnum(state, "t", 0)
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
