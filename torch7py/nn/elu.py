"""nn.ELU: port of torch/nn ELU.lua and THNN ELU.c (gradient from the output; in place or not)."""
import numpy as np

from ..tensor_math.pointwise import dlibm
from ._pointwise import Pointwise


class ELU(Pointwise):

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = bool(inplace)

    def _forward(self, x, y):
        neg = x <= 0
        # THNN: `(exp(x) - 1) * alpha`: libm's double exp, in double, alpha a real
        e = (dlibm('exp', np.minimum(x, 0)) - 1) * float(x.dtype.type(self.alpha))
        np.copyto(y, np.where(neg, e, x), casting='unsafe')

    def _backward(self, x, y, go, gi):
        np.copyto(gi, np.where(y <= 0, go * (y + self.alpha), go))

    def __tostring__(self):
        return '%s (alpha:%f)' % (self.typename, self.alpha)
