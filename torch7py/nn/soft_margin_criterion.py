"""nn.SoftMarginCriterion: port of torch/nn SoftMarginCriterion.lua and THNN
SoftMarginCriterion.c (logistic loss log(1 + exp(-y x)))."""
import numpy as np

from ._pointwise_criterion import PointwiseCriterion


class SoftMarginCriterion(PointwiseCriterion):

    def __init__(self):
        super().__init__()
        self.sizeAverage = True

    def _loss(self, x, t):
        with np.errstate(over='ignore'):
            return np.log1p(np.exp(-x * t))

    def _grad(self, x, t, norm, gi):
        with np.errstate(over='ignore', invalid='ignore'):
            z = np.exp(-x * t)
            gi[...] = -norm * t * z / (1 + z)
