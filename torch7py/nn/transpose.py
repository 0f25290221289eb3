"""nn.Transpose: port of torch/nn Transpose.lua (a contiguous copy of the transposed input)."""
from ..messages import lua_method_call
from .module import Module


class Transpose(Module):

    def __init__(self, *permutations):
        super().__init__()
        self.permutations = [list(p) for p in permutations]
        self.numInputDims = None

    def setNumInputDims(self, numInputDims):
        self.numInputDims = numInputDims
        return self

    def _offset(self, input):
        nid = self.__dict__.get('numInputDims')
        if nid and input.dim() > nid:
            return input.dim() - nid
        return 0

    def updateOutput(self, input):
        off = self._offset(input)
        for a, b in self.permutations:
            with lua_method_call('transpose'):  # Transpose.lua: input:transpose(...)
                input = input.transpose(a + off, b + off)
        self.output.resizeAs(input).copy(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        off = self._offset(input)
        for a, b in reversed(self.permutations):
            with lua_method_call('transpose'):
                gradOutput = gradOutput.transpose(a + off, b + off)
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput
