"""optim.adagrad: Torch7's AdaGrad with learning-rate decay and weight decay."""
import numpy as np

from . import _literal
from ._common import addcdiv, addcmul, evaluate_decayed, new_as, fnum


@_literal.fallback(_literal.adagrad, note='no state table, ADAGRAD initializing')
def adagrad(opfunc, x, config, state):
    """x, {f(x)} = adagrad(opfunc, x, config, state); state keeps paramVariance, paramStd."""
    _literal.off_path_unless(_literal.float_tensor(x))  # (the Lua's steps otherwise)
    _literal.state_tensors(state, x, ("paramVariance", "paramStd"), "paramVariance")
    lr = fnum(config, "learningRate", 1e-3)
    lrd = fnum(config, "learningRateDecay", 0)
    wd = fnum(config, "weightDecay", 0)
    state["evalCounter"] = fnum(state, "evalCounter", 0)
    nevals = state["evalCounter"]

    # (OffPath here: a df/dx that is no tensor of x's size)
    fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "adagrad")

    clr = lr / (1 + nevals * lrd)
    if state.get("paramVariance") is None:
        state["paramVariance"] = new_as(x, dfdx, 0)
        state["paramStd"] = new_as(x, dfdx)
    var, std = state["paramVariance"].numpy(), state["paramStd"].numpy()
    addcmul(var, 1, g, g)
    np.sqrt(var, out=std)
    np.add(std, 1e-10, out=std)
    addcdiv(x.numpy(), -clr, g, std)

    state["evalCounter"] = state["evalCounter"] + 1
    return x, [fx]
