"""nn.Reshape: port of torch/nn Reshape.lua (a view of the input; copies non-contiguous input)."""
import math

import numpy as np

from .. import messages
from ..storage import LongStorage
from ..tensor import TorchError
from . import utils
from .module import Module


def _sizes(args):
    args = utils.lua_varargs(args)
    if len(args) == 1 and isinstance(args[0], LongStorage):
        return [int(v) for v in args[0]._data]
    if len(args) == 1 and isinstance(args[0], (list, tuple)) \
            and not messages.from_lua_table(args[0]):
        return [int(v) for v in args[0]]
    for v in args:
        # Reshape.lua's `self.size[i] = arg[i]`: the storage's __newindex checks a number
        if messages.from_lua_table(v):
            e = TorchError(messages.bad_argument(3, "number expected, got table"))
            e.torch7_plain = True
            raise e
    # each through the storage's __newindex (luaG_(checkreal): a string is strtol's number,
    # 'a' 0; the original's nn.Reshape('a') constructs)
    s = LongStorage(len(args))
    for i, v in enumerate(args, 1):
        s[i] = v
    return [int(v) for v in s._data]


class Reshape(Module):

    def __init__(self, *args):
        super().__init__()
        args = list(args)
        # fields set in Reshape.lua's order (pairs() order follows it)
        self.size = None
        self.batchsize = None
        if args and isinstance(args[-1], bool):
            self.batchMode = args.pop()
        sizes = _sizes(args)
        self.size = LongStorage._wrap(np.array(sizes, dtype=np.int64))
        self.batchsize = LongStorage._wrap(np.array([0] + sizes, dtype=np.int64))
        self.nelement = int(math.prod(sizes)) if sizes else 1

    def updateOutput(self, input):
        if not input.isContiguous():
            if self.__dict__.get('_input') is None:
                self._input = input.new()
            self._input.resizeAs(input).copy(input)
            input = self._input
        batch_mode = self.__dict__.get('batchMode')
        if batch_mode is False or (batch_mode is None and input.nElement() == self.nelement
                                   and input.size(1) != 1):
            size = self.size
        else:
            self.batchsize._data[0] = input.size(1)
            size = self.batchsize
        dims = [int(v) for v in size._data]
        if type(input) is type(self.output) and min(dims, default=1) > 0 \
                and math.prod(dims) == input.nElement():
            self.output.set(input.view(*dims))
        else:
            # Reshape.lua: self.output:view(input, size): Tensor.lua's view sets output on
            # input's storage (Tensor.c's set refuses another type), then checks the count (a
            # failure leaves output so set)
            self.output.view(input, size)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not gradOutput.isContiguous():
            if self.__dict__.get('_gradOutput') is None:
                self._gradOutput = gradOutput.new()
            self._gradOutput.resizeAs(gradOutput).copy(gradOutput)
            gradOutput = self._gradOutput
        # Reshape.lua: self.gradInput:viewAs(gradOutput, input) (Tensor.lua's view with a
        # result: its set fails on a gradOutput of another type)
        self.gradInput.viewAs(gradOutput, input)
        return self.gradInput

    def __tostring__(self):
        return '%s(%s)' % (self.typename, 'x'.join(str(int(v)) for v in self.size._data))

    def clearState(self):
        utils.clear(self, '_input', '_gradOutput')
        return super().clearState()
