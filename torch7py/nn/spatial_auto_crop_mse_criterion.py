"""nn.SpatialAutoCropMSECriterion: port of torch/nn SpatialAutoCropMSECriterion.lua (MSE against
the target centre-cropped to the input's spatial size). As in the Lua, only forward crops:
updateGradInput takes its second argument as a target already of the input's size."""
import numpy as np

from .. import numerics
from ..messages import at_lua
from ..tensor import Tensor
from . import _kernels, _lua
from .mse_criterion import MSECriterion
from .utils import TorchAssertionError


def center_crop(t, h, w):
    H, W = t._size[-2:]
    if not (0 < h <= H and 0 < w <= W):
        raise TorchAssertionError('0 < cropSize[1] <= input:size(3) not satisfied')
    r = (H - h) // 2
    c = (W - w) // 2
    # t:narrow(dim - 1, r + 1, h):narrow(dim, c + 1, w), in range by the check above
    st = t._stride
    return t._view(t._offset + r * st[-2] + c * st[-1], t._size[:-2] + (h, w), st)


class SpatialAutoCropMSECriterion(MSECriterion):

    def _cropped(self, input, target):
        if input.dim() != target.dim():
            raise at_lua(TorchAssertionError(
                'input and target should have the same number of dimensions'),
                'nn/SpatialAutoCropMSECriterion.lua:57')
        if input.dim() not in (3, 4):
            raise at_lua(TorchAssertionError(
                'input and target must have 3 or 4 dimensions'),
                'nn/SpatialAutoCropMSECriterion.lua:58')
        h, w = input._size[-2:]
        if not (h <= target._size[-2] and w <= target._size[-1]):
            raise at_lua(TorchAssertionError(
                'Spatial resolution of input should be less than or equal to '
                'the spatial resolution of the target'), 'nn/SpatialAutoCropMSECriterion.lua:59')
        return center_crop(target, h, w)

    def updateOutput(self, input, target):
        if not (isinstance(input, Tensor) and isinstance(target, Tensor)):
            # its Lua's first line: assert(input:dim() == target:dim(), ...)
            _lua.mcall(input, 'dim', what="local 'input'")
            _lua.mcall(target, 'dim', what="local 'target'")
        isz, tsz = input._size, target._size
        if (len(isz) == len(tsz) and len(isz) in (3, 4) and isz[:-2] == tsz[:-2]
                and isz[-2] <= tsz[-2] and isz[-1] <= tsz[-1] and type(target) is type(input)
                and _kernels.use_c and numerics.exact and _kernels._nnk is not None):
            x = input.numpy()
            if (x.dtype == np.float64 and x.flags.c_contiguous and x.size
                    and target.isContiguous()):
                # THNN's loop over the cropped target, read in place, from a memo of the last
                # state it rebuilt (nn's test checks this criterion by central differences:
                # 2n forwards on n elements, each changing one; see _nnk_crit.c)
                TH, TW = tsz[-2:]
                h, w = isz[-2:]
                self.output = _kernels._nnk.mse_resume(
                    x, target.numpy(), x.size // (h * w), TH, TW, h, w, (TH - h) // 2,
                    (TW - w) // 2, bool(self.sizeAverage))
                return self.output
        return super().updateOutput(input, self._cropped(input, target))

    def updateGradInput(self, input, gradOutput):
        if input.dim() != gradOutput.dim():
            raise at_lua(TorchAssertionError(
                'input and gradOutput should have the same number of '
                'dimensions'), 'nn/SpatialAutoCropMSECriterion.lua:69')
        if input.dim() not in (3, 4):
            raise at_lua(TorchAssertionError(
                'input and gradOutput must have 3 or 4 dimensions'),
                'nn/SpatialAutoCropMSECriterion.lua:70')
        if not input.isSameSizeAs(gradOutput):
            raise at_lua(TorchAssertionError(
                'gradOutput and input must have the same size'),
                'nn/SpatialAutoCropMSECriterion.lua:71')
        return super().updateGradInput(input, gradOutput)
