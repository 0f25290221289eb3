"""Element-Research rnn's nn.GRU, nn.NormStabilizer, nn.SAdd, nn.CopyGrad and rnn's lazy/mono
nn.Dropout (torch7py.legacy.ern_more, torch7py/nn/dropout.py). Expectations: the GRU equations
of GRU.lua's header (r, z = sigmoid(i2g(x) + o2g(s)) split in two; s' = (1 - z) *
tanh(W x + b + U (r * s)) + z * s), the norm-stabilizer penalty's gradient written out by hand,
finite differences for BPTT, and the fields GRU.lua's __init sets (lines 17-38)."""
import numpy as np
import pytest

import torch7py
from torch7py import nn
from torch7py.legacy import ern

from ern_helpers import _arr, double_default, numgrad, _roundtrip, _sig, _t  # noqa: F401


def _gru(rng, d, h):
    g = ern.GRU(d, h)
    for p in g.parameters()[0]:
        p.numpy()[...] = rng.uniform(-0.6, 0.6, size=tuple(p.size()))
    return g


def _weights(g):
    """(Wg, bg, Ug, W, b, U): i2g's Linear (2h x d) and bias, o2g's LinearNoBias (2h x h),
    the candidate's Linear (h x d) and bias and LinearNoBias (h x h), found by their sizes."""
    lin = g.recurrentModule.findModules('nn.Linear')[0]
    nob = g.recurrentModule.findModules('nn.LinearNoBias')[0]
    big = [m for m in lin if m.weight.size(1) == 2 * g.outputSize][0]
    small = [m for m in lin if m is not big][0]
    ubig = [m for m in nob if m.weight.size(1) == 2 * g.outputSize][0]
    usmall = [m for m in nob if m is not ubig][0]
    return (_arr(big.weight), _arr(big.bias), _arr(ubig.weight), _arr(small.weight),
            _arr(small.bias), _arr(usmall.weight))


def np_gru(ws, xs, h0=None):
    Wg, bg, Ug, W, b, U = ws
    n = U.shape[0]
    s = np.zeros(xs.shape[1:-1] + (n,)) if h0 is None else h0
    out = []
    for x in xs:
        a = x @ Wg.T + bg + s @ Ug.T
        r, z = _sig(a[..., :n]), _sig(a[..., n:])
        hid = np.tanh(x @ W.T + b + (r * s) @ U.T)
        s = (1 - z) * hid + z * s
        out.append(s)
    return np.stack(out)


@pytest.mark.parametrize("d,h,batch", [(3, 2, 2), (4, 5, 1), (2, 3, None)])
def test_gru_is_the_gru_formula_in_both_modes_and_after_a_file(d, h, batch):
    rng = np.random.default_rng(d * 100 + h)
    g = _gru(rng, d, h)
    ws = _weights(g)
    shape = (4, batch, d) if batch else (4, d)
    xs = rng.normal(size=shape)
    want = np_gru(ws, xs)
    for mode in ("evaluate", "training"):
        g.forget()
        getattr(g, mode)()
        for t in range(4):
            np.testing.assert_allclose(_arr(g.forward(_t(xs[t]))), want[t], rtol=1e-12,
                                       atol=1e-13)
    seq = _roundtrip(ern.Sequencer(g))
    assert type(seq.module) is ern.GRU
    seq.evaluate()
    if batch:
        np.testing.assert_allclose(_arr(seq.forward(_t(xs))), want, rtol=1e-12, atol=1e-13)
    else:
        ys = seq.forward([_t(x) for x in xs])
        np.testing.assert_allclose(np.stack([_arr(y) for y in ys]), want, rtol=1e-12,
                                   atol=1e-13)


