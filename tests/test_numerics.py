"""Torch7's order of operations and generator draws (issue 12): expectations computed
independently (sequential loops over Python floats / numpy scalars, known outputs of the
original Torch7)."""
import numpy as np
import pytest

import torch7py as torch


def test_require_nn_draws_four_uniforms_like_nn_test_loading():
    # Torch7's nn/init.lua loads nn.test, which builds nn.Linear(1, 2) (4 uniforms); the
    # original prints 0.22685145493597 here, the 5th uniform after manualSeed(123)
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    r = LuaRuntime().execute("torch.manualSeed(123); require 'nn'; return torch.uniform()")
    torch.manualSeed(123)
    fifth = [torch.uniform() for _ in range(5)][-1]
    assert r == fifth
    assert "%.14g" % r == "0.22685145493597"
