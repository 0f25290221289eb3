"""nn.SpatialDepthWiseConvolution: port of torch/nn SpatialDepthWiseConvolution.lua (__version 2:
nInputPlane, depthwiseMultiplier) and THNN SpatialDepthWiseConvolution.c: each input plane i is
convolved with its own depthwiseMultiplier kernels; output plane i * depthwiseMultiplier + j is
input plane i through kernel weight[j][i] plus bias[j][i]. weight is (depthwiseMultiplier,
nInputPlane*kH*kW) (a 4D (mult, nIn, kH, kW) weight works too), bias (depthwiseMultiplier,
nInputPlane)."""
import numpy as np

from .. import numerics, obgemm
from ..tensor import TorchError
from ._conv import fold, out_size, unfold, uniform_reset
from ._conv_layers import UNFOLD_STATE, conv_tostring, renew_unfold_buffers
from . import utils
from ._kernels import arr, check_type, new_tensor, no_bias, out_like, sizes_str
from ._thnn_check import (arg_check, check_dim_size, check_dim_sizes, conv_grad_check, error,
                          thnn_argcheck)
from .module import Module


class SpatialDepthWiseConvolution(Module):

    _t7_version = 2
    # finput/fgradInput are made by updateOutput as its Lua makes them (the port computes
    # without them): a backward before a forward fails at self.finput:cdata() (_thnn_lua's
    # strict fields)
    _thnn_lua_fields = ('finput', 'fgradInput')

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
        """THNN SpatialDepthWiseConvolution_shapeCheck's checks of the input, in its order."""
        kH, kW, dH, dW = self.kH, self.kW, self.dH, self.dW
        arg_check(kW > 0 and kH > 0, 9, 'kernel size should be greater than zero, but got kH: '
                  '%d kW: %d', kH, kW)
        arg_check(dW > 0 and dH > 0, 11, 'stride should be greater than zero, but got dH: %d '
                  'dW: %d', dH, dW)
        nd = input.dim()
        thnn_argcheck(nd in (3, 4), 2, input, '3D or 4D input tensor expected but got: %s')
        H, W = input._size[-2:]
        oH = out_size(H, kH, dH, self.padH)
        oW = out_size(W, kW, dW, self.padW)
        if oH < 1 or oW < 1:
            raise error('Given input size: (%d x %d x %d). Calculated output size: (%d x %d x '
                        '%d). Output size is too small', self.nInputPlane, H, W,
                        self.nOutputPlane, oH, oW)
        check_dim_size(input, 'input', nd, nd - 3, self.nInputPlane)
        x = arr(input)
        return (x if x.ndim == 4 else x[None]), oH, oW

    def _cols(self, x4, oH, oW):
        win = unfold(x4, (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW),
                     (1, 1), (oH, oW))
        return win.reshape(x4.shape[0], self.nInputPlane, self.kH * self.kW, oH * oW)

    def _w(self, t):
        # (nIn, mult, kH*kW)
        return np.swapaxes(arr(t).reshape(self.depthwiseMultiplier, self.nInputPlane, -1), 0, 1)

    def _exact(self, *arrays):
        """THNN's own products (torch7py.obgemm) serve these arrays: one float type."""
        dt = arrays[0].dtype
        return obgemm.available() and dt.kind == 'f' and all(a.dtype == dt for a in arrays)

    @staticmethod
    def _frames(c, a, b, alpha, beta):
        """THTensor_(addmm)(c[i], beta, c[i], alpha, a[i], b[i]) for each i (3-d arrays, c[i]
        laid out contiguously): TH's orientation of a contiguous (r x s) result is its
        transpose ('t') unless s is 1 (strides (1, 1): 'n')."""
        if c.shape[2] == 1:
            return obgemm.gemm_batch(c, a, b, alpha, beta)
        return obgemm.gemm_batch(c.transpose(0, 2, 1), b.transpose(0, 2, 1),
                                 a.transpose(0, 2, 1), alpha, beta)

    def updateOutput(self, input):
        utils.lua_buffers(self, input, 'finput', 'fgradInput')
        check_type(self, input, self.weight)
        x4, oH, oW = self._geo(input)
        cols = self._cols(x4, oH, oW)
        w = self._w(self.weight)
        bias = self.__dict__.get('bias')
        if self._exact(x4, w, *(() if bias is None else (arr(bias),))):
            # THNN, per sample and input plane: output_i filled with bias_i (zero without),
            # then addmm(output_i, 1, output_i, 1, weight_i, finput_i)
            N = x4.shape[0]
            y = np.empty((N, self.nInputPlane, self.depthwiseMultiplier, oH * oW), x4.dtype)
            y[...] = 0 if bias is None else arr(bias).T[None, :, :, None]
            cols = np.ascontiguousarray(cols)
            for t in range(N):
                self._frames(y[t], w, cols[t], 1, 1)
        else:
            y = None
        if y is not None:
            shape = (N, self.nOutputPlane, oH, oW)
            out_like(self.output, shape if input.dim() == 4 else shape[1:])[...] = y.reshape(
                shape if input.dim() == 4 else shape[1:])
            return self.output
        y = np.matmul(self._w(self.weight)[None], cols)        # (N, nIn, mult, L)
        if self.__dict__.get('bias') is not None:
            y += arr(self.bias).T[None, :, :, None]
        N = x4.shape[0]
        shape = (N, self.nOutputPlane, oH, oW)
        out_like(self.output, shape if input.dim() == 4 else shape[1:])[...] = y.reshape(
            shape if input.dim() == 4 else shape[1:])
        return self.output

    def _go(self, input, gradOutput, N, oH, oW):
        # THNN resizes a 3-d (4-d) gradOutput to nIn x mult x H x W (a batch of them) and
        # checks that view; its batch is selected per sample
        nd, g = input.dim(), tuple(gradOutput._size)
        nIn, mult = self.nInputPlane, self.depthwiseMultiplier
        if len(g) == nd:
            g = g[:nd - 3] + (nIn, mult) + g[-2:]
        check_dim_sizes(g, 'gradOutput', nd + 1, nd - 3, (nIn, mult, oH, oW))
        if gradOutput._size[nd - 3] != self.nOutputPlane:
            raise TorchError('size mismatch: gradOutput is %s, expected %s planes'
                             % (sizes_str(gradOutput._size), self.nOutputPlane))
        gradOutput = conv_grad_check(input, gradOutput, (self.nOutputPlane, oH, oW))
        return arr(gradOutput).reshape(N, self.nInputPlane, self.depthwiseMultiplier, oH * oW)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x4, oH, oW = self._geo(input)
        go = self._go(input, gradOutput, x4.shape[0], oH, oW)
        w = self._w(self.weight)
        if self._exact(x4, go, w):
            # THNN, per sample and plane: addmm(fgradInput_i, 0, fgradInput_i, 1, weight_i^T,
            # gradOutput_i)
            N = x4.shape[0]
            gcols = np.empty((N, self.nInputPlane, self.kH * self.kW, oH * oW), x4.dtype)
            wt = np.swapaxes(w, 1, 2)
            for t in range(N):
                self._frames(gcols[t], wt, go[t], 1, 0)
        else:
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
        g = arr(self.gradWeight)
        has_bias = self.__dict__.get('bias') is not None
        gbias = arr(self.gradBias) if has_bias else None
        if self._exact(x4, go, g, *(() if gbias is None else (gbias,))):
            # THNN: gradWeight (and gradBias) transposed to (nIn, mult, ...) copies; per
            # sample and plane addmm(gradWeight_i, 1, gradWeight_i, scale, gradOutput_i,
            # finput_i^T) and gradBias_i[o] += scale * (a plain sum of gradOutput_i[o]), in
            # real with an accreal (double) scale; copied back
            gw = np.ascontiguousarray(self._w(self.gradWeight))
            gb = None if gbias is None else np.ascontiguousarray(gbias.T)
            cols = np.ascontiguousarray(cols)
            for t in range(x4.shape[0]):
                self._frames(gw, go[t], np.swapaxes(cols[t], 1, 2), scale, 1)
                if gb is not None:
                    sums = numerics.seqsum_axis(go[t], 2)[:, :, 0]
                    gb[...] = (gb.astype(np.float64)
                               + np.float64(scale) * sums.astype(np.float64)).astype(gb.dtype)
            g[...] = np.swapaxes(gw, 0, 1).reshape(g.shape)
            if gb is not None:
                gbias[...] = gb.T
            return
        gw = np.matmul(go, np.swapaxes(cols, 2, 3)).sum(axis=0)      # (nIn, mult, kk)
        g = arr(self.gradWeight)
        g += scale * np.swapaxes(gw, 0, 1).reshape(g.shape)
        if self.__dict__.get('bias') is not None:
            gb = arr(self.gradBias)
            gb += scale * go.sum(axis=(0, 3)).T

    def __tostring__(self):
        return conv_tostring(self, n_out=self.depthwiseMultiplier)

    def type(self, type=None, tensorCache=None):
        renew_unfold_buffers(self)  # SpatialDepthWiseConvolution.lua: self.finput = self.finput and torch.Tensor()
        return super().type(type, tensorCache)

    def clearState(self):
        utils.clear(self, *UNFOLD_STATE)
        return super().clearState()
