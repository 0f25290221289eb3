"""nn.CosineDistance: port of torch/nn CosineDistance.lua (row-wise cosine of a pair)."""
import numpy as np

from ._kernels import arr, out_like
from ._table import grad_list, same_n
from .dot_product import rows
from .module import Module


class CosineDistance(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = [self.output.new(), self.output.new()]

    def _parts(self, input):
        a, b = rows(input[0]), rows(input[1])
        b = b.reshape(a.shape)
        eps = 1e-12
        w1 = (a * b).sum(axis=1, keepdims=True)
        w22 = 1.0 / ((a * a).sum(axis=1, keepdims=True) + eps)
        w32 = 1.0 / ((b * b).sum(axis=1, keepdims=True) + eps)
        return a, b, w1, w22, w32, np.sqrt(w22 * w32)

    def updateOutput(self, input):
        # CosineDistance.lua views vectors as 1 x n rows before buffer:cmul(input1, input2)
        same_n(list(input[:2]), [t._size if t.dim() != 1 else (1,) + tuple(t._size)
                                 for t in input[:2]])
        a, b, w1, w22, w32, w = self._parts(input)
        y = out_like(self.output, (a.shape[0],))
        y[...] = (w1 * w)[:, 0]
        return self.output

    def updateGradInput(self, input, gradOutput):
        a, b, w1, w22, w32, w = self._parts(input)
        go = arr(gradOutput).reshape(-1, 1)
        gi = grad_list(self, 2, input[0])
        g1 = (b - w1 * w22 * a) * w * go
        g2 = (a - w1 * w32 * b) * w * go
        out_like(gi[0], input[0]._size)[...] = g1.reshape(arr(input[0]).shape)
        out_like(gi[1], input[1]._size)[...] = g2.reshape(arr(input[1]).shape)
        return self.gradInput
