"""nn.VolumetricDilatedMaxPooling: port of torch/nn VolumetricDilatedMaxPooling.lua and THNN
VolumetricDilatedMaxPooling.c (max pooling over dilated 3-d windows)."""
from .volumetric_max_pooling import VolumetricMaxPooling


class VolumetricDilatedMaxPooling(VolumetricMaxPooling):
    _thnn_numbers = VolumetricMaxPooling._thnn_numbers + ('dilationT', 'dilationW', 'dilationH')

    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0,
                 dilationT=1, dilationW=1, dilationH=1):
        super().__init__(kT, kW, kH, dT, dW, dH, padT, padW, padH)
        self.dilationT = 1 if dilationT is None else dilationT
        self.dilationW = 1 if dilationW is None else dilationW
        self.dilationH = 1 if dilationH is None else dilationH

    def _dilation(self):
        return (self.dilationT, self.dilationH, self.dilationW)

    def __tostring__(self):
        s = '%s(%dx%dx%d, %d,%d,%d' % (self.typename, self.kT, self.kW, self.kH, self.dT,
                                       self.dW, self.dH)
        if self.padT != 0 or self.padW != 0 or self.padH != 0:
            s += ', %d,%d,%d' % (self.padT, self.padW, self.padH)
        return s + ', %d,%d,%d)' % (self.dilationT, self.dilationW, self.dilationH)
