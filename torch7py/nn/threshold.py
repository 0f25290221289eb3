"""nn.Threshold: port of torch/nn Threshold.lua and THNN Threshold.c (optionally in place)."""
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
            # THNN in place: x <= threshold ? val : x (a NaN stays)
            select_scalar(~(x <= self.threshold), x, self.val, x)
            self.output.set(input)
        else:
            # THNN: x > threshold ? x : val (a NaN becomes val)
            select_scalar(x > self.threshold, x, self.val, out_like(self.output, input._size))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.validateParameters()
        check_same_size(input, gradOutput)
        x = arr(input)
        if self.inplace:
            g = arr(gradOutput)
            select_scalar(~(x <= self.threshold), g, 0, g)
            self.gradInput.set(gradOutput)
        else:
            select_scalar(x > self.threshold, arr(gradOutput), 0,
                          out_like(self.gradInput, input._size))
        return self.gradInput


def _num(v):
    return ('%d' % v) if float(v).is_integer() else ('%.14g' % v)
