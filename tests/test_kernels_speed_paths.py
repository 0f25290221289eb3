"""The optimised training-step kernels (issue 16) against straightforward numpy formulas: the
convolutions' im2col/GEMM paths, gradWeight accumulated in place by BLAS, Linear's in-place
batch gradWeight, max pooling (padding, ceil mode), the chunked fused axpy of updateParameters
(against exact rational arithmetic), and setnumthreads; random shapes, batch and single, float64.
"""
import itertools
from fractions import Fraction

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn, numerics


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = pytest.mark.usefixtures('plain_blas_loops')


def _t(a):
    t = torch.DoubleTensor(*a.shape)
    t.numpy()[...] = a
    return t


def _ref_conv(x, w, b, dH, dW, pH, pW):
    """Direct cross-correlation: y[n, o, i, j] = b[o] + sum_{c,u,v} w[o,c,u,v] xp[n,c,i*dH+u,...]."""
    N, C, H, W = x.shape
    O, _, kH, kW = w.shape
    xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))
    xp[:, :, pH:pH + H, pW:pW + W] = x
    oH = (H + 2 * pH - kH) // dH + 1
    oW = (W + 2 * pW - kW) // dW + 1
    y = np.zeros((N, O, oH, oW))
    for i, j in itertools.product(range(oH), range(oW)):
        patch = xp[:, :, i * dH:i * dH + kH, j * dW:j * dW + kW]
        y[:, :, i, j] = np.einsum('nchw,ochw->no', patch, w) + b
    return y


def _ref_conv_grads(x, w, go, dH, dW, pH, pW):
    N, C, H, W = x.shape
    kH, kW = w.shape[2:]
    xp = np.zeros((N, C, H + 2 * pH, W + 2 * pW))
    xp[:, :, pH:pH + H, pW:pW + W] = x
    gxp = np.zeros_like(xp)
    gw = np.zeros_like(w)
    for i, j in itertools.product(range(go.shape[2]), range(go.shape[3])):
        sl = (slice(None), slice(None), slice(i * dH, i * dH + kH), slice(j * dW, j * dW + kW))
        gxp[sl] += np.einsum('no,ochw->nchw', go[:, :, i, j], w)
        gw += np.einsum('no,nchw->ochw', go[:, :, i, j], xp[sl])
    return gxp[:, :, pH:pH + H, pW:pW + W], gw, go.sum(axis=(0, 2, 3))


