"""nn.TemporalRowConvolution: port of torch/nn TemporalRowConvolution.lua and THNN
TemporalRowConvolution.c (each feature row convolved with its own kernel over time)."""
import numpy as np

from .. import messages
from ..tensor import TorchError
from ._conv import fold, out_size, unfold, uniform_reset
from ._kernels import arr, check_type, new_tensor, no_bias, out_like, sizes_str
from .module import Module


class TemporalRowConvolution(Module):

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
        return uniform_reset(self, self.kW * self.inputFrameSize, stdv)

    def _rows(self, input):
        """The input as (N, F, T) rows, whatever its layout."""
        if input.dim() not in (2, 3):
            raise TorchError(messages.msg('thnn_argcheck', 1, '2D or 3D (batch mode) input '
                                          'tensor expected, but got :%s'
                                          % sizes_str(input._size)))
        x = arr(input)
        x3 = x if x.ndim == 3 else x[None]
        rows = x3 if self.featFirst else np.swapaxes(x3, 1, 2)
        if rows.shape[1] != self.inputFrameSize:
            raise TorchError('invalid input frame size. Got: %d, Expected: %d'
                             % (rows.shape[1], self.inputFrameSize))
        if rows.shape[2] < self.kW:
            raise TorchError('input sequence smaller than kernel size. Got: %d, Expected: %d'
                             % (rows.shape[2], self.kW))
        return rows, out_size(rows.shape[2], self.kW, self.dW, 0)

    def _layout(self, a, input):
        """(N, F, T') rows back to the input's layout and batch-ness."""
        a = a if self.featFirst else np.swapaxes(a, 1, 2)
        return a if input.dim() == 3 else a[0]

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        rows, oT = self._rows(input)
        win = unfold(rows, (self.kW,), (self.dW,), (0,), (1,), (oT,))      # (N, F, kW, oT)
        y = np.einsum('nfkt,fk->nft', win, arr(self.weight)[:, 0, :])
        if self.__dict__.get('bias') is not None:
            y += arr(self.bias)[None, :, None]
        y = self._layout(y, input)
        out_like(self.output, y.shape)[...] = y
        return self.output

    def _go(self, input, gradOutput, oT):
        go = arr(gradOutput)
        go3 = go if go.ndim == 3 else go[None]
        rows = go3 if self.featFirst else np.swapaxes(go3, 1, 2)
        if rows.shape[1:] != (self.inputFrameSize, oT):
            raise TorchError('size mismatch: gradOutput is %s' % sizes_str(gradOutput._size))
        return rows

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        rows, oT = self._rows(input)
        go = self._go(input, gradOutput, oT)
        cols = go[:, :, None, :] * arr(self.weight)[:, 0, :][None, :, :, None]
        g = self._layout(fold(cols, (rows.shape[2],), (self.dW,), (0,), (1,)), input)
        out_like(self.gradInput, input._size)[...] = g
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        rows, oT = self._rows(input)
        go = self._go(input, gradOutput, oT)
        win = unfold(rows, (self.kW,), (self.dW,), (0,), (1,), (oT,))
        gw = arr(self.gradWeight)
        gw[:, 0, :] += scale * np.einsum('nfkt,nft->fk', win, go)
        if self.__dict__.get('bias') is not None:
            gb = arr(self.gradBias)
            gb += scale * go.sum(axis=(0, 2))

    def __tostring__(self):
        s = '%s(%d, %d' % (self.typename, self.inputFrameSize, self.kW)
        if self.dW != 1:
            s += ', %d' % self.dW
        return s + (')' if self.__dict__.get('bias') is not None else ') without bias')
