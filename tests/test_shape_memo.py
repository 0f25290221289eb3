"""The shape checks that nn's volumetric modules keep by geometry (torch7py/nn/_shape_memo.py):
a change of anything a check reads (the module's numbers, a size, the bias) checks again, and a
failing check fails every time. Expected sizes from THNN's formulas, written out here."""
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.tensor import TorchError


def _conv_out(s, k, d, p, dil=1):
    return (s + 2 * p - (dil * (k - 1) + 1)) // d + 1


def test_convolution_rechecks_what_changed():
    m = nn.VolumetricConvolution(2, 3, 3, 3, 3)
    x = torch.randn(2, 5, 6, 7)
    assert tuple(m.forward(x).size()) == (3, 3, 4, 5)
    m.padT = 1  # the module's numbers are part of the check
    assert tuple(m.forward(x).size()) == (3, _conv_out(5, 3, 1, 1), 4, 5)
    bad = torch.randn(4, 5, 6, 7)  # planes the weight does not take
    for _ in range(2):
        with pytest.raises(TorchError):
            m.forward(bad)
    assert tuple(m.forward(torch.randn(2, 4, 4, 4)).size()) == (3, _conv_out(4, 3, 1, 1), 2, 2)


def test_dilated_convolution_keys_on_its_dilation():
    m = nn.VolumetricDilatedConvolution(1, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0, 1, 1, 1)
    x = torch.randn(1, 7, 7, 7)
    assert tuple(m.forward(x).size()) == (2, 6, 6, 6)
    m.dilationT = 3
    assert tuple(m.forward(x).size()) == (2, _conv_out(7, 2, 1, 0, 3), 6, 6)


def test_max_pooling_checks_each_grad_output():
    m = nn.VolumetricMaxPooling(2, 2, 2)
    x = torch.randn(2, 4, 6, 6)
    y = m.forward(x)
    assert tuple(y.size()) == (2, 2, 3, 3)
    assert tuple(m.backward(x, y.clone().fill(1)).size()) == (2, 4, 6, 6)
    for _ in range(2):
        with pytest.raises(TorchError):
            m.backward(x, torch.ones(2, 2, 3, 4))
    m.ceil_mode = True  # 5 / 2 rounds up now
    assert tuple(m.forward(torch.randn(1, 5, 5, 5)).size()) == (1, 3, 3, 3)


def test_full_convolution_rechecks_a_removed_bias():
    m = nn.VolumetricFullConvolution(2, 3, 2, 2, 2)
    x = torch.randn(2, 3, 3, 3)
    assert tuple(m.forward(x).size()) == (3, 4, 4, 4)
    w = m.weight.clone()
    m.noBias()
    got = m.forward(x)
    m2 = nn.VolumetricFullConvolution(2, 3, 2, 2, 2)
    m2.weight.copy(w)
    m2.bias.zero()
    assert got.clone().add(-1, m2.forward(x)).abs().max() == 0
    m.bias = torch.randn(5)  # a bias of the wrong size fails its check
    with pytest.raises(TorchError):
        m.forward(x)
