"""nn.VolumetricMaxUnpooling: port of torch/nn VolumetricMaxUnpooling.lua and THNN
VolumetricMaxUnpooling.c (values put back where a VolumetricMaxPooling took them from)."""
import numpy as np

from ..tensor import TorchError
from ._kernels import arr, out_like
from .module import Module
from .utils import TorchAssertionError


class VolumetricMaxUnpooling(Module):

    def __init__(self, poolingModule):
        super().__init__()
        if poolingModule.typename != 'nn.VolumetricMaxPooling':
            raise TorchAssertionError('Argument must be a nn.VolumetricMaxPooling module')
        if poolingModule.kT != poolingModule.dT or poolingModule.kH != poolingModule.dH or \
                poolingModule.kW != poolingModule.dW:
            raise TorchAssertionError("The size of pooling module's kernel must be equal to its "
                                      "stride")
        self.pooling = poolingModule

    def setParams(self):
        p = self.pooling
        self.indices = p.indices
        self.otime = p.itime
        self.oheight = p.iheight
        self.owidth = p.iwidth
        self.dT, self.dH, self.dW = p.dT, p.dH, p.dW
        self.padT, self.padH, self.padW = p.padT, p.padH, p.padW

    def _flat(self, a, n5):
        a5 = a if a.ndim == 5 else a[None]
        return a5.reshape(a5.shape[0], a5.shape[1], -1) if n5 else a5

    def updateOutput(self, input):
        self.setParams()
        if tuple(input._size) != tuple(self.indices._size):
            raise TorchError('Shape of indices should match shape of input')
        x = arr(input)
        y = out_like(self.output, x.shape[:-3] + (self.otime, self.oheight, self.owidth))
        y[...] = 0
        flat = self._flat(y, True)
        idx = self._flat(arr(self.indices), True) - 1
        np.put_along_axis(flat, idx, self._flat(x, True), axis=2)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.setParams()
        gi = out_like(self.gradInput, input._size)
        idx = self._flat(arr(self.indices), True) - 1
        g = np.take_along_axis(self._flat(arr(gradOutput), True), idx, axis=2)
        gi[...] = g.reshape(gi.shape)
        return self.gradInput

    def __tostring__(self):
        return '%s associated to %s' % (self.typename, self.pooling.__tostring__())
