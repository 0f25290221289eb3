"""nn.VolumetricFullConvolution: port of torch/nn VolumetricFullConvolution.lua and THNN
VolumetricFullConvolution.c (transposed 3-d convolution: GEMM into columns, then col2vol)."""
import functools
import math

import numpy as np

from ..tensor import TorchError
from . import _shape_memo
from ._conv import fold, frames_gemm_t, scratch, unfold_copy, uniform_reset
from ._conv_layers import (
    lua_columns,
    lua_ones,
    conv_tostring,
    set_transposed_grad_input,
    target_input,
    transposed_acc_grad,
    transposed_grad_input,
)
from ._kernels import arr, check_type, new_tensor, no_bias, out_like
from ._shape_memo import size_of
from ._thnn_check import (
    arg_check,
    check_dim_size,
    check_dim_sizes,
    conv_grad_check,
    error,
    thnn_argcheck,
)
from .module import Module

_LAST_COLS = []  # [(geometry, gradOutput's bytes, its columns)] of the last vol2col


def _go_cols(go, k, d, pad, S):
    """vol2col of gradOutput: THNN runs it in updateGradInput and again in accGradParameters,
    on the same gradOutput in a backward; the columns of the last one are reused while its
    bits are unchanged (a pure function of them and the geometry)."""
    key = (go.shape, go.dtype.str, tuple(k), tuple(d), tuple(pad), tuple(S))
    goc = np.ascontiguousarray(go)
    bits = goc.tobytes()
    if _LAST_COLS:
        key0, bits0, cols = _LAST_COLS[0]
        if key0 == key and bits0 == bits:
            return cols
    cols = unfold_copy(goc, k, d, pad, (1, 1, 1), S)
    _LAST_COLS[:] = [(key, bits, cols)]
    return cols


def _one_nonzero(go, *operands):
    """gradOutput's single nonzero as (sample, plane, position, value), or (None,) * 4 when it
    is all zeros, or None when it has more (or an operand of the products is not finite).

    With at most one nonzero in gradOutput, every sum of the backward's two products (columns
    of gradOutput against the weight, and against the input) has at most one nonzero term: a
    column of vol2col(gradOutput) reads distinct gradOutput elements, and so does a row. BLAS
    then returns that term's rounded product, or +0 (its accumulators start at +0 and add the
    zero terms exactly), whatever order it adds in: the backward is computed from the one term
    with the same bits (nn.Jacobian's backprop sends one-hot gradOutputs, ~40,000 per check)."""
    nz = go != 0  # NaN counts
    c = np.count_nonzero(nz)
    if c > 1 or not all(np.isfinite(a).all() for a in operands):
        return None
    if c == 0:
        return (None,) * 4
    idx = tuple(int(i) for i in np.unravel_index(int(nz.argmax()), go.shape))
    return idx[0], idx[1], idx[2:], go[idx]


@functools.lru_cache(maxsize=1 << 16)
def _taps(q, S, k, d, pad):
    """The positions s of the (input-sized) column grid whose window reads gradOutput position
    q, and the kernel offsets kk = q + pad - s*d at which they read it: two index tuples that
    broadcast over the three axes."""
    ss, ks = [], []
    for a in range(3):
        sa = [s for s in range(S[a]) if 0 <= q[a] + pad[a] - s * d[a] < k[a]]
        shape = [1, 1, 1]
        shape[a] = len(sa)
        ss.append(np.array(sa, dtype=np.intp).reshape(shape))
        ks.append(np.array([q[a] + pad[a] - s * d[a] for s in sa], dtype=np.intp).reshape(shape))
    return (slice(None),) + tuple(ss), (slice(None),) + tuple(ks)


def _one_term_taps(one, batch, S, k, d, pad):
    """_one_nonzero's term as (sample, plane, column taps, kernel taps, value), or None for
    an all-zero gradOutput (a single sample's gradOutput has no sample axis)."""
    n0, o0, q, v = one
    if n0 is None:
        return None
    if not batch:
        n0, o0, q = 0, n0, (o0,) + q
    si, ki = _taps(q, S, k, d, pad)
    return n0, o0, si, ki, v


# the one-term backward pays for its Python steps from columns this large (smaller ones: the
# GEMMs are cheaper; both give the same bits)
_ONE_TERM_MIN = 20000


