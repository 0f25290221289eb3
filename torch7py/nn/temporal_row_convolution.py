"""nn.TemporalRowConvolution: port of torch/nn TemporalRowConvolution.lua and THNN
TemporalRowConvolution.c (each feature row convolved with its own kernel over time)."""
import numpy as np

from .. import numerics, obgemm
from ._conv import fold, out_size, unfold, uniform_reset
from ._conv_layers import UNFOLD_STATE
from ._kernels import arr, check_type, new_tensor, no_bias, out_like
from ..messages import size_desc
from ._thnn_check import (arg_check, arg_error, check_dim_size, conv_grad_check, error,
                          thnn_argcheck)
from .module import Module
from . import utils


def _exact(*arrays):
    """THNN's own products (torch7py.obgemm) serve these arrays: one float type."""
    dt = arrays[0].dtype
    return obgemm.available() and dt.kind == 'f' and all(a.dtype == dt for a in arrays)


class TemporalRowConvolution(Module):
    # finput/fgradInput are made by updateOutput as its Lua makes them (the port computes
    # without them): a backward before a forward fails at self.finput:cdata() (_thnn_lua's
    # strict fields)
    _thnn_lua_fields = ('finput', 'fgradInput')

    def __init__(self, inputFrameSize, kW, dW=1, featFirst=False):
        super().__init__()
        self.inputFrameSize = inputFrameSize
        self.kW = kW
        self.dW = 1 if dW is None else dW
        self.weight = new_tensor(inputFrameSize, 1, kW)
        self.bias = new_tensor(inputFrameSize)
        self.gradWeight = new_tensor(inputFrameSize, 1, kW).zero()
        self.gradBias = new_tensor(inputFrameSize).zero()
        self.featFirst = bool(featFirst)
        self.reset()

    noBias = no_bias

    def reset(self, stdv=None):
        uniform_reset(self, self.kW * self.inputFrameSize, stdv,
                             'nn/TemporalRowConvolution.lua:35')

    def _shape_check(self, input, gradOutput=None):
        """THNN TemporalRowConvolution: the input (and gradOutput) transposed to features x
        sequence unless featFirst (TH's transpose: #2 'out of range' below 2 dimensions),
        then its shapeCheck in order, printing the transposed shapes; the output length."""
        def view(t):
            sz = tuple(t._size)
            if self.featFirst:
                return sz
            arg_check(len(sz) >= 1, 1, 'out of range')
            arg_check(len(sz) >= 2, 2, 'out of range')
            return sz[:-2] + (sz[-1], sz[-2])
        sz = view(input)
        go = view(gradOutput) if gradOutput is not None else None
        arg_check(self.kW > 0, 5, 'kernel size should be greater than zero, but got kW: %d',
                  self.kW)
        arg_check(self.dW > 0, 6, 'stride should be greater than zero, but got dW: %d', self.dW)
        w = self.weight
        thnn_argcheck(w.dim() == 3, 3, w, '3D weight tensor expected, but got: %s')
        bias = self.__dict__.get('bias')
        if bias is not None:
            check_dim_size(bias, 'bias', 1, 0, w._size[0])
        nd = len(sz)
        if nd not in (2, 3):
            raise arg_error(1, '2D or 3D (batch mode) input tensor expected, but got :%s'
                            % size_desc(sz))
        F = w._size[0]
        oT = out_size(sz[-1], self.kW, self.dW, 0)
        if oT < 1:
            raise error('Given input size: (%d x %d). Calculated output size: (%d x %d). '
                        'Output size is too small', F, sz[-1], F, oT)
        check_dim_size(sz, 'input', nd, nd - 2, F)
        if go is not None:
            check_dim_size(go, 'gradOutput', nd, nd - 2, F)
            check_dim_size(go, 'gradOutput', nd, nd - 1, oT)
        return oT

    def _rows(self, input, gradOutput=None):
        """The input as (N, F, T) rows, whatever its layout."""
        oT = self._shape_check(input, gradOutput)
        x = arr(input)
        x3 = x if x.ndim == 3 else x[None]
        rows = x3 if self.featFirst else np.swapaxes(x3, 1, 2)
        return rows, oT

    def _layout(self, a, input):
        """(N, F, T') rows back to the input's layout and batch-ness."""
        a = a if self.featFirst else np.swapaxes(a, 1, 2)
        return a if input.dim() == 3 else a[0]

    def updateOutput(self, input):
        utils.lua_buffers(self, input, 'finput', 'fgradInput')
        check_type(self, input, self.weight)
        rows, oT = self._rows(input)
        win = unfold(rows, (self.kW,), (self.dW,), (0,), (1,), (oT,))      # (N, F, kW, oT)
        w = arr(self.weight)
        bias = self.__dict__.get('bias')
        if _exact(rows, w, *(() if bias is None else (arr(bias),))):
            # THNN, per sample: the output rows are the bias (zero without), then a baddbmm
            # over the planes: output[f] (1 x oT) += weight[f] (1 x kW) @ finput[f], a BLAS
            # call of one column (TH's transpose of the row)
            N, F = rows.shape[:2]
            y = np.empty((N, F, oT), rows.dtype)
            y[...] = 0 if bias is None else arr(bias)[None, :, None]
            for n in range(N):
                obgemm.gemm_batch(y[n][:, :, None], win[n].transpose(0, 2, 1),
                                  w[:, 0, :, None], 1, 1)
        else:
            y = np.einsum('nfkt,fk->nft', win, arr(self.weight)[:, 0, :])
            if self.__dict__.get('bias') is not None:
                y += arr(self.bias)[None, :, None]
        y = self._layout(y, input)
        out_like(self.output, y.shape)[...] = y
        return self.output

    def _go(self, input, gradOutput, oT):
        if input.dim() == 3 and gradOutput._size[0] != input._size[0]:
            # THNN's per-sample loop selects gradOutput[t] for the input's samples
            gradOutput = conv_grad_check(input, gradOutput, tuple(gradOutput._size[1:]))
        go = arr(gradOutput)
        go3 = go if go.ndim == 3 else go[None]
        return go3 if self.featFirst else np.swapaxes(go3, 1, 2)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        rows, oT = self._rows(input, gradOutput)
        go = self._go(input, gradOutput, oT)
        cols = go[:, :, None, :] * arr(self.weight)[:, 0, :][None, :, :, None]
        g = self._layout(fold(cols, (rows.shape[2],), (self.dW,), (0,), (1,)), input)
        out_like(self.gradInput, input._size)[...] = g
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        rows, oT = self._rows(input, gradOutput)
        go = self._go(input, gradOutput, oT)
        win = unfold(rows, (self.kW,), (self.dW,), (0,), (1,), (oT,))
        gw = arr(self.gradWeight)
        has_bias = self.__dict__.get('bias') is not None
        gb = arr(self.gradBias) if has_bias else None
        if _exact(rows, go, gw, *(() if gb is None else (gb,))):
            # THNN, per sample: a baddbmm over the planes, gradWeight[f] (1 x kW) += scale *
            # gradOutput[f] (1 x oT) @ finput[f]^T (a one-column BLAS call: TH's transpose of
            # the row), then per plane gradBias[f] += scale * (a plain sum in real), scale a
            # real
            if gb is not None:
                sums = numerics.seqsum_axis(go, 2)[:, :, 0]
                sc = gb.dtype.type(scale)
            for n in range(go.shape[0]):
                obgemm.gemm_batch(gw[:, 0, :, None], win[n], go[n][:, :, None], scale, 1)
                if gb is not None:
                    gb += sc * sums[n]
            return
        gw[:, 0, :] += scale * np.einsum('nfkt,nft->fk', win, go)
        if has_bias:
            gb += scale * go.sum(axis=(0, 2))

    def __tostring__(self):
        s = '%s(%d, %d' % (self.typename, self.inputFrameSize, self.kW)
        if self.dW != 1:
            s += ', %d' % self.dW
        return s + (')' if self.__dict__.get('bias') is not None else ') without bias')

    def type(self, type=None, tensorCache=None):
        # TemporalRowConvolution.lua: finput and fgradInput are emptied (:set()) first
        d = self.__dict__
        for k in ('finput', 'fgradInput'):
            if d.get(k) is not None:
                d[k].set()
        return super().type(type, tensorCache)

    def clearState(self):
        utils.clear(self, *UNFOLD_STATE)
        return super().clearState()
