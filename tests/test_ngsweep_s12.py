"""Session 12's nngraph sweep: the mechanisms public nngraph code met (docs/legacy_sweep.md,
"Session 12: nngraph code")."""
import os
import subprocess
import sys

import pytest

from torch7py import nn
from torch7py.nngraph.edge import Edge
from torch7py.nngraph.graph import Graph
from torch7py.nngraph.graph_node import GraphNode
from torch7py.nngraph.table import IndexedList

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _first_positions(items):
    """graph's two-part table: t[x] is the 1-based position where x was inserted first."""
    out = {}
    for i, x in enumerate(items):
        if x not in out:
            out[x] = i + 1
    return out


def _check(lst):
    expected = _first_positions(list(lst))
    for x, i in expected.items():
        assert lst[x] == i
        assert lst.get(x) == i
    assert lst['absent'] is None


def test_indexed_list_positions_follow_every_change():
    # the index is now extended as items are appended, not rebuilt: every other change of
    # the items must still give Lua's `t[x]` (the item's position)
    lst = IndexedList()
    for s in 'abcde':
        lst.append(s)
        _check(lst)
    lst.extend(['f', 'g'])
    _check(lst)
    lst.pop()
    lst.append('h')  # same length as before the pop, another item
    _check(lst)
    assert lst['g'] is None
    lst.insert(0, 'z')
    _check(lst)
    lst[1] = 'y'
    _check(lst)
    assert lst['a'] is None
    del lst[2]
    _check(lst)
    lst.remove('d')
    _check(lst)
    lst.sort()
    _check(lst)
    lst.reverse()
    _check(lst)
    lst.clear()
    assert lst['z'] is None
    lst.append('q')
    _check(lst)


def test_graph_add_numbers_nodes_in_first_insertion_order():
    # graph/init.lua's Graph:add: the edge, then edge.from, then edge.to, each inserted when
    # not yet in the table (t[x] = #t), and both nodes' ids set from it
    n = [GraphNode(i) for i in range(6)]
    g = Graph()
    for a, b in [(2, 4), (4, 0), (2, 5), (1, 4), (5, 3)]:
        g.add(Edge(n[a], n[b]))
    order = [2, 4, 0, 5, 1, 3]  # by hand: the first time each node appears, from before to
    assert [x.data for x in g.nodes] == order
    for pos, i in enumerate(order, 1):
        assert g.nodes[n[i]] == pos
        assert n[i].id == pos
    assert len(g.edges) == 5 and g.edges[g.edges[0]] == 1 and g.edges[g.edges[4]] == 5


def test_long_chain_gmodule_keeps_ids_and_runs():
    # a gModule of 400 nodes (built in quadratic time before): forward is tanh applied 399
    # times, each forward node's id is its place in the graph's node table
    import numpy as np
    import torch7py as torch
    x = nn.Identity()()
    h = x
    for _ in range(399):
        h = nn.Tanh()(h)
    g = nn.gModule([x], [h])
    assert len(g.forwardnodes) == 402  # innode, Identity, 399 Tanh, outnode
    # each node's id is its position in the forward graph's node table (Graph:add)
    assert sorted(nd.id for nd in g.forwardnodes) == list(range(1, 403))
    for nd in g.forwardnodes:
        assert g.fg.nodes[nd] == nd.id and g.fg.nodes[nd.id - 1] is nd
    v = np.array([0.5, -1.0, 2.0])
    out = g.forward(torch.Tensor(v.tolist())).numpy()
    want = v.copy()
    for _ in range(399):
        want = np.tanh(want)
    assert np.allclose(out, want, rtol=0, atol=1e-15)


lupa = pytest.importorskip("lupa")


