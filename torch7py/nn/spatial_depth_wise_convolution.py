"""nn.SpatialDepthWiseConvolution: port of nn 8726825's SpatialDepthWiseConvolution.lua and its
THNN SpatialDepthWiseConvolution.c. nn.SpatialDepthWiseConvolution(nInputPlane, nOutputPlane,
kW, kH, ...): each input plane i is convolved with nOutputPlane kernels of its own; output plane
i * nOutputPlane + o is input plane i through weight[o][i] plus bias[o][i]. The module makes
weight (nOutputPlane, nInputPlane*kH*kW) and bias (nOutputPlane, nInputPlane); THNN takes every
size from the weight and works on the module's tensors in place as its C does:

- a 2-D weight (gradWeight) is resized to 4-D (nOutputPlane, nInputPlane, kH, kW) by the first
  call that gets it (resize4d on the module's tensor);
- updateOutput reads the contiguous input with inputHeight = size[3] and inputWidth = size[2]
  (its C swaps them: a non-square input is read as its data laid out W x H);
- accGradParameters transposes gradWeight and gradBias in place, computes into contiguous
  copies of them (or into themselves, when the transposed tensor is contiguous), resizes them
  back (nothing when nInputPlane == nOutputPlane: the sizes are equal), copies the result back
  element after element (TH's copy, which on one storage reads what it has just written) and
  transposes them again. Their strides alternate from call to call, and with nInputPlane ==
  nOutputPlane > 1 every second call leaves them as the original leaves them: the gradBias
  transposed, the gradWeight with a block copied over another (the reference's values)."""
import numpy as np

from .. import obgemm
from ..messages import at_lua
from ._conv import fold, out_size, unfold, uniform_reset
from ._conv_layers import UNFOLD_STATE, conv_tostring, renew_unfold_buffers
from . import utils
from ._kernels import arr, check_type, new_tensor, no_bias, out_like
from ._thnn_check import arg_check, check_dim_size, check_dim_sizes, error, thnn_argcheck
from .module import Module
from .utils import TorchAssertionError


def _transpose01(t):
    """THTensor_(transpose)(t, NULL, 0, 1): t itself, its first two dimensions swapped."""
    s, st = list(t._size), list(t._stride)
    s[0], s[1] = s[1], s[0]
    st[0], st[1] = st[1], st[0]
    t._set(t._storage, t._offset, s, st)


def _flat_index(t):
    """The storage positions of t's elements in its logical (row-major) order."""
    idx = np.full((), t._offset, dtype=np.int64)
    for n, s in zip(t._size, t._stride):
        idx = idx[..., None] + np.arange(n, dtype=np.int64) * s
    return idx.reshape(-1)


def _th_copy(dst, src):
    """THTensor_(copy)(dst, src): nothing for one tensor; two contiguous tensors of as many
    elements copy as one block (onto itself: nothing); otherwise TH_TENSOR_APPLY2, element after
    element in both logical orders, which on one storage reads what it has just written."""
    if dst is src:
        return
    if dst._storage is not src._storage:
        dst.copy(src)
        return
    if dst.isContiguous() and src.isContiguous() and dst.nElement() == src.nElement() and \
            dst._offset == src._offset:
        return
    data = dst._storage._data
    for a, b in zip(_flat_index(dst).tolist(), _flat_index(src).tolist()):
        data[a] = data[b]


def _new_contiguous(t):
    """THTensor_(newContiguous): t itself when contiguous, else a contiguous copy."""
    return t if t.isContiguous() else t.clone()



def _products(r, a, b, alpha, beta):
    """r[t, i] = beta*r[t, i] + alpha*(a[t or 0, i] @ b[t, i]) for every sample t and input plane
    i, in that order, each as THTensor_(addmm) on r[t, i] computes it (torch7py.obgemm:
    OpenBLAS's bits); False (nothing done) where obgemm does not serve."""
    if not obgemm.available() or r.dtype not in (np.float32, np.float64) \
            or a.dtype != r.dtype or b.dtype != r.dtype:
        return False
    for t in range(r.shape[0]):
        for i in range(r.shape[1]):
            if not obgemm.mm_into(r[t, i], a[min(t, a.shape[0] - 1), i], b[t, i], alpha, beta):
                if t or i:
                    raise RuntimeError("obgemm served a product and not the next")
                return False
    return True

