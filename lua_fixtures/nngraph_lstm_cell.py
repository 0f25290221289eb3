"""Twin of nngraph_lstm_cell.lua: the LSTM cell built in Python with the same calls."""
import torch7py as torch
from torch7py import nn, nngraph  # noqa: F401  (nngraph: module(node) makes nodes)


def sfill(t, a, f, o):
    # t[i] = a*sin(f*i + o) in row-major order
    return t.copy(torch.range(1, t.nElement()).mul(f).add(o).sin().mul(a))


def cell(nin, rnn):
    x, prevC, prevH = nn.Identity()(), nn.Identity()(), nn.Identity()()
    i2h = nn.Linear(nin, 4 * rnn)(x).annotate({'name': 'i2h'})
    h2h = nn.Linear(rnn, 4 * rnn)(prevH).annotate({'name': 'h2h'})
    gates = nn.Reshape(4, rnn)(nn.CAddTable()([i2h, h2h]))
    gi, gf, go, gc = nn.SplitTable(2)(gates).split(4)
    c = nn.CAddTable()([nn.CMulTable()([nn.Sigmoid()(gf), prevC]),
                        nn.CMulTable()([nn.Sigmoid()(gi), nn.Tanh()(gc)])])
    h = nn.CMulTable()([nn.Sigmoid()(go), nn.Tanh()(c)])
    return nn.gModule([x, prevC, prevH], [c, h])


def run():
    r = {}
    g = cell(3, 2)
    params, grads = g.getParameters()
    sfill(params, 0.3, 0.7, 0.1)
    r['nparams'] = params.nElement()
    r['names'] = [n.data.annotations.name or '-' for n in g.forwardnodes]
    r['nodes'] = [len(g.fg.nodes), len(g.fg.edges), len(g.forwardnodes)]
    T, B = 3, 2
    clones = [g.clone('weight', 'bias', 'gradWeight', 'gradBias') for _ in range(T)]
    xs, states = [None], [[torch.zeros(B, 2), torch.zeros(B, 2)]]
    for t in range(1, T + 1):
        xs.append(sfill(torch.Tensor(B, 3), 1, 0.37 + 0.1 * t, t))
        out = clones[t - 1].forward([xs[t], states[t - 1][0], states[t - 1][1]])
        states.append([out[0].clone(), out[1].clone()])
    r['h'] = states[T][1]
    r['c'] = states[T][0]
    grads.zero()
    d = [torch.zeros(B, 2), torch.ones(B, 2)]
    for t in range(T, 0, -1):
        din = clones[t - 1].backward([xs[t], states[t - 1][0], states[t - 1][1]], d)
        d = [din[1].clone(), din[2].clone()]
        if t == 1:
            r['dx1'] = din[0].clone()
    r['grads'] = grads.clone()
    copy = torch.deserialize(torch.serialize(g))
    y = copy.forward([xs[1], states[0][0], states[0][1]])
    r['reloaded_h'] = y[1].clone()
    r['reloaded_names_kept'] = (copy.forwardnodes[2].data.annotations.name is not None
                                or copy.forwardnodes[3].data.annotations.name is not None)
    return r
