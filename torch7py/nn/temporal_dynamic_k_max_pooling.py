"""nn.TemporalDynamicKMaxPooling: port of torch/nn TemporalDynamicKMaxPooling.lua (the k largest
values of each feature over time, k = max(minK, ceil(factor * length)), in time order)."""
import math

import numpy as np

from ._kernels import arr, out_like
from .module import Module
from .utils import TorchAssertionError


class TemporalDynamicKMaxPooling(Module):

    def __init__(self, minK, factor=None):
        super().__init__()
        self.minK = minK
        self.factor = factor or 0

    def updateOutput(self, input):
        if input.dim() not in (2, 3):
            raise TorchAssertionError('Only 2D or 3D(batch mode) accepted')
        seqDim = input.dim() - 1
        T = input.size(seqDim)
        k = max(self.minK, int(math.ceil(self.factor * T)))
        if T < self.minK:
            raise TorchAssertionError('Input sequence length (%d) too small for desired k value '
                                      '(%d)' % (T, k))
        # Torch7's own sort (its quicksort decides which of equal values are kept), then the
        # kept frames back in time order
        _, allIndices = input.sort(seqDim, True)
        self.indices = allIndices.narrow(seqDim, 1, k).sort(seqDim)[0]
        self.output = input.gather(seqDim, self.indices)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        axis = input.dim() - 2
        gi = out_like(self.gradInput, input._size)
        gi[...] = 0
        np.put_along_axis(gi, arr(self.indices) - 1, arr(gradOutput), axis=axis)
        return self.gradInput
