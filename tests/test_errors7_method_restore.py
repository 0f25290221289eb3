"""Saving a class's method and putting it back from Lua (`local old = nn.Module.write;
nn.Module.write = f; ...; nn.Module.write = old`, what nn's own Module:clone does on every
call) leaves the class as it was: in Torch7 the constructor table reads and writes the
metatable, so `old` is the function itself. The bridge used to hand Lua a fresh wrapper of the
Python method on each read and store a Python wrapper of that wrapper on each write: one more
level per save and restore, until a method call ran out of Python's recursion depth (the error
sweep met it after ~10,000 calls of the original nn's clone)."""
import sys

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

# more save/restore cycles than the recursion limit allows nested Python frames
CYCLES = sys.getrecursionlimit() + 200


@pytest.fixture()
def rt():
    r = LuaRuntime()
    r.execute("require 'nn'")
    yield r
    r.undo_class_edits()


def test_python_class_method_restored_many_times(rt):
    rt.execute("""
      for i = 1, %d do
        local old = nn.Module.float
        nn.Module.float = function() return 'replaced' end
        nn.Module.float = old
      end""" % CYCLES)
    assert rt.execute("return torch.type(nn.Linear(2, 2):float().weight)") == "torch.FloatTensor"
    assert rt.execute("local old = nn.Module.float; nn.Module.float = old; "
                      "return nn.Module.float == old") is True


def test_tensor_metatable_method_restored_many_times(rt):
    rt.execute("""
      for i = 1, %d do
        local mt = torch.getmetatable('torch.DoubleTensor')
        local old = mt.mul
        mt.mul = function() end
        mt.mul = old
      end""" % CYCLES)
    assert rt.execute("return torch.ones(3):mul(2):sum()") == 6.0


def test_lua_class_write_restored_like_nn_clone(rt):
    # nn.Module:clone's pattern on a Lua class: the write method swapped for a closure, the
    # object written, the old one put back; afterwards a nested object still serializes
    rt.execute("""
      errors7 = {}
      local Box = torch.class('errors7.Box')
      function Box:__init(inner) self.inner = inner end
      function Box:write(file)
        local object = {}
        for k, v in pairs(self) do object[k] = v end
        file:writeObject(object)
      end
      function Box:read(file)
        for k, v in pairs(file:readObject()) do self[k] = v end
      end
      function Box:clone()
        local oldWrite = errors7.Box.write
        errors7.Box.write = function(self, file) oldWrite(self, file) end
        local f = torch.MemoryFile('rw'):binary()
        f:writeObject(self)
        f:seek(1)
        local c = f:readObject()
        f:close()
        errors7.Box.write = oldWrite
        return c
      end
      local b = errors7.Box(errors7.Box(7))
      for i = 1, %d do b:clone() end
      B = b""" % CYCLES)
    assert rt.execute("return B:clone().inner.inner") == 7
    assert rt.execute("local f = torch.MemoryFile('rw'); B:write(f); f:seek(1); "
                      "return f:readObject().inner.inner") == 7


def test_class_edit_reaches_subclass_reads(rt):
    # nn.Linear.float reads nn.Module's float once nn.Module's changed (a metatable chain)
    assert rt.execute("""
      local before = nn.Linear.float
      local f = function() return 'x' end
      nn.Module.float = f
      return nn.Linear.float == f and before ~= f""") is True


def test_lua_function_stored_on_python_class_reads_back_as_itself(rt):
    assert rt.execute("""
      local f = function(self) return 1 end
      nn.Module.errors7probe = f
      return nn.Module.errors7probe == f and nn.Linear(1, 1):errors7probe() == 1""") is True
