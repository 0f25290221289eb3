"""gModule .t7 files: the object graph we write has the structure the original Torch7 writes
(compared with ../shared/parity/t7/nngraph_lstm2_*.t7), and files load and save both ways."""
import collections
import os

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn, nngraph  # noqa: F401
from torch7py.serialization import objects
from torch7py.serialization.objects import LuaKey, TorchObject

T7 = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), '..', 'shared',
                  'parity', 't7')
needs_t7 = pytest.mark.skipif(not os.path.isdir(T7), reason='../shared/parity/t7 not present')


def make_lstm(vocab, rnn, layers, dropout, names=False):
    """char-rnn's model/LSTM.lua, as the parity cases build it (LookupTable input)."""
    inputs = [nn.Identity()()]
    for _ in range(layers):
        inputs += [nn.Identity()(), nn.Identity()()]
    outputs = []
    for L in range(1, layers + 1):
        prev_c, prev_h = inputs[2 * L - 1], inputs[2 * L]
        if L == 1:
            x = nn.LookupTable(vocab, rnn)(inputs[0])
        else:
            x = outputs[2 * L - 3]
            if dropout > 0:
                x = nn.Dropout(dropout)(x)
        i2h = nn.Linear(rnn, 4 * rnn)(x)
        h2h = nn.Linear(rnn, 4 * rnn)(prev_h)
        if names:  # char-rnn names them; the parity file's model does not
            i2h.annotate({'name': 'i2h_%d' % L})
            h2h.annotate({'name': 'h2h_%d' % L})
        sums = nn.CAddTable()([i2h, h2h])
        gi, gf, go, gc = nn.SplitTable(2)(nn.Reshape(4, rnn)(sums)).split(4)
        c = nn.CAddTable()([nn.CMulTable()([nn.Sigmoid()(gf), prev_c]),
                            nn.CMulTable()([nn.Sigmoid()(gi), nn.Tanh()(gc)])])
        h = nn.CMulTable()([nn.Sigmoid()(go), nn.Tanh()(c)])
        outputs += [c, h]
    top = outputs[-1]
    if dropout > 0:
        top = nn.Dropout(dropout)(top)
    outputs.append(nn.LogSoftMax()(nn.Linear(rnn, vocab)(top)))
    return nn.gModule(inputs, outputs)


def signature(path, fmt='binary'):
    """Every table and non-nn object of a file with the kinds of its keys, counted: read with
    no class but tensors known, so that it is what the file holds, not what we make of it."""
    objects._class_of('torch.DoubleTensor')  # the registry filled
    saved, orig = dict(objects._registry), objects._class_of
    objects._registry.clear()
    objects._registry.update({k: v for k, v in saved.items() if k.startswith('torch.')})
    objects._class_of = lambda n: objects._registry.get(n)
    try:
        m = torch.load(path, fmt, unknown_classes='table')
    finally:
        objects._registry.clear()
        objects._registry.update(saved)
        objects._class_of = orig
    assert isinstance(m, TorchObject) and m.typename == 'nn.gModule'

    def kind(k):
        if isinstance(k, LuaKey):
            v = k.value
            return 'key:' + (v.typename if isinstance(v, TorchObject) else 'table')
        return k if isinstance(k, str) else type(k).__name__
    sig, seen, todo = collections.Counter(), set(), [m]
    while todo:
        x = todo.pop()
        if id(x) in seen or not isinstance(x, (dict, list)):
            continue
        seen.add(id(x))
        if isinstance(x, TorchObject):
            if not x.typename.startswith('nn.') or x.typename == 'nn.gModule':
                sig[(x.typename, tuple(sorted(set(map(kind, x)))))] += 1
            todo.extend(x.values())
        elif isinstance(x, dict):
            sig[('table', tuple(sorted(set(map(kind, x)))))] += 1
            todo.extend(x.values())
            todo.extend(k.value for k in x if isinstance(k, LuaKey))
        else:
            todo.extend(x)
    return sig


def _trained_lstm():
    torch.manualSeed(1)
    m = make_lstm(6, 5, 2, 0.25)
    m.getParameters()  # what the original file's model was: flattened, never :training()
    B = 3
    inp = [torch.LongTensor([1, 4, 6])] + [torch.zeros(B, 5) for _ in range(4)]
    out = m.forward(inp)
    m.backward(inp, [o.clone().fill(0.1) for o in out])
    return m


@needs_t7
@pytest.mark.parametrize('fmt', ['binary', 'ascii'])
def test_our_file_has_the_structure_the_original_writes(tmp_path, fmt):
    path = str(tmp_path / 'ours.t7')
    torch.save(path, _trained_lstm(), fmt)
    ours = signature(path, fmt)
    theirs = signature(os.path.join(T7, 'nngraph_lstm2_%s.t7' % fmt), fmt)
    assert ours == theirs


@needs_t7
def test_original_files_load_and_keep_their_graph():
    m = torch.load(os.path.join(T7, 'nngraph_lstm2_binary.t7'))
    assert torch.typename(m) == 'nn.gModule' and len(m.forwardnodes) == 56
    # one data table per node, shared by its forward and backward node objects
    fdata = {id(n.data) for n in m.forwardnodes}
    assert fdata == {id(n.data) for n in m.backwardnodes}
    for n in m.forwardnodes:
        for i in range(1, len(n.data.mapindex) + 1):
            d = n.data.mapindex[i]
            assert id(d) in fdata and n.data.mapindex[d] == i
        assert all(isinstance(c, nngraph.Node) for c in n.children)
    assert m.innode is m.forwardnodes[0] and m.fg.roots() == [m.innode]
    # saved again and read back: the same numbers
    m.evaluate()
    inp = [torch.LongTensor([2, 3])] + [torch.zeros(2, 5) for _ in range(4)]
    y = [o.clone() for o in m.forward(inp)]
    again = torch.deserialize(torch.serialize(m))
    for a, b in zip(again.forward(inp), y):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_children_and_mapindex_are_written_with_both_parts(tmp_path):
    x = nn.Identity()()
    y = nn.CAddTable()([nn.Tanh()(x), nn.Sigmoid()(x)])
    g = nn.gModule([x], [y])
    path = str(tmp_path / 'g.t7')
    torch.save(path, g)
    sig = signature(path)
    assert sig[('table', ('int', 'key:nngraph.Node'))] > 0  # children: t[i] = n, t[n] = i
    assert sig[('table', ('int', 'key:table'))] > 0  # mapindex: t[i] = data, t[data] = i
    assert sig[('graph.Graph', ('edges', 'nodes'))] == 2
