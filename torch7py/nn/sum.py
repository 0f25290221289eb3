"""nn.Sum: port of torch/nn Sum.lua (sum over a dimension, squeezed; optional averaging)."""
import numpy as np

from ..tensor import TorchError
from .. import numerics
from ._kernels import arr, out_like, positive_dimension, view_check
from . import utils
from .module import Module


class Sum(Module):

    def __init__(self, dimension=1, nInputDims=None, sizeAverage=False, squeeze=True):
        super().__init__()
        self.dimension = 1 if dimension is None else dimension
        self.nInputDims = nInputDims
        self.sizeAverage = bool(sizeAverage)
        if squeeze is not None and not isinstance(squeeze, bool):
            raise TorchError('squeeze has to be true/false')
        self.squeeze = True if squeeze is None else squeeze

    def _getPositiveDimension(self, input):
        dimension = positive_dimension(self, input.dim())
        if input.dim() < dimension:
            raise TorchError('dimension exceeds input dimensions')
        return dimension

    def updateOutput(self, input):
        d = self._getPositiveDimension(input)
        x = arr(input)
        size = list(input._size)
        size[d - 1] = 1
        squeeze = self.__dict__.get('squeeze') is not False and len(size) > 1
        if squeeze:
            del size[d - 1]
        y = out_like(self.output, size)
        # input:sum(dim) in TH's order: a stride-1 dim loops in accreal, another accumulates
        # slices in real; then div in real
        yk = y.reshape(x.shape[:d - 1] + (1,) + x.shape[d:])
        if x.dtype.kind == 'f':
            acc = np.float64 if input._stride[d - 1] == 1 else x.dtype
            yk[...] = numerics.seqsum_axis(x, d - 1, acc)
        else:
            np.sum(x, axis=d - 1, out=yk, keepdims=True)
        if self.sizeAverage:
            y /= y.dtype.type(x.shape[d - 1])
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._getPositiveDimension(input)
        x_shape = input._size
        keep = x_shape[:d - 1] + (1,) + x_shape[d:]
        view_check(gradOutput, keep)  # Sum.lua: gradOutput:view(size)
        go = arr(gradOutput).reshape(keep)
        gi = out_like(self.gradInput, x_shape)
        np.copyto(gi, go)
        if self.sizeAverage:
            gi /= x_shape[d - 1]
        return self.gradInput

    def clearState(self):
        utils.clear(self, '_gradOutput')
        return super().clearState()
