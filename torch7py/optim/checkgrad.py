"""optim.checkgrad: Torch7's central-difference gradient checker."""
import numpy as np

from ._common import check_x, evaluate, first


def checkgrad(opfunc, x, eps=None):
    """diff, dC, dC_est = checkgrad(opfunc, x, eps=1e-7): relative error between the gradient
    opfunc returns and its central-difference estimate."""
    check_x(x, "checkgrad")
    _, dC = evaluate(opfunc, x, "checkgrad")
    dC.resize(*x._size)
    eps = 1e-7 if eps is None else eps
    dC_est = type(dC)(*dC._size)
    xa, est = x.numpy(), dC_est.numpy()
    # one pair of evaluations per coordinate is the algorithm itself
    for i in np.ndindex(xa.shape):
        xi = xa[i]
        xa[i] = xi + eps
        c1 = first(opfunc(x))
        xa[i] = xa[i] - 2 * eps
        c2 = first(opfunc(x))
        xa[i] = xa[i] + eps
        est[i] = (c1 - c2) / (2 * eps)
    g = dC.numpy()
    with np.errstate(all="ignore"):
        diff = np.linalg.norm(g - est) / np.linalg.norm(g + est)
    return float(diff), dC, dC_est
