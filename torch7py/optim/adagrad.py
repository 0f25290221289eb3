"""optim.adagrad: Torch7's AdaGrad with learning-rate decay and weight decay."""
import numpy as np

from ._common import addcdiv, addcmul, check_x, evaluate_decayed, new_as, num, tables
from ..printing import lua_print


def adagrad(opfunc, x, config=None, state=None):
    """x, {f(x)} = adagrad(opfunc, x, config, state); state keeps paramVariance, paramStd."""
    check_x(x, "adagrad")
    if config is None and state is None:
        lua_print("no state table, ADAGRAD initializing")
    config, state = tables(config, state, "adagrad")
    lr = num(config, "learningRate", 1e-3, "adagrad")
    lrd = num(config, "learningRateDecay", 0, "adagrad")
    wd = num(config, "weightDecay", 0, "adagrad")
    state["evalCounter"] = num(state, "evalCounter", 0, "adagrad")
    nevals = state["evalCounter"]

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
