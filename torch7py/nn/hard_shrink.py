"""nn.HardShrink: port of torch/nn HardShrink.lua and THNN HardShrink.c."""
import numpy as np

from ._pointwise import Pointwise


class HardShrink(Pointwise):

    def __init__(self, lam=0.5):
        super().__init__()
        self.__dict__['lambda'] = lam

    def _lam(self):
        return self.__dict__.get('lambda', 0.5)

    def _forward(self, x, y):
        lam = self._lam()
        # THNN writes 0 outside (a +0, also for -0 and NaN inputs): a select, not x * mask
        np.copyto(y, np.where((x > lam) | (x < -lam), x, x.dtype.type(0)))

    def _backward(self, x, y, go, gi):
        lam = self._lam()
        np.copyto(gi, np.where((x > lam) | (x < -lam), go, go.dtype.type(0)))
