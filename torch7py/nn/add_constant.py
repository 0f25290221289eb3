"""nn.AddConstant: port of torch/nn AddConstant.lua (adds a scalar or a per-column vector)."""
import numpy as np

from ..messages import at_lua
from ..tensor import TorchError
from ._kernels import arr, out_like
from .module import Module
from . import _lua, utils


def _integer(x, c):
    """x is a tensor of one of TH's integer types and c a number: the module's Lua lines run
    as TH's tensor methods (the number cast to the type first), not numpy's arithmetic."""
    return isinstance(c, (int, float)) and utils.is_tensor(x) and arr(x).dtype.kind in 'iu'


class AddConstant(Module):

    def __init__(self, constant_scalar=None, ip=False):
        # AddConstant.lua checks the constant in updateOutput only
        super().__init__()
        if ip and not isinstance(ip, bool):
            raise at_lua(TorchError('in-place flag must be boolean'), 'nn/AddConstant.lua:10')
        self.constant_scalar = constant_scalar
        self.inplace = bool(ip)

    def _constant(self, input):
        c = self.constant_scalar
        is_num = isinstance(c, (int, float)) and not isinstance(c, bool)
        if not is_num and not utils.is_tensor(c):
            raise at_lua(utils.TorchAssertionError(
                "input is not scalar or doesn't match with the "
                "dimension of constant!"), 'nn/AddConstant.lua:15')
        if utils.is_tensor(c):
            if not (input.dim() <= 2 and input.size(input.dim()) == c.size(1)):
                raise TorchError("input is not scalar or doesn't match with the dimension "
                                 "of constant!")
            return arr(c)
        return c

    def updateOutput(self, input):
        c = self._constant(input)
        if not utils.is_tensor(input) or type(input) is not type(self.output) and \
                isinstance(c, (int, float)) and not _integer(input, c):
            # AddConstant.lua's tensor calls where a value that is no tensor of the module's
            # type fails: input:add(tmp) (in place), self.output:resizeAs(input)
            if self.inplace:
                _lua.mcall(input, 'add', c, what="local 'input'")
                _lua.mcall(self.output, 'set', input)
            else:
                _lua.mcall(self.output, 'resizeAs', input)
        if _integer(input, c):
            # AddConstant.lua's tensor calls: TH's add casts the constant to the integer type
            if self.inplace:
                input.add(c)
                self.output.set(input)
            else:
                self.output.resizeAs(input).copy(input).add(c)
            return self.output
        if self.inplace:
            x = arr(input)
            np.add(x, c, out=x, casting='unsafe')
            self.output.set(input)
        else:
            np.add(arr(input), c, out=out_like(self.output, input._size), casting='unsafe')
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.inplace:
            self.gradInput.set(gradOutput)
            # Torch7 restores the input by subtracting the constant back
            if _integer(input, self.constant_scalar):
                input.add(-self.constant_scalar)  # input:add(-self.constant_scalar)
                return self.gradInput
            x = arr(input)
            np.subtract(x, self._constant(input), out=x, casting='unsafe')
        else:
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput
