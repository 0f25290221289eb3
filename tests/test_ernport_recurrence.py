"""Element-Research rnn's nn.Recurrence and its criterions (nn.SequencerCriterion,
nn.RepeaterCriterion, nn.MaskZeroCriterion). Expectations: numpy (an Elman step
h' = tanh(W [x, h] + b) run through time, the per-step MSE summed), finite differences for
BPTT, and the fields the Lua __init sets (Recurrence.lua 14-32, SequencerCriterion.lua 13-28,
RepeaterCriterion.lua 12-17, MaskZeroCriterion.lua 9-15; rnn ba937a0)."""
import numpy as np
import pytest

from torch7py import nn
from torch7py.legacy import ern

from ern_helpers import _arr, double_default, _roundtrip, _t  # noqa: F401


def _elman(d, h, rng):
    lin = nn.Linear(d + h, h)
    lin.weight.numpy()[...] = rng.uniform(-0.6, 0.6, size=(h, d + h))
    lin.bias.numpy()[...] = rng.uniform(-0.6, 0.6, size=h)
    step = nn.Sequential().add(nn.JoinTable(1, 1)).add(lin).add(nn.Tanh())
    return step, _arr(lin.weight), _arr(lin.bias)


def np_elman(W, b, xs):
    h = np.zeros(xs.shape[1:-1] + (W.shape[0],))
    out = []
    for x in xs:
        h = np.tanh(np.concatenate([x, h], -1) @ W.T + b)
        out.append(h)
    return np.stack(out)


@pytest.mark.parametrize("d,h,batch", [(3, 2, 4), (2, 5, None)])
def test_recurrence_runs_its_step_module_through_time(d, h, batch):
    rng = np.random.default_rng(d + h)
    step, W, b = _elman(d, h, rng)
    r = ern.Recurrence(step, h, 1)
    # Recurrence.lua __init: outputSize as a table, nInputDim, recurrentModule = module =
    # modules[1] = sharedClones[1], typeTensor
    assert r.outputSize == [h] and r.nInputDim == 1 and r.module is step
    assert r.modules == [step] and r.sharedClones == {1: step}
    assert r.typeTensor.nElement() == 0
    xs = rng.normal(size=(4, batch, d) if batch else (4, d))
    seq = ern.Sequencer(r)
    want = np_elman(W, b, xs)
    for mode in ("evaluate", "training"):
        getattr(seq, mode)()
        if batch:
            got = _arr(seq.forward(_t(xs)))
        else:
            got = np.stack([_arr(y) for y in seq.forward([_t(x) for x in xs])])
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)
    back = _roundtrip(seq)
    assert type(back.module) is ern.Recurrence
    back.evaluate()
    if batch:
        np.testing.assert_allclose(_arr(back.forward(_t(xs))), want, rtol=1e-12, atol=1e-13)
        # BPTT (training) against finite differences
        seq.training()
        go = rng.normal(size=want.shape)
        seq.forward(_t(xs))
        gi = _arr(seq.backward(_t(xs), _t(go)))
        for idx in [(0, 0, 0), (1, 2, d - 1), (3, 1, 1)]:
            p, m = xs.copy(), xs.copy()
            p[idx] += 1e-6
            m[idx] -= 1e-6
            num = ((np_elman(W, b, p) - np_elman(W, b, m)) * go).sum() / 2e-6
            assert abs(gi[idx] - num) < 1e-6
    assert str(r).startswith("nn.Recurrence @ nn.Sequential {")


def test_recurrence_export():
    from torch7py.export import cli, to_pytorch
    torch = pytest.importorskip('torch')
    rng = np.random.default_rng(1)
    step, W, b = _elman(3, 2, rng)
    seq = ern.Sequencer(ern.Recurrence(step, 2, 1))
    seq.evaluate()
    xs = rng.normal(size=(4, 2, 3))
    got = to_pytorch(seq)(torch.tensor(xs)).detach().numpy()
    np.testing.assert_allclose(got, np_elman(W, b, xs), rtol=1e-12, atol=1e-13)
    out, _ = cli.measure(seq, [(4, 2, 3)], n=2)
    assert out < 1e-12


