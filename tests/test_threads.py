"""torch.setnumthreads / getnumthreads (torch7py/_threads.py): every BLAS pool set, read back
through OpenBLAS's own entry points, and the pools found once (a call costs microseconds)."""
import time

import torch7py as torch
from torch7py import _threads


def test_setnumthreads_sets_every_openblas_pool():
    before = torch.getnumthreads()
    libs = _threads._openblas_libs()  # an independent scan of the mapped libraries
    assert libs, "numpy's OpenBLAS is loaded"
    try:
        for n in (3, 1, 2):
            torch.setnumthreads(n)
            assert torch.getnumthreads() == n
            assert [get() for _, get in libs] == [n] * len(libs)
        torch.setnumthreads(0)  # at least one thread
        assert torch.getnumthreads() == 1
        assert all(get() == 1 for _, get in libs)
    finally:
        torch.setnumthreads(before)


def test_pools_found_once_and_calls_are_cheap(monkeypatch):
    before = torch.getnumthreads()
    torch.setnumthreads(before)
    scans = []
    monkeypatch.setattr(_threads, "_openblas_libs", lambda: scans.append(1) or [])
    try:
        import threadpoolctl
    except ImportError:
        pass
    else:
        monkeypatch.setattr(threadpoolctl, "ThreadpoolController",
                            lambda *a, **k: scans.append(1))
    t = time.perf_counter()
    for i in range(200):
        torch.setnumthreads(1 + i % 2)
    per_call = (time.perf_counter() - t) / 200
    torch.setnumthreads(before)
    assert scans == []
    assert per_call < 3e-4, per_call  # a rescan costs ~1 ms


def test_getnumthreads_reads_the_pools_before_any_set(monkeypatch):
    monkeypatch.setitem(_threads._state, "n", None)
    libs = _threads._openblas_libs()
    assert _threads.get_blas_threads() == max(get() for _, get in libs)
