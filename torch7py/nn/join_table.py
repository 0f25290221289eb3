"""nn.JoinTable: port of torch/nn JoinTable.lua (concatenates a table of tensors along a dim)."""
import numpy as np

from ..storage import LongStorage
from ..tensor import TorchError
from ._kernels import arr, out_like
from .module import Module


class JoinTable(Module):

    def __init__(self, dimension, nInputDims=None):
        super().__init__()
        self.size = LongStorage()
        self.dimension = dimension
        self.gradInput = []
        self.nInputDims = nInputDims

    def _getPositiveDimension(self, input):
        dimension = self.dimension
        nid = self.__dict__.get('nInputDims')
        if dimension < 0:
            dimension = input[0].dim() + dimension + 1
        elif nid and input[0].dim() == nid + 1:
            dimension += 1
        return dimension

    def updateOutput(self, input):
        d = self._getPositiveDimension(input)
        size = list(input[0]._size)
        input[0]._dim(d)
        for t in input[1:]:
            if t.dim() != len(size) or any(a != b for i, (a, b) in
                                           enumerate(zip(t._size, size)) if i != d - 1):
                raise TorchError('inconsistent tensor sizes: cannot join %s with %s along '
                                 'dimension %d' % ('x'.join(map(str, t._size)),
                                                   'x'.join(map(str, input[0]._size)), d))
            size[d - 1] += t._size[d - 1]
        self.size.resize(len(size))
        self.size._data[:] = size
        y = out_like(self.output, size)
        np.concatenate([arr(t) for t in input], axis=d - 1, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._getPositiveDimension(input)
        gi = self.gradInput
        for i, t in enumerate(input):
            if i >= len(gi) or gi[i] is None:
                if i >= len(gi):
                    gi.append(None)
                gi[i] = t.new()
            gi[i].resizeAs(t)
        del gi[len(input):]
        go = arr(gradOutput)
        offset = 0
        for i, t in enumerate(input):
            n = t._size[d - 1]
            sl = [slice(None)] * go.ndim
            sl[d - 1] = slice(offset, offset + n)
            arr(gi[i])[...] = go[tuple(sl)]
            offset += n
        return self.gradInput
