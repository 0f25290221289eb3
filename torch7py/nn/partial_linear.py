"""nn.PartialLinear: port of torch/nn PartialLinear.lua (a Linear layer restricted to a chosen set
of output columns; a LookupTable of rows and an MM inside)."""
import numpy as np

from ._kernels import arr, new_tensor
from .identity import Identity
from .lookup_table import LookupTable
from .mm import MM
from . import utils
from .module import Module
from .parallel_table import ParallelTable
from .sequential import Sequential


class PartialLinear(Module):

    def __init__(self, inputsize, outputsize, bias=True):
        super().__init__()
        pt = ParallelTable()
        pt.add(Identity()).add(LookupTable(outputsize, inputsize))
        self.network = Sequential().add(pt).add(MM(False, True))
        if bias is not False:
            self.bias = new_tensor(1, outputsize).zero()
            self.gradBias = new_tensor(1, outputsize).zero()
        self.inputsize = inputsize
        self.outputsize = outputsize
        self.allcolumns = new_tensor(outputsize)
        arr(self.allcolumns)[...] = np.arange(1, outputsize + 1)
        self.resetPartition()

    def setPartition(self, indices):
        self.partition = indices.type(self.allcolumns.type())

    def resetPartition(self):
        self.partition = self.allcolumns

    def _lookup(self):
        return self.network.modules[0].modules[1]

    def parameters(self):
        lt = self._lookup()
        if self.__dict__.get('bias') is not None:
            return [lt.weight, self.bias], [lt.gradWeight, self.gradBias]
        return [lt.weight], [lt.gradWeight]

    def _cols(self):
        return np.asarray(arr(self.partition)).astype(np.int64) - 1

    def updateOutput(self, input):
        self.output.set(self.network.forward([input, self.partition]))
        if self.__dict__.get('bias') is not None:
            y = arr(self.output)
            y += arr(self.bias)[0, self._cols()]
            # PartialLinear.lua's column of ones for its gradBias mv (kept as its field)
            utils.lua_buffers(self, input, 'addBuffer')
            if self.addBuffer.nElement() != input.size(1):
                self.addBuffer.resize(input.size(1)).fill(1)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is not None:
            self.network.updateGradInput([input, self.partition], gradOutput)
            self.gradInput.set(self.network.gradInput[0])
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        self.network.accGradParameters([input, self.partition], gradOutput, scale)
        if self.__dict__.get('bias') is not None:
            utils.lua_buffers(self, input, 'buffer')
            self.buffer.resize(gradOutput.size(2))
            # buffer:mv(gradOutput:t(), addBuffer):mul(scale): TH's gemv (its 'n' or 't'
            # order by gradOutput's layout), then a separate multiply
            self.buffer.mv(gradOutput.t(), self.addBuffer).mul(scale)
            b = arr(self.buffer)
            gb = arr(self.gradBias)
            np.add.at(gb[0], self._cols(), b)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        lt = self._lookup()
        gw, gb = lt.gradWeight, self.__dict__.get('gradBias')
        lt.gradWeight = lt.weight
        if gb is not None:
            self.gradBias = self.bias
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            lt.gradWeight = gw
            if gb is not None:
                self.gradBias = gb

    def zeroGradParameters(self):
        self.network.zeroGradParameters()
        if self.__dict__.get('gradBias') is not None:
            self.gradBias.zero()

    def updateParameters(self, learningRate):
        self.network.updateParameters(learningRate)
        if self.__dict__.get('bias') is not None:
            b = arr(self.bias)
            b -= learningRate * arr(self.gradBias)

    def __tostring__(self):
        return '%s(%d -> %d)%s' % (self.typename, self.inputsize, self.outputsize,
                                   ' without bias' if self.__dict__.get('bias') is None else '')

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        # PartialLinear.lua: no accumulation when sharing, the default update
        self.defaultAccUpdateGradParameters(input, gradOutput, lr)
