"""nn.LogSigmoid: port of torch/nn LogSigmoid.lua and THNN LogSigmoid.c (buffer holds exp(-x))."""
import numpy as np

from ..tensor_math.pointwise import dlibm
from ._kernels import arr, out_like
from ._pointwise import Pointwise
from . import utils


class LogSigmoid(Pointwise):

    # (no __init__ of its own: LogSigmoid.lua makes its buffer in the first forward, and a
    # backward before it fails at self.buffer:cdata(): _thnn_lua's strict fields)
    _thnn_lua_fields = ('buffer',)
    # LogSigmoid.c: resizeAs(gradInput, buffer), ..., cmul(gradInput, gradOutput, gradInput)
    _grad_sized_as_gradOutput = True

    # (few temporaries, reused through out=: a fresh array of 2 MB costs its page faults,
    # more here than the arithmetic on it)
    def _forward(self, x, y):
        if self.__dict__.get('buffer') is None:
            self.buffer = self.output.new()
        z = out_like(self.buffer, x.shape)
        # THNN (nn 8726825): `real max_elem = fmax(0, -x); real z = exp(-max_elem) +
        # exp(-x - max_elem)`, y = -(max_elem + log(z)): libm's double exp and log
        m = np.negative(x)
        np.fmax(0, m, out=m)
        if np.isfinite(x).all():
            # one of the two is exp(+-0) = 1 exactly, the other exp(-|x|) (x >= 0: -x - 0;
            # x < 0: -(-x)): one exp per element, no select (np.where on a random mask costs
            # more than the exp)
            w = np.abs(x)
            np.negative(w, out=w)
            e = dlibm('exp', w)
            np.add(e, 1.0, out=e)
            z[...] = e
        else:  # (-inf gives exp(-inf) + exp(nan))
            with np.errstate(invalid='ignore'):
                a, b = -m, -x - m
            z[...] = dlibm('exp', a) + dlibm('exp', b)
        lz = dlibm('log', z)
        np.add(m, lz, out=lz)
        np.negative(lz, out=lz)
        np.copyto(y, lz, casting='unsafe')

    def _backward(self, x, y, go, gi):
        z = arr(self.buffer).reshape(x.shape)
        # `gi = -max_deriv - sign*((z - 1.0)/z)` in double (max_deriv -1, sign 1 where x < 0;
        # 0 and -1 elsewhere), stored in real, then cmul(gradInput, gradOutput, gradInput)
        with np.errstate(invalid='ignore', divide='ignore'):
            q = np.subtract(z, 1.0, dtype=np.float64)
            np.divide(q, z, out=q)
            r = np.subtract(1.0, q)
        # where(x < 0, 1 - q, q) by bits: ((r ^ q) * [x < 0]) ^ q (np.where on a random mask
        # branches per element: several times the arithmetic)
        ri, qi = r.view(np.int64), q.view(np.int64)
        np.bitwise_xor(ri, qi, out=ri)
        np.multiply(ri, np.less(x, 0), out=ri)
        np.bitwise_xor(ri, qi, out=ri)
        if gi.dtype == r.dtype:
            np.multiply(go, r, out=gi)
        else:
            np.copyto(gi, r, casting='unsafe')
            np.multiply(go, gi, out=gi)

    def clearState(self):
        # LogSigmoid.lua: `if self.buffer then self.buffer:set() end`
        utils.set_empty(self, 'buffer')
        return super().clearState()
