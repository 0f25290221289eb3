"""nn.ParallelCriterion: port of torch/nn ParallelCriterion.lua (weighted sum of criterion i on
(input[i], target[i]), or on one repeated target)."""
from . import utils
from .criterion import Criterion
from .utils import TorchAssertionError


class ParallelCriterion(Criterion):

    def __init__(self, repeatTarget=None):
        super().__init__()
        self.criterions = []
        self.weights = []
        self.gradInput = []
        self.repeatTarget = repeatTarget

    def add(self, criterion, weight=None):
        if criterion is None:
            raise TorchAssertionError('no criterion provided')
        self.criterions.append(criterion)
        self.weights.append(1 if weight is None else weight)
        return self

    def _target(self, target, i):
        return target if self.__dict__.get('repeatTarget') else target[i]

    def updateOutput(self, input, target):
        self.output = 0
        for i, c in enumerate(self.criterions):
            self.output = self.output + self.weights[i] * c.updateOutput(input[i],
                                                                         self._target(target, i))
        return self.output

    def updateGradInput(self, input, target):
        self.gradInput, _ = utils.recursiveResizeAs(self.gradInput, input)
        utils.recursiveFill(self.gradInput, 0)
        for i, c in enumerate(self.criterions):
            g = c.updateGradInput(input[i], self._target(target, i))
            self.gradInput[i], _ = utils.recursiveAdd(self.gradInput[i], self.weights[i], g)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        self.gradInput = []
        return super().type(type, tensorCache)
