"""Twin of nngraph_two_io.lua: the two-input, two-output gModule built and run from Python."""
import torch7py as torch
from torch7py import nn, nngraph  # noqa: F401  (nngraph: module(node) makes nodes)


def sfill(t, a, f, o):
    # t[i] = a*sin(f*i + o) in row-major order
    return t.copy(torch.range(1, t.nElement()).mul(f).add(o).sin().mul(a))


def run():
    r = {}
    x1, x2 = nn.Identity()(), nn.Identity()()
    a = nn.Linear(4, 3)(x1)
    b = nn.Linear(2, 3)(x2)
    s = nn.CAddTable()([a, b])
    out1 = nn.Tanh()(s)
    out2 = nn.Linear(3, 1)(nn.CMulTable()([a, nn.Sigmoid()(s)]))
    g = nn.gModule([x1, x2], [out1, out2])
    params, _ = g.parameters()
    for i, p in enumerate(params, 1):
        sfill(p, 0.5, 0.3 + 0.1 * i, i)
    X = [sfill(torch.Tensor(3, 4), 1, 0.41, 0.2), sfill(torch.Tensor(3, 2), 1, 0.53, 0.9)]
    g.zeroGradParameters()
    y = g.forward(X)
    r['y1'] = y[0].clone()
    r['y2'] = y[1].clone()
    gy = [sfill(torch.Tensor(3, 3), 0.5, 0.29, 1), sfill(torch.Tensor(3, 1), 0.5, 0.31, 2)]
    gi = g.backward(X, gy)
    r['gi'] = [gi[0].clone(), gi[1].clone()]
    _, gps = g.parameters()
    r['gradParams'] = [p.clone() for p in gps]
    r['nInputs'] = g.nInputs
    r['nOutputs'] = len(g.outnode.children)
    binary = torch.deserialize(torch.serialize(g))
    asc = torch.deserialize(torch.serialize(g, 'ascii'), 'ascii')
    r['binary_y2'] = binary.forward(X)[1].clone()
    r['ascii_y1'] = asc.forward(X)[0].clone()
    g.float()
    Xf = [X[0].float(), X[1].float()]
    yf = g.forward(Xf)
    r['float_types'] = [torch.type(yf[0]), torch.type(yf[1])]
    r['float_y2'] = yf[1].clone()
    return r
