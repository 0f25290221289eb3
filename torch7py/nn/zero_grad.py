"""nn.ZeroGrad: port of torch/nn ZeroGrad.lua (identity forward, zero gradient)."""
from .module import Module


class ZeroGrad(Module):

    def updateOutput(self, input):
        self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        return self.gradInput
