"""torch7py._exact (the C loops of numerics.py) against numerics' numpy code and exact references:
the same bits from both paths on random and special inputs, and a C fma that is the correctly
rounded a*b + c (computed with fractions.Fraction)."""
import math
from fractions import Fraction

import numpy as np
import pytest

from torch7py import numerics


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = [pytest.mark.usefixtures('plain_blas_loops'),
              pytest.mark.skipif(numerics._c is None,
                                 reason="torch7py._exact not built (no compiler at install)")]

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
def test_dot_both_paths(dt, numpy_path, monkeypatch):
    # OpenBLAS 0.3.21's ddot/sdot below the micro-kernel's 16 (32) elements: Debian's build
    # compiles the C tail `dot += y[i] * x[i]` without FMA; sdot's accumulator is a double
    rng = np.random.default_rng(8)
    for n in range(1, 32 if dt == np.float32 else 16):
        x, y = values(rng, n, dt, False), values(rng, n, dt, False)
        got = numerics.dot(x, y)
        assert got == numpy_path(numerics.dot, x, y)
        with monkeypatch.context() as m:
            m.setattr(numerics, "_b", None)  # the Python fallback: the same bits
            assert numerics.dot(x, y) == got
        rnd = round_f32 if dt == np.float32 else round_f64
        s = Fraction(0)
        for a, b in zip(y.tolist(), x.tolist()):
            p = Fraction(float(rnd(Fraction(a) * Fraction(b))))
            s = Fraction(float(round_f64(p + s)))
        assert got == (float(rnd(s)) if dt == np.float32 else float(s))


def hover(rng, n, edge, below=False):
    """n elements whose running sum stays near edge (a power of two), by steps that are
    multiples of 1/16 of the spacing of the doubles on the side of edge where it mostly is
    (no halves: no ties there): from edge, within an ulp below and 3 above; or (below) from
    just below edge, up to edge."""
    u = edge * 2.0 ** -52 / (2 if below else 1)
    x = [edge - 4 * u if below else edge]
    s = x[0]
    top, bottom = (edge - u, edge - 4 * u) if below else (edge + 2 * u, edge)
    for v in (rng.choice([1, 2, 3, 5, 7, 9, 11, 12], n - 1) * (u / 16)).tolist():
        if s > top or (s >= bottom and rng.random() < 0.5):
            v = -v
        x.append(v)
        s += v
    return np.array(x)


def row_inputs(rng, n):
    """Long rows that put the C row sum's binade method (see _exact.c) through its cases: large
    and small running sums, sums hovering around zero and around powers of two, elements
    exactly halfway between two multiples of the running sum's ulp (ties, both signs),
    elements that jump binades, infinities, NaNs, subnormals, cancellation."""
    e = int(rng.integers(-20, 20))
    start = 2.0 ** (e + 53) * rng.choice([1.0, 1.5, -1.25])
    rows = {
        "normal": rng.standard_normal(n),
        "uniform": rng.random(n),
        "positive drift": rng.standard_normal(n) + 0.1,
        "wide exponents": rng.standard_normal(n) * np.exp2(rng.integers(-30, 30, n)),
        "quarters after a big start": np.r_[2.0 ** 52 + 17, rng.integers(-4, 5, n - 1) * 0.25],
        "halves at a scale": np.r_[start, (rng.integers(-3, 4, n - 1)
                                           + 0.5 * (rng.random(n - 1) < 0.3)) * 2.0 ** e],
        "around a power of two": np.r_[1024.0, rng.standard_normal(n - 1) * 0.5],
        "walk around zero": rng.choice([-1.0, 1.0], n) * (1 + 2.0 ** -30 * rng.random(n)),
        "tiny": rng.standard_normal(n) * 2.0 ** -1060,
        "cancellation": np.where(np.arange(n) % 2 == 0, 1e8, -1e8) + rng.standard_normal(n),
    }
    sp = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 1e300, -1e300, 1.7e308])
    x = rng.standard_normal(n) + 3
    x[rng.choice(n, 3, replace=False)] = sp[rng.integers(0, sp.size, 3)]
    rows["specials"] = x
    return rows


