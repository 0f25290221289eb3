"""nn.Normalize: port of torch/nn Normalize.lua (rows divided by their p-norm, p = inf included)."""
import math

import numpy as np

from ._kernels import arr, out_like
from ._pointwise import buffer
from .. import tensor as _tensor
from ..tensor import TorchError
from .module import Module
from .utils import TorchAssertionError


class Normalize(Module):

    def __init__(self, p, eps=None):
        super().__init__()
        if not p:
            raise TorchAssertionError('p-norm not provided')
        if p <= 0:
            raise TorchAssertionError('p-norm must be greater than 0')
        self.p = p
        self.eps = 1e-10 if eps is None else eps

    def _rows(self, input):
        if input.dim() > 2:
            raise TorchError('only 1d layer supported')
        x = arr(input)
        return x.reshape(1, -1) if x.ndim == 1 else x

    def updateOutput(self, input):
        x = self._rows(input)
        p = self.p
        if p == math.inf:
            ax = np.abs(x)
            idx = ax.argmax(axis=1)
            norm = buffer(self, 'norm', (x.shape[0], 1))
            norm[:, 0] = ax[np.arange(x.shape[0]), idx] + self.eps
            if not isinstance(self.__dict__.get('_indices'), _tensor.LongTensor):
                self._indices = _tensor.LongTensor()
            buffer(self, '_indices', (x.shape[0], 1))[:, 0] = idx + 1
        else:
            normp = buffer(self, 'normp', (x.shape[0], 1))
            np.sum(np.abs(x) ** p, axis=1, keepdims=True, out=normp)
            normp += self.eps
            np.power(normp, 1.0 / p, out=buffer(self, 'norm', (x.shape[0], 1)))
        y = out_like(self.output, input._size)
        np.divide(x, arr(self.norm), out=y.reshape(x.shape))
        return self.output

    def updateGradInput(self, input, gradOutput):
        x = self._rows(input)
        if gradOutput.dim() > 2:
            raise TorchError('only 1d layer supported')
        go = arr(gradOutput).reshape(x.shape)
        n = x.shape[0]
        p = self.p
        norm = arr(self.norm)
        if p == math.inf:
            diag = norm * go
            buf = np.zeros_like(x)
            rows = np.arange(n)
            idx = arr(self._indices)[:, 0] - 1
            buf[rows, idx] = x[rows, idx] / norm[:, 0]
        else:
            normp = arr(self.normp)
            diag = normp * go
            if p % 2 != 0:
                if p < 2:
                    buf = (np.abs(x) + self.eps) ** (p - 2) * x
                else:
                    buf = np.abs(x) ** (p - 2) * x
            elif p == 2:
                buf = x.copy()
            else:
                buf = x ** (p - 2) * x
        cross = (x * go).sum(axis=1, keepdims=True)
        gi = diag - buf * cross
        if p == math.inf:
            gi /= norm * norm
        else:
            gi /= normp * norm
        out = out_like(self.gradInput, input._size)
        out.reshape(x.shape)[...] = gi
        return self.gradInput

    def __tostring__(self):
        if self.p % 1 == 0:
            return '%s(%d)' % (self.typename, self.p)
        return '%s(%f)' % (self.typename, self.p)
