"""nn.L1Cost: port of torch/nn L1Cost.lua and THNN L1Cost.c (sum of |x|; the target is unused)."""
import numpy as np

from .. import numerics
from ._kernels import arr, new_tensor, out_like
from .criterion import Criterion


class L1Cost(Criterion):

    def __init__(self):
        super().__init__()
        self.output_tensor = new_tensor(1)

    def updateOutput(self, input, target=None):
        s = float(numerics.seqsum(np.abs(arr(input)), np.float64))  # THNN: accreal
        if self.__dict__.get('output_tensor') is None:
            self.output_tensor = new_tensor(1)
        arr(self.output_tensor)[0] = s
        self.output = s
        return self.output

    def updateGradInput(self, input, target=None):
        np.sign(arr(input), out=out_like(self.gradInput, input._size))
        return self.gradInput
