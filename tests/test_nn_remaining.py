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
    with pytest.raises(TorchError, match=text):
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
    trainer.hookIteration = lambda self, it: seen.append(it)
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
    assert lines[-1] == '# StochasticGradient: you have reached the maximum number of iterations'
    assert len(lines) == 5 and seen == [1, 2, 3]
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
    raises(m, R(3, 4), 'input must be 4 or 5-dimensional')
    raises(m, x, 'gradOutput width unexpected', R(2, 6, 3, 6))
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
    pad = (m.padT, m.padH, m.padW)
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
    assert repr(nn.VolumetricAveragePooling(2, 3, 4)) == 'nn.VolumetricAveragePooling(2,3,4,2,3,4)'
    assert repr(nn.VolumetricAveragePooling(3, 3, 3, 1, 1, 1, 1, 0, 1)) == \
        'nn.VolumetricAveragePooling(3,3,3,1,1,1,1,0,1)'
    m = nn.VolumetricAveragePooling(3, 3, 3)
    raises(m, R(2, 2, 2, 2), r'input image \(T: 2 H: 2 W: 2\) smaller than kernel size')
    raises(m, R(4, 4, 4), '4D or 5D')
    x = R(1, 3, 3, 3)
    raises(m, x, 'size mismatch', R(1, 2, 1, 1))
    np.testing.assert_allclose(A(m.forward(x)).ravel(), [A(x).mean()])
    raises(nn.VolumetricAveragePooling(2, 2, 2, 1, 1, 1, 2, 0, 0), x,
           'pad should be smaller than half of kernel size')


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
    with pytest.raises(TorchError, match='Argument must be a nn.VolumetricMaxPooling module'):
        nn.VolumetricMaxUnpooling(nn.SpatialMaxPooling(2, 2))
    with pytest.raises(TorchError, match="kernel must be equal to its stride"):
        nn.VolumetricMaxUnpooling(nn.VolumetricMaxPooling(2, 2, 2, 1, 1, 1))
    raises(u, R(3, 4, 2, 3), 'Shape of indices should match shape of input')
