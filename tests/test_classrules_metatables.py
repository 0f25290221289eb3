"""Class metatables as luaT makes them (lib/luaT/luaT.c, luaT_lua_newmetatable): every
metatable holds __typename, __metatable, __version (1 unless the class sets its own), the
default operators, `new` (the constructor), __constructor (the class table) and __factory
when the class has one; its metatable is the parent's metatable, so luaT_typename of a class's
metatable is its parent's name and tostring (luaT_mt__tostring through the parent's
metatable: the parent's __tostring__, else that name) gives the parent's name, while a root's
metatable and a class table (its metatable, the constructor metatable, has no __tostring)
print as plain tables. trepl's print then prints `tostring(obj)` when getmetatable(obj) has a
__tostring. nn's Module.lua, Container.lua and Threshold.lua define no __tostring__."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.fixture(scope="module")
def rt():
    r = LuaRuntime()
    r.execute("require 'nn'")
    return r


@pytest.mark.parametrize("name,text", [
    ("nn.Linear", "nn.Module"), ("nn.ReLU", "nn.Threshold"), ("nn.Sequential", "nn.Container"),
    ("torch.MemoryFile", "torch.File"), ("torch.PipeFile", "torch.DiskFile")])
def test_a_class_metatable_prints_as_its_parent(rt, name, text):
    r = rt.execute("local mt = torch.getmetatable('%s')\n"
                   "return tostring(mt), torch.typename(mt), torch.type(mt)" % name)
    assert r == (text, text, text)


@pytest.mark.parametrize("name", ["nn.Module", "torch.DoubleTensor", "torch.Timer",
                                  "torch.File"])
def test_a_root_metatable_is_a_plain_table(rt, name):
    r = rt.execute("local mt = torch.getmetatable('%s')\n"
                   "return tostring(mt), torch.typename(mt) == nil, type(mt)" % name)
    assert r[0].startswith("table: 0x") and r[1:] == (True, "table")


def test_a_class_table_is_a_plain_table(rt):
    r = rt.execute("return tostring(nn.Linear), torch.typename(nn.Linear) == nil")
    assert r[0].startswith("table: 0x") and r[1] is True


def test_lua_classes_follow_the_same_rule(rt):
    r = rt.execute("""
      local A = torch.class('ClassrulesMtA')
      local B = torch.class('ClassrulesMtB', 'ClassrulesMtA')
      return tostring(A):match('^table: 0x') ~= nil, tostring(B), torch.typename(B),
             torch.typename(A) == nil""")
    assert r == (True, "ClassrulesMtA", "ClassrulesMtA", True)


def test_luaT_fields_of_a_metatable(rt):
    r = rt.execute("""
      local L, T = torch.getmetatable('nn.Linear'), torch.getmetatable('torch.Timer')
      local B = torch.getmetatable('nn.BatchNormalization')
      return type(rawget(L, '__factory')), rawget(T, '__factory') == nil,
             rawget(torch.getmetatable('torch.File'), '__factory') == nil,
             type(rawget(torch.getmetatable('torch.DoubleTensor'), '__factory')),
             rawget(L, '__version'), rawget(B, '__version'),
             torch.version(nn.BatchNormalization(2)),
             torch.version(nn.Linear(2, 2)), rawget(L, '__constructor') == nn.Linear,
             type(rawget(L, 'new')), rawget(L, '__typename'), rawget(L, '__metatable') == L""")
    # (torch.Timer's metatable has a __factory once nn is loaded: Profile.lua's
    # makeTorchTimerSerializable sets it, as the reference shows)
    assert r == ("function", False, True, "function", 1, 2, 2, 1, True, "function",
                 "nn.Linear", True)


def test_pairs_over_a_metatable_lists_luaTs_fields_and_the_methods(rt):
    r = rt.execute("""
      local seen = {}
      for k, v in pairs(torch.getmetatable('nn.Linear')) do
         assert(seen[k] == nil, 'twice: ' .. tostring(k))
         seen[k] = type(v)
      end
      local t = {}
      for k in pairs(torch.getmetatable('torch.Timer')) do t[k] = true end
      return seen.__typename, seen.__version, seen.__factory, seen.__constructor, seen.new,
             seen.updateOutput, seen.__init, t.__factory == nil, t.__typename, t.time""")
    # (Timer's __factory: set by Profile.lua once nn is loaded, as in the reference)
    assert r == ("string", "number", "function", "table", "function", "function", "function",
                 False, True, True)


def test_th_prints_a_class_metatable_as_torch7(tmp_path):
    import subprocess
    import sys
    script = tmp_path / "p.lua"
    script.write_text("require 'nn'\nprint(torch.getmetatable('nn.Linear'))\n"
                      "print(torch.getmetatable('nn.Tanh'))\n")
    out = subprocess.run([sys.executable, "-m", "compat.th", str(script)], capture_output=True,
                         text=True, timeout=120)
    assert out.stdout == "nn.Module\nnn.Module\n"
