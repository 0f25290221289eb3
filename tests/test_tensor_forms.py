"""Tensor.lua's result-first and template forms (split, chunk, expand, expandAs, viewAs,
nn.utils.addSingletonDimension), select on a vector, apply/map/map2 of Lua functions, shared
memory storages, conv2 against xcorr2 -- each against values computed independently."""
import gc
import os
import uuid

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def test_split_and_chunk_fill_a_result_table():
    t = torch.from_numpy(np.arange(28.0).reshape(7, 4))
    res = ["stale", "entries", "go", "away", "first"]
    out = torch.split(res, t, 3, 1)
    assert out is res and [p.size().totable() for p in res] == [[3, 4], [3, 4], [1, 4]]
    np.testing.assert_array_equal(res[2].numpy(), np.arange(24.0, 28.0).reshape(1, 4))
    res2 = []
    torch.chunk(res2, t, 3, 2)  # ceil(4 / 3) = 2 columns per chunk
    assert [p.size().totable() for p in res2] == [[7, 2], [7, 2]]
    np.testing.assert_array_equal(res2[1].numpy(), t.numpy()[:, 2:4])
    assert [p.size(1) for p in torch.split(t, 2)] == [2, 2, 2, 1]
    assert [p.size(2) for p in t.chunk(4, 2)] == [1, 1, 1, 1]
    res2[0].fill(-1)  # views share t's storage
    assert t.numpy()[0, 0] == -1


def test_expand_expandas_viewas_with_a_result():
    src = torch.from_numpy(np.array([[1.0, 2.0, 3.0]]))
    res = torch.Tensor()
    r = res.expandAs(src, torch.Tensor(4, 3))
    assert r is res and res.size().totable() == [4, 3] and res.stride().totable() == [0, 1]
    np.testing.assert_array_equal(res.numpy(), np.tile([1.0, 2.0, 3.0], (4, 1)))
    res2 = torch.Tensor()
    assert res2.expand(src, 2, 3) is res2 and res2.size().totable() == [2, 3]
    flat = torch.range(1, 15)
    v = torch.Tensor()
    assert v.viewAs(flat, torch.Tensor(3, 5)) is v
    np.testing.assert_array_equal(v.numpy(), np.arange(1.0, 16.0).reshape(3, 5))
    assert flat.viewAs(torch.Tensor(5, 3)).size().totable() == [5, 3]
    with pytest.raises(TypeError, match="expecting"):
        v.viewAs(flat, 3)


def test_select_on_a_vector_gives_the_element_whatever_the_dimension():
    t = torch.Tensor([10.0, 20.0, 30.0])
    assert t.select(1, 2) == 20.0 and t.select(2, 3) == 30.0  # Tensor.c ignores dim here
    with pytest.raises(torch.TorchError, match="out of range"):
        t.select(1, 4)
    with pytest.raises(torch.TorchError, match="empty"):
        torch.Tensor().select(1, 1)


def test_add_singleton_dimension_result_form():
    t = torch.from_numpy(np.arange(12.0).reshape(3, 4))
    view = torch.Tensor()
    r = nn.utils.addSingletonDimension(view, t, 2)
    assert r is view and view.size().totable() == [3, 1, 4]
    assert view.stride().totable() == [4, 1, 1]
    view[(1, 1, 2)] = 99
    assert t.numpy()[0, 1] == 99
    assert nn.utils.addSingletonDimension(t).size().totable() == [1, 3, 4]
    assert nn.utils.addSingletonDimension(t, 3).size().totable() == [3, 4, 1]
    with pytest.raises(TypeError, match="output tensor expected"):
        nn.utils.addSingletonDimension(5, t, 1)


