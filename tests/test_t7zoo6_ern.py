"""Element-Research rnn's recurrent classes (torch7py.legacy.ern): files holding nn.Repeater,
nn.Sequencer, nn.Recursor, nn.Recurrent, nn.LSTM, nn.FastLSTM and nn.LinearNoBias load as
modules and run as rnn's Lua does. Expectations are numpy formulas of the LSTM and of
Recurrent's equations (rnn's README), and finite differences for BPTT."""
import contextlib
import io

import numpy as np
import pytest

import torch7py
from torch7py import nn
from torch7py.legacy import ern
from torch7py.serialization.objects import TorchObject

from ern_helpers import _arr, numgrad, _sig


def _fill(t, rng):
    t.numpy()[...] = rng.uniform(-0.5, 0.5, size=tuple(t.size()))


def _fast_lstm(rng, d=3, h=2):
    torch7py.setdefaulttensortype('torch.DoubleTensor')
    m = ern.FastLSTM(d, h)
    _fill(m.i2g.weight, rng)
    _fill(m.i2g.bias, rng)
    _fill(m.o2g.weight, rng)
    return m


def _numpy_lstm(m, xs):
    """FastLSTM.lua's gates: i2g(x) + o2g(h) split in 4 (input, hidden, forget, output)."""
    wi, bi, wo = _arr(m.i2g.weight), _arr(m.i2g.bias), _arr(m.o2g.weight)
    n = wo.shape[1]
    h, c, out = np.zeros((xs.shape[1], n)), np.zeros((xs.shape[1], n)), []
    for x in xs:
        g = x @ wi.T + bi + h @ wo.T
        i, hid, f, o = (g[:, k * n:(k + 1) * n] for k in range(4))
        c = _sig(i) * np.tanh(hid) + _sig(f) * c
        h = _sig(o) * np.tanh(c)
        out.append(h)
    return np.stack(out)


def _roundtrip(obj):
    with contextlib.redirect_stderr(io.StringIO()):
        return torch7py.deserialize(bytes(torch7py.serialize(obj)))


def test_sequencer_fastlstm_forward_is_the_lstm_formula_and_survives_a_file():
    rng = np.random.default_rng(0)
    seq = ern.Sequencer(_fast_lstm(rng))
    xs = rng.normal(size=(4, 2, 3))          # 4 steps, batch 2
    want = _numpy_lstm(seq.module, xs)
    x = torch7py.DoubleTensor(*xs.shape)
    x.numpy()[...] = xs
    seq.evaluate()
    np.testing.assert_allclose(_arr(seq.forward(x)), want, rtol=1e-12, atol=1e-12)
    seq.training()
    np.testing.assert_allclose(_arr(seq.forward(x)), want, rtol=1e-12, atol=1e-12)
    back = _roundtrip(seq)
    assert type(back) is ern.Sequencer and type(back.module) is ern.FastLSTM
    assert type(back.module.o2g) is ern.LinearNoBias
    back.evaluate()
    np.testing.assert_allclose(_arr(back.forward(x)), want, rtol=1e-12, atol=1e-12)


def test_repeater_feeds_the_same_input_each_step():
    rng = np.random.default_rng(1)
    lstm = _fast_lstm(rng)
    rep = ern.Repeater(nn.Sequential().add(lstm).add(nn.Linear(2, 1)), 3)
    assert type(rep.module) is ern.Recursor
    lin = rep.module.module.modules[1]
    xs = rng.normal(size=(2, 3))
    x = torch7py.DoubleTensor(2, 3)
    x.numpy()[...] = xs
    hs = _numpy_lstm(lstm, np.stack([xs] * 3))
    want = hs @ _arr(lin.weight).T + _arr(lin.bias)
    for mode in ("evaluate", "training"):
        getattr(rep, mode)()
        ys = rep.forward(x)
        assert len(ys) == 3
        for k in range(3):
            np.testing.assert_allclose(_arr(ys[k]), want[k], rtol=1e-12, atol=1e-12)
    assert "[output(1),output(2),...,output(3)]" in str(rep)


