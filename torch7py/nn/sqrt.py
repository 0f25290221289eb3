"""nn.Sqrt: port of torch/nn Sqrt.lua and THNN Sqrt.c (sqrt(x); gradient 0 where y is 0)."""
import numpy as np

from ._pointwise import Pointwise


class Sqrt(Pointwise):
    _grad_check = ('shape', 'output')

    def __init__(self, b=0, eps=None):
        super().__init__()
        self.eps = b if eps is None else eps

    def _forward(self, x, y):
        # THNN Sqrt_updateOutput takes eps (Sqrt.lua passes self.eps) but does not use it:
        # THTensor_(sqrt)(output, input)
        np.sqrt(x, out=y)

    def _backward(self, x, y, go, gi):
        with np.errstate(divide='ignore', invalid='ignore'):
            np.copyto(gi, np.where(y == 0, 0, 0.5 * (go / y)))
