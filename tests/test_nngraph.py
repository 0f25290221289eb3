"""torch7py.nngraph: graph building, gModule passes checked against numpy formulas and central
finite differences (float64), sharing, containers, errors with nngraph's texts."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn, nngraph
from torch7py.nngraph import Node


def _t(a):
    return torch.DoubleTensor(np.ascontiguousarray(a, dtype=np.float64))


def _np(x):
    return x.numpy().copy()


def _lstm_cell(nin, rnn):
    x, prev_c, prev_h = nn.Identity()(), nn.Identity()(), nn.Identity()()
    i2h = nn.Linear(nin, 4 * rnn)(x)
    h2h = nn.Linear(rnn, 4 * rnn)(prev_h)
    sums = nn.CAddTable()([i2h, h2h])
    gi, gf, go, gc = nn.SplitTable(2)(nn.Reshape(4, rnn)(sums)).split(4)
    in_gate, forget_gate, out_gate = nn.Sigmoid()(gi), nn.Sigmoid()(gf), nn.Sigmoid()(go)
    cand = nn.Tanh()(gc)
    c = nn.CAddTable()([nn.CMulTable()([forget_gate, prev_c]), nn.CMulTable()([in_gate, cand])])
    h = nn.CMulTable()([out_gate, nn.Tanh()(c)])
    return nn.gModule([x, prev_c, prev_h], [c, h])


def _sig(z):
    return 1 / (1 + np.exp(-z))


def _lstm_numpy(g, x, c0, h0):
    lin = [m for m in g.modules if torch.typename(m) == 'nn.Linear']
    w1, b1, w2, b2 = (_np(lin[0].weight), _np(lin[0].bias), _np(lin[1].weight),
                      _np(lin[1].bias))
    rnn = c0.shape[1]
    z = x @ w1.T + b1 + h0 @ w2.T + b2
    z = z.reshape(-1, 4, rnn)
    i, f, o, cc = _sig(z[:, 0]), _sig(z[:, 1]), _sig(z[:, 2]), np.tanh(z[:, 3])
    c = f * c0 + i * cc
    return c, o * np.tanh(c)


# ---- building ------------------------------------------------------------------------------

def test_call_on_nodes_makes_nodes_and_on_tensors_forwards():
    lin = nn.Linear(3, 2)
    x = nn.Identity()()
    assert isinstance(x, Node) and torch.typename(x) == 'nngraph.Node'
    node = lin(x)
    assert isinstance(node, Node) and node.data.module is lin
    assert node.data.mapindex[1] is x.data and node.data.mapindex[x.data] == 1
    assert x.data.reverseMap[node] is True
    inp = _t(np.arange(6.0).reshape(2, 3))
    y = lin(inp)
    assert torch.isTensor(y) and y is lin.output
    expected = _np(inp) @ _np(lin.weight).T + _np(lin.bias)
    np.testing.assert_allclose(_np(y), expected, rtol=1e-12)
    # a table module called on a table of tensors still forwards
    s = nn.CAddTable()([_t([1.0, 2.0]), _t([3.0, 4.0])])
    np.testing.assert_allclose(_np(s), [4.0, 6.0])
    # the operator forms
    a = -nn.Linear(2, 3)
    b = a - nn.Tanh() - nn.Linear(3, 1)
    assert isinstance(a, Node) and isinstance(b, Node)
    assert torch.typename(b.data.module) == 'nn.Linear'


def test_split_and_criterion_nodes():
    x = nn.Identity()()
    p, q, r = nn.SplitTable(1)(x).split(3)
    assert [n.data.selectindex for n in (p, q, r)] == [1, 2, 3]
    one = nn.ConcatTable().add(nn.Identity())(x).split(1)
    assert torch.typename(one.data.module) == 'nngraph.JustElement'
    pred, target = nn.Identity()(), nn.Identity()()
    loss = nn.MSECriterion()([pred, target])
    assert torch.typename(loss.data.module) == 'nn.ModuleFromCriterion'
    g = nn.gModule([pred, target], [loss])
    P, T = np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([[0.0, 2.5], [1.0, 1.0]])
    out = g.forward([_t(P), _t(T)])
    np.testing.assert_allclose(_np(out), [np.mean((P - T) ** 2)], rtol=1e-12)
    gi = g.backward([_t(P), _t(T)], _t([2.0]))
    np.testing.assert_allclose(_np(gi[0]), 2.0 * 2 * (P - T) / P.size, rtol=1e-12)
    np.testing.assert_allclose(_np(gi[1]), np.zeros_like(T))


def test_structure_of_a_two_input_two_output_graph():
    x1, x2 = nn.Identity()(), nn.Identity()()
    a, b = nn.Linear(3, 4)(x1), nn.Linear(3, 4)(x2)
    g = nn.gModule([x1, x2], [nn.Tanh()(nn.CAddTable()([a, b])),
                              nn.Sigmoid()(nn.CMulTable()([a, b]))])
    # the dummy input node, its split node, two select nodes, 2 inputs, 6 modules, the output
    assert len(g.fg.nodes) == len(g.bg.nodes) == 13
    assert g.nInputs == 2 and len(g.outnode.children) == 2
    assert g.forwardnodes[0] is g.innode and g.fg.roots() == [g.innode]
    assert g.bg.roots() == [g.outnode]
    assert [torch.typename(m) for m in g.modules] == [
        'nn.Identity', 'nn.Linear', 'nn.Identity', 'nn.Linear', 'nn.CMulTable', 'nn.Sigmoid',
        'nn.CAddTable', 'nn.Tanh'] or sorted(torch.typename(m) for m in g.modules) == sorted(
        ['nn.Identity', 'nn.Linear', 'nn.Identity', 'nn.Linear', 'nn.CMulTable', 'nn.Sigmoid',
         'nn.CAddTable', 'nn.Tanh'])
    pos = {id(n.data): i for i, n in enumerate(g.forwardnodes)}
    for n in g.forwardnodes:  # topological: every consumer comes after its inputs
        for c in n.children:
            assert pos[id(c.data)] > pos[id(n.data)]
    for fn in g.forwardnodes:
        assert fn.data.forwardNodeId == fn.id
        assert any(bn.data is fn.data and bn is not fn for bn in g.backwardnodes)
    assert not g.fg.hasCycle()


# ---- numbers ---------------------------------------------------------------------------------

def test_lstm_cell_forward_backward_matches_numpy():
    torch.manualSeed(3)
    g = _lstm_cell(3, 4)
    rs = np.random.RandomState(0)
    x, c0, h0 = rs.randn(2, 3), rs.randn(2, 4), rs.randn(2, 4)
    c, h = g.forward([_t(x), _t(c0), _t(h0)])
    ce, he = _lstm_numpy(g, x, c0, h0)
    np.testing.assert_allclose(_np(c), ce, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(_np(h), he, rtol=1e-12, atol=1e-14)


def _loss_and_grads(g, inputs, gouts):
    out = g.forward(inputs)
    outs = out if isinstance(out, list) else [out]
    return sum(float((_np(o) * go).sum()) for o, go in zip(outs, gouts))


@pytest.mark.parametrize('which', ['lstm', 'multi'])
def test_jacobian_inputs_and_parameters(which):
    torch.manualSeed(11)
    rs = np.random.RandomState(1)
    if which == 'lstm':
        g = _lstm_cell(3, 2)
        inputs = [_t(rs.randn(2, 3)), _t(rs.randn(2, 2)), _t(rs.randn(2, 2))]
    else:
        x1, x2 = nn.Identity()(), nn.Identity()()
        a, b = nn.Linear(3, 4)(x1), nn.Linear(2, 4)(x2)
        s = nn.CAddTable()([a, b])
        m = nn.CMulTable()([a, nn.Tanh()(b)])
        g = nn.gModule([x1, x2], [nn.Sigmoid()(s), nn.Linear(4, 2)(m), s])
        inputs = [_t(rs.randn(3, 3)), _t(rs.randn(3, 2))]
    out = g.forward(inputs)
    outs = out if isinstance(out, list) else [out]
    gouts = [rs.randn(*o.size()) for o in outs]
    g.zeroGradParameters()
    go = [_t(x) for x in gouts]
    gi = g.backward(inputs, go if len(go) > 1 else go[0])
    gi = [_np(t) for t in gi]
    eps = 1e-6
    for k, inp in enumerate(inputs):  # d(sum out*gout)/d input
        a = inp.numpy()
        num = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            fp = _loss_and_grads(g, inputs, gouts)
            a[idx] = old - eps
            fm = _loss_and_grads(g, inputs, gouts)
            a[idx] = old
            num[idx] = (fp - fm) / (2 * eps)
        np.testing.assert_allclose(gi[k], num, atol=1e-7)
    params, grads = g.parameters()
    for p, gp in zip(params, grads):
        a = p.numpy()
        num = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            fp = _loss_and_grads(g, inputs, gouts)
            a[idx] = old - eps
            fm = _loss_and_grads(g, inputs, gouts)
            a[idx] = old
            num[idx] = (fp - fm) / (2 * eps)
        np.testing.assert_allclose(_np(gp), num, atol=1e-7)


def test_shared_clones_accumulate_into_one_flat_gradient():
    torch.manualSeed(5)
    proto = _lstm_cell(2, 3)
    params, grads = proto.getParameters()
    clones = [proto.clone('weight', 'bias', 'gradWeight', 'gradBias') for _ in range(3)]
    for c in clones:
        for p, gp in zip(*c.parameters()):
            assert p.storage() is params.storage() and gp.storage() is grads.storage()
    rs = np.random.RandomState(2)
    xs = [rs.randn(1, 2) for _ in range(3)]
    grads.zero()
    state = [_t(np.zeros((1, 3))), _t(np.zeros((1, 3)))]
    states = [state]
    for t in range(3):
        c, h = clones[t].forward([_t(xs[t])] + states[-1])
        states.append([c.clone(), h.clone()])
    gsum = _t(np.ones((1, 3)))
    dstate = [_t(np.zeros((1, 3))), gsum]
    for t in (2, 1, 0):
        din = clones[t].backward([_t(xs[t])] + states[t], dstate)
        dstate = [din[1].clone(), din[2].clone()]
    flat = _np(grads)

    def total(pv):
        params.copy(_t(pv))
        st = [np.zeros((1, 3)), np.zeros((1, 3))]
        for t in range(3):
            st = list(_lstm_numpy(proto, xs[t], st[0], st[1]))
        return st[1].sum()
    p0 = _np(params)
    num = np.zeros_like(p0)
    for i in range(p0.size):
        d = np.zeros_like(p0)
        d[i] = 1e-6
        num[i] = (total(p0 + d) - total(p0 - d)) / 2e-6
    params.copy(_t(p0))
    np.testing.assert_allclose(flat, num, atol=1e-7)


def test_gmodule_in_containers_and_containers_in_gmodule():
    torch.manualSeed(2)
    inner_x = nn.Identity()()
    inner = nn.gModule([inner_x], [nn.Tanh()(nn.Linear(3, 3)(inner_x))])
    x = nn.Identity()()
    seq = nn.Sequential().add(nn.Linear(4, 3)).add(nn.ReLU())
    mid = nn.gModule([x], [inner(seq(x))])
    outer = nn.Sequential().add(mid).add(nn.Linear(3, 2))
    X = np.random.RandomState(3).randn(5, 4)
    y = _np(outer.forward(_t(X)))
    l1, l2, l3 = seq.modules[0], inner.modules[1], outer.modules[1]
    h = np.maximum(X @ _np(l1.weight).T + _np(l1.bias), 0)
    h = np.tanh(h @ _np(l2.weight).T + _np(l2.bias))
    np.testing.assert_allclose(y, h @ _np(l3.weight).T + _np(l3.bias), rtol=1e-12)
    p, _ = outer.getParameters()
    assert p.nElement() == 4 * 3 + 3 + 3 * 3 + 3 + 3 * 2 + 2
    assert [torch.typename(m) for m in outer.listModules()][:3] == [
        'nn.Sequential', 'nn.gModule', 'nn.Identity']


# ---- errors --------------------------------------------------------------------------------

def test_bad_graphs_raise_nngraphs_messages():
    a, b = nn.Identity()(), nn.Identity()()
    with pytest.raises(Exception, match=r"Don't pass the same input twice"):
        nn.CAddTable()([a, a])
    with pytest.raises(Exception, match=r'inputs\[1\] is an nn.Module, specifically a nn.Linear'):
        nn.Linear(2, 2)(nn.Linear(2, 2))
    with pytest.raises(Exception, match=r'cannot pass an empty table of inputs'):
        nn.Linear(2, 2)([])
    with pytest.raises(Exception, match=r'inputs\[1\] is nil'):
        nn.Linear(2, 2)(None)
    with pytest.raises(Exception, match=r'Use \{input1, input2\}'):
        nn.CAddTable()(a, b)
    with pytest.raises(Exception, match=r'no inputs are not supported'):
        nn.gModule([], [nn.Tanh()(a)])
    x = nn.Identity()()
    used, _dangling = nn.Tanh()(x), nn.Sigmoid()(x)
    with pytest.raises(Exception, match=r'does not connect to gmodule output'):
        nn.gModule([x], [used])
    x = nn.Identity()()
    p, _q = nn.SplitTable(1)(x).split(2)
    with pytest.raises(Exception, match=r'1 of split\(2\) outputs from the node declared at'):
        nn.gModule([x], [p])
    a, b = nn.Identity()(), nn.Identity()()
    g = nn.gModule([a, b], [nn.CAddTable()([a, b])])
    with pytest.raises(Exception, match=r'Got 1 inputs instead of 2'):
        g.forward([_t([1.0])])
    with pytest.raises(Exception, match=r'expecting table of 2 inputs'):
        g.forward(_t([1.0]))
    # the graph still works
    np.testing.assert_allclose(_np(g.forward([_t([1.0]), _t([2.0])])), [3.0])


def test_graph_with_a_cycle_is_reported():
    from torch7py.nngraph import Edge, Graph, GraphNode
    n1, n2, n3 = GraphNode(1), GraphNode(2), GraphNode(3)
    gr = Graph()
    gr.add([Edge(n1, n2), Edge(n2, n3), Edge(n3, n2)])
    assert gr.hasCycle()
    with pytest.raises(RuntimeError, match='Graph has cycles'):
        gr.topsort()


# ---- dot -----------------------------------------------------------------------------------

def test_dot_text_and_missing_graphviz(tmp_path, monkeypatch):
    x = nn.Identity()()
    y = nn.Tanh()(x).annotate({'name': 'act', 'graphAttributes': {'color': 'red'}})
    g = nn.gModule([x], [y])
    text = g.fg.todot('title')
    assert text.startswith('digraph G {\nlabelloc="t";\nlabel="title";\nnode [shape = oval]; ')
    assert 'color=red' in text and '"act (' in text
    assert text.count(' -> ') == len(g.fg.edges)
    # graph.dot renders through graphviz's libraries (graphviz.lua's FFI): without them, the
    # original's error and no file
    from torch7py.nngraph import graphviz
    monkeypatch.setattr(graphviz, 'LIBRARY_NAMES', {'gvc': ('libgvc-absent.so',),
                                                    'cgraph': ('libcgraph-absent.so',)})
    with pytest.raises(RuntimeError, match=r'^graphviz library could not be loaded\.$'):
        nngraph.dot(g.fg, 't', str(tmp_path / 'g'))
    assert list(tmp_path.iterdir()) == []


def test_simple_print_drops_identity_nodes_and_joins_their_edges():
    # nngraph's simple_print.lua: nodes without a module or holding nn.Identity are removed,
    # each one's parents joined to its children; kept nodes keep their ids in the names.
    # Graph:add numbers nodes as edges bring them: a=1, b=2 (Identity), d=3, c=4.
    g = nngraph.graph.Graph()
    a, b, c, d = (nngraph.Node({'module': m})
                  for m in (nn.Linear(2, 2), nn.Identity(), nn.Tanh(), nn.Sigmoid()))
    g.add(nngraph.graph.Edge(a, b))
    g.add(nngraph.graph.Edge(d, b))
    g.add(nngraph.graph.Edge(b, c))
    text = nngraph.simple_print.todot(g, 't')
    assert text == ('digraph G {\nlabelloc="t";\nlabel="t";\nnode [shape = oval]; '
                    '\nn1[label="Node1\\n%s"];\nn3[label="Node3\\n%s"];\nn4[label="Node4\\n%s"];'
                    '\nn1 -> n4;\nn3 -> n4;\n}' % (a.label(), d.label(), c.label()))


def test_table_minus_module_is_a_node_on_the_table():
    # nngraph's README: madd = {hh1, hh2} - nn.CAddTable(); Lua calls Module.__sub__(table,
    # module), which is module({hh1, hh2})
    h1, h2 = -nn.Linear(2, 2), -nn.Linear(3, 2)
    madd = [h1 - nn.Tanh(), h2 - nn.Tanh()] - nn.CAddTable()
    assert isinstance(madd, Node) and torch.typename(madd.data.module) == 'nn.CAddTable'
    g = nn.gModule([h1, h2], [madd])
    a, b = _t([0.5, -1.0]), _t([1.0, 2.0, -0.5])
    y = g.forward([a, b])
    l1, l2 = h1.data.module, h2.data.module
    want = (np.tanh(_np(l1.weight) @ _np(a) + _np(l1.bias))
            + np.tanh(_np(l2.weight) @ _np(b) + _np(l2.bias)))
    np.testing.assert_allclose(_np(y), want, rtol=1e-12)


def test_readme_operator_graph_through_lua():
    from compat.runtime import LuaRuntime
    rt = LuaRuntime()
    rt.execute("""
        require 'nngraph'
        h1 = - nn.Linear(20, 20)
        h2 = - nn.Linear(10, 10)
        hh1 = h1 - nn.Tanh() - nn.Linear(20, 1)
        hh2 = h2 - nn.Tanh() - nn.Linear(10, 1)
        madd = {hh1, hh2} - nn.CAddTable()
        gmod = nn.gModule({h1, h2}, {madd - nn.Sigmoid(), madd - nn.Tanh()})
        out = gmod:forward({torch.ones(20), torch.ones(10)})
    """)
    out = rt.execute("return out")
    assert len(out) == 2 and out[0].size(1) == 1
    s = float(rt.execute("return hh1.data.module.output[1] + hh2.data.module.output[1]"))
    np.testing.assert_allclose([_np(out[0])[0], _np(out[1])[0]],
                               [1 / (1 + np.exp(-s)), np.tanh(s)], rtol=1e-12)
