"""nn.SpatialClassNLLCriterion: port of torch/nn SpatialClassNLLCriterion.lua and THNN
SpatialClassNLLCriterion.c (ClassNLL at every pixel; averaged by the summed target weights)."""
import numpy as np

from ..tensor import TorchError
from ._kernels import arr, check_type, new_tensor, out_like, sizes_str
from .criterion import Criterion
from .utils import TorchAssertionError


class SpatialClassNLLCriterion(Criterion):

    def __init__(self, weights=None, sizeAverage=None):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None:
            if weights.dim() != 1:
                raise TorchAssertionError('weights tensor should be 1D')
            self.weights = weights
        self.output_tensor = new_tensor(1)
        self.total_weight_tensor = new_tensor(1)

    def _parts(self, input, target):
        check_type(self, input, self.gradInput)
        if input.dim() not in (3, 4):
            raise TorchError('only batches of spatial inputs supported (4D tensors), but got '
                             'input of size: %s' % sizes_str(input._size))
        x = arr(input)
        x4 = x if x.ndim == 4 else x[None]
        N, C, H, W = x4.shape
        t = np.asarray(arr(target)).astype(np.int64)
        if t.size != N * H * W:
            raise TorchError('size mismatch (got input: %s, target: %s)'
                             % (sizes_str(input._size), sizes_str(target._size)))
        t = t.reshape(N, H, W) - 1
        if (t < 0).any() or (t >= C).any():
            raise TorchError('target out of range')
        w = self.__dict__.get('weights')
        wt = arr(w)[t] if w is not None else np.ones(t.shape)
        return x4, t, wt

    def updateOutput(self, input, target):
        x4, t, wt = self._parts(input, target)
        picked = np.take_along_axis(x4, t[:, None], axis=1)[:, 0]
        total_weight = float(wt.sum())
        s = -float((picked * wt).sum())
        if self.sizeAverage and total_weight:
            s /= total_weight
        arr(self.output_tensor)[0] = s
        arr(self.total_weight_tensor)[0] = total_weight
        self.output = s
        return self.output

    def updateGradInput(self, input, target):
        x4, t, wt = self._parts(input, target)
        total_weight = float(arr(self.total_weight_tensor)[0])
        gi = out_like(self.gradInput, input._size)
        g4 = gi if gi.ndim == 4 else gi[None]
        g4[...] = 0
        norm = 1.0 / total_weight if self.sizeAverage and total_weight else 1.0
        np.put_along_axis(g4, t[:, None], (-wt * norm)[:, None], axis=1)
        return self.gradInput
