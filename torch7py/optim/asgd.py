"""optim.asgd: Torch7's averaged SGD (L. Bottou's sgd-2.0)."""
import numpy as np

from . import _literal
from ._common import axpy, evaluate, new_as, num, tables

# the fields the numpy path reads as numbers (and as tensors of x's size)
_CONFIG = ('eta0', 'lambda', 'alpha', 't0')
_STATE = ('eta_t', 'mu_t', 't')


def asgd(opfunc, x, config=None, state=None):
    """x, {f(x)}, ax = asgd(opfunc, x, config, state): one step; ax is the averaged x.
    Like Torch7, the defaults are written into config (eta0, lambda, alpha, t0)."""
    config, state = tables(config, state, "asgd")
    # a field that is no number, an x that is no tensor: the Lua's own steps (_literal)
    if (_literal.needed(x, config, _CONFIG)
            or _literal.needed(x, state, _STATE)):
        return _literal.asgd(opfunc, x, config, state)
    config["eta0"] = num(config, "eta0", 1e-4, "asgd")
    config["lambda"] = num(config, "lambda", 1e-4, "asgd")
    config["alpha"] = num(config, "alpha", 0.75, "asgd")
    config["t0"] = num(config, "t0", 1e6, "asgd")
    eta0, lam, alpha, t0 = config["eta0"], config["lambda"], config["alpha"], config["t0"]

    state["eta_t"] = num(state, "eta_t", eta0, "asgd")
    state["mu_t"] = num(state, "mu_t", 1, "asgd")
    state["t"] = num(state, "t", 0, "asgd")

    try:
        fx, dfdx = evaluate(opfunc, x, "asgd", any_fx=True, literal=True)
    except _literal.OffPath as e:  # df/dx is no tensor of x's size
        return _literal.asgd(opfunc, x, config, state, e.results)
    xa = x.numpy()
    np.multiply(xa, 1 - lam * state["eta_t"], out=xa)
    axpy(xa, -state["eta_t"], dfdx.numpy())

    if state.get("ax") is None:
        state["ax"] = new_as(x, x, 0)
    if state.get("tmp") is None:
        state["tmp"] = new_as(state["ax"], state["ax"])
    ax = state["ax"].numpy()
    if state["mu_t"] != 1:
        tmp = state["tmp"].numpy()
        np.subtract(xa, ax, out=tmp)
        np.multiply(tmp, state["mu_t"], out=tmp)
        np.add(ax, tmp, out=ax)
    else:
        ax[...] = xa

    state["t"] = state["t"] + 1
    state["eta_t"] = eta0 / (1 + lam * eta0 * state["t"]) ** alpha
    state["mu_t"] = 1 / max(1, state["t"] - t0)
    return x, [fx], state["ax"]
