"""A Lua -0.0 keeps its sign where Python reads it (lupa reads an integral Lua number, -0.0
included, as the int 0): a Lua function's results, an option table's fields, a table written
with torch.serialize / writeObject."""
import math

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime
from compat.luavalues import LuaTableMapping, LuaFunction


@pytest.fixture
def rt():
    return LuaRuntime()


def _neg(x):
    return x == 0 and math.copysign(1.0, x) < 0


def test_function_results(rt):
    f = rt.lua.execute("return function() return -0.0, 0, -0.0 end")
    r = LuaFunction(f, rt)()
    assert [_neg(x) for x in r] == [True, False, True]
    r = rt.execute("""
        require 'optim'
        local _, fs = optim.sgd(function(x) return -0.0, torch.zeros(2) end, torch.ones(2), {})
        return 1 / fs[1]""")
    assert r == -math.inf


def test_option_table_fields(rt):
    t = rt.lua.execute("return {a = -0.0, b = 0, c = 2}")
    m = LuaTableMapping(t, rt)
    assert _neg(m["a"]) and not _neg(m["b"]) and m["c"] == 2
    assert _neg(m.get("a")) and not _neg(m.get("b"))
    u = LuaTableMapping(rt.lua.execute("return {x = 0}"), rt)
    assert not _neg(u["x"])
    u["y"] = -0.0  # a Python write of -0.0 reads back as -0.0
    assert _neg(u["y"]) and not _neg(u["x"])


def test_tables_written_keep_the_sign(rt):
    r = rt.execute("""
        local t = torch.deserialize(torch.serialize({a = -0.0, b = 0.0}))
        local f = torch.MemoryFile(); f:writeObject({c = -0.0}); f:seek(1)
        return {1 / t.a, 1 / t.b, 1 / f:readObject().c}""")
    assert list(r) == [-math.inf, math.inf, -math.inf]
