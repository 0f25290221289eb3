"""The powf lane kernel of torch7py/_vmath_more_k.h (optimized-routines' powf.c as glibc 2.28+
builds it, for one exponent: TH's pow(t, value) on FloatTensors) through _exact.libm2 and
torch.pow.

Expectations: the C library's own powf called element by element through ctypes, compared
bit for bit."""
import ctypes

import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import libm_lib, needs_libm_wide, same_bits, selected_set

_C = numerics._c
pytestmark = needs_libm_wide

# fractional, negative, odd and even integers (negative bases), large, tiny, special
_YS = (2.5, -1.5, 3.0, -2.0, 0.5, 7.0, 1.1, 100.0, -35.0, 1e-3, 0.0, float("inf"),
       float("nan"), -0.0, 1.0)


@pytest.fixture(scope="module")
def powf():
    f = libm_lib().powf
    f.restype, f.argtypes = ctypes.c_float, [ctypes.c_float, ctypes.c_float]
    return f


def _inputs(n=12_000):
    """every 2^32/n-th bit pattern (both signs, zeros, subnormals, inf, NaN), values of
    moderate size of both signs, the neighbours of 1 and -1 (quiet NaNs only)"""
    rng = np.random.default_rng(21)
    spread = (np.arange(n, dtype=np.uint64) * ((1 << 32) // n) + 12345).astype(np.uint32)
    near1 = (np.array([0x3f800000, 0xbf800000], np.int64)[:, None]
             + np.arange(-200, 200)).astype(np.uint32).ravel()
    moderate = (rng.standard_normal(n // 2) * 4).astype(np.float32).view(np.uint32)
    u = np.concatenate([spread, near1, moderate])
    # signaling NaNs made quiet: ctypes passes floats through Python's (double) floats, which
    # quiets them, and powf(sNaN, 0) is NaN where powf(qNaN, 0) is 1
    snan = ((u & 0x7f800000) == 0x7f800000) & ((u & 0x7fffff) != 0)
    u[snan] |= np.uint32(0x400000)
    return u.view(np.float32)


def _want(powf, x, y):
    with np.errstate(all="ignore"):
        return np.array([powf(v, np.float32(y)) for v in x.tolist()], np.float32)


@pytest.fixture(scope="module")
def cases(powf):
    """the inputs and libm's powf of them for each exponent (computed once for every set)"""
    x = _inputs()
    return x, {y: _want(powf, x, y) for y in _YS}


@pytest.mark.parametrize("which", ["avx512", "avx2", "portable"])
def test_kernel_is_libm(cases, which):
    """each set's kernel (unchecked, mode 1, and checked, mode 2) gives libm's bits for every
    kind of exponent; the portable one too (a filter hands lanes near a float rounding
    boundary to libm, so a fused or unfused product does not matter)"""
    with selected_set(which):
        x, wants = cases
        for y, want in wants.items():
            for mode in (1, 2):
                out = np.full_like(x, 7.0)
                with np.errstate(all="ignore"):
                    _C.libm2("pow", x, y, out, 0, mode)
                same_bits(out, want)


def test_tensor_pow_and_tails(powf):
    """torch.pow(FloatTensor, v) (libm's powf for exponents other than TH's special 1, 2, 3,
    0.5, -0.5, -1, -2), contiguous and strided, and in place; lengths around a step's lanes
    write only their own elements"""
    rng = np.random.default_rng(5)
    v = (rng.standard_normal(1001) * 3).astype(np.float32)
    t = torch.FloatTensor(v.size).copy(torch.from_numpy(v))
    for y in (2.5, -3.0, 5.0, 0.25):
        want = _want(powf, v, y)
        with np.errstate(all="ignore"):
            same_bits(torch.pow(t, y).numpy(), want)
            m = torch.FloatTensor(v.size, 2).copy(torch.from_numpy(np.stack([v, v], 1)))
            col = m.select(2, 2)
            same_bits(torch.pow(col, y).numpy(), want)
            u = t.clone()
            u.pow(u, y)
            same_bits(u.numpy(), want)
    want = _want(powf, v, 1.7)
    for n in (1, 3, 7, 8, 9, 15, 16, 17, 31, 33):
        out = np.full(n + 1, 7.0, np.float32)
        _C.libm2("pow", v[:n], 1.7, out[:n], 0, 1)
        same_bits(out[:n], want[:n])
        assert out[n] == 7.0
