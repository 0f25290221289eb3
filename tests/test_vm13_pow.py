"""The double pow lane kernel of torch7py/_vmath_pow_k.h (optimized-routines' pow.c as glibc
2.28+ builds it, for one exponent: TH's pow(t, value) on DoubleTensors, C's double pow of float
elements) through _exact.libm2 and torch.pow.

Expectations: the C library's own pow called element by element through ctypes (TH calls it
once per element), compared bit for bit; on float buffers the double result rounded to float,
as C's `(float)pow(x, y)` with a float y."""
import ctypes

import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import libm_lib, needs_libm_wide, same_bits, selected_set

_C = numerics._c
pytestmark = needs_libm_wide

# fractional, negative, odd and even integers (negative bases), tiny and huge, 1 and -1,
# glibc's limits of y's main path (2^-65, 2^63) and past them, specials
_YS = (2.5, -1.5, 3.0, 1 / 3, 1e-3, 100.0, -0.75, -2.0, 7.0, -35.0, 1023.0, 1.0, -1.0,
       2.0 ** -65, 2.0 ** -65 * (1 - 2.0 ** -53), 2.0 ** 63, 2.0 ** 63 * (1 - 2.0 ** -53), 1e-19,
       1e18, 0.0, -0.0, float("inf"), float("-inf"), float("nan"))


@pytest.fixture(scope="module")
def cpow():
    f = libm_lib().pow
    f.restype, f.argtypes = ctypes.c_double, [ctypes.c_double, ctypes.c_double]
    return f


