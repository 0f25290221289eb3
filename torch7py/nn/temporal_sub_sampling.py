"""nn.TemporalSubSampling: port of torch/nn TemporalSubSampling.lua and THNN
TemporalSubSampling.c (per-feature window sums over frames, times a weight, plus a bias)."""
import numpy as np

from ._conv import out_size, uniform_reset
from ._kernels import arr, check_type, new_tensor, out_like
from ._thnn_check import arg_check, check_dim_size, thnn_argcheck
from .module import Module


class TemporalSubSampling(Module):

    def __init__(self, inputFrameSize, kW, dW=1):
        super().__init__()
        self.inputFrameSize = inputFrameSize
        self.kW = kW
        self.dW = 1 if dW is None else dW
        self.weight = new_tensor(inputFrameSize)
        self.bias = new_tensor(inputFrameSize)
        self.gradWeight = new_tensor(inputFrameSize).zero()
        self.gradBias = new_tensor(inputFrameSize).zero()
        self.reset()

    def reset(self, stdv=None):
        return uniform_reset(self, self.kW, stdv)

    def _geo(self, input, gradOutput=None):
        """THNN TemporalSubSampling_shapeCheck: only a 2-d input (THNN's text speaks of a batch
        mode it does not have); the frame size is checked by updateOutput only."""
        arg_check(self.kW > 0, 6, 'kernel size should be greater than zero, but got kW: %d',
                  self.kW)
        arg_check(self.dW > 0, 7, 'stride should be greater than zero, but got dW: %d', self.dW)
        thnn_argcheck(input.dim() == 2, 2, input, '2D or 3D (batch mode) tensor expected for '
                      'input, but got: %s')
        T, F = input._size
        if gradOutput is None:
            arg_check(F == self.inputFrameSize, 2, 'invalid input frame size.  Got: %d, '
                      'Expected: %d', F, self.inputFrameSize)
        arg_check(T >= self.kW, 2, 'input sequence smaller than kernel size.  Got %d, '
                  'Expected: %d', T, self.kW)
        if gradOutput is not None:
            check_dim_size(gradOutput, 'gradOutput', 2, 0, out_size(T, self.kW, self.dW, 0))
        x = arr(input)
        x3 = x if x.ndim == 3 else x[None]
        # (N, F, T): frames along the last axis, as a 1-d signal per feature
        return np.swapaxes(x3, 1, 2), out_size(T, self.kW, self.dW, 0)

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        _, oT = self._geo(input)
        self.output.resize(oT, self.inputFrameSize)
        # THNN's loop, frame by frame, with TH's calls (their orders: a window's sum in
        # accreal row after row, then cmul by the weight and cadd of the bias)
        for k in range(oT):
            frame = self.output.select(1, k + 1)
            frame.sum(input.narrow(1, k * self.dW + 1, self.kW), 1)
            frame.cmul(self.weight)
            frame.add(1, self.bias)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        _, oT = self._geo(input, gradOutput)
        gi = out_like(self.gradInput, input._size)
        gi[...] = 0
        w = arr(self.weight)
        go = arr(gradOutput)
        # THNN: for each output frame k in turn, buffer = weight .* gradOutput[k], then
        # addr(window, 1, window, 1, ones, buffer): each window row += buffer (a product by 1:
        # exact), so overlapping windows add in k's order
        for k in range(oT):
            buf = w * go[k]
            gi[k * self.dW:k * self.dW + self.kW] += buf
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        _, oT = self._geo(input, gradOutput)
        # THNN's loop with TH's calls: buffer = the window's sum, then
        # addcmul(gradWeight, scale, buffer, gradOutput[k]) and cadd(gradBias, scale,
        # gradOutput[k]), frame after frame
        buf = input.new()
        for k in range(oT):
            gof = gradOutput.select(1, k + 1)
            buf.sum(input.narrow(1, k * self.dW + 1, self.kW), 1)
            self.gradWeight.addcmul(scale, buf, gof)
            self.gradBias.add(scale, gof)