@pytest.mark.parametrize("src", [np.float64, np.float32])
def test_row_sum_is_the_plain_loop_on_adversarial_rows(src, kernels, numpy_path):
    """The C row sum (the binade method on AVX2 CPUs, the plain loop on the portable kernels)
    against numpy's add.accumulate, a sequential loop, with a float64 accumulator; and the
    method really runs on most of these inputs (fast_elements counts what it added)."""
    rng = np.random.default_rng(12)
    numerics._c.fast_elements()
    fast = total = 0
    for trial in range(4):
        n = int(rng.integers(300, 6000))
        for x in row_inputs(rng, n).values():
            with np.errstate(all="ignore"):
                x = x.astype(src)
            got = numerics.seqsum(x, np.float64)
            want = numpy_path(numerics.seqsum, x, np.float64)
            same_bits(got, want)
            # rows of a matrix (sum along the last dim) take the same kernel
            m = np.stack([x, x[::-1]])
            same_bits(numerics.seqsum_axis(m, 1, np.float64),
                      numpy_path(numerics.seqsum_axis, m, 1, np.float64))
            fast += numerics._c.fast_elements()
            total += 3 * n
    if kernels == "hardware":
        assert fast > total // 5
    else:
        assert fast == 0


@pytest.mark.parametrize("edge", [1024.0, 2.0 ** -40])
@pytest.mark.parametrize("below", [False, True])
def test_row_sum_at_a_binade_edge(edge, below, kernels, numpy_path):
    """Running sums that stay within an ulp or two of a power of two: the binade method must
    give up (or stop) wherever a sum reaches the binade's edge, where the spacing of the
    doubles changes. Rows of 1100 (each row starts the method afresh)."""
    rng = np.random.default_rng(14)
    m = np.stack([hover(rng, 1100, edge, below) for _ in range(40)])
    same_bits(numerics.seqsum_axis(m, 1, np.float64),
              numpy_path(numerics.seqsum_axis, m, 1, np.float64))


def test_rows_eight_and_four_at_a_time_keep_each_rows_order(kernels, numpy_path):
    rng = np.random.default_rng(13)
    for rows in (1, 3, 4, 5, 8, 9, 12, 17):
        for n in (1, 2, 17, 300, 3000):
            m = rng.standard_normal((rows, n)) * np.exp2(rng.integers(-30, 30, (rows, n)))
            for src, acc in TYPES:
                a = m.astype(src)
                same_bits(numerics.seqsum_axis(a, 1, acc), numpy_path(numerics.seqsum_axis, a, 1,
                                                                      acc))
                same_bits(numerics.seqprod_axis(a, 1, acc),
                          numpy_path(numerics.seqprod_axis, a, 1, acc))


@pytest.mark.parametrize("src", [np.float64, np.float32])
def test_sumall_any_strides_is_the_sequential_loop(src, kernels, numpy_path):
    """numerics.sumall (TH's sumall, normall p = 2 and p = 1): one C call on any strides, the
    same bits as numerics' numpy code and as a Python loop over the row-major elements; long
    rows (a contiguous array is one) take the binade method for all three sums."""
    rng = np.random.default_rng(15)
    x = values(rng, 4 * 300 * 7, src).reshape(4, 300, 7)
    big = values(rng, 6000, src, specials=False, exp_range=3)
    forms = [x, x.transpose(2, 0, 1), x[:, ::-3, 1::2], x[1, :, 3], x[2:3, 5:6, 6:7],
             np.asarray(x[0, 0, 0]), x[:, :0], np.ascontiguousarray(x[:, :, 0]), big,
             big.reshape(20, 1, 300), big.reshape(20, 300)[:, 10:], big.reshape(300, 20).T]
    numerics._c.fast_elements()
    with np.errstate(all="ignore"):
        for a in forms:
            z = a.astype(np.float64).ravel().tolist()
            for op, f in ((0, lambda v: v), (1, lambda v: v * v), (2, abs)):
                want = 0.0
                for v in z:
                    want += f(v)
                got = numerics.sumall(a, op)
                assert type(got) is float
                same_bits(np.float64(got), np.float64(want))
                same_bits(np.float64(got), np.float64(numpy_path(numerics.sumall, a, op)))
            same_bits(numerics.seqsum(a, np.float64), numpy_path(numerics.seqsum, a, np.float64))
    fast = numerics._c.fast_elements()
    assert fast > 3 * 6000 if kernels == "hardware" else fast == 0
    assert numerics._c.sumall(np.arange(3), 0) is None  # not a float type: the numpy code
    assert numerics.sumall(np.arange(4.0).astype(">f8")) == 6.0  # nor native byte order


