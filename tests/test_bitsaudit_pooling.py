"""Pooling kernels that THNN computes in C loops give THNN's bits: each reference below is the
loop of nn/lib/THNN/generic/<Name>.c written out one element at a time with numpy scalars of
the tensor's type."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn

from vavg_ref import vavg_out_size, vavg_windows


def vavg_back(x, go, k, d, pad, ceil, inc):
    """VolumetricAveragePooling_updateGradInput_frame: gradInput zeroed, then for each output
    (t, h, w) in order, `gradInput[z, y, x] += val / divide_factor` over its window."""
    N, C = x.shape[:2]
    S = x.shape[2:]
    out = vavg_out_size(S, k, d, pad, ceil)
    R = x.dtype.type
    gi = np.zeros_like(x)
    for n in range(N):
        for c in range(C):
            for (t, h, w), st, en, div in vavg_windows(S, out, k, d, pad, inc):
                val = go[n, c, t, h, w]
                for z in range(st[0], en[0]):
                    for yy in range(st[1], en[1]):
                        for xx in range(st[2], en[2]):
                            q = R(val / R(div))
                            gi[n, c, z, yy, xx] = R(gi[n, c, z, yy, xx] + q)
    return gi


@pytest.mark.parametrize('dt', (np.float32, np.float64))
def test_volumetric_average_pooling_backward_is_thnn_loop(use_c, dt):
    rng = np.random.default_rng(21)
    for trial in range(25):
        k = tuple(int(v) for v in rng.integers(2, 4, 3))
        d = tuple(int(v) for v in rng.integers(1, 3, 3))   # overlapping windows: d < k
        pad = tuple(int(rng.integers(0, k[i] // 2 + 1)) for i in range(3))
        S = tuple(int(k[i] + rng.integers(1, 4)) for i in range(3))
        x = rng.standard_normal((1, 2) + S).astype(dt)
        m = nn.VolumetricAveragePooling(k[0], k[2], k[1], d[0], d[2], d[1], pad[0], pad[2],
                                        pad[1])
        if dt == np.float32:
            m.float()
        ceil, inc = bool(rng.integers(0, 2)), bool(rng.integers(0, 2))
        if ceil:
            m.ceil()
        if not inc:
            m.setCountExcludePad()
        X = torch.from_numpy(x)
        y = m.forward(X)
        go = (rng.standard_normal(tuple(y.size())) * np.exp(rng.uniform(-8, 8, tuple(y.size())))
              ).astype(dt)
        gi = m.backward(X, torch.from_numpy(go)).numpy()
        np.testing.assert_array_equal(gi, vavg_back(x, go, k, d, pad, ceil, inc))


def tmax_back(x, go, kW, dW):
    """TemporalMaxPooling: the forward's argmax (the first maximum of each window, `>`), then
    gradInput zeroed and `gradInput[t*dW + k][y] += gradOutput[t][y]` frame after frame."""
    R = x.dtype.type
    T, F = x.shape
    oT = (T - kW) // dW + 1
    gi = np.zeros_like(x)
    for t in range(oT):
        for y in range(F):
            best, bi = -np.inf, -1
            for k in range(kW):
                v = x[t * dW + k, y]
                if v > best or np.isnan(v):
                    best, bi = v, k
            gi[t * dW + bi, y] = R(gi[t * dW + bi, y] + go[t, y])
    return gi


@pytest.mark.parametrize('dt', (np.float32, np.float64))
def test_temporal_max_pooling_backward_adds_in_thnn_order(dt):
    rng = np.random.default_rng(4)
    T, F, kW, dW = 17, 3, 4, 1
    x = rng.standard_normal((T, F)).astype(dt)
    x[6, :] = 10  # one frame the maximum of four windows
    m = nn.TemporalMaxPooling(kW, dW)
    if dt == np.float32:
        m.float()
    X = torch.from_numpy(x)
    y = m.forward(X)
    go = (rng.standard_normal(tuple(y.size())) * np.exp(rng.uniform(-12, 12, tuple(y.size())))
          ).astype(dt)
    gi = m.backward(X, torch.from_numpy(go)).numpy()
    np.testing.assert_array_equal(gi, tmax_back(x, go, kW, dW))


def subsampling_ref(x, go, w, b, gw, gb, kW, kH, dW, dH, scale):
    """SpatialSubSampling.c's loops: plane k, sample p: output = bias, then per output
    `sum = 0; sum += x` over the window (ky, kx), output += weight*sum; gradInput zeroed, then
    output after output `gradInput[window] += gradOutput*weight`; accGradParameters' running
    sums over the plane (bias) and over outputs and windows (weight), `+= scale*sum`."""
    R = x.dtype.type
    N, C, H, W = x.shape
    oH, oW = (H - kH) // dH + 1, (W - kW) // dW + 1
    y = np.zeros((N, C, oH, oW), x.dtype)
    gi = np.zeros_like(x)
    gw, gb = gw.copy(), gb.copy()
    sc = R(scale)
    for k in range(C):
        for p in range(N):
            for yy in range(oH):
                for xx in range(oW):
                    s = R(0)
                    for ky in range(kH):
                        for kx in range(kW):
                            s = R(s + x[p, k, yy * dH + ky, xx * dW + kx])
                    y[p, k, yy, xx] = R(b[k] + R(w[k] * s))
                    z = R(go[p, k, yy, xx] * w[k])
                    for ky in range(kH):
                        for kx in range(kW):
                            i, j = yy * dH + ky, xx * dW + kx
                            gi[p, k, i, j] = R(gi[p, k, i, j] + z)
            s = R(0)
            for v in go[p, k].ravel():
                s = R(s + v)
            gb[k] = R(gb[k] + R(sc * s))
            s = R(0)
            for yy in range(oH):
                for xx in range(oW):
                    z = go[p, k, yy, xx]
                    for ky in range(kH):
                        for kx in range(kW):
                            s = R(s + R(z * x[p, k, yy * dH + ky, xx * dW + kx]))
            gw[k] = R(gw[k] + R(sc * s))
    return y, gi, gw, gb


@pytest.mark.parametrize('dt', (np.float32, np.float64))
@pytest.mark.parametrize('k,d', [((2, 2), (2, 2)), ((3, 3), (1, 1)), ((3, 2), (1, 2))])
def test_spatial_sub_sampling_is_thnn_loop(dt, k, d):
    rng = np.random.default_rng(k[0] * 7 + d[0])
    N, C, H, W = 2, 3, 7, 8
    x = (rng.standard_normal((N, C, H, W)) * np.exp(rng.uniform(-8, 8, (N, C, H, W)))).astype(dt)
    m = nn.SpatialSubSampling(C, k[0], k[1], d[0], d[1])
    if dt == np.float32:
        m.float()
    m.gradWeight.copy(torch.from_numpy(rng.standard_normal(C).astype(dt)))
    m.gradBias.copy(torch.from_numpy(rng.standard_normal(C).astype(dt)))
    w, b = m.weight.numpy().copy(), m.bias.numpy().copy()
    gw0, gb0 = m.gradWeight.numpy().copy(), m.gradBias.numpy().copy()
    X = torch.from_numpy(x)
    y = m.forward(X).numpy().copy()
    go = (rng.standard_normal(y.shape) * np.exp(rng.uniform(-8, 8, y.shape))).astype(dt)
    gi = m.backward(X, torch.from_numpy(go), 0.3).numpy()
    yr, gr, gwr, gbr = subsampling_ref(x, go, w, b, gw0, gb0, k[0], k[1], d[0], d[1], 0.3)
    np.testing.assert_array_equal(y, yr)
    np.testing.assert_array_equal(gi, gr)
    np.testing.assert_array_equal(m.gradWeight.numpy(), gwr)
    np.testing.assert_array_equal(m.gradBias.numpy(), gbr)
