"""nn.TemporalConvolution: port of torch/nn TemporalConvolution.lua and THNN
TemporalConvolution.c (frames x frameSize input; weight outputFrameSize x (kW * inputFrameSize))."""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import messages
from ..tensor import TorchError
from ._conv import uniform_reset
from ..messages import size_desc
from ._kernels import arr, check_type, new_tensor, out_like, sizes_str
from ._thnn_check import arg_check, error
from .module import Module


def check_frames(m, input):
    """THNN's checks of a (nFrames x inputFrameSize) input or a batch of them; nFrames."""
    arg_check(m.kW > 0, 9, 'kernel size should be greater than zero, but got kW: %d', m.kW)
    arg_check(m.dW > 0, 11, 'stride should be greater than zero, but got dW: %d', m.dW)
    if input.dim() not in (2, 3):
        raise TorchError(messages.msg('thnn_argcheck', 2, '2D or 3D (batch mode) tensor '
                                      'expected for input, but got: %s' % sizes_str(input._size)))
    T, F = input._size[-2:]
    if F != m.inputFrameSize:
        raise TorchError(messages.msg('thnn_argcheck', 2, 'invalid input frame size. Got: %d, '
                                      'Expected: %d' % (F, m.inputFrameSize)))
    if T < m.kW:
        raise TorchError(messages.msg('thnn_argcheck', 2, 'input sequence smaller than kernel '
                                      'size. Got: %d, Expected: %d' % (T, m.kW)))
    return T


class TemporalConvolution(Module):

    def __init__(self, inputFrameSize, outputFrameSize, kW, dW=1):
        super().__init__()
        self.inputFrameSize = inputFrameSize
        self.outputFrameSize = outputFrameSize
        self.kW = kW
        self.dW = 1 if dW is None else dW
        self.weight = new_tensor(outputFrameSize, inputFrameSize * kW)
        self.bias = new_tensor(outputFrameSize)
        self.gradWeight = new_tensor(outputFrameSize, inputFrameSize * kW).zero()
        self.gradBias = new_tensor(outputFrameSize).zero()
        self.reset()

    def reset(self, stdv=None):
        return uniform_reset(self, self.kW * self.inputFrameSize, stdv)

    def _frames(self, input):
        nd = input.dim()
        T = check_frames(self, input)
        x = np.ascontiguousarray(arr(input))
        x3 = x if nd == 3 else x[None]
        oT = (T - self.kW) // self.dW + 1
        return nd == 3, x3, oT

    def _windows(self, x3, oT):
        N, T, F = x3.shape
        s = x3.strides
        win = as_strided(x3, (N, oT, self.kW, F), (s[0], s[1] * self.dW, s[1], s[2]),
                         writeable=False)
        return win.reshape(N, oT, self.kW * F)

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        batch, x3, oT = self._frames(input)
        win = self._windows(x3, oT)
        y = np.matmul(win, arr(self.weight).T)
        y += arr(self.bias)
        out_like(self.output, (x3.shape[0], oT, self.outputFrameSize) if batch
                 else (oT, self.outputFrameSize))[...] = y if batch else y[0]
        return self.output

    def _go(self, input, gradOutput, oT):
        batch = input.dim() == 3
        want = ((input.size(1),) if batch else ()) + (oT, self.outputFrameSize)
        F = gradOutput._size[-1] if gradOutput.dim() else 0
        if gradOutput.dim() == input.dim() and F != self.outputFrameSize:
            # THNN's first window GEMM: gradInput window += gradOutput window * weight
            stride = ((self.kW - 1) // self.dW + 1) * self.dW
            nFrame = (input._size[-2] - self.kW) // stride + 1
            raise error('size mismatch, m1: %s, m2: %s', size_desc((nFrame, F)),
                        size_desc(self.weight._size))
        if tuple(gradOutput._size) != want:
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(want)))
        go = arr(gradOutput)
        return go if batch else go[None]

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        batch, x3, oT = self._frames(input)
        go = self._go(input, gradOutput, oT)
        gwin = np.matmul(go, arr(self.weight)).reshape(x3.shape[0], oT, self.kW, -1)
        g = np.zeros(x3.shape, dtype=x3.dtype)
        d = self.dW
        for k in range(self.kW):
            g[:, k:k + d * (oT - 1) + 1:d] += gwin[:, :, k]
        out_like(self.gradInput, input._size)[...] = g if batch else g[0]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        batch, x3, oT = self._frames(input)
        go = self._go(input, gradOutput, oT)
        win = self._windows(x3, oT)
        gw = arr(self.gradWeight)
        gw += scale * np.tensordot(go, win, axes=([0, 1], [0, 1]))
        gb = arr(self.gradBias)
        gb += scale * go.sum(axis=(0, 1))

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        # TemporalConvolution.lua: no accumulation when sharing, the default update
        self.defaultAccUpdateGradParameters(input, gradOutput, lr)
