"""VolumetricMaxPooling / VolumetricDilatedMaxPooling run their Lua's lines before THNN
(VolumetricMaxPooling.lua's updateOutput): input:dim(), input:size(dims-2..dims) (TH's
'dimension out of range'), self.indices:long(), then the THNN call's input.THNN and the FFI's
conversion of the numbers from #5 on: a module built with no arguments fails at kT, #5."""
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


@pytest.mark.parametrize("cls", ["VolumetricMaxPooling", "VolumetricDilatedMaxPooling"])
@pytest.mark.parametrize("arg,want", [
    ("torch.Tensor(2, 3, 4, 4, 4)", "bad argument #5 to 'v' (cannot convert 'nil' to 'int')"),
    ("torch.Tensor(3, 4)", "bad argument #1 to 'size' (dimension 0 out of range of 2D tensor)"),
    ("torch.Tensor(3)", "bad argument #1 to 'size' (dimension -1 out of range of 1D tensor)"),
    ("torch.Tensor()", "bad argument #1 to 'size' (dimension -2 out of range of 0D tensor)"),
    ("torch.LongTensor(2, 3, 4, 4)", "attempt to index field 'THNN' (a nil value)"),
])
def test_no_arguments(rt, cls, arg, want):
    got = lua_error(rt, "nn.%s():forward(%s)" % (cls, arg))
    assert got.endswith(want), got


def test_a_nil_field_later_in_order(rt):
    # padH (#13) nil: the numbers before it convert
    assert lua_error(rt, "local m = nn.VolumetricMaxPooling(2, 2, 2); m.padH = 'x'; "
                         "m:forward(torch.Tensor(1, 4, 4, 4))").endswith(
        "bad argument #13 to 'v' (cannot convert 'string' to 'int')")


def test_valid_forward_unchanged():
    # a 2x2x2 max over disjoint windows, and the input's sizes recorded (itime, ...)
    rs = np.random.RandomState(3)
    x = rs.standard_normal((2, 4, 6, 4))
    xi = torch.Tensor(*x.shape)
    xi.numpy()[...] = x
    m = nn.VolumetricMaxPooling(2, 2, 2)
    y = m.forward(xi).numpy()
    np.testing.assert_array_equal(y, x.reshape(2, 2, 2, 3, 2, 2, 2).max(axis=(2, 4, 6)))
    assert (m.itime, m.iheight, m.iwidth) == (4, 6, 4)
