"""nn.Select: port of torch/nn Select.lua (a copy of input:select; negative dim and index)."""
from . import _lua
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
        # Select.lua: self.output:resizeAs(output); a vector's select is a number (Tensor.c's
        # select pushes get1d's value), which resizeAs refuses (luaT_checkudata's text)
        _lua.resize_as_first(self.output, view)
        self.output.resizeAs(view).copy(view)
        return self.output

    def updateGradInput(self, input, gradOutput):
        dim, index = self._geometry(input)
        # Select.lua: gradInput:resizeAs(input); zero(); gradInput:select(dim,index):copy(
        # gradOutput): TH's copy (as many elements, its text), a number for a vector
        _lua.resize_as_first(self.gradInput, input)
        self.gradInput.resizeAs(input).zero()
        _lua.mcall(self.gradInput.select(dim, index), 'copy', gradOutput)
        return self.gradInput
