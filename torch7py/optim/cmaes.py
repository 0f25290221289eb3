"""optim.cmaes: Torch7's CMA-ES (Covariance Matrix Adaptation Evolution Strategy, after
Hansen's barecmaes2), drawing its samples from torch's global generator.

Follows optim/cmaes.lua step by step on tensors of x's type (torch.symeig, sort, index, the
tensor operators), with Lua's doubles where the Lua computes on numbers, so that a run is
the original's run."""
import math

from .. import messages
from ..messages import at_lua
from ..tensor import DoubleTensor, FloatTensor, TorchError
from ._common import call_opfunc, first, lua_min, num, tables
from ._literal import recv
from ..printing import lua_print


def _range_n(a, b):
    """torch.range(a, b):nElement(): floor(b - a) + 1 elements (b may be fractional)."""
    return max(int(math.floor(b - a)) + 1, 0)


def _arith(v):
    """disp's verb_modulo in Lua's arithmetic: a number, or a string that reads as one."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    n = messages.lua_tonumber(v)
    if n is None:
        raise TorchError(messages.arith_text(messages.lua_type(v), "local 'verb_modulo'"))
    return n


def _compare_number(v):
    """v in `v > 0`: Lua compares numbers only (a string is no number there)."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    raise TorchError(messages.msg("compare", "number", messages.lua_type(v)))  # 0 < v


