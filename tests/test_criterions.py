"""Tests of the issue-4 criterions: golden keys, numpy formulas, finite differences, bad input."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.tensor import TorchError

from golden import assert_case
from nncase import central_diff, crun, det


def test_parity_crit_regression():
    r = {}
    x1 = det(1.5, 0.47, 0.2, 6)
    t1 = det(1.2, 0.31, 1.4, 6)
    x2 = det(1.5, 0.29, 0.7, 3, 4)
    t2 = det(1.2, 0.53, 0.1, 3, 4)
    for name in ('MSECriterion', 'AbsCriterion', 'SmoothL1Criterion'):
        key = name.lower().replace('criterion', '')
        cls = getattr(nn, name)
        r[key + '_1d'] = crun(cls(), x1, t1)
        r[key + '_2d'] = crun(cls(), x2, t2)
        r[key + '_nosizeavg'] = crun(cls(False), x2, t2)
    r['smoothl1_kink'] = crun(nn.SmoothL1Criterion(), torch.Tensor([0, 1, 2, -1, 0.5, 3]),
                              torch.Tensor([0, 0, 1, 0, 2, 0]))
    r['abs_zero_diff'] = crun(nn.AbsCriterion(), torch.Tensor([1, 2, 3]), torch.Tensor([1, 0, 3]))
    c = nn.MSECriterion()
    c.sizeAverage = False
    r['mse_flip_sizeavg'] = crun(c, x1, t1)

    logp = nn.LogSoftMax().forward(det(2, 0.61, 0.3, 2, 4)).clone()
    tgt = nn.SoftMax().forward(det(2, 0.37, 1.3, 2, 4)).clone()
    r['distkldiv'] = crun(nn.DistKLDivCriterion(), logp, tgt)
    tgt[1][2] = 0
    r['distkldiv_zero_target'] = crun(nn.DistKLDivCriterion(), logp, tgt)
    c = nn.DistKLDivCriterion()
    c.sizeAverage = False
    r['distkldiv_nosizeavg'] = crun(c, logp[1], tgt[1])

    p = nn.Sigmoid().forward(det(3, 0.43, 0.2, 3, 4)).clone()
    y = torch.Tensor([[1, 0, 1, 1], [0, 0, 1, 0], [1, 1, 0, 0]])
    r['bce'] = crun(nn.BCECriterion(), p, y)
    r['bce_1d'] = crun(nn.BCECriterion(), p[2], y[2])
    r['bce_nosizeavg'] = crun(nn.BCECriterion(None, False), p, y)
    w = torch.Tensor([0.5, 1, 2, 0.25])
    r['bce_weights'] = crun(nn.BCECriterion(w), p, y)
    r['bce_weights_1d'] = crun(nn.BCECriterion(w), p[1], y[1])
    r['bce_soft_targets'] = crun(nn.BCECriterion(), p, det(0.5, 0.9, 0.1, 3, 4).add(0.5))
    r['bce_extremes'] = crun(nn.BCECriterion(), torch.Tensor([0, 1, 1, 0, 0.5]),
                             torch.Tensor([0, 1, 0, 1, 1]))

    ym = torch.Tensor([1, -1, 1, -1, 1, -1])
    r['margin'] = crun(nn.MarginCriterion(), x1, ym)
    r['margin_m2'] = crun(nn.MarginCriterion(2), x1, ym)
    yb = torch.Tensor([[1, -1, 1, -1], [-1, -1, 1, 1], [1, 1, 1, -1]])
    r['margin_2d'] = crun(nn.MarginCriterion(0.5), x2, yb)
    c = nn.MarginCriterion()
    c.sizeAverage = False
    r['margin_nosizeavg'] = crun(c, x1, ym)
    assert_case('crit_regression', r)


def test_parity_crit_classification():
    r = {}
    logits = det(2, 0.47, 0.2, 4, 3)
    logp = nn.LogSoftMax().forward(logits).clone()
    tgt = torch.LongTensor([3, 1, 2, 3])
    w = torch.Tensor([0.2, 1.0, 2.5])
    N = nn.ClassNLLCriterion
    r['nll_1d_number_target'] = crun(N(), logp[2], 2)
    r['nll_1d_tensor_target'] = crun(N(), logp[2], torch.LongTensor([3]))
    r['nll_2d'] = crun(N(), logp, tgt)
    r['nll_2d_double_target'] = crun(N(), logp, torch.Tensor([3, 1, 2, 3]))
    r['nll_nosizeavg'] = crun(N(None, False), logp, tgt)
    r['nll_weights'] = crun(N(w), logp, tgt)
    r['nll_weights_nosizeavg'] = crun(N(w, False), logp, tgt)
    r['nll_weights_1d'] = crun(N(w), logp[1], 3)
    cw = N(w)
    cw.forward(logp, tgt)
    r['nll_total_weight'] = cw.total_weight_tensor.clone()
    r['nll_ignore'] = crun(N(None, True, 1), logp, torch.LongTensor([1, 2, 1, 3]))
    r['nll_ignore_weights'] = crun(N(w, True, 3), logp, tgt)
    r['nll_raw'] = crun(N(), logits, tgt)
    C = nn.CrossEntropyCriterion
    r['ce_2d'] = crun(C(), logits, tgt)
    r['ce_1d'] = crun(C(), logits[3], 1)
    r['ce_weights'] = crun(C(w), logits, tgt)
    r['ce_nosizeavg'] = crun(C(None, False), logits, tgt)
    assert_case('crit_classification', r)


# ---- numpy reference formulas ------------------------------------------------------------------

RNG = np.random.RandomState(7)


def _pair(shape, lo=-2, hi=2):
    x = torch.from_numpy(RNG.uniform(lo, hi, shape))
    t = torch.from_numpy(RNG.uniform(lo, hi, shape))
    return x, t


@pytest.mark.parametrize('size_average', [True, False])
def test_regression_formulas(size_average):
    x, t = _pair((5, 3))
    a, b = x.numpy(), t.numpy()
    n = a.size if size_average else 1
    d = a - b
    cases = [
        (nn.MSECriterion, (d ** 2).sum() / n, 2 * d / n),
        (nn.AbsCriterion, np.abs(d).sum() / n, np.where(d >= 0, 1.0, -1.0) / n),
        (nn.SmoothL1Criterion, np.where(np.abs(d) < 1, 0.5 * d * d, np.abs(d) - 0.5).sum() / n,
         np.clip(d, -1, 1) / n),
    ]
    for cls, loss, grad in cases:
        c = cls(size_average)
        np.testing.assert_allclose(c.forward(x, t), loss, rtol=1e-12)
        np.testing.assert_allclose(c.backward(x, t).numpy(), grad, rtol=1e-12, atol=1e-15)


def test_margin_and_kldiv_formulas():
    x, _ = _pair((4, 3))
    y = torch.from_numpy(np.sign(RNG.uniform(-1, 1, (4, 3))))
    a, b = x.numpy(), y.numpy()
    c = nn.MarginCriterion(0.7)
    np.testing.assert_allclose(c.forward(x, y), np.maximum(0, 0.7 - a * b).mean(), rtol=1e-12)
    np.testing.assert_allclose(c.backward(x, y).numpy(), np.where(a * b < 0.7, -b / a.size, 0))
    p = RNG.uniform(0, 1, (4, 3))
    p[0, 0] = 0
    t = torch.from_numpy(p)
    k = nn.DistKLDivCriterion()
    with np.errstate(divide='ignore', invalid='ignore'):
        ref = np.where(p > 0, p * (np.log(np.where(p > 0, p, 1)) - a), 0).sum() / a.size
    np.testing.assert_allclose(k.forward(x, t), ref, rtol=1e-12)
    np.testing.assert_allclose(k.backward(x, t).numpy(), -p / a.size)


def test_bce_formula_with_weights():
    p = torch.from_numpy(RNG.uniform(0.05, 0.95, (3, 4)))
    y = torch.from_numpy((RNG.uniform(0, 1, (3, 4)) > 0.5).astype(float))
    w = torch.Tensor([0.5, 1, 2, 0.25])
    a, b, ww = p.numpy(), y.numpy(), w.numpy()
    c = nn.BCECriterion(w)
    ref = -(ww * (b * np.log(a + 1e-12) + (1 - b) * np.log(1 - a + 1e-12))).sum() / a.size
    np.testing.assert_allclose(c.forward(p, y), ref, rtol=1e-12)
    np.testing.assert_allclose(c.backward(p, y).numpy(),
                               -ww * (b - a) / ((1 - a + 1e-12) * (a + 1e-12)) / a.size,
                               rtol=1e-12)
    assert len(c) == 4


def test_classnll_and_crossentropy_formulas():
    x = RNG.normal(size=(5, 4))
    t = np.array([1, 4, 2, 2, 3])
    w = np.array([0.3, 1.0, 2.0, 0.5])
    logits = torch.from_numpy(x)
    target = torch.LongTensor(t.tolist())
    c = nn.ClassNLLCriterion(torch.from_numpy(w))
    picked = x[np.arange(5), t - 1]
    np.testing.assert_allclose(c.forward(logits, target),
                               -(picked * w[t - 1]).sum() / w[t - 1].sum(), rtol=1e-12)
    g = np.zeros_like(x)
    g[np.arange(5), t - 1] = -w[t - 1] / w[t - 1].sum()
    np.testing.assert_allclose(c.backward(logits, target).numpy(), g)
    ce = nn.CrossEntropyCriterion()
    lsm = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(ce.forward(logits, target), -lsm[np.arange(5), t - 1].mean(),
                               rtol=1e-12)
    sm = np.exp(lsm)
    onehot = np.zeros_like(x)
    onehot[np.arange(5), t - 1] = 1
    np.testing.assert_allclose(ce.backward(logits, target).numpy(), (sm - onehot) / 5,
                               rtol=1e-10, atol=1e-14)


# ---- finite differences in float64 ---------------------------------------------------------------

@pytest.mark.parametrize('make', [
    lambda: (nn.MSECriterion(), 'real'), lambda: (nn.AbsCriterion(), 'real'),
    lambda: (nn.SmoothL1Criterion(), 'real'), lambda: (nn.MarginCriterion(), 'sign'),
    lambda: (nn.DistKLDivCriterion(), 'prob'), lambda: (nn.BCECriterion(), 'bce'),
    lambda: (nn.ClassNLLCriterion(), 'class'), lambda: (nn.CrossEntropyCriterion(), 'class'),
])
def test_criterion_gradients_match_finite_differences(make):
    c, kind = make()
    x = torch.from_numpy(RNG.uniform(-1.5, 1.5, (3, 4)))
    if kind == 'real':
        t = torch.from_numpy(x.numpy() + RNG.choice([-1, 1], (3, 4)) * RNG.uniform(0.1, 2, (3, 4)))
    elif kind == 'sign':
        t = torch.from_numpy(np.sign(RNG.uniform(-1, 1, (3, 4))))
        x = torch.from_numpy(t.numpy() * RNG.uniform(0.1, 0.9, (3, 4)) + 0.0)
    elif kind == 'prob':
        t = torch.from_numpy(RNG.uniform(0, 1, (3, 4)))
    elif kind == 'bce':
        x = torch.from_numpy(RNG.uniform(0.1, 0.9, (3, 4)))
        t = torch.from_numpy(RNG.uniform(0, 1, (3, 4)))
    else:
        t = torch.LongTensor([2, 4, 1])
    c.forward(x, t)
    analytic = c.backward(x, t).numpy().copy()
    numeric = central_diff(x.numpy(), lambda: c.forward(x, t))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8)


# ---- bad input ---------------------------------------------------------------------------------

def test_size_mismatch_names_both_sizes():
    c = nn.MSECriterion()
    with pytest.raises(TorchError, match=r'\[3 x 4\].*\[5\]'):
        c.forward(torch.Tensor(3, 4).zero(), torch.Tensor(5).zero())
    # MSECriterion.lua calls target:cdata(): LuaJIT's error for a number
    with pytest.raises(TorchError, match=r"attempt to index local 'target' \(a number value\)"):
        c.forward(torch.Tensor(2).zero(), 3)
    assert c.forward(torch.Tensor(2).fill(1), torch.Tensor(2).zero()) == 1.0


def test_classnll_bad_targets():
    c = nn.ClassNLLCriterion()
    x = torch.Tensor(2, 3).zero()
    with pytest.raises(TorchError):
        c.forward(x, torch.LongTensor([1, 4]))
    with pytest.raises(TorchError):
        c.forward(x, torch.LongTensor([0, 1]))
    with pytest.raises(TorchError):
        c.forward(x, 'a')
    with pytest.raises(TorchError):
        c.forward(x, torch.LongTensor([1, 2, 3]))
    with pytest.raises(TorchError):
        c.forward(torch.Tensor(2, 3, 4).zero(), torch.LongTensor([1, 2]))
    # still usable afterwards
    assert c.forward(x, torch.LongTensor([1, 2])) == 0.0


def test_float_criterions():
    x = torch.FloatTensor(2, 3).fill(0.5)
    t = torch.FloatTensor(2, 3).fill(0.25)
    c = nn.MSECriterion().float()
    assert abs(c.forward(x, t) - 0.0625) < 1e-7
    assert c.backward(x, t).typename == 'torch.FloatTensor'
    ce = nn.CrossEntropyCriterion().float()
    loss = ce.forward(torch.FloatTensor(2, 3).zero(), torch.LongTensor([1, 3]))
    assert abs(loss - np.log(3)) < 1e-6