def float_rows(rng, n):
    """float32 rows for the exact mode of the C row sum (elements that are all multiples of one
    unit add without rounding, so the running sum may cross binades and zero): walks that
    cross zero and powers of two again and again, with elements too small for the unit
    (subnormals, 1e-30) and too large for it (1e30, inf, NaN) dropped in at random places."""
    walk = rng.choice([-1.0, 1.0], n) * rng.integers(1, 4, n)
    rows = {"walk": walk, "normal": rng.standard_normal(n),
            "around 2**20": np.r_[2.0 ** 20, rng.standard_normal(n - 1) * 8]}
    for name in list(rows):
        for extra in ([1e-30, -3e-41], [1e30, -1e30], [np.inf], [np.nan], [2.0 ** -20]):
            x = rows[name].copy()
            x[rng.choice(n, len(extra) * 3, replace=False)] = np.repeat(extra, 3)
            rows[name + " + " + str(extra)] = x
    return rows


@pytest.mark.parametrize("op", [0, 1, 2])
def test_float_rows_exact_mode_is_the_plain_loop(op, kernels, numpy_path):
    """float32 rows through sumall (x, x*x, |x|) and seqsum against numerics' numpy code (a
    sequential loop in double); on the AVX2 kernels most elements of a plain float32 normal
    row take the fast path, although its sum crosses zero many times."""
    rng = np.random.default_rng(21)
    for n in (700, 5003, 40000):
        for x in float_rows(rng, n).values():
            with np.errstate(all="ignore"):
                a = x.astype(np.float32)
                same_bits(np.float64(numerics.sumall(a, op)),
                          np.float64(numpy_path(numerics.sumall, a, op)))
            if op == 0:
                same_bits(numerics.seqsum(a, np.float64),
                          numpy_path(numerics.seqsum, a, np.float64))
    x = rng.standard_normal(100000).astype(np.float32)
    numerics._c.fast_elements()
    numerics.sumall(x, op)
    fast = numerics._c.fast_elements()
    if kernels == "portable":
        assert fast == 0
    elif op != 1:  # squares have up to 48 bits: they round, and hover less
        assert fast > 0.95 * x.size


@pytest.mark.parametrize("scale", [1.0, 2.0 ** -30, 2.0 ** 40])
def test_double_rows_with_ties_across_edges(scale, kernels, numpy_path):
    """float64 rows whose elements are often exactly halfway between two multiples of the
    running sum's ulp (so that round-half-even decides), starting just below a power of two
    and drifting across it and back: each tie resolved in order, each edge found."""
    rng = np.random.default_rng(22)
    for start in (2.0 ** 53 - 64, 2.0 ** 52 + 3, 3 * 2.0 ** 51):
        for n in (999, 8191):
            steps = rng.integers(-6, 7, n - 1) + 0.5 * (rng.random(n - 1) < 0.5)
            x = np.r_[start, steps] * scale
            same_bits(numerics.seqsum(x, np.float64), numpy_path(numerics.seqsum, x, np.float64))
            m = np.stack([x, -x])
            same_bits(numerics.seqsum_axis(m, 1, np.float64),
                      numpy_path(numerics.seqsum_axis, m, 1, np.float64))


