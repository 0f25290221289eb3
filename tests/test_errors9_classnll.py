"""ClassNLLCriterion called with wrong arguments fails where its Lua (nn's ClassNLLCriterion.lua)
fails, in its order: torch.typename(input):find(...) (nil for a non-object), then the target
conversion (self.target:long() for a number, target:long() otherwise), (backward)
self.gradInput:resizeAs(input), then the THNN call's input.THNN, :cdata()s and the FFI's
conversions of the parameters #3-#8 of THNN_(ClassNLLCriterion_updateOutput). The texts are
LuaJIT's for those lines (facts from running nn's own Lua). Valid calls keep THNN's values."""
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
    return trepl_runtime("require 'nn'; c = nn.ClassNLLCriterion()")


@pytest.mark.parametrize("meth", ["forward", "updateOutput", "backward", "updateGradInput"])
@pytest.mark.parametrize("args,want", [
    # torch.typename(nil):find -> indexing nil, before the target is read
    ("", "attempt to index a nil value"),
    ("'a', 'b'", "attempt to index a nil value"),
    ("{}, {}", "attempt to index a nil value"),
    # the target line next: target:long() on nil, a table, a string
    ("torch.FloatTensor(3)", "attempt to index local 'target' (a nil value)"),
    ("torch.LongTensor(3)", "attempt to index local 'target' (a nil value)"),
    ("torch.Tensor(3), {}", "attempt to call method 'long' (a nil value)"),
    ("torch.Tensor(3), true", "attempt to index local 'target' (a boolean value)"),
])
def test_lua_order(rt, meth, args, want):
    got = lua_error(rt, "c:%s(%s)" % (meth, args))
    assert got.endswith(want), got


def test_thnn_after_the_target(rt):
    # forward: input.THNN next (a LongTensor has none); backward: gradInput:resizeAs(input)
    # before it (Tensor.c's luaT_checkudata of the source)
    for meth in ("forward", "updateOutput"):
        assert lua_error(rt, "c:%s(torch.LongTensor(3), 1)" % meth).endswith(
            "attempt to index field 'THNN' (a nil value)")
    for meth in ("backward", "updateGradInput"):
        assert lua_error(rt, "c:%s(torch.LongTensor(3), 1)" % meth).endswith(
            "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got "
            "torch.LongTensor)")


def test_ffi_conversions_in_parameter_order(rt):
    # a FloatTensor input with the criterion's double buffers: output_tensor is #4
    assert lua_error(rt, "nn.ClassNLLCriterion():forward(torch.FloatTensor(3), 1)").endswith(
        "bad argument #4 to 'v' (cannot convert 'struct THDoubleTensor *' to "
        "'struct THFloatTensor *')")
    # backward: gradInput:resizeAs(input) fails first (TH's resizeAs on another type)
    got = lua_error(rt, "nn.ClassNLLCriterion():backward(torch.FloatTensor(3), 1)")
    assert "resizeAs" in got or "expected" in got, got
    # sizeAverage a string: #5 to bool
    assert lua_error(rt, "local c = nn.ClassNLLCriterion(); c.sizeAverage = 'x'; "
                         "c:forward(torch.Tensor(3), 1)").endswith(
        "bad argument #5 to 'v' (cannot convert 'string' to 'bool')")
    # weights of another type: #6; ignoreIndex a table: #8
    assert lua_error(rt, "local c = nn.ClassNLLCriterion(torch.FloatTensor(3)); "
                         "c:forward(torch.Tensor(3), 1)").endswith(
        "bad argument #6 to 'v' (cannot convert 'struct THFloatTensor *' to "
        "'struct THDoubleTensor *')")
    assert lua_error(rt, "local c = nn.ClassNLLCriterion(); c.ignoreIndex = {}; "
                         "c:forward(torch.Tensor(3), 1)").endswith(
        # (LuaJIT's FFI names C's long 'int64_t', as the reference build prints it)
        "bad argument #8 to 'v' (cannot convert 'table' to 'int64_t')")
    # self.target cleared: a number target reads self.target:long()
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "local c = nn.ClassNLLCriterion(); c.target = nil; "
                         "c:forward(torch.Tensor(3), 1)").endswith(
        "/usr/local/share/lua/5.1/nn/ClassNLLCriterion.lua:31: attempt to index field 'target' (a nil value)")
    # backward's self.gradInput:resizeAs(input) with gradInput cleared
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "local c = nn.ClassNLLCriterion(); c.gradInput = nil; "
                         "c:backward(torch.Tensor(3), 1)").endswith(
        "/usr/local/share/lua/5.1/nn/ClassNLLCriterion.lua:69: attempt to index field 'gradInput' (a nil value)")


def test_valid_calls_keep_thnn_values():
    # THNN: output = -sum_i x[i, t_i] / n (sizeAverage), gradInput[i, t_i] = -1/n
    rs = np.random.RandomState(0)
    x = rs.standard_normal((4, 5))
    t = np.array([1, 5, 2, 2])
    for tcls in (torch.DoubleTensor, torch.LongTensor, torch.FloatTensor):
        c = nn.ClassNLLCriterion()
        xi = torch.DoubleTensor(4, 5)
        xi.numpy()[...] = x
        ti = tcls(4)
        ti.numpy()[...] = t
        assert abs(c.forward(xi, ti) - (-x[np.arange(4), t - 1].sum() / 4)) < 1e-12
        want = np.zeros((4, 5))
        want[np.arange(4), t - 1] = -0.25
        np.testing.assert_allclose(c.backward(xi, ti).numpy(), want)
    # a number target on a vector, and after :float()
    c = nn.ClassNLLCriterion().float()
    xi = torch.FloatTensor(5)
    xi.numpy()[...] = x[0]
    assert abs(c.forward(xi, 3) - (-np.float32(x[0, 2]))) < 1e-6
    assert c.target.typename == 'torch.LongTensor'
