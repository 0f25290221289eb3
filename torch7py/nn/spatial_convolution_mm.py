"""nn.SpatialConvolutionMM: port of torch/nn SpatialConvolutionMM.lua (im2col + GEMM)."""
import numpy as np

from .. import messages, numerics, obgemm
from .. import tensor as _tensor
from ..messages import at_lua
from . import _blas, _kernels, utils
from ._conv import _exact_gemm, acc_outer, frames_forward, frames_mm, scratch, uniform_reset
from ._conv_layers import conv_tostring, renew_unfold_buffers
from ._kernels import (
    add_bias,
    arr,
    check_type,
    col2im,
    im2col,
    new_tensor,
    no_bias,
    out_like,
)
from ._thnn_check import arg_check, conv2d_check, conv_grad_check
from .module import Module


def _geometry(m, input, acc=False):
    """THNN SpatialConvolutionMM_shapeCheck's checks of the input, in its order (acc: those of
    accGradParameters, which checks gradWeight/gradBias)."""
    d = m.__dict__
    if d.get('padding') is not None:
        # files saved before padW/padH had a single 'padding' field
        m.padW = m.padH = d.pop('padding')
    weight, bias = (m.gradWeight, d.get('gradBias')) if acc else (m.weight, d.get('bias'))
    if acc:
        arg_check(weight.isContiguous(), 4, 'gradWeight needs to be contiguous')
        arg_check(bias is None or bias.isContiguous(), 5, 'gradBias needs to be contiguous')
    _, oH, oW = conv2d_check('mm', input, weight, bias, (m.kH, m.kW), (m.dH, m.dW),
                             (m.padH, m.padW))
    nd = input.dim()
    C, H, W = input._size[-3:]
    N = input._size[0] if nd == 4 else 1
    return nd == 4, N, C, H, W, oH, oW


def _per_sample_c():
    """Whether _nnk's per-sample convolution loops can run: they call numpy's own BLAS gemm
    (_blas), and a small convolution through them must give the bits of the batched numpy
    code, else they stay off."""
    return (_kernels._nnk is not None and hasattr(_kernels._nnk, 'conv_fwd')
            and _blas.checked('conv', _self_check) and _kernels.use_c)


def _conv_acc_c():
    """_nnk.conv_acc gives acc_outer's bits (scale 1, products shorter than BLAS's blocks)."""
    return hasattr(_kernels._nnk, 'conv_acc') and _blas.checked('conv_acc', _acc_check)


def _acc_check():
    rs = np.random.RandomState(1)
    for dt in (np.float64, np.float32):
        N, O, K, L = 3, 5, 7, 40
        go = rs.standard_normal((N, O, L)).astype(dt)
        cols = rs.standard_normal((N, K, L)).astype(dt)
        g = rs.standard_normal((O, K)).astype(dt)
        e = g.copy()
        _kernels._nnk.conv_acc(go, cols, g, N, O, K, L, 1.0, dt == np.float32)
        acc_outer(e, go, cols, 1)
        if g.tobytes() != e.tobytes():
            return False
    return True


def _self_check():
    rs = np.random.RandomState(0)
    for dt in (np.float64, np.float32):
        N, C, H, W, O, k = 3, 2, 9, 8, 5, 3
        oH, oW = H - k + 1, W - k + 1
        K, L = C * k * k, oH * oW
        x = rs.standard_normal((N, C, H, W)).astype(dt)
        w = rs.standard_normal((O, K)).astype(dt)
        b = rs.standard_normal(O).astype(dt)
        go = rs.standard_normal((N, O, L)).astype(dt)
        cols, gcols = np.empty((N, K, L), dt), np.empty((N, K, L), dt)
        y, gi = np.empty((N, O, L), dt), np.empty((N, C, H, W), dt)
        geo = (N, C, H, W, k, k, 1, 1, 0, 0, 1, 1, oH, oW, O, dt == np.float32)
        _kernels._nnk.conv_fwd(x, w, b, cols, y, *geo)
        _conv_gi(w, go, gcols, gi, geo)
        ecols, egcols = np.empty_like(cols), np.empty_like(gcols)
        ey, egi = np.empty_like(y), np.empty_like(gi)
        im2col(x, ecols, k, k, 1, 1, 0, 0, oH, oW)
        ey[...] = b[:, None]
        for n in range(N):  # THNN's frames: the bias, then addmm (obgemm: the set in force)
            obgemm.mm_into(ey[n], w, ecols[n], 1, 1)
            obgemm.mm_into(egcols[n], w.T, go[n])
        col2im(egcols, egi, k, k, 1, 1, 0, 0, oH, oW)
        for a, e in ((cols, ecols), (y, ey), (gcols, egcols), (gi, egi)):
            if a.tobytes() != e.tobytes():
                return False
    return True


