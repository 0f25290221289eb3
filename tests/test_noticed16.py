"""Differences from Torch7 that the fourteenth landing noticed, fixed as rules. The expected
texts are what the reference Torch7 (LuaJIT 2.1.0-beta2, torch7 814ea4a, nn 8726825, installed
under /tmp/ref7/share/lua/5.1/, shown here under the goldens' /usr/local/share/lua/5.1/) printed
for the same Lua lines; the line numbers are those of the originals' error calls."""
import pytest

from luatest import lua_error, lua_undone as lua, trepl_runtime

P = "/usr/local/share/lua/5.1/"


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'; require 'optim'; require 'nngraph'; require 'xlua'")


# -- 1. an error raised by Torch7's Lua code starts with its file:line ----------------------

@pytest.mark.parametrize("code, want", [
    # error(msg) in nn's Lua files (level 1: the line of the error call)
    ("nn.View(4, 2):forward(torch.Tensor(7):zero())",
     "nn/View.lua:47: input view (7) and desired view (4x2) do not match"),
    ("nn.Linear(3, 4):forward(torch.Tensor(2, 2, 2))",
     "nn/Linear.lua:69: input must be vector or matrix"),
    ("nn.Dropout(2)", "nn/Dropout.lua:12: <Dropout> illegal percentage, must be 0 <= p < 1"),
    ("nn.ReLU6(3)", "nn/ReLU6.lua:13: in-place flag must be boolean"),
    ("nn.HardTanh(1, 2, 3)", "nn/HardTanh.lua:9: in-place flag must be boolean"),
    ("nn.HardTanh(2, 1)", "nn/HardTanh.lua:11: max_value must be larger than min_value"),
    ("nn.SelectTable(3):forward({1})",
     "nn/SelectTable.lua:17: index does not exist in the input table"),
    ("nn.SpatialReflectionPadding(1, 1, 1, 1):forward(torch.Tensor(3))",
     "nn/SpatialReflectionPadding.lua:18: input must be 3 or 4-dimensional"),
    # Tensor.lua's view, reached from nn.Reshape or directly
    ("nn.Reshape(5):forward(torch.Tensor(2, 3):zero())",
     "torch/Tensor.lua:466: Wrong size for view. Input size: 2x3. Output size: 2x5"),
    ("torch.Tensor(6):view(4)",
     "torch/Tensor.lua:466: Wrong size for view. Input size: 6. Output size: 4"),
    ("torch.totable(3)", "torch/init.lua:166: obj must be a Storage or a Tensor"),
    ("torch.class()", "torch/init.lua:84: <class name> [<parent class name>] [<module table>] "
                      "expected"),
    ("torch.setdefaulttensortype('foo')",
     "torch/init.lua:116: <foo> is not a string describing a torch object"),
    # CmdLine.lua, Tester.lua, TestSuite.lua
    ("torch.CmdLine():option('-x')", "torch/CmdLine.lua:97: option -x has no default value"),
    ("torch.CmdLine():option('-x', 1, 'h', 'string')",
     "torch/CmdLine.lua:101: option -x has wrong default type value"),
    ("torch.CmdLine():addTime('x', 3)", "torch/CmdLine.lua:79: Argument has to be string"),
    ("local t = torch.TestSuite(); t.a = function() end; t.a = function() end",
     "torch/TestSuite.lua:15: Test a is already defined."),
    ("local t = torch.TestSuite(); t.b = {}",
     "torch/TestSuite.lua:19: Nested tables of tests are not supported"),
    ("local t = torch.Tester(); t:add(function() end, 'x'); t:add(function() end, 'x')",
     "torch/Tester.lua:324: Test with name x already exists!"),
    ("torch.Tester():eq(1, 1, {})",
     "torch/Tester.lua:118: bad argument #2 to 'error' (number expected, got table)"),
    # THNN's errors come through THNN.lua's wrapper (line 110)
    ("nn.MSECriterion():forward(torch.Tensor(3), torch.Tensor(2))",
     "nn/THNN.lua:110: input and target have different number of elements: input[3] has 3 "
     "elements, while target[2] has 2 elements"),
    ("nn.ClassNLLCriterion():forward(torch.Tensor(3), 5)",
     "nn/THNN.lua:110: Assertion `cur_target >= 0 && cur_target < n_classes' failed. "),
    ("nngraph.nest(true)", "nngraph/nest.lua:13: what is this in the nest input? true"),
    # TH's and LuaJIT's errors at a line of nn's Lua carry that line (luaL_error's level 1)
    ("nn.Linear(3, 4):forward(torch.Tensor(5):zero())",
     "nn/Linear.lua:57: size mismatch, [4 x 3], [5]"),
    ("nn.Linear(3, 4):forward(torch.Tensor(2, 5):zero())",
     "nn/Linear.lua:66: size mismatch, m1: [2 x 5], m2: [3 x 4]"),
    ("local l = nn.Linear(3, 4); l:forward(torch.Tensor(2, 3):zero()); "
     "l:backward(torch.Tensor(2, 3):zero(), torch.Tensor(2, 5):zero())",
     "nn/Linear.lua:86: size mismatch, m1: [2 x 5], m2: [4 x 3]"),
    ("nn.Linear(3, 4):forward(3)", "nn/Linear.lua:54: attempt to index local 'input' (a number "
                                   "value)"),
    # LuaJIT 2.1's assert(v, msg) names its caller's line too (lj_err_callermsg)
    ("nn.Kmeans(0, 2)", "nn/Kmeans.lua:12: Clusters cannot be 0 or negative."),
    ("nn.MultiMarginCriterion(3)", "nn/MultiMarginCriterion.lua:5: only p=1 and p=2 supported"),
    ("nn.Normalize()", "nn/Normalize.lua:5: p-norm not provided"),
    ("nn.Constant({})", "nn/Constant.lua:16: Expecting number or tensor at arg 1"),
    ("nn.MapTable():add(nn.Linear(2, 2)):add(nn.Linear(2, 2))",
     "nn/MapTable.lua:37: Single module required"),
    ("nn.TemporalDynamicKMaxPooling(2):forward(torch.Tensor(2, 2, 2, 2))",
     "nn/TemporalDynamicKMaxPooling.lua:29: Only 2D or 3D(batch mode) accepted"),
    ("nn.AddConstant({}):forward(torch.Tensor(2))",
     "nn/AddConstant.lua:15: input is not scalar or doesn't match with the dimension of "
     "constant!"),
    # optim's Lua and xlua.error (xlua 41308fe's init.lua:321), optim.Logger's through it
    ("optim.nag(function(x) return 0, x end, torch.zeros(2), {momentum = 0})",
     "optim/nag.lua:40: Momentum must be positive for Nesterov Accelerated Gradient"),
    ("optim.ConfusionMatrix(3):batchAdd(torch.Tensor(2, 2, 2), torch.Tensor(2))",
     "optim/ConfusionMatrix.lua:85: predictions has invalid number of dimensions"),
    ("xlua.error('boom', 'dom')", "xlua/init.lua:321: \x1b[1;31m<dom> boom\x1b[0m"),
    ("local l = optim.Logger(); l:setNames{'a'}; l:add({true})",
     "xlua/init.lua:321: \x1b[1;31m<Logger> can only log numbers and strings\x1b[0m"),
])
def test_lua_errors_carry_the_original_position(rt, code, want):
    assert lua_error(rt, code) == P + want


