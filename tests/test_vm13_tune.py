"""The retuned lane kernels of torch7py/_vmath_more_k.h (float and double sinh and cosh: one
expm1 pass for every branch, one quotient a lane, coshf over a block's expf) through
_exact.libm on each kernel set, over lengths that end inside a step and inside a block, in
place and over a buffer shifted by one element.

Expectations: the C library's own functions (sinhf, coshf, sinh, cosh) called element by
element through ctypes, compared bit for bit."""
import numpy as np
import pytest

from torch7py import numerics

from libm_ref import (libm_fn, libm_lib, needs_libm_wide, per_element, same_bits_placed,
                      selected_set)

_C = numerics._c
pytestmark = needs_libm_wide

_SETS = ("avx512", "avx2", "portable")


def _float_inputs():
    """fdlibm's thresholds of sinhf/coshf and their expm1f (2^-28, 2^-25, 0.5 ln2, 1.5 ln2,
    1, 23 ln2 where expm1f's 2^-k form starts, 22, the overflow bound) with 64 neighbours
    each, both signs; specials; every 2^32/20000-th bit pattern; normal values"""
    his = np.array([0x31800000, 0x33000000, 0x24000000, 0x3eb17218, 0x3f851592, 0x3f800000,
                    0x417f0000, 0x41800000, 0x41b00000, 0x42b1717f, 0x42b17218, 0x7f800000,
                    0x00000000], np.int64)
    near = (his[:, None] + np.arange(-32, 32)).clip(0).astype(np.uint32).ravel()
    spread = (np.arange(20_000, dtype=np.uint64) * ((1 << 32) // 20_000) + 77).astype(np.uint32)
    u = np.concatenate([near, near | np.uint32(0x80000000), spread])
    rng = np.random.default_rng(13)
    return np.concatenate([u.view(np.float32),
                           rng.standard_normal(6_000).astype(np.float32),
                           rng.uniform(-25, 25, 6_000).astype(np.float32)])


def _double_inputs():
    """the same thresholds for fdlibm's sinh/cosh and expm1 (high words, random low words),
    both signs; random bit patterns; values in [-30, 30]"""
    rng = np.random.default_rng(14)
    his = np.array([0x3e300000, 0x3c900000, 0x3c800000, 0x3fd62e42, 0x3fd62e43, 0x3ff0a2b2,
                    0x3ff0a2b1, 0x3ff00000, 0x402bb000, 0x402c0000, 0x40360000, 0x4035ffff,
                    0x40800000], np.uint64)
    lows = rng.integers(0, 1 << 32, (his.size, 64), dtype=np.uint64)
    th = ((his[:, None] << np.uint64(32)) | lows).view(np.float64).ravel()
    bits = rng.integers(0, 1 << 64, 4_000, dtype=np.uint64).view(np.float64)
    return np.concatenate([th, -th, bits, rng.uniform(-30, 30, 8_000),
                           [0.0, -0.0, np.inf, -np.inf, np.nan, 22.0, -22.0]])


@pytest.fixture(scope="module")
def want():
    lib = libm_lib()
    xf, xd = _float_inputs(), _double_inputs()
    out = {}
    for name in ("sinh", "cosh"):
        out[name, True] = (xf, per_element(libm_fn(lib, name, True), xf))
        out[name, False] = (xd, per_element(libm_fn(lib, name, False), xd))
    return out


@pytest.mark.parametrize("which", _SETS)
@pytest.mark.parametrize("name", ["sinh", "cosh"])
def test_float_set_is_libm(want, name, which):
    """each set's float kernel gives libm's bits, into another buffer, in place and one
    element before its input, on lengths that end inside a 16-lane step and a 256 block"""
    x, w = want[name, True]
    with selected_set(which):
        for n in (x.size, 1, 15, 17, 255, 257, 1000):
            with np.errstate(all="ignore"):
                same_bits_placed(name, x[:n].copy(), w[:n], True)


@pytest.mark.parametrize("which", ["avx512", "avx2"])
@pytest.mark.parametrize("name", ["sinh", "cosh"])
def test_double_set_is_libm(want, name, which):
    """each FMA set's double kernel gives libm's bits (the portable set replicates glibc's
    baseline build, which this CPU's libm is not: test_vmlibm_hyperbolic covers its dispatch)"""
    x, w = want[name, False]
    with selected_set(which):
        for n in (x.size, 1, 7, 9, 1001):
            with np.errstate(all="ignore"):
                same_bits_placed(name, x[:n].copy(), w[:n], False)


@pytest.mark.parametrize("which", _SETS)
@pytest.mark.parametrize("name", ["sin", "cos"])
def test_sincosf_quadrant_edges(name, which):
    """sinf/cosf, whose quadrant the AVX sets round to nearest from x 2/pi (glibc truncates a
    scaled product first, the same n for every float below 120): the floats within 2000 units
    of each odd multiple of pi/4 below 120, where a quadrant ends, both signs, against libm's"""
    centers = np.array([k * np.pi / 4 for k in range(1, 153, 2)], np.float32).view(np.uint32)
    u = (centers[:, None].astype(np.int64) + np.arange(-2000, 2000)).astype(np.uint32).ravel()
    x = np.concatenate([u, u | np.uint32(0x80000000)]).view(np.float32)
    w = per_element(libm_fn(libm_lib(), name, True), x)
    with selected_set(which):
        same_bits_placed(name, x, w, True)
