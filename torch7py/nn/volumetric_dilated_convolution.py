"""nn.VolumetricDilatedConvolution: port of torch/nn VolumetricDilatedConvolution.lua and THNN
VolumetricDilatedConvolution.c (vol2col with dilated kernels, then one GEMM)."""
from ._conv_layers import conv_tostring
from .volumetric_convolution import VolumetricConvolution


class VolumetricDilatedConvolution(VolumetricConvolution):
    # THNN's dilated convolution: finput one sample's columns, fgradInput a plane of ones
    # (_conv_layers.lua_columns, lua_ones)
    _one_sample_columns = True
    # finput is made by updateOutput as its Lua makes it: a backward before a forward fails
    # at self.finput:cdata() (_thnn_lua's strict fields)
    _thnn_lua_fields = ('finput',)

    def __init__(self, nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0, padW=0,
                 padH=0, dilationT=1, dilationW=1, dilationH=1):
        super().__init__(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH)
        self.dilationT = 1 if dilationT is None else dilationT
        self.dilationW = 1 if dilationW is None else dilationW
        self.dilationH = 1 if dilationH is None else dilationH

    def _dilation(self):
        return (self.dilationT, self.dilationH, self.dilationW)

    def __tostring__(self):
        return conv_tostring(self, 3, (self.dilationT, self.dilationW, self.dilationH))
