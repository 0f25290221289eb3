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


def test_setmetatable_table_becomes_a_module_of_a_lua_class_on_nn():
    # dpnn's Serial:write turns its state tables back into modules with torch.setmetatable,
    # then calls nn.Module's type on the nn.Serial one: luaT gives the table the class's
    # metatable, so the table is the object (its own fields, every inherited method)
    r = lua("""
      require 'nn'
      local Foo, parent = torch.class('nn.S10Foo', 'nn.Decorator')
      function Foo:__init(m) parent.__init(self, m) end
      local inner = {}
      for k, v in pairs(nn.Linear(3, 4)) do inner[k] = v end
      local t = {modules = {inner}, output = torch.Tensor(), gradInput = torch.Tensor(),
                 train = true, _type = 'torch.DoubleTensor', module = inner}
      torch.setmetatable(inner, 'nn.Linear')
      local name = torch.setmetatable(t, 'nn.S10Foo')
      t:type('torch.FloatTensor')
      local keys = {}
      for k in pairs(t) do keys[#keys + 1] = k end
      table.sort(keys)
      local y = t:forward(torch.FloatTensor(3):fill(1))
      return name, torch.type(inner.weight), torch.type(t.output), y:size(1),
             torch.isTypeOf(t, 'nn.Decorator'), torch.isTypeOf(inner, 'nn.Module'),
             torch.isTypeOf(t, 'nn.Linear'), table.concat(keys, ','), rawget(t, 'train'),
             next(inner) ~= nil""")
    assert r == ("nn.S10Foo", "torch.FloatTensor", "torch.FloatTensor", 4, True, True, False,
                 "_type,gradInput,module,modules,output,train", True, True)


def test_setmetatable_of_a_lua_root_class_keeps_the_table():
    # a torch.class of its own has only Lua methods: the table itself gets the metatable
    r = lua("""
      local Foo = torch.class('S10Root')
      function Foo:get() return self.x end
      local t = {x = 5}
      torch.setmetatable(t, 'S10Root')
      return t:get(), rawget(t, 'x'), torch.typename(t)""")
    assert r == (5, 5, "S10Root")


def test_clone_runs_a_lua_classs_write_and_read():
    # Module.lua's clone writes the module to a MemoryFile and reads it back, so File.lua
    # calls the class's own write(file) and read(file); their fields are what read set
    r = lua("""
      require 'nn'
      local Foo, parent = torch.class('nn.S10Ser', 'nn.Decorator')
      local log = {}
      function Foo:write(file)
        log[#log + 1] = 'write ' .. torch.type(file)
        local state = {}
        for k, v in pairs(self) do state[k] = v end
        state.output = state.output.new()     -- an empty buffer in the copy
        state.written = true
        file:writeObject(state)
      end
      function Foo:read(file, version)
        log[#log + 1] = 'read'
        for k, v in pairs(file:readObject()) do self[k] = v end
      end
      local m = nn.S10Ser(nn.Linear(2, 3))
      m:forward(torch.ones(2))
      local c = m:clone()
      local crit = nn.MSECriterion():clone()
      return table.concat(log, ';'), torch.type(c), c.written, c.output:nElement(),
             m.output:nElement(), m.written, torch.type(c.modules[1]),
             c.modules[1].weight ~= m.modules[1].weight,
             c.modules[1].weight:equal(m.modules[1].weight), torch.type(crit)""")
    assert r == ("write torch.MemoryFile;read", "nn.S10Ser", True, 0, 3, None, "nn.Linear",
                 True, True, "nn.MSECriterion")


def test_decorator_decorate_gives_a_class_decorators_methods():
    # Decorator.lua's decorate(class): rnn's BiSequencer (a Container) takes Decorator's
    # forward, backward and __tostring__ so
    r = lua("""
      require 'nn'
      local B, parent = torch.class('nn.S10Deco', 'nn.Container')
      function B:__init(m) parent.__init(self); self.modules[1] = m end
      nn.Decorator.decorate(B)
      local b = nn.S10Deco(nn.Linear(2, 3))
      local y = b:forward(torch.ones(2))
      local gi = b:backward(torch.ones(2), torch.ones(3))
      return tostring(b), y:size(1), gi:size(1), y == b.modules[1].output""")
    assert r == ("nn.S10Deco @ nn.Linear(2 -> 3)", 3, 2, True)


