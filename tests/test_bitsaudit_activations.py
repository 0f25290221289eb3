"""THNN's element-wise activations give THNN's bits, special values included: each reference
is the C expression of nn/lib/THNN/generic/<Name>.c for one element, with numpy scalars of the
tensor's type and Python floats (libm) where C computes in double. A select in C (`x > l ?
x : 0`) writes +0 and passes NaN as C's comparisons do, where a product by a mask would give
-0 or NaN."""
import math

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def _tensor(a):
    return torch.FloatTensor(a) if a.dtype == np.float32 else torch.DoubleTensor(a)


def _check(m, x, go, fref, gref):
    R = x.dtype.type
    if x.dtype == np.float32:
        m.float()
    X = _tensor(x)
    y = m.forward(X).numpy().copy()
    gi = m.backward(X, _tensor(go)).numpy().copy()
    yr = np.array([fref(R, v) for v in x.ravel()], x.dtype)
    gr = np.array([gref(R, v, o, g) for v, o, g in zip(x.ravel(), yr, go.ravel())], x.dtype)
    np.testing.assert_array_equal(y.view(np.uint8), yr.view(np.uint8))
    np.testing.assert_array_equal(gi.view(np.uint8), gr.view(np.uint8))


def _data(dt, seed):
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(601) * np.exp(rng.uniform(-4, 3, 601))).astype(dt)
    x[:7] = [np.nan, -0.0, 0.0, 6, np.inf, -np.inf, 0.37]
    go = rng.standard_normal(601).astype(dt)
    go[7:12] = [np.nan, np.inf, -1, -0.0, -2]
    go[:7] = -1  # negative gradients where the selects write 0
    return x, go


def _logsigmoid_z(R, v):
    m = R(max(0., -float(v)))                       # real max_elem = fmax(0, -x)
    return m, R(math.exp(-float(m)) + math.exp(float(R(-v - m))))


CASES = {
    'ELU': (lambda: nn.ELU(0.7),
            lambda R, v: R((math.exp(float(v)) - 1) * float(R(0.7))) if v <= 0 else v,
            lambda R, v, o, g: R(g * R(o + R(0.7))) if o <= 0 else g),
    'LeakyReLU': (lambda: nn.LeakyReLU(0.13),
                  lambda R, v: v if v > 0 else R(v * R(0.13)),
                  lambda R, v, o, g: g if v > 0 else R(g * R(0.13))),
    'SoftShrink': (lambda: nn.SoftShrink(0.37),
                   lambda R, v: (R(v - R(0.37)) if v > R(0.37) else
                                 R(v + R(0.37)) if v < -R(0.37) else R(0)),
                   lambda R, v, o, g: g if (v > R(0.37) or v < -R(0.37)) else R(0)),
    'HardShrink': (lambda: nn.HardShrink(0.37),
                   lambda R, v: v if (v > R(0.37) or v < -R(0.37)) else R(0),
                   lambda R, v, o, g: g if (v > R(0.37) or v < -R(0.37)) else R(0)),
    'HardTanh': (lambda: nn.HardTanh(-0.3, 0.9),
                 lambda R, v: R(-0.3) if v < R(-0.3) else v if v <= R(0.9) else R(0.9),
                 lambda R, v, o, g: R(0) if (v <= R(-0.3) or v >= R(0.9)) else g),
    'ReLU6': (lambda: nn.ReLU6(),
              lambda R, v: R(0) if v < 0 else v if v <= 6 else R(6),
              lambda R, v, o, g: R(0) if (v <= 0 or v >= 6) else g),
    'SoftPlus': (lambda: nn.SoftPlus(1.5, 20),
                 lambda R, v: (v if R(v * R(1.5)) > R(20) else
                               R(math.log1p(math.exp(float(R(v * R(1.5))))) / float(R(1.5)))),
                 lambda R, v, o, g: (g if R(o * R(1.5)) > R(20) else (
                     lambda z: R(float(g) * (float(z) - 1.) / float(z)))(
                         R(math.exp(float(R(o * R(1.5)))))))),
    'LogSigmoid': (lambda: nn.LogSigmoid(),
                   lambda R, v: (lambda m, z: R(-(float(m) + math.log(float(z)))))(
                       *_logsigmoid_z(R, v)),
                   lambda R, v, o, g: (lambda m, z: R(g * R(
                       (1. if v < 0 else 0.) - (1. if v < 0 else -1.) * (
                           (float(z) - 1.0) / float(z)))))(*_logsigmoid_z(R, v))),
}


@pytest.mark.parametrize('name', sorted(CASES))
@pytest.mark.parametrize('dt', (np.float32, np.float64))
def test_activation_is_thnn_expression(name, dt):
    make, fref, gref = CASES[name]
    x, go = _data(dt, len(name))
    if name in ('ELU', 'SoftPlus', 'LogSigmoid'):  # (specials aside: libm's overflow paths)
        x, go = x[7:], go[7:]
    with np.errstate(all='ignore'):
        _check(make(), x, go, fref, gref)


@pytest.mark.parametrize('dt', (np.float32, np.float64))
def test_rrelu_slopes_are_thnn_reals(dt):
    """RReLU.c: `real lower, upper` (the bounds in the tensor's type); in evaluation
    `negSlope = (lower + upper) / 2` in real, y = x * negSlope; in training a slope per
    non-positive element, `(real)THRandom_uniform(generator, lower, upper)`."""
    R = np.dtype(dt).type
    rng = np.random.default_rng(2)
    x = (rng.standard_normal(301) * np.exp(rng.uniform(-5, 5, 301))).astype(dt)
    go = rng.standard_normal(301).astype(dt)
    lo, up = R(1 / 8), R(1 / 3)
    slope = R((lo + up) / R(2))
    m = nn.RReLU()
    if dt == np.float32:
        m.float()
    m.evaluate()
    X = torch.from_numpy(x)
    y = m.forward(X).numpy().copy()
    gi = m.backward(X, torch.from_numpy(go)).numpy().copy()
    np.testing.assert_array_equal(y, np.where(x <= 0, x * slope, x))
    np.testing.assert_array_equal(gi, np.where(x <= 0, go * slope, go))
    m.training()
    torch.manualSeed(11)
    y = m.forward(X).numpy().copy()
    torch.manualSeed(11)
    n = int((x <= 0).sum())
    draws = torch.DoubleTensor(n).uniform(float(lo), float(up)).numpy().astype(dt)
    noise = np.ones_like(x)
    noise[x <= 0] = draws
    np.testing.assert_array_equal(m.noise.numpy(), noise)
    np.testing.assert_array_equal(y, np.where(x <= 0, x * noise, x))
