"""Mechanisms found by running public legacy Torch7 code through th (session s9, helper
legacysweep7, see docs/legacy_sweep.md); expectations from the original sources' rules."""
import pytest
from luatest import th_script


def lua(code):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime().execute(code)


def test_every_object_answers_its_class_constructor_as_new(tmp_path):
    # luaT_lua_newmetatable sets metatable.new = the constructor, and an object's __index is
    # its metatable: m.new(...) builds another object of m's class (soumith/net2net.torch's
    # `m2 = m.new(n, n)` on a Linear or a SpatialConvolution); an own field comes first
    r = th_script("""
require 'nn'
local m = nn.Linear(3, 4)
print(m.new == nn.Linear.new, tostring(m.new(2, 5)))
local c = nn.SpatialConvolution(2, 3, 3, 3)
print(tostring(c.new(3, 3, 3, 3, 1, 1, 1, 1)))
local F, parent = torch.class('nn.Foo9', 'nn.Module')
function F:__init(n) parent.__init(self); self.n = n end
local f = nn.Foo9(3)
print(f.new(7).n, f.new == nn.Foo9.new, type(nn.Foo9.new), torch.type(f.new(1)))
print(torch.type(torch.Timer().new()), torch.type(torch.Tensor(2).new(3)))
m.new = 5
print(m.new)
""", tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [
        "true\tnn.Linear(2 -> 5)\t",
        "nn.SpatialConvolution(3 -> 3, 3x3, 1,1, 1,1)\t",
        "7\ttrue\tfunction\tnn.Foo9\t",
        "torch.Timer\ttorch.DoubleTensor\t",
        "5\t", ""]
