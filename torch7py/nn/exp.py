"""nn.Exp: port of torch/nn Exp.lua."""
import numpy as np

from ..tensor_math.pointwise import libm
from ._pointwise import Pointwise


class Exp(Pointwise):
    _grad_check = ('cmul', None)
    _cmul_output = True  # Exp.lua: self.gradInput:cmul(self.output, gradOutput)

    def _forward(self, x, y):
        libm("exp", x, y)  # Exp.lua's output:exp(input): libm's expf/exp

    def _backward(self, x, y, go, gi):
        np.multiply(go, y, out=gi)
