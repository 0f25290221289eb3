"""nn.CMulTable: port of torch/nn CMulTable.lua (product of a table of tensors)."""
import numpy as np

from ._kernels import arr, out_like
from ._table import grad_list, same_n
from .module import Module


class CMulTable(Module):

    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        same_n(list(input))
        y = out_like(self.output, input[0]._size)
        np.copyto(y, arr(input[0]))
        for t in input[1:]:
            y *= arr(t).reshape(y.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = grad_list(self, len(input), input[0])
        go = arr(gradOutput)
        for i, t in enumerate(input):
            # the product of the other inputs, never a division by input[i]
            g = out_like(gi[i], t._size)
            np.copyto(g, go.reshape(g.shape))
            for j, u in enumerate(input):
                if j != i:
                    g *= arr(u).reshape(g.shape)
        return self.gradInput
