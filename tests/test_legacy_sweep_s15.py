"""Mechanisms found by running public legacy Torch7 code through th (session 14, helper
legacysweep15, see docs/legacy_sweep.md); expectations from Torch7's C sources (Storage.c,
Tensor.c, TensorOperator.c, luaT.c: lua_isnumber / luaL_checknumber take a string that Lua
converts to a number) and LuaJIT's own tonumber."""
import math

from luatest import lua_undone as lua

from torch7py.messages import lua_tonumber


def test_lua_tonumber_reads_strings_as_luajit_does():
    # lj_strscan: decimal and hex (with a binary exponent), inf/nan, C spaces around; the
    # values are LuaJIT's tonumber's (printed by th for each string)
    cases = {"infinity": math.inf, "Inf": math.inf, "-inf": -math.inf, "+1": 1,
             "0x1.8p1": 3, "1e+2": 100, "  5  ": 5, "5\n": 5, "\t5": 5, "0X1A": 26,
             "0x.8": 0.5, "0x1P-1": 0.5, "1e400": math.inf, "0x1.8": 1.5, "-0x10": -16}
    for s, v in cases.items():
        assert lua_tonumber(s) == v, s
    for s in ["0x10p", "++1", " ", "", "1ll", "1i", "0x", "1_0", "0xp1", "1e"]:
        assert lua_tonumber(s) is None, s
    assert math.isnan(lua_tonumber("-nan"))


def test_storage_from_a_table_of_numeric_strings():
    # Storage.c's constructor checks each element with lua_isnumber (csvigo's raw mode hands
    # out the fields of a csv file as strings), then stores lua_tonumber's value
    r = lua("""
      local s = torch.DoubleStorage{'6.1101', ' 17.592 ', '0x10'}
      local l = torch.LongStorage{'3', 4}
      local ok, e = pcall(torch.DoubleStorage, {'1', 'x'})
      return s[1], s[2], s[3], l[1], l[2], ok, e
    """)
    assert r[:6] == (6.1101, 17.592, 16, 3, 4, False)
    assert r[6].endswith("element at index 2 is not a number")


def test_numeric_string_keys_index_tensors_and_storages():
    # luaT_mt__index / __newindex call the class's __index__ / __newindex__ first, and those
    # test the key with lua_isnumber: x['2'] is x[2] (a row of a matrix), s['1'] = v sets
    r = lua("""
      local x = torch.Tensor{{1, 2}, {3, 4}}
      local row = x['2']
      x['1'] = 7
      local s = torch.DoubleStorage{5, 6}
      s['2'] = 9
      local v = torch.Tensor{10, 20, 30}
      return row[1], row[2], x[1][1], x[1][2], s['1'], s[2], v[' 3 '], v['0x2'],
             x['abc'], type(x['size'])
    """)
    assert r == (3, 4, 7, 7, 5, 9, 30, 20, None, "function")


def test_tensor_operators_take_numeric_strings():
    # TensorOperator.c: __add/__sub/__mul read the number with luaL_checknumber (luaG_checkreal),
    # __div/__mod with lua_isnumber + lua_tonumber
    # (a string on the left is another matter: luaT_mt__sub asks the string's own metatable,
    # which has no __sub__: the original printed "both (null) and torch.DoubleTensor have no
    # substraction operator" for '10' - x, and likewise for ' 2 ' * x; session 20, sw20c)
    r = lua("""
      local x = torch.Tensor{6, 8}
      local a, d = x + '1', x / '2'
      local e = x % '0x5'
      local ok1, e1 = pcall(function() return x + 'abc' end)
      local ok2, e2 = pcall(function() return x / 'abc' end)
      local ok3, e3 = pcall(function() return '10' - x end)
      local ok4, e4 = pcall(function() return ' 2 ' * x end)
      return a[1], d[2], e[1], e[2], ok1, e1, ok2, e2, ok3, e3:match('both.*'), ok4,
             e4:match('both.*')
    """)
    assert r == (7, 4, 1, 3,
                 False, "bad argument #2 to '?' (number expected, got string)",
                 False, "bad argument #2 to '?' (number expected)",
                 False, "both (null) and torch.DoubleTensor have no substraction operator",
                 False, "both (null) and torch.DoubleTensor have no multiplication operator")


