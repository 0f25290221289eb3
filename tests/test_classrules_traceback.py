"""A Lua error raised in a Lua method that a Python-implemented method called (a torch.class
module's updateOutput under nn.Module.forward, under nn.Sequential): Torch7 runs everything on
one Lua stack, so debug.traceback in an xpcall handler, th's report of an uncaught error, and
nn's Container:rethrowErrors (handleError's debug.traceback) all list the frames below the
caller's line: `[C]: in function 'error'`, then the Lua method's line. The bridge keeps the
frames of the failure with the error while it crosses Python; a Python function shows as a C
function (it is native code to Lua), and the layer's own frames ([compat]) never show."""
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

SETUP = """require 'nn'
local M = torch.class('nn.ClassrulesTb', 'nn.Module')
function M:updateOutput(input)
   error('boom in updateOutput')
end
"""  # the error() is on line 4


def _frames(tb):
    return tb[tb.index("stack traceback:\n") + len("stack traceback:\n"):].split("\n")


def test_an_xpcall_handler_sees_the_frames_below_the_python_method():
    tb = LuaRuntime().execute(SETUP + """
local m = nn.ClassrulesTb()
local ok, tb = xpcall(function()
   local y = m:forward(torch.randn(2))
   return y
end, function(e) return debug.traceback(e, 2) end)
return tb""", "@t.lua")
    assert tb.startswith("t.lua:4: boom in updateOutput\nstack traceback:\n")
    frames = _frames(tb)
    assert frames[0] == "\t[C]: in function 'error'"
    assert frames[1].startswith("\tt.lua:4: in function")
    # Module.forward is Python: a C function to Lua, named as the script called it
    assert frames[2] == "\t[C]: in function 'forward'"
    assert frames[3].startswith("\tt.lua:9: in function")
    assert not any("[compat]" in f for f in frames)


def test_a_container_notes_the_failure_with_its_frames():
    tb = LuaRuntime().execute(SETUP + """
local s = nn.Sequential():add(nn.ClassrulesTb())
local ok, e = pcall(function() local y = s:forward(torch.randn(2)); return y end)
return e""", "@t.lua")
    head, _, rest = tb.partition("\nWARNING: If you see a stack trace below")
    assert "In 1 module of nn.Sequential:\nt.lua:4: boom in updateOutput\n" in head
    frames = _frames(head)
    assert frames[0] == "\t[C]: in function 'error'"
    assert frames[1].startswith("\tt.lua:4: in function")
    assert "[compat]" not in tb


def test_th_reports_an_uncaught_error_with_the_methods_frame(tmp_path):
    script = tmp_path / "t.lua"
    script.write_text(SETUP + "local m = nn.ClassrulesTb()\nlocal y = m:forward(torch.randn(2))\n")
    out = subprocess.run([sys.executable, "-m", "compat.th", "t.lua"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    frames = _frames(out.stderr)
    assert frames[0] == "\t[C]: in function 'error'"
    assert frames[1].startswith("\tt.lua:4: in function")
    assert frames[2:4] == ["\t[C]: in function 'forward'", "\tt.lua:7: in main chunk"]