def _conv_gi(w2, go, gcols, gi, geo):
    """_nnk's per-sample gradInput; each sample's column gradient made in a scratch buffer
    (the gemm's beta = 0 pass then zeroes cached lines) and streamed to fgradInput."""
    nnk = _kernels._nnk
    if hasattr(nnk, 'conv_gi_nt'):
        K, L = gcols.shape[-2:]
        nnk.conv_gi_nt(w2, go, gcols, gi, scratch((K, L), gcols.dtype, 'cols'), *geo)
    else:
        nnk.conv_gi(w2, go, gcols, gi, *geo)


def _per_sample(nOut, N, K, L, *arrays):
    """The per-sample C loops apply: batched GEMMs numpy would run as one gemm a sample (no
    vector shapes), on C-contiguous arrays of one float type."""
    return (N > 0 and K > 1 and L > 1 and nOut > 1 and _kernels.c_ok(*arrays)
            and all(a.dtype == arrays[0].dtype for a in arrays) and _per_sample_c())


def _pointwise_1x1(m):
    return (m.kH, m.kW, m.dH, m.dW, m.padH, m.padW) == (1, 1, 1, 1, 0, 0)


def _alias(buf, t, shape):
    """buf viewed over t's storage with the given (contiguous) shape."""
    utils.tensor_set(buf, t.storage(), t.storageOffset() - 1, shape,
                     tuple(int(np.prod(shape[i + 1:])) for i in range(len(shape))))


def _check_grad(m, input, gradOutput, batch, N, oH, oW):
    """THNN's gradOutput checks, after those of the input (_geometry)."""
    return conv_grad_check(input, gradOutput, (m.weight._size[0], oH, oW))


def conv_update_output(m, input, w2):
    """THNN SpatialConvolutionMM_updateOutput with the weight viewed as (nOut, nIn*kH*kW)."""
    check_type(m, input, m.weight)
    batch, N, C, H, W, oH, oW = _geometry(m, input)
    K, L = C * m.kH * m.kW, oH * oW
    if m.__dict__.get('finput') is None:
        m.finput = input.new()
    if m.__dict__.get('fgradInput') is None:
        m.fgradInput = input.new()
    x = arr(input)
    if _pointwise_1x1(m) and input.isContiguous():
        # a 1x1 kernel, stride 1, no padding: THNN's unfolded copy equals the input, so finput
        # views the input's storage instead of copying it
        _alias(m.finput, input, (N, K, L) if batch else (K, L))
        cols = x.reshape(N, K, L)
    else:
        cols = out_like(m.finput, (N, K, L) if batch else (K, L)).reshape(N, K, L)
        nOut = w2.shape[0]
        y = out_like(m.output, (N, nOut, oH, oW) if batch else (nOut, oH, oW)).reshape(
            N, nOut, L)
        b = arr(m.bias) if m.__dict__.get('bias') is not None else None
        if _per_sample(nOut, N, K, L, x, w2, cols, y, *(() if b is None else (b,))):
            # the batched im2col, matmul and bias below, one sample at a time in C
            _kernels._nnk.conv_fwd(x, w2, b, cols, y, N, C, H, W, m.kH, m.kW, m.dH, m.dW,
                                   m.padH, m.padW, 1, 1, oH, oW, nOut, x.dtype == np.float32)
            return m.output
        im2col(x if batch else x[None], cols, m.kH, m.kW, m.dH, m.dW, m.padH, m.padW, oH, oW)
    nOut = w2.shape[0]  # THNN: nOutputPlane = weight->size[0], not the module's field
    y = out_like(m.output, (N, nOut, oH, oW) if batch else (nOut, oH, oW)).reshape(N, nOut, L)
    bias = m.__dict__.get('bias') is not None
    if _exact_gemm(w2, cols, y) and (bias and arr(m.bias).dtype == y.dtype or not bias):
        frames_forward(w2, cols, y, arr(m.bias) if bias else None)  # THNN's order, per frame
        return m.output
    np.matmul(w2, cols, out=y)
    if bias:
        add_bias(y, arr(m.bias), N, L)
    return m.output


