"""nn.ParallelCriterion: port of torch/nn ParallelCriterion.lua (weighted sum of criterion i on
(input[i], target[i]), or on one repeated target)."""
from ..messages import at_lua, lua_line
from . import _lua, utils
from .criterion import Criterion
from .utils import TorchAssertionError, lua_at


class ParallelCriterion(Criterion):

    def __init__(self, repeatTarget=None):
        super().__init__()
        self.criterions = []
        self.weights = []
        self.gradInput = []
        self.repeatTarget = repeatTarget

    def add(self, criterion, weight=None):
        if criterion is None:
            raise at_lua(TorchAssertionError(
                'no criterion provided'), 'nn/ParallelCriterion.lua:12')
        self.criterions.append(criterion)
        self.weights.append(1 if weight is None else weight)
        return self

    def _target(self, target, i, line):
        # Lua: self.repeatTarget and target or target[i] (i 1-based; a tensor target gives its
        # i-th element or slice)
        rt = self.__dict__.get('repeatTarget')
        if rt is not None and rt is not False and target is not None and target is not False:
            return target
        # (Lua's `a and b or c`: a nil or false target is indexed even with repeatTarget;
        # target[i] of nil, a number or a boolean fails naming the local 'target')
        with lua_line('nn/ParallelCriterion.lua:%d' % line):
            return _lua.index(target, i, "local 'target'")

    def updateOutput(self, input, target):
        self.output = 0
        for i, c in enumerate(self.criterions, 1):
            # ParallelCriterion.lua: `local target = ... target[i]` first, then
            # criterion:updateOutput(input[i], target)
            t = self._target(target, i, 22)
            self.output = self.output + self.weights[i - 1] * c.updateOutput(
                _lua.index(input, i, "local 'input'"), t)
        return self.output

    def updateGradInput(self, input, target):
        self.gradInput, _ = utils.recursiveResizeAs(self.gradInput, input)
        utils.recursiveFill(self.gradInput, 0)
        for i, c in enumerate(self.criterions, 1):
            g = c.updateGradInput(lua_at(input, i), self._target(target, i, 32))
            # recursiveAdd in place: a slice of a tensor gradInput is written through
            gi, _ = utils.recursiveAdd(lua_at(self.gradInput, i), self.weights[i - 1], g)
            if not utils.is_tensor(self.gradInput):
                self.gradInput[i - 1] = gi
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        self.gradInput = []
        return super().type(type, tensorCache)
