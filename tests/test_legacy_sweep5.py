"""Session s8's legacy sweep (vision, generative models, tutorials): the Torch7 rules behind
what the swept scripts needed, each checked against the original's sources."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

from luatest import lua  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
    # a string that is no number fails in the arithmetic, as Lua's: LuaJIT names the local
    # (the real LuaJIT 2.1.0-beta2 on xlua's `math.floor(((current) * barLength) / goal)`)
    with pytest.raises(Exception, match="attempt to perform arithmetic on local 'goal' "
                                        r"\(a string value\)"):
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


def test_python_files_of_a_package_are_no_fields_of_its_lua_table(capsys):
    # optim/init.lua requires optim.fista, which defines optim.FistaLS only: optim.fista is
    # nil (metriclearning's NCA passes `lineSearch = optim.fista`, so lbfgs has none); nn's
    # and torch's tables have no field per source file either (nn.linear, torch.tensor), but
    # nn.utils, nn.hessian and nn.tables are Torch7's own tables
    r, _ = lua("""
    require 'nn'; require 'optim'
    local t = {optim.fista, optim.logger, optim.confusion_matrix, nn.linear, nn.module,
               torch.tensor, torch.storage}
    local n = 0
    for i = 1, 7 do if t[i] ~= nil then n = n + 1 end end
    return {n, type(optim.FistaLS), type(optim.Logger), type(nn.utils), type(nn.hessian),
            type(nn.tables), type(torch.random), select(2, pcall(optim.fista))}
    """, capsys)
    assert list(r) == [0, "function", "table", "table", "table", "table", "function",
                       "attempt to call a nil value"]


def test_gmodule_edge_without_mapindex_fails_as_gmodule_lua(capsys):
    # node:add(child) (graph.Node's add, no mapindex entry) makes an edge the forward pass
    # follows: gmodule.lua's propagate reads child.data.mapindex[node.data] (nil) and stores
    # child.data.input[nil] = x, Lua's "table index is nil" (torch7py raised a KeyError whose
    # text was the table's address)
    r, _ = lua("""
    require 'nngraph'
    local a, b = nn.Identity()(), nn.Identity()()
    local c = nn.ConcatTable()()
    c:add(a); c:add(b)
    local g = nn.gModule({a, b}, {nn.Linear(3, 3)(c), nn.Linear(2, 1)(a)})
    local ok, e = pcall(function() return g:forward({torch.rand(2), torch.rand(2)}) end)
    return tostring(e)
    """, capsys)
    assert r.endswith("table index is nil")