def test_gru_fields_as_its_init_sets():
    g = ern.GRU(3, 2, 7)
    d = g.__dict__
    # GRU.lua __init: parent (AbstractRecurrent: rho, outputs, gradInputs, _gradOutputs,
    # gradOutputs, step, sharedClones), p, mono, inputSize, outputSize, recurrentModule =
    # modules[1] = sharedClones[1], zeroTensor, cells, gradCells; buildModel keeps i2g, o2g
    assert (g.rho, g.p, g.mono, g.inputSize, g.outputSize, g.step) == (7, 0, False, 3, 2, 1)
    assert g.modules[0] is g.recurrentModule is g.sharedClones[1]
    assert g.zeroTensor.nElement() == 0 and g.cells == {} and g.gradCells == {}
    assert type(g.i2g) is nn.Linear and type(g.o2g) is ern.LinearNoBias
    assert tuple(g.i2g.weight.size()) == (4, 3) and tuple(g.o2g.weight.size()) == (4, 2)
    assert str(g) == "nn.GRU(3 -> 2, 0.00)"
    # the step module's tree (GRU.lua buildModel): SAdd(-1, true) gives 1 - z
    sadd = g.recurrentModule.findModules('nn.SAdd')[0]
    assert len(sadd) == 1 and sadd[0].addend == -1 and sadd[0].negate is True
    for name in ("rho", "step", "p", "mono", "inputSize", "outputSize"):
        assert name in d


def test_gru_bptt_matches_finite_differences():
    rng = np.random.default_rng(7)
    g = _gru(rng, 3, 2)
    seq = ern.Sequencer(g)
    seq.training()
    xs = rng.normal(size=(3, 2, 3))
    go = rng.normal(size=(3, 2, 2))
    seq.zeroGradParameters()
    seq.forward(_t(xs))
    gin = _arr(seq.backward(_t(xs), _t(go)))

    def loss(a):
        return float((np_gru(_weights(g), a) * go).sum())
    eps = 1e-6
    num = numgrad(loss, xs, eps)
    np.testing.assert_allclose(gin, num, rtol=1e-6, atol=1e-8)
    # a recurrent weight's gradient (o2g) and the candidate's
    for mod in (g.o2g, g.recurrentModule.findModules('nn.LinearNoBias')[0][1]):
        w = mod.weight.numpy()
        gw = _arr(mod.gradWeight)
        w0 = w[1, 0]
        w[1, 0] = w0 + eps
        lp = loss(xs)
        w[1, 0] = w0 - eps
        lm = loss(xs)
        w[1, 0] = w0
        assert abs(gw[1, 0] - (lp - lm) / (2 * eps)) < 1e-6


def test_bayesian_gru_builds_lazy_dropouts_and_evaluates_as_the_formula():
    rng = np.random.default_rng(8)
    g = ern.GRU(3, 2, None, 0.25, True)
    drops = g.recurrentModule.findModules('nn.Dropout')[0]
    # GRU.lua: two dropouts before i2g's two Linears, two before o2g's, one on each input of
    # the candidate: 6, each nn.Dropout(p, false, false, true, mono) of rnn's Dropout.lua
    assert len(drops) == 6
    for dr in drops:
        assert dr.p == 0.25 and dr.lazy is True and dr.mono is True and dr.flag is True
        assert "stochastic_inference" not in dr.__dict__
    assert str(g) == "nn.GRU(3 -> 2, 0.25)"
    # evaluation: the dropouts are the identity (v2 scales in training); the six Linears'
    # weights map onto the p = 0 form's (i2g's two halves joined)
    lins = g.recurrentModule.findModules('nn.Linear')[0]
    nobs = g.recurrentModule.findModules('nn.LinearNoBias')[0]
    for p in g.parameters()[0]:
        p.numpy()[...] = rng.uniform(-0.6, 0.6, size=tuple(p.size()))
    ws = (np.concatenate([_arr(lins[0].weight), _arr(lins[1].weight)]),
          np.concatenate([_arr(lins[0].bias), _arr(lins[1].bias)]),
          np.concatenate([_arr(nobs[0].weight), _arr(nobs[1].weight)]),
          _arr(lins[2].weight), _arr(lins[2].bias), _arr(nobs[2].weight))
    xs = rng.normal(size=(3, 4, 3))
    seq = ern.Sequencer(g)
    seq.evaluate()
    np.testing.assert_allclose(_arr(seq.forward(_t(xs))), np_gru(ws, xs), rtol=1e-12,
                               atol=1e-13)
    back = _roundtrip(seq)
    assert back.module.recurrentModule.findModules('nn.Dropout')[0][0].lazy is True


