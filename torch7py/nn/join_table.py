"""nn.JoinTable: port of torch/nn JoinTable.lua (concatenates a table of tensors along a dim)."""
import math

import numpy as np

from .. import messages
from .. import tensor as _tensor
from ..messages import lua_line
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
        if not isinstance(input, (list, tuple)) or not all(
                isinstance(t, _tensor.Tensor) for t in input):
            input = self._first_loop(input, n, d)
        if n == 0:  # no entry: self.output:resize(self.size) of the last size
            self.output.resize(self.size)
            return self.output
        size = list(input[0]._size)
        # JoinTable.lua's first loop writes self.size as it goes: input[1]'s size, then the
        # sum along the dimension (a failure leaves what it had written)
        self.size.resize(len(size))
        self.size._data[:] = size
        if len(input) > 1 and not 1 <= d <= len(size):  # self.size[dimension] of a LongStorage
            raise TorchError("bad argument #2 to '?' (out of bounds)")
        total = list(size)
        for t in input[1:]:
            total[d - 1] += t._size[d - 1] if d <= t.dim() else 1
        self.size._data[:] = total
        y = out_like(self.output, total)  # Torch7 resizes the output before copying into it
        input[0]._dim(d)
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
        np.concatenate([arr(t) for t in input], axis=d - 1, out=y)
        return self.output

    def _first_loop(self, input, n, d):
        """JoinTable.lua's first loop (lines 24-31) as it runs on what is not a list of
        tensors (a string, a table with a hole, an entry that is no tensor): input[1]:dim()
        and its size into self.size, then self.size[dimension] + input[i]:size(dimension);
        the entries as a list when every one of them is a tensor."""
        items = []
        for i in _lua.upto(n):
            cur = _lua.index(input, i)
            if i == 1:
                with lua_line('nn/JoinTable.lua:27'):
                    self.size.resize(_lua.mcall(cur, 'dim', what="local 'currentOutput'"))
                    self.size.copy(_lua.mcall(cur, 'size'))
            else:
                if not 1 <= d <= len(self.size):  # self.size[dimension]: luaT's __index
                    raise TorchError("bad argument #2 to '?' (out of bounds)")
                with lua_line('nn/JoinTable.lua:30'):
                    k = _lua.mcall(cur, 'size', d, what="local 'currentOutput'")
                self.size[d] = self.size[d] + k
            items.append(cur)
        return items

    def _grad_first_loop(self, input):
        """JoinTable.lua's lines 48-53 on what is not a list of tensors (a table with a hole):
        self.gradInput[i] = input[i].new() where it has none, then resizeAs(input[i]); the
        entries as a list when every one is a tensor."""
        gi = self.gradInput
        items = []
        for i in _lua.upto(_lua.for_limit(_lua.length(input, "local 'input'"))):
            x = _lua.index(input, i)
            if _lua.index(gi, i) is None:
                with lua_line('nn/JoinTable.lua:50'):
                    utils.put(gi, i - 1, _lua.field_call(x, 'new')())
            with lua_line('nn/JoinTable.lua:52'):
                _lua.mcall(gi[i - 1], 'resizeAs', x)
            items.append(x)
        return items

    def updateGradInput(self, input, gradOutput):
        d = self._getPositiveDimension(input)
        gi = self.gradInput
        if not isinstance(input, (list, tuple)) or not all(
                isinstance(t, _tensor.Tensor) for t in input):
            input = self._grad_first_loop(input)
        for i, t in enumerate(input):
            if i >= len(gi) or gi[i] is None:
                utils.put(gi, i, t.new())
            gi[i].resizeAs(t)
        del gi[len(input):]
        if not self._fits(input, gradOutput, d):
            return self._lua_steps(input, gradOutput, d)
        go = arr(gradOutput)
        offset = 0
        for i, t in enumerate(input):
            n = t._size[d - 1]
            sl = [slice(None)] * go.ndim
            sl[d - 1] = slice(offset, offset + n)
            arr(gi[i])[...] = go[tuple(sl)]
            offset += n
        return self.gradInput

    @staticmethod
    def _fits(input, gradOutput, d):
        """Whether gradOutput holds each input's slice along d, of its size (the numpy path)."""
        if not isinstance(gradOutput, _tensor.Tensor) or gradOutput.dim() < d:
            return False
        size, offset = gradOutput._size, 0
        for t in input:
            n = t._size[d - 1]
            want = size[:d - 1] + (n,) + size[d:]
            if offset + n > size[d - 1] or tuple(t._size) != want:
                return False
            offset += n
        return True

    def _lua_steps(self, input, gradOutput, d):
        """JoinTable.lua's loop as it runs (gradOutput:narrow at line 63, the copy at 65), for
        a gradOutput the numpy path cannot take: it fails where the original fails."""
        offset = 1
        for i, t in enumerate(input):
            n = t.size(d)
            with lua_line('nn/JoinTable.lua:63'):
                cur = _lua.mcall(gradOutput, 'narrow', d, offset, n, what="local 'gradOutput'")
            with lua_line('nn/JoinTable.lua:65'):
                self.gradInput[i].copy(cur)
            offset += n
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        self.gradInput = []  # JoinTable.lua: a new table at every type() call
        return super().type(type, tensorCache)
