"""optim.adagrad: Torch7's AdaGrad with learning-rate decay and weight decay."""
import numpy as np

from . import _literal
from ._common import addcdiv, addcmul, evaluate_decayed, new_as, num, tables
from ..printing import lua_print

# the fields the numpy path reads as numbers (and as tensors of x's size)
_CONFIG = ('learningRate', 'learningRateDecay', 'weightDecay')
_STATE = ('evalCounter',)


def adagrad(opfunc, x, config=None, state=None):
    """x, {f(x)} = adagrad(opfunc, x, config, state); state keeps paramVariance, paramStd."""
    if config is None and state is None:
        lua_print("no state table, ADAGRAD initializing")
    config, state = tables(config, state, "adagrad")
    # a field that is no number, an x that is no tensor: the Lua's own steps (_literal)
    if (_literal.needed(x, config, _CONFIG)
            or _literal.needed(x, state, _STATE)):
        return _literal.adagrad(opfunc, x, config, state)
    lr = num(config, "learningRate", 1e-3, "adagrad")
    lrd = num(config, "learningRateDecay", 0, "adagrad")
    wd = num(config, "weightDecay", 0, "adagrad")
    state["evalCounter"] = num(state, "evalCounter", 0, "adagrad")
    nevals = state["evalCounter"]

    try:
        fx, dfdx, g = evaluate_decayed(opfunc, x, wd, "adagrad")
    except _literal.OffPath as e:  # df/dx is no tensor of x's size
        return _literal.adagrad(opfunc, x, config, state, e.results)

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
