"""optim.lswolfe: Torch7's line search satisfying the strong Wolfe conditions (after minFunc).

Follows optim/lswolfe.lua on tensors: the bracket, its function values and gradients are
tensors of x's type (x.new{...}), so they round as the Lua's do, and polyinterp gets x.new{...}
points."""
from .. import messages
from ._common import check_x, evaluate, evaluate_raw, lua_min, num
from ._literal import arith
from ..printing import lua_print
from ..tensor import Tensor, TorchError
from .polyinterp import polyinterp


def _new2(x, rows, n):
    """x.new(#rows, n) with rows copied in (bracketGval)."""
    g = x.new(len(rows), n)
    for i, r in enumerate(rows):
        g[i + 1] = r
    return g


def _min1(v):
    """v:min(1) of a vector: (value, 1-based index of the first minimum) as Lua numbers."""
    val, idx = v.min(1)
    return val[1], int(idx[1])


def lswolfe(opfunc, x, t, d, f, g, gtd, options=None):
    """f_new, g_new, x, t, lsFuncEval = lswolfe(opfunc, x, t, d, f, g, gtd, options):
    x is moved in place to x + t*d; options: c1, c2, tolX, maxIter, verbose."""
    check_x(x, "lswolfe")
    options = {} if options is None else options
    c1 = num(options, "c1", 1e-4, "lswolfe")
    c2 = num(options, "c2", 0.9, "lswolfe")
    tol_x = num(options, "tolX", 1e-9, "lswolfe")
    max_iter = num(options, "maxIter", 20, "lswolfe")
    isverbose = options.get("verbose") not in (None, False)

    def verbose(*a):
        if isverbose:
            lua_print("<optim.lswolfe> ", *a)

    # evaluate objective and gradient using the initial step
    x_init = x.clone()
    x.add(t, d)
    f_new, g_new = evaluate_raw(opfunc, x, "lswolfe")
    ls_evals = 1
    if not isinstance(g_new, Tensor):  # g_new * d: the tensor's __mul with a nil first operand
        raise TorchError(messages.msg("bad_argument", 1, "?", messages.msg(
            "number_expected", messages.lua_type(g_new))))
    gtd_new = g_new * d
    # the first test, f_new > f + c1*t*gtd: Lua's arithmetic on f (a numeric string computes)
    f = arith(f, "local 'f'")

    # bracket an interval containing a point satisfying the Wolfe criteria
    ls_iter, t_prev, done = 0, 0, False
    f_prev, g_prev, gtd_prev = f, g.clone(), gtd
    bracket = bracket_f = bracket_g = None
    n = g_new.size(1)
    while ls_iter < max_iter:
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = x.new([t_prev, t]), x.new([f_prev, f_new])
            bracket_g = _new2(x, [g_prev, g_new], n)
            break
        elif abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f = x.new([t]), x.new([f_new])
            bracket_g = _new2(x, [g_new], n)
            done = True
            break
        elif gtd_new >= 0:
            bracket, bracket_f = x.new([t_prev, t]), x.new([f_prev, f_new])
            bracket_g = _new2(x, [g_prev, g_new], n)
            break

        # interpolate
        tmp = t_prev
        t_prev = t
        min_step = t + 0.01 * (t - tmp)
        max_step = t * 10
        t = polyinterp(x.new([[tmp, f_prev, gtd_prev], [t, f_new, gtd_new]]),
                       min_step, max_step)[0]

        # next step
        f_prev, g_prev, gtd_prev = f_new, g_new.clone(), gtd_new
        x.copy(x_init)
        x.add(t, d)
        f_new, g_new = evaluate(opfunc, x, "lswolfe")
        ls_evals += 1
        gtd_new = g_new * d
        ls_iter += 1

    # reached max nb of iterations?
    if ls_iter == max_iter:
        bracket, bracket_f = x.new([0, t]), x.new([f, f_new])
        bracket_g = _new2(x, [g, g_new], n)

    # zoom phase: refine the bracket until a point satisfies the criteria
    insuf_progress = False
    while not done and ls_iter < max_iter:
        f_lo, lo = _min1(bracket_f)
        hi = -lo + 3

        t = polyinterp(x.new([[bracket[1], bracket_f[1], bracket_g[1] * d],
                              [bracket[2], bracket_f[2], bracket_g[2] * d]]))

        bmax, bmin = bracket.max(), bracket.min()
        if lua_min(bmax - t, t - bmin) / _div(bmax - bmin) < 0.1:
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

        # evaluate the new point
        x.copy(x_init)
        x.add(t, d)
        f_new, g_new = evaluate(opfunc, x, "lswolfe")
        ls_evals += 1
        gtd_new = g_new * d
        ls_iter += 1
        if f_new > f + c1 * t * gtd or f_new >= f_lo:
            # Armijo condition not satisfied or not lower than the lowest point
            bracket[hi] = t
            bracket_f[hi] = f_new
            bracket_g[hi] = g_new
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True  # Wolfe conditions satisfied
            elif gtd_new * (bracket[hi] - bracket[lo]) >= 0:
                # old HI becomes new LO
                bracket[hi] = bracket[lo]
                bracket_f[hi] = bracket_f[lo]
                bracket_g[hi] = bracket_g[lo]
            # new point becomes new LO
            bracket[lo] = t
            bracket_f[lo] = f_new
            bracket_g[lo] = g_new

        if not done and abs((bracket[1] - bracket[2]) * gtd_new) < tol_x:
            break

    if ls_iter == max_iter:
        verbose("reached max number of iterations")
    _, lo = _min1(bracket_f)
    t = bracket[lo]
    f_new = bracket_f[lo]
    g_new = bracket_g[lo]
    x.copy(x_init)
    x.add(t, d)
    return f_new, g_new, x, t, ls_evals


def _div(v):
    """A divisor as Lua divides: x / 0 is inf or nan, not an exception."""
    import numpy as np
    return np.float64(v)
