"""nn.ReLU6: port of torch/nn ReLU6.lua (THNN HardTanh with bounds 0 and 6, optionally in place)."""
import numpy as np

from ._pointwise import Pointwise


class ReLU6(Pointwise):

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = bool(inplace)

    def _forward(self, x, y):
        np.clip(x, 0, 6, out=y)

    def _backward(self, x, y, go, gi):
        # HardTanh's kernel: no gradient at the bounds themselves
        np.multiply(go, (x > 0) & (x < 6), out=gi)
