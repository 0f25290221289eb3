"""nn.VolumetricFractionalMaxPooling: port of torch/nn VolumetricFractionalMaxPooling.lua and THNN
VolumetricFractionalMaxPooling.c (pseudo-random 3-d pooling windows)."""
import math

import numpy as np

from .. import tensor as _tensor
from ..tensor import TorchError
from ._fractional import gather_max, intervals
from ._kernels import arr, out_like
from .module import Module


class VolumetricFractionalMaxPooling(Module):

    def __init__(self, poolSizeT, poolSizeW, poolSizeH, arg1, arg2, arg3):
        super().__init__()
        if poolSizeT < 2 or poolSizeW < 2 or poolSizeH < 2:
            raise AssertionError('pool size must be at least 2')
        self.poolSizeT = poolSizeT
        self.poolSizeW = poolSizeW
        self.poolSizeH = poolSizeH
        if arg1 >= 1 and arg2 >= 1 and arg3 >= 1:
            self.outT, self.outW, self.outH = arg1, arg2, arg3
        else:
            self.ratioT, self.ratioW, self.ratioH = arg1, arg2, arg3
            if not (0 < arg1 < 1 and 0 < arg2 < 1 and 0 < arg3 < 1):
                raise AssertionError('ratios must be within (0, 1)')
        self.newRandomPool = False

    def _buffer_size(self, input):
        if input.dim() == 4:
            return (1, input.size(1), 3)
        if input.dim() == 5:
            return (input.size(1), input.size(2), 3)
        raise TorchError('input must be dim 4 or 5')

    def initSampleBuffer_(self, input):
        size = self._buffer_size(input)
        rs = self.__dict__.get('randomSamples')
        if rs is None:
            self.randomSamples = input.new().resize(*size).uniform()
        elif rs.size(1) != size[0] or rs.size(2) != size[1]:
            rs.resize(*size).uniform()
        elif not self.newRandomPool:
            rs.uniform()

    def getOutputSizes_(self, input):
        if self.__dict__.get('ratioT') is not None:
            T, H, W = input._size[-3:]
            out = (int(math.floor(T * self.ratioT)), int(math.floor(W * self.ratioW)),
                   int(math.floor(H * self.ratioH)))
            if min(out) <= 0:
                raise AssertionError('reduction ratio or input size too small')
            return out
        return self.outT, self.outW, self.outH

    def fixPoolingRegions(self, val=True):
        self.newRandomPool = val
        return self

    def updateOutput(self, input):
        if self.__dict__.get('indices') is None:
            self.indices = _tensor.LongTensor()
        self.initSampleBuffer_(input)
        outT, outW, outH = self.getOutputSizes_(input)
        T, H, W = input._size[-3:]
        if outT + self.poolSizeT - 1 > T or outH + self.poolSizeH - 1 > H or \
                outW + self.poolSizeW - 1 > W:
            raise TorchError('poolSize + output size - 1 must not exceed the input size')
        x = arr(input)
        x5 = x if x.ndim == 5 else x[None]
        rs = arr(self.randomSamples)
        st = intervals(rs[..., 0], T, outT, self.poolSizeT)
        sh = intervals(rs[..., 1], H, outH, self.poolSizeH)
        sw = intervals(rs[..., 2], W, outW, self.poolSizeW)
        vals, pos = gather_max(x5, [st, sh, sw], [self.poolSizeT, self.poolSizeH,
                                                  self.poolSizeW])
        shape = x.shape[:-3] + (outT, outH, outW)
        out_like(self.output, shape)[...] = vals.reshape(shape)
        out_like(self.indices, shape)[...] = pos.reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = out_like(self.gradInput, input._size)
        g5 = gi if gi.ndim == 5 else gi[None]
        N, C = g5.shape[:2]
        vol = int(np.prod(g5.shape[2:]))
        idx = arr(self.indices).reshape(N * C, -1) - 1
        flat = (idx + (np.arange(N * C) * vol)[:, None]).ravel()
        g5[...] = np.bincount(flat, weights=arr(gradOutput).ravel(),
                              minlength=N * C * vol).reshape(g5.shape)
        return self.gradInput

    def clearState(self):
        from . import utils
        utils.clear(self, 'indices', 'randomSamples')
        return super().clearState()
