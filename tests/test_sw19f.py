"""Session 19's nngraph sweep (sw19f): gModules of many shapes, their printing, nodes and
graphs, run under our th and under the original Torch7; each test is one mechanism by which
ours printed something else. Every expectation is what the original Torch7 (/tmp/ref7,
LuaJIT 2.1.0-beta2, nngraph 3ed3b9b, graph 37dac07) printed for the same code; only the
install prefix of the Lua files named in messages is ours (/usr/local/share/lua/5.1)."""
import pytest

from torch7py import nn
from torch7py.nngraph import Edge, Graph, GraphNode

from luatest import th_script

P = "/usr/local/share/lua/5.1/"


# -- init.lua's Module.__sub__ / Node.__sub__: `function(prev, next) return next(prev) end` ---
# A value Lua cannot call fails inside that function (its line, local 'next'); a torch object
# fails in luaT's __call ('X has no call operator'); a plain left operand (a number, a table)
# reaches the node's __sub__ through luaT's __sub, which asks the right operand's class.

SUB_SCRIPT = r"""
require 'nn'
require 'nngraph'
local function try(name, f)
  local ok, e = pcall(f)
  print(name, ok, ok or e)
end
local x = nn.Identity()()
try('num', function() return x - 3 end)
try('str', function() return x - 'abc' end)
try('tbl', function() return x - {} end)
try('nil', function() return x - nil end)
try('bool', function() return x - true end)
try('node', function() return x - nn.Identity()() end)
try('tensor', function() return x - torch.Tensor(2) end)
try('modnum', function() return nn.Tanh() - 3 end)
try('modtbl', function() return nn.Tanh() - {} end)
try('numnode', function() return 3 - x end)
try('tblnode', function() return {x} - x end)
local n = x - nn.Tanh() - nn.Sigmoid()
print(torch.typename(n.data.module), #n.children)
"""


def test_sub_with_a_value_lua_cannot_call(tmp_path):
    r = th_script(SUB_SCRIPT, tmp_path)
    init = P + "nngraph/init.lua"
    assert r.stdout == (
        "num\tfalse\t%s:76: attempt to call local 'next' (a number value)\t\n"
        "str\tfalse\t%s:76: attempt to call local 'next' (a string value)\t\n"
        "tbl\tfalse\t%s:76: attempt to call local 'next' (a table value)\t\n"
        "nil\tfalse\t%s:76: attempt to call local 'next' (a nil value)\t\n"
        "bool\tfalse\t%s:76: attempt to call local 'next' (a boolean value)\t\n"
        "node\tfalse\tnngraph.Node has no call operator\t\n"
        "tensor\tfalse\ttorch.DoubleTensor has no call operator\t\n"
        "modnum\tfalse\t%s:69: attempt to call local 'next' (a number value)\t\n"
        "modtbl\tfalse\t%s:69: attempt to call local 'next' (a table value)\t\n"
        "numnode\tfalse\tnngraph.Node has no call operator\t\n"
        "tblnode\tfalse\tnngraph.Node has no call operator\t\n"
        "nn.Sigmoid\t1\t\n" % ((init,) * 7)), r.stderr


def test_sub_in_python():
    x = nn.Identity()()
    with pytest.raises(TypeError) as e:
        x - 3
    assert str(e.value) == "attempt to call local 'next' (a number value)"
    assert e.value.lua_where == 'nngraph/init.lua:76'
    with pytest.raises(TypeError) as e:
        nn.Tanh() - None
    assert str(e.value) == "attempt to call local 'next' (a nil value)"
    assert e.value.lua_where == 'nngraph/init.lua:69'
    n = x - nn.Tanh()
    assert n.children[0] is x


# -- graph's init.lua: Graph:add and Graph:topsort raise with error() (their line) ------------

GRAPH_SCRIPT = r"""
require 'nngraph'
local function try(name, f)
  local ok, e = pcall(f)
  print(name, ok, ok or e)
end
local a, b, c = graph.Node(1), graph.Node(2), graph.Node(3)
local G = graph.Graph()
G:add(graph.Edge(a, b)) G:add(graph.Edge(b, c)) G:add(graph.Edge(c, a))
try('cycle', function() return G:topsort() end)
try('addnum', function() G:add(3) end)
try('addnil', function() G:add(nil) end)
try('addtbl', function() G:add({3}) end)
local q1, q2, q3, q4 = graph.Node(1), graph.Node(2), graph.Node(3), graph.Node(4)
local Q = graph.Graph()
Q:add(graph.Edge(q1, q2)) Q:add(graph.Edge(q3, q4)) Q:add(graph.Edge(q4, q3))
print(Q:hasCycle())
try('partial', function() return Q:topsort() end)
"""


