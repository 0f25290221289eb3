"""nn.CMaxTable: port of torch/nn CMaxTable.lua (element-wise max of a table; first wins ties)."""
import numpy as np

from ._kernels import arr, out_like
from ._pointwise import buffer
from ._table import grad_list, same_n
from .module import Module


class CMaxTable(Module):

    _pick = staticmethod(np.argmax)

    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        same_n(list(input))
        shape = arr(input[0]).shape
        stack = np.stack([arr(t).reshape(shape) for t in input])
        k = self._pick(stack, axis=0)
        y = out_like(self.output, input[0]._size)
        y[...] = np.take_along_axis(stack, k[None], axis=0)[0]
        buffer(self, 'maxIdx', shape)[...] = k + 1
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = grad_list(self, len(input), input[0])
        idx = arr(self.maxIdx)
        go = arr(gradOutput).reshape(idx.shape)
        for i, t in enumerate(input):
            g = out_like(gi[i], t._size)
            g[...] = np.where(idx == i + 1, go, 0).reshape(g.shape)
        return self.gradInput
