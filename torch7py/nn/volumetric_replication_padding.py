"""nn.VolumetricReplicationPadding: port of torch/nn VolumetricReplicationPadding.lua and THNN
VolumetricReplicationPadding.c (edge voxels repeated outwards)."""
import numpy as np

from ._kernels import arr, out_like
from ._padding import lua_grad_checks, check_grad_thnn, check_thnn, scatter
from .module import Module


class VolumetricReplicationPadding(Module):
    # updateGradInput runs its Lua's lines itself (its assert on the sizes comes between the
    # dimension check and the THNN call: _padding.lua_grad_checks)
    _thnn_own_checks = ('updateGradInput',)

    def __init__(self, pleft, pright=None, ptop=None, pbottom=None, pfront=None, pback=None):
        super().__init__()
        self.pleft = pleft
        self.pright = pleft if pright is None else pright
        self.ptop = pleft if ptop is None else ptop
        self.pbottom = pleft if pbottom is None else pbottom
        self.pfront = pleft if pfront is None else pfront
        self.pback = pleft if pback is None else pback

    def _maps(self, input):
        check_thnn(input, 4, [(self.pfront, self.pback), (self.ptop, self.pbottom),
                              (self.pleft, self.pright)])
        T, H, W = input._size[-3:]
        t = np.clip(np.arange(-self.pfront, T + self.pback), 0, T - 1)
        h = np.clip(np.arange(-self.ptop, H + self.pbottom), 0, H - 1)
        w = np.clip(np.arange(-self.pleft, W + self.pright), 0, W - 1)
        return t, h, w

    def updateOutput(self, input):
        t, h, w = self._maps(input)
        x = arr(input)
        y = out_like(self.output, x.shape[:-3] + (t.size, h.size, w.size))
        y[...] = x[..., t[:, None, None], h[None, :, None], w[None, None, :]]
        return self.output

    def updateGradInput(self, input, gradOutput):
        lua_grad_checks(self, input, gradOutput, (('pfront', 'pback'), ('ptop', 'pbottom'), ('pleft', 'pright')))
        t, h, w = self._maps(input)
        check_grad_thnn(input, gradOutput, (t.size, h.size, w.size), planes=True)
        # THNN's loop order: each output element in turn added into the one it copied
        scatter(input, gradOutput, self.gradInput, h, w, deps=t)
        return self.gradInput

    def __tostring__(self):
        return '%s(left=%d, right=%d, top=%d, bottom=%d, front=%d, back=%d)' % (
            self.typename, self.pleft, self.pright, self.ptop, self.pbottom, self.pfront,
            self.pback)
