"""Found by tools/diff_nn.py: nn's own Lua code calls a Lua parent's constructor through the
class (nn.Module.__init(self) in LinearWeightNorm.lua), and converts shared empty tensors once."""
import pytest

import torch7py as torch
from torch7py import nn

lupa = pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


def test_lua_parent_constructor_through_the_class_table():
    rt = LuaRuntime()
    rt.execute("""
      require 'nn'
      local A, pa = torch.class('nn.OracleA', 'nn.Module')
      function A:__init(n) pa.__init(self); self.n = n; self.calls = (self.calls or 0) + 1 end
      local B = torch.class('nn.OracleB', 'nn.OracleA')
      function B:__init(n) nn.OracleA.__init(self, n); self.m = 2 end
      local C = torch.class('nn.OracleC', 'nn.OracleB')
      function C:__init() nn.OracleB.__init(self, 5) end
      local D = torch.class('nn.OracleD', 'nn.OracleC')  -- no __init: C's runs
      local b, d = nn.OracleB(3), nn.OracleD()
      got = {b.n, b.m, b.calls, d.n, d.m, d.calls, torch.isTensor(d.output)}
    """)
    got = rt.globals.got
    assert [got[i] for i in range(1, 8)] == [3, 2, 1, 5, 2, 1, True]


def test_type_converts_a_shared_empty_tensor_once():
    # utils.lua's recursiveType caches every converted tensor, storage or not: CriterionTable's
    # gradInput[1] is its criterion's gradInput before and after :float()
    c = nn.MSECriterion()
    m = nn.CriterionTable(c)
    m.float()
    assert m.gradInput[0] is c.gradInput
    assert c.gradInput.type() == 'torch.FloatTensor'
    x, y = torch.randn(5).float(), torch.randn(5).float()
    m.forward([x, y])
    g = m.backward([x, y], None)
    assert g[0] is c.gradInput
    assert g[0][1] == pytest.approx(2 * (x[1] - y[1]) / 5, rel=1e-6)
