"""Session 13's compatfix14: luaT's fields of every class metatable (luaT.c's
luaT_lua_newmetatable), Penlight 1.4.1's lexer defaults (lexer.lua), nngraph's debug handler
(graphinspecting.lua's runChecked) and the message of a file of the other format (File.lua's
readObject). Expectations are read from those sources."""
import pytest

from luatest import th_script

pytest.importorskip("lupa")

# luaT_lua_newmetatable: what it sets in every metatable it makes, and torch.class's
# constructor and factory (new, __constructor, __factory)
LUAT_FIELDS = {"__index", "__newindex", "__typename", "__metatable", "__version", "__tostring",
               "__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm", "__concat",
               "__len", "__eq", "__lt", "__le", "__call", "new", "__factory", "__constructor"}


def run(code, tmp_path):
    r = th_script(code, tmp_path)
    assert r.returncode == 0, r.stderr
    return [ln.rstrip("\t") for ln in r.stdout.splitlines()]


def test_class_metatables_hold_luaT_fields(tmp_path):
    out = run("""
require 'nn'
local A = torch.class('CfA')
function A:__init(x) self.x = x end
function A:get() return self.x end
local B = torch.class('CfB', 'CfA')
local function keys(t, raw)
   local ks = {}
   if raw then
      local k = next(t)
      while k ~= nil do ks[#ks + 1] = k k = next(t, k) end
   else
      for k in pairs(t) do ks[#ks + 1] = k end
   end
   table.sort(ks) return table.concat(ks, ' ')
end
print(keys(A))
print(keys(A, true))
print(keys(B))
local L = torch.getmetatable('nn.Linear')
local lk = {}
for k in pairs(L) do if k:sub(1, 2) == '__' or k == 'new' then lk[#lk + 1] = k end end
table.sort(lk) print(table.concat(lk, ' '))
for _, mt in ipairs({A, B, L}) do
   print(type(rawget(mt, '__index')), type(rawget(mt, '__newindex')), rawget(mt, '__metatable') == mt,
         rawget(mt, '__version'), type(rawget(mt, '__eq')), type(rawget(mt, '__pow')),
         type(rawget(mt, '__le')), type(rawget(mt, '__lt')))
end
-- luaT_mt__index: the metatable's value (its methods, the parents' too); __newindex: a raw write
local a, l = CfB(7), nn.Linear(2, 3)
print(A.__index(a, 'get') == A.get, L.__index(l, 'forward') == L.forward, L.__index(l, 'weight'))
L.__newindex(l, 'zz', 4) B.__newindex(a, 'zz', 5)
print(l.zz, rawget(a, 'zz'), B.__typename, rawget(B, 'get'), a:get())
-- the operators' nil behaviours: isequal for __eq, luaT's error for the others
print(L.__eq(l, l), L.__eq(l, nn.Linear(2, 3)), select(2, pcall(L.__pow, l, l)))
print(select(2, pcall(A.__lt, a, a)), A.__tostring(a))
-- what the script sets is its own (a raw field of that metatable, not inherited)
A.__version = 3
function A.__eq(x, y) return true end
print(rawget(A, '__version'), rawget(B, '__version'), torch.version(CfA(1)), CfA(1) == CfA(2))
""", tmp_path)
    a_keys = " ".join(sorted(LUAT_FIELDS | {"__init", "get"}))
    assert out[0] == a_keys and out[1] == a_keys
    assert out[2] == " ".join(sorted(LUAT_FIELDS))
    # (Linear.lua defines __tostring__: the original lists it among nn.Linear's own keys)
    assert set(out[3].split()) == LUAT_FIELDS | {"__init", "__tostring__"}
    assert out[4:7] == ["function\tfunction\ttrue\t1\tfunction\tfunction\tfunction\tfunction"] * 3
    assert out[7] == "true\ttrue\tnil"
    assert out[8] == "4\t5\tCfB\tnil\t7"
    assert out[9] == "true\tfalse\tboth nn.Linear and nn.Linear have no power operator"
    assert out[10] == "both CfB and CfB have no less-than operator\tCfB"
    assert out[11] == "3\t1\t3\ttrue"


def test_penlight_lexer_defaults(tmp_path):
    # lexer.lua's defaults: options {number=true, string=true} (tonumber; quotes, long
    # brackets and their first newline stripped); filter {space=true, comments=true} for
    # lexer.lua/cpp, {space=true} for scan (whose plain matches have no comment rule); a
    # comment token is 'comment'; lineno(tok) is tok(0), the line of the token last read
    out = run(r"""
local lexer = require 'pl.lexer'
local function dump(it)
   local t = {}
   for a, b in it do t[#t + 1] = a .. ':' .. tostring(b):gsub('\n', '|') .. ':' .. type(b) end
   print(table.concat(t, ' '))
end
dump(lexer.lua('x = 0x10 -- c\ny = [==[\nlong]==] .. "q"'))
dump(lexer.lua('x = 2 -- c\n', {space = true}, {}))
dump(lexer.scan('f(1.5e1, \'s\') -- c'))
dump(lexer.cpp('int c = \'a\'; /* c */ s = "t";'))
local tok = lexer.lua('a\nb\nc')
tok() tok()
print(lexer.lineno(tok))
""", tmp_path)
    assert out == [
        "iden:x:string =:=:string number:16:number iden:y:string =:=:string "
        "string:long:string ..:..:string string:q:string",
        "iden:x:string =:=:string number:2:string comment:-- c|:string",
        "iden:f:string (:(:string number:15:number ,:,:string string:s:string ):):string "
        "-:-:string -:-:string iden:c:string",
        "keyword:int:string iden:c:string =:=:string char:a:string ;:;:string iden:s:string "
        "=:=:string string:t:string ;:;:string",
        "2\t4"]