class SpatialDepthWiseConvolution(Module):

    # finput/fgradInput are made by updateOutput as its Lua makes them (the port computes
    # without them): a backward before a forward fails at self.finput:cdata() (_thnn_lua's
    # strict fields)
    _thnn_lua_fields = ('finput', 'fgradInput')

    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=None, dH=None, padW=None,
                 padH=None):
        super().__init__()
        dW = 1 if dW is None or dW is False else dW
        dH = 1 if dH is None or dH is False else dH
        self.nInputPlane = nInputPlane
        self.nOutputPlane = nOutputPlane
        self.kW = kW
        self.kH = kH
        self.dW = dW
        self.dH = dH
        self.padW = 0 if padW is None or padW is False else padW
        self.padH = self.padW if padH is None or padH is False else padH
        self.weight = new_tensor(nOutputPlane, nInputPlane * kH * kW)
        self.bias = new_tensor(nOutputPlane, nInputPlane)
        self.gradWeight = new_tensor(nOutputPlane, nInputPlane * kH * kW)
        self.gradBias = new_tensor(nOutputPlane, nInputPlane)
        self.reset()

    noBias = no_bias

    def reset(self, stdv=None):
        uniform_reset(self, self.kW * self.kH * self.nInputPlane, stdv,
                      'nn/SpatialDepthWiseConvolution.lua:49')  # (an unguarded bias draw)

    # -- THNN's geometry ----------------------------------------------------------------------
    def _planes(self, w):
        """nInputPlane, nOutputPlane from THNN's weight (or gradWeight); a 2-D one is resized
        to 4-D in place, as its C does."""
        kk = self.kH * self.kW
        if w.dim() == 2:
            nin, nout = w.size(2) // kk, w.size(1)
            w.resize(nout, nin, self.kH, self.kW)
            return nin, nout
        return (w._size[1] if w.dim() > 1 else 0), (w._size[0] if w.dim() else 0)

    def _shape_check(self, input, go_sizes, weight, bias):
        """SpatialDepthWiseConvolution_shapeCheck, in its order; go_sizes: gradOutput's sizes
        as THNN views it (nIn x nOut planes), or None."""
        kH, kW, dH, dW = self.kH, self.kW, self.dH, self.dW
        arg_check(kW > 0 and kH > 0, 9, 'kernel size should be greater than zero, but got kH: '
                  '%d kW: %d', kH, kW)
        arg_check(dW > 0 and dH > 0, 11, 'stride should be greater than zero, but got dH: %d '
                  'dW: %d', dH, dW)
        thnn_argcheck(weight.dim() == 4, 5, weight, '2D or 4D weight tensor expected, but got: %s')
        if bias is not None:
            check_dim_size(bias, 'bias', 2, 0, weight._size[0])
            check_dim_size(bias, 'bias', 2, 1, weight._size[1])
        nd = input.dim()
        thnn_argcheck(nd in (3, 4), 2, input, '3D or 4D input tensor expected but got: %s')
        dimf = nd - 3
        nin, nout = weight._size[1], weight._size[0]
        H, W = input._size[dimf + 1], input._size[dimf + 2]
        oH = out_size(H, kH, dH, self.padH)
        oW = out_size(W, kW, dW, self.padW)
        if oH < 1 or oW < 1:
            raise error('Given input size: (%d x %d x %d). Calculated output size: (%d x %d x '
                        '%d). Output size is too small', nin, H, W, nout * nin, oH, oW)
        check_dim_size(input, 'input', nd, dimf, nin)
        if go_sizes is not None:
            check_dim_sizes(go_sizes, 'gradOutput', nd + 1, dimf, (nin, nout, oH, oW))
        return oH, oW

    def _go_sizes(self, input, gradOutput, nin, nout):
        """THNN's view of gradOutput: a 3-d one (4-d in batch mode) as nIn x nOut planes."""
        g = tuple(gradOutput._size)
        if input.dim() == 3 and len(g) == 3:
            return (nin, nout) + g[1:]
        if input.dim() != 3 and len(g) == 4:
            return (g[0], nin, nout) + g[2:]
        return g

    def _cols(self, input, nin):
        """finput as updateOutput fills it: the contiguous input read as T x nIn planes of
        size[3] rows of size[2] (its inputHeight/inputWidth), unfolded per plane:
        (T, nIn, kH*kW, outputHeight*outputWidth)."""
        x = np.ascontiguousarray(arr(input))
        x4 = x if x.ndim == 4 else x[None]
        T, C, H, W = x4.shape
        xs = x4.reshape(T, C, W, H)
        oh = max(out_size(W, self.kH, self.dH, self.padH), 0)
        ow = max(out_size(H, self.kW, self.dW, self.padW), 0)
        win = unfold(xs, (self.kH, self.kW), (self.dH, self.dW), (self.padH, self.padW), (1, 1),
                     (oh, ow))
        return win.reshape(T, nin, self.kH * self.kW, oh * ow), oh, ow

    def _lua_buf(self, name, cols, batch):
        """THNN's finput/fgradInput: resize4d(T, nInputPlane, kW*kH, oH*oW) filled per sample
        and plane, then select(0, 0) for a non-batch input (3-d)."""
        t = self.__dict__.get(name)
        if t is None:
            return
        out_like(t, cols.shape if batch else cols.shape[1:])[...] = cols if batch else cols[0]

    # -- the module ---------------------------------------------------------------------------
    def updateOutput(self, input):
        utils.lua_buffers(self, input, 'finput', 'fgradInput')
        d = self.__dict__
        if d.get('padding') is not None:   # backward compatibility (SpatialDepthWise...lua)
            self.padW = self.padding
            self.padH = self.padding
            self.padding = None
        check_type(self, input, self.weight)
        nin, nout = self._planes(self.weight)
        bias = d.get('bias')
        self._shape_check(input, None, self.weight, bias)
        cols, oh, ow = self._cols(input, nin)
        w = arr(self.weight).reshape(nout, nin, -1).transpose(1, 0, 2)      # (nIn, nOut, kk)
        T = cols.shape[0]
        y = np.empty((T, nin, nout, cols.shape[-1]), cols.dtype)             # (T, nIn, nOut, L)
        # THNN, per sample and input plane: output_i the bias (or 0), then
        # addmm(output_i, 1, output_i, 1, weight_i, finput_i) (OpenBLAS's bits: obgemm)
        y[...] = 0 if bias is None else arr(bias).T[None, :, :, None]
        if not _products(y, w[None], cols, 1.0, 1.0):
            y += np.matmul(w[None], cols)
        shape = (T, nin * nout, oh, ow)
        out_like(self.output, shape if input.dim() == 4 else shape[1:])[...] = y.reshape(
            shape if input.dim() == 4 else shape[1:])
        self._lua_buf('finput', cols, input.dim() == 4)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        nin, nout = self._planes(self.weight)
        go = self._go_sizes(input, gradOutput, nin, nout)
        oH, oW = self._shape_check(input, go, self.weight, None)
        x = arr(input)
        x4 = x if x.ndim == 4 else x[None]
        T = x4.shape[0]
        g = np.ascontiguousarray(arr(gradOutput)).reshape(T, nin, nout, oH * oW)
        w = arr(self.weight).reshape(nout, nin, -1).transpose(1, 2, 0)      # (nIn, kk, nOut)
        # addmm(fgradInput_i, 0, fgradInput_i, 1, weight_i^T, gradOutput_i)
        gcols = np.empty((T, nin, w.shape[1], g.shape[-1]), g.dtype)         # (T, nIn, kk, L)
        if not _products(gcols, w[None], g, 1.0, 0.0):
            gcols = np.matmul(w[None], g)
        self._lua_buf('fgradInput', gcols, x.ndim == 4)
        gi = fold(gcols.reshape(T, nin, self.kH, self.kW, oH, oW), x4.shape[2:],
                  (self.dH, self.dW), (self.padH, self.padW), (1, 1))
        out_like(self.gradInput, input._size)[...] = gi.reshape(x.shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        d = self.__dict__
        G, B = self.gradWeight, d.get('gradBias')
        if (d.get('bias') is None) != (B is None):
            # assert((self.bias and self.gradBias) or (self.bias == nil and ...))
            raise at_lua(TorchAssertionError('assertion failed!'),
                         'nn/SpatialDepthWiseConvolution.lua:98')
        nin, nout = self._planes(G)
        go = self._go_sizes(input, gradOutput, nin, nout)
        oH, oW = self._shape_check(input, go, G, B)
        # transpose gradWeight & gradBias (in place) and take contiguous ones to compute in
        _transpose01(G)
        gw = _new_contiguous(G)
        if B is not None:
            _transpose01(B)
            gb = _new_contiguous(B)
        kk = self.kH * self.kW
        gw3 = gw.new()
        gw3._set(gw._storage, gw._offset, (nin, nout, kk), (nout * kk, kk, 1))
        cols, oh, ow = self._cols(input, nin)
        T = cols.shape[0]
        self._lua_buf('finput', cols, input.dim() == 4)
        g = np.ascontiguousarray(arr(gradOutput)).reshape(T, nin, nout, -1)
        W3 = arr(gw3)
        for t in range(T):
            # addmm(gradWeight_i, 1, gradWeight_i, scale, gradOutput_i, finput_i^T)
            if not _products(W3[None], g[t][None], np.swapaxes(cols[t], 1, 2)[None], scale,
                             1.0):
                W3 += scale * np.matmul(g[t], np.swapaxes(cols[t], 1, 2))
            if B is not None:
                # real sum over the plane (the tensor's type), then += scale*sum in accreal
                s = utils_seqsum(g[t])
                b = arr(gb)
                b[...] = (b.astype(np.float64) + scale * s.astype(np.float64)).astype(b.dtype)
        # copy back and transpose back
        _transpose01(G)
        G.resize(nin, nout, self.kH, self.kW)
        _th_copy(G, gw3)
        _transpose01(G)
        if B is not None:
            _transpose01(B)
            B.resize(nin, nout)
            _th_copy(B, gb)
            _transpose01(B)

    def __tostring__(self):
        return conv_tostring(self)

    def type(self, type=None, tensorCache=None):
        renew_unfold_buffers(self)  # SpatialDepthWiseConvolution.lua: self.finput = self.finput and torch.Tensor()
        return super().type(type, tensorCache)

    def clearState(self):
        utils.clear(self, *UNFOLD_STATE)
        return super().clearState()


def utils_seqsum(g):
    """THNN's `real sum = 0; for k: sum += data[k]` over each plane's values (last axis)."""
    from .. import numerics
    return numerics.seqsum_axis(g, g.ndim - 1, g.dtype)[..., 0]
