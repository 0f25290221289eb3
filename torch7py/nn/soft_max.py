"""nn.SoftMax: port of torch/nn SoftMax.lua and THNN SoftMax.c (1D, 2D batch, 3D/4D spatial)."""
import numpy as np

from .. import numerics
from ..tensor_math.pointwise import dlibm
from ._kernels import arr, check_same_size, check_type, out_like
from ..messages import at_lua, msg
from ._thnn_check import THNN_WHERE
from ..tensor import TorchError
from . import _lua
from .module import Module


def frames(x):
    """THNN's (nframe, dim, stride) layout: softmax runs along axis 1 of the result."""
    if x.size == 0:  # an empty tensor has no dimensions in Torch7
        raise TorchError(msg('thnn_argcheck', 2, '1D, 2D, 3D or 4D tensor expected'))
    if x.ndim == 1:
        return x.reshape(1, -1, 1)
    if x.ndim == 2:
        return x.reshape(x.shape[0], x.shape[1], 1)
    if x.ndim == 3:
        return x.reshape(1, x.shape[0], -1)
    if x.ndim == 4:
        return x.reshape(x.shape[0], x.shape[1], -1)
    raise TorchError(msg('thnn_argcheck', 2, '1D, 2D, 3D or 4D tensor expected'))


def softmax(m, x, size):
    """m.output = THNN's SoftMax of the array x (of the given size), max-shifted."""
    x = frames(x)
    y = frames(out_like(m.output, size))
    np.subtract(x, x.max(axis=1, keepdims=True), out=y)
    # THNN: `real z = exp(x - max)` (a double exp), `accreal sum += z` in order, `y *= 1/sum`
    y[...] = dlibm('exp', y)  # libm's exp (numpy's is its own SIMD code)
    s = numerics.seqsum_axis(y, 1, np.float64)
    y[...] = y * (1 / s)
    return m.output


def check_backward(m, input, gradOutput):
    """THNN's (Log)SoftMax_updateGradInput checks: THNN_CHECK_SHAPE(input, gradOutput), then
    the output's dimensions (a backward before any forward has an empty one)."""
    check_same_size(m.output if input is None else input, gradOutput,
                    names=('input', 'gradOutput'), kind='shape')
    if not 1 <= len(m.output._size) <= 4:
        raise at_lua(TorchError('1D, 2D, 3D or 4D tensor expected'), THNN_WHERE)


def softmax_backward(m, gradOutput, sign=1, input=None):
    """m.gradInput = sign * y * (gradOutput - sum(gradOutput * y)), y = m.output."""
    check_backward(m, input, gradOutput)
    y = frames(arr(m.output))
    go = frames(arr(gradOutput))
    gi = frames(out_like(m.gradInput, m.output._size))
    # THNN: `accreal sum += (accreal)gradOutput * output` in order, then y * (go - sum)
    dot = numerics.seqsum_axis(go.astype(np.float64) * y, 1, np.float64)
    if sign > 0:
        gi[...] = y * (go - dot)
    else:
        # SoftMin.lua: THNN's SoftMax gradient, then gradInput:mul(-1): a zero difference
        # (go == sum) gives -0, where y * (sum - go) gave +0
        gi[...] = np.negative(y * (go - dot))
    return m.gradInput


class SoftMax(Module):

    def updateOutput(self, input):
        check_type(self, input)
        return softmax(self, arr(input), input._size)

    def updateGradInput(self, input, gradOutput):
        out = self.output
        if type(input) is not type(out) or type(gradOutput) is not type(out):
            _lua.thnn_grad(self, input, gradOutput)  # the THNN call's checks, in Lua's order
        return softmax_backward(self, gradOutput, input=input)
