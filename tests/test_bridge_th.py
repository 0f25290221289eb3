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


def test_data_is_an_ffi_pointer_into_the_numbers():
    import numpy as np
    rt = LuaRuntime()
    t = rt.execute("""
        t = torch.Tensor(2, 3):zero()
        local p = torch.data(t)
        p[0] = 5; p[5] = 7
        local n = t:narrow(2, 2, 2)      -- storage offset 2: its pointer starts there
        n:data()[0] = 9
        return t""")
    want = np.zeros((2, 3))
    want[0, 0], want[1, 2], want[0, 1] = 5, 7, 9
    assert np.array_equal(t.numpy(), want)
    # the pointer is typed by the tensor type and addresses the numpy buffer
    r = rt.execute("""
        local ffi = require 'ffi'
        local res = {}
        for _, name in ipairs({'Double', 'Float', 'Long', 'Int', 'Short', 'Char', 'Byte'}) do
           local x = torch[name .. 'Tensor'](3)
           res[#res + 1] = tostring(ffi.typeof(x:data()))
        end
        return res""")
    # LuaJIT names long int64_t on a 64-bit system
    assert r == ["ctype<double *>", "ctype<float *>", "ctype<int64_t *>", "ctype<int *>",
                 "ctype<short *>", "ctype<char *>", "ctype<unsigned char *>"]
    f = rt.execute("f = torch.FloatTensor(4):fill(1); return f")
    addr = rt.execute("return tonumber(torch.data(f, true))")
    assert addr == f.numpy().ctypes.data
    f.numpy()[2] = 3.5  # numpy's writes show through the pointer, and the pointer's in numpy
    assert rt.execute("local p = f:data(); p[3] = -1; return p[2]") == 3.5
    assert f.numpy()[3] == -1
    # storage:data() from the storage's first number; no storage, no pointer
    assert rt.execute("local s = torch.ShortStorage(3):fill(2); s:data()[2] = 8; return s[3]") == 8
    assert rt.execute("return torch.Tensor():data() == nil") is True


def test_cdata_is_stable_per_object():
    rt = LuaRuntime()
    r = rt.execute("""
        local a, b = torch.Tensor(2), torch.Tensor(2)
        return {a:cdata() == a:cdata(), a:cdata() == b:cdata(),
                torch.cdata(a, true) == torch.pointer(a)}""")
    assert r == [True, False, True]


def test_incompatible_bytecode_warns_and_loads_nil(tmp_path, capsys):
    import torch7py as torch
    from compat.runtime import LuaError
    from torch7py.serialization import LuaFunction
    path = str(tmp_path / "old.t7")
    # bytecode of another Lua (5.2's header): LuaJIT's loadstring refuses it
    torch.save(path, {"f": LuaFunction(b"\x1bLuaR\x00\x01\x04\x08", []), "n": 3})
    rt = LuaRuntime()
    rt.globals.p = path
    # (functions load only when the script allows them: issue 17)
    r = rt.execute("local t = torch.load(p, 'binary', true, {allow_functions = true}); "
                   "return {t.f == nil, t.n}")
    assert r == [True, 3]
    err = capsys.readouterr().err
    assert err.startswith("Warning: Failed to load function from bytecode: ")
    assert not err.endswith("\n")  # File.lua writes no newline
    # with an upvalue to set, File.lua's debug.setupvalue(nil, ...) fails
    torch.save(path, {"f": LuaFunction(b"\x1bLuaR\x00\x01\x04\x08", [{"name": "x", "value": 1}])})
    with pytest.raises(LuaError, match="bad argument #1 to 'setupvalue'"):
        rt.execute("return torch.load(p, 'binary', true, {allow_functions = true})")
