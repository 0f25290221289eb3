"""Found by tools/diff_nn.py: modules written in Lua compute with Torch7's tensor operations in
their Lua order (Cosine, TanhShrink, MV); the expectations follow the Lua code with numpy."""
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
    assert '_weightNorm' not in m.__dict__
    assert m.forward(x.float()).type() == 'torch.FloatTensor'


def test_tanh_shrink_gradient_is_go_minus_tanh_gradient():
    # TanhShrink.lua: gradInput = go - go * (1 - tanh(x)^2), through an inner nn.Tanh
    m = nn.TanhShrink()
    assert isinstance(m.tanh, nn.Tanh)
    x = torch.Tensor([0.3, -1.2, 2.5, 0.0])
    g = torch.Tensor([1.0, 0.5, -2.0, 3.0])
    t = np.tanh(x.numpy())
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
