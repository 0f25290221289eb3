"""nn.SpatialConvolutionMap: port of torch/nn SpatialConvolutionMap.lua and THNN
SpatialConvolutionMap.c (a convolution whose kernels connect the plane pairs of a table)."""
import math

import numpy as np

from .. import numerics
from ..random import uniform as _rng_uniform
from ._conv import fold, out_size, unfold
from ._kernels import arr, check_type, new_tensor, out_like
from ._thnn_check import arg_check
from .module import Module


def map_reset(m, stdv=None):
    """Torch7's reset of the map convolutions: the fan-in of each connection's output plane."""
    conn = arr(m.connTable).astype(np.int64)
    if stdv is not None:
        stdv = stdv * math.sqrt(3)
        m.weight.uniform(-stdv, stdv)
        m.bias.uniform(-stdv, stdv)
        return m
    ninp = np.bincount(conn[:, 1] - 1, minlength=m.nOutputPlane)
    for k in range(conn.shape[0]):
        s = 1.0 / math.sqrt(m.kW * m.kH * ninp[conn[k, 1] - 1])
        m.weight.select(1, k + 1).uniform(-s, s)
    b = arr(m.bias)
    for k in range(m.nOutputPlane):
        s = 1.0 / math.sqrt(m.kW * m.kH * ninp[k]) if ninp[k] else math.inf
        b[k] = _rng_uniform(-s, s)
    return m


def map_init(self, conMatrix, kW, kH, dW, dH):
    m = self
    m.kW, m.kH = kW, kH
    m.dW = 1 if dW is None else dW
    m.dH = 1 if dH is None else dH
    m.connTable = conMatrix
    # the Lua's `self.connTable:select(2,1):max()`: a bad conMatrix fails there as in Lua
    # ("attempt to index field 'connTable'"), in self's field
    self.connTable.select(2, 1)
    conn = arr(conMatrix)
    m.nInputPlane = int(conn[:, 0].max())
    m.nOutputPlane = int(conn[:, 1].max())
    n = conMatrix.size(1)
    m.weight = new_tensor(n, kH, kW)
    m.bias = new_tensor(m.nOutputPlane)
    m.gradWeight = new_tensor(n, kH, kW).zero()
    m.gradBias = new_tensor(m.nOutputPlane).zero()


def scatter_matrix(conn, n_out, col):
    """(n_out, nConnections) one-hot matrix summing connections into their plane ``col``."""
    mat = np.zeros((n_out, conn.shape[0]))
    mat[conn[:, col] - 1, np.arange(conn.shape[0])] = 1
    return mat


def _fma_into(a, b, r):
    """r = a*b + r rounded once (THVector_(cadd)'s AVX2 kernel, built with -mfma)."""
    numerics.fma(a, b, r, out=r)


def _valid_xcorr(r, t, w, sH=1, sW=1):
    """THTensor_(validXCorr2Dptr)(r, 1.0, t, w) on a batch of planes (r: (N, oH, oW), t: (N,
    H, W), w: (kH, kW)): _valid_xcorr_planes with one plane."""
    _valid_xcorr_planes(r[:, None], t[:, None], w[None], sH, sW)


def _full_conv(r, t, w, sH=1, sW=1):
    """THTensor_(fullConv2Dptr)(r, 1.0, t, w) on a batch (r: (N, H, W), t: (N, oH, oW)):
    _full_conv_planes with one plane."""
    _full_conv_planes(r[:, None], t[:, None], w[None], sH, sW)


def _rounds(planes):
    """The connections (indices into the table) grouped by rank: round j holds, for every plane
    (planes: each connection's plane, 1-based) that has one, its j-th connection in the
    table's order; no plane appears twice in a round."""
    seen = {}
    rounds = []
    for k, p in enumerate(planes.tolist()):
        j = seen.get(p, 0)
        seen[p] = j + 1
        if j == len(rounds):
            rounds.append([])
        rounds[j].append(k)
    return [np.array(r) for r in rounds]


