"""Element-Research rnn's padding and bidirectional classes (torch7py.legacy.ern_more):
nn.MaskZero, nn.TrimZero, nn.LookupTableMaskZero, AbstractRecurrent:maskZero()/trimZero(),
nn.BiSequencer, nn.BiSequencerLM and dpnn's nn.ReverseTable. Expectations: numpy (a
sample whose input row is all zeros gives zeros, the others what the module gives alone;
the bidirectional outputs are the two directions' numpy LSTMs joined), and the fields each
Lua __init sets (rnn ba937a0's MaskZero.lua 6-17, TrimZero.lua 10-20, BiSequencer.lua 11-56,
BiSequencerLM.lua 10-62)."""
import numpy as np

import torch7py
from torch7py import nn
from torch7py.legacy import ern

from ern_helpers import _arr, double_default, _roundtrip, _sig, _t  # noqa: F401


def _fast_lstm(rng, d, h):
    m = ern.FastLSTM(d, h)
    for p in m.parameters()[0]:
        p.numpy()[...] = rng.uniform(-0.5, 0.5, size=tuple(p.size()))
    return m


def np_fast_lstm(m, xs, reset=None):
    """FastLSTM.lua's gates (input, hidden, forget, output); reset[t] marks the samples whose
    state restarts from zero after step t (MaskZero zeroes their output and cell)."""
    wi, bi, wo = _arr(m.i2g.weight), _arr(m.i2g.bias), _arr(m.o2g.weight)
    n = wo.shape[1]
    h = np.zeros(xs.shape[1:-1] + (n,))
    c = np.zeros_like(h)
    out = []
    for t, x in enumerate(xs):
        g = x @ wi.T + bi + h @ wo.T
        i, hid, f, o = (g[..., k * n:(k + 1) * n] for k in range(4))
        c = _sig(i) * np.tanh(hid) + _sig(f) * c
        h = _sig(o) * np.tanh(c)
        if reset is not None:
            h, c = h * ~reset[t][:, None], c * ~reset[t][:, None]
        out.append(h)
    return np.stack(out)


def test_maskzero_linear_batch_and_single():
    rng = np.random.default_rng(0)
    lin = nn.Linear(3, 2)
    m = ern.MaskZero(lin, 1)
    # MaskZero.lua __init: Decorator's modules[1], nInputDim
    assert m.modules[0] is lin and m.nInputDim == 1
    x = rng.normal(size=(4, 3))
    x[2] = 0
    w, b = _arr(lin.weight), _arr(lin.bias)
    want = x @ w.T + b
    want[2] = 0
    np.testing.assert_allclose(_arr(m.forward(_t(x))), want, rtol=1e-13, atol=1e-14)
    assert m.batchmode is True and list(_arr(m.zeroMask).ravel()) == [0, 0, 1, 0]
    go = rng.normal(size=(4, 2))
    gi = _arr(m.backward(_t(x), _t(go)))
    go_masked = go.copy()
    go_masked[2] = 0
    np.testing.assert_allclose(gi, go_masked @ w, rtol=1e-13, atol=1e-14)
    # a single sample (dim == nInputDim): all or nothing
    assert (_arr(m.forward(_t(np.zeros(3)))) == 0).all() and m.batchmode is False
    np.testing.assert_allclose(_arr(_roundtrip(m).forward(_t(x[0]))), want[0], rtol=1e-13)


def test_fastlstm_maskzero_restarts_padded_samples():
    rng = np.random.default_rng(1)
    lstm = _fast_lstm(rng, 3, 2)
    lstm.maskZero(1)
    # AbstractRecurrent.lua maskZero: recurrentModule = MaskZero(recurrentModule, n, true),
    # the only shared clone, modules[1]
    assert type(lstm.recurrentModule) is ern.MaskZero
    assert lstm.modules[0] is lstm.recurrentModule and lstm.sharedClones == {1: lstm.modules[0]}
    xs = rng.normal(size=(5, 3, 3))
    xs[0, 1] = 0   # sample 2 left-padded by one step
    xs[3, 0] = 0
    reset = np.all(xs == 0, axis=-1)
    want = np_fast_lstm(lstm, xs, reset)
    seq = ern.Sequencer(lstm)
    for mode in ("evaluate", "training"):
        getattr(seq, mode)()
        np.testing.assert_allclose(_arr(seq.forward(_t(xs))), want, rtol=1e-12, atol=1e-13)
    seq.evaluate()
    np.testing.assert_allclose(_arr(_roundtrip(seq).forward(_t(xs))), want, rtol=1e-12,
                               atol=1e-13)


