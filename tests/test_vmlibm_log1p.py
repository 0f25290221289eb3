"""The log1p lane kernels of torch7py/_vmath_more_k.h (fdlibm's s_log1p.c and s_log1pf.c as
glibc builds them) and their users: torch.log1p on DoubleTensors and FloatTensors, nn.SoftPlus
(THNN: `log1p(exp(x * beta)) / beta` in double).

Expectations: the C library's own log1p and exp called element by element through ctypes,
compared bit for bit (never numpy's log1p: its SIMD code gives other last bits)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn, numerics

from libm_ref import libm_fn, libm_lib, needs_libm_wide, same_bits, selected_set

_C = numerics._c
pytestmark = needs_libm_wide


@pytest.fixture(scope="module")
def libm():
    lib = libm_lib()
    fns = {n: libm_fn(lib, n, False) for n in ("log1p", "exp")}
    fns["log1pf"] = libm_fn(lib, "log1p", True)
    return fns


def _ref(f, x):
    with np.errstate(all="ignore"):
        return np.array([f(v) for v in np.asarray(x, np.float64).tolist()])


def _inputs(n=60_000):
    """specials; the thresholds of fdlibm's branches (high words 0x3fda827a: x < 0.41422;
    0xbfd2bec3/4: x > -0.2929; 0x3e200000 and 0x3c900000: |x| < 2^-29, 2^-54; 0x43400000:
    x >= 2^53; -1) with random low words; 2^j - 1 plus small offsets (1 + x near a power of
    two: |f| < 2^-20 and the correction term); random bit patterns; values in (-1, 3);
    log-uniform magnitudes of both signs"""
    rng = np.random.default_rng(7)
    edges = [0.0, -0.0, np.inf, -np.inf, np.nan, -1.0, 1.0, 5e-324, -5e-324,
             2.0 ** -1022, 1.7976931348623157e308, 2.0 ** 53, -0.5, 0.5]
    e = np.array(edges).view(np.uint64)
    with np.errstate(over="ignore"):
        near = (e[:, None] + np.arange(-3, 4).astype(np.uint64)).view(np.float64).ravel()
    his = np.array([0x3fda827a, 0x3fda8279, 0xbfd2bec3, 0xbfd2bec4, 0xbfd2bec5, 0x3e200000,
                    0x3e1fffff, 0xbe200000, 0xbe1fffff, 0x3c900000, 0x3c8fffff, 0xbc900000,
                    0x43400000, 0x433fffff, 0xbfefffff, 0x3ff6a09e, 0x3ff6a09d, 0x3fe6a09e,
                    0x3fe6a09d, 0x3feffff0], np.uint64)
    lows = rng.integers(0, 1 << 32, (his.size, 200), dtype=np.uint64)
    thresholds = ((his[:, None] << np.uint64(32)) | lows).view(np.float64).ravel()
    rest = n - near.size - thresholds.size
    q = rest // 4
    j = rng.integers(-3, 64, q).astype(np.float64)
    pow2 = np.exp2(j) - 1.0 + rng.choice([-1.0, 1.0], q) * np.exp2(rng.uniform(-70, 0, q))
    bits = rng.integers(0, 1 << 64, q, dtype=np.uint64).view(np.float64)
    moderate = rng.uniform(-1.0, 3.0, q)
    mags = np.exp2(rng.uniform(-80, 64, rest - 3 * q)) * rng.choice([-1.0, 1.0], rest - 3 * q)
    return np.concatenate([near, thresholds, pow2, bits, moderate, mags])


def test_set_is_libm(libm, kernel_set):
    """each set's kernel, unchecked (mode 1) and through the checked dispatch (mode 2), gives
    libm's bits; the run-time check admits it on this machine"""
    x = _inputs()
    want = _ref(libm["log1p"], x)
    assert "log1p" in _C.libm_fast(True)
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        with np.errstate(all="ignore"):
            _C.libm("log1p", x, out, False, mode)
        same_bits(out, want)


def test_portable_dispatch_is_libm(libm):
    """the portable set (glibc's baseline build replicated) behind the run-time check: libm's
    bits whether the check admits it (a CPU without FMA) or keeps libm's loop (one with FMA,
    where glibc runs its FMA build)"""
    x = _inputs(20_000)
    want = _ref(libm["log1p"], x)
    with selected_set("portable"):
        out = np.full_like(x, 7.0)
        with np.errstate(all="ignore"):
            _C.libm("log1p", x, out, False, 2)
    same_bits(out, want)


def test_tails_and_in_place(libm, kernel_set):
    """lengths around the 4 and 8 lanes of a step write only their own elements; in place
    (one buffer), the lanes handed to libm (x <= -1, inf, NaN) get libm's value of the input"""
    x = np.linspace(-0.9, 7.7, 64)
    want = _ref(libm["log1p"], x)
    for n in (1, 3, 4, 5, 7, 8, 9, 15, 17, 33):
        out = np.full(n + 1, 7.0)
        _C.libm("log1p", x[:n], out[:n], False, 1)
        same_bits(out[:n], want[:n])
        assert out[n] == 7.0
    xi = np.tile([-2.0, 0.5, np.inf, 3.0, -1.0, 1e-30, np.nan, 40.0, -0.3], 5)
    want = _ref(libm["log1p"], xi)
    t = torch.DoubleTensor(xi.size).copy(torch.from_numpy(xi))
    with np.errstate(all="ignore"):
        t.log1p(t)
    same_bits(t.numpy(), want)