def test_sizes_given_as_numeric_strings():
    # Tensor.c's constructor reads its first argument by lua_type (a number, not '2': the
    # original printed "bad argument #1 to '?' (expecting number or torch.DoubleTensor or
    # torch.DoubleStorage)"), the sizes after it with luaL_checklong (c_readSizeStride), which
    # take '3'; torch_checklongargs (resize) takes '2' as 2; nn.View's torch.LongStorage too
    ok, msg = lua("return pcall(function() return torch.Tensor('2', '3') end)")
    assert ok is False and msg == ("bad argument #1 to '?' (expecting number or "
                                   "torch.DoubleTensor or torch.DoubleStorage)")
    r = lua("""
      require 'nn'
      local a = torch.Tensor(2, '3')
      local b = torch.Tensor():resize('4', ' 0x2 ')
      local v = nn.View('2', '0x2'):forward(torch.Tensor(4))
      local s = torch.Tensor(1, 3):squeeze('1')  -- cwrap's index argument: lua_isnumber
      local ok, e = pcall(function() return torch.Tensor(2, 'x') end)
      return a:size(1), a:size(2), b:size(1), b:size(2), v:size(1), v:size(2), s:dim(), ok
    """)
    assert r == (2, 3, 4, 2, 2, 2, 1, False)


def test_index_table_stops_at_an_entry_that_is_no_number_or_table():
    # Tensor.c's __index__/__newindex__ walk the index table with lua_rawgeti: a number
    # selects, a table narrows ({i, j}: an end that is no number keeps its default), anything
    # else ends the walk -- the dimensions taken so far are the result. itlab-vision's
    # pedestrian-detection writes `net.w1[{{-1}, torch.gt(net.w1[{{-1}, {}}], -0.1)}] = -0.1`,
    # which fills the whole last row in Torch7.
    r = lua("""
      local x = torch.Tensor(3, 4):zero()
      x[{{-1}, x[{{-1}, {}}]:ge(0)}] = -0.1
      local row = x[{2, torch.ByteTensor{1}}]
      local whole = x[{'abc'}]
      local part = x[{{'2', '3'}, {'x', 2}}]
      local all = x[{{'x'}, 1}]
      local ok, e = pcall(function() return x[{{2}, true, 3}] end)
      return x:sum(), x[3][1], x[2][4], row:dim(), row:size(1), whole:size(1), whole:size(2),
             part:size(1), part:size(2), part[2][2], all:size(1), ok, e
    """)
    assert r[:12] == (-0.4, -0.1, 0, 1, 4, 3, 4, 2, 2, -0.1, 3, False)
    assert r[12].endswith("too many indices provided)")


def test_function_definitions_count_as_stores_of_a_run(tmp_path):
    # torch's tutorials' dataset-mnist.lua (and akashmehra/kaggle's copy) build
    # `local dataset = {}; dataset.data = ...; dataset.labels = ...` then define
    # `function dataset:normalize`, `:normalizeGlobal`, `:size` in that order: that is the
    # insertion order, so pairs() (th's print of the table) follows Torch7's LuaJIT table
    # layout fed with it -- computed here with torch7py.luaorder's model directly.
    from luatest import th_script
    from torch7py.luaorder import TableLayout
    p = th_script("""
      local function load()
         local data, labels = torch.zeros(2, 3), torch.zeros(2)
         local dataset = {}
         dataset.data = data
         dataset.labels = labels
         function dataset:normalize(mean_, std_)
            local mean = mean_ or data:view(data:size(1), -1):mean(1)
            return mean
         end
         function dataset:normalizeGlobal(mean_, std_)
            return data:std()
         end
         function dataset:size()
            return data:size(1)
         end
         return dataset
      end
      local keys = {}
      for k in pairs(load()) do keys[#keys + 1] = k end
      print(table.concat(keys, ' '))
    """, tmp_path)
    assert p.returncode == 0, p.stderr
    lay = TableLayout()
    for k in ["data", "labels", "normalize", "normalizeGlobal", "size"]:
        lay.set(("s", k.encode()))
    expected = " ".join(k[1].decode() for k in lay.order())
    assert p.stdout.split("\t")[0].strip() == expected


