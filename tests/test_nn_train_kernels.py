"""The training step's kernels (THNN's loops in torch7py/nn/_nnk*.c, and the numpy code used
without it) against straightforward formulas in float64: max pooling (padding, dilation, ceil
mode, NaN), threshold, col2im, batch normalization, the convolution's and Linear's gradBias and
the batched convolution gradWeight; random shapes, batch and single, contiguous or not."""

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn, numerics
from torch7py.nn import _conv, _kernels
from torch7py.nn.linear import _bias_acc

from kernel_paths import tensor  # noqa: E402
from obl12_ref import sgemv_n_ones  # noqa: E402


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = pytest.mark.usefixtures('plain_blas_loops')


def bits(a):
    a = np.ascontiguousarray(a)
    return a.view(np.int64 if a.dtype == np.float64 else np.int32)


# ---- max pooling ---------------------------------------------------------------------------

def naive_maxpool(x, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW):
    """THNN's scan of each window, row by row, from -DBL_MAX (TH's THInf); only a greater value
    replaces the max (`val > maxval`: a NaN never does)."""
    N, C, H, W = x.shape
    y = np.empty((N, C, oH, oW))
    idx = np.empty((N, C, oH, oW), np.int64)
    for n in range(N):
        for c in range(C):
            for i in range(oH):
                for j in range(oW):
                    best, at = -np.finfo(np.float64).max, -1
                    for a in range(kH):
                        yy = i * dH - padH + a * dilH
                        for b in range(kW):
                            xx = j * dW - padW + b * dilW
                            if 0 <= yy < H and 0 <= xx < W:
                                v = x[n, c, yy, xx]
                                if v > best:
                                    best, at = v, yy * W + xx
                    y[n, c, i, j] = best
                    idx[n, c, i, j] = at + 1
    return y, idx


def naive_unpool(idx, go, H, W):
    N, C = go.shape[:2]
    gi = np.zeros((N, C, H * W))
    for n in range(N):
        for c in range(C):
            for k, g in zip(idx[n, c].ravel(), go[n, c].ravel()):
                if k > 0:  # THNN: index 0 is a window without a maximum
                    gi[n, c, k - 1] += g
    return gi.reshape(N, C, H, W)


