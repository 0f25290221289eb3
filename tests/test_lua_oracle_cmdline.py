"""torch.CmdLine where the differential checker (tools/diff_torch.py, CmdLine.lua run beside
ours) found us apart: expectations read off CmdLine.lua."""
import pytest

import torch7py as torch


def test_help_writes_an_empty_help_string():
    # `if option.help then io.write(' ' .. option.help) end`: '' is true in Lua
    cmd = torch.CmdLine()
    cmd.option("-lr", 0.1, "")
    cmd.option("-n", 5)
    cmd.argument("data", "")
    import io
    cmd.out = io.StringIO()
    cmd.help()
    assert cmd.out.getvalue() == ("Usage: [options] <data>\n"
                                  "  -lr     [0.1]\n"  # padded to 6, ' ' .. '', ' [0.1]'
                                  "  -n     [5]\n"
                                  "  <data> \n")


def test_string_defaults_and_lua_equality():
    cmd = torch.CmdLine()
    cmd.option("-save", False, "a flag")
    cmd.option("-n", 1, "a number")
    import io
    cmd.out = io.StringIO()
    # `prefix = prefix or ''`; 0 ~= false and true ~= 1 in Lua, so both differ from defaults
    assert cmd.string(None, {"save": 0, "n": True}, {}) == ",n=t,save=0"
    assert cmd.out.getvalue() == "save\t0\tfalse\nn\tt\t1\n"  # params order
    assert cmd.string(None, {"n": 1}, {}) == ""


def test_string_of_a_boolean_argument_fails_as_in_lua():
    cmd = torch.CmdLine()
    cmd.argument("data")
    with pytest.raises(TypeError, match="attempt to concatenate local 'v' \\(a boolean value\\)"):
        cmd.string("run", {"data": True}, {})
