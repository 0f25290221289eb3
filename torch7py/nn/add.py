"""nn.Add: port of torch/nn Add.lua (a learnt bias, one per input element or one scalar)."""

from .. import messages
from ..messages import lua_line
from . import _lua
from ..tensor import TorchError
from ._conv import init_bound
from ._kernels import new_tensor
from .module import Module


class Add(Module):

    def __init__(self, inputSize, scalar=None):
        super().__init__()
        size = inputSize
        if scalar:
            size = 1
        self.scalar = scalar  # (nil when not given: no field, as in Add.lua)
        self.bias = new_tensor(size)
        self.gradBias = new_tensor(size).zero()
        self._ones = new_tensor(1).fill(1)
        self.reset()

    def reset(self, stdv=None):
        stdv = init_bound(stdv, self.bias.size(1))
        self.bias.uniform(-stdv, stdv)
        return  # (its Lua returns nothing)
    def _ones_of(self, like, n):
        ones = self.__dict__.get('_ones')
        if ones is None or ones.type() != like.type():
            ones = self._ones = like.new()
        if ones.nElement() != n:
            ones.resize(n).fill(1)
        return ones

    def updateOutput(self, input):
        # Add.lua's operations: add(bias[1]), add(bias), or addr(1, ones, bias) on a batch
        # view (their roundings and size errors)
        self.output.resizeAs(input).copy(input)
        if self.__dict__.get('scalar'):  # (nil: no field, after a load too)
            self.output.add(self.bias[1])
        elif input.isSameSizeAs(self.bias):
            self.output.add(self.bias)
        else:
            batchSize = input.size(1)
            ones = self._ones_of(input, batchSize)
            self.output.view(batchSize, -1).addr(1, ones, self.bias.view(-1))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is not None:
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        # Add.lua's operations: a Lua-number sum for a scalar bias, axpy for one sample, a
        # gemv against a ones vector for a batch (their roundings are the tensor ops')
        if scale is None:
            scale = 1
        if self.__dict__.get('gradBias') is None:   # Add.lua 56: self.gradBias:size(1)
            raise messages.at_lua(TorchError(messages.msg('index_field', 'gradBias', 'nil')),
                                  'nn/Add.lua:56')
        if self.gradBias.size(1) == 1:
            with lua_line('nn/Add.lua:57'):
                self.gradBias[1] = self.gradBias[1] + scale * _lua.mcall(
                    gradOutput, 'sum', what="local 'gradOutput'")
        elif input.isSameSizeAs(self.bias):
            with lua_line('nn/Add.lua:60'):
                self.gradBias.add(scale, gradOutput)
        else:
            # Add.lua's `gradOutput:view(input:size(1), -1)` indexes gradOutput before it
            # reads input's size
            kind = messages.lua_type(gradOutput)
            if kind in messages.NOT_INDEXABLE:
                raise TorchError(messages.index_text(kind, "local 'gradOutput'"))
            batch = input.size(1)
            # Add.lua: addmv(scale, gradOutput:t(), self._ones), the ones of the last forward
            # (TH's size check when the batch differs)
            ones = self.__dict__.get('_ones')
            self.gradBias.view(-1).addmv(scale, gradOutput.view(batch, -1).t(), ones)