def test_trimzero_runs_the_module_on_the_nonzero_rows_only():
    rng = np.random.default_rng(2)
    lstm = _fast_lstm(rng, 3, 2)
    lstm.trimZero(1)
    assert type(lstm.recurrentModule) is ern.TrimZero
    # TrimZero.lua __init: temp, gradTemp
    assert lstm.recurrentModule.temp.nElement() == 0
    xs = rng.normal(size=(4, 3, 3))
    xs[1, 2] = 0
    want = np_fast_lstm(lstm, xs, np.all(xs == 0, axis=-1))
    seq = ern.Sequencer(lstm)
    seq.evaluate()
    np.testing.assert_allclose(_arr(seq.forward(_t(xs))), want, rtol=1e-12, atol=1e-13)
    tz = lstm.recurrentModule
    assert tz._maskindices.typename == "torch.LongTensor"
    # and BPTT through it matches the masked formula's finite differences
    seq.training()
    go = rng.normal(size=want.shape)
    seq.forward(_t(xs))
    gi = _arr(seq.backward(_t(xs), _t(go)))
    eps = 1e-6
    for idx in [(0, 0, 0), (2, 1, 2), (3, 2, 1)]:
        p, m = xs.copy(), xs.copy()
        p[idx] += eps
        m[idx] -= eps
        reset = np.all(xs == 0, axis=-1)
        num = ((np_fast_lstm(lstm, p, reset) - np_fast_lstm(lstm, m, reset)) * go).sum() / 2 / eps
        assert abs(gi[idx] - num) < 1e-6


def test_lookup_table_mask_zero():
    lt = ern.LookupTableMaskZero(5, 3)
    # LookupTableMaskZero.lua: a LookupTable of nIndex + 1 rows, row 1 for index 0
    assert tuple(lt.weight.size()) == (6, 3)
    w = _arr(lt.weight)
    idx = torch7py.LongTensor([[0, 2], [5, 0]])
    out = _arr(lt.forward(idx))
    np.testing.assert_array_equal(out[0, 0], 0)
    np.testing.assert_array_equal(out[0, 1], w[2])
    np.testing.assert_array_equal(out[1, 0], w[5])
    assert _arr(lt.__dict__["__input"]).tolist() == [[1, 3], [6, 1]]
    lt.zeroGradParameters()
    lt.backward(idx, _t(np.ones((2, 2, 3))))
    g = _arr(lt.gradWeight)
    assert (g[2] == 1).all() and (g[5] == 1).all() and (g[0] == 2).all()   # 1-based rows 3, 6, 1
    back = _roundtrip(lt)
    assert type(back) is ern.LookupTableMaskZero
    np.testing.assert_array_equal(_arr(back.forward(idx)), out)


def test_reverse_table():
    r = ern.ReverseTable()
    a, b, c = (_t(np.full(2, v)) for v in (1.0, 2.0, 3.0))
    assert r.forward([a, b, c]) == [c, b, a]
    assert r.backward([a, b, c], [a, b, c]) == [c, b, a]


