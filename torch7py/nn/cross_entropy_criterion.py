"""nn.CrossEntropyCriterion: port of torch/nn CrossEntropyCriterion.lua."""
from .. import messages
from ..messages import lua_line
from . import _lua, utils
from .class_nll_criterion import ClassNLLCriterion
from .criterion import Criterion
from .log_soft_max import LogSoftMax


def _squeeze(t):
    """CrossEntropyCriterion.lua: type(target) == 'number' and target or target:squeeze()."""
    if utils.is_tensor(t):
        return t.squeeze()
    if messages.lua_type(t) == 'number':
        return t
    return _lua.mcall(t, 'squeeze', what="local 'target'")


class CrossEntropyCriterion(Criterion):

    def __init__(self, weights=None, sizeAverage=True):
        super().__init__()
        self.lsm = LogSoftMax()
        self.nll = ClassNLLCriterion(weights, sizeAverage)
        self.sizeAverage = self.nll.sizeAverage
        self.oldSizeAverage = self.sizeAverage

    # (each squeeze names its own line: a string input and a string target fail with one
    # text, "attempt to call method 'squeeze'", at lines 12 and 13, 28 and 29)
    def updateOutput(self, input, target):
        with lua_line('nn/CrossEntropyCriterion.lua:12'):
            input = _lua.mcall(input, 'squeeze', what="local 'input'")
        with lua_line('nn/CrossEntropyCriterion.lua:13'):
            target = _squeeze(target)
        if self.sizeAverage != self.oldSizeAverage:
            self.nll.sizeAverage = self.sizeAverage
        self.lsm.updateOutput(input)
        self.nll.updateOutput(self.lsm.output, target)
        self.output = self.nll.output
        self.oldSizeAverage = self.sizeAverage
        return self.output

    def updateGradInput(self, input, target):
        with lua_line('nn/CrossEntropyCriterion.lua:27'):
            size = _lua.mcall(input, 'size', what="local 'input'")
        with lua_line('nn/CrossEntropyCriterion.lua:28'):
            input = _lua.mcall(input, 'squeeze', what="local 'input'")
        with lua_line('nn/CrossEntropyCriterion.lua:29'):
            target = _squeeze(target)
        if self.sizeAverage != self.oldSizeAverage:
            self.nll.sizeAverage = self.sizeAverage
        self.nll.updateGradInput(self.lsm.output, target)
        self.lsm.updateGradInput(input, self.nll.gradInput)
        self.gradInput.set(self.lsm.gradInput.view(size))
        self.oldSizeAverage = self.sizeAverage
        return self.gradInput
