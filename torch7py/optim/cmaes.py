"""optim.cmaes: Torch7's CMA-ES (Covariance Matrix Adaptation Evolution Strategy, after
Hansen's barecmaes2), drawing its samples from torch's global generator."""
import math

import numpy as np

from ..tensor import DoubleTensor, FloatTensor, TorchError
from ._common import check_x, first, num, tables
from ..printing import lua_print


def cmaes(opfunc, x, config=None, state=None):
    """x*, {f history}, nEvals = cmaes(opfunc, x, config, state). Options are read from state
    (= config without one), as in Torch7: sigma (required), maxEval, ftarget, popsize,
    verb_disp, min_iterations. opfunc's gradient is not used."""
    check_x(x, "cmaes")
    if not isinstance(x, (FloatTensor, DoubleTensor)):
        raise TorchError("Unsupported Tensor %s please use Float- or DoubleTensor for x"
                         % x.typename)
    config, state = tables(config, state, "cmaes")
    xmean = x.clone().view(-1).numpy().astype(np.float64)
    n = xmean.shape[0]
    if state.get("sigma") is None:
        raise TypeError("optim.cmaes: state.sigma (the initial step size) is required")
    sigma = num(state, "sigma", None, "cmaes")
    ftarget = state.get("ftarget")
    max_eval = num(state, "maxEval", 1e3 * n ** 2, "cmaes")
    verb_disp = num(state, "verb_disp", 0, "cmaes")
    min_iterations = num(state, "min_iterations", 1, "cmaes")
    lam = num(state, "popsize", None, "cmaes")
    if lam is None:
        lam = 4 + math.floor(3 * math.log(n))
    lam = int(lam)

    # selection: recombination weights (mu may be fractional: floor(mu) parents, as Torch7)
    mu = lam / 2
    nmu = int(math.floor(mu - 1)) + 1
    weights = math.log(mu + 0.5) - np.log(np.arange(nmu) + 1.0)
    weights /= weights.sum()
    mueff = weights.sum() ** 2 / (weights ** 2).sum()

    # adaptation
    cc = (4 + mueff / n) / (n + 4 + 2 * mueff / n)
    cs = (mueff + 2) / (n + mueff + 5)
    c1 = 2 / ((n + 1.3) ** 2 + mueff)
    cmu = min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((n + 2) ** 2 + mueff))
    damps = 2 * mueff / lam + 0.3 + cs

    pc, ps = np.zeros(n), np.zeros(n)
    B, D, C = np.eye(n), np.ones(n), np.eye(n)
    invsqrtC = np.eye(n)
    eigeneval = counteval = 0
    f_hist = [first(opfunc(x))]
    fitvals = np.zeros(lam)
    fit_valid = False
    best_x, best_f = None, None
    candidates = type(x)(lam, n)
    cand = candidates.numpy()
    zt = type(x)(n)

    def stop():
        res = {}
        if counteval > 0:
            if counteval >= max_eval:
                res["evals"] = max_eval
            if ftarget is not None and fit_valid and fitvals[0] <= ftarget:
                res["ftarget"] = ftarget
            if D.max() > 1e7 * D.min():
                res["condition"] = 1e7
            if lam > 1 and fitvals[-1] - fitvals[0] < 1e-12:
                res["tolfun"] = 1e-12
            if sigma * D.max() < 1e-11:
                res["tolx"] = 1e-11
        return res

    iteration = 0
    while not stop() or iteration < min_iterations:
        iteration += 1
        # ask: lambda samples of m + sigma * B * D * N(0, I)
        if counteval - eigeneval > lam / (c1 + cmu) / n / 10:
            eigeneval = counteval
            C = np.triu(C) + np.triu(C, 1).T
            D, B = np.linalg.eigh(C)
            D = np.sqrt(D)
            invsqrtC = B @ np.diag(1 / D) @ B.T
        for k in range(lam):
            zt.numpy()[...] = D
            zt.normal(0, 1)
            cand[k] = xmean + (B @ (zt.numpy() * D)) * sigma
        for i in range(lam):
            fitvals[i] = first(opfunc(candidates.select(1, i + 1).viewAs(x)))

        # tell: sort, recombine, update the paths, C and sigma
        counteval += lam
        xold = xmean.copy()
        order = np.argsort(fitvals, kind="stable")
        fitvals = fitvals[order]
        fit_valid = True
        arx = cand[order[:nmu]].astype(np.float64)
        f_hist.append(float(fitvals[0]))
        if best_f is None or fitvals[0] < best_f:
            best_f = float(fitvals[0])
            best_x = type(x)(n)
            best_x.numpy()[...] = arx[0]
        xmean = arx.T @ weights
        y = xmean - xold
        z = invsqrtC @ y
        c = (cs * (2 - cs) * mueff) ** 0.5 / sigma
        ps = ps - ps * cs + z * c
        hsig = float((ps ** 2).sum() / (1 - (1 - cs) ** (2 * counteval / lam)) / n
                     < 2 + 4.0 / (n + 1))
        c = (cc * (2 - cc) * mueff) ** 0.5 / sigma
        pc = pc - pc * cc + y * c * hsig
        c1a = c1 - (1 - hsig ** 2) * c1 * cc * (2 - cc)
        dev = arx - xold
        cmu_mat = (dev.T * weights) @ dev / sigma ** 2
        C = C + ((-c1a - cmu) * C + c1 * np.outer(pc, pc) + cmu * cmu_mat)
        sigma = sigma * math.exp(min(0.6, (cs / damps) * ((ps ** 2).sum() / n - 1) / 2))

        if verb_disp > 0:
            it = counteval / lam
            if it == 1 or it % (10 * verb_disp) == 0:
                lua_print("evals:\t ax-ratio max(std)   f-value")
            if it <= 2 or it % verb_disp == 0:
                max_std = math.sqrt(np.diag(C).max())
                lua_print("%d:  %6.1f %8.1e %s" % (counteval, D.max() / D.min(), sigma * max_std,
                                               "%.14g" % fitvals[0]))

    if verb_disp > 0:
        for k, v in stop().items():
            lua_print("termination by", k, "=", v)
        lua_print("best f-value =", best_f)
        lua_print("solution = ")
        lua_print(best_x)
        lua_print("total iterations: ", iteration)
    f_hist.append(best_f)
    return best_x, f_hist, counteval
