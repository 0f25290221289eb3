"""nn.SpatialAveragePooling: port of torch/nn SpatialAveragePooling.lua and its THNN kernel."""
import numpy as np

from ._kernels import (arr, as4d, avgpool_divisors, check_type, out_like, padded, pool_ceil,
                       pool_count_exclude_pad, pool_count_include_pad, pool_floor, windows)
from . import _kernels
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
        include = self.__dict__.get('count_include_pad') is not False
        if _kernels.c_ok(x4, y) and y.dtype == x4.dtype:
            # THNN's frame loop: real sum = 0, the window's elements inside the input added row
            # by row, then 0 + sum / divide_factor (VolumetricAveragePooling's, one deep)
            _kernels._nnk.vavgpool(x4, y, N * C, (1, H, W), (1, oH, oW), (1, self.kH, self.kW),
                                   (1, self.dH, self.dW), (0, self.padH, self.padW), include,
                                   y.dtype == np.float32)
        else:
            # the same order, one strided slice of the windows per kernel offset (padding adds
            # +0 to a sum that started at +0: nothing changes)
            y[...] = 0
            for i in range(self.kH):
                for j in range(self.kW):
                    y += win[:, :, i, j]
            with np.errstate(divide='ignore', invalid='ignore'):  # ceil's empty windows: 0/0
                y /= self._divisors(H, W, oH, oW, y.dtype)
            y += 0  # THNN adds the mean to a zeroed output: a -0 (0 / a negative size) is +0
        if self.__dict__.get('divide') is False:
            y *= self.kW * self.kH
        return self.output

    def updateGradInput(self, input, gradOutput):
        oH, oW = pool_geometry(self, input, lua_sizes=False)
        check_pool_grad(input, gradOutput, oH, oW)
        gi4 = as4d(out_like(self.gradInput, input._size))
        N, C, H, W = gi4.shape
        go4 = np.ascontiguousarray(as4d(arr(gradOutput)))
        if _kernels.c_ok(gi4, go4) and go4.dtype == gi4.dtype:
            # THNN's frame loop: for each output position, z / divide_factor added into each
            # element of its window, in that order
            _kernels._nnk.avgpool_back(gi4, go4, N * C, H, W, oH, oW, self.kH, self.kW, self.dH,
                                       self.dW, self.padH, self.padW,
                                       self.__dict__.get('count_include_pad') is not False,
                                       gi4.dtype == np.float32)
            if self.__dict__.get('divide') is False:
                gi4 *= self.kW * self.kH
            return self.gradInput
        with np.errstate(divide='ignore', invalid='ignore'):  # empty windows scatter nothing
            go = as4d(arr(gradOutput)) / self._divisors(H, W, oH, oW, gi4.dtype)
        needH = max(H + 2 * self.padH, (oH - 1) * self.dH + self.kH)
        needW = max(W + 2 * self.padW, (oW - 1) * self.dW + self.kW)
        buf = np.zeros((N, C, needH, needW), dtype=gi4.dtype)
        # each input element gets its windows' shares in THNN's order, output row by row and
        # left to right: the later the window, the smaller the element's offset in it
        with np.errstate(invalid='ignore'):  # an empty window's inf lands outside the input
            for i in reversed(range(self.kH)):
                for j in reversed(range(self.kW)):
                    buf[:, :, i:i + self.dH * (oH - 1) + 1:self.dH,
                        j:j + self.dW * (oW - 1) + 1:self.dW] += go
        gi4[...] = buf[:, :, self.padH:self.padH + H, self.padW:self.padW + W]
        if self.__dict__.get('divide') is False:
            gi4 *= self.kW * self.kH
        return self.gradInput

    def __tostring__(self):
        return pool_tostring(self)
