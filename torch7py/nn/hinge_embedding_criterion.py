"""nn.HingeEmbeddingCriterion: port of torch/nn HingeEmbeddingCriterion.lua
(x for y = 1, max(0, margin - x) for y = -1)."""
import numpy as np

from ._crit import values
from ._kernels import arr, out_like
from .criterion import Criterion


class HingeEmbeddingCriterion(Criterion):

    def __init__(self, margin=None):
        super().__init__()
        self.margin = 1 if margin is None else margin
        self.sizeAverage = True

    def _avg(self):
        return self.__dict__.get('sizeAverage') is None or self.sizeAverage is True

    def updateOutput(self, input, y):
        x = arr(input)
        yv = values(y, x)
        s = float(np.where(yv == -1, 0, x).sum())
        s += float(np.where(yv == 1, 0, np.maximum(self.margin - x, 0)).sum())
        if self._avg():
            s /= input.nElement()
        self.output = s
        return self.output

    def updateGradInput(self, input, y):
        x = arr(input)
        yv = values(y, x)
        gi = out_like(self.gradInput, input._size)
        gi[...] = np.where((yv == -1) & (x > self.margin), 0, yv)
        if self._avg():
            gi *= 1.0 / input.nElement()
        return self.gradInput
