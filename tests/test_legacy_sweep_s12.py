"""Mechanisms found by running public legacy Torch7 code through th (session 12, helper
legacysweep11, see docs/legacy_sweep.md); expectations from the original sources' rules."""
import pytest


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    try:
        return rt.execute(code)
    finally:
        rt.undo_class_edits()


def test_lua_class_init_runs_two_frames_below_the_caller():
    # init.lua's torch.class: Foo(...) is luaT_cmt__call (C, level 3 seen from __init), which
    # lua_calls the constructor (level 2), which calls self:__init(...) (level 1): the caller
    # of Foo(...) is level 4 and its caller level 5 (rlowrance/re's StackFrame('caller')
    # reads debug.getinfo(5) and debug.getlocal(5, i) inside its __init)
    r = lua("""
      local SF = torch.class('StackFrameS12')
      function SF:__init(level)
         self.name = debug.getinfo(level, 'n').name
         self.here = debug.getinfo(1, 'n').name
         local i, vals = 0, {}
         repeat
            i = i + 1
            local k, v = debug.getlocal(level, i)
            if k then vals[k] = v end
         until k == nil
         self.vals = vals
      end
      -- (no tail calls: LuaJIT leaves no frame for them)
      local function probe(level) local s = StackFrameS12(level); return s end
      local function outer()
         local v123 = 123
         local s = probe(5)
         return s
      end
      local sf = outer()
      local sf4 = (function() local w = 7; local s = StackFrameS12(4); return s end)()
      return sf.name, sf.vals.v123, sf.here, sf4.vals.w
    """)
    assert r == ("outer", 123, "__init", 7)


def test_lua_class_constructor_passes_lua_values_and_keeps_inheritance():
    # the constructor hands __init the caller's own values (a table stays that table), a
    # Lua class over nn.Linear still reaches the parent's __init and methods, a class
    # without its own __init takes its Lua parent's, and a redefined __init is the one run
    r = lua("""
      require 'nn'
      local L, parent = torch.class('nn.LinS12', 'nn.Linear')
      local seen
      function L:__init(a, b, t)
         parent.__init(self, a, b)
         seen = t
         self.t = t
      end
      local cfg = {x = 5}
      local m = nn.LinS12(3, 2, cfg)
      local A = torch.class('AS12')
      function A:__init(x) self.x = x end
      local B = torch.class('BS12', 'AS12')
      local b = BS12(7)
      function A:__init(x) self.x = 2 * x end
      return seen == cfg, m:forward(torch.ones(3)):size(1), torch.type(m), b.x, BS12(7).x,
             torch.isTypeOf(b, 'AS12'), BS12.new(4).x
    """)
    assert r == (True, 2, "nn.LinS12", 7, 14, True, 8)


def test_timer_user_plus_sys_never_exceeds_real_in_one_reading():
    # Timer.c reads gettimeofday, then getrusage, within a microsecond: for a process on one
    # thread, user + sys of a reading is at most its real (rlowrance/re's Timer_test asserts
    # it right after creating the timer); both clocks count microseconds, so a reading may
    # differ by one
    r = lua("""
      local bad = 0
      for i = 1, 500 do
         local t = torch.Timer():time()
         if t.user + t.sys > t.real + 1e-6 then bad = bad + 1 end
      end
      local timer = torch.Timer()
      local x = 0
      for i = 1, 2e5 do x = x + i end
      timer:stop()
      local a = timer:time()
      local b = timer:time()
      return bad, a.real == b.real and a.user == b.user, a.user + a.sys <= a.real
    """)
    assert r == (0, True, True)
