"""optim.nag: Torch7's SGD with Nesterov's accelerated gradient (Sutskever et al., 2013)."""
import numpy as np

from ..messages import at_lua
from ..tensor import Tensor, TorchError
from . import _literal
from ._common import axpy, evaluate_decayed, fnum, new_as, opt, product_buffer


@_literal.fallback(_literal.nag)
def nag(opfunc, x, config, state):
    """x, {f(x)} = nag(opfunc, x, config, state); state keeps evalCounter, dfdx."""
    _literal.off_path_unless(_literal.float_tensor(x))  # (the Lua's steps otherwise)
    _literal.state_tensors(state, x, ("dfdx", "deltaParameters"))
    lr = fnum(config, "learningRate", 1e-3)
    lrd = fnum(config, "learningRateDecay", 0)
    wd = fnum(config, "weightDecay", 0)
    mom = fnum(config, "momentum", 0.9)
    lrs = opt(config, "learningRates")
    if lrs is not None:
        _literal.off_path_unless(isinstance(lrs, Tensor) and lrs.nElement() == x.nElement())
    state["evalCounter"] = fnum(state, "evalCounter", 0)
    nevals = state["evalCounter"]
    if mom <= 0:
        raise at_lua(TorchError("Momentum must be positive for Nesterov Accelerated Gradient"),
                     'optim/nag.lua:40')

    xa = x.numpy()
    # first a step along the momentum vector, then the gradient at that point
    if state.get("dfdx") is not None:
        axpy(xa, mom, state["dfdx"].numpy())
    # (OffPath here: a df/dx that is no tensor of x's size)
    fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "nag")

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
