"""nn.Index: port of torch/nn Index.lua ({tensor, LongTensor indices} -> tensor:index(dim, idx))."""
import numpy as np

from ..messages import lua_method_call
from ..tensor import Tensor
from . import _lua
from ._kernels import arr, out_like
from .module import Module


class Index(Module):

    def __init__(self, dimension):
        super().__init__()
        self.dimension = dimension
        self.gradInput = [self.gradInput, self.gradInput.new()]

    def _idx(self, t, index, check):
        """The 0-based indices; a bad index tensor (TH's index/indexAdd take a LongTensor only)
        or index fails in the Lua's own call (check: x:index(...) or x:indexAdd(...)), with
        TH's errors in TH's order."""
        if not (isinstance(t, Tensor) and t.typename == self.output.typename
                and isinstance(index, Tensor) and index.typename == "torch.LongTensor"
                and type(self.dimension) is int):
            check()   # (TH's checks of the Lua's own call)
        idx = arr(index).astype(np.int64).reshape(-1) - 1
        d = self.dimension
        if index.dim() != 1 or not 1 <= d <= t.dim() or (
                idx.size and (idx.min() < 0 or idx.max() >= t._size[d - 1])):
            check()
        return idx

    def updateOutput(self, input):
        # Index.lua: local t = input[1]; local index = input[2]
        t = _lua.index(input, 1, "local 'input'")
        index = _lua.index(input, 2, "local 'input'")

        def check():
            with lua_method_call('index'):
                self.output.index(t, self.dimension, index)
        idx = self._idx(t, index, check)
        x = arr(t)
        d = self.dimension - 1
        shape = x.shape[:d] + (idx.size,) + x.shape[d + 1:]
        y = out_like(self.output, shape)
        np.take(x, idx, axis=d, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        t = _lua.index(input, 1, "local 'input'")
        index = _lua.index(input, 2, "local 'input'")

        def check():
            # self.gradInput[2]:resize(index:size()):zero(), then the gradient's lines
            self.gradInput[1].resize(_lua.mcall(index, 'size', what="local 'index'")).zero()
            _lua.mcall(self.gradInput[0], 'resizeAs', t).zero()
            _lua.mcall(self.gradInput[0], 'indexAdd', self.dimension, index, gradOutput)
        idx = self._idx(t, index, check)
        d = self.dimension - 1
        gi = out_like(self.gradInput[0], t._size)
        gi[...] = 0
        # no gradient for the indices: zeros of their size
        out_like(self.gradInput[1], index._size)[...] = 0
        if not (type(gradOutput) is type(t) and gradOutput._size[:d] == t._size[:d]
                and gradOutput._size[d + 1:] == t._size[d + 1:]
                and len(gradOutput._size) == len(t._size)
                and gradOutput._size[d] == idx.size):
            # a gradOutput that indexAdd refuses: its Lua lines raise TH's argument error
            check()
        go = np.moveaxis(arr(gradOutput), d, 0)
        np.add.at(np.moveaxis(gi, d, 0), idx, go)
        return self.gradInput

    def clearState(self):
        # Index.lua empties its tensors in place: gradInput stays a pair of tensors
        self.gradInput[0].set()
        self.gradInput[1].set()
        self.output.set()
        return self
