"""Fractional max pooling's fast paths: the window max by numpy's argmax where it agrees with
THNN's scan (no NaN, a maximum above -THInf), and the window starts kept per sample set."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn._fractional import fractional_window_max
from torch7py.tensor import TorchError


def thnn_scan(row):
    """THNN's loop: maxVal = -THInf, maxIndex = -1; a value replaces it when val > maxVal."""
    best, k = -np.finfo(row.dtype).max, -1
    for i, v in enumerate(row):
        if v > best:
            best, k = v, i
    return k, best


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_window_max_is_thnn_scan(dtype):
    rng = np.random.default_rng(1)
    win = rng.integers(-3, 3, size=(200, 7)).astype(dtype)  # ties everywhere
    win[5, 2] = np.nan
    win[6, :] = np.nan
    win[6, 4] = 1
    win[7, 0] = -np.inf
    k, vals = fractional_window_max(win)
    for r in range(win.shape[0]):
        assert (k[r], vals[r]) == thnn_scan(win[r])
    win[9, :] = -np.inf
    with pytest.raises(TorchError, match="maxVal != -THInf"):
        fractional_window_max(win)


def test_volumetric_fractional_pooling_recomputes_starts_for_new_samples():
    torch.manualSeed(3)
    m = nn.VolumetricFractionalMaxPooling(2, 2, 2, 0.5, 0.5, 0.5)
    x = torch.rand(2, 3, 9, 10, 11)
    y1 = m.forward(x).clone()
    rs = m.randomSamples.clone()
    m.randomSamples.uniform()  # new samples, the same sizes: new windows
    m.fixPoolingRegions(True)
    y2 = m.forward(x).clone()
    for samples, y in ((rs, y1), (m.randomSamples.clone(), y2)):
        fresh = nn.VolumetricFractionalMaxPooling(2, 2, 2, 0.5, 0.5, 0.5)
        fresh.fixPoolingRegions(True)
        fresh.randomSamples = samples
        assert np.array_equal(fresh.forward(x).numpy(), y.numpy())
    assert not np.array_equal(y1.numpy(), y2.numpy())
