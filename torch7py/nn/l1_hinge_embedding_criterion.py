"""nn.L1HingeEmbeddingCriterion: port of torch/nn L1HingeEmbeddingCriterion.lua
(||x1 - x2||_1 for y = 1, max(0, margin - ||x1 - x2||_1) for y = -1)."""
import numpy as np

from ..messages import lua_line, lua_method_call
from . import _lua
from ..random import random as _rng_random
from ._kernels import arr, new_tensor, out_like
from .criterion import Criterion


class L1HingeEmbeddingCriterion(Criterion):

    def __init__(self, margin=None):
        super().__init__()
        self.margin = 1 if margin is None else margin
        self.gradInput = [new_tensor(), new_tensor()]

    @staticmethod
    def _neg(y):
        """Its Lua's `y == -1`: true for the number -1 only (a tensor or nil is never equal)."""
        return isinstance(y, (int, float)) and y == -1

    def updateOutput(self, input, y):
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        with lua_line('nn/L1HingeEmbeddingCriterion.lua:11'):
            if not ok:   # L1HingeEmbeddingCriterion.lua: input[1]:dist(input[2], 1)
                _lua.mcall(x1, 'dist', x2, 1)
            d = input[0].dist(input[1], 1)  # L1HingeEmbeddingCriterion.lua: TH's dist
        if self._neg(y):
            d = max(0.0, self.margin - d)
        self.output = d
        return self.output

    def updateGradInput(self, input, y):
        x1, x2, ok = _lua.pair(input)
        input = x1, x2  # (Lua's input[1], input[2]: a tensor's are its first two slices)
        # its Lua: gradInput[1]:resizeAs(input[1]), gradInput[2]:resizeAs(input[2]), then
        # gradInput[1]:copy(input[1]):add(-1, input[2]) (TH's count check; a failure there
        # leaves the two resized)
        with lua_line('nn/L1HingeEmbeddingCriterion.lua:26'):
            _lua.mcall(self.gradInput[0], 'resizeAs', x1)
        with lua_line('nn/L1HingeEmbeddingCriterion.lua:27'):
            _lua.mcall(self.gradInput[1], 'resizeAs', x2)
        if x1.nElement() != x2.nElement():
            with lua_line('nn/L1HingeEmbeddingCriterion.lua:29'), lua_method_call('add'):
                self.gradInput[0].copy(x1).add(-1, x2)
        a = arr(input[0])
        diff = a - arr(input[1]).reshape(a.shape)
        dist = input[0].clone().add(-1, input[1]).norm(1)  # the Lua's gradInput[1]:norm(1)
        g = np.sign(diff)
        zeros = g == 0
        if zeros.any():
            # Torch7 draws a random sign (2 * torch.random(2) - 3) where the difference is 0
            draws = np.array([_rng_random(2) for _ in range(int(zeros.sum()))])
            g[zeros] = 2 * draws - 3
        if self._neg(y):
            # its Lua: gradInput[1]:zero() (+0 everywhere, not sign * 0), else mul(-1)
            g = np.zeros_like(g) if dist > self.margin else -g
        g1 = out_like(self.gradInput[0], input[0]._size)
        g1[...] = g
        # gradInput[2]:zero():add(-1, gradInput[1]): 0 + (-1 * g), so a zero is +0
        out_like(self.gradInput[1], input[1]._size)[...] = 0.0 + (-1.0 * g).reshape(
            arr(input[1]).shape)
        return self.gradInput
