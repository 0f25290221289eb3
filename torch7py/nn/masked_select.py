"""nn.MaskedSelect: port of torch/nn MaskedSelect.lua ({input, mask} -> the masked entries, 1-D)."""
import numpy as np

from .. import tensor as _tensor
from ._kernels import arr, new_tensor, out_like
from ..tensor import TorchError
from .module import Module


class MaskedSelect(Module):

    def __init__(self):
        super().__init__()
        self._maskIndices = _tensor.LongTensor()
        self._maskIndexBuffer = _tensor.LongTensor()
        self._maskIndexBufferCPU = _tensor.FloatTensor()
        self._gradBuffer = new_tensor()
        self._gradMask = _tensor.ByteTensor()

    def _mask(self, input, mask):
        if input.nElement() != mask.nElement():
            raise TorchError('inconsistent tensor size')
        return np.asarray(arr(mask)).reshape(arr(input).shape) != 0

    def updateOutput(self, input):
        x, mask = input
        m = self._mask(x, mask)
        sel = arr(x)[m]
        out_like(self.output, (sel.size,))[...] = sel
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, mask = input
        m = self._mask(x, mask)
        g = out_like(self._gradBuffer, x._size)
        g[...] = 0
        g[m] = arr(gradOutput).reshape(-1)
        self._gradMask.resize(*mask._size).fill(0)
        self.gradInput = [self._gradBuffer, self._gradMask]
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is None:
            return self._type
        super().type(type, tensorCache)
        # the index buffers stay integer tensors, as Torch7's MaskedSelect:type keeps them
        self._maskIndexBuffer = self._maskIndexBuffer.long()
        self._maskIndices = self._maskIndices.long()
        self._gradMask = self._gradMask.byte()
        return self
