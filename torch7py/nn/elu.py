"""nn.ELU: port of torch/nn ELU.lua and THNN ELU.c (gradient from the output; in place or not)."""
import numpy as np

from .. import messages
from ..tensor_math.pointwise import dlibm
from .utils import TorchAssertionError
from ._pointwise import Pointwise


class ELU(Pointwise):
    _apply3_output = True

    def __init__(self, alpha=None, inplace=None):
        super().__init__()
        # ELU.lua: self.alpha = alpha or 1; assert(type(self.alpha) == 'number');
        # self.inplace = inplace or false; assert(type(self.inplace) == 'boolean')
        self.alpha = 1 if alpha is None or alpha is False else alpha
        if messages.lua_type(self.alpha) != 'number':
            raise TorchAssertionError('assertion failed!')
        self.inplace = False if inplace is None else inplace
        if not isinstance(self.inplace, bool):
            raise messages.at_lua(TorchAssertionError('assertion failed!'), 'nn/ELU.lua:14')

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
