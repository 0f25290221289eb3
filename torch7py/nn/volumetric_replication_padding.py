"""nn.VolumetricReplicationPadding: port of torch/nn VolumetricReplicationPadding.lua and THNN
VolumetricReplicationPadding.c (the border voxels repeated outwards; negative pads crop)."""
import numpy as np

from ..tensor import TorchError
from ._kernels import arr, out_like
from .module import Module
from .spatial_replication_padding import replicate


def _onehot(idx, n, dtype):
    p = np.zeros((idx.size, n), dtype=dtype)
    p[np.arange(idx.size), idx] = 1
    return p


class VolumetricReplicationPadding(Module):

    def __init__(self, pleft, pright=None, ptop=None, pbottom=None, pfront=None, pback=None):
        super().__init__()
        self.pleft = pleft
        self.pright = pleft if pright is None else pright
        self.ptop = pleft if ptop is None else ptop
        self.pbottom = pleft if pbottom is None else pbottom
        self.pfront = pleft if pfront is None else pfront
        self.pback = pleft if pback is None else pback

    def _maps(self, input):
        if input.dim() not in (4, 5):
            raise TorchError('input must be 4 or 5-dimensional')
        D, H, W = input._size[-3:]
        oD = D + self.pfront + self.pback
        oH = H + self.ptop + self.pbottom
        oW = W + self.pleft + self.pright
        if oD < 1 or oH < 1 or oW < 1:
            raise TorchError('input (D: %d H: %d, W: %d)is too small. Calculated output D: %d '
                             'H: %d W: %d' % (D, H, W, oD, oH, oW))
        return (replicate(D, self.pfront, self.pback), replicate(H, self.ptop, self.pbottom),
                replicate(W, self.pleft, self.pright))

    def updateOutput(self, input):
        d, h, w = self._maps(input)
        x = arr(input)
        shape = x.shape[:-3] + (d.size, h.size, w.size)
        out_like(self.output, shape)[...] = x[..., d[:, None, None], h[None, :, None],
                                              w[None, None, :]]
        return self.output

    def updateGradInput(self, input, gradOutput):
        d, h, w = self._maps(input)
        x = arr(input)
        want = x.shape[:-3] + (d.size, h.size, w.size)
        got = tuple(gradOutput._size)
        if len(got) != len(want) or got[:-3] != want[:-3]:
            raise TorchError('gradOutput sizes are not as expected: %s instead of %s'
                             % (got, want))
        for name, i in (('depth', -3), ('height', -2), ('width', -1)):
            if got[i] != want[i]:
                raise TorchError('gradOutput %s unexpected. Expected: %d, Got: %d'
                                 % (name, want[i], got[i]))
        D, H, W = x.shape[-3:]
        gi = out_like(self.gradInput, x.shape)
        np.einsum('...dhw,dD,hH,wW->...DHW', arr(gradOutput), _onehot(d, D, x.dtype),
                  _onehot(h, H, x.dtype), _onehot(w, W, x.dtype), out=gi, optimize=True)
        return self.gradInput

    def __tostring__(self):
        return '%s(left=%d, right=%d, top=%d, bottom=%d, front=%d, back=%d)' % (
            self.typename, self.pleft, self.pright, self.ptop, self.pbottom, self.pfront,
            self.pback)