def test_tensor_forms(libm):
    """torch.log1p on a DoubleTensor, contiguous and a strided view: libm's bits"""
    rng = np.random.default_rng(4)
    x = np.abs(rng.standard_normal(3001)) * 3 - 0.5
    want = _ref(libm["log1p"], x)
    t = torch.DoubleTensor(3001).copy(torch.from_numpy(x))
    same_bits(torch.log1p(t).numpy(), want)
    m = torch.DoubleTensor(3001, 2).copy(torch.from_numpy(np.stack([x + 1, x], 1)))
    col = m.select(2, 2)
    assert col.stride(1) == 2
    same_bits(torch.log1p(col).numpy(), want)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softplus_forward(libm, dtype):
    """THNN SoftPlus: y = (x beta > threshold) ? x : log1p(exp(x beta)) / beta, x beta a real
    product, exp and log1p libm's double functions, the quotient in double, stored in real"""
    rng = np.random.default_rng(9)
    x = (rng.standard_normal(4000) * 8).astype(dtype)
    for beta in (1, 0.5, 3):
        m = nn.SoftPlus(beta)
        T = torch.DoubleTensor if dtype == np.float64 else torch.FloatTensor
        if dtype == np.float32:
            m = m.float()
        y = m.forward(T(x.size).copy(torch.from_numpy(x))).numpy()
        b = dtype(beta)
        bx = x * b
        soft = _ref(libm["log1p"], _ref(libm["exp"], bx)) / float(b)
        want = np.where(bx > dtype(20), x, soft.astype(dtype))
        np.testing.assert_array_equal(y.view(np.uint8), want.astype(dtype).view(np.uint8))


def _float_inputs(n=120_000):
    """every 2^32/n-th bit pattern (with an odd offset, so the low bits vary) over the whole
    float range; the float thresholds of fdlibm's branches (0x3ed413d7: x < 0.41422,
    0xbe95f61f: x > -0.2929, 0x31000000 and 0x24800000: |x| < 2^-29, 2^-54; 0x5a000000:
    x >= 2^53; u/2's 0x3504f7) with 300 neighbours each; 2^j - 1 and their neighbours"""
    step = (1 << 32) // n
    spread = (np.arange(n, dtype=np.uint64) * step + 977).astype(np.uint32)
    his = np.array([0x3ed413d7, 0xbe95f61f, 0x31000000, 0xb1000000, 0x24800000, 0xa4800000,
                    0x5a000000, 0x3fb504f7, 0x3f3504f7, 0xbf7fffff, 0x3f800000, 0xbf800000,
                    0x7f800000, 0x00000000, 0x80000000], np.int64)
    near = (his[:, None] + np.arange(-150, 150)).astype(np.uint32).ravel()
    j = np.arange(-3, 60, dtype=np.float64)
    p2 = (np.exp2(j) - 1.0).astype(np.float32).view(np.uint32).astype(np.int64)
    p2n = (p2[:, None] + np.arange(-40, 40)).astype(np.uint32).ravel()
    return np.concatenate([spread, near, p2n]).view(np.float32)


def test_float_set_is_libm(libm, kernel_set):
    """log1pf: each set's kernel, unchecked and checked, gives libm's bits (the whole range
    sampled; tools/check_libm_more.py tries all 2^32)"""
    x = _float_inputs()
    with np.errstate(all="ignore"):
        want = np.array([libm["log1pf"](v) for v in x.tolist()], np.float32)
    assert "log1p" in _C.libm_fast()
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        with np.errstate(all="ignore"):
            _C.libm("log1p", x, out, True, mode)
        same_bits(out, want)


def test_float_portable_and_forms(libm):
    """log1pf's portable set (float arithmetic, nothing fused: glibc's one build) is libm's
    too; torch.log1p on a FloatTensor, contiguous, strided and in place, with tails"""
    x = _float_inputs(30_000)
    with np.errstate(all="ignore"):
        want = np.array([libm["log1pf"](v) for v in x.tolist()], np.float32)
    with selected_set("portable"):
        assert "log1p" in _C.libm_fast()
        out = np.full_like(x, 7.0)
        with np.errstate(all="ignore"):
            _C.libm("log1p", x, out, True, 1)
    same_bits(out, want)
    rng = np.random.default_rng(6)
    v = (np.abs(rng.standard_normal(1037)) * 4 - 0.9).astype(np.float32)
    v[::97] = [-2.0, np.inf, -1.0, np.nan, 1e-30, -0.0, 0.5, 3e38, -0.999, 7.0, 1.0][:len(v[::97])]
    with np.errstate(all="ignore"):
        wv = np.array([libm["log1pf"](a) for a in v.tolist()], np.float32)
    t = torch.FloatTensor(v.size).copy(torch.from_numpy(v))
    with np.errstate(all="ignore"):
        same_bits(torch.log1p(t).numpy(), wv)
        m = torch.FloatTensor(v.size, 2).copy(torch.from_numpy(np.stack([v, v], 1)))
        same_bits(torch.log1p(m.select(2, 1)).numpy(), wv)
        for n in (1, 7, 15, 16, 17, 33):
            tt = torch.FloatTensor(n).copy(torch.from_numpy(v[:n].copy()))
            tt.log1p(tt)
            same_bits(tt.numpy(), wv[:n])
