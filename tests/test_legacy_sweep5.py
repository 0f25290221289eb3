"""Session s8's legacy sweep (vision, generative models, tutorials): the Torch7 rules behind
what the swept scripts needed, each checked against the original's sources."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def lua(code, capsys):
    capsys.readouterr()
    r = LuaRuntime().execute(code)
    return r, capsys.readouterr().out


def th_script(tmp_path, code):
    script = tmp_path / "s.lua"
    script.write_text(code)
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "compat.th", str(script)], cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=60, env=env)


def test_xlua_progress_takes_numeric_strings_as_lua_arithmetic(capsys):
    # xlua's progress is Lua: floor(current * barLength / goal) coerces a numeric string (an
    # xlua.OptionParser option never passed through tonumber), io.write prints it as given
    _, out = lua("require 'xlua'; xlua.progress(1, '4'); xlua.progress('0x4', '4')", capsys)
    first, second = out.split("\r")[0], out.split("\r")[2]
    bar = 80 - 34  # a pipe: 80 columns
    pct = 1 * bar // 4
    assert first.startswith(" [" + "=" * (pct - 1) + ">" + "." * (bar - pct) + "] ")
    assert first.endswith(" 1/4 ")
    assert second.startswith(" [" + "=" * (bar - 1) + ">] ")  # the bar full
    assert second.endswith(" 0x4/4 \n")
    # a string that is no number fails in the arithmetic, as Lua's
    with pytest.raises(Exception, match="attempt to perform arithmetic on a string value"):
        lua("require 'xlua'; xlua.progress(1, 'ten')", capsys)


def test_global_lfs_appears_when_penlight_path_is_loaded(tmp_path):
    # LuaFileSystem's luaopen_lfs registers the global lfs (luaL_register); Penlight's
    # path.lua requires it, and pl.dir / pl.file require pl.path: under th, a script that
    # touched `path` (trepl's lazy Penlight global) can call lfs.mkdir
    r = th_script(tmp_path, """
print(rawget(_G, 'lfs'))
local e = path.exists('nothere')
print(e, type(rawget(_G, 'lfs')))
lfs.mkdir('made')
print(path.isdir('made'))
""")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "nil\t\nfalse\ttable\t\ntrue\t\n"
    r = th_script(tmp_path, "local f = file\nprint(type(rawget(_G, 'lfs')))\n")
    assert r.stdout == "table\t\n", r.stderr


def test_linear_backward_of_a_4d_input_only_resizes_grad_input(capsys):
    # Linear.lua checks input:dim() in updateOutput only; updateGradInput resizes gradInput as
    # input (zeroed when its element count changes) and accGradParameters does nothing for a
    # dim other than 1 or 2 (a DCGAN script calls netG:backward with the images)
    code = """
    local m = nn.Linear(4, 3)
    m.weight:fill(0.5); m.bias:fill(0.25)
    m.gradWeight:fill(1); m.gradBias:fill(2)
    local x = torch.Tensor(2, 1, 2, 2):fill(1)
    local gi = m:backward(x, torch.Tensor(2, 3):fill(1))
    local s1 = {gi:size(1), gi:size(2), gi:size(3), gi:size(4), gi:sum()}
    gi:fill(7)
    local gi2 = m:updateGradInput(torch.Tensor(8):fill(1):view(2, 2, 2), torch.Tensor(3))
    return s1, gi2:dim(), gi2:sum(), m.gradWeight:sum(), m.gradBias:sum()
    """
    (s1, dim2, sum2, gw, gb), _ = lua("require 'nn'\n" + code, capsys)
    assert list(s1) == [2, 1, 2, 2, 0]
    # the same element count (8): the old values stay (resizeAs keeps the storage)
    assert (dim2, sum2) == (3, 56)
    assert (gw, gb) == (12, 6)
    with pytest.raises(Exception, match="input must be vector or matrix"):
        lua("require 'nn'; nn.Linear(4, 3):forward(torch.Tensor(2, 1, 2, 2))", capsys)
