"""Tests of the remaining full-nn modules (issue 7, second helper): outputs against independent
numpy formulas, nn.Jacobian finite-difference checks in float64 (input and parameters, batch and
non-batch), clone / save-load / float() / double() round trips and Torch7's error texts."""
import contextlib
import io
import itertools

import numpy as np
import pytest

import torch7py as torch
import torch7py.nn as nn
from torch7py.tensor import TorchError


def R(*sizes, lo=-1.0, hi=1.0, seed=1):
    t = torch.Tensor(*sizes)
    t.numpy()[...] = np.random.RandomState(seed + sum(sizes)).uniform(lo, hi, size=sizes)
    return t


def A(t):
    return t.numpy().copy()


def jac(m, x, tol=1e-5):
    """nn.Jacobian on the input and on every parameter (Torch7's own test pattern)."""
    torch.manualSeed(123)
    assert nn.Jacobian.testJacobian(m, x) < tol, 'input: %s' % m
    params, grads = m.parameters()
    for p, g in zip(params or [], grads or []):
        assert nn.Jacobian.testJacobianParameters(m, x, p, g) < tol, 'param: %s' % m


def roundtrip(m, x, tmp_path):
    """clone, save/load, float() and double() all give the same forward."""
    y = A(m.forward(x))
    np.testing.assert_array_equal(A(m.clone().forward(x)), y)
    path = str(tmp_path / 'm.t7')
    torch.save(path, m)
    loaded = torch.load(path)
    assert type(loaded) is type(m)
    np.testing.assert_array_equal(A(loaded.forward(x)), y)
    f = m.clone().float()
    yf = f.forward(x.float())
    assert yf.typename == 'torch.FloatTensor'
    np.testing.assert_allclose(A(yf), y, rtol=1e-4, atol=1e-5)
    d = f.double()
    yd = d.forward(x)
    assert yd.typename == 'torch.DoubleTensor'
    np.testing.assert_allclose(A(yd), y, rtol=1e-4, atol=1e-5)


def raises(m, x, text, gradOutput=None):
    """Torch7's error text, and the module still usable afterwards."""
    with pytest.raises((TorchError, AssertionError), match=text):
        if gradOutput is None:
            m.forward(x)
        else:
            m.backward(x, gradOutput)


# ---- StochasticGradient -------------------------------------------------------------------------

class _Dataset:
    def __init__(self, pairs):
        self.pairs = pairs

    def size(self):
        return len(self.pairs)

    def __getitem__(self, i):
        return self.pairs[i - 1]


def _sgd_reference(w, b, data, perm, lr, decay, iters):
    """Plain numpy SGD on Linear + MSECriterion, as StochasticGradient.lua runs it."""
    errs = []
    cur = lr
    for it in range(1, iters + 1):
        tot = 0.0
        for t in perm:
            x, y = data[t - 1]
            out = w @ x + b
            tot += np.mean((out - y) ** 2)
            g = 2 * (out - y) / y.size
            w -= cur * np.outer(g, x)
            b -= cur * g
        errs.append(tot / len(data))
        cur = lr / (1 + (it + 1) * decay)
    return errs


@pytest.mark.parametrize('shuffle', [True, False])
def test_stochastic_gradient(shuffle):
    torch.manualSeed(7)
    lin = nn.Linear(3, 2)
    w0, b0 = A(lin.weight), A(lin.bias)
    rs = np.random.RandomState(3)
    data = [(rs.randn(3), rs.randn(2)) for _ in range(5)]
    ds = _Dataset([[torch.Tensor(x.tolist()), torch.Tensor(y.tolist())] for x, y in data])
    trainer = nn.StochasticGradient(lin, nn.MSECriterion())
    trainer.maxIteration = 3
    trainer.learningRate = 0.05
    trainer.learningRateDecay = 0.5
    trainer.shuffleIndices = shuffle
    seen = []
    trainer.hookIteration = lambda self, it, err: seen.append(it)
    state = torch.getRNGState()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        trainer.train(ds)
    torch.setRNGState(state)
    perm = torch.randperm(5, 'torch.LongTensor').numpy().tolist()
    if not shuffle:
        perm = [1, 2, 3, 4, 5]
    errs = _sgd_reference(w0.copy(), b0.copy(), data, perm, 0.05, 0.5, 3)
    lines = buf.getvalue().splitlines()
    assert lines[0] == '# StochasticGradient: training'
    assert lines[-2] == '# StochasticGradient: you have reached the maximum number of iterations'
    assert lines[-1] == '# training error = ' + lines[3].split('= ')[1]  # the last epoch's
    assert len(lines) == 6 and seen == [1, 2, 3]
    for line, e in zip(lines[1:4], errs):
        assert line.startswith('# current error = ')
        np.testing.assert_allclose(float(line.split('= ')[1]), e, rtol=1e-12)
    # the printed number is Lua's %.14g
    assert lines[1] == '# current error = ' + ('%.14g' % float(lines[1].split('= ')[1]))
    # the permutation is drawn even when not shuffling: the generator moves the same way
    torch.setRNGState(state)
    torch.randperm(5, 'torch.LongTensor')
    want_next = torch.uniform()
    t2 = nn.StochasticGradient(nn.Linear(3, 2), nn.MSECriterion())
    torch.setRNGState(state)
    t2.maxIteration = 1
    t2.shuffleIndices = False
    with contextlib.redirect_stdout(io.StringIO()):
        t2.train(ds)
    assert torch.uniform() == want_next
    assert repr(trainer) == 'nn.StochasticGradient'


# ---- VolumetricReplicationPadding ---------------------------------------------------------------

