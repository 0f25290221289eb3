"""nn.GatedLinearUnit: port of torch/nn GatedLinearUnit.lua (first half times the sigmoid of the
second half, along dim)."""
import numpy as np

from . import _lua
from ._kernels import arr, out_like
from ..tensor import DoubleTensor, FloatTensor
from ._thnn_check import arg_check
from .module import Module
from .sigmoid import Sigmoid

_THNN = (DoubleTensor, FloatTensor)


class GatedLinearUnit(Module):

    def __init__(self, dim=None):
        super().__init__()
        self.sigmoid = Sigmoid()
        self.dim = dim

    def _lua_call(self, input, *args):
        """GatedLinearUnit.lua's `local dim = self.dim or input:dim()`, then the THNN call's
        input.THNN, cdata()s and FFI conversions (args: its tensors after input)."""
        dim = self.__dict__.get('dim')
        if dim is None or dim is False:
            dim = _lua.mcall(input, 'dim', what="local 'input'")
        if not (type(input) in _THNN and all(type(v) is type(input) for _, v in args)
                and type(dim) in (int, float)):
            _lua.thnn_call(input, *args, nums=((dim, 'int'),))

    def _halves(self, input):
        dim = self.__dict__.get('dim') or input.dim()
        # THNN GatedLinear: THTensor_(size)(input, dim), then the halving check
        arg_check(1 <= dim <= input.dim(), 2, 'dimension %d out of range of %dD tensor', dim,
                  input.dim())
        n = input._size[dim - 1]
        arg_check(n % 2 == 0, 2, 'Halving dimension must be even. Dim %d is size %ld', dim, n)
        return dim, input.narrow(dim, 1, n // 2), input.narrow(dim, n // 2 + 1, n // 2)

    def updateOutput(self, input):
        self._lua_call(input, ("field 'output'", self.output))
        dim, f, s = self._halves(input)
        self.fHalf, self.sHalf = f, s
        self.sHalfOut = self.sigmoid.forward(s)
        np.multiply(arr(f), arr(self.sHalfOut), out=out_like(self.output, f._size))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._lua_call(input, ('gradOutput', gradOutput), ("field 'gradInput'", self.gradInput))
        dim, f, s = self._halves(input)
        sg = self.sigmoid.backward(s, gradOutput)
        gi = out_like(self.gradInput, input._size)
        n = input.size(dim) // 2
        first = [slice(None)] * gi.ndim
        second = [slice(None)] * gi.ndim
        first[dim - 1] = slice(0, n)
        second[dim - 1] = slice(n, 2 * n)
        gi[tuple(first)] = arr(self.sHalfOut) * arr(gradOutput)
        gi[tuple(second)] = arr(sg) * arr(f)
        return self.gradInput
