"""optim.adam: Torch7's Adam (Kingma & Ba) with weight decay and learning-rate decay."""
import numpy as np

from ._common import addcdiv, addcmul, axpy, check_x, evaluate_decayed, new_as, num, tables


def adam(opfunc, x, config=None, state=None):
    """x, {f(x)} = adam(opfunc, x, config, state); state keeps t, m, v, denom."""
    check_x(x, "adam")
    config, state = tables(config, state, "adam")
    lr = num(config, "learningRate", 0.001, "adam")
    lrd = num(config, "learningRateDecay", 0, "adam")
    beta1 = num(config, "beta1", 0.9, "adam")
    beta2 = num(config, "beta2", 0.999, "adam")
    epsilon = num(config, "epsilon", 1e-8, "adam")
    wd = num(config, "weightDecay", 0, "adam")

    fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "adam")

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