@pytest.mark.parametrize('seed', range(12))
def test_max_pooling_matches_thnn_scan(use_c, seed):
    rs = np.random.RandomState(seed)
    kW, kH = rs.randint(1, 4, 2)
    dW, dH = rs.randint(1, 4, 2)
    dilW, dilH = rs.randint(1, 3, 2) if seed % 3 == 0 else (1, 1)
    padW, padH = rs.randint(0, kW // 2 + 1), rs.randint(0, kH // 2 + 1)
    N, C, H, W = rs.randint(1, 3), rs.randint(1, 4), rs.randint(6, 11), rs.randint(6, 11)
    if dilW > 1 or dilH > 1:
        m = nn.SpatialDilatedMaxPooling(kW, kH, dW, dH, padW, padH, dilW, dilH)
    else:
        m = nn.SpatialMaxPooling(kW, kH, dW, dH, padW, padH)
    if seed % 2:
        m.ceil()
    x = rs.standard_normal((N, C, H, W))
    x[rs.rand(*x.shape) < 0.05] = np.nan
    if seed % 4 == 3:  # windows of -inf only have no maximum in THNN
        x[:, :, :4, :4] = -np.inf
    batch = seed % 4 != 1
    if seed % 5 == 2:  # a non-contiguous input (a transposed view)
        t = tensor(np.ascontiguousarray(x.transpose(0, 1, 3, 2))).transpose(3, 4)
    else:
        t = tensor(x)
    if not batch:
        t = t.select(1, 1)
        x = x[:1]
        N = 1
    y = m.forward(t).numpy()
    oH, oW = y.shape[-2:]
    ey, eidx = naive_maxpool(x, kH, kW, dH, dW, padH, padW, dilH, dilW, oH, oW)
    np.testing.assert_array_equal(y.reshape(ey.shape), ey)
    np.testing.assert_array_equal(m.indices.numpy().reshape(eidx.shape), eidx)
    go = rs.standard_normal(ey.shape)
    gi = m.backward(t, tensor(go.reshape(y.shape))).numpy()
    np.testing.assert_array_equal(gi.reshape(x.shape), naive_unpool(eidx, go, H, W))


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_max_pooling_float_and_double_agree(dtype):
    rs = np.random.RandomState(3)
    x = rs.standard_normal((2, 3, 12, 12)).astype(dtype)
    m = nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1).type(
        'torch.FloatTensor' if dtype == np.float32 else 'torch.DoubleTensor')
    y = m.forward(tensor(x, dtype)).numpy()
    ey, eidx = naive_maxpool(x.astype(np.float64), 3, 3, 2, 2, 1, 1, 1, 1, 6, 6)
    np.testing.assert_array_equal(y, ey.astype(dtype))
    np.testing.assert_array_equal(m.indices.numpy(), eidx)


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('seed', range(4))
def test_max_pooling_2x2_stride_2(use_c, dtype, seed):
    """The 2x2 / stride 2 layer (its own C loop): first maximum, NaN passed over, windows of
    -inf only (index 0, value -THInf of the type), ties, odd sizes and ceil mode."""
    rs = np.random.RandomState(seed)
    N, C, H, W = rs.randint(1, 4), rs.randint(1, 5), rs.randint(2, 12), rs.randint(2, 12)
    x = rs.randint(-3, 4, (N, C, H, W)).astype(dtype)  # small integers: many ties
    x[rs.rand(N, C, H, W) < 0.1] = np.nan
    x[rs.rand(N, C, H, W) < 0.15] = -np.inf
    x[0, 0, :2, :2] = -np.inf
    m = nn.SpatialMaxPooling(2, 2, 2, 2)
    if seed % 2:
        m.ceil()
    m = m.type('torch.FloatTensor' if dtype == np.float32 else 'torch.DoubleTensor')
    y = m.forward(tensor(x, dtype)).numpy()
    low = -np.finfo(dtype).max
    ey = np.full(y.shape, low, dtype)
    eidx = np.zeros(y.shape, np.int64)
    for n, c, i, j in np.ndindex(*y.shape):
        for a, b in ((0, 0), (0, 1), (1, 0), (1, 1)):
            yy, xx = 2 * i + a, 2 * j + b
            if yy < H and xx < W and x[n, c, yy, xx] > ey[n, c, i, j]:
                ey[n, c, i, j], eidx[n, c, i, j] = x[n, c, yy, xx], yy * W + xx + 1
    np.testing.assert_array_equal(bits(y), bits(ey))
    np.testing.assert_array_equal(m.indices.numpy(), eidx)
    assert eidx[0, 0, 0, 0] == 0 and y[0, 0, 0, 0] == low


# ---- threshold -----------------------------------------------------------------------------

@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('th,val', [(0, 0), (0.5, -2), (-1, -1)])
def test_threshold_bits(use_c, dtype, th, val):
    rs = np.random.RandomState(7)
    x = rs.standard_normal(5000).astype(dtype)
    x[:8] = [np.nan, -0.0, 0.0, np.inf, -np.inf, th, -np.nan, 1e-300]
    go = rs.standard_normal(5000).astype(dtype)
    T = 'torch.FloatTensor' if dtype == np.float32 else 'torch.DoubleTensor'
    tv, vv = dtype(th), dtype(val)
    m = nn.Threshold(th, val).type(T)
    y = m.forward(tensor(x, dtype)).numpy()
    np.testing.assert_array_equal(bits(y), bits(np.where(x > tv, x, vv).astype(dtype)))
    gi = m.backward(tensor(x, dtype), tensor(go, dtype)).numpy()
    np.testing.assert_array_equal(bits(gi), bits(np.where(x > tv, go, 0).astype(dtype)))
    if val <= th:  # in place: x <= th becomes val, so a NaN stays
        mi = nn.Threshold(th, val, True).type(T)
        t = tensor(x, dtype)
        mi.forward(t)
        np.testing.assert_array_equal(bits(t.numpy()), bits(np.where(x <= tv, vv, x)))
        g = tensor(go, dtype)
        mi.backward(tensor(x, dtype), g)
        np.testing.assert_array_equal(bits(g.numpy()),
                                      bits(np.where(x <= tv, 0, go).astype(dtype)))


