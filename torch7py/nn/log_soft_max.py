"""nn.LogSoftMax: port of torch/nn LogSoftMax.lua and THNN LogSoftMax.c."""
import numpy as np

from .. import numerics
from . import _kernels
from ._kernels import arr, check_same_size, check_type, out_like
from .module import Module
from .soft_max import frames


class LogSoftMax(Module):

    def updateOutput(self, input):
        check_type(self, input)
        x = frames(arr(input))
        y = frames(out_like(self.output, input._size))
        if _kernels.c_ok(x, y) and x.dtype == y.dtype:
            _kernels._nnk.logsoftmax(x, y, *x.shape, x.dtype == np.float32)
            return self.output
        mx = x.max(axis=1, keepdims=True)
        # THNN: `accreal logsum += exp(x - max)` in order (a double exp), logsum = max +
        # log(logsum), y = x - logsum, all in double
        e = np.exp((x - mx).astype(np.float64))
        logsum = np.log(numerics.seqsum_axis(e, 1, np.float64)) + mx
        y[...] = x - logsum
        return self.output

    def updateGradInput(self, input, gradOutput):
        check_same_size(self.output, gradOutput, names=('input', 'gradOutput'), kind='shape')
        y = frames(arr(self.output))
        go = frames(arr(gradOutput))
        gi = frames(out_like(self.gradInput, self.output._size))
        if _kernels.c_ok(y, go, gi) and y.dtype == go.dtype == gi.dtype:
            _kernels._nnk.logsoftmax_grad(y, go, gi, *y.shape, y.dtype == np.float32)
            return self.gradInput
        # THNN: `accreal sum += gradOutput` in order; gi = go - exp(y)*sum in double
        s = numerics.seqsum_axis(go, 1, np.float64)
        gi[...] = go - np.exp(y.astype(np.float64)) * s
        return self.gradInput
