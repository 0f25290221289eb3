"""optim.rprop: Torch7's resilient backpropagation (Riedmiller & Braun), niter steps per call."""
import numpy as np

from ..messages import at_lua, from_c, lua_line, lua_tonumber, msg
from ..tensor import ByteTensor, Tensor, TorchError
from ._common import addcmul, evaluate_raw, opt, tables
from ._literal import recv
from ..printing import lua_print


def _number(v):
    """v where Lua takes a number (a for loop's limit, a C function's number argument): a
    number, or a string that reads as one; None otherwise."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    return lua_tonumber(v) if isinstance(v, str) else None


def _masked(t, mask, v):
    """v as `t[mask] = v` takes it (luaT's __newindex: a number, else its error, which carries
    no position)."""
    n = _number(v)
    if n is None:
        try:
            t[mask] = v
        except TorchError as e:
            raise from_c(e) from None
    return n


def _compared(state, op, v, line):
    """v as `state.stepsize.<op>(state.dminmax, state.stepsize, v)` at rprop.lua's `line`
    takes it: a number, else that call's error."""
    n = _number(v)
    if n is None:
        import torch7py
        try:
            getattr(torch7py, op)(state["dminmax"], state["stepsize"], v)
        except (TorchError, TypeError) as e:
            # a field call from Lua code: the position of that line (torch.gt's dispatcher,
            # which gives none, is not on this path)
            raise at_lua(e, "optim/rprop.lua:%d" % line)
    return n


def rprop(opfunc, x, config=None, state=None):
    """x, {f(x) per iteration} = rprop(opfunc, x, config, state); state keeps delta, stepsize,
    sign, psign, nsign, zsign, dminmax."""
    if config is None and state is None:
        lua_print("no state table RPROP initializing")
    config, state = tables(config, state, "rprop")
    # with state == config, config.stepsize is the state's step-size tensor after the first
    # call; rprop.lua reads it but uses it only to fill a new state, so it is checked there
    # the others as they are too: each fails where rprop.lua first uses it (`for i=1,niter`,
    # fill(stepsize), state.sign[mask] = etaplus, gt(..., stepsizemax)), a numeric string
    # computing there as a number
    stepsize = opt(config, "stepsize", 0.1)
    etaplus = opt(config, "etaplus", 1.2)
    etaminus = opt(config, "etaminus", 0.5)
    stepsizemax = opt(config, "stepsizemax", 50.0)
    stepsizemin = opt(config, "stepsizemin", 1e-06)
    niter = _number(opt(config, "niter", 1))
    if niter is None:
        raise at_lua(TorchError(msg('for_limit')), "optim/rprop.lua:38")

    hfx = []
    i = 1
    while i <= niter:
        i += 1
        fx, dfdx = evaluate_raw(opfunc, x, "rprop")
        if state.get("delta") is None:
            with lua_line("optim/rprop.lua:45"):  # dfdx.new(dfdx:size()): no tensor fails
                recv(dfdx, "local 'dfdx'", "new")
            size = dfdx._size
            state["delta"] = dfdx.new(*size).zero()
            with lua_line("optim/rprop.lua:46"):
                state["stepsize"] = dfdx.new(*size).fill(stepsize)
            state["sign"] = dfdx.new(*size)
            for key in ("psign", "nsign", "zsign", "dminmax"):
                state[key] = ByteTensor(*size)
        n = dfdx.nElement() if isinstance(dfdx, Tensor) else -1
        if n < 0 or any(type(state.get(k)) is not type(dfdx) or state[k].nElement() != n
                        for k in ("delta", "stepsize", "sign")) or any(
                type(state.get(k)) is not ByteTensor or state[k].nElement() != n
                for k in ("psign", "nsign", "zsign", "dminmax")):
            import torch7py
            # torch.cmul(state.sign, dfdx, state.delta): Torch7's error for this df/dx, or
            # for a state table another algorithm filled (adadelta's delta, no sign)
            with lua_line("optim/rprop.lua:62"):
                torch7py.cmul(state.get("sign"), dfdx, state.get("delta"))
            raise TorchError("optim.rprop: a state table this port does not follow (%s)"
                             % ", ".join(sorted(k for k in state.keys() if isinstance(k, str))))
        g = dfdx.numpy()
        sign, step = state["sign"].numpy(), state["stepsize"].numpy()
        psign, nsign = state["psign"].numpy(), state["nsign"].numpy()
        zsign, dminmax = state["zsign"].numpy(), state["dminmax"].numpy()

        # sign of the derivative's change since the last step
        np.multiply(g, state["delta"].numpy(), out=sign)
        np.sign(sign, out=sign)
        np.greater(sign, 0, out=psign.view(bool))
        np.less(sign, 0, out=nsign.view(bool))
        np.equal(sign, 0, out=zsign.view(bool))
        etaplus = _masked(state["sign"], state["psign"], etaplus)
        np.copyto(sign, etaplus, where=psign.view(bool))
        etaminus = _masked(state["sign"], state["nsign"], etaminus)
        np.copyto(sign, etaminus, where=nsign.view(bool))
        np.copyto(sign, 1, where=zsign.view(bool))
        np.multiply(step, sign, out=step)
        stepsizemax = _compared(state, "gt", stepsizemax, 80)
        np.greater(step, stepsizemax, out=dminmax.view(bool))
        np.copyto(step, stepsizemax, where=dminmax.view(bool))
        stepsizemin = _compared(state, "lt", stepsizemin, 83)
        np.less(step, stepsizemin, out=dminmax.view(bool))
        np.copyto(step, stepsizemin, where=dminmax.view(bool))

        # where the sign flipped, the caller's gradient is zeroed (Torch7 writes into it)
        np.copyto(g, 0, where=nsign.view(bool))
        np.sign(g, out=sign)
        if type(x) is not type(dfdx) or x.nElement() != sign.size:
            # x:addcmul(-1, state.sign, state.stepsize): Torch7's error for this x (no tensor,
            # another size, another type than df/dx's state tensors)
            with lua_line("optim/rprop.lua:93"):
                recv(x, "local 'x'", "addcmul")(-1, state["sign"], state["stepsize"])
        xa = x.numpy()
        addcmul(xa, -1, sign, step)
        state["delta"].numpy()[...] = g
        if fx is not None:  # table.insert(hfx, nil) stores nothing
            hfx.append(fx)
    return x, hfx
