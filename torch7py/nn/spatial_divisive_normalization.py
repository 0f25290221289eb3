"""nn.SpatialDivisiveNormalization: port of torch/nn SpatialDivisiveNormalization.lua (each pixel
over its thresholded kernel-weighted local standard deviation; built from nn modules)."""
import math

from ..tensor import TorchError
from ._kernels import new_tensor
from .module import Module
from .spatial_subtractive_normalization import (check_kernel, local_estimator, set_kernel,
                                               side_coef)


class SpatialDivisiveNormalization(Module):

    def __init__(self, nInputPlane=None, kernel=None, threshold=None, thresval=None):
        super().__init__()
        from . import CDivTable, Threshold
        self.nInputPlane = nInputPlane or 1
        self.kernel = kernel if kernel is not None else new_tensor(9, 9).fill(1)
        self.threshold = threshold or 1e-4
        self.thresval = thresval or 1e-4
        kdim = check_kernel('SpatialDivisiveNormalization', self.kernel)
        # Torch7 normalises the caller's kernel in place, after building the estimators
        self.meanestimator = local_estimator(self.nInputPlane, self.kernel, kdim)
        self.stdestimator = local_estimator(self.nInputPlane, self.kernel, kdim, square=True,
                                            sqrt=True)
        if kdim == 2:
            self.kernel.div(self.kernel.sum() * self.nInputPlane)
        else:
            self.kernel.div(self.kernel.sum() * math.sqrt(self.nInputPlane))
        for est in (self.meanestimator, self.stdestimator):
            set_kernel(est, self.kernel, kdim)
        self.normalizer = CDivTable()
        self.divider = CDivTable()
        self.thresholder = Threshold(self.threshold, self.thresval)
        self.coef = new_tensor(1, 1, 1)

    def updateOutput(self, input):
        if input.dim() not in (3, 4):
            raise TorchError('3D or 4D (batch mode) tensor expected for input, but got: %dD'
                             % input.dim())
        self.localstds = self.stdestimator.updateOutput(input)
        side_coef(self, input, self.meanestimator, self.localstds)
        self.adjustedstds = self.divider.updateOutput([self.localstds, self.coef])
        self.thresholdedstds = self.thresholder.updateOutput(self.adjustedstds)
        self.output = self.normalizer.updateOutput([input, self.thresholdedstds])
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        gradnorm = self.normalizer.updateGradInput([input, self.thresholdedstds], gradOutput)
        gradadj = self.thresholder.updateGradInput(self.adjustedstds, gradnorm[1])
        graddiv = self.divider.updateGradInput([self.localstds, self.coef], gradadj)
        self.gradInput.add(self.stdestimator.updateGradInput(input, graddiv[0]))
        self.gradInput.add(gradnorm[0])
        return self.gradInput

