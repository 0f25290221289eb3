"""nn.SoftMarginCriterion: port of torch/nn SoftMarginCriterion.lua and THNN
SoftMarginCriterion.c (logistic loss log(1 + exp(-y x)))."""
import numpy as np

from ._kernels import arr, as_target, check_nelement, check_type, out_like
from .criterion import Criterion


class SoftMarginCriterion(Criterion):

    def __init__(self):
        super().__init__()
        self.sizeAverage = True

    def updateOutput(self, input, target):
        check_type(self, input, self.gradInput)
        check_nelement(input, target)
        with np.errstate(over='ignore'):
            s = float(np.log1p(np.exp(-arr(input) * as_target(input, target))).sum())
        if self.sizeAverage:
            s /= input.nElement()
        self.output = s
        return self.output

    def updateGradInput(self, input, target):
        check_nelement(input, target)
        norm = 1.0 / input.nElement() if self.sizeAverage else 1.0
        t = as_target(input, target)
        with np.errstate(over='ignore', invalid='ignore'):
            z = np.exp(-arr(input) * t)
            out_like(self.gradInput, input._size)[...] = -norm * t * z / (1 + z)
        return self.gradInput
