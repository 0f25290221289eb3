"""cudnn.torch's wrappers whose own Lua code only folds shapes around other modules:
cudnn.VolumetricSoftMax, VolumetricLogSoftMax, SpatialCrossEntropyCriterion and
VolumetricCrossEntropyCriterion. cudnn.convert leaves them as they are (they are not in its
list), so a GPU file holding one could not run on a CPU in Torch7; here they keep their class
and fields and run their parts, which load as nn modules: `ssm` (a cudnn.SpatialSoftMax, nn's
SpatialSoftMax or SpatialLogSoftMax by its mode and algorithm), `slsm` and `nll`
(nn.SpatialClassNLLCriterion), `scec`. Each step is the Lua file's, its asserts included.
"""
from ..nn.criterion import Criterion
from ..nn.module import Module
from ..nn.utils import TorchAssertionError


def _assert(ok, message):
    if not ok:
        raise TorchAssertionError(message)


def _fold(t):
    """Time and height as one dimension: dthw -> d(t*h)w, bdthw -> bd(t*h)w."""
    s = t.size()
    if t.dim() == 4:
        return t.view(s[1], s[2] * s[3], s[4])
    return t.view(s[1], s[2], s[3] * s[4], s[5])


class VolumetricSoftMax(Module):
    """cudnn.VolumetricSoftMax: a softmax over the planes of a 3-D image (d x t x h x w) or of
    a batch of them, computed by its SpatialSoftMax on the input with t and h folded."""

    typename = "cudnn.VolumetricSoftMax"
    _log = False

    def __init__(self, fast=None):
        super().__init__()
        from .. import nn
        self.ssm = nn.SpatialLogSoftMax() if self._log else nn.SpatialSoftMax()

    def _check(self, input):
        _assert(input.dim() in (4, 5), "input should either be a 3d image or a minibatch of them")

    def updateOutput(self, input):
        self._check(input)
        size = input.size()
        self.ssm.updateOutput(_fold(input))
        self.output = self.ssm.output.view(size)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._check(input)
        size = input.size()
        self.ssm.updateGradInput(_fold(input), _fold(gradOutput))
        self.gradInput = self.ssm.gradInput.view(size)
        return self.gradInput

    def clearState(self):
        self.ssm.clearState()
        return super().clearState()


class VolumetricLogSoftMax(VolumetricSoftMax):
    typename = "cudnn.VolumetricLogSoftMax"
    _log = True


class SpatialCrossEntropyCriterion(Criterion):
    """cudnn.SpatialCrossEntropyCriterion: SpatialLogSoftMax over the classes of a batch x
    nClasses x H x W input, then SpatialClassNLLCriterion against batch x H x W targets."""

    typename = "cudnn.SpatialCrossEntropyCriterion"

    def __init__(self, weights=None):
        super().__init__()
        from .. import nn
        self.slsm = nn.SpatialLogSoftMax()
        self.nll = nn.SpatialClassNLLCriterion(weights)
        self.sizeAverage = True

    @staticmethod
    def _check(input, target):
        _assert(input.dim() == 4, "mini-batch supported only")
        _assert(target.dim() == 3, "mini-batch supported only")
        for i, j in ((1, 1), (3, 2), (4, 3)):
            _assert(input.size(i) == target.size(j), "input and target should be of same size")

    def updateOutput(self, input, target):
        self._check(input, target)
        self.slsm.updateOutput(input)
        # cudnn keeps the parts' sizeAverage in step with its own at each forward
        self.nll.sizeAverage = self.sizeAverage
        self.nll.updateOutput(self.slsm.output, target)
        self.output = self.nll.output
        return self.output

    def updateGradInput(self, input, target):
        self._check(input, target)
        self.nll.updateGradInput(self.slsm.output, target)
        self.slsm.updateGradInput(input, self.nll.gradInput)
        self.gradInput = self.slsm.gradInput
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type:
            self.nll.type(type)
            self.slsm.type(type)
        return super().type(type, tensorCache)


class VolumetricCrossEntropyCriterion(Criterion):
    """cudnn.VolumetricCrossEntropyCriterion: its SpatialCrossEntropyCriterion on batch x
    nClasses x T x H x W input and batch x T x H x W targets with T and H folded."""

    typename = "cudnn.VolumetricCrossEntropyCriterion"

    def __init__(self, weights=None):
        super().__init__()
        self.scec = SpatialCrossEntropyCriterion(weights)

    @staticmethod
    def _check(input, target):
        _assert(input.dim() == 5, "mini-batch supported only")
        _assert(target.dim() == 4, "mini-batch supported only")
        for i, j in ((1, 1), (3, 2), (4, 3), (5, 4)):
            _assert(input.size(i) == target.size(j), "input and target should be of same size")

    @staticmethod
    def _fold_target(t):
        s = t.size()
        return t.view(s[1], s[2] * s[3], s[4])

    def updateOutput(self, input, target):
        self._check(input, target)
        self.scec.updateOutput(_fold(input), self._fold_target(target))
        self.output = self.scec.output
        return self.output

    def updateGradInput(self, input, target):
        self._check(input, target)
        size = input.size()
        self.scec.updateGradInput(_fold(input), self._fold_target(target))
        self.gradInput = self.scec.gradInput.view(size)
        return self.gradInput


CLASSES = {c.typename: c for c in (VolumetricSoftMax, VolumetricLogSoftMax,
                                   SpatialCrossEntropyCriterion,
                                   VolumetricCrossEntropyCriterion)}
