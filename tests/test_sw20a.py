"""Session 20's sweep of repo-style model code (sw20a): custom classes, their serialization and
clone, nn.utils. Every expectation is what the original Torch7 (/tmp/ref7: LuaJIT 2.1.0-beta2,
torch7 814ea4a, nn 8726825) printed for the same code."""
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.serialization import SerializationError

from luatest import th_script

# File.lua's errors name the file by its machine path: keep from the file name on
_STRIP = "local function msg(e) return (tostring(e):gsub('^.*/([%w_]+%.lua:)', '%1')) end\n"


# -- nn.utils.clear takes any table as self -----------------------------------------------------
# utils.lua's clear indexes self[f]: a plain Lua table is cleared as a module is (a tensor is
# emptied in place, a table becomes {}, anything else nil; nil and false are left)

def test_utils_clear_of_a_plain_table(tmp_path):
    r = th_script(
        "require 'nn'\n"
        "local w = torch.ones(3)\n"
        "local m = {a = w, b = 5, c = {1}, d = 'x', e = false, h = {x = 1}, n = nn.Tanh()}\n"
        "local r = nn.utils.clear(m, 'a', 'b', 'c', 'd', 'e', 'h', 'n', 'zz')\n"
        "print(r == m, m.a == w, w:nElement(), m.b, #m.c, m.d, m.e, next(m.h), m.n)\n"
        "local t = {l = {1, 2}, s = 's'}\n"
        "nn.utils.clear(t, {'l', 's'})\n"
        "print(#t.l, t.s)\n"
        "local o = nn.Linear(2, 2)\n"
        "o.h = {x = 1}; o.f = function() end; o.st = torch.LongStorage(2)\n"
        "nn.utils.clear(o, 'h', 'f', 'st', 'weight')\n"
        "print(next(o.h), o.f, o.st, o.weight:nElement())\n", tmp_path)
    # the original printed:
    assert r.stdout == ("true\ttrue\t0\tnil\t0\tnil\tfalse\tnil\tnil\t\n"
                        "0\tnil\t\n"
                        "nil\tnil\tnil\t0\t\n"), r.stderr


def test_utils_clear_of_a_python_dict():
    w = torch.ones(3)
    d = {"a": w, "b": 5, "c": [1], "h": {"x": 1}}
    assert nn.utils.clear(d, "a", "b", "c", "h") is d
    assert d["a"] is w and w.nElement() == 0
    assert d["b"] is None and d["c"] == [] and d["h"] == {}


# -- nn.Module's write: a field File.lua cannot write fails -------------------------------------
# Module.lua defines write: `file:writeObject(object)` of a plain table of its fields, with no
# debugname ('<?>'); an unwritable field fails in that writeObject. A criterion or a class of
# torch.class's has no write: File.lua skips the field with its '$ Warning'

def test_module_with_an_unwritable_field_fails_to_save(tmp_path):
    r = th_script(
        "require 'nn'\n" + _STRIP +
        "local m = nn.Linear(2, 3)\n"
        "m.timer = torch.MemoryFile()\n"
        "local ok, e = pcall(torch.serialize, {net = m})\n"
        "print(ok, msg(e))\n"
        "local c = nn.MSECriterion()\n"
        "c.timer = torch.MemoryFile()\n"
        "local ok, s = pcall(torch.serialize, {crit = c})\n"
        "print(ok, torch.type(torch.deserialize(s).crit.timer))\n"
        "local V = torch.class('Vx')\n"
        "local v = Vx(); v.f = math.abs; v.n = 1\n"
        "print(torch.deserialize(torch.serialize({v}))[1].n)\n"
        "local T = torch.class('nn.TmpM', 'nn.Module')\n"
        "local t = nn.TmpM(); t.fn = math.floor\n"
        "print(msg(select(2, pcall(torch.serialize, t))))\n"
        "print(msg(select(2, pcall(function() return t:clone() end))))\n"
        "local seq = nn.Sequential():add(nn.Linear(1, 1)); seq.modules[1].fn = math.floor\n"
        "print(msg(select(2, pcall(function() return seq:clone() end))))\n"
        "print(msg(select(2, pcall(torch.save, os.tmpname(), seq))))\n", tmp_path)
    # the original printed:
    assert r.stdout == (
        "false\tFile.lua:141: Unwritable object <userdata> at <?>.net.<?>.timer\t\n"
        "$ Warning: cannot write object field <timer> of <nn.MSECriterion> <?>.crit\t\n"
        "true\tnil\t\n"
        "$ Warning: cannot write object field <f> of <Vx> <?>.1\t\n"
        "1\t\n"
        "File.lua:141: Unwritable object <function> at <?>.<?>.fn\t\n"
        "File.lua:141: Unwritable object <function> at <?>.<?>.fn\t\n"
        "File.lua:141: Unwritable object <function> at <?>.<?>.modules.1.<?>.fn\t\n"
        "File.lua:141: Unwritable object <function> at <?>.<?>.modules.1.<?>.fn\t\n"), r.stderr


def test_python_module_with_an_unwritable_field():
    m = nn.Linear(2, 3)
    m.timer = torch.MemoryFile()
    with pytest.raises(SerializationError,
                       match=r"^Unwritable object <userdata> at <\?>\.net\.<\?>\.timer$"):
        torch.serialize({"net": m})


# -- clone copies a Lua function as File.lua writes it ------------------------------------------
# Module:clone writes to a MemoryFile and reads back: a function is string.dump'ed with its
# upvalues' values, and read as a new closure over copies of them (a later change of the
# original's upvalue does not reach the clone); a C function cannot be written

def test_clone_of_a_module_holding_a_closure(tmp_path):
    r = th_script(
        "require 'nn'\n"
        "local F, parent = torch.class('nn.FuncLayer', 'nn.Module')\n"
        "function F:__init(f) parent.__init(self); self.f = f end\n"
        "function F:updateOutput(x) self.output = x:clone():apply(self.f); return self.output end\n"
        "local k = 3\n"
        "local m = nn.FuncLayer(function(v) return v * k + 1 end)\n"
        "local c = m:clone()\n"
        "local net = nn.Sequential():add(m)\n"
        "local cn = net:clone()\n"
        "k = 10\n"
        "local x = torch.range(1, 3)\n"
        "print(m:forward(x)[3], c:forward(x)[3], cn:forward(x)[3], c.f == m.f, torch.type(c))\n"
        "local shared = {n = 0}\n"
        "local function inc() shared.n = shared.n + 1; return shared.n end\n"
        "local g = nn.FuncLayer(inc); g.state = shared\n"
        "local gc = g:clone()\n"
        "print(gc.f(), gc.f(), gc.state.n, shared.n, gc.state == shared)\n", tmp_path)
    # the original printed:
    assert r.stdout == ("31\t10\t10\tfalse\tnn.FuncLayer\t\n"
                        "1\t2\t2\t0\tfalse\t\n"), r.stderr