def test_container_rethrow_is_raised_at_container_lua(rt):
    # Container:rethrowErrors's `error(ret)` (Container.lua:67) puts its position before
    # '\nIn 2 module of ...', so a script's gsub('^.-:%d+: ', '') strips just that; the inner
    # message keeps its own position (View.lua:47), an inner container's is dropped
    msg = lua_error(rt, "nn.Sequential():add(nn.Linear(4, 4)):add(nn.View(3))"
                        ":forward(torch.Tensor(4):zero())")
    head = msg.split("\nstack traceback:")[0]
    assert head == (P + "nn/Container.lua:67: \nIn 2 module of nn.Sequential:\n"
                    + P + "nn/View.lua:47: input view (4) and desired view (3) do not match")
    msg = lua_error(rt, "nn.Sequential():add(nn.Sequential():add(nn.Linear(2, 2))"
                        ":add(nn.Dropout(0.5)):add(nn.View(3))):forward(torch.Tensor(2))")
    assert msg.split("\nstack traceback:")[0] == (
        P + "nn/Container.lua:67: \nIn 1 module of nn.Sequential:\nIn 3 module of "
        "nn.Sequential:\n" + P + "nn/View.lua:47: input view (2) and desired view (3) do not "
        "match")
    assert msg.endswith("Please use only the one above.")
    # a script's lazy strip now removes only the first position
    stripped = rt.execute("""
      local ok, e = pcall(function()
         return nn.Sequential():add(nn.View(3)):forward(torch.Tensor(4))
      end)
      return (e:gsub('^.-:%d+: ', ''))""")
    assert stripped.startswith("\nIn 1 module of nn.Sequential:\n" + P + "nn/View.lua:47: ")


