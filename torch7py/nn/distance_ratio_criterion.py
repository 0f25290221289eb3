"""nn.DistanceRatioCriterion: port of torch/nn DistanceRatioCriterion.lua (triplet loss
X + log(exp(-X) + exp(-Y)) on distances X of similar and Y of dissimilar pairs)."""
import numpy as np

from . import _lua
from .. import numerics
from ..tensor_math.pointwise import libm
from ._kernels import arr, out_like
from .criterion import Criterion
from .utils import TorchAssertionError

_FLOATS = ('torch.FloatTensor', 'torch.DoubleTensor')


class DistanceRatioCriterion(Criterion):

    def __init__(self, sizeAverage=None):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage

    def _parts(self, input):
        # its Lua: assert(#input == 2) (a tensor's # is its size, never 2), input[1],
        # input[2], then X:nElement() == Y:nElement() and X:size(1) == Y:size(1)
        if _lua.length(input, "local 'input'") != 2:
            raise TorchAssertionError('Invalid number of inputs')
        X, Y = _lua.index(input, 1), _lua.index(input, 2)
        if _lua.mcall(X, 'nElement', what="local 'X'") != _lua.mcall(
                Y, 'nElement', what="local 'Y'"):
            raise TorchAssertionError("Number of distances don't match.")
        if X.size(1) != Y.size(1):
            raise TorchAssertionError("Invalid distances' size.")
        return X, Y

    def updateOutput(self, input, target=None):
        X, Y = self._parts(input)
        if X.typename not in _FLOATS:  # X.new():...:mul(-1):exp(): no exp on that type
            _lua.mcall(self._buf('_expMinusX', X).resizeAs(X).copy(X).mul(-1), 'exp')
        x = arr(X)
        # DistanceRatioCriterion.lua's buffers, its names and order
        ex = out_like(self._buf('_expMinusX', X), X._size)
        libm("exp", -x, ex)  # the Lua's tensor exp/log: libm's
        ey = out_like(self._buf('_expMinusY', Y), Y._size)
        libm("exp", -arr(Y), ey)
        # (`self.sumExpMinusExp or X.new()`: a name never set, so a new tensor each call)
        self._sumExpMinusXY = X.new()
        s = out_like(self._sumExpMinusXY, X._size)
        np.add(ex, ey.reshape(ex.shape), out=s)
        libm("log", s, out_like(self._buf('_logSumExpMinusXY', self._sumExpMinusXY), X._size))
        loss = out_like(self._buf('loss', X), X._size)
        np.add(x, arr(self._logSumExpMinusXY), out=loss)
        total = float(numerics.seqsum(loss, np.float64))  # loss:sum(): accreal
        # Torch7 returns the loss without storing it in self.output
        return total / X.size(1) if self.sizeAverage else total

    def _buf(self, name, like):
        t = self.__dict__.get(name)
        if t is None:
            t = self.__dict__[name] = like.new()
        return t

    def updateGradInput(self, input, target=None):
        X, Y = self._parts(input)
        d = self.__dict__
        if not all(type(d.get(k)) is type(X) for k in ('_expMinusX', '_expMinusY',
                                                       '_sumExpMinusXY')):
            # (no forward yet, or another type) DistanceRatioCriterion.lua's lines, which fail
            # at the first buffer a forward makes: dX:resizeAs(self._expMinusX):copy(...),
            # dX:cdiv(self._sumExpMinusXY), then dY's
            dX = self._buf('dX', X)
            _lua.mcall(dX, 'resizeAs', d.get('_expMinusX')).copy(d['_expMinusX']).mul(-1)
            _lua.mcall(dX, 'cdiv', d.get('_sumExpMinusXY'))
            dY = self._buf('dY', Y)
            _lua.mcall(dY, 'resizeAs', d.get('_expMinusY')).copy(d['_expMinusY']).mul(-1)
            _lua.mcall(dY, 'cdiv', d.get('_sumExpMinusXY'))
        n = X.size(1) if self.sizeAverage else 1
        ex, ey, s = arr(self._expMinusX), arr(self._expMinusY), arr(self._sumExpMinusXY)
        dx = out_like(self._buf('dX', X), X._size)
        dx[...] = (1 - ex / s) / n
        dy = out_like(self._buf('dY', Y), Y._size)
        dy[...] = (-ey.reshape(s.shape) / s).reshape(dy.shape) / n
        # a new table each call; self.gradInput stays the Criterion's empty tensor (as in Lua)
        return [self.dX, self.dY]

    def type(self, type=None, tensorCache=None):
        if type:
            # DistanceRatioCriterion.lua sets its buffers to nil (each key keeps a node)
            for k in ('_expMinusX', '_expMinusY', '_sumExpMinusXY', '_logSumExpMinusXY',
                      'loss', 'dX', 'dY'):
                self.__dict__[k] = None
        return super().type(type, tensorCache)
