"""CosineEmbeddingCriterion on inputs its vectorised path does not take runs its Lua's lines
(nn's CosineEmbeddingCriterion.lua) one by one: a wrong call fails at the line nn's Lua fails
at, with LuaJIT's or TH's text (never Python's), and an unusual valid call (a LongTensor y) gives
the formula's values."""
import os
import sys

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

pytest.importorskip("lupa")

from luatest import lua_error, trepl_runtime  # noqa: E402


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'")


@pytest.mark.parametrize("code,want", [
    # input[2] nil: input2:view(1,-1) of a vector's pair
    ("nn.CosineEmbeddingCriterion():forward({torch.Tensor(3)}, 1)",
     "attempt to index local 'input2' (a nil value)"),
    # y nil reaches y.eq(self._idx, y, -1)
    ("nn.CosineEmbeddingCriterion():forward(torch.Tensor(2, 3, 4):fill(1))",
     "attempt to index local 'y' (a nil value)"),
    # a backward before any forward: self.buffer:cmul(...) after the gradInput copies
    ("nn.CosineEmbeddingCriterion():backward(torch.Tensor(2, 3, 4):fill(1), torch.Tensor(3))",
     "attempt to index field 'buffer' (a nil value)"),
    # updateGradInput's number y reads the global input1 (its Lua's typo)
    ("nn.CosineEmbeddingCriterion():backward({torch.Tensor(3), torch.Tensor(3)}, 1)",
     "attempt to index global 'input1' (a nil value)"),
    # gradInput[1]:resizeAs(v1) of another type: Tensor.c's luaT_checkudata
    ("nn.CosineEmbeddingCriterion():backward({torch.FloatTensor(3), torch.FloatTensor(3)}, "
     "torch.Tensor(1))",
     "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)"),
    # a string y: strings have no eq
    ("nn.CosineEmbeddingCriterion():forward({torch.Tensor(3):fill(1), torch.Tensor(3):fill(1)},"
     " 'a')", "attempt to call field 'eq' (a nil value)"),
])
def test_lua_lines(rt, code, want):
    got = lua_error(rt, code)
    assert got.endswith(want), got


def _want(a, b, y, margin):
    cos = (a * b).sum(1) / np.sqrt(((a * a).sum(1) + 1e-12) * ((b * b).sum(1) + 1e-12))
    out = np.where(y == 1, 1 - cos, np.where(y == -1, np.maximum(cos - margin, 0), cos))
    return out.sum() / y.size


def test_long_y_runs_the_lua_lines():
    rs = np.random.RandomState(2)
    a, b = rs.standard_normal((5, 4)), rs.standard_normal((5, 4))
    yv = np.array([1, -1, 1, -1, -1])
    x1, x2 = torch.Tensor(5, 4), torch.Tensor(5, 4)
    x1.numpy()[...] = a
    x2.numpy()[...] = b
    y = torch.LongTensor(5)
    y.numpy()[...] = yv
    c = nn.CosineEmbeddingCriterion(0.1)
    assert abs(c.forward([x1, x2], y) - _want(a, b, yv, 0.1)) < 1e-12
    # its backward's y.le(self._idx, self._outputs, 0): a LongTensor's le of a DoubleTensor
    with pytest.raises(torch.TorchError, match="invalid arguments: ByteTensor DoubleTensor"):
        c.backward([x1, x2], y)
    # y a column (n x 1): the Lua's lines take it (masks of n elements)
    y = torch.Tensor(5, 1)
    y.numpy()[:, 0] = yv
    c = nn.CosineEmbeddingCriterion(0.1)
    assert abs(c.forward([x1, x2], y) - _want(a, b, yv, 0.1)) < 1e-12
    # gradients: central differences of the formula
    g1, g2 = c.backward([x1, x2], y)
    h = 1e-6
    for which, g in ((0, g1), (1, g2)):
        num = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            p = [a.copy(), b.copy()]
            m = [a.copy(), b.copy()]
            p[which][i] += h
            m[which][i] -= h
            num[i] = (_want(p[0], p[1], yv, 0.1) - _want(m[0], m[1], yv, 0.1)) / (2 * h)
        np.testing.assert_allclose(g.numpy(), num, atol=1e-6)
