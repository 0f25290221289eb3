"""Ceil-mode pooling sizes as THNN computes them (SpatialDilatedMaxPooling.c,
SpatialAveragePooling.c, VolumetricAveragePooling.c at nn 8726825): the output size is
ceil((float)span / d) + 1, and only a pooling with some padding (`if (padW || padH)`) drops a
last window that would start past the input. Without padding that window is kept and reads
nothing: max pooling's scan leaves -THInf (-DBL_MAX for doubles), average pooling divides a
zero sum by a zero pool size."""
import math

import numpy as np

import torch7py as torch
from torch7py import nn

DBL_MAX = np.finfo(np.float64).max


def _grid():
    return torch.range(1, 16).view(1, 4, 4)


def test_max_pooling_without_padding_keeps_the_empty_window():
    m = nn.SpatialMaxPooling(1, 1, 2, 2).ceil()
    y = m.forward(_grid()).numpy()
    assert y.shape == (1, 3, 3)  # ceil(3 / 2) + 1, no padding: not reduced
    want = np.full((3, 3), -DBL_MAX)
    want[:2, :2] = [[1, 3], [9, 11]]  # x[0, 0], x[0, 2], x[2, 0], x[2, 2] (1-based values)
    assert np.array_equal(y[0], want)
    g = m.backward(_grid(), torch.ones(1, 3, 3)).numpy()[0]
    want_g = np.zeros((4, 4))
    want_g[::2, ::2] = 1  # the empty windows' index is skipped
    assert np.array_equal(g, want_g)


def test_average_pooling_without_padding_divides_by_a_zero_pool():
    m = nn.SpatialAveragePooling(1, 1, 2, 2).ceil()
    y = m.forward(_grid()).numpy()[0]
    assert y.shape == (3, 3)
    assert np.array_equal(y[:2, :2], [[1, 3], [9, 11]])
    assert np.isnan(y[2]).all() and np.isnan(y[:, 2]).all()
    g = m.backward(_grid(), torch.ones(1, 3, 3)).numpy()[0]
    want_g = np.zeros((4, 4))
    want_g[::2, ::2] = 1
    assert np.array_equal(g, want_g)


def test_padding_in_one_dimension_checks_both():
    # kW 3, kH 1, d 2, padW 1, padH 0 on 4x4: W = ceil(3/2) + 1 = 3, kept ((3-1)*2 < 4+1);
    # H = ceil(3/2) + 1 = 3, then (3-1)*2 >= 4+0 drops it to 2 because padW is set
    m = nn.SpatialMaxPooling(3, 1, 2, 2, 1, 0).ceil()
    assert tuple(m.forward(_grid()).size()) == (1, 2, 3)


def test_volumetric_average_without_padding():
    x = torch.range(1, 64).view(1, 4, 4, 4)
    y = nn.VolumetricAveragePooling(1, 1, 1, 2, 2, 2).ceil().forward(x).numpy()[0]
    assert y.shape == (3, 3, 3)
    assert np.array_equal(y[:2, :2, :2].ravel(), [1, 3, 9, 11, 33, 35, 41, 43])
    assert np.isnan(y[2]).all()


def test_ceil_divides_in_float():
    # (float)span / d: a span of 2^24 + 1 is 2^24 in float, so ceil(2^24 / 2) + 1
    span = 2 ** 24 + 1
    assert math.ceil(np.float32(span) / np.float32(2)) + 1 == 2 ** 23 + 1
    from torch7py.nn._kernels import pool_out_size
    assert pool_out_size(span + 1, 2, 2, 0, True) == 2 ** 23 + 1
