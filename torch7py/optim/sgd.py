"""optim.sgd: Torch7's stochastic gradient descent (momentum, dampening, Nesterov, weight decays,
learning-rate decay, per-parameter learning rates)."""
import numpy as np

from ..tensor import TorchError
from . import _literal
from ._common import (axpy, evaluate, num, opt, product_buffer, tables, tensor_arg,
                      truthy)

# the fields the numpy path reads as numbers (and as tensors of x's size)
_CONFIG = ('learningRate', 'learningRateDecay', 'weightDecay', 'momentum', 'dampening')
_TENSORS = ('learningRates', 'weightDecays')
_STATE = ('evalCounter',)


def sgd(opfunc, x, config=None, state=None):
    """x, {f(x)} = sgd(opfunc, x, config, state): one SGD step; state keeps evalCounter, dfdx."""
    config, state = tables(config, state, "sgd")
    # a field that is no number, an x that is no tensor: the Lua's own steps (_literal)
    if (_literal.needed(x, config, _CONFIG, _TENSORS)
            or _literal.needed(x, state, _STATE)):
        return _literal.sgd(opfunc, x, config, state)
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
        raise TorchError("Nesterov momentum requires a momentum and zero dampening")

    try:
        fx, dfdx = evaluate(opfunc, x, "sgd", any_fx=True, literal=True)
    except _literal.OffPath as e:  # df/dx is no tensor of x's size
        return _literal.sgd(opfunc, x, config, state, e.results)
    g, xa = dfdx.numpy(), x.numpy()

    # weight decay goes into the caller's gradient tensor, as Torch7 does
    if wd != 0:
        axpy(g, wd, xa)
    elif wds is not None:
        axpy(g, 1, product_buffer(state, "decayParameters", x, dfdx, wds, x))

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
        axpy(xa, -clr, product_buffer(state, "deltaParameters", x, dfdx, lrs, dfdx))
    else:
        axpy(xa, -clr, g)

    state["evalCounter"] = state["evalCounter"] + 1
    return x, [fx]
