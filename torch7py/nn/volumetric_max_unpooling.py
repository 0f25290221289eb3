"""nn.VolumetricMaxUnpooling: port of torch/nn VolumetricMaxUnpooling.lua and THNN
VolumetricMaxUnpooling.c (each value back at the position its VolumetricMaxPooling took it from)."""
import numpy as np

from ..tensor import TorchError
from ._kernels import arr, out_like, sizes_str
from .module import Module


class VolumetricMaxUnpooling(Module):

    def __init__(self, poolingModule):
        super().__init__()
        if getattr(poolingModule, 'typename', None) != 'nn.VolumetricMaxPooling':
            raise TorchError('Argument must be a nn.VolumetricMaxPooling module')
        p = poolingModule
        if p.kT != p.dT or p.kH != p.dH or p.kW != p.dW:
            raise TorchError("The size of pooling module's kernel must be equal to its stride")
        self.pooling = poolingModule

    def setParams(self):
        p = self.pooling
        self.indices = p.indices
        self.otime = p.__dict__.get('itime')
        self.oheight = p.__dict__.get('iheight')
        self.owidth = p.__dict__.get('iwidth')
        self.dT, self.dH, self.dW = p.dT, p.dH, p.dW
        self.padT, self.padH, self.padW = p.padT, p.padH, p.padW

    def _check(self, input):
        self.setParams()
        if input.dim() not in (4, 5):
            raise TorchError('4D or 5D (batch mode) tensor expected for input, but got: %s'
                             % sizes_str(input._size))
        if self.otime is None:
            raise TorchError('the VolumetricMaxPooling module must be run forward first')
        if tuple(self.indices._size) != tuple(input._size):
            raise TorchError('Shape of indices should match shape of input')
        vol = self.otime * self.oheight * self.owidth
        idx = arr(self.indices)
        if idx.size and (idx.min() < 1 or idx.max() > vol):
            bad = int(idx[(idx < 1) | (idx > vol)].ravel()[0])
            raise TorchError('invalid max index %d, otime= %d, owidth= %d, oheight= %d'
                             % (bad - 1, self.otime, self.owidth, self.oheight))
        return vol

    def updateOutput(self, input):
        vol = self._check(input)
        x = arr(input)
        NC = int(np.prod(x.shape[:-3]))
        y = out_like(self.output, x.shape[:-3] + (self.otime, self.oheight, self.owidth))
        flat = (arr(self.indices).reshape(NC, -1) - 1 + (np.arange(NC) * vol)[:, None]).ravel()
        y[...] = 0
        # THNN writes in order; with overlapping indices the last write wins, as here
        y.reshape(-1)[flat] = x.reshape(-1)
        return self.output

    def updateGradInput(self, input, gradOutput):
        vol = self._check(input)
        want = tuple(input._size[:-3]) + (self.otime, self.oheight, self.owidth)
        if tuple(gradOutput._size) != want:
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(want)))
        x = arr(input)
        NC = int(np.prod(x.shape[:-3]))
        flat = arr(self.indices).reshape(NC, -1) - 1 + (np.arange(NC) * vol)[:, None]
        gi = out_like(self.gradInput, x.shape)
        gi[...] = np.ascontiguousarray(arr(gradOutput)).reshape(-1)[flat.ravel()].reshape(x.shape)
        return self.gradInput

    def empty(self):
        return self.clearState()

    def __tostring__(self):
        return 'nn.VolumetricMaxUnpooling associated to ' + str(self.pooling)