def test_relu_in_place_on_a_view(use_c):
    rs = np.random.RandomState(1)
    base = tensor(rs.standard_normal((6, 8)))
    view = base.narrow(2, 2, 4)  # not contiguous: the numpy path
    expect = np.where(view.numpy() <= 0, 0, view.numpy())
    nn.ReLU(True).forward(view)
    np.testing.assert_array_equal(view.numpy(), expect)


# ---- col2im and the convolution's gradients --------------------------------------------------

def naive_col2im(cols, C, H, W, kH, kW, dH, dW, padH, padW, oH, oW):
    """THNN unfolded_acc: per (c, kh, kw), each column value added at its input position."""
    N = cols.shape[0]
    gi = np.zeros((N, C, H, W))
    cols = cols.reshape(N, C, kH, kW, oH, oW)
    for n in range(N):
        for c in range(C):
            for a in range(kH):
                for b in range(kW):
                    for i in range(oH):
                        yy = i * dH - padH + a
                        for j in range(oW):
                            xx = j * dW - padW + b
                            if 0 <= yy < H and 0 <= xx < W:
                                gi[n, c, yy, xx] += cols[n, c, a, b, i, j]
    return gi


@pytest.mark.parametrize('seed', range(8))
def test_col2im_in_thnn_order(use_c, seed):
    rs = np.random.RandomState(seed)
    kH, kW = rs.randint(1, 5, 2)
    dH, dW = rs.randint(1, 3, 2)
    padH, padW = rs.randint(0, 3, 2)
    N, C, H, W = rs.randint(1, 3), rs.randint(1, 4), rs.randint(5, 10), rs.randint(5, 10)
    oH = (H + 2 * padH - kH) // dH + 1
    oW = (W + 2 * padW - kW) // dW + 1
    cols = rs.standard_normal((N, C * kH * kW, oH * oW))
    gx = np.full((N, C, H, W), 7.0)  # overwritten
    _kernels.col2im(cols, gx, kH, kW, dH, dW, padH, padW, oH, oW)
    np.testing.assert_array_equal(gx, naive_col2im(cols, C, H, W, kH, kW, dH, dW, padH, padW,
                                                   oH, oW))


def naive_conv_grads(x, w, go, pad, scale):
    """gradInput, gradWeight, gradBias of a stride-1 convolution from the definition."""
    N, C, H, W = x.shape
    nO, _, kH, kW = w.shape
    oH, oW = go.shape[2:]
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    xp[:, :, pad:pad + H, pad:pad + W] = x
    gxp = np.zeros_like(xp)
    gw = np.zeros_like(w)
    for a in range(kH):
        for b in range(kW):
            win = xp[:, :, a:a + oH, b:b + oW]
            gw[:, :, a, b] = np.einsum('nohw,nchw->oc', go, win)
            gxp[:, :, a:a + oH, b:b + oW] += np.einsum('nohw,oc->nchw', go, w[:, :, a, b])
    return gxp[:, :, pad:pad + H, pad:pad + W], scale * gw, scale * go.sum(axis=(0, 2, 3))


