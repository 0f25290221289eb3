"""nn.MarginCriterion: port of torch/nn MarginCriterion.lua and THNN MarginCriterion.c."""
import numpy as np

from ._kernels import arr, as_target, check_nelement, check_type, out_like
from .criterion import Criterion


class MarginCriterion(Criterion):

    def __init__(self, margin=1):
        super().__init__()
        self.margin = 1 if margin is None else margin
        self.sizeAverage = True

    def updateOutput(self, input, target):
        check_type(self, input, self.gradInput)
        check_nelement(input, target)
        z = self.margin - arr(input) * as_target(input, target)
        s = float(np.where(z > 0, z, 0).sum())
        if self.sizeAverage:
            s /= input.nElement()
        self.output = s
        return self.output

    def updateGradInput(self, input, target):
        check_nelement(input, target)
        norm = 1.0 / input.nElement() if self.sizeAverage else 1.0
        t = as_target(input, target)
        gi = out_like(self.gradInput, input._size)
        np.copyto(gi, np.where(arr(input) * t < self.margin, -norm * t, 0))
        return self.gradInput
