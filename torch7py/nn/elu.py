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
        # THNN: `(exp(x) - 1) * alpha` where x <= 0: libm's double exp, in double, alpha a real
        e = (dlibm('exp', x[neg]) - 1) * float(x.dtype.type(self.alpha))
        if y is not x:
            np.copyto(y, x)
        y[neg] = e

    def _backward(self, x, y, go, gi):
        np.copyto(gi, np.where(y <= 0, go * (y + self.alpha), go))

    def __tostring__(self):
        return '%s (alpha:%f)' % (self.typename, self.alpha)
