"""nn.VolumetricMaxPooling: port of torch/nn VolumetricMaxPooling.lua and THNN
VolumetricDilatedMaxPooling.c (padding, ceil mode; first maximum in window order wins)."""
import functools
import math

import numpy as np

from .. import messages
from .. import tensor as _tensor
from ..tensor import TorchError
from . import utils
from ._conv import unfold
from ._kernels import arr, out_like, pool_ceil, pool_floor, pool_out_size, sizes_str
from .module import Module
from .spatial_max_pooling import pool_tostring


@functools.lru_cache(maxsize=16)
def _index_tables(k, d, pad, dil, S, out):
    """Flat input index of each output window's first element (*out) and the flat offset of
    each kernel element (kT*kH*kW), for a geometry; cached (a Jacobian check calls forward
    with the same geometry thousands of times)."""
    grids = np.meshgrid(*[np.arange(o) for o in out], indexing='ij')
    t, h, w = (grids[i] * d[i] - pad[i] for i in range(3))
    corner = (t * S[1] + h) * S[2] + w
    kt, kh, kw = np.meshgrid(*[np.arange(n) for n in k], indexing='ij')
    koff = ((kt * dil[0] * S[1] + kh * dil[1]) * S[2] + kw * dil[2]).ravel()
    corner.flags.writeable = False
    koff.flags.writeable = False
    return corner, koff


class VolumetricMaxPooling(Module):

    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
        super().__init__()
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT = dT or kT
        self.dW = dW or kW
        self.dH = dH or kH
        self.padT = padT or 0
        self.padW = padW or 0
        self.padH = padH or 0
        self.ceil_mode = False
        self.indices = _tensor.LongTensor()

    ceil = pool_ceil
    floor = pool_floor

    def _dilation(self):
        return (1, 1, 1)

    def _geo(self, input):
        nd = input.dim()
        if nd not in (4, 5):
            raise TorchError(messages.msg('thnn_argcheck', 2, '4D or 5D (batch mode) tensor '
                                          'expected for input, but got: %s'
                                          % sizes_str(input._size)))
        k = (self.kT, self.kH, self.kW)
        d = (self.dT, self.dH, self.dW)
        pad = (self.padT, self.padH, self.padW)
        if any(k[i] // 2 < pad[i] for i in range(3)):
            raise TorchError('pad should be smaller than half of kernel size, but got '
                             'kT: %d kW: %d, kH: %d, padT: %d, padW: %d, padH: %d'
                             % (self.kT, self.kW, self.kH, self.padT, self.padW, self.padH))
        dil = self._dilation()
        S = tuple(input._size[-3:])
        out = tuple(pool_out_size(S[i], k[i], d[i], pad[i], self.ceil_mode, dil[i])
                    for i in range(3))
        if min(out) < 1:
            raise TorchError('Given input size: (%dx%dx%dx%d). Calculated output size: '
                             '(%dx%dx%dx%d). Output size is too small'
                             % ((input._size[-4],) + S + (input._size[-4],) + out))
        return nd == 5, k, d, pad, dil, S, out

    def updateOutput(self, input):
        batch, k, d, pad, dil, S, out = self._geo(input)
        # Torch7 records the input's size (VolumetricMaxUnpooling reads it)
        self.itime, self.iheight, self.iwidth = S
        x = arr(input)
        x5 = x if batch else x[None]
        N, C = x5.shape[:2]
        win = unfold(x5, k, d, pad, dil, out, fill=-np.inf)       # (N, C, kT, kH, kW, *out)
        M = math.prod(out)
        cols = win.reshape(N * C, -1, M)                        # (N * C, K, M), a copy
        j = cols.argmax(axis=1)                                 # the first maximum
        vals = cols[np.arange(N * C)[:, None], j, np.arange(M)[None, :]]
        shape = (N, C) + out if batch else (C,) + out
        out_like(self.output, shape)[...] = vals.reshape(shape)
        # the input position (flat index into each T x H x W volume) of every maximum: the
        # window's corner plus the kernel element's offset
        corner, koff = _index_tables(k, d, pad, dil, S, out)
        flatidx = corner.reshape(-1) + koff[j]
        if not isinstance(self.__dict__.get('indices'), _tensor.LongTensor):
            # type() converts every tensor field; indices stay LongTensor
            self.indices = _tensor.LongTensor()
        out_like(self.indices, shape)[...] = (flatidx + 1).reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        batch, k, d, pad, dil, S, out = self._geo(input)
        if tuple(gradOutput._size) != tuple(self.output._size):
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(self.output._size)))
        gi = out_like(self.gradInput, input._size)
        g5 = gi if batch else gi[None]
        N, C = g5.shape[:2]
        vol = int(math.prod(S))
        idx = arr(self.indices).reshape(N * C, -1) - 1
        flat = (idx + (np.arange(N * C) * vol)[:, None]).ravel()
        g5[...] = np.bincount(flat, weights=arr(gradOutput).ravel(),
                              minlength=N * C * vol).reshape(g5.shape)
        return self.gradInput

    def __tostring__(self):
        return pool_tostring(self, 3)

    def clearState(self):
        utils.clear(self, 'indices')
        return super().clearState()
