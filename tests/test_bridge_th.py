"""What th provides before a script runs (trepl's globals, require), and moses."""
import os
import subprocess
import sys

import pytest

lupa = pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _th(*args, cwd=None):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "compat.th", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=60)


def test_th_globals_and_relative_require(tmp_path):
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "helper.lua").write_text("return {answer = 6 * 7}\n")
    (sub / "main.lua").write_text(
        "local h = require './helper'\n"
        "print(h.answer)\n"
        "print(type(torch), type(paths), type(sys), type(xlua), type(nn))\n"
        "print(type(sys.clock()), type(xlua.progress))\n"
        "require 'nn'\n"
        "print(torch.type(nn.Linear(2, 2)))\n")
    # run from elsewhere: './helper' is relative to main.lua, as trepl's require resolves it
    r = _th(str(sub / "main.lua"), cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].rstrip() == "42"
    assert lines[1].split() == ["table", "table", "table", "table", "nil"]
    assert lines[2].split() == ["number", "function"]
    assert lines[3].rstrip() == "nn.Linear"


def test_moses_functions_nn_uses():
    rt = LuaRuntime()
    r = rt.execute("""
        local _ = require 'moses'
        local m = _.map({a = 1, b = 2}, function(k, v) return k .. v end)
        return {_.indexOf({'b', 'h', 'w'}, 'w'), _.indexOf({1, 2}, 3) == nil,
                _.isNaN(0 / 0), _.isNaN(1), _.isNaN('x'), m.a, m.b}""")
    assert r == [3, True, True, False, False, "a1", "b2"]
    r = rt.execute("""
        local _ = require 'moses'
        local evens = _.select({1, 2, 3, 4}, function(k, v) return v % 2 == 0 end)
        return {table.concat(evens, ','), _.reduce({1, 2, 3, 4}, function(s, v) return s + v end),
                table.concat(_.range(3), ','), table.concat(_.range(2, 5), ','),
                #_.range(5, 2), _.size({a = 1, b = 2, 3}), _.include({1, 2}, 2),
                table.concat(_.flatten({1, {2, {3}}}), ','), table.concat(_.unique({1, 1, 2}), ',')}
        """)
    assert r == ["2,4", 10, "0,1,2,3", "2,3,4,5", 0, 3, True, "1,2,3", "1,2"]
    # the same table each require, as Lua's require caches a module
    assert rt.execute("return rawequal(require 'moses', require 'moses')") is True


def test_nn_test_style_map_over_tensors():
    rt = LuaRuntime()
    r = rt.execute("""
        local _ = require 'moses'
        local t = {torch.Tensor{1, 2}, torch.Tensor{3}}
        local f = _.map(t, function(k, v) return v:float() end)
        return {torch.type(f[1]), f[2][1], #f}""")
    assert r == ["torch.FloatTensor", 3.0, 2]
