"""optim.lbfgs: Torch7's L-BFGS (after minFunc), fixed steps or a user line search."""
import numpy as np

from .. import numerics
from ._common import axpy, check_x, dot, evaluate, num, opt, tables
from ..tensor import default_tensor_type
from ..printing import lua_print



def _abssum(a):
    """tmp1:copy(a):abs():sum(): Torch7's sequential sum."""
    return float(numerics.seqsum(np.abs(a), np.float64))


def lbfgs(opfunc, x, config=None, state=None):
    """x*, {f history}, nEvals = lbfgs(opfunc, x, config, state): up to maxIter iterations.
    state keeps funcEval, nIter, d, t, old_dirs, old_stps, Hdiag, g_old, f_old, ro, al."""
    check_x(x, "lbfgs")
    config, state = tables(config, state, "lbfgs")
    max_iter = num(config, "maxIter", 20, "lbfgs")
    max_eval = num(config, "maxEval", max_iter * 1.25, "lbfgs")
    tol_fun = num(config, "tolFun", 1e-5, "lbfgs")
    tol_x = num(config, "tolX", 1e-9, "lbfgs")
    n_correction = int(num(config, "nCorrection", 100, "lbfgs"))
    line_search = opt(config, "lineSearch")
    ls_opts = opt(config, "lineSearchOptions")
    lr = num(config, "learningRate", 1, "lbfgs")
    verbose = (lambda *a: lua_print("<optim.lbfgs> ", *a)) if opt(config, "verbose") else (
        lambda *a: None)
    if line_search is not None and not callable(line_search):
        line_search = None  # Torch7 ignores a lineSearch that is not a function

    state["funcEval"] = num(state, "funcEval", 0, "lbfgs")
    state["nIter"] = num(state, "nIter", 0, "lbfgs")

    f, g = evaluate(opfunc, x, "lbfgs")
    f_hist = [f]
    current_evals = 1
    state["funcEval"] = state["funcEval"] + 1
    p = g.size(1)

    if state.get("tmp1") is None:
        state["tmp1"] = g.new(*g._size).zero()
    tmp1 = state["tmp1"]
    if _abssum(g.numpy()) <= tol_fun:
        verbose("optimality condition below tolFun")
        return x, f_hist  # Torch7 returns no evaluation count here

    if state.get("dir_bufs") is None:
        verbose("creating recyclable direction/step/history buffers")
        state["dir_bufs"] = [g.new(p) for _ in range(n_correction + 1)]
        state["stp_bufs"] = [g.new(p) for _ in range(n_correction + 1)]

    d, t = state.get("d"), state.get("t")
    old_dirs, old_stps = state.get("old_dirs"), state.get("old_stps")
    hdiag, g_old, f_old = state.get("Hdiag"), state.get("g_old"), state.get("f_old")
    dir_bufs, stp_bufs = state["dir_bufs"], state["stp_bufs"]

    n_iter = 0
    while n_iter < max_iter:
        n_iter += 1
        state["nIter"] = state["nIter"] + 1

        # compute the descent direction
        if state["nIter"] == 1:
            d = g.clone()
            np.negative(d.numpy(), out=d.numpy())
            old_dirs, old_stps = [], []
            hdiag = 1
        else:
            y, s = dir_bufs.pop(), stp_bufs.pop()
            np.subtract(g.numpy(), g_old.numpy(), out=y.numpy())
            np.multiply(d.numpy(), t, out=s.numpy())
            ys = dot(y, s)
            if ys > 1e-10:
                if len(old_dirs) == n_correction:
                    dir_bufs.append(old_dirs.pop(0))
                    stp_bufs.append(old_stps.pop(0))
                old_dirs.append(s)
                old_stps.append(y)
                hdiag = ys / dot(y, y)
            else:
                dir_bufs.append(y)
                stp_bufs.append(s)

            # two-loop recursion: approximate inverse Hessian times -g
            k = len(old_dirs)
            if state.get("ro") is None:
                state["ro"] = default_tensor_type()(n_correction)
            if state.get("al") is None:
                state["al"] = default_tensor_type()(n_correction).zero()
            ro, al = state["ro"].numpy(), state["al"].numpy()
            for i in range(k):
                ro[i] = 1 / dot(old_stps[i], old_dirs[i])
            q = tmp1.numpy()
            np.negative(g.numpy(), out=q)
            for i in range(k - 1, -1, -1):
                al[i] = dot(old_dirs[i], tmp1) * ro[i]
                axpy(q, -al[i], old_stps[i].numpy())  # q:add(-al[i], old_stps[i])
            r = d.numpy()
            np.multiply(q, hdiag, out=r)
            for i in range(k):
                be_i = dot(old_stps[i], d) * ro[i]
                axpy(r, al[i] - be_i, old_dirs[i].numpy())
        if g_old is None:
            g_old = g.clone()
        g_old.numpy()[...] = g.numpy()
        f_old = f

        # step length
        gtd = dot(g, d)
        if gtd > -tol_x:
            break
        if state["nIter"] == 1:
            t = min(1, 1 / float(_abssum(g.numpy()))) * lr
        else:
            t = lr

        ls_evals = 0
        if line_search is not None:
            res = line_search(opfunc, x, t, d, f, g, gtd, ls_opts)
            f, g, x, t, ls_evals = res[:5]
            f_hist.append(f)
        else:
            xa = x.numpy()
            axpy(xa, t, d.numpy().reshape(xa.shape))  # x:add(t, d): fused
            if n_iter != max_iter:
                # no use re-evaluating on the last iteration (stochastic setting)
                f, g = evaluate(opfunc, x, "lbfgs")
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
        if _abssum(g.numpy()) <= tol_fun:
            verbose("optimality condition below tolFun")
            break
        if _abssum(d.numpy() * t) <= tol_x:
            verbose("step size below tolX")
            break
        if abs(f - f_old) < tol_x:
            verbose("function value changing less than tolX")
            break

    # written back: a Lua caller's table holds copies of these lists, not the lists themselves
    state["dir_bufs"], state["stp_bufs"] = dir_bufs, stp_bufs
    state["old_dirs"], state["old_stps"] = old_dirs, old_stps
    state["Hdiag"], state["g_old"], state["f_old"] = hdiag, g_old, f_old
    state["t"], state["d"] = t, d
    return x, f_hist, current_evals
