"""nn.VolumetricConvolution: port of torch/nn VolumetricConvolution.lua and THNN
VolumetricConvolutionMM.c (vol2col, then one GEMM; weight nOut x nIn x kT x kH x kW)."""
from ..tensor import TorchError
from ._conv import out_size, uniform_reset
from ._conv_layers import conv_tostring, layer_acc_grad, layer_forward, layer_grad_input
from ._kernels import arr, new_tensor, no_bias, sizes_str
from .module import Module


class VolumetricConvolution(Module):

    def __init__(self, nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0,
                 padW=None, padH=None):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.nOutputPlane = nOutputPlane
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT = dT or 1
        self.dW = dW or 1
        self.dH = dH or 1
        self.padT = padT or 0
        self.padW = padW or 0
        self.padH = padH or 0
        self.weight = new_tensor(nOutputPlane, nInputPlane, kT, kH, kW)
        self.bias = new_tensor(nOutputPlane)
        self.gradWeight = new_tensor(nOutputPlane, nInputPlane, kT, kH, kW).zero()
        self.gradBias = new_tensor(nOutputPlane).zero()
        self.reset()

    noBias = no_bias

    def reset(self, stdv=None):
        return uniform_reset(self, self.kT * self.kW * self.kH * self.nInputPlane, stdv)

    def _geo(self, input):
        nd = input.dim()
        if nd not in (4, 5):
            raise TorchError("bad argument #2 to 'v' (4D or 5D (batch mode) tensor expected for "
                             "input, but got: %s)" % sizes_str(input._size))
        C, T, H, W = input._size[-4:]
        if C != self.nInputPlane:
            raise TorchError('Need input of dimension %d and input.size[%d] == %d but got '
                             'input to be of shape: %s' % (nd, nd - 4, self.nInputPlane,
                                                           sizes_str(input._size)))
        k = (self.kT, self.kH, self.kW)
        d = (self.dT, self.dH, self.dW)
        pad = (self.padT, self.padH, self.padW)
        dil = self._dilation()
        out = tuple(out_size(s, k[i], d[i], pad[i], dil[i]) for i, s in enumerate((T, H, W)))
        if min(out) < 1:
            raise TorchError('Given input size: (%dx%dx%dx%d). Calculated output size: '
                             '(%dx%dx%dx%d). Output size is too small'
                             % ((C, T, H, W, self.nOutputPlane) + out))
        return nd == 5, k, d, pad, dil, out

    def _dilation(self):
        return (1, 1, 1)

    def _w2(self, t):
        return arr(t).reshape(self.nOutputPlane, -1)

    updateOutput = layer_forward
    updateGradInput = layer_grad_input
    accGradParameters = layer_acc_grad

    def __tostring__(self):
        return conv_tostring(self, 3, bias_note=False)


    def clearState(self):
        from . import utils
        utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
        return super().clearState()
