"""nn 8726825's SpatialSoftMax is THNN's SoftMax under another name (1D to 4D input), and
DistKLDivCriterion asserts equal sizes in Lua before its THNN call (DistKLDivCriterion.lua)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.tensor import TorchError


def _softmax(a, axis):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("shape,axis", [((5,), 0), ((3, 5), 1), ((4, 2, 3), 0),
                                        ((2, 4, 2, 3), 1)])
def test_spatial_softmax_takes_1d_to_4d_as_thnn_softmax(shape, axis):
    x = np.random.RandomState(7).randn(*shape)
    out = nn.SpatialSoftMax().forward(torch.from_numpy(x.copy())).numpy()
    np.testing.assert_allclose(out, _softmax(x, axis), rtol=1e-12)


def test_spatial_softmax_refuses_5d_with_thnn_text():
    with pytest.raises(TorchError, match="1D, 2D, 3D or 4D tensor expected"):
        nn.SpatialSoftMax().forward(torch.randn(2, 2, 2, 2, 2))


@pytest.mark.parametrize("method", ["forward", "backward"])
@pytest.mark.parametrize("a,b", [((2, 3), (3, 2)), ((6,), (3, 2))])
def test_distkldiv_asserts_same_size_in_lua(method, a, b):
    # same element count, other shape: THNN alone would run; the Lua assert refuses first
    c = nn.DistKLDivCriterion()
    with pytest.raises(TorchError) as e:
        getattr(c, method)(torch.rand(*a), torch.rand(*b))
    assert str(e.value) == "input and target should have the same size"


def test_distkldiv_same_size_still_computes():
    x, t = np.array([0.1, 0.2]), np.array([0.5, 0.5])
    c = nn.DistKLDivCriterion()
    got = c.forward(torch.from_numpy(x.copy()), torch.from_numpy(t.copy()))
    assert got == pytest.approx(np.mean(t * (np.log(t) - x)), rel=1e-14)