def test_lazy_dropout_keeps_its_mask_until_a_backward_and_mono_shares_one_row():
    torch7py.manualSeed(3)
    d = ern.lazy_dropout(0.5, mono=True)
    x = _t(np.ones((4, 6)))
    y1 = _arr(d.forward(x)).copy()
    # mono: one noise row for the batch (Dropout.lua: noiseSize[1] = 1, then expandAs)
    assert (y1 == y1[0]).all() and set(np.unique(y1)) <= {0.0, 2.0}
    assert not d.flag
    for _ in range(3):   # lazy: the same mask until a backward sets flag again
        np.testing.assert_array_equal(_arr(d.forward(x)), y1)
    g = _arr(d.backward(x, _t(np.full((4, 6), 3.0))))
    np.testing.assert_array_equal(g, 3.0 * y1)   # gradOutput times the (scaled) noise
    assert d.flag is True
    draws = {tuple(_arr(d.forward(x))[0]) for _ in range(1)}
    for _ in range(6):
        d.backward(x, x)
        draws.add(tuple(_arr(d.forward(x))[0]))
    assert len(draws) > 1
    # a busy (not lazy, not mono) nn.Dropout draws a mask each forward, per element
    busy = nn.Dropout(0.5)
    a = _arr(busy.forward(_t(np.ones((8, 8))))).copy()
    assert not (a == a[0]).all()


def test_sadd_and_copygrad():
    rng = np.random.default_rng(9)
    x, go = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    s = ern.SAdd(-1, True)
    np.testing.assert_allclose(_arr(s.forward(_t(x))), 1 - x, rtol=0, atol=0)
    np.testing.assert_allclose(_arr(s.backward(_t(x), _t(go))), -go, rtol=0, atol=0)
    s2 = _roundtrip(ern.SAdd(2.5))
    assert s2.negate is False and s2.addend == 2.5
    np.testing.assert_allclose(_arr(s2.forward(_t(x))), x + 2.5, rtol=0, atol=0)
    c = ern.CopyGrad()
    np.testing.assert_array_equal(_arr(c.forward(_t(x))), x)
    gi = c.backward(_t(x), _t(go))
    np.testing.assert_array_equal(_arr(gi), go)


def test_norm_stabilizer_adds_the_norm_penalty_gradient():
    rng = np.random.default_rng(10)
    beta, T, N, H = 0.7, 4, 3, 5
    ns = ern.NormStabilizer(beta)
    seq = ern.Sequencer(ns)
    seq.training()
    hs, go = rng.normal(size=(T, N, H)), rng.normal(size=(T, N, H))
    np.testing.assert_array_equal(_arr(seq.forward(_t(hs))), hs)
    gi = _arr(seq.backward(_t(hs), _t(go)))

    # the penalty (Krueger & Memisevic) whose gradient NormStabilizer.lua adds:
    # beta / N * sum_t sum_b (||h_t,b|| - ||h_t-1,b||)^2
    def loss(a):
        n = np.sqrt((a ** 2).sum(-1))
        return (a * go).sum() + beta / N * ((n[1:] - n[:-1]) ** 2).sum()
    eps = 1e-6
    num = numgrad(loss, hs, eps)
    np.testing.assert_allclose(gi, num, rtol=1e-6, atol=1e-8)
    assert str(ns) == "nn.NormStabilizer"
    seq.evaluate()
    np.testing.assert_array_equal(_arr(_roundtrip(seq).forward(_t(hs))), hs)