def _th(script, cwd):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    path = os.path.join(cwd, "s.lua")
    with open(path, "w") as f:
        f.write(script)
    return subprocess.run([sys.executable, "-m", "compat.th", path], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_assert_message_names_its_lua_line(tmp_path):
    # gmodule.lua:98 `assert(#inputs[i].children == 0, "an input should have no inputs")` and
    # :125 `assert(torch.typename(root.data.module) == 'nnop.Parameters', ...)`: LuaJIT 2.1's
    # assert with a message names its caller's line (lj_err_callermsg), in a tail call and in
    # any other call alike, as the reference Torch7 prints them
    r = _th(
        "require 'nngraph'\n"
        "local x, y = nn.Identity()(), nn.Identity()()\n"
        "local j = nn.CAddTable()({x, y})\n"
        "local g = nn.gModule({x, y}, {j})\n"
        "print(pcall(function() return nn.gModule({x, y}, {j}) end))\n"
        "print(pcall(function() local q = nn.gModule({x, y}, {j}); return q end))\n"
        "local a = nn.Identity()()\n"
        "local b = nn.Linear(2, 2)(nn.Identity()())\n"
        "print(pcall(function() local q = nn.gModule({a}, {nn.CAddTable()({a, b})}); return q end))\n"
        "print(pcall(function() local m = nn.Linear(2, 2):forward(torch.ones(3)); return m end))\n",
        str(tmp_path))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    at = "false\t/usr/local/share/lua/5.1/nngraph/gmodule.lua:"
    assert lines[0] == at + "98: an input should have no inputs\t"
    assert lines[1] == at + "98: an input should have no inputs\t"
    # :125's assert on the second root (an Identity, not an nnop.Parameters node)
    assert lines[2] == at + "125: Expected nnop.Parameters node, found : nn.Identity\t"
    # a C check (TH's size mismatch) is named at the calling Lua line, as luaL_error does:
    # Linear.lua's addmv (the reference Torch7: nn/Linear.lua:57)
    assert lines[3] == \
        "false\t/usr/local/share/lua/5.1/nn/Linear.lua:57: size mismatch, [2 x 2], [3]\t"


def test_backward_when_no_gradient_reaches_an_input(tmp_path):
    # OpenNMT's CNNEncoder: a module whose gradInput table has no entry for its second input
    # (the sequence lengths). gmodule.lua's updateGradInput inserts nothing for it (`table.insert(
    # t, nil)`), and accGradParameters passes `gradOutput[1]` of the empty table, nil, on to that
    # input's Identity, whose accGradParameters does nothing; the gModule's gradInput is {g1}.
    r = _th(
        "require 'nngraph'\n"
        "local M = torch.class('nn.FirstOnlyS12', 'nn.Module')\n"
        "function M:updateOutput(input) self.output = input[1] return self.output end\n"
        "function M:updateGradInput(input, gradOutput) self.gradInput = {gradOutput} "
        "return self.gradInput end\n"
        "local x, s = nn.Identity()(), nn.Identity()()\n"
        "local lin = nn.Linear(2, 3)\n"
        "local g = nn.gModule({x, s}, {nn.FirstOnlyS12()({lin(x), s})})\n"
        "lin.weight:copy(torch.Tensor{{1, 2}, {3, 4}, {5, 6}}); lin.bias:zero()\n"
        "g:zeroGradParameters()\n"
        "local inp = {torch.Tensor{1, -1}, torch.Tensor{7}}\n"
        "g:forward(inp)\n"
        "local gi = g:backward(inp, torch.Tensor{1, 2, 3})\n"
        "print(#gi, gi[1][1], gi[1][2], gi[2])\n"
        "local w = lin.gradWeight:view(-1)\n"
        "print(w[1], w[2], w[3], w[4], w[5], w[6], lin.gradBias[1], lin.gradBias[3])\n",
        str(tmp_path))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    # by hand: W^T g = [1+6+15, 2+8+18]; gradWeight = g x^T; gradBias = g
    assert lines[0].split() == ["1", "22", "28", "nil"]
    assert lines[1].split() == ["1", "-1", "2", "-2", "3", "-3", "1", "3"]


def test_object_field_before_class_table_value(tmp_path):
    # a torch.class object is a table whose metatable's __index is the class: Lua finds the
    # object's own key first, the class table's value only when the object has none (OpenNMT's
    # BeamSearchTest sets `SubDict.vocabs = {1, 2, 3}`; SubDict's constructor then sets and
    # reads self.vocabs, which must be its own {2, 3, 4})
    r = _th(
        "require 'torch'\n"
        "local C = torch.class('ZZs12')\n"
        "function C:__init() self.v = {2, 3, 4}; self.n = 5; self.s = 'inst' end\n"
        "C.v = {1, 2, 3}\n"
        "C.n = 1\n"
        "C.s = 'class'\n"
        "local o = ZZs12()\n"
        "print(o.v[1], #o.v, o.n, o.s)\n"
        "table.insert(o.v, 9)\n"
        "print(#o.v, o.v[4], #C.v)\n"
        "local o2 = ZZs12()\n"
        "o2.v = nil; o2.s = nil\n"
        "print(o2.v[1], o2.s, o2.n)\n",
        str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["2\t3\t5\tinst\t", "4\t9\t3\t", "1\tclass\t5\t"]
