"""nn.SpatialConvolution: port of torch/nn SpatialConvolution.lua (THNN MM kernels)."""
import numpy as np

from . import utils
from ._conv_layers import conv_tostring, renew_unfold_buffers
from ._kernels import arr, new_tensor, no_bias
from .module import Module
from ..tensor import Tensor
from .spatial_convolution_mm import (_geometry, _nil_field, conv_acc_grad_parameters, conv_init,
                                     conv_reset, conv_update_grad_input, conv_update_output)


class SpatialConvolution(Module):

    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=None):
        super().__init__()
        conv_init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
        self.weight = new_tensor(nOutputPlane, nInputPlane, kH, kW)
        self.bias = new_tensor(nOutputPlane)
        self.gradWeight = new_tensor(nOutputPlane, nInputPlane, kH, kW)
        self.gradBias = new_tensor(nOutputPlane)
        self.reset()

    noBias = no_bias

    def type(self, type=None, tensorCache=None):
        renew_unfold_buffers(self)  # SpatialConvolution.lua: self.finput = self.finput and torch.Tensor()
        return super().type(type, tensorCache)

    def reset(self, stdv=None):
        conv_reset(self, stdv)

    def _w2(self, t):
        # THNN's view_weight_MM2d: (size[0], the rest), whatever the module's nOutputPlane
        a = arr(t)
        return a.reshape(a.shape[0], -1)

    def _back_compatibility(self):
        """SpatialConvolution.lua's backCompatibility, run before each computation: files of
        older nn versions have one 'padding' field or none, and 2-d weights."""
        d = self.__dict__
        for name in ('finput', 'fgradInput'):
            if d.get(name) is None:
                d[name] = self.weight.new()
        if d.get('padding') is not None:
            self.padW = self.padH = d.pop('padding')
        else:
            d['padW'] = d.get('padW') or 0
            d['padH'] = d.get('padH') or 0
        shape = (self.nOutputPlane, self.nInputPlane, self.kH, self.kW)
        if self.weight.dim() == 2:
            self.weight = self.weight.view(*shape)
        if d.get('gradWeight') is not None and self.gradWeight.dim() == 2:
            self.gradWeight = self.gradWeight.view(*shape)

    def updateOutput(self, input):
        self._back_compatibility()
        return conv_update_output(self, input, self._w2(self.weight))

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        self._back_compatibility()
        return conv_update_grad_input(self, input, gradOutput, self._w2(self.weight))

    def accGradParameters(self, input, gradOutput, scale=1):
        self._back_compatibility()
        if isinstance(input, Tensor) and isinstance(gradOutput, Tensor):
            # SpatialConvolution.lua 119: self.gradWeight:cdata()
            _nil_field(self, 'gradWeight', 'nn/SpatialConvolution.lua:119')
            if isinstance(self.gradWeight, Tensor) and self.gradWeight.dim() not in (2, 4):
                # an emptied gradWeight (fast-neural-style's clear_gradients): THNN's
                # shapeCheck refuses it before anything is computed
                _geometry(self, input, acc=True)
        gw = arr(self.gradWeight)
        gw2 = gw.reshape(gw.shape[0], -1)
        conv_acc_grad_parameters(self, input, gradOutput, gw2, 1 if scale is None else scale)
        if not np.shares_memory(gw2, gw):
            gw[...] = gw2.reshape(gw.shape)

    def __tostring__(self):
        return conv_tostring(self)

    def clearState(self):
        utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
        return super().clearState()
