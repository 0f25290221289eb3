"""nn.UpSampling: port of torch/nn UpSampling.lua (nearest or linear upsampling of 4D spatial and
5D volumetric batches by an integer scale)."""
import numpy as np

from ..tensor import TorchError
from ._kernels import arr, out_like, sizes_str
from .module import Module
from .spatial_up_sampling_bilinear import interp_matrix


class UpSampling(Module):

    def __init__(self, scale, mode='nearest'):
        super().__init__()
        if mode not in ('nearest', 'linear'):
            raise TorchError("mode must be 'nearest' or 'linear'")
        if scale < 1 or int(scale) != scale:
            raise TorchError('scale_factor must be a positive integer')
        self.scale_factor = int(scale)
        self.mode = mode

    def _check(self, input):
        if input.dim() not in (4, 5):
            raise TorchError('4D or 5D input expected, got %s' % sizes_str(input._size))

    def updateOutput(self, input):
        self._check(input)
        x = arr(input)
        s = self.scale_factor
        nd = x.ndim - 2
        if self.mode == 'nearest':
            y = x
            for a in range(2, 2 + nd):
                y = np.repeat(y, s, axis=a)
        else:
            y = x
            for a in range(2, 2 + nd):
                m = interp_matrix(x.shape[a], x.shape[a] * s)
                y = np.moveaxis(np.tensordot(m, np.moveaxis(y, a, 0), axes=1), 0, a)
        out_like(self.output, y.shape)[...] = y
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._check(input)
        x = arr(input)
        s = self.scale_factor
        nd = x.ndim - 2
        g = arr(gradOutput)
        for a in range(2, 2 + nd):
            if self.mode == 'nearest':
                sh = g.shape
                g = g.reshape(sh[:a] + (sh[a] // s, s) + sh[a + 1:]).sum(axis=a + 1)
            else:
                m = interp_matrix(x.shape[a], x.shape[a] * s)
                g = np.moveaxis(np.tensordot(m.T, np.moveaxis(g, a, 0), axes=1), 0, a)
        out_like(self.gradInput, x.shape)[...] = g
        return self.gradInput
