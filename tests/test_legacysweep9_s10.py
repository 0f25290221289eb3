"""Mechanisms found by running pure-Lua packages built on Torch7 with their own tests through th
(session s10, helper legacysweep9, see docs/legacy_sweep.md); expectations from the original
sources' rules (luaT, nn's Lua files, LuaJIT)."""
import pytest


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


def test_nil_over_a_method_field_finds_the_class_method_again():
    # optnet wraps each module's updateOutput in a field, then writes nil there: the key goes
    # away and luaT's __index finds nn.Linear's updateOutput again (a table's nil is no value)
    r = lua("""
      require 'nn'
      local m = nn.Linear(2, 3)
      local base = m.updateOutput
      local calls = 0
      m.updateOutput = function(self, x) calls = calls + 1; return base(self, x) end
      m:forward(torch.ones(2))
      m.updateOutput = nil
      local y = m:forward(torch.ones(2))
      local own = rawget(m, 'updateOutput')
      local n = 0
      for k, v in pairs(m) do if k == 'updateOutput' then n = n + 1 end end
      return calls, own, n, type(m.updateOutput), y:size(1)""")
    assert r == (1, None, 0, "function", 3)


def test_nil_over_a_container_method_field():
    r = lua("""
      require 'nn'
      local s = nn.Sequential():add(nn.Identity())
      s.forward = function(self, x) return 'wrapped' end
      local a = s:forward(torch.ones(2))
      s.forward = nil
      local b = s:forward(torch.ones(2))
      return a, torch.type(b), b:size(1)""")
    assert r == ("wrapped", "torch.DoubleTensor", 2)
