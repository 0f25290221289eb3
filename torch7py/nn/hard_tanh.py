"""nn.HardTanh: port of torch/nn HardTanh.lua and THNN HardTanh.c (gradient 0 at the bounds)."""
import numpy as np

from ._kernels import (arr, as_shape, check_same_size, check_type, out_like, select_scalar,
                       write_back)
from ..messages import at_lua
from ..tensor import TorchError
from . import _lua
from .module import Module
from .utils import TorchAssertionError


class HardTanh(Module):

    def __init__(self, min_value=-1, max_value=1, inplace=False):
        super().__init__()
        self.min_val = -1 if min_value is None else min_value
        self.max_val = 1 if max_value is None else max_value
        self.inplace = bool(inplace)
        if inplace is not None and not isinstance(inplace, bool):  # (Lua: 0 is true)
            raise at_lua(TorchError('in-place flag must be boolean'), 'nn/HardTanh.lua:9')
        if not self.max_val > self.min_val:
            # (LuaJIT 2.1's assert with a message names its caller's line)
            raise at_lua(TorchAssertionError('max_value must be larger than min_value'),
                         'nn/HardTanh.lua:11')

    def updateOutput(self, input):
        if not all(isinstance(v, (int, float)) for v in (self.min_val, self.max_val)):
            # HardTanh_updateOutput(input, output, min_val, max_val, inplace): LuaJIT's FFI
            # converts only a number (or a boolean) to the accreal bounds ('0.5' fails)
            _lua.thnn_call(input, ("field 'output'", self.output),
                           nums=((self.min_val, 'double'), (self.max_val, 'double'),
                                 (self.inplace, 'bool')))
        check_type(self, input)
        x = arr(input)
        if self.inplace:
            np.clip(x, self.min_val, self.max_val, out=x)
            self.output.set(input)
        else:
            y = out_like(self.output, input._size)
            np.clip(x, self.min_val, self.max_val, out=y)
            # THNN: x < min ? min : (x <= max ? x : max), so a NaN becomes max (in place it stays)
            nan = np.isnan(x)
            if nan.any():
                select_scalar(~nan, y, self.max_val, y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if type(input) is not type(self.gradInput) or type(gradOutput) is not type(input):
            _lua.thnn_grad(self, input, gradOutput)  # the THNN call's checks, in Lua's order
        check_same_size(input, gradOutput, names=('input', 'gradOutput'), kind='nelement')
        x = arr(input)
        # THNN zeroes the gradient at the bounds themselves (x <= min or x >= max)
        keep = (x > self.min_val) & (x < self.max_val)
        keep |= np.isnan(x)
        if self.inplace:
            g = arr(gradOutput)
            gv = as_shape(g, x.shape)
            select_scalar(keep, gv, 0, gv)
            write_back(g, gv)
            self.gradInput.set(gradOutput)
        else:
            select_scalar(keep, as_shape(arr(gradOutput), x.shape), 0,
                          out_like(self.gradInput, input._size))
        return self.gradInput
