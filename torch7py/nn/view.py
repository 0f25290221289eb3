"""nn.View: port of torch/nn View.lua (a view of a contiguous input; -1 and setNumInputDims)."""
import numpy as np

from .. import messages
from ..storage import LongStorage
from ..tensor import Tensor, TorchError
from . import _lua, utils
from .module import Module
from .reshape import _sizes


def _view_sizes(args):
    """View.lua's size: a LongStorage given alone, else torch.LongStorage({...}), whose
    elements must be numbers (or strings Lua reads as numbers)."""
    args = utils.lua_varargs(args)
    if len(args) == 1 and isinstance(args[0], LongStorage):
        return _sizes(args)
    sizes = []
    for i, v in enumerate(args, 1):
        if isinstance(v, str):
            v = messages.lua_tonumber(v)
        if isinstance(v, bool) or not isinstance(v, (int, float, np.number)):
            e = TorchError('element at index %d is not a number' % i)
            e.torch7_plain = True  # (Storage.c's constructor under luaT's __call: no position)
            raise e
        # C's (long) of a NaN or an infinity on x86: the lowest long
        sizes.append(int(v) if np.isfinite(v) else -2 ** 63)
    return sizes


class View(Module):

    def __init__(self, *args):
        super().__init__()
        self.resetSize(*args)
        self.numInputDims = None

    def resetSize(self, *args):
        sizes = _view_sizes(args)
        self.size = LongStorage._wrap(np.array(sizes, dtype=np.int64))
        self.numElements = 1
        infer = False
        for s in sizes:
            if s >= 0:
                self.numElements *= s
            else:
                if s != -1:
                    raise TorchError('size should be positive or -1')
                if infer:
                    raise TorchError('only one dimension can be at -1')
                infer = True
        return self

    def setNumInputDims(self, numInputDims):
        self.numInputDims = numInputDims
        return self

    def _batchsize(self, input):
        ind = _lua.mcall(input, 'nDimension', what="local 'input'")  # View.lua's batchsize
        isz = input._size
        nid = self.__dict__.get('numInputDims')
        maxdim = nid if nid else ind
        ine = 1
        for i in range(ind - 1, ind - maxdim - 1, -1):
            if i < 0:
                # isz[i] of the LongStorage input:size() (an empty input, numInputDims past
                # its dims): the storage's __index check, under luaT's C metamethod
                raise messages.from_c(TorchError(messages.bad_argument(2, 'out of bounds')))
            ine *= isz[i]
        sizes = [int(v) for v in self.size._data]
        if self.numElements == 0 or ine % self.numElements != 0:
            raise messages.at_lua(TorchError(
                'input view (%s) and desired view (%s) do not match'
                % ('x'.join(map(str, isz)), 'x'.join(map(str, sizes)))), 'nn/View.lua:47')
        bsz = ine // self.numElements
        if -1 in sizes:
            bsz = 1
        for i in range(ind - maxdim - 1, -1, -1):
            bsz *= isz[i]
        if bsz == 1 and (not nid or ind <= nid):
            return None
        return bsz

    def updateOutput(self, input):
        if self.__dict__.get('output') is None:   # View.lua: self.output or input.new()
            self.output = _lua.field_call(input, 'new', "local 'input'")()
        bsz = self._batchsize(input)
        sizes = [int(v) for v in self.size._data]
        if isinstance(self.output, Tensor) and type(input) is not type(self.output):
            # View.lua: self.output:view(input, ...): Tensor.lua's view sets output (its
            # type) on input's storage, which Tensor.c's set refuses
            if bsz is not None:
                self.output.view(input, bsz, *sizes)
            else:
                self.output.view(input, self.size)
        if bsz is not None:
            self.output.set(input.view(bsz, *sizes))
        else:
            self.output.set(input.view(*sizes))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('gradInput') is None:
            self.gradInput = _lua.field_call(gradOutput, 'new', "local 'gradOutput'")()
        if type(gradOutput) is not type(self.gradInput) or not isinstance(input, Tensor) \
                or gradOutput.nElement() != input.nElement():
            # View.lua: self.gradInput:view(gradOutput, input:size()), torch's checks (its
            # set before the count check: a failure leaves gradInput so set)
            return _lua.mcall(self.gradInput, 'view', gradOutput,
                              _lua.mcall(input, 'size', what="local 'input'"))
        self.gradInput.set(gradOutput.view(*input._size))
        return self.gradInput

    def __tostring__(self):
        return '%s(%s)' % (self.typename, ', '.join(str(int(v)) for v in self.size._data))
