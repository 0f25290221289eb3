"""optim.sgd: Torch7's stochastic gradient descent (momentum, dampening, Nesterov, weight decays,
learning-rate decay, per-parameter learning rates)."""
import numpy as np

from ..tensor import TorchError
from ._common import (arr, axpy, check_x, copy_into, evaluate, new_as, num, opt, tables,
                      tensor_arg, truthy)


def sgd(opfunc, x, config=None, state=None):
    """x, {f(x)} = sgd(opfunc, x, config, state): one SGD step; state keeps evalCounter, dfdx."""
    check_x(x, "sgd")
    config, state = tables(config, state, "sgd")
    lr = num(config, "learningRate", 1e-3, "sgd")
    lrd = num(config, "learningRateDecay", 0, "sgd")
    wd = num(config, "weightDecay", 0, "sgd")
    mom = num(config, "momentum", 0, "sgd")
    damp = num(config, "dampening", mom, "sgd")
    nesterov = truthy(opt(config, "nesterov", False))
    lrs = opt(config, "learningRates")
    wds = opt(config, "weightDecays")
    if lrs is not None:
        tensor_arg(lrs, "config.learningRates", "sgd", x.nElement())
    if wds is not None:
        tensor_arg(wds, "config.weightDecays", "sgd", x.nElement())
    state["evalCounter"] = num(state, "evalCounter", 0, "sgd")
    nevals = state["evalCounter"]
    if nesterov and not (mom > 0 and damp == 0):
        raise TorchError("optim.sgd: Nesterov momentum requires a momentum and zero dampening")

    fx, dfdx = evaluate(opfunc, x, "sgd")
    g, xa = dfdx.numpy(), x.numpy()

    # weight decay goes into the caller's gradient tensor, as Torch7 does
    if wd != 0:
        axpy(g, wd, xa)
    elif wds is not None:
        if state.get("decayParameters") is None:
            state["decayParameters"] = new_as(x, dfdx)
        dp = state["decayParameters"].numpy()
        copy_into(dp, arr(wds))
        np.multiply(dp, arr(x, dp), out=dp)
        axpy(g, 1, dp)

    if mom != 0:
        if state.get("dfdx") is None:
            state["dfdx"] = dfdx.clone()
        else:
            v = state["dfdx"].numpy()
            np.multiply(v, mom, out=v)
            axpy(v, 1 - damp, g)
        if nesterov:
            axpy(g, mom, state["dfdx"].numpy())
        else:
            dfdx = state["dfdx"]
            g = dfdx.numpy()

    clr = lr / (1 + nevals * lrd)

    if lrs is not None:
        if state.get("deltaParameters") is None:
            state["deltaParameters"] = new_as(x, dfdx)
        dp = state["deltaParameters"].numpy()
        copy_into(dp, arr(lrs))
        np.multiply(dp, arr(dfdx, dp), out=dp)
        axpy(xa, -clr, dp)
    else:
        axpy(xa, -clr, g)

    state["evalCounter"] = state["evalCounter"] + 1
    return x, [fx]
