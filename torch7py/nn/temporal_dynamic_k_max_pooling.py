"""nn.TemporalDynamicKMaxPooling: port of torch/nn TemporalDynamicKMaxPooling.lua (the k largest
values of each feature over time, k = max(minK, ceil(factor * length)), in time order)."""
import math

import numpy as np

from .. import tensor as _tensor
from ._kernels import arr, out_like
from .module import Module


class TemporalDynamicKMaxPooling(Module):

    def __init__(self, minK, factor=None):
        super().__init__()
        self.minK = minK
        self.factor = factor or 0

    def updateOutput(self, input):
        if input.dim() not in (2, 3):
            raise AssertionError('Only 2D or 3D(batch mode) accepted')
        axis = input.dim() - 2
        T = input._size[axis]
        k = max(self.minK, int(math.ceil(self.factor * T)))
        if T < self.minK:
            raise AssertionError('Input sequence length (%d) too small for desired k value (%d)'
                                 % (T, self.minK))
        x = arr(input)
        # descending order; among equal values the earlier frame first
        order = np.argsort(-x, axis=axis, kind='stable')
        top = np.sort(np.take(order, np.arange(k), axis=axis), axis=axis)
        if self.__dict__.get('indices') is None or not isinstance(self.indices,
                                                                 _tensor.LongTensor):
            self.indices = _tensor.LongTensor()
        out_like(self.indices, top.shape)[...] = top + 1
        out_like(self.output, top.shape)[...] = np.take_along_axis(x, top, axis=axis)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        axis = input.dim() - 2
        gi = out_like(self.gradInput, input._size)
        gi[...] = 0
        np.put_along_axis(gi, arr(self.indices) - 1, arr(gradOutput), axis=axis)
        return self.gradInput
