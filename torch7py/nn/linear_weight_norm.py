"""nn.LinearWeightNorm: port of torch/nn LinearWeightNorm.lua (a Linear layer whose weight rows are
g * v / ||v||, learning g and v)."""
import numpy as np

from ._conv import init_bound
from ._kernels import arr, new_tensor
from .linear import Linear
from .module import Module


class LinearWeightNorm(Linear):

    def __init__(self, inputSize, outputSize, bias=True, eps=None):
        Module.__init__(self)      # Torch7 skips Linear's constructor
        self.eps = 1e-16 if eps is None else eps
        self.outputSize = outputSize
        self.inputSize = inputSize
        self.v = new_tensor(outputSize, inputSize)
        self.gradV = new_tensor(outputSize, inputSize).zero()
        self.weight = new_tensor(outputSize, inputSize)
        self.g = new_tensor(outputSize, 1)
        self.gradG = new_tensor(outputSize, 1).zero()
        self.norm = new_tensor(outputSize, 1)
        self.scale = new_tensor(outputSize, 1)
        if bias is not False:
            self.bias = new_tensor(outputSize)
            self.gradBias = new_tensor(outputSize).zero()
        self.reset()

    def evaluate(self):
        if self.__dict__.get('train') is not False:
            self.updateWeightMatrix()
        Module.evaluate(self)

    def initFromWeight(self, weight=None):
        w = arr(self.weight if weight is None else weight)
        arr(self.g)[...] = np.maximum(np.sqrt((w * w).sum(axis=1, keepdims=True)), self.eps)
        arr(self.v)[...] = w
        return self

    @staticmethod
    def fromLinear(linear):
        m = LinearWeightNorm(linear.weight.size(2), linear.weight.size(1),
                             linear.__dict__.get('bias') is not None)
        m.weight.copy(linear.weight)
        m.initFromWeight()
        if linear.__dict__.get('bias') is not None:
            m.bias.copy(linear.bias)
        return m

    def toLinear(self):
        self.updateWeightMatrix()
        m = Linear(self.inputSize, self.outputSize, self.__dict__.get('bias') is not None)
        m.weight.copy(self.weight)
        if self.__dict__.get('bias') is not None:
            m.bias.copy(self.bias)
        return m

    def parameters(self):
        if self.__dict__.get('bias') is not None:
            return [self.v, self.g, self.bias], [self.gradV, self.gradG, self.gradBias]
        return [self.v, self.g], [self.gradV, self.gradG]

    def reset(self, stdv=None):
        stdv = init_bound(stdv, self.inputSize)
        self.weight.uniform(-stdv, stdv)
        self.initFromWeight()
        if self.__dict__.get('bias') is not None:
            self.bias.uniform(-stdv, stdv)
        return self

    def updateWeightMatrix(self):
        for name, like in (('norm', self.g), ('scale', self.g), ('weight', self.v)):
            if self.__dict__[name].dim() == 0:
                self.__dict__[name].resizeAs(like)
        v = arr(self.v)
        norm = arr(self.norm)
        norm[...] = np.maximum(np.sqrt((v * v).sum(axis=1, keepdims=True)), self.eps)
        scale = arr(self.scale)
        np.divide(arr(self.g), norm, out=scale)
        np.multiply(v, scale, out=arr(self.weight))

    def updateOutput(self, input):
        if self.__dict__.get('train') is not False:
            self.updateWeightMatrix()
        return super().updateOutput(input)

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        x = arr(input)
        go = arr(gradOutput)
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        go2 = go.reshape(1, -1) if go.ndim == 1 else go
        gv = arr(self.gradV)
        gv += scale * (go2.T @ x2)
        if self.__dict__.get('bias') is not None:
            gb = arr(self.gradBias)
            gb += scale * go2.sum(axis=0)
        v, s, n = arr(self.v), arr(self.scale), arr(self.norm)
        gg = arr(self.gradG)
        # Torch7 overwrites gradG and reworks the accumulated gradV (no accumulation of g)
        gg[...] = (gv * v / n).sum(axis=1, keepdims=True)
        gv *= s
        gv -= v * s / n * gg
        arr(self.weight)[...] = v * s / n * gg

    def defaultAccUpdateGradParameters(self, input, gradOutput, lr):
        gradV, gradG, gradBias = self.gradV, self.gradG, self.__dict__.get('gradBias')
        self.gradV, self.gradG = self.v, self.g
        if gradBias is not None:
            self.gradBias = self.bias
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            self.gradV, self.gradG = gradV, gradG
            if gradBias is not None:
                self.gradBias = gradBias

    def clearState(self):
        from . import utils
        utils.clear(self, 'weight', 'norm', 'scale')
        return super().clearState()

    def __tostring__(self):
        return '%s(%d -> %d)%s' % (self.typename, self.inputSize, self.outputSize,
                                   ' without bias' if self.__dict__.get('bias') is None else '')