def conv_update_grad_input(m, input, gradOutput, w2):
    batch, N, C, H, W, oH, oW = _geometry(m, input)
    gradOutput = _check_grad(m, input, gradOutput, batch, N, oH, oW)
    K, L = C * m.kH * m.kW, oH * oW
    if m.__dict__.get('fgradInput') is None:
        m.fgradInput = input.new()
    nOut = w2.shape[0]  # THNN: nOutputPlane = weight->size[0]
    go = arr(gradOutput).reshape(N, nOut, L)
    gi = out_like(m.gradInput, input._size)
    if _pointwise_1x1(m):
        # the columns' gradient is the input's gradient (THNN's unfolded_acc of a 1x1 kernel)
        frames_mm(w2.T, go, gi.reshape(N, K, L))
        _alias(m.fgradInput, m.gradInput, (N, K, L) if batch else (K, L))
        return m.gradInput
    gcols = out_like(m.fgradInput, (N, K, L) if batch else (K, L)).reshape(N, K, L)
    if _per_sample(nOut, N, K, L, w2, go, gcols, gi):
        # the batched matmul and col2im below, one sample at a time in C
        _conv_gi(w2, go, gcols, gi, (N, C, H, W, m.kH, m.kW, m.dH, m.dW, m.padH, m.padW, 1, 1,
                                     oH, oW, nOut, go.dtype == np.float32))
        return m.gradInput
    frames_mm(w2.T, go, gcols)
    col2im(gcols, gi if batch else gi[None], m.kH, m.kW, m.dH, m.dW, m.padH, m.padW, oH, oW)
    return m.gradInput


def conv_acc_grad_parameters(m, input, gradOutput, gw2, scale):
    batch, N, C, H, W, oH, oW = _geometry(m, input, acc=True)
    gradOutput = _check_grad(m, input, gradOutput, batch, N, oH, oW)
    K, L = C * m.kH * m.kW, oH * oW
    nOut = gw2.shape[0]  # THNN: nOutputPlane = gradWeight->size[0]
    go = arr(gradOutput).reshape(N, nOut, L)
    cols = arr(m.finput).reshape(N, K, L)
    if scale == 1 and _per_sample(nOut, N, K, L, go, cols, gw2) and _conv_acc_c():
        # THNN's per-sample addmm into gradWeight: numpy's gemm with beta = 1, in C
        _kernels._nnk.conv_acc(go, cols, gw2, N, nOut, K, L, 1.0,
                               go.dtype == np.float32)
    else:
        acc_outer(gw2, go, cols, scale)
    if m.__dict__.get('gradBias') is not None and m.__dict__.get('bias') is not None:
        gb = arr(m.gradBias)
        if _kernels.c_ok(go, gb) and go.dtype == gb.dtype:
            # THNN, per sample and plane: `real sum += go`, then gradBias += scale*sum
            nnk = _kernels._nnk
            if hasattr(nnk, 'conv_gb_rows'):  # the batch's plane sums eight at a time
                nnk.conv_gb_rows(go, gb, scratch((N * nOut,), gb.dtype, 'gb'), N,
                                 nOut, L, scale, go.dtype == np.float32)
            else:
                nnk.conv_gb(go, gb, N, nOut, L, scale, go.dtype == np.float32)
        elif numerics.exact and go.dtype.kind == 'f' and gb.dtype == go.dtype:
            # the same loop on other layouts (a narrowed gradOutput): per sample and plane a
            # plain sum in real, then gradBias[i] += scale * sum, scale a real
            sums = numerics.seqsum_axis(go, 2)[:, :, 0]
            sc = gb.dtype.type(scale)
            for n in range(N):
                gb += sc * sums[n]
        else:
            gb += scale * go.sum(axis=(0, 2))


