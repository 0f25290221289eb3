"""Tests of the full-nn criterions (issue 7): the crit_* parity goldens ported by hand, finite
differences in float64, and Torch7's errors."""

import numpy as np
import pytest

import torch7py as torch
import torch7py.nn as nn
from golden import assert_case as check_case
from nncase import T, central_diff, crun, det, floats, leaves, rclone


def test_crit_embedding():
    r = {}
    x = T([0.3, 1.7, 0.2, 2.5, 0.9, 0])
    y = T([1, -1, -1, 1, -1, -1])
    r['hinge'] = crun(nn.HingeEmbeddingCriterion(), x, y)
    r['hinge_margin'] = crun(nn.HingeEmbeddingCriterion(2), x, y)
    c = nn.HingeEmbeddingCriterion(1)
    c.sizeAverage = False
    r['hinge_nosizeavg'] = crun(c, x, y)
    r['hinge_number_target'] = crun(nn.HingeEmbeddingCriterion(1.5), T([0.7]), -1)
    a = det(1, 0.47, 0.2, 4, 3)
    b = det(1, 0.31, 1.4, 4, 3)
    y = T([1, -1, -1, 1])
    r['cosemb'] = crun(nn.CosineEmbeddingCriterion(), [a, b], y)
    r['cosemb_margin'] = crun(nn.CosineEmbeddingCriterion(-0.3), [a, b], y)
    r['cosemb_1d'] = crun(nn.CosineEmbeddingCriterion(0.1), [a[1], b[1]], T([-1]))
    c = nn.CosineEmbeddingCriterion(0.2)
    c.sizeAverage = False
    r['cosemb_nosizeavg'] = crun(c, [a, b], y)
    r['rank_single'] = crun(nn.MarginRankingCriterion(0.5), [T([0.3]), T([0.6])], 1)
    r['rank_single_neg'] = crun(nn.MarginRankingCriterion(0.5), [T([0.3]), T([0.6])], -1)
    x1 = det(1, 0.47, 0.2, 5)
    x2 = det(1, 0.31, 1.4, 5)
    y = T([1, -1, 1, -1, 1])
    r['rank_batch'] = crun(nn.MarginRankingCriterion(0.1), [x1, x2], y)
    c = nn.MarginRankingCriterion(1)
    c.sizeAverage = False
    r['rank_batch_nosizeavg'] = crun(c, [x1, x2], y)
    a = det(1, 0.47, 0.2, 4)
    b = det(1, 0.31, 1.4, 4)
    r['l1hinge_pos'] = crun(nn.L1HingeEmbeddingCriterion(), [a, b], 1)
    r['l1hinge_neg'] = crun(nn.L1HingeEmbeddingCriterion(4), [a, b], -1)
    r['l1hinge_neg_inactive'] = crun(nn.L1HingeEmbeddingCriterion(0.5), [a, b], -1)
    x1 = det(1, 0.47, 0.2, 2, 3)
    t1 = det(1, 0.31, 1.4, 2, 3)
    logp = nn.LogSoftMax().forward(det(2, 0.61, 0.7, 2, 3)).clone()
    pc = nn.ParallelCriterion().add(nn.MSECriterion(), 0.5).add(nn.ClassNLLCriterion())
    r['parallel'] = crun(pc, [x1, logp], [t1, torch.LongTensor([3, 1])])
    pr = nn.ParallelCriterion(True).add(nn.MSECriterion()).add(nn.AbsCriterion(), 2)
    r['parallel_repeat'] = crun(pr, [x1, logp], t1)
    nested = nn.ParallelCriterion().add(pc, 3).add(nn.SmoothL1Criterion(), 0.1)
    r['parallel_nested'] = crun(nested, [[x1, logp], x1], [[t1, torch.LongTensor([2, 2])], t1])
    x = det(1, 0.47, 0.2, 2, 3)
    t = det(1, 0.31, 1.4, 2, 3)
    mc = nn.MultiCriterion().add(nn.MSECriterion(), 0.3).add(nn.AbsCriterion()) \
        .add(nn.SmoothL1Criterion(), 2)
    r['multi'] = crun(mc, x, t)
    lp = nn.LogSoftMax().forward(x).clone()
    mc2 = nn.MultiCriterion().add(nn.ClassNLLCriterion()).add(nn.MultiMarginCriterion(), 0.5)
    r['multi_classes'] = crun(mc2, lp, torch.LongTensor([2, 3]))
    r['multi_weights'] = mc.weights
    r['multi_weights_type'] = torch.type(mc.weights)
    r['parallel_weights_type'] = 'table' if isinstance(
        nn.ParallelCriterion().add(nn.MSECriterion(), 2).weights, list) else 'other'
    check_case('crit_embedding', r)


