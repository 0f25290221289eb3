"""THNN's convolutions take nOutputPlane from weight:size(1) (SpatialConvolutionMM.c:
`long nOutputPlane = weight->size[0]`), not from the module's field: a script that swaps in a
weight with another number of output planes gets that many planes. Expected values: a direct
correlation in numpy."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def _corr(x, w, b):
    # x (N, C, H, W), w (O, C, kH, kW): y[n, o, i, j] = b[o] + sum x[n, c, i+u, j+v] w[o, c, u, v]
    N, C, H, W = x.shape
    O, _, kH, kW = w.shape
    y = np.zeros((N, O, H - kH + 1, W - kW + 1))
    for i in range(y.shape[2]):
        for j in range(y.shape[3]):
            y[:, :, i, j] = np.einsum('ncuv,ocuv->no', x[:, :, i:i + kH, j:j + kW], w)
    return y + b[None, :, None, None]


@pytest.mark.parametrize("kind", ["SpatialConvolution", "SpatialConvolutionMM",
                                  "SpatialDilatedConvolution"])
def test_swapped_weight_sets_the_planes(kind):
    mm = kind == "SpatialConvolutionMM"
    rs = np.random.RandomState(5)
    w = rs.standard_normal((5, 2, 3, 3))
    b = rs.standard_normal(5)
    x = rs.standard_normal((2, 2, 6, 6))
    m = getattr(nn, kind)(2, 3, 3, 3)
    m.weight = torch.Tensor(*((5, 18) if mm else (5, 2, 3, 3)))
    m.weight.numpy()[...] = w.reshape(m.weight.numpy().shape)
    m.bias = torch.Tensor(5)
    m.bias.numpy()[...] = b
    m.gradWeight = m.weight.clone().zero()
    m.gradBias = m.bias.clone().zero()
    xi = torch.Tensor(2, 2, 6, 6)
    xi.numpy()[...] = x
    y = m.forward(xi).numpy()
    np.testing.assert_allclose(y, _corr(x, w, b), rtol=1e-12, atol=1e-12)
    go = rs.standard_normal(y.shape)
    g = torch.Tensor(*y.shape)
    g.numpy()[...] = go
    gi = m.backward(xi, g).numpy()
    # gradInput: the full convolution of gradOutput with w; gradWeight: the input's
    # correlation with gradOutput; gradBias: gradOutput's plane sums
    want_gi = np.zeros_like(x)
    for i in range(4):
        for j in range(4):
            want_gi[:, :, i:i + 3, j:j + 3] += np.einsum('no,ocuv->ncuv', go[:, :, i, j], w)
    np.testing.assert_allclose(gi, want_gi, rtol=1e-10, atol=1e-12)
    want_gw = np.zeros_like(w)
    for i in range(4):
        for j in range(4):
            want_gw += np.einsum('no,ncuv->ocuv', go[:, :, i, j], x[:, :, i:i + 3, j:j + 3])
    np.testing.assert_allclose(m.gradWeight.numpy().reshape(w.shape), want_gw, rtol=1e-10,
                               atol=1e-12)
    np.testing.assert_allclose(m.gradBias.numpy(), go.sum(axis=(0, 2, 3)), rtol=1e-12)


@pytest.mark.parametrize("kind", ["VolumetricConvolution", "VolumetricDilatedConvolution"])
def test_volumetric_swapped_weight(kind):
    rs = np.random.RandomState(6)
    w = rs.standard_normal((4, 2, 2, 2, 2))
    b = rs.standard_normal(4)
    x = rs.standard_normal((2, 2, 4, 4, 4))
    m = getattr(nn, kind)(2, 3, 2, 2, 2)
    m.weight = torch.Tensor(*w.shape)
    m.weight.numpy()[...] = w
    m.bias = torch.Tensor(4)
    m.bias.numpy()[...] = b
    xi = torch.Tensor(*x.shape)
    xi.numpy()[...] = x
    y = m.forward(xi).numpy()
    want = np.zeros((2, 4, 3, 3, 3))
    for i, j, k in np.ndindex(3, 3, 3):
        want[:, :, i, j, k] = np.einsum('ncstu,ocstu->no',
                                        x[:, :, i:i + 2, j:j + 2, k:k + 2], w)
    np.testing.assert_allclose(y, want + b[None, :, None, None, None], rtol=1e-12, atol=1e-12)


def test_full_convolution_swapped_weight():
    # SpatialFullDilatedConvolution.c: nInputPlane = weight->size[0], nOutputPlane = size[1];
    # y[n, o, i+u, j+v] += x[n, c, i, j] w[c, o, u, v], plus the bias
    rs = np.random.RandomState(7)
    w = rs.standard_normal((2, 5, 3, 3))
    b = rs.standard_normal(5)
    x = rs.standard_normal((2, 2, 4, 4))
    m = nn.SpatialFullConvolution(2, 3, 3, 3)
    m.weight = torch.Tensor(*w.shape)
    m.weight.numpy()[...] = w
    m.bias = torch.Tensor(5)
    m.bias.numpy()[...] = b
    m.gradWeight = m.weight.clone().zero()
    m.gradBias = m.bias.clone().zero()
    xi = torch.Tensor(*x.shape)
    xi.numpy()[...] = x
    y = m.forward(xi).numpy()
    want = np.zeros((2, 5, 6, 6))
    for i in range(4):
        for j in range(4):
            want[:, :, i:i + 3, j:j + 3] += np.einsum('nc,couv->nouv', x[:, :, i, j], w)
    np.testing.assert_allclose(y, want + b[None, :, None, None], rtol=1e-12, atol=1e-12)
    g = torch.Tensor(*y.shape).fill(1)
    m.backward(xi, g)
    assert tuple(m.gradWeight.size()) == (2, 5, 3, 3)
    np.testing.assert_allclose(m.gradBias.numpy(), np.full(5, 2 * 36.0))