def test_positions_stay_out_of_python_texts():
    # the Lua layer adds the position; Python's message is Torch7's text alone
    import torch7py as torch
    from torch7py import nn
    with pytest.raises(Exception) as e:
        nn.View(4, 2).forward(torch.zeros(7))
    assert str(e.value) == "input view (7) and desired view (4x2) do not match"
    assert e.value.lua_where == "nn/View.lua:47"


def test_errors_torch7_raises_in_c_or_with_level_0_carry_none(rt):
    # luaT's metamethods and C functions called from C: no position; a plain error(msg, 0)
    assert lua_error(rt, "local t = torch.Tensor(2); return t[5]") == \
        "bad argument #2 to '?' (out of range)"
    assert lua_error(rt, "error('x', 0)") == "x"


# -- 5. jit.version and os.setlocale as Torch7's th reports them -----------------------------

def test_jit_version_is_beta2s():
    assert lua("return jit.version, jit.version_num") == ("LuaJIT 2.1.0-beta2", 20100)


def test_setlocale_reports_the_c_locale_until_set():
    # luajit never calls setlocale: every category is "C" (this process's Python set LC_CTYPE
    # from the environment, which the reference's os.setlocale() does not see)
    r = lua("""
      local a, b = os.setlocale(), os.setlocale(nil, 'numeric')
      local c = os.setlocale(nil, 'ctype')
      local ok, e = pcall(os.setlocale, nil, 'bogus')
      local ok2, e2 = pcall(os.setlocale, {})
      local d = os.setlocale('C', 'numeric')
      return a, b, c, ok, e, ok2, e2, d, os.setlocale(), tostring(os.setlocale)""")
    assert r == ("C", "C", "C", False, "bad argument #2 to '?' (invalid option 'bogus')",
                 False, "bad argument #1 to '?' (string expected, got table)", "C", "C",
                 "function: builtin#128")


# -- 4. share() and a Lua class's accUpdateGradParameters -----------------------------------

def test_shared_lua_class_keeps_its_own_acc_update():
    # Module.lua (nn 8726825): share() sets the `shared` flags only; Module's
    # accUpdateGradParameters dispatches on the flag to the object's
    # sharedAccUpdateGradParameters, and a class's own accUpdateGradParameters is found first,
    # shared or not (the reference printed: own nil / own true, own shared / own true, own
    # shared; Q own 0.1 twice, its weight untouched)
    r = lua("""
      require 'nn'
      local calls = {}
      local L, parent = torch.class('nn.Noticed16Lin', 'nn.Linear')
      function L:accUpdateGradParameters(input, gradOutput, lr)
         calls[#calls + 1] = 'own ' .. tostring(self.shared)
         return parent.accUpdateGradParameters(self, input, gradOutput, lr)
      end
      function L:sharedAccUpdateGradParameters(input, gradOutput, lr)
         calls[#calls + 1] = 'own shared'
         return parent.sharedAccUpdateGradParameters(self, input, gradOutput, lr)
      end
      local m1 = nn.Noticed16Lin(3, 2)
      local m2 = m1:clone()
      local x, g = torch.ones(2, 3), torch.ones(2, 2)
      m1:forward(x)
      m1:accUpdateGradParameters(x, g, 0.1)
      m2:share(m1, 'weight')
      m1:accUpdateGradParameters(x, g, 0.1)
      m1:backwardUpdate(x, g, 0.1)
      local Q, qp = torch.class('nn.Noticed16Q', 'nn.Module')
      function Q:__init() qp.__init(self); self.weight = torch.ones(2)
         self.gradWeight = torch.zeros(2) end
      function Q:accGradParameters(i, go, s) calls[#calls + 1] = 'accGrad' end
      function Q:accUpdateGradParameters(i, go, lr) calls[#calls + 1] = 'Q own ' .. lr end
      local c = nn.Noticed16Q(); local d = c:clone(); d:share(c, 'weight')
      c:accUpdateGradParameters(torch.ones(2), torch.ones(2), 0.1)
      c:backwardUpdate(torch.ones(2), torch.ones(2), 0.1)
      return table.concat(calls, '|'), c.weight:sum(), m1.weight:storage() == m2.weight:storage()
    """)
    assert r == ("own nil|own true|own shared|own true|own shared|Q own 0.1|Q own 0.1", 2,
                 True)


# -- 2. the `#` rewrite's helpers are no globals --------------------------------------------

