"""Max poolings as their THNN C files compute them (nn 8726825): the scan (`val > maxval` from
the file's start value: NaN never wins, the first maximum does), the windows, and the index
encoding a user reads from module.indices. Expectations are worked out by hand from the C."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn

NAN = float("nan")
FLT_MAX = float(np.finfo(np.float32).max)


def test_adaptive_max_skips_nan_and_indexes_within_window():
    # 3x3 -> 2x2: windows rows/cols 0..1 and 1..2; indices[1] = row, indices[2] = column in
    # the window, 1-based (SpatialAdaptiveMaxPooling.c: indy/indx planes)
    m = nn.SpatialAdaptiveMaxPooling(2, 2)
    x = torch.Tensor([[[1, NAN, 2], [3, 4, NAN], [-1e300, 0, 5]]])
    y = m.forward(x)
    assert y.numpy().tolist() == [[[4, 4], [4, 5]]]
    assert m.indices.size().tolist() == [2, 1, 2, 2]
    assert m.indices.numpy().tolist() == [[[[2, 2], [1, 2]]], [[[2, 1], [2, 2]]]]


def test_adaptive_max_starts_from_minus_flt_max_for_doubles():
    # maxval = -FLT_MAX: values at or below it never win; maxindex -1 stores -1/kW + 1 and
    # -1%kW + 1 (C division) = 0 and 1 for 1-wide windows
    m = nn.SpatialAdaptiveMaxPooling(2, 2)
    x = torch.Tensor(1, 2, 2).fill(-1e300)
    y = m.forward(x)
    assert y.numpy().tolist() == [[[-FLT_MAX] * 2] * 2]
    assert m.indices.numpy().tolist() == [[[[0, 0], [0, 0]]], [[[1, 1], [1, 1]]]]


def test_adaptive_max_window_bounds_in_float():
    # (int)ceil((float)(0 + 1) / 7 * 21) is 4 in float (1/7 rounds up), not 3
    m = nn.SpatialAdaptiveMaxPooling(7, 1)
    x = torch.zeros(1, 1, 21)
    x[1][1][4] = 1  # 1-based: column 4, 0-based 3
    y = m.forward(x)
    assert y[1][1][1] == 1
    assert m.indices[2][1][1][1] == 4
    # window 2 starts at floor((float)1 / 7 * 21) = 3 too: its first maximum is the same 1
    assert y[1][1][2] == 1 and m.indices[2][1][1][2] == 1
    g = m.backward(x, torch.ones(1, 1, 7))
    assert g[1][1][4] == 2 and g.sum() == 7


def test_volumetric_indices_are_kernel_offset_bytes():
    # VolumetricDilatedMaxPooling.c stores (z, y, x) offsets in bytes 0..2 of the long
    m = nn.VolumetricMaxPooling(2, 2, 2)
    x = torch.Tensor(1, 2, 2, 2).fill(0)
    x[1][2][1][2] = 5  # z = 1, y = 0, x = 1 (0-based)
    x[1][1][1][1] = NAN  # never wins
    y = m.forward(x)
    assert y.numpy().ravel().tolist() == [5]
    assert m.indices.numpy().ravel().tolist() == [1 + 0 * 256 + 1 * 65536]
    g = m.backward(x, torch.ones(1, 1, 1, 1))
    assert g[1][2][1][2] == 1 and g.sum() == 1
    u = nn.VolumetricMaxUnpooling(m)
    out = u.forward(y)
    assert out[1][2][1][2] == 5 and out.numpy()[0, 1, 0, 1] == 5
    assert np.nansum(out.numpy()) == 5


def test_volumetric_dilated_window_with_padding_and_dilation():
    # k 5, pad 2, dilation 2 along W on 7 columns: THNN's first window starts at -2, its
    # kernel shrinks to min(5, 5 - 2) = 3 and the start moves to 0: taps 0, 2, 4 (the tap at
    # 6 is never read), stored offsets z + 2; the gradient goes to offset * 2 + o - 2
    m = nn.VolumetricDilatedMaxPooling(1, 5, 1, 1, 1, 1, 0, 2, 0, 1, 2, 1)
    x = torch.Tensor([1, 2, 3, 4, 5, 6, 9]).view(1, 1, 1, 7)
    y = m.forward(x)
    assert y.numpy().ravel().tolist() == [5, 6, 9]
    assert m.indices.numpy().ravel().tolist() == [4 << 16, 3 << 16, 3 << 16]
    g = m.backward(x, torch.ones(1, 1, 1, 3))
    assert g.numpy().ravel().tolist() == [0, 0, 0, 0, 0, 1, 2]


def test_volumetric_ceil_without_padding_keeps_an_empty_window():
    # no padding: THNN does not drop a last window that starts outside the input
    # (ceil((4 - 1) / 2) + 1 = 3 windows); it reads nothing: -DBL_MAX, offsets -1 (255)
    m = nn.VolumetricMaxPooling(1, 1, 1, 1, 2, 1).ceil()
    x = torch.Tensor([1, 2, 3, 4]).view(1, 1, 1, 4)
    y = m.forward(x)
    dmax = float(np.finfo(np.float64).max)
    assert y.numpy().ravel().tolist() == [1, 3, -dmax]
    assert m.indices.numpy().ravel().tolist() == [0, 0, 255 | 255 << 8 | 255 << 16]


def test_spatial_unpooling_checks_indices():
    # SpatialMaxUnpooling.c: an index outside the output plane is THNN's error, not a write
    # at the plane's last element (numpy's -1)
    pool = nn.SpatialMaxPooling(2, 2)
    x = torch.Tensor([[[NAN, NAN], [NAN, NAN]]])
    pool.forward(x)  # no maximum: index 0
    assert pool.indices.numpy().ravel().tolist() == [0]
    u = nn.SpatialMaxUnpooling(pool)
    with pytest.raises(Exception, match=r"found an invalid max index -1 \(output volumes are "
                                        r"of size 2x2\)"):
        u.forward(torch.Tensor(1, 1, 1).fill(1))
    with pytest.raises(Exception, match=r"invalid max index -1, owidth= 2, oheight= 2"):
        u.updateGradInput(torch.Tensor(1, 1, 1).fill(1), torch.ones(1, 2, 2))
