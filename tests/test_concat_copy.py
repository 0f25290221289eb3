"""Concat writes each branch's output into its window of output (Concat.lua: output:narrow(dim,
offset, size):copy(currentOutput)); expectations are numpy's concatenation."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def test_concat_windows_hold_each_branch():
    torch.manualSeed(3)
    m = nn.Concat(2)
    for k in (3, 1, 4):
        m.add(nn.Linear(5, k))
    x = torch.randn(2, 5)
    y = m.forward(x)
    want = np.concatenate([b.output.numpy() for b in m.modules], axis=1)
    np.testing.assert_array_equal(y.numpy(), want)
    out = m.output
    m.forward(torch.randn(3, 5))  # the same output tensor, resized
    assert m.output is out and out.size(1) == 3 and out.size(2) == 8


def test_concat_of_another_type_converts_as_copy_does():
    # a branch of another tensor type: copy converts (double -> float rounds to nearest)
    m = nn.Concat(1).add(nn.Identity()).add(nn.Identity())
    m.float()
    x = torch.DoubleTensor([1 / 3, 2 / 3])
    y = m.forward(x)
    assert y.type() == 'torch.FloatTensor'
    np.testing.assert_array_equal(y.numpy(), np.float32([1 / 3, 2 / 3, 1 / 3, 2 / 3]))


def test_concat_size_mismatch_is_torch7s_error():
    m = nn.Concat(1).add(nn.Linear(5, 2)).add(nn.Sequential().add(nn.Linear(5, 6))
                                               .add(nn.View(2, 3)))
    # the second window narrows 2 elements of output; copy refuses 6 (THTensor_(copy))
    with pytest.raises(torch.TorchError, match=r'expected tensor \[2\] and src \[2 x 3\]'):
        m.forward(torch.randn(5))
