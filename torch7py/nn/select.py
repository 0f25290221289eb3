"""nn.Select: port of torch/nn Select.lua (a copy of input:select; negative dim and index)."""
from ..messages import lua_line
from . import _lua
from .module import Module


class Select(Module):

    def __init__(self, dimension, index):
        super().__init__()
        self.dimension = dimension
        self.index = index

    def _geometry(self, input, line=10):
        # Select.lua: input:dim() only for a negative dimension, input:size(dim) only for a
        # negative index, then input:select(dim, index) (its C checks, named as LuaJIT names a
        # method's: 'select', the arguments counted from dim)
        # (line: updateOutput's first line, 10; updateGradInput's, 18)
        if self.dimension < 0:
            with lua_line('nn/Select.lua:%d' % line):
                dim = _lua.mcall(input, 'dim', what="local 'input'") + self.dimension + 1
        else:
            dim = self.dimension
        if self.index < 0:
            with lua_line('nn/Select.lua:%d' % (line + 1)):
                index = _lua.mcall(input, 'size', dim, what="local 'input'") + self.index + 1
        else:
            index = self.index
        return dim, index

    def _select(self, t, dim, index):
        return _lua.mcall(t, 'select', dim, index, what="local 'input'")

    def updateOutput(self, input):
        dim, index = self._geometry(input)
        view = self._select(input, dim, index)
        # Select.lua: self.output:resizeAs(output); a vector's select is a number (Tensor.c's
        # select pushes get1d's value), which resizeAs refuses (luaT_checkudata's text)
        _lua.resize_as_first(self.output, view)
        self.output.resizeAs(view).copy(view)
        return self.output

    def updateGradInput(self, input, gradOutput):
        dim, index = self._geometry(input, 18)
        # Select.lua: gradInput:resizeAs(input); zero(); gradInput:select(dim,index):copy(
        # gradOutput): TH's copy (as many elements, its text), a number for a vector
        _lua.resize_as_first(self.gradInput, input)
        self.gradInput.resizeAs(input).zero()
        _lua.mcall(self._select(self.gradInput, dim, index), 'copy', gradOutput)
        return self.gradInput
