"""nn.Power: port of torch/nn Power.lua (x ^ p; gradient p x ^ (p - 1))."""
import numpy as np

from .. import messages
from ..messages import at_lua
from ..tensor import TorchError
from ..tensor_math.pointwise import th_pow
from . import _lua
from ._pointwise import Pointwise


class Power(Pointwise):
    _grad_check = ('cmul', None)
    _resize_first = True

    def __init__(self, p):
        super().__init__()
        self.pow = p
        if p is None:
            raise at_lua(TorchError('nn.Power(power)'), 'nn/Power.lua:7')

    def _lua_forward(self, input):
        # Power.lua: self.output:resizeAs(input):copy(input); self.output:pow(self.pow)
        _lua.chain(self.output, "field 'output'", ('resizeAs', input), ('copy', input))
        _lua.mcall(self.output, 'pow', self.pow)
        return self.output

    def _lua_backward(self, input, gradOutput):
        # self.gradInput:resizeAs(input):copy(input); self.gradInput:pow(self.pow - 1)
        # self.gradInput:cmul(gradOutput):mul(self.pow)
        g = self.gradInput
        _lua.chain(g, "field 'gradInput'", ('resizeAs', input), ('copy', input))
        _lua.mcall(g, 'pow', _lua.plus(self.pow, -1))
        _lua.chain(g, "field 'gradInput'", ('cmul', gradOutput), ('mul', self.pow))
        return g

    def _p(self):
        # a numeric string is a number to Lua's `self.pow - 1` and to cwrap's checknumber of
        # pow(...)/mul(...): nn.Power('2') works in Torch7
        p = self.pow
        if isinstance(p, str):
            v = messages.lua_tonumber(p)
            if v is not None:
                return v
        return p

    def _forward(self, x, y):
        with np.errstate(divide='ignore', invalid='ignore'):
            th_pow(x, self._p(), y)  # Power.lua's output:pow(self.pow)

    def _backward(self, x, y, go, gi):
        p = self._p()
        with np.errstate(divide='ignore', invalid='ignore'):
            th_pow(x, p - 1, gi)
        gi *= go
        gi *= p
