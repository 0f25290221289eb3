"""nn.SpatialDilatedConvolution: port of torch/nn SpatialDilatedConvolution.lua and THNN
SpatialDilatedConvolution.c (im2col with dilated kernels, then one GEMM per batch)."""
from ._conv_layers import conv_tostring, layer_acc_grad, layer_forward, layer_grad_input
from ._thnn_check import conv2d_check
from .spatial_convolution import SpatialConvolution


class SpatialDilatedConvolution(SpatialConvolution):
    # THNN's dilated convolution: finput one sample's columns, fgradInput a plane of ones
    # (_conv_layers.lua_columns, lua_ones)
    _one_sample_columns = True
    # finput is made by updateOutput as its Lua makes it: a backward before a forward fails
    # at self.finput:cdata() (_thnn_lua's strict fields)
    _thnn_lua_fields = ('finput',)

    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0,
                 dilationW=1, dilationH=1):
        super().__init__(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
        self.dilationW = 1 if dilationW is None else dilationW
        self.dilationH = 1 if dilationH is None else dilationH

    def _geo(self, input):
        _, oH, oW = conv2d_check('dilated', input, self.weight, self.__dict__.get('bias'),
                                 (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW),
                                 (self.dilationH, self.dilationW))
        return input.dim() == 4, (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW), \
            (self.dilationH, self.dilationW), (oH, oW)

    updateOutput = layer_forward
    updateGradInput = layer_grad_input
    accGradParameters = layer_acc_grad
    _gw_where = 'nn/SpatialDilatedConvolution.lua:53'

    def __tostring__(self):
        return conv_tostring(self, extra=(self.dilationW, self.dilationH))
