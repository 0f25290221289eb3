"""Export forms added in s10 (WeightedEuclidean, CriterionTable, ModuleCriterion,
DistanceRatioCriterion, SpatialAutoCropMSECriterion, ClassSimplexCriterion): against
torch7py's own forward/backward on random inputs and against numpy formulas."""
import numpy as np
import pytest

from _export_check import compare, to_t7

torch = pytest.importorskip("torch")

from torch7py import nn  # noqa: E402
from torch7py.export import to_pytorch  # noqa: E402


def _weighted_euclidean():
    m = nn.WeightedEuclidean(4, 3)
    m.diagCov.numpy()[...] = np.random.default_rng(2).uniform(0.5, 2.0, (4, 3))
    return m


@pytest.mark.parametrize("shape", [(4,), (5, 4)])
def test_weighted_euclidean_against_torch7py_and_numpy(shape):
    rng = np.random.default_rng(1)
    m = _weighted_euclidean()
    x = rng.standard_normal(shape)
    tm = compare(m, x, rng)
    assert sorted(tm.state_dict()) == ["diagCov", "weight"]
    w, c = m.weight.numpy(), m.diagCov.numpy()
    x2 = x.reshape(-1, 4)
    want = np.sqrt((((x2[:, :, None] - w[None]) * c[None]) ** 2).sum(1))
    got = tm(torch.tensor(x)).detach().numpy().reshape(-1, 3)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def _loss_and_grad(tc, x, t):
    xs = [torch.tensor(v, requires_grad=True) for v in x] if isinstance(x, list) else \
        torch.tensor(x, requires_grad=True)
    tt = None if t is None else (torch.tensor(t) if not np.isscalar(t) else t)
    loss = tc(xs, tt)
    loss.backward()
    grads = [v.grad.numpy() for v in xs] if isinstance(xs, list) else xs.grad.numpy()
    return float(loss.detach()), grads


def test_distance_ratio_criterion():
    rng = np.random.default_rng(3)
    X, Y = rng.uniform(0, 2, 5), rng.uniform(0, 2, 5)
    for size_average in (True, False):
        crit = nn.DistanceRatioCriterion(size_average)
        loss, (gx, gy) = _loss_and_grad(to_pytorch(crit), [X, Y], None)
        want = (X + np.log(np.exp(-X) + np.exp(-Y))).sum() / (5 if size_average else 1)
        assert abs(loss - want) < 1e-12
        assert abs(loss - crit.forward(to_t7([X, Y]), None)) < 1e-12
        gi = crit.backward(to_t7([X, Y]), None)
        np.testing.assert_allclose(gx, gi[0].numpy(), rtol=1e-12)
        np.testing.assert_allclose(gy, gi[1].numpy(), rtol=1e-12)


def test_spatial_auto_crop_mse_criterion():
    rng = np.random.default_rng(4)
    x, t = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((2, 3, 7, 8))
    crit = nn.SpatialAutoCropMSECriterion()
    loss, _ = _loss_and_grad(to_pytorch(crit), x, t)
    crop = t[:, :, 1:5, 1:6]        # rows from 1 + floor(3/2), columns from 1 + floor(3/2)
    assert abs(loss - ((x - crop) ** 2).mean()) < 1e-12
    assert abs(loss - crit.forward(to_t7(x), to_t7(t))) < 1e-12
    # equal sizes: Torch7's backward (its gradOutput is the target) agrees with autograd
    t2 = rng.standard_normal(x.shape)
    loss2, g = _loss_and_grad(to_pytorch(crit), x, t2)
    crit.forward(to_t7(x), to_t7(t2))
    np.testing.assert_allclose(g, crit.backward(to_t7(x), to_t7(t2)).numpy(), rtol=1e-12)


def test_class_simplex_criterion():
    rng = np.random.default_rng(5)
    crit = nn.ClassSimplexCriterion(4)
    x = rng.standard_normal((3, 4))
    t = np.array([2.0, 4.0, 1.0])
    loss, g = _loss_and_grad(to_pytorch(crit), x, t)
    s = crit.simplex.numpy()
    # the vertices are unit vectors with equal pairwise products -1/(n-1)
    np.testing.assert_allclose(s @ s.T, np.where(np.eye(4) > 0, 1.0, -1 / 3), atol=1e-12)
    want = ((x - s[t.astype(int) - 1]) ** 2).mean()
    assert abs(loss - want) < 1e-12
    assert abs(loss - crit.forward(to_t7(x), to_t7(t))) < 1e-12
    np.testing.assert_allclose(g, crit.backward(to_t7(x), to_t7(t)).numpy(), rtol=1e-12)


def test_criterion_table_and_module_criterion():
    rng = np.random.default_rng(6)
    x, t = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    ct = nn.CriterionTable(nn.MSECriterion())
    tm = to_pytorch(ct)
    got = float(tm([torch.tensor(x), torch.tensor(t)]))
    assert abs(got - ((x - t) ** 2).mean()) < 1e-12
    assert abs(got - ct.forward(to_t7([x, t]))) < 1e-12
    lin = nn.Linear(4, 4)
    mc = nn.ModuleCriterion(nn.MSECriterion(), lin, nn.Tanh())
    loss, g = _loss_and_grad(to_pytorch(mc), x, t)
    y = x @ lin.weight.numpy().T + lin.bias.numpy()
    assert abs(loss - ((y - np.tanh(t)) ** 2).mean()) < 1e-12
    assert abs(loss - mc.forward(to_t7(x), to_t7(t))) < 1e-12
    np.testing.assert_allclose(g, mc.backward(to_t7(x), to_t7(t)).numpy(), rtol=1e-12)
