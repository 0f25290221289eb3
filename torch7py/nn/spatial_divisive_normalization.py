"""nn.SpatialDivisiveNormalization: port of torch/nn SpatialDivisiveNormalization.lua (each pixel
divided by the kernel-weighted standard deviation of its neighbourhood over all planes, floored by
a threshold)."""
import math

from ..messages import lua_line
from . import _lua
from . import utils
from ._kernels import new_tensor
from ._local_norm import estimator, init_local_norm, init_thresholds
from .c_div_table import CDivTable
from .module import Module
from .sqrt import Sqrt
from .square import Square
from .threshold import Threshold


class SpatialDivisiveNormalization(Module):

    # set by the forward: nil before it, as in the Lua
    thresholdedstds = None
    adjustedstds = None
    localstds = None

    def __init__(self, nInputPlane=1, kernel=None, threshold=None, thresval=None):
        super().__init__()
        init_local_norm(self, nInputPlane, kernel, 'SpatialDivisiveNormalization')
        init_thresholds(self, threshold, thresval)
        if self.kernel.dim() == 2:
            self.kernel.div(self.kernel.sum() * self.nInputPlane)
        else:
            # Torch7 scales a 1D kernel by sqrt(nInputPlane): it is applied twice (rows, columns)
            self.kernel.div(self.kernel.sum() * math.sqrt(self.nInputPlane))
        self.meanestimator, _ = estimator(self.nInputPlane, self.kernel)
        self.stdestimator, _ = estimator(self.nInputPlane, self.kernel, pre=Square())
        self.stdestimator.add(Sqrt())
        self.normalizer = CDivTable()
        self.divider = CDivTable()
        self.thresholder = Threshold(self.threshold, self.thresval)
        self.coef = new_tensor(1, 1, 1)

    def updateOutput(self, input):
        self.localstds = self.stdestimator.updateOutput(input)
        dim = input.dim()
        c = self.coef
        if self.localstds.dim() != c.dim() or input.size(dim) != c.size(dim) or \
                input.size(dim - 1) != c.size(dim - 1):
            if self.__dict__.get('ones') is None:
                self.ones = input.new()
            if dim == 4:
                self.ones.resizeAs(input.select(1, 1)).fill(1)
                coef = self.meanestimator.updateOutput(self.ones)
                if self.__dict__.get('_coef') is None:
                    self._coef = input.new()
                self._coef.resizeAs(coef).copy(coef)
                self.coef = self._coef.view(1, *coef._size).expandAs(self.localstds)
            else:
                self.ones.resizeAs(input).fill(1)
                self.coef = self.meanestimator.updateOutput(self.ones)
        self.adjustedstds = self.divider.updateOutput([self.localstds, self.coef])
        self.thresholdedstds = self.thresholder.updateOutput(self.adjustedstds)
        self.output = self.normalizer.updateOutput([input, self.thresholdedstds])
        return self.output

    def updateGradInput(self, input, gradOutput):
        with lua_line('nn/SpatialDivisiveNormalization.lua:117'):
            _lua.mcall(self.gradInput, 'resizeAs', input).zero()
        gradnorm = self.normalizer.updateGradInput([input, self.thresholdedstds], gradOutput)
        gradadj = self.thresholder.updateGradInput(self.adjustedstds, gradnorm[1])
        graddiv = self.divider.updateGradInput([self.localstds, self.coef], gradadj)
        self.gradInput.add(self.stdestimator.updateGradInput(input, graddiv[0]))
        self.gradInput.add(gradnorm[0])
        return self.gradInput

    def clearState(self):
        utils.clear(self, 'ones', '_coef')
        self.meanestimator.clearState()
        self.stdestimator.clearState()
        return super().clearState()
