"""nn.SpatialContrastiveNormalization: port of torch/nn SpatialContrastiveNormalization.lua
(SpatialSubtractiveNormalization then SpatialDivisiveNormalization, in a Sequential)."""
from ..tensor import TorchError
from ._kernels import new_tensor
from .module import Module
from .spatial_subtractive_normalization import check_kernel


class SpatialContrastiveNormalization(Module):

    def __init__(self, nInputPlane=None, kernel=None, threshold=None, thresval=None):
        super().__init__()
        from . import Sequential, SpatialDivisiveNormalization, SpatialSubtractiveNormalization
        self.nInputPlane = nInputPlane or 1
        self.kernel = kernel if kernel is not None else new_tensor(9, 9).fill(1)
        self.threshold = threshold or 1e-4
        self.thresval = thresval or 1e-4
        check_kernel('SpatialContrastiveNormalization', self.kernel)
        self.normalizer = Sequential()
        # both stages get the same kernel tensor (each normalises it in place), and Torch7
        # passes self.threshval (nil) as thresval: the divisive stage keeps its default
        self.normalizer.add(SpatialSubtractiveNormalization(self.nInputPlane, self.kernel))
        self.normalizer.add(SpatialDivisiveNormalization(self.nInputPlane, self.kernel,
                                                         self.threshold, None))

    def updateOutput(self, input):
        if input.dim() not in (3, 4):
            raise TorchError('3D or 4D (batch mode) tensor expected for input, but got: %dD'
                             % input.dim())
        self.output = self.normalizer.forward(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.normalizer.backward(input, gradOutput)
        return self.gradInput
