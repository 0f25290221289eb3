"""dpnn's modules (Element-Research dpnn, read for behaviour): nn.Reinforce and its samplers,
nn.VRClassReward, nn.SpatialGlimpse and nn.Serial, with dpnn's Module:reinforce and the
serialization modes. Expectations: numpy formulas of the REINFORCE gradients (Williams 92, as
dpnn's files state them), the same generator's draws taken again after the same seed, values
by hand (a 4x4 image's glimpse, a reward table), finite differences for SpatialGlimpse's
backward, and fields read back from the saved file."""
import numpy as np

import torch7py as torch
from torch7py.legacy import ern  # noqa: F401  (registers dpnn's classes for load)
from torch7py.nn.reinforce import Reinforce, reinforce
from torch7py.nn.reinforce_bernoulli import ReinforceBernoulli
from torch7py.nn.reinforce_categorical import ReinforceCategorical
from torch7py.nn.reinforce_normal import ReinforceNormal
from torch7py.nn.serial import Serial, lightSerial, mediumSerial
from torch7py.nn.spatial_glimpse import SpatialGlimpse
from torch7py.nn.vr_class_reward import VRClassReward
from torch7py import nn

from luatest import th_script


def _np(t):
    return np.array(t.numpy(), dtype=np.float64)


def test_reinforce_normal_samples_the_generator_and_its_gradient_is_the_score_times_reward():
    mean = torch.Tensor(3, 2).copy(torch.Tensor(np.array([[0.1, -0.2], [0.3, 0.4],
                                                          [-0.5, 0.6]])))
    torch.manualSeed(7)
    z = _np(torch.Tensor(3, 2).normal())
    rn = ReinforceNormal(0.5)
    torch.manualSeed(7)
    x = _np(rn.forward(mean))
    np.testing.assert_allclose(x, _np(mean) + 0.5 * z, rtol=0, atol=1e-12)
    reward = torch.Tensor(np.array([1.0, -2.0, 0.5]))
    rn.reinforce(reward)
    g = _np(rn.backward(mean, torch.Tensor(3, 2).zero()))
    expect = -(x - _np(mean)) / 0.25 * np.array([[1.0], [-2.0], [0.5]])
    np.testing.assert_allclose(g, expect, rtol=1e-12, atol=1e-12)
    # evaluation: the mean (no draw); stochastic: draws in evaluation too
    rn.evaluate()
    np.testing.assert_array_equal(_np(rn.forward(mean)), _np(mean))
    rs = ReinforceNormal(0.5, True)
    rs.evaluate()
    assert not np.array_equal(_np(rs.forward(mean)), _np(mean))


def test_reinforce_normal_with_a_stdev_input_gives_both_gradients():
    mean = torch.Tensor(np.array([[0.2, -0.1]]))
    std = torch.Tensor(np.array([[0.5, 2.0]]))
    rn = ReinforceNormal()
    x = _np(rn.forward([mean, std]))
    rn.reinforce(torch.Tensor(np.array([3.0])))
    gm, gs = rn.backward([mean, std], torch.Tensor(1, 2).zero())
    m, s = _np(mean), _np(std)
    np.testing.assert_allclose(_np(gm), -3.0 * (x - m) / s ** 2, rtol=1e-12)
    np.testing.assert_allclose(_np(gs), -3.0 * ((x - m) ** 2 - s ** 2) / (s ** 3 + 1e-8),
                               rtol=1e-12)


def test_reinforce_bernoulli_and_categorical():
    p = torch.Tensor(np.array([[0.2, 0.9], [0.5, 0.1]]))
    torch.manualSeed(3)
    u = _np(torch.Tensor(2, 2).uniform(0, 1))
    rb = ReinforceBernoulli()
    torch.manualSeed(3)
    x = _np(rb.forward(p))
    np.testing.assert_array_equal(x, (u < _np(p)).astype(float))
    rb.reinforce(torch.Tensor(np.array([2.0, -1.0])))
    g = _np(rb.backward(p, None))
    pp = _np(p)
    np.testing.assert_allclose(g, -(x - pp) / (pp * (1 - pp)) * np.array([[2.0], [-1.0]]),
                               rtol=1e-12)
    probs = torch.Tensor(np.array([[0.0, 1.0, 0.0], [0.25, 0.25, 0.5]]))
    rc = ReinforceCategorical()
    y = _np(rc.forward(probs))
    assert y.sum(1).tolist() == [1.0, 1.0] and y[0].tolist() == [0.0, 1.0, 0.0]
    rc.reinforce(torch.Tensor(np.array([1.0, 4.0])))
    gc = _np(rc.backward(probs, None))
    np.testing.assert_allclose(gc, -y / (_np(probs) + 1e-8) * np.array([[1.0], [4.0]]),
                               rtol=1e-12)


