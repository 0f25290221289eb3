"""nn.TanhShrink: port of torch/nn TanhShrink.lua (x - tanh(x))."""
from .module import Module
from .tanh import Tanh


class TanhShrink(Module):
    """As TanhShrink.lua: an inner nn.Tanh, then x - tanh(x) and go - go (1 - tanh(x)^2), so
    that the roundings (and the saved fields) are Torch7's."""

    def __init__(self):
        super().__init__()
        self.tanh = Tanh()

    def _tanh(self):
        t = self.__dict__.get('tanh')
        if t is None:  # an object read from a file written without it
            t = self.tanh = Tanh().type(self.output.type())
        return t

    def updateOutput(self, input):
        th = self._tanh().updateOutput(input)
        self.output.resizeAs(input).copy(input)
        self.output.add(-1, th)
        return self.output

    def updateGradInput(self, input, gradOutput):
        dth = self._tanh().updateGradInput(input, gradOutput)
        self.gradInput.resizeAs(input).copy(gradOutput)
        self.gradInput.add(-1, dth)
        return self.gradInput
