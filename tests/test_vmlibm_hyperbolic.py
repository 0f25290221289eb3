"""The double cosh and sinh lane kernels of torch7py/_vmath_more_k.h (fdlibm's e_cosh.c and
e_sinh.c over the exp and expm1 lane kernels) through _exact.libm and torch.cosh / torch.sinh
on DoubleTensors.

Expectations: the C library's own cosh and sinh called element by element through ctypes,
compared bit for bit."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import libm_fn, libm_lib, needs_libm_wide, same_bits, selected_set

_C = numerics._c
pytestmark = needs_libm_wide


@pytest.fixture(scope="module")
def libm():
    lib = libm_lib()
    return {n: libm_fn(lib, n, False) for n in ("cosh", "sinh")}


def _inputs(n=16_000):
    """specials; fdlibm's thresholds (cosh: 2^-55, 0.5 ln2; sinh: 2^-28, 1.5 ln2 where expm1's
    k leaves 1, 1; both: 22, exp's 512, log(DBL_MAX), overflow) with random low words, both
    signs; random bit patterns; values in [-30, 30]; log-uniform magnitudes"""
    rng = np.random.default_rng(31)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, 22.0, 512.0, 710.0, 711.0])
    his = np.array([0x3c800000, 0x3c7fffff, 0x3fd62e43, 0x3fd62e42, 0x40360000, 0x4035ffff,
                    0x40800000, 0x407fffff, 0x40862e42, 0x408633ce, 0x3e300000, 0x3e2fffff,
                    0x3ff0a2b2, 0x3ff0a2b1, 0x3ff0a2b3, 0x3ff00000, 0x3fefffff], np.uint64)
    lows = rng.integers(0, 1 << 32, (his.size, 100), dtype=np.uint64)
    th = ((his[:, None] << np.uint64(32)) | lows).view(np.float64).ravel()
    q = (n - edges.size - 2 * th.size) // 3
    bits = rng.integers(0, 1 << 64, q, dtype=np.uint64).view(np.float64)
    mod = rng.uniform(-30.0, 30.0, q)
    mags = np.exp2(rng.uniform(-70, 10, q)) * rng.choice([-1.0, 1.0], q)
    return np.concatenate([edges, th, -th, bits, mod, mags])


@pytest.mark.parametrize("name", ["cosh", "sinh"])
def test_set_is_libm(libm, name, kernel_set):
    """each set's kernel, unchecked and checked, gives libm's bits; the check admits it"""
    x = _inputs()
    with np.errstate(all="ignore"):
        want = np.array([libm[name](v) for v in x.tolist()])
    assert name in _C.libm_fast(True)
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        with np.errstate(all="ignore"):
            _C.libm(name, x, out, False, mode)
        same_bits(out, want)


@pytest.mark.parametrize("name", ["cosh", "sinh"])
def test_portable_dispatch_and_forms(libm, name):
    """the portable set behind its check (glibc's baseline exp/expm1 replicated: a CPU with
    FMA keeps libm's loop), and torch.cosh / torch.sinh on a DoubleTensor, strided and in
    place"""
    x = _inputs(6_000)
    with np.errstate(all="ignore"):
        want = np.array([libm[name](v) for v in x.tolist()])
    try:
        _C.use_hardware(False)
        out = np.full_like(x, 7.0)
        with np.errstate(all="ignore"):
            _C.libm(name, x, out, False, 2)
    finally:
        _C.use_hardware(True)
    same_bits(out, want)
    t = torch.DoubleTensor(x.size).copy(torch.from_numpy(x))
    with np.errstate(all="ignore"):
        same_bits(getattr(torch, name)(t).numpy(), want)
        m = torch.DoubleTensor(x.size, 2).copy(torch.from_numpy(np.stack([x, x], 1)))
        same_bits(getattr(torch, name)(m.select(2, 2)).numpy(), want)
        for n in (1, 3, 7, 8, 9, 17):
            u = torch.DoubleTensor(n).copy(torch.from_numpy(x[:n].copy()))
            getattr(u, name)(u)
            same_bits(u.numpy(), want[:n])


@pytest.fixture(scope="module")
def float_cases():
    """every 2^32/n-th float bit pattern; values in [-30, 30]; the thresholds of coshf and
    sinhf (2^-55, 2^-28, 0.5 ln2, 1, 1.5 ln2, 22, expf's 85, overflow) and expm1f's k = 1
    boundary with 200 neighbours each, both signs; libm's coshf and sinhf of them"""
    n = 40_000
    spread = (np.arange(n, dtype=np.uint64) * ((1 << 32) // n) + 777).astype(np.uint32)
    mod = np.linspace(-30, 30, 8001).astype(np.float32).view(np.uint32)
    his = np.array([0x24000000, 0x31800000, 0x3eb17218, 0x3f800000, 0x3f851592, 0x41b00000,
                    0x42aa0000, 0x42b17180, 0x42b2d4fc, 0x7f800000], np.int64)
    near = (his[:, None] + np.arange(-100, 100)).astype(np.uint32).ravel()
    x = np.concatenate([spread, mod, near, near | np.uint32(0x80000000)]).view(np.float32)
    lib = libm_lib()
    with np.errstate(all="ignore"):
        return x, {n: np.array([libm_fn(lib, n, True)(v) for v in x.tolist()], np.float32)
                   for n in ("cosh", "sinh")}


@pytest.mark.parametrize("name", ["cosh", "sinh"])
@pytest.mark.parametrize("which", ["avx512", "avx2", "portable"])
def test_float_kernel_is_libm(float_cases, which, name):
    """coshf / sinhf: each set's kernel (unchecked and checked) gives libm's bits: float
    arithmetic over the expf kernel (its filtered lanes recomputed by libm's expf) and fdlibm's
    expm1f, so the portable set too on any CPU; torch.cosh / torch.sinh on a FloatTensor"""
    with selected_set(which):
        assert name in _C.libm_fast()
        x, wants = float_cases
        for mode in (1, 2):
            out = np.full_like(x, 7.0)
            with np.errstate(all="ignore"):
                _C.libm(name, x, out, True, mode)
            same_bits(out, wants[name])
        v = x[40_000:48_001]
        t = torch.FloatTensor(v.size).copy(torch.from_numpy(v))
        same_bits(getattr(torch, name)(t).numpy(), wants[name][40_000:48_001])