def test_graph_errors_carry_their_line(tmp_path):
    r = th_script(GRAPH_SCRIPT, tmp_path)
    init = P + "graph/init.lua"
    assert r.stdout == (
        "cycle\tfalse\t%s:123: Graph has cycles\t\n"
        "addnum\tfalse\t%s:27: graph.Edge or {graph.Edges} expected\t\n"
        "addnil\tfalse\t%s:27: graph.Edge or {graph.Edges} expected\t\n"
        "addtbl\tfalse\t%s:27: graph.Edge or {graph.Edges} expected\t\n"
        "false\t\n"
        "partial\tfalse\t%s:141: Graph has cycles\t\n" % ((init,) * 5)), r.stderr


def test_graph_errors_in_python():
    a, b = GraphNode(1), GraphNode(2)
    g = Graph()
    g.add(Edge(a, b))
    g.add(Edge(b, a))
    with pytest.raises(RuntimeError) as e:
        g.topsort()
    assert str(e.value) == 'Graph has cycles'
    assert e.value.lua_where == 'graph/init.lua:123'


# -- utils.tableMaxN is LuaJIT's table.maxn: the largest positive numeric key, a fraction ------
# included; `for i = 1, maxn` then visits the key's floor, whose nil Module:__call__ and
# gModule:__init report

MAXN_SCRIPT = r"""
require 'nn'
require 'nngraph'
local function try(name, f)
  local ok, e = pcall(f)
  print(name, ok, ok or e)
end
local a, b = nn.Identity()(), nn.Identity()()
try('frac', function() local n = nn.CAddTable()({a, [2.5] = b}) print(#n.children) end)
try('frac_only', function() local n = nn.Tanh()({[0.5] = a}) print(#n.children) end)
try('huge', function() return nn.CAddTable()({a, [math.huge] = b}) end)
try('gout_frac', function() return nn.gModule({a}, {a, [2.5] = b}) end)
try('gin_frac', function() return nn.gModule({a, [2.5] = b}, {a}) end)
try('gap', function() return nn.CAddTable()({[1] = a, [3] = b}) end)
"""


def test_maxn_counts_fractional_keys(tmp_path):
    r = th_script(MAXN_SCRIPT, tmp_path)
    init, gm = P + "nngraph/init.lua", P + "nngraph/gmodule.lua"
    assert r.stdout == (
        "frac\tfalse\t%s:48: inputs[2] is nil (typo / bad index?)\t\n"
        "0\t\n"
        "frac_only\ttrue\ttrue\t\n"
        "huge\tfalse\t%s:48: inputs[2] is nil (typo / bad index?)\t\n"
        "gout_frac\tfalse\t%s:79: outputs[2] is nil (typo / bad index?)\t\n"
        "gin_frac\tfalse\t%s:86: inputs[2] is nil (typo / bad index?)\t\n"
        "gap\tfalse\t%s:48: inputs[2] is nil (typo / bad index?)\t\n"
        % (init, init, gm, gm, init)), r.stderr


def test_maxn_in_python():
    from torch7py.nngraph.table import Table, maxn, maxn_indices
    t = Table()
    t[1] = 'a'
    t[2.5] = 'b'
    assert maxn(t) == 2.5
    assert list(maxn_indices(t)) == [1, 2]
    assert maxn([1, 2, 3]) == 3


# -- graph's Node:add: `table.insert(children, child); children[child] = #children` ----------
# The children table keeps both parts however it is held: once Lua has read a node's
# children (the field is then its Lua table), later adds still set children[child]; adding
# nil fails on `children[nil] = ...`.

NODE_ADD_SCRIPT = r"""
require 'nngraph'
local a, b, c, d = graph.Node('alpha'), graph.Node(42), graph.Node('c'), graph.Node('d')
a:add(b)
print(a.children[b])
a:add(b)
print(a.children[b], #a.children)
a:add({c, d})
print(a.children[b], a.children[c], a.children[d], #a.children)
print(pcall(function() a:add(nil) end))
print(#a.children)
"""


