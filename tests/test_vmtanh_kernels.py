"""The fast paths of torch7py/_vmath.c's tanh (float and double) and double log lane kernels
and the block loop that runs them (steps a fast path leaves to the full kernel, in place and
overlapping buffers, tails).

Expectations: the C library's own tanhf, tanh and log called element by element through
ctypes (what TH calls per element), compared bit for bit."""
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
    fns = {(n, False): libm_fn(lib, n, False) for n in ("tanh", "log")}
    fns["tanh", True] = libm_fn(lib, "tanh", True)
    return fns


def _around(values, dtype, width=40):
    """each value (and its negative) with `width` neighbours on each side, bit for bit"""
    u = np.uint32 if dtype == np.float32 else np.uint64
    v = np.array(values, dtype)
    v = np.concatenate([v, -v]).view(u)
    with np.errstate(over="ignore"):
        out = (v[:, None] + np.arange(-width, width + 1).astype(u)).view(dtype)
    return out.ravel()


# the thresholds of fdlibm's tanh and expm1 branches for tanh's arguments, and of the fast
# paths: 2^-55 and 2^-26 (tiny), ln2/4 and 3 ln2/4 (expm1's k = 0 and -1 of -2|x|), 5 ln2/4
# (k = -2 / -3), 1, 22 ln2/2 and 23 ln2/2 (k = 22 / 23: 2^-k branch for floats), 20 ln2/2
# (doubles), 6.5, 9.0109 (float tanh is 1 from there), 19.5, 22, the largest finite value
_EDGES = [2.0 ** -55, 2.0 ** -26, np.log(2) / 4, 3 * np.log(2) / 4, 5 * np.log(2) / 4, 1.0,
          10 * np.log(2), 11 * np.log(2), 11.5 * np.log(2), 6.5, 7.7, 9.0109129, 19.5, 22.0]


def _inputs(dtype, n=40_000):
    rng = np.random.default_rng(33)
    big = np.finfo(dtype).max
    specials = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, big, -big,
                         np.finfo(dtype).tiny, np.finfo(dtype).smallest_subnormal], dtype)
    normal = rng.standard_normal(n).astype(dtype)
    wide = rng.uniform(-12, 12, n).astype(dtype)
    mags = (np.exp2(rng.uniform(-70, 6, n)) * rng.choice([-1.0, 1.0], n)).astype(dtype)
    x = np.concatenate([_around(_EDGES, dtype), specials, normal, wide, mags])
    return rng.permutation(x)  # (mixed steps: most have a lane the fast path leaves)


@pytest.mark.parametrize("single", [False, True])
def test_tanh_is_libm(single, libm, kernel_set):
    """tanh on both sets, unchecked and checked: libm's bits around every branch threshold,
    on specials, normal and log-uniform inputs, in steps mixed with lanes the fast path
    leaves"""
    dt = np.float32 if single else np.float64
    x = _inputs(dt)
    want = per_element(libm["tanh", single], x)
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        _C.libm("tanh", x, out, single, mode)
        same_bits(out, want)
    # whole steps in the fast path (sorted: the lanes the fast path leaves gather at the ends)
    xs = np.sort(x[np.isfinite(x)])
    out = np.empty_like(xs)
    _C.libm("tanh", xs, out, single, 1)
    same_bits(out, per_element(libm["tanh", single], xs))


@pytest.mark.parametrize("single", [False, True])
def test_tanh_blocks_in_place_and_overlapping(single, libm, kernel_set):
    """lengths around a step and a block of 64 steps, the result written over the input, and
    a result that overlaps the input one element before it (as TH's element loop, each
    element is libm's value of the original input)"""
    dt = np.float32 if single else np.float64
    f = libm["tanh", single]
    rng = np.random.default_rng(5)
    base = rng.standard_normal(2000).astype(dt)
    base[::37] = 8.0  # (a lane the fast path leaves, in one step of many blocks)
    for n in (1, 7, 8, 15, 16, 17, 511, 512, 513, 1023, 1024, 1025, 1999):
        x = base[:n].copy()
        same_bits_placed("tanh", x, per_element(f, x), single)


def test_log_is_libm(libm, kernel_set):
    """double log on both sets: every one of the 128 subintervals of glibc's table (their
    edges and neighbours, over several binades: the AVX-512 set reads the table by the input's
    bits), the path near 1 and its edges, specials, subnormals, random bit patterns; in
    place too"""
    rng = np.random.default_rng(8)
    # the subinterval edges: z = 0x1.6p-1 + j 2^-7 ... as bits 0x3fe6 << 48 + j << 45
    edges = (np.uint64(0x3fe6000000000000) + (np.arange(128, dtype=np.uint64)
                                              << np.uint64(45))).view(np.float64)
    scaled = np.concatenate([edges * 2.0 ** e for e in (-1030, -300, -1, 0, 1, 7, 500, 1000)])
    near = _around([1 - 2.0 ** -4, 1 + float.fromhex("0x1.09p-4"), 1.0, 2.0 ** -1022,
                    float.fromhex("0x1.6p-1"), float.fromhex("0x1.6p0")], np.float64, 20)
    x = np.concatenate([_around(scaled, np.float64, 3), near,
                        rng.integers(0, 1 << 64, 20_000, dtype=np.uint64).view(np.float64),
                        np.abs(rng.standard_normal(20_000)),
                        rng.uniform(0.9, 1.1, 5_000), [0.0, -0.0, np.inf, -np.inf, np.nan]])
    x = rng.permutation(x)
    want = per_element(libm["log", False], x)
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        _C.libm("log", x, out, False, mode)
        same_bits(out, want)
    y = x.copy()
    _C.libm("log", y, y, False, 1)
    same_bits(y, want)
    for n in (1, 7, 9, 511, 513, 1025):
        out = np.full(n + 1, 7.0)
        _C.libm("log", x[:n], out[:n], False, 1)
        same_bits(out[:n], want[:n])
        assert out[n] == 7.0
        buf = np.concatenate([[0.0], x[:n]])
        _C.libm("log", buf[1:], buf[:n], False, 1)  # (y one element before x)
        same_bits(buf[:n], want[:n])
