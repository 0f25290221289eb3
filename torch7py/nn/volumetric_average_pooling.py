"""nn.VolumetricAveragePooling: port of torch/nn VolumetricAveragePooling.lua and THNN
VolumetricAveragePooling.c (mean over 3-d windows; padding, ceil mode, pad counting)."""
import itertools

import numpy as np

from . import _kernels
from ._conv import offset_slices, unfold
from ._kernels import (arr, out_like, pool_ceil, pool_count_exclude_pad, pool_count_include_pad,
                       pool_floor, pool_out_size)
from ._thnn_check import arg_check, check_dim_sizes, error, thnn_argcheck
from .module import Module
from .spatial_max_pooling import pool_tostring
from .volumetric_max_pooling import _ints


def _axis_divisors(n, k, d, pad, o, include_pad):
    start = np.arange(o) * d - pad
    end = np.minimum(start + k, n + pad)
    if include_pad:
        return end - start
    return np.minimum(end, n) - np.maximum(start, 0)


class VolumetricAveragePooling(Module):

    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
        super().__init__()
        self.kT, self.kH, self.kW = kT, kH, kW  # (in the Lua's order: kH before kW)
        self.dT = kT if dT is None else dT
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        # VolumetricAveragePooling.lua (nn 8726825) sets these six fields only (its THNN call
        # passes pads 0, ceil false, count_include_pad true); the pads, ceil_mode and
        # count_include_pad of a newer nn are fields only where a Python caller asks for them
        if padT or padW or padH:
            self.padT, self.padW, self.padH = padT or 0, padW or 0, padH or 0

    ceil = pool_ceil
    floor = pool_floor

    setCountIncludePad = pool_count_include_pad
    setCountExcludePad = pool_count_exclude_pad
    # newer nn's options: Torch7's VolumetricAveragePooling has none of these methods
    _py_only = Module._py_only | {'ceil', 'floor', 'setCountIncludePad', 'setCountExcludePad'}

    def _geo(self, input, gradOutput=None):
        k, d, pad, S, out = self._sizes(input, gradOutput)
        inc = self.__dict__.get('count_include_pad', True)
        div = [_axis_divisors(S[i], k[i], d[i], pad[i], out[i], inc) for i in range(3)]
        div = div[0][:, None, None] * div[1][None, :, None] * div[2][None, None, :]
        x = arr(input)
        return (x if x.ndim == 5 else x[None]), k, d, pad, S, out, div

    def _sizes(self, input, gradOutput=None):
        """THNN VolumetricAveragePooling_shapeCheck in its order."""
        k = (self.kT, self.kH, self.kW)
        d = (self.dT, self.dH, self.dW)
        dd = self.__dict__
        pad = (dd.get('padT') or 0, dd.get('padH') or 0, dd.get('padW') or 0)
        arg_check(min(k) > 0, 5, 'kernel size should be greater than zero, but got kT: %d kH: '
                  '%d kW: %d', *k)
        arg_check(min(d) > 0, 8, 'stride should be greater than zero, but got dT: %d dH: %d '
                  'dW: %d', *d)
        nd = input.dim()
        thnn_argcheck(nd in (4, 5), 2, input, '4D or 5D (batch mode) tensor expected for '
                      'input, but got: %s')
        S = tuple(input._size[-3:])
        arg_check(all(S[i] >= k[i] for i in range(3)), 2, 'input image (T: %d H: %d W: %d) '
                  'smaller than kernel size (kT: %d kH: %d kW: %d)', *(S + k))
        arg_check(all(k[i] // 2 >= pad[i] for i in range(3)), 11, 'pad should not be greater '
                  'than half of kernel size, but got padT = %d, padW = %d, padH = %d, kT = %d, '
                  'kW = %d, kH = %d', pad[0], pad[2], pad[1], self.kT, self.kW, self.kH)
        out = tuple(pool_out_size(S[i], k[i], d[i], pad[i], self.__dict__.get('ceil_mode'),
                                  any_pad=any(pad)) for i in range(3))
        C = input._size[-4]
        if min(out) < 1:
            raise error('Given input size: (%dx%dx%dx%d). Calculated output size: '
                        '(%dx%dx%dx%d). Output size is too small', *((C,) + S + (C,) + out))
        if gradOutput is not None:
            check_dim_sizes(gradOutput, 'gradOutput', nd, nd - 4, (C,) + out)
        return k, d, pad, S, out

    def _tiles(self, k, d, pad, S):
        """Windows that tile the volume exactly (kernel = stride, no padding, sizes divide)."""
        return k == d and pad == (0, 0, 0) and all(S[i] % k[i] == 0 for i in range(3))

    def updateOutput(self, input):
        k, d, pad, S, out = self._sizes(input)
        x = arr(input)
        x5 = x if x.ndim == 5 else x[None]
        shape = x5.shape[:2] + out
        y = out_like(self.output, shape if input.dim() == 5 else shape[1:])
        if _kernels.c_ok(x5, y) and y.dtype == x5.dtype and hasattr(_kernels._nnk, 'vavgpool'):
            # THNN's frame loop in one call (a Jacobian check runs one forward per element twice)
            _kernels._nnk.vavgpool(x5, y, shape[0] * shape[1], S, out, _ints(k), _ints(d),
                                   _ints(pad), bool(self.__dict__.get('count_include_pad', True)),
                                   y.dtype == np.float32)
            return self.output
        x5, k, d, pad, S, out, div = self._geo(input)
        # THNN: real sum = 0, the window's elements added in t, h, w order (padding skipped:
        # adding +0 to a sum that started at +0 changes nothing), then sum / divide_factor in
        # real; one strided slice of the windows per kernel offset
        win = unfold(x5, k, d, pad, (1, 1, 1), out)
        s = np.zeros(x5.shape[:2] + out, x5.dtype)
        for i in range(k[0]):
            for j in range(k[1]):
                for m in range(k[2]):
                    s += win[:, :, i, j, m]
        with np.errstate(divide='ignore', invalid='ignore'):  # ceil mode's empty windows: 0/0
            y = s / div.astype(x5.dtype)
        shape = x5.shape[:2] + out
        out_like(self.output, shape if input.dim() == 5 else shape[1:])[...] = y.reshape(
            shape if input.dim() == 5 else shape[1:])
        return self.output

    def updateGradInput(self, input, gradOutput):
        x5, k, d, pad, S, out, div = self._geo(input, gradOutput)
        N, C = x5.shape[:2]
        gi = out_like(self.gradInput, input._size)
        gi5 = gi.reshape(x5.shape)
        go = arr(gradOutput).reshape((N, C) + out)
        inc = bool(self.__dict__.get('count_include_pad', True))
        if _kernels.c_ok(gi5) and go.dtype == gi5.dtype and \
                hasattr(_kernels._nnk, 'vavgpool_back'):
            # THNN's frame loop: each output scatters val / divide_factor over its window, the
            # outputs in order
            _kernels._nnk.vavgpool_back(gi5, np.ascontiguousarray(go), N * C, S, out, _ints(k),
                                        _ints(d), _ints(pad), inc, gi5.dtype == np.float32)
            return self.gradInput
        # THNN's order without C: an element under overlapping windows takes the quotients in
        # the outputs' (t, h, w) order, which is the kernel offsets' order reversed
        with np.errstate(divide='ignore', invalid='ignore'):  # empty windows scatter nothing
            q = go / div.astype(go.dtype)
        gi5[...] = 0
        for off in reversed(list(itertools.product(*[range(n) for n in k]))):
            sl = offset_slices(off, S, d, pad, (1, 1, 1), out)
            if sl is not None:
                src, dst = sl
                gi5[(slice(None), slice(None)) + dst] += q[(slice(None), slice(None)) + src]
        return self.gradInput

    def __tostring__(self):
        return pool_tostring(self, 3)
