"""nn.WeightedEuclidean: port of torch/nn WeightedEuclidean.lua (y_j = ||c_j * (x - w_j)|| with a
learnt diagonal covariance c_j per template)."""
import numpy as np

from ..tensor import TorchError
from ._conv import init_bound
from ._kernels import arr, new_tensor, out_like
from .module import Module


class WeightedEuclidean(Module):

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = new_tensor(inputSize, outputSize)
        self.gradWeight = new_tensor(inputSize, outputSize).zero()
        self.diagCov = new_tensor(inputSize, outputSize)
        self.gradDiagCov = new_tensor(inputSize, outputSize).zero()
        self.reset()

    def reset(self, stdv=None):
        stdv = init_bound(stdv, self.weight.size(1))
        self.weight.uniform(-stdv, stdv)
        self.diagCov.fill(1)
        return self

    def parameters(self):
        return [self.weight, self.diagCov], [self.gradWeight, self.gradDiagCov]

    def _parts(self, input):
        if input.dim() not in (1, 2):
            raise TorchError('1D or 2D input expected')
        x = arr(input)
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        d = x2[:, :, None] - arr(self.weight)[None]            # (batch, in, out)
        return x2, d, arr(self.diagCov)[None]

    def updateOutput(self, input):
        x2, d, c = self._parts(input)
        cd = c * d
        y = out_like(self.output, (self.weight.size(2),) if input.dim() == 1
                     else (x2.shape[0], self.weight.size(2)))
        y.reshape(x2.shape[0], -1)[...] = np.sqrt((cd * cd).sum(axis=1))
        return self.output

    def _scaled_go(self, x2, gradOutput):
        # Torch7 adds 1e-7 to the output against division by zero
        y = arr(self.output).reshape(x2.shape[0], -1)
        return arr(gradOutput).reshape(x2.shape[0], -1) / (y + 1e-7)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x2, d, c = self._parts(input)
        g = self._scaled_go(x2, gradOutput)[:, None, :]
        gi = out_like(self.gradInput, input._size)
        gi.reshape(x2.shape)[...] = (c * c * d * g).sum(axis=2)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        x2, d, c = self._parts(input)
        g = self._scaled_go(x2, gradOutput)[:, None, :]
        gw = arr(self.gradWeight)
        gw -= scale * (c * c * d * g).sum(axis=0)
        gc = arr(self.gradDiagCov)
        gc += scale * (c * d * d * g).sum(axis=0)
