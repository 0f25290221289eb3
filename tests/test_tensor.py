"""Tensor core: constructors, views, resize/set, indexing, copies, numpy door."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import torch7py as torch
from torch7py.tensor import TorchError

from golden import golden


def geo(t):
    return list(t._size), list(t._stride), t.storageOffset()


def check_tensor(t, g):
    assert t.typename == g["tensor"]
    assert list(t._size) == g["size"]
    assert list(t._stride) == g["stride"]
    assert t.storageOffset() == g["offset"]
    np.testing.assert_allclose(t.numpy().ravel() if t._size else [], g["data"], rtol=1e-12)


def storage24():
    s = torch.DoubleStorage(24)
    for i in range(1, 25):
        s[i] = i * 10
    return s


# -- constructors -------------------------------------------------------------

def test_storage_offset_size_stride_pairs():
    g = golden("tensor_views")
    s = storage24()
    a = torch.Tensor(s, 3, 2, 5)
    assert geo(a) == ([2], [5], 3)
    b = torch.Tensor(s, 2, torch.LongStorage([3, 2]), torch.LongStorage([1, 6]))
    assert geo(b) == ([3, 2], [1, 6], 2)
    assert a.storage() is b.storage()
    odd = torch.Tensor(s, 1, 4, 6, 3)
    assert geo(odd) == (g["ctor_pair_odd"]["size"], g["ctor_pair_odd"]["stride"], 1)
    np.testing.assert_array_equal(a.numpy(), [30, 80])


def test_sizes_stop_at_zero_and_nested_lists():
    assert torch.Tensor(2, 0).dim() == 1
    assert torch.Tensor(0).dim() == 0 and torch.Tensor(0).nElement() == 0
    assert torch.Tensor().storage() is None
    t = torch.Tensor([[1, 2, 3], [4, 5, 6]])
    assert geo(t) == ([2, 3], [3, 1], 1)
    np.testing.assert_array_equal(t.numpy(), [[1, 2, 3], [4, 5, 6]])
    shared = torch.Tensor(t)
    assert shared.isSetTo(t) and shared is not t


def test_negative_size_ends_the_dims_and_bad_type_name_raises_leaving_tensor_unchanged():
    assert torch.Tensor(2, -3).size().totable() == [2]  # THTensor stops at a size <= 0
    t = torch.Tensor(2, 2).fill(1)
    with pytest.raises(ValueError):
        t.type("torch.NoSuchTensor")
    np.testing.assert_array_equal(t.numpy(), np.ones((2, 2)))


def test_default_tensor_type_switch():
    try:
        torch.setdefaulttensortype("torch.FloatTensor")
        assert torch.Tensor(2).typename == "torch.FloatTensor"
        assert torch.getdefaulttensortype() == "torch.FloatTensor"
    finally:
        torch.setdefaulttensortype("torch.DoubleTensor")
    assert torch.Tensor(2).typename == "torch.DoubleTensor"
    # init.lua accepts any tensor type; TensorMath then dispatches on it
    try:
        torch.setdefaulttensortype("torch.IntTensor")
        assert torch.Storage is torch.IntStorage and torch.zeros(2).typename == "torch.IntTensor"
        with pytest.raises(torch.TorchError, match="torch.IntTensor does not implement the "
                           "torch.rand"):
            torch.rand(2)
    finally:
        torch.setdefaulttensortype("torch.DoubleTensor")
    with pytest.raises(torch.TorchError, match="<torch.Foo> is not a string describing a torch"):
        torch.setdefaulttensortype("torch.Foo")
    with pytest.raises(TypeError, match="string expected"):
        torch.setdefaulttensortype(3)
    assert torch.getdefaulttensortype() == "torch.DoubleTensor"


# -- views ----------------------------------------------------------------------

def test_views_match_golden_geometry():
    g = golden("tensor_views")
    s = storage24()
    m = torch.Tensor(s, 1, torch.LongStorage([4, 6]))
    for key, t in [("narrow", m.narrow(2, 2, 3)), ("select_row", m.select(1, 2)),
                   ("select_col", m.select(2, 4)), ("sub_neg", m.sub(2, -1, 2, -2)),
                   ("transpose", m.transpose(1, 2)),
                   ("unfold_2d", m.unfold(2, 2, 3))]:
        assert list(t._size) == g[key]["size"], key
        assert list(t._stride) == g[key]["stride"], key
        assert t.storageOffset() == g[key]["offset"], key
    line = torch.Tensor(s, 1, torch.LongStorage([10]))
    u = line.unfold(1, 3, 2)
    assert list(u._size) == g["unfold"]["size"] and list(u._stride) == g["unfold"]["stride"]
    v = torch.Tensor(s, 5, 3)
    assert v[2] == g["index_1d_number"]
    assert isinstance(v.select(1, 1), float)
    chain = m.narrow(1, 2, 3).select(2, 3).narrow(1, 2, 2)
    chain.fill(-7)
    np.testing.assert_array_equal(s.numpy(), g["chain_write_storage"]["data"])
    with pytest.raises(TorchError):
        m.narrow(2, 5, 3)
    with pytest.raises(TorchError):
        m.select(1, 5)
    with pytest.raises(TorchError):
        v.t()


def test_expand_is_stride_zero_and_view_requires_contiguous():
    t = torch.Tensor([[1], [2], [3]])
    e = t.expand(3, 4)
    assert geo(e) == ([3, 4], [1, 0], 1)
    np.testing.assert_array_equal(e.numpy(), np.repeat([[1], [2], [3]], 4, axis=1))
    with pytest.raises(TorchError):
        t.expand(2, 4)
    m = torch.Tensor(2, 3).zero()
    assert list(m.view(-1, 2)._size) == [3, 2]
    with pytest.raises(TorchError, match="contiguous"):
        m.t().view(6)


def test_squeeze_returns_number_for_one_element():
    t = torch.Tensor(1, 1).fill(5)
    assert t.squeeze() == 5.0
    assert list(torch.Tensor(2, 1, 3).squeeze()._size) == [2, 3]
    assert list(torch.Tensor(2, 1, 3).squeeze(1)._size) == [2, 1, 3]
    assert list(torch.Tensor(2, 1, 3).squeeze(2)._size) == [2, 3]


# -- resize / set -----------------------------------------------------------------

def test_resize_rules_against_golden():
    g = golden("tensor_resize_set")
    a = torch.Tensor(12)
    a.numpy()[:] = np.arange(1, 13)
    a.resize(3, 4)
    view = a.narrow(1, 2, 1)
    a.resize(2, 3)
    assert a.storage().size() == g["shrink_storage_size"]
    a.resize(4, 5)
    assert a.storage().size() == g["grow_storage_size"]
    assert a.storage() is view.storage()
    view.fill(0)
    np.testing.assert_array_equal(a.view(20).narrow(1, 1, 12).numpy(),
                                  g["view_fill_seen"]["data"])
    base = torch.Tensor(10).fill(4)
    off = base.narrow(1, 7, 2)
    off.resize(3, 3)
    assert base.storage().size() == g["offset_resize_storage"]
    tr = torch.Tensor(6)
    tr.numpy()[:] = np.arange(1, 7)
    tr = tr.resize(2, 3).t()
    tr.resize(3, 2)
    assert [list(tr._size), list(tr._stride)] == [g["resize_same_keeps_stride"]["size"]["data"],
                                                  g["resize_same_keeps_stride"]["stride"]["data"]]
    tr.resize(2, 3)
    np.testing.assert_array_equal(tr.numpy().ravel(), g["resize_other_values"]["data"])


def test_set_forms():
    s = torch.DoubleStorage([1, 2, 3, 4, 5, 6, 7, 8])
    t = torch.Tensor().set(s, 3, 2, 3)
    assert geo(t) == ([2], [3], 3)
    t3 = torch.Tensor().set(s, 2, torch.LongStorage([2, 3]))
    assert geo(t3) == ([2, 3], [3, 1], 2)
    t5 = torch.Tensor().set(t3)
    assert t5.isSetTo(t3) and not t3.clone().isSetTo(t3) and not t3.t().isSetTo(t3)
    t5.set()
    assert t5.dim() == 0 and t5.storage() is None


# -- indexing ----------------------------------------------------------------------

def test_index_forms_against_golden():
    g = golden("tensor_indexing")
    m = torch.Tensor(20)
    m.numpy()[:] = np.arange(1, 21)
    m = m.resize(4, 5)
    assert m[3][4] == g["elem_1d"] and m[3][-1] == g["elem_neg_1d"]
    assert m[2, 3] == g["pair"] and m[-1, -2] == g["pair_neg"]
    check = {"range_then_index": m[[2, 3], 4], "all_rows_cols_2_end": m[[], [2, -1]],
             "single_range": m[[3]], "neg_range": m[[-2, -1], [-3, -2]],
             "index_then_range": m[3, [2, 4]]}
    for key, t in check.items():
        np.testing.assert_array_equal(t.numpy().ravel(), g[key]["data"], err_msg=key)
        assert list(t._size) == g[key]["size"], key
    a = torch.Tensor(3, 4).zero()
    a[2][3] = 7
    a[1, 4] = 5
    a[3] = 2
    a[[1, 2], 1] = -1
    a[[], [2, 3]][1].fill(9)
    np.testing.assert_array_equal(a.numpy().ravel(), g["assign_numbers"]["data"])
    b = torch.Tensor(3, 3).zero()
    b[[1, 2]] = torch.Tensor([[1, 2, 3], [4, 5, 6]])
    b[3] = torch.Tensor([7, 8, 9])
    b[[], 3] = torch.Tensor([-1, -2, -3])
    np.testing.assert_array_equal(b.numpy().ravel(), g["assign_tensors"]["data"])
    assert m[torch.LongTensor([1])] is None
    with pytest.raises(IndexError):
        m[5]


def test_copy_converts_like_c():
    g = golden("tensor_storage_types")
    d = torch.DoubleTensor([-1, 300, 2.7, -2.7])
    np.testing.assert_array_equal(torch.ByteTensor(4).copy(d).numpy(), [255, 44, 2, 254])
    i = torch.IntTensor(1).copy(torch.DoubleTensor([1e10]))
    assert i[1] == -2 ** 31
    assert "copy_int_from_double" in g


def test_numpy_door_is_zero_copy_both_ways():
    t = torch.Tensor(2, 3).zero()
    t.numpy()[1, 2] = 5
    assert t[2][3] == 5
    a = np.arange(12.0).reshape(3, 4)[:, 1:3]
    f = torch.from_numpy(a)
    f[1][1] = -1
    assert a[0, 0] == -1 and geo(f) == ([3, 2], [4, 1], 1)


# -- property: random view chains agree with numpy and share writes ----------------

@st.composite
def view_chains(draw):
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    ops = []
    cur = list(shape)
    for _ in range(draw(st.integers(0, 5))):
        if not cur:
            break
        kind = draw(st.sampled_from(["narrow", "select", "transpose", "unfold", "expand"]))
        d = draw(st.integers(0, len(cur) - 1))
        if kind == "narrow":
            first = draw(st.integers(0, cur[d] - 1))
            size = draw(st.integers(1, cur[d] - first))
            ops.append((kind, d, first, size))
            cur[d] = size
        elif kind == "select" and len(cur) > 1:
            i = draw(st.integers(0, cur[d] - 1))
            ops.append((kind, d, i))
            cur.pop(d)
        elif kind == "transpose":
            e = draw(st.integers(0, len(cur) - 1))
            ops.append((kind, d, e))
            cur[d], cur[e] = cur[e], cur[d]
        elif kind == "unfold":
            size = draw(st.integers(1, cur[d]))
            step = draw(st.integers(1, 3))
            ops.append((kind, d, size, step))
            cur[d] = (cur[d] - size) // step + 1
            cur.append(size)
        elif kind == "expand" and 1 in cur:
            d = cur.index(1)
            n = draw(st.integers(1, 3))
            ops.append((kind, d, n))
            cur[d] = n
    return shape, ops


def apply_np(a, op):
    kind, d = op[0], op[1]
    if kind == "narrow":
        return a[(slice(None),) * d + (slice(op[2], op[2] + op[3]),)]
    if kind == "select":
        return a[(slice(None),) * d + (op[2],)]
    if kind == "transpose":
        return np.swapaxes(a, d, op[2])
    if kind == "unfold":
        w = np.lib.stride_tricks.sliding_window_view(a, op[2], axis=d, writeable=True)
        return w[(slice(None),) * d + (slice(None, None, op[3]),)]
    if a.shape[d] == op[2]:
        return a
    shape, strides = list(a.shape), list(a.strides)
    shape[d], strides[d] = op[2], 0
    return np.lib.stride_tricks.as_strided(a, shape, strides)


def apply_t(t, op):
    kind, d = op[0], op[1] + 1
    if kind == "narrow":
        return t.narrow(d, op[2] + 1, op[3])
    if kind == "select":
        return t.select(d, op[2] + 1)
    if kind == "transpose":
        return t.transpose(d, op[2] + 1)
    if kind == "unfold":
        return t.unfold(d, op[2], op[3])
    size = list(t._size)
    size[op[1]] = op[2]
    return t.expand(*size)


@settings(max_examples=150, deadline=None)
@given(view_chains())
def test_view_chains_match_numpy_and_share_writes(chain):
    shape, ops = chain
    n = int(np.prod(shape))
    base = torch.Tensor(*shape)
    base.numpy()[...] = np.arange(n).reshape(shape)
    ref = np.arange(n, dtype=np.float64).reshape(shape)
    t, a = base, ref
    for op in ops:
        t, a = apply_t(t, op), apply_np(a, op)
    np.testing.assert_array_equal(t.numpy(), a)
    assert t.storage() is base.storage()
    # a write through the view shows in the base (numpy's view of the same memory agrees)
    t.fill(-1)
    mirror = ref.copy()
    np.copyto(apply_chain_np(mirror, ops), -1)
    np.testing.assert_array_equal(base.numpy(), mirror)


def apply_chain_np(a, ops):
    for op in ops:
        a = apply_np(a, op)
    return a
