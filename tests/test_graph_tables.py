"""graph's Graph keeps `nodes` and `edges` as two-part Lua tables (Graph:add: table.insert(t, x)
then t[x] = #t): `g.nodes[node]` is the node's index, from Lua and from Python."""
import copy

import pytest

from torch7py import serialization as S
from torch7py.nngraph.edge import Edge
from torch7py.nngraph.graph import Graph
from torch7py.nngraph.graph_node import GraphNode


def _chain(n):
    nodes = [GraphNode(i) for i in range(1, n + 1)]
    g = Graph()
    for a, b in zip(nodes, nodes[1:]):
        g.add(Edge(a, b))
    return g, nodes


def test_python_side_both_parts():
    g, nodes = _chain(4)
    assert list(g.nodes) == nodes and len(g.edges) == 3
    assert [g.nodes[n] for n in nodes] == [1, 2, 3, 4]
    assert g.nodes[GraphNode(9)] is None
    assert g.edges[g.edges[1]] == 2 and g.nodes.get(2) is nodes[1]
    assert [n.id for n in nodes] == [1, 2, 3, 4]
    g2 = copy.deepcopy(g)
    assert type(g2.nodes) is type(g.nodes) and g2.nodes[g2.nodes[2]] == 3


def test_t7_keeps_both_parts():
    g, nodes = _chain(3)
    back = S.deserialize(S.serialize(g))
    assert [n.data for n in back.nodes] == [1, 2, 3]
    assert [back.nodes[n] for n in back.nodes] == [1, 2, 3]


lupa = pytest.importorskip("lupa")


def test_lua_side_both_parts():
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    r = rt.execute("""
        require 'graph'
        local g = graph.Graph()
        local a, b, c = graph.Node(1), graph.Node(2), graph.Node(3)
        g:add(graph.Edge(a, b))
        local t = g.nodes
        local before = t[b]
        table.insert(t, c); t[c] = #t   -- as Graph:add does it, from Lua
        local d = graph.Node(4)
        g:add(graph.Edge(c, d))
        local n = 0
        for k in pairs(g.nodes) do n = n + 1 end
        return {before, rawequal(g.nodes, t), #g.nodes, g.nodes[c], g.nodes[d], n,
                g.edges[g.edges[2]], g.nodes[graph.Node(5)] == nil}
    """)
    assert list(r) == [2, True, 4, 3, 4, 8, 2, True]


def test_two_part_table_written_array_part_first():
    # writeObject walks a table with pairs: LuaJIT visits the array part (1..n) before the
    # hash part, so a node's children table is written 1, 2, ... then the node keys
    from torch7py.nngraph.graph_node import _mixed
    a, b, c = GraphNode(1), GraphNode(2), GraphNode(3)
    back = S.deserialize(S.serialize(_mixed([a, b, c])))
    keys = list(back.keys())
    assert keys[:3] == [1, 2, 3]
    assert [back[k] for k in keys[3:]] == [1, 2, 3]
