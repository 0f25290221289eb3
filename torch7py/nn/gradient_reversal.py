"""nn.GradientReversal: port of torch/nn GradientReversal.lua (identity forward, -lambda times the
gradient backward)."""
import numpy as np

from . import _lua
from ._kernels import arr, out_like
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
        np.multiply(arr(gradOutput), -self.__dict__['lambda'],
                    out=out_like(self.gradInput, gradOutput._size))
        return self.gradInput
