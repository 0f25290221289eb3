"""nn.CSubTable: port of torch/nn CSubTable.lua (input[1] - input[2])."""
import numpy as np

from ._kernels import arr, out_like
from ._table import grad_list, same_n
from .module import Module


class CSubTable(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        a, b = input[0], input[1]
        same_n([a, b])
        y = out_like(self.output, a._size)
        np.subtract(arr(a), arr(b).reshape(y.shape), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = grad_list(self, 2, input[0])
        go = arr(gradOutput)
        out_like(gi[0], input[0]._size)[...] = go.reshape(arr(input[0]).shape)
        np.negative(go.reshape(arr(input[1]).shape), out=out_like(gi[1], input[1]._size))
        return self.gradInput
