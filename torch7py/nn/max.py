"""nn.Max: port of torch/nn Max.lua (max over a dimension, squeezed; first maximum wins)."""
import numpy as np

import torch7py

from .. import tensor as _tensor
from ._kernels import arr
from . import _lua, utils
from .module import Module


class Max(Module):
    _lua_file = 'Max'  # (Min's: 'Min')

    def __init__(self, dimension=1, nInputDims=None):
        super().__init__()
        self.dimension = 1 if dimension is None else dimension
        self.nInputDims = nInputDims

    def _getPositiveDimension(self, input):
        # Max.lua reads input:dim() only for a negative dimension or with nInputDims set
        # (Min.lua's is the same code at the same line of its own file)
        return _lua.positive_dimension(self, input, 'nn/%s.lua:14' % self._lua_file)

    def _lazyInit(self):
        if self.__dict__.get('_output') is None:
            self._output = self.output.new()
        elif self._output.typename != self.output.typename:
            self._output = self.output.new()
        if self.__dict__.get('_indices') is None:
            self._indices = _tensor.LongTensor()

    @staticmethod
    def _op(values, indices, input, dim):
        return torch7py.max(values, indices, input, dim)

    def updateOutput(self, input):
        self._lazyInit()
        d = self._getPositiveDimension(input)
        # Max.lua: torch.max(self._output, self._indices, input, dimension), its errors too
        self._op(self._output, self._indices, input, d)
        if input.dim() > 1:
            self.output.set(self._output.select(d, 1))
        else:
            self.output.set(self._output)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._lazyInit()
        d = self._getPositiveDimension(input)
        if _lua.mcall(input, 'dim', what="local 'input'") == 0:
            # Max.lua's `if input:dim() > 1`: gradOutput goes to scatter as it is
            self.gradInput.resizeAs(input).zero().scatter(d, self._indices, gradOutput)
            return self.gradInput
        keep = input._size[:d - 1] + (1,) + input._size[d:]
        want = keep if input.dim() == 1 else input._size[:d - 1] + input._size[d:]
        if type(gradOutput) is not type(self.gradInput) or gradOutput._size != want \
                or self._indices._size != keep:
            # Max.lua's own steps: TH's scatter checks (and runs on) what it is given
            gov = utils.addSingletonDimension(gradOutput, d) if input.dim() > 1 else gradOutput
            self.gradInput.resizeAs(input).zero().scatter(d, self._indices, gov)
            return self.gradInput
        gi = self.gradInput.resizeAs(input).zero().numpy()
        np.put_along_axis(gi, self._indices.numpy() - 1, arr(gradOutput).reshape(keep),
                          axis=d - 1)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is not None:
            self._indices = None  # (Max.lua: the key stays, set to nil)
        return super().type(type, tensorCache)

    def clearState(self):
        utils.clear(self, '_indices', '_output')
        return super().clearState()
