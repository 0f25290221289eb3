"""nn.Select: port of torch/nn Select.lua (a copy of input:select; negative dim and index)."""
from ._kernels import arr, out_like
from ..messages import bad_argument
from ..tensor import TorchError
from .module import Module


class Select(Module):

    def __init__(self, dimension, index):
        super().__init__()
        self.dimension = dimension
        self.index = index

    def _geometry(self, input):
        dim = input.dim() + self.dimension + 1 if self.dimension < 0 else self.dimension
        index = input.size(dim) + self.index + 1 if self.index < 0 else self.index
        n = input.size(dim)
        if index < 1 or index > n:
            # Select.lua's input:select(dim, index): THTensor_(select)'s check of argument #3
            # (THTensor_(get1d)'s #2 on a vector), named after the method as LuaJIT does
            raise TorchError(bad_argument(1 if input.dim() == 1 else 2, 'out of range',
                                          'select'))
        return dim, index

    def updateOutput(self, input):
        dim, index = self._geometry(input)
        view = input.select(dim, index)
        if isinstance(view, (int, float)):
            self.output.resize(1).fill(view)
        else:
            self.output.resizeAs(view).copy(view)
        return self.output

    def updateGradInput(self, input, gradOutput):
        dim, index = self._geometry(input)
        gi = out_like(self.gradInput, input._size)
        gi.fill(0)
        sl = [slice(None)] * gi.ndim
        sl[dim - 1] = index - 1
        gi[tuple(sl)] = arr(gradOutput).reshape(gi[tuple(sl)].shape)
        return self.gradInput
