"""nn.MarginRankingCriterion: port of torch/nn MarginRankingCriterion.lua
(max(0, -y (x1 - x2) + margin) for a pair of inputs; a number target means one pair)."""

from . import _lua
from .. import messages
from .. import tensor as _tensor
from ..tensor import TorchError
from ._kernels import arr, new_tensor, out_like
from .criterion import Criterion


class MarginRankingCriterion(Criterion):

    def __init__(self, margin=None):
        super().__init__()
        self.margin = 1 if margin is None else margin
        self.gradInput = [new_tensor(1), new_tensor(1)]
        self.sizeAverage = True

    def updateOutput(self, input, y):
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        if not ok and not isinstance(y, (int, float)):   # its Lua: input[1]:clone(), ...
            o = _lua.mcall(_lua.mcall(x1, 'clone'), 'copy', x1)
            _lua.mcall(o, 'add', -1, x2)
        elif not ok:   # -y * (input[1][1] - input[2][1]): nil operands
            a, b = _lua.index(x1, 1), _lua.index(x2, 1)
            if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
                raise TorchError(messages.msg('arith', messages.lua_type(
                    b if isinstance(a, (int, float)) else a)))
        a, b = arr(input[0]), arr(input[1])
        if not isinstance(y, _tensor.Tensor) and messages.lua_type(y) != 'number':
            # its batch branch: _output:mul(-1):cmul(y) fails on what y is
            o = input[0].clone()
            o.add(-1, input[1])
            _lua.mcall(o.mul(-1), 'cmul', y)
        if not isinstance(y, _tensor.Tensor):
            # Lua numbers: the elements read as doubles
            self.output = max(0, -y * (float(a.reshape(-1)[0]) - float(b.reshape(-1)[0]))
                              + self.margin)
            return self.output
        # MarginRankingCriterion.lua's steps on tensors (the input's type, an accreal sum)
        if self.__dict__.get('_output') is None:
            self._output = input[0].clone()
        o = self._output
        o.resizeAs(input[0]).copy(input[0])
        o.add(-1, input[1])
        o.mul(-1).cmul(y)
        o.add(self.margin)
        o.cmax(0)
        out = o.sum()
        if self.sizeAverage:
            out = out / y.size(1)
        self.output = out
        return self.output

    def updateGradInput(self, input, y):
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        if not ok and not isinstance(y, (int, float)):   # input[1].new(), dist:add(-1, input[2])
            dist = _lua.mcall(_lua.field_call(x1, 'new')(), 'resizeAs', x1)
            _lua.mcall(dist, 'add', -1, x2)
        if not ok and isinstance(y, (int, float)):   # -y * (input[1][1] - input[2][1])
            a, b = _lua.index(x1, 1), _lua.index(x2, 1)
            if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
                raise TorchError(messages.msg('arith', messages.lua_type(
                    b if isinstance(a, (int, float)) else a)))
        a, b = arr(input[0]), arr(input[1])
        g1, g2 = self.gradInput[0], self.gradInput[1]
        if not isinstance(y, _tensor.Tensor) and messages.lua_type(y) != 'number' or \
                isinstance(y, _tensor.Tensor) and y.nElement() != a.size:
            # its batch branch: dist:mul(-1):cmul(y) fails on what y is
            dist = input[0].new().resizeAs(input[0]).copy(input[0])
            dist.add(-1, input[1])
            _lua.mcall(dist.mul(-1), 'cmul', y)
        if not isinstance(y, _tensor.Tensor):
            dist = -y * (float(a.reshape(-1)[0]) - float(b.reshape(-1)[0])) + self.margin
            v1, v2 = (0.0, 0.0) if dist < 0 else (-y, y)
            if g1.nElement() < 1:
                g1.resize(1)
            if g2.nElement() < 1:
                g2.resize(1)
            arr(g1).reshape(-1)[0] = v1
            arr(g2).reshape(-1)[0] = v2
            return self.gradInput
        yv = arr(y).reshape(a.shape)
        dist = -yv * (a - b.reshape(a.shape)) + self.margin
        mask = (dist >= 0).astype(a.dtype)
        # MarginRankingCriterion.lua's buffers, as its steps leave them
        d = self.__dict__
        for name, v in (('dist', dist), ('mask', mask)):
            if d.get(name) is None:
                d[name] = input[0].new()
            out_like(d[name], input[0]._size)[...] = v.reshape(a.shape)
        n = y.size(1) if self.sizeAverage else 1
        out_like(g1, a.shape)[...] = -mask * yv / n
        out_like(g2, a.shape)[...] = mask * yv / n
        return self.gradInput
