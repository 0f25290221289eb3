"""nn.CosineEmbeddingCriterion: port of torch/nn CosineEmbeddingCriterion.lua
(1 - cos for y = 1, max(0, cos - margin) for y = -1)."""
import numpy as np

from .. import numerics
from .. import tensor as _tensor
from ..messages import msg, size_str
from ..tensor import TorchError
from . import _lua
from ._crit import values
from ._kernels import arr, new_tensor, out_like
from .criterion import Criterion


class CosineEmbeddingCriterion(Criterion):

    def __init__(self, margin=None):
        super().__init__()
        self.margin = 0 if margin is None else margin
        self.gradInput = [new_tensor(), new_tensor()]
        self.sizeAverage = True

    def _parts(self, input, y):
        x1, x2 = _lua.index(input, 1), _lua.index(input, 2)   # a table's or a tensor's
        a = arr(x1)
        a = a.reshape(1, -1) if a.ndim == 1 else a
        if x1.nElement() != x2.nElement():  # the first buffer:cmul(input1, input2)
            s1, s2 = a.shape, ((1, -1) if x2.dim() == 1 else x2._size)
            s2 = (1, x2.nElement()) if s2 == (1, -1) else s2
            raise TorchError(msg('inconsistent_3', 'r_', size_str(s1), 't', size_str(s1), 'src',
                                 size_str(s2), a.size, a.size, x2.nElement()))
        b = arr(x2).reshape(a.shape)
        eps = 1e-12
        w1 = (a * b).sum(axis=1)
        w22 = 1.0 / ((a * a).sum(axis=1) + eps)
        w32 = 1.0 / ((b * b).sum(axis=1) + eps)
        w = np.sqrt(w22 * w32)
        cos = w1 * w
        yv = values(y).reshape(-1)
        out = np.where(yv == -1, np.maximum(cos - self.margin, 0),
                       np.where(yv == 1, 1 - cos, cos))
        return a, b, w1, w22, w32, w, yv, out

    def _number_y(self, input, y):
        # CosineEmbeddingCriterion.lua keeps a number y in its _y buffer
        if isinstance(y, (int, float)) and not isinstance(y, bool):
            x1 = _lua.index(input, 1)
            if self.__dict__.get('_y') is None:
                self._y = x1.new(1)
            self._y[1] = y

    @staticmethod
    def _fill(t, v):
        out_like(t, v.shape)[...] = v

    def updateOutput(self, input, y):
        x1, x2, ok = _lua.pair(input)
        if not ok:   # CosineEmbeddingCriterion.lua: input1.new(1), input1:dim()
            _lua.field_call(x1, 'new', "local 'input1'")
            _lua.mcall(x1, 'dim', what="local 'input1'")
        self._number_y(input, y)
        d = self.__dict__
        if d.get('buffer') is None:
            # CosineEmbeddingCriterion.lua's buffers, made together at the first call
            for k in ('buffer', 'w1', 'w22', 'w', 'w32', '_outputs'):
                d[k] = x1.new()
            self._idx = _tensor.ByteTensor()
        a, b, w1, w22, w32, w, yv, out = self._parts(input, y)
        # the buffers as its steps leave them
        self._fill(self.buffer, b * b)
        self._fill(self.w1, w1[:, None])
        self._fill(self.w22, w22[:, None])
        self._fill(self.w, w[:, None])
        self._fill(self.w32, w32[:, None])
        outs = x1.new()
        self._fill(outs, out.astype(a.dtype)[:, None])
        self._outputs = outs.select(2, 1)
        self._fill(self._idx, (yv == 1).astype(np.uint8))
        s = float(numerics.seqsum(out, np.float64))  # t:sum(): accreal, in order
        if self.sizeAverage:
            s /= yv.size
        self.output = s
        return self.output

    def updateGradInput(self, input, y):
        x1, x2, ok = _lua.pair(input)
        if not ok:   # its Lua: v1:dim()
            _lua.mcall(x1, 'dim', what="local 'v1'")
        self._number_y(input, y)
        a, b, w1, w22, w32, w, yv, out = self._parts(input, y)
        if self.__dict__.get('buffer') is not None:
            self._fill(self.buffer, (w1 * w32)[:, None])
            idx = _tensor.ByteTensor()
            self._fill(idx, (yv == 1).astype(np.uint8))
            self._idx = idx.view(-1, 1).expand(*a.shape)
        g1 = (b - (w1 * w22)[:, None] * a) * w[:, None]
        g2 = (a - (w1 * w32)[:, None] * b) * w[:, None]
        dead = (out <= 0)[:, None]
        g1 = np.where(dead, 0, g1)
        g2 = np.where(dead, 0, g2)
        flip = (yv == 1)[:, None]
        g1 = np.where(flip, -g1, g1)
        g2 = np.where(flip, -g2, g2)
        if self.sizeAverage:
            g1 /= yv.size
            g2 /= yv.size
        out_like(self.gradInput[0], x1._size)[...] = g1.reshape(arr(x1).shape)
        out_like(self.gradInput[1], x2._size)[...] = g2.reshape(arr(x1).shape)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        self._idx = None  # CosineEmbeddingCriterion.lua: a Byte mask whatever the type
        super().type(type, tensorCache)
        self._idx = _tensor.ByteTensor()
        return self
