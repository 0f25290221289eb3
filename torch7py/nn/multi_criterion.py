"""nn.MultiCriterion: port of torch/nn MultiCriterion.lua (weighted sum of criterions on the same
input and target; the weights live in a DoubleStorage)."""
from ..messages import at_lua
from ..storage import DoubleStorage
from . import utils
from .criterion import Criterion
from .utils import TorchAssertionError


class MultiCriterion(Criterion):

    def __init__(self):
        super().__init__()
        self.criterions = []
        self.weights = DoubleStorage()

    def add(self, criterion, weight=None):
        if criterion is None:
            raise at_lua(TorchAssertionError('no criterion provided'), 'nn/MultiCriterion.lua:10')
        self.criterions.append(criterion)
        self.weights.resize(len(self.criterions))
        self.weights[len(self.criterions)] = 1 if weight is None else weight
        return self

    def updateOutput(self, input, target):
        self.output = 0
        for i, c in enumerate(self.criterions):
            self.output = self.output + self.weights[i + 1] * c.updateOutput(input, target)
        return self.output

    def updateGradInput(self, input, target):
        self.gradInput, _ = utils.recursiveResizeAs(self.gradInput, input)
        utils.recursiveFill(self.gradInput, 0)
        for i, c in enumerate(self.criterions):
            self.gradInput, _ = utils.recursiveAdd(self.gradInput, self.weights[i + 1],
                                                   c.updateGradInput(input, target))
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        # MultiCriterion.lua's type(type) takes no tensorCache: each criterion converts, then
        # Criterion's type runs without a cache
        for c in self.criterions:
            c.type(type)
        return super().type(type)
