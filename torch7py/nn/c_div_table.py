"""nn.CDivTable: port of torch/nn CDivTable.lua (input[1] / input[2])."""
import numpy as np

from ._kernels import arr, out_like
from ._table import grad_list, same_n
from .module import Module


class CDivTable(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        same_n(list(input[:2]))
        y = out_like(self.output, input[0]._size)
        np.divide(arr(input[0]), arr(input[1]).reshape(y.shape), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = grad_list(self, 2, input[0])
        a = arr(input[0])
        b = arr(input[1]).reshape(a.shape)
        g1 = out_like(gi[0], input[0]._size)
        np.divide(arr(gradOutput).reshape(a.shape), b, out=g1)
        g2 = out_like(gi[1], input[1]._size)
        g2[...] = (-(g1 / b) * a).reshape(g2.shape)
        return self.gradInput
