"""nn.Exp: port of torch/nn Exp.lua."""
from ..tensor_math.pointwise import libm
from . import _lua
from ._pointwise import Pointwise


class Exp(Pointwise):
    def _lua_forward(self, input):
        return _lua.mcall(self.output, 'exp', input)  # Exp.lua: self.output:exp(input)

    def updateGradInput(self, input, gradOutput):
        # Exp.lua: self.gradInput:cmul(self.output, gradOutput) (input unread; one TH op)
        return _lua.mcall(self.gradInput, 'cmul', self.output, gradOutput)

    def _forward(self, x, y):
        libm("exp", x, y)  # Exp.lua's output:exp(input): libm's expf/exp
