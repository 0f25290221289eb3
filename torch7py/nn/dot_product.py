"""nn.DotProduct: port of torch/nn DotProduct.lua (row-wise dot product of a pair)."""

from ..messages import lua_line
from . import _lua
from . import utils
from ._kernels import arr, out_like
from ._table import grad_list
from .module import Module


def rows(t):
    a = arr(t)
    return a.reshape(1, -1) if a.ndim == 1 else a


class DotProduct(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = [self.output.new(), self.output.new()]

    def updateOutput(self, input):
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        if not ok:   # DotProduct.lua: input1:dim(), input1:view(1, -1), input2:view(1, -1)
            if _lua.mcall(x1, 'dim', what="local 'input1'") == 1:
                _lua.mcall(x2, 'view', 1, -1, what="local 'input2'")
        # DotProduct.lua's operations: rows viewed 1 x n, cmul into a buffer, a row sum
        input1, input2 = input[0], input[1]
        if input1.dim() == 1:
            input1 = input1.view(1, -1)
            input2 = input2.view(1, -1)
        if self.__dict__.get('buffer') is None:
            self.buffer = input1.new()
        with lua_line('nn/DotProduct.lua:18'):
            self.buffer.cmul(input1, input2)
        with lua_line('nn/DotProduct.lua:19'):
            self.output.sum(self.buffer, 2)
        self.output.resize(input1.size(1))
        return self.output

    def updateGradInput(self, input, gradOutput):
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        if not ok:   # DotProduct.lua: v1:dim(), v1:view(1, -1), v2:view(1, -1)
            if _lua.mcall(x1, 'dim', what="local 'v1'") == 1:
                _lua.mcall(x2, 'view', 1, -1, what="local 'v2'")
        gi = grad_list(self, 2, input[0])
        if not (type(gradOutput) is type(x1) is type(x2) is type(gi[0]) is type(gi[1])
                and x1._size == x2._size and len(x1._size) in (1, 2)
                and gradOutput.nElement() == (x1._size[0] if len(x1._size) == 2 else 1)
                # the views DotProduct.lua takes (gradOutput:view(-1, 1); v1:view(1, -1) and
                # v2's for vectors) want contiguous tensors: a strided one fails there
                and gradOutput.isContiguous()
                and (len(x1._size) == 2 or x1.isContiguous() and x2.isContiguous())):
            return self._lua_grad(x1, x2, gradOutput)
        a, b = rows(input[0]), rows(input[1])
        go = arr(gradOutput).reshape(-1, 1)
        out_like(gi[0], input[0]._size)[...] = (b * go).reshape(arr(input[0]).shape)
        out_like(gi[1], input[1]._size)[...] = (a * go).reshape(arr(input[1]).shape)
        return self.gradInput

    def _lua_grad(self, v1, v2, gradOutput):
        """DotProduct.lua's updateGradInput, line by line (inputs of other shapes or types,
        which fail, or not, where its tensor calls do)."""
        not_batch = False
        if v1.dim() == 1:
            v1 = v1.view(1, -1)
            v2 = _lua.mcall(v2, 'view', 1, -1, what="local 'v2'")
            not_batch = True
        gw1, gw2 = self.gradInput[0], self.gradInput[1]
        with lua_line('nn/DotProduct.lua:42'):
            gw1.resizeAs(v1).copy(v2)
        with lua_line('nn/DotProduct.lua:43'):
            gw2.resizeAs(v2).copy(v1)
        go = _lua.mcall(gradOutput, 'view', -1, 1, what="local 'gradOutput'").expandAs(v1)
        with lua_line('nn/DotProduct.lua:46'):
            gw1.cmul(go)
        with lua_line('nn/DotProduct.lua:47'):
            gw2.cmul(go)
        if not_batch:
            self.gradInput[0].set(gw1.select(1, 1))
            self.gradInput[1].set(gw2.select(1, 1))
        return self.gradInput

    def clearState(self):
        # DotProduct.lua: `if self.buffer then self.buffer:set() end`
        utils.set_empty(self, 'buffer')
        return super().clearState()