def cmaes(opfunc, x, config=None, state=None):
    """x*, {f history}, nEvals = cmaes(opfunc, x, config, state). Options are read from state
    (= config without one), as in Torch7: sigma (required), maxEval, ftarget, popsize,
    verb_disp, min_iterations. opfunc's gradient is not used."""
    import torch7py as torch
    recv(x, "local 'x'", "triu")  # cmaes.lua's first use of x: x.triu == nil
    if not isinstance(x, (FloatTensor, DoubleTensor)):
        # (every tensor type has triu and diag: torch.symeig's pcall is what fails)
        raise at_lua(TorchError("torch.symeig not available for %s please use Float- or "
                                "DoubleTensor for x" % x.typename), 'optim/cmaes.lua:79')
    config, state = tables(config, state, "cmaes")
    xmean = x.clone().view(-1)
    n = xmean.size(1)
    sigma = state.get("sigma")  # as it is: a missing one fails where ask() multiplies by it
    ftarget = state.get("ftarget")
    max_eval = num(state, "maxEval", 1e3 * n ** 2, "cmaes")
    # cmaes.lua reads state.verb_disp as it is: without one, disp's arithmetic on it and the
    # final `verb_disp > 0` fail with Lua's errors (a numeric string works in the arithmetic)
    verb_disp = state.get("verb_disp")
    min_iterations = num(state, "min_iterations", 1, "cmaes")
    lam = num(state, "popsize", None, "cmaes")
    if lam is None:
        lam = 4 + math.floor(3 * math.log(n))

    # selection: recombination weights
    mu = lam / 2
    nmu = _range_n(0, mu - 1)
    weights = DoubleTensor(nmu)
    wn = weights.numpy()
    for i in range(nmu):
        wn[i] = math.log(mu + 0.5) - math.log(i + 1)
    weights.div(weights.sum())
    mueff = weights.sum() ** 2 / torch.pow(weights, 2).sum()
    weights = weights.typeAs(x)

    # adaptation
    cc = (4 + mueff / n) / (n + 4 + 2 * mueff / n)
    cs = (mueff + 2) / (n + mueff + 5)
    c1 = 2 / ((n + 1.3) ** 2 + mueff)
    cmu = lua_min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((n + 2) ** 2 + mueff))
    damps = 2 * mueff / lam + 0.3 + cs

    pc = DoubleTensor(n).zero().typeAs(x)
    ps = DoubleTensor(n).zero().typeAs(x)
    B = torch.eye(n).typeAs(x)
    D = DoubleTensor(n).fill(1).typeAs(x)
    C = torch.eye(n).typeAs(x)
    candidates = DoubleTensor(int(lam), n).typeAs(x)
    invsqrtC = torch.eye(n).typeAs(x)
    eigeneval = counteval = 0
    f_hist = [first(call_opfunc(opfunc, x, "cmaes", 86))]
    fitvals = DoubleTensor(int(lam))
    best = [None, None, counteval]  # x, f, evals

    def ask():
        nonlocal eigeneval, C, D, B, invsqrtC
        if counteval - eigeneval > lam / (c1 + cmu) / C.size(1) / 10:
            eigeneval = counteval
            C = torch.triu(C) + torch.triu(C, 1).t()
            D, B = torch.symeig(C, "V")
            D = torch.sqrt(D)
            invsqrtC = B * torch.diag(torch.pow(D, -1)) * B.t()
        for k in range(1, int(lam) + 1):
            z = D.clone().normal(0, 1).cmul(D)
            candidates[k].copy(torch.add(xmean, (B * z) * sigma))
        return candidates

    def tell(arx):
        nonlocal counteval, fitvals, ps, pc, sigma
        counteval = counteval + lam
        xold = xmean.clone()
        fitvals, arindex = torch.sort(fitvals)
        arx = arx.index(1, arindex[[1, mu]])
        f_hist.append(fitvals[1])
        if best[1] is None or fitvals[1] < best[1]:
            best[0], best[1], best[2] = arx[1].clone(), fitvals[1], counteval
        xmean.zero()
        xmean.addmv(arx.t(), weights)

        y = xmean - xold
        z = invsqrtC * y
        c = (cs * (2 - cs) * mueff) ** 0.5 / sigma
        ps = ps - ps * cs + z * c
        hsig = (torch.sum(torch.pow(ps, 2)) / (1 - (1 - cs) ** (2 * counteval / lam)) / n
                < 2 + 4. / (n + 1))
        hsig = 1.0 if hsig else 0.0
        c = (cc * (2 - cc) * mueff) ** 0.5 / sigma
        pc = pc - pc * cc + y * c * hsig

        # rank-one and rank-mu updates of C, element by element in Lua's numbers
        c1a = c1 - (1 - hsig ** 2) * c1 * cc * (2 - cc)
        a = arx.numpy().tolist()
        xo = xold.numpy().tolist()
        w = weights.numpy().tolist()
        p = pc.numpy().tolist()
        cn = C.numpy()
        nk = _range_n(1, mu)
        for i in range(n):
            for j in range(n):
                s = 0.0
                for k in range(nk):
                    s += w[k] * (a[k][i] - xo[i]) * (a[k][j] - xo[j])
                cmuij = s / sigma ** 2
                cij = float(cn[i, j])
                cn[i, j] = cij + ((-c1a - cmu) * cij + c1 * p[i] * p[j] + cmu * cmuij)

        sigma = sigma * math.exp(lua_min(0.6, (cs / damps) *
                                         (torch.sum(torch.pow(ps, 2)) / n - 1) / 2))

    def stop():
        res = {}
        if counteval > 0:
            if counteval >= max_eval:
                res["evals"] = max_eval
            if ftarget is not None and fitvals.nElement() > 0 and fitvals[1] <= ftarget:
                res["ftarget"] = ftarget
            if torch.max(D) > 1e7 * torch.min(D):
                res["condition"] = 1e7
            if fitvals.nElement() > 1 and fitvals[fitvals.nElement()] - fitvals[1] < 1e-12:
                res["tolfun"] = 1e-12
            if sigma * torch.max(D) < 1e-11:
                res["tolx"] = 1e-11
        return res

    def disp(verb_modulo):
        if verb_disp == 0 and not isinstance(verb_disp, bool):
            return
        iteration = counteval / lam
        if iteration == 1 or iteration % (10 * _arith(verb_modulo)) == 0:
            lua_print("evals:\t ax-ratio max(std)   f-value")
        if iteration <= 2 or iteration % _arith(verb_modulo) == 0:
            max_std = math.sqrt(torch.max(torch.diag(C)))
            lua_print("%.14g: " % counteval +
                      " %6.1f %8.1e " % (torch.max(D) / torch.min(D), sigma * max_std) +
                      "%.14g" % fitvals[1])

    iteration = 0
    while not stop() or iteration < min_iterations:
        iteration += 1
        X = ask()
        for i in range(1, int(lam) + 1):
            fitvals[i] = first(opfunc(X[i].viewAs(x)))
        tell(X)
        disp(verb_disp)

    bestmu, f, c = best
    if _compare_number(verb_disp) > 0:
        for k, v in stop().items():
            lua_print("termination by", k, "=", v)
        lua_print("best f-value =", f)
        lua_print("solution = ")
        lua_print(bestmu)
        lua_print("best found at iteration: ", c / lam, " , total iterations: ", iteration)
    f_hist.append(f)
    return bestmu, f_hist, counteval
