"""nn.MulConstant: port of torch/nn MulConstant.lua (scales by a constant, optionally in place)."""
import numpy as np

from ..messages import at_lua
from ..tensor import Tensor, TorchError
from . import _lua
from ._kernels import arr, out_like
from .add_constant import _integer
from .module import Module


class MulConstant(Module):

    def __init__(self, constant_scalar, ip=False):
        super().__init__()
        if isinstance(constant_scalar, bool) or not isinstance(constant_scalar, (int, float)):
            raise TorchError('input is not scalar!')
        if ip and not isinstance(ip, bool):
            raise at_lua(TorchError('in-place flag must be boolean'), 'nn/MulConstant.lua:11')
        self.constant_scalar = constant_scalar
        self.inplace = bool(ip)

    def updateOutput(self, input):
        c = self.constant_scalar
        if _integer(input, c):
            # MulConstant.lua's tensor calls: TH's mul casts the constant to the integer type
            if self.inplace:
                input.mul(c)
                self.output.set(input)
            else:
                self.output.resizeAs(input).copy(input).mul(c)
            return self.output
        if self.inplace:
            if not isinstance(input, Tensor):
                _lua.mcall(input, 'mul', c, what="local 'input'")  # MulConstant.lua:17
            x = arr(input)
            np.multiply(x, c, out=x, casting='unsafe')
            self.output.set(input)
        else:
            _lua.resize_as_first(self.output, input)  # MulConstant.lua: output:resizeAs(input)
            np.multiply(arr(input), c, out=out_like(self.output, input._size), casting='unsafe')
        return self.output

    def updateGradInput(self, input, gradOutput):
        c = self.constant_scalar
        if _integer(gradOutput, c) and (not self.inplace or _integer(input, c)):
            if self.inplace:
                gradOutput.mul(c)
                self.gradInput.set(gradOutput)
                input.div(c)  # restore previous input value
            else:
                self.gradInput.resizeAs(gradOutput).copy(gradOutput).mul(c)
            return self.gradInput
        if self.inplace:
            g = arr(gradOutput)
            np.multiply(g, c, out=g, casting='unsafe')
            self.gradInput.set(gradOutput)
            # Torch7 restores the input by dividing it back
            x = arr(input)
            np.divide(x, c, out=x, casting='unsafe')
        else:
            _lua.resize_as_first(self.gradInput, gradOutput)  # gradInput:resizeAs(gradOutput)
            np.multiply(arr(gradOutput), c, out=out_like(self.gradInput, gradOutput._size),
                        casting='unsafe')
        return self.gradInput
