"""optim.sgd: Torch7's stochastic gradient descent (momentum, dampening, Nesterov, weight decays,
learning-rate decay, per-parameter learning rates)."""
import numpy as np

from ..messages import at_lua
from ..tensor import Tensor, TorchError
from . import _literal
from ._common import axpy, evaluate, fnum, opt, product_buffer, truthy


@_literal.fallback(_literal.sgd)
def sgd(opfunc, x, config, state):
    """x, {f(x)} = sgd(opfunc, x, config, state): one SGD step; state keeps evalCounter, dfdx."""
    _literal.off_path_unless(_literal.float_tensor(x))  # (the Lua's steps otherwise)
    _literal.state_tensors(state, x, ("decayParameters", "dfdx", "deltaParameters"))
    lr = fnum(config, "learningRate", 1e-3)
    lrd = fnum(config, "learningRateDecay", 0)
    wd = fnum(config, "weightDecay", 0)
    mom = fnum(config, "momentum", 0)
    damp = fnum(config, "dampening", mom)
    nesterov = truthy(opt(config, "nesterov", False))
    lrs = opt(config, "learningRates")
    wds = opt(config, "weightDecays")
    if lrs is not None:
        _literal.off_path_unless(isinstance(lrs, Tensor) and lrs.nElement() == x.nElement())
    if wds is not None:
        _literal.off_path_unless(isinstance(wds, Tensor) and wds.nElement() == x.nElement())
    state["evalCounter"] = fnum(state, "evalCounter", 0)
    nevals = state["evalCounter"]
    if nesterov and not (mom > 0 and damp == 0):
        raise at_lua(TorchError("Nesterov momentum requires a momentum and zero dampening"),
                     "optim/sgd.lua:41")  # (its assert names the line)

    # (OffPath here: a df/dx that is no tensor of x's size)
    fx, dfdx = evaluate(opfunc, x, "sgd", any_fx=True, literal=True)
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
