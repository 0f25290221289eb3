"""nn.SmoothL1Criterion: port of torch/nn SmoothL1Criterion.lua and THNN SmoothL1Criterion.c."""
import numpy as np

from ._kernels import arr, as_target, check_nelement, check_type, out_like
from .criterion import Criterion


class SmoothL1Criterion(Criterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def updateOutput(self, input, target):
        check_type(self, input, self.gradInput)
        check_nelement(input, target)
        z = np.abs(arr(input) - as_target(input, target))
        s = float(np.where(z < 1, 0.5 * z * z, z - 0.5).sum())
        if self.sizeAverage:
            s /= input.nElement()
        self.output = s
        return self.output

    def updateGradInput(self, input, target):
        check_nelement(input, target)
        norm = 1.0 / input.nElement() if self.sizeAverage else 1.0
        x = arr(input) - as_target(input, target)
        gi = out_like(self.gradInput, input._size)
        np.copyto(gi, np.where(x < -1, -norm, np.where(x > 1, norm, norm * x)))
        return self.gradInput
