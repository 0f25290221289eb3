"""nn.Identity: port of torch/nn Identity.lua (output is the input object, gradInput the gradOutput)."""
from .module import Module


class Identity(Module):

    def updateOutput(self, input):
        self.output = input
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput
        return self.gradInput

    def clearState(self):
        # Torch7 sets the fields to nil: they may alias the caller's tensors
        self.output = self.output.new() if hasattr(self.output, 'new') else []
        self.gradInput = self.gradInput.new() if hasattr(self.gradInput, 'new') else []
        return self