def test_vr_class_reward_rewards_the_right_classes_and_reinforces_the_module():
    rn = Reinforce()
    model = nn.Sequential().add(nn.Identity()).add(rn)
    vr = VRClassReward(model, 2)
    pred = torch.Tensor(np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]))
    base = torch.Tensor(np.array([[0.5], [0.5], [0.5], [0.5]]))
    target = torch.LongTensor(np.array([2, 1, 1, 1]))
    # argmax 2, 1, 2, 1: three right, reward 2 each; loss -sum/4
    assert vr.forward([pred, base], target) == -1.5
    g = vr.backward([pred, base], target)
    assert _np(g[0]).tolist() == [[0, 0]] * 4
    # MSE's gradient of the baseline toward the reward: 2 (b - r) / 4
    assert _np(g[1]).ravel().tolist() == [-0.75, -0.75, 0.25, -0.75]
    # (reward - baseline) / 4 reached the Reinforce module through the Sequential
    assert _np(rn.reward).tolist() == [0.375, 0.375, -0.125, 0.375]
    x = torch.Tensor(4, 3).fill(1)
    gi = _np(rn.backward(x, None))  # the reward broadcast over the columns
    assert gi[:, 0].tolist() == [0.375, 0.375, -0.125, 0.375] and gi.shape == (4, 3)


def test_spatial_glimpse_forward_by_hand_and_backward_by_finite_differences():
    img = torch.range(1, 32).view(1, 2, 4, 4)
    sg = SpatialGlimpse(2, 2)
    out = _np(sg.forward([img, torch.Tensor(np.array([[0.0, 0.0]]))]))
    assert out.shape == (1, 4, 2, 2)
    # depth 1: the 2x2 patch at the centre; depth 2: the whole image averaged 2x2
    assert out[0, 0].tolist() == [[6, 7], [10, 11]]
    assert out[0, 1].tolist() == [[22, 23], [26, 27]]
    assert out[0, 2].tolist() == [[3.5, 5.5], [11.5, 13.5]]
    # a location at the corner: the patch reaches into the zero padding
    loc = torch.Tensor(np.array([[-1.0, 1.0]]))
    rng = np.random.RandomState(0)
    x = torch.Tensor(rng.randn(1, 2, 5, 5))
    go = torch.Tensor(rng.randn(1, 4, 2, 2))
    sg = SpatialGlimpse(2, 2)
    sg.forward([x, loc])
    gx, gl = sg.backward([x, loc], go)
    assert _np(gl).tolist() == [[0.0, 0.0]]
    xa = _np(x)
    num = np.zeros_like(xa)
    for idx in np.ndindex(*xa.shape):
        for sign in (1, -1):
            xb = xa.copy()
            xb[idx] += sign * 1e-6
            o = _np(SpatialGlimpse(2, 2).forward([torch.Tensor(xb), loc]))
            num[idx] += sign * (o * _np(go)).sum() / 2e-6
    np.testing.assert_allclose(_np(gx), num, atol=1e-6)
    # one image (no batch dimension) gives one glimpse
    one = SpatialGlimpse(2, 2).forward([torch.range(1, 32).view(2, 4, 4),
                                        torch.Tensor(np.array([0.0, 0.0]))])
    assert list(one.size()) == [4, 2, 2]


