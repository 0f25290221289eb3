"""nn.Normalize: port of torch/nn Normalize.lua (rows divided by their p-norm, p = inf included)."""
import math


import torch7py

from ._kernels import arr
from ..messages import at_lua, lua_line
from .. import tensor as _tensor
from ..tensor import TorchError
from . import _lua, utils
from .module import Module
from .utils import TorchAssertionError


class Normalize(Module):

    def __init__(self, p, eps=None):
        super().__init__()
        if p is None or p is False:  # Lua's assert(p, ...): a 0 passes
            raise at_lua(TorchAssertionError('p-norm not provided'), 'nn/Normalize.lua:5')
        if p <= 0:
            from ..printing import lua_tostring
            raise TorchAssertionError(lua_tostring(p) + '-norm not supported')
        self.p = p
        self.eps = 1e-10 if eps is None else eps

    def _rows(self, input):
        if input.dim() > 2:
            raise TorchError('only 1d layer supported')
        x = arr(input)
        return x.reshape(1, -1) if x.ndim == 1 else x

    def updateOutput(self, input):
        # Normalize.lua's tensor operations (abs/pow, a sum along rows, pow 1/p, cdiv into
        # _output, output a view of it), so that the roundings and buffers are Torch7's
        if input.dim() > 2:
            raise TorchAssertionError('only 1d layer supported')
        input_size = input.size()
        if input.dim() == 1:
            input = input.view(1, -1)
        d = self.__dict__
        for k in ('_output', 'norm', 'buffer'):
            if d.get(k) is None:
                d[k] = input.new()
        with lua_line('nn/Normalize.lua:22'):
            self._output.resizeAs(input)
        if self.p == math.inf:
            if not isinstance(d.get('_indices'), _tensor.LongTensor):
                self._indices = _tensor.LongTensor()
            with lua_line('nn/Normalize.lua:34'):
                _lua.mcall(self.buffer, 'abs', input, what="field 'buffer'")
            torch7py.max(self.norm, self._indices, self.buffer, 2)
            self.norm.add(self.eps)
        else:
            if d.get('normp') is None:
                self.normp = input.new()
            # (a buffer of a type without pow, a LongTensor's: the line that calls it)
            if self.p % 2 != 0:
                with lua_line('nn/Normalize.lua:40'):
                    _lua.mcall(_lua.mcall(self.buffer, 'abs', input, what="field 'buffer'"),
                               'pow', self.p)
            else:
                with lua_line('nn/Normalize.lua:42'):
                    _lua.mcall(self.buffer, 'pow', input, self.p, what="field 'buffer'")
            self.normp.sum(self.buffer, 2).add(self.eps)
            self.norm.pow(self.normp, 1 / self.p)
        self._output.cdiv(input, self.norm.view(-1, 1).expandAs(input))
        self.output.view(self._output, input_size)
        return self.output

    def updateGradInput(self, input, gradOutput):
        # Normalize.lua's tensor operations in its order (Torch7's roundings; gradInput a
        # view of _gradInput)
        # assert(input:dim() <= 2, ...) at line 54, assert(gradOutput:dim() <= 2, ...) at 55
        for line, v, what in ((54, input, "local 'input'"), (55, gradOutput, "local 'gradOutput'")):
            with lua_line('nn/Normalize.lua:%d' % line):
                if _lua.mcall(v, 'dim', what=what) > 2:
                    raise TorchAssertionError('only 1d layer supported')
        input_size = input.size()
        if input.dim() == 1:
            input = input.view(1, -1)
        n, d = input.size(1), input.size(2)
        dd = self.__dict__
        for k in ('_gradInput', 'cross'):
            if dd.get(k) is None:
                dd[k] = input.new()
        # (each field read where Normalize.lua reads it: a backward before a forward fails
        # at its first nil field, self.normp (self.norm for p = inf))
        gi, cross = self._gradInput, self.cross
        gi.resize(n, d)
        if self.p == math.inf:
            with lua_line('nn/Normalize.lua:71'):
                gi.cmul(self.norm.view(n, 1, 1).expand(n, d, 1), gradOutput)
            buf = self.buffer
            buf.resizeAs(input).zero()
            cross.resize(n, 1)
            cross.gather(input, 2, self._indices)
            cross.cdiv(self.norm)
            buf.scatter(2, self._indices, cross)
        else:
            with lua_line('nn/Normalize.lua:78'):
                gi.cmul(self.normp.view(n, 1).expand(n, d), gradOutput)
            buf = self.buffer
            if self.p % 2 != 0:
                if self.p < 2:
                    buf.abs(input).add(self.eps).pow(self.p - 2).cmul(input)
                else:
                    buf.abs(input).pow(self.p - 2).cmul(input)
            elif self.p == 2:
                buf.copy(input)
            else:
                buf.pow(input, self.p - 2).cmul(input)
        cross.resize(n, 1)
        if dd.get('buffer2') is None:
            self.buffer2 = input.new()
        with lua_line('nn/Normalize.lua:104'):
            self.buffer2.cmul(input, gradOutput)
        with lua_line('nn/Normalize.lua:105'):
            cross.sum(self.buffer2, 2)
        buf.cmul(cross.expandAs(buf))
        gi.add(-1, buf)
        if self.p == math.inf:
            cross.cmul(self.norm, self.norm)
        else:
            cross.cmul(self.normp, self.norm)
        gi.cdiv(cross.expand(n, d))
        self.gradInput.view(gi, input_size)
        return self.gradInput

    def __tostring__(self):
        if self.p % 1 == 0:
            return '%s(%d)' % (self.typename, self.p)
        return '%s(%f)' % (self.typename, self.p)

    def type(self, type=None, tensorCache=None):
        self._indices = None  # Normalize.lua: made again as a LongTensor (the key stays)
        super().type(type, tensorCache)
        return self

    def clearState(self):
        utils.clear(self, ['_output', '_indices', '_gradInput', 'buffer', 'norm', 'normp',
                           'cross'])
        return super().clearState()