@pytest.mark.parametrize('cls', ['SpatialConvolution', 'SpatialConvolutionMM'])
@pytest.mark.parametrize('batch', [True, False])
def test_convolution_gradients(use_c, cls, batch):
    rs = np.random.RandomState(5)
    N, C, nO, H, k, pad, scale = 3, 2, 4, 7, 3, 1, 0.5
    m = getattr(nn, cls)(C, nO, k, k, 1, 1, pad, pad)
    x = rs.standard_normal((N, C, H, H))
    y = m.forward(tensor(x) if batch else tensor(x[0]))
    go = rs.standard_normal((N if batch else 1,) + tuple(y._size[-3:]))
    m.zeroGradParameters()
    t, g = (tensor(x), tensor(go)) if batch else (tensor(x[0]), tensor(go[0]))
    gi = m.backward(t, g, scale).numpy()
    w = m.weight.numpy().reshape(nO, C, k, k)
    egi, egw, egb = naive_conv_grads(x if batch else x[:1], w, go, pad, scale)
    np.testing.assert_allclose(gi.reshape(egi.shape), egi, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(m.gradWeight.numpy().reshape(egw.shape), egw, rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_allclose(m.gradBias.numpy(), egb, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('seed', range(6))
def test_convolution_per_sample_c_loops_give_the_batched_bits(monkeypatch, dtype, seed):
    """_nnk's per-sample loops (im2col, numpy's gemm, bias / gemm, col2im) against the batched
    numpy code: output, finput, gradInput and fgradInput bit for bit (stride, padding, batch
    or single, with and without bias), and the output against the definition."""
    from torch7py.nn import spatial_convolution_mm
    if not spatial_convolution_mm._per_sample_c():
        pytest.skip('the C loops are not available')
    rs = np.random.RandomState(seed)
    C, nO, k = rs.randint(1, 4), rs.randint(2, 6), rs.randint(1, 4)
    d, pad = rs.randint(1, 3), rs.randint(0, 2)
    N, H, W = rs.randint(1, 4), rs.randint(k + 2, 11), rs.randint(k + 2, 11)
    x = rs.standard_normal((N, C, H, W))
    batch = seed % 3 != 2
    typ = 'torch.FloatTensor' if dtype == np.float32 else 'torch.DoubleTensor'
    results = []
    for c in (True, False):
        monkeypatch.setattr(_kernels, 'use_c', c)
        torch.manualSeed(seed)
        m = nn.SpatialConvolution(C, nO, k, k, d, d, pad, pad)
        if seed % 2:
            m.noBias()
        m = m.type(typ)
        t = tensor(x if batch else x[0], dtype)
        y = m.forward(t).numpy().copy()
        go = rs.standard_normal(y.shape).astype(dtype) if c else results[0][5]
        gi = m.updateGradInput(t, tensor(go, dtype)).numpy().copy()
        m.zeroGradParameters()
        m.accGradParameters(t, tensor(go, dtype))  # C: a gemm with beta = 1 a sample
        results.append((y, m.finput.numpy().copy(), gi, m.fgradInput.numpy().copy(),
                        m.gradWeight.numpy().copy(), go))
    for a, b in zip(results[0][:5], results[1][:5]):
        np.testing.assert_array_equal(bits(a), bits(b))
    w = m.weight.numpy().astype(np.float64).reshape(nO, C, k, k)
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oH, oW = results[0][0].shape[-2:]
    ey = np.zeros((N, nO, oH, oW))
    for a in range(k):
        for b in range(k):
            ey += np.einsum('nchw,oc->nohw', xp[:, :, a:a + d * oH:d, b:b + d * oW:d],
                            w[:, :, a, b])
    if not seed % 2:
        ey += m.bias.numpy().astype(np.float64)[:, None, None]
    tol = 1e-4 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(results[0][0].reshape(ey[:N if batch else 1].shape),
                               ey[:N if batch else 1], rtol=tol, atol=tol)
    # gradWeight (zeroed first) = the sum over samples and positions of go * the input window
    go = results[0][5].astype(np.float64).reshape(-1, nO, oH, oW)
    egw = np.zeros((nO, C, k, k))
    for a in range(k):
        for b in range(k):
            egw[:, :, a, b] = np.einsum('nchw,nohw->oc', xp[:N if batch else 1, :,
                                                           a:a + d * oH:d, b:b + d * oW:d], go)
    np.testing.assert_allclose(results[0][4].reshape(nO, C, k, k), egw, rtol=tol,
                               atol=tol * 10)


def test_convolution_grad_bias_in_thnn_order():
    """THNN: per sample and plane `real sum = 0; sum += go`, then gradBias += scale*sum."""
    if _kernels._nnk is None:
        pytest.skip('the C kernels are not built')
    rs = np.random.RandomState(2)
    m = nn.SpatialConvolutionMM(2, 5, 3, 3)
    x = rs.standard_normal((4, 2, 9, 9))
    m.forward(tensor(x))
    go = rs.standard_normal((4, 5, 7, 7)) * 10.0 ** rs.randint(-8, 8, (4, 5, 1, 1))
    gb0 = rs.standard_normal(5)
    m.gradBias.numpy()[...] = gb0
    m.accGradParameters(tensor(x), tensor(go), 0.3)
    expect = list(gb0)
    for n in range(4):
        for i in range(5):
            s = 0.0
            for v in go[n, i].ravel().tolist():
                s += v
            expect[i] += 0.3 * s
    np.testing.assert_array_equal(m.gradBias.numpy(), expect)


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_batched_grad_weight_accumulates(dtype):
    rs = np.random.RandomState(4)
    a = rs.standard_normal((5, 3, 11)).astype(dtype)
    b = rs.standard_normal((5, 4, 11)).astype(dtype)
    g0 = rs.standard_normal((3, 4)).astype(dtype)
    g = g0.copy()
    _conv.acc_outer(g, a, b, 0.25)
    expect = g0.astype(np.float64) + 0.25 * np.einsum('nol,nkl->ok', a.astype(np.float64),
                                                      b.astype(np.float64))
    tol = 1e-5 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(g, expect, rtol=tol, atol=tol)


# ---- batch normalization -------------------------------------------------------------------

def bn_formula(x3, go3, w, b, eps, scale):
    """Training batch normalization of (N, C, S) in float64, from the definitions."""
    n = x3.shape[0] * x3.shape[2]
    mean = x3.mean(axis=(0, 2))
    xc = x3 - mean[:, None]
    var = (xc * xc).sum(axis=(0, 2)) / n
    invstd = 1 / np.sqrt(var + eps)
    y = xc * invstd[:, None] * w[:, None] + b[:, None]
    gsum = go3.sum(axis=(0, 2))
    dotp = (xc * go3).sum(axis=(0, 2))
    gi = (go3 - (gsum / n)[:, None] - xc * (dotp * invstd ** 2 / n)[:, None]) * \
        (invstd * w)[:, None]
    return y, mean, invstd, var * n / (n - 1), gi, scale * dotp * invstd, scale * gsum


@pytest.mark.parametrize('spatial', [True, False])
@pytest.mark.parametrize('affine', [True, False])
def test_batch_normalization_training(use_c, spatial, affine):
    rs = np.random.RandomState(9)
    C = 6
    shape = (4, C, 5, 3) if spatial else (7, C)
    m = (nn.SpatialBatchNormalization if spatial else nn.BatchNormalization)(C, 1e-5, 0.1,
                                                                             affine)
    x = rs.standard_normal(shape) * 3 + 1
    go = rs.standard_normal(shape)
    if affine:
        m.weight.numpy()[...] = rs.standard_normal(C)
        m.bias.numpy()[...] = rs.standard_normal(C)
    w = m.weight.numpy().copy() if affine else np.ones(C)
    b = m.bias.numpy().copy() if affine else np.zeros(C)
    y = m.forward(tensor(x)).numpy()
    m.zeroGradParameters()
    gi = m.backward(tensor(x), tensor(go), 0.5).numpy()
    x3, go3 = x.reshape(shape[0], C, -1), go.reshape(shape[0], C, -1)
    ey, mean, invstd, uvar, egi, egw, egb = bn_formula(x3, go3, w, b, 1e-5, 0.5)
    close = dict(rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(y.reshape(ey.shape), ey, **close)
    np.testing.assert_allclose(m.save_mean.numpy(), mean, **close)
    np.testing.assert_allclose(m.save_std.numpy(), invstd, **close)
    np.testing.assert_allclose(m.running_mean.numpy(), 0.1 * mean, **close)
    np.testing.assert_allclose(m.running_var.numpy(), 0.1 * uvar + 0.9, **close)
    np.testing.assert_allclose(gi.reshape(egi.shape), egi, **close)
    if affine:
        np.testing.assert_allclose(m.gradWeight.numpy(), egw, **close)
        np.testing.assert_allclose(m.gradBias.numpy(), egb, **close)


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('train', [True, False])
def test_batch_normalization_c_and_numpy_agree_bit_for_bit(monkeypatch, dtype, train):
    """The C loops keep THNN's order (sums in accreal, products in real), as the numpy code."""
    if _kernels._nnk is None:
        pytest.skip('the C kernels are not built')
    rs = np.random.RandomState(11)
    T = 'torch.FloatTensor' if dtype == np.float32 else 'torch.DoubleTensor'
    x = (rs.standard_normal((5, 7, 4, 6)) * 4 - 2).astype(dtype)
    go = rs.standard_normal((5, 7, 4, 6)).astype(dtype)
    results = []
    for c in (True, False):
        monkeypatch.setattr(_kernels, 'use_c', c)
        torch.manualSeed(3)
        m = nn.SpatialBatchNormalization(7).type(T)
        m.running_mean.numpy()[...] = rs.standard_normal(7) if not results else results[0][0]
        m.running_var.numpy()[...] = 1.5
        if not train:
            m.evaluate()
        rm0 = m.running_mean.numpy().copy()
        y = m.forward(tensor(x, dtype)).numpy().copy()
        m.zeroGradParameters()
        gi = m.backward(tensor(x, dtype), tensor(go, dtype)).numpy().copy()
        results.append((rm0, [y, gi, m.gradWeight.numpy().copy(), m.gradBias.numpy().copy(),
                              m.running_mean.numpy().copy(), m.running_var.numpy().copy()]))
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_array_equal(bits(a), bits(b))


# ---- Linear's gradBias ---------------------------------------------------------------------

def test_linear_grad_bias_in_gemv_order(use_c):
    """The column groups (C loop or numpy) give numerics.gemv_n's bits (Torch7's addmv
    order)."""
    rs = np.random.RandomState(1)
    for _ in range(60):
        n, m = rs.randint(1, 70), rs.randint(4, 40)
        go = rs.standard_normal((n, m)) * 10.0 ** rs.uniform(-4, 4, size=(1, m))
        gb0 = rs.standard_normal(m)
        a, b = gb0.copy(), gb0.copy()
        assert numerics.gemv_n(go.T, np.ones(n), a, 1.0, True)
        assert _bias_acc(b, go)
        np.testing.assert_array_equal(bits(a), bits(b))
        np.testing.assert_allclose(b, gb0 + go.sum(axis=0), rtol=1e-12, atol=1e-9)


def test_linear_grad_bias_float_is_sgemv_n_order(use_c):
    """A float batch's gradBias (scale 1): OpenBLAS's sgemv_n with the ones buffer (groups of
    eight rows of gradOutput summed from zero and added in turn; see obl12_ref)."""
    rs = np.random.RandomState(2)
    for _ in range(20):
        n, m = rs.randint(1, 40), rs.randint(1, 30)
        go = (rs.standard_normal((n, m)) * 10.0 ** rs.uniform(-3, 3, size=(n, 1))).astype(
            np.float32)
        x = rs.standard_normal((n, 5)).astype(np.float32)
        lin = nn.Linear(5, m).float()
        gb0 = rs.standard_normal(m).astype(np.float32)
        lin.gradBias.numpy()[...] = gb0
        lin.accGradParameters(tensor(x, np.float32), tensor(go, np.float32))
        if m <= 3:
            continue  # OpenBLAS's sgemv tail order (numerics.gemv_n), tested there
        np.testing.assert_array_equal(bits(lin.gradBias.numpy()), bits(sgemv_n_ones(go, gb0)))


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('seed', range(8))
def test_linear_batch_acc_in_one_c_call(dtype, seed):
    """A batch's accGradParameters (gradWeight by BLAS with beta = 1, gradBias), in the C call
    to numpy's gemm and in the scipy + numpy code without it: the same bits, and the formula
    gw0 + scale * go^T x, gb0 + scale * sum of go's rows."""
    rs = np.random.RandomState(seed)
    n, i, o = rs.randint(1, 150), rs.randint(20, 90), rs.randint(1, 60)
    scale = [1, 1, 0.5, -3.0][seed % 4]
    bias = seed % 3 != 2
    x = rs.standard_normal((n, i))
    go = rs.standard_normal((n, o))
    gw0, gb0 = rs.standard_normal((o, i)), rs.standard_normal(o)
    got = []
    for c in (True, False):
        lin = nn.Linear(i, o, bias).type('torch.FloatTensor' if dtype == np.float32
                                         else 'torch.DoubleTensor')
        lin.gradWeight.numpy()[...] = gw0
        if bias:
            lin.gradBias.numpy()[...] = gb0
        old = _kernels.use_c
        _kernels.use_c = c
        try:
            lin.accGradParameters(tensor(x, dtype), tensor(go, dtype), scale)
        finally:
            _kernels.use_c = old
        got.append((lin.gradWeight.numpy().copy(), lin.gradBias.numpy().copy() if bias
                    else None))
    np.testing.assert_array_equal(bits(got[0][0]), bits(got[1][0]))
    tol = 1e-4 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got[0][0], gw0 + scale * go.T.dot(x), rtol=tol, atol=tol * 50)
    if bias:
        np.testing.assert_array_equal(bits(got[0][1]), bits(got[1][1]))
        np.testing.assert_allclose(got[0][1], gb0 + scale * go.sum(axis=0), rtol=tol,
                                   atol=tol * 50)


def test_training_step_allocates_no_large_arrays():
    """After warm-up, a LeNet-like step holds no new numpy buffer of 64 KiB or more."""
    import tracemalloc
    net = (nn.Sequential().add(nn.SpatialConvolution(1, 4, 5, 5)).add(nn.ReLU(True))
           .add(nn.SpatialMaxPooling(2, 2, 2, 2)).add(nn.View(4 * 6 * 6))
           .add(nn.Linear(144, 10)).add(nn.LogSoftMax()))
    crit = nn.ClassNLLCriterion()
    rs = np.random.RandomState(0)
    x = tensor(rs.standard_normal((32, 1, 16, 16)))
    y = tensor(rs.randint(1, 11, 32).astype(np.float64))

    def step():
        net.zeroGradParameters()
        out = net.forward(x)
        crit.forward(out, y)
        net.backward(x, crit.backward(out, y))
        net.updateParameters(0.01)
    step()
    step()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    step()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    assert peak < 64 * 1024, peak


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_zero_grad_parameters_of_large_gradients(use_c, dtype):
    """Large gradients (zeroed with streaming stores) and small ones come back as +0 exactly;
    a gradient that views part of a larger buffer leaves the rest of that buffer alone."""
    typ = 'torch.FloatTensor' if dtype == np.float32 else 'torch.DoubleTensor'
    big = nn.Linear(1001, 700).type(typ)  # 2.8 or 5.6 MB of gradWeight, an odd length
    small = nn.Linear(3, 2).type(typ)
    for m in (big, small):
        m.gradWeight.fill(-0.0 if m is small else 3)
        m.gradBias.fill(7)
        m.zeroGradParameters()
        assert not np.signbit(m.gradWeight.numpy()).any()
        assert not m.gradWeight.numpy().any() and not m.gradBias.numpy().any()
    flat = torch.DoubleTensor(701 * 1001 + 5).fill(2)
    lin = nn.Linear(1001, 700)
    lin.gradWeight.set(flat.storage(), 4, torch.LongStorage([700, 1001]))
    lin.zeroGradParameters()
    f = flat.numpy()
    assert not f[3:3 + 700 * 1001].any() and (f[:3] == 2).all() and (f[3 + 700 * 1001:] == 2).all()


# ---- ClassNLLCriterion ---------------------------------------------------------------------

@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('seed', range(6))
def test_class_nll(use_c, dtype, seed):
    """THNN's loop: `total_weight += w; output -= x[t] * w` in order in real, then the
    average; gradInput -w (divided by total_weight when averaging) at each target; weights,
    ignoreIndex, sizeAverage off, a single frame; an output of +0 when nothing counts."""
    rs = np.random.RandomState(seed)
    n, c = rs.randint(1, 30), rs.randint(1, 12)
    one = seed == 5
    x = rs.standard_normal(c if one else (n, c)).astype(dtype)
    t = rs.randint(1, c + 1, 1 if one else n)
    weights = rs.uniform(0.1, 2, c).astype(dtype) if seed % 2 else None
    avg = seed % 3 != 1
    ignore = int(t[0]) if seed in (2, 3) else -100
    crit = nn.ClassNLLCriterion(None if weights is None else tensor(weights, dtype), avg, ignore)
    crit = crit.float() if dtype == np.float32 else crit.double()
    tt = tensor(t.astype(np.float64))
    out = crit.forward(tensor(x, dtype), tt)
    gi = crit.backward(tensor(x, dtype), tt).numpy()
    w = np.ones(c, dtype) if weights is None else weights
    x2, t2 = x.reshape(-1, c), t.reshape(-1)
    o, tw = dtype(0), dtype(0)
    eg = np.zeros_like(x2)
    for i in range(t2.size):
        if t2[i] == ignore:
            continue
        k = t2[i] - 1
        tw = dtype(tw + w[k])
        o = dtype(o - x2[i, k] * w[k])
    if avg and tw:
        o = dtype(o / tw)
    for i in range(t2.size):
        if t2[i] != ignore and tw > 0:
            k = t2[i] - 1
            if one:
                eg[i, k] = -w[k] if (not avg and weights is not None) else -1
            else:
                eg[i, k] = dtype(-w[k] / tw) if avg else -w[k]
    assert np.float64(out).tobytes() == np.float64(o).tobytes()
    assert crit.total_weight_tensor.numpy()[0] == tw
    np.testing.assert_array_equal(bits(gi.reshape(eg.shape)), bits(eg))
    t[-1] = c + 1
    with pytest.raises(Exception, match='cur_target'):
        crit.forward(tensor(x, dtype), tensor(t.astype(np.float64)))


def test_class_nll_ignore_index_as_thnn_reads_it(use_c):
    """THNN takes ignoreIndex as a C long: 2.7 ignores target 2; NaN ignores nothing."""
    x = tensor(np.arange(12.0).reshape(3, 4))
    y = tensor(np.array([2.0, 1.0, 2.0]))
    assert nn.ClassNLLCriterion(None, False, 2.7).forward(x, y) == -4.0
    assert nn.ClassNLLCriterion(None, False, float('nan')).forward(x, y) == -(1 + 4 + 9.0)
    assert nn.ClassNLLCriterion(None, False, -2.9).forward(x, y) == -(1 + 4 + 9.0)


# ---- LogSoftMax ----------------------------------------------------------------------------

@pytest.mark.parametrize('shape', [(7,), (16, 10), (3, 5, 4), (2, 6, 3, 3)])
def test_log_soft_max(use_c, shape):
    rs = np.random.RandomState(8)
    x = rs.standard_normal(shape) * 5
    go = rs.standard_normal(shape)
    axis = 1 if len(shape) in (2, 4) else 0
    m = nn.LogSoftMax()
    y = m.forward(tensor(x)).numpy()
    mx = x.max(axis=axis, keepdims=True)
    ey = x - mx - np.log(np.exp(x - mx).sum(axis=axis, keepdims=True))
    np.testing.assert_allclose(y, ey, rtol=1e-13, atol=1e-13)
    gi = m.backward(tensor(x), tensor(go)).numpy()
    egi = go - np.exp(ey) * go.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(gi, egi, rtol=1e-12, atol=1e-12)
