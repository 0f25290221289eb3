"""nn.DistKLDivCriterion: port of torch/nn DistKLDivCriterion.lua and its THNN kernel."""
import numpy as np

from ._kernels import arr, as_target, check_nelement, check_type, out_like
from .criterion import Criterion


class DistKLDivCriterion(Criterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def updateOutput(self, input, target):
        check_type(self, input, self.gradInput)
        check_nelement(input, target)
        t = as_target(input, target)
        pos = t > 0
        with np.errstate(divide='ignore', invalid='ignore'):
            terms = np.where(pos, t * (np.log(np.where(pos, t, 1)) - arr(input)), 0)
        s = float(terms.sum())
        if self.sizeAverage:
            s /= input.nElement()
        self.output = s
        return self.output

    def updateGradInput(self, input, target):
        check_nelement(input, target)
        norm = 1.0 / input.nElement() if self.sizeAverage else 1.0
        t = as_target(input, target)
        gi = out_like(self.gradInput, input._size)
        np.copyto(gi, np.where(t > 0, -norm * t, 0))
        return self.gradInput
