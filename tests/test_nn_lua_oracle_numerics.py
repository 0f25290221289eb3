"""Found by tools/diff_nn.py: pure-Lua criterions compute in the input's type and sum with
t:sum() (a double accumulator, element after element); DepthConcat's backward drops the scale.
Expectations are computed here with numpy from the Lua code's steps."""
import numpy as np

import torch7py as torch
from torch7py import nn

f32 = np.float32


def seq(a):
    acc = 0.0
    for v in np.asarray(a).reshape(-1):
        acc += float(v)
    return acc


def test_hinge_embedding_float_loss_sums_in_double():
    x = torch.FloatTensor([0.3, -1.7, 0.9, 2.25, -0.4])
    y = torch.FloatTensor([1, -1, -1, 1, -1])
    xa, ya = x.numpy(), y.numpy()
    first = np.where(ya == -1, f32(0), xa)
    second = np.maximum(f32(1) - xa, f32(0)).astype(f32)
    second[ya == 1] = 0
    want = (seq(first) + seq(second)) / 5
    got = nn.HingeEmbeddingCriterion(1).float().forward(x, y)
    assert got == want


def test_margin_ranking_float_loss_and_number_target():
    a = torch.FloatTensor([0.1, -0.7, 1.3])
    b = torch.FloatTensor([0.6, 0.2, -0.3])
    y = torch.FloatTensor([1, -1, 1])
    d = (a.numpy() - b.numpy()).astype(f32)
    d = (-d * y.numpy()).astype(f32) + f32(0.5)
    want = seq(np.maximum(d, f32(0))) / 3
    c = nn.MarginRankingCriterion(0.5).float()
    assert c.forward([a, b], y) == want
    # a number target: Lua numbers, the elements read as doubles
    a1, b1 = torch.FloatTensor([0.1]), torch.FloatTensor([0.3])
    want1 = max(0, -1 * (float(f32(0.1)) - float(f32(0.3))) + 0.5)
    assert c.forward([a1, b1], 1) == want1


def _libmf(name):
    import ctypes
    import ctypes.util
    f = getattr(ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6"), name + "f")
    f.restype, f.argtypes = ctypes.c_float, [ctypes.c_float]
    return f


def test_multilabel_soft_margin_float_loss_is_the_luas_formula():
    x = torch.FloatTensor([[0.5, -1.25, 2.0], [-0.3, 0.0, 1.1]])
    t = torch.FloatTensor([[1, 0, 1], [0, 1, 0]])
    xa, ta = x.numpy().reshape(-1), t.numpy().reshape(-1)
    ind = (xa >= 0).astype(f32)
    # buffer:exp() and :log() on floats: libm's expf and logf (numpy's are its own SIMD code)
    expf, logf = _libmf("exp"), _libmf("log")
    e = np.array([expf(float(v)) for v in ((xa * ind) * f32(-2)) + xa], f32)
    b2 = np.array([logf(float(v)) for v in e + f32(1)], f32)
    b1 = ((ind * f32(-1) + ta) * xa).astype(f32)
    want = seq((b2 - b1).astype(f32)) / 6
    got = nn.MultiLabelSoftMarginCriterion().float().forward(x, t)
    assert got == want


def test_depth_concat_backward_ignores_the_scale():
    torch.manualSeed(1)
    m = nn.DepthConcat(1).add(nn.Linear(4, 3)).add(nn.Linear(4, 2))
    x, g = torch.randn(4), torch.randn(5)
    m.forward(x)
    m.zeroGradParameters()
    m.backward(x, g, 0.5)
    gw = m.get(1).gradWeight.numpy()
    np.testing.assert_array_equal(gw, np.outer(g.numpy()[:3], x.numpy()))
    # accGradParameters keeps it
    m.zeroGradParameters()
    m.accGradParameters(x, g, 0.5)
    np.testing.assert_array_equal(m.get(1).gradWeight.numpy(),
                                  0.5 * np.outer(g.numpy()[:3], x.numpy()))


def test_float_losses_sum_as_torch7_does():
    # DistanceRatioCriterion.lua: loss:sum() (accreal); L1Penalty.lua: input:norm(1) (accreal);
    # L1HingeEmbeddingCriterion.lua: input[1]:dist(input[2], 1), whose sum is a real (float)
    X = torch.FloatTensor([0.3, 1.7, 0.05])
    Y = torch.FloatTensor([2.1, 0.2, 0.9])
    c = nn.DistanceRatioCriterion(False).float()
    xa, ya = X.numpy(), Y.numpy()
    # the Lua's tensor exp and log: glibc's expf/logf element by element (numpy's float32 exp
    # is its own SIMD code)
    import ctypes
    libm = ctypes.CDLL("libm.so.6")
    for fn in (libm.expf, libm.logf):
        fn.restype, fn.argtypes = ctypes.c_float, [ctypes.c_float]
    ex = np.array([libm.expf(float(-v)) for v in xa], f32)
    ey = np.array([libm.expf(float(-v)) for v in ya], f32)
    s = (ex + ey).astype(f32)
    loss = (xa + np.array([libm.logf(float(v)) for v in s], f32)).astype(f32)
    assert c.forward([X, Y], None) == seq(loss)
    a = torch.FloatTensor([0.1, -2.3, 0.7, 1e-3])
    b = torch.FloatTensor([1.1, 0.3, -0.7, 2.0])
    acc = f32(0)
    for v in np.abs(a.numpy() - b.numpy()):
        acc = f32(acc + v)
    assert nn.L1HingeEmbeddingCriterion(1).float().forward([a, b], 1) == float(acc)
    p = nn.L1Penalty(1)
    p.float().forward(a)
    assert p.loss == seq(np.abs(a.numpy()))
