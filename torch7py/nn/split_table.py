"""nn.SplitTable: port of torch/nn SplitTable.lua (a table of input:select views along a dim)."""
import numpy as np

from ..tensor import Tensor
from . import _lua
from ._kernels import arr, out_like
from .module import Module


class SplitTable(Module):

    def __init__(self, dimension, nInputDims=None):
        super().__init__()
        self.dimension = dimension
        self.nInputDims = nInputDims

    def _getPositiveDimension(self, input):
        return _lua.positive_dimension(self, input, 'nn/SplitTable.lua:12')

    def updateOutput(self, input):
        d = self._getPositiveDimension(input)
        slices = _lua.mcall(input, 'size', d, what="local 'input'")
        self.output = [input.select(d, i) for i in range(1, slices + 1)]
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._getPositiveDimension(input)
        slices = _lua.mcall(input, 'size', d, what="local 'input'")
        if self.gradInput is not None:
            _lua.resize_as_first(self.gradInput, input)
            gi = out_like(self.gradInput, input._size)
            gi = np.moveaxis(gi, d - 1, 0)
            for i in range(slices):
                # SplitTable.lua: gradInput:select(dimension, i):copy(gradOutput[i])
                g = _lua.index(gradOutput, i + 1, "local 'gradOutput'")
                if isinstance(g, Tensor) and g.nElement() == gi[i].size:
                    gi[i] = arr(g).reshape(gi[i].shape)
                else:
                    _lua.mcall(self.gradInput.select(d, i + 1), 'copy', g)
        return self.gradInput
