"""nn.SpatialConvolutionLocal: port of torch/nn SpatialConvolutionLocal.lua and THNN
SpatialConvolutionLocal.c (a convolution with different weights at every output location)."""
import numpy as np

from .. import messages, numerics, obgemm
from ..messages import at_lua, lua_line
from ..tensor import DoubleTensor, FloatTensor, TorchError
from . import _lua
from ._conv import fold, unfold, uniform_reset
from ._conv_layers import renew_unfold_buffers
from ._kernels import arr, check_type, new_tensor, out_like
from ._thnn_check import conv_grad_check
from . import utils
from .module import Module
from .utils import TorchAssertionError

_THNN = (DoubleTensor, FloatTensor)


class SpatialConvolutionLocal(Module):

    def __init__(self, nInputPlane, nOutputPlane, iW, iH, kW, kH, dW=1, dH=1, padW=0,
                 padH=None):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.nOutputPlane = nOutputPlane
        self.kW, self.kH = kW, kH
        self.iW, self.iH = iW, iH
        self.dW = 1 if dW is None else dW
        self.dH = 1 if dH is None else dH
        self.padW = padW or 0
        self.padH = self.padW if padH is None else padH
        # SpatialConvolutionLocal.lua 20-21: (self.padW * 2 + iW - self.kW) / self.dW: LuaJIT
        # names the first operand that is no number (local 'iW', then field 'kW')
        for line, operands in ((20, ((iW, "local 'iW'"), (kW, "field 'kW'"))),
                               (21, ((iH, "local 'iH'"), (kH, "field 'kH'")))):
            for v, what in operands:
                kind = messages.lua_type(v)
                if kind not in ('number', 'string'):
                    raise at_lua(TorchError(messages.arith_text(kind, what)),
                                 'nn/SpatialConvolutionLocal.lua:%d' % line)
        self.oW = (self.padW * 2 + iW - kW) // self.dW + 1
        self.oH = (self.padH * 2 + iH - kH) // self.dH + 1
        if not (1 <= self.oW and 1 <= self.oH):
            raise at_lua(TorchAssertionError(
                'illegal configuration: output width or height less than 1'),
                'nn/SpatialConvolutionLocal.lua:22')
        self.weight = new_tensor(self.oH, self.oW, nOutputPlane, nInputPlane, kH, kW)
        self.bias = new_tensor(nOutputPlane, self.oH, self.oW)
        self.gradWeight = new_tensor(self.oH, self.oW, nOutputPlane, nInputPlane, kH, kW).zero()
        self.gradBias = new_tensor(nOutputPlane, self.oH, self.oW).zero()
        self.reset()

    def type(self, type=None, tensorCache=None):
        renew_unfold_buffers(self)  # SpatialConvolutionLocal.lua: self.finput = self.finput and torch.Tensor()
        return super().type(type, tensorCache)

    def reset(self, stdv=None):
        uniform_reset(self, self.kW * self.kH * self.nInputPlane, stdv)

    def _geo(self, input):
        """SpatialConvolutionLocal.lua's checkInputSize."""
        with lua_line('nn/SpatialConvolutionLocal.lua:66'):
            nd = _lua.mcall(input, 'nDimension', what="local 'input'")
        sz = input._size
        want = (self.nInputPlane, self.iH, self.iW)
        if nd == 3 and tuple(sz) != want:
            raise at_lua(TorchError(
                'Given input size: (%dx%dx%d) inconsistent with expected input size: '
                '(%dx%dx%d).' % (tuple(sz) + want)), 'nn/SpatialConvolutionLocal.lua:68')
        if nd == 4 and tuple(sz[1:]) != want:
            raise at_lua(TorchError(
                'Given input size: (%dx%dx%dx%d) inconsistent with expected input size: '
                '(batchsize x%dx%dx%d).' % (tuple(sz) + want)), 'nn/SpatialConvolutionLocal.lua:73')
        if nd not in (3, 4):
            raise at_lua(TorchError(
                '3D or 4D(batch mode) tensor expected'), 'nn/SpatialConvolutionLocal.lua:77')
        x = arr(input)
        return x if x.ndim == 4 else x[None]

    def _exact(self, *arrays):
        """THNN's own products (torch7py.obgemm) serve these arrays: one float type."""
        dt = arr(self.weight).dtype
        return obgemm.available() and dt.kind == 'f' and all(a.dtype == dt for a in arrays)

    def _cols(self, x4):
        N = x4.shape[0]
        win = unfold(x4, (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW),
                     (1, 1), (self.oH, self.oW))
        # (L, N, K): one small GEMM per output location
        return win.reshape(N, -1, self.oH * self.oW).transpose(2, 0, 1)

    def _w(self, t):
        return arr(t).reshape(self.oH * self.oW, self.nOutputPlane, -1)

    def _lua_call(self, input, *args, scale=()):
        """The THNN call's input.THNN, cdata()s and FFI conversions (args: its tensors after
        input, as (name, value); then kW, kH, dW, dH, padW, padH, iW, iH, oW, oH, scale)."""
        if type(input) in _THNN and all(type(v) is type(input) for _, v in args):
            return
        d = self.__dict__
        nums = tuple((d.get(k), 'int') for k in ('kW', 'kH', 'dW', 'dH', 'padW', 'padH', 'iW',
                                                  'iH', 'oW', 'oH'))
        _lua.thnn_call(input, *args, nums=nums + tuple(scale))

    def _bufs(self):
        d = self.__dict__
        return ("field 'finput'", d.get('finput')), ("field 'fgradInput'", d.get('fgradInput'))

    def updateOutput(self, input):
        # its Lua: self.finput = self.finput or input.new() (and fgradInput), checkInputSize,
        # then the THNN call
        with lua_line('nn/SpatialConvolutionLocal.lua:101'):
            _lua.new_field(self, 'finput', input)
        with lua_line('nn/SpatialConvolutionLocal.lua:102'):
            _lua.new_field(self, 'fgradInput', input)
        x4 = self._geo(input)
        self._lua_call(input, ("field 'output'", self.output), ("field 'weight'", self.weight),
                       ("field 'bias'", self.bias), *self._bufs())
        check_type(self, input, self.weight)
        self._lua_finput(input, x4)
        if self._exact(x4, arr(self.bias)):
            # THNN, per sample: the output is the bias, then per location l (a baddbmm)
            # output[:, l] += weight[l] @ columns[:, l], a BLAS call of one column
            cols, w3 = self._cols(x4), self._w(self.weight)
            N, L = x4.shape[0], self.oH * self.oW
            shape = (N, self.nOutputPlane, self.oH, self.oW)
            y = out_like(self.output, shape if input.dim() == 4 else shape[1:]).reshape(
                N, self.nOutputPlane, L)
            y[...] = arr(self.bias).reshape(self.nOutputPlane, L)
            for t in range(N):
                obgemm.gemm_batch(y[t].T[:, :, None], w3, cols[:, t, :, None], 1, 1)
            return self.output
        y = np.matmul(self._cols(x4), np.swapaxes(self._w(self.weight), 1, 2))   # (L, N, nOut)
        y = y.transpose(1, 2, 0) + arr(self.bias).reshape(1, self.nOutputPlane, -1)
        shape = (x4.shape[0], self.nOutputPlane, self.oH, self.oW)
        out_like(self.output, shape if input.dim() == 4 else shape[1:])[...] = y.reshape(
            shape if input.dim() == 4 else shape[1:])
        return self.output

    def _lua_finput(self, input, x4):
        """THNN's finput: resize2d(kW*kH*nInputPlane, oH*oW) for one sample, resize3d(T, ...)
        for a batch, holding each sample's unfolded input."""
        N, L = x4.shape[0], self.oH * self.oW
        K = self.nInputPlane * self.kH * self.kW
        f = out_like(self.finput, (N, K, L) if input.dim() == 4 else (K, L))
        f.reshape(N, K, L)[...] = self._cols(x4).transpose(1, 2, 0)

    def _lua_fgrad_input(self, cols):
        """THNN's resizeAs(fgradInput, finput), filled with the gradient's columns (cols: N x
        nInputPlane x kH x kW x oH x oW)."""
        f = out_like(self.fgradInput, self.finput._size)
        f.reshape(cols.shape)[...] = cols

    def _go(self, input, gradOutput, N):
        """SpatialConvolutionLocal.lua's checkOutputSize; THNN's per-sample loop then selects
        gradOutput[t] for the input's samples (TH's select: #3 'out of range')."""
        nd = _lua.mcall(gradOutput, 'nDimension', what="local 'output'")
        sz = gradOutput._size
        if nd != input.dim():
            raise at_lua(TorchError(
                'inconsistent dimension between output and input.'),
                'nn/SpatialConvolutionLocal.lua:83')
        want = (self.nOutputPlane, self.oH, self.oW)
        if nd == 3 and tuple(sz) != want:
            raise at_lua(TorchError(
                'Given output size: (%dx%dx%d) inconsistent with expected output size: '
                '(%dx%dx%d).' % (tuple(sz) + want)), 'nn/SpatialConvolutionLocal.lua:87')
        if nd == 4 and tuple(sz[1:]) != want:
            raise at_lua(TorchError(
                'Given output size: (%dx%dx%dx%d) inconsistent with expected output size: '
                '(batchsize x%dx%dx%d).' % (tuple(sz) + want)), 'nn/SpatialConvolutionLocal.lua:92')
        if nd not in (3, 4):
            raise at_lua(TorchError(
                '3D or 4D(batch mode) tensor expected'), 'nn/SpatialConvolutionLocal.lua:96')
        gradOutput = conv_grad_check(input, gradOutput, want)
        return arr(gradOutput).reshape(N, self.nOutputPlane, -1).transpose(2, 0, 1)  # (L,N,o)

    def updateGradInput(self, input, gradOutput):
        x4 = self._geo(input)
        N = x4.shape[0]
        go = self._go(input, gradOutput, N)
        if self.gradInput is None:
            return None
        self._lua_call(input, ('gradOutput', gradOutput), ("field 'gradInput'", self.gradInput),
                       ("field 'weight'", self.weight), *self._bufs())
        if self._exact(x4, go):
            # THNN, per sample and location: fgradInput[:, l] = weight[l]^T @ gradOutput[:, l]
            w3 = self._w(self.weight)
            L = self.oH * self.oW
            g = np.empty((N, w3.shape[2], L), x4.dtype)
            for t in range(N):
                obgemm.gemm_batch(g[t].T[:, :, None], w3.transpose(0, 2, 1), go[:, t, :, None],
                                  1, 0)
            cols = g.reshape((N, self.nInputPlane, self.kH, self.kW, self.oH, self.oW))
        else:
            gcols = np.matmul(go, self._w(self.weight))                  # (L, N, K)
            cols = gcols.transpose(1, 2, 0).reshape((N, self.nInputPlane, self.kH, self.kW,
                                                     self.oH, self.oW))
        if isinstance(self.__dict__.get('fgradInput'), type(self.finput)) \
                and self.finput.nElement() == cols.size:
            self._lua_fgrad_input(cols)
        g = fold(cols, x4.shape[2:], (self.dH, self.dW), (self.padH, self.padW), (1, 1))
        out_like(self.gradInput, input._size)[...] = g.reshape(arr(input).shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None or scale is False:
            scale = 1
        x4 = self._geo(input)
        go = self._go(input, gradOutput, x4.shape[0])
        self._lua_call(input, ('gradOutput', gradOutput), ("field 'gradWeight'", self.gradWeight),
                       ("field 'gradBias'", self.gradBias), *self._bufs(),
                       scale=((scale, 'accreal'),))
        gw = self._w(self.gradWeight)
        gb = arr(self.gradBias)
        if self._exact(x4, go, gw, gb) and gb.flags.c_contiguous:
            # THNN, per sample: per location gradWeight[l] += scale * gradOutput[:, l] @
            # columns[:, l]^T (a baddbmm: addmm with a product of one term, laid out as TH
            # picks for gradWeight[l]), then cadd(gradBias, scale, gradOutput) (an axpy)
            cols = self._cols(x4)
            L, o, K = gw.shape
            # TH's flags from THNN's views: gradWeight[l] (o x K) strides (K, 1),
            # gradOutput3d[l] (o x 1) strides (L, o*L), finput3d[l] (1 x K) strides (K*L, L)
            r_t, ta, tb = obgemm.th_addmm_flags((K, 1), (L, o * L), (K * L, L))
            for t in range(x4.shape[0]):
                gt, ct = go[:, t, None, :], cols[:, t, :, None]  # (L, 1, o), (L, K, 1)
                if not r_t:  # gradWeight[l] (o x 1): TH's 'n'
                    obgemm.gemm_batch(gw, gt.transpose(0, 2, 1), ct, scale, 1, (ta, tb))
                else:
                    obgemm.gemm_batch(gw.transpose(0, 2, 1), ct, gt, scale, 1, (ta, tb))
                frame = np.ascontiguousarray(go[:, t, :].T).reshape(-1)  # gradOutput[t]
                numerics.axpy(gb.reshape(-1), scale, frame)
            return
        gw += scale * np.matmul(np.swapaxes(go, 1, 2), self._cols(x4))
        gb += scale * go.sum(axis=1).T.reshape(gb.shape)

    def __tostring__(self):
        s = '%s(%d -> %d, %dx%d, %dx%d' % (self.typename, self.nInputPlane, self.nOutputPlane,
                                           self.iW, self.iH, self.kW, self.kH)
        if self.dW != 1 or self.dH != 1 or self.padW != 0 or self.padH != 0:
            s += ', %d,%d' % (self.dW, self.dH)
        if self.padW != 0 or self.padH != 0:
            s += ', %d,%d' % (self.padW, self.padH)
        return s + ')'

    def clearState(self):
        # SpatialConvolutionLocal.lua: nn.utils.clear(self, 'finput', 'fgradInput', '_input',
        # '_gradOutput')
        utils.clear(self, ['finput', 'fgradInput', '_input', '_gradOutput'])
        return super().clearState()
