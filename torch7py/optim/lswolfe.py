"""optim.lswolfe: Torch7's line search satisfying the strong Wolfe conditions (after minFunc)."""
import numpy as np

from ._common import axpy, dot, evaluate, num
from ..tensor import default_tensor_type
from .polyinterp import polyinterp
from ..printing import lua_print


def lswolfe(opfunc, x, t, d, f, g, gtd, options=None):
    """f_new, g_new, x, t, lsFuncEval = lswolfe(opfunc, x, t, d, f, g, gtd, options):
    x is moved in place to x + t*d; options: c1, c2, tolX, maxIter, verbose."""
    options = {} if options is None else options
    c1 = num(options, "c1", 1e-4, "lswolfe")
    c2 = num(options, "c2", 0.9, "lswolfe")
    tol_x = num(options, "tolX", 1e-9, "lswolfe")
    max_iter = num(options, "maxIter", 20, "lswolfe")
    isverbose = options.get("verbose") not in (None, False)

    def verbose(*a):
        if isverbose:
            lua_print("<optim.lswolfe> ", *a)

    xa = x.numpy()
    dv = d.numpy().reshape(xa.shape)
    x_init = xa.copy()
    n = g.nElement()
    axpy(xa, t, dv)  # x:add(t, d): fused
    f_new, g_new = evaluate(opfunc, x, "lswolfe")
    ls_evals = 1
    gtd_new = dot(g_new, d)

    def gval(rows):
        # bracketGval: rows copied from the gradients at the time (default tensor type)
        gv = default_tensor_type()(len(rows), n)
        for i, r in enumerate(rows):
            gv.numpy()[i] = r.numpy().reshape(-1)
        return gv

    # bracket an interval containing a point satisfying the Wolfe criteria
    ls_iter, t_prev, done = 0, 0, False
    f_prev, g_prev, gtd_prev = f, g.clone(), gtd
    bracket = bracket_f = bracket_g = None
    with np.errstate(all="ignore"):
        while ls_iter < max_iter:
            if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
                bracket, bracket_f = [t_prev, t], [f_prev, f_new]
                bracket_g = gval([g_prev, g_new])
                break
            elif abs(gtd_new) <= -c2 * gtd:
                bracket, bracket_f = [t], [f_new]
                bracket_g = gval([g_new])
                done = True
                break
            elif gtd_new >= 0:
                bracket, bracket_f = [t_prev, t], [f_prev, f_new]
                bracket_g = gval([g_prev, g_new])
                break

            # interpolate
            tmp = t_prev
            t_prev = t
            min_step = t + 0.01 * (t - tmp)
            max_step = t * 10
            t = polyinterp([[tmp, f_prev, gtd_prev], [t, f_new, gtd_new]], min_step, max_step)[0]

            f_prev, g_prev, gtd_prev = f_new, g_new.clone(), gtd_new
            xa[...] = x_init
            axpy(xa, t, dv)  # x:add(t, d): fused
            f_new, g_new = evaluate(opfunc, x, "lswolfe")
            ls_evals += 1
            gtd_new = dot(g_new, d)
            ls_iter += 1

        if ls_iter == max_iter:
            bracket, bracket_f = [0, t], [f, f_new]
            bracket_g = gval([g, g_new])

        # zoom phase: refine the bracket until a point satisfies the criteria
        insuf_progress = False
        bg = bracket_g.numpy()
        dflat = dv.reshape(-1)
        while not done and ls_iter < max_iter:
            lo = int(np.argmin(bracket_f))
            f_lo = bracket_f[lo]
            hi = 1 - lo
            t = polyinterp([[bracket[0], bracket_f[0], float(bg[0] @ dflat)],
                            [bracket[1], bracket_f[1], float(bg[1] @ dflat)]])
            bmax, bmin = max(bracket), min(bracket)
            if np.float64(min(bmax - t, t - bmin)) / (bmax - bmin) < 0.1:
                if insuf_progress or t >= bmax or t <= bmin:
                    if abs(t - bmax) < abs(t - bmin):
                        t = bmax - 0.1 * (bmax - bmin)
                    else:
                        t = bmin + 0.1 * (bmax - bmin)
                    insuf_progress = False
                else:
                    insuf_progress = True
            else:
                insuf_progress = False

            xa[...] = x_init
            axpy(xa, t, dv)  # x:add(t, d): fused
            f_new, g_new = evaluate(opfunc, x, "lswolfe")
            ls_evals += 1
            gtd_new = dot(g_new, d)
            ls_iter += 1
            if f_new > f + c1 * t * gtd or f_new >= f_lo:
                bracket[hi], bracket_f[hi] = t, f_new
                bg[hi] = g_new.numpy().reshape(-1)
            else:
                if abs(gtd_new) <= -c2 * gtd:
                    done = True
                elif gtd_new * (bracket[hi] - bracket[lo]) >= 0:
                    bracket[hi], bracket_f[hi] = bracket[lo], bracket_f[lo]
                    bg[hi] = bg[lo]
                bracket[lo], bracket_f[lo] = t, f_new
                bg[lo] = g_new.numpy().reshape(-1)

            if not done and abs((bracket[0] - bracket[1]) * gtd_new) < tol_x:
                break

    if ls_iter == max_iter:
        verbose("reached max number of iterations")
    lo = int(np.argmin(bracket_f))
    t = bracket[lo]
    f_new = bracket_f[lo]
    g_new = bracket_g.select(1, lo + 1)
    xa[...] = x_init
    axpy(xa, t, dv)  # x:add(t, d): fused
    return f_new, g_new, x, t, ls_evals
