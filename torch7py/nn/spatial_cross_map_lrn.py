"""nn.SpatialCrossMapLRN: port of torch/nn SpatialCrossMapLRN.lua (local response normalisation
across neighbouring planes: x / (k + alpha/size * sum of squares) ^ beta)."""
import numpy as np

from .. import messages
from ..tensor import Tensor, TorchError
from ..tensor_math.pointwise import th_pow
from ._kernels import arr, out_like
from ._pointwise import buffer
from .module import Module


def _window_sums(a, before, after):
    """Sum over planes c-before .. c+after (clipped) along axis 1 of a (N, C, H, W)."""
    N, C = a.shape[:2]
    cs = np.zeros((N, C + 1) + a.shape[2:], dtype=a.dtype)
    np.cumsum(a, axis=1, out=cs[:, 1:])
    hi = np.minimum(np.arange(C) + after + 1, C)
    lo = np.maximum(np.arange(C) - before, 0)
    return cs[:, hi] - cs[:, lo]


class SpatialCrossMapLRN(Module):

    def __init__(self, size, alpha=0.0001, beta=0.75, k=1):
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k
        # (scale: made by the first forward, as SpatialCrossMapLRN.lua's)

    def _x4(self, t):
        if t.dim() not in (3, 4):
            raise TorchError('Input must be 3D or 4D')
        a = arr(t)
        return a if a.ndim == 4 else a[None]

    def updateOutput(self, input):
        x = self._x4(input)
        half = (self.size - 1) // 2
        # Torch7 slides a running sum over planes c - half .. c + half
        sq = _window_sums(x * x, half, half)
        scale = buffer(self, 'scale', input._size)
        s4 = scale.reshape(x.shape)
        np.multiply(sq, self.alpha / self.size, out=s4)
        s4 += self.k
        y = out_like(self.output, input._size).reshape(x.shape)
        th_pow(s4, -self.beta, y)  # output:pow(scale, -beta): TH's pow (libm's powf/pow)
        y *= x
        return self.output

    def _lua_grad_prefix(self, input, gradOutput):
        """SpatialCrossMapLRN.lua's updateGradInput (CPU branch) up to the gradient's first
        product, for a call the vectorised path does not cover (no forward yet, a gradOutput
        of another type or count): the rank assert, the singleton views of input, gradOutput
        and output, the buffers and their sizes, the Lua number arithmetic, then
        gradInput:resizeAs(input):pow(self.scale, -beta):cmul(gradOutput) (TH's texts)."""
        from . import _lua, utils
        from .utils import TorchAssertionError
        nd = _lua.mcall(input, 'dim', what="local 'input'")
        if nd not in (3, 4):
            raise TorchAssertionError('Input must be 3D or 4D')
        if nd == 3:
            input = utils.addSingletonDimension(input)
            gradOutput = utils.addSingletonDimension(gradOutput)
            self.output = utils.addSingletonDimension(self.output)
        channels, h, w = input.size(2), input.size(3), input.size(4)
        utils.lua_buffers(self, input, 'paddedRatio', 'accumRatio')
        d = self.__dict__

        def num(name):
            v = d.get(name)
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TorchError(messages.arith_text(messages.lua_type(v), "field '%s'" % name))
            return v
        self.paddedRatio.resize(channels + num('size') - 1, h, w)
        self.accumRatio.resize(h, w)
        num('alpha'), num('beta'), num('size')  # cacheRatioValue = 2*alpha*beta/size
        self.gradInput.resizeAs(input)
        _lua.mcall(_lua.mcall(self.gradInput, 'pow', d.get('scale'), -self.beta), 'cmul',
                   gradOutput)

    def updateGradInput(self, input, gradOutput):
        s_ = self.__dict__.get('scale')
        if not (isinstance(input, Tensor) and type(s_) is type(input)
                and type(gradOutput) is type(input)
                and s_.nElement() == input.nElement() == gradOutput.nElement()
                and self.output.nElement() == input.nElement()):
            self._lua_grad_prefix(input, gradOutput)
        x = self._x4(input)
        s = arr(self.scale).reshape(x.shape)
        y = arr(self.output).reshape(x.shape)
        go = arr(gradOutput).reshape(x.shape)
        ratio = go * y / s
        before = self.size - (self.size - 1) // 2 - 1
        after = self.size - 1 - before
        acc = _window_sums(ratio, before, after)
        gi = out_like(self.gradInput, input._size).reshape(x.shape)
        th_pow(s, -self.beta, gi)  # gradInput:pow(scale, -beta)
        gi *= go
        gi -= (2 * self.alpha * self.beta / self.size) * x * acc
        return self.gradInput

    def clearState(self):
        from . import utils
        utils.clear(self, 'scale', 'paddedRatio', 'accumRatio')
        return super().clearState()
