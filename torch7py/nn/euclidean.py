"""nn.Euclidean: port of torch/nn Euclidean.lua (y_j = ||w_j - x||; weight is in x out)."""
import numpy as np

from ._conv import uniform_reset
from ._kernels import arr, new_tensor, out_like
from ..messages import msg
from ..tensor import TorchError
from . import utils
from .module import Module


class Euclidean(Module):

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = new_tensor(inputSize, outputSize)
        self.gradWeight = new_tensor(inputSize, outputSize).zero()
        self.reset()
        self.fastBackward = True

    def reset(self, stdv=None):
        return uniform_reset(self, self.weight.size(1), stdv)

    def _rows(self, input):
        if input.dim() not in (1, 2):
            raise TorchError('1D or 2D input expected')
        x = arr(input)
        n = self.weight.size(1)
        if x.shape[-1] != n or (x.ndim == 1 and x.shape[0] != n):
            # Euclidean.lua views the input as (batch x) inputSize x 1 first
            into = ("%d" % n) if x.ndim == 1 else ("%dx%d" % (x.shape[0], n))
            raise TorchError(msg("view_size", "x".join(map(str, x.shape)), into + "x1"))
        return x.reshape(1, -1) if x.ndim == 1 else x

    def _buf(self, name, like):
        b = self.__dict__.get(name)
        if b is None:
            b = like.new()
            setattr(self, name, b)
        return b

    def updateOutput(self, input):
        x = self._rows(input)
        w = arr(self.weight)
        # Euclidean.lua keeps x - w_j (_repeat) for the backward: the gradients follow the
        # weight of the forward even when the weight changed since (WeightNorm uses it as
        # scratch between the passes)
        rep = out_like(self._buf('_repeat', self.output), (x.shape[0],) + w.shape)
        np.subtract(x[:, :, None], w[None], out=rep)
        y = out_like(self.output, (w.shape[1],) if input.dim() == 1 else (x.shape[0], w.shape[1]))
        y.reshape(x.shape[0], -1)[...] = np.sqrt((rep * rep).sum(axis=1))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        if not self.fastBackward:
            self.updateOutput(input)
        x = self._rows(input)
        rep = self.__dict__.get('_repeat')
        if rep is None or rep.dim() != 3 or rep.size(1) != x.shape[0]:
            self.updateOutput(input)
            rep = self._repeat
        r = arr(rep)
        # (x - w_j) * go_j / (y_j + 1e-7): Torch7 adds 1e-7 against division by zero
        y = arr(self.output).reshape(x.shape[0], -1)
        go = arr(gradOutput).reshape(x.shape[0], -1)
        r2 = out_like(self._buf('_repeat2', self.output), r.shape)
        np.multiply(r, (go / (y + 1e-7))[:, None, :], out=r2)
        gi = out_like(self.gradInput, input._size)
        gi.reshape(r2.shape[0], -1)[...] = r2.sum(axis=2)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        """Uses the terms of the preceding updateGradInput, as Euclidean.lua does."""
        if scale is None:
            scale = 1
        r2 = self.__dict__.get('_repeat2')
        if r2 is None or r2.nElement() == 0:
            self.updateGradInput(input, gradOutput)
            r2 = self._repeat2
        gw = arr(self.gradWeight)
        gw -= scale * arr(r2).sum(axis=0)

    def clearState(self):
        utils.clear(self, '_input', '_output', '_gradOutput', '_weight', '_div', '_sum',
                    '_expand', '_expand2', '_expand3', '_repeat', '_repeat2')
        return super().clearState()
