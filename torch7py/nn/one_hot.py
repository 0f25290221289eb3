"""nn.OneHot: port of torch/nn OneHot.lua (indices to one-hot rows of outputSize)."""
import numpy as np

from .. import messages, tensor as _tensor
from . import _lua
from ._kernels import arr, out_like
from .module import Module


class OneHot(Module):

    def __init__(self, outputSize):
        super().__init__()
        self.outputSize = outputSize

    def updateOutput(self, input):
        d = self.__dict__
        if messages.lua_type(d.get('outputSize')) != 'number' or not isinstance(
                input, _tensor.Tensor) and messages.lua_type(input) != 'number':
            return self._lua_forward(input)
        if isinstance(input, _tensor.Tensor) and (not input.isContiguous()
                                                  or input.nElement() == 0):
            # (an empty one too: its size {} gives an output of outputSize, then its view
            # fails)
            # OneHot.lua's input:view(...) asserts a contiguous tensor (after resizing and
            # zeroing its output): its lines, for that error where and as it comes
            return self._lua_forward(input)
        if isinstance(input, _tensor.Tensor):
            idx = np.asarray(arr(input)).astype(np.int64)
            shape = tuple(input._size)
            if type(input) is not _tensor.LongTensor:
                # OneHot.lua casts the indices into its _input buffer
                v = input.view(*(shape + (1,)))
                if d.get('_input') is None:
                    self._input = _tensor.LongTensor()
                self._input.resize(*v._size).copy(v)
        else:
            if d.get('_single') is None:
                self._single = _tensor.LongTensor().resize(1)
            self._single[1] = input
            idx = np.array([int(input)])
            shape = ()
        if idx.size and (idx.min() < 1 or idx.max() > self.outputSize):
            return self._lua_forward(input)  # its scatter fails on the index
        y = out_like(self.output, shape + (self.outputSize,))
        y[...] = 0
        np.put_along_axis(y, idx.reshape(shape + (1,)) - 1, 1, axis=-1)
        return self.output

    def _lua_forward(self, input):
        """OneHot.lua's updateOutput line by line (the CPU branches), with the tensor calls
        it makes: a bad input, outputSize or index fails where and as they do."""
        d = self.__dict__
        if messages.lua_type(input) == 'number':
            if d.get('_single') is None:
                self._single = _tensor.LongTensor().resize(1)
            self._single[1] = input
            input = self._single
            size = []
        else:
            size = list(_lua.mcall(input, 'size', what="local 'input'").totable())
        if d.get('outputSize') is not None:  # table.insert(size, nil) adds nothing
            size.append(self.outputSize)
        self.output.resize(*size).zero()
        if size:  # size[#size] = 1 (on an empty table: key 0, which unpack skips)
            size[-1] = 1
        input_ = input.view(*size)
        if type(input) is not _tensor.LongTensor:
            if d.get('_input') is None:
                self._input = _tensor.LongTensor()
            self._input.resize(input_.size()).copy(input_)
            input_ = self._input
        self.output.scatter(self.output.dim(), input_, 1)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not isinstance(input, _tensor.Tensor):
            # OneHot.lua: 0 for a number; anything else goes on to input:size()
            if messages.lua_type(input) == 'number':
                return 0
            _lua.mcall(input, 'size', what="local 'input'")
        self.gradInput.resize(*input._size).zero()
        return self.gradInput

    def clearState(self):
        # OneHot.lua drops its index buffers only: output stays, nothing returned
        self._single = None  # (Lua's `self._single = nil` makes the key: it takes a node)
        self._input = None

    def type(self, type=None, tensorCache=None):
        self.clearState()
        return super().type(type, tensorCache)
