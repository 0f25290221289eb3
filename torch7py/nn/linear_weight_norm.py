"""nn.LinearWeightNorm: port of torch/nn LinearWeightNorm.lua (a Linear layer whose weight rows are
g * v / ||v||, learning g and v)."""
import math

from . import _lua
from ._conv import init_bound
from ._kernels import new_tensor
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
        # its Lua: weight = weight or self.weight; self.g:norm(weight,2,2):clamp(self.eps,
        # math.huge); self.v:copy(weight)
        if weight is None or weight is False:
            weight = self.weight
        _lua.mcall(_lua.mcall(self.g, 'norm', weight, 2, 2), 'clamp', self.eps, math.inf)
        _lua.mcall(self.v, 'copy', weight)
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
        return  # (its Lua returns nothing)
    def updateWeightMatrix(self):
        for name, like in (('norm', self.g), ('scale', self.g), ('weight', self.v)):
            if self.__dict__[name].dim() == 0:
                self.__dict__[name].resizeAs(like)
        # its Lua's tensor calls: THTensor_(norm)'s row sums in its order (not numpy's
        # pairwise sum, whose 8 partial sums round otherwise past 8 inputs), then clamp,
        # cdiv and cmul
        self.norm.norm(self.v, 2, 2).clamp(self.eps, math.inf)
        self.scale.cdiv(self.g, self.norm)
        self.weight.cmul(self.v, self.scale.expandAs(self.v))

    def updateOutput(self, input):
        if self.__dict__.get('train') is not False:
            self.updateWeightMatrix()
        return super().updateOutput(input)

    def accGradParameters(self, input, gradOutput, scale=1):
        # LinearWeightNorm.lua's lines: gradV (and gradBias) by the input's dimension (no
        # other dimension adds anything), then gradG and gradV from the weight buffers
        if scale is None or scale is False:
            scale = 1
        nd = _lua.mcall(input, 'dim', what="local 'input'")
        bias = self.__dict__.get('bias') is not None
        if nd == 1:
            _lua.mcall(self.gradV, 'addr', scale, gradOutput, input)
            if bias:
                _lua.mcall(self.gradBias, 'add', scale, gradOutput)
        elif nd == 2:
            _lua.mcall(self.gradV, 'addmm', scale,
                       _lua.mcall(gradOutput, 't', what="local 'gradOutput'"), input)
            if bias:
                nframe = input.size(1)  # Linear:updateAddBuffer
                buf = self.__dict__.get('addBuffer')
                if buf is None:
                    buf = self.addBuffer = input.new()
                if buf.nElement() != nframe:
                    buf.resize(nframe).fill(1)
                _lua.mcall(self.gradBias, 'addmv', scale, gradOutput.t(), buf)
        scale = self.scale.expandAs(self.v)
        norm = self.norm.expandAs(self.v)
        self.weight.cmul(self.gradV, self.v).cdiv(norm)
        self.gradG.sum(self.weight, 2)
        self.gradV.cmul(scale)
        self.weight.cmul(self.v, scale).cdiv(norm)
        self.weight.cmul(self.gradG.expandAs(self.weight))
        self.gradV.add(-1, self.weight)

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
