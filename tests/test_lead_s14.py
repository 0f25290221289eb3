"""Mechanisms the lead fixed in session 14 (docs/luajit_compat.md)."""
import pytest

from luatest import th_script

pytest.importorskip("lupa")


def test_length_in_a_chunk_with_its_own_environment(tmp_path):
    # LUA52COMPAT's `#` is the layer's rewrite of each `#e` (compat/len52.py); a chunk run in an
    # environment of its own (load's fourth argument, setfenv: Penlight's comprehension and
    # template compile so) must still take lengths: `#` of a 3-item list is 3 (a fact of Lua),
    # and where the environment reaches the layer's globals through __index, a table's __len
    # is honoured as LJ_52's lj_meta_len does (its result, 42, is what the metamethod returns)
    r = th_script("""
local f = load("local t = {1, 2, 3}; return #t, #('ab' .. 'c')", "x", "t", {})
print(f())
local g = loadstring("local t = {1, 2}; return #t")
setfenv(g, {})
print(g())
local h = load("return #setmetatable({}, {__len = function() return 42 end})", "y", "t",
               setmetatable({}, {__index = _G}))
print(h())
""", tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:3] == ["3\t3\t", "2\t", "42\t"]
