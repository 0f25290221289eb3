"""nn.VolumetricDilatedConvolution: port of torch/nn VolumetricDilatedConvolution.lua and THNN
VolumetricDilatedConvolution.c (vol2col with dilated kernels, then one GEMM)."""
from .volumetric_convolution import VolumetricConvolution


class VolumetricDilatedConvolution(VolumetricConvolution):

    def __init__(self, nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0, padW=0,
                 padH=0, dilationT=1, dilationW=1, dilationH=1):
        super().__init__(nInputPlane, nOutputPlane, kT, kW, kH, dT, dW, dH, padT, padW, padH)
        self.dilationT = dilationT or 1
        self.dilationW = dilationW or 1
        self.dilationH = dilationH or 1

    def _dilation(self):
        return (self.dilationT, self.dilationH, self.dilationW)

    def __tostring__(self):
        s = '%s(%d -> %d, %dx%dx%d' % (self.typename, self.nInputPlane, self.nOutputPlane,
                                       self.kT, self.kW, self.kH)
        if self.dT != 1 or self.dW != 1 or self.dH != 1 or self.padT != 0 or self.padW != 0 \
                or self.padH != 0:
            s += ', %d,%d,%d' % (self.dT, self.dW, self.dH)
        if self.padT != 0 or self.padW != 0 or self.padH != 0:
            s += ', %d,%d,%d' % (self.padT, self.padW, self.padH)
        s += ', %d,%d,%d' % (self.dilationT, self.dilationW, self.dilationH)
        return s + (')' if self.__dict__.get('bias') is not None else ') without bias')
