"""nn.SpatialFullConvolutionMap: port of torch/nn SpatialFullConvolutionMap.lua and THNN
SpatialFullConvolutionMap.c (a transposed convolution over the plane pairs of a table)."""
import numpy as np

from ._conv import fold, unfold
from ._kernels import arr, check_type, out_like
from ._thnn_check import arg_check
from .module import Module
from .spatial_convolution_map import (_fma_into, _full_conv, _valid_xcorr, map_init, map_reset,
                                     scatter_matrix)


class SpatialFullConvolutionMap(Module):

    def __init__(self, conMatrix, kW, kH, dW=1, dH=1):
        super().__init__()
        map_init(self, conMatrix, kW, kH, dW, dH)
        self.reset()

    def reset(self, stdv=None):
        map_reset(self, stdv)

    def _th_order(self, x4):
        """THNN's loops in TH's order for float planes; the numpy paths for integer types."""
        return x4.dtype.kind == "f" and arr(self.weight).dtype == x4.dtype

    def _geo(self, input):
        # THNN SpatialFullConvolutionMap's checks: one 3-d image (no batch mode)
        w = self.weight
        arg_check(w.dim() == 3 and self.connTable._size[0] == w._size[0], 4, '3D weight tensor '
                  'expected (connTable:size(%d) x kH x kW)', 1)
        arg_check(input.dim() == 3, 2, '3D tensor expected')
        C, H, W = input._size[-3:]
        arg_check(C >= self.nInputPlane, 2, 'invalid number of input planes')
        x = arr(input)
        x4 = x if x.ndim == 4 else x[None]
        oH = (H - 1) * self.dH + self.kH
        oW = (W - 1) * self.dW + self.kW
        return x4, H, W, oH, oW, arr(self.connTable).astype(np.int64)

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        x4, H, W, oH, oW, conn = self._geo(input)
        N = x4.shape[0]
        if self._th_order(x4):
            # THNN's loops: an output plane starts at its bias, then each connection (table
            # order) adds fullConv2Dptr(input plane, kernel) (SpatialConvolutionMap's helpers)
            shape = (N, self.nOutputPlane, oH, oW)
            y = np.empty(shape, x4.dtype)
            y[...] = arr(self.bias)[None, :, None, None]
            w = arr(self.weight)
            for k in range(conn.shape[0]):
                r = y[:, conn[k, 1] - 1]
                _full_conv(r, x4[:, conn[k, 0] - 1], w[k], self.dH, self.dW)
                y[:, conn[k, 1] - 1] = r
            out_like(self.output, shape if input.dim() == 4 else shape[1:])[...] = y.reshape(
                shape if input.dim() == 4 else shape[1:])
            return self.output
        xin = x4.reshape(N, x4.shape[1], -1)[:, conn[:, 0] - 1]          # (N, nConn, L)
        w = arr(self.weight).reshape(conn.shape[0], -1)
        cols = xin[:, :, None, :] * w[None, :, :, None]                  # (N, nConn, kk, L)
        per_out = np.matmul(scatter_matrix(conn, self.nOutputPlane, 1)[None],
                            cols.reshape(N, conn.shape[0], -1))
        y = fold(per_out.reshape(N, self.nOutputPlane, self.kH, self.kW, H, W), (oH, oW),
                 (self.dH, self.dW), (0, 0), (1, 1))
        y = y + arr(self.bias)[None, :, None, None]
        shape = (N, self.nOutputPlane, oH, oW)
        out_like(self.output, shape if input.dim() == 4 else shape[1:])[...] = y.reshape(
            shape if input.dim() == 4 else shape[1:])
        return self.output

    def _cols(self, gradOutput, N, H, W, oH, oW, conn):
        go = arr(gradOutput).reshape(N, self.nOutputPlane, oH, oW)
        win = unfold(go, (self.kH, self.kW), (self.dH, self.dW), (0, 0), (1, 1), (H, W))
        win = win.reshape(N, self.nOutputPlane, self.kH * self.kW, H * W)
        return go, win[:, conn[:, 1] - 1]                                # (N, nConn, kk, L)

    def updateGradInput(self, input, gradOutput):
        x4, H, W, oH, oW, conn = self._geo(input)
        N = x4.shape[0]
        if self._th_order(x4):
            # THNN: gradInput zeroed, then each connection adds validXCorr2Dptr(gradOutput
            # plane, kernel) to its input plane, in the table's order
            g = np.zeros(x4.shape, x4.dtype)
            go4 = arr(gradOutput).reshape(N, self.nOutputPlane, oH, oW)
            w = arr(self.weight)
            for k in range(conn.shape[0]):
                r = g[:, conn[k, 0] - 1]
                _valid_xcorr(r, go4[:, conn[k, 1] - 1], w[k], self.dH, self.dW)
                g[:, conn[k, 0] - 1] = r
            out_like(self.gradInput, input._size)[...] = g.reshape(arr(input).shape)
            return self.gradInput
        go, cols = self._cols(gradOutput, N, H, W, oH, oW, conn)
        w = arr(self.weight).reshape(conn.shape[0], -1)
        per_conn = np.einsum('nckl,ck->ncl', cols, w)
        g = np.matmul(scatter_matrix(conn, x4.shape[1], 0)[None], per_conn)
        out_like(self.gradInput, input._size)[...] = g.reshape(arr(input).shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        x4, H, W, oH, oW, conn = self._geo(input)
        N = x4.shape[0]
        if self._th_order(x4):
            dt = x4.dtype
            sc = dt.type(scale)
            go4 = arr(gradOutput).reshape(N, self.nOutputPlane, oH, oW)
            gb = arr(self.gradBias)
            for p in range(self.nOutputPlane):  # gradBias[k] += scale * pixel, in order
                terms = np.concatenate(([gb[p]], (sc * go4[:, p]).reshape(-1))).astype(dt)
                gb[p] = np.add.accumulate(terms)[-1]
            # validXCorr2DRevptr(gradWeight[k], scale, gradOutput[o], input[i]): z = input
            # pixel * scale, gradWeight[k] += z * the gradOutput window at that pixel (fused
            # where input rows have 4 or more at column stride 1), pixel after pixel
            gw = arr(self.gradWeight)
            xi = x4[:, conn[:, 0] - 1]
            gwin = go4[:, conn[:, 1] - 1]
            for m in range(N):
                for yy in range(H):
                    for xx in range(W):
                        z = (xi[m, :, yy, xx] * sc)[:, None, None]
                        y0, x0 = yy * self.dH, xx * self.dW
                        win = gwin[m, :, y0:y0 + self.kH, x0:x0 + self.kW]
                        if W >= 4 and self.dW == 1:
                            _fma_into(win, z, gw)
                        else:
                            gw += z * win
            return
        go, cols = self._cols(gradOutput, N, H, W, oH, oW, conn)
        xin = x4.reshape(N, x4.shape[1], -1)[:, conn[:, 0] - 1]
        gw = arr(self.gradWeight).reshape(conn.shape[0], -1)
        gw += scale * np.einsum('nckl,ncl->ck', cols, xin)
        gb = arr(self.gradBias)
        gb += scale * go.sum(axis=(0, 2, 3))
