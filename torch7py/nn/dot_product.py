"""nn.DotProduct: port of torch/nn DotProduct.lua (row-wise dot product of a pair)."""

from . import _lua
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
        if not ok:   # DotProduct.lua: input1:dim(), input1:view(1, -1), input2:view(1, -1)
            if _lua.mcall(x1, 'dim', what="local 'input1'") == 1:
                _lua.mcall(x2, 'view', 1, -1, what="local 'input2'")
        # DotProduct.lua's operations: rows viewed 1 x n, cmul into a buffer, a row sum
        input1, input2 = x1, x2
        if input1.dim() == 1:
            input1 = input1.view(1, -1)
            input2 = input2.view(1, -1)
        if self.__dict__.get('buffer') is None:
            self.buffer = input1.new()
        self.buffer.cmul(input1, input2)
        self.output.sum(self.buffer, 2)
        self.output.resize(input1.size(1))
        return self.output

    def updateGradInput(self, input, gradOutput):
        x1, x2, ok = _lua.pair(input)
        if not ok:   # DotProduct.lua: v1:dim(), v1:view(1, -1), v2:view(1, -1)
            if _lua.mcall(x1, 'dim', what="local 'v1'") == 1:
                _lua.mcall(x2, 'view', 1, -1, what="local 'v2'")
        a, b = rows(x1), rows(x2)
        gi = grad_list(self, 2, x1)
        go = arr(gradOutput).reshape(-1, 1)
        out_like(gi[0], x1._size)[...] = (b * go).reshape(arr(x1).shape)
        out_like(gi[1], x2._size)[...] = (a * go).reshape(arr(x2).shape)
        return self.gradInput
