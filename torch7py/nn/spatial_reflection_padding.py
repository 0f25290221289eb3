"""nn.SpatialReflectionPadding: port of torch/nn SpatialReflectionPadding.lua and THNN
SpatialReflectionPadding.c (mirror padding without repeating the edge)."""
import numpy as np

from ..tensor import TorchError
from ._padding import check_grad_thnn, check_thnn, gather, init_pads, pads_tostring, scatter
from .module import Module


def reflect(n, before, after):
    i = np.arange(-before, n + after)
    i = np.abs(i)
    return np.where(i >= n, 2 * (n - 1) - i, i)


class SpatialReflectionPadding(Module):

    def __init__(self, pad_l, pad_r=None, pad_t=None, pad_b=None):
        super().__init__()
        init_pads(self, pad_l, pad_r, pad_t, pad_b)

    def _maps(self, input):
        check_thnn(input, 3, [(self.pad_t, self.pad_b), (self.pad_l, self.pad_r)])
        H, W = input._size[-2:]
        if self.pad_l >= W or self.pad_r >= W or self.pad_t >= H or self.pad_b >= H:
            raise TorchError('Padding size should be less than the corresponding input '
                             'dimension, but got: padding (%d, %d, %d, %d) at dimension %dx%d'
                             % (self.pad_l, self.pad_r, self.pad_t, self.pad_b, H, W))
        return reflect(H, self.pad_t, self.pad_b), reflect(W, self.pad_l, self.pad_r)

    def updateOutput(self, input):
        rows, cols = self._maps(input)
        gather(input, self.output, rows, cols,
               (self.pad_l, self.pad_r, self.pad_t, self.pad_b), 'reflect')
        return self.output

    def updateGradInput(self, input, gradOutput):
        rows, cols = self._maps(input)
        check_grad_thnn(input, gradOutput, (rows.size, cols.size))
        scatter(input, gradOutput, self.gradInput, rows, cols)
        return self.gradInput

    def __tostring__(self):
        return pads_tostring(self)