def _inputs(y, n=6_000):
    """specials (zeros, subnormals, 1 and its neighbours, -1, infinities, NaN, the largest
    double) and their bit neighbours, random bit patterns, x = +-2^(u/y) with u in [-1100, 1100]
    (results over the whole range: exp's scaled paths at |y log x| >= 512, overflow, underflow,
    subnormal results), values near 1, moderate values of both signs, integers"""
    rng = np.random.default_rng(13)
    edges = np.array([0.0, 5e-324, 2.0 ** -1022, 1.0, 2.0, 0.5, np.inf, np.nan,
                      1.7976931348623157e308, 3.0]).view(np.uint64)
    with np.errstate(over="ignore"):
        near = (edges[:, None] + np.arange(-2, 3).astype(np.uint64)).view(np.float64).ravel()
    near = near[~np.isnan(near) | (near.view(np.uint64) == edges[7])]  # (quiet NaN only)
    bits = rng.integers(0, 1 << 64, n, dtype=np.uint64).view(np.float64)
    bits = np.where(np.isnan(bits), 1.25, bits)  # (ctypes would quiet a signaling NaN)
    with np.errstate(all="ignore"):
        u = rng.uniform(-1100, 1100, n) / (y if np.isfinite(y) and y != 0 else 1.0)
        res = np.exp2(u) * rng.choice([-1.0, 1.0], n)
    ones = 1.0 + rng.integers(-300, 300, n // 4) * 2.0 ** -52
    moderate = rng.standard_normal(n) * 8
    ints = rng.integers(-50, 50, n // 4).astype(np.float64)
    x = np.concatenate([near, -near, bits, res, ones, moderate, ints])
    return x


def _want(cpow, x, y):
    with np.errstate(all="ignore"):
        return np.array([cpow(v, y) for v in x.tolist()])


@pytest.fixture(scope="module")
def cases(cpow):
    """the inputs and libm's pow of them for each exponent (computed once for every set)"""
    out = {}
    for y in _YS:
        x = _inputs(y)
        out[y] = (x, _want(cpow, x, y))
    return out


def test_kernel_is_libm(cases, kernel_set):
    """each FMA set's kernel (unchecked, mode 1, and checked, mode 2) gives libm's bits for
    every kind of exponent on doubles (kind 1), the run-time check admitting it"""
    assert "pow" in _C.libm_fast(True)
    for y, (x, want) in cases.items():
        for mode in (1, 2):
            out = np.full_like(x, 7.0)
            with np.errstate(all="ignore"):
                _C.libm2("pow", x, y, out, 1, mode)
            same_bits(out, want)


def test_float_elements(cpow, kernel_set):
    """kind 2 (float buffers, C's double pow of each element, y a float): (float)pow((double)x,
    (double)(float)y), for an exponent that is not a float's too"""
    rng = np.random.default_rng(3)
    bits = rng.integers(0, 1 << 32, 3000, dtype=np.uint64).astype(np.uint32).view(np.float32)
    x = np.concatenate([(rng.standard_normal(3000) * 5).astype(np.float32), bits])
    x = np.where(np.isnan(x), np.float32(0.5), x)
    for y in (2.5, 0.1, -1.3, 3.0, 1 / 3):
        yf = float(np.float32(y))
        with np.errstate(all="ignore"):
            want = np.array([cpow(v, yf) for v in x.tolist()]).astype(np.float32)
        for mode in (1, 2):
            out = np.full_like(x, 7.0)
            with np.errstate(all="ignore"):
                _C.libm2("pow", x, y, out, 2, mode)
            same_bits(out, want)


def test_portable_dispatch(cases):
    """the portable set replicates glibc's baseline build: through the checked dispatch
    (mode 2) the results are libm's wherever it runs (its kernel where it matched this libm on
    the check set, else libm's loop)"""
    with selected_set("portable"):
        for y in (2.5, -1.5, 3.0, 1e-3):
            x, want = cases[y]
            out = np.full_like(x, 7.0)
            with np.errstate(all="ignore"):
                _C.libm2("pow", x, y, out, 1, 2)
            same_bits(out, want)


def test_tails_and_overlap(cpow, kernel_set):
    """lengths around a step's 4 / 8 lanes and a turn's two steps write only their own
    elements; in place, and with the output one element before the input in one buffer, each
    element gets libm's pow of the original input (as TH's element loop)"""
    x = np.concatenate([np.linspace(0.3, 7.7, 40), [0.0, -2.0, np.inf, 1e-310, -0.5]] * 2)
    want = _want(cpow, x, 2.5)
    for n in (1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, len(x)):
        out = np.full(n + 1, 7.0)
        with np.errstate(all="ignore"):
            _C.libm2("pow", x[:n], 2.5, out[:n], 1, 1)
        same_bits(out[:n], want[:n])
        assert out[n] == 7.0
        y = x[:n].copy()
        with np.errstate(all="ignore"):
            _C.libm2("pow", y, 2.5, y, 1, 1)
        same_bits(y, want[:n])
        buf = np.concatenate([[0.0], x[:n]])
        with np.errstate(all="ignore"):
            _C.libm2("pow", buf[1:], 2.5, buf[:n], 1, 1)
        same_bits(buf[:n], want[:n])


def test_tensor_pow(cpow):
    """torch.pow(DoubleTensor, v) for exponents TH does not turn into products, sqrt or
    quotients: libm's pow, contiguous, strided and in place"""
    rng = np.random.default_rng(8)
    v = rng.standard_normal(1001) * 3
    t = torch.DoubleTensor(v.size).copy(torch.from_numpy(v))
    for y in (2.5, -3.0, 5.0, 0.25, 1 / 3):
        want = _want(cpow, v, y)
        with np.errstate(all="ignore"):
            same_bits(torch.pow(t, y).numpy(), want)
            m = torch.DoubleTensor(v.size, 2).copy(torch.from_numpy(np.stack([v, v], 1)))
            same_bits(torch.pow(m.select(2, 2), y).numpy(), want)
            u = t.clone()
            u.pow(u, y)
            same_bits(u.numpy(), want)


def _pairs(n=8_000):
    """x: moderate values of both signs, random bit patterns, integers, values near 1; y:
    N(0, 5), integers (odd and even), halves, magnitudes around glibc's limits 2^-65 and 2^63,
    specials (quiet NaNs only: ctypes would quiet a signaling one)"""
    rng = np.random.default_rng(17)
    q = n // 4
    x = np.concatenate([rng.standard_normal(q) * 6,
                        rng.integers(0, 1 << 64, q, dtype=np.uint64).view(np.float64),
                        rng.integers(-9, 9, q).astype(np.float64),
                        1.0 + rng.standard_normal(q) * 1e-7])
    y = np.concatenate([rng.standard_normal(q) * 5, rng.integers(-40, 40, q).astype(np.float64),
                        rng.integers(-40, 40, q) * 0.5,
                        np.exp2(rng.uniform(-70, 66, q)) * rng.choice([-1.0, 1.0], q)])
    y[::97] = np.array([0.0, -0.0, np.inf, -np.inf, np.nan])[np.arange(y[::97].size) % 5]
    x[::89] = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324])[np.arange(x[::89].size) % 6]
    rng.shuffle(y)
    return np.where(np.isnan(x), np.nan, x), y


