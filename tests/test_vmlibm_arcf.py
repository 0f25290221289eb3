"""The float atan, asin and acos lane kernels of torch7py/_vmath_more_k.h (fdlibm's s_atanf.c,
e_asinf.c, e_acosf.c: glibc's one float build each) through _exact.libm and torch.atan /
torch.asin / torch.acos on FloatTensors.

Expectations: the C library's own atanf, asinf, acosf called element by element through
ctypes, compared bit for bit."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import libm_fn, libm_lib, needs_libm_wide, same_bits, selected_set

_C = numerics._c
pytestmark = needs_libm_wide


_NAMES = ("atan", "asin", "acos")


@pytest.fixture(scope="module")
def cases():
    """every 2^32/n-th bit pattern; values in [-1, 1]; the thresholds of the reductions (atan:
    7/16, 11/16, 19/16, 39/16, 2^25, 2^-29; asin/acos: 0.5, 0.975, 1, 2^-27, 2^-26) with 200
    neighbours each, both signs; libm's atanf, asinf, acosf of them"""
    n = 40_000
    spread = (np.arange(n, dtype=np.uint64) * ((1 << 32) // n) + 4321).astype(np.uint32)
    unit = np.linspace(-1, 1, 8001).astype(np.float32).view(np.uint32)
    his = np.array([0x3ee00000, 0x3f300000, 0x3f980000, 0x401c0000, 0x4c000000, 0x31000000,
                    0x7f800000, 0x3f800000, 0x00000000, 0x3f000000, 0x3f79999a, 0x32000000,
                    0x32800000], np.int64)
    near = (his[:, None] + np.arange(-100, 100)).astype(np.uint32).ravel()
    u = np.concatenate([spread, unit, near, near | np.uint32(0x80000000)])
    x = u.view(np.float32)
    lib = libm_lib()
    with np.errstate(all="ignore"):
        return x, {n: np.array([libm_fn(lib, n, True)(v) for v in x.tolist()], np.float32)
                   for n in _NAMES}


@pytest.mark.parametrize("name", _NAMES)
@pytest.mark.parametrize("which", ["avx512", "avx2", "portable"])
def test_kernel_is_libm(cases, which, name):
    """each set's kernel (unchecked and checked) gives libm's bits: float arithmetic, nothing
    fused, so the portable set too on any CPU"""
    with selected_set(which):
        assert name in _C.libm_fast()
        x, wants = cases
        for mode in (1, 2):
            out = np.full_like(x, 7.0)
            with np.errstate(all="ignore"):
                _C.libm(name, x, out, True, mode)
            same_bits(out, wants[name])


@pytest.mark.parametrize("name", _NAMES)
def test_tensor_forms(cases, name):
    """torch.atan / asin / acos on a FloatTensor: contiguous, strided, in place, short
    lengths"""
    x, wants = cases
    v, w = x[40_000:44_001], wants[name][40_000:44_001]
    t = torch.FloatTensor(v.size).copy(torch.from_numpy(v))
    same_bits(getattr(torch, name)(t).numpy(), w)
    m = torch.FloatTensor(v.size, 2).copy(torch.from_numpy(np.stack([v, v], 1)))
    same_bits(getattr(torch, name)(m.select(2, 1)).numpy(), w)
    for n in (1, 5, 15, 16, 17, 40):
        u = torch.FloatTensor(n).copy(torch.from_numpy(v[:n].copy()))
        getattr(u, name)(u)
        same_bits(u.numpy(), w[:n])
