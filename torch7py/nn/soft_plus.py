"""nn.SoftPlus: port of torch/nn SoftPlus.lua and THNN SoftPlus.c (log(1 + exp(beta x)) / beta)."""
import numpy as np

from ..tensor_math.pointwise import dlibm
from ._pointwise import Pointwise


class SoftPlus(Pointwise):

    def __init__(self, beta=None, *ignored):
        super().__init__()
        self.beta = 1 if beta is None else beta
        # Torch7 takes only beta; the threshold is fixed (a second argument is ignored)
        self.threshold = 20

    def _forward(self, x, y):
        beta = x.dtype.type(self.beta)  # THNN's real beta and threshold
        bx = x * beta
        # `log1p(exp(x * beta)) / beta`: libm's double functions, in double
        soft = dlibm('log1p', dlibm('exp', bx)) / float(beta)
        np.copyto(y, np.where(bx > x.dtype.type(self.threshold), x, soft), casting='unsafe')

    def _backward(self, x, y, go, gi):
        beta = y.dtype.type(self.beta)
        by = y * beta
        # `real z = exp(y * beta)` (libm's double exp, kept in real), `go * (z - 1.)/z` in double
        z = dlibm('exp', by).astype(y.dtype).astype(np.float64)
        with np.errstate(over='ignore', invalid='ignore'):
            g = go * (z - 1.) / z
        np.copyto(gi, np.where(by > y.dtype.type(self.threshold), go, g), casting='unsafe')
