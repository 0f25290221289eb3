"""The double pow kernels' table loads (torch7py/_vmath_pow_k.h: the log table's rows read at
offsets taken from x's own bits in memory, or from a copy of the rescaled value where a lane
of the step is subnormal; exp's pairs through the stack), cpow's and tpow's loop of two steps
a turn, double tanh's and log1p's AVX-512 fast paths on two steps a call (torch7py/_vmath_k.h,
_vmath_more_k.h), on each lane-kernel set this CPU has.

Expectations: the C library's own pow and log1p called element by element through ctypes (TH
calls them once per element), compared bit for bit."""
import ctypes

import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import libm_fn, libm_lib, needs_libm_wide, same_bits

_C = numerics._c
pytestmark = needs_libm_wide


@pytest.fixture(scope="module")
def cpow():
    f = libm_lib().pow
    f.restype, f.argtypes = ctypes.c_double, [ctypes.c_double, ctypes.c_double]
    return f


@pytest.fixture(scope="module")
def clog1p():
    return libm_fn(libm_lib(), "log1p", False)


@pytest.fixture(scope="module")
def ctanh():
    return libm_fn(libm_lib(), "tanh", False)


def _pow_ref(cpow, x, y):
    x, y = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
    with np.errstate(all="ignore"):
        return np.array([cpow(a, b) for a, b in zip(x.tolist(), y.tolist())])


def _steps_with_subnormals(rng, steps=400):
    """steps of 8 doubles: normal values of both signs and sizes, one or more lanes of each
    step subnormal (their table rows come from the rescaled copy, the others' from memory),
    every position in the step taking its turn"""
    x = np.exp2(rng.uniform(-60, 60, 8 * steps)) * rng.choice([-1.0, 1.0], 8 * steps)
    sub = rng.integers(1, 1 << 52, 8 * steps, dtype=np.uint64).view(np.float64)
    for s in range(steps):
        lanes = [s % 8] + ([(s * 3 + 1) % 8] if s % 3 == 0 else [])
        x[8 * s + np.array(lanes)] = sub[8 * s + np.array(lanes)] * (-1.0 if s % 2 else 1.0)
    return x


def test_pow_table_rows_from_x_bits(cpow, kernel_set):
    """one exponent: the row of each lane follows its own x (negative x: the sign bit does not
    move the index), subnormal lanes mixed into steps of normal ones, every index of the log
    table (x = 2^j (1 + i/128 + a little), i over all 128 rows); odd, even and fractional y;
    torch's pow in place"""
    rng = np.random.default_rng(15)
    i = np.arange(128)
    rows = np.ldexp(1.0 + (i + rng.uniform(0, 1, 128)) / 128, rng.integers(-30, 30, 128))
    x = np.concatenate([rows, -rows, _steps_with_subnormals(rng)])
    for y in (2.5, 5.0, -4.0, 0.75, -35.0, 1e-3):  # (not TH's products: 2, 3, -2 ...)
        want = _pow_ref(cpow, x, y)
        for mode in (1, 2):
            out = np.full_like(x, 7.0)
            with np.errstate(all="ignore"):
                _C.libm2("pow", x, y, out, 1, mode)
            same_bits(out, want)
        t = torch.DoubleTensor(x.size).copy(torch.from_numpy(x))  # (in place: x read first)
        with np.errstate(all="ignore"):
            t.pow(t, y)
        same_bits(t.numpy(), want)


def test_cpow_two_steps_a_turn(cpow, kernel_set):
    """cpow (a y per element): lengths around one and two steps write their own elements
    only; lanes for libm (0, inf, NaN y; negative x under a fractional y; subnormal x) in the
    first and in the second step of a turn get libm's value; in place over x and over y"""
    rng = np.random.default_rng(16)
    n = 37 * 16
    x = np.abs(rng.standard_normal(n)) * 4
    y = rng.standard_normal(n) * 3
    special = np.array([0.0, np.inf, -np.inf, np.nan, 0.5, 2.0 ** -70, 2.0 ** 64])
    for k in range(37):  # (one odd lane a turn, in each position of its 16)
        j = 16 * k + (k * 5) % 16
        y[j] = special[k % special.size]
        if k % 4 == 1:
            x[j + (1 if j % 16 < 15 else -1)] = -1.5  # (y fractional: NaN by libm)
        if k % 6 == 2:
            x[16 * k + (k + 8) % 16] = 3e-310
    want = _pow_ref(cpow, x, y)
    for m in (1, 7, 8, 9, 15, 16, 17, 31, 33, n):
        out = np.full(m + 1, 7.0)
        with np.errstate(all="ignore"):
            _C.libm2("pow", x[:m], y[:m], out[:m], 1, 1)
        same_bits(out[:m], want[:m])
        assert out[m] == 7.0
    for over in ("x", "y"):
        a, b = x.copy(), y.copy()
        with np.errstate(all="ignore"):
            _C.libm2("pow", a, b, a if over == "x" else b, 1, 1)
        same_bits(a if over == "x" else b, want)
    tx, ty = (torch.DoubleTensor(n).copy(torch.from_numpy(v)) for v in (x, y))
    with np.errstate(all="ignore"):
        r = torch.cpow(tx, ty)
    same_bits(r.numpy(), want)


