"""Bilinear and trilinear upsampling (nn.SpatialUpSamplingBilinear, nn.UpSampling 'linear') are
THNN's loops: single-precision source coordinates, lambdas in `real`, the forward's nested
products, and a backward that adds `lambda * lambda (* lambda) * g` into gradInput term by term
in `real` (float tensors round after every term). The references below transcribe
SpatialUpSamplingBilinear.c and VolumetricUpSamplingTrilinear.c one scalar at a time (numpy
scalars of the tensor's type) and are compared bit for bit."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn

f32 = np.float32


def coords(isz, osz, real):
    """THNN's per-output-row source: (i1, i1p, lambda0, lambda1)."""
    r = f32(f32(isz - 1) / f32(osz - 1)) if osz > 1 else f32(0)
    res = []
    for o in range(osz):
        pos = f32(r * f32(o))
        i = int(pos)
        l1 = real(f32(pos - f32(i)))
        res.append((i, 1 if i < isz - 1 else 0, real(real(1) - l1), l1))
    return res


def forward_ref(x, out):
    real = x.dtype.type
    S = x.shape[2:]
    if tuple(S) == tuple(out):
        return x.copy()
    y = np.zeros(x.shape[:2] + tuple(out), x.dtype)
    cs = [coords(S[d], out[d], real) for d in range(len(S))]
    for n, c in np.ndindex(*x.shape[:2]):
        p = x[n, c]
        for o in np.ndindex(*out):
            if len(S) == 2:
                (h, hp, h0, h1), (w, wp, w0, w1) = cs[0][o[0]], cs[1][o[1]]
                y[(n, c) + o] = h0 * (w0 * p[h, w] + w1 * p[h, w + wp]) + \
                    h1 * (w0 * p[h + hp, w] + w1 * p[h + hp, w + wp])
            else:
                (t, tp, t0, t1), (h, hp, h0, h1), (w, wp, w0, w1) = \
                    cs[0][o[0]], cs[1][o[1]], cs[2][o[2]]
                y[(n, c) + o] = \
                    t0 * (h0 * (w0 * p[t, h, w] + w1 * p[t, h, w + wp])
                          + h1 * (w0 * p[t, h + hp, w] + w1 * p[t, h + hp, w + wp])) + \
                    t1 * (h0 * (w0 * p[t + tp, h, w] + w1 * p[t + tp, h, w + wp])
                          + h1 * (w0 * p[t + tp, h + hp, w] + w1 * p[t + tp, h + hp, w + wp]))
    return y


def backward_ref(go, S):
    real = go.dtype.type
    out = go.shape[2:]
    gi = np.zeros(go.shape[:2] + tuple(S), go.dtype)
    if tuple(S) == tuple(out):
        return gi + go
    cs = [coords(S[d], out[d], real) for d in range(len(S))]
    for o in np.ndindex(*out):       # output position outside, planes inside, as THNN
        for n, c in np.ndindex(*go.shape[:2]):
            g = go[(n, c) + o]
            p = gi[n, c]
            if len(S) == 2:
                (h, hp, h0, h1), (w, wp, w0, w1) = cs[0][o[0]], cs[1][o[1]]
                p[h, w] += h0 * w0 * g
                p[h, w + wp] += h0 * w1 * g
                p[h + hp, w] += h1 * w0 * g
                p[h + hp, w + wp] += h1 * w1 * g
            else:
                (t, tp, t0, t1), (h, hp, h0, h1), (w, wp, w0, w1) = \
                    cs[0][o[0]], cs[1][o[1]], cs[2][o[2]]
                p[t, h, w] += t0 * h0 * w0 * g
                p[t, h, w + wp] += t0 * h0 * w1 * g
                p[t, h + hp, w] += t0 * h1 * w0 * g
                p[t, h + hp, w + wp] += t0 * h1 * w1 * g
                p[t + tp, h, w] += t1 * h0 * w0 * g
                p[t + tp, h, w + wp] += t1 * h0 * w1 * g
                p[t + tp, h + hp, w] += t1 * h1 * w0 * g
                p[t + tp, h + hp, w + wp] += t1 * h1 * w1 * g
    return gi


