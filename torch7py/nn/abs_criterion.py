"""nn.AbsCriterion: port of torch/nn AbsCriterion.lua and THNN AbsCriterion.c."""
import numpy as np

from ._pointwise_criterion import PointwiseCriterion


class AbsCriterion(PointwiseCriterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def _loss(self, x, t):
        return np.abs(x - t)

    def _grad(self, x, t, norm, gi):
        # THNN gives +norm at a zero difference (x - t >= 0)
        np.copyto(gi, np.where(x - t >= 0, norm, -norm))
