"""nn.SpatialContrastiveNormalization: port of torch/nn SpatialContrastiveNormalization.lua
(SpatialSubtractiveNormalization then SpatialDivisiveNormalization with the same kernel)."""
from ._local_norm import init_local_norm, init_thresholds
from .module import Module
from .sequential import Sequential
from .spatial_divisive_normalization import SpatialDivisiveNormalization
from .spatial_subtractive_normalization import SpatialSubtractiveNormalization


class SpatialContrastiveNormalization(Module):

    def __init__(self, nInputPlane=1, kernel=None, threshold=None, thresval=None):
        super().__init__()
        init_local_norm(self, nInputPlane, kernel, 'SpatialContrastiveNormalization')
        init_thresholds(self, threshold, thresval)
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
