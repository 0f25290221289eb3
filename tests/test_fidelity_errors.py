"""A Lua error value that is no string (a table, a tensor) raised inside a Lua function that
Python calls (optim's feval, Tensor:apply's function) reaches the Lua pcall around the Python
call as the same value, as in Torch7 where the error never leaves Lua."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime


@pytest.fixture
def rt():
    return LuaRuntime()


def test_table_error_through_python_calls(rt):
    r = rt.execute("""
        require 'optim'
        local err = {code = 1}
        local out = {}
        local ok, e = pcall(function()
           torch.Tensor(2):apply(function() error(err) end)
        end)
        out[1] = tostring(ok); out[2] = tostring(e == err)
        ok, e = pcall(optim.sgd, function(x) error(err) end, torch.Tensor(2), {})
        out[3] = tostring(ok); out[4] = tostring(e == err)
        local t = torch.Tensor(1)
        ok, e = pcall(optim.sgd, function(x) error(t) end, torch.Tensor(2), {})
        out[5] = tostring(e == t)
        -- two Python calls deep: a Lua feval inside a Lua feval
        ok, e = pcall(optim.sgd, function(x)
           optim.sgd(function(y) error(err) end, torch.Tensor(2), {})
        end, torch.Tensor(2), {})
        out[6] = tostring(e == err)
        return out
    """)
    assert list(r) == ["false", "true", "false", "true", "true", "true"]


def test_string_errors_and_tracebacks_unchanged(rt):
    r = rt.execute("""
        require 'optim'
        local ok, e = pcall(optim.sgd, function(x) error('boom') end, torch.Tensor(2), {})
        local ok2, tb = xpcall(function() error({}) end, debug.traceback)
        local function f() local s = debug.traceback('m', 1); return s end
        local first = f():match('\\n\\t([^\\n]*)')
        return {(e:gsub('^[^:]*:%d+: ', '')), type(tb), first}
    """)
    assert r[0] == "boom"
    assert r[1] == "table"  # debug.traceback returns a non-string message as it is
    assert r[2].endswith(":5: in function 'f'")  # level 1 is the caller of debug.traceback


def test_traceback_without_a_message_is_the_traceback(rt):
    # LuaJIT's debug.traceback() is "stack traceback:\n..." (nn's Container.lua appends it to
    # the error of a failing module inside xpcall's handler); the wrapper that notes error
    # values must not pass the missing message on as an explicit nil, which LuaJIT returns as is
    # (lib_debug.c: a message that is no string comes back when there is one: the real
    # LuaJIT 2.1.0-beta2 prints nil for debug.traceback(nil, 1))
    r = rt.execute("""
        local a = debug.traceback()
        local b = debug.traceback(nil, 1)
        local ok, c = xpcall(function() error('boom') end,
                             function(e) return e .. '\\n' .. debug.traceback() end)
        return {type(a), a:sub(1, 16), type(b), c:match('boom\\nstack traceback:') ~= nil}
    """)
    assert list(r) == ["string", "stack traceback:", "nil", True]
