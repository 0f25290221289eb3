"""Sigmoid's and Tanh's gradInput in THNN's C order (Sigmoid.c: `go * (1. - z) * z`, Tanh.c:
`go * (1. - z*z)`; `1.` is a double, so the arithmetic after it is double and rounds to real
once), checked element by element with Python floats (doubles), C paths and numpy paths."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def _tensor(a):
    t = (torch.FloatTensor if a.dtype == np.float32 else torch.DoubleTensor)(*a.shape)
    t.numpy()[...] = a
    return t


def _want(y, go, sigmoid):
    out = np.empty_like(y)
    for i, (z, g) in enumerate(zip(y.reshape(-1), go.reshape(-1))):
        if sigmoid:
            v = (float(g) * (1. - float(z))) * float(z)
        else:
            zz = y.dtype.type(z) * y.dtype.type(z)          # z*z in real
            v = float(g) * (1. - float(zz))
        out.reshape(-1)[i] = v
    return out


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('cls,sigmoid', [(nn.Sigmoid, True), (nn.Tanh, False)])
def test_grad_input_in_thnn_order(use_c, dtype, cls, sigmoid):
    rs = np.random.RandomState(11)
    x = (rs.standard_normal((13, 17)) * 2).astype(dtype)
    go = (rs.standard_normal((13, 17)) * 3).astype(dtype)
    m = cls()
    if dtype == np.float32:
        m.float()
    y = m.forward(_tensor(x)).numpy().copy()
    gi = m.backward(_tensor(x), _tensor(go)).numpy()
    want = _want(y, go, sigmoid)
    assert gi.tobytes() == want.tobytes()


def test_the_orders_differ_somewhere():
    # the product's association matters: (go * (1 - z)) * z is not go * ((1 - z) * z) for all
    # doubles, so the test above tells the two orders apart
    rs = np.random.RandomState(2)
    z = rs.uniform(size=2000)
    g = rs.standard_normal(2000)
    assert np.any((g * (1 - z)) * z != g * ((1 - z) * z))
