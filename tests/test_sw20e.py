"""Session 20's sweep of the torch package's utilities (sw20e): generators, default types,
Lua classes, Storages, Files. Every expectation is what the original Torch7 (/tmp/ref7: torch7
814ea4a, trepl's th, LuaJIT 2.1.0-beta2) printed for the same code."""
import io

import torch7py as torch
from torch7py.cmdline import CmdLine

from luatest import th_script


def test_cmdline_has_no_out_field(tmp_path):
    # CmdLine.lua's __init sets argseparator, keyseparator, options, arguments, helplines,
    # dateformat (nil), silentio: pairs() sees those, and writeObject warns about no field
    r = th_script("""
local c = torch.CmdLine()
local ks = {}
for k, v in pairs(c) do ks[#ks + 1] = k .. '=' .. type(v) end
table.sort(ks)
print(table.concat(ks, ' '))
local m = torch.MemoryFile()
m:writeObject(c)
print(m:position())
""", tmp_path)
    assert r.stdout == ("argseparator=string arguments=table helplines=table keyseparator=string "
                        "options=table silentio=boolean\t\n157\t\n")


def test_cmdline_out_stream_still_settable_in_python():
    cmd = CmdLine()
    cmd.out = io.StringIO()
    cmd.text("hello")
    cmd.help()
    assert "hello" in cmd.out.getvalue()
    assert "out" not in vars(cmd) or cmd.__dict__["out"] is not None


def test_lua_class_without_len_names_the_script_line(tmp_path):
    # luaT_mt__len's luaL_error names the line whose `#x` called it; a class's own __len__
    # is called as the operator
    r = th_script("""
sw = {}
local V = torch.class('sw.Vec')
function V:__init(n) self.n = n end
function V:__len__() return self.n end
local P = torch.class('sw.Plain')
print(#sw.Vec(3))
print(pcall(function() return #sw.Plain() end))
local ok, e = pcall(function() local x = sw.Plain(); local n = #x; return n end)
print(ok, e)
""", tmp_path)
    assert r.stdout == ("3\t\nfalse\ts.lua:8: sw.Plain has no length operator\t\n"
                        "false\ts.lua:9: sw.Plain has no length operator\t\n")


def test_setnumthreads_checks_an_int(tmp_path):
    # utils.c: THSetNumThreads(luaL_checkint(L, 1))
    r = th_script("""
for _, v in ipairs({'"a"', '{}', 'nil', '"2"', '1.9', 'true'}) do
  print(v, pcall(loadstring('torch.setnumthreads(' .. v .. ') return torch.getnumthreads()')))
end
print(pcall(torch.setnumthreads))
print(pcall(function() torch.setnumthreads() end))
torch.setnumthreads(1)
""", tmp_path)
    head = '[string "torch.setnumthreads(%s) return torch.getnum%s..."]:1: '
    assert r.stdout.splitlines() == [
        '"a"\tfalse\t' + head % ('"a"', 't') + "bad argument #1 to 'setnumthreads' "
        "(number expected, got string)\t",
        '{}\tfalse\t' + head % ('{}', 'th') + "bad argument #1 to 'setnumthreads' "
        "(number expected, got table)\t",
        'nil\tfalse\t' + head % ('nil', 't') + "bad argument #1 to 'setnumthreads' "
        "(number expected, got nil)\t",
        '"2"\ttrue\t2\t',
        '1.9\ttrue\t1\t',
        'true\tfalse\t' + head % ('true', '') + "bad argument #1 to 'setnumthreads' "
        "(number expected, got boolean)\t",
        "false\tbad argument #1 to '?' (number expected, got no value)\t",
        "false\ts.lua:6: bad argument #1 to 'setnumthreads' (number expected, got no value)\t",
    ]


def test_setnumthreads_in_python():
    torch.setnumthreads("1")
    assert torch.getnumthreads() == 1
    try:
        torch.setnumthreads()
    except Exception as e:  # noqa: BLE001
        assert "number expected, got no value" in str(e)
    else:
        raise AssertionError("no error")
    torch.setnumthreads(1)


def test_save_load_argument_asserts_name_file_lua_lines(tmp_path):
    # File.lua's torch.save asserts mode (:381) and referenced (:382), torch.load mode (:393)
    # and referenced (:396); the original's install prefix written as the goldens'
    r = th_script("""
torch.save('r.t7', {1})
print(pcall(torch.load, 'r.t7', 'binary', 'x'))
print(pcall(torch.load, 'r.t7', 'binary', 0))
print(pcall(function() return torch.load('r.t7', nil, nil)[1] end))
print(pcall(function() return torch.load('r.t7', 'binary', false)[1] end))
print(pcall(torch.save, 'a.t7', 1, 'binary', 1))
print(pcall(torch.save, 'a.t7', 1, 'xyz'))
print(pcall(torch.load, 'r.t7', 'xyz'))
""", tmp_path)
    P = "/usr/local/share/lua/5.1/torch/File.lua"
    ref = "true or false (or nil) expected for referenced"
    assert r.stdout.splitlines() == [
        "false\t%s:396: %s\t" % (P, ref),
        "false\t%s:396: %s\t" % (P, ref),
        "true\t1\t",
        "true\t1\t",
        "false\t%s:382: %s\t" % (P, ref),
        'false\t%s:381: "binary" or "ascii" (or nil) expected for mode\t' % P,
        'false\t%s:393: "binary", "b32", "b64" or "ascii" (or nil) expected for mode\t' % P,
    ]
