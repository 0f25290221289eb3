"""nn.LogSigmoid: port of torch/nn LogSigmoid.lua and THNN LogSigmoid.c (buffer holds exp(-x))."""
import numpy as np

from ..tensor_math.pointwise import dlibm
from ._kernels import arr, out_like
from ._pointwise import Pointwise


class LogSigmoid(Pointwise):

    # (no __init__ of its own: LogSigmoid.lua makes its buffer in the first forward, and a
    # backward before it fails at self.buffer:cdata(): _thnn_lua's strict fields)
    _thnn_lua_fields = ('buffer',)

    def _forward(self, x, y):
        if self.__dict__.get('buffer') is None:
            self.buffer = self.output.new()
        z = out_like(self.buffer, x.shape)
        # THNN (nn 8726825): `real max_elem = fmax(0, -x); real z = exp(-max_elem) +
        # exp(-x - max_elem)`, y = -(max_elem + log(z)): libm's double exp and log
        m = np.fmax(0, -x)
        with np.errstate(invalid='ignore'):
            a, b = -m, -x - m
        if np.isfinite(x).all():
            # one of the two is 0 (exp(0) = 1 exactly): one exp per element
            z[...] = dlibm('exp', np.where(x >= 0, b, a)) + 1.0
        else:  # (-inf gives exp(-inf) + exp(nan))
            z[...] = dlibm('exp', a) + dlibm('exp', b)
        np.copyto(y, -(m + dlibm('log', z)), casting='unsafe')

    def _backward(self, x, y, go, gi):
        z = arr(self.buffer).reshape(x.shape)
        # `gi = -max_deriv - sign*((z - 1.0)/z)` in double (max_deriv -1, sign 1 where x < 0;
        # 0 and -1 elsewhere), stored in real, then cmul(gradInput, gradOutput, gradInput)
        with np.errstate(invalid='ignore', divide='ignore'):
            q = (z.astype(np.float64) - 1.0) / z
        g = np.where(x < 0, 1.0 - q, q).astype(gi.dtype)
        np.multiply(go, g, out=gi)