def test_sequencer_criterion_sums_the_steps():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(3, 2, 4)), rng.normal(size=(3, 2, 4))
    c = ern.SequencerCriterion(nn.MSECriterion())
    # SequencerCriterion.lua __init: criterion, sizeAverage (false), clones, gradInput
    assert c.sizeAverage is False and c.clones == {} and c.gradInput == []
    per_step = ((x - y) ** 2).mean(axis=(1, 2))     # MSECriterion averages over elements
    assert abs(c.forward(_t(x), _t(y)) - per_step.sum()) < 1e-13
    g = _arr(c.backward(_t(x), _t(y)))
    np.testing.assert_allclose(g, 2 * (x - y) / 8, rtol=1e-13)
    assert sorted(c.clones) == [1, 2, 3]
    avg = _roundtrip(ern.SequencerCriterion(nn.MSECriterion(), True))
    assert abs(avg.forward([_t(a) for a in x], [_t(a) for a in y]) - per_step.mean()) < 1e-13
    gl = avg.backward([_t(a) for a in x], [_t(a) for a in y])
    np.testing.assert_allclose(np.stack([_arr(v) for v in gl]), 2 * (x - y) / 8 / 3,
                               rtol=1e-13)


def test_repeater_criterion_uses_one_target():
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(3, 2, 4)), rng.normal(size=(2, 4))
    c = ern.RepeaterCriterion(nn.MSECriterion())
    assert c.clones == {} and c.gradInput == []
    assert abs(c.forward(_t(x), _t(y)) - ((x - y) ** 2).mean(axis=(1, 2)).sum()) < 1e-13
    np.testing.assert_allclose(_arr(c.backward(_t(x), _t(y))), 2 * (x - y) / 8, rtol=1e-13)


def test_mask_zero_criterion_leaves_out_zero_rows():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    x[1] = 0
    c = ern.MaskZeroCriterion(nn.MSECriterion(), 1)
    assert c.nInputDim == 1
    keep = [0, 2, 3]
    assert abs(c.forward(_t(x), _t(y)) - ((x[keep] - y[keep]) ** 2).mean()) < 1e-13
    assert _arr(c.zeroMask).tolist() == [1, 3, 4]
    g = _arr(c.backward(_t(x), _t(y)))
    want = np.zeros_like(x)
    want[keep] = 2 * (x[keep] - y[keep]) / 9
    np.testing.assert_allclose(g, want, rtol=1e-13)
    assert c.forward(_t(np.zeros((2, 3))), _t(y[:2])) == 0
    back = _roundtrip(ern.MaskZeroCriterion(nn.MSECriterion(), 1))
    assert type(back) is ern.MaskZeroCriterion and type(back.criterion) is nn.MSECriterion


def test_a_sequencer_from_before_recursor_runs_its_plain_module_per_step():
    """rnn before October 2015 (Sequencer.lua at 7b8c73b^, lines 10-48): a non-recurrent module
    is kept as it is, `isRecurrent` false, `sharedClones[1]` the module itself; evaluation runs
    it on each step (copies of its outputs), training a clone per step."""
    rng = np.random.default_rng(5)
    lin = nn.Linear(3, 2)
    s = ern.Sequencer(nn.Identity())
    s.__dict__.update(module=lin, modules=[lin], isRecurrent=False, sharedClones={1: lin},
                      output=[], _output=[], _remember='neither')
    s = _roundtrip(s)
    w, b = _arr(s.module.weight), _arr(s.module.bias)
    xs = rng.normal(size=(4, 2, 3))
    for mode in ("evaluate", "training"):
        getattr(s, mode)()
        ys = s.forward([_t(x) for x in xs])
        np.testing.assert_allclose(np.stack([_arr(y) for y in ys]), xs @ w.T + b, rtol=1e-13)
        assert len({id(y) for y in ys}) == 4
    go = rng.normal(size=(4, 2, 2))
    s.zeroGradParameters()
    gi = s.backward([_t(x) for x in xs], [_t(g) for g in go])
    np.testing.assert_allclose(np.stack([_arr(g) for g in gi]), go @ w, rtol=1e-13)
    np.testing.assert_allclose(_arr(s.module.gradWeight),
                               np.einsum('tno,tni->oi', go, xs), rtol=1e-12)


