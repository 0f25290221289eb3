"""utils.c's luaT functions in th (isequal, version, isatty, getenv/setenv,
updateerrorhandlers), with the results luaT.c's code gives."""
import os

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


def test_isequal_version_env():
    rt = LuaRuntime()
    r = rt.execute("""
        require 'nn'
        local a = torch.Tensor(3)
        local t = {}
        local e = {x = 1}
        torch.setenv(a, e)
        local f = function() end
        local Foo = torch.class('UtilsFoo')
        return {torch.isequal(a, a), torch.isequal(a, torch.Tensor(3)), torch.isequal({}, {}),
                torch.isequal(t, t), torch.isequal(1, 1),
                torch.version(a), torch.version(nn.Linear(2, 3)), torch.version(UtilsFoo()),
                select('#', torch.version({})),
                torch.getenv(a) == e, next(torch.getenv(torch.Tensor())) == nil,
                torch.getenv(f) == _G, select('#', torch.updateerrorhandlers()),
                select(2, pcall(torch.version)), select('#', torch.version(nil))}
    """)
    # luaT_lua_isequal: same userdata pointer, or rawequal tables, else false; luaT's
    # newmetatable sets __version = 1; lua_getmetatable fails on a bare table: no value
    # luaL_checkany: no argument is an error, an explicit nil is not
    assert r == [True, False, False, True, False, 1, 1, 1, 0, True, True, True, 0,
                 "bad argument #1 to 'version' (value expected)", 0]


def test_isatty():
    rt = LuaRuntime()
    r = rt.execute("""
        local ok, msg = pcall(torch.isatty, 3)
        return {torch.isatty(io.stdout), ok, msg}
    """)
    assert r == [os.isatty(1), False,
                 "bad argument #1 to 'isatty' (FILE* expected, got number)"]
