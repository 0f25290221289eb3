"""nn.JoinTable: port of torch/nn JoinTable.lua (concatenates a table of tensors along a dim)."""
import math

import numpy as np

from .. import messages
from ..storage import LongStorage
from ..tensor import TorchError
from . import _lua, utils
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
        # JoinTable.lua's: `dimension < 0` first, then input[1]:dim() where it reads it
        dimension = self.dimension
        nid = self.__dict__.get('nInputDims')
        if messages.lua_type(dimension) != 'number':
            raise TorchError(messages.msg('compare', messages.lua_type(dimension), 'number'))
        if dimension < 0:
            dimension = _lua.mcall(_lua.index(input, 1, "local 'input'"), 'dim') + dimension + 1
        elif nid and _lua.mcall(_lua.index(input, 1, "local 'input'"), 'dim') == nid + 1:
            dimension += 1
        return dimension

    def updateOutput(self, input):
        d = self._getPositiveDimension(input)
        n = _lua.for_limit(_lua.length(input, "local 'input'"))  # for i = 1, #input
        if not isinstance(input, (list, tuple)):
            # input[1]:dim() on what a string or a table without entries gives
            _lua.mcall(_lua.index(input, 1) if n >= 1 else None, 'dim',
                       what="local 'currentOutput'")
            raise TorchError(messages.msg('for_limit'))
        if n == 0:  # no entry: self.output:resize(self.size) of the last size
            self.output.resize(self.size)
            return self.output
        size = list(input[0]._size)
        if len(input) > 1 and not 1 <= d <= len(size):  # self.size[dimension] of a LongStorage
            raise TorchError("bad argument #2 to '?' (out of bounds)")
        input[0]._dim(d)
        total = list(size)
        for t in input[1:]:
            total[d - 1] += t._size[d - 1] if d <= t.dim() else 1
        y = out_like(self.output, total)  # Torch7 resizes the output before copying into it
        for t in input[1:]:
            if t.dim() != len(size) or any(a != b for i, (a, b) in
                                           enumerate(zip(t._size, size)) if i != d - 1):
                # output:narrow(d, offset, t:size(d)):copy(t): TH_TENSOR_APPLY2's check
                part = list(size)
                part[d - 1] = t._size[d - 1] if d <= t.dim() else 1
                n = int(math.prod(part))
                ss = messages.size_str
                raise TorchError(messages.msg('inconsistent_2', 'tensor', ss(part), 'src',
                                              ss(t._size), n, t.nElement()))
            size[d - 1] += t._size[d - 1]
        self.size.resize(len(size))
        self.size._data[:] = size
        np.concatenate([arr(t) for t in input], axis=d - 1, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._getPositiveDimension(input)
        gi = self.gradInput
        for i, t in enumerate(input):
            if i >= len(gi) or gi[i] is None:
                utils.put(gi, i, t.new())
            gi[i].resizeAs(t)
        del gi[len(input):]
        # gradOutput:narrow(dimension, offset, size) copied into each gradInput, as Lua does:
        # a gradOutput too small or of another shape fails in narrow's or copy's checks
        offset = 1
        for i, t in enumerate(input):
            n = t._size[d - 1]
            gi[i].copy(gradOutput.narrow(d, offset, n))
            offset += n
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        self.gradInput = []  # JoinTable.lua: a new table at every type() call
        return super().type(type, tensorCache)
