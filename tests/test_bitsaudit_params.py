"""accGradParameters that THNN (or nn's Lua through TH) computes without BLAS give its bits:
the references are the C loops written out element by element with numpy scalars of the
tensor's type."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def _tensor(a):
    return torch.FloatTensor(a) if a.dtype == np.float32 else torch.DoubleTensor(a)


def prelu_acc(x, go, gw, planes, scale):
    """PReLU_accGradParameters: `real sum = 0; if (x <= 0) sum += x * go` (per sample and
    plane when nOutputPlane > 0), then `gradWeight += scale * sum` in real."""
    R = x.dtype.type
    gw = gw.copy()
    sc = R(scale)
    if planes == 0:
        s = R(0)
        for a, b in zip(x.ravel(), go.ravel()):
            if a <= 0:
                s = R(s + R(a * b))
        gw[0] = R(gw[0] + R(sc * s))
        return gw
    bs = x.shape[0] if x.ndim > 1 else 1
    x3, g3 = x.reshape(bs, planes, -1), go.reshape(bs, planes, -1)
    for i in range(bs):
        for j in range(planes):
            s = R(0)
            for a, b in zip(x3[i, j], g3[i, j]):
                if a <= 0:
                    s = R(s + R(b * a))
            gw[j] = R(gw[j] + R(sc * s))
    return gw


@pytest.mark.parametrize('dt', (np.float32, np.float64))
@pytest.mark.parametrize('planes,shape', [(0, (7, 5, 3)), (0, (13,)), (3, (3,)), (3, (4, 3)),
                                          (5, (6, 5, 3, 2))])
def test_prelu_acc_grad_parameters_is_thnn_loop(dt, planes, shape):
    rng = np.random.default_rng(planes * 10 + len(shape))
    x = (rng.standard_normal(shape) * np.exp(rng.uniform(-6, 6, shape))).astype(dt)
    go = (rng.standard_normal(shape) * np.exp(rng.uniform(-6, 6, shape))).astype(dt)
    m = nn.PReLU(planes or None)
    if dt == np.float32:
        m.float()
    m.gradWeight.copy(_tensor(rng.standard_normal(max(planes, 1)).astype(dt)))
    gw0 = m.gradWeight.numpy().copy()
    X = _tensor(x)
    m.forward(X)
    m.backward(X, _tensor(go), 0.3)
    np.testing.assert_array_equal(m.gradWeight.numpy(), prelu_acc(x, go, gw0, planes, 0.3))


def lookup_acc(idx, go, gw, scale, pad, by_freq):
    """LookupTable_accGradParameters: index after index (padding skipped), `real scale_ =
    scale; if (count) scale_ /= count[k]` in real, then axpy gradWeight[k] += scale_ * go[i],
    the product rounded first (the golden nn_lookup.lookup_freq shows no fused multiply-add)."""
    R = gw.dtype.type
    gw = gw.copy()
    counts = np.bincount(idx)
    for i, v in enumerate(idx):
        if v == pad:
            continue
        s_ = R(scale)
        if by_freq:
            s_ = R(s_ / R(counts[v]))
        for j in range(gw.shape[1]):
            gw[v - 1, j] = R(gw[v - 1, j] + R(s_ * go[i, j]))
    return gw


@pytest.mark.parametrize('dt', (np.float32, np.float64))
@pytest.mark.parametrize('scale,by_freq,pad', [(0.3, False, 0), (1, True, 0), (0.7, True, 2),
                                               (0.5, False, 3), (1, False, 0)])
def test_lookup_table_acc_grad_parameters_is_thnn_loop(dt, scale, by_freq, pad):
    rng = np.random.default_rng(5)
    n, d = 6, 5
    idx = rng.integers(1, n + 1, 23)
    go = (rng.standard_normal((idx.size, d)) * np.exp(rng.uniform(-5, 5, (idx.size, d)))
          ).astype(dt)
    m = nn.LookupTable(n, d, pad)
    if dt == np.float32:
        m.float()
    if by_freq:
        m.scaleGradByFreq()
    gw0 = rng.standard_normal((n, d)).astype(dt)
    m.gradWeight.copy(_tensor(gw0))
    X = torch.LongTensor(idx.tolist())
    m.forward(X)
    m.accGradParameters(X, _tensor(go), scale)
    np.testing.assert_array_equal(m.gradWeight.numpy(), lookup_acc(idx, go, gw0, scale, pad,
                                                                  by_freq))
