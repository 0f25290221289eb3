"""nn.Tanh: port of torch/nn Tanh.lua and THNN Tanh.c."""
import numpy as np

from .. import numerics
from ..tensor_math.pointwise import libm
from . import _kernels
from ._kernels import arr, check_same_size, check_type, out_like
from . import _lua
from .module import Module


def act_grad(m, gradOutput, sigmoid):
    """THNN's Tanh/Sigmoid gradInput loop in one C call when the operands allow it (gradOutput
    of the output's type and size, contiguous floats); False otherwise (numpy decides)."""
    out = m.output
    gi_t = m.gradInput
    if (type(gradOutput) is not type(out) or gradOutput._size != out._size
            or type(gi_t) is not type(out) or not numerics.exact or not out._size):
        return False
    y = out.numpy()
    go = gradOutput.numpy()
    if not _kernels.c_ok(y, go) or go.dtype != y.dtype:
        return False
    gi = out_like(gi_t, out._size)
    if not gi.flags.c_contiguous or np.shares_memory(gi, go) or np.shares_memory(gi, y):
        return False
    _kernels._nnk.act_grad(y, go, gi, y.size, sigmoid, y.dtype == np.float32)
    return True


class Tanh(Module):

    def updateOutput(self, input):
        out = self.output
        if type(input) is not type(out):
            check_type(self, input)
        # THNN's Tanh is THTensor_(tanh): libm's tanhf/tanh (numpy's tanh is its own SIMD code)
        libm("tanh", input.numpy(), out_like(out, input._size))
        return out

    def updateGradInput(self, input, gradOutput):
        if act_grad(self, gradOutput, False):
            return self.gradInput
        _lua.thnn_grad(self, input, gradOutput)  # (the checks of the THNN call, in order)
        check_same_size(self.output, gradOutput, names=('output', 'gradOutput'), kind='shape')
        y = arr(self.output)
        gi = out_like(self.gradInput, self.output._size)
        # THNN's Tanh.c: gradOutput * (1. - z*z): z*z in real, the rest in double (`1.`)
        zz = (y * y).astype(np.float64)
        np.multiply(arr(gradOutput).astype(np.float64), 1. - zz, out=gi, casting='unsafe')
        return self.gradInput
