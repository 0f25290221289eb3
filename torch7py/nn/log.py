"""nn.Log: port of torch/nn Log.lua (gradient 1/x, inf at 0 as in Torch7)."""
import numpy as np

from ..tensor_math.pointwise import libm
from ._pointwise import Pointwise


class Log(Pointwise):
    _grad_check = ('cmul', None)
    _resize_first = True

    def _forward(self, x, y):
        with np.errstate(divide='ignore', invalid='ignore'):
            libm("log", x, y)  # Log.lua's output:log(input)

    def _backward(self, x, y, go, gi):
        with np.errstate(divide='ignore', invalid='ignore'):
            np.multiply(1.0 / x, go, out=gi)
