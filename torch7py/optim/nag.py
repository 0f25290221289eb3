"""optim.nag: Torch7's SGD with Nesterov's accelerated gradient (Sutskever et al., 2013)."""
import numpy as np

from ..tensor import TorchError
from . import _literal
from ._common import (axpy, evaluate_decayed, new_as, num, opt, product_buffer, tables,
                      tensor_arg)

# the fields the numpy path reads as numbers (and as tensors of x's size)
_CONFIG = ('learningRate', 'learningRateDecay', 'weightDecay', 'momentum')
_TENSORS = ('learningRates',)
_STATE = ('evalCounter',)


def nag(opfunc, x, config=None, state=None):
    """x, {f(x)} = nag(opfunc, x, config, state); state keeps evalCounter, dfdx."""
    config, state = tables(config, state, "nag")
    # a field that is no number, an x that is no tensor: the Lua's own steps (_literal)
    if (_literal.needed(x, config, _CONFIG, _TENSORS)
            or _literal.needed(x, state, _STATE)):
        return _literal.nag(opfunc, x, config, state)
    lr = num(config, "learningRate", 1e-3, "nag")
    lrd = num(config, "learningRateDecay", 0, "nag")
    wd = num(config, "weightDecay", 0, "nag")
    mom = num(config, "momentum", 0.9, "nag")
    lrs = opt(config, "learningRates")
    if lrs is not None:
        tensor_arg(lrs, "config.learningRates", "nag", x.nElement())
    state["evalCounter"] = num(state, "evalCounter", 0, "nag")
    nevals = state["evalCounter"]
    if mom <= 0:
        raise TorchError("Momentum must be positive for Nesterov Accelerated Gradient")

    xa = x.numpy()
    # first a step along the momentum vector, then the gradient at that point
    if state.get("dfdx") is not None:
        axpy(xa, mom, state["dfdx"].numpy())
    try:
        fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "nag")
    except _literal.OffPath as e:  # df/dx is no tensor of x's size
        return _literal.nag(opfunc, x, config, state, e.results)

    clr = lr / (1 + nevals * lrd)
    if state.get("dfdx") is None:
        state["dfdx"] = new_as(dfdx, dfdx, 0)
    else:
        v = state["dfdx"].numpy()
        np.multiply(v, mom, out=v)
    v = state["dfdx"].numpy()

    if lrs is not None:
        dp = product_buffer(state, "deltaParameters", x, dfdx, lrs, dfdx)
        axpy(xa, -clr, dp)
        axpy(v, -clr, dp)
    else:
        # x:add(-clr, dfdx) and state.dfdx:add(-clr, dfdx): each one fused axpy
        axpy(xa, -clr, g)
        axpy(v, -clr, g)

    state["evalCounter"] = state["evalCounter"] + 1
    return x, [fx]
