"""nn.SpatialFullConvolution: port of torch/nn SpatialFullConvolution.lua and THNN
SpatialFullConvolution.c (transposed convolution: GEMM into columns, then col2im)."""
import numpy as np

from ..messages import at_lua
from ..tensor import Tensor, TorchError
from ._conv import fold, frames_gemm_t, unfold_copy, uniform_reset
from ._conv_layers import (UNFOLD_STATE, conv_tostring, lua_columns, lua_ones, lua_pads,
                           renew_unfold_buffers,
                           set_transposed_grad_input, target_input, transposed_acc_grad,
                           transposed_grad_input)
from ._kernels import arr, check_type, new_tensor, no_bias, out_like
from ._thnn_check import conv2d_check, conv_grad_check
from .module import Module
from . import utils


class SpatialFullConvolution(Module):
    # finput/fgradInput are made by updateOutput as its Lua makes them (the port computes
    # without them): a backward before a forward fails at self.finput:cdata() (_thnn_lua's
    # strict fields)
    _thnn_lua_fields = ('finput', 'fgradInput')

    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0,
                 adjW=0, adjH=0):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.nOutputPlane = nOutputPlane
        self.kW, self.kH = kW, kH
        self.dW = 1 if dW is None else dW
        self.dH = 1 if dH is None else dH
        self.padW = padW or 0
        self.padH = padH or 0
        self.adjW = adjW or 0
        self.adjH = adjH or 0
        if self.adjW > self.dW - 1 or self.adjH > self.dH - 1:
            raise at_lua(TorchError(
                'adjW and adjH must be smaller than self.dW - 1 and self.dH - 1 respectively'),
                'nn/SpatialFullConvolution.lua:23')
        self.weight = new_tensor(nInputPlane, nOutputPlane, kH, kW)
        self.gradWeight = new_tensor(nInputPlane, nOutputPlane, kH, kW).zero()
        self.bias = new_tensor(nOutputPlane)
        self.gradBias = new_tensor(nOutputPlane).zero()
        self.ones = new_tensor()
        self.reset()

    noBias = no_bias

    def reset(self, stdv=None):
        uniform_reset(self, self.kW * self.kH * self.nInputPlane, stdv)

    def _split(self, input):
        """A table input {x, target} sets adj so the output has the target's spatial size."""
        if isinstance(input, (list, tuple)):
            x, (tH, tW) = target_input(input, 2)
            adjW = (tW + 2 * self.padW - self.kW) % self.dW
            adjH = (tH + 2 * self.padH - self.kH) % self.dH
            return x, adjH, adjW
        return input, self.adjH, self.adjW

    def _dil(self):
        # THNN's SpatialFullDilatedConvolution, which this is with dilation 1 (nn.THNN sets
        # dilationH/dilationW for the dilated one)
        d = self.__dict__
        return d.get('dilationH', 1), d.get('dilationW', 1)

    def _geo(self, x, adjH, adjW):
        _, oH, oW = conv2d_check('full', x, self.weight, self.__dict__.get('bias'),
                                 (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW),
                                 self._dil(), (adjH, adjW))
        H, W = x._size[-2:]
        return x.dim() == 4, H, W, oH, oW

    def _w2(self, t):
        # THNN (Full/Dilated): nInputPlane = weight->size[0], nOutputPlane = weight->size[1]
        a = arr(t)
        return a.reshape(a.shape[0], -1)

    def updateOutput(self, input):
        x, adjH, adjW = self._split(input)
        # SpatialFullConvolution.lua: self.finput = self.finput or input[1].new() (input.new())
        utils.lua_buffers(self, x, 'finput', 'fgradInput')
        check_type(self, x, self.weight)
        batch, H, W, oH, oW = self._geo(x, adjH, adjW)
        xa = arr(x)
        x4 = (xa if batch else xa[None]).reshape(-1, self.weight._size[0], H * W)
        N = x4.shape[0]
        w2 = self._w2(self.weight)
        cols = frames_gemm_t(w2.T, x4, np.empty((N, w2.shape[1], H * W), x4.dtype))
        y = fold(cols.reshape(N, self.weight._size[1], self.kH, self.kW, H, W), (oH, oW),
                 (self.dH, self.dW), (self.padH, self.padW), self._dil())
        if self.__dict__.get('bias') is not None:
            y = y + arr(self.bias)[:, None, None]
        shape = (N, self.weight._size[1], oH, oW)
        out_like(self.output, shape if batch else shape[1:])[...] = y if batch else y[0]
        # SpatialFullDilatedConvolution.c: finput the columns of the last sample, fgradInput
        # the plane of ones
        lua_columns(self, cols.shape[1:], cols[-1] if N else None)
        lua_ones(self, (oH, oW))
        return self.output

    def _cols(self, x, gradOutput, adjH, adjW):
        batch, H, W, oH, oW = self._geo(x, adjH, adjW)
        N = x.size(1) if batch else 1
        gradOutput = conv_grad_check(x, gradOutput, (self.weight._size[1], oH, oW))
        go = arr(gradOutput).reshape(N, self.weight._size[1], oH, oW)
        cols = unfold_copy(go, (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW),
                           self._dil(), (H, W))
        return batch, N, H, W, go, cols

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, adjH, adjW = self._split(input)
        batch, N, H, W, go, cols = self._cols(x, gradOutput, adjH, adjW)
        # (THNN's gradColumns is finput: the last sample's columns of gradOutput)
        lua_columns(self, cols.shape[1:], cols[-1] if N else None)
        t = transposed_grad_input(self)
        gi = out_like(t, x._size)
        frames_gemm_t(self._w2(self.weight), cols, gi.reshape(N, self.weight._size[0], H * W))
        return set_transposed_grad_input(self, input, t)

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        x, adjH, adjW = self._split(input)
        if isinstance(x, Tensor) and isinstance(gradOutput, Tensor):
            # SpatialFullConvolution.lua 178: self.gradWeight:cdata() (a nil one: index error)
            from .spatial_convolution_mm import _nil_field
            _nil_field(self, 'gradWeight', 'nn/SpatialFullConvolution.lua:178')
        batch, N, H, W, go, cols = self._cols(x, gradOutput, adjH, adjW)
        lua_ones(self, go.shape[2:])
        lua_columns(self, cols.shape[1:], cols[-1] if N else None)
        transposed_acc_grad(self, x, go, cols, scale)

    def __tostring__(self):
        # a file from before adjW/adjH existed lacks them: Lua's `(adjW or adjH) and ...`
        text = lua_pads(self, ('adjW', 'adjH'))[1]
        return conv_tostring(self, extra=() if text is None else (self.adjW, self.adjH))


    def type(self, type=None, tensorCache=None):
        renew_unfold_buffers(self)  # SpatialFullConvolution.lua: self.finput = self.finput and torch.Tensor()
        return super().type(type, tensorCache)

    def clearState(self):
        utils.clear(self, *UNFOLD_STATE)
        return super().clearState()
