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


def th(script_text, tmp_path, *args):
    import os
    import subprocess
    import sys
    pytest.importorskip("lupa")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    (tmp_path / "s.lua").write_text(script_text)
    env = dict(os.environ)
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "compat.th", "s.lua", *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)


def test_trepl_colorize_adds_nothing_when_stdout_is_no_terminal(tmp_path):
    # trepl/init.lua: noColors() blanks trepl.colors when stdout is no tty; colorize.lua's
    # functions read colors[name] when called (RuiShu/variational-autoencoder, fwtan/obj2txt)
    r = th("local c = require 'trepl.colorize'\n"
           "io.write(c.red '==> ' .. c.green('Epoch') .. '|' .. c._white('x') .. '\\n')\n"
           "local n = 0 for _ in pairs(c) do n = n + 1 end\n"
           "print(n, type(noColors), type(require 'trepl'))\n", tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "==> Epoch|x\n31\tfunction\tfunction\t\n"


def test_trepl_colors_are_ansi_escapes_outside_th():
    # colors.lua as installed: required without th's trepl, the escapes stay
    out = lua("local c = require 'trepl.colors'; local z = require 'trepl.colorize'\n"
              "return c.red, c.none, c._blue, z.Green('a')")
    assert list(out) == ["\x1b[0;31m", "\x1b[0m", "\x1b[44m", "\x1b[1;32ma\x1b[0m"]


@pytest.mark.parametrize("method", ["sgd", "adam", "adagrad", "rmsprop", "adadelta", "adamax",
                                    "nag", "asgd"])
def test_first_order_optim_methods_pass_a_nil_loss_through(method):
    # sgd.lua ... rmsprop.lua: `local fx, dfdx = opfunc(x)` ... `return x, {fx}`: f(x) is never
    # computed with, so an opfunc returning nil (a typo'd local, as RuiShu's Vae:feval) trains
    out = lua("""
        require 'optim'
        local x = torch.Tensor({1, 2})
        local g = torch.Tensor({0.5, -1})
        local _, fs = optim.%s(function(p) return nil, g end, x, {learningRate = 0.1})
        local _, fs2 = optim.%s(function(p) return torch.Tensor({3}), g end, x, {})
        return #fs, x[1] < 1, x[2] > 2, torch.type(fs2[1])
    """ % (method, method))
    assert list(out) == [0, True, True, "torch.DoubleTensor"]


def test_sgd_with_a_nil_loss_takes_torch7s_step():
    out = lua("""
        require 'optim'
        local x = torch.Tensor({1, 2})
        optim.sgd(function() return nil, torch.Tensor({0.5, -1}) end, x, {learningRate = 0.1})
        return x[1], x[2]
    """)
    np.testing.assert_allclose(list(out), [1 - 0.05, 2 + 0.1])


def test_lbfgs_still_needs_a_number():
    # lbfgs.lua computes with f (`f_hist`, `abs(f - f_old)`): a nil f(x) fails there
    with pytest.raises(Exception):
        lua("require 'optim'\n"
            "optim.lbfgs(function() return nil, torch.Tensor({1}) end, torch.Tensor({1}), {})")


def test_number_key_newindex_copies_a_tensor_of_any_type():
    # generic/Tensor.c __newindex__: a number key and a tensor value narrow the tensor to that
    # index along dim 1 and copy (copyLong, copyInt, ...): `_, yhat[i] = torch.max(p, 1)`
    # (harvardnlp/MemN2N's testModel)
    y = torch.DoubleTensor(3).zero()
    idx = torch.LongTensor(1)
    idx.numpy()[...] = 2
    y[2] = idx
    y[-1] = torch.IntTensor([7])
    np.testing.assert_array_equal(y.numpy(), [0, 2, 7])
    with pytest.raises(Exception, match="same number of elements"):
        y[1] = torch.DoubleTensor([1, 2])
    out = lua("local y = torch.zeros(2); _, y[1] = torch.max(torch.Tensor({1, 5, 2}), 1)\n"
              "return y[1], y[2]")
    assert list(out) == [2, 0]
