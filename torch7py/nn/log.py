"""nn.Log: port of torch/nn Log.lua (gradient 1/x, inf at 0 as in Torch7)."""
import numpy as np

from ..tensor_math.pointwise import libm
from . import _lua
from ._pointwise import Pointwise


class Log(Pointwise):
    _grad_check = ('cmul', None)
    _resize_first = True

    def _lua_forward(self, input):
        # Log.lua: self.output:resizeAs(input); self.output:copy(input); self.output:log()
        _lua.mcall(self.output, 'resizeAs', input, what="field 'output'")
        _lua.mcall(self.output, 'copy', input)
        _lua.mcall(self.output, 'log')
        return self.output

    def _lua_backward(self, input, gradOutput):
        # gradInput:resizeAs(input), :fill(1), :cdiv(input), :cmul(gradOutput)
        g = self.gradInput
        _lua.mcall(g, 'resizeAs', input, what="field 'gradInput'")
        for name, arg in (('fill', 1), ('cdiv', input), ('cmul', gradOutput)):
            _lua.mcall(g, name, arg)
        return g

    def _forward(self, x, y):
        with np.errstate(divide='ignore', invalid='ignore'):
            libm("log", x, y)  # Log.lua's output:log(input)

    def _backward(self, x, y, go, gi):
        with np.errstate(divide='ignore', invalid='ignore'):
            np.multiply(1.0 / x, go, out=gi)
