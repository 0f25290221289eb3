"""nn.SoftSign: port of torch/nn SoftSign.lua (x / (1 + |x|))."""
import numpy as np

from ._kernels import out_like
from . import _lua
from ..messages import at_lua, lua_line
from ..tensor import Tensor, TorchError
from . import utils
from ._pointwise import Pointwise


class SoftSign(Pointwise):
    _grad_check = ('copy', None)
    # (updateGradInput's gradInput:resizeAs(input) comes before its copy(gradOutput))
    _resize_first = True

    def _plain(self, *xs):
        # temp and tempgrad are kept as a call made them (input.new()): one of another type,
        # left by a failed call, fails the next one's resizeAs in the Lua lines
        d = self.__dict__
        t = type(self.output)
        return super()._plain(*xs) and all(type(d[k]) is t for k in ('temp', 'tempgrad')
                                           if d.get(k) is not None)

    def _lua_forward(self, input):
        # SoftSign.lua: self.temp = self.temp or input.new()
        # self.temp:resizeAs(input):copy(input):abs():add(1)
        # self.output:resizeAs(input):copy(input):cdiv(self.temp)
        temp = _lua.new_field(self, 'temp', input)
        with lua_line('nn/SoftSign.lua:5'):
            _lua.chain(temp, "field 'temp'", ('resizeAs', input), ('copy', input), ('abs',),
                       ('add', 1))
        with lua_line('nn/SoftSign.lua:6'):
            _lua.chain(self.output, "field 'output'", ('resizeAs', input), ('copy', input),
                       ('cdiv', temp))
        return self.output

    def _lua_backward(self, input, gradOutput):
        # self.tempgrad = self.tempgrad or input.new()
        # self.tempgrad:resizeAs(self.output):copy(input):abs():add(1):cmul(self.tempgrad)
        # self.gradInput:resizeAs(input):copy(gradOutput):cdiv(self.tempgrad)
        t = _lua.new_field(self, 'tempgrad', input)
        _lua.chain(t, "field 'tempgrad'", ('resizeAs', self.output), ('copy', input), ('abs',),
                   ('add', 1), ('cmul', t))
        _lua.chain(self.gradInput, "field 'gradInput'", ('resizeAs', input), ('copy', gradOutput),
                   ('cdiv', t))
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        if isinstance(input, Tensor) and self.output.nElement() != input.nElement():
            # SoftSign.lua sizes tempgrad as the output, then copies the input into it: an
            # output of another size (a backward before the forward) fails there first
            return self._lua_backward(input, gradOutput)
        tg = self.__dict__.get('tempgrad')
        if isinstance(input, Tensor) and type(self.gradInput) is not type(input) and (
                tg is None or type(tg) is type(self.output)):
            # line 12 passes (tempgrad:resizeAs(self.output):copy(input) copies across
            # types); line 13's gradInput:resizeAs(input) refuses the input's type
            with lua_line('nn/SoftSign.lua:13'):
                _lua.mcall(self.gradInput, 'resizeAs', input)
        try:
            return super().updateGradInput(input, gradOutput)
        except TorchError as e:
            # tempgrad matches the output here: a count mismatch is gradOutput's, in line 13's
            # gradInput:resizeAs(input):copy(gradOutput)
            if str(e).startswith('inconsistent tensor size'):
                raise at_lua(e, 'nn/SoftSign.lua:13')
            raise

    def _forward(self, x, y):
        if self.__dict__.get('temp') is None:
            self.temp = self.output.new()
        t = out_like(self.temp, x.shape)
        np.add(np.abs(x), 1, out=t)
        np.divide(x, t, out=y)

    def _backward(self, x, y, go, gi):
        if self.__dict__.get('tempgrad') is None:
            self.tempgrad = self.output.new()
        t = out_like(self.tempgrad, x.shape)
        np.add(np.abs(x), 1, out=t)
        t *= t
        np.divide(go, t, out=gi)

    def clearState(self):
        # SoftSign.lua: nn.utils.clear(self, 'temp', 'tempgrad')
        utils.clear(self, ['temp', 'tempgrad'])
        return super().clearState()
