"""nn.MultiLabelSoftMarginCriterion: port of torch/nn MultiLabelSoftMarginCriterion.lua (sigmoid
then binary cross-entropy, averaged over every element, optional per-class weights)."""
import numpy as np

from ._kernels import arr, as_target, check_nelement, out_like
from .criterion import Criterion
from .sigmoid import Sigmoid
from .utils import TorchAssertionError


class MultiLabelSoftMarginCriterion(Criterion):

    def __init__(self, weights=None, sizeAverage=None):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None:
            if weights.dim() != 1:
                raise TorchAssertionError('weights input should be 1-D Tensor')
            self.weights = weights
        self.sigmoid = Sigmoid()

    def _weights(self, input):
        w = self.__dict__.get('weights')
        if w is None:
            return 1.0
        return arr(w).reshape((1,) * (input.dim() - 1) + (-1,))

    def updateOutput(self, input, target):
        check_nelement(input, target)
        x = arr(input)
        t = as_target(input, target)
        self.sigmoid.updateOutput(input)
        # log(1 + exp(-|x|)) + max(x, 0) - t x: the cross-entropy of sigmoid(x), kept finite
        loss = np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0) - t * x
        s = float((loss * self._weights(input)).sum())
        if self.sizeAverage:
            s /= input.nElement()
        self.output = s
        return self.output

    def updateGradInput(self, input, target):
        check_nelement(input, target)
        gi = out_like(self.gradInput, input._size)
        p = arr(self.sigmoid.output) if self.sigmoid.output.nElement() == input.nElement() \
            else 1 / (1 + np.exp(-arr(input)))
        gi[...] = (p.reshape(gi.shape) - as_target(input, target)) * self._weights(input)
        if self.sizeAverage:
            gi /= target.nElement()
        return self.gradInput
