"""nn.SpatialClassNLLCriterion: port of torch/nn SpatialClassNLLCriterion.lua and THNN
SpatialClassNLLCriterion.c (ClassNLL at every pixel; averaged by the summed target weights)."""
import numpy as np

from ..messages import msg
from ..tensor import TorchError
from ._kernels import arr, check_type, new_tensor, out_like
from .criterion import Criterion
from .utils import TorchAssertionError


class SpatialClassNLLCriterion(Criterion):

    def __init__(self, weights=None, sizeAverage=None):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None:
            if weights.dim() != 1:
                raise TorchAssertionError('weights input should be 1-D Tensor')
            self.weights = weights
        self.output_tensor = new_tensor(1)
        self.total_weight_tensor = new_tensor(1)

    def _parts(self, input, target):
        check_type(self, input, self.gradInput)
        # THNN's INITIAL_CHECK, in its order
        if target.dim() != 3:
            raise TorchError(msg('thnn_argcheck', 3, 'only batches of spatial targets supported '
                                 '(3D tensors) but got targets of dimension: %d' % target.dim()))
        if input.dim() != 4:
            raise TorchError(msg('thnn_argcheck', 2, 'only batches of spatial inputs supported '
                                 '(4D tensors), but got input of dimension: %d' % input.dim()))
        w = self.__dict__.get('weights')
        if w is not None and w.nElement() != input._size[1]:
            raise TorchError('weight tensor should be defined either for all or no classes')
        N, C, H, W = input._size
        if (N, H, W) != tuple(target._size):
            raise TorchError(msg('thassert', 'input0 == target0 && input2 == target1 && '
                                 'input3 == target2') + 'size mismatch (got input: %dx%dx%dx%d, '
                             'target: %dx%dx%d)' % ((N, C, H, W) + tuple(target._size)))
        x4 = arr(input)
        t = np.asarray(arr(target)).astype(np.int64) - 1
        if (t < 0).any() or (t >= C).any():
            raise TorchError(msg('thassert', 'cur_target >= 0 && cur_target < n_classes'))
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
