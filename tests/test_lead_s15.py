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


def test_integer_storages_read_any_string_with_strtol(tmp_path):
    # luaG_(checkreal) of Byte...Long: a string goes to strtol(s, NULL, 0) with no check that
    # it is a number ('x' is 0, '12abc' is 12, '-7z' is -7); float types take luaL_checknumber.
    # The original Torch7 printed these (a local build, session 15).
    import subprocess
    import sys
    script = tmp_path / "s.lua"
    script.write_text("""
local s = torch.LongStorage(3):fill(5)
print(pcall(function() s[2] = 'x' end)); print(s[2])
print(pcall(function() s[2] = '12abc' end)); print(s[2])
print(pcall(function() return torch.ByteStorage(2):fill('abc')[1] end))
print(pcall(function() local c = torch.CharStorage(2); c[1] = '-7z'; return c[1] end))
print(pcall(function() return torch.FloatStorage(2):fill('x') end))
print(pcall(function() local d = torch.DoubleStorage(2); d[1] = 'x' end))
print(pcall(function() local t = torch.LongTensor(3); t[2] = 'x' end))
""")
    out = subprocess.run([sys.executable, "-m", "compat.th", str(script)], capture_output=True,
                         text=True, cwd=str(tmp_path)).stdout
    assert out == ("true\t\n0\t\ntrue\t\n12\t\ntrue\t0\t\ntrue\t-7\t\n"
                   "false\tbad argument #2 to '?' (number expected, got string)\t\n"
                   "false\tbad argument #3 to '?' (number expected, got string)\t\n"
                   "false\tbad argument #3 to '?' (torch.*Tensor expected, got string)\t\n")