def test_serial_writes_its_module_with_the_medium_fields_empty(tmp_path):
    torch.manualSeed(1)
    lin = nn.Linear(3, 2)
    s = Serial(nn.Sequential().add(lin).add(nn.Tanh()))
    mediumSerial(s)
    x = torch.randn(4, 3)
    y = _np(s.forward(x))
    s.backward(x, torch.ones(4, 2))
    assert lin.dpnn_serialEmpty == ['output', 'gradInput', 'momGradParams', 'dpnn_input']
    path = str(tmp_path / "s.t7")
    torch.save(path, s)
    t = torch.load(path)
    assert type(t) is Serial and t.dpnn_typename == 'nn.Serial'
    inner = t.modules[0].modules[0]
    assert inner.output.nElement() == 0 and inner.gradInput.nElement() == 0
    assert inner.gradWeight.nElement() == 6  # medium keeps the gradients
    assert inner.dpnn_typename == 'nn.Linear'
    # the module itself kept its fields
    assert lin.output.nElement() == 8
    np.testing.assert_array_equal(_np(t.forward(x)), y)
    # light: the gradients too; a tensortype converts the written state only
    lightSerial(s)
    s.tensortype = 'torch.FloatTensor'
    c = s.clone()
    cl = c.modules[0].modules[0]
    assert cl.gradWeight.nElement() == 0 and cl.weight.typename == 'torch.FloatTensor'
    assert lin.weight.typename == 'torch.DoubleTensor'
    np.testing.assert_allclose(_np(c.forward(x.float())), y, atol=1e-6)


def test_reinforce_reaches_the_step_clones_of_a_recurrent_module():
    # AbstractRecurrent.lua's reinforce: one reward for every step clone
    r = ern.Recursor(nn.Sequential().add(nn.Linear(2, 2)).add(Reinforce()))
    x = torch.ones(3, 2)
    for _ in range(3):
        r.forward(x)
    reward = torch.Tensor(np.array([1.0, 2.0, 3.0]))
    reinforce(nn.Sequential().add(r), reward)
    clones = r.sharedClones
    seen = [c.modules[1].reward for c in clones.values()]
    assert len(seen) == 3 and all(v is reward for v in seen)


