"""optim.FistaLS: Torch7's FISTA with backtracking line search (Beck & Teboulle, 2009)."""
import math

from ..messages import at_lua, lua_line, lua_method_call
from ..tensor import TorchError, default_tensor_type
from ._common import first, num, opt, returns
from ..printing import lua_print


def FistaLS(f, g, pl, xinit, params=None):
    """x, history = FistaLS(f, g, pl, xinit, params): minimise f(x) + g(x) where f is smooth
    (f(x, 'dx') returns f and its gradient), g is not, and pl(x, L) solves the proximal problem
    in place. params (L, Lstep, maxiter, maxline, errthres, doFistaUpdate, verbose) also keeps
    the work tensors xkm, y, ply and the last L."""
    params = {} if params is None else params
    L = num(params, "L", 0.1, "FistaLS")
    lstep = num(params, "Lstep", 1.5, "FistaLS")
    maxiter = num(params, "maxiter", 50, "FistaLS")
    maxline = num(params, "maxline", 20, "FistaLS")
    errthres = num(params, "errthres", 1e-4, "FistaLS")
    do_fista = opt(params, "doFistaUpdate") is not None
    verbose = opt(params, "verbose") is not None

    for key in ("xkm", "y", "ply"):
        if opt(params, key) is None:
            params[key] = default_tensor_type()()
    xkm, y, ply = params["xkm"], params["y"], params["ply"]

    xk = xinit
    for t in (xkm, ply, y):
        with lua_method_call("resizeAs"):  # fista.lua: xkm:resizeAs(xk):zero()
            t.resizeAs(xk)
        t.zero()

    history = []
    niter = 0
    tk, tkp = 1, 0
    if not callable(g):  # fista.lua's first call of g names its line
        with lua_line("optim/fista.lua:72"):
            g(y)
    first(g(y))
    fval = math.inf
    while niter < maxiter:
        res = returns(f(y, "dx"))
        fy, gfy = first(res), res[1]
        fply = Q = 0
        nline = 0
        linesearchdone = False
        while not linesearchdone:
            # a gradient step from y, then the proximal problem (fista.lua's tensor ops)
            ply.copy(y)
            ply.add(-1 / L, gfy)
            pl(ply, L)
            xk.copy(ply)
            fply = first(f(ply))
            ply.add(-1, y)
            q2 = gfy.dot(ply)
            q3 = L / 2 * ply.dot(ply)
            Q = fy + q2 + q3
            if verbose:
                lua_print("nline=%d L=%g fply=%g Q=%g fy=%g Q2=%g Q3=%g"
                      % (nline, L, fply, Q, fy, q2, q3))
            if fply <= Q:
                linesearchdone = True
            elif nline >= maxline:
                linesearchdone = True
                xk.copy(xkm)  # no better point: keep the previous iterate
            else:
                L = L * lstep
            nline += 1

        if do_fista:
            tkp = (1 + math.sqrt(1 + 4 * tk * tk)) / 2
            xkm.add(-1, xk)
            y.copy(xk)
            y.add((1 - tk) / tkp, xkm)
            xkm.copy(xk)
        else:
            y.copy(xk)
        tk = tkp
        fply = first(f(y))
        gply = first(g(y))
        if verbose:
            lua_print("iter=%d eold=%g enew=%g" % (niter, fval, fply + gply))
        niter += 1

        fval = fply + gply
        h = {"nline": nline, "L": L, "F": fval, "Fply": fply, "Gply": gply, "Q": Q}
        if verbose:
            h["xk"], h["y"] = xk.clone(), y.clone()
        history.append(h)
        params["L"] = L
        if (niter > 1 and abs(history[-1]["F"] - history[-2]["F"]) <= errthres) or (
                niter >= maxiter):
            xinit.copy(y)
            return y, history
    raise at_lua(TorchError("not supposed to be here"), 'optim/fista.lua:190')