def test_moses_array_functions():
    # moses 1.6's documented results
    r = lua("""
      local _ = require 'moses'
      local function s(t)
        return table.concat(_.map(t, function(k, v) return tostring(v) end), ',')
      end
      local a = {7, 8, 9}
      local p1, p2 = _.pop(a, 2)
      local b = {1, 2, 3}
      local u = _.unshift(b)
      return s(_.compact({1, false, 2, 'x'})), s(_.slice({1, 2, 3, 4, 5}, 2, 4)),
             s(_.slice({1, 2, 3}, 2)), s(_.initial({1, 2, 3, 4})),
             s(_.removeRange({1, 2, 3, 4, 5}, 2, 3)),
             p1 .. p2 .. s(a), u .. '|' .. s(b), s(_.difference({1, 2, 3, 4}, {2, 4})),
             s(_.union({1, 2}, {2, 3}, {3, 4})), s(_.intersection({1, 2, 3}, {2, 3, 4}, {3, 2})),
             _.concat({1, 'a', true}, '-'), _.sortBy({{v = 3}, {v = 1}, {v = 2}}, 'v')[1].v,
             _.findIndex({5, 6, 7}, function(i, v) return v > 5 end), _.find({4, 5, 6}, 6),
             s(_.pull({1, 2, 1, 3}, 1)),
             s(_.selectWhile({2, 4, 5, 6}, function(i, v) return v % 2 == 0 end)),
             s(_.dropWhile({2, 4, 5, 6}, function(i, v) return v % 2 == 0 end)),
             _.sortedIndex({1, 3, 5}, 4), _.isunique({1, 2, 1}), _.has({a = 1}, 'a'),
             s(_.functions({b = print, a = print, c = 1}))""")
    assert r == ("1,2,x", "2,3,4", "2,3", "1,2,3", "1,4,5", "78" + "9", "3|1,2", "1,3",
                 "1,2,3,4", "2,3", "1-a-true", 1, 2, 3, "2,3", "2,4", "5,6", 3, False, True,
                 "a,b")


def test_rawset_on_an_object_bypasses_its_classs_own_newindex():
    # classic's torch.Object: __newindex ends in rawset(self, name, value); lua_rawset writes
    # the field without the metatable (here it recursed without end)
    r = lua("""
      local O = torch.class('S10Obj')
      local seen = {}
      function O:__newindex(k, v) seen[#seen + 1] = k; rawset(self, k, v) end
      function O:__index(k)
        local c = rawget(self, '_class')
        return c and c[k]
      end
      local o = S10Obj()
      rawset(o, '_class', {get = function() return 42 end})
      o.y = 3
      return o:get(), rawget(o, 'y'), o.y, table.concat(seen, ',')""")
    assert r == (42, 3, 3, "y")


def test_file_is_writable_object():
    # File.lua's isWritableObject: the type index writeObject would write
    r = lua("""
      local f = torch.MemoryFile()
      return {f:isWritableObject(nil), f:isWritableObject(false), f:isWritableObject(3),
              f:isWritableObject('a'), f:isWritableObject({}),
              f:isWritableObject(torch.Tensor()), f:isWritableObject(function() end),
              f:isWritableObject(math.floor) or 'nil', f:isWritableObject(io.stdout) or 'nil'}""")
    # (th's print is trepl's Lua function, which string.dump dumps; math.floor is LuaJIT's own)
    assert r == [0, 5, 1, 2, 3, 4, 8, "nil", "nil"]


def test_a_classs_operator_read_then_replaced():
    # luaT puts its operators raw in every class metatable; classic keeps Object.__eq and
    # replaces it with a function that calls the kept one, which looks for __eq__ only
    r = lua("""
      local A = torch.class('S10Op')
      function A:__init(x) self.x = x end
      local default = A.__eq
      A.__eq = function(p, q)
        if rawget(p, 'cmp') then return p.x == q.x end
        return default(p, q)
      end
      local a, b = S10Op(1), S10Op(1)
      local before = a == b
      a.cmp, b.cmp = true, true
      return type(default), before, a == a, a == b, type(A.__add), A.nothing""")
    assert r == ("function", False, True, True, "function", None)


