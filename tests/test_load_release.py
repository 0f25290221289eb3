"""What a load leaves behind: a dropped checkpoint is freed at once (no reference cycle keeps
it for Python's cyclic collector), and a load through the Lua layer tells heap tracking its
bytes once, after it returns (nothing it allocates is garbage while it runs)."""
import gc
import weakref

import pytest

import torch7py as torch
from torch7py import nn, storage


@pytest.fixture
def no_cyclic_gc():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def test_a_dropped_load_is_freed_without_the_cyclic_collector(tmp_path, no_cyclic_gc):
    path = str(tmp_path / "m.t7")
    for fmt in ("binary", "ascii"):
        torch.save(path, {"net": nn.Sequential().add(nn.Linear(3, 4)), "t": torch.zeros(5)},
                   fmt)
        c = torch.load(path, fmt)
        refs = [weakref.ref(c["net"]), weakref.ref(c["net"].modules[0].weight.storage()),
                weakref.ref(c["t"])]
        del c
        assert [r() for r in refs] == [None, None, None], fmt
    data = torch.serialize(nn.Linear(2, 2))
    m = torch.deserialize(data)
    r = weakref.ref(m.weight.storage())
    del m
    assert r() is None


def test_a_lua_load_tells_heap_tracking_its_bytes_once(tmp_path):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    path = str(tmp_path / "m.t7")
    torch.save(path, [torch.zeros(1000), torch.FloatTensor(300, 2), torch.LongTensor(7)])
    rt = LuaRuntime()
    rt.execute("torch.setheaptracking(true)")
    calls, tracked = [], storage.heap_hook
    try:
        storage.heap_hook = calls.append
        n = rt.execute("local t = torch.load([[%s]]); return #t" % path)
    finally:
        storage.heap_hook = tracked
        rt.execute("torch.setheaptracking(false)")
    assert n == 3
    assert calls == [1000 * 8 + 600 * 4 + 7 * 8]
