"""nn.MSECriterion: port of torch/nn MSECriterion.lua and THNN MSECriterion.c."""
import numpy as np

from ._pointwise_criterion import PointwiseCriterion


_SCRATCH = {}


class MSECriterion(PointwiseCriterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def _loss(self, x, t):
        # in one reused buffer (the values of (x - t) ** 2 as d * d): a criterion's Jacobian
        # check runs 2n forwards on n elements, and a fresh large temporary costs page faults
        key = (x.shape, np.result_type(x, t))
        d = _SCRATCH.get(key)
        if d is None:
            _SCRATCH.clear()
            d = _SCRATCH[key] = np.empty(key[0], key[1])
        np.subtract(x, t, out=d)
        np.multiply(d, d, out=d)
        return d

    def _grad(self, x, t, norm, gi):
        np.subtract(x, t, out=gi)
        gi *= 2 * norm
