"""nn.ClassSimplexCriterion: port of torch/nn ClassSimplexCriterion.lua (MSE to the class's vertex
of a regular simplex embedded in nClasses dimensions)."""
import math

import numpy as np

import torch7py

from .. import tensor as _tensor
from ._kernels import arr, lua_call_error, new_tensor
from .mse_criterion import MSECriterion
from .utils import TorchAssertionError


def regsplex(n):
    """The n+1 vertices (rows) of a regular simplex centred at the origin, of norm 1."""
    a = np.zeros((n + 1, n))
    for k in range(n):
        if k == 0:
            a[k, k] = 1
        else:
            a[k, k] = math.sqrt(1 - np.linalg.norm(a[k, :k]) ** 2)
        c = (a[k, k] ** 2 - 1 - 1 / n) / a[k, k]
        a[k + 1:, k] = c
    return a


class ClassSimplexCriterion(MSECriterion):

    def __init__(self, nClasses):
        super().__init__()
        if not (nClasses and nClasses > 1 and nClasses == int(nClasses)):
            raise TorchAssertionError('Required positive integer argument nClasses > 1')
        self.nClasses = nClasses
        simp = regsplex(nClasses - 1)
        self.simplex = new_tensor(simp.shape[0], nClasses)
        arr(self.simplex)[...] = np.concatenate(
            [simp, np.zeros((simp.shape[0], nClasses - simp.shape[1]))], axis=1)
        self._target = new_tensor(nClasses)

    def _transform(self, target):
        s = arr(self.simplex)
        if isinstance(target, _tensor.Tensor):
            if target.dim() != 1:
                raise TorchAssertionError('1D tensors only!')
            idx = np.asarray(arr(target)).astype(np.int64) - 1
            self._target.resize(idx.size, self.nClasses)
            arr(self._target)[...] = s[idx]
        elif isinstance(target, (int, float, np.number)) and not isinstance(target, bool):
            # torch.type(target) == 'number'; anything else leaves _target as it was
            self._target.resize(self.nClasses)
            arr(self._target)[...] = s[int(target) - 1]

    def updateOutput(self, input, target):
        self._transform(target)
        if not hasattr(input, 'nElement'):
            raise lua_call_error(input, 'input', 'nElement')
        if input.nElement() != self._target.nElement():
            raise TorchAssertionError('assertion failed!')
        return super().updateOutput(input, self._target)

    def updateGradInput(self, input, target):
        if input.nElement() != self._target.nElement():
            raise TorchAssertionError('assertion failed!')
        return super().updateGradInput(input, self._target)

    def getPredictions(self, input):
        x = input.view(1, -1) if input.dim() == 1 else input
        return torch7py.mm(x, self.simplex.t())  # TH's mm: its argument and size texts

    def getTopPrediction(self, input):
        prod = arr(self.getPredictions(input))
        res = _tensor.LongTensor(prod.shape[0])
        arr(res)[...] = prod.argmax(axis=1) + 1
        return res