def _valid_xcorr_planes(r, t, w, sH=1, sW=1):
    """THTensor_(validXCorr2Dptr)(r, 1.0, t, w) for several (r, t, w) triples at once: r (N, C,
    oH, oW), t (N, C, H, W), w (C, kH, kW), each plane c its own correlation. Output rows of 4
    or more take its vectorised branch (one fused add per tap, row-major); shorter ones sum the
    taps' products, then r += sum."""
    kH, kW = w.shape[1:]
    oH, oW = r.shape[2:]
    if oW >= 4 and sW == 1:
        for a in range(kH):
            for b in range(kW):
                _fma_into(t[:, :, a:a + (oH - 1) * sH + 1:sH, b:b + oW],
                          w[None, :, a, b, None, None], r)
        return
    acc = np.zeros_like(r)
    for a in range(kH):
        for b in range(kW):
            acc += t[:, :, a:a + (oH - 1) * sH + 1:sH, b:b + (oW - 1) * sW + 1:sW] * \
                w[None, :, a, b, None, None]
    r += acc


def _full_conv_planes(r, t, w, sH=1, sW=1):
    """THTensor_(fullConv2Dptr)(r, 1.0, t, w) for several triples at once: r (N, C, H, W), t
    (N, C, oH, oW), w (C, kH, kW). Input rows of 4 or more: for each t row, each tap adds the
    row times w[ky, kx] into r's row yy + ky at column kx (fused); shorter: each t pixel adds
    itself times the kernel into its window (product, then add), pixel after pixel."""
    kH, kW = w.shape[1:]
    oH, oW = t.shape[2:]
    if oW >= 4 and sW == 1:
        # an element of r gets its terms in the order (yy, a, b); yy * sH + a is its row, so
        # taking the taps with a descending (yy ascending) and b ascending, every row yy at
        # once, keeps that order
        for a in range(kH - 1, -1, -1):
            rows = slice(a, a + (oH - 1) * sH + 1, sH)
            for b in range(kW):
                _fma_into(t, w[None, :, a, b, None, None], r[:, :, rows, b:b + oW])
        return
    for yy in range(oH):
        for xx in range(oW):
            y0, x0 = yy * sH, xx * sW
            r[:, :, y0:y0 + kH, x0:x0 + kW] += t[:, :, yy, xx][:, :, None, None] * w[None]


