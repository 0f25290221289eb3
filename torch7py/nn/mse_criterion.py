"""nn.MSECriterion: port of torch/nn MSECriterion.lua and THNN MSECriterion.c."""
import numpy as np

from ._pointwise_criterion import PointwiseCriterion


class MSECriterion(PointwiseCriterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def _loss(self, x, t):
        d = x - t
        return d * d

    def _grad(self, x, t, norm, gi):
        np.subtract(x, t, out=gi)
        gi *= 2 * norm
