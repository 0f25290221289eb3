"""nn.Replicate: port of torch/nn Replicate.lua (nfeatures copies along dim, as a stride-0 view)."""
import numpy as np

from . import _lua
from ._kernels import arr, out_like
from ..tensor import TorchError
from . import utils
from .. import messages, numerics
from ..storage import LongStorage, _check_number
from .module import Module


class Replicate(Module):

    def __init__(self, nf, dim=1, ndim=None):
        super().__init__()
        self.nfeatures = nf
        self.dim = 1 if dim is None or dim is False else dim  # Lua's `dim or 1`: 0 stays 0
        self.ndim = ndim
        if self.dim <= 0:
            raise messages.at_lua(TorchError(
                'Can only replicate across positive integer dimensions.'), 'nn/Replicate.lua:8')

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
            try:
                _check_number(self.nfeatures, 3)
            except Exception as e:  # (under luaT's C metamethod: no position)
                raise messages.from_c(e)
        size, stride = list(input._size), list(input._stride)
        size.insert(rdim - 1, self.nfeatures)
        stride.insert(rdim - 1, 0)
        if type(input) is not type(self.output) or input._storage is None:
            # Replicate.lua's self.output:set(input:storage(), input:storageOffset(), sz, st):
            # Tensor.c's set reads another type's storage as sizes (a LongStorage) or refuses it
            # (an empty tensor's storage is nil: set's argument check)
            with messages.lua_line('nn/Replicate.lua:37'):
                _lua.mcall(self.output, 'set', input.storage(), input.storageOffset(),
                           LongStorage(size), LongStorage(stride))
        utils.tensor_set(self.output, input._storage, input._offset, size, stride)
        return self.output

    def updateGradInput(self, input, gradOutput):
        _lua.resize_as_first(self.gradInput, input)   # Replicate.lua's first line
        rdim = self._rdim(input)
        size = list(input._size)
        size.insert(rdim - 1, 1)
        if type(gradOutput) is not type(input) or gradOutput.dim() != len(size) or any(
                a != b for i, (a, b) in enumerate(zip(gradOutput._size, size)) if i != rdim - 1):
            # Replicate.lua's gradInput:view(sz):sum(gradOutput, rdim): TH's sum resizes its
            # result (a view of gradInput) to what gradOutput gives, or fails on its type
            self.gradInput.resizeAs(input).zero()
            _lua.mcall(self.gradInput.view(*size), 'sum', gradOutput, rdim)
            return self.gradInput
        gi = out_like(self.gradInput, input._size)
        # Replicate.lua's gradInput:view(sz):sum(gradOutput, rdim): THTensor_(sum) adds the
        # values one after the other, in accreal (double) along a dimension of stride 1,
        # else in the tensor's type, slice after slice
        g = arr(gradOutput)
        d = rdim - 1
        gi[...] = numerics.seqsum_axis(g, d, np.float64 if gradOutput._stride[d] == 1
                                       else g.dtype).reshape(gi.shape)
        return self.gradInput
