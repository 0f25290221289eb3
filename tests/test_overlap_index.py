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


def _raises(f, text):
    try:
        f()
    except (RuntimeError, TypeError, ValueError) as e:
        assert str(e) == text
        return
    raise AssertionError("no error")


def test_a_bad_index_stops_the_loop_after_the_steps_before_it():
    # THTensorMath.c checks each index inside its loop: what came before it is written
    x = torch.zeros(4, 2)
    _raises(lambda: x.indexFill(1, torch.LongTensor([2, 9, 3]), 5),
            "bad argument #3 to '?' (out of range)")   # select's check (a matrix)
    assert _storage_list(x) == [0, 0, 5, 5, 0, 0, 0, 0]
    v = torch.zeros(5)
    _raises(lambda: v.indexCopy(1, torch.LongTensor([1, 2, 7]), torch.Tensor([1, 2, 3])),
            "bad argument #2 to '?' (out of range)")   # set1d's check (a vector)
    assert _storage_list(v) == [1, 2, 0, 0, 0]
    # scatter in DIM_APPLY's order (rows, then along dimension 2): row 2 stops at its 9
    s = torch.zeros(2, 3)
    idx = [[1, 2, 3], [2, 9, 1]]
    src = [[1, 2, 3], [4, 5, 6]]
    want = [0.0] * 6
    for r in range(2):
        for i in range(3):
            if idx[r][i] > 3:
                break
            want[r * 3 + idx[r][i] - 1] = src[r][i]
        else:
            continue
        break
    _raises(lambda: s.scatter(2, torch.LongTensor(idx), torch.Tensor(src)),
            "Invalid index in scatter")
    assert _storage_list(s) == want
    g = torch.zeros(2, 2)
    _raises(lambda: torch.gather(g, torch.Tensor([[1, 2], [3, 4]]), 2,
                                 torch.LongTensor([[2, 1], [1, 5]])), "Invalid index in gather")
    assert _storage_list(g) == [2, 1, 3, 0]


def test_masked_loops_stop_where_th_does():
    # maskedCopy: its own size check first; then, row-major, a 1 past src's elements stops it
    x = torch.zeros(2, 3)
    _raises(lambda: x.maskedCopy(torch.ByteTensor([[1, 0, 1], [1, 1, 0]]),
                                 torch.Tensor([7, 8, 9])),
            "Number of elements of src < number of ones in mask")
    assert _storage_list(x) == [7, 0, 8, 9, 0, 0]
    _raises(lambda: x.maskedCopy(torch.ByteTensor(5).fill(1), torch.Tensor(6)),
            "Number of elements of destination tensor != Number of elements in mask")
    # maskedFill: a mask value above 1 stops it
    y = torch.zeros(2, 3)
    _raises(lambda: y.maskedFill(torch.ByteTensor([[1, 0, 1], [2, 1, 0]]), 5),
            "Mask tensor can take 0 and 1 values only")
    assert _storage_list(y) == [5, 0, 5, 0, 0, 0]
