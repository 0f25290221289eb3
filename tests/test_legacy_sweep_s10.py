"""Mechanisms found by running public legacy Torch7 code through th (session s10, helper
legacysweep8, see docs/legacy_sweep.md); expectations from the original sources' rules."""
import pytest


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    try:
        return rt.execute(code)
    finally:
        rt.undo_class_edits()


def test_a_class_function_read_and_written_back_is_the_same_value():
    # luaT's class metatables are Lua tables: nn.Module.forward is one Lua function, read as
    # itself through every class that inherits it, and writing back a value read earlier
    # puts that value back (autobw's Tape:begin saves it, patches it, Tape:stop restores it)
    r = lua("""
      require 'nn'
      local orig = nn.Module.forward
      local same = rawequal(nn.Linear.forward, orig) and rawequal(nn.Sequential.forward, orig)
      local n = 0
      local f = function(self, x) n = n + 1; return orig(self, x) end
      nn.Module.forward = f
      local seen = rawequal(nn.Module.forward, f) and rawequal(nn.Tanh.forward, f)
      nn.Tanh():forward(torch.ones(2))
      nn.Module.forward = orig
      nn.Tanh():forward(torch.ones(2))
      return same, seen, n, rawequal(nn.Module.forward, orig), rawequal(nn.Linear.forward, orig)
    """)
    assert r == (True, True, 1, True, True)


def test_patching_and_restoring_a_class_function_many_times():
    # each patch/restore cycle must leave the class as it was: 500 cycles once grew a chain
    # of wrappers past Python's recursion limit
    r = lua("""
      require 'nn'
      local m, x, calls = nn.Linear(2, 2), torch.ones(2), 0
      for i = 1, 500 do
        local orig = nn.Module.forward
        nn.Module.forward = function(self, input) calls = calls + 1; return orig(self, input) end
        m:forward(x)
        nn.Module.forward = orig
        m:forward(x)
      end
      return calls
    """)
    assert r == 500


def test_different_classes_keep_their_own_functions():
    r = lua("""
      require 'nn'
      return rawequal(nn.Linear.updateOutput, nn.Module.updateOutput),
             rawequal(torch.FloatTensor.add, torch.DoubleTensor.add),
             rawequal(torch.DoubleTensor.add, torch.DoubleTensor.add)
    """)
    assert r == (False, False, True)
