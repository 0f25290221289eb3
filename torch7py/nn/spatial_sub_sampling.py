"""nn.SpatialSubSampling: port of torch/nn SpatialSubSampling.lua and THNN SpatialSubSampling.c
(per-plane window sums, times a learnt weight, plus a learnt bias)."""
import numpy as np

from .. import numerics
from ._conv import out_size, unfold, uniform_reset
from ._kernels import arr, check_type, new_tensor, out_like
from ._thnn_check import arg_check, thnn_argcheck
from .module import Module
from ..tensor import TorchError


def _planes(t, n):
    """THNN reads weight_data[k] for plane k: the first n values of the (contiguous) tensor,
    whatever its shape (files of 2012's nn kept a weight of nInputPlane x kH x kW)."""
    return arr(t).reshape(-1)[:n]


class SpatialSubSampling(Module):

    def __init__(self, nInputPlane, kW, kH, dW=1, dH=1):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.kW, self.kH = kW, kH
        self.dW = 1 if dW is None else dW
        self.dH = 1 if dH is None else dH
        self.weight = new_tensor(nInputPlane)
        self.bias = new_tensor(nInputPlane)
        self.gradWeight = new_tensor(nInputPlane).zero()
        self.gradBias = new_tensor(nInputPlane).zero()
        self.reset()

    def reset(self, stdv=None):
        uniform_reset(self, self.kW * self.kH, stdv)

    def _geo(self, input):
        # THNN SpatialSubSampling_shapeCheck (its planes are the weight's)
        thnn_argcheck(input.dim() in (3, 4), 2, input, '3D or 4D input tensor expected but '
                      'got: %s')
        C, H, W = input._size[-3:]
        arg_check(C == self.weight._size[0], 2, 'invalid number of input planes')
        arg_check(W >= self.kW and H >= self.kH, 2, 'input image smaller than kernel size')
        oH = out_size(H, self.kH, self.dH, 0)
        oW = out_size(W, self.kW, self.dW, 0)
        x = arr(input)
        return (x if x.ndim == 4 else x[None]), oH, oW

    def _win(self, x4, oH, oW):
        return unfold(x4, (self.kH, self.kW), (self.dH, self.dW), (0, 0), (1, 1), (oH, oW))

    def _sums(self, x4, oH, oW):
        # THNN: `real sum = 0; sum += ptr_input[kx]` over the window, ky then kx, in real
        win = self._win(x4, oH, oW)
        s = np.zeros(win.shape[:2] + win.shape[4:], x4.dtype)
        for ky in range(self.kH):
            for kx in range(self.kW):
                s += win[:, :, ky, kx]
        return s

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        x4, oH, oW = self._geo(input)
        s = self._sums(x4, oH, oW)
        C = self.weight._size[0]
        y = s * _planes(self.weight, C)[None, :, None, None] + \
            _planes(self.bias, C)[None, :, None, None]
        shape = tuple(input._size[:-2]) + (oH, oW)
        out_like(self.output, shape)[...] = y.reshape(shape)
        return self.output

    @staticmethod
    def _go(gradOutput, shape):
        """THNN reads gradOutput's (contiguous) data as batch x planes x oH x oW without a
        check of its size: its first elements (fewer than that is read past its end)."""
        need = int(np.prod(shape))
        g = np.ascontiguousarray(arr(gradOutput)).reshape(-1)
        if g.shape[0] < need:
            raise TorchError("SpatialSubSampling: gradOutput has %d elements, THNN reads %d "
                             "(%s)" % (g.shape[0], need, "x".join(map(str, shape))))
        return g[:need].reshape(shape)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x4, oH, oW = self._geo(input)
        go = self._go(gradOutput, (x4.shape[0], x4.shape[1], oH, oW))
        z = go * _planes(self.weight, x4.shape[1])[None, :, None, None]
        # THNN: gradInput zeroed, then output after output (yy, xx) `gradInput[window] += z`:
        # an input under overlapping windows takes them in the outputs' order, which is the
        # kernel offsets' order reversed
        g = np.zeros(x4.shape, x4.dtype)
        H, W = x4.shape[2:]
        for ky in reversed(range(self.kH)):
            for kx in reversed(range(self.kW)):
                g[:, :, ky:ky + (oH - 1) * self.dH + 1:self.dH,
                  kx:kx + (oW - 1) * self.dW + 1:self.dW] += z
        out_like(self.gradInput, input._size)[...] = g.reshape(arr(input).shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        x4, oH, oW = self._geo(input)
        go = self._go(gradOutput, (x4.shape[0], x4.shape[1], oH, oW))
        N, C = x4.shape[:2]
        gw = _planes(self.gradWeight, C)
        gb = _planes(self.gradBias, C)
        R = gw.dtype.type
        sc = R(scale)
        # THNN, plane k, sample after sample: `sum = 0; sum += gradOutput` over the plane, then
        # gradBias[k] += scale*sum; `sum = 0; sum += z * input[..]` over the outputs (yy, xx)
        # and their windows (ky, kx), then gradWeight[k] += scale*sum; all in real
        bsum = numerics.seqsum_axis(go.reshape(N, C, -1), 2, gw.dtype)[:, :, 0]
        win = self._win(x4, oH, oW)
        terms = go[:, :, None, None] * win                   # (N, C, kH, kW, oH, oW)
        terms = np.ascontiguousarray(terms.transpose(0, 1, 4, 5, 2, 3)).reshape(N, C, -1)
        wsum = numerics.seqsum_axis(terms, 2, gw.dtype)[:, :, 0]
        for p in range(N):
            gb += sc * bsum[p]
            gw += sc * wsum[p]
