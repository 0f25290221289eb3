"""What tools/diff_nngraph.py (the original graph + nngraph Lua sources beside ours) found, each
checked against what Torch7's sources or files say; and a short run of the tool itself when
checkouts of nngraph and graph are present (NNGRAPH_DIR, default /work/ext/nngraph; graph
beside it)."""
import os
import subprocess
import sys

import pytest

import torch7py as torch
from torch7py import nn, nngraph
from torch7py.serialization import objects
from torch7py.serialization.objects import TorchObject

from luatest import th_script, trepl_runtime

pytest.importorskip("lupa")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NNGRAPH = os.environ.get("NNGRAPH_DIR", "/work/ext/nngraph")


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nngraph'")


def _labels(g):
    return {n.id: n.data['annotations']['_debugLabel'] for n in g.forwardnodes}


def test_nngraph_own_nodes_are_labelled_where_torch7_labels_them():
    # Torch7's gModule of two inputs (../shared/parity/t7/nngraph_two_io_binary.t7, written by
    # the original) labels its dummy nodes '[[C]]:-1_' (node.lua's debug.getinfo(6) reaches
    # luaT's C __call from gModule:__init) and the input split
    # '[[C]]:-1_ split at [/usr/local/share/lua/5.1/nngraph/gmodule.lua]:96-mnode'
    a, b = nn.Identity()(), nn.Identity()()
    g = nn.gModule([a, b], [nn.CAddTable()([a, b])])
    labels = sorted(n.data['annotations']['_debugLabel'] for n in g.forwardnodes
                    if n.data.get('module') is None)
    assert labels == ['[[C]]:-1_', '[[C]]:-1_',
                      '[[C]]:-1_ split at [/usr/local/share/lua/5.1/nngraph/gmodule.lua]:96-mnode',
                      '[[C]]:-1_-1', '[[C]]:-1_-2']


def test_split_of_one_and_criterion_nodes_name_the_places_torch7_finds(rt):
    # node.lua's `return nngraph.JustElement()(self)` and init.lua's
    # `return nn.ModuleFromCriterion(self)(...)` are tail calls, which leave no frame in LuaJIT:
    # getinfo(6) finds split's caller for the first and the criterion's C __call for the second
    # (the reference Torch7 prints '[s.lua]:2_' and '[[C]]:-1_' for these lines)
    rt.execute("""
      local x, t = nn.Identity()(), nn.Identity()()
      j = nn.Identity()(x):split(1)
      c = nn.MSECriterion()({j, t})
      function named() local r = nn.Tanh()(x); return r end
      n = named()
    """)
    g = rt.globals
    assert g.j.data.annotations._debugLabel.endswith(']:3_')
    assert g.c.data.annotations._debugLabel == '[[C]]:-1_'
    # getinfo(6, 'Sl') fills no function name
    assert g.n.data.annotations._debugLabel.endswith(']:5_')


def test_node_data_is_written_in_pairs_order(tmp_path):
    # the original's file of this graph lists the dummy input node's data as
    # annotations, input, mapindex, reverseMap, forwardNodeId, gradOutput (File.lua writes a
    # table in pairs() order, not in the order its keys were set)
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Tanh()(x)])
    g.forward(torch.randn(3))
    g.backward(torch.randn(3), torch.randn(3))
    path = str(tmp_path / 'g.t7')
    torch.save(path, g)
    objects._class_of('torch.DoubleTensor')
    saved, orig = dict(objects._registry), objects._class_of
    objects._registry.clear()
    objects._registry.update({k: v for k, v in saved.items() if k.startswith('torch.')})
    objects._class_of = lambda n: objects._registry.get(n)
    try:
        m = torch.load(path, unknown_classes='table')
    finally:
        objects._registry.clear()
        objects._registry.update(saved)
        objects._class_of = orig
    assert isinstance(m, TorchObject)
    keys = list(m['innode']['data'].keys())
    assert keys == ['annotations', 'input', 'mapindex', 'reverseMap', 'forwardNodeId',
                    'gradOutput']


def test_node_without_data_fails_as_node_lua(rt):
    # nnNode:__init's first line indexes self.data
    ok, msg = rt.execute("return pcall(function() return nngraph.Node() end)")
    assert ok is False and msg.endswith("attempt to index field 'data' (a nil value)")
    with pytest.raises(Exception, match=r"attempt to index field 'data' \(a number value\)"):
        nngraph.Node(3)


