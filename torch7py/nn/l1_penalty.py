"""nn.L1Penalty: port of torch/nn L1Penalty.lua (identity forward that records an L1 loss and adds
its gradient)."""
import numpy as np

from .. import numerics
from ..tensor import Tensor
from . import _lua
from ._kernels import arr, out_like
from .module import Module


class L1Penalty(Module):

    def __init__(self, l1weight, sizeAverage=False, provideOutput=None):
        super().__init__()
        self.l1weight = l1weight
        self.sizeAverage = sizeAverage or False
        self.provideOutput = True if provideOutput is None else provideOutput

    def _m(self, input):
        m = self.l1weight
        if self.sizeAverage is True:
            m = m / input.nElement()
        return m

    def updateOutput(self, input):
        m = self._m(input)
        if not isinstance(input, Tensor) or not hasattr(input, 'norm'):
            # L1Penalty.lua: m * input:norm(1), the call before the product (an integer
            # tensor has no norm)
            _lua.mcall(input, 'norm', 1, what="local 'input'")
        self.loss = m * float(numerics.seqsum(np.abs(arr(input)), np.float64))
        self.output = input
        return self.output

    def updateGradInput(self, input, gradOutput):
        m = self._m(input)
        if type(input) is not type(self.gradInput) or isinstance(m, bool) or not isinstance(
                m, (int, float)) or (self.provideOutput is True and (
                    type(gradOutput) is not type(input)
                    or gradOutput.nElement() != input.nElement())):
            # L1Penalty.lua's lines: resizeAs(input):copy(input):sign():mul(m), add(gradOutput)
            g = _lua.mcall(_lua.mcall(self.gradInput, 'resizeAs', input), 'copy', input)
            _lua.mcall(_lua.mcall(g, 'sign'), 'mul', m)
            if self.provideOutput is True:
                _lua.mcall(self.gradInput, 'add', gradOutput)
            return self.gradInput
        gi = out_like(self.gradInput, input._size)
        np.multiply(np.sign(arr(input)), self._m(input), out=gi)
        if self.provideOutput is True:
            gi += arr(gradOutput).reshape(gi.shape)
        return self.gradInput
