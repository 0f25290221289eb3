"""nn.Normalize: port of torch/nn Normalize.lua (rows divided by their p-norm, p = inf included)."""
import math

import numpy as np

import torch7py

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
        # Normalize.lua's tensor operations (abs/pow, a sum along rows, pow 1/p, cdiv into
        # _output, output a view of it), so that the roundings and buffers are Torch7's
        if input.dim() > 2:
            raise TorchAssertionError('only 1d layer supported')
        input_size = input.size()
        if input.dim() == 1:
            input = input.view(1, -1)
        d = self.__dict__
        for k in ('_output', 'norm', 'buffer'):
            if d.get(k) is None:
                d[k] = input.new()
        self._output.resizeAs(input)
        if self.p == math.inf:
            if not isinstance(d.get('_indices'), _tensor.LongTensor):
                self._indices = _tensor.LongTensor()
            self.buffer.abs(input)
            torch7py.max(self.norm, self._indices, self.buffer, 2)
            self.norm.add(self.eps)
        else:
            if d.get('normp') is None:
                self.normp = input.new()
            if self.p % 2 != 0:
                self.buffer.abs(input).pow(self.p)
            else:
                self.buffer.pow(input, self.p)
            self.normp.sum(self.buffer, 2).add(self.eps)
            self.norm.pow(self.normp, 1 / self.p)
        self._output.cdiv(input, self.norm.view(-1, 1).expandAs(input))
        self.output.view(self._output, input_size)
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
