"""nngraph behaviours diffed against the original Torch7 (torch7, nn, nngraph built from the
mirrored sources, run with its own `th`): expectations are that reference's output, quoted
literally (each with a comment), or read from nngraph's source where the text says so."""
from luatest import th_script


LABELS = r"""
require 'nngraph'
local cases = {
  {1, 2}, {5}, {1.5}, {'q'}, {'3'}, {1, torch.ones(1)}, {torch.ones(1), 3}, {true}, {false, 1},
  {torch.ones(2), {2}}, {3, 1}, {2, 2}, {'1\n2'}, {{1}, torch.ones(1)}, {nn.Linear(2,2)}, {-1},
  {0}, {1e300},
}
for i, c in ipairs(cases) do
  local ok, s = pcall(function() return nngraph.Node({input = c}):label() end)
  print(i, ok, (tostring(s):gsub('^.-:%d+: ', '')))
end
print(graph.Node({a = 1}):label():match('^table: 0x%x+$') ~= nil)
print(graph.Node(print):label():match('^function: 0x%x+$') ~= nil)
print(nngraph.Node({x = {a = torch.ones(1)}}):label())
print(nngraph.Node({x = {torch.ones(1), {torch.ones(2)}}}):label())
print(nngraph.Node({x = false}):label())
"""

# Torch7's output (the reference th, nngraph's node.lua): inside a table, getstr of a value that
# is no tensor or table returns tostring(v):gsub('\n', '\\l'), two results, so
# table.insert(tstr, getstr(v)) is the three-argument insert: the count goes to the position the
# text reads as (1 and 2 give {0,0}), a text that is no number stops with insert's argument
# error, a position past the end leaves a hole that concat then meets
LABELS_OUT = """\
1\ttrue\treverseMap = {}\\linput = {0,0}\t
2\ttrue\treverseMap = {}\\linput = {}\t
3\ttrue\treverseMap = {}\\linput = {0}\t
4\tfalse\tbad argument #2 to 'insert' (number expected, got string)\t
5\ttrue\treverseMap = {}\\linput = {}\t
6\ttrue\treverseMap = {}\\linput = {0,Tensor[1]}\t
7\ttrue\treverseMap = {}\\linput = {Tensor[1]}\t
8\tfalse\tbad argument #2 to 'insert' (number expected, got string)\t
9\ttrue\treverseMap = {}\\linput = {0,}\t
10\tfalse\tinvalid value (nil) at index 1 in table for 'concat'\t
11\ttrue\treverseMap = {}\\linput = {0}\t
12\tfalse\tinvalid value (nil) at index 1 in table for 'concat'\t
13\tfalse\tbad argument #2 to 'insert' (number expected, got string)\t
14\ttrue\treverseMap = {}\\linput = {{0},Tensor[1]}\t
15\tfalse\tbad argument #2 to 'insert' (number expected, got string)\t
16\ttrue\treverseMap = {}\\linput = {}\t
17\ttrue\treverseMap = {}\\linput = {}\t
18\ttrue\treverseMap = {}\\linput = {}\t
true\t
true\t
reverseMap = {}\\lx = {}\t
reverseMap = {}\\lx = {Tensor[1],{Tensor[2]}}\t
reverseMap = {}\\lx = \t
"""


