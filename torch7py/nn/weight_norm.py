"""nn.WeightNorm: port of torch/nn WeightNorm.lua (a decorator reparametrising its module's weight
as g * v / ||v||, the norm taken over all dims but outputDim)."""
import math

import numpy as np

from ..storage import LongStorage
from ._kernels import arr, new_tensor
from .decorator import Decorator
from .utils import TorchAssertionError


class WeightNorm(Decorator):

    def __init__(self, module, outputDim=1):
        super().__init__(module)
        if module.__dict__.get('weight') is None:
            raise TorchAssertionError('WeightNorm: the module has no weight')
        if module.__dict__.get('bias') is not None:
            self.bias = module.bias
            self.gradBias = module.gradBias
        self.gradWeight = module.gradWeight
        self.weight = module.weight
        self.outputDim = outputDim or 1
        size = list(self.weight._size)
        other = 1
        for i, s in enumerate(size):
            if i != self.outputDim - 1:
                other *= s
        self.otherDims = other
        self.viewIn = LongStorage([size[self.outputDim - 1], other])
        view_out = list(size)
        view_out.insert(0, view_out.pop(self.outputDim - 1))
        self.viewOut = LongStorage(view_out)
        self.weightSize = LongStorage(size)
        n = size[self.outputDim - 1]
        self.v = new_tensor(n, other)
        self.g = new_tensor(n)
        self._norm = new_tensor(n)
        self._scale = new_tensor(n)
        self.gradG = new_tensor(n).zero()
        self.gradV = new_tensor(n, other).zero()
        self.output = new_tensor()
        self.gradInput = new_tensor()
        self.resetInit()

    def _in(self, a):
        """The weight-shaped array as (outputs, rest)."""
        return np.moveaxis(a, self.outputDim - 1, 0).reshape(self.g.size(1), -1)

    def _out(self, a2, like):
        shape = np.moveaxis(like, self.outputDim - 1, 0).shape
        return np.moveaxis(a2.reshape(shape), 0, self.outputDim - 1)

    def resetInit(self, inputSize=None, outputSize=None):
        self.v.normal(0, math.sqrt(2 / self.otherDims))
        v = arr(self.v)
        arr(self.g)[...] = np.sqrt((v * v).sum(axis=1))

    def evaluate(self):
        if self.__dict__.get('train') is not False:
            self.updateWeight()
            super().evaluate()

    def updateWeight(self):
        v = arr(self.v)
        norm = arr(self._norm)
        norm[...] = np.sqrt((v * v).sum(axis=1) + 10e-5)
        scale = arr(self._scale)
        np.divide(arr(self.g), norm, out=scale)
        w = arr(self.weight)
        w[...] = self._out(v * scale[:, None], w)

    def updateOutput(self, input):
        if self.__dict__.get('train') is not False:
            self.updateWeight()
        self.output.set(self.modules[0].updateOutput(input))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.set(self.modules[0].updateGradInput(input, gradOutput))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.modules[0].accGradParameters(input, gradOutput, 1 if scale is None else scale)
        gw = self._in(arr(self.gradWeight))
        v = arr(self.v)
        norm = arr(self._norm)[:, None]
        sc = arr(self._scale)[:, None]
        gg = arr(self.gradG)
        # Torch7 overwrites gradG (no accumulation) and turns the module's gradWeight into gradV
        gg[...] = (gw * v / norm).sum(axis=1)
        gv = arr(self.gradV)
        gv[...] = gw * sc - v * sc / norm * gg[:, None]
        w = arr(self.weight)
        w[...] = self._out(v * sc / norm * gg[:, None], w)
        g = arr(self.gradWeight)
        g[...] = self._out(gv, g)

    def zeroGradParameters(self):
        self.modules[0].zeroGradParameters()
        self.gradV.zero()
        self.gradG.zero()

    def updateParameters(self, lr):
        self.modules[0].updateParameters(lr)
        g = arr(self.g)
        g -= lr * arr(self.gradG)
        v = arr(self.v)
        v -= lr * arr(self.gradV)

    def parameters(self):
        if self.__dict__.get('bias') is not None:
            return [self.v, self.g, self.bias], [self.gradV, self.gradG, self.gradBias]
        return [self.v, self.g], [self.gradV, self.gradG]