def test_a_field_written_back_with_a_hole_stays_a_list():
    # dpnn's sharedClone empties a container's modules table of its recurrent modules
    # (modules[1] = nil), writes each field back (obj.modules = <the same table>), clones,
    # then puts the module back: the container's modules is a list again, as in Lua
    r = lua("""
      require 'nn'
      local s = nn.Sequential():add(nn.Identity()):add(nn.Tanh())
      local first = s.modules[1]
      for k, v in pairs(s) do
        if k == 'modules' then v[1] = nil; s[k] = v end
      end
      local c = s:clone()
      c.modules[1] = first:clone()
      s.modules[1] = first
      local y = c:forward(torch.zeros(2))
      local y2 = s:forward(torch.zeros(2))
      return #c.modules, #s.modules, torch.type(c.modules[1]), y:size(1), y2:sum()""")
    assert r == (2, 2, "nn.Identity", 2, 0)


def test_gmodule_backward_after_a_script_wrote_its_node_tables_back():
    # dpnn's sharedClone walks every table of a gModule and writes each field back; the
    # split node's gradOutput table then came back as a Lua table, and SplitTable received
    # {[2] = g} (the 'Recursor.lua:25: 0' of rnn's FastLSTM with nngraph)
    import numpy as np
    r = lua("""
      require 'nngraph'
      torch.manualSeed(3)
      local x = nn.Identity()()
      local n1, n2 = nn.SplitTable(2)(nn.Reshape(2, 3)(x)):split(2)
      local g = nn.gModule({x}, {nn.CAddTable()({nn.Tanh()(n1), n2})})
      local inp, go = torch.randn(4, 6), torch.randn(4, 3)
      g:forward(inp)
      g:backward(inp, go)
      for _, node in ipairs(g.backwardnodes) do
        for k, v in pairs(node.data) do node.data[k] = v end
      end
      g:forward(inp)
      local gi = g:backward(inp, go)
      return inp:totable(), go:totable(), gi:totable()""")
    x, go, gi = (np.array(v) for v in r)
    expect = np.concatenate([go * (1 - np.tanh(x[:, :3]) ** 2), go], axis=1)
    assert np.allclose(gi, expect, atol=1e-12)


def test_clone_keeps_every_key_of_a_list_with_a_hole():
    # Module.lua's clone writes and reads the modules table whole: keys 1 and 3 of a list
    # whose 2 was taken out (dpnn's sharedClone of a Sequential holding an LSTM) both come
    # back, and the copy is a list again once 2 is filled
    import math
    r = lua("""
      require 'nn'
      local s = nn.Sequential():add(nn.Identity()):add(nn.Tanh()):add(nn.Identity())
      local mid = s.modules[2]
      s.modules[2] = nil
      s.modules = s.modules
      local c = s:clone()
      local ks = {}
      for k in pairs(c.modules) do ks[#ks + 1] = k end
      table.sort(ks)
      c.modules[2] = mid:clone()
      s.modules[2] = mid
      local y = c:forward(torch.Tensor{0.5})
      return table.concat(ks, ','), #c.modules, y[1], torch.type(c.modules[3])""")
    assert r[0] == "1,3" and r[1] == 3 and r[3] == "nn.Identity"
    assert abs(r[2] - math.tanh(0.5)) < 1e-15


def test_class_nll_of_a_vector_reads_the_first_target():
    # THNN's ClassNLLCriterion with a 1-D input: cur_target = target[0], no size check
    r = lua("""
      require 'nn'
      local c = nn.ClassNLLCriterion()
      local x = torch.Tensor{-1.5, -0.25, -2}
      local l = c:forward(x, torch.IntTensor{2, 3})
      local g = c:backward(x, torch.IntTensor{2, 3})
      local l3 = c:forward(x, torch.LongTensor{3, 1})
      return l, g:totable(), l3, pcall(c.forward, c, x, torch.LongTensor(2, 2):fill(1))""")
    assert r[:3] == (0.25, [0, -1, 0], 2)
    assert r[3] is False and r[4].endswith("multi-target not supported")