def test_fastlstm_and_lstm_with_dropout_build_rnns_lazy_dropouts():
    rng = np.random.default_rng(11)
    f = ern.FastLSTM(3, 2, None, None, None, None, 0.4, True)
    drops = f.recurrentModule.findModules('nn.Dropout')[0]
    # FastLSTM.lua buildModel: four before i2g's four Linears, four before o2g's LinearNoBias
    assert len(drops) == 8 and all(d.lazy and d.mono and d.p == 0.4 for d in drops)
    lins = f.i2g.findModules('nn.Linear')[0]
    nobs = f.o2g.findModules('nn.LinearNoBias')[0]
    for p in f.parameters()[0]:
        p.numpy()[...] = rng.uniform(-0.5, 0.5, size=tuple(p.size()))
    wi = np.concatenate([_arr(m.weight) for m in lins])
    bi = np.concatenate([_arr(m.bias) for m in lins])
    wo = np.concatenate([_arr(m.weight) for m in nobs])
    xs = rng.normal(size=(3, 2, 3))
    h = c = np.zeros((2, 2))
    want = []
    for x in xs:   # FastLSTM.lua's gates: input, hidden, forget, output
        g = x @ wi.T + bi + h @ wo.T
        i, hid, fg, o = (g[:, k * 2:(k + 1) * 2] for k in range(4))
        c = _sig(i) * np.tanh(hid) + _sig(fg) * c
        h = _sig(o) * np.tanh(c)
        want.append(h)
    seq = ern.Sequencer(f)
    seq.evaluate()
    np.testing.assert_allclose(_arr(seq.forward(_t(xs))), np.stack(want), rtol=1e-12,
                               atol=1e-13)
    # LSTM.lua: a lazy dropout before each of its 8 Linears, even with p = 0
    lstm = ern.LSTM(3, 2)
    ds = lstm.recurrentModule.findModules('nn.Dropout')[0]
    assert len(ds) == 8 and all(d.lazy is True and d.p == 0 for d in ds)


def np_mufuru(params, xs, ops):
    """MuFuRu (Mufuru.lua, batch): r = sig(Wr x + br + Ur s + bur), v = sig(Wv [x, r*s] + bv),
    p = softmax over the ops of Wp [x, s] + bp (as k x n per sample), s' = sum_k p_k op_k(s, v)."""
    Wr, br, Ur, bur, Wv, bv, Wp, bp = params
    n = Ur.shape[0]
    s = np.zeros((xs.shape[1], n))
    table = {'keep': lambda s, v: s, 'replace': lambda s, v: v, 'mul': lambda s, v: s * v,
             'diff': lambda s, v: s - v, 'forget': lambda s, v: 0 * s,
             'sqrt_diff': lambda s, v: 0.25 * np.sqrt(np.abs(s - v)),
             'max': np.maximum, 'min': np.minimum}
    out = []
    for x in xs:
        r = _sig(x @ Wr.T + br + s @ Ur.T + bur)
        v = _sig(np.concatenate([x, r * s], 1) @ Wv.T + bv)
        z = (np.concatenate([x, s], 1) @ Wp.T + bp).reshape(len(x), len(ops), n)
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        s = sum(p[:, k] * table[o](s, v) for k, o in enumerate(ops))
        out.append(s)
    return np.stack(out)


@pytest.mark.parametrize("d,h,ops", [(3, 2, None), (2, 4, ['keep', 'max', 'sqrt_diff'])])
def test_mufuru_is_its_formula_and_exports(d, h, ops):
    rng = np.random.default_rng(12)
    m = ern.MuFuRu(d, h, ops)
    # Mufuru.lua __init: ops (the 8 by default), num_ops, operations, then GRU's fields
    ops = ops or ['keep', 'replace', 'mul', 'diff', 'forget', 'sqrt_diff', 'max', 'min']
    assert m.ops == ops and m.num_ops == len(ops) and len(m.operations) == len(ops)
    assert str(m) == 'nn.MuFuRu(%d -> %d) { %s }' % (d, h, ' '.join(ops))
    params = m.parameters()[0]
    assert len(params) == 8
    for p in params:
        p.numpy()[...] = rng.uniform(-0.8, 0.8, size=tuple(p.size()))
    xs = rng.normal(size=(4, 3, d))
    want = np_mufuru([_arr(p) for p in params], xs, ops)
    seq = ern.Sequencer(m)
    for mode in ('evaluate', 'training'):
        getattr(seq, mode)()
        np.testing.assert_allclose(_arr(seq.forward(_t(xs))), want, rtol=1e-12, atol=1e-13)
    back = _roundtrip(seq)
    assert type(back.module) is ern.MuFuRu
    back.evaluate()
    np.testing.assert_allclose(_arr(back.forward(_t(xs))), want, rtol=1e-12, atol=1e-13)
    pytest.importorskip('torch')
    from torch7py.export import cli
    out, _ = cli.measure(seq, [(4, 3, d)], n=2)
    assert out < 1e-12
