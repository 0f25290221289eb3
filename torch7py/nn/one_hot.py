"""nn.OneHot: port of torch/nn OneHot.lua (indices to one-hot rows of outputSize)."""
import numpy as np

from .. import tensor as _tensor
from ._kernels import arr, out_like
from ..tensor import TorchError
from .module import Module


class OneHot(Module):

    def __init__(self, outputSize):
        super().__init__()
        self.outputSize = outputSize

    def updateOutput(self, input):
        d = self.__dict__
        if isinstance(input, _tensor.Tensor):
            idx = np.asarray(arr(input)).astype(np.int64)
            shape = tuple(input._size)
            if type(input) is not _tensor.LongTensor:
                # OneHot.lua casts the indices into its _input buffer
                v = input.view(*(shape + (1,)))
                if d.get('_input') is None:
                    self._input = _tensor.LongTensor()
                self._input.resize(*v._size).copy(v)
        else:
            if d.get('_single') is None:
                self._single = _tensor.LongTensor().resize(1)
            self._single[1] = input
            idx = np.array([int(input)])
            shape = ()
        if idx.size and (idx.min() < 1 or idx.max() > self.outputSize):
            raise TorchError('index out of range')
        y = out_like(self.output, shape + (self.outputSize,))
        y[...] = 0
        np.put_along_axis(y, idx.reshape(shape + (1,)) - 1, 1, axis=-1)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not isinstance(input, _tensor.Tensor):
            return 0
        self.gradInput.resize(*input._size).zero()
        return self.gradInput

    def clearState(self):
        # OneHot.lua drops its index buffers only: output stays, nothing returned
        self._single = None  # (Lua's `self._single = nil` makes the key: it takes a node)
        self._input = None

    def type(self, type=None, tensorCache=None):
        self.clearState()
        return super().type(type, tensorCache)
