"""SpatialAveragePooling (forward and backward) and the padding layers' backward add in THNN's
order, in the tensor's type: each expectation is THNN's frame loop written out in Python, one
element at a time (SpatialAveragePooling.c, Spatial{Reflection,Replication}Padding.c,
VolumetricReplicationPadding.c), and compared bit for bit, on the C kernels and on the numpy
fallback (conftest's use_c). The data spans many magnitudes so that another order of the same
additions rounds differently."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def _data(rng, shape, dt):
    return (rng.standard_normal(shape) * np.exp(rng.uniform(-12, 12, shape))).astype(dt)


def _same_bits(a, b):
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    it = np.uint32 if a.dtype == np.float32 else np.uint64
    return np.array_equal(a.view(it), b.view(it))


def _window(yy, xx, H, W, k, d, pad, inc):
    """THNN's window of output (yy, xx): its rows, columns and divide_factor."""
    hs, ws = yy * d[0] - pad[0], xx * d[1] - pad[1]
    he, we = min(hs + k[0], H + pad[0]), min(ws + k[1], W + pad[1])
    pool = (he - hs) * (we - ws)
    hs, ws, he, we = max(hs, 0), max(ws, 0), min(he, H), min(we, W)
    return range(hs, he), range(ws, we), pool if inc else (he - hs) * (we - ws)


def thnn_avgpool(x, go, oH, oW, k, d, pad, inc):
    T = x.dtype.type
    P, H, W = x.shape
    y = np.zeros((P, oH, oW), x.dtype)
    gi = np.zeros_like(x)
    with np.errstate(divide='ignore', invalid='ignore'):  # ceil mode's empty windows: 0/0
        for p in range(P):
            for yy in range(oH):
                for xx in range(oW):
                    rows, cols, div = _window(yy, xx, H, W, k, d, pad, inc)
                    s = T(0)
                    for a in rows:
                        for b in cols:
                            s = T(s + x[p, a, b])
                    y[p, yy, xx] = T(T(0) + T(s / T(div)))
                    z = go[p, yy, xx]
                    for a in rows:
                        for b in cols:
                            gi[p, a, b] = T(gi[p, a, b] + T(z / T(div)))
    return y, gi


@pytest.mark.parametrize('dt', [np.float32, np.float64])
def test_spatial_average_pooling_is_thnn_loop(use_c, dt):
    rng = np.random.default_rng(11)
    for trial in range(30):
        k = tuple(int(v) for v in rng.integers(1, 5, 2))
        d = tuple(int(v) for v in rng.integers(1, 4, 2))
        pad = tuple(int(rng.integers(0, k[i] // 2 + 1)) for i in range(2))
        H, W = (int(k[i] + rng.integers(0, 6)) for i in range(2))
        C = int(rng.integers(1, 3))
        x = _data(rng, (C, H, W), dt)
        m = nn.SpatialAveragePooling(k[1], k[0], d[1], d[0], pad[1], pad[0])
        if dt == np.float32:
            m.float()
        if rng.integers(0, 2):
            m.ceil()
        inc = bool(rng.integers(0, 2))
        if not inc:
            m.setCountExcludePad()
        xt = torch.from_numpy(x)
        y = m.forward(xt).numpy()
        go = _data(rng, y.shape, dt)
        gi = m.backward(xt, torch.from_numpy(go)).numpy()
        want_y, want_gi = thnn_avgpool(x, go, y.shape[1], y.shape[2], k, d, pad, inc)
        assert _same_bits(y, want_y), (trial, k, d, pad, H, W)
        assert _same_bits(gi, want_gi), (trial, k, d, pad, H, W)


def _src(o, n, before, reflect):
    """THNN's input index of output index o along a dimension of input size n (pad `before`
    ahead of it), as Spatial{Reflection,Replication}Padding_updateGradInput_frame find it."""
    i_start, o_start = max(0, -before), max(0, before)
    if o < before:
        ip = before * 2 - o if reflect else before
    elif o < n + before:
        ip = o
    else:
        ip = (n + before - 1) * 2 - o if reflect else n + before - 1
    return ip - o_start + i_start


def thnn_pad_back(x_shape, go, pads, reflect):
    """pads: (before, after) per padded dimension (depth, height, width order)."""
    nd = len(pads)
    gi = np.zeros(x_shape, go.dtype)
    T = go.dtype.type
    planes = gi.reshape((-1,) + x_shape[-nd:])
    gos = go.reshape((-1,) + go.shape[-nd:])
    for p in range(planes.shape[0]):
        for o in np.ndindex(*go.shape[-nd:]):
            i = tuple(_src(o[a], x_shape[-nd + a], pads[a][0], reflect) for a in range(nd))
            planes[(p,) + i] = T(planes[(p,) + i] + gos[(p,) + o])
    return gi


@pytest.mark.parametrize('dt', [np.float32, np.float64])
@pytest.mark.parametrize('kind', ['SpatialReflectionPadding', 'SpatialReplicationPadding',
                                  'VolumetricReplicationPadding'])
def test_padding_grad_input_is_thnn_loop(use_c, dt, kind):
    rng = np.random.default_rng(12)
    reflect = kind == 'SpatialReflectionPadding'
    nd = 3 if kind.startswith('Volumetric') else 2
    for trial in range(12):
        size = tuple(int(v) for v in rng.integers(3, 7, nd))
        pads = []
        for n in size:
            lo = -1 if trial % 3 == 2 else 0  # a negative pad crops
            hi = n - 1 if reflect else 5
            pads.append(tuple(int(v) for v in rng.integers(lo, hi, 2)))
        lead = (2,) if trial % 2 else (2, 3)
        x = _data(rng, lead + size, dt)
        if nd == 2:
            (t, b), (l, r) = pads
            m = getattr(nn, kind)(l, r, t, b)
        else:
            (f, bk), (t, b), (l, r) = pads
            m = nn.VolumetricReplicationPadding(l, r, t, b, f, bk)
        if dt == np.float32:
            m.float()
        xt = torch.from_numpy(x)
        y = m.forward(xt).numpy()
        assert y.shape == lead + tuple(n + a + b for n, (a, b) in zip(size, pads))
        go = _data(rng, y.shape, dt)
        gi = m.backward(xt, torch.from_numpy(go)).numpy()
        assert _same_bits(gi, thnn_pad_back(x.shape, go, pads, reflect)), (trial, pads)
