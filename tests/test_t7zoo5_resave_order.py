"""Re-saving what was read: graph's two-part tables (`nodes`, `edges`, `children`: t[i] = x
and t[x] = i) keep the order of their item keys as the file had it (Torch7 wrote them by
address, which cannot be known); a plain table is written as Torch7 re-saving it writes it;
a kept DataParallelTable writes the gpuAssignments table it holds."""
import pytest

import torch7py as torch
from torch7py import nn, nngraph
from torch7py.luaorder import pairs_order
from torch7py.nngraph import graph_node
from torch7py.nngraph.table import Table, as_table


def test_table_read_from_a_file_is_written_as_torch7_rewrites_it():
    # Torch7 re-saving a table it read writes LuaJIT's pairs order of the keys set in the file's
    # order (SPyNet's optim state: the file's order came from the table's history)
    keys = ["v", "m", "learningRate", "t", "denom", "momentum", "weightDecay", "dampening",
            "learningRateDecay"]
    assert pairs_order(keys) != keys
    t = as_table({k: i for i, k in enumerate(keys)}, {})
    assert [k for k, _ in t._t7_items()] == pairs_order(keys)


def _graph():
    x = nn.Identity()()
    h = nn.Linear(3, 4)(x)
    a = nn.Tanh()(h)
    b = nn.Sigmoid()(h)
    y = nn.CAddTable()([a, b])
    return nngraph.gModule([x], [y])


def test_graph_tables_keep_the_item_order_of_the_file(monkeypatch):
    g = _graph()
    plain = bytes(torch.serialize(g))
    plain_fg = bytes(torch.serialize(g.fg))

    # a file whose item keys are in another order (Torch7's addresses), made by writing the
    # item keys backwards
    def backwards(items, owner=None, field=None):
        t = Table()
        for i, x in enumerate(items, 1):
            t[i] = x
        for i, x in reversed(list(enumerate(items, 1))):
            t[x] = i
        return t

    monkeypatch.setattr(graph_node, "_mixed", backwards)
    import sys
    monkeypatch.setattr(sys.modules["torch7py.nngraph.graph"], "_mixed", backwards)
    data = bytes(torch.serialize(g))
    fg_data = bytes(torch.serialize(g.fg))
    monkeypatch.undo()
    assert data != plain and len(data) == len(plain)
    back = torch.deserialize(data)
    # the graph's tables keep the file's item order; (the gModule itself reads its fields in
    # a pairs() loop, gmodule.lua:494, so its own fields follow File.lua's rule after a load:
    # tests/test_ngclone_fieldorder.py) - its forward graph, read as any object, re-saves by
    # the same rule as any object (its own fields reordered as the original Torch7 does), its
    # item keys in the file's order
    assert fg_data != plain_fg
    fg_back = torch.deserialize(fg_data)
    again = torch.deserialize(torch.serialize(fg_back))
    assert [n.id for n in again.nodes] == [n.id for n in fg_back.nodes]
    assert len(torch.serialize(fg_back)) == len(fg_data)
    # the item keys of nodes, edges and children are written in the file's order again
    for gr in (back.fg, back.bg):
        for field in ("nodes", "edges"):
            items = list(getattr(gr, field))
            written = [k for k in graph_node._mixed(items, gr, field) if not isinstance(k, int)]
            assert written == items[::-1]
        for node in gr.nodes:
            if len(node.children) > 1:
                written = [k for k in graph_node._mixed(node.children, node, "children")
                           if not isinstance(k, int)]
                assert written == list(node.children)[::-1]
    # the graph still runs, and a graph changed after loading is written in its own order
    y = back.forward(torch.randn(3))
    assert tuple(y.size()) == (4,)
    fresh = _graph()
    assert bytes(torch.serialize(fresh)) != data


@pytest.mark.parametrize("n", [2, 5])
def test_mixed_ignores_a_stale_order(n):
    items = [graph_node.GraphNode(i) for i in range(n)]
    owner = graph_node.GraphNode()
    graph_node._FILE_ORDER[owner] = {"children": list(reversed(items[:-1]))}
    t = graph_node._mixed(items, owner, "children")
    assert [k for k in t if not isinstance(k, int)] == items


def test_data_parallel_table_kept_resaves_its_bytes_in_python_and_lua(tmp_path, capsys):
    # cunn's DataParallelTable:__write writes self.gpuAssignments, then its fields, which hold
    # the same table: the file has a reference there, and a re-save must write one too
    pytest.importorskip("lupa")
    import gpu_corpus as G
    import numpy as np
    from luatest import lua
    D = "torch.CudaDoubleTensor"
    model = G.data_parallel_table(G.nn_linear(np.ones((2, 3)), np.zeros(2), ttype=D),
                                  gpus=(1, 2, 3), ttype=D)
    data = G.dumps(model)
    kept = torch.deserialize(data, gpu_types="keep")
    # (its nn.Linear written back as the original Torch7 writes a module it loaded)
    resaved = G.dumps(G.resaved(model, {"nn.Linear"}))
    assert bytes(torch.serialize(kept)) == resaved
    path = tmp_path / "dpt.t7"
    path.write_bytes(data)
    expected = tmp_path / "dpt_resaved.t7"
    expected.write_bytes(resaved)
    (same,), _ = lua("""
        local f = io.open(%r, 'rb'); local bytes = f:read('*a'); f:close()
        local o = torch.load(%r, 'binary', true, {gpu_types = 'keep'})
        return {torch.serialize(o) == bytes}
    """ % (str(expected), str(path)), capsys)
    assert same is True
