"""nn.SoftPlus: port of torch/nn SoftPlus.lua and THNN SoftPlus.c (log(1 + exp(beta x)) / beta)."""
import numpy as np

from ..tensor_math.pointwise import dlibm, libm
from ._pointwise import Pointwise


class SoftPlus(Pointwise):
    _apply3_output = True

    def __init__(self, beta=None, *ignored):
        super().__init__()
        self.beta = 1 if beta is None else beta
        # Torch7 takes only beta; the threshold is fixed (a second argument is ignored)
        self.threshold = 20

    # (few temporaries, reused through out=: a fresh array of 2 MB costs its page faults,
    # more here than the arithmetic on it)
    def _forward(self, x, y):
        beta = x.dtype.type(self.beta)  # THNN's real beta and threshold
        bx = x * beta
        # `log1p(exp(x * beta)) / beta`: libm's double functions, in double
        soft = dlibm('exp', bx)
        libm('log1p', soft, soft)
        np.divide(soft, float(beta), out=soft)
        np.copyto(y, soft, casting='unsafe')
        np.copyto(y, x, where=bx > x.dtype.type(self.threshold))

    def _backward(self, x, y, go, gi):
        beta = y.dtype.type(self.beta)
        by = y * beta
        # `real z = exp(y * beta)` (libm's double exp, kept in real), `go * (z - 1.)/z` in double
        z = dlibm('exp', by)
        if y.dtype != z.dtype:
            np.copyto(z, z.astype(y.dtype))
        g = np.subtract(z, 1.)
        with np.errstate(over='ignore', invalid='ignore'):
            np.multiply(go, g, out=g)
            np.divide(g, z, out=g)
        np.copyto(gi, g, casting='unsafe')
        np.copyto(gi, go, where=by > y.dtype.type(self.threshold))