def _typed(m, dt):
    return m.type('torch.FloatTensor' if dt == np.float32 else 'torch.DoubleTensor')


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_bilinear_forward_backward_are_thnn_loops(dt):
    rng = np.random.default_rng(7)
    for _ in range(25):
        S = tuple(int(v) for v in rng.integers(1, 6, 2))
        out = tuple(int(v) for v in rng.integers(1, 12, 2))
        x = rng.standard_normal((int(rng.integers(1, 3)), 2) + S).astype(dt)
        m = _typed(nn.SpatialUpSamplingBilinear({'oheight': out[0], 'owidth': out[1]}), dt)
        t = torch.from_numpy(x)
        np.testing.assert_array_equal(m.forward(t).numpy(), forward_ref(x, out))
        go = rng.standard_normal(x.shape[:2] + out).astype(dt)
        gi = m.updateGradInput(t, torch.from_numpy(go)).numpy()
        np.testing.assert_array_equal(gi, backward_ref(go, S))


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_upsampling_linear_forward_backward_are_thnn_loops(dt):
    rng = np.random.default_rng(8)
    for trial in range(16):
        nsp = 2 + trial % 2
        S = tuple(int(v) for v in rng.integers(1, 5, nsp))
        if trial % 4 < 2:
            s = int(rng.integers(2, 4))
            m = nn.UpSampling(s, 'linear')
            out = tuple(v * s for v in S)  # setSize's (not the comment's) sizes
        else:
            out = tuple(int(v) for v in rng.integers(1, 8, nsp))
            m = nn.UpSampling(dict(zip(('odepth', 'oheight', 'owidth')[3 - nsp:], out)),
                              'linear')
        m = _typed(m, dt)
        x = rng.standard_normal((2, 2) + S).astype(dt)
        t = torch.from_numpy(x)
        np.testing.assert_array_equal(m.forward(t).numpy(), forward_ref(x, out))
        go = rng.standard_normal(x.shape[:2] + out).astype(dt)
        gi = m.updateGradInput(t, torch.from_numpy(go)).numpy()
        np.testing.assert_array_equal(gi, backward_ref(go, S))


def test_bilinear_float_backward_rounds_every_term():
    """A float sum that a double accumulator rounds differently: 1 + 2^-24 + 2^-24 is 1 in
    float term by term (ties to even), 1 + 2^-23 summed in double."""
    m = nn.SpatialUpSamplingBilinear({'oheight': 5, 'owidth': 1}).float()
    x = torch.FloatTensor(1, 1, 2, 1).zero()
    m.forward(x)
    go = torch.FloatTensor(1, 1, 5, 1)
    # output rows at 0, .25, .5, .75, 1: input row 0 gets 1*1, .75*0, .5*2^-23, .25*2^-22
    go.numpy()[...] = np.array([1, 0, 2 ** -23, 2 ** -22, 0], np.float32).reshape(1, 1, 5, 1)
    gi = m.updateGradInput(x, go).numpy().ravel()
    assert gi[0] == f32(1)
    assert gi[1] == f32(2 ** -24 + 0.75 * 2 ** -22)


def _bits(a):
    return a.view(np.uint32 if a.dtype == np.float32 else np.uint64)


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # numpy's inf * 0
@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_linear_backward_c_and_numpy_paths_are_thnn_loops(use_c, dt):
    """Both paths of the linear backward (the C loop skips +-0 gradients, numpy's sparse path
    the same terms) against the scalar transcription, bit for bit (signed zeros included):
    dense gradients, a Jacobian check's one-hot rows, zeros of both signs, NaN and inf, 2-d
    and 3-d, scaled and explicit output sizes, float and double."""
    rng = np.random.default_rng(11)
    for trial in range(24):
        nsp = 2 + trial % 2
        S = tuple(int(v) for v in rng.integers(1, 5, nsp))
        if trial % 3:
            s = int(rng.integers(2, 4))
            m = nn.UpSampling(s, 'linear')
            out = tuple(v * s for v in S)
        else:
            out = tuple(int(v) for v in rng.integers(1, 8, nsp))
            m = nn.UpSampling(dict(zip(('odepth', 'oheight', 'owidth')[3 - nsp:], out)),
                              'linear')
        m = _typed(m, dt)
        x = rng.standard_normal((int(rng.integers(1, 3)), 2) + S).astype(dt)
        t = torch.from_numpy(x)
        m.forward(t)
        shape = x.shape[:2] + out
        gos = [rng.standard_normal(shape).astype(dt)]
        hot = np.zeros(shape, dt)
        hot.reshape(-1)[int(rng.integers(0, hot.size))] = 1
        gos.append(hot)
        mixed = rng.standard_normal(shape).astype(dt)
        flat = mixed.reshape(-1)
        flat[rng.random(flat.size) < 0.4] = 0
        flat[rng.random(flat.size) < 0.2] = -0.0
        gos.append(mixed)
        neg = np.zeros(shape, dt)
        neg.reshape(-1)[:] = -0.0
        neg.reshape(-1)[0] = -2.5
        gos.append(neg)
        if trial % 4 == 0:
            odd = rng.standard_normal(shape).astype(dt)
            odd.reshape(-1)[0] = np.nan
            odd.reshape(-1)[-1] = np.inf
            gos.append(odd)
        for go in gos:
            gi = m.updateGradInput(t, torch.from_numpy(go.copy())).numpy()
            ref = backward_ref(go, S)
            same_nan = np.isnan(gi) & np.isnan(ref)
            assert np.array_equal(np.where(same_nan, 0, _bits(gi)),
                                  np.where(same_nan, 0, _bits(ref)))
