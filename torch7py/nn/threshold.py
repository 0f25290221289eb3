"""nn.Threshold: port of torch/nn Threshold.lua and THNN Threshold.c (optionally in place)."""
import numpy as np

from . import _kernels
from ._kernels import arr, check_same_size, check_type, out_like, select_scalar
from ..tensor import TorchError
from .module import Module


class Threshold(Module):

    def __init__(self, th=1e-6, v=0, ip=False):
        super().__init__()
        self.threshold = 1e-6 if th is None else th
        self.val = 0 if v is None else v
        self.inplace = bool(ip)
        self.validateParameters()

    def validateParameters(self):
        self.inplace = bool(self.__dict__.get('inplace'))  # files saved before the inplace flag
        if self.inplace and self.val > self.threshold:
            raise TorchError('in-place processing requires value (%s) not exceed threshold (%s)'
                             % (_num(self.val), _num(self.threshold)))

    def updateOutput(self, input):
        check_type(self, input)
        self.validateParameters()
        x = arr(input)
        if self.inplace:
            if _kernels.c_ok(x):
                _kernels._nnk.threshold(x, x, x.size, self.threshold, self.val, True,
                                        x.dtype == np.float32)
                self.output.set(input)
                return self.output
            # THNN in place: x <= threshold ? val : x (a NaN stays)
            select_scalar(~(x <= self.threshold), x, self.val, x)
            self.output.set(input)
        else:
            y = out_like(self.output, input._size)
            if _kernels.c_ok(x, y):
                _kernels._nnk.threshold(x, y, x.size, self.threshold, self.val, False,
                                        x.dtype == np.float32)
                return self.output
            # THNN: x > threshold ? x : val (a NaN becomes val)
            select_scalar(x > self.threshold, x, self.val, y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.validateParameters()
        check_same_size(input, gradOutput, names=('input', 'gradOutput'), kind='nelement')
        x = arr(input)
        if self.inplace:
            g = arr(gradOutput)
            if _kernels.c_ok(x, g):
                _kernels._nnk.threshold_grad(x, g, g, x.size, self.threshold, True,
                                             x.dtype == np.float32)
                self.gradInput.set(gradOutput)
                return self.gradInput
            select_scalar(~(x <= self.threshold), g, 0, g)
            self.gradInput.set(gradOutput)
        else:
            g = arr(gradOutput)
            gi = out_like(self.gradInput, input._size)
            if _kernels.c_ok(x, g, gi):
                _kernels._nnk.threshold_grad(x, g, gi, x.size, self.threshold, False,
                                             x.dtype == np.float32)
                return self.gradInput
            select_scalar(x > self.threshold, g, 0, gi)
        return self.gradInput


def _num(v):
    return ('%d' % v) if float(v).is_integer() else ('%.14g' % v)
