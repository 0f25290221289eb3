"""nn.LogSigmoid: port of torch/nn LogSigmoid.lua and THNN LogSigmoid.c (buffer holds exp(-x))."""
import numpy as np

from ._kernels import arr, out_like
from ._pointwise import Pointwise


class LogSigmoid(Pointwise):

    # (no __init__ of its own: LogSigmoid.lua makes its buffer in the first forward)

    def _forward(self, x, y):
        if self.__dict__.get('buffer') is None:
            self.buffer = self.output.new()
        z = out_like(self.buffer, x.shape)
        with np.errstate(over='ignore'):
            np.exp(-x, out=z)
        np.negative(np.log1p(z), out=y)

    def _backward(self, x, y, go, gi):
        z = arr(self.buffer).reshape(x.shape)
        with np.errstate(invalid='ignore'):
            np.copyto(gi, go * z / (1 + z))
