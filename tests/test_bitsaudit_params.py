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
