"""nn.VolumetricAveragePooling: port of torch/nn VolumetricAveragePooling.lua and THNN
VolumetricAveragePooling.c (padding, ceil mode, count_include_pad)."""
import numpy as np

from ..tensor import TorchError
from ._conv import fold, unfold
from ._kernels import arr, check_type, out_like, sizes_str
from .module import Module
from .volumetric_max_pooling import pool_size


def _divisors(S, k, d, pad, out, include_pad):
    """THNN's divide factor for each output position: a product of one count per axis."""
    f = None
    for i in range(len(S)):
        start = np.arange(out[i]) * d[i] - pad[i]
        end = np.minimum(start + k[i], S[i] + pad[i])
        n = end - start if include_pad else np.minimum(end, S[i]) - np.maximum(start, 0)
        f = n if f is None else np.multiply.outer(f, n)
    return f


class VolumetricAveragePooling(Module):

    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
        super().__init__()
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT = kT if dT is None else dT
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padT = padT or 0
        self.padW = padW or 0
        self.padH = padH or 0
        self.ceil_mode = False
        self.count_include_pad = True

    def ceil(self):
        self.ceil_mode = True
        return self

    def floor(self):
        self.ceil_mode = False
        return self

    def setCountIncludePad(self):
        self.count_include_pad = True
        return self

    def setCountExcludePad(self):
        self.count_include_pad = False
        return self

    def _geo(self, input):
        d = self.__dict__
        # files written before padding existed
        for name in ('padT', 'padW', 'padH'):
            if d.get(name) is None:
                d[name] = 0
        if d.get('ceil_mode') is None:
            self.ceil_mode = False
        if d.get('count_include_pad') is None:
            self.count_include_pad = True
        nd = input.dim()
        if nd not in (4, 5):
            raise TorchError('4D or 5D (batch mode) tensor expected for input, but got: %s'
                             % sizes_str(input._size))
        k = (self.kT, self.kH, self.kW)
        dd = (self.dT, self.dH, self.dW)
        pad = (self.padT, self.padH, self.padW)
        S = tuple(input._size[-3:])
        if any(S[i] < k[i] - 2 * pad[i] for i in range(3)):
            raise TorchError('input image (T: %d H: %d W: %d) smaller than kernel size '
                             '(kT: %d kH: %d kW: %d)' % (S + k))
        if any(k[i] // 2 < pad[i] for i in range(3)):
            raise TorchError('pad should be smaller than half of kernel size, but got '
                             'kT: %d kW: %d, kH: %d, padT: %d, padW: %d, padH: %d'
                             % (self.kT, self.kW, self.kH, self.padT, self.padW, self.padH))
        out = tuple(pool_size(S[i], k[i], dd[i], pad[i], self.ceil_mode) for i in range(3))
        if min(out) < 1:
            C = input._size[-4]
            raise TorchError('Given input size: (%dx%dx%dx%d). Calculated output size: '
                             '(%dx%dx%dx%d). Output size is too small'
                             % ((C,) + S + (C,) + out))
        div = _divisors(S, k, dd, pad, out, self.count_include_pad is not False)
        return nd == 5, k, dd, pad, S, out, div

    def updateOutput(self, input):
        check_type(self, input)
        batch, k, d, pad, S, out, div = self._geo(input)
        x = arr(input)
        x5 = x if batch else x[None]
        win = unfold(x5, k, d, pad, (1, 1, 1), out)
        y = out_like(self.output, x.shape[:-3] + out)
        y5 = y if batch else y[None]
        np.sum(win, axis=(2, 3, 4), out=y5)
        y5 /= div.astype(y.dtype)
        return self.output

    def updateGradInput(self, input, gradOutput):
        batch, k, d, pad, S, out, div = self._geo(input)
        want = tuple(input._size[:-3]) + out
        if tuple(gradOutput._size) != want:
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(want)))
        go = arr(gradOutput)
        go5 = (go if batch else go[None]) / div
        N, C = go5.shape[:2]
        cols = np.broadcast_to(go5[:, :, None, None, None], (N, C) + k + out)
        gi = out_like(self.gradInput, input._size)
        gi[...] = fold(cols, S, d, pad, (1, 1, 1)).reshape(gi.shape)
        return self.gradInput

    def __tostring__(self):
        s = '%s(%d,%d,%d,%d,%d,%d' % (self.typename, self.kT, self.kW, self.kH, self.dT,
                                      self.dW, self.dH)
        if self.padT != 0 or self.padW != 0 or self.padH != 0:
            s += ',%d,%d,%d' % (self.padT, self.padW, self.padH)
        return s + ')'
