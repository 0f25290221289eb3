"""nn.SpatialReplicationPadding: port of torch/nn SpatialReplicationPadding.lua and THNN
SpatialReplicationPadding.c (the edge pixels repeated outwards)."""
import numpy as np

from ._padding import check_input, gather, scatter
from .module import Module


def replicate(n, before, after):
    return np.clip(np.arange(-before, n + after), 0, n - 1)


class SpatialReplicationPadding(Module):

    def __init__(self, pad_l, pad_r=None, pad_t=None, pad_b=None):
        super().__init__()
        self.pad_l = pad_l
        self.pad_r = pad_l if pad_r is None else pad_r
        self.pad_t = pad_l if pad_t is None else pad_t
        self.pad_b = pad_l if pad_b is None else pad_b

    def _maps(self, input):
        check_input(input)
        H, W = input._size[-2:]
        return replicate(H, self.pad_t, self.pad_b), replicate(W, self.pad_l, self.pad_r)

    def updateOutput(self, input):
        rows, cols = self._maps(input)
        gather(input, self.output, rows, cols)
        return self.output

    def updateGradInput(self, input, gradOutput):
        rows, cols = self._maps(input)
        scatter(input, gradOutput, self.gradInput, rows, cols)
        return self.gradInput

    def __tostring__(self):
        return '%s(l=%d, r=%d, t=%d, b=%d)' % (self.typename, self.pad_l, self.pad_r,
                                               self.pad_t, self.pad_b)
