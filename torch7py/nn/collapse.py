"""nn.Collapse: port of torch/nn Collapse.lua (all non-batch dims viewed as one)."""
from ..tensor import Tensor
from . import _lua
from .module import Module


class Collapse(Module):

    def __init__(self, nInputDim):
        super().__init__()
        self.nInputDim = nInputDim

    def updateOutput(self, input):
        if not input.isContiguous():
            if self.__dict__.get('_input') is None:
                self._input = input.new()
            self._input.resize(*input._size).copy(input)
            input = self._input
        if input.dim() > self.nInputDim:
            if type(input) is not type(self.output):
                # Collapse.lua: self.output:view(input, ...): Tensor.lua's view sets output
                # (its type) on input's storage, which Tensor.c's set refuses
                self.output.view(input, input.size(1), -1)
            self.output.set(input.view(input.size(1), -1))
        else:
            if type(input) is not type(self.output):
                self.output.view(input, -1)  # (as above)
            self.output.set(input.view(-1))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if type(gradOutput) is not type(self.gradInput) or not isinstance(input, Tensor) \
                or not gradOutput.isContiguous() or gradOutput.nElement() != input.nElement():
            # (a strided gradOutput: Tensor.lua's view asserts "expecting a contiguous
            # tensor", as the original does; no contiguous copy is taken)
            # Collapse.lua: self.gradInput:view(gradOutput, input:size()), torch's checks
            return _lua.mcall(self.gradInput, 'view', gradOutput,
                              _lua.mcall(input, 'size', what="local 'input'"))
        self.gradInput.set(gradOutput.view(*input._size))
        return self.gradInput

    def clearState(self):
        # Collapse.lua drops its copy buffer only: output stays, nothing returned
        self._input = None  # (Lua's `self._input = nil` makes the key: it takes a node)
