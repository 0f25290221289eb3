"""nn.IndexLinear's forward is THNN's IndexLinear_updateOutput loop: per sample, with one output
`real val = 0; val += w * v` over the entries, then output = bias + val; with several outputs
output = bias, then per entry `output[k] += w[k] * val` (two roundings) up to 49 outputs and
BLAS axpy beyond (OpenBLAS's daxpy/saxpy: fma(val, w[k], output[k]) for its micro-kernel's
first D & -16 (-32 for float) outputs, the C tail's two roundings for the rest).
The reference below transcribes the C one scalar at a time (numpy scalars of the tensor's type,
the fused product in exact rational arithmetic) and is compared bit for bit, on the C kernel
and on the numpy code."""

import numpy as np
import pytest
from exact_ref import fma as _fma

import torch7py as torch
from torch7py import nn


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = pytest.mark.usefixtures('plain_blas_loops')


def _axpy_el(a, x, c, k, D, real):
    """Element k of THBlas_(axpy)(D, a, x, 1, c, 1) on the reference BLAS (OpenBLAS 0.3.21,
    Debian's Haswell kernels): fused below D & -16 (double) or D & -32 (float), the C tail's
    c + a*x (the product rounded first) from there."""
    if k < D & (-16 if real == np.float64 else -32):
        return _fma(a, x, c, real)
    return real(c + real(a * x))


def _sign(v):
    return -1 if v < 0 else (1 if v > 0 else 0)


def thnn_forward(w, bias, rows, vals, sizes, normalize, train):
    """IndexLinear_updateOutput on copies: the output and the weight after it (normalize's
    running max in training)."""
    w = w.copy()
    real = w.dtype.type
    outDim = bias.size
    out = np.zeros((sizes.size, outDim), w.dtype)
    e = 0
    for j, size in enumerate(sizes):
        if outDim == 1:
            val = real(0)
        else:
            out[j] = bias
        for _ in range(size):
            r, v = rows[e], vals[e]
            if normalize:
                a = real(abs(v))
                if train:
                    if a > w[r, 0]:
                        w[r, 0] = a
                        w[r, 1] = real(1) / a
                    w[r, 2] = 1
                v = real((real(_sign(v)) if a > w[r, 0] else real(v * w[r, 1])) + w[r, 3])
            lw = w[r, normalize:]
            if outDim == 1:
                val = real(val + real(v * lw[0]))
            else:
                for k in range(outDim):
                    if outDim > 49:
                        out[j, k] = _axpy_el(v, lw[k], out[j, k], k, outDim, real)
                    else:
                        out[j, k] = real(out[j, k] + real(lw[k] * v))
            e += 1
        if outDim == 1:
            out[j, 0] = real(bias[0] + val)
    return out, w


