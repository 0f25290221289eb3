"""nn.DistKLDivCriterion: port of torch/nn DistKLDivCriterion.lua and its THNN kernel."""
import numpy as np

from ..tensor import LongTensor
from ..tensor_math.pointwise import dlibm
from . import _lua
from ._pointwise_criterion import PointwiseCriterion
from .utils import TorchAssertionError


class DistKLDivCriterion(PointwiseCriterion):

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def _same_size(self, input, target):
        """DistKLDivCriterion.lua's assert, before its THNN call: `input:dim() ==
        target:dim() and torch.LongTensor(input:size()):eq(...target:size()):all()`."""
        di = _lua.mcall(input, 'dim', what="local 'input'")
        dt = _lua.mcall(target, 'dim', what="local 'target'")
        if di == dt == 0:
            # (two empty sizes: the LongTensor of their equalities is empty, and TH's all()
            # refuses an empty tensor)
            _lua.mcall(LongTensor(input.size()).eq(LongTensor(target.size())), 'all')
        if di != dt or tuple(input.size()) != tuple(target.size()):
            raise TorchAssertionError('input and target should have the same size')

    def updateOutput(self, input, target):
        self._same_size(input, target)
        return super().updateOutput(input, target)

    def updateGradInput(self, input, target):
        self._same_size(input, target)
        return super().updateGradInput(input, target)

    # THNN: `sum += t > 0 ? t * (log(t) - x) : 0`: libm's double log makes the term a double
    # (for float tensors too); the sum adds it in double and rounds to real
    _double_terms = True

    def _loss(self, x, t):
        pos = t > 0
        td = t.astype(np.float64, copy=False)
        with np.errstate(divide='ignore', invalid='ignore'):
            return np.where(pos, td * (dlibm('log', np.where(pos, td, 1.)) - x), 0.)

    def _grad(self, x, t, norm, gi):
        np.copyto(gi, np.where(t > 0, -norm * t, 0))
