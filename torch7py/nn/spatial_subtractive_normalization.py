"""nn.SpatialSubtractiveNormalization: port of torch/nn SpatialSubtractiveNormalization.lua (each
pixel minus the kernel-weighted mean of its neighbourhood over all planes, corrected at the
borders)."""
from ..messages import lua_line
from . import _lua
from . import utils
from ._kernels import new_tensor
from ._local_norm import estimator, init_local_norm
from .c_div_table import CDivTable
from .c_sub_table import CSubTable
from .module import Module


class SpatialSubtractiveNormalization(Module):

    # set by the forward: nil before it, as in the Lua
    adjustedsums = None
    localsums = None

    def __init__(self, nInputPlane=1, kernel=None):
        super().__init__()
        init_local_norm(self, nInputPlane, kernel, 'SpatialSubtractiveNormalization')
        # in place, as Torch7 does: a kernel shared with other modules is normalised for them too
        self.kernel.div(self.kernel.sum() * self.nInputPlane)
        self.meanestimator, _ = estimator(self.nInputPlane, self.kernel)
        self.subtractor = CSubTable()
        self.divider = CDivTable()
        self.coef = new_tensor(1, 1, 1)

    def _coefs(self, input):
        dim = input.dim()
        inpsz = self.__dict__.get('_inpsz')
        if inpsz is None or not input.isSize(inpsz):
            self._inpsz = input.size()
            if self.__dict__.get('ones') is None:
                self.ones = input.new()
            if self.__dict__.get('_coef') is None:
                self._coef = self.coef.new()
            if dim == 4:
                self.ones.resizeAs(input.select(1, 1)).fill(1)
                coef = self.meanestimator.updateOutput(self.ones)
                self._coef.resizeAs(coef).copy(coef)
                size = (input.size(1),) + tuple(coef._size)
                self.coef = self._coef.view(1, *coef._size).expand(*size)
            else:
                self.ones.resizeAs(input).fill(1)
                coef = self.meanestimator.updateOutput(self.ones)
                self._coef.resizeAs(coef).copy(coef)
                self.coef = self._coef

    def updateOutput(self, input):
        self._coefs(input)
        self.localsums = self.meanestimator.updateOutput(input)
        self.adjustedsums = self.divider.updateOutput([self.localsums, self.coef])
        self.output = self.subtractor.updateOutput([input, self.adjustedsums])
        return self.output

    def updateGradInput(self, input, gradOutput):
        with lua_line('nn/SpatialSubtractiveNormalization.lua:98'):
            _lua.mcall(self.gradInput, 'resizeAs', input).zero()
        gradsub = self.subtractor.updateGradInput([input, self.adjustedsums], gradOutput)
        graddiv = self.divider.updateGradInput([self.localsums, self.coef], gradsub[1])
        g = self.meanestimator.updateGradInput(input, graddiv[0])
        self.gradInput.add(g)
        self.gradInput.add(gradsub[0])
        return self.gradInput

    def clearState(self):
        self._inpsz = None  # (a key set to nil: it keeps its node)
        utils.clear(self, 'ones', '_coef')
        self.meanestimator.clearState()
        return super().clearState()