def test_graph_node_label_of_a_table_is_its_address(rt):
    # graph's Node:label is tostring(self.data)
    assert rt.execute("return graph.Node({1, 2}):label()").startswith('table: 0x')
    assert rt.execute("return graph.Node(2):label()") == '2'
    assert rt.execute("return graph.Node(2.5):label()") == '2.5'


def test_lua_class_objects_are_copied_by_clone(tmp_path):
    # Module:clone writes the module to a MemoryFile and reads it back: every object in it is
    # new, and objects referenced twice come back as one
    p = th_script("""
      require 'nn'
      my = {}
      torch.class('my.Thing')
      local M, parent = torch.class('nn.Holder', 'nn.Module')
      function M:__init()
         parent.__init(self)
         local d = {a = 1}
         self.one = my.Thing(); self.one.data = d
         self.list = {my.Thing()}; self.list[1].data = d
      end
      local m = nn.Holder()
      local c = m:clone()
      print(c.one ~= m.one, c.one.data ~= m.one.data, c.list[1].data == c.one.data,
            torch.typename(c.one))
      print(type(m.one.new), torch.typename(m.one.new()))
    """, tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split('\n')[:2] == ['true\ttrue\ttrue\tmy.Thing\t', 'function\tmy.Thing\t']


def test_a_lua_unm_on_a_python_class_is_its_operator(tmp_path):
    # luaT's __unm calls the class's __unm__ (nngraph's init.lua sets Module.__unm__)
    p = th_script("""
      require 'nn'
      local Module = torch.getmetatable('nn.Module')
      Module.__unm__ = function(m) return 'neg ' .. torch.typename(m) end
      print(-nn.Linear(2, 2))
    """, tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout == 'neg nn.Linear\t\n'


# the cases whose every comparison agrees (see docs/nngraph.md for what the others show)
CLEAN = ','.join(['mlp batch', 'split and selectindex', 'gModule in Sequential',
                  'shared parameters', 'criterion node', 'parameters order', 'type and clone',
                  'annotations and labels', 'nan labels', 'graph package', '^errors',
                  'setDebug error', 'map and replace', '^nesting', '^share$', 'setDebug writes',
                  'JustTable and simple_print', 'named gModule', 'inside a gModule inside'])


def test_diff_nngraph_short_run():
    if not (os.path.exists(os.path.join(NNGRAPH, 'gmodule.lua')) and os.path.exists(
            os.path.join(os.path.dirname(NNGRAPH), 'graph', 'Edge.lua'))):
        pytest.skip("needs nngraph and graph checkouts (NNGRAPH_DIR)")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "diff_nngraph.py"), NNGRAPH,
                        "--only", CLEAN], capture_output=True, text=True, env=env, timeout=900,
                       errors="backslashreplace")
    out = p.stdout + p.stderr
    diffs = [line for line in out.splitlines() if line.startswith("DIFF ")]
    assert diffs == [] and p.returncode == 0, out[-4000:]
    assert " 0 differences" in out and "19 cases" in out


def test_a_lua_class_method_set_through_its_constructor_table(tmp_path):
    # luaT's constructor table writes into the class metatable, where objects find their
    # methods: nngraph.setDebug wraps gModule's methods with `nn.gModule[name] = f`
    p = th_script("""
      require 'nn'
      local C = torch.class('nn.Wrapped', 'nn.Module')
      function C:hello() return 'old' end
      local m = nn.Wrapped()
      local old = nn.Wrapped.hello
      nn.Wrapped.hello = function(self) return 'new ' .. old(self) end
      print(m:hello())
    """, tmp_path)
    assert p.returncode == 0, p.stderr
    assert p.stdout == 'new old\t\n'


def test_a_key_set_to_nil_keeps_its_slot():
    # LuaJIT keeps a nil key in its hash node until a rehash: the other keys keep their pairs()
    # order, and the key set again comes back to its place (clearState, then forward)
    t = nngraph.Table()
    for k in ('module', 'annotations', 'mapindex', 'reverseMap', 'forwardNodeId', 'input',
              'gradOutput', 'gradOutputBuffer'):
        t[k] = 1
    before = t.lua_keys()
    t.input = None
    t.gradOutput = None
    del t['gradOutputBuffer']
    assert t.lua_keys() == [k for k in before if k not in ('input', 'gradOutput',
                                                           'gradOutputBuffer')]
    t.input, t.gradOutput, t.gradOutputBuffer = 1, 1, 1
    assert t.lua_keys() == before