def test_node_add_keeps_both_parts(tmp_path):
    r = th_script(NODE_ADD_SCRIPT, tmp_path)
    assert r.stdout == (
        "1\t\n"
        "1\t1\t\n"
        "1\t2\t3\t3\t\n"
        "false\t%sgraph/Node.lua:30: table index is nil\t\n"
        "3\t\n" % P), r.stderr


def test_node_add_in_python():
    a, b, c = GraphNode('a'), GraphNode('b'), GraphNode('c')
    a.add(b)
    a.add([b, c])
    assert list(a.children) == [b, c]
    assert a.children[c] == 2
    with pytest.raises(Exception) as e:
        a.add(None)
    assert str(e.value) == 'table index is nil'
    assert e.value.lua_where == 'graph/Node.lua:30'


# -- pairs() over an object: a field cleared after it held a value keeps the node it had ------
# gmodule.lua's `self.output = nil; self.gradInput = nil` after parent.__init (and a script's
# `m.output = nil`) leave the other keys where a table with those keys set lists them; only
# a key set to nil that the table never had takes a node at once dead.

PAIRS_SCRIPT = r"""
require 'nngraph'
local function keys(t)
  local r = {}
  for k, v in pairs(t) do if type(k) == 'string' then r[#r + 1] = k end end
  return table.concat(r, ' ')
end
local x = nn.Identity()()
print(keys(nn.gModule({x}, {nn.Tanh()(x)})))
local x1, x2 = nn.Identity()(), nn.Identity()()
print(keys(nn.gModule({x1, x2}, {x1, nn.Tanh()(x2)})))
local C, parent = torch.class('nn.SwC', 'nn.Container')
function C:__init()
  parent.__init(self)
  for _, k in ipairs({'bg', 'fg', 'innode', 'outnode', 'verbose', 'nInputs', 'forwardnodes',
                      'backwardnodes'}) do self[k] = 1 end
  self.output = nil
  self.gradInput = nil
end
print(keys(nn.SwC()))
local D, dparent = torch.class('nn.SwD', 'nn.Module')
function D:__init() dparent.__init(self) self.a = 1 self.b = 2 self.output = nil self.c = nil self.d = 3 end
print(keys(nn.SwD()))
"""


def test_pairs_over_fields_cleared_after_a_value(tmp_path):
    r = th_script(PAIRS_SCRIPT, tmp_path)
    assert r.stdout == (
        "outnode fg forwardnodes innode _type backwardnodes nInputs verbose bg modules\t\n"
        "output outnode fg forwardnodes innode _type backwardnodes nInputs verbose bg "
        "modules\t\n"
        "outnode fg forwardnodes innode _type backwardnodes nInputs verbose bg modules\t\n"
        "a _type gradInput b d\t\n"), r.stderr


# -- SpatialConvolution(MM/Local):type's `self.finput = self.finput and torch.Tensor()` -------
# With no buffer there (before a forward, after clearState) it sets a key the table never had
# to nil: a node holding nil that moves the other keys, in pairs() and in what torch.save
# writes (clone).

CONV_TYPE_SCRIPT = r"""
require 'nn'
local function keys(t)
  local r = {}
  for k, v in pairs(t) do if type(k) == 'string' then r[#r + 1] = k end end
  return table.concat(r, ' ')
end
local m = nn.SpatialConvolution(1, 2, 3, 3)
m:float()
print(keys(m))
print(keys(m:clone()))
"""


def test_conv_type_sets_missing_buffers_to_nil(tmp_path):
    r = th_script(CONV_TYPE_SCRIPT, tmp_path)
    assert r.stdout == (
        "dH dW nInputPlane output kH gradInput kW nOutputPlane weight _type gradWeight padW "
        "bias padH gradBias\t\n"
        "dH dW nInputPlane output kH bias padH gradBias weight _type gradWeight padW "
        "nOutputPlane kW gradInput\t\n"), r.stderr


def test_conv_type_buffers_in_python():
    m = nn.SpatialConvolution(1, 2, 3, 3)
    m.float()
    assert 'finput' in m.__dict__ and m.__dict__['finput'] is None
    m.forward(__import__('torch7py').FloatTensor(1, 4, 4).fill(1))
    m.double()
    assert m.finput.nElement() == 0
