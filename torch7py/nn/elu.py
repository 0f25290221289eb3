"""nn.ELU: port of torch/nn ELU.lua and THNN ELU.c (gradient from the output; in place or not)."""
import numpy as np

from ._pointwise import Pointwise


class ELU(Pointwise):

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = bool(inplace)

    def _forward(self, x, y):
        neg = x <= 0
        np.copyto(y, np.where(neg, np.expm1(np.minimum(x, 0)) * self.alpha, x))

    def _backward(self, x, y, go, gi):
        np.copyto(gi, np.where(y <= 0, go * (y + self.alpha), go))

    def __tostring__(self):
        return '%s (alpha:%f)' % (self.typename, self.alpha)
