"""nn.SoftMarginCriterion: port of torch/nn SoftMarginCriterion.lua and THNN
SoftMarginCriterion.c (logistic loss log(1 + exp(-y x)))."""
import numpy as np

from ..tensor_math.pointwise import dlibm
from ._pointwise_criterion import PointwiseCriterion


class SoftMarginCriterion(PointwiseCriterion):

    def __init__(self):
        super().__init__()
        self.sizeAverage = True

    def _loss(self, x, t):
        # THNN: `real z = log(1. + exp(-x * t))`: libm's double exp and log, z a real
        return dlibm('log', 1. + dlibm('exp', -x * t)).astype(x.dtype)

    def _grad(self, x, t, norm, gi):
        # `real z = exp(-t * x)`, `-norm * t * z / (1. + z)`: norm a real, the product in
        # real, the quotient in double
        dt = x.dtype.type
        z = dlibm('exp', -t * x).astype(x.dtype)
        with np.errstate(over='ignore', invalid='ignore'):
            gi[...] = (-dt(norm) * t * z) / (1. + z.astype(np.float64))