def _batch(rng, isize, sizes, dt, repeat):
    keys, vals = [], []
    for s in sizes:
        k = rng.integers(1, isize + 1, s)
        if repeat:
            k[: s // 2] = k[0]  # a key repeated inside a sample
        keys.append(torch.LongTensor(k.tolist()))
        vals.append(torch.from_numpy(rng.standard_normal(s).astype(dt)))
    return keys, vals


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("outDim", [1, 7, 60])
@pytest.mark.parametrize("normalize", [False, True])
def test_index_linear_forward_is_thnn_loop(use_c, dt, outDim, normalize):
    rng = np.random.default_rng(outDim * 2 + normalize)
    isize = 9
    tname = 'torch.FloatTensor' if dt == np.float32 else 'torch.DoubleTensor'
    for trial in range(4):
        m = nn.IndexLinear(isize, outDim, False, None, None, None, normalize).type(tname)
        m.reset()
        m.bias.numpy()[...] = rng.standard_normal(outDim).astype(dt)
        if trial % 2:
            m.training()
        sizes = [int(s) for s in rng.integers(1, 12, 1 + trial)]
        sizes[0] = max(sizes[0], 3)
        keys, vals = _batch(rng, isize, sizes, dt, trial >= 2)
        w0 = m.weight.numpy().copy()
        rows = np.concatenate([k.numpy() for k in keys]).astype(np.int64) - 1
        v = np.concatenate([t.numpy() for t in vals])
        ref, wref = thnn_forward(w0, m.bias.numpy().copy(), rows, v, np.array(sizes),
                                 4 if normalize else 0, trial % 2 == 1)
        out = m.forward([keys, vals]).numpy()
        np.testing.assert_array_equal(out, ref)
        np.testing.assert_array_equal(m.weight.numpy(), wref)


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_index_linear_flat_and_single_sample(use_c, dt):
    """The flat {keys, values, sizes} form and a single sample (1-D output) sum the same way."""
    rng = np.random.default_rng(3)
    tname = 'torch.FloatTensor' if dt == np.float32 else 'torch.DoubleTensor'
    for outDim in (1, 5, 52):
        m = nn.IndexLinear(6, outDim).type(tname)
        m.reset()
        m.bias.numpy()[...] = rng.standard_normal(outDim)
        k = rng.integers(1, 7, 20)
        v = rng.standard_normal(20).astype(dt)
        ref, _ = thnn_forward(m.weight.numpy(), m.bias.numpy(), k - 1, v, np.array([20]), 0,
                              False)
        out = m.forward([torch.LongTensor(k.tolist()), torch.from_numpy(v)]).numpy()
        np.testing.assert_array_equal(out, ref[0])
        sizes = torch.LongTensor([8, 12])
        ref2, _ = thnn_forward(m.weight.numpy(), m.bias.numpy(), k - 1, v, np.array([8, 12]),
                               0, False)
        out2 = m.forward([torch.LongTensor(k.tolist()), torch.from_numpy(v), sizes]).numpy()
        np.testing.assert_array_equal(out2, ref2)


def test_index_linear_one_output_sums_in_real_before_the_bias():
    """One output: val sums the products in float from 0, then the bias is added: 2^-24 + 2^-24
    reaches a bias of 1 as 2^-23 (bias + each term in turn would round it away twice)."""
    m = nn.IndexLinear(2, 1).float()
    m.weight.numpy()[...] = 1
    m.bias.numpy()[...] = 1
    v = torch.FloatTensor([2 ** -24, 2 ** -24])
    out = m.forward([torch.LongTensor([1, 2]), v]).numpy()
    assert out[0] == np.float32(1 + 2 ** -23)


def thnn_acc(go, rows_vals, sizes, gb, scale, normalize):
    """IndexLinear_accGradParameters: the dense per-entry gradient and gradBias. One output:
    val = go[j] * scale, rows val * v (with normalize: val, val * v), gradBias += val; several:
    gradBias = THVector cadd(gradBias, go[j], scale) (AVX2's fused multiply-add), rows
    (v * scale) * go[j] (with normalize go[j] * scale first)."""
    vals = rows_vals
    real = gb.dtype.type
    s = real(scale)
    outDim = gb.size
    gw = np.zeros((vals.size, outDim * (2 if normalize else 1)), gb.dtype)
    gb = gb.copy()
    e = 0
    for j, size in enumerate(sizes):
        if outDim == 1:
            val = real(go[j, 0] * s)
            for _ in range(size):
                gw[e] = [val, real(val * vals[e])] if normalize else [real(val * vals[e])]
                e += 1
            gb[0] = real(gb[0] + val)
        else:
            for k in range(outDim):
                gb[k] = _fma(go[j, k], s, gb[k], real)
            for _ in range(size):
                val = real(vals[e] * s)
                row = [real(go[j, k] * s) for k in range(outDim)] if normalize else []
                gw[e] = row + [real(val * go[j, k]) for k in range(outDim)]
                e += 1
    return gw, gb


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("outDim", [1, 6])
@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("scale", [1, 0.37])
def test_index_linear_acc_grad_parameters_is_thnn_loop(dt, outDim, normalize, scale):
    rng = np.random.default_rng(outDim * 4 + normalize * 2 + (scale == 1))
    tname = 'torch.FloatTensor' if dt == np.float32 else 'torch.DoubleTensor'
    for few in (True, False):   # a few samples, and more than the per-sample loop takes
        m = nn.IndexLinear(9, outDim, False, None, None, None, normalize).type(tname)
        m.reset()
        m.gradBias.numpy()[...] = rng.standard_normal(outDim)
        sizes = [int(s) for s in rng.integers(1, 6, 3 if few else 70)]
        keys, vals = _batch(rng, 9, sizes, dt, False)
        m.forward([keys, vals])
        go = rng.standard_normal((len(sizes), outDim)).astype(dt)
        v = (m.normalizedValues if normalize else m.values).numpy().copy()
        gw, gb = thnn_acc(go, v, sizes, m.gradBias.numpy().copy(), scale, normalize)
        m.accGradParameters([keys, vals], torch.from_numpy(go), scale)
        np.testing.assert_array_equal(m.running['gradWeight'][0].numpy(), gw)
        np.testing.assert_array_equal(m.gradBias.numpy(), gb)


def _cadd_neg(b, y, c, real):
    """THVector cadd(b, b, y, -c) on the reference CPU (AVX2: fused)."""
    for k in range(b.size):
        b[k] = _fma(y[k], -real(c), b[k], real)


def thnn_update(w, b, gw, gb, rows, lr, wd, n):
    """IndexLinear_updateParameters on w and b in place (rows: 0-based keys of gw's rows)."""
    real = w.dtype.type
    lr, wd = real(lr), real(wd)
    D = b.size
    _cadd_neg(b, gb, lr, real)
    for j, r in enumerate(rows):
        if D == 1:
            if n:
                lr_ = real(lr * w[r, n - 2])
                w[r, n - 1] = real(w[r, n - 1] - real(real(w[r, n] * gw[j, 0]) * lr_))
                t = real(gw[j, 1] * lr_)
                if wd:
                    t = real(t - real(real(wd * w[r, n - 2]) * w[r, n]))
                w[r, n] = real(w[r, n] - t)
            else:
                t = real(gw[j, 0] * lr)
                if wd:
                    t = real(t + real(wd * w[r, 0]))
                w[r, 0] = real(w[r, 0] - t)
            continue
        lr_, wd_ = lr, wd
        g = gw[j]
        if n:
            lr_ = real(lr * w[r, n - 2])
            wd_ = real(wd * w[r, n - 2])
            for k in range(D):
                w[r, n - 1] = real(w[r, n - 1] - real(real(g[k] * w[r, n + k]) * lr_))
            g = g[D:]
        if wd:
            for k in range(D):
                w[r, n + k] = real(w[r, n + k] - real(w[r, n + k] * wd_))
        for k in range(D):
            if D > 49:
                w[r, n + k] = _axpy_el(-lr_, g[k], w[r, n + k], k, D, real)
            else:
                w[r, n + k] = real(w[r, n + k] - real(g[k] * lr_))


def thnn_acc_update(w, b, rows, vals, sizes, go, scale, wd, n):
    """IndexLinear_accUpdateGradParameters on w and b in place."""
    real = w.dtype.type
    s, wd = real(scale), real(wd)
    D = b.size
    e = 0
    ents = []
    for j, size in enumerate(sizes):
        if D == 1:
            val = real(go[j, 0] * s)
            if n or wd:
                b[0] = real(b[0] - val)
            for _ in range(size):
                r, v = rows[e], vals[e]
                if n:
                    w[r, n - 1] = real(w[r, n - 1] - real(real(w[r, n] * val) * w[r, n - 2]))
                    t = real(real(val * v) - real(wd * w[r, n]))
                    w[r, n] = real(w[r, n] - real(t * w[r, n - 2]))
                elif wd:
                    w[r, 0] = real(w[r, 0] - real(real(val * v) + real(w[r, 0] * wd)))
                else:
                    w[r, 0] = real(w[r, 0] - real(val * v))
                ents.append(r)
                e += 1
            if not (n or wd):
                b[0] = real(b[0] - val)
            continue
        _cadd_neg(b, go[j], s, real)
        for _ in range(size):
            r = rows[e]
            val = real(vals[e] * s)
            wd_ = wd
            if n:
                val = real(val * w[r, n - 2])
                wd_ = real(wd_ * w[r, n - 2])
                for k in range(D):
                    t = real(real(real(w[r, n + k] * s) * go[j, k]) * w[r, n - 2])
                    w[r, n - 1] = real(w[r, n - 1] - t)
            if wd:
                for k in range(D):
                    w[r, n + k] = _axpy_el(-wd_, w[r, n + k], w[r, n + k], k, D, real) \
                        if D > 49 else \
                        real(w[r, n + k] - real(wd_ * w[r, n + k]))
            for k in range(D):
                w[r, n + k] = _axpy_el(-val, go[j, k], w[r, n + k], k, D, real) if D > 49 else \
                    real(w[r, n + k] - real(val * go[j, k]))
            e += 1
    if D == 1 and n:
        for r in ents:
            w[r, n - 2] = 0


def _trained(rng, dt, outDim, normalize, wd):
    tname = 'torch.FloatTensor' if dt == np.float32 else 'torch.DoubleTensor'
    m = nn.IndexLinear(7, outDim, False, None, None, None, normalize).type(tname)
    m.reset()
    m.weightDecay = wd
    if normalize:  # running max, its inverse, update scale, feature bias
        w = m.weight.numpy()
        w[:, 0] = np.abs(rng.standard_normal(7)) + 0.5
        w[:, 1] = 1 / w[:, 0]
        w[:, 2] = rng.uniform(0.5, 1.5, 7)
        w[:, 3] = rng.standard_normal(7)
    m.bias.numpy()[...] = rng.standard_normal(outDim)
    return m


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("outDim", [1, 5, 52])
@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("wd", [0, 0.03])
def test_index_linear_update_parameters_is_thnn_loop(use_c, dt, outDim, normalize, wd):
    rng = np.random.default_rng(outDim + 10 * normalize + int(wd * 100))
    m = _trained(rng, dt, outDim, normalize, wd)
    n = 4 if normalize else 0
    for _ in range(2):      # two accumulated steps: the concatenated running gradients
        sizes = [int(s) for s in rng.integers(1, 9, 3)]
        keys, vals = _batch(rng, 7, sizes, dt, True)
        m.forward([keys, vals])
        m.accGradParameters([keys, vals],
                            torch.from_numpy(rng.standard_normal((3, outDim)).astype(dt)), 0.7)
    w, b = m.weight.numpy().copy(), m.bias.numpy().copy()
    rows = np.concatenate([arr.numpy() for arr in m.running['keys'][:2]]).astype(np.int64) - 1
    gw = np.concatenate([g.numpy() for g in m.running['gradWeight'][:2]])
    thnn_update(w, b, gw, m.gradBias.numpy(), rows, 0.1, wd, n)
    m.updateParameters(0.1)
    np.testing.assert_array_equal(m.weight.numpy(), w)
    np.testing.assert_array_equal(m.bias.numpy(), b)


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("outDim", [1, 5, 52])
@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("wd", [0, 0.03])
def test_index_linear_acc_update_grad_parameters_is_thnn_loop(use_c, dt, outDim, normalize,
                                                             wd):
    rng = np.random.default_rng(100 + outDim + 10 * normalize + int(wd * 100))
    m = _trained(rng, dt, outDim, normalize, wd)
    n = 4 if normalize else 0
    sizes = [int(s) for s in rng.integers(1, 9, 4)]
    keys, vals = _batch(rng, 7, sizes, dt, True)
    m.forward([keys, vals])
    go = rng.standard_normal((4, outDim)).astype(dt)
    v = (m.normalizedValues if normalize else m.values).numpy().copy()
    rows = np.concatenate([k.numpy() for k in keys]).astype(np.int64) - 1
    w, b = m.weight.numpy().copy(), m.bias.numpy().copy()
    thnn_acc_update(w, b, rows, v, sizes, go, 0.3, wd, n)
    m.accUpdateGradParameters([keys, vals], torch.from_numpy(go), 0.3)
    np.testing.assert_array_equal(m.weight.numpy(), w)
    np.testing.assert_array_equal(m.bias.numpy(), b)
