"""nn.DotProduct: port of torch/nn DotProduct.lua (row-wise dot product of a pair)."""
import numpy as np

from ._kernels import arr, out_like
from ._table import grad_list, same_n
from .module import Module


def rows(t):
    a = arr(t)
    return a.reshape(1, -1) if a.ndim == 1 else a


class DotProduct(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = [self.output.new(), self.output.new()]

    def updateOutput(self, input):
        same_n(list(input[:2]))
        a, b = rows(input[0]), rows(input[1])
        y = out_like(self.output, (a.shape[0],))
        np.sum(a * b.reshape(a.shape), axis=1, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        a, b = rows(input[0]), rows(input[1])
        gi = grad_list(self, 2, input[0])
        go = arr(gradOutput).reshape(-1, 1)
        out_like(gi[0], input[0]._size)[...] = (b * go).reshape(arr(input[0]).shape)
        out_like(gi[1], input[1]._size)[...] = (a * go).reshape(arr(input[1]).shape)
        return self.gradInput