@pytest.mark.parametrize("src", [np.float64, np.float32])
def test_sumall_long_strided_rows(src, kernels, numpy_path):
    """Long strided rows (a column, every third element, reversed) are gathered a chunk at a
    time for the fast row kernel: the same bits as the sequential loop, across chunk ends,
    for the sum, the sum of squares and of magnitudes."""
    rng = np.random.default_rng(23)
    x = (rng.standard_normal(3 * 5000 + 7) + 0.01).astype(src)
    x[rng.choice(x.size, 4, replace=False)] = [1e-30, 3e20, -3e20, 2.0 ** -20]
    z = rng.standard_normal(90000).astype(src)  # zero-mean: chunks by the plain loop too
    forms = [x[::2], x[1::3], x[::-1], x[-2::-5], x[:15000].reshape(3000, 5)[:, 1],
             x[:15000].reshape(5, 3000).T[:, ::2], z[::3], z[::-2]]
    numerics._c.fast_elements()
    with np.errstate(all="ignore"):
        for a in forms:
            for op in (0, 1, 2):
                same_bits(np.float64(numerics.sumall(a, op)),
                          np.float64(numpy_path(numerics.sumall, a, op)))
    fast = numerics._c.fast_elements()
    assert fast > 20000 if kernels == "hardware" else fast == 0


@pytest.mark.parametrize("start", [-3 * 2.0 ** 20, 3 * 2.0 ** 20, -(2.0 ** 22 - 5000),
                                   2.0 ** 22 - 5000])
def test_float_row_rounded_elements_in_the_binade(start, kernels, numpy_path):
    """A float32 row of integers after a large start (of either sign), with elements finer
    than the running sum's ulp dropped in: those round, and the exact mode of the C row sum
    takes them in the binade (its negative side too) instead of leaving the fast path; the
    last two drift out of their binade (where the ulp doubles)."""
    rng = np.random.default_rng(24)
    n = 20000
    drift = 1 if abs(start) > 2 ** 21 else 0
    x = np.r_[start, (rng.integers(-3, 4, n - 1) + drift) * np.sign(start)]
    x[rng.choice(np.arange(1, n), 300, replace=False)] = rng.integers(-7, 8, 300) * 2.0 ** -33
    a = x.astype(np.float32)
    numerics._c.fast_elements()
    got = numerics.sumall(a)
    fast = numerics._c.fast_elements()
    want = 0.0
    for v in x.tolist():
        want += v
    assert got == want and got != round(got)  # some additions rounded
    same_bits(np.float64(got), np.float64(numpy_path(numerics.sumall, a)))
    assert fast > 0.9 * n if kernels == "hardware" else fast == 0


@pytest.mark.parametrize("sign", [-1.0, 1.0])
def test_float_row_leaving_the_binade_with_rounded_elements(sign, kernels, numpy_path):
    """A float32 row whose running sum (in double) carries a bit as low as its ulp, just
    inside 2^22 in magnitude, then drifts out of that binade while elements finer than the
    ulp keep rounding: past 2^22 they round to the doubled ulp, which the C row sum must see
    on either side of zero."""
    rng = np.random.default_rng(25)
    n = 6000
    x = sign * (rng.random(n) < 0.25)  # a slow drift outwards
    x[0], x[1:64], x[64] = sign * (2.0 ** 22 - 300), 0, sign * 2.0 ** -31
    x[rng.choice(np.arange(65, n), 400, replace=False)] = rng.integers(-7, 8, 400) * 2.0 ** -33
    a = x.astype(np.float32)
    assert (a.astype(np.float64) == x).all()
    want = 0.0
    for v in x.tolist():
        want += v
    got = numerics.sumall(a)
    assert got == want
    same_bits(np.float64(got), np.float64(numpy_path(numerics.sumall, a)))


def test_float_rows_ending_right_after_a_rounded_element(kernels, numpy_path):
    """Short float32 rows followed in memory by other small numbers, with elements finer than
    the unit dropped in late: the C row sum must stop at the row's end, whatever path it is
    on there."""
    rng = np.random.default_rng(26)
    for n in rng.integers(60, 200, 3000).tolist():
        buf = np.ones(n + 64, np.float32)
        x = buf[:n]
        x[1:] = rng.integers(-3, 4, n - 1)
        x[0] = 3 * 2.0 ** 20
        x[rng.integers(32, n, 3)] = rng.integers(-7, 8, 3) * 2.0 ** -33
        same_bits(np.float64(numerics.sumall(x)), np.float64(numpy_path(numerics.sumall, x)))


