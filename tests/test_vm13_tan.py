"""The tan lane kernels of torch7py/_vmath_tan_k.h through _exact.libm and torch.tan: float
(glibc 2.36's tanf: sinf's double reduction, fdlibm's float __kernel_tanf) on every kernel
set; double (our double-double tan, lanes near a rounding midpoint to libm) on the sets with
FMA.

Expectations: the C library's own tanf and tan called element by element through ctypes,
compared bit for bit."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import (libm_fn, libm_lib, needs_libm_wide, same_bits, same_bits_placed,
                      selected_set)

_C = numerics._c
pytestmark = needs_libm_wide


@pytest.fixture(scope="module")
def float_cases():
    """every 2^32/n-th bit pattern; uniform values in [-130, 130]; 400 floats around each
    multiple of pi/4 below 120 (where the reduced argument is tiny, or crosses 0.6744's branch
    and pi/4); the kernel's thresholds (pi/4, 0.6744, 2^-13, 120, inf) with 200 neighbours
    each, both signs; libm's tanf of them"""
    rng = np.random.default_rng(13)
    n = 40_000
    spread = (np.arange(n, dtype=np.uint64) * ((1 << 32) // n) + 1234).astype(np.uint32)
    uni = rng.uniform(-130, 130, 20_000).astype(np.float32).view(np.uint32)
    quarter = (np.arange(1, 153) * (np.pi / 4)).astype(np.float32).view(np.uint32)
    around = (quarter[:, None].astype(np.int64) + np.arange(-200, 200)).astype(np.uint32)
    his = np.array([0x3f490fda, 0x3f2ca140, 0x39000000, 0x42f00000, 0x7f800000, 0x00000000,
                    0x3fc90fdb], np.int64)
    near = (his[:, None] + np.arange(-100, 100)).astype(np.uint32).ravel()
    u = np.concatenate([spread, uni, around.ravel(), near])
    u = np.concatenate([u, u | np.uint32(0x80000000)])
    x = u.view(np.float32)
    tanf = libm_fn(libm_lib(), "tan", True)
    with np.errstate(all="ignore"):
        return x, np.array([tanf(v) for v in x.tolist()], np.float32)


@pytest.mark.parametrize("which", ["avx512", "avx2", "portable"])
def test_float_kernel_is_libm(float_cases, which):
    """each set's kernel (unchecked and checked) gives tanf's bits: glibc's tanf is one build,
    float and double operations unfused, so the portable set too on any CPU"""
    with selected_set(which):
        assert "tan" in _C.libm_fast()
        x, want = float_cases
        for mode in (1, 2):
            out = np.full_like(x, 7.0)
            with np.errstate(all="ignore"):
                _C.libm("tan", x, out, True, mode)
            same_bits(out, want)


def test_float_tensor_forms(float_cases):
    """torch.tan on a FloatTensor: contiguous, strided, in place, short lengths"""
    x, want = float_cases
    v, w = x[40_000:44_001], want[40_000:44_001]
    t = torch.FloatTensor(v.size).copy(torch.from_numpy(v))
    same_bits(torch.tan(t).numpy(), w)
    m = torch.FloatTensor(v.size, 2).copy(torch.from_numpy(np.stack([v, v], 1)))
    same_bits(torch.tan(m.select(2, 1)).numpy(), w)
    for n in (1, 5, 15, 16, 17, 40):
        u = torch.FloatTensor(n).copy(torch.from_numpy(v[:n].copy()))
        u.tan(u)
        same_bits(u.numpy(), w[:n])


@pytest.fixture(scope="module")
def double_cases():
    """random bit patterns; uniform values in [-40, 40] and log-uniform magnitudes up to 2^27;
    values within 2^-40 .. 0.2 of k pi/2 (|k| < 40: poles, zeros, s_tan.c's 0.0608 after its
    reduction); s_tan.c's thresholds (1.259e-8, 0.0608, 0.787, 25) and the kernel's (2^26,
    2^-30) with neighbours; zeros, subnormals, inf, NaN; libm's tan of them"""
    rng = np.random.default_rng(130)
    n = 20_000
    bits = rng.integers(0, 1 << 64, n, dtype=np.uint64).view(np.float64)
    uni = rng.uniform(-40, 40, n)
    mags = np.exp2(rng.uniform(-40, 27, n)) * rng.choice([-1.0, 1.0], n)
    k = rng.integers(-40, 40, n).astype(np.float64)
    poles = k * (np.pi / 2) + np.exp2(rng.uniform(-40, np.log2(0.2), n)) * rng.choice(
        [-1.0, 1.0], n)
    edges = np.array([1.259e-8, float.fromhex("0x1.f212dp-5"), float.fromhex("0x1.92f1ap-1"),
                      25.0, 2.0 ** 26, 2.0 ** -30,
                      np.pi / 4, np.pi / 2])
    near = (edges.view(np.uint64)[:, None].astype(np.int64) + np.arange(-50, 50)).astype(
        np.uint64).view(np.float64).ravel()
    special = np.array([0.0, 5e-324, 2.2250738585072014e-308, 1e-300, np.inf, np.nan, 1e300])
    x = np.concatenate([bits, uni, mags, poles, near, special])
    x = np.concatenate([x, -x])
    tan = libm_fn(libm_lib(), "tan", False)
    with np.errstate(all="ignore"):
        return x, np.array([tan(v) for v in x.tolist()])


@pytest.mark.parametrize("which", ["avx512", "avx2"])
def test_double_kernel_is_libm(double_cases, which):
    """each FMA set's kernel (unchecked and checked) gives tan's bits: correctly rounded where
    libm's own error cannot reach the midpoint, libm's where it can"""
    with selected_set(which):
        assert "tan" in _C.libm_fast(True)
        x, want = double_cases
        for mode in (1, 2):
            out = np.full_like(x, 7.0)
            with np.errstate(all="ignore"):
                _C.libm("tan", x, out, False, mode)
            same_bits(out, want)


def test_double_portable_is_libm_loop(double_cases):
    """the portable set has no double tan kernel (its double-double products need FMA): the
    checked call is libm's loop, the unchecked one refused"""
    with selected_set("portable"):
        assert "tan" not in _C.libm_fast(True)
        x, want = double_cases
        out = np.empty_like(x)
        with np.errstate(all="ignore"):
            _C.libm("tan", x, out, False, 2)
        same_bits(out, want)
        with pytest.raises(ValueError, match="no portable double kernel for tan"):
            _C.libm("tan", x, out, False, 1)


def test_double_tensor_forms(double_cases):
    """torch.tan on a DoubleTensor: contiguous, strided, in place, short lengths"""
    x, want = double_cases
    v, w = x[20_000:24_001], want[20_000:24_001]
    t = torch.DoubleTensor(v.size).copy(torch.from_numpy(v))
    same_bits(torch.tan(t).numpy(), w)
    m = torch.DoubleTensor(v.size, 2).copy(torch.from_numpy(np.stack([v, v], 1)))
    same_bits(torch.tan(m.select(2, 1)).numpy(), w)
    for n in (1, 5, 7, 8, 9, 40, 600):
        u = torch.DoubleTensor(n).copy(torch.from_numpy(v[:n].copy()))
        u.tan(u)
        same_bits(u.numpy(), w[:n])


@pytest.mark.parametrize("single", [True, False])
def test_placed(float_cases, double_cases, single):
    """into another buffer, in place and one element before the input (a block of the double
    loop, 512, and more: the lanes sent to libm keep their inputs)"""
    x, want = float_cases if single else double_cases
    same_bits_placed("tan", x[40_000:41_300], want[40_000:41_300], single)
