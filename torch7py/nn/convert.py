"""nn.Convert: port of torch/nn Convert.lua (converts between data layouts named by axis letters,
e.g. 'bchw' -> 'bhwc' (a transposition) or 'bchw' -> 'bf' (flattened samples); also converts the
input's tensor type to the module's)."""
import numpy as np

from .. import tensor as _tensor
from ..tensor import TorchError
from ._kernels import arr, out_like
from .module import Module


class Convert(Module):

    def __init__(self, inputShape=None, outputShape=None):
        if outputShape and not inputShape:
            raise TorchError('Expecting non-nil arg 1 when arg 2 is provided')
        inputShape = inputShape or 'b*'
        outputShape = outputShape or inputShape
        self.inputShape = inputShape if 'b' in inputShape else 'b' + inputShape
        self.outputShape = outputShape if 'b' in outputShape else 'b' + outputShape
        self.inputBatchDim = self.inputShape.index('b') + 1
        self.outputBatchDim = self.outputShape.index('b') + 1
        if self.inputShape == 'b*' or self.outputShape == 'b*':
            if not (self.inputShape == 'b*' and self.outputShape == 'b*'):
                raise AssertionError('Both or neither shapes must be b*')
            self.nInputDim = -1
            self.nOutputDim = -1
            self.transposition = True
        else:
            self.nInputDim = len(self.inputShape)
            self.nOutputDim = len(self.outputShape)
            self.transposition = (self.nInputDim == self.nOutputDim and
                                  sorted(self.inputShape) == sorted(self.outputShape))
            if not self.transposition and self.outputShape != 'bf':
                raise TorchError('Unrecognized conversion of shape %s to %s'
                                 % (self.inputShape, self.outputShape))
        super().__init__()

    def _batched(self, x):
        """The input as a batch (a size-1 batch dim inserted for a single sample)."""
        if self.nInputDim != -1 and x.ndim < self.nInputDim:
            return np.expand_dims(x, self.inputBatchDim - 1), False
        return x, True

    def _convert(self, x):
        if self.nInputDim == -1 or self.inputShape == self.outputShape:
            return x
        if self.transposition:
            return np.transpose(x, [self.inputShape.index(c) for c in self.outputShape])
        b = x.shape[self.inputBatchDim - 1]
        return np.moveaxis(x, self.inputBatchDim - 1, 0).reshape(b, -1)

    def updateOutput(self, input):
        if not isinstance(input, _tensor.Tensor):
            raise AssertionError('expecting Tensor')
        x, batched = self._batched(arr(input).astype(self.output.dtype, copy=False))
        y = self._convert(x)
        if not batched:
            y = np.take(y, 0, axis=self.outputBatchDim - 1)
        out_like(self.output, y.shape)[...] = y
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, batched = self._batched(arr(input))
        go = arr(gradOutput)
        if not batched:
            go = np.expand_dims(go, self.outputBatchDim - 1)
        if self.nInputDim == -1 or self.inputShape == self.outputShape:
            g = go
        elif self.transposition:
            g = np.transpose(go, [self.outputShape.index(c) for c in self.inputShape])
        else:
            moved = np.moveaxis(x, self.inputBatchDim - 1, 0).shape
            g = np.moveaxis(go.reshape(moved), 0, self.inputBatchDim - 1)
        if not batched:
            g = np.take(g, 0, axis=self.inputBatchDim - 1)
        if not isinstance(self.gradInput, type(input)):
            self.gradInput = input.new()
        out_like(self.gradInput, g.shape)[...] = g
        return self.gradInput

    def __tostring__(self):
        return '%s(%s -> %s)' % (self.typename, self.inputShape, self.outputShape)
