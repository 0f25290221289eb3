"""nn.TemporalSubSampling: port of torch/nn TemporalSubSampling.lua and THNN
TemporalSubSampling.c (per-feature window sums over frames, times a weight, plus a bias)."""
import numpy as np

from .. import numerics

from ._conv import fold, out_size, unfold, uniform_reset
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
        uniform_reset(self, self.kW, stdv)

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
        xs, oT = self._geo(input)
        s = unfold(xs, (self.kW,), (self.dW,), (0,), (1,), (oT,)).sum(axis=2)   # (N, F, oT)
        y = s * arr(self.weight)[None, :, None] + arr(self.bias)[None, :, None]
        shape = tuple(input._size[:-2]) + (oT, self.inputFrameSize)
        out_like(self.output, shape)[...] = np.swapaxes(y, 1, 2).reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        xs, oT = self._geo(input, gradOutput)
        go = np.swapaxes(arr(gradOutput).reshape(xs.shape[0], oT, -1), 1, 2)
        gw = go * arr(self.weight)[None, :, None]
        cols = np.broadcast_to(gw[:, :, None], gw.shape[:2] + (self.kW, oT))
        g = fold(cols, (xs.shape[2],), (self.dW,), (0,), (1,))
        out_like(self.gradInput, input._size)[...] = np.swapaxes(g, 1, 2).reshape(
            arr(input).shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        xs, oT = self._geo(input, gradOutput)
        gw, gb = arr(self.gradWeight), arr(self.gradBias)
        x, g = arr(input), arr(gradOutput)
        if numerics.exact and x.ndim == 2 and gw.dtype.kind == 'f' and x.dtype == gw.dtype \
                and g.dtype == gw.dtype and gb.flags.c_contiguous:
            # THNN, frame after frame: buffer = the window's sum over its kW rows (TH's sum, in
            # accreal), gradWeight:addcmul(scale, buffer, frame) (t + scale*b*f), then
            # gradBias:cadd(gradBias, scale, frame) (THBlas_(axpy), in place)
            R = gw.dtype.type
            acc = np.float64 if gw.dtype == np.float32 else gw.dtype
            sc = R(scale)
            for k in range(oT):
                win = x[k * self.dW:k * self.dW + self.kW]
                buf = numerics.seqsum_axis(win, 0, acc)[0].astype(gw.dtype)
                frame = np.ascontiguousarray(g[k])
                gw[...] = gw + sc * buf * frame
                numerics.axpy(gb, sc, frame)
            return
        go = np.swapaxes(g.reshape(xs.shape[0], oT, -1), 1, 2)
        s = unfold(xs, (self.kW,), (self.dW,), (0,), (1,), (oT,)).sum(axis=2)
        gw += scale * (go * s).sum(axis=(0, 2))
        gb += scale * go.sum(axis=(0, 2))
