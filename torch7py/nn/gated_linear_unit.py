"""nn.GatedLinearUnit: port of torch/nn GatedLinearUnit.lua (first half times the sigmoid of the
second half, along dim)."""
import numpy as np

from . import _lua
from ._kernels import arr, out_like
from ..messages import MESSAGES, at_lua, lua_line, msg, size_str
from ..tensor import DoubleTensor, FloatTensor, TorchError
from ._thnn_check import THNN_WHERE, arg_check
from .module import Module
from .sigmoid import Sigmoid

_THNN = (DoubleTensor, FloatTensor)


_INDEX = MESSAGES["index_on"].partition("%s")[0]  # LuaJIT's 'attempt to index ...'
_INDEX_GO = MESSAGES["index_local"].partition(" (")[0] % "gradOutput"


class GatedLinearUnit(Module):

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim  # (GatedLinearUnit.lua's only field: THNN's C keeps no buffers)

    def _lua_call(self, input, *args, line=9):
        """GatedLinearUnit.lua's `local dim = self.dim or input:dim()` (line), then the THNN
        call's input.THNN, cdata()s and FFI conversions (args: its tensors after input) on
        the next line."""
        dim = self.__dict__.get('dim')
        if dim is None or dim is False:
            with lua_line('nn/GatedLinearUnit.lua:%d' % line):
                dim = _lua.mcall(input, 'dim', what="local 'input'")
        if not (type(input) in _THNN and all(type(v) is type(input) for _, v in args)
                and type(dim) in (int, float)):
            try:
                _lua.thnn_call(input, *args, nums=((dim, 'int'),))
            except TorchError as e:
                if str(e).startswith(_INDEX) and getattr(e, 'lua_where', None) is None:
                    # (input.THNN on the call's line; gradOutput:cdata() three lines below)
                    below = 4 if str(e).startswith(_INDEX_GO) else 1
                    raise at_lua(e, 'nn/GatedLinearUnit.lua:%d' % (line + below))
                raise

    def _halves(self, input):
        dim = self.__dict__.get('dim') or input.dim()
        # THNN GatedLinear: THTensor_(size)(input, dim), then the halving check
        arg_check(1 <= dim <= input.dim(), 2, 'dimension %d out of range of %dD tensor', dim,
                  input.dim())
        n = input._size[dim - 1]
        arg_check(n % 2 == 0, 2, 'Halving dimension must be even. Dim %d is size %ld', dim, n)
        return dim, input.narrow(dim, 1, n // 2), input.narrow(dim, n // 2 + 1, n // 2)

    @staticmethod
    def _sigmoid(s):
        # THTensor_(sigmoid): 1/(1 + exp(-x)) as THNN's Sigmoid computes it
        m = Sigmoid()
        m.output, m.gradInput = s.new(), s.new()
        return m.forward(s)

    def updateOutput(self, input):
        self._lua_call(input, ("field 'output'", self.output))
        dim, f, s = self._halves(input)
        # THNN GatedLinear_updateOutput: output = sigmoid(secondHalf), then output *= firstHalf
        z = self._sigmoid(s)
        np.multiply(arr(z), arr(f), out=out_like(self.output, f._size))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._lua_call(input, ('gradOutput', gradOutput), ("field 'gradInput'", self.gradInput),
                       line=18)
        dim, f, s = self._halves(input)
        # THNN: gi1 = sigmoid(secondHalf); gi2 = (1. - z) * z (in double, stored in real);
        # gi1 *= gradOutput; gi2 *= gradOutput; gi2 *= firstHalf
        z = arr(self._sigmoid(s))
        R = z.dtype.type
        t = ((1. - z.astype(np.float64)) * z.astype(np.float64)).astype(R)
        gi = out_like(self.gradInput, input._size)  # (THNN's resizeAs(gradInput, input))
        if gradOutput.nElement() != z.size:
            # THTensor_(cmul)(gradInputfirstHalf, gradInputfirstHalf, gradOutput): APPLY3's
            # check, on the half's size
            a = size_str(z.shape)
            raise at_lua(TorchError(msg('inconsistent_3', 'r_', a, 't', a, 'src',
                                        size_str(gradOutput._size), z.size, z.size,
                                        gradOutput.nElement())), THNN_WHERE)
        go = arr(gradOutput).reshape(z.shape)
        n = input.size(dim) // 2
        first = [slice(None)] * gi.ndim
        second = [slice(None)] * gi.ndim
        first[dim - 1] = slice(0, n)
        second[dim - 1] = slice(n, 2 * n)
        gi[tuple(first)] = z * go
        gi[tuple(second)] = (t * go) * arr(f)
        return self.gradInput