def test_crit_classification():
    r = {}
    logits = det(2, 0.47, 0.2, 4, 3)
    tgt = torch.LongTensor([3, 1, 2, 3])
    w = T([0.2, 1.0, 2.5])
    r['mm_1d'] = crun(nn.MultiMarginCriterion(), logits[1], 2)
    r['mm_2d'] = crun(nn.MultiMarginCriterion(), logits, tgt)
    r['mm_p2'] = crun(nn.MultiMarginCriterion(2), logits, tgt)
    r['mm_margin'] = crun(nn.MultiMarginCriterion(1, None, 3), logits, tgt)
    r['mm_weights'] = crun(nn.MultiMarginCriterion(1, w), logits, tgt)
    c = nn.MultiMarginCriterion()
    c.sizeAverage = False
    r['mm_nosizeavg'] = crun(c, logits, tgt)
    x = det(1, 0.61, 0.4, 4)
    r['mlm_1d'] = crun(nn.MultiLabelMarginCriterion(), x, torch.LongTensor([3, 1, 0, 2]))
    xb = det(1, 0.37, 0.9, 3, 4)
    yb = torch.LongTensor([[2, 0, 0, 0], [4, 3, 1, 0], [1, 2, 3, 4]])
    r['mlm_2d'] = crun(nn.MultiLabelMarginCriterion(), xb, yb)
    c = nn.MultiLabelMarginCriterion()
    c.sizeAverage = False
    r['mlm_nosizeavg'] = crun(c, xb, yb)
    r['mlm_empty_target'] = crun(nn.MultiLabelMarginCriterion(), x,
                                 torch.LongTensor([0, 1, 2, 3]))
    xb = det(2, 0.37, 0.9, 3, 4)
    yb = T([[1, 0, 0, 1], [0, 1, 1, 1], [0, 0, 0, 1]])
    r['mlsm'] = crun(nn.MultiLabelSoftMarginCriterion(), xb, yb)
    r['mlsm_1d'] = crun(nn.MultiLabelSoftMarginCriterion(), xb[2], yb[2])
    r['mlsm_weights'] = crun(nn.MultiLabelSoftMarginCriterion(T([1, 2, 0.5, 0.1])), xb, yb)
    sl = nn.SpatialLogSoftMax()
    lp = sl.forward(det(2, 0.41, 0.3, 2, 3, 2, 3)).clone()
    st = torch.LongTensor([[[1, 2, 3], [3, 3, 1]], [[2, 2, 1], [1, 3, 2]]])
    r['snll'] = crun(nn.SpatialClassNLLCriterion(), lp, st)
    r['snll_weights'] = crun(nn.SpatialClassNLLCriterion(w), lp, st)
    r['snll_nosizeavg'] = crun(nn.SpatialClassNLLCriterion(None, False), lp, st)
    r['snll_logprobs'] = lp
    check_case('crit_classification', r)


def test_crit_regression():
    r = {}
    x1 = det(1.5, 0.47, 0.2, 6)
    x2 = det(1.5, 0.29, 0.7, 3, 4)
    y = T([1, -1, 1, -1, 1, -1])
    yb = T([[1, -1, 1, -1], [-1, -1, 1, 1], [1, 1, 1, -1]])
    r['softmargin'] = crun(nn.SoftMarginCriterion(), x1, y)
    r['softmargin_2d'] = crun(nn.SoftMarginCriterion(), x2, yb)
    s = nn.SoftMarginCriterion()
    s.sizeAverage = False
    r['softmargin_nosizeavg'] = crun(s, x2, yb)
    check_case('crit_regression', r)


# ---- finite differences of every new criterion, float64 ------------------------------------------

def crit_fd(c, x, t, eps=1e-6, tol=1e-6):
    c.forward(x, t)
    g = rclone(c.backward(x, t))
    for leaf, gl in zip(leaves(x), leaves(g)):
        num = central_diff(leaf.numpy(), lambda: c.forward(x, t), eps)
        np.testing.assert_allclose(gl.numpy().reshape(-1), num.reshape(-1), rtol=tol, atol=tol,
                                   err_msg=str(c))


def R(*sizes, lo=-1.0, hi=1.0, seed=3):
    t = torch.Tensor(*sizes)
    t.numpy()[...] = np.random.RandomState(seed + sum(sizes)).uniform(lo, hi, size=sizes)
    return t