def test_tpow_two_steps_a_turn(cpow, kernel_set):
    """tpow (pow of one base to each element, TH's pow(value, t)): the base's copy serves the
    second step of a turn too, for the lanes sent to libm as for the rest"""
    rng = np.random.default_rng(17)
    e = rng.standard_normal(16 * 9 + 5) * 20
    e[[3, 12, 21, 30, 40, 47]] = [np.nan, np.inf, 0.0, -np.inf, 1e300, 2.0 ** -80]
    for base in (2.5, -2.0, 0.5, 1e-300):
        want = _pow_ref(cpow, base, e)
        out = np.full_like(e, 7.0)
        with np.errstate(all="ignore"):
            _C.libm2("rpow", e, base, out, 1, 1)
        same_bits(out, want)
        t = torch.DoubleTensor(e.size).copy(torch.from_numpy(e))
        with np.errstate(all="ignore"):
            r = torch.pow(base, t)
        same_bits(r.numpy(), want)


def _log1p_cases(rng):
    """steps of 8 drawn inside the fast path (|x| in [2^-29, 2^53), x > -1) around fdlibm's
    thresholds (0.41422, -0.2929: k = 0 or not; 1 + x at sqrt(2) in each binade: u halved and
    k raised; k > 0 or not for the correction), pairs of steps with one lane outside it (-1 and
    below, inf, NaN, tiny, huge, 1 + x a power of 2: the |f| < 2^-20 branch) in each of the 16
    positions"""
    his = np.array([0x3fda827a, 0x3fda8279, 0xbfd2bec3, 0xbfd2bec4, 0x3ff6a09e, 0x3ff6a09d,
                    0x3fe6a09e, 0x3fe6a09d, 0x4006a09e, 0xbfe2bec3, 0xbfd2bec5, 0x3fefffff,
                    0xbfeffff0, 0x4330000f, 0x3e200000, 0xbe200000], np.uint64)
    lows = rng.integers(0, 1 << 32, (his.size, 64), dtype=np.uint64)
    near = ((his[:, None] << np.uint64(32)) | lows).view(np.float64).ravel()
    wide = np.concatenate([rng.uniform(-0.999, 3.0, 800),
                           np.exp2(rng.uniform(-29, 52.9, 800))])
    odd = np.array([-1.0, -2.0, np.inf, np.nan, 1e-30, -1e-20, 0.0, 2.0 ** 60, 3.0,
                    2.0 ** -25, 2.0 ** 20 - 1, -0.5])  # (2^-25, 2^20 - 1, 3: 1 + x = 2^k)
    mixed = rng.uniform(-0.9, 5.0, 16 * 16 * odd.size)  # (one such lane in 16: one step)
    for k, v in enumerate(odd):
        for pos in range(16):
            mixed[16 * (16 * k + pos) + pos] = v
    return np.concatenate([near, wide, mixed])  # (near and wide: 2624 = 164 * 16)


def test_log1p_fast_path(clog1p, kernel_set):
    """double log1p: libm's bits on whole steps in the fast path and on steps it leaves (a
    lane outside it in any position), unchecked and checked, in place and over x shifted by
    one element (the overlapping loop)"""
    x = _log1p_cases(np.random.default_rng(18))
    with np.errstate(all="ignore"):
        want = np.array([clog1p(v) for v in x.tolist()])
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        with np.errstate(all="ignore"):
            _C.libm("log1p", x, out, False, mode)
        same_bits(out, want)
    y = x.copy()
    with np.errstate(all="ignore"):
        _C.libm("log1p", y, y, False, 1)
    same_bits(y, want)
    buf = np.concatenate([[0.0], x])
    with np.errstate(all="ignore"):
        _C.libm("log1p", buf[1:], buf[:-1], False, 1)
    same_bits(buf[:-1], want)
    t = torch.DoubleTensor(x.size).copy(torch.from_numpy(x))
    with np.errstate(all="ignore"):
        r = torch.log1p(t)
    same_bits(r.numpy(), want)


def test_tanh_pairs_of_steps(ctanh, kernel_set):
    """double tanh: pairs of steps inside the fast path (|x| < 6.5 or from 19.5 on: both
    signs, below and above 1, near ln2/2 and 1.5 ln2, tiny, zero) and pairs with one lane
    outside it (6.5 <= |x| < 19.5, inf, NaN) in either step, each position; lengths around
    one and two steps; in place and over x shifted by one element"""
    rng = np.random.default_rng(19)
    inside = np.concatenate([rng.uniform(-6.4, 6.4, 3000), rng.uniform(-1.1, 1.1, 2000),
                             np.exp2(rng.uniform(-70, 2.7, 1000)) * rng.choice([-1.0, 1.0], 1000),
                             rng.uniform(19.5, 40.0, 200) * rng.choice([-1.0, 1.0], 200),
                             [0.0, -0.0, 0.34657359027997264, -1.0397207708399179, 1.0, -1.0],
                             rng.uniform(-1.0, 1.0, 10)])  # (6216 = 16 * 388)
    odd = np.array([7.0, -12.5, 19.4, np.inf, -np.inf, np.nan])
    pairs = rng.uniform(-3.0, 3.0, 16 * 16 * odd.size)  # (one such lane in 16: one step)
    for k, v in enumerate(odd):
        for pos in range(16):
            pairs[16 * (16 * k + pos) + pos] = v
    x = np.concatenate([inside, pairs])
    with np.errstate(all="ignore"):
        want = np.array([ctanh(v) for v in x.tolist()])
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        _C.libm("tanh", x, out, False, mode)
        same_bits(out, want)
    for m in (1, 8, 15, 16, 17, 31, 32, 33):
        out = np.full(m + 1, 7.0)
        _C.libm("tanh", x[-m:], out[:m], False, 1)
        same_bits(out[:m], want[-m:])
        assert out[m] == 7.0
    y = x.copy()
    _C.libm("tanh", y, y, False, 1)
    same_bits(y, want)
    buf = np.concatenate([[0.0], x])
    _C.libm("tanh", buf[1:], buf[:-1], False, 1)
    same_bits(buf[:-1], want)
