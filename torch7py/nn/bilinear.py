"""nn.Bilinear: port of torch/nn Bilinear.lua (y_k = x1' W_k x2 + b_k on batches of row pairs)."""
import math

import torch7py

from . import _lua
from .. import messages
from ..messages import at_lua, lua_line
from ._conv import uniform_reset
from ._kernels import new_tensor
from ..tensor import TorchError
from .module import Module
from . import utils
from .utils import TorchAssertionError


class Bilinear(Module):

    def __init__(self, inputSize1=None, inputSize2=None, outputSize=None, bias=True):
        # Bilinear.lua's three asserts (lines 26, 28, 30); nil and false fail the first
        sizes = (inputSize1, inputSize2, outputSize)
        if any(x is None or x is False for x in sizes):
            raise at_lua(TorchAssertionError(
                'should specify inputSize1 and inputSize2 and outputSize'), 'nn/Bilinear.lua:26')
        if not all(messages.lua_type(x) == 'number' and x == math.floor(x) for x in sizes):
            raise at_lua(TorchAssertionError('inputSize1 and inputSize2 and outputSize should be '
                                             'integer numbers'), 'nn/Bilinear.lua:28')
        if not all(x > 0 for x in sizes):
            raise at_lua(TorchAssertionError('inputSize1 and inputSize2 and outputSize should be '
                                             'positive numbers'), 'nn/Bilinear.lua:30')
        super().__init__()
        self.weight = new_tensor(outputSize, inputSize1, inputSize2)
        self.gradWeight = new_tensor(outputSize, inputSize1, inputSize2).zero()
        if bias is not False:
            self.bias = new_tensor(outputSize)
            self.gradBias = new_tensor(outputSize).zero()
        self.gradInput = [new_tensor(), new_tensor()]
        self.reset()

    def reset(self, stdv=None):
        # Bilinear.lua asserts a given stdv is a positive number before init's arithmetic
        if stdv is not None and stdv is not False and not (
                messages.lua_type(stdv) == 'number' and stdv > 0):
            raise TorchError('standard deviation should be a positive number')
        return uniform_reset(self, self.weight.size(2), stdv)

    def _assertInput(self, input):
        # Bilinear.lua's __assertInput: its asserts in order, its method calls as Lua runs them
        if not (input is not None and input is not False and messages.lua_type(input) == 'table'
                and _lua.length(input) == 2):
            raise TorchError('input should be a table containing two data Tensors')
        a, b = _lua.index(input, 1), _lua.index(input, 2)
        if not (_lua.mcall(a, 'nDimension') == 2 and _lua.mcall(b, 'nDimension') == 2):
            raise TorchError('input Tensors should be two-dimensional')
        if a.size(1) != b.size(1):
            raise TorchError('input Tensors should have the same number of rows (instances)')
        if a.size(2) != self.weight.size(2):
            raise TorchError('dimensionality of first input is erroneous')
        if b.size(2) != self.weight.size(3):
            raise TorchError('dimensionality of second input is erroneous')

    # The arithmetic is Bilinear.lua's, slice by slice with the same tensor operations (mm,
    # cmul, sum, addmm), so that the roundings are Torch7's
    def _buf(self, name, like):
        t = self.__dict__.get(name)
        if t is None:
            t = like.new()
            setattr(self, name, t)
        return t

    def updateOutput(self, input):
        self._assertInput(input)
        buff2 = self._buf('buff2', input[0])
        with lua_line('nn/Bilinear.lua:66'):
            buff2.resizeAs(input[1])
        self.output.resize(input[0].size(1), self.weight.size(1))
        for k in range(1, self.weight.size(1) + 1):
            torch7py.mm(buff2, input[0], self.weight[k])
            buff2.cmul(input[1])
            torch7py.sum(self.output.narrow(2, k, 1), buff2, 2)
        if self.__dict__.get('bias') is not None:
            self.output.add(self.bias.reshape(1, self.bias.nElement()).expandAs(self.output))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        # (Bilinear.lua checks only gradOutput here, against input[1])
        self._assertGradOutput(input, gradOutput)
        gi = self.gradInput
        if len(gi) == 0:
            gi.extend([_lua.field_call(_lua.index(input, 1), 'new')() for _ in range(2)])
        g1, g2 = gi[0], gi[1]
        with lua_line('nn/Bilinear.lua:93'):
            _lua.mcall(g1, 'resizeAs', _lua.index(input, 1)).fill(0)
        with lua_line('nn/Bilinear.lua:94'):
            _lua.mcall(g2, 'resizeAs', _lua.index(input, 2)).fill(0)
        input = [_lua.index(input, 1), _lua.index(input, 2)]
        g1.mm(input[1], self.weight[1].t())
        e = gradOutput.narrow(2, 1, 1).expand(g1.size(1), g1.size(2))
        with lua_line('nn/Bilinear.lua:99'):
            g1.cmul(e)
        g2.addmm(1, input[0], self.weight[1])
        e = gradOutput.narrow(2, 1, 1).expand(g2.size(1), g2.size(2))
        with lua_line('nn/Bilinear.lua:102'):
            g2.cmul(e)
        if self.weight.size(1) > 1:
            buff1 = self._buf('buff1', input[0])
            buff1.resizeAs(input[0])
            buff2 = self._buf('buff2', input[0])
            for k in range(2, self.weight.size(1) + 1):
                buff1.mm(input[1], self.weight[k].t())
                e = gradOutput.narrow(2, k, 1).expand(g1.size(1), g1.size(2))
                with lua_line('nn/Bilinear.lua:112'):
                    buff1.cmul(e)
                g1.add(buff1)
                buff2.mm(input[0], self.weight[k])
                e = gradOutput.narrow(2, k, 1).expand(g2.size(1), g2.size(2))
                with lua_line('nn/Bilinear.lua:117'):
                    buff2.cmul(e)
                g2.add(buff2)
        return self.gradInput

    def _assertGradOutput(self, input, gradOutput):
        # __assertInputGradOutput: input[1]:size(1) == gradOutput:size(1), left operand first
        rows = _lua.mcall(_lua.index(input, 1, "local 'input'"), 'size', 1)
        if rows != _lua.mcall(gradOutput, 'size', 1, what="local 'gradOutput'"):
            raise TorchError('number of rows in gradOutput does not match input')
        if _lua.mcall(gradOutput, 'size', 2) != self.weight.size(1):
            raise TorchError('number of columns in gradOutput does not output size of layer')

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None or scale is False:  # local scale = scale or 1
            scale = 1
        self._assertGradOutput(input, gradOutput)
        if messages.lua_type(scale) != 'number' or not scale >= 0:
            # Bilinear.lua:129's assert (no message), there and not where the accGradParameters
            # default (line 17, __assertInputGradOutput) would put it
            raise at_lua(TorchAssertionError('assertion failed!'), 'nn/Bilinear.lua:129')
        x1 = _lua.index(input, 1)
        buff1 = self.__dict__.get('buff1')
        if buff1 is None:
            buff1 = self.buff1 = _lua.field_call(x1, 'new')()
        _lua.mcall(buff1, 'resizeAs', x1)
        input = [x1, _lua.index(input, 2)]
        # Torch7 leaves the weight gradient unscaled (only the bias gradient takes scale)
        for k in range(1, self.weight.size(1) + 1):
            torch7py.cmul(buff1, input[0], gradOutput.narrow(2, k, 1).expandAs(input[0]))
            with lua_line('nn/Bilinear.lua:140'):   # (a nil gradWeight: LuaJIT's index error)
                _lua.index(self.__dict__.get('gradWeight'), k, "field 'gradWeight'").addmm(
                    buff1.t(), input[1])
        if self.__dict__.get('bias') is not None:
            with lua_line('nn/Bilinear.lua:142'):
                _lua.mcall(self.__dict__.get('gradBias'), 'add', scale, gradOutput.sum(1),
                           what="field 'gradBias'")

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        # Torch7: Bilinear.sharedAccUpdateGradParameters = Bilinear.accUpdateGradParameters
        return self.accUpdateGradParameters(input, gradOutput, lr)

    def __tostring__(self):
        return '%s(%dx%d -> %d) %s' % (self.typename, self.weight.size(2), self.weight.size(3),
                                       self.weight.size(1),
                                       ' without bias' if self.__dict__.get('bias') is None
                                       else '')

    def clearState(self):
        # Bilinear.lua: `if self.buff2 then self.buff2:set() end`, then buff1
        utils.set_empty(self, 'buff2', 'buff1')
        return super().clearState()