CRIT_CASES = {
    'MultiMargin': lambda: (nn.MultiMarginCriterion(), R(4, 3), torch.LongTensor([3, 1, 2, 3])),
    'MultiMarginP2W': lambda: (nn.MultiMarginCriterion(2, T([0.2, 1, 2.5]), 0.7), R(4, 3),
                               torch.LongTensor([3, 1, 2, 3])),
    'MultiMargin1d': lambda: (nn.MultiMarginCriterion(), R(5), 2),
    'MultiLabelMargin': lambda: (nn.MultiLabelMarginCriterion(), R(3, 4),
                                 torch.LongTensor([[2, 0, 0, 0], [4, 3, 1, 0], [1, 2, 3, 4]])),
    'MultiLabelSoftMargin': lambda: (nn.MultiLabelSoftMarginCriterion(T([1, 2, 0.5, 0.1])),
                                     R(3, 4), T([[1, 0, 0, 1], [0, 1, 1, 1], [0, 0, 0, 1]])),
    'MarginRanking': lambda: (nn.MarginRankingCriterion(0.3), [R(5), R(5, seed=8)],
                              T([1, -1, 1, -1, 1])),
    'HingeEmbedding': lambda: (nn.HingeEmbeddingCriterion(0.5), R(6, lo=0, hi=1.2),
                               T([1, -1, -1, 1, -1, -1])),
    'L1HingeEmbedding': lambda: (nn.L1HingeEmbeddingCriterion(5), [R(4), R(4, seed=8)], -1),
    'CosineEmbedding': lambda: (nn.CosineEmbeddingCriterion(-0.5), [R(4, 3), R(4, 3, seed=8)],
                                T([1, -1, -1, 1])),
    'SoftMargin': lambda: (nn.SoftMarginCriterion(), R(3, 4), T([[1, -1, 1, -1]] * 3)),
    'SpatialClassNLL': lambda: (nn.SpatialClassNLLCriterion(T([0.2, 1, 2.5])), R(2, 3, 2, 2),
                                torch.LongTensor([[[1, 2], [3, 3]], [[2, 2], [1, 3]]])),
    'L1Cost': lambda: (nn.L1Cost(), R(3, 4), None),
    'WeightedMSE': lambda: (nn.WeightedMSECriterion(R(4, seed=9)), R(3, 4), R(3, 4, seed=5)),
    'ClassSimplex': lambda: (nn.ClassSimplexCriterion(4), R(3, 4), torch.LongTensor([1, 4, 2])),
    'DistanceRatio': lambda: (nn.DistanceRatioCriterion(), [R(5), R(5, seed=8)], None),
    'SpatialAutoCropMSE': lambda: (nn.SpatialAutoCropMSECriterion(), R(2, 3, 3),
                                   R(2, 3, 3, seed=5)),
    'Parallel': lambda: (nn.ParallelCriterion().add(nn.MSECriterion(), 0.5)
                         .add(nn.SoftMarginCriterion(), 2), [R(3), R(4)],
                         [R(3, seed=5), T([1, -1, 1, 1])]),
    'Multi': lambda: (nn.MultiCriterion().add(nn.MSECriterion(), 0.3)
                      .add(nn.SoftMarginCriterion(), 2), R(4), T([1, -1, 1, 1])),
    'Module': lambda: (nn.ModuleCriterion(nn.MSECriterion(), nn.Tanh(), nn.Sigmoid()), R(3, 4),
                       R(3, 4, seed=5)),
}


@pytest.mark.parametrize('name', sorted(CRIT_CASES))
def test_criterion_gradients(name):
    c, x, t = CRIT_CASES[name]()
    crit_fd(c, x, t)


def test_distance_ratio_value():
    x, y = R(5), R(5, seed=8)
    c = nn.DistanceRatioCriterion()
    want = np.mean(x.numpy() + np.log(np.exp(-x.numpy()) + np.exp(-y.numpy())))
    assert abs(c.forward([x, y], None) - want) < 1e-12


def test_class_simplex_vertices():
    c = nn.ClassSimplexCriterion(5)
    s = c.simplex.numpy()
    np.testing.assert_allclose(np.linalg.norm(s, axis=1), 1)
    g = s @ s.T
    off = g[~np.eye(5, dtype=bool)]
    np.testing.assert_allclose(off, -1 / 4)
    assert list(c.getTopPrediction(c.simplex.clone()).numpy()) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize('name', sorted(CRIT_CASES))
def test_criterionfloats(name):
    c, x, t = CRIT_CASES[name]()
    loss = c.forward(x, t)
    g = rclone(c.backward(x, t))
    f = c.clone().float()
    lf = f.forward(floats(x), floats(t))
    gf = f.backward(floats(x), floats(t))
    assert abs(lf - loss) <= 1e-4 * max(1, abs(loss))
    for a, b in zip(leaves(gf), leaves(g)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-3, atol=1e-5)


@pytest.mark.parametrize('name', sorted(CRIT_CASES))
def test_criterion_clone_save_load(name, tmp_path):
    c, x, t = CRIT_CASES[name]()
    loss = c.forward(x, t)
    path = str(tmp_path / 'c.t7')
    torch.save(path, c)
    d = torch.load(path)
    assert type(d) is type(c)
    assert d.forward(x, t) == loss
    assert c.clone().forward(x, t) == loss
