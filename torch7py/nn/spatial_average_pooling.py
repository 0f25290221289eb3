"""nn.SpatialAveragePooling: port of torch/nn SpatialAveragePooling.lua and its THNN kernel."""
import numpy as np

from ._kernels import (arr, as4d, avgpool_divisors, check_type, out_like, padded, pool_ceil,
                       pool_count_exclude_pad, pool_count_include_pad, pool_floor, windows)
from .module import Module
from .spatial_max_pooling import check_pool_grad, pool_geometry, pool_tostring


class SpatialAveragePooling(Module):

    _compat_fields = ('count_include_pad',)

    def __init__(self, kW, kH, dW=1, dH=1, padW=0, padH=0):
        super().__init__()
        self.kW, self.kH = kW, kH
        self.dW = 1 if dW is None else dW
        self.dH = 1 if dH is None else dH
        self.padW = padW or 0
        self.padH = padH or 0
        self.ceil_mode = False
        self.count_include_pad = True
        self.divide = True

    ceil = pool_ceil
    floor = pool_floor

    setCountIncludePad = pool_count_include_pad
    setCountExcludePad = pool_count_exclude_pad

    def _divisors(self, H, W, oH, oW, dtype):
        include = self.__dict__.get('count_include_pad') is not False
        return avgpool_divisors(H, W, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW,
                                oH, oW, include).astype(dtype)

    def updateOutput(self, input):
        check_type(self, input)
        oH, oW = pool_geometry(self, input, lua_sizes=False)
        x4 = as4d(arr(input))
        N, C, H, W = x4.shape
        needH = (oH - 1) * self.dH + self.kH
        needW = (oW - 1) * self.dW + self.kW
        xp = padded(x4, self.padH, self.padW, 0, needH, needW)
        win = windows(xp, self.kH, self.kW, self.dH, self.dW, oH, oW)
        shape = tuple(input._size[:-2]) + (oH, oW)
        y = out_like(self.output, shape).reshape(N, C, oH, oW)
        np.sum(win, axis=(2, 3), out=y)
        with np.errstate(divide='ignore', invalid='ignore'):  # ceil mode's empty windows: 0/0
            y /= self._divisors(H, W, oH, oW, y.dtype)
        if self.__dict__.get('divide') is False:
            y *= self.kW * self.kH
        return self.output

    def updateGradInput(self, input, gradOutput):
        oH, oW = pool_geometry(self, input, lua_sizes=False)
        check_pool_grad(input, gradOutput, oH, oW)
        gi4 = as4d(out_like(self.gradInput, input._size))
        N, C, H, W = gi4.shape
        with np.errstate(divide='ignore', invalid='ignore'):  # empty windows scatter nothing
            go = as4d(arr(gradOutput)) / self._divisors(H, W, oH, oW, gi4.dtype)
        needH = max(H + 2 * self.padH, (oH - 1) * self.dH + self.kH)
        needW = max(W + 2 * self.padW, (oW - 1) * self.dW + self.kW)
        buf = np.zeros((N, C, needH, needW), dtype=gi4.dtype)
        for i in range(self.kH):
            for j in range(self.kW):
                buf[:, :, i:i + self.dH * (oH - 1) + 1:self.dH,
                    j:j + self.dW * (oW - 1) + 1:self.dW] += go
        gi4[...] = buf[:, :, self.padH:self.padH + H, self.padW:self.padW + W]
        if self.__dict__.get('divide') is False:
            gi4 *= self.kW * self.kH
        return self.gradInput

    def __tostring__(self):
        return pool_tostring(self)