def test_volumetric_replication_padding(tmp_path):
    m = nn.VolumetricReplicationPadding(1, 2, 0, 1, 2, 1)
    assert repr(m) == ('nn.VolumetricReplicationPadding(left=1, right=2, top=0, bottom=1, '
                       'front=2, back=1)')
    x = R(2, 3, 2, 4)
    want = np.pad(A(x), ((0, 0), (2, 1), (0, 1), (1, 2)), mode='edge')
    np.testing.assert_array_equal(A(m.forward(x)), want)
    xb = R(2, 2, 3, 2, 4)
    want = np.pad(A(xb), ((0, 0), (0, 0), (2, 1), (0, 1), (1, 2)), mode='edge')
    np.testing.assert_array_equal(A(m.forward(xb)), want)
    # cropping with negative pads
    c = nn.VolumetricReplicationPadding(-1, 0, -1, 1, 0, -1)
    np.testing.assert_array_equal(
        A(c.forward(x)), np.pad(A(x)[:, :2, 1:, 1:], ((0, 0), (0, 0), (0, 1), (0, 0)),
                                mode='edge'))
    d = nn.VolumetricReplicationPadding(2)
    assert (d.pright, d.ptop, d.pbottom, d.pfront, d.pback) == (2, 2, 2, 2, 2)
    jac(m, R(2, 3, 2, 3))
    jac(m, R(2, 2, 2, 2, 3))
    jac(c, R(2, 3, 3, 3))
    roundtrip(m, xb, tmp_path)
    raises(m, R(3, 4), r'input must be 4 or 5-dimensional')  # (its Lua's check, before THNN's)
    raises(m, x, 'gradOutput', R(2, 6, 3, 6))
    np.testing.assert_array_equal(A(m.forward(xb))[..., 1:-2][:, :, 2:-1, :-1], A(xb))


# ---- VolumetricBatchNormalization ---------------------------------------------------------------

def test_volumetric_batch_normalization(tmp_path):
    m = nn.VolumetricBatchNormalization(3)
    assert repr(m) == 'nn.VolumetricBatchNormalization (5D) (3)'
    x = R(4, 3, 2, 2, 3)
    m.weight.numpy()[...] = [0.5, 1.5, -1]
    m.bias.numpy()[...] = [0.1, 0.2, 0.3]
    y = A(m.forward(x))
    a = A(x)
    mean = a.mean(axis=(0, 2, 3, 4), keepdims=True)
    var = a.var(axis=(0, 2, 3, 4), keepdims=True)
    want = (a - mean) / np.sqrt(var + 1e-5) * np.array([0.5, 1.5, -1]).reshape(1, 3, 1, 1, 1) \
        + np.array([0.1, 0.2, 0.3]).reshape(1, 3, 1, 1, 1)
    np.testing.assert_allclose(y, want, rtol=1e-10, atol=1e-12)
    n = a.size / 3
    np.testing.assert_allclose(A(m.running_mean), 0.1 * mean.ravel(), rtol=1e-12)
    np.testing.assert_allclose(A(m.running_var), 0.9 + 0.1 * var.ravel() * n / (n - 1),
                               rtol=1e-12)
    jac(nn.VolumetricBatchNormalization(2), R(3, 2, 2, 2, 2), tol=1e-4)
    e = nn.VolumetricBatchNormalization(2)
    e.running_mean.numpy()[...] = [0.3, -0.2]
    e.running_var.numpy()[...] = [2.0, 0.5]
    e.evaluate()
    x1 = R(2, 2, 3, 2)
    want = (A(x1) - np.array([0.3, -0.2]).reshape(2, 1, 1, 1)) / np.sqrt(
        np.array([2.0, 0.5]).reshape(2, 1, 1, 1) + 1e-5) * A(e.weight).reshape(2, 1, 1, 1)
    np.testing.assert_allclose(A(e.forward(x1)).reshape(want.shape), want, rtol=1e-10)
    jac(e, R(2, 2, 3, 2))
    roundtrip(m, x, tmp_path)
    raises(nn.VolumetricBatchNormalization(3), R(3, 2, 2, 2),
           r'only mini-batch supported \(5D tensor\), got 4D tensor instead')
    raises(nn.VolumetricBatchNormalization(3), R(2, 4, 2, 2, 2), 'got 4-feature tensor, '
           'expected 3')
    na = nn.VolumetricBatchNormalization(2, 1e-3, 0.2, False)
    assert na.parameters() == (None, None)
    jac(na, R(3, 2, 2, 1, 2), tol=1e-4)


# ---- VolumetricAveragePooling -------------------------------------------------------------------