def test_lua_class_aliasing_shared_acc_update_to_module_default():
    # A Lua class copying `X.sharedAccUpdateGradParameters = X.accUpdateGradParameters`
    # (SoniyaSmug/torchModules' LinearCentered, written for an older nn whose Linear did so)
    # stores Module.lua's dispatcher as its shared variant. In nn 8726825 share() only sets
    # the `shared` flags, so after m2:share(m1, 'weight') m1:accUpdateGradParameters calls
    # itself through the alias: the reference Torch7 stops with LuaJIT's 'stack overflow'
    # (torch7py once stopped the recursion and updated the weight)
    r = lua("""
      require 'nn'
      local L, parent = torch.class('nn.LegacySweep15Lin', 'nn.Module')
      function L:__init(i, o)
        parent.__init(self)
        self.weight = torch.Tensor(o, i); self.bias = torch.Tensor(o)
        self.gradWeight = torch.Tensor(o, i):zero(); self.gradBias = torch.Tensor(o):zero()
      end
      function L:accGradParameters(input, gradOutput, scale)
        self.gradWeight:addmm(scale or 1, gradOutput:t(), input)
      end
      L.sharedAccUpdateGradParameters = L.accUpdateGradParameters
      local m1 = nn.LegacySweep15Lin(3, 2)
      m1.weight:copy(torch.Tensor{{1, 2, 3}, {4, 5, 6}})
      local m2 = m1:clone()
      local x = torch.Tensor{{1, 0, 2}, {0, 1, 1}}
      local g = torch.Tensor{{1, -1}, {2, 0.5}}
      m1:accUpdateGradParameters(x, g, 0.1)   -- not shared yet: Module.lua's default
      local w = m1.weight:clone()
      m2:share(m1, 'weight')
      local ok, e = pcall(function() m1:accUpdateGradParameters(x, g, 0.1) end)
      return w:storage():totable(), ok, e
    """)
    import numpy as np
    w = np.array([[1, 2, 3], [4, 5, 6]], float)
    x = np.array([[1, 0, 2], [0, 1, 1]], float)
    g = np.array([[1, -1], [2, 0.5]], float)
    got = [r[0][i] for i in sorted(r[0])] if isinstance(r[0], dict) else list(r[0])
    assert np.allclose(got, (w - 0.1 * g.T @ x).ravel().tolist(), rtol=0, atol=1e-12)
    assert r[1:] == (False, "stack overflow")

def test_recursion_through_python_calls_reports_luajits_stack_overflow():
    # a Lua module whose updateOutput calls forward again recurses in Lua alone in Torch7
    # (nn's Module.lua), which LuaJIT stops with its own message (LJ_ERR_STKOV, "stack
    # overflow"); here the loop goes through Python calls, whose limit said "maximum
    # recursion depth exceeded"
    r = lua("""
      require 'nn'
      local L, parent = torch.class('nn.LegacySweep15Loop', 'nn.Module')
      function L:updateOutput(input) self.output = self:forward(input); return self.output end
      local ok, e = pcall(function() return nn.LegacySweep15Loop():forward(torch.Tensor(2)) end)
      local function f(n) return f(n + 1) + 1 end
      local ok2, e2 = pcall(f, 1)
      return ok, e, ok2, e2
    """)
    assert r[0] is False and r[2] is False
    assert r[3].endswith(": stack overflow")  # LuaJIT's own, for a Lua recursion
    assert r[1].endswith("stack overflow") and "recursion" not in r[1]
