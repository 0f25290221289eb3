"""nn.LeakyReLU: port of torch/nn LeakyReLU.lua and THNN LeakyReLU.c (optionally in place)."""
import numpy as np

from ._pointwise import Pointwise, lua_num


class LeakyReLU(Pointwise):

    def __init__(self, negval=None, ip=False):
        super().__init__()
        if isinstance(negval, bool):
            # Torch7 shadows ip here, so LeakyReLU(true) is not in place; kept for parity
            negval, ip = None, False
        self.negval = 1 / 100 if negval is None else negval
        self.inplace = bool(ip)
        if self.negval < 0:
            self.inplace = False

    def _forward(self, x, y):
        np.multiply(x, np.where(x > 0, 1.0, self.negval).astype(x.dtype), out=y)

    def _backward(self, x, y, go, gi):
        np.multiply(go, np.where(x > 0, 1.0, self.negval).astype(go.dtype), out=gi)

    def __tostring__(self):
        return '%s(%s)' % (self.typename, lua_num(self.negval))
