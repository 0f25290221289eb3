"""Mechanisms found by running public legacy Torch7 code through th (session 12, helper
legacysweep11, see docs/legacy_sweep.md); expectations from the original sources' rules."""

import os
import subprocess
import sys

from luatest import ROOT
from luatest import lua_undone as lua


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


def test_timer_user_plus_sys_never_exceeds_real_in_one_reading(tmp_path):
    # Timer.c reads gettimeofday, then getrusage, within a microsecond: for a process on one
    # thread, user + sys of a reading is at most its real (rlowrance/re's Timer_test asserts
    # it right after creating the timer); both clocks count microseconds, so a reading may
    # differ by one.  (In a th process of its own with one BLAS thread: in pytest's process,
    # the BLAS threads earlier tests woke spin for a while and add CPU time to getrusage's.)
    (tmp_path / "s.lua").write_text("""
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
      print(bad, a.real == b.real and a.user == b.user, a.user + a.sys <= a.real)
    """)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-m", "compat.th", "s.lua"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.stdout == "0\ttrue\ttrue\t\n", r.stderr


def test_lua_class_constructor_reads_init_through_the_class_index_twice():
    # init.lua's constructor: `if self.__init then self:__init(...) end`, two reads of
    # self.__init, which go through a class's own __index function when a script sets one;
    # a field the object holds is read without it
    r = lua("""
      local A = torch.class('IdxS12')
      function A:__init(x) self.x = x end
      local reads = 0
      A.__index = function(t, k)
         if k == '__init' then reads = reads + 1 end
         return rawget(A, k)
      end
      local a = IdxS12(3)
      return a.x, reads
    """)
    assert r == (3, 2)


def test_rawget_and_rawset_on_a_lua_class_see_its_own_methods():
    # luaT's metatable is a plain table: a method defined on it (function A:foo, or rawset)
    # is a raw field of it, an inherited one is not (it is in the parent's metatable)
    r = lua("""
      local A = torch.class('RawS12')
      function A:foo() return 'foo' end
      rawset(A, 'bar', function() return 'bar' end)
      local B = torch.class('RawChildS12', 'RawS12')
      return type(rawget(A, 'foo')), type(rawget(A, 'bar')), rawget(B, 'foo'),
             RawChildS12():bar(), rawget(A, '__typename'), rawget(A, 'nothing')
    """)
    assert r == ("function", "function", None, "bar", "RawS12", None)


def test_error_level_two_in_a_lua_module_names_no_layer_frame():
    # error(msg, 2) in a Lua module's updateOutput: inside a Sequential, Container.lua's
    # rethrowErrors calls it from xpcall through a tail call, so level 2 is the C function
    # xpcall and luaL_where adds no position; called straight from a closure's tail call,
    # level 2 is pcall, again none. (The layer's own Lua frame was named '[compat]:804:')
    code = """
      require 'nn'
      local M = torch.class('nn.ErrLevelS12', 'nn.Module')
      function M:updateOutput(input) error('bad input', 2) end
      local s = nn.Sequential():add(nn.ErrLevelS12())
      local _, e1 = pcall(function() return s:forward(torch.ones(2)) end)
      local m = nn.ErrLevelS12()
      local _, e2 = pcall(function() return m:updateOutput(torch.ones(2)) end)
      local function lvl(n) error('at level', n) end
      local function caller()
         lvl(2)
      end
      local _, e3 = pcall(caller)
      local _, e4 = pcall(error, 'x', 'notanumber')
      return e1, e2, e3, e4
    """
    r = lua(code)
    line = code.split("\n").index("         lvl(2)") + 1
    assert r[0].startswith("/usr/local/share/lua/5.1/nn/Container.lua:67: \n"
                           "In 1 module of nn.Sequential:\nbad input\nstack traceback:")
    assert r[1] == "bad input"
    # a Lua caller at that level keeps its position (the chunk's line of `lvl(2)`)
    assert r[2].endswith(":%d: at level" % line) and "[compat]" not in r[2]
    # the builtin's own argument check, named as LuaJIT names a function pcall called
    assert r[3] == "bad argument #2 to '?' (number expected, got string)"


def test_a_lua_module_in_a_container_is_unnamed_in_the_traceback():
    # Container.lua's rethrowErrors calls module[funcName](module, ...) inside xpcall, and its
    # handler appends debug.traceback(): LuaJIT names a function called through an indexed
    # slot by its definition, `in function <file:line>` (it read `in function 'f'`, the local
    # of the layer's call)
    code = """
      require 'nn'
      local M = torch.class('nn.TbNameS12', 'nn.Module')
      function M:updateOutput(input)
         error('tb')
      end
      local s = nn.Sequential():add(nn.TbNameS12())
      local _, e = pcall(function() return s:forward(torch.ones(2)) end)
      return e
    """
    e = lua(code)
    lines = code.split("\n")
    defined = lines.index("      function M:updateOutput(input)") + 1
    raised = defined + 1
    frames = e.split("stack traceback:\n", 1)[1].split("\n")
    assert frames[0] == "\t[C]: in function 'error'"
    assert frames[1].endswith(":%d: in function <%s:%d>" % (
        raised, frames[1].split(":")[0].strip(), defined))


def test_cmdline_string_concats_the_arguments_up_to_luajits_length():
    # CmdLine.lua's string(): arguments[narg] = 'key=value' for each positional argument not
    # ignored, then table.concat(arguments, ','), which walks 1..#arguments: with the second
    # of three ignored, #{[1]=a, [3]=c} is 1 (the array part holds 1..2 and its last slot is
    # nil) and a3 is left out; with the first ignored, #{[2]=b, [3]=c} is 3 and concat meets
    # nil at index 1 (LuaJIT's "invalid value (nil) at index 1 in table for 'concat'")
    r = lua("""
      local cmd = torch.CmdLine()
      cmd:option('-seed', 1, 's')
      cmd:argument('a1', 'x') cmd:argument('a2', 'y') cmd:argument('a3', 'z')
      local p = cmd:parse({'A', 'B', 'C'})
      local all = cmd:string('e', p, {})
      local no2 = cmd:string('e', p, {a2 = true})
      local ok, err = pcall(cmd.string, cmd, 'e', p, {a1 = true})
      local no12 = cmd:string('e', p, {a1 = true, a2 = true})
      return all, no2, ok, err, no12
    """)
    assert r[0] == "e,a1=A,a2=B,a3=C,"
    assert r[1] == "e,a1=A,"
    assert r[2] is False and r[3].endswith("invalid value (nil) at index 1 in table for 'concat'")
    assert r[4] == "e"


def test_table_layout_length_is_luajits_border():
    # lj_tab_len: t = {} then t[2] = x: the rehash puts 2 in an array part of 3 slots (0..2),
    # whose last slot is set: # is 2; 1 then 3: the array part has 5 slots (0..4), the last nil,
    # and the binary search (lo 0, hi 4: slot 2 nil, slot 1 set) gives 1; 1..4 then 6: 9 slots
    # (0..8), the last nil: slots 4 and 6 set, 7 nil, so 6 (a border, though 5 is nil)
    from torch7py.luaorder import TableLayout

    def length(keys):
        lay = TableLayout()
        for k in keys:
            lay.set(("n", float(k)))
        return lay.length()
    assert length([2]) == 2
    assert length([1, 3]) == 1
    assert length([1, 2, 3, 4, 6]) == 6
    assert length([]) == 0
