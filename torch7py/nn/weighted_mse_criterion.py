"""nn.WeightedMSECriterion: port of torch/nn WeightedMSECriterion.lua (MSE against the target
scaled element-wise by a weight, per sample in a batch)."""

from ._kernels import arr, out_like
from .mse_criterion import MSECriterion


class WeightedMSECriterion(MSECriterion):

    def __init__(self, w):
        super().__init__()
        self.weight = w.clone()
        self.buffer = w.new()

    def _weighted(self, input, target):
        b = out_like(self.buffer, input._size)
        b[...] = arr(target).reshape(b.shape)
        w = arr(self.weight)
        if input.dim() - 1 == self.weight.dim():
            b *= w.reshape((1,) + w.shape) if w.shape == b.shape[1:] else w.reshape(1, -1)
        else:
            b *= w.reshape(b.shape)
        return self.buffer

    def updateOutput(self, input, target):
        return super().updateOutput(input, self._weighted(input, target))

    def updateGradInput(self, input, target):
        return super().updateGradInput(input, self._weighted(input, target))


