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
        # input[1], input[2] as Lua reads them: a table's two entries or a tensor's two rows
        x1, x2, ok = _lua.pair(input)
        if messages.lua_type(y) != 'number':
            # MarginRankingCriterion.lua's batch branch, step by step (the input's type, an
            # accreal sum): self._output = self._output or input[1]:clone(), then
            # _output:resizeAs(input[1]) (a string's or a LongTensor's rows fail there once
            # _output exists), copy, add(-1, input[2]), mul(-1):cmul(y) (y nil fails there)
            if self.__dict__.get('_output') is None:
                self._output = _lua.mcall(x1, 'clone')
            o = self._output
            _lua.mcall(o, 'resizeAs', x1)
            o.copy(x1)
            _lua.mcall(o, 'add', -1, x2)
            with messages.lua_line('nn/MarginRankingCriterion.lua:20'):  # :mul(-1):cmul(y)
                _lua.mcall(o.mul(-1), 'cmul', y)
            o.add(self.margin)
            o.cmax(0)
            out = o.sum()
            if self.sizeAverage:
                out = out / _lua.mcall(y, 'size', 1)
            self.output = out
            return self.output
        # math.max(0, -y * (input[1][1] - input[2][1]) + self.margin)
        a, b = _number_pair(x1, x2)
        self.output = max(0, -y * (a - b) + self.margin)
        return self.output

    def updateGradInput(self, input, y):
        if messages.lua_type(y) != 'number':
            return self._batch_grad(input, y)
        x1, x2, ok = _lua.pair(input)
        a, b = _number_pair(x1, x2)
        g1, g2 = self.gradInput[0], self.gradInput[1]
        dist = -y * (a - b) + self.margin
        v1, v2 = (0.0, 0.0) if dist < 0 else (-y, y)
        if g1.nElement() < 1:
            g1.resize(1)
        if g2.nElement() < 1:
            g2.resize(1)
        arr(g1).reshape(-1)[0] = v1
        arr(g2).reshape(-1)[0] = v2
        return self.gradInput

    def _batch_grad(self, input, y):
        """MarginRankingCriterion.lua's batch branch (lines 46-70), each step at its line:
        a wrong input or target fails where the original's does, its buffers left as made."""
        def at(line):
            return messages.lua_line('nn/MarginRankingCriterion.lua:%d' % line)

        def x(i):
            return _lua.index(input, i, "local 'input'")
        d = self.__dict__
        if d.get('dist') is None:
            with at(46):
                self.dist = _lua.field_call(x(1), 'new')()
        with at(47):
            x1 = x(1)
            self.dist = _lua.mcall(_lua.mcall(self.dist, 'resizeAs', x1), 'copy', x1)
        dist = self.dist
        with at(50):
            _lua.mcall(dist, 'add', -1, x(2))
        with at(51):
            _lua.mcall(dist.mul(-1), 'cmul', y)
        with at(52):
            dist.add(self.margin)
        if d.get('mask') is None:
            with at(54):
                self.mask = _lua.field_call(x(1), 'new')()
        with at(55):
            self.mask = _lua.mcall(_lua.mcall(self.mask, 'resizeAs', x(1)), 'copy', dist)
        mask = self.mask
        # mask:ge(dist, 0): 1 where dist >= 0, in mask's type
        m = out_like(mask, dist._size)
        m[...] = arr(dist).reshape(m.shape) >= 0
        g1, g2 = self.gradInput[0], self.gradInput[1]
        with at(60):
            g1.resize(dist.size())
        with at(61):
            g2.resize(dist.size())
        g1.copy(mask)
        with at(64):
            _lua.mcall(g1.mul(-1), 'cmul', y)
        g2.copy(mask)
        with at(66):
            _lua.mcall(g2, 'cmul', y)
        if self.sizeAverage:
            with at(69):
                n = _lua.mcall(y, 'size', 1)
            g1.div(n)
            g2.div(n)
        return self.gradInput


def _number_pair(x1, x2):
    """`input[1][1]`, `input[2][1]` of the non-batch mode as numbers. Two numbers when
    input[1] and input[2] are vectors (a table of two, or a 2xN tensor's rows); a tensor
    among them makes `-y * (a - b) + margin` a tensor (Torch's operators), which
    math.max refuses; a nil or a string is Lua's arithmetic error."""
    a, b = _lua.index(x1, 1), _lua.index(x2, 1)
    num = (int, float)
    if isinstance(a, _tensor.Tensor) or isinstance(b, _tensor.Tensor):
        if isinstance(a, (_tensor.Tensor,) + num) and isinstance(b, (_tensor.Tensor,) + num):
            raise TorchError(messages.msg('bad_argument', 2, 'max',
                                          messages.msg('number_expected', 'userdata')))
    if not isinstance(a, num) or not isinstance(b, num):
        raise TorchError(messages.msg('arith', messages.lua_type(
            b if isinstance(a, num) else a)))
    return float(a), float(b)
