"""nn.SpatialDepthWiseConvolution: port of torch/nn SpatialDepthWiseConvolution.lua (__version 2:
nInputPlane, depthwiseMultiplier) and THNN SpatialDepthWiseConvolution.c: each input plane i is
convolved with its own depthwiseMultiplier kernels; output plane i * depthwiseMultiplier + j is
input plane i through kernel weight[j][i] plus bias[j][i]. weight is (depthwiseMultiplier,
nInputPlane*kH*kW) (a 4D (mult, nIn, kH, kW) weight works too), bias (depthwiseMultiplier,
nInputPlane)."""
import numpy as np

from ..tensor import TorchError
from ._conv import fold, out_size, unfold, uniform_reset
from ._conv_layers import conv_tostring
from ._kernels import arr, check_type, new_tensor, no_bias, out_like, sizes_str
from .module import Module


class SpatialDepthWiseConvolution(Module):

    _t7_version = 2

    def __init__(self, nInputPlane, depthwiseMultiplier, kW, kH, dW=1, dH=1, padW=0, padH=None):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.depthwiseMultiplier = depthwiseMultiplier
        self.nOutputPlane = nInputPlane * depthwiseMultiplier
        self.kW, self.kH = kW, kH
        self.dW = 1 if dW is None else dW
        self.dH = 1 if dH is None else dH
        self.padW = padW or 0
        self.padH = self.padW if padH is None else padH
        self.weight = new_tensor(depthwiseMultiplier, nInputPlane * kH * kW)
        self.bias = new_tensor(depthwiseMultiplier, nInputPlane)
        self.gradWeight = new_tensor(depthwiseMultiplier, nInputPlane * kH * kW)
        self.gradBias = new_tensor(depthwiseMultiplier, nInputPlane)
        self.reset()

    def _t7_read(self, fields, version):
        self.__dict__.update(fields)
        if version < 2:
            if not all(isinstance(self.__dict__.get(k), int)
                       for k in ('nOutputPlane', 'nInputPlane')):
                raise TorchError('a version 1 %s needs integer nInputPlane and nOutputPlane'
                                 % self.typename)
            # files of the first version: nOutputPlane was the multiplier
            self.depthwiseMultiplier = self.nOutputPlane
            self.nOutputPlane = self.depthwiseMultiplier * self.nInputPlane

    noBias = no_bias

    def reset(self, stdv=None):
        return uniform_reset(self, self.kW * self.kH * self.nInputPlane, stdv)

    def _geo(self, input):
        if input.dim() not in (3, 4):
            raise TorchError('3D or 4D input tensor expected but got: %s'
                             % sizes_str(input._size))
        C, H, W = input._size[-3:]
        oH = out_size(H, self.kH, self.dH, self.padH)
        oW = out_size(W, self.kW, self.dW, self.padW)
        if oH < 1 or oW < 1:
            raise TorchError('Given input size: (%d x %d x %d). Calculated output size: '
                             '(%d x %d x %d). Output size is too small'
                             % (C, H, W, self.nOutputPlane, oH, oW))
        if C != self.nInputPlane:
            raise TorchError('Need input of dimension %d and input.size[%d] == %d but got input '
                             'to be of shape: %s' % (input.dim(), input.dim() - 3,
                                                     self.nInputPlane, sizes_str(input._size)))
        x = arr(input)
        return (x if x.ndim == 4 else x[None]), oH, oW

    def _cols(self, x4, oH, oW):
        win = unfold(x4, (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW),
                     (1, 1), (oH, oW))
        return win.reshape(x4.shape[0], self.nInputPlane, self.kH * self.kW, oH * oW)

    def _w(self, t):
        # (nIn, mult, kH*kW)
        return np.swapaxes(arr(t).reshape(self.depthwiseMultiplier, self.nInputPlane, -1), 0, 1)

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        x4, oH, oW = self._geo(input)
        cols = self._cols(x4, oH, oW)
        y = np.matmul(self._w(self.weight)[None], cols)        # (N, nIn, mult, L)
        if self.__dict__.get('bias') is not None:
            y += arr(self.bias).T[None, :, :, None]
        N = x4.shape[0]
        shape = (N, self.nOutputPlane, oH, oW)
        out_like(self.output, shape if input.dim() == 4 else shape[1:])[...] = y.reshape(
            shape if input.dim() == 4 else shape[1:])
        return self.output

    def _go(self, input, gradOutput, N, oH, oW):
        want = ((N,) if input.dim() == 4 else ()) + (self.nOutputPlane, oH, oW)
        if tuple(gradOutput._size) != want:
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(want)))
        return arr(gradOutput).reshape(N, self.nInputPlane, self.depthwiseMultiplier, oH * oW)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x4, oH, oW = self._geo(input)
        go = self._go(input, gradOutput, x4.shape[0], oH, oW)
        gcols = np.matmul(np.swapaxes(self._w(self.weight), 1, 2)[None], go)
        g = fold(gcols.reshape(x4.shape[:2] + (self.kH, self.kW, oH, oW)), x4.shape[2:],
                 (self.dH, self.dW), (self.padH, self.padW), (1, 1))
        out_like(self.gradInput, input._size)[...] = g.reshape(arr(input).shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        x4, oH, oW = self._geo(input)
        go = self._go(input, gradOutput, x4.shape[0], oH, oW)
        cols = self._cols(x4, oH, oW)
        gw = np.matmul(go, np.swapaxes(cols, 2, 3)).sum(axis=0)      # (nIn, mult, kk)
        g = arr(self.gradWeight)
        g += scale * np.swapaxes(gw, 0, 1).reshape(g.shape)
        if self.__dict__.get('bias') is not None:
            gb = arr(self.gradBias)
            gb += scale * go.sum(axis=(0, 3)).T

    def __tostring__(self):
        return conv_tostring(self, n_out=self.depthwiseMultiplier)
