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