def test_criterions_export():
    from torch7py.export import to_pytorch
    torch = pytest.importorskip('torch')
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(3, 2, 4)), rng.normal(size=(3, 2, 4))
    per_step = ((x - y) ** 2).mean(axis=(1, 2))
    for crit, want in ((ern.SequencerCriterion(nn.MSECriterion()), per_step.sum()),
                       (ern.SequencerCriterion(nn.MSECriterion(), True), per_step.mean())):
        got = to_pytorch(crit)(torch.tensor(x), torch.tensor(y))
        assert abs(float(got) - want) < 1e-13
    rep = to_pytorch(ern.RepeaterCriterion(nn.MSECriterion()))
    assert abs(float(rep(torch.tensor(x), torch.tensor(y[0]))) -
               ((x - y[0]) ** 2).mean(axis=(1, 2)).sum()) < 1e-13
    x2, y2 = x[0].copy(), y[0].copy()
    x2[1] = 0
    mz = to_pytorch(ern.MaskZeroCriterion(nn.MSECriterion(), 1))
    assert abs(float(mz(torch.tensor(x2), torch.tensor(y2))) - ((x2[0] - y2[0]) ** 2).mean()) \
        < 1e-13


def test_recurrent_attention_glimpses():
    """RecurrentAttention.lua: action(zeros of hiddenSize) then action(output[t-1]); output[t]
    = rnn{input, action[t]}; its __init wraps both in Recursors (lines 18-19)."""
    rng = np.random.default_rng(7)
    d, h, a, T = 3, 4, 2, 3
    l1, l2, la = nn.Linear(d, h), nn.Linear(a, h), nn.Linear(h, a)
    for lin in (l1, l2, la):
        lin.weight.numpy()[...] = rng.uniform(-0.7, 0.7, size=tuple(lin.weight.size()))
        lin.bias.numpy()[...] = rng.uniform(-0.7, 0.7, size=tuple(lin.bias.size()))
    rnn = nn.Sequential().add(nn.ParallelTable().add(l1).add(l2)).add(nn.CAddTable()) \
        .add(nn.Tanh())
    action = nn.Sequential().add(la).add(nn.Tanh())
    ra = ern.RecurrentAttention(rnn, action, T, [h])
    assert type(ra.rnn) is ern.Recursor and type(ra.action) is ern.Recursor
    assert ra.modules == [ra.rnn, ra.action] and ra.forwardActions is False
    W1, b1, W2, b2, Wa, ba = (_arr(t) for t in (l1.weight, l1.bias, l2.weight, l2.bias,
                                                 la.weight, la.bias))

    def np_ra(x, acts=None):
        o, outs, used = np.zeros((len(x), h)), [], []
        for t in range(T):
            act = np.tanh(o @ Wa.T + ba) if acts is None else acts[t]
            o = np.tanh(x @ W1.T + b1 + act @ W2.T + b2)
            outs.append(o)
            used.append(act)
        return np.stack(outs), used
    x = rng.normal(size=(2, d))
    want, acts = np_ra(x)
    ra.training()
    ys = ra.forward(_t(x))
    np.testing.assert_allclose(np.stack([_arr(y) for y in ys]), want, rtol=1e-12, atol=1e-13)
    go = rng.normal(size=want.shape)
    gi = _arr(ra.backward(_t(x), [_t(g) for g in go]))
    # without forwardActions the action module gets a zero gradient (lines 67-72: `_gradAction`,
    # its actions are trained by REINFORCE): the input's gradient holds the actions fixed
    num = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        p, m = x.copy(), x.copy()
        p[idx] += 1e-6
        m[idx] -= 1e-6
        num[idx] = ((np_ra(p, acts)[0] - np_ra(m, acts)[0]) * go).sum() / 2e-6
    np.testing.assert_allclose(gi, num, rtol=1e-6, atol=1e-8)
    assert (_arr(ra._gradAction) == 0).all()
    # evaluation: the Recursor runs its one module, whose output tensor every step returns
    # (the Lua keeps no copy): each entry then holds the last glimpse
    ra.evaluate()
    ys = _roundtrip(ra).forward(_t(x))
    for y in ys:
        np.testing.assert_allclose(_arr(y), want[-1], rtol=1e-12, atol=1e-13)
    assert str(ra).startswith("nn.RecurrentAttention {\n  action : nn.Recursor @ ")
