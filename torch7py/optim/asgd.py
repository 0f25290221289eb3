"""optim.asgd: Torch7's averaged SGD (L. Bottou's sgd-2.0)."""
import numpy as np

from . import _literal
from ._common import axpy, evaluate, lua_max, new_as, fnum


@_literal.fallback(_literal.asgd)
def asgd(opfunc, x, config, state):
    """x, {f(x)}, ax = asgd(opfunc, x, config, state): one step; ax is the averaged x.
    Like Torch7, the defaults are written into config (eta0, lambda, alpha, t0)."""
    _literal.off_path_unless(_literal.float_tensor(x))  # (the Lua's steps otherwise)
    _literal.state_tensors(state, x, ("ax", "tmp"))
    config["eta0"] = fnum(config, "eta0", 1e-4)
    config["lambda"] = fnum(config, "lambda", 1e-4)
    config["alpha"] = fnum(config, "alpha", 0.75)
    config["t0"] = fnum(config, "t0", 1e6)
    eta0, lam, alpha, t0 = config["eta0"], config["lambda"], config["alpha"], config["t0"]

    state["eta_t"] = fnum(state, "eta_t", eta0)
    state["mu_t"] = fnum(state, "mu_t", 1)
    state["t"] = fnum(state, "t", 0)

    # (OffPath here: a df/dx that is no tensor of x's size)
    fx, dfdx = evaluate(opfunc, x, "asgd", any_fx=True, literal=True)
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
    state["mu_t"] = 1 / lua_max(1, state["t"] - t0)
    return x, [fx], state["ax"]
