"""nn.Constant: port of torch/nn Constant.lua (outputs a constant tensor, per sample in a batch)."""

from ..messages import at_lua
from .. import tensor as _tensor
from ._kernels import arr, new_tensor, out_like
from .module import Module
from .utils import TorchAssertionError


class Constant(Module):

    def __init__(self, value, nInputDim=None):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = new_tensor(1).fill(value)
        if not isinstance(value, _tensor.Tensor):
            raise at_lua(TorchAssertionError(
                'Expecting number or tensor at arg 1'), 'nn/Constant.lua:16')
        self.value = value
        self.nInputDim = nInputDim
        super().__init__()

    def updateOutput(self, input):
        v = arr(self.value)
        nid = self.__dict__.get('nInputDim')
        if nid and input.dim() > nid:
            y = out_like(self.output, (input.size(1),) + v.shape)
            y[...] = v[None]
        else:
            out_like(self.output, v.shape)[...] = v
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        return self.gradInput