def _avgpool_ref(x, k, d, pad, ceil, include):
    """Direct loops over the output positions (THNN's formula for the divisor)."""
    N, C = x.shape[:2]
    S = x.shape[2:]
    out = []
    for i in range(3):
        span = S[i] + 2 * pad[i] - k[i]
        o = (-(-span // d[i]) if ceil else span // d[i]) + 1
        if ceil and (o - 1) * d[i] >= S[i] + pad[i]:
            o -= 1
        out.append(o)
    y = np.zeros((N, C) + tuple(out))
    for pos in itertools.product(*[range(o) for o in out]):
        st = [pos[i] * d[i] - pad[i] for i in range(3)]
        en = [min(st[i] + k[i], S[i] + pad[i]) for i in range(3)]
        size = np.prod([en[i] - st[i] for i in range(3)])
        lo = [max(s, 0) for s in st]
        hi = [min(e, S[i]) for i, e in enumerate(en)]
        cnt = np.prod([hi[i] - lo[i] for i in range(3)])
        block = x[:, :, lo[0]:hi[0], lo[1]:hi[1], lo[2]:hi[2]].sum(axis=(2, 3, 4))
        y[(slice(None), slice(None)) + pos] = block / (size if include else cnt)
    return y


@pytest.mark.parametrize('args,ceil,include', [
    ((2, 2, 2), False, True),
    ((2, 3, 2, 1, 2, 1), False, True),
    ((3, 3, 3, 2, 2, 2, 1, 1, 1), False, True),
    ((3, 3, 3, 2, 2, 2, 1, 1, 1), True, False),
    ((2, 3, 3, 2, 2, 2, 1, 1, 0), True, True),
])
def test_volumetric_average_pooling(args, ceil, include, tmp_path):
    m = nn.VolumetricAveragePooling(*args)
    if ceil:
        m.ceil()
    if not include:
        m.setCountExcludePad()
    k = (m.kT, m.kH, m.kW)
    d = (m.dT, m.dH, m.dW)
    # (nn 8726825's module has no pad fields: the Python-only padding sets them when given)
    pad = tuple(m.__dict__.get(f, 0) for f in ('padT', 'padH', 'padW'))
    xb = R(2, 2, 5, 6, 5)
    np.testing.assert_allclose(A(m.forward(xb)), _avgpool_ref(A(xb), k, d, pad, ceil, include),
                               rtol=1e-12)
    x = R(2, 5, 6, 5)
    np.testing.assert_allclose(A(m.forward(x)),
                               _avgpool_ref(A(x)[None], k, d, pad, ceil, include)[0], rtol=1e-12)
    jac(m, R(2, 4, 5, 4))
    jac(m, R(2, 1, 4, 4, 5))
    roundtrip(m, xb, tmp_path)


def test_volumetric_average_pooling_text_and_errors():
    m = nn.VolumetricAveragePooling(3, 3, 3)
    # THNN: 'input image (T: 2 H: 2 W: 2) smaller than kernel size (kT: 3 kH: 3 kW: 3)'
    raises(m, R(2, 2, 2, 2), 'smaller than kernel size|Output size is too small')
    raises(m, R(4, 4, 4), '4D or 5D')
    x = R(1, 3, 3, 3)
    raises(m, x, r'Need gradOutput of dimension 4 and gradOutput\.size\[1\] == 1', R(1, 2, 1, 1))
    np.testing.assert_allclose(A(m.forward(x)).ravel(), [A(x).mean()])
    # VolumetricAveragePooling.c's own text, argument #11 (padH's place, as its comment says)
    raises(nn.VolumetricAveragePooling(2, 2, 2, 1, 1, 1, 2, 0, 0), x,
           r"bad argument #11 to 'v' \(pad should not be greater than half of kernel size")


# ---- VolumetricDilatedMaxPooling / VolumetricMaxUnpooling ---------------------------------------

def _maxpool_ref(x, k, d, pad, dil):
    N, C = x.shape[:2]
    S = x.shape[2:]
    out = [(S[i] + 2 * pad[i] - dil[i] * (k[i] - 1) - 1) // d[i] + 1 for i in range(3)]
    y = np.full((N, C) + tuple(out), -np.inf)
    for pos in itertools.product(*[range(o) for o in out]):
        for off in itertools.product(*[range(n) for n in k]):
            p = [pos[i] * d[i] - pad[i] + off[i] * dil[i] for i in range(3)]
            if all(0 <= p[i] < S[i] for i in range(3)):
                sl = (slice(None), slice(None)) + pos
                y[sl] = np.maximum(y[sl], x[:, :, p[0], p[1], p[2]])
    return y


def test_volumetric_dilated_max_pooling(tmp_path):
    m = nn.VolumetricDilatedMaxPooling(2, 2, 3, 1, 2, 1, 1, 0, 1, 2, 1, 2)
    assert repr(m) == 'nn.VolumetricDilatedMaxPooling(2x2x3, 1,2,1, 1,0,1, 2,1,2)'
    assert repr(nn.VolumetricDilatedMaxPooling(2, 2, 2)) == \
        'nn.VolumetricDilatedMaxPooling(2x2x2, 2,2,2, 1,1,1)'
    xb = R(2, 2, 5, 6, 5)
    want = _maxpool_ref(A(xb), (2, 3, 2), (1, 1, 2), (1, 1, 0), (2, 2, 1))
    np.testing.assert_array_equal(A(m.forward(xb)), want)
    x = R(2, 5, 6, 5)
    np.testing.assert_array_equal(A(m.forward(x)), _maxpool_ref(A(x)[None], (2, 3, 2), (1, 1, 2),
                                                                (1, 1, 0), (2, 2, 1))[0])
    jac(m, R(2, 4, 5, 4))
    jac(m, R(2, 1, 4, 5, 4))
    roundtrip(m, xb, tmp_path)


def test_volumetric_max_unpooling(tmp_path):
    p = nn.VolumetricMaxPooling(2, 2, 2)
    u = nn.VolumetricMaxUnpooling(p)
    assert repr(u) == 'nn.VolumetricMaxUnpooling associated to nn.VolumetricMaxPooling(2x2x2, ' \
        '2,2,2)'
    xb = R(2, 3, 4, 4, 6)
    y = p.forward(xb)
    z = A(u.forward(y))
    a = A(xb)
    win = a.reshape(2, 3, 2, 2, 2, 2, 3, 2).transpose(0, 1, 2, 4, 6, 3, 5, 7)
    mx = win.reshape(2, 3, 2, 2, 3, 8).max(axis=-1)
    keep = a == np.repeat(np.repeat(np.repeat(mx, 2, 2), 2, 3), 2, 4)
    np.testing.assert_array_equal(z, np.where(keep, a, 0))
    g = R(2, 3, 4, 4, 6, seed=4)
    np.testing.assert_array_equal(A(u.backward(y, g)), A(g).reshape(2, 3, 2, 2, 2, 2, 3, 2)
                                  .transpose(0, 1, 2, 4, 6, 3, 5, 7).reshape(2, 3, 2, 2, 3, 8)
                                  [np.where(keep.reshape(2, 3, 2, 2, 2, 2, 3, 2)
                                            .transpose(0, 1, 2, 4, 6, 3, 5, 7)
                                            .reshape(2, 3, 2, 2, 3, 8))].reshape(2, 3, 2, 2, 3))
    x = R(3, 4, 2, 4)
    y = p.forward(x)
    jac(u, y.clone())
    np.testing.assert_array_equal(A(u.forward(y)) != 0, A(x) == np.repeat(np.repeat(np.repeat(
        A(y), 2, 1), 2, 2), 2, 3))
    c = u.clone()
    np.testing.assert_array_equal(A(c.forward(y)), A(u.forward(y)))
    with pytest.raises((TorchError, AssertionError),
                       match='Argument must be a nn.VolumetricMaxPooling module'):
        nn.VolumetricMaxUnpooling(nn.SpatialMaxPooling(2, 2))
    with pytest.raises((TorchError, AssertionError), match="kernel must be equal to its stride"):
        nn.VolumetricMaxUnpooling(nn.VolumetricMaxPooling(2, 2, 2, 1, 1, 1))
    raises(u, R(3, 4, 2, 3), r'input and indices shapes do not match: input \[3 x 4 x 2 x 3\]')


# ---- VolumetricFractionalMaxPooling -------------------------------------------------------------

def _frac_ref(x, samples, out, pool):
    """THNN's loops: x (P, H, W, T), samples (P, 3) = (T, W, H) draws; returns values, indices."""
    def seq(u, n, o, k):
        alpha = (n - k) / (o - 1) if o > 1 else 0.0
        s = [int((i + u) * alpha) - int(u * alpha) for i in range(o - 1)]
        return s + [n - k]
    P, H, W, T = x.shape
    vals = np.zeros((P,) + out)
    idx = np.zeros((P,) + out, dtype=np.int64)
    for p in range(P):
        sh = seq(samples[p, 2], H, out[0], pool[0])
        sw = seq(samples[p, 1], W, out[1], pool[1])
        st = seq(samples[p, 0], T, out[2], pool[2])
        for h, w, t in itertools.product(range(out[0]), range(out[1]), range(out[2])):
            best, bi = -np.inf, -1
            for h2 in range(sh[h], sh[h] + pool[0]):
                for w2 in range(sw[w], sw[w] + pool[1]):
                    for t2 in range(st[t], st[t] + pool[2]):
                        if x[p, h2, w2, t2] > best:
                            best, bi = x[p, h2, w2, t2], (h2 * W + w2) * T + t2
            vals[p, h, w, t] = best
            idx[p, h, w, t] = bi + 1
    return vals, idx


def test_volumetric_fractional_max_pooling(tmp_path):
    m = nn.VolumetricFractionalMaxPooling(2, 3, 2, 3, 2, 4)
    # VolumetricFractionalMaxPooling.lua (nn 8726825): '%s(%dx%dx%d, %d,%d,%d)'
    assert repr(m) == 'nn.VolumetricFractionalMaxPooling(3x2x4, 2,3,2)'
    xb = R(2, 3, 7, 6, 5)
    torch.manualSeed(5)
    y = A(m.forward(xb))
    assert y.shape == (2, 3, 4, 2, 3)
    # the draws: a 2 x 3 x 3 buffer of the input's type, from the generator
    torch.manualSeed(5)
    want_samples = A(torch.Tensor(2, 3, 3).uniform())
    np.testing.assert_array_equal(A(m.randomSamples), want_samples)
    vals, idx = _frac_ref(A(xb).reshape(6, 7, 6, 5), want_samples.reshape(6, 3), (4, 2, 3),
                          (2, 3, 2))
    np.testing.assert_array_equal(y, vals.reshape(y.shape))
    np.testing.assert_array_equal(A(m.indices), idx.reshape(y.shape))
    g = R(2, 3, 4, 2, 3, seed=9)
    gi = A(m.backward(xb, g))
    want = np.zeros(6 * 7 * 6 * 5)
    np.add.at(want, (idx.reshape(6, -1) - 1 + np.arange(6)[:, None] * 210).ravel(), A(g).ravel())
    np.testing.assert_allclose(gi, want.reshape(gi.shape), rtol=1e-14)
    # a new draw each forward, unless the regions are fixed
    m.forward(xb)
    assert not np.array_equal(A(m.randomSamples), want_samples)
    m.fixPoolingRegions()
    s = A(m.randomSamples)
    m.forward(xb)
    np.testing.assert_array_equal(A(m.randomSamples), s)
    jac(m, R(3, 7, 6, 5))
    jac(m, R(2, 2, 6, 6, 5))
    # ratios: Torch7 takes T from the last dimension, W and H before it
    r = nn.VolumetricFractionalMaxPooling(2, 2, 2, 0.5, 0.5, 0.7)
    assert r.forward(R(2, 10, 8, 6)).size().totable() == [2, 7, 4, 3]
    assert repr(r) == 'nn.VolumetricFractionalMaxPooling(0x0x0, 2,2,2)'
    # a batch of another size draws new samples even with fixed regions; then they stay
    m.forward(xb)
    c = m.clone()
    np.testing.assert_array_equal(A(c.forward(xb)), A(m.forward(xb)))
    f = m.clone().float()
    np.testing.assert_allclose(A(f.forward(xb.float())), A(m.forward(xb)), rtol=1e-6)
    path = str(tmp_path / 'f.t7')
    torch.save(path, m)
    np.testing.assert_array_equal(A(torch.load(path).forward(xb)), A(m.forward(xb)))
    raises(nn.VolumetricFractionalMaxPooling(4, 2, 2, 3, 2, 2), R(2, 4, 4, 5),
           r'poolSizeT \(4\) too large relative to input time \(5\)')
    # (updateOutput's initSampleBuffer_ runs getBufferSize_ before THNN's shape check:
    # VolumetricFractionalMaxPooling.lua's error('input must be dim 4 or 5'))
    raises(m, R(3, 4), 'input must be dim 4 or 5')
    with pytest.raises(TorchError, match='must call updateOutput/forward first'):
        nn.VolumetricFractionalMaxPooling(2, 2, 2, 2, 2, 2).backward(R(1, 4, 4, 4), R(1, 2, 2, 2))


# ---- SpatialUpSamplingBilinear / UpSampling ----------------------------------------------------

def _interp_matrix(n, o):
    """Corner-aligned linear interpolation as a (o, n) matrix; the ratio and positions in single
    precision, as THNN's kernel computes them."""
    M = np.zeros((o, n))
    r = np.float32(n - 1) / np.float32(o - 1) if o > 1 else np.float32(0)
    for j in range(o):
        p = np.float32(r * np.float32(j))
        i = int(p)
        lam = float(p - np.float32(i))
        M[j, i] += 1 - lam
        M[j, min(i + 1, n - 1)] += lam
    return M


def test_spatial_up_sampling_bilinear(tmp_path):
    m = nn.SpatialUpSamplingBilinear(2)
    assert repr(m) == 'nn.SpatialUpSamplingBilinear(2)'
    xb = R(2, 3, 4, 5)
    Mh, Mw = _interp_matrix(4, 8), _interp_matrix(5, 10)
    want = np.einsum('ih,nchw,jw->ncij', Mh, A(xb), Mw)
    np.testing.assert_allclose(A(m.forward(xb)), want, rtol=1e-6, atol=1e-7)
    x = R(3, 4, 5)
    np.testing.assert_allclose(A(m.forward(x)), np.einsum('ih,chw,jw->cij', Mh, A(x), Mw),
                               rtol=1e-6, atol=1e-7)
    g = R(3, 8, 10, seed=3)
    np.testing.assert_allclose(A(m.backward(x, g)), np.einsum('ih,cij,jw->chw', Mh, A(g), Mw),
                               rtol=1e-6, atol=1e-7)
    # exact: the corners are the input's corners, and a same-size output is a copy
    np.testing.assert_array_equal(A(m.forward(xb))[..., ::7, ::9], A(xb)[..., ::3, ::4])
    s = nn.SpatialUpSamplingBilinear({'oheight': 4, 'owidth': 5})
    assert repr(s) == 'nn.SpatialUpSamplingBilinear(4, 5)'
    np.testing.assert_array_equal(A(s.forward(xb)), A(xb))
    o = nn.SpatialUpSamplingBilinear({'oheight': 7, 'owidth': 3})
    np.testing.assert_allclose(A(o.forward(xb)), np.einsum(
        'ih,nchw,jw->ncij', _interp_matrix(4, 7), A(xb), _interp_matrix(5, 3)), rtol=1e-6,
        atol=1e-7)
    assert [int(o.outputSize[i]) for i in range(1, 5)] == [2, 3, 7, 3]
    jac(m, R(2, 3, 4))
    jac(o, R(2, 2, 4, 5))
    roundtrip(m, xb, tmp_path)
    # updateOutput's assert says 'supports' (updateGradInput's 'support')
    raises(m, R(4, 5), 'SpatialUpSamplingBilinear only supports 3D or 4D tensors')
    raises(m, x, 'Input and gradOutput should be of same dimension', R(1, 3, 8, 10))
    with pytest.raises(TorchError, match='scale_factor must be integer'):
        nn.SpatialUpSamplingBilinear(1.5)


def test_up_sampling(tmp_path):
    n = nn.UpSampling(2)
    assert repr(n) == 'nn.UpSampling(2x, nearest)'
    xb = R(2, 3, 2, 3)
    np.testing.assert_array_equal(A(n.forward(xb)), A(xb).repeat(2, 2).repeat(2, 3))
    x5 = R(2, 2, 2, 3, 2)
    np.testing.assert_array_equal(A(n.forward(x5)), A(x5).repeat(2, 2).repeat(2, 3).repeat(2, 4))
    g = R(2, 2, 4, 6, 4, seed=2)
    np.testing.assert_allclose(A(n.backward(x5, g)), A(g).reshape(2, 2, 2, 2, 3, 2, 2, 2)
                               .sum(axis=(3, 5, 7)), rtol=1e-14)
    lin = nn.UpSampling(3, 'bilinear')
    assert repr(lin) == 'nn.UpSampling(3x, linear)'
    np.testing.assert_allclose(A(lin.forward(xb)), np.einsum(
        'ih,nchw,jw->ncij', _interp_matrix(2, 6), A(xb), _interp_matrix(3, 9)), rtol=1e-6,
        atol=1e-7)
    tri = nn.UpSampling({'odepth': 3, 'oheight': 5, 'owidth': 4}, 'trilinear')
    assert repr(tri) == 'nn.UpSampling(3x5x4, linear)'
    want = np.einsum('at,ih,jw,ncthw->ncaij', _interp_matrix(2, 3),
                     _interp_matrix(3, 5), _interp_matrix(2, 4), A(x5))
    np.testing.assert_allclose(A(tri.forward(x5)), want, rtol=1e-6, atol=1e-7)
    assert repr(nn.UpSampling({'oheight': 5, 'owidth': 4}, 'linear')) == \
        'nn.UpSampling(5x4, linear)'
    for m, x in ((n, R(2, 2, 2, 3)), (n, R(1, 2, 2, 2, 3)), (lin, R(2, 2, 3, 2)),
                 (tri, R(1, 2, 2, 3, 2))):
        jac(m, x)
    roundtrip(tri, x5, tmp_path)
    roundtrip(n, xb, tmp_path)
    raises(n, R(3, 4, 4), 'UpSampling only supports 4D or 5D tensors')
    raises(nn.UpSampling({'oheight': 5, 'owidth': 4}, 'linear'), x5,
           'No output depth dimension was supplied for volumetric upsampling')
    raises(n, xb, 'Input and gradOutput should be of same dimension', R(3, 4, 6))
    with pytest.raises(TorchError, match='Nearest neighbour upsampling requires a scale_factor'):
        nn.UpSampling({'oheight': 5, 'owidth': 4})
    with pytest.raises(TorchError, match='Output height and width parameters are required'):
        nn.UpSampling({'oheight': 5}, 'linear')


# ---- SpatialSubtractive/Divisive/ContrastiveNormalization ---------------------------------------

def _local(x, K):
    """sum over planes of the zero-padded correlation of x (N, C, H, W) with K (kh, kw)."""
    kh, kw = K.shape
    N, C, H, W = x.shape
    xp = np.zeros((N, C, H + kh - 1, W + kw - 1))
    xp[:, :, kh // 2:kh // 2 + H, kw // 2:kw // 2 + W] = x
    out = np.zeros((N, H, W))
    for i in range(kh):
        for j in range(kw):
            out += K[i, j] * xp[:, :, i:i + H, j:j + W].sum(axis=1)
    return out[:, None]


def _kernel2d(k, scale):
    kn = k / scale
    return (kn if k.ndim == 2 else np.outer(kn, kn)), kn


def _subtractive(x, k, nin):
    K, kn = _kernel2d(k, k.sum() * nin)
    coef = _local(np.ones_like(x), K)
    return x - _local(x, K) / coef, kn


def _divisive(x, k, nin, th=1e-4, tv=1e-4):
    K, kn = _kernel2d(k, k.sum() * (nin if k.ndim == 2 else np.sqrt(nin)))
    std = np.sqrt(_local(x ** 2, K))
    adj = std / _local(np.ones_like(x), K)
    return x / np.where(adj > th, adj, tv), kn


@pytest.mark.parametrize('k', [np.ones((5, 3)), np.array([[1., 2, 1], [2, 4, 2], [1, 2, 1]]),
                               np.array([1., 3, 1])])
def test_spatial_local_normalizations(k, tmp_path):
    xb = R(2, 3, 6, 7)
    x = A(xb)
    kernel = torch.Tensor(k.tolist())
    m = nn.SpatialSubtractiveNormalization(3, kernel)
    want, kn = _subtractive(x, k, 3)
    np.testing.assert_allclose(A(kernel), kn, rtol=1e-14)   # normalised in place, as in Torch7
    np.testing.assert_allclose(A(m.forward(xb)), want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(A(m.forward(xb[2])), want[1], rtol=1e-10, atol=1e-12)
    jac(m, R(3, 5, 4))
    jac(m, R(2, 3, 4, 5))
    roundtrip(m, xb, tmp_path)
    d = nn.SpatialDivisiveNormalization(3, torch.Tensor(k.tolist()), 0.55, 0.2)
    want, _ = _divisive(x, k, 3, 0.55, 0.2)
    np.testing.assert_allclose(A(d.forward(xb)), want, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(A(d.forward(xb[1])), want[0], rtol=1e-10, atol=1e-12)
    jac(d, R(3, 5, 4))
    jac(d, R(2, 3, 4, 5))
    roundtrip(d, xb, tmp_path)
    # contrastive: both stages share the kernel tensor (each normalises it in place)
    c = nn.SpatialContrastiveNormalization(3, torch.Tensor(k.tolist()), 0.55, 0.2)
    sub, kn = _subtractive(x, k, 3)
    want, _ = _divisive(sub, kn, 3, 0.55, 0.2)
    np.testing.assert_allclose(A(c.forward(xb)), want, rtol=1e-10, atol=1e-12)
    jac(c, R(2, 3, 4, 5))
    roundtrip(c, xb, tmp_path)


def test_spatial_local_normalization_defaults_and_errors():
    m = nn.SpatialSubtractiveNormalization()
    assert m.nInputPlane == 1 and tuple(m.kernel._size) == (9, 9)
    np.testing.assert_allclose(A(m.kernel), np.full((9, 9), 1 / 81), rtol=1e-14)
    x = R(1, 4, 5)
    np.testing.assert_allclose(A(m.forward(x)), _subtractive(A(x)[None], np.ones((9, 9)), 1)[0][0],
                               rtol=1e-10, atol=1e-12)
    d = nn.SpatialDivisiveNormalization(2)
    assert (d.threshold, d.thresval) == (1e-4, 1e-4)
    # thresval defaults to the threshold (nn's final SpatialDivisiveNormalization.lua)
    d = nn.SpatialDivisiveNormalization(2, None, 0.3)
    assert (d.threshold, d.thresval) == (0.3, 0.3)
    with pytest.raises(TorchError, match='<SpatialSubtractiveNormalization> averaging kernel '
                                         'must have ODD dimensions'):
        nn.SpatialSubtractiveNormalization(1, torch.Tensor(4, 3).fill(1))
    with pytest.raises(TorchError, match='<SpatialDivisiveNormalization> averaging kernel must '
                                         'be 2D or 1D'):
        nn.SpatialDivisiveNormalization(1, torch.Tensor(3, 3, 3).fill(1))
    with pytest.raises(TorchError, match='<SpatialContrastiveNormalization> averaging kernel '
                                         'must have ODD dimensions'):
        nn.SpatialContrastiveNormalization(1, torch.Tensor(2).fill(1))


# ---- independent forward checks of the other convolutions and poolings of issue 7 ----------------

def _xcorr_nd(x, w, d, pad, dil=None):
    """Direct loops: x (C, *S), w (O, C, *k) -> (O, *out), cross-correlation."""
    nd = x.ndim - 1
    dil = dil or (1,) * nd
    k = w.shape[2:]
    xp = np.pad(x, [(0, 0)] + [(p, p) for p in pad])
    out = [(xp.shape[1 + i] - dil[i] * (k[i] - 1) - 1) // d[i] + 1 for i in range(nd)]
    y = np.zeros((w.shape[0],) + tuple(out))
    for pos in itertools.product(*[range(o) for o in out]):
        for off in itertools.product(*[range(n) for n in k]):
            src = tuple(pos[i] * d[i] + off[i] * dil[i] for i in range(nd))
            y[(slice(None),) + pos] += \
                w[(slice(None), slice(None)) + off] @ xp[(slice(None),) + src]
    return y


def _full_nd(x, w, d, pad, adj):
    """Transposed convolution by scattering: x (C, *S), w (C, O, *k) -> (O, *out)."""
    nd = x.ndim - 1
    k = w.shape[2:]
    S = x.shape[1:]
    full = [(S[i] - 1) * d[i] + k[i] + adj[i] for i in range(nd)]
    y = np.zeros((w.shape[1],) + tuple(n + 0 for n in full))
    for pos in itertools.product(*[range(n) for n in S]):
        for off in itertools.product(*[range(n) for n in k]):
            dst = tuple(pos[i] * d[i] + off[i] for i in range(nd))
            y[(slice(None),) + dst] += x[(slice(None),) + pos] @ w[(slice(None), slice(None)) + off]
    return y[(slice(None),) + tuple(slice(pad[i], full[i] - pad[i]) for i in range(nd))]


def test_volumetric_full_and_dilated_convolution(tmp_path):
    m = nn.VolumetricFullConvolution(2, 3, 2, 3, 2, 2, 1, 2, 1, 0, 1, 1, 0, 1)
    xb = R(2, 2, 3, 3, 2)
    y = A(m.forward(xb))
    w, b = A(m.weight), A(m.bias)
    for n in range(2):
        want = _full_nd(A(xb)[n], w, (2, 2, 1), (1, 1, 0), (1, 1, 0)) + b[:, None, None, None]
        np.testing.assert_allclose(y[n], want, rtol=1e-10, atol=1e-12)
    jac(m, R(2, 2, 2, 2))
    jac(m, R(2, 2, 2, 2, 2))
    roundtrip(m, xb, tmp_path)
    dc = nn.VolumetricDilatedConvolution(2, 3, 2, 2, 3, 1, 2, 1, 1, 0, 1, 2, 1, 2)
    xb = R(2, 2, 5, 6, 5)
    y = A(dc.forward(xb))
    w, b = A(dc.weight), A(dc.bias)
    for n in range(2):
        want = _xcorr_nd(A(xb)[n], w, (1, 1, 2), (1, 1, 0), (2, 2, 1)) + b[:, None, None, None]
        np.testing.assert_allclose(y[n], want, rtol=1e-10, atol=1e-12)
    jac(dc, R(2, 5, 5, 5))
    roundtrip(dc, xb, tmp_path)


def test_spatial_sub_sampling_and_temporal_sub_sampling(tmp_path):
    m = nn.SpatialSubSampling(3, 2, 3, 2, 1)
    xb = R(2, 3, 7, 6)
    y = A(m.forward(xb))
    w, b = A(m.weight), A(m.bias)
    for c in range(3):
        k = np.zeros((3, 3, 3, 2))
        k[c, c] = w[c]
        np.testing.assert_allclose(y[:, c], np.stack([_xcorr_nd(A(xb)[n], k, (1, 2), (0, 0))[c]
                                                      for n in range(2)]) + b[c], rtol=1e-10)
    jac(m, R(3, 5, 6))
    jac(m, R(2, 3, 5, 4))
    roundtrip(m, xb, tmp_path)
    t = nn.TemporalSubSampling(4, 3, 2)
    x = R(9, 4)
    y = A(t.forward(x))
    w, b = A(t.weight), A(t.bias)
    want = np.stack([A(x)[i * 2:i * 2 + 3].sum(axis=0) * w + b for i in range(4)])
    np.testing.assert_allclose(y, want, rtol=1e-10)
    jac(t, R(7, 4))
    roundtrip(t, x, tmp_path)


def test_spatial_convolution_map_local_depthwise(tmp_path):
    conn = torch.Tensor([[1, 1], [2, 1], [2, 2], [3, 2], [1, 3]])
    m = nn.SpatialConvolutionMap(conn, 3, 2, 1, 2)
    xb = R(2, 3, 6, 7)
    y = A(m.forward(xb))
    w, b = A(m.weight), A(m.bias)
    for n in range(2):
        want = np.zeros_like(y[n]) + b[:, None, None]
        for k, (i, o) in enumerate(A(conn).astype(int)):
            want[o - 1] += _xcorr_nd(A(xb)[n][i - 1:i], w[k][None, None], (2, 1), (0, 0))[0]
        np.testing.assert_allclose(y[n], want, rtol=1e-10, atol=1e-12)
    jac(m, R(3, 5, 5))
    roundtrip(m, xb, tmp_path)
    # THNN's SpatialFullConvolutionMap takes one 3-d image (no batch mode)
    f = nn.SpatialFullConvolutionMap(conn, 2, 3, 2, 1)
    w, b = A(f.weight), A(f.bias)
    for n in range(2):
        y = A(f.forward(xb[n + 1]))
        want = np.zeros_like(y) + b[:, None, None]
        for k, (i, o) in enumerate(A(conn).astype(int)):
            want[o - 1] += _full_nd(A(xb)[n][i - 1:i], w[k][None, None], (1, 2), (0, 0),
                                    (0, 0))[0]
        np.testing.assert_allclose(y, want, rtol=1e-10, atol=1e-12)
    jac(f, R(3, 3, 4))
    roundtrip(f, xb[1], tmp_path)
    loc = nn.SpatialConvolutionLocal(2, 3, 5, 4, 3, 2, 1, 2, 1, 0)
    x = R(2, 4, 5)
    y = A(loc.forward(x))
    w, b = A(loc.weight), A(loc.bias)          # (oH, oW, nOut, nIn, kH, kW), (nOut, oH, oW)
    xp = np.pad(A(x), ((0, 0), (0, 0), (1, 1)))
    want = np.zeros_like(y)
    for i, j in itertools.product(range(y.shape[1]), range(y.shape[2])):
        patch = xp[:, i * 2:i * 2 + 2, j:j + 3]
        want[:, i, j] = np.einsum('oikl,ikl->o', w[i, j], patch) + b[:, i, j]
    np.testing.assert_allclose(y, want, rtol=1e-10, atol=1e-12)
    jac(loc, R(2, 4, 5))
    jac(loc, R(2, 2, 4, 5))
    roundtrip(loc, R(2, 2, 4, 5), tmp_path)
    dw = nn.SpatialDepthWiseConvolution(2, 3, 3, 2, 1, 1, 1, 0)
    # nn 8726825's SpatialDepthWiseConvolution.lua: (nInputPlane, nOutputPlane, ...), nOutputPlane
    # kernels per input plane; THNN resizes the 2-D weight to 4-D at its first call
    assert (dw.nInputPlane, dw.nOutputPlane) == (2, 3) and 'depthwiseMultiplier' not in vars(dw)
    assert list(dw.weight.size()) == [3, 12] and list(dw.bias.size()) == [3, 2]
    assert list(dw.gradWeight.size()) == [3, 12] and list(dw.gradBias.size()) == [3, 2]
    w, b = A(dw.weight).reshape(3, 2, 2, 3), A(dw.bias)     # (nOut, nIn, kH, kW), (nOut, nIn)
    xb = R(2, 2, 6, 6)      # (a square image: THNN reads a non-square one as W x H)
    y = A(dw.forward(xb))
    assert list(dw.weight.size()) == [3, 2, 2, 3]
    for n, i, j in itertools.product(range(2), range(2), range(3)):
        want = _xcorr_nd(A(xb)[n][i:i + 1], w[j, i][None, None], (1, 1), (0, 1))[0] + b[j, i]
        np.testing.assert_allclose(y[n, i * 3 + j], want, rtol=1e-10, atol=1e-12)
    jac(dw, R(2, 5, 5))
    roundtrip(dw, xb, tmp_path)


def test_temporal_row_convolution(tmp_path):
    m = nn.TemporalRowConvolution(3, 2, 2)
    x = R(7, 3)
    y = A(m.forward(x))
    w, b = A(m.weight).reshape(3, 2), A(m.bias)
    want = np.stack([(A(x)[t * 2:t * 2 + 2] * w.T).sum(axis=0) + b for t in range(3)])
    np.testing.assert_allclose(y, want, rtol=1e-10)
    ff = nn.TemporalRowConvolution(3, 2, 2, True)
    ff.weight.copy(m.weight)
    ff.bias.copy(m.bias)
    np.testing.assert_allclose(A(ff.forward(x.t().contiguous())), want.T, rtol=1e-10)
    jac(m, R(6, 3))
    jac(m, R(2, 6, 3))
    roundtrip(m, R(2, 6, 3), tmp_path)


def test_adaptive_average_lp_kmax_featurelp_pooling():
    m = nn.SpatialAdaptiveAveragePooling(3, 2)
    x = R(2, 5, 7)
    y = A(m.forward(x))
    want = np.zeros((2, 2, 3))
    for i, j in itertools.product(range(2), range(3)):
        h0, h1 = (i * 5) // 2, -(-((i + 1) * 5) // 2)
        w0, w1 = (j * 7) // 3, -(-((j + 1) * 7) // 3)
        want[:, i, j] = A(x)[:, h0:h1, w0:w1].mean(axis=(1, 2))
    np.testing.assert_allclose(y, want, rtol=1e-12)
    lp = nn.SpatialLPPooling(2, 3, 2, 2)
    x = R(2, 4, 6, lo=0.1)
    want = (A(x) ** 3).reshape(2, 2, 2, 3, 2).sum(axis=(2, 4)) ** (1 / 3)
    np.testing.assert_allclose(A(lp.forward(x)), want, rtol=1e-10)
    k = nn.TemporalDynamicKMaxPooling(2, 0.5)
    x = R(7, 3)
    y = A(k.forward(x))
    a = A(x)
    keep = np.sort(np.argsort(-a, axis=0, kind='stable')[:4], axis=0)
    np.testing.assert_array_equal(y, np.take_along_axis(a, keep, axis=0))
    raises(nn.TemporalDynamicKMaxPooling(9), x, r'Input sequence length \(7\) too small')
    f = nn.FeatureLPPooling(3, 2, 2, False)
    x = R(7, 2)
    want = np.stack([np.sqrt((A(x)[j * 2:j * 2 + 3] ** 2).sum(axis=0)) for j in range(3)])
    np.testing.assert_allclose(A(f.forward(x)), want, rtol=1e-10)


def test_tostring_of_issue7_layers():
    """Torch7's __tostring__ texts (nn's Lua sources)."""
    assert repr(nn.SpatialDepthWiseConvolution(2, 3, 3, 3)) == \
        'nn.SpatialDepthWiseConvolution(2 -> 3, 3x3)'
    assert repr(nn.SpatialDepthWiseConvolution(2, 3, 3, 3, 1, 1, 1, 1)) == \
        'nn.SpatialDepthWiseConvolution(2 -> 3, 3x3, 1,1, 1,1)'
    assert repr(nn.SpatialDepthWiseConvolution(2, 3, 3, 3, 2, 1).noBias()) == \
        'nn.SpatialDepthWiseConvolution(2 -> 3, 3x3, 2,1) without bias'
    assert repr(nn.TemporalRowConvolution(4, 3)) == 'nn.TemporalRowConvolution(4, 3)'
    assert repr(nn.TemporalRowConvolution(4, 3, 2)) == 'nn.TemporalRowConvolution(4, 3, 2)'
    assert repr(nn.VolumetricAveragePooling(2, 3, 4)) == 'nn.VolumetricAveragePooling(2x3x4, 2,3,4)'
    assert repr(nn.VolumetricMaxUnpooling(nn.VolumetricMaxPooling(2, 2, 2))) == \
        'nn.VolumetricMaxUnpooling associated to nn.VolumetricMaxPooling(2x2x2, 2,2,2)'
    assert repr(nn.SpatialMaxUnpooling(nn.SpatialMaxPooling(2, 2))) == \
        'nn.SpatialMaxUnpooling associated to nn.SpatialMaxPooling(2x2, 2,2)'
    assert repr(nn.VolumetricBatchNormalization(3)) == 'nn.VolumetricBatchNormalization (5D) (3)'
    # nn's SpatialFractionalMaxPooling.lua: '%s(%dx%d, %d,%d)' of out (or ratio) then pool sizes;
    # LuaJIT's %d truncates a ratio
    assert repr(nn.SpatialFractionalMaxPooling(2, 3, 4, 5)) == \
        'nn.SpatialFractionalMaxPooling(4x5, 2,3)'
    assert repr(nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.7)) == \
        'nn.SpatialFractionalMaxPooling(0x0, 2,2)'


def test_spatial_fractional_max_pooling_windows_and_errors():
    """THNN's generateIntervals by hand; draws W then H per plane."""
    m = nn.SpatialFractionalMaxPooling(2, 3, 3, 2)
    x = R(2, 3, 7, 6)
    y = A(m.forward(x))
    rs = A(m.randomSamples).reshape(6, 2)
    a = A(x).reshape(6, 7, 6)

    def seq(u, n, o, k):
        alpha = (n - k) / (o - 1)
        return [int((i + u) * alpha) - int(u * alpha) for i in range(o - 1)] + [n - k]
    for p in range(6):
        sw, sh = seq(rs[p, 0], 6, 3, 2), seq(rs[p, 1], 7, 2, 3)
        for i, j in itertools.product(range(2), range(3)):
            want = a[p, sh[i]:sh[i] + 3, sw[j]:sw[j] + 2].max()
            assert y.reshape(6, 2, 3)[p, i, j] == want
    raises(nn.SpatialFractionalMaxPooling(3, 2, 4, 2), R(1, 4, 6),
           r'poolSizeW \(3\) too large relative to input width \(6\)')


def test_volumetric_replication_padding_too_small():
    m = nn.VolumetricReplicationPadding(-2)
    raises(m, R(1, 3, 3, 3), r'input \(D: 3 H: 3, W: 3\)is too small. Calculated output D: -1 '
                             r'H: -1 W: -1')
