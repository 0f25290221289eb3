"""nn.SoftShrink: port of torch/nn SoftShrink.lua and THNN SoftShrink.c."""
import numpy as np

from ._pointwise import Pointwise


class SoftShrink(Pointwise):

    def __init__(self, lam=0.5):
        super().__init__()
        self.__dict__['lambda'] = lam

    def _lam(self):
        return self.__dict__.get('lambda', 0.5)

    def _forward(self, x, y):
        lam = self._lam()
        np.copyto(y, np.where(x > lam, x - lam, np.where(x < -lam, x + lam, 0)))

    def _backward(self, x, y, go, gi):
        lam = self._lam()
        # THNN writes 0 inside (a +0, whatever gradOutput holds: -x, inf, NaN)
        np.copyto(gi, np.where((x > lam) | (x < -lam), go, go.dtype.type(0)))
