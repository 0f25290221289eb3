"""indexCopy, indexAdd, gather, scatter and maskedCopy where the result shares memory with its
source (or holds an element twice): THTensorMath.c's loops run in order, each step seeing the
writes before it. Expectations come from plain Python loops over the storage in that order."""
import numpy as np

import torch7py as torch


def _arange(*size):
    n = int(np.prod(size))
    return torch.DoubleTensor(torch.DoubleStorage(list(range(1, n + 1)))).view(*size)


def _pos(t, *ix):
    """Storage index (0-based) of t's element at 0-based indices ix."""
    return t.storageOffset() - 1 + sum(i * t.stride(d + 1) for d, i in enumerate(ix))


def _storage_list(t):
    s = t.storage()
    return [s[i + 1] for i in range(s.size())]


def test_index_copy_from_its_own_rows():
    # THTensor_(indexCopy), nDimension > 1: for i, copy(select(tensor, d, idx[i]),
    # select(src, d, i)) one slice after the other
    x = _arange(4, 3)
    src = x.narrow(1, 1, 3)
    idx = [2, 3, 4]
    buf = _storage_list(x)
    for i, j in enumerate(idx):
        for c in range(3):
            buf[_pos(x, j - 1, c)] = buf[_pos(src, i, c)]
    x.indexCopy(1, torch.LongTensor(idx), src)
    assert _storage_list(x) == buf
    assert _storage_list(x) == [1, 2, 3] * 4  # row 1 carried down


def test_index_copy_along_columns_and_1d():
    x = _arange(3, 4)
    src = x.narrow(2, 2, 3)
    idx = [1, 4, 2]
    buf = _storage_list(x)
    for i, j in enumerate(idx):
        for r in range(3):
            buf[_pos(x, r, j - 1)] = buf[_pos(src, r, i)]
    x.indexCopy(2, torch.LongTensor(idx), src)
    assert _storage_list(x) == buf
    # 1-D: set1d(tensor, idx[i], get1d(src, i))
    v = _arange(6)
    s = v.narrow(1, 1, 4)
    idx = [2, 3, 5, 6]
    buf = _storage_list(v)
    for i, j in enumerate(idx):
        buf[j - 1] = buf[i]
    v.indexCopy(1, torch.LongTensor(idx), s)
    assert _storage_list(v) == buf == [1, 1, 1, 4, 1, 4]


def test_index_add_reads_its_own_updates():
    x = _arange(3, 2)
    src = x.narrow(1, 1, 2)
    buf = _storage_list(x)
    for i, j in enumerate([2, 3]):
        for c in range(2):
            buf[_pos(x, j - 1, c)] = buf[_pos(x, j - 1, c)] + buf[_pos(src, i, c)]
    x.indexAdd(1, torch.LongTensor([2, 3]), src)
    assert _storage_list(x) == buf
    # an expanded 1-D result: every step adds into the one element
    e = torch.zeros(1).expand(3)
    e.indexAdd(1, torch.LongTensor([1, 2, 3]), torch.Tensor([1, 2, 4]))
    assert _storage_list(e) == [7]


def test_gather_and_scatter_within_one_tensor():
    # TH_TENSOR_DIM_APPLY3: the other dimensions row-major, dimension d innermost
    x = _arange(3, 3)
    idx = [[3, 1, 2], [2, 3, 1], [1, 1, 3]]
    buf = _storage_list(x)
    for r in range(3):
        for i in range(3):
            buf[_pos(x, r, i)] = buf[_pos(x, r, idx[r][i] - 1)]
    torch.gather(x, x, 2, torch.LongTensor(idx))
    assert _storage_list(x) == buf
    y = _arange(3, 3)
    src = y.t()
    buf = _storage_list(y)
    for c in range(3):
        for i in range(3):
            buf[_pos(y, idx[i][c] - 1, c)] = buf[_pos(src, i, c)]
    y.scatter(1, torch.LongTensor(idx), src)
    assert _storage_list(y) == buf


def test_masked_copy_from_itself():
    # srct = newContiguous(src): the same memory when src is contiguous, a copy otherwise
    x = _arange(6)
    mask = torch.ByteTensor([0, 1, 1, 0, 1, 1])
    buf = _storage_list(x)
    k = 0
    for p in range(6):
        if mask[p + 1] == 1:
            buf[p] = buf[k]
            k += 1
    x.maskedCopy(mask, x)
    assert _storage_list(x) == buf == [1, 1, 1, 4, 1, 4]
    m = _arange(2, 3)
    before = _storage_list(m)
    mask2 = torch.ByteTensor([[1, 1, 1], [1, 1, 0]])
    m.maskedCopy(mask2, m.t())  # not contiguous: copied before the loop
    assert _storage_list(m) == [before[0], before[3], before[1], before[4], before[2],
                                before[5]]


def test_without_sharing_the_fast_paths_give_the_same():
    a = _arange(4, 3)
    b = _arange(4, 3).mul(10)
    a.indexCopy(1, torch.LongTensor([4, 1]), b.narrow(1, 1, 2))
    assert _storage_list(a) == [40, 50, 60, 4, 5, 6, 7, 8, 9, 10, 20, 30]
    a.indexAdd(1, torch.LongTensor([2, 2]), b.narrow(1, 1, 2))
    assert _storage_list(a)[3:6] == [4 + 10 + 40, 5 + 20 + 50, 6 + 30 + 60]
