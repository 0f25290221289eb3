"""nn.LogSoftMax: port of torch/nn LogSoftMax.lua and THNN LogSoftMax.c."""
import numpy as np

from .. import numerics
from ..tensor_math.pointwise import dlibm
from . import _kernels
from ._kernels import arr, check_type, out_like
from . import _lua
from .module import Module
from .soft_max import check_backward, frames

_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _vector_c(*ts):
    """THNN's loop may run in one C call on these vectors of one tensor type (a sample's
    LogSoftMax): _nnk built and on, each laid out densely (checked on its strides)."""
    if not (_kernels.use_c and _kernels._nnk is not None):
        return False
    cls = type(ts[0])
    for t in ts:
        if type(t) is not cls or t._stride != (1,) or len(t._size) != 1:
            return False
    return t.numpy().dtype in _FLOATS


def _batch_c(*ts):
    """THNN's loop may run in one C call on these matrices of one tensor type (a batch of
    frames): _nnk built and on, each laid out densely (checked on its strides). A batch skips
    the general path's Python steps: after the network's big products each runs from a cold
    cache (issue 16)."""
    if not (_kernels.use_c and _kernels._nnk is not None):
        return False
    cls = type(ts[0])
    for t in ts:
        s = t._size
        if type(t) is not cls or len(s) != 2 or t._stride != (s[1], 1):
            return False
    return t.numpy().dtype in _FLOATS


class LogSoftMax(Module):

    def updateOutput(self, input):
        out = self.output
        if type(input) is type(out) and len(input._size) == 1 and input._size[0]:
            if out._size != input._size:
                out.resize(input._size[0])
            if _vector_c(input, out):
                y = out.numpy()
                _kernels._nnk.logsoftmax(input.numpy(), y, 1, y.size, 1, y.dtype == np.float32)
                return out
        elif type(input) is type(out) and len(input._size) == 2 and input._size[0] \
                and input._size[1]:
            if out._size != input._size:
                out.resize(*input._size)
            if _batch_c(input, out):
                y = out.numpy()
                _kernels._nnk.logsoftmax(input.numpy(), y, y.shape[0], y.shape[1], 1,
                                         y.dtype == np.float32)
                return out
        check_type(self, input)
        x = frames(arr(input))
        y = frames(out_like(self.output, input._size))
        if _kernels.c_ok(x, y) and x.dtype == y.dtype:
            _kernels._nnk.logsoftmax(x, y, *x.shape, x.dtype == np.float32)
            return self.output
        mx = x.max(axis=1, keepdims=True)
        # THNN: `accreal logsum += exp(x - max)` in order (a double exp), logsum = max +
        # log(logsum), y = x - logsum, all in double
        e = dlibm('exp', x - mx)  # libm's exp (numpy's is its own SIMD code)
        logsum = dlibm('log', numerics.seqsum_axis(e, 1, np.float64)) + mx
        y[...] = x - logsum
        return self.output

    def updateGradInput(self, input, gradOutput):
        out, gt = self.output, self.gradInput
        if (type(gradOutput) is type(out) and len(out._size) == 1
                and gradOutput._size == out._size and out._size[0]):
            if gt._size != out._size and type(gt) is type(out):
                gt.resize(out._size[0])
            if _vector_c(out, gradOutput, gt):
                y = out.numpy()
                _kernels._nnk.logsoftmax_grad(y, gradOutput.numpy(), gt.numpy(), 1, y.size, 1,
                                              y.dtype == np.float32)
                return gt
        elif (type(gradOutput) is type(out) and type(gt) is type(out) and len(out._size) == 2
              and gradOutput._size == out._size and out._size[0] and out._size[1]):
            if gt._size != out._size:
                gt.resize(*out._size)
            if _batch_c(out, gradOutput, gt):
                y = out.numpy()
                _kernels._nnk.logsoftmax_grad(y, gradOutput.numpy(), gt.numpy(), y.shape[0],
                                              y.shape[1], 1, y.dtype == np.float32)
                return gt
        _lua.thnn_grad(self, input, gradOutput)  # the THNN call's checks, in Lua's order
        check_backward(self, input, gradOutput)
        y = frames(arr(self.output))
        go = frames(arr(gradOutput))
        gi = frames(out_like(self.gradInput, self.output._size))
        if _kernels.c_ok(y, go, gi) and y.dtype == go.dtype == gi.dtype:
            _kernels._nnk.logsoftmax_grad(y, go, gi, *y.shape, y.dtype == np.float32)
            return self.gradInput
        # THNN: `accreal sum += gradOutput` in order; gi = go - exp(y)*sum in double
        s = numerics.seqsum_axis(go, 1, np.float64)
        gi[...] = go - dlibm('exp', y) * s
        return self.gradInput
