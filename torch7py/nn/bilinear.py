"""nn.Bilinear: port of torch/nn Bilinear.lua (y_k = x1' W_k x2 + b_k on batches of row pairs)."""
import numpy as np

from ._conv import uniform_reset
from ._kernels import arr, new_tensor, out_like
from ..tensor import TorchError
from .module import Module
from .utils import TorchAssertionError


class Bilinear(Module):

    def __init__(self, inputSize1, inputSize2, outputSize, bias=True):
        super().__init__()
        self.weight = new_tensor(outputSize, inputSize1, inputSize2)
        self.gradWeight = new_tensor(outputSize, inputSize1, inputSize2).zero()
        if bias is not False:
            self.bias = new_tensor(outputSize)
            self.gradBias = new_tensor(outputSize).zero()
        self.gradInput = [new_tensor(), new_tensor()]
        self.reset()

    def reset(self, stdv=None):
        return uniform_reset(self, self.weight.size(2), stdv)

    def _assertInput(self, input):
        if not isinstance(input, (list, tuple)) or len(input) != 2:
            raise TorchError('input should be a table containing two data Tensors')
        a, b = input
        if a.dim() != 2 or b.dim() != 2:
            raise TorchError('input Tensors should be two-dimensional')
        if a.size(1) != b.size(1):
            raise TorchError('input Tensors should have the same number of rows (instances)')
        if a.size(2) != self.weight.size(2):
            raise TorchError('dimensionality of first input is erroneous')
        if b.size(2) != self.weight.size(3):
            raise TorchError('dimensionality of second input is erroneous')

    def updateOutput(self, input):
        self._assertInput(input)
        x1, x2 = arr(input[0]), arr(input[1])
        w = arr(self.weight)
        y = out_like(self.output, (x1.shape[0], w.shape[0]))
        y[...] = np.einsum('bi,kij,bj->bk', x1, w, x2)
        if self.__dict__.get('bias') is not None:
            y += arr(self.bias)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        self._assertInput(input)
        self._assertGradOutput(input, gradOutput)
        x1, x2 = arr(input[0]), arr(input[1])
        go = arr(gradOutput)
        w = arr(self.weight)
        while len(self.gradInput) < 2:
            self.gradInput.append(new_tensor())
        g1 = out_like(self.gradInput[0], x1.shape)
        g2 = out_like(self.gradInput[1], x2.shape)
        g1[...] = np.einsum('bk,kij,bj->bi', go, w, x2)
        g2[...] = np.einsum('bk,kij,bi->bj', go, w, x1)
        return self.gradInput

    def _assertGradOutput(self, input, gradOutput):
        if input[0].size(1) != gradOutput.size(1):
            raise TorchError('number of rows in gradOutput does not match input')
        if gradOutput.size(2) != self.weight.size(1):
            raise TorchError('number of columns in gradOutput does not output size of layer')

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        self._assertGradOutput(input, gradOutput)
        if not scale >= 0:
            raise TorchAssertionError('scale must be a non-negative number')
        x1, x2 = arr(input[0]), arr(input[1])
        go = arr(gradOutput)
        gw = arr(self.gradWeight)
        # Torch7 leaves the weight gradient unscaled (only the bias gradient takes scale)
        gw += np.einsum('bk,bi,bj->kij', go, x1, x2)
        if self.__dict__.get('bias') is not None:
            gb = arr(self.gradBias)
            gb += scale * go.sum(axis=0)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        # Torch7: Bilinear.sharedAccUpdateGradParameters = Bilinear.accUpdateGradParameters
        return self.accUpdateGradParameters(input, gradOutput, lr)

    def __tostring__(self):
        return '%s(%dx%d -> %d) %s' % (self.typename, self.weight.size(2), self.weight.size(3),
                                       self.weight.size(1),
                                       ' without bias' if self.__dict__.get('bias') is None
                                       else '')