def test_recurrent_first_step_uses_start_then_feedback():
    rng = np.random.default_rng(2)
    torch7py.setdefaulttensortype('torch.DoubleTensor')
    start, inp, fb = nn.Add(2), nn.Linear(3, 2), nn.Linear(2, 2)
    for t in (start.bias, inp.weight, inp.bias, fb.weight, fb.bias):
        _fill(t, rng)
    r = ern.Recurrent(start, inp, fb, nn.Tanh(), 5)
    xs = rng.normal(size=(3, 3))
    wi, bi, wf, bf, s = (_arr(t) for t in (inp.weight, inp.bias, fb.weight, fb.bias,
                                           start.bias))
    h = np.tanh(xs[0] @ wi.T + bi + s)
    want = [h]
    for x in xs[1:]:
        h = np.tanh(x @ wi.T + bi + h @ wf.T + bf)
        want.append(h)
    seq = _roundtrip(ern.Sequencer(r))
    assert type(seq.module) is ern.Recurrent
    x = torch7py.DoubleTensor(3, 3)
    x.numpy()[...] = xs
    seq.evaluate()
    np.testing.assert_allclose(_arr(seq.forward(x)), np.stack(want), rtol=1e-12, atol=1e-12)


def test_bptt_gradients_match_finite_differences():
    rng = np.random.default_rng(3)
    seq = ern.Sequencer(_fast_lstm(rng))
    seq.training()
    xs = rng.normal(size=(3, 2, 3))
    x = torch7py.DoubleTensor(*xs.shape)
    x.numpy()[...] = xs
    go = rng.normal(size=(3, 2, 2))
    gout = torch7py.DoubleTensor(*go.shape)
    gout.numpy()[...] = go
    seq.zeroGradParameters()
    seq.forward(x)
    gin = _arr(seq.backward(x, gout))

    def loss(arr):
        return float((_numpy_lstm(seq.module, arr) * go).sum())
    eps = 1e-6
    num = numgrad(loss, xs, eps)
    np.testing.assert_allclose(gin, num, rtol=1e-6, atol=1e-8)
    # the input-to-gates weight's gradient, one entry
    w = seq.module.i2g.weight.numpy()
    gw = _arr(seq.module.i2g.gradWeight)
    w0 = w[1, 2]
    w[1, 2] = w0 + eps
    lp = loss(xs)
    w[1, 2] = w0 - eps
    lm = loss(xs)
    w[1, 2] = w0
    assert abs(gw[1, 2] - (lp - lm) / (2 * eps)) < 1e-6


def test_a_torch_rnn_lstm_still_loads_as_its_fields(monkeypatch):
    """torch-rnn's nn.LSTM (weight, bias, hidden_dim: no recurrentModule) is not rnn's."""
    # with no Python class of that name: an earlier test may have imported one
    # (examples/torch_rnn_model defines torch-rnn's nn.LSTM, and a file's nn.LSTM is then that
    # class, as in a th session that required it)
    from torch7py.serialization import objects
    class_of = objects._class_of
    monkeypatch.setattr(objects, '_class_of', lambda t: None if t == 'nn.LSTM' else class_of(t))
    obj = TorchObject('nn.LSTM')
    obj.update({'hidden_dim': 2, 'weight': torch7py.DoubleTensor(5, 8).zero()})
    data = bytes(torch7py.serialize(obj))
    with contextlib.redirect_stderr(io.StringIO()):
        back = torch7py.deserialize(data, unknown_classes='table')
    assert isinstance(back, TorchObject) and back.typename == 'nn.LSTM'
    assert back['hidden_dim'] == 2
    with pytest.raises(Exception, match="torch-rnn's nn.LSTM"):
        torch7py.deserialize(data, unknown_classes='error')


