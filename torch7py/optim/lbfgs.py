"""optim.lbfgs: Torch7's L-BFGS (after minFunc), fixed steps or a user line search."""
import numpy as np

from ._common import evaluate_raw, lua_min, opt, tables
from ..messages import at_lua, lua_line, lua_type, msg
from ._literal import arith, recv
from ..messages import lua_tonumber
from ..tensor import default_tensor_type
from ..printing import lua_print


def _abssum(tmp1, a, t=None):
    """tmp1:copy(a)[:mul(t)]:abs():sum(): tmp1 keeps the values, as in lbfgs.lua."""
    tmp1.copy(a)
    if t is not None:
        tmp1.mul(t)
    return tmp1.abs().sum()


def _tonumber(v, default):
    """Lua's `tonumber(v) or default`."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    n = lua_tonumber(v) if isinstance(v, str) else None
    return default if n is None else n


def _compared(v, line):
    """v as the right operand of lbfgs.lua's `tmp1:sum() <= v` at `line`: LuaJIT compares no
    string (not even a numeric one) or other value with a number."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    raise at_lua(TypeError(msg("compare", lua_type(v), "number")), "optim/lbfgs.lua:%d" % line)


def lbfgs(opfunc, x, config=None, state=None):
    """x*, {f history}, nEvals = lbfgs(opfunc, x, config, state): up to maxIter iterations.
    state keeps funcEval, nIter, d, t, old_dirs, old_stps, Hdiag, g_old, f_old, ro, al."""
    config, state = tables(config, state, "lbfgs")
    # tonumber(config.maxIter) or 20: what does not read as a number is the default
    max_iter = _tonumber(config.get("maxIter"), 20)
    max_eval = _tonumber(config.get("maxEval"), max_iter * 1.25)
    # `config.x or default`: a value that is no number fails where lbfgs.lua first computes
    # with it (tolFun's comparison, -tolX, nCorrection+1); a numeric string computes
    tol_fun = opt(config, "tolFun", 1e-5)
    tol_x = opt(config, "tolX", 1e-9)
    n_correction = opt(config, "nCorrection", 100)
    line_search = opt(config, "lineSearch")
    ls_opts = opt(config, "lineSearchOptions")
    lr = config.get("learningRate")  # used as it is (1 when nil or false)
    if lr is None or lr is False:
        lr = 1
    verbose = (lambda *a: lua_print("<optim.lbfgs> ", *a)) if opt(config, "verbose") else (
        lambda *a: None)
    if line_search is not None and not callable(line_search):
        line_search = None  # Torch7 ignores a lineSearch that is not a function

    state["funcEval"] = opt(state, "funcEval", 0)
    state["nIter"] = opt(state, "nIter", 0)

    f, g = evaluate_raw(opfunc, x, "lbfgs")
    f_hist = [f]
    current_evals = 1
    with lua_line("optim/lbfgs.lua:69"):
        state["funcEval"] = arith(state["funcEval"], "field 'funcEval'") + 1
    with lua_line("optim/lbfgs.lua:70"):
        p = recv(g, "local 'g'", "size")(1)

    if state.get("tmp1") is None:
        state["tmp1"] = g.new(*g._size).zero()
    tmp1 = state["tmp1"]
    if _abssum(tmp1, g) <= _compared(tol_fun, 75):
        verbose("optimality condition below tolFun")
        return x, f_hist  # Torch7 returns no evaluation count here

    if state.get("dir_bufs") is None:
        verbose("creating recyclable direction/step/history buffers")
        # g.new(nCorrection+1, p):split(1), each row squeezed: rows of one storage
        # (nCorrection itself stays as it is: `#old_dirs == nCorrection` is never true for a
        # string, and torch.Tensor(nCorrection) fails on one)
        with lua_line("optim/lbfgs.lua:84"):
            rows = arith(n_correction, "local 'nCorrection'") + 1
        state["dir_bufs"] = [r.squeeze(1) for r in g.new(rows, p).split(1)]
        state["stp_bufs"] = [r.squeeze(1) for r in g.new(rows, p).split(1)]

    d, t = state.get("d"), state.get("t")
    old_dirs, old_stps = state.get("old_dirs"), state.get("old_stps")
    hdiag, g_old, f_old = state.get("Hdiag"), state.get("g_old"), state.get("f_old")
    dir_bufs, stp_bufs = state["dir_bufs"], state["stp_bufs"]

    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        with lua_line("optim/lbfgs.lua:106"):
            state["nIter"] = arith(state["nIter"], "field 'nIter'") + 1

        # compute the descent direction
        if state["nIter"] == 1:
            d = g.clone().mul(-1)
            old_dirs, old_stps = [], []
            hdiag = 1
        else:
            # tensor ops as lbfgs.lua writes them: scalars round to x's type where TH does
            y, s = dir_bufs.pop(), stp_bufs.pop()
            with lua_line("optim/lbfgs.lua:120"):  # a g of another type than x's fails here
                y.add(g, -1, g_old)
            with lua_line("optim/lbfgs.lua:121"):
                s.mul(d, t)
            with lua_line("optim/lbfgs.lua:122"):
                ys = y.dot(s)
            if ys > 1e-10:
                if len(old_dirs) == n_correction:
                    dir_bufs.append(old_dirs.pop(0))
                    stp_bufs.append(old_stps.pop(0))
                old_dirs.append(s)
                old_stps.append(y)
                hdiag = ys / np.float64(y.dot(y))
            else:
                dir_bufs.append(y)
                stp_bufs.append(s)

            # two-loop recursion: approximate inverse Hessian times -g
            k = len(old_dirs)
            if state.get("ro") is None:
                state["ro"] = default_tensor_type()(n_correction)
            if state.get("al") is None:
                state["al"] = default_tensor_type()(n_correction).zero()
            ro, al = state["ro"], state["al"]
            with np.errstate(all="ignore"):
                for i in range(1, k + 1):
                    ro[i] = 1 / np.float64(old_stps[i - 1].dot(old_dirs[i - 1]))
            q = tmp1
            q.mul(g, -1)
            for i in range(k, 0, -1):
                al[i] = old_dirs[i - 1].dot(q) * ro[i]
                q.add(-al[i], old_stps[i - 1])
            r = d
            r.mul(q, hdiag)
            for i in range(1, k + 1):
                be_i = old_stps[i - 1].dot(r) * ro[i]
                r.add(al[i] - be_i, old_dirs[i - 1])
        if g_old is None:
            g_old = g.clone()
        g_old.copy(g)
        f_old = f

        # step length
        gtd = g.dot(d)
        with lua_line("optim/lbfgs.lua:186"):
            if gtd > -arith(tol_x, "local 'tolX'"):
                break
        if state["nIter"] == 1:
            with lua_line("optim/lbfgs.lua:193"):
                t = lua_min(1, 1 / np.float64(_abssum(tmp1, g))) * arith(lr, "local 'learningRate'")
        else:
            t = lr

        ls_evals = 0
        if line_search is not None:
            res = line_search(opfunc, x, t, d, f, g, gtd, ls_opts)
            f, g, x, t, ls_evals = res[:5]
            f_hist.append(f)
        else:
            with lua_line("optim/lbfgs.lua:206"):
                x.add(t, d)
            if n_iter != max_iter:
                # no use re-evaluating on the last iteration (stochastic setting)
                f, g = evaluate_raw(opfunc, x, "lbfgs", 211)
                ls_evals = 1
                f_hist.append(f)

        current_evals += ls_evals
        state["funcEval"] = state["funcEval"] + ls_evals

        # stopping conditions
        if n_iter == max_iter:
            verbose("reached max number of iterations")
            break
        if current_evals >= max_eval:
            verbose("max nb of function evals")
            break
        if _abssum(tmp1, g) <= _compared(tol_fun, 237):
            verbose("optimality condition below tolFun")
            break
        if _abssum(tmp1, d, t) <= _compared(tol_x, 244):
            verbose("step size below tolX")
            break
        with lua_line("optim/lbfgs.lua:250"):
            change = abs(arith(f, "local 'f'") - arith(f_old, "local 'f_old'"))
        if change < tol_x:
            verbose("function value changing less than tolX")
            break

    # written back: a Lua caller's table holds copies of these lists, not the lists themselves
    state["dir_bufs"], state["stp_bufs"] = dir_bufs, stp_bufs
    state["old_dirs"], state["old_stps"] = old_dirs, old_stps
    state["Hdiag"], state["g_old"], state["f_old"] = hdiag, g_old, f_old
    state["t"], state["d"] = t, d
    return x, f_hist, current_evals
