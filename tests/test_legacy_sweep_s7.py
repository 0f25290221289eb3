"""Mechanisms found by running public legacy Torch7 code through th (session s7, see
docs/legacy_sweep.md); expectations from the original sources' rules, computed with numpy."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


def test_parallel_criterion_reads_a_tensor_target_one_based():
    # ParallelCriterion.lua: target[i] for criterion i (i from 1); a ByteTensor of class
    # indices gives ClassNLLCriterion the number target[i] (Cadene/AS_Exam's char RNN)
    x = np.random.RandomState(0).randn(3, 5)
    inputs = [torch.Tensor(5) for _ in range(3)]
    for t, row in zip(inputs, x):
        t.numpy()[...] = row
    target = torch.ByteTensor(3)
    target.numpy()[...] = [2, 5, 1]
    c = nn.ParallelCriterion()
    for _ in range(3):
        c.add(nn.ClassNLLCriterion())
    expected = -(x[0, 1] + x[1, 4] + x[2, 0])
    assert c.forward(inputs, target) == pytest.approx(expected)
    gi = c.backward(inputs, target)
    for k, cls in enumerate([2, 5, 1]):
        want = np.zeros(5)
        want[cls - 1] = -1
        np.testing.assert_array_equal(gi[k].numpy(), want)


def test_parallel_criterion_with_a_tensor_input_writes_gradinput_rows():
    # input[i] of a 2-D tensor is its i-th row; recursiveResizeAs makes gradInput a tensor and
    # recursiveAdd writes each row in place
    x = np.random.RandomState(1).randn(2, 4)
    inp = torch.Tensor(2, 4)
    inp.numpy()[...] = x
    tgt = torch.Tensor(2, 4).zero()
    c = nn.ParallelCriterion().add(nn.MSECriterion(), 0.5).add(nn.MSECriterion(), 2)
    assert c.forward(inp, tgt) == pytest.approx(0.5 * np.mean(x[0] ** 2) + 2 * np.mean(x[1] ** 2))
    gi = c.backward(inp, tgt)
    np.testing.assert_allclose(gi.numpy(), np.stack([0.5 * 2 * x[0] / 4, 2 * 2 * x[1] / 4]))


def test_parallel_table_reads_a_tensor_input_by_rows():
    # ParallelTable.lua: module i gets input[i], the i-th row of a 2-D tensor
    x = np.arange(6.0).reshape(2, 3)
    inp = torch.Tensor(2, 3)
    inp.numpy()[...] = x
    p = nn.ParallelTable().add(nn.Identity()).add(nn.MulConstant(2))
    out = p.forward(inp)
    np.testing.assert_array_equal(out[0].numpy(), x[0])
    np.testing.assert_array_equal(out[1].numpy(), 2 * x[1])


def test_parallel_criterion_tensor_target_from_lua():
    out = lua("""
        require 'nn'
        local c = nn.ParallelCriterion()
        for i = 1, 2 do c:add(nn.ClassNLLCriterion()) end
        local y = torch.ByteTensor({3, 1})
        local a, b = torch.Tensor({-1, -2, -3}), torch.Tensor({-4, -5, -6})
        return c:forward({a, b}, y)
    """)
    assert out == pytest.approx(3 + 4)
