"""nn.SpatialDilatedConvolution: port of torch/nn SpatialDilatedConvolution.lua and THNN
SpatialDilatedConvolution.c (im2col with dilated kernels, then one GEMM per batch)."""
from ..tensor import TorchError
from ._conv import acc_outer, conv_backward_input, conv_forward, out_size
from ._kernels import arr, check_type, out_like, sizes_str
from ._pointwise import buffer
from .spatial_convolution import SpatialConvolution


def spatial_geometry(m, input, oH, oW, nIn=None, nOut=None):
    nd = input.dim()
    if nd not in (3, 4):
        raise TorchError('3D or 4D input tensor expected but got a %dD tensor' % nd)
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

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        batch, k, d, pad, dil, out = self._geo(input)
        x = arr(input)
        x4 = x if batch else x[None]
        bias = self.__dict__.get('bias')
        N, C = x4.shape[:2]
        L = out[0] * out[1]
        cols = buffer(self, 'finput', (N, C * k[0] * k[1], L))
        shape = (N, self.nOutputPlane) + out
        y = out_like(self.output, shape if batch else shape[1:])
        conv_forward(x4, self._w2(self.weight), k, d, pad, dil, out,
                     None if bias is None else arr(bias), cols,
                     y.reshape(N, self.nOutputPlane, L))
        return self.output

    def _go(self, input, gradOutput, out):
        batch = input.dim() == 4
        N = input.size(1) if batch else 1
        want = ((N,) if batch else ()) + (self.nOutputPlane,) + out
        if tuple(gradOutput._size) != want:
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(want)))
        return arr(gradOutput).reshape(N, self.nOutputPlane, -1)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        batch, k, d, pad, dil, out = self._geo(input)
        go = self._go(input, gradOutput, out)
        S = tuple(input._size[-2:])
        w2 = self._w2(self.weight)
        gcols = buffer(self, 'fgradInput', (go.shape[0], w2.shape[1], go.shape[2]))
        gi = out_like(self.gradInput, input._size)
        conv_backward_input(go, w2, S, k, d, pad, dil, gcols, gi if batch else gi[None])
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        batch, k, d, pad, dil, out = self._geo(input)
        go = self._go(input, gradOutput, out)
        gw = arr(self.gradWeight).reshape(self.nOutputPlane, -1)
        cols = arr(self.finput).reshape(go.shape[0], gw.shape[1], -1)
        acc_outer(gw, go if scale == 1 else go * scale, cols)
        if self.__dict__.get('bias') is not None:
            gb = arr(self.gradBias)
            gb += scale * go.sum(axis=(0, 2))

    def __tostring__(self):
        s = '%s(%d -> %d, %dx%d' % (self.typename, self.nInputPlane, self.nOutputPlane,
                                    self.kW, self.kH)
        if self.dW != 1 or self.dH != 1 or self.padW != 0 or self.padH != 0:
            s += ', %d,%d' % (self.dW, self.dH)
        if self.padW != 0 or self.padH != 0:
            s += ', %d,%d' % (self.padW, self.padH)
        s += ', %d,%d' % (self.dilationW, self.dilationH)
        return s + (')' if self.__dict__.get('bias') is not None else ') without bias')