def test_linear_no_bias_is_a_product():
    torch7py.setdefaulttensortype('torch.DoubleTensor')
    m = ern.LinearNoBias(3, 2)
    assert str(m) == 'nn.LinearNoBias(3 -> 2)'
    x = torch7py.DoubleTensor(4, 3).uniform()
    np.testing.assert_allclose(_arr(m.forward(x)), _arr(x) @ _arr(m.weight).T, rtol=1e-13)
    assert m.__dict__.get('bias') is None


torch = pytest.importorskip('torch')


def test_exported_repeater_and_sequencer_compute_the_lstm_formula():
    from torch7py.export import to_pytorch
    rng = np.random.default_rng(4)
    lstm = _fast_lstm(rng)
    rep = ern.Repeater(nn.Sequential().add(lstm).add(ern.LinearNoBias(2, 1)), 3)
    rep.evaluate()
    xs = rng.normal(size=(2, 3))
    w = _arr(rep.module.module.modules[1].weight)
    want = _numpy_lstm(lstm, np.stack([xs] * 3)) @ w.T
    tm = to_pytorch(rep)
    for _ in range(2):      # each forward forgets the last one's states
        ys = tm(torch.tensor(xs))
        assert len(ys) == 3
        for k in range(3):
            np.testing.assert_allclose(ys[k].detach().numpy(), want[k], rtol=1e-12,
                                       atol=1e-12)
    seq = ern.Sequencer(_fast_lstm(rng))
    seq.evaluate()
    seqx = rng.normal(size=(4, 2, 3))
    got = to_pytorch(seq)(torch.tensor(seqx)).detach().numpy()
    np.testing.assert_allclose(got, _numpy_lstm(seq.module, seqx), rtol=1e-12, atol=1e-12)


def test_exported_recurrent_and_the_measure():
    from torch7py.export import cli, to_pytorch
    rng = np.random.default_rng(5)
    torch7py.setdefaulttensortype('torch.DoubleTensor')
    start, inp, fb = nn.Add(2), nn.Linear(3, 2), nn.Linear(2, 2)
    for t in (start.bias, inp.weight, inp.bias, fb.weight, fb.bias):
        _fill(t, rng)
    seq = ern.Sequencer(ern.Recurrent(start, inp, fb, nn.Sigmoid(), 5))
    seq.evaluate()
    xs = rng.normal(size=(3, 3))
    wi, bi, wf, bf, s = (_arr(t) for t in (inp.weight, inp.bias, fb.weight, fb.bias,
                                           start.bias))
    h = _sig(xs[0] @ wi.T + bi + s)
    want = [h]
    for x in xs[1:]:
        h = _sig(x @ wi.T + bi + h @ wf.T + bf)
        want.append(h)
    got = to_pytorch(seq)(torch.tensor(xs)).detach().numpy()
    np.testing.assert_allclose(got, np.stack(want), rtol=1e-12, atol=1e-12)
    why = []
    out, grad = cli.measure(seq, [(2, 3)], n=1, why=why)
    assert out < 1e-12 and grad is None
    assert 'training-mode forward' in why[0]


def test_the_export_measure_sees_a_nan_on_one_side_only():
    """FARNN's diverged models give NaN outputs: the same NaN on both sides agrees, a NaN on
    one side only is an infinite difference, not 0."""
    import numpy as np
    from torch7py.export.cli import _diff
    nan = float('nan')
    assert _diff(np.array([1.0, nan]), np.array([1.0, nan])) == 0.0
    assert _diff(np.array([1.0, nan]), np.array([1.0, 2.0])) == float('inf')
    assert _diff(np.array([1.0, 2.0]), np.array([1.5, nan])) == float('inf')
    assert _diff(np.array([1.0, -2.0]), np.array([1.25, -2.0])) == 0.25
    assert _diff(np.array([np.inf]), np.array([np.inf])) == 0.0
