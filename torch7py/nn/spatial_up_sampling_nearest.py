"""nn.SpatialUpSamplingNearest: port of torch/nn SpatialUpSamplingNearest.lua and THNN
SpatialUpSamplingNearest.c (each pixel repeated scale x scale times)."""
from ..storage import LongStorage
from ..tensor import TorchError
from ._kernels import arr, out_like, sizes_str
from .module import Module
from .up_sampling import nearest_backward


class SpatialUpSamplingNearest(Module):

    def __init__(self, scale):
        super().__init__()
        self.scale_factor = scale
        if self.scale_factor < 1:
            raise TorchError('scale_factor must be greater than 1')
        if int(self.scale_factor) != self.scale_factor:
            raise TorchError('scale_factor must be integer')
        self.inputSize = LongStorage(4)
        self.outputSize = LongStorage(4)

    def _check(self, input):
        if input.dim() not in (3, 4):
            raise TorchError('SpatialUpSamplingNearest only support 3D or 4D tensors')

    def updateOutput(self, input):
        self._check(input)
        s = int(self.scale_factor)
        x = arr(input)
        H, W = x.shape[-2:]
        y = out_like(self.output, x.shape[:-2] + (H * s, W * s))
        y.reshape(x.shape[:-2] + (H, s, W, s))[...] = x[..., :, None, :, None]
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._check(input)
        s = int(self.scale_factor)
        x = arr(input)
        H, W = x.shape[-2:]
        want = x.shape[:-2] + (H * s, W * s)
        if tuple(gradOutput._size) != want:
            raise TorchError('gradOutput sizes are not as expected: %s instead of %s'
                             % (sizes_str(gradOutput._size), sizes_str(want)))
        gi = out_like(self.gradInput, x.shape)
        gi[...] = nearest_backward(arr(gradOutput), s, 2)
        return self.gradInput
