"""nn.GradientReversal: port of torch/nn GradientReversal.lua (identity forward, -lambda times the
gradient backward)."""
from . import _lua
from .module import Module


class GradientReversal(Module):

    def __init__(self, lambda_=1):
        super().__init__()
        self.__dict__['lambda'] = 1 if lambda_ is None else lambda_

    def setLambda(self, lambda_):
        self.__dict__['lambda'] = lambda_

    def _t7_read(self, fields, version):
        """GradientReversal:read: a file of version < 2 (before lambda existed) gets lambda 1,
        whatever it holds."""
        self.__dict__.update(fields)
        if (version or 0) < 2:
            self.__dict__['lambda'] = 1

    def updateOutput(self, input):
        self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        _lua.resize_as_first(self.gradInput, gradOutput)  # its Lua's first line
        # then gradInput:copy(gradOutput):mul(-lambda): TH's mul, with -lambda converted to
        # the tensor's type first (a ByteTensor's -1 is 255, a LongTensor's -0.5 is 0)
        self.gradInput.resizeAs(gradOutput)
        self.gradInput.copy(gradOutput)
        self.gradInput.mul(-self.__dict__['lambda'])
        return self.gradInput