def test_bisequencer_joins_forward_and_reversed_directions():
    rng = np.random.default_rng(3)
    f, b = _fast_lstm(rng, 3, 2), _fast_lstm(rng, 3, 2)
    bi = ern.BiSequencer(f, b)
    # BiSequencer.lua: forwardModule, backwardModule, mergeModule (JoinTable(1, 1)), the
    # three Sequencers, module = modules[1] the assembled Sequential; output, gradInput {}
    assert bi.forwardModule is f and bi.backwardModule is b
    assert type(bi.mergeModule) is nn.JoinTable and bi.modules == [bi.module]
    assert [type(s) for s in (bi.fwdSeq, bi.bwdSeq, bi.mergeSeq)] == [ern.Sequencer] * 3
    xs = rng.normal(size=(4, 2, 3))
    want = np.concatenate([np_fast_lstm(f, xs), np.flip(np_fast_lstm(b, np.flip(xs, 0)), 0)],
                          axis=-1)
    bi.evaluate()
    ys = bi.forward([_t(x) for x in xs])
    np.testing.assert_allclose(np.stack([_arr(y) for y in ys]), want, rtol=1e-12, atol=1e-13)
    back = _roundtrip(bi)
    assert type(back) is ern.BiSequencer
    ys = back.forward([_t(x) for x in xs])
    np.testing.assert_allclose(np.stack([_arr(y) for y in ys]), want, rtol=1e-12, atol=1e-13)
    assert str(bi).startswith("nn.BiSequencer @ nn.Sequential {")
    # training: BPTT through both directions, the input gradient against finite differences
    bi.training()
    go = rng.normal(size=want.shape)
    bi.forward([_t(x) for x in xs])
    gi = bi.backward([_t(x) for x in xs], [_t(g) for g in go])

    def loss(a):
        y = np.concatenate([np_fast_lstm(f, a), np.flip(np_fast_lstm(b, np.flip(a, 0)), 0)], -1)
        return (y * go).sum()
    for idx in [(0, 0, 0), (1, 1, 2), (3, 0, 1)]:
        p, m = xs.copy(), xs.copy()
        p[idx] += 1e-6
        m[idx] -= 1e-6
        assert abs(_arr(gi[idx[0]])[idx[1:]] - (loss(p) - loss(m)) / 2e-6) < 1e-6


def test_bisequencerlm_shifts_the_two_directions():
    rng = np.random.default_rng(4)
    f, b = _fast_lstm(rng, 3, 2), _fast_lstm(rng, 3, 2)
    lm = ern.BiSequencerLM(f, b)
    assert lm.modules == [lm._fwd, lm._bwd, lm._merge]
    assert type(lm.fwdSeq) is ern.Sequencer     # an AbstractRecurrent gets its Sequencer
    T = 5
    xs = rng.normal(size=(T, 2, 3))
    fw = np_fast_lstm(f, xs[:-1])                       # steps 1..T-1
    bw = np.flip(np_fast_lstm(b, np.flip(xs[1:], 0)), 0)  # steps 2..T, run backwards
    z = np.zeros((1, 2, 2))
    want = np.concatenate([np.concatenate([z, fw]), np.concatenate([bw, z])], axis=-1)
    lm.evaluate()
    ys = lm.forward([_t(x) for x in xs])
    np.testing.assert_allclose(np.stack([_arr(y) for y in ys]), want, rtol=1e-12, atol=1e-13)
    ys = _roundtrip(lm).forward([_t(x) for x in xs])
    np.testing.assert_allclose(np.stack([_arr(y) for y in ys]), want, rtol=1e-12, atol=1e-13)
    text = str(lm)
    assert text.startswith("nn.BiSequencerLM {\n  (  fwd  ): nn.Sequencer")
    assert "\n  (  bwd  ): nn.Sequential" in text and "\n  ( merge ): nn.Sequential" in text
    lm.training()
    go = rng.normal(size=want.shape)
    lm.forward([_t(x) for x in xs])
    gi = lm.backward([_t(x) for x in xs], [_t(g) for g in go])
    assert len(gi) == T

    def loss(a):
        fw = np_fast_lstm(f, a[:-1])
        bw = np.flip(np_fast_lstm(b, np.flip(a[1:], 0)), 0)
        y = np.concatenate([np.concatenate([z, fw]), np.concatenate([bw, z])], axis=-1)
        return (y * go).sum()
    for idx in [(0, 0, 0), (2, 1, 2), (4, 0, 1)]:
        p, m = xs.copy(), xs.copy()
        p[idx] += 1e-6
        m[idx] -= 1e-6
        assert abs(_arr(gi[idx[0]])[idx[1:]] - (loss(p) - loss(m)) / 2e-6) < 1e-6
