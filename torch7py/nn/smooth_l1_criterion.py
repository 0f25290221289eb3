"""nn.SmoothL1Criterion: port of torch/nn SmoothL1Criterion.lua and THNN SmoothL1Criterion.c."""
import numpy as np

from ._pointwise_criterion import PointwiseCriterion


class SmoothL1Criterion(PointwiseCriterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    # THNN: `real z = fabs(x - t); sum += z < 1 ? 0.5*z*z : z - 0.5`: fabs and the literals
    # make the term a double (for float tensors too)
    _double_terms = True

    def _loss(self, x, t):
        z = np.abs(x - t).astype(np.float64, copy=False)
        return np.where(z < 1, 0.5 * z * z, z - 0.5)

    def _grad(self, x, t, norm, gi):
        d = x - t
        np.copyto(gi, np.where(d < -1, -norm, np.where(d > 1, norm, norm * d)))