@pytest.mark.parametrize('cls', ['SpatialConvolution', 'SpatialConvolutionMM'])
@pytest.mark.parametrize('seed', range(6))
def test_conv_paths_match_direct_formula(cls, seed):
    rs = np.random.RandomState(seed)
    C, O = rs.randint(1, 4), rs.randint(1, 5)
    kH, kW = rs.randint(1, 4), rs.randint(1, 4)
    dH, dW = rs.randint(1, 3), rs.randint(1, 3)
    pH, pW = rs.randint(0, kH), rs.randint(0, kW)
    H, W = kH + rs.randint(0, 6), kW + rs.randint(0, 6)
    batch = seed % 2 == 0
    N = rs.randint(1, 4) if batch else 1
    m = getattr(nn, cls)(C, O, kW, kH, dW, dH, pW, pH).double()
    w = rs.standard_normal((O, C, kH, kW))
    b = rs.standard_normal(O)
    m.weight.numpy()[...] = w.reshape(m.weight.numpy().shape)
    m.bias.numpy()[...] = b
    gw0 = rs.standard_normal(w.shape)
    gb0 = rs.standard_normal(O)
    m.gradWeight.numpy()[...] = gw0.reshape(m.gradWeight.numpy().shape)
    m.gradBias.numpy()[...] = gb0
    x = rs.standard_normal((N, C, H, W))
    y_ref = _ref_conv(x, w, b, dH, dW, pH, pW)
    go = rs.standard_normal(y_ref.shape)
    xin, goin = (x, go) if batch else (x[0], go[0])
    y = m.forward(_t(xin)).numpy()
    np.testing.assert_allclose(y, y_ref if batch else y_ref[0], rtol=1e-12, atol=1e-12)
    scale = 0.5 + seed
    gi = m.backward(_t(xin), _t(goin), scale).numpy()
    gx, gw, gb = _ref_conv_grads(x, w, go, dH, dW, pH, pW)
    np.testing.assert_allclose(gi, gx if batch else gx[0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(m.gradWeight.numpy().reshape(w.shape), gw0 + scale * gw,
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(m.gradBias.numpy(), gb0 + scale * gb, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize('seed', range(4))
def test_linear_batch_grad_weight_in_place(seed):
    rs = np.random.RandomState(seed)
    N, i, o = rs.randint(2, 300), rs.randint(40, 90), rs.randint(40, 90)
    m = nn.Linear(i, o).double()
    gw = m.gradWeight.numpy()
    gw0 = rs.standard_normal(gw.shape)
    gw[...] = gw0
    x, go = rs.standard_normal((N, i)), rs.standard_normal((N, o))
    m.forward(_t(x))
    scale = [1, 0.25, -3.0, 7.0][seed]
    m.accGradParameters(_t(x), _t(go), scale)
    assert m.gradWeight.numpy() is not None and np.shares_memory(m.gradWeight.numpy(), gw)
    np.testing.assert_allclose(m.gradWeight.numpy(), gw0 + scale * go.T.dot(x), rtol=1e-12,
                               atol=1e-11)


def _ref_maxpool(x, kH, kW, dH, dW, pH, pW, ceil):
    N, C, H, W = x.shape

    def osz(n, k, d, p):
        o = (-(-(n + 2 * p - k) // d) if ceil else (n + 2 * p - k) // d) + 1
        if ceil and (o - 1) * d >= n + p:
            o -= 1
        return o
    oH, oW = osz(H, kH, dH, pH), osz(W, kW, dW, pW)
    y = np.empty((N, C, oH, oW))
    idx = np.empty((N, C, oH, oW), np.int64)
    for n, c, i, j in itertools.product(range(N), range(C), range(oH), range(oW)):
        best, bi = -np.inf, -1
        for u, v in itertools.product(range(kH), range(kW)):
            r, s = i * dH - pH + u, j * dW - pW + v
            if 0 <= r < H and 0 <= s < W and (x[n, c, r, s] > best or bi < 0):
                best, bi = x[n, c, r, s], r * W + s
        y[n, c, i, j], idx[n, c, i, j] = best, bi
    return y, idx


@pytest.mark.parametrize('seed', range(8))
def test_maxpool_matches_loops(seed):
    rs = np.random.RandomState(seed)
    kH, kW = rs.randint(1, 4), rs.randint(1, 4)
    dH, dW = rs.randint(1, 4), rs.randint(1, 4)
    pH, pW = rs.randint(0, kH // 2 + 1), rs.randint(0, kW // 2 + 1)
    H, W = kH + rs.randint(0, 6), kW + rs.randint(0, 6)
    N, C = rs.randint(1, 3), rs.randint(1, 3)
    ceil = seed % 2 == 1
    batch = seed % 4 < 2
    x = rs.standard_normal((N, C, H, W))
    y_ref, idx = _ref_maxpool(x, kH, kW, dH, dW, pH, pW, ceil)
    m = nn.SpatialMaxPooling(kW, kH, dW, dH, pW, pH).double()
    if ceil:
        m.ceil()
    xin = x if batch else x[0]
    y = m.forward(_t(xin)).numpy()
    np.testing.assert_array_equal(y, y_ref if batch else y_ref[0])
    go = rs.standard_normal(y_ref.shape)
    gi = m.backward(_t(xin), _t(go if batch else go[0])).numpy()
    gx = np.zeros(N * C * H * W)
    base = (np.arange(N * C) * H * W).reshape(N, C, 1, 1)
    np.add.at(gx, (idx + base).ravel(), go.ravel())
    gx = gx.reshape(N, C, H, W)
    np.testing.assert_allclose(gi, gx if batch else gx[0], rtol=0, atol=1e-15)


def _exact_fma32(a, b, c):
    """a*b + c rounded once to float32 (nearest, ties to even), by rational arithmetic."""
    e = Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c))
    r = np.float32(float(e))
    cands = [np.nextafter(r, np.float32(-np.inf)), r, np.nextafter(r, np.float32(np.inf))]
    dist = [abs(Fraction(float(v)) - e) for v in cands]
    best = min(dist)
    win = [v for v, dd in zip(cands, dist) if dd == best]
    if len(win) > 1:
        win = [v for v in win if not (np.array(v).view(np.int32) & 1)]
    return win[0]


@pytest.mark.parametrize('dtype', [np.float64, np.float32])
@pytest.mark.parametrize('n', [7, 40, 8191, 8193, 20000])
def test_axpy_fuses_the_kernel_part_and_rounds_the_tail(dtype, n):
    # THBlas_(axpy) is OpenBLAS 0.3.21's daxpy/saxpy: its assembly micro-kernel (vfmadd231)
    # takes the first n & -16 (double) or n & -32 (float) elements, one rounding each; Debian's
    # build compiles the C tail `y[i] += da * x[i]` without FMA: the product rounds first
    rs = np.random.RandomState(n)
    s = (rs.standard_normal(n) * 10.0 ** rs.randint(-5, 5, n)).astype(dtype)
    d = rs.standard_normal(n).astype(dtype)
    lr = -0.0123456789
    out = d.copy()
    numerics.axpy(out, lr, s)
    v = dtype(lr)
    kernel = n & (-16 if dtype == np.float64 else -32)
    pick = list(rs.choice(n, min(n, 300), replace=False)) + list(range(max(0, kernel - 2), n))
    for i in pick:
        if numerics._b is not None and i >= kernel:
            want = d[i] + v * s[i]  # numpy scalars: each operation rounded to dtype
            assert out[i] == want, (i, out[i], want)
            continue
        if dtype == np.float64:
            want = float(Fraction(float(s[i])) * Fraction(float(v)) + Fraction(float(d[i])))
        else:
            want = _exact_fma32(s[i], v, d[i])
        assert out[i] == want, (i, out[i], want)


def test_fused_axpy_specials_fall_back_to_plain_formula():
    s = np.array([np.inf, 1.0, np.nan, -0.0] * 5000)
    d = np.array([1.0, -np.inf, 2.0, -0.0] * 5000)
    out = d.copy()
    numerics.axpy(out, -0.01, s)
    with np.errstate(all='ignore'):
        np.testing.assert_array_equal(out, d + s * -0.01)


def test_setnumthreads_sets_blas_threads():
    before = torch.getnumthreads()
    try:
        torch.setnumthreads(1)
        assert torch.getnumthreads() == 1
        torch.setnumthreads(2)
        assert torch.getnumthreads() == 2
        from torch7py import _threads
        for _, get in _threads._openblas_libs():
            assert get() == 2
    finally:
        torch.setnumthreads(before)
