"""nn.PairwiseDistance: port of torch/nn PairwiseDistance.lua (p-norm of input[1] - input[2])."""
import numpy as np

from ..messages import at_lua, lua_line, lua_method_call
from .. import tensor as _tensor
from . import _lua
from ..random import random as _rng_random
from ._kernels import arr, out_like
from ._table import grad_list
from . import utils
from ..tensor import TorchError
from ..tensor_math.pointwise import libm2, th_pow
from .module import Module


class PairwiseDistance(Module):

    def __init__(self, p=None):
        super().__init__()
        self.gradInput = []
        self.diff = self.output.new()
        self.norm = 2 if p is None else p

    def updateOutput(self, input):
        self.output.resize(1)  # (its Lua's first line: before input is read)
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        if not ok:   # PairwiseDistance.lua: input[1]:dim(), input[1]:dist(input[2], norm)
            self.output.resize(1)
            if _lua.mcall(x1, 'dim') == 1:
                try:
                    _lua.mcall(x1, 'dist', x2, self.norm)
                except (TorchError, TypeError) as e:
                    raise at_lua(e, 'nn/PairwiseDistance.lua:16')
        # PairwiseDistance.lua's operations: dist() for vectors; for a batch add, abs, pow, a
        # row sum and pow 1/p in the input's type
        self.output.resize(1)
        if x1.dim() == 1:
            self.output.resize(1)
            try:
                self.output[1] = x1.dist(x2, self.norm)
            except (TorchError, TypeError) as e:   # the count or the type of input[2]
                raise at_lua(e, 'nn/PairwiseDistance.lua:16')
        elif x1.dim() == 2:
            if self.__dict__.get('diff') is None:
                self.diff = x1.new()
            try:
                self.diff.resizeAs(x1)
            except (TorchError, TypeError) as e:   # a diff buffer of another type than input[1]
                raise at_lua(e, 'nn/PairwiseDistance.lua:19')
            diff = self.diff.zero()
            try:
                diff.add(x1, -1, x2)
            except (TorchError, TypeError) as e:   # the count or the type of input[2]
                raise at_lua(e, 'nn/PairwiseDistance.lua:22')
            diff.abs()
            self.output.resize(x1.size(1))
            self.output.zero()
            self.output.add(diff.pow(self.norm).sum(2))
            self.output.pow(1. / self.norm)
        else:
            raise at_lua(TorchError('input must be vector or matrix'), 'nn/PairwiseDistance.lua:30')
        return self.output

    def updateGradInput(self, input, gradOutput):
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        if not ok:   # PairwiseDistance.lua: input[1]:dim() first, then input[2].new()
            _lua.mcall(x1, 'dim')
            with lua_line('nn/PairwiseDistance.lua:47'):  # (... or input[2].new())
                _lua.field_call(x2, 'new')
        a, b = arr(x1), arr(x2)
        if a.ndim > 2:
            raise at_lua(TorchError('input must be vector or matrix'), 'nn/PairwiseDistance.lua:43')
        if isinstance(self.gradInput, list) and len(self.gradInput) < 2:
            # gradInput[1] or input[1].new(), gradInput[2] or input[2].new()
            if not self.gradInput:
                self.gradInput.append(x1.new())
            self.gradInput.append(x2.new())
        gi = grad_list(self, 2, x1)
        # (gradInput[i] or input[i].new()):resize(input[i]:size()), before gradOutput is read
        gi[0].resize(x1.size())
        gi[1].resize(x2.size())
        p = self.norm
        if a.size != b.size or type(x2) is not type(gi[0]):
            # gradInput[1]:copy(input[1]) then line 49's add(-1, input[2]): TH's count check,
            # cwrap's type check
            gi[0].resize(x1.size()).copy(x1)
            with lua_line('nn/PairwiseDistance.lua:49'):
                _lua.mcall(gi[0], 'add', -1, x2)
        d = a - b.reshape(a.shape)
        if p == 1:
            g = np.sign(d)
            zeros = g == 0
            if zeros.any():
                # Torch7 picks a random sign (torch.random(2)) where the difference is 0
                n = int(zeros.sum())
                draws = np.array([_rng_random(2) for _ in range(n)], dtype=g.dtype)
                g[zeros] = 2 * draws - 3
        else:
            g = d.copy()
            if p > 2:
                ad = np.abs(d)
                g *= th_pow(ad, p - 2, ad)
            y = arr(self.output)
            if a.ndim > 1:
                # PairwiseDistance.lua's buffer for the scale (kept as its field)
                utils.lua_buffers(self, self.output, 'outExpand')
                # outExpand:resize(self.output:size(1), 1):copy(self.output), add(1e-6),
                # pow(-(p-1)) (TH's pow), then expand(gradInput[1]:size(1), :size(2))
                n = _lua.mcall(self.output, 'size', 1, what="field 'output'")
                _lua.mcall(self.outExpand.resize(n, 1), 'copy', self.output)
                ox = arr(self.outExpand)
                ox += 1e-6
                th_pow(ox, -(p - 1), ox)
                _lua.mcall(self.outExpand, 'expand', x1.size(1), x1.size(2))
                g *= ox
            else:
                if y.size < 1:  # its Lua's self.output[1] (no forward yet): TH's index error
                    self.output[1]
                # gradInput[1]:mul(math.pow(output[1] + 1e-6, -(p-1))): a Lua number (double)
                # and libm's pow, then mul's real
                v = libm2('pow', np.array([float(y[0]) + 1e-6]), float(-(p - 1)), np.empty(1))
                g *= g.dtype.type(v[0])
        if a.ndim == 1 and not (isinstance(gradOutput, _tensor.Tensor)
                                and gradOutput.dim() == 1):
            # gradInput[1]:mul(gradOutput[1]): a number only from a vector gradOutput
            _lua.mcall(gi[0], 'mul', _lua.index(gradOutput, 1, "local 'gradOutput'"))
        if a.ndim == 1:
            g *= arr(gradOutput).reshape(-1)[0]
        else:
            try:   # self.grad = self.grad or gradOutput.new(): line 75 of the matrix branch
                utils.lua_buffers(self, gradOutput, 'grad', 'ones')
            except Exception as e:
                raise at_lua(e, 'nn/PairwiseDistance.lua:75')
            with lua_line('nn/PairwiseDistance.lua:78'), lua_method_call('resizeAs'):
                self.grad.resizeAs(x1)  # (a buffer of gradOutput's type: TH's type check)
            self.ones.resize(x1.size(2)).fill(1)
            if not (type(gradOutput) is type(self.grad) and gradOutput.dim() == 1
                    and gradOutput.size(1) == x1.size(1)):
                # self.grad:resizeAs(input[1]):zero():addr(gradOutput, self.ones): cwrap's or
                # TH's size text (line 81)
                try:
                    _lua.mcall(self.grad.resizeAs(x1).zero(), 'addr', gradOutput, self.ones)
                except TorchError as e:
                    raise at_lua(e, 'nn/PairwiseDistance.lua:81')
            gr = out_like(self.grad, x1._size)
            gr[...] = arr(gradOutput).reshape(-1, 1)
            g *= gr
        out_like(gi[0], x1._size)[...] = g
        np.negative(g, out=out_like(gi[1], x2._size).reshape(g.shape))
        return self.gradInput

    def clearState(self):
        utils.clear(self, 'diff', 'outExpand', 'grad', 'ones')
        return super().clearState()
