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
        np.multiply(x, (x > lam) | (x < -lam), out=y)

    def _backward(self, x, y, go, gi):
        lam = self._lam()
        np.multiply(go, (x > lam) | (x < -lam), out=gi)
