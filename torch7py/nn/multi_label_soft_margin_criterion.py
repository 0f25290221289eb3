"""nn.MultiLabelSoftMarginCriterion: port of torch/nn MultiLabelSoftMarginCriterion.lua (sigmoid
then binary cross-entropy, averaged over every element, optional per-class weights)."""
import numpy as np

from ..tensor_math.pointwise import libm
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
        # MultiLabelSoftMarginCriterion.lua's steps on tensors (the input's type, accreal sum):
        # log(1 + exp(x - 2 x [x >= 0])) - x (t - [x >= 0]), the stable cross-entropy
        weights = self.__dict__.get('weights')
        if weights is not None and target.dim() != 1:
            weights = weights.view(1, target.size(2)).expandAs(target)
        x = input.view(input.nElement())
        t = target.view(target.nElement())
        self.sigmoid.updateOutput(x)
        for k in ('_buffer1', '_buffer2'):
            if self.__dict__.get(k) is None:
                setattr(self, k, input.new())
        b1, b2 = self._buffer1, self._buffer2
        b1.ge(x, 0)
        b2.cmul(x, b1).mul(-2).add(x).exp().add(1).log()
        b1.mul(-1).add(t).cmul(x)
        b2.add(-1, b1)
        if weights is not None:
            b2.cmul(weights)
        out = b2.sum()
        if self.sizeAverage:
            out = out / input.nElement()
        self.output = out
        return self.output

    def updateGradInput(self, input, target):
        check_nelement(input, target)
        gi = out_like(self.gradInput, input._size)
        p = arr(self.sigmoid.output) if self.sigmoid.output.nElement() == input.nElement() \
            else libm('sigmoid', arr(input), np.empty(arr(input).shape, arr(input).dtype))
        gi[...] = (p.reshape(gi.shape) - as_target(input, target)) * self._weights(input)
        if self.sizeAverage:
            gi /= target.nElement()
        return self.gradInput
