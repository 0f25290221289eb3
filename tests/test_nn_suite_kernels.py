"""The C loops added for the Jacobian-heavy tests of nn's suite (torch7py/nn/_nnk.c) and the
numpy code used without them, against straightforward transcriptions of THNN's loops: 3-d max
pooling (padding, dilation, ceil mode, NaN, -inf windows, float and double)."""

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn import _kernels

PATHS = [True, False] if _kernels._nnk is not None else [False]


@pytest.fixture(params=PATHS, ids=lambda c: 'C' if c else 'numpy')
def use_c(request, monkeypatch):
    monkeypatch.setattr(_kernels, 'use_c', request.param)
    return request.param


def tensor(a, dtype=np.float64):
    cls = torch.FloatTensor if dtype == np.float32 else torch.DoubleTensor
    t = cls(*a.shape)
    t.numpy()[...] = a
    return t


def naive_vmaxpool(x, k, d, pad, dil, out):
    """VolumetricDilatedMaxPooling_updateOutput_frame, loop for loop: a negative start moves up
    by whole dilations and the kernel shrinks by it; steps past the input are skipped; only a
    greater value (from -THInf) replaces the max; the index long holds the kernel offsets
    (z, y, x) in its first three bytes, -1 as 255."""
    P, T, H, W = x.shape
    low = -np.finfo(x.dtype).max
    y = np.empty((P,) + out, x.dtype)
    ind = np.empty((P,) + out, np.int64)
    for p in range(P):
        for ti in range(out[0]):
            for i in range(out[1]):
                for j in range(out[2]):
                    start = [ti * d[0] - pad[0], i * d[1] - pad[1], j * d[2] - pad[2]]
                    kern = [min(k[a], k[a] + start[a]) for a in range(3)]
                    for a in range(3):
                        while start[a] < 0:
                            start[a] += dil[a]
                    best, m = low, (-1, -1, -1)
                    for z in range(kern[0]):
                        for yy in range(kern[1]):
                            for xx in range(kern[2]):
                                pos = (start[0] + z * dil[0], start[1] + yy * dil[1],
                                       start[2] + xx * dil[2])
                                if pos[0] < T and pos[1] < H and pos[2] < W:
                                    v = x[p][pos]
                                    if v > best:
                                        best = v
                                        m = (z + k[0] - kern[0], yy + k[1] - kern[1],
                                             xx + k[2] - kern[2])
                    y[p, ti, i, j] = best
                    ind[p, ti, i, j] = (m[0] & 255) | (m[1] & 255) << 8 | (m[2] & 255) << 16
    return y, ind


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('seed', range(8))
def test_volumetric_max_pooling_matches_thnn_loop(use_c, dtype, seed):
    rs = np.random.RandomState(seed)
    k = tuple(int(v) for v in rs.randint(1, 4, 3))
    d = tuple(int(v) for v in rs.randint(1, 3, 3))
    pad = tuple(int(rs.randint(0, kk // 2 + 1)) for kk in k)
    dil = tuple(int(v) for v in rs.randint(1, 3, 3)) if seed % 2 else (1, 1, 1)
    N, C = rs.randint(1, 3), rs.randint(1, 3)
    S = tuple(int(v) for v in rs.randint(5, 9, 3))
    m = nn.VolumetricDilatedMaxPooling(k[0], k[2], k[1], d[0], d[2], d[1], pad[0], pad[2],
                                       pad[1], dil[0], dil[2], dil[1])
    if seed % 3 == 1:
        m.ceil()
    if dtype == np.float32:
        m = m.float()
    x = rs.standard_normal((N, C) + S).astype(dtype)
    x[rs.rand(*x.shape) < 0.05] = np.nan
    if seed % 4 == 3:  # windows of -inf only have no maximum
        x[:, :, :3, :3, :3] = -np.inf
    t = tensor(x, dtype)
    if seed % 5 == 2:  # a non-contiguous input
        t = tensor(np.ascontiguousarray(np.swapaxes(x, 3, 4)), dtype).transpose(4, 5)
    batch = seed % 4 != 1
    if not batch:
        t, x, N = t.select(1, 1), x[:1], 1
    y = m.forward(t).numpy()
    out = y.shape[-3:]
    ey, eind = naive_vmaxpool(x.reshape((N * C,) + S), k, d, pad, dil, out)
    np.testing.assert_array_equal(y.reshape(ey.shape), ey)
    np.testing.assert_array_equal(m.indices.numpy().reshape(eind.shape), eind)
