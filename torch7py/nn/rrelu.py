"""nn.RReLU: port of torch/nn RReLU.lua and THNN RReLU.c (random leaky slopes in training, their
mean (l + u) / 2 in evaluation)."""
import numpy as np

from . import _lua, utils
from ._kernels import arr, new_tensor, out_like
from ._pointwise import check_nelement
from ._thnn_check import THNN_WHERE
from ..messages import lua_line
from ..tensor import DoubleTensor, FloatTensor
from .module import Module
from .utils import TorchAssertionError


class RReLU(Module):

    def __init__(self, l=None, u=None, ip=False):
        super().__init__()
        self.lower = 1 / 8 if l is None else l
        self.upper = 1 / 3 if u is None else u
        if not (self.lower <= self.upper and self.lower >= 0 and self.upper >= 0):
            raise TorchAssertionError('assertion failed!')  # RReLU.lua's assert has no message
        self.noise = new_tensor()
        self.train = True
        self.inplace = bool(ip)

    def _bounds(self, x):
        """THNN's `real lower, upper` (the accreal arguments converted to the tensor's type)."""
        R = x.dtype.type if x.dtype.kind == 'f' else np.float64
        return R, R(self.lower), R(self.upper)

    def _eval_slopes(self, x):
        # THNN: `const real negSlope = (lower + upper) / 2` in real; x <= 0 ? negSlope : 1
        R, lo, up = self._bounds(x)
        return np.where(x <= 0, R((lo + up) / R(2)), R(1))

    def updateOutput(self, input):
        if not type(input) is type(self.output) is type(self.noise) or \
                type(input) not in (DoubleTensor, FloatTensor):
            # RReLU_updateOutput(input, output, noise, ...): input.THNN, then the FFI's types
            _lua.thnn_call(input, ("field 'output'", self.output), ("field 'noise'", self.noise))
        x = arr(input)
        if self.train:
            noise = out_like(self.noise, input._size)
            neg = x <= 0
            # one uniform draw per non-positive element, in the input's logical order:
            # `(real)THRandom_uniform(generator, lower, upper)` with the real bounds, a double
            # draw rounded to real
            R, lo, up = self._bounds(x)
            n = int(neg.sum())
            draws = DoubleTensor(n or 1)
            if n:
                draws.uniform(float(lo), float(up))
            noise[...] = 1
            noise[neg] = arr(draws)[:n]
            r = noise
        else:
            r = self._eval_slopes(x)
        if self.inplace:
            x *= r
            self.output.set(input)
        else:
            np.multiply(x, r, out=out_like(self.output, input._size))
        return self.output

    def updateGradInput(self, input, gradOutput):
        check_nelement(input, gradOutput)
        x = arr(input)
        go = arr(gradOutput).reshape(x.shape)
        R, lo, up = self._bounds(x)
        if self.train and float(up - lo) > 1e-6:  # (in real, compared as a double)
            if self.noise.nElement() != input.nElement():
                # THNN's cmul by a noise of another size (no forward yet): TH's count check,
                # raised inside the THNN call
                with lua_line(THNN_WHERE):
                    if self.inplace:
                        gradOutput.cmul(gradOutput, self.noise)
                    else:
                        self.gradInput.resizeAs(input).cmul(gradOutput, self.noise)
            r = arr(self.noise).reshape(x.shape)
        else:
            r = self._eval_slopes(x)
        if self.inplace:
            go *= r
            self.gradInput.set(gradOutput)
        else:
            # THNN: training's THTensor_(cmul)(gradInput, gradOutput, noise) resizes gradInput
            # as gradOutput (as many elements, any shape); eval's APPLY3 keeps input's size
            train = self.train and float(up - lo) > 1e-6
            size = gradOutput._size if train else input._size
            np.multiply(go, r, out=out_like(self.gradInput, size).reshape(x.shape))
        return self.gradInput

    def __tostring__(self):
        return '%s (l:%f, u:%f)' % (self.typename, self.lower, self.upper)

    def clearState(self):
        utils.clear(self, 'noise')
        return super().clearState()
