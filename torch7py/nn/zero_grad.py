"""nn.ZeroGrad: port of torch/nn ZeroGrad.lua (identity forward, zero gradient)."""
from . import utils
from .module import Module


class ZeroGrad(Module):

    def updateOutput(self, input):
        self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        # ZeroGrad.lua: recursiveResizeAs then recursiveFill (a table input, or a tensor of
        # another type, which keeps gradInput's type: utils.lua resizes to input:size())
        self.gradInput, _ = utils.recursiveResizeAs(self.gradInput, input)
        self.gradInput = utils.recursiveFill(self.gradInput, 0)
        return self.gradInput
