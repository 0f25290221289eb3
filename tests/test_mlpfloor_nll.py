"""ClassNLLCriterion's target:long() on a training step's float targets (issue 16): written
into the LongTensor of the last call where nothing else holds it, a new one where anything
does (Torch7 makes a new tensor each call: what someone holds keeps its values)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def _data(dtype, rs, n=6, k=4):
    cls = torch.FloatTensor if dtype == np.float32 else torch.DoubleTensor
    x = cls(n, k)
    x.numpy()[...] = np.log(rs.dirichlet(np.ones(k), n))
    y = cls(n)
    y.numpy()[...] = rs.randint(1, k + 1, n) + 0.75  # C's cast truncates: 1.75 -> 1
    return x, y


def _loss(x, t):
    """THNN's forward, sizeAverage: -(sum of x[i, t_i - 1] in order) / n, in the real type."""
    xs = x.numpy()
    s = xs.dtype.type(0)
    for i, c in enumerate(t):
        s = xs.dtype.type(s - xs[i, c - 1])
    return float(xs.dtype.type(s / xs.dtype.type(len(t))))


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
def test_targets_each_call(dtype):
    rs = np.random.RandomState(0)
    crit = nn.ClassNLLCriterion()
    if dtype == np.float32:
        crit = crit.float()
    for _ in range(4):
        x, y = _data(dtype, rs)
        want = np.trunc(y.numpy()).astype(np.int64)
        assert crit.forward(x, y) == _loss(x, want)
        assert type(crit.target) is torch.LongTensor
        assert crit.target.numpy().tolist() == want.tolist()
        assert crit.target.storage().size() == len(want)
        gi = crit.backward(x, y).numpy()
        g = np.zeros_like(gi)
        g[np.arange(len(want)), want - 1] = -1 / len(want)
        assert gi.tolist() == g.astype(gi.dtype).tolist()


@pytest.mark.parametrize('hold', ['tensor', 'storage', 'numpy', 'narrow', 'array view'])
def test_held_target_keeps_its_values(hold):
    rs = np.random.RandomState(1)
    crit = nn.ClassNLLCriterion()
    x, y = _data(np.float64, rs)
    crit.forward(x, y)
    crit.forward(x, y)  # (the second call may reuse the first one's tensor)
    t = crit.target
    before = t.numpy().tolist()
    held = {'tensor': lambda: t, 'storage': lambda: t.storage(), 'numpy': lambda: t.numpy(),
            'narrow': lambda: t.narrow(1, 2, 3),
            'array view': lambda: t.numpy()[1:]}[hold]()
    del t
    y.numpy()[...] = [4.2, 3.9, 2, 1, 1, 2]
    crit.forward(x, y)
    assert crit.target.numpy().tolist() == [4, 3, 2, 1, 1, 2]
    if hold == 'tensor':
        assert held.numpy().tolist() == before
    elif hold == 'storage':
        assert [held[i] for i in range(1, 7)] == before
    elif hold == 'numpy':
        assert held.tolist() == before
    elif hold == 'narrow':
        assert held.numpy().tolist() == before[1:4]
    else:
        assert held.tolist() == before[1:]


def test_unheld_target_is_rewritten_in_place():
    """Where nothing else holds it, the last call's tensor takes the new values (the new tensor
    is made before the old one is dropped, so a new one could not take its address)."""
    rs = np.random.RandomState(2)
    crit = nn.ClassNLLCriterion()
    x, y = _data(np.float64, rs)
    crit.forward(x, y)
    first = id(crit.target)
    y.numpy()[0] = 3
    crit.forward(x, y)
    crit.backward(x, y)
    assert id(crit.target) == first and crit.target.numpy()[0] == 3
