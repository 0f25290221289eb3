"""nn.ClassSimplexCriterion: port of torch/nn ClassSimplexCriterion.lua (MSE to the class's vertex
of a regular simplex embedded in nClasses dimensions)."""
import math

import numpy as np

import torch7py

from ..messages import at_lua
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
            raise at_lua(TorchAssertionError(
                'Required positive integer argument nClasses > 1'),
                'nn/ClassSimplexCriterion.lua:53')
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
                raise at_lua(TorchAssertionError(
                    '1D tensors only!'), 'nn/ClassSimplexCriterion.lua:73')
            t = np.asarray(arr(target))
            v = t.astype(np.int64)
            # Torch7's tensor index: i - 1, a negative i counting from the end (-1: the last)
            idx = np.where(v >= 1, v - 1, s.shape[0] + v)
            self._target.resize(idx.size, self.nClasses)
            if idx.size and (idx.min() < 0 or idx.max() >= s.shape[0]):
                # ClassSimplexCriterion.lua's self.simplex[target[i]], one after another: the
                # first class out of the simplex's rows fails as Torch7's tensor index
                for v in t.tolist():
                    self.simplex[v]
            arr(self._target)[...] = s[idx]
        elif isinstance(target, (int, float, np.number)) and not isinstance(target, bool):
            # torch.type(target) == 'number'; anything else leaves _target as it was
            self._target.resize(self.nClasses)
            v = int(target)
            i = v - 1 if v >= 1 else s.shape[0] + v
            if not 0 <= i < s.shape[0]:
                self.simplex[target]  # (Torch7's index error)
            arr(self._target)[...] = s[i]

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
