"""torch7py._exact (the C loops of numerics.py) against numerics' numpy code and exact references:
the same bits from both paths on random and special inputs, and a C fma that is the correctly
rounded a*b + c (computed with fractions.Fraction)."""
import math
from fractions import Fraction

import numpy as np
import pytest

from torch7py import numerics

pytestmark = pytest.mark.skipif(numerics._c is None,
                                reason="torch7py._exact not built (no compiler at install)")

SIZES = [1, 2, 7, 31, 33, 255, 1001, (1 << 15) + 3]
_INT = {np.dtype(np.float32): np.uint32, np.dtype(np.float64): np.uint64}


@pytest.fixture(autouse=True, params=["hardware", "portable"])
def kernels(request):
    """Every test runs with the AVX2+FMA kernels (where the CPU has them) and with the
    portable ones (libm's fma)."""
    if request.param == "hardware":
        if not numerics._c.use_hardware(True):
            pytest.skip("this CPU has no AVX2+FMA: the portable kernels are the ones in use")
    else:
        numerics._c.use_hardware(False)
    yield request.param
    numerics._c.use_hardware(True)


@pytest.fixture
def numpy_path(monkeypatch):
    """A function that runs f(*args) with the C extension switched off."""
    def run(f, *args, **kw):
        with monkeypatch.context() as m, np.errstate(all="ignore"):
            m.setattr(numerics, "_c", None)
            return f(*args, **kw)
    return run


def same_bits(x, y):
    """Identical bit patterns, except that any NaN matches any NaN (a NaN's payload and sign
    depend on which operand the hardware propagates, not on the rounding)."""
    x, y = np.asarray(x), np.asarray(y)
    assert x.dtype == y.dtype and x.shape == y.shape
    nx, ny = np.isnan(x), np.isnan(y)
    assert np.array_equal(nx, ny)
    bx = x[~nx].view(_INT[x.dtype])
    by = y[~ny].view(_INT[y.dtype])
    bad = np.flatnonzero(bx != by)
    assert bad.size == 0, (x[~nx][bad[:5]], y[~ny][bad[:5]])


