"""nn.MarginCriterion: port of torch/nn MarginCriterion.lua and THNN MarginCriterion.c."""
import numpy as np

from ._pointwise_criterion import PointwiseCriterion


class MarginCriterion(PointwiseCriterion):

    def __init__(self, margin=1):
        super().__init__()
        self.margin = 1 if margin is None else margin
        self.sizeAverage = True

    def _loss(self, x, t):
        z = self.margin - x * t
        return np.where(z > 0, z, 0)

    def _grad(self, x, t, norm, gi):
        np.copyto(gi, np.where(x * t < self.margin, -norm * t, 0))
