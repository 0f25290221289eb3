"""optim.checkgrad: Torch7's central-difference gradient checker."""
import numpy as np

from .. import numerics
from ._common import evaluate_raw, first
from ._literal import arith, recv
from ..tensor import Tensor


def checkgrad(opfunc, x, eps=None):
    """diff, dC, dC_est = checkgrad(opfunc, x, eps=1e-7): relative error between the gradient
    opfunc returns and its central-difference estimate."""
    corg, dC = evaluate_raw(opfunc, x, "checkgrad")  # local Corg, dC = opfunc(x)
    recv(dC, "local 'dC'", "resize")(recv(x, "local 'x'", "size")())  # dC:resize(x:size())
    # a loss given as a tensor: C1 is copied into Ctmp (Corg.new(Corg:size())) before the
    # second evaluation, and (C1 - C2) / (2 * eps), a tensor, is stored as dC_est[i]
    ctmp = corg.new(corg.size()) if isinstance(corg, Tensor) else None
    eps = 1e-7 if eps is None else eps
    dC_est = type(dC)(*dC._size)
    xa, est = x.numpy(), dC_est.numpy()
    # one pair of evaluations per coordinate is the algorithm itself
    for i in np.ndindex(xa.shape):
        xi = xa[i]
        # Lua numbers are doubles: x[i] + eps is computed in double, then stored as real
        xa[i] = float(xi) + eps
        c1 = first(opfunc(x))
        xa[i] = float(xa[i]) - 2 * eps
        c2 = first(opfunc(x))
        xa[i] = xi
        if ctmp is not None:
            d = (ctmp.copy(c1) - c2) / (2 * eps)
            est[i] = d.numpy().reshape(-1)[0] if d.nElement() == 1 else d
            continue
        est[i] = (arith(c1, "local 'C1'") - arith(c2, "local 'C2'")) / (2 * eps)
    g = dC.numpy()
    # torch.norm(dC - dC_est) / torch.norm(dC + dC_est): real-typed tensors, normall's order
    with np.errstate(all="ignore"):
        a = numerics.seqsum(np.square((g - est).astype(np.float64)))
        b = numerics.seqsum(np.square((g + est).astype(np.float64)))
        diff = np.float64(np.sqrt(a)) / np.float64(np.sqrt(b))
    return float(diff), dC, dC_est