def test_require_dpnn_alone_and_its_module_methods_under_th(tmp_path):
    out = th_script("""
local d = require 'dpnn'
print(d == dpnn, dpnn.version, nn.Serial ~= nil, nn.ReinforceNormal ~= nil, nn.FastLSTM == nil)
local m = nn.Sequential():extend(nn.Linear(3, 2), nn.ReinforceBernoulli())
local x = m:toBatch(torch.ones(3), 1)
print(m.dpnn_online, x:dim(), m:fromBatch(torch.ones(1, 2), 1):dim())
m:reinforce(torch.Tensor{5})
print(m:get(2).reward[1], m:outside({4, 3})[2])
local s = m:Serial():mediumSerial()
print(torch.type(s), s.modules[1].modules[1].dpnn_serialEmpty[1])
local ok, err = pcall(function() return nn.Serial(m, 'float') end)
print(ok, err)
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [line.rstrip('\t') for line in out.stdout.splitlines()]
    assert lines[0].split('\t') == ['true', '2', 'true', 'true', 'true']
    assert lines[1].split('\t') == ['true', '2', '1']
    assert lines[2].split('\t') == ['5', '2']
    assert lines[3].split('\t') == ['nn.Serial', 'output']
    assert lines[4].startswith('false') and 'Expecting tensortype' in lines[4]


def test_nce_module_and_criterion_against_numpy():
    from torch7py.nn.nce_criterion import NCECriterion
    from torch7py.nn.nce_module import NCEModule
    rng = np.random.RandomState(1)
    uni = torch.Tensor(rng.randint(1, 20, size=10).astype(float))
    u = _np(uni) / _np(uni).sum()
    torch.manualSeed(5)
    nce = NCEModule(4, 10, 3, uni, 2.0)
    np.testing.assert_allclose(_np(nce.unigrams), u, rtol=1e-12)  # normalized in place
    assert _np(nce.bias).tolist() == [-np.log(10)] * 10  # reset: bias -log(outputSize)
    x = torch.Tensor(rng.randn(2, 4))
    target = torch.LongTensor(np.array([3, 7]))
    Pmt, Pms, Pnt, Pns = nce.forward([x, target])
    idx = _np(nce.sampleidx).astype(int) - 1  # k noise samples, then the targets
    assert idx[3:].tolist() == [2, 6] and idx.min() >= 0 and idx.max() <= 9
    W, b, X = _np(nce.weight), _np(nce.bias), _np(x)
    lin = X @ W.T + b  # 2 x 10
    np.testing.assert_allclose(_np(Pmt), np.exp(lin[[0, 1], [2, 6]]) / 2.0, rtol=1e-12)
    np.testing.assert_allclose(_np(Pms), np.exp(lin[:, idx[:3]]) / 2.0, rtol=1e-12)
    np.testing.assert_allclose(_np(Pnt), u[[2, 6]], rtol=1e-12)
    np.testing.assert_allclose(_np(Pns), np.tile(u[idx[:3]], (2, 1)), rtol=1e-12)
    crit = NCECriterion()
    pmt, pms, pnt, pns = _np(Pmt), _np(Pms), _np(Pnt), _np(Pns)
    eps, k = 1e-7, 3
    loss = -(np.log(pmt / (pmt + k * pnt + eps)).sum()
             + np.log(k * pns / (pms + k * pns + eps)).sum()) / 2
    assert abs(crit.forward([Pmt, Pms, Pnt, Pns], None) - loss) < 1e-12
    g = crit.backward([Pmt, Pms, Pnt, Pns], None)
    np.testing.assert_allclose(_np(g[0]), -k * pnt / (pmt + k * pnt + eps) / (pmt + eps) / 2,
                               rtol=1e-10)
    np.testing.assert_allclose(_np(g[1]), pms / (pms + k * pns + eps) / (pms + eps) / 2,
                               rtol=1e-10)
    # backward: d(loss)/d(linear) = gradOutput * Pm, on the sampled rows only
    gi = nce.backward([x, target], g)
    dlin_t = _np(g[0]) * pmt
    dlin_s = _np(g[1]) * pms
    np.testing.assert_allclose(_np(gi[0]), dlin_t[:, None] * W[[2, 6]] + dlin_s @ W[idx[:3]],
                               rtol=1e-10, atol=1e-14)
    gw = np.zeros_like(W)
    for r, c in enumerate([2, 6]):
        gw[c] += dlin_t[r] * X[r]
    for j, c in enumerate(idx[:3]):
        gw[c] += dlin_s[:, j] @ X
    np.testing.assert_allclose(_np(nce.gradWeight), gw, rtol=1e-10, atol=1e-14)
    # evaluation with normalized: the full softmax
    nce.evaluate()
    nce.normalized = True
    p = _np(nce.forward([x, target]))
    e = np.exp(lin - lin.max(1, keepdims=True))
    np.testing.assert_allclose(p, e / e.sum(1, keepdims=True), rtol=1e-10)


def test_alias_sampler_draws_the_distribution():
    from torch7py.nn.alias_multinomial import AliasMultinomial
    probs = torch.Tensor(np.array([0.1, 0.2, 0.3, 0.4]))
    am = AliasMultinomial(probs)
    torch.manualSeed(11)
    out = torch.LongTensor(20000)
    am.batchdraw(out)
    freq = np.bincount(_np(out).astype(int), minlength=5)[1:] / 20000
    np.testing.assert_allclose(freq, [0.1, 0.2, 0.3, 0.4], atol=0.015)


def test_inception_argmax_clip_entropy_and_total_dropout():
    from torch7py.nn.arg_max import ArgMax
    from torch7py.nn.categorical_entropy import CategoricalEntropy
    from torch7py.nn.clip import Clip
    from torch7py.nn.inception import Inception
    from torch7py.nn.total_dropout import TotalDropout
    inc = Inception({'inputSize': 3, 'outputSize': [4, 5], 'reduceSize': [2, 3, 6, 7]})
    # columns: 5x5 and 3x3 (reduced first), pooling + 1x1 reduction, a plain 1x1
    cols = inc.modules[0].modules
    assert len(cols) == 4
    assert [c.modules[-2].nOutputPlane if i < 2 else None
            for i, c in enumerate(cols)][:2] == [4, 5]
    y = inc.forward(torch.rand(2, 3, 8, 8))
    assert list(y.size()) == [2, 4 + 5 + 6 + 7, 8, 8]
    x = torch.Tensor(np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]]))
    assert _np(ArgMax(2).forward(x)).tolist() == [2, 1]
    assert _np(ArgMax(1, 1).forward(x)).tolist() == [2, 1]  # a batch: dim + 1
    assert _np(Clip(1, 4).forward(x)).tolist() == [[1, 4, 2], [4, 1, 3]]
    # entropy: the gradient of -H(mean of the rows normalized), divided by the batch size
    p = torch.Tensor(np.array([[0.2, 0.8], [0.6, 0.4]]))
    ce = CategoricalEntropy()
    go = torch.Tensor(2, 2).zero()
    g = _np(ce.backward(p, go))
    q = (_np(p).sum(0)) / _np(p).sum()
    assert abs(ce.entropy - -(q * np.log(q + 1e-6)).sum()) < 1e-12

    def H(P):
        # (dpnn sets MulConstant's 1 / sum as a constant: no gradient through the sum)
        qq = P.sum(0) / _np(p).sum()
        return -(qq * np.log(qq + 1e-6)).sum()
    num = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            d = np.zeros((2, 2))
            d[i, j] = 1e-6
            num[i, j] = (H(_np(p) + d) - H(_np(p) - d)) / 2e-6
    np.testing.assert_allclose(g, -num / 2, atol=1e-7)
    td = TotalDropout(0.5)
    torch.manualSeed(2)
    draws = [torch.bernoulli(0.5) for _ in range(5)]
    torch.manualSeed(2)
    sums = [_np(td.forward(torch.ones(2))).sum() for _ in range(5)]
    assert sums == [2.0 * d for d in draws]
    assert td.__tostring__() == 'nn.TotalDropout(0.500000)'


def test_step_clones_share_dpnn_parameters():
    # dpnn's sharedClone shares each class's dpnn_parameters: an NCEModule's unigrams and Z
    # (one Z, approximated once for all the steps of a Sequencer)
    from torch7py.nn.nce_module import NCEModule
    nce = NCEModule(3, 6, 2, torch.Tensor(6).fill(1), -1)
    for clone in (ern.stepClone(nce), ern.sharedClone(nce)):
        clone.Z[1] = 5
        assert nce.Z[1] == 5
        nce.Z[1] = -1
        assert clone.unigrams.storage() is nce.unigrams.storage()
        assert clone.weight.storage() is nce.weight.storage()


def test_binary_class_reward_and_fire_module(capsys):
    from torch7py.nn.binary_class_reward import BinaryClassReward
    from torch7py.nn.fire_module import FireModule
    rb = ReinforceBernoulli()
    bcr = BinaryClassReward(nn.Sequential().add(rb), 3)
    p = torch.Tensor(np.array([0.7, 0.2, 0.9, 0.4]))
    base = torch.Tensor(np.array([1.0, 1.0, 1.0, 1.0]))
    target = torch.Tensor(np.array([1.0, 1.0, 0.0, 0.0]))
    # p > 0.5: 1 0 1 0, right for examples 1 and 4: reward 3, 0, 0, 3
    assert bcr.forward([p, base], target) == -6 / 4
    g = bcr.backward([p, base], target)
    assert _np(rb.reward).tolist() == [0.5, -0.25, -0.25, 0.5]  # (reward - baseline) / 4
    assert _np(g[0]).tolist() == [0, 0, 0, 0]
    # MSE's gradient of the baseline toward the reward (its backward alone)
    assert _np(g[1]).tolist() == [2 * (1 - 3) / 4, 2 / 4, 2 / 4, 2 * (1 - 3) / 4]
    fm = FireModule(4, 6, 3, 2)
    assert capsys.readouterr().out == \
        'Warning: <FireModule> s1x1 is recommended to be smaller then e1x1+e3x3\n'
    y = fm.forward(torch.rand(2, 4, 5, 5))
    assert list(y.size()) == [2, 5, 5, 5]  # e1x1 + e3x3 planes, same size
    assert fm.__tostring__() == ('nn.FireModule inputPlanes: 4 -> Squeeze Planes: 6 -> '
                                 'Expand: 3(1x1) + 2(3x3), activation: ReLU')
    assert fm.type('torch.FloatTensor') is None and fm.squeeze.weight.typename == \
        'torch.FloatTensor'


def test_dpnn_logistic_losses_normalization_and_region_dropout():
    from torch7py.nn.binary_logistic_regression import BinaryLogisticRegression
    from torch7py.nn.spatial_binary_logistic_regression import \
        SpatialBinaryLogisticRegression
    from torch7py.nn.spatial_feat_normalization import SpatialFeatNormalization
    from torch7py.nn.spatial_region_dropout import SpatialRegionDropout
    x = np.array([0.5, -1.0, 2.0])
    y = np.array([1.0, 1.0, -1.0])
    c = BinaryLogisticRegression()
    loss = c.forward(torch.Tensor(x), torch.Tensor(y))
    assert abs(loss - np.log1p(np.exp(-x * y)).mean()) < 1e-12
    assert c.output == 0  # (dpnn's returns the loss without keeping it)
    e = np.exp(-x * y)
    np.testing.assert_allclose(_np(c.backward(torch.Tensor(x), torch.Tensor(y))),
                               -y * e / (1 + e) / 3, rtol=1e-12)
    xs = np.random.RandomState(3).randn(2, 1, 3, 4)
    ys = np.sign(np.random.RandomState(4).randn(2, 1, 3, 4))
    sc = SpatialBinaryLogisticRegression()
    assert abs(sc.forward(torch.Tensor(xs), torch.Tensor(ys))
               - np.log1p(np.exp(-xs * ys)).sum() / (2 * 2 * 3 * 4)) < 1e-12
    mean, std = torch.Tensor(np.array([1.0, -2.0])), torch.Tensor(np.array([2.0, 4.0]))
    img = np.random.RandomState(5).randn(3, 2, 4, 4)
    out = _np(SpatialFeatNormalization(mean, std).forward(torch.Tensor(img)))
    np.testing.assert_allclose(out, (img - np.array([1.0, -2.0])[:, None, None])
                               / np.array([2.0, 4.0])[:, None, None], rtol=1e-12)
    torch.manualSeed(9)
    region = torch.random(4)
    torch.manualSeed(9)
    d = SpatialRegionDropout(0.25)
    o = _np(d.forward(torch.ones(2, 3, 8, 8)))
    assert d.regionType == region
    zeros = {1: (slice(None), slice(None), slice(0, 2)), 2: (slice(None), slice(None),
                                                               slice(6, 8)),
             3: (Ellipsis, slice(0, 2)), 4: (Ellipsis, slice(6, 8))}[region]
    expect = np.full((2, 3, 8, 8), 1 / 0.75)
    expect[zeros] = 0
    np.testing.assert_allclose(o, expect, rtol=1e-12)


def test_dpnn_color_transforms_and_binary_convolution():
    from torch7py.nn.pca_color_transform import PCAColorTransform
    from torch7py.nn.simple_color_transform import SimpleColorTransform
    from torch7py.nn.spatial_binary_convolution import SpatialBinaryConvolution
    img = torch.Tensor(np.random.RandomState(6).rand(2, 3, 4, 4))
    s = SimpleColorTransform(3, torch.Tensor(np.array([0.1, 0.2, 0.3])))
    diff = _np(s.forward(img)) - _np(img)
    per = diff[:, :, 0, 0]
    np.testing.assert_allclose(diff, per[:, :, None, None] * np.ones((1, 1, 4, 4)),
                               atol=1e-12)
    assert (np.abs(per) <= np.array([0.1, 0.2, 0.3])).all()
    V = np.linalg.qr(np.random.RandomState(7).randn(3, 3))[0]
    lam = np.array([0.5, 0.2, 0.1])
    p = PCAColorTransform(3, torch.Tensor(V), torch.Tensor(lam), 0.1)
    torch.manualSeed(4)
    alpha = _np(torch.Tensor(3, 2).normal(0, 0.1))
    torch.manualSeed(4)
    diff = _np(p.forward(img)) - _np(img)
    noise = (V @ (alpha * lam[:, None])).T  # batch x channels
    np.testing.assert_allclose(diff[:, :, 1, 2], noise, rtol=1e-10, atol=1e-14)
    assert p.__tostring__() == 'nn.PCAColorTransform channels: 3, std: 0.100000'
    # binary weights: sign(W) (0 counts as positive), each output plane scaled by its
    # filter's mean |W|; the real weights restored by accGradParameters
    torch.manualSeed(2)
    bc = SpatialBinaryConvolution(2, 3, 3, 3, 1, 1, 1, 1)
    W = _np(bc.weight).copy()
    x = torch.Tensor(np.random.RandomState(8).randn(1, 2, 5, 5))
    y = _np(bc.forward(x))
    ref = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)
    ref.weight.copy(torch.Tensor(np.where(W >= 0, 1.0, -1.0)))
    ref.bias.zero()
    alphas = np.abs(W).reshape(3, -1).mean(1)
    np.testing.assert_allclose(y, _np(ref.forward(x)) * alphas[None, :, None, None],
                               rtol=1e-10, atol=1e-12)
    bc.backward(x, torch.Tensor(np.ones((1, 3, 5, 5))))
    np.testing.assert_array_equal(_np(bc.weight), W)
    assert bc.__dict__.get('bias') is None


def test_a_serial_inside_a_serial_writes_itself():
    # dpnn's recursiveSetMetaTable gives the inner state Serial's class: its own write runs,
    # and the load gives a Serial there (its module's medium fields empty)
    inner = Serial(nn.Linear(3, 2))
    outer = Serial(nn.Sequential().add(inner).add(nn.Tanh()))
    mediumSerial(outer)
    x = torch.randn(4, 3)
    y = _np(outer.forward(x))
    o2 = torch.deserialize(torch.serialize(outer))
    s2 = o2.modules[0].modules[0]
    assert type(s2) is Serial and s2.dpnn_typename == 'nn.Serial'
    assert s2.modules[0].output.nElement() == 0
    np.testing.assert_array_equal(_np(o2.forward(x)), y)


def test_a_lua_class_dpnn_parameters_are_shared_by_shared_clones(tmp_path):
    out = th_script("""
require 'rnn'
local L, parent = torch.class('nn.MyScaled', 'nn.Linear')
L.dpnn_parameters = {'weight', 'bias', 'scale'}
function L:__init(a, b) parent.__init(self, a, b); self.scale = torch.ones(b) end
local m = nn.MyScaled(3, 2)
local c = m:sharedClone()
c.scale:fill(5)
print(m.scale[1], torch.pointer(c.weight:storage()) == torch.pointer(m.weight:storage()))
""", tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ['5', 'true']


def test_module_class_fields_that_lua_classes_extend(tmp_path):
    # dpnn's Module.dpnn_mediumEmpty etc. are class fields a script's class extends
    # (`_.clone(parent.dpnn_mediumEmpty)` plus its buffers): a medium Serial empties them
    out = th_script("""
require 'dpnn'
local _ = require 'moses'
local L, parent = torch.class('nn.MyBuf', 'nn.Linear')
local empty = _.clone(parent.dpnn_mediumEmpty)
table.insert(empty, 'buf')
L.dpnn_mediumEmpty = empty
function L:__init(a, b) parent.__init(self, a, b); self.buf = torch.ones(7) end
print(#nn.Module.dpnn_mediumEmpty, nn.Module.dpnn_parameters[2], #nn.Module.dpnn_serialEmpty)
local s = nn.Serial(nn.Sequential():add(nn.MyBuf(3, 2)):add(nn.Linear(2, 2))):mediumSerial()
s:forward(torch.randn(4, 3))
torch.save('cf.t7', s)
local t = torch.load('cf.t7').modules[1]
print(t.modules[1].buf:nElement(), t.modules[1].output:nElement(), t.modules[2].output:nElement(),
      t.modules[1].gradWeight:nElement(), s.modules[1].modules[1].buf:nElement())
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].split() == ['4', 'bias', '0']
    assert lines[1].split() == ['0', '0', '0', '6', '7']
