"""nn.SoftMax: port of torch/nn SoftMax.lua and THNN SoftMax.c (1D, 2D batch, 3D/4D spatial)."""
import numpy as np

from ._kernels import arr, check_same_size, check_type, out_like
from ..tensor import TorchError
from .module import Module


def frames(x):
    """THNN's (nframe, dim, stride) layout: softmax runs along axis 1 of the result."""
    if x.ndim == 1:
        return x.reshape(1, -1, 1)
    if x.ndim == 2:
        return x.reshape(x.shape[0], x.shape[1], 1)
    if x.ndim == 3:
        return x.reshape(1, x.shape[0], -1)
    if x.ndim == 4:
        return x.reshape(x.shape[0], x.shape[1], -1)
    raise TorchError('1D, 2D, 3D or 4D tensor expected')


class SoftMax(Module):

    def updateOutput(self, input):
        check_type(self, input)
        x = frames(arr(input))
        y = frames(out_like(self.output, input._size))
        np.subtract(x, x.max(axis=1, keepdims=True), out=y)
        np.exp(y, out=y)
        y /= y.sum(axis=1, keepdims=True)
        return self.output

    def updateGradInput(self, input, gradOutput):
        check_same_size(self.output, gradOutput)
        y = frames(arr(self.output))
        go = frames(arr(gradOutput))
        gi = frames(out_like(self.gradInput, self.output._size))
        dot = (go * y).sum(axis=1, keepdims=True)
        np.subtract(go, dot, out=gi)
        gi *= y
        return self.gradInput
