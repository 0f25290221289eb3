"""nn.CMaxTable: port of torch/nn CMaxTable.lua (element-wise max of a table; first wins ties)."""
import numpy as np

from .. import tensor as _tensor
from ..messages import lua_method_call
from ..tensor import ByteTensor, Tensor
from . import _lua
from ._kernels import arr, new_tensor, out_like
from ._table import grad_list
from .module import Module


class CMaxTable(Module):

    _pick = staticmethod(np.argmax)
    _beats = staticmethod(np.greater)  # mask:gt(input[i], output)
    _cmp = 'gt'          # CMaxTable.lua's self.mask:gt(input[i], self.output)
    _IDX, _VALS = 'maxIdx', 'maxVals'

    def __init__(self):
        super().__init__()
        # CMaxTable.lua's fields, in its order (its buffers: scripts and files see them)
        self.gradInput = []
        setattr(self, self._IDX, new_tensor())
        self.mask = new_tensor()
        setattr(self, self._VALS, new_tensor())
        self.gradMaxVals = new_tensor()

    def _mask(self, m, shape):
        """mask and maskByteTensor as the Lua loop leaves them: m (a boolean array) in each."""
        if self.__dict__.get('maskByteTensor') is None:
            self.maskByteTensor = _tensor.ByteTensor()
        out_like(self.mask, shape)[...] = m
        out_like(self.maskByteTensor, shape)[...] = m

    def _field(self, name, make=new_tensor):
        """The buffer the Lua code uses (a module saved by an older nn may lack it)."""
        t = self.__dict__.get(name)
        if not isinstance(t, Tensor):
            t = make()
            setattr(self, name, t)
        return t

    def _plain(self, tensors):
        """A table of non-empty tensors of the output's type: the vectorised path."""
        cls = type(self.output)
        # (a maskByteTensor that :type() made a float tensor fails in the Lua's
        # maskIdx:maskedFill(self.maskByteTensor, i): CMaxTable.lua keeps no byte type of it)
        return type(tensors) is list and len(tensors) > 0 and all(
            type(t) is cls and t._size for t in tensors) and type(
                self.__dict__.get('maskByteTensor', ByteTensor())) is ByteTensor

    def _lua_output(self, input):
        """CMaxTable.lua's updateOutput line by line, on TH's operations: a bad input fails
        where and as it fails there."""
        x1 = _lua.index(input, 1, "local 'input'")
        with lua_method_call('resizeAs'):
            self.output.resizeAs(x1)
        with lua_method_call('copy'):
            self.output.copy(x1)
        idx = self._field(self._IDX)
        with lua_method_call('resizeAs'):
            idx.resizeAs(x1)
        idx.fill(1)
        mask, vals = self._field('mask'), self._field(self._VALS)
        mb = self._field('maskByteTensor', ByteTensor)
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
        return self.output

    def updateOutput(self, input):
        if not self._plain(input) or len({t.nElement() for t in input}) > 1:
            # (inputs of different counts fail in the Lua loop: mask:gt(input[i], output))
            return self._lua_output(input)
        shape = arr(input[0]).shape
        stack = np.stack([arr(t).reshape(shape) for t in input])
        k = self._pick(stack, axis=0)
        y = out_like(self.output, input[0]._size)
        y[...] = np.take_along_axis(stack, k[None], axis=0)[0]
        idx = self.__dict__[self._IDX]
        out_like(idx, input[0]._size)[...] = (k + 1).reshape(y.shape)
        if len(input) > 1:
            # the last step of the Lua loop: where the last input beats the others so far
            before = np.take_along_axis(stack[:-1], self._pick(stack[:-1], axis=0)[None],
                                        axis=0)[0]
            m = self._beats(stack[-1], before)
            self._mask(m, input[0]._size)
            vals = self.__dict__[self._VALS]
            out_like(vals, (int(m.sum()),))[...] = stack[-1][m]
        return self.output

    def _lua_grad(self, input, gradOutput):
        """CMaxTable.lua's updateGradInput line by line (see _lua_output)."""
        idx = self.__dict__.get(self._IDX)
        if not isinstance(idx, Tensor):
            idx = new_tensor()   # Torch7 makes it empty in __init
        gi = self.gradInput if isinstance(self.gradInput, list) else []
        mask, gvals = self._field('mask'), self._field('gradMaxVals')
        mb = self._field('maskByteTensor', ByteTensor)
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
        idx = self.__dict__.get(self._IDX)
        # (gradMaxVals:maskedSelect(gradOutput, ...) takes a gradOutput of its own type only)
        if not (self._plain(input) and isinstance(gradOutput, Tensor) and isinstance(idx, Tensor)
                and type(gradOutput) is type(self.__dict__.get('gradMaxVals'))
                and idx.nElement() == gradOutput.nElement()
                and all(t.nElement() == idx.nElement() for t in input)):
            return self._lua_grad(input, gradOutput)
        gi = grad_list(self, len(input), input[0])
        idx = arr(idx)
        go = arr(gradOutput).reshape(idx.shape)
        for i, t in enumerate(input):
            g = out_like(gi[i], t._size)
            g[...] = np.where(idx == i + 1, go, 0).reshape(g.shape)
        # the last step of the Lua loop: mask:eq(idx, #input) and the gradients it selects
        m = idx == len(input)
        self._mask(m, idx.shape)
        out_like(self.gradMaxVals, (int(m.sum()),))[...] = go[m]
        return self.gradInput