class VolumetricFullConvolution(Module):

    def __init__(self, nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0, padW=0,
                 padH=0, adjT=0, adjW=0, adjH=0):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.nOutputPlane = nOutputPlane
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT, self.dW, self.dH = (1 if d is None else d for d in (dT, dW, dH))
        self.padT, self.padW, self.padH = padT or 0, padW or 0, padH or 0
        self.adjT, self.adjW, self.adjH = adjT or 0, adjW or 0, adjH or 0
        if self.adjT > self.dT - 1 or self.adjW > self.dW - 1 or self.adjH > self.dH - 1:
            raise TorchError('adjT, adjW and adjH must be smaller than self.dT - 1, '
                             'self.dW - 1 and self.dH - 1 respectively')
        self.weight = new_tensor(nInputPlane, nOutputPlane, kT, kH, kW)
        self.gradWeight = new_tensor(nInputPlane, nOutputPlane, kT, kH, kW).zero()
        self.bias = new_tensor(nOutputPlane)
        self.gradBias = new_tensor(nOutputPlane).zero()
        self.ones = new_tensor()
        # THNN's columns and ones buffers (VolumetricFullConvolution.lua makes them here)
        self.finput = new_tensor()
        self.fgradInput = new_tensor()
        self.reset()

    noBias = no_bias

    def reset(self, stdv=None):
        uniform_reset(self, self.kT * self.kW * self.kH * self.nInputPlane, stdv,
                             'nn/VolumetricFullConvolution.lua:58')

    def _k(self):
        return (self.kT, self.kH, self.kW), (self.dT, self.dH, self.dW), \
            (self.padT, self.padH, self.padW)

    def _split(self, input):
        if isinstance(input, (list, tuple)):
            x, tsz = target_input(input, 3)
            k, d, pad = self._k()
            adj = tuple((tsz[i] + 2 * pad[i] - k[i]) % d[i] for i in range(3))
            return x, adj
        return input, (self.adjT, self.adjH, self.adjW)

    def _geo(self, x, adj, gradOutput=None):
        """THNN VolumetricFullDilatedConvolution_shapeCheck in its order (the kernel sizes and
        plane counts are the weight's)."""
        w = self.weight
        bias = self.__dict__.get('bias')
        key = (type(self), size_of(x), size_of(w), 'none' if bias is None else size_of(bias),
               self._k(), tuple(adj), 'none' if gradOutput is None else size_of(gradOutput))
        got = _shape_memo.get(key)
        if got is not None:
            return got
        thnn_argcheck(x.dim() in (4, 5), 2, x, '4D or 5D (batch mode) tensor expected for '
                      'input, but got: %s')
        thnn_argcheck(w.dim() == 5, 4, w, '5D (nOutputPlane x nInputPlane x kT x kH x kW) '
                      'tensor expected for weight, but got: %s')
        k, d, pad = self._k()
        arg_check(min(d) > 0, 11, 'stride should be greater than zero, but got dT: %d dH: %d '
                  'dW: %d', *d)
        aT, aH, aW = adj
        arg_check(aT < d[0] and aW < d[2] and aH < d[1], 15, 'output padding must be smaller '
                  'than either stride or dilation, but got aT: %d aH: %d aW: %d dT: %d dH: %d '
                  'dW: %d dilationT: %d dilationH: %d dilationW: %d', aT, aH, aW, *d, 1, 1, 1)
        nIn, nOut = w._size[0], w._size[1]
        k = tuple(w._size[2:])
        if bias is not None:
            check_dim_size(bias, 'bias', 1, 0, nOut)
        S = tuple(x._size[-3:])
        out = tuple((S[i] - 1) * d[i] - 2 * pad[i] + k[i] + adj[i] for i in range(3))
        if min(out) < 1:
            raise error('Given input size: (%dx%dx%dx%d). Calculated output size: '
                        '(%dx%dx%dx%d). Output size is too small', *((nIn,) + S + (nOut,) + out))
        nd = x.dim()
        check_dim_size(x, 'input', nd, nd - 4, nIn)
        if gradOutput is not None:
            check_dim_sizes(gradOutput, 'gradOutput', nd, nd - 4, (nOut,) + out)
        return _shape_memo.put(key, (nd == 5, S, out, k, d, pad))

    def _w2(self, t):
        # THNN (Full/Dilated): nInputPlane = weight->size[0], nOutputPlane = weight->size[1]
        a = arr(t)
        return a.reshape(a.shape[0], -1)

    def updateOutput(self, input):
        x, adj = self._split(input)
        check_type(self, x, self.weight)
        batch, S, out, k, d, pad = self._geo(x, adj)
        xa = arr(x)
        x3 = (xa if batch else xa[None]).reshape(-1, self.weight._size[0], int(math.prod(S)))
        N = x3.shape[0]
        w2 = self._w2(self.weight)
        cols = frames_gemm_t(w2.T, x3, np.empty((N, w2.shape[1], x3.shape[2]), x3.dtype))
        y = fold(cols.reshape((N, self.weight._size[1]) + k + S), out, d, pad, (1, 1, 1))
        if self.__dict__.get('bias') is not None:
            y = y + arr(self.bias)[:, None, None, None]
        shape = (N, self.weight._size[1]) + out
        out_like(self.output, shape if batch else shape[1:])[...] = y if batch else y[0]
        # VolumetricFullDilatedConvolution.c: finput the columns of the last sample, fgradInput
        # the plane of ones
        lua_columns(self, cols.shape[1:], cols[-1] if N else None)
        lua_ones(self, out)
        return self.output

    def _lua_go_columns(self, go, N, S, out, k, d, pad):
        """finput as THNN's updateGradInput and accGradParameters leave it: the columns of
        the last sample's gradOutput."""
        if not N:
            return lua_columns(self, (self.weight._size[1] * math.prod(k), math.prod(S)))
        last = go.reshape((N, self.weight._size[1]) + out)[-1:]
        return lua_columns(self, (self.weight._size[1] * math.prod(k), math.prod(S)),
                           _go_cols(last, k, d, pad, S)[0])

    def _cols(self, x, gradOutput, adj):
        batch, S, out, k, d, pad = self._geo(x, adj, gradOutput)
        N = x.size(1) if batch else 1
        gradOutput = conv_grad_check(x, gradOutput, (self.weight._size[1],) + out)
        go = arr(gradOutput).reshape((N, self.weight._size[1]) + out)
        return N, S, go, _go_cols(go, k, d, pad, S)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, adj = self._split(input)
        batch, S, out, k, d, pad = self._geo(x, adj, gradOutput)
        N = x.size(1) if batch else 1
        go = arr(conv_grad_check(x, gradOutput, (self.weight._size[1],) + out))
        self._lua_go_columns(go, N, S, out, k, d, pad)
        t = transposed_grad_input(self)
        w = arr(self.weight)
        big = N * self.weight._size[1] * math.prod(k) * math.prod(S) >= _ONE_TERM_MIN
        one = _one_nonzero(go, w) if big else None
        if one is not None:
            gi = out_like(t, x._size)
            gi[...] = 0
            term = _one_term_taps(one, batch, S, k, d, pad)
            if term is not None:
                n0, o0, si, ki, v = term
                dst = gi[n0] if batch else gi
                # + 0: a zero product is -0 for numpy, +0 in BLAS's sum
                dst[si] = w[:, o0][ki] * v + 0
            return set_transposed_grad_input(self, input, t)
        go = go.reshape((N, self.weight._size[1]) + out)
        cols = _go_cols(go, k, d, pad, S)
        w2 = self._w2(self.weight)
        g = frames_gemm_t(w2, cols, np.empty((N, w2.shape[0], cols.shape[2]), cols.dtype))
        out_like(t, x._size)[...] = g.reshape(arr(x).shape)
        return set_transposed_grad_input(self, input, t)

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        x, adj = self._split(input)
        batch, S, out, k, d, pad = self._geo(x, adj, gradOutput)
        N = x.size(1) if batch else 1
        go = arr(conv_grad_check(x, gradOutput, (self.gradWeight._size[1],) + out))
        xa = arr(x)
        gw = self._w2(self.gradWeight)
        lua_ones(self, out)
        self._lua_go_columns(go, N, S, out, k, d, pad)
        big = N * self.gradWeight._size[1] * math.prod(k) * math.prod(S) >= _ONE_TERM_MIN
        one = _one_nonzero(go, xa) if big and gw.dtype == go.dtype == xa.dtype else None
        if one is None:
            go = go.reshape((N, self.gradWeight._size[1]) + out)
            transposed_acc_grad(self, x, go, _go_cols(go, k, d, pad, S), scale)
            return
        go = go.reshape((N, self.gradWeight._size[1]) + out)
        # acc_outer's steps with its products built from the one term: per sample
        # x[n] @ cols[n]^T, times scale, added into gradWeight in sample order
        prods = scratch((N,) + gw.shape, gw.dtype)
        prods[...] = 0
        term = _one_term_taps(one, batch, S, k, d, pad)
        if term is not None:
            n0, o0, si, ki, v = term
            x5 = xa.reshape((N, self.gradWeight._size[0]) + S)
            p5 = prods[n0].reshape((self.gradWeight._size[0], self.gradWeight._size[1]) + k)
            p5[:, o0][ki] = x5[n0][si] * v + 0
        if scale != 1:
            prods *= gw.dtype.type(scale)
        for n in range(N):
            np.add(gw, prods[n], out=gw)
        if self.__dict__.get('bias') is not None:
            gb = arr(self.gradBias)
            gb += scale * go.sum(axis=(0,) + tuple(range(2, go.ndim)))

    def __tostring__(self):
        adj = (self.adjT, self.adjW, self.adjH)
        return conv_tostring(self, 3, adj if adj != (0, 0, 0) else (), bias_note=False)

    def type(self, type=None, tensorCache=None):
        # VolumetricFullConvolution.lua: self.finput = torch.Tensor(), self.fgradInput =
        # torch.Tensor() (new empty ones of the default type, then converted), on every call
        self.finput = new_tensor()
        self.fgradInput = new_tensor()
        return super().type(type, tensorCache)

    # (no clearState of its own: VolumetricFullConvolution.lua has none, Module's keeps finput
    # and fgradInput)
