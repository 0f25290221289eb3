"""nn.CategoricalEntropy: dpnn's CategoricalEntropy.lua, a regularizer that passes a batch of
categorical distributions on unchanged and, in backward, adds the gradient of -scale times the
entropy of their batch mean (divided by the batch size when sizeAverage), while the entropy is
below minEntropy (always when there is none). The entropy is computed by the module nn.Sum(1),
MulConstant(1 / sum), ConcatTable{Identity, AddConstant(1e-6) - Log}, CMulTable, Sum,
MulConstant(-1), as dpnn builds it (`entropy` holds its last value)."""
from .add_constant import AddConstant
from .c_mul_table import CMulTable
from .concat_table import ConcatTable
from .identity import Identity
from .log import Log
from .module import Module
from .mul_constant import MulConstant
from .reinforce import _assert
from .sequential import Sequential
from .sum import Sum
from . import utils


class CategoricalEntropy(Module):
    """nn.CategoricalEntropy([scale=1], [minEntropy])."""

    typename = "nn.CategoricalEntropy"

    def __init__(self, scale=None, minEntropy=None):
        super().__init__()
        self.scale = 1 if scale is None else scale
        self.minEntropy = minEntropy
        m = Sequential()
        m.add(Sum(1))
        self._mul = MulConstant(1)
        m.add(self._mul)
        concat = ConcatTable()
        concat.add(Identity())
        seq = Sequential()
        seq.add(AddConstant(0.000001))
        seq.add(Log())
        concat.add(seq)
        m.add(concat)
        m.add(CMulTable())
        m.add(Sum())
        m.add(MulConstant(-1))
        self.module = m
        self.modules = [m]
        t = utils.default_tensor_class()(1)
        t[1] = -self.scale
        self.minusOne = t
        self.sizeAverage = True

    def updateOutput(self, input):
        _assert(input.dim() == 2, "CategoricalEntropy only works with batches")
        self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput, scale=None):
        _assert(input.dim() == 2, "CategoricalEntropy only works with batches")
        self.gradInput.resizeAs(input).copy(gradOutput)
        self._mul.constant_scalar = 1 / input.sum()
        self.entropy = self.module.updateOutput(input)[1]
        if self.minEntropy is None or self.minEntropy is False \
                or self.entropy < self.minEntropy:
            g = self.module.updateGradInput(input, self.minusOne)
            if self.sizeAverage:
                g.div(input.size(1))
            self.gradInput.add(g)
        return self.gradInput
