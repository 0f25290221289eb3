"""nn.Contiguous: port of torch/nn Contiguous.lua (passes contiguous tensors by reference)."""
from .module import Module


class Contiguous(Module):

    def updateOutput(self, input):
        if not input.isContiguous():
            if self.output is input:
                self.output = input.new()
            self.output.resizeAs(input).copy(input)
        else:
            self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not gradOutput.isContiguous():
            if self.gradInput is gradOutput:
                self.gradInput = gradOutput.new()
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        else:
            self.gradInput.set(gradOutput)
        return self.gradInput
