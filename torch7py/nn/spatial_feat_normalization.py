"""nn.SpatialFeatNormalization: dpnn's SpatialFeatNormalization.lua: each feature map minus
its mean and divided by its std (1 when not given); the gradient divided by the std."""
from ..tensor import TorchError
from .module import Module
from . import utils


class SpatialFeatNormalization(Module):
    """nn.SpatialFeatNormalization(mean, [std]) (1-d tensors, one value a feature)."""

    typename = "nn.SpatialFeatNormalization"

    def __init__(self, mean=None, std=None):
        super().__init__()
        if mean.dim() != 1:
            raise TorchError('<SpatialFeatNormalization> Mean/Std should be 1D.')
        cls = utils.default_tensor_class()
        self.mean = cls()
        self.mean.resizeAs(mean).copy(mean)
        self.std = cls()
        self.std.resizeAs(mean)
        if std is not None:
            self.std.copy(std)
        else:
            self.std.fill(1)
        self.noOfFeats = mean.size(1)

    def _feature_dim(self, t, what):
        if t.dim() == 4:
            fdim = 2
        elif t.dim() == 3:
            fdim = 1
        else:
            raise TorchError('<SpatialFeatNormalization> invalid %s dims.' % what)
        if t.size(fdim) != self.noOfFeats:
            raise TorchError("<SpatialFeatNormalization> No. of Feats dont match.")
        return fdim

    def updateOutput(self, input):
        self.output.resizeAs(input).copy(input)
        fdim = self._feature_dim(input, 'input')
        for i in range(1, self.noOfFeats + 1):
            m = self.output.select(fdim, i)
            m.add(-self.mean[i])
            m.div(self.std[i])
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        fdim = self._feature_dim(self.gradInput, 'self.gradInput')
        for i in range(1, self.noOfFeats + 1):
            self.gradInput.select(fdim, i).div(self.std[i])
        return self.gradInput
