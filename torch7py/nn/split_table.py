"""nn.SplitTable: port of torch/nn SplitTable.lua (a table of input:select views along a dim)."""
import numpy as np

from ._kernels import arr, out_like, positive_dimension
from .module import Module


class SplitTable(Module):

    def __init__(self, dimension, nInputDims=None):
        super().__init__()
        self.dimension = dimension
        self.nInputDims = nInputDims

    def _getPositiveDimension(self, input):
        return positive_dimension(self, input.dim())

    def updateOutput(self, input):
        d = self._getPositiveDimension(input)
        self.output = [input.select(d, i) for i in range(1, input.size(d) + 1)]
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._getPositiveDimension(input)
        if self.gradInput is not None:
            gi = out_like(self.gradInput, input._size)
            gi = np.moveaxis(gi, d - 1, 0)
            for i in range(input.size(d)):
                g = gradOutput[i]
                gi[i] = arr(g).reshape(gi[i].shape) if hasattr(g, 'numpy') else g
        return self.gradInput