def test_shared_memory_storage_unlinks_its_file_when_freed():
    name = "torch7py_test_%s" % uuid.uuid4().hex
    path = os.path.join("/dev/shm", name)
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm")
    s = torch.FloatStorage(name, True, 16, True)
    s.fill(3)
    assert os.path.exists(path) and os.path.getsize(path) == 64
    other = torch.FloatStorage(path, True, 16)  # the same memory as a plain shared mapping
    assert other[5] == 3
    del s
    gc.collect()
    assert not os.path.exists(path)
    del other
    # a plain shared file mapping keeps its file
    fname = path + "_plain"
    p = torch.DoubleStorage(fname, True, 4)
    del p
    gc.collect()
    assert os.path.exists(fname)
    os.unlink(fname)


def test_conv2_is_xcorr2_of_the_flipped_kernel_exactly():
    rng = np.random.RandomState(3)
    x = torch.from_numpy(rng.rand(23, 31))
    k = torch.from_numpy(rng.rand(5, 7))
    kf = torch.from_numpy(np.ascontiguousarray(k.numpy()[::-1, ::-1]))
    for mode in ("V", "F"):
        a = torch.conv2(x, k, mode).numpy()
        b = torch.xcorr2(x, kf, mode).numpy()
        assert (a == b).all()
    # the valid correlation, by its definition
    want = np.array([[(x.numpy()[i:i + 5, j:j + 7] * k.numpy()).sum() for j in range(25)]
                     for i in range(19)])
    np.testing.assert_allclose(torch.xcorr2(x, k).numpy(), want, rtol=1e-12)
    # a 3-D input with one kernel per plane gives the 2-D results exactly
    xx = torch.from_numpy(np.stack([x.numpy(), x.numpy()]))
    kk = torch.from_numpy(np.stack([k.numpy(), k.numpy()]))
    for mode in ("V", "F"):
        both = torch.conv2(xx, kk, mode).numpy()
        assert (both[0] == torch.conv2(x, k, mode).numpy()).all() and (both[0] == both[1]).all()


def _rt():
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    return LuaRuntime()


def test_lua_apply_visits_row_major_and_stores_each_result():
    rt = _rt()
    seen, t = rt.execute("""
        local x = torch.range(1, 12):view(3, 4):t()   -- 4x3, not contiguous
        local seen = {}
        x:apply(function(v) seen[#seen + 1] = v; if v % 2 == 0 then return v * 10 end end)
        return seen, x
    """)
    base = np.arange(1.0, 13.0).reshape(3, 4).T
    assert seen == [float(v) for v in base.reshape(-1)]
    np.testing.assert_array_equal(t.numpy(), np.where(base % 2 == 0, base * 10, base))
    # each result is stored before the next call reads the tensor (TH_TENSOR_APPLY)
    t = rt.execute("""
        local x = torch.zeros(4)
        local prev = 1
        x:apply(function() local r = prev; prev = x:sum() + 1; return r end)
        return x
    """)
    np.testing.assert_array_equal(t.numpy(), [1, 1, 2, 3])  # deferred stores: [1, 1, 1, 1]
    b = rt.execute("local b = torch.ByteTensor(2):fill(250); "
                   "b:apply(function(v) return v + 10 end); return b")
    assert b.numpy().tolist() == [4, 4]  # C conversion wraps
    y = rt.execute("""
        local y = torch.LongTensor(2, 2):fill(1)
        y:map(torch.LongTensor{{1, 2}, {3, 4}}:t(), function(a, b) return a + b end)
        y:map2(torch.LongTensor{1, 2, 3, 4}, torch.LongTensor{{5, 6}, {7, 8}},
               function(a, b, c) return a * 100 + b * c end)
        return y
    """)
    want = (np.array([[1, 1], [1, 1]]) + np.array([[1, 2], [3, 4]]).T) * 100 + \
        np.array([[1, 2], [3, 4]]) * np.array([[5, 6], [7, 8]])
    np.testing.assert_array_equal(y.numpy(), want)
    from compat.runtime import LuaError
    with pytest.raises(LuaError, match="cannot convert 'table' to 'double'"):  # FFInterface
        rt.execute("torch.zeros(2):apply(function() return {} end)")
