"""torch7py/_vmath.c's float log (its AVX-512 16-lane fast path, which leaves a step with a
special lane or a lane near a float rounding boundary to the 8-lane kernel) and double exp
(its table read by scalar loads on AVX-512), on every lane-kernel set this CPU has.

Expectations: the C library's logf / exp called element by element through ctypes (TH calls
them per element), compared bit for bit."""
import numpy as np
import pytest

from torch7py import numerics

from libm_ref import (libm_fn, libm_lib, needs_libm_wide, per_element, same_bits,
                      same_bits_placed)

_C = numerics._c
pytestmark = needs_libm_wide


@pytest.fixture(scope="module")
def libm():
    lib = libm_lib()
    return {"logf": libm_fn(lib, "log", True), "exp": libm_fn(lib, "exp", False)}


def _around(v, dt, k):
    """v and its k neighbours on each side, bit pattern by bit pattern"""
    u = np.uint32 if dt == np.float32 else np.uint64
    b = np.asarray(v, dt).view(u)
    with np.errstate(over="ignore"):
        return (b[:, None] + np.arange(-k, k + 1).astype(u)).astype(u).view(dt).ravel()


def _logf_inputs(rng):
    """the edges of glibc's 16 subintervals (z = 0x1.66p-1 + j 2^-4 as float bits 0x3f330000 +
    j << 19) over many binades and their neighbours, the smallest normal, 1, specials and
    subnormals, random bit patterns, moderate values"""
    edges = (np.uint32(0x3f330000) + (np.arange(16, dtype=np.uint32) << np.uint32(19))
             ).view(np.float32)
    scaled = np.concatenate([edges * np.float32(2.0 ** e)
                             for e in (-125, -60, -1, 0, 1, 20, 100, 126)])
    near = _around([1.0, 2.0 ** -126, 1e-45, 3.4028235e38, 0.5, 2.0], np.float32, 20)
    return rng.permutation(np.concatenate([
        _around(scaled, np.float32, 3), near,
        rng.integers(0, 1 << 32, 20_000, dtype=np.uint64).astype(np.uint32).view(np.float32),
        np.abs(rng.standard_normal(20_000)).astype(np.float32),
        np.array([0.0, -0.0, np.inf, -np.inf, np.nan, -1.0], np.float32)]))


def test_logf_is_libm(libm, kernel_set):
    """every subinterval and binade, specials, random bits: mode 1 (unchecked) and 2"""
    x = _logf_inputs(np.random.default_rng(31))
    want = per_element(libm["logf"], x)
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        _C.libm("log", x, out, True, mode)
        same_bits(out, want)


def test_logf_consecutive_floats(libm, kernel_set):
    """2^19 consecutive floats from 1.5: about 2^19 / 2^16 lanes lie within the fast path's
    window of a float rounding boundary (twice the 8-lane kernel's), so steps are left to the
    kernel in many blocks, some for lanes that the kernel computes itself"""
    x = (np.uint32(0x3fc00000) + np.arange(1 << 19, dtype=np.uint32)).view(np.float32)
    want = per_element(libm["logf"], x)
    out = np.empty_like(x)
    _C.libm("log", x, out, True, 1)
    same_bits(out, want)


def test_logf_blocks_in_place_and_overlapping(libm, kernel_set):
    """lengths around a step of 16 and a block of 64 steps, specials in some steps (left to
    the kernel and libm), the result over its input, and one element before it (each element
    is libm's value of the original input, as TH's element loop gives)"""
    rng = np.random.default_rng(6)
    base = (np.abs(rng.standard_normal(2100)) * 3).astype(np.float32)
    base[::41] = 0.0
    base[5::97] = -2.0
    base[7::131] = 1e-40  # (subnormal)
    want_all = per_element(libm["logf"], base)
    for n in (1, 7, 8, 15, 16, 17, 31, 1023, 1024, 1025, 1040, 2100):
        same_bits_placed("log", base[:n].copy(), want_all[:n], True, in_place_mode=2)


def test_exp_every_table_entry(libm, kernel_set):
    """double exp at x = (128 m + j) ln2 / 128 for every table index j (and neighbours, which
    round k either way), positive and negative, near the branches' edges; in place and in
    lengths that leave a tail"""
    j = np.arange(-1024, 1024, dtype=np.float64)
    grid = j * (np.log(2.0) / 128)
    x = np.concatenate([_around(grid, np.float64, 2), _around(grid * 4, np.float64, 1),
                        _around(grid + 0.5 * np.log(2.0) / 128, np.float64, 1)])
    x = np.random.default_rng(9).permutation(x)
    want = per_element(libm["exp"], x)
    out = np.full_like(x, 7.0)
    _C.libm("exp", x, out, False, 1)
    same_bits(out, want)
    y = x.copy()
    _C.libm("exp", y, y, False, 2)
    same_bits(y, want)
    for n in (1, 7, 9, 13):
        out = np.full(n + 1, 7.0)
        _C.libm("exp", x[:n], out[:n], False, 1)
        same_bits(out[:n], want[:n])
        assert out[n] == 7.0


def test_logf_portable_set(libm):
    """the portable set (CPUs without AVX2+FMA) on this CPU: its products and sums unfused,
    the filter still leaves it libm's bits"""
    rng = np.random.default_rng(32)
    x = np.concatenate([_logf_inputs(rng), rng.uniform(0.25, 8, 30_000).astype(np.float32)])
    want = per_element(libm["logf"], x)
    _C.use_hardware(False)
    try:
        for n in (x.size, 13, 7):
            out = np.full(n, 7.0, np.float32)
            _C.libm("log", x[:n], out, True, 1)
            same_bits(out, want[:n])
    finally:
        _C.use_hardware(True)
