"""nn.SpatialDilatedConvolution: port of torch/nn SpatialDilatedConvolution.lua and THNN
SpatialDilatedConvolution.c (im2col with dilated kernels, then one GEMM per batch)."""
from .. import messages
from ..tensor import TorchError
from ._conv import out_size
from ._conv_layers import conv_tostring, layer_acc_grad, layer_forward, layer_grad_input
from ._kernels import sizes_str
from .spatial_convolution import SpatialConvolution


def spatial_geometry(m, input, oH, oW, nIn=None, nOut=None):
    nd = input.dim()
    if nd not in (3, 4):
        raise TorchError(messages.msg('thnn_argcheck', 2, '3D or 4D input tensor expected but '
                                      'got: %s' % sizes_str(input._size)))
    C, H, W = input._size[-3:]
    nIn = m.nInputPlane if nIn is None else nIn
    nOut = m.nOutputPlane if nOut is None else nOut
    if oH < 1 or oW < 1:
        raise TorchError('Given input size: (%d x %d x %d). Calculated output size: '
                         '(%d x %d x %d). Output size is too small' % (C, H, W, nOut, oH, oW))
    if C != nIn:
        raise TorchError('Need input of dimension %d and input.size[%d] == %d but got input '
                         'to be of shape: %s' % (nd, nd - 3, nIn, sizes_str(input._size)))
    return nd == 4


class SpatialDilatedConvolution(SpatialConvolution):

    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0,
                 dilationW=1, dilationH=1):
        super().__init__(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
        self.dilationW = dilationW or 1
        self.dilationH = dilationH or 1

    def _geo(self, input):
        H, W = input._size[-2:] if input.dim() >= 2 else (0, 0)
        oH = out_size(H, self.kH, self.dH, self.padH, self.dilationH)
        oW = out_size(W, self.kW, self.dW, self.padW, self.dilationW)
        batch = spatial_geometry(self, input, oH, oW)
        return batch, (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW), \
            (self.dilationH, self.dilationW), (oH, oW)

    updateOutput = layer_forward
    updateGradInput = layer_grad_input
    accGradParameters = layer_acc_grad

    def __tostring__(self):
        return conv_tostring(self, extra=(self.dilationW, self.dilationH))
