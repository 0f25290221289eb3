"""nn.Copy: port of torch/nn Copy.lua (converts the tensor type forward and back)."""
from .. import tensor as _tensor
from .module import Module


class Copy(Module):

    def __init__(self, intype=None, outtype=None, forceCopy=False, dontCast=None):
        default = _tensor.default_tensor_type().typename
        intype = intype or default
        outtype = outtype or default
        self.dontCast = dontCast  # (set before Module's fields, as Copy.lua; nil: no field)
        super().__init__()
        self.gradInput = _tensor.tensor_types[intype]()
        self.output = _tensor.tensor_types[outtype]()
        # Torch7 installs pass-through methods on the instance when no copy is needed
        if (not forceCopy) and intype == outtype:
            self._passthrough = True

    def updateOutput(self, input):
        if self.__dict__.get('_passthrough'):
            self.output.set(input)
            return input
        self.output.resize(*input._size).copy(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('_passthrough'):
            self.gradInput.set(gradOutput)
            return gradOutput
        self.gradInput.resize(*gradOutput._size).copy(gradOutput)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        if type is not None and self.__dict__.get('dontCast'):
            return self
        return super().type(type, tensorCache)