def values(rng, n, dt, specials=True, exp_range=20):
    """n values of dt: normals over a range of magnitudes, then (specials) zeros of both signs,
    infinities, NaN, subnormals and the extremes placed at random."""
    x = rng.standard_normal(n) * np.exp2(rng.integers(-exp_range, exp_range, n))
    x = x.astype(dt)
    if specials and n >= 8:
        fi = np.finfo(dt)
        sp = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, fi.smallest_subnormal,
                       -fi.smallest_subnormal * 3, fi.tiny * 0.75, fi.max, -fi.tiny], dt)
        k = min(n // 8, 64)
        x[rng.choice(n, k, replace=False)] = sp[rng.integers(0, sp.size, k)]
    return x


@pytest.mark.parametrize("dt", [np.float32, np.float64])
@pytest.mark.parametrize("n", SIZES)
def test_fma_both_paths_same_bits(dt, n, numpy_path):
    rng = np.random.default_rng(n)
    a = values(rng, n, dt, specials=dt == np.float32)
    b = values(rng, n, dt, specials=dt == np.float32)
    # float64: subnormals, zeros and non-finite values go in c only (numpy's Dekker split
    # is exact only away from overflow and underflow of the product; see _fma64_into)
    c = values(rng, n, dt)
    for bb in (b, dt(0.01), dt(-3.75e-3)):
        same_bits(numerics.fma(a, bb, c), numpy_path(numerics.fma, a, bb, c))
        # in place (the axpy form, out is c) and into a strided out
        c1, c2 = c.copy(), c.copy()
        numerics.fma(a, bb, c1, out=c1)
        numpy_path(numerics.fma, a, bb, c2, out=c2)
        same_bits(c1, c2)
        o1, o2 = np.zeros((n, 2), dt)[:, 1], np.zeros((n, 2), dt)[:, 1]
        numerics.fma(a, bb, c, out=o1)
        numpy_path(numerics.fma, a, bb, c, out=o2)
        same_bits(o1, o2)


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_fma_broadcast_both_paths(dt, numpy_path):
    rng = np.random.default_rng(5)
    g, x = values(rng, 37, dt, False).reshape(-1, 1), values(rng, 41, dt, False).reshape(1, -1)
    w = values(rng, 37 * 41, dt, False).reshape(37, 41)
    w1, w2 = w.copy(), w.copy()
    numerics.fma(g, x, w1, out=w1)
    numpy_path(numerics.fma, g, x, w2, out=w2)
    same_bits(w1, w2)
    with pytest.raises(ValueError):
        numerics.fma(g, x, w[:3], out=w[:3])


def round_f64(q):
    return float(q)  # int / int true division: correctly rounded to nearest even


def round_f32(q):
    """Fraction q rounded to nearest-even binary32 (q within binary32's finite range)."""
    if q == 0:
        return np.float32(0)
    e = max(math.floor(math.log2(abs(q))) - 23, -149)
    # log2's float may be one off: fix e so that the scaled magnitude has at most 24 bits
    while abs(q) / Fraction(2) ** e >= 1 << 24:
        e += 1
    while e > -149 and abs(q) / Fraction(2) ** e < 1 << 23:
        e -= 1
    m = round(q / Fraction(2) ** e)  # Fraction.__round__: half to even
    return np.float32(math.ldexp(m, e))


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_c_fma_correctly_rounded(dt):
    rng = np.random.default_rng(11)
    n = 3000
    a, b, c = (values(rng, n, dt, specials=False, exp_range=30) for _ in range(3))
    # cancellation-heavy triples: c close to -a*b, where two roundings go wrong most often
    c[: n // 2] = (-(a[: n // 2].astype(np.float64) * b[: n // 2])
                   * (1 + rng.standard_normal(n // 2) * 1e-6)).astype(dt)
    if dt == np.float64:
        # tiny products (subnormal results) and large ones: outside the numpy path's exact range
        a[-200:-100] *= 2.0 ** -520
        b[-200:-100] *= 2.0 ** -520
        c[-200:-100] *= 2.0 ** -1040
        a[-100:] *= 2.0 ** 480
        b[-100:] *= 2.0 ** 470
        c[-100:] *= 2.0 ** 950
    r = np.empty(n, dt)
    numerics._c.fma(a, b, c, r, dt == np.float32)
    rnd = round_f32 if dt == np.float32 else round_f64
    for i in range(n):
        q = Fraction(float(a[i])) * Fraction(float(b[i])) + Fraction(float(c[i]))
        want = rnd(q)
        if q == 0:
            assert r[i] == 0
        else:
            assert np.array(r[i], dt).view(_INT[np.dtype(dt)]) == \
                np.array(want, dt).view(_INT[np.dtype(dt)]), (a[i], b[i], c[i], r[i], want)


SHAPES = [(1,), (13,), (1001,), (4, 7), (3, 1, 5), (6, 17, 9), (2, 1000, 3)]
TYPES = [(np.float32, np.float64), (np.float32, np.float32), (np.float64, np.float64),
         (np.float64, np.float32)]


@pytest.mark.parametrize("src,acc", TYPES)
@pytest.mark.parametrize("shape", SHAPES)
def test_reductions_both_paths_same_bits(src, acc, shape, numpy_path):
    rng = np.random.default_rng(len(shape) * 100 + shape[-1])
    n = math.prod(shape)
    x = values(rng, n, src, specials=n > 100).reshape(shape)
    # products of many values over/underflow: keep their factors near one
    p = (1 + values(rng, n, src, False, exp_range=1) * 0.01).reshape(shape)
    for arr in (x, x.T):  # contiguous and transposed (non-contiguous) input
        same_bits(numerics.seqsum(arr, acc), numpy_path(numerics.seqsum, arr, acc))
        for ax in range(-arr.ndim, arr.ndim):
            same_bits(numerics.seqsum_axis(arr, ax, acc),
                      numpy_path(numerics.seqsum_axis, arr, ax, acc))
    for arr in (p, p.T):
        same_bits(numerics.seqprod(arr, acc), numpy_path(numerics.seqprod, arr, acc))
        for ax in range(arr.ndim):
            same_bits(numerics.seqprod_axis(arr, ax, acc),
                      numpy_path(numerics.seqprod_axis, arr, ax, acc))


def test_seqsum_is_the_sequential_loop():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(10001) * np.exp2(rng.integers(-30, 30, 10001))
    acc = 0.0
    for v in x.tolist():
        acc += v
    assert numerics.seqsum(x).item() == acc
    assert acc != math.fsum(x)  # the order matters for these values: the test can tell
    m = x[:10000].reshape(100, 100)
    cols = [0.0] * 100
    for row in m.tolist():
        cols = [s + v for s, v in zip(cols, row)]
    assert numerics.seqsum_axis(m, 0).ravel().tolist() == cols
    # -0.0 + -0.0 sums to +0 from `acc = 0`
    assert math.copysign(1, numerics.seqsum(np.array([-0.0, -0.0]))) == 1
    assert math.copysign(1, numerics.seqsum_axis(np.full((3, 2), -0.0), 0)[0, 0]) == 1


@pytest.mark.parametrize("dt", [np.float32, np.float64])
def test_dot_both_paths(dt, numpy_path):
    rng = np.random.default_rng(8)
    for n in range(1, 16):
        x, y = values(rng, n, dt, False), values(rng, n, dt, False)
        assert numerics.dot(x, y) == numpy_path(numerics.dot, x, y)
        # independent: the fused chain from zero, each step rounded exactly
        rnd = round_f32 if dt == np.float32 else round_f64
        s = Fraction(0)
        for a, b in zip(y.tolist(), x.tolist()):
            s = Fraction(float(rnd(Fraction(a) * Fraction(b) + s)))
        assert numerics.dot(x, y) == float(s)