class SpatialConvolutionMap(Module):

    def __init__(self, conMatrix, kW, kH, dW=1, dH=1):
        super().__init__()
        map_init(self, conMatrix, kW, kH, dW, dH)
        self.reset()

    def reset(self, stdv=None):
        map_reset(self, stdv)

    def _th_order(self, x4):
        """THNN's loops in TH's order (below) for float planes; the vectorised numpy paths
        otherwise (integer types)."""
        return (x4.dtype.kind == "f"
                and arr(self.weight).dtype == x4.dtype)

    def _geo(self, input):
        # THNN SpatialConvolutionMap's checks (TH's argument checks through THNN.lua's v)
        w = self.weight
        arg_check(w.dim() == 3 and self.connTable._size[0] == w._size[0], 4, '3D weight tensor '
                  'expected (connTable:size(%d) x kH x kW)', 1)
        arg_check(input.dim() in (3, 4), 2, '3D or 4D(batch mode) tensor expected')
        C, H, W = input._size[-3:]
        arg_check(C >= self.nInputPlane, 2, 'invalid number of input planes')
        arg_check(W >= self.kW and H >= self.kH, 2, 'input image smaller than kernel size')
        x = arr(input)
        x4 = x if x.ndim == 4 else x[None]
        oH = out_size(H, self.kH, self.dH, 0)
        oW = out_size(W, self.kW, self.dW, 0)
        conn = arr(self.connTable).astype(np.int64)
        return x4, oH, oW, conn

    def _cols(self, x4, oH, oW, conn):
        win = unfold(x4, (self.kH, self.kW), (self.dH, self.dW), (0, 0), (1, 1), (oH, oW))
        win = win.reshape(x4.shape[0], x4.shape[1], self.kH * self.kW, oH * oW)
        return win[:, conn[:, 0] - 1]                          # (N, nConn, kk, L)

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        x4, oH, oW, conn = self._geo(input)
        if self._th_order(x4):
            # THNN's loops: each output plane starts at its bias, then gets its connections'
            # valid correlations in the table's order
            shape = (x4.shape[0], self.nOutputPlane, oH, oW)
            y = np.empty(shape, x4.dtype)
            y[...] = arr(self.bias)[None, :, None, None]
            w = arr(self.weight)
            # (the j-th connection of every output plane at once: each plane still gets its
            # connections in the table's order)
            for ks in _rounds(conn[:, 1]):
                outs = conn[ks, 1] - 1
                r = y[:, outs]
                _valid_xcorr_planes(r, x4[:, conn[ks, 0] - 1], w[ks], self.dH, self.dW)
                y[:, outs] = r
            out_like(self.output, shape if input.dim() == 4 else shape[1:])[...] = y.reshape(
                shape if input.dim() == 4 else shape[1:])
            return self.output
        cols = self._cols(x4, oH, oW, conn)
        per_conn = np.einsum('nckl,ck->ncl', cols, arr(self.weight).reshape(conn.shape[0], -1))
        y = np.matmul(scatter_matrix(conn, self.nOutputPlane, 1), per_conn)
        y += arr(self.bias)[None, :, None]
        shape = (x4.shape[0], self.nOutputPlane, oH, oW)
        out_like(self.output, shape if input.dim() == 4 else shape[1:])[...] = y.reshape(
            shape if input.dim() == 4 else shape[1:])
        return self.output

    def _go(self, gradOutput, N, oH, oW):
        return arr(gradOutput).reshape(N, self.nOutputPlane, oH * oW)

    def updateGradInput(self, input, gradOutput):
        x4, oH, oW, conn = self._geo(input)
        N = x4.shape[0]
        if self._th_order(x4):
            # THNN: gradInput zeroed, then each input plane gets its connections' full
            # convolutions of gradOutput's planes in the table's order
            g = np.zeros(x4.shape, x4.dtype)
            go4 = arr(gradOutput).reshape(N, self.nOutputPlane, oH, oW)
            w = arr(self.weight)
            # (the j-th connection of every input plane at once, as above)
            for ks in _rounds(conn[:, 0]):
                ins = conn[ks, 0] - 1
                r = g[:, ins]
                _full_conv_planes(r, go4[:, conn[ks, 1] - 1], w[ks], self.dH, self.dW)
                g[:, ins] = r
            out_like(self.gradInput, input._size)[...] = g.reshape(arr(input).shape)
            return self.gradInput
        go = self._go(gradOutput, N, oH, oW)[:, conn[:, 1] - 1]     # (N, nConn, L)
        w = arr(self.weight).reshape(conn.shape[0], -1)
        cols = go[:, :, None, :] * w[None, :, :, None]               # (N, nConn, kk, L)
        per_in = np.matmul(scatter_matrix(conn, x4.shape[1], 0)[None],
                           cols.reshape(N, conn.shape[0], -1))
        g = fold(per_in.reshape(N, x4.shape[1], self.kH, self.kW, oH, oW), x4.shape[2:],
                 (self.dH, self.dW), (0, 0), (1, 1))
        out_like(self.gradInput, input._size)[...] = g.reshape(arr(input).shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        x4, oH, oW, conn = self._geo(input)
        go_all = self._go(gradOutput, x4.shape[0], oH, oW)
        if self._th_order(x4):
            dt = x4.dtype
            sc = dt.type(scale)
            # gradBias[k] += scale * gradOutput, pixel after pixel, sample after sample
            gb = arr(self.gradBias)
            for p in range(self.nOutputPlane):
                terms = np.concatenate(([gb[p]], (sc * go_all[:, p]).reshape(-1))).astype(dt)
                gb[p] = np.add.accumulate(terms)[-1]
            # THTensor_(validXCorr2DRevptr)(gradWeight[k], scale, input[i], gradOutput[o]):
            # z = gradOutput pixel * scale, then gradWeight[k] += z * the input window, pixel
            # after pixel (fused where gradOutput rows have 4 or more), sample after sample
            gw = arr(self.gradWeight)
            xi = x4[:, conn[:, 0] - 1]                          # (N, nConn, H, W)
            go4 = go_all.reshape(x4.shape[0], self.nOutputPlane, oH, oW)[:, conn[:, 1] - 1]
            for m in range(x4.shape[0]):
                for yy in range(oH):
                    for xx in range(oW):
                        z = (go4[m, :, yy, xx] * sc)[:, None, None]
                        y0, x0 = yy * self.dH, xx * self.dW
                        win = xi[m, :, y0:y0 + self.kH, x0:x0 + self.kW]
                        if oW >= 4 and self.dW == 1:
                            _fma_into(win, z, gw)
                        else:
                            gw += z * win
            return
        go = go_all[:, conn[:, 1] - 1]
        cols = self._cols(x4, oH, oW, conn)
        gw = arr(self.gradWeight).reshape(conn.shape[0], -1)
        gw += scale * np.einsum('nckl,ncl->ck', cols, go)
        gb = arr(self.gradBias)
        gb += scale * go_all.sum(axis=(0, 2))
