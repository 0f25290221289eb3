"""Helpers for tests that run Lua code in torch7py's runtime (import after
pytest.importorskip("lupa"))."""
from compat.runtime import LuaRuntime


def trepl_runtime(requires):
    """A runtime set up as th's (trepl's globals) that has run `requires` (Lua code)."""
    r = LuaRuntime()
    r.enable_trepl()
    r.execute(requires)
    return r


def lua_error(rt, code):
    """The message of the error `code` raises, without its file:line prefix."""
    ok, msg = rt.execute("return pcall(function() %s end)" % code)
    assert ok is False, msg
    prefix = "(command line):1: "
    return msg[len(prefix):] if msg.startswith(prefix) else msg


def lua(code, capsys):
    """Runs `code` in a fresh Lua runtime; returns (results, stdout)."""
    capsys.readouterr()
    r = LuaRuntime().execute(code)
    return r, capsys.readouterr().out
