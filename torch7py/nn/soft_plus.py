"""nn.SoftPlus: port of torch/nn SoftPlus.lua and THNN SoftPlus.c (log(1 + exp(beta x)) / beta)."""
import numpy as np

from ._pointwise import Pointwise


class SoftPlus(Pointwise):

    def __init__(self, beta=None, *ignored):
        super().__init__()
        self.beta = 1 if beta is None else beta
        # Torch7 takes only beta; the threshold is fixed (a second argument is ignored)
        self.threshold = 20

    def _forward(self, x, y):
        bx = x * self.beta
        with np.errstate(over='ignore'):
            soft = np.log1p(np.exp(bx)) / self.beta
        np.copyto(y, np.where(bx > self.threshold, x, soft))

    def _backward(self, x, y, go, gi):
        by = y * self.beta
        with np.errstate(over='ignore', invalid='ignore'):
            z = np.exp(by)
            np.copyto(gi, np.where(by > self.threshold, go, go * (z - 1) / z))
