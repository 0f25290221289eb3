"""nn.SpatialContrastiveNormalization: port of torch/nn SpatialContrastiveNormalization.lua
(SpatialSubtractiveNormalization then SpatialDivisiveNormalization with the same kernel)."""
from ._kernels import new_tensor
from ._local_norm import check_kernel
from .module import Module
from .sequential import Sequential
from .spatial_divisive_normalization import SpatialDivisiveNormalization
from .spatial_subtractive_normalization import SpatialSubtractiveNormalization


class SpatialContrastiveNormalization(Module):

    def __init__(self, nInputPlane=1, kernel=None, threshold=None, thresval=None):
        super().__init__()
        self.nInputPlane = nInputPlane or 1
        self.kernel = kernel if kernel is not None else new_tensor(9, 9).fill(1)
        self.threshold = 1e-4 if threshold is None else threshold
        self.thresval = thresval if thresval is not None else (
            threshold if threshold is not None else 1e-4)
        check_kernel(self.kernel, 'SpatialContrastiveNormalization')
        self.normalizer = Sequential()
        self.normalizer.add(SpatialSubtractiveNormalization(self.nInputPlane, self.kernel))
        self.normalizer.add(SpatialDivisiveNormalization(self.nInputPlane, self.kernel,
                                                         self.threshold, self.thresval))

    def updateOutput(self, input):
        self.output = self.normalizer.forward(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.normalizer.backward(input, gradOutput)
        return self.gradInput
