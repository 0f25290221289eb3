"""Found by tools/diff_nn.py: modules written in Lua compute with Torch7's tensor operations in
their Lua order (Cosine, TanhShrink, MV); the expectations follow the Lua code with numpy."""
import math

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def test_cosine_batch_acc_grad_parameters_ignores_the_scale():
    # Cosine.lua's 2-D branch adds its gradient with no scale
    torch.manualSeed(2)
    m = nn.Cosine(5, 3)
    x, g = torch.randn(4, 5), torch.randn(4, 3)
    m.forward(x)
    m.zeroGradParameters()
    m.accGradParameters(x, g, 0.5)
    w, xa, ga = m.weight.numpy(), x.numpy(), g.numpy()
    wn = np.sqrt((w * w).sum(1)) + 1e-12
    xn = np.sqrt((xa * xa).sum(1)) + 1e-12
    y = (xa @ w.T) / wn / xn[:, None]
    want = (ga.T @ (xa / xn[:, None]) - (ga * y).sum(0)[:, None] * w / wn[:, None]) \
        / wn[:, None]
    np.testing.assert_allclose(m.gradWeight.numpy(), want, rtol=1e-12, atol=1e-14)
    # one sample: the scale counts
    m.zeroGradParameters()
    m.forward(x[1])
    m.updateGradInput(x[1], g[1])
    m.accGradParameters(x[1], g[1], 0.5)
    n1 = np.sqrt((xa[0] * xa[0]).sum()) + 1e-12
    y1 = (w @ xa[0]) / wn / n1
    want1 = 0.5 * np.outer(ga[0] / wn, xa[0]) / n1 - (ga[0] / wn / wn * y1)[:, None] * w
    np.testing.assert_allclose(m.gradWeight.numpy(), want1, rtol=1e-12, atol=1e-14)


def test_cosine_clear_state_and_type_drop_buffers():
    m = nn.Cosine(4, 2)
    x = torch.randn(3, 4)
    m.forward(x)
    m.backward(x, torch.randn(3, 2))
    assert m._weightNorm.nElement() == 2
    m.clearState()
    assert m._weightNorm.nElement() == 0 and m.output.nElement() == 0
    m.float()
    assert m.__dict__['_weightNorm'] is None  # set to nil: Lua's key stays, pairs skips it
    assert m.forward(x.float()).type() == 'torch.FloatTensor'


def test_tanh_shrink_gradient_is_go_minus_tanh_gradient():
    # TanhShrink.lua: gradInput = go - go * (1 - tanh(x)^2), through an inner nn.Tanh
    m = nn.TanhShrink()
    assert isinstance(m.tanh, nn.Tanh)
    x = torch.Tensor([0.3, -1.2, 2.5, 0.0])
    g = torch.Tensor([1.0, 0.5, -2.0, 3.0])
    t = np.array([math.tanh(v) for v in x.numpy()])  # libm's tanh (as math's), not numpy's
    np.testing.assert_array_equal(m.forward(x).numpy(), x.numpy() - t)
    want = g.numpy() - g.numpy() * (1 - t * t)
    np.testing.assert_array_equal(m.backward(x, g).numpy(), want)


def test_mv_non_batch_grad_vector_is_a_new_tensor_and_asserts_are_torch7s():
    m = nn.MV()
    M, v = torch.randn(2, 3), torch.randn(3)
    m.forward([M, v])
    g = torch.randn(2)
    gi = m.backward([M, v], g)
    first = gi[1]
    np.testing.assert_allclose(first.numpy(), M.numpy().T @ g.numpy(), rtol=1e-14)
    np.testing.assert_array_equal(gi[0].numpy(), np.outer(g.numpy(), v.numpy()))
    gi2 = m.backward([M, v], g)
    assert gi2[1] is not first
    with pytest.raises(AssertionError, match='input matrix must be 2D or 3D'):
        m.forward([torch.randn(3), v])
    with pytest.raises(AssertionError, match='matrix row count and vector length do not match'):
        m.forward([M, torch.randn(2)])


def test_bilinear_slices_and_unscaled_weight_gradient():
    torch.manualSeed(4)
    m = nn.Bilinear(3, 2, 4)
    x1, x2, g = torch.randn(5, 3), torch.randn(5, 2), torch.randn(5, 4)
    a, b, w = x1.numpy(), x2.numpy(), m.weight.numpy()
    y = m.forward([x1, x2])
    np.testing.assert_allclose(y.numpy(), np.einsum('bi,kij,bj->bk', a, w, b)
                               + m.bias.numpy(), rtol=1e-12)
    gi = m.backward([x1, x2], g)
    np.testing.assert_allclose(gi[0].numpy(), np.einsum('bk,kij,bj->bi', g.numpy(), w, b),
                               rtol=1e-12)
    m.zeroGradParameters()
    m.accGradParameters([x1, x2], g, 0.25)
    # Bilinear.lua: gradWeight[k]:addmm(buff1:t(), input[2]) takes no scale; the bias does
    np.testing.assert_allclose(m.gradWeight.numpy(), np.einsum('bk,bi,bj->kij', g.numpy(), a, b),
                               rtol=1e-12)
    np.testing.assert_allclose(m.gradBias.numpy(), 0.25 * g.numpy().sum(0), rtol=1e-12)


