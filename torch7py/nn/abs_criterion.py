"""nn.AbsCriterion: port of torch/nn AbsCriterion.lua and THNN AbsCriterion.c."""
import numpy as np

from ._kernels import arr, as_target, check_nelement, check_type, out_like
from .criterion import Criterion


class AbsCriterion(Criterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def updateOutput(self, input, target):
        check_type(self, input, self.gradInput)
        check_nelement(input, target)
        s = float(np.abs(arr(input) - as_target(input, target)).sum())
        if self.sizeAverage:
            s /= input.nElement()
        self.output = s
        return self.output

    def updateGradInput(self, input, target):
        check_nelement(input, target)
        norm = 1.0 / input.nElement() if self.sizeAverage else 1.0
        gi = out_like(self.gradInput, input._size)
        # THNN gives +norm at a zero difference (x - t >= 0)
        np.copyto(gi, np.where(arr(input) - as_target(input, target) >= 0, norm, -norm))
        return self.gradInput
