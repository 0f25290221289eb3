"""Nearest upsampling's backward adds each block's terms in THNN's loop order (zero, then the
offset along the last spatial axis in the outer loop, along the first in the inner one), so
its sums round as Torch7's do; checked against the C loops transcribed element by element."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def c_loops(go, s, nsp):
    """THNN Spatial/VolumetricUpSamplingNearest_updateGradInput, one element at a time."""
    shape = go.shape[:go.ndim - nsp] + tuple(n // s for n in go.shape[go.ndim - nsp:])
    gi = np.zeros(shape)
    for idx in np.ndindex(*shape):
        acc = 0.0
        if nsp == 2:  # for y < dH (width offset), for x < dW (height offset)
            for y in range(s):
                for x in range(s):
                    acc += go[idx[:-2] + (idx[-2] * s + x, idx[-1] * s + y)]
        else:  # z (width) outer, y (height), x (time) inner
            for z in range(s):
                for y in range(s):
                    for x in range(s):
                        acc += go[idx[:-3] + (idx[-3] * s + x, idx[-2] * s + y,
                                              idx[-1] * s + z)]
        gi[idx] = acc
    return gi


@pytest.mark.parametrize("s", [2, 3])
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (2, 2, 3, 2, 3)])
def test_upsampling_nearest_backward_sums_in_thnn_order(s, shape):
    rng = np.random.default_rng(s * 10 + len(shape))
    x = torch.from_numpy(rng.standard_normal(shape))
    m = nn.UpSampling(s)
    y = m.forward(x)
    go = rng.standard_normal(y.numpy().shape) * np.exp(rng.uniform(-20, 20, y.numpy().shape))
    gi = m.updateGradInput(x, torch.from_numpy(go)).numpy()
    np.testing.assert_array_equal(gi, c_loops(go, s, len(shape) - 2))


@pytest.mark.parametrize("s", [2, 3])
@pytest.mark.parametrize("shape", [(3, 4, 5), (2, 3, 2, 3)])
def test_spatial_upsampling_nearest_backward_sums_in_thnn_order(s, shape):
    rng = np.random.default_rng(s + len(shape))
    x = torch.from_numpy(rng.standard_normal(shape))
    m = nn.SpatialUpSamplingNearest(s)
    y = m.forward(x)
    go = rng.standard_normal(y.numpy().shape) * np.exp(rng.uniform(-20, 20, y.numpy().shape))
    gi = m.updateGradInput(x, torch.from_numpy(go)).numpy()
    np.testing.assert_array_equal(gi, c_loops(go, s, 2))
