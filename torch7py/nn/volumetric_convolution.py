"""nn.VolumetricConvolution: port of torch/nn VolumetricConvolution.lua and THNN
VolumetricConvolutionMM.c (vol2col, then one GEMM; weight nOut x nIn x kT x kH x kW)."""
from ._conv import uniform_reset
from ._conv_layers import conv_tostring, layer_acc_grad, layer_forward, layer_grad_input
from ._kernels import arr, new_tensor, no_bias
from ._thnn_check import conv3d_check, vol_planes_check
from .module import Module
from . import _shape_memo
from ._shape_memo import size_of


class VolumetricConvolution(Module):
    # finput is made by updateOutput as its Lua makes it: a backward before a forward fails
    # at self.finput:cdata() (_thnn_lua's strict fields)
    _thnn_lua_fields = ('finput',)

    def __init__(self, nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0,
                 padW=None, padH=None):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.nOutputPlane = nOutputPlane
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT = 1 if dT is None else dT
        self.dW = 1 if dW is None else dW
        self.dH = 1 if dH is None else dH
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
        uniform_reset(self, self.kT * self.kW * self.kH * self.nInputPlane, stdv)

    def _geo(self, input):
        k = (self.kT, self.kH, self.kW)
        d = (self.dT, self.dH, self.dW)
        pad = (self.padT, self.padH, self.padW)
        dil = self._dilation()
        bias = self.__dict__.get('bias')
        key = (type(self), size_of(input), size_of(self.weight),
               'none' if bias is None else size_of(bias), k, d, pad, dil)
        got = _shape_memo.get(key)
        if got is not None:
            return got
        kind = 'mm' if type(self)._dilation is VolumetricConvolution._dilation else 'dilated'
        _, _, out = conv3d_check(kind, input, self.weight, bias, k, d, pad, dil)
        if kind == 'mm':
            vol_planes_check(input, self.weight, k, out)
        got = input.dim() == 5, k, d, pad, dil, out
        return _shape_memo.put(key, got)

    def _dilation(self):
        return (1, 1, 1)

    def _w2(self, t):
        # THNN: nOutputPlane = weight->size[0], whatever the module's field
        a = arr(t)
        return a.reshape(a.shape[0], -1)

    def updateOutput(self, input):
        if input.__class__ is type(self.weight) and input.dim() in (4, 5) \
                and type(self)._dilation is VolumetricConvolution._dilation \
                and input._size[-4] != self.weight._size[1]:
            # VolumetricConvolutionMM.c resizes finput and output before its frame GEMM
            # fails on the planes (VolumetricConvolution.lua made finput first)
            def before_gemm(fsize, osize):
                if self.__dict__.get('finput') is None:
                    self.finput = input.new()
                self.finput.resize(*fsize)
                self.output.resize(*osize)
            k = (self.kT, self.kH, self.kW)
            bias = self.__dict__.get('bias')
            _, _, out = conv3d_check('mm', input, self.weight, bias, k,
                                     (self.dT, self.dH, self.dW),
                                     (self.padT, self.padH, self.padW), self._dilation())
            vol_planes_check(input, self.weight, k, out, before_gemm)
        return layer_forward(self, input)
    updateGradInput = layer_grad_input
    accGradParameters = layer_acc_grad
    _gw_where = 'nn/VolumetricConvolution.lua:135'   # (its CPU branch's THNN call)

    def __tostring__(self):
        return conv_tostring(self, 3, bias_note=False)


    def type(self, type=None, tensorCache=None):
        # VolumetricConvolution.lua: `if self.finput then self.finput:set() end` (and
        # fgradInput): emptied in place, on every call, before Module's type
        for k in ('finput', 'fgradInput'):
            t = self.__dict__.get(k)
            if t is not None and t is not False:
                t.set()
        return super().type(type, tensorCache)

    def clearState(self):
        from . import utils
        utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
        return super().clearState()