def test_nngraph_debug_rethrows_message_with_traceback(tmp_path):
    # graphinspecting.lua's runChecked: errorHandler appends debug.traceback(message, 2)
    # unless 'stack traceback:\n' is in it; error(result, 0) raises it again, no position
    out = run("""
require 'nngraph'
nngraph.setDebug(true)
local x = nn.Identity()()
local g = nn.gModule({x}, {nn.Linear(3, 2)(x)})
local function call() local r = g:forward(torch.zeros(5)) return r end
local ok, e = pcall(call)
print(ok, (e:gsub('\\n', '|')))
local M = torch.class('nn.CfBad', 'nn.Module')
function M:updateOutput(input) error('bad module') end
local x2 = nn.Identity()()
local g2 = nn.gModule({x2}, {nn.CfBad()(x2)})
ok, e = pcall(function() local r = g2:forward(torch.zeros(5)) return r end)
print(ok, (e:gsub('\\n', '|')))
nngraph.setDebug(false)
ok, e = pcall(call)
print(ok, (e:gsub('\\n', '|')))
""", tmp_path)
    lines = [ln for ln in out if ln.startswith("false")]
    first = lines[0].split("\t", 1)[1].split("|")
    # (TH's error of Linear.lua's addmv: its line there, as the reference Torch7 shows)
    assert first[0] == "/usr/local/share/lua/5.1/nn/Linear.lua:57: size mismatch, [2 x 3], [5]" \
        and first[1] == "stack traceback:"
    assert all(f.startswith("\t") for f in first[2:]) and "in function 'pcall'" in lines[0]
    second = lines[1].split("\t", 1)[1].split("|")
    assert second[0].endswith(": bad module") and second[1] == "stack traceback:"
    assert second.count("stack traceback:") == 1
    assert "stack traceback:" not in lines[2]


def test_nngraph_debug_in_python_keeps_the_exception(tmp_path, monkeypatch):
    import torch7py as torch
    from torch7py import nn, nngraph
    monkeypatch.chdir(tmp_path)
    inp = nn.Identity()()
    g = nn.gModule([inp], [nn.Linear(3, 2)(inp)])
    nngraph.setDebug(True)
    try:
        with pytest.raises(Exception) as ei:
            g.forward(torch.zeros(5))
    finally:
        nngraph.setDebug(False)
    msg = ei.value.torch7_message
    assert msg.startswith(str(ei.value) + "\nstack traceback:\n\t")
    assert "in function 'runForwardFunction'" in msg


def test_a_file_of_the_other_format_says_unknown_object(tmp_path):
    # File.lua's readObject: error('unknown object') for a type index it does not know; an
    # ascii file (DiskFile's default) read in binary (torch.load's default) starts "4\\n1\\n"
    out = run("""
local name = 'other.t7'
local f = torch.DiskFile(name, 'w')
f:writeObject(torch.range(1, 3))
f:close()
print(pcall(torch.load, name))
local g = torch.DiskFile(name, 'r'):binary()
print(pcall(g.readObject, g))
""", tmp_path)
    # (File.lua:375, its error call, as the reference Torch7 shows it)
    at = "false\t/usr/local/share/lua/5.1/torch/File.lua:375: "
    assert out[:2] == [at + "unknown object", at + "unknown object"]
    import torch7py as torch
    with pytest.raises(torch.SerializationError, match="unknown object type 170986036 .*ascii"):
        torch.load(str(tmp_path / "other.t7"))


def test_luaT_metamethod_errors_name_the_calling_line(tmp_path):
    # luaT_mt__pow / luaT_mt__index raise with luaL_error, whose luaL_where(L, 1) is the
    # function that called the C metamethod: a Lua line gives its position, pcall (a C
    # function) none (luaT.c: MT_DECLARE_BINARY_OPERATOR, luaT_mt__index)
    out = run("""
require 'nn'
local L, l = torch.getmetatable('nn.Linear'), nn.Linear(2, 3)
print(select(2, pcall(function() local r = L.__pow(l, l); return r end)))
print(select(2, pcall(L.__pow, l, l)))
local A = torch.class('CfPos')
A.__index__ = 5
local o = torch.setmetatable({}, 'CfPos')
print(select(2, pcall(function() local r = A.__index(o, 'x'); return r end)))
print(select(2, pcall(A.__index, o, 'x')))
print(select(2, pcall(function() local r = A(); return r end)))
""", tmp_path)
    assert out[0] == "s.lua:4: both nn.Linear and nn.Linear have no power operator"
    assert out[1] == "both nn.Linear and nn.Linear have no power operator"
    # (the reference Torch7 printed these: a table object's __index is a rawget, and the
    # metatable torch.class returns is no constructor, Lua's own error naming the upvalue)
    assert out[2] == "nil"
    assert out[3] == "nil"
    assert out[4] == "s.lua:11: attempt to call upvalue 'A' (a table value)"