def test_euclidean_values_and_buffers():
    torch.manualSeed(6)
    m = nn.Euclidean(4, 3)
    x, g = torch.randn(2, 4), torch.randn(2, 3)
    w = m.weight.numpy()
    d = x.numpy()[:, :, None] - w[None]            # batch x in x out
    y = np.sqrt((d * d).sum(1))
    np.testing.assert_allclose(m.forward(x).numpy(), y, rtol=1e-12)
    gi = m.backward(x, g)
    np.testing.assert_allclose(gi.numpy(), (d * (g.numpy() / (y + 1e-7))[:, None, :]).sum(2),
                               rtol=1e-10)
    assert m._repeat.size().totable() == [2, 4, 3]
    m.float()
    assert '_repeat' not in m.__dict__ or m._repeat.nElement() == 0


def test_weighted_euclidean_single_sample_diag_gradient_ignores_the_scale():
    torch.manualSeed(7)
    m = nn.WeightedEuclidean(3, 2)
    m.diagCov.copy(torch.rand(3, 2).add(0.5))
    x, g = torch.randn(3), torch.randn(2)
    w, c = m.weight.numpy(), m.diagCov.numpy()
    d = c * (x.numpy()[:, None] - w)
    y = np.sqrt((d * d).sum(0))
    np.testing.assert_allclose(m.forward(x).numpy(), y, rtol=1e-12)
    m.zeroGradParameters()
    m.backward(x, g, 0.5)
    div = g.numpy() / (y + 1e-7)
    # WeightedEuclidean.lua: gradDiagCov:add(_repeat2), no scale, for a single sample
    np.testing.assert_allclose(m.gradDiagCov.numpy(), d * d / c * div, rtol=1e-10)
    np.testing.assert_allclose(m.gradWeight.numpy(), -0.5 * d * c * div, rtol=1e-10)


def test_normalize_output_views_its_buffer_and_float_norm_sums_rows_in_double():
    m = nn.Normalize(1).float()
    x = torch.FloatTensor([[0.1, -0.7, 0.3, 1.9, -0.01], [2.5, 0.125, -3.0, 0.3, 0.7]])
    y = m.forward(x)
    assert y.storage() is m._output.storage()
    xa = x.numpy()
    for i in range(2):
        acc = 0.0
        for v in np.abs(xa[i]):
            acc += float(v)             # THTensor sum along a row: accreal (double)
        normp = np.float32(np.float32(acc) + np.float32(1e-10))
        norm = np.float32(np.power(normp, np.float32(1.0)))
        np.testing.assert_array_equal(y.numpy()[i], xa[i] / norm)


def test_cosine_distance_buffers_and_values():
    m = nn.CosineDistance()
    a, b = torch.randn(3, 4), torch.randn(3, 4)
    aa, bb = a.numpy(), b.numpy()
    na = 1 / ((aa * aa).sum(1) + 1e-12)
    nb = 1 / ((bb * bb).sum(1) + 1e-12)
    y = m.forward([a, b])
    np.testing.assert_allclose(y.numpy(), (aa * bb).sum(1) * np.sqrt(na * nb), rtol=1e-12)
    assert m.w22.size().totable() == [3, 1] and m.ones.nElement() == 3
    g = torch.randn(3)
    gi = m.backward([a, b], g)
    w1 = (aa * bb).sum(1)
    want = (bb - (w1 * na)[:, None] * aa) * np.sqrt(na * nb)[:, None] * g.numpy()[:, None]
    np.testing.assert_allclose(gi[0].numpy(), want, rtol=1e-10)
    m.clearState()
    assert m.buffer.nElement() == 0 and m.output.nElement() == 0


def test_cadd_batch_bias_gradient_accumulates_one_term_after_the_other():
    # CAdd.lua: _gradBias (gradBias expanded over the batch):add(scale, gradOutput); TH adds
    # row after row into the same elements, each add rounded in the tensor's type
    m = nn.CAdd(1, 3).float()
    m.gradBias.copy(torch.FloatTensor([[0.1, -2.5, 1e-3]]))
    g = torch.FloatTensor([[0.3, 1.7, -0.2], [1e-4, 3.3, 0.9], [-0.6, 0.05, 2.2]])
    x = torch.FloatTensor(3, 3).zero()
    m.forward(x)
    m.accGradParameters(x, g, 0.3)
    f = np.float32
    want = []
    for j in range(3):
        acc = [f(0.1), f(-2.5), f(1e-3)][j]
        for i in range(3):
            acc = f(acc + f(f(0.3) * g.numpy()[i, j]))
        want.append(acc)
    np.testing.assert_array_equal(m.gradBias.numpy()[0], np.array(want, dtype=f))
    # a bias of the input's size: one axpy
    m2 = nn.CAdd(3)
    m2.zeroGradParameters()
    x1, g1 = torch.randn(3), torch.Tensor([1.0, 2.0, 3.0])
    m2.forward(x1)
    m2.accGradParameters(x1, g1, 0.5)
    np.testing.assert_array_equal(m2.gradBias.numpy(), [0.5, 1.0, 1.5])


def test_normalize_gradient_views_its_buffer_and_clear_state():
    m = nn.Normalize(2)
    x, g = torch.randn(3, 4), torch.randn(3, 4)
    m.forward(x)
    gi = m.backward(x, g)
    assert gi.storage() is m._gradInput.storage()
    xa, ga = x.numpy(), g.numpy()
    normp = (xa * xa).sum(1, keepdims=True) + 1e-10
    norm = np.sqrt(normp)
    want = (normp * ga - xa * (xa * ga).sum(1, keepdims=True)) / (normp * norm)
    np.testing.assert_allclose(gi.numpy(), want, rtol=1e-12)
    m.clearState()
    assert m.norm.nElement() == 0 and m.cross.nElement() == 0