def hostile_rows(rng, n):
    """Rows that keep the binade method of the C row sum at its edges, each a case where one
    wrong rounding shows: several ties in one group of 8 (x/u exactly halfway, running sums of
    both parities), a walk crossing zero at every other step, a sum climbing through the
    powers of two from 1 to 2^20 and back down, sums in the subnormals that cross zero and the
    smallest normal, huge and tiny elements of mixed signs, infinities and NaN late in a row,
    and sums that cancel to exactly zero (-0 or +0 at the end)."""
    u = 2.0 ** int(rng.integers(-40, 40))
    up = np.abs(rng.standard_normal(n // 2)) * 2.0 ** 20 / (n // 4)
    climb = np.r_[1.0, up, -up[::-1] * (1 + 2.0 ** -30)][:n]
    rows = {
        "ties in every group": np.r_[2.0 ** 52 * u * rng.choice([1.0, 1.5, 1.875]),
                                     (rng.integers(-4, 5, n - 1)
                                      + 0.5 * (rng.random(n - 1) < 0.7)) * u],
        "ties of a doubled ulp": np.r_[2.0 ** 53 * u, (rng.integers(-4, 5, n - 1) * 2
                                                       + (rng.random(n - 1) < 0.6)) * u],
        "crossing zero": np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
        * (1 + rng.integers(0, 8, n) * 2.0 ** -50),
        "climbing the powers of two": climb,
        "subnormal sums": rng.standard_normal(n) * 2.0 ** -1070,
        "around the smallest normal": np.r_[2.0 ** -1022,
                                            rng.standard_normal(n - 1) * 2.0 ** -1040],
        "huge and tiny": rng.choice([1e300, -1e300, 1e-300, -1e-300, 1.0], n)
        * rng.random(n),
        "late specials": np.r_[rng.standard_normal(n - 3) + 5, np.inf, -1.0, np.nan],
    }
    half = rng.standard_normal(n // 2)
    rows["cancelling to zero"] = np.r_[-0.0, half, -half[::-1]]
    return rows


@pytest.mark.parametrize("src", [np.float64, np.float32])
def test_row_sums_on_hostile_rows_are_a_python_loop(src, kernels, numpy_path):
    """Every C route of the sequential sum (t:sum()'s sumall, a contiguous row through reduce,
    rows of a matrix, a strided column, x*x and |x|) against a Python loop over the elements
    in double (an independent sequential sum) and against numerics' numpy code, on rows
    built to defeat the binade method (hostile_rows), with both kernel sets."""
    rng = np.random.default_rng(27)
    numerics._c.fast_elements()
    for n in (257, 4099):
        for x in hostile_rows(rng, n).values():
            with np.errstate(all="ignore"):
                a = x.astype(src)
                z = a.astype(np.float64).tolist()
                for op, f in ((0, lambda v: v), (1, lambda v: v * v), (2, abs)):
                    want = np.float64(sum_loop(f(v) for v in z))
                    same_bits(np.float64(numerics.sumall(a, op)), want)
                    same_bits(np.float64(numpy_path(numerics.sumall, a, op)), want)
                want = np.float64(sum_loop(z))
                same_bits(numerics.seqsum(a, np.float64), want)
                pairs = np.stack([a, -a], axis=1)  # its columns: every other element
                same_bits(np.float64(numerics.sumall(pairs[:, 0])), want)
                same_bits(np.float64(numerics.sumall(pairs[:, 1])), np.float64(sum_loop(
                    -v for v in z)))
                m = np.stack([a, a[::-1], -a])
                same_bits(numerics.seqsum_axis(m, 1, np.float64),
                          numpy_path(numerics.seqsum_axis, m, 1, np.float64))
    fast = numerics._c.fast_elements()  # (the method does run on some of them)
    assert fast > 10000 if kernels == "hardware" else fast == 0


@pytest.mark.parametrize("src", [np.float64, np.float32])
def test_long_zero_mean_rows_in_every_layout(src, kernels):
    """Rows long enough that a zero-mean running sum crosses zero and the powers of two
    thousands of times (where the binade method hands over to the plain loop and takes over
    again), a walk of +-1..2, normals over 2^+-30 (the sum jumps binades) and a drifting row,
    through t:sum()'s C call in every layout (contiguous, columns of n x 3 and n x 2 matrices,
    reversed, 2-d blocks in row-major order): each is np.add.accumulate's last partial sum in
    double from 0 (a sequential loop: `acc = 0; acc += x`); float32 elements are added in
    double."""
    rng = np.random.default_rng(29)
    n = 60000
    rows = (rng.standard_normal(3 * n), rng.choice([-1.0, 1.0], 3 * n) * (1 + rng.random(3 * n)),
            rng.standard_normal(3 * n) * np.exp2(rng.integers(-30, 30, 3 * n)),
            rng.standard_normal(3 * n) + 0.1)
    numerics._c.fast_elements()
    for r in rows:
        a = r.astype(src)
        for view in (a[:n], a[::3], a[1::3], a.reshape(-1, 2)[:, 1], a[::-2],
                     a[:n].reshape(200, 300)[:, :250], a[:n].reshape(300, 200).T):
            z = np.r_[0.0, view.astype(np.float64).ravel()]
            same_bits(np.float64(numerics.sumall(view)), np.add.accumulate(z)[-1])
    fast = numerics._c.fast_elements()
    assert fast > 10 * n if kernels == "hardware" else fast == 0  # (of 31 n)


@pytest.mark.parametrize("src", [np.float64, np.float32])
def test_strided_columns_of_every_length(src, kernels, numpy_path):
    """The columns of an n x 2 matrix (every other element: wide loads and shuffles), of an
    n x 3 one, reversed, and a field of packed records (a stride that is no multiple of the
    element size: gathered a chunk at a time), for lengths around the groups of 4 and 8 and
    the chunks of 2048: each the sequential sum of its elements."""
    rng = np.random.default_rng(28)
    for n in list(range(512, 530)) + [2047, 2048, 2049, 4103]:
        m = (rng.random((n, 3)) + rng.integers(0, 2, (n, 3)) * 2.0 ** 30).astype(src)
        # the field of a packed record: strides that are no multiple of the element's size
        rec = np.zeros(n, [("a", src), ("b", np.int8)])
        rec["a"] = m[:, 0]
        for a in (m[:, :2].copy()[:, 0], m[:, :2].copy()[:, 1], m[:, 1], m[::-1, 2], rec["a"]):
            want = np.float64(sum_loop(a.astype(np.float64).tolist()))
            for op in (0, 1, 2):
                same_bits(np.float64(numerics.sumall(a, op)),
                          np.float64(numpy_path(numerics.sumall, a, op)))
            same_bits(np.float64(numerics.sumall(a)), want)


def sum_loop(values):
    """the sequential sum of Python floats (doubles) from 0.0, as TH's `acc = 0; acc += x`
    (so that a sum of -0.0 alone is +0.0)"""
    s = 0.0
    for v in values:
        s += v
    return s


def test_gemv_n_columns_in_c_same_bits(numpy_path):
    rng = np.random.default_rng(23)
    # float32 only below 4 rows (sgemv has other kernels there)
    shapes = [(4, 1), (5, 4), (9, 7), (17, 13), (32, 6), (1, 5), (3, 2), (2, 9), (7, 3)]
    for (m, n), dt in [(s, np.float64) for s in shapes] + [(s, np.float32) for s in shapes[5:8]]:
        for alpha, packed in ((1.0, True), (0.7, True), (1.5, False)):
            a = np.asfortranarray(values(rng, m * n, dt, False).reshape(m, n))
            x = values(rng, n, dt, False)
            if n > 3:
                x[1] = 1
            y0 = values(rng, m, dt, False)
            y_c, y_np = y0.copy(), y0.copy()
            assert numerics.gemv_n(a, x, y_c, alpha, packed)
            assert numpy_path(numerics.gemv_n, a, x, y_np, alpha, packed)
            same_bits(y_c, y_np)
