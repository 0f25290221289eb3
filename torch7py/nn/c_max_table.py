"""nn.CMaxTable: port of torch/nn CMaxTable.lua (element-wise max of a table; first wins ties)."""
import numpy as np

from ..messages import lua_method_call
from ..tensor import ByteTensor, Tensor
from . import _lua
from ._kernels import arr, new_tensor, out_like
from ._pointwise import buffer
from ._table import grad_list, same_n
from .module import Module


class CMaxTable(Module):

    _pick = staticmethod(np.argmax)
    _cmp = 'gt'          # CMaxTable.lua's self.mask:gt(input[i], self.output)

    def __init__(self):
        super().__init__()
        self.gradInput = []

    def _plain(self, tensors):
        """A table of non-empty tensors of the output's type: the vectorised path."""
        cls = type(self.output)
        return type(tensors) is list and len(tensors) > 0 and all(
            type(t) is cls and t._size for t in tensors)

    def _lua_output(self, input):
        """CMaxTable.lua's updateOutput line by line, on TH's operations: a bad input fails
        where and as it fails there."""
        x1 = _lua.index(input, 1, "local 'input'")
        with lua_method_call('resizeAs'):
            self.output.resizeAs(x1)
        with lua_method_call('copy'):
            self.output.copy(x1)
        idx = new_tensor()
        with lua_method_call('resizeAs'):
            idx.resizeAs(x1)
        idx.fill(1)
        mask, vals, mb = new_tensor(), new_tensor(), ByteTensor()
        for i in _lua.upto(_lua.length(input))[1:]:
            xi = _lua.index(input, i)
            with lua_method_call(self._cmp):
                getattr(mask, self._cmp)(xi, self.output)
            mb.resize(mask.size()).copy(mask)
            with lua_method_call('maskedFill'):
                idx.maskedFill(mb, i)
            with lua_method_call('maskedSelect'):
                vals.maskedSelect(xi, mb)
            with lua_method_call('maskedCopy'):
                self.output.maskedCopy(mb, vals)
        self.__dict__['maxIdx'] = idx
        return self.output

    def updateOutput(self, input):
        if not self._plain(input):
            return self._lua_output(input)
        same_n(list(input))
        shape = arr(input[0]).shape
        stack = np.stack([arr(t).reshape(shape) for t in input])
        k = self._pick(stack, axis=0)
        y = out_like(self.output, input[0]._size)
        y[...] = np.take_along_axis(stack, k[None], axis=0)[0]
        buffer(self, 'maxIdx', shape)[...] = k + 1
        return self.output

    def _lua_grad(self, input, gradOutput):
        """CMaxTable.lua's updateGradInput line by line (see _lua_output)."""
        idx = self.__dict__.get('maxIdx')
        if not isinstance(idx, Tensor):
            idx = new_tensor()   # Torch7 makes it empty in __init
        gi = self.gradInput if isinstance(self.gradInput, list) else []
        mask, gvals, mb = new_tensor(), new_tensor(), ByteTensor()
        n = _lua.length(input, "local 'input'")
        for i in _lua.upto(n):
            xi = _lua.index(input, i)
            g = _lua.index(gi, i)
            if g is None:
                g = _lua.field_call(xi, 'new')()
                if len(gi) >= i:
                    gi[i - 1] = g
                else:
                    gi.append(g)
            with lua_method_call('resizeAs'):
                g.resizeAs(xi)
            g.fill(0.0)
            with lua_method_call('eq'):
                mask.eq(idx, i)
            mb.resize(mask.size()).copy(mask)
            with lua_method_call('maskedSelect'):
                gvals.maskedSelect(gradOutput, mb)
            with lua_method_call('maskedCopy'):
                g.maskedCopy(mb, gvals)
        del gi[_lua.for_limit(n):]
        self.gradInput = gi
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        idx = self.__dict__.get('maxIdx')
        if not (self._plain(input) and isinstance(gradOutput, Tensor) and idx is not None
                and idx.nElement() == gradOutput.nElement()
                and all(t.nElement() == idx.nElement() for t in input)):
            return self._lua_grad(input, gradOutput)
        gi = grad_list(self, len(input), input[0])
        idx = arr(idx)
        go = arr(gradOutput).reshape(idx.shape)
        for i, t in enumerate(input):
            g = out_like(gi[i], t._size)
            g[...] = np.where(idx == i + 1, go, 0).reshape(g.shape)
        return self.gradInput
