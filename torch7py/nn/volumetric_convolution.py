"""nn.VolumetricConvolution: port of torch/nn VolumetricConvolution.lua and THNN
VolumetricConvolutionMM.c (vol2col, then one GEMM; weight nOut x nIn x kT x kH x kW)."""
from ..tensor import TorchError
from ._conv import acc_outer, conv_backward_input, conv_forward, out_size, uniform_reset
from ._kernels import arr, check_type, new_tensor, out_like, sizes_str
from ._pointwise import buffer
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

    def noBias(self):
        self.__dict__.pop('bias', None)
        self.__dict__.pop('gradBias', None)
        return self

    def reset(self, stdv=None):
        return uniform_reset(self, self.kT * self.kW * self.kH * self.nInputPlane, stdv)

    def _geo(self, input):
        nd = input.dim()
        if nd not in (4, 5):
            raise TorchError('4D or 5D (batch mode) tensor expected for input, but got: %s'
                             % sizes_str(input._size))
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
        return nd == 5, k, d, pad, out

    def _dilation(self):
        return (1, 1, 1)

    def _w2(self, t):
        return arr(t).reshape(self.nOutputPlane, -1)

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        batch, k, d, pad, out = self._geo(input)
        x = arr(input)
        x5 = x if batch else x[None]
        bias = self.__dict__.get('bias')
        N, C = x5.shape[:2]
        L = out[0] * out[1] * out[2]
        cols = buffer(self, 'finput', (N, C * k[0] * k[1] * k[2], L))
        shape = (N, self.nOutputPlane) + out
        y = out_like(self.output, shape if batch else shape[1:])
        conv_forward(x5, self._w2(self.weight), k, d, pad, self._dilation(), out,
                     None if bias is None else arr(bias), cols,
                     y.reshape(N, self.nOutputPlane, L))
        return self.output

    def _go(self, input, gradOutput, out):
        batch = input.dim() == 5
        N = input.size(1) if batch else 1
        want = ((N,) if batch else ()) + (self.nOutputPlane,) + out
        if tuple(gradOutput._size) != want:
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(want)))
        return arr(gradOutput).reshape(N, self.nOutputPlane, -1)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        batch, k, d, pad, out = self._geo(input)
        go = self._go(input, gradOutput, out)
        w2 = self._w2(self.weight)
        gcols = buffer(self, 'fgradInput', (go.shape[0], w2.shape[1], go.shape[2]))
        gi = out_like(self.gradInput, input._size)
        conv_backward_input(go, w2, tuple(input._size[-3:]), k, d, pad, self._dilation(), gcols,
                            gi if batch else gi[None])
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        batch, k, d, pad, out = self._geo(input)
        go = self._go(input, gradOutput, out)
        gw = self._w2(self.gradWeight)
        cols = arr(self.finput).reshape(go.shape[0], gw.shape[1], -1)
        acc_outer(gw, go if scale == 1 else go * scale, cols)
        if self.__dict__.get('bias') is not None:
            gb = arr(self.gradBias)
            gb += scale * go.sum(axis=(0, 2))

    def __tostring__(self):
        s = '%s(%d -> %d, %dx%dx%d' % (self.typename, self.nInputPlane, self.nOutputPlane,
                                       self.kT, self.kW, self.kH)
        if self.dT != 1 or self.dW != 1 or self.dH != 1 or self.padT != 0 or self.padW != 0 \
                or self.padH != 0:
            s += ', %d,%d,%d' % (self.dT, self.dW, self.dH)
        if self.padT != 0 or self.padW != 0 or self.padH != 0:
            s += ', %d,%d,%d' % (self.padT, self.padW, self.padH)
        return s + ')'

    def clearState(self):
        from . import utils
        utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
        return super().clearState()
