"""nn.WeightNorm: port of torch/nn WeightNorm.lua (a decorator reparametrising its module's weight
as g * v / ||v||, the norm taken over all dims but outputDim)."""
import contextlib
import math

from ..storage import LongStorage
from ._kernels import new_tensor
from .decorator import Decorator
from .utils import TorchAssertionError


class WeightNorm(Decorator):

    def __init__(self, module, outputDim=1):
        super().__init__(module)
        if module.__dict__.get('weight') is None:
            raise TorchAssertionError('assertion failed!')  # assert(module.weight)
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

    # The arithmetic below is WeightNorm.lua's, step by step on tensors, so that its roundings
    # (the norm squared back from its square root, g kept 2-D as norm(v, 2, 2) makes it) and
    # its buffers (gradV and weight re-viewed) are Torch7's.
    def permuteIn(self, inpt):
        ans = inpt
        for i in range(self.outputDim - 1, 0, -1):
            ans = ans.transpose(i, i + 1)
        return ans

    def permuteOut(self, inpt):
        ans = inpt
        for i in range(1, self.outputDim):
            ans = ans.transpose(i, i + 1)
        return ans

    def resetInit(self, inputSize=None, outputSize=None):
        self.v.normal(0, math.sqrt(2 / self.viewIn[2]))
        self.g.norm(self.v, 2, 2)
        if self.__dict__.get('bias') is not None:
            self.bias.zero()

    def evaluate(self):
        if self.__dict__.get('train') is not False:
            self.updateWeight()
            super().evaluate()

    def _expand(self, t):
        n, m = self.viewIn[1], self.viewIn[2]
        return t.view(n, 1).expand(n, m)

    def updateWeight(self):
        self.gradV.copy(self.permuteIn(self.weight))
        self.gradV = self.gradV.view(self.viewIn)
        self._norm.norm(self.v, 2, 2).pow(2).add(10e-5).sqrt()
        self.gradV.copy(self.v)
        self._scale.copy(self.g).cdiv(self._norm)
        self.gradV.cmul(self._expand(self._scale))
        self.gradV = self.gradV.view(self.viewOut)
        self.weight.copy(self.permuteOut(self.gradV))

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
        self.weight.copy(self.permuteIn(self.weight))
        self.gradV.copy(self.permuteIn(self.gradWeight))
        self.weight = self.weight.view(self.viewIn)
        norm = self._expand(self._norm)
        sc = self._expand(self._scale)
        # Torch7 overwrites gradG (no accumulation) and turns the module's gradWeight into gradV
        self.weight.copy(self.gradV)
        self.weight.cmul(self.v).cdiv(norm)
        self.gradG.sum(self.weight, 2)
        self.gradV.cmul(sc)
        self.weight.copy(self.v).cmul(sc).cdiv(norm)
        self.weight.cmul(self._expand(self.gradG))
        self.gradV.add(-1, self.weight)
        self.gradV = self.gradV.view(self.viewOut)
        self.weight = self.weight.view(self.viewOut)
        self.gradWeight.copy(self.permuteOut(self.gradV))

    @contextlib.contextmanager
    def _t7_writing(self):
        """WeightNorm:write: weight and gradWeight (its own and its module's) are set to nil
        while Module.write writes the fields (they come back from v and g at the read), then
        restored; a missing weightSize is set from the weight first."""
        inner = self.modules[0]
        weight, grad = inner.__dict__.get('weight'), inner.__dict__.get('gradWeight')
        own = {k: self.__dict__.get(k) for k in ('weight', 'gradWeight')}
        self.weight = self.gradWeight = None
        inner.weight = inner.gradWeight = None
        if self.__dict__.get('weightSize') is None:
            self.weightSize = weight.size()
        try:
            yield
        finally:
            inner.weight, inner.gradWeight = weight, grad
            self.weight, self.gradWeight = own['weight'], own['gradWeight']

    def _t7_read(self, fields, version):
        """WeightNorm:read: Torch7's WeightNorm:write leaves out weight and gradWeight (its own
        and its module's); they are rebuilt from v and g in weightSize."""
        self.__dict__.update(fields)
        self._t7_rebuild()

    def _t7_rebuild(self):
        """The end of WeightNorm:read (also clone's, a write and read in Torch7): weight and
        gradWeight, left out by the write, made again from v, g and gradV."""
        if self.__dict__.get('weight') is None:
            inner = self.modules[0]
            inner.weight = self.v.new().resize(*self.weightSize)
            inner.gradWeight = self.v.new().resize(*self.weightSize)
            self.weight = inner.weight
            self.gradWeight = inner.gradWeight
            self.updateWeight()
            self.gradWeight.copy(self.permuteOut(self.gradV))

    def zeroGradParameters(self):
        self.modules[0].zeroGradParameters()
        self.gradV.zero()
        self.gradG.zero()

    def updateParameters(self, lr):
        self.modules[0].updateParameters(lr)
        self.g.add(-lr, self.gradG)
        self.v.add(-lr, self.gradV)

    def parameters(self):
        if self.__dict__.get('bias') is not None:
            return [self.v, self.g, self.bias], [self.gradV, self.gradG, self.gradBias]
        return [self.v, self.g], [self.gradV, self.gradG]
