"""nn.ReLU6: port of torch/nn ReLU6.lua (THNN HardTanh with bounds 0 and 6, optionally in place)."""
import numpy as np

from ..messages import at_lua
from ..tensor import TorchError
from ._pointwise import Pointwise


class ReLU6(Pointwise):

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = bool(inplace)
        if inplace is not None and not isinstance(inplace, bool):  # (Lua: 0 is true)
            raise at_lua(TorchError('in-place flag must be boolean'), 'nn/ReLU6.lua:13')

    def _forward(self, x, y):
        # HardTanh's kernel: x < 0 ? 0 : x <= 6 ? x : 6 (a -0 stays -0, NaN gives 6)
        R = x.dtype.type
        np.copyto(y, np.where(x < 0, R(0), np.where(x <= 6, x, R(6))))

    def _backward(self, x, y, go, gi):
        # HardTanh's kernel: no gradient at the bounds themselves
        # (a select: THNN writes 0 there, whatever gradOutput holds; a NaN input passes it)
        np.copyto(gi, np.where((x <= 0) | (x >= 6), go.dtype.type(0), go))
