"""nn.SoftSign: port of torch/nn SoftSign.lua (x / (1 + |x|))."""
import numpy as np

from ._kernels import out_like
from ._pointwise import Pointwise


class SoftSign(Pointwise):
    _grad_check = ('copy', None)

    def _forward(self, x, y):
        if self.__dict__.get('temp') is None:
            self.temp = self.output.new()
        t = out_like(self.temp, x.shape)
        np.add(np.abs(x), 1, out=t)
        np.divide(x, t, out=y)

    def _backward(self, x, y, go, gi):
        if self.__dict__.get('tempgrad') is None:
            self.tempgrad = self.output.new()
        t = out_like(self.tempgrad, x.shape)
        np.add(np.abs(x), 1, out=t)
        t *= t
        np.divide(go, t, out=gi)
