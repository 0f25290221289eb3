"""nn.Sigmoid: port of torch/nn Sigmoid.lua and THNN Sigmoid.c."""
import numpy as np

from ..tensor_math.pointwise import libm
from ._kernels import arr, as_shape, check_same_size, check_type, out_like
from . import _lua
from .module import Module
from .tanh import act_grad


class Sigmoid(Module):

    def updateOutput(self, input):
        check_type(self, input)
        y = out_like(self.output, input._size)
        # THNN's Sigmoid is THTensor_(sigmoid): 1/(1+exp(-x)) with libm's expf/exp
        libm("sigmoid", arr(input), y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if act_grad(self, gradOutput, True):
            return self.gradInput
        _lua.thnn_grad(self, input, gradOutput)  # (the checks of the THNN call, in order)
        check_same_size(self.output, gradOutput, names=('output', 'gradOutput'),
                        kind='nelement')
        y = arr(self.output)
        gi = out_like(self.gradInput, self.output._size)
        # THNN's Sigmoid.c: gradOutput * (1. - z) * z, left to right in double (`1.`)
        z = y.astype(np.float64)
        t = as_shape(arr(gradOutput), y.shape).astype(np.float64) * (1. - z)
        np.multiply(t, z, out=gi, casting='unsafe')
        return self.gradInput