def _mm2d(t):
    """THNN's view_weight_MM2d: a 4-d weight as (size[0], size[1]*size[2]*size[3])."""
    a = arr(t)
    return a if a.ndim == 2 else a.reshape(a.shape[0], -1)


def conv_reset(m, stdv=None):
    uniform_reset(m, m.kW * m.kH * m.nInputPlane, stdv)


def conv_init(m, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH):
    m.nInputPlane = nInputPlane
    m.nOutputPlane = nOutputPlane
    m.kW, m.kH = kW, kH
    m.dW = 1 if dW is None else dW
    m.dH = 1 if dH is None else dH
    m.padW = 0 if padW is None else padW
    m.padH = m.padW if padH is None else padH



def _lua_true(v):
    """Lua's truth of a field: nil and false are false."""
    return v is not None and v is not False


def _nil_field(m, name, where):
    """m's Lua line `self.<name>:cdata()` at `where` on a nil field: LuaJIT's index error."""
    if m.__dict__.get(name) is None:
        raise at_lua(_tensor.TorchError(messages.msg('index_field', name, 'nil')), where)

class SpatialConvolutionMM(Module):
    # finput/fgradInput are made by updateOutput as its Lua makes them: a backward before a
    # forward fails at self.finput:cdata() (_thnn_lua's strict fields)
    _thnn_lua_fields = ('finput', 'fgradInput')

    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=None):
        super().__init__()
        conv_init(self, nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
        K = nInputPlane * kH * kW
        self.weight = new_tensor(nOutputPlane, K)
        self.bias = new_tensor(nOutputPlane)
        self.gradWeight = new_tensor(nOutputPlane, K)
        self.gradBias = new_tensor(nOutputPlane)
        self.reset()

    noBias = no_bias

    def type(self, type=None, tensorCache=None):
        renew_unfold_buffers(self)  # SpatialConvolutionMM.lua: self.finput = self.finput and torch.Tensor()
        return super().type(type, tensorCache)

    def reset(self, stdv=None):
        # (SpatialConvolutionMM.lua draws self.bias unguarded: after noBias() it fails there)
        uniform_reset(self, self.kW * self.kH * self.nInputPlane, stdv,
                      'nn/SpatialConvolutionMM.lua:49')

    def updateOutput(self, input):
        return conv_update_output(self, input, _mm2d(self.weight))

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        return conv_update_grad_input(self, input, gradOutput, _mm2d(self.weight))

    def accGradParameters(self, input, gradOutput, scale=1):
        d = self.__dict__
        if isinstance(input, _tensor.Tensor):
            # SpatialConvolutionMM.lua 98: assert((self.bias and self.gradBias) or
            # (self.bias == nil and self.gradBias == nil)); 102: self.gradWeight:cdata() (a
            # gradWeight dropped to save memory, as neural-style does, is nil there)
            if not ((_lua_true(d.get('bias')) and _lua_true(d.get('gradBias')))
                    or (d.get('bias') is None and d.get('gradBias') is None)):
                raise at_lua(utils.TorchAssertionError('assertion failed!'),
                             'nn/SpatialConvolutionMM.lua:98')
            if isinstance(gradOutput, _tensor.Tensor):
                _nil_field(self, 'gradWeight', 'nn/SpatialConvolutionMM.lua:102')
                if isinstance(self.gradWeight, _tensor.Tensor) and \
                        self.gradWeight.dim() not in (2, 4):
                    _geometry(self, input, acc=True)   # THNN's shapeCheck of gradWeight
        conv_acc_grad_parameters(self, input, gradOutput, _mm2d(self.gradWeight),
                                 1 if scale is None else scale)

    def __tostring__(self):
        return conv_tostring(self)

    def _t7_read(self, fields, version):
        """A file of 2013's nn: SpatialConvolutionMM had no dW/dH/padding fields then (its
        constructor took no stride, its C code computed stride 1 with no padding); later nn
        reads dW/dH from the module, so they are filled with what that layout computed."""
        self.__dict__.update(fields)
        d = self.__dict__
        if 'dW' not in d and 'dH' not in d and 'kW' in d and 'kH' in d:
            self.dW = self.dH = 1
            if 'padW' not in d and 'padH' not in d and d.get('padding') is None:
                self.padW = self.padH = 0

    def clearState(self):
        utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput')
        return super().clearState()