def test_node_labels_of_tables_holding_values_that_are_not_tensors(tmp_path):
    r = th_script(LABELS, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == LABELS_OUT


TABLES = r"""
require 'nngraph'
local x = nn.Identity()()
local a = nn.Tanh()(x)
local b = nn.Sigmoid()(x)
local c = nn.CAddTable()({a, b})
local g = nn.gModule({x}, {c})
local function count(t) local n, objs = 0, 0; for k, v in pairs(t) do n = n + 1; if type(k) == 'table' then objs = objs + 1 end end; return n, objs end
print('mapindex', count(c.data.mapindex))
print('children', count(c.children))
print('reverseMap', count(x.data.reverseMap), count(a.data.reverseMap))
print(c.data.mapindex[a.data], c.data.mapindex[b.data], c.children[a], c.children[b], x.data.reverseMap[a], x.data.reverseMap[c])
for _, n in ipairs(g.forwardnodes) do print(n.id, count(n.data.mapindex), count(n.children), count(n.data.reverseMap)) end
local c2 = g:clone()
for _, n in ipairs(c2.forwardnodes) do print(n.id, #n.children, count(n.children)) end
print(c2:forward(torch.ones(2)):size(1))
for k, v in pairs(graph.Edge(1, 2)) do print(k, v) end
g.verbose = true
g:forward(torch.zeros(2))
"""

# the reference Torch7's output: graph's Node:add keeps children[child] = its index and
# nngraph's add keeps mapindex[data] = its index and reverseMap[node] = true, so pairs() meets
# those keys too, on the original and on a clone (a clone after Lua saw the tables still runs);
# Edge.lua's `self.weight = weight` makes the key even for a nil weight (from before to);
# a verbose gModule prints each node through th's print (a tab after the text)
TABLES_OUT = 'mapindex\t4\t2\t\nchildren\t4\t2\t\nreverseMap\t2\t1\t1\t\n1\t2\t1\t2\ttrue\tnil\t\n6\t0\t2\t1\t1\t\n5\t2\t4\t2\t2\t\n3\t2\t2\t1\t1\t\n4\t2\t2\t1\t1\t\n1\t4\t2\t1\t1\t\n2\t2\t0\t0\t0\t\n6\t1\t2\t1\t\n5\t2\t4\t2\t\n3\t1\t2\t1\t\n4\t1\t2\t1\t\n1\t1\t2\t1\t\n2\t0\t0\t0\t\n2\t\nfrom\t1\t\nto\t2\t\n V : input = {Tensor[2]}\\lreverseMap = {}\t\n V : input = {Tensor[2]}\\lmodule = nn.Identity\\lreverseMap = {}\t\n V : input = {Tensor[2]}\\lmodule = nn.Tanh\\lreverseMap = {}\t\n V : input = {Tensor[2]}\\lmodule = nn.Sigmoid\\lreverseMap = {}\t\n V : input = {Tensor[2],Tensor[2]}\\lmodule = nn.CAddTable\\lreverseMap = {}\\lmapindex = {Node3,Node4}\t\n V : input = {Tensor[2]}\\lreverseMap = {}\t\n'


def test_node_tables_keep_both_parts_for_lua_and_verbose_prints_through_th(tmp_path):
    r = th_script(TABLES, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == TABLES_OUT


RESET = r"""
require 'rnn'
torch.manualSeed(3)
local function psum(m) local s = 0; for _, p in ipairs(m:parameters() or {}) do s = s + p:sum() end; return string.format('%.12f', s) end
local r = nn.Recursor(nn.Linear(3, 2)); print(psum(r), r:reset(), psum(r))
local rc = nn.Recurrence(nn.Sequential():add(nn.ParallelTable():add(nn.Linear(3, 2)):add(nn.Linear(2, 2))):add(nn.CAddTable()), 2, 1)
print(psum(rc), rc:reset(0.5), psum(rc))
local rr = nn.Recurrent(2, nn.Linear(3, 2), nn.Linear(2, 2), nn.Tanh(), 4)
print(psum(rr), rr:reset(), psum(rr))
local c = rr:clone(); c:reset(); print(psum(c), psum(rr))
print(nn.NormStabilizer():reset())
local s = nn.Sequencer(nn.Recurrent(2, nn.Linear(3, 2), nn.Linear(2, 2), nn.Tanh(), 4)); print(psum(s), s:reset(), psum(s))
local l = nn.FastLSTM(2, 2); print(psum(l), l:reset(), psum(l))
local g = nn.GRU(2, 2); print(psum(g), g:reset(), psum(g))
print(torch.random())
"""

# the reference Torch7 with Element-Research rnn ba937a0's Lua: Recursor, Recurrence, Recurrent,
# NormStabilizer, LSTM and GRU define no reset, so nn's Container:reset resets each of their
# modules (the draws in the modules' order) and returns nothing; a clone's reset leaves the
# original as it was (rnn's simple-bisequencer-network: `bwd = fwd:clone(); bwd:reset()`)
RESET_OUT = '-0.390298136584\tnil\t-1.308971725116\t\n-2.359232762921\tnil\t0.563963909020\t\n-0.102179685577\tnil\t1.350012486586\t\n-1.141661381318\t1.350012486586\t\n-1.203693718914\tnil\t1.190742881620\t\n-4.029655316848\tnil\t4.780709316352\t\n0.121347934583\tnil\t-1.842427338765\t\n2322550103\t\n'


def test_recurrent_modules_reset_their_modules_as_nn_container_does(tmp_path):
    r = th_script(RESET, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == RESET_OUT


LABELS_AT = r"""require 'nngraph'
local a = - nn.Identity()
local b = a - nn.Linear(2, 2)
local c = nn.Tanh()(b)
local d = b - nn.Tanh() - nn.Sigmoid()
local f = {a, c} - nn.CAddTable()
local g = nn.Identity()()
local h = g - nn.Tanh()
for _, n in ipairs({a, b, c, d, f, g, h}) do print(n.data.annotations._debugLabel) end
print(nn.MSECriterion()({a, b}).data.annotations._debugLabel)
print(nn.SplitTable(1)(a):split(1).data.annotations._debugLabel)
local function tail() return nn.Tanh()(a) end
local function notail() local n = nn.Tanh()(a); return n end
print(tail().data.annotations._debugLabel, notail().data.annotations._debugLabel)
print(select(2, pcall(tail)).data.annotations._debugLabel, select(2, pcall(notail)).data.annotations._debugLabel)
local ok, n = xpcall(tail, debug.traceback)
print(n.data.annotations._debugLabel)
"""

# the reference Torch7 (as s.lua): node.lua's _debugLabel is debug.getinfo(6) from Node:__init;
# init.lua's __unm__, __sub__ (modules' and nodes') and Criterion:__call__ tail-call the module,
# and a tail call leaves no frame in LuaJIT, so the sixth frame is the C metamethod ([C]:-1);
# split(1) tail-calls JustElement's module, so its node names split's caller; a function that
# tail-calls the module is no frame either: its caller's line, or [C]:-1 under pcall/xpcall
LABELS_AT_OUT = '[[C]]:-1_\t\n[[C]]:-1_\t\n[s.lua]:4_\t\n[[C]]:-1_\t\n[[C]]:-1_\t\n[s.lua]:7_\t\n[[C]]:-1_\t\n[[C]]:-1_\t\n[s.lua]:11_\t\n[s.lua]:14_\t[s.lua]:13_\t\n[[C]]:-1_\t[s.lua]:13_\t\n[[C]]:-1_\t\n'


def test_debug_labels_are_the_frames_torch7s_getinfo_finds(tmp_path):
    r = th_script(LABELS_AT, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == LABELS_AT_OUT


PRINTS = r"""require 'dpnn'
local f = nn.FireModule(4, 8, 2, 2)
print('after')
torch.manualSeed(2)
local nce = nn.NCEModule(3, 5, 2, torch.Tensor{1, 2, 3, 4, 5})
nce:evaluate()
print(torch.type(nce:forward({torch.randn(2, 3), torch.LongTensor{1, 2}})))
"""

# the reference Torch7 with dpnn's Lua: FireModule's warning and NCEModule's first-evaluation
# message are dpnn's print(...) calls, which th's print ends with a tab
PRINTS_OUT = 'Warning: <FireModule> s1x1 is recommended to be smaller then e1x1+e3x3\t\nafter\t\nnormalization constant Z approximated to 1.2472103800927\t\ntable\t\n'


def test_dpnn_messages_print_through_th(tmp_path):
    r = th_script(PRINTS, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == PRINTS_OUT
