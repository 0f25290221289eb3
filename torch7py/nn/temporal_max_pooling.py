"""nn.TemporalMaxPooling: port of torch/nn TemporalMaxPooling.lua and THNN TemporalMaxPooling.c
(max over windows of frames; indices are 0-based positions within each window)."""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import messages
from .. import tensor as _tensor
from ..tensor import TorchError
from . import utils
from ._kernels import arr, out_like, sizes_str, window_max
from .module import Module
from ._thnn_check import arg_check, check_dim_size


class TemporalMaxPooling(Module):
    # indices: made by updateOutput as its Lua makes them: a backward before a forward fails
    # at self.indices:cdata() (_thnn_lua's strict fields)
    _thnn_lua_fields = ('indices',)

    def __init__(self, kW, dW=None):
        super().__init__()
        self.kW = kW
        self.dW = kW if dW is None else dW
        # (indices: made by the first forward, as TemporalMaxPooling.lua's)

    def _geo(self, input):
        nd = input.dim()
        arg_check(self.kW > 0, 5, 'kernel size should be greater than zero, but got kW: %d',
                  self.kW)
        arg_check(self.dW > 0, 6, 'stride should be greater than zero, but got dW: %d', self.dW)
        if nd not in (2, 3):
            raise TorchError(messages.msg('thnn_argcheck', 2, '2D or 3D (batch mode) tensor '
                                          'expected for input, but got: %s'
                                          % sizes_str(input._size)))
        T = input._size[-2]
        if T < self.kW:
            raise TorchError(messages.msg('thnn_argcheck', 2, 'input sequence smaller than '
                                          'kernel size. Got: %d, Expected: %d' % (T, self.kW)))
        return nd == 3, (T - self.kW) // self.dW + 1

    def updateOutput(self, input):
        batch, oT = self._geo(input)
        x = arr(input)
        x3 = x if batch else x[None]
        N, T, F = x3.shape
        s = x3.strides
        win = as_strided(x3, (N, oT, self.kW, F), (s[0], s[1] * self.dW, s[1], s[2]),
                         writeable=False)
        k, vals = window_max(win, axis=2)  # no maximum: -THInf and index -1, as THNN
        shape = (N, oT, F) if batch else (oT, F)
        out_like(self.output, shape)[...] = vals.reshape(shape)
        if not isinstance(self.__dict__.get('indices'), _tensor.LongTensor):
            # type() converts every tensor field; indices stay LongTensor
            self.indices = _tensor.LongTensor()
        out_like(self.indices, shape)[...] = k.reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        batch, oT = self._geo(input)
        nd, dimS = input.dim(), input.dim() - 2  # THNN_CHECK_DIM_SIZE of frames, frame size
        check_dim_size(gradOutput, 'gradOutput', nd, dimS, oT)
        check_dim_size(gradOutput, 'gradOutput', nd, dimS + 1, input._size[-1])
        check_dim_size(self.indices, 'indices', nd, dimS, oT)
        check_dim_size(self.indices, 'indices', nd, dimS + 1, input._size[-1])
        if tuple(gradOutput._size) != tuple(self.output._size):
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(self.output._size)))
        gi = out_like(self.gradInput, input._size)
        g3 = gi if batch else gi[None]
        N, T, F = g3.shape
        k = arr(self.indices).reshape(N, oT, F)
        go = arr(gradOutput).reshape(N, oT, F)
        rows = k + (np.arange(oT) * self.dW)[None, :, None]
        flat = (np.arange(N)[:, None, None] * T + rows) * F + np.arange(F)[None, None, :]
        flat, gw = flat.ravel(), go.ravel()
        if (rows < 0).any():  # index -1 (no maximum) in the first frame: nowhere to go
            keep = np.broadcast_to(rows >= 0, go.shape).ravel()
            flat, gw = flat[keep], gw[keep]
        if g3.dtype == np.float64:
            # THNN: gradInput zeroed, `gip[maxindex*framesize + y] += gop[y]` output frame after
            # output frame: bincount adds in that order, in double
            g3[...] = np.bincount(flat, weights=gw, minlength=N * T * F).reshape(N, T, F)
        else:  # in real (bincount's sums are doubles): np.add.at adds in order in the type
            acc = np.zeros(N * T * F, g3.dtype)
            np.add.at(acc, flat, gw)
            g3[...] = acc.reshape(N, T, F)
        return self.gradInput

    def clearState(self):
        utils.clear(self, 'indices')
        return super().clearState()
