"""nn.Narrow: port of torch/nn Narrow.lua (a copy of input:narrow; negative dim/offset/length)."""
from ..messages import at_lua, lua_line, lua_method_call
from ..tensor import Tensor, TorchError
from . import _lua
from .module import Module


class Narrow(Module):

    def __init__(self, dimension=None, offset=None, length=1):
        super().__init__()
        if dimension is None or offset is None:
            raise at_lua(TorchError('nn.Narrow(dimension, offset, length)'), 'nn/Narrow.lua:9')
        self.dimension = dimension
        self.index = offset
        self.length = 1 if length is None else length

    def _geometry(self, input, line=14):
        # Narrow.lua's lines from `local dim = ...` (updateOutput's 14, updateGradInput's 31):
        # input:dim() there, input:size(dim) 3 and 8 lines below, each only on its branch
        def at(k):
            return lua_line('nn/Narrow.lua:%d' % (line + k))
        if self.dimension < 0:
            with at(0):
                dim = _lua.mcall(input, 'dim', what="local 'input'") + self.dimension + 1
        else:
            dim = self.dimension
        length = self.length
        if length < 0:
            with at(3):
                length = _lua.mcall(input, 'size', dim, what="local 'input'") - self.index \
                    + self.length + 2
        index = self.index
        if self.index < 0:
            # Torch7 takes the first (size - length) entries for a negative offset
            index = 1
            with at(8):
                length = _lua.mcall(input, 'size', dim, what="local 'input'") - length
        return dim, index, length

    def updateOutput(self, input):
        dim, index, length = self._geometry(input)
        with lua_method_call('narrow'):  # Narrow.lua: input:narrow(...)
            out = input.narrow(dim, index, length)
        if self.output.typename != out.typename:
            self.output = out.new()
        self.output.resizeAs(out).copy(out)
        return self.output

    def updateGradInput(self, input, gradOutput):
        dim, index, length = self._geometry(input, 31)
        if not isinstance(input, Tensor):
            # Narrow.lua: self.gradInput:typeAs(input), Tensor.lua's self:type(tensor:type())
            with lua_line('torch/Tensor.lua:249'):
                _lua.mcall(input, 'type', what="local 'tensor'")
        if self.gradInput.typename != input.typename:
            self.gradInput = input.new()
        self.gradInput.resizeAs(input).zero()
        self.gradInput.narrow(dim, index, length).copy(gradOutput)
        return self.gradInput
