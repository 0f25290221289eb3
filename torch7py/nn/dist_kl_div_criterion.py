"""nn.DistKLDivCriterion: port of torch/nn DistKLDivCriterion.lua and its THNN kernel."""
import numpy as np

from ._pointwise_criterion import PointwiseCriterion


class DistKLDivCriterion(PointwiseCriterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def _loss(self, x, t):
        pos = t > 0
        with np.errstate(divide='ignore', invalid='ignore'):
            return np.where(pos, t * (np.log(np.where(pos, t, 1)) - x), 0)

    def _grad(self, x, t, norm, gi):
        np.copyto(gi, np.where(t > 0, -norm * t, 0))
