"""Tensor.lua's shape functions where the differential checker (tools/diff_torch.py) found us
apart from the original: each expectation is read off Tensor.lua and TH's resizeNd."""
import numpy as np
import pytest

import torch7py as torch
from torch7py.storage import TorchError


def test_expand_gives_every_singleton_stride_0():
    # Tensor.expand: `if tensor_size[i] == 1 then ... tensor_stride[i] = 0`, expanded or not
    t = torch.DoubleTensor(3, 1)
    assert t.expand(3, 1).stride().totable() == [1, 0]
    assert t.expand(3, 4).stride().totable() == [1, 0]
    u = torch.DoubleTensor(1, 4)
    assert u.expand(1, 4).stride().totable() == [0, 1]
    assert torch.DoubleTensor(2, 3).expand(2, 3).stride().totable() == [3, 1]


def test_permute_follows_tensor_lua():
    a = np.arange(24.0).reshape(2, 3, 4)
    t = torch.from_numpy(a.copy())
    p = t.permute(3, 1, 2)
    assert p.size().totable() == [4, 2, 3] and p.stride().totable() == [1, 12, 4]
    np.testing.assert_array_equal(p.numpy(), a.transpose(2, 0, 1))
    # `assert(#perm == nDims, 'Invalid permutation')`, and a dimension out of range
    for bad in [(1, 2), (1, 2, 3, 4), (1, 2, 5), (2, 2, 3)]:
        with pytest.raises(TorchError, match="^Invalid permutation$"):
            t.permute(*bad)
    # a 0 entry is skipped (p ~= 0), so (0, 2, 3) keeps the geometry
    q = t.permute(0, 2, 3)
    assert q.size().totable() == [2, 3, 4] and q.stride().totable() == [12, 4, 1]


def test_view_checks_in_tensor_lua_order():
    nc = torch.DoubleTensor(4, 6).t()  # not contiguous
    # specifyFully runs before the contiguity assert
    with pytest.raises(TorchError, match="^Only one of torch.view dimensions can be -1.$"):
        nc.view(-1, -1)
    with pytest.raises(TorchError, match="^The number of covered elements is not a multiple"):
        nc.view(5, -1)
    with pytest.raises(TorchError, match="^expecting a contiguous tensor$"):
        nc.view(2, -1)
    c = torch.DoubleTensor(4, 6)
    with pytest.raises(TorchError, match=r"^Wrong size for view. Input size: 4x6. "
                                         r"Output size: 5x5$"):
        c.view(5, 5)
    assert c.view(3, -1).size().totable() == [3, 8]


def test_repeat_tensor_message_and_result_form():
    t = torch.DoubleTensor(2, 3, 4)
    with pytest.raises(TorchError, match="^Number of dimensions of repeat dims can not be "
                                         "smaller than number of dimensions of tensor$"):
        t.repeatTensor(2, 2)
    src = torch.from_numpy(np.array([[1.0, 2.0]]))
    res = torch.DoubleTensor()
    out = torch.repeatTensor(res, src, 2, 2)
    assert out is res  # Tensor.repeatTensor returns its result argument
    np.testing.assert_array_equal(res.numpy(), [[1, 2, 1, 2], [1, 2, 1, 2]])


def test_a_view_past_its_storage_grows_the_storage():
    # THTensor_(resizeNd): `if(totalSize+storageOffset > storage->size) THStorage_(resize)`
    s = torch.DoubleStorage(3).fill(1)
    t = torch.DoubleTensor(s, 2, torch.LongStorage([4]))
    assert s.size() == 5 and t.size(1) == 4
    np.testing.assert_array_equal(t.numpy()[:2], [1, 1])
    u = torch.DoubleTensor(s, 1, torch.LongStorage([2, 4]), torch.LongStorage([4, 1]))
    assert s.size() == 8 and u.numpy().shape == (2, 4)


def test_pointwise_ops_on_empty_tensors():
    # TH applies them to no element at all (ConfusionMatrix.batchAdd's empty masks go there)
    for op in (lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a.cmul(b),
               lambda a, b: a.cdiv(b), lambda a, b: torch.cmul(a, b)):
        r = op(torch.DoubleTensor(), torch.DoubleTensor())
        assert r.dim() == 0 and r.nElement() == 0