def test_two_buffers_and_rpow(cpow, kernel_set):
    """pow(x[i], y[i]) (cpow) and pow(b, y[i]) (rpow), y per element, on doubles (kind 1) and
    float buffers (kind 2: the double pow of float elements, a float base), unchecked and
    checked, apart and in place: libm's bits"""
    assert "cpow" in _C.libm_fast(True)
    x, y = _pairs()
    with np.errstate(all="ignore"):
        want = np.array([cpow(u, v) for u, v in zip(x.tolist(), y.tolist())])
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        with np.errstate(all="ignore"):
            _C.libm2("pow", x, y, out, 1, mode)
        same_bits(out, want)
    for inplace in ("x", "y"):
        xs, ys = x.copy(), y.copy()
        with np.errstate(all="ignore"):
            _C.libm2("pow", xs, ys, xs if inplace == "x" else ys, 1, 1)
        same_bits(xs if inplace == "x" else ys, want)
    for b in (2.5, -2.0, 0.5, 1.0, 10.0):
        with np.errstate(all="ignore"):
            want_r = np.array([cpow(b, v) for v in y.tolist()])
        out = np.full_like(y, 7.0)
        with np.errstate(all="ignore"):
            _C.libm2("rpow", y, b, out, 1, 1)
        same_bits(out, want_r)
    with np.errstate(all="ignore"):
        xf, yf = x.astype(np.float32), y.astype(np.float32)
        want_f = np.array([cpow(u, v) for u, v in zip(xf.tolist(), yf.tolist())]).astype(
            np.float32)
        want_rf = np.array([cpow(float(np.float32(0.3)), v) for v in yf.tolist()]).astype(
            np.float32)
    for mode in (1, 2):
        out = np.full_like(xf, 7.0)
        with np.errstate(all="ignore"):
            _C.libm2("pow", xf, yf, out, 2, mode)
            same_bits(out, want_f)
            _C.libm2("rpow", yf, 0.3, out, 2, mode)
            same_bits(out, want_rf)


def test_tensor_cpow_tpow(cpow):
    """torch.cpow and torch.pow(value, t) on DoubleTensors and FloatTensors: C's double pow
    of each element (rounded to float on floats), contiguous and strided"""
    rng = np.random.default_rng(9)
    a = rng.standard_normal(777) * 3
    b = rng.integers(-6, 6, 777) * 0.5
    for T, dt in ((torch.DoubleTensor, np.float64), (torch.FloatTensor, np.float32)):
        av, bv = a.astype(dt), b.astype(dt)
        ta = T(av.size).copy(torch.from_numpy(av))
        tb = T(bv.size).copy(torch.from_numpy(bv))
        with np.errstate(all="ignore"):
            want = np.array([cpow(u, v) for u, v in zip(av.tolist(), bv.tolist())]).astype(dt)
            base = float(dt(1.7))
            want_t = np.array([cpow(base, u) for u in av.tolist()]).astype(dt)
            same_bits(torch.cpow(ta, tb).numpy(), want)
            u = ta.clone()
            same_bits(u.cpow(tb).numpy(), want)  # (in place on the base)
            v = tb.clone()
            same_bits(torch.cpow(v, ta, v).numpy(), want)  # (in place on the exponent)
            r = T(2 * av.size).narrow(1, av.size + 1, av.size)  # (apart, in a wider storage)
            same_bits(torch.cpow(r, ta, tb).numpy(), want)
            same_bits(torch.pow(1.7, ta).numpy(), want_t)
            m = T(av.size, 2).copy(torch.from_numpy(np.stack([av, av], 1)))
            same_bits(torch.pow(1.7, m.select(2, 1)).numpy(), want_t)
