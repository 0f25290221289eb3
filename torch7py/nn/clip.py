"""nn.Clip: dpnn's Clip.lua: the input with values above maxval set to maxval and below minval
to minval; the gradient passes unchanged (gradInput is gradOutput itself)."""
from .. import messages
from .. import tensor as _tensor
from .module import Module
from .reinforce import _assert


class Clip(Module):
    """nn.Clip(minval, maxval)."""

    typename = "nn.Clip"

    def __init__(self, minval=None, maxval=None):
        _assert(messages.torch_type(minval) == "number")
        _assert(messages.torch_type(maxval) == "number")
        self.minval = minval
        self.maxval = maxval
        super().__init__()

    def updateOutput(self, input):
        d = self.__dict__
        if d.get("_mask") is None:
            d["_mask"] = input.new()
        if d.get("_byte") is None:
            d["_byte"] = _tensor.ByteTensor()
        mask, byte = d["_mask"], d["_byte"]
        self.output.resizeAs(input).copy(input)
        mask.gt(self.output, self.maxval)
        byte.resize(mask.size()).copy(mask)
        self.output.maskedFill(byte, self.maxval)
        mask.lt(self.output, self.minval)
        byte.resize(mask.size()).copy(mask)
        self.output.maskedFill(byte, self.minval)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.set(gradOutput)
        return self.gradInput
