"""nn.SpatialAdaptiveAveragePooling against a transcription of THNN's loops: per output a
sequential sum over its window (rows, then columns) divided by kW then kH; the backward adds
gradOutput / kW / kH into each window in output order. The order is the input's logical one, so
a transposed (non-contiguous) input gives the same bits as its contiguous copy, which nn's
test.lua asserts with asserteq(0, ...)."""
import math

import numpy as np
import pytest
from kernel_paths import tensor

from torch7py import nn


def bounds(size, n, i):
    return (i * size) // n, math.ceil((i + 1) * size / n)


def naive_forward(x, H, W):
    t = x.dtype.type
    iH, iW = x.shape[-2:]
    lead = x.shape[:-2]
    y = np.empty(lead + (H, W), dtype=x.dtype)
    for p in np.ndindex(*lead):
        for i in range(H):
            y0, y1 = bounds(iH, H, i)
            for j in range(W):
                x0, x1 = bounds(iW, W, j)
                s = t(0)
                for a in range(y0, y1):
                    for b in range(x0, x1):
                        s = t(s + x[p + (a, b)])
                y[p + (i, j)] = t(t(s / t(x1 - x0)) / t(y1 - y0))
    return y


def naive_backward(go, iH, iW):
    t = go.dtype.type
    H, W = go.shape[-2:]
    lead = go.shape[:-2]
    gi = np.zeros(lead + (iH, iW), dtype=go.dtype)
    for p in np.ndindex(*lead):
        for i in range(H):
            y0, y1 = bounds(iH, H, i)
            for j in range(W):
                x0, x1 = bounds(iW, W, j)
                g = t(t(go[p + (i, j)] / t(x1 - x0)) / t(y1 - y0))
                for a in range(y0, y1):
                    for b in range(x0, x1):
                        gi[p + (a, b)] = t(gi[p + (a, b)] + g)
    return gi


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('seed', range(6))
def test_adaptive_average_pooling_is_thnn_loop(dtype, seed):
    rng = np.random.RandomState(seed)
    batch = seed % 2 == 1
    shape = ((rng.randint(1, 3),) if batch else ()) + (rng.randint(1, 4),
                                                      rng.randint(1, 17), rng.randint(1, 17))
    H, W = rng.randint(1, 6), rng.randint(1, 6)
    x = rng.rand(*shape).astype(dtype)
    m = nn.SpatialAdaptiveAveragePooling(W, H)
    if dtype == np.float32:
        m = m.float()
    y = m.forward(tensor(x, dtype)).numpy().copy()
    np.testing.assert_array_equal(y, naive_forward(x, H, W))
    go = rng.rand(*y.shape).astype(dtype)
    gi = m.backward(tensor(x, dtype), tensor(go, dtype)).numpy()
    np.testing.assert_array_equal(gi, naive_backward(go, *shape[-2:]))


@pytest.mark.parametrize('seed', range(8))
def test_adaptive_average_pooling_transposed_input_same_bits(seed):
    # nn's test: input = torch.rand(from, ini, inj):transpose(2, 3) against input:contiguous()
    rng = np.random.RandomState(100 + seed)
    base = tensor(rng.rand(rng.randint(1, 6), rng.randint(1, 17), rng.randint(1, 17)))
    H, W = rng.randint(1, 6), rng.randint(1, 6)
    xt = base.transpose(2, 3)
    xc = xt.contiguous()
    m = nn.SpatialAdaptiveAveragePooling(W, H)
    y = m.forward(xt).clone()
    yc = m.forward(xc).clone()
    assert np.array_equal(y.numpy(), yc.numpy())
    np.testing.assert_array_equal(y.numpy(), naive_forward(xc.numpy(), H, W))
    gi = m.backward(xt, y).clone()
    gic = m.backward(xc, yc).clone()
    assert np.array_equal(gi.numpy(), gic.numpy())
