"""Mechanisms found by running public legacy Torch7 code through th (session s10, helper
legacysweep8, see docs/legacy_sweep.md); expectations from the original sources' rules."""
from luatest import lua_undone as lua, th_script


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


def test_th_require_tries_a_failed_name_again_relative_to_the_current_directory(tmp_path):
    # trepl's require: when Lua's require fails, require('./' .. name) is tried (relative to
    # the current directory, as the caller is pcall), so a file path given without './'
    # loads (dofile: run again at each require); when that fails too, Lua's error stands
    sub = tmp_path / "models"
    sub.mkdir()
    (sub / "net.lua").write_text("print('loading net'); return 'N'")
    (tmp_path / "Sampler.lua").write_text("Sampler = 'S'")
    r = th_script("""
print(require 'models/net.lua')
print(require 'models/net.lua', package.loaded['models/net.lua'])
require 'Sampler.lua'
print(Sampler)
print(pcall(require, 'no_such_module_s10'))
require 'no_such_module_s10'
""", tmp_path)
    # (th's print ends each value with a tab)
    assert r.stdout == ("loading net\t\nN\t\nloading net\t\nN\tnil\t\nS\t\n"
                        "false\tmodule 'no_such_module_s10' not found\t\n")
    assert r.returncode == 1
    assert r.stderr.startswith("s.lua:7: module 'no_such_module_s10' not found")


def test_torch_class_errors_name_init_lua_102():
    # luaT_lua_newmetatable raises them with luaL_error, whose luaL_where(L, 1) names the Lua
    # line that called it: torch.class's call at torch/init.lua:102 (the original built here
    # printed these with its install prefix): wrongu/deep-learning's nn.Maxout, a class nn
    # 8726825 has already
    r = lua("""
      require 'nn'
      local _, a = pcall(torch.class, 'nn.Linear', 'nn.Module')
      local _, b = pcall(function() return torch.class('nn.Maxout', 'nn.Sequential') end)
      local _, c = pcall(torch.class, 'nn.S10Zork', 'nn.S10NoParent')
      -- eladhoffer/DataProvider.torch's test.lua, without the package's table
      local _, d = pcall(function() return torch.class('S10Pkg.F', 'S10Pkg.C') end)
      return a, b, c, d
    """)
    at = "/usr/local/share/lua/5.1/torch/init.lua:102: "
    assert r == (at + "class nn.Linear has been already assigned a parent class\n",
                 at + "class nn.Maxout has been already assigned a parent class\n",
                 at + "bad argument #2 (invalid parent class name nn.S10NoParent)",
                 at + ("while creating metatable S10Pkg.F: bad argument #1 (S10Pkg is an "
                       "invalid module name)"))


def test_rawset_on_a_torch_class_object_skips_its_class_newindex():
    # a torch.class object is a table in Torch7: rawset writes the field, even when the class
    # defines its own __newindex (deepmind/classic's torch.Object:__newindex ends in
    # rawset(self, name, value); it recursed until the stack overflowed)
    r = lua("""
      local B = torch.class('S10RawB')
      function B:__init() rawset(self, 'v', 5) end
      function B:__newindex(k, v) rawset(self, k, v * 2) end
      local o = S10RawB()
      o.w = 3
      return o.v, o.w, rawget(o, 'w')
    """)
    assert r == (5, 6, 6)


def test_a_torch_class_answers_luaT_default_operators():
    # luaT_newlocalmetatable puts luaT_mt__eq, __add, ... raw in every class metatable:
    # reading one gives a function that asks the class's __eq__ (and otherwise does luaT's
    # default), which a script may keep and call from the operator it writes in its place
    r = lua("""
      local A = torch.class('S10OpA')
      function A:__init(x) self.x = x end
      local default = A.__eq
      local kinds = type(A.__eq) .. ' ' .. type(A.__add) .. ' ' .. type(A.__tostring)
      local calls = 0
      A.__eq = function(a, b) calls = calls + 1; return default(a, b) end
      local a, b = S10OpA(1), S10OpA(1)
      local before = (a == b)
      function A:__eq__(o) return self.x == o.x end
      local after = (a == b)
      return kinds, before, after, calls
    """)
    assert r == ("function function function", False, True, 2)


def test_file_is_writable_object():
    # File.lua's isWritableObject: the type index writeObject would write (TYPE_NIL 0,
    # NUMBER 1, STRING 2, TABLE 3, TORCH 4, BOOLEAN 5, RECUR_FUNCTION 8), nil otherwise
    r = lua("""
      require 'nn'
      local f = torch.MemoryFile('rw')
      return {f:isWritableObject(nil), f:isWritableObject(1.5), f:isWritableObject('s'),
              f:isWritableObject({}), f:isWritableObject(torch.Tensor(2)),
              f:isWritableObject(nn.Linear(2, 2)), f:isWritableObject(false),
              f:isWritableObject(function() end), f:isWritableObject(io.stdout) == nil}
    """)
    assert r == [0, 1, 2, 3, 4, 4, 5, 8, True]


def test_len52_rewrite_forms():
    # names, fields and indexes are read twice (LuaJIT's own #e first keeps its messages,
    # with the variable's name); calls and constructors once, in parentheses (no tail call);
    # strings, comments and long brackets are left alone; so are line numbers
    from compat.len52 import safe_rewrite as r
    assert r("print(#t)") == "print((__L52(t, #t)))"
    assert r("n = #self.modules + 1") == "n = (__L52(self.modules, #self.modules)) + 1"
    assert r("x = #obj:parents()") == "x = (__L52c(obj:parents()))"
    assert r("x = #{...}") == "x = (__L52c({...}))"
    assert r("x = #t[#t]") == "x = (__L52(t[(__L52(t, #t))], #t[(__L52(t, #t))]))"
    assert r("s = '#a' .. [[#b]] -- #c") is None
    assert r("n = select('#', ...)") is None
    assert r("y = #t\n.x") == "y = (__L52c(t\n.x))"
    assert r("z = #t ^ 2") is None  # #(t ^ 2): left to LuaJIT
    assert r("s = 'unterminated") is None


def test_len_calls_a_tables_len_metamethod():
    # Torch7's LuaJIT is built with LUA52COMPAT: lj_meta_len calls a table's __len (with the
    # table twice); #tensor is its size; wrongu/deep-learning's zip_tables datasets and classic's ElementList count
    # themselves so. Other values keep LuaJIT's length and its messages.
    r = lua("""
      local t = setmetatable({}, {__len = function(a, b) return rawequal(a, b) and 5 or -1 end})
      local list = setmetatable({}, {__index = {items = function() return t end}})
      local ok1, e1 = pcall(function() local z; return #z end)
      local ok2, e2 = pcall(function() return #(function() end)() end)
      return #t, #list:items(), #{1, 2, 3}, #'abcd', (#torch.Tensor(3))[1], #setmetatable({1, 2}, {}),
             e1, e2
    """)
    assert r == (5, 5, 3, 4, 3, 2,
                 "(command line):4: attempt to get length of local 'z' (a nil value)",
                 "(command line):5: attempt to get length of a nil value")
