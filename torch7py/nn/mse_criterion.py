"""nn.MSECriterion: port of torch/nn MSECriterion.lua and THNN MSECriterion.c."""
import numpy as np

from ._kernels import arr, as_target, check_nelement, check_type, out_like
from .criterion import Criterion


class MSECriterion(Criterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def updateOutput(self, input, target):
        check_type(self, input, self.gradInput)
        check_nelement(input, target)
        d = arr(input) - as_target(input, target)
        s = float(np.dot(d.ravel(), d.ravel()))
        if self.sizeAverage:
            s /= input.nElement()
        self.output = s
        return self.output

    def updateGradInput(self, input, target):
        check_nelement(input, target)
        norm = 2.0 / input.nElement() if self.sizeAverage else 2.0
        gi = out_like(self.gradInput, input._size)
        np.subtract(arr(input), as_target(input, target), out=gi)
        gi *= norm
        return self.gradInput