def test_len52_helpers_are_chunk_locals(tmp_path):
    # beta2 has no __L52/__L52c: pairs(_G), _G[...] and pairs(string) show none (the reference
    # printed `0 nil nil nil`); `#` still honours __len (LJ_52's lj_meta_len: 42), also in a
    # chunk with an environment of its own, and line numbers stay those of the source
    from luatest import th_script
    r = th_script("""local n = 0
for k in pairs(_G) do if tostring(k):find('L52') then n = n + 1 end end
for k in pairs(string) do if tostring(k):find('L52') then n = n + 1 end end
print(n, _G['__L52'], rawget(_G, '__L52c'), getmetatable(string))
local t = setmetatable({}, {__len = function() return 42 end})
print(#t, #{1, 2, 3}, #'abc')
print(load("local t = {1, 2, 3}; return #t, #('ab' .. 'c')", "x", "t", {})())
print(load("return #T", "y", "t", {T = t})())
local x = 5
print(pcall(function() return #x end))
print(debug.getinfo(1, 'l').currentline)
""", tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [
        "0\tnil\tnil\tnil\t", "42\t3\t3\t", "3\t3\t", "42\t",
        "false\ts.lua:10: attempt to get length of upvalue 'x' (a number value)\t", "11\t", ""]


# -- 3. nn's Lua-only modules on TH's integer types -----------------------------------------

_INT_CASES = [
    # (constructor, input), what the reference printed for a LongTensor module and input:
    # the output's sum and the gradInput's sum for a gradOutput of ones (C's truncating
    # integer division: Mean's column sums 11 14 10 13 / 3 -> 3 4 3 4), or the error
    ("nn.Mean(1)", "seq(3, 4)", (14, 0)),
    ("nn.Mean(2)", "seq(3, 4)", (11, 0)),
    ("nn.Sum(1, nil, true)", "seq(3, 4)", (14, 0)),
    ("nn.CDivTable()", "{seq(2, 3), seq(2, 3):add(1)}", (0, 0)),
    ("nn.SoftSign()", "seq(2, 3)", (0, 0)),
    ("nn.Linear(3, 2)", "seq(2, 3)", (0, 0)),
    ("nn.MulConstant(0.5)", "seq(2, 3)", (0, 0)),
    ("nn.MulConstant(-1)", "seq(2, 3)", (-27, -6)),
    ("nn.AddConstant(2.5)", "seq(2, 3)", (39, 6)),
    ("nn.Power(2)", "seq(2, 3)", "attempt to call method 'pow' (a nil value)"),
    ("nn.SpatialCrossMapLRN(3)", "seq(1, 4, 2, 2)", "attempt to call method 'pow' (a nil value)"),
    ("nn.Exp()", "seq(2, 3)", "attempt to call method 'exp' (a nil value)"),
    ("nn.Log()", "seq(2, 3)", "attempt to call method 'log' (a nil value)"),
]


@pytest.mark.parametrize("ctor, x, want", _INT_CASES)
def test_integer_modules_compute_as_th(ctor, x, want):
    r = lua("""
      require 'nn'
      local function seq(...)
         local t, i = torch.Tensor(...), 0
         t:apply(function() i = i + 1; return (i %% 7) + 1 end)
         return t
      end
      local function long(v)
         if torch.isTensor(v) then return v:long() end
         local r = {}
         for i, y in ipairs(v) do r[i] = long(y) end
         return r
      end
      local function total(v)
         if torch.isTensor(v) then return v:double():sum() end
         local s = 0
         for _, y in ipairs(v) do s = s + total(y) end
         return s
      end
      local function ones(v)
         if torch.isTensor(v) then return v:clone():fill(1) end
         local r = {}
         for i, y in ipairs(v) do r[i] = ones(y) end
         return r
      end
      torch.manualSeed(1)
      local m = %s:type('torch.LongTensor')
      local x = long(%s)
      local ok, y = pcall(function() return m:forward(x) end)
      if not ok then return (tostring(y):gsub('^.-:%%d+: ', '')) end
      return total(y), total(m:backward(x, ones(y)))
    """ % (ctor, x))
    assert r == want


def test_byte_crelu_wraps_as_th():
    # CReLU's MulConstant(-1) on bytes: TH casts -1 to 255 (the reference: 249,253,251,247)
    r = lua("""
      require 'nn'
      local m = nn.MulConstant(-1):type('torch.ByteTensor')
      return table.concat(m:forward(torch.ByteTensor{7, 3, 5, 9}):totable(), ',')""")
    assert r == "249,253,251,247"
