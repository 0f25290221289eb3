"""Lead fixes of the fifteenth landing."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


def test_xlua_progress_state_belongs_to_its_lua_state(capsys):
    # xlua keeps its bar's state in upvalues of its own chunk (barDone, previous): a bar that
    # ended at 2/2 makes the next 2/2 in the same Lua state print only '\r' (xlua/init.lua:
    # not a new bar, since percent is not below previous), while a fresh Lua state starts
    # a new bar
    bar = " [" + "=" * 45 + ">] "
    first = LuaRuntime()
    first.execute("require 'xlua'; xlua.progress(2, 2)")
    assert capsys.readouterr().out.startswith(bar)
    first.execute("xlua.progress(2, 2)")
    assert capsys.readouterr().out == "\r"
    second = LuaRuntime()
    second.execute("require 'xlua'; xlua.progress(2, 2)")
    out = capsys.readouterr().out
    assert out.startswith(bar) and out.endswith(" 2/2 \n\r")
