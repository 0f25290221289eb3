"""nn.CMaxTable: port of torch/nn CMaxTable.lua (element-wise max of a table; first wins ties)."""
import numpy as np

from .. import tensor as _tensor
from ._kernels import arr, new_tensor, out_like
from ._table import grad_list, same_n
from .module import Module


class CMaxTable(Module):

    _pick = staticmethod(np.argmax)
    _beats = staticmethod(np.greater)  # mask:gt(input[i], output)
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

    def updateOutput(self, input):
        same_n(list(input))
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

    def updateGradInput(self, input, gradOutput):
        gi = grad_list(self, len(input), input[0])
        idx = arr(self.__dict__[self._IDX])
        go = arr(gradOutput).reshape(idx.shape)
        for i, t in enumerate(input):
            g = out_like(gi[i], t._size)
            g[...] = np.where(idx == i + 1, go, 0).reshape(g.shape)
        # the last step of the Lua loop: mask:eq(idx, #input) and the gradients it selects
        m = idx == len(input)
        self._mask(m, idx.shape)
        out_like(self.gradMaxVals, (int(m.sum()),))[...] = go[m]
        return self.gradInput
