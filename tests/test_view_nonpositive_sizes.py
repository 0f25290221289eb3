"""Tensor.lua's view makes the view with view:set(storage, offset, size), and TH's resize keeps
only the dimensions before the first size <= 0; a tensor left with no dimension has no element
(THTensor_nElement of a 0-dimensional tensor is 0)."""
import pytest

import torch7py as torch
from torch7py.storage import TorchError


def test_a_zero_size_ends_the_views_dimensions():
    x = torch.Tensor(4, 5)
    v = x.view(20, 0)
    assert v.size().totable() == [20]
    v = x.view(1, 20, 0, 3)
    assert v.size().totable() == [1, 20]
    assert v.storage() is x.storage()  # a view, as set() makes it
    # a tensor without a storage: Tensor.lua's view:set(nil, ...) fails (the original printed
    # "bad argument #1 to 'set' (expecting number or torch.DoubleTensor or
    # torch.DoubleStorage)")
    with pytest.raises(TypeError, match=r"^bad argument #1 to 'set' \(expecting number or "
                                        r"torch.DoubleTensor or torch.DoubleStorage\)$"):
        torch.Tensor().view(0)


def test_the_count_is_checked_on_the_kept_dimensions():
    with pytest.raises(TorchError, match="Input size: 1. Output size: 0$"):
        torch.Tensor(1).view(0)
    with pytest.raises(TorchError, match="Input size: 4x5. Output size: 4x0x5$"):
        torch.Tensor(4, 5).view(4, 0, 5)
    # the -1 is inferred first: a 0 among the other sizes covers no element
    with pytest.raises(TorchError, match="number of covered elements"):
        torch.Tensor(6).view(-1, 0)
