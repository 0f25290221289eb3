"""nn.Replicate: port of torch/nn Replicate.lua (nfeatures copies along dim, as a stride-0 view)."""
import numpy as np

from . import _lua
from ._kernels import arr, out_like
from ..tensor import TorchError
from . import utils
from ..storage import _check_number
from .module import Module


class Replicate(Module):

    def __init__(self, nf, dim=1, ndim=None):
        super().__init__()
        self.nfeatures = nf
        self.dim = dim or 1
        self.ndim = ndim
        if self.dim <= 0:
            raise TorchError('Can only replicate across positive integer dimensions.')

    def _rdim(self, input):
        if self.dim > input.dim() + 1:
            raise TorchError('Not enough input dimensions to replicate along dimension %d.'
                             % self.dim)
        nd = self.__dict__.get('ndim')
        return self.dim + (1 if nd and input.dim() > nd else 0)

    def updateOutput(self, input):
        rdim = self._rdim(input)
        if type(self.nfeatures) is not int:
            # Replicate.lua's sz[rdim] = self.nfeatures: a LongStorage's __newindex check
            _check_number(self.nfeatures, 3)
        size, stride = list(input._size), list(input._stride)
        size.insert(rdim - 1, self.nfeatures)
        stride.insert(rdim - 1, 0)
        utils.tensor_set(self.output, input._storage, input._offset, size, stride)
        return self.output

    def updateGradInput(self, input, gradOutput):
        _lua.resize_as_first(self.gradInput, input)   # Replicate.lua's first line
        rdim = self._rdim(input)
        gi = out_like(self.gradInput, input._size)
        np.sum(arr(gradOutput), axis=rdim - 1, out=gi)
        return self.gradInput
