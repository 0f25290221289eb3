"""BLAS levels 1 and 2 (axpy, dot, gemv, ger) in OpenBLAS 0.3.21's order (torch7py._obl12) and
the TensorMath calls that use them (mv, addmv, addr, ger, dot, in-place add(value, y)).

Expectations: facts measured from the original (tests/data/obl12_facts.json: the reference
Torch7's output of session 16's BLAS probe, and Debian's libopenblas 0.3.21 called directly),
exact rational arithmetic (fractions) for the kernels' documented orders, and numpy formulas."""
import json
import math
import os
from fractions import Fraction

import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = pytest.mark.usefixtures('plain_blas_loops')

_b = pytest.importorskip("torch7py._obl12")

FACTS = json.load(open(os.path.join(os.path.dirname(__file__), "data", "obl12_facts.json")))
_INT = {np.dtype(np.float64): np.int64, np.dtype(np.float32): np.int32}


def bits(a):
    a = np.asarray(a)
    return a.view(_INT[a.dtype])


def vals(n, s, dt):
    """The probes' inputs: sin(s*i + 0.3) * (1 + (i % 7)/3), i = 1..n, rounded to dt."""
    return np.array([math.sin(s * i + 0.3) * (1 + (i % 7) / 3) for i in range(1, n + 1)]).astype(dt)


@pytest.fixture(params=[True, False], ids=["hw", "portable"])
def kernels(request):
    """Each test runs on the AVX2+FMA kernels (where the CPU has them) and the portable ones."""
    _b.use_hw(request.param)
    yield request.param
    _b.use_hw(True)


# -- Debian's library, called directly -------------------------------------------------------

@pytest.mark.parametrize("case", range(len(FACTS["library"])))
def test_kernels_give_debians_openblas_bits(case, kernels):
    routine, p, a, want = FACTS["library"][case]
    dt = np.float64 if p == "d" else np.float32
    want = np.array([float.fromhex(v) for v in want], dt)
    if routine == "gemv":
        lx, ly = (a["m"], a["n"]) if a["tr"] == "t" else (a["n"], a["m"])
        A = vals(a["lda"] * a["n"], 0.41, dt)
        x = vals(lx * a["incx"], 0.77, dt)
        y = vals(ly * a["incy"], 1.3, dt)
        _b.gemv(a["tr"], a["m"], a["n"], a["alpha"], A, a["lda"], x, a["incx"], a["beta"], y,
                a["incy"])
        got = y
    elif routine == "ger":
        A = vals(a["lda"] * a["n"], 0.41, dt)
        x = vals(a["m"] * a["incx"], 0.77, dt)
        y = vals(a["n"] * a["incy"], 1.3, dt)
        _b.ger(a["m"], a["n"], a["alpha"], x, a["incx"], y, a["incy"], A, a["lda"])
        got = A
    elif routine == "axpy":
        x = vals(a["n"] * a["incx"], 0.77, dt)
        y = vals(a["n"] * a["incy"], 1.3, dt)
        _b.axpy(a["alpha"], x[::a["incx"]], y[::a["incy"]])
        got = y
    else:
        x = vals(a["n"] * a["incx"], 0.77, dt)
        y = vals(a["n"] * a["incy"], 1.3, dt)
        got = np.array([_b.dot(a["n"], x, a["incx"], y, a["incy"])], dt)
    np.testing.assert_array_equal(bits(got), bits(want))


# -- the orders, by exact arithmetic ---------------------------------------------------------

def _rn(q, dt):
    """q (a Fraction) rounded to nearest dt."""
    f = float(q)  # correctly rounded to double
    if dt == np.float32:
        # double then float can round twice; the float nearest q directly
        c = np.float32(f)
        best = min((np.nextafter(c, np.float32(-np.inf)), c, np.nextafter(c, np.float32(np.inf))),
                   key=lambda v: (abs(Fraction(float(v)) - q), int(bits(np.float32(v))) & 1))
        return np.float32(best)
    return dt(f)


@pytest.mark.parametrize("dt", [np.float64, np.float32])
@pytest.mark.parametrize("n", [1, 15, 16, 20, 33, 47, 64, 70])
def test_axpy_fuses_the_micro_kernels_elements_only(dt, n, kernels):
    # daxpy.c/saxpy.c: the first n & -16 (double) or n & -32 (float) elements by vfmadd231,
    # one rounding; the C tail `y[i] += da * x[i]` compiled without FMA: two
    rs = np.random.RandomState(n)
    x = (rs.standard_normal(n) * 10.0 ** rs.randint(-4, 4, n)).astype(dt)
    y = rs.standard_normal(n).astype(dt)
    a = dt(-0.0123456789)
    got = y.copy()
    _b.axpy(float(a), x, got)
    k = n & (-16 if dt == np.float64 else -32)
    for i in range(n):
        if i < k:
            want = _rn(Fraction(float(a)) * Fraction(float(x[i])) + Fraction(float(y[i])), dt)
        else:
            want = _rn(Fraction(float(y[i])) + Fraction(float(_rn(
                Fraction(float(a)) * Fraction(float(x[i])), dt))), dt)
        assert got[i] == want, (i, got[i], want)


def test_axpy_alpha_zero_leaves_y_as_it_is(kernels):
    # interface/axpy.c returns before the kernel: an infinity in x does not reach y
    x = np.array([np.inf, np.nan, 1.0] * 7)
    y = np.arange(21.0)
    _b.axpy(0.0, x, y)
    assert np.array_equal(y, np.arange(21.0))


@pytest.mark.parametrize("n", [16, 20, 35])
def test_ddot_lanes_then_the_tail(n, kernels):
    # ddot.c: 16 accumulators (4 ymm x 4 lanes), fused chains over i == k mod 16, reduced as
    # ((v0 + v1) + (v2 + v3)) lane pairs then the two halves; then the unfused C tail
    rs = np.random.RandomState(n)
    x, y = rs.standard_normal(n), rs.standard_normal(n)
    k16 = n & -16
    acc = [Fraction(0)] * 16
    for i in range(k16):
        acc[i % 16] = Fraction(float(acc[i % 16] + Fraction(float(x[i])) * Fraction(float(y[i]))))

    def add(p, q):
        return Fraction(float(p + q))
    v = [(add(acc[4 * r], acc[4 * r + 2]), add(acc[4 * r + 1], acc[4 * r + 3])) for r in range(4)]
    w0 = add(add(v[0][0], v[1][0]), add(v[2][0], v[3][0]))
    w1 = add(add(v[0][1], v[1][1]), add(v[2][1], v[3][1]))
    s = add(w0, w1)
    for i in range(k16, n):
        s = add(s, Fraction(float(y[i] * x[i])))
    assert _b.dot(n, x, 1, y, 1) == float(s)


def test_sdot_adds_its_float_products_in_double(kernels):
    # sdot.c: the tail (below 32) accumulates float products in a double, rounded to float last
    x = vals(31, 0.77, np.float32)
    y = vals(31, 1.3, np.float32)
    s = 0.0
    for a, b in zip(y.tolist(), x.tolist()):
        s += float(np.float32(a) * np.float32(b))
    assert _b.dot(31, x, 1, y, 1) == float(np.float32(s))


@pytest.mark.parametrize("dt", [np.float64, np.float32])
def test_hardware_and_portable_kernels_agree(dt):
    rs = np.random.RandomState(7)
    for _ in range(60):
        m, n = rs.randint(1, 70), rs.randint(1, 70)
        lda = m + rs.randint(0, 3)
        incx, incy = rs.randint(1, 3), rs.randint(1, 3)
        for tr in "nt":
            lx, ly = (m, n) if tr == "t" else (n, m)
            a = rs.standard_normal(lda * n).astype(dt)
            x = rs.standard_normal(lx * incx).astype(dt)
            y = rs.standard_normal(ly * incy).astype(dt)
            out = []
            for hw in (True, False):
                yy = y.copy()
                _b.use_hw(hw)
                _b.gemv(tr, m, n, 0.7, a, lda, x, incx, 1.3, yy, incy)
                aa = a.copy()
                _b.ger(m, n, -0.3, x[:m * incx] if tr == "t" else np.resize(x, m * incx), incx,
                       y[:n * incy] if tr == "t" else np.resize(y, n * incy), incy, aa, lda)
                out.append((yy, aa, _b.dot(min(lx, ly), x, incx, y, incy)))
            _b.use_hw(True)
            assert bits(out[0][0]).tolist() == bits(out[1][0]).tolist()
            assert bits(out[0][1]).tolist() == bits(out[1][1]).tolist()
            assert out[0][2] == out[1][2]


def test_arguments_out_of_the_views_are_refused():
    a = np.zeros(10)
    with pytest.raises(ValueError):
        _b.gemv("n", 4, 3, 1.0, a, 4, np.zeros(3), 1, 0.0, np.zeros(4), 1)  # a needs 12
    with pytest.raises(ValueError):
        _b.gemv("n", 4, 2, 1.0, a, 3, np.zeros(2), 1, 0.0, np.zeros(4), 1)  # lda < m
    with pytest.raises(ValueError):
        _b.dot(5, np.zeros(5), 2, np.zeros(5), 1)
    with pytest.raises(ValueError):
        _b.axpy(1.0, np.zeros(3, np.float32), np.zeros(3))  # two types
    with pytest.raises((BufferError, ValueError)):
        ro = np.zeros(3)
        ro.flags.writeable = False
        _b.axpy(1.0, np.zeros(3), ro)


# -- TensorMath against the reference Torch7 -------------------------------------------------

def _blasops_inputs():
    """Replays /tmp/s16/blasops.lua's seeds (the mm loop's 275 steps, then one a shape) and
    yields (tag, function of the tensor type giving the result) for its mv..addr and dot/add
    lines."""
    seed = 0.1
    for _ in range(275):
        seed += 0.01
    dims = [1, 2, 3, 4, 5, 7, 8, 16, 17, 100, 300]
    for m in dims:
        for n in dims:
            seed += 0.01
            yield "mv", m, n, seed
    for n in [1, 2, 3, 5, 8, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1000, 4097]:
        seed += 0.01
        yield "vec", n, None, seed


def _fill(T, shape, s):
    t = T(*shape)
    n = int(np.prod(shape))
    t.numpy()[...] = vals(n, s, T.dtype).reshape(shape) if n else 0
    return t


def _tensor_results(T):
    res = {}
    for kind, m, n, s in _blasops_inputs():
        if kind == "mv":
            a = _fill(T, (m, n), s)
            x = _fill(T, (n,), s + 0.2)
            at = _fill(T, (n, m), s).t()
            y = _fill(T, (m,), s + 0.4)
            v1 = _fill(T, (m,), s + 0.9)
            M = _fill(T, (m, n), s + 0.6)
            res["mv %d %d" % (m, n)] = lambda a=a, x=x: torch.mv(a, x)
            res["mvT %d %d" % (m, n)] = lambda at=at, x=x: torch.mv(at, x)
            res["addmv %d %d" % (m, n)] = lambda y=y, a=a, x=x: torch.addmv(0.3, y, 1.3, a, x)
            res["addmvT %d %d" % (m, n)] = lambda y=y, at=at, x=x: torch.addmv(0.3, y, 1.3, at, x)
            res["addr %d %d" % (m, n)] = lambda M=M, v1=v1, x=x: torch.addr(0.7, M, 1.1, v1, x)
        else:
            x = _fill(T, (m,), s)
            y = _fill(T, (m,), s + 0.3)
            res["dot %d" % m] = lambda x=x, y=y: x.dot(y)
            res["addinpl %d" % m] = lambda x=x, y=y: x.clone().add(0.37, y)
    return res


@pytest.mark.parametrize("typename", ["double", "float"])
def test_tensor_math_gives_the_reference_torch7s_bits(typename):
    T = torch.DoubleTensor if typename == "double" else torch.FloatTensor
    facts = FACTS["blasops"][typename]
    results = _tensor_results(T)
    assert numerics.exact
    for tag, want in facts.items():
        r = results[tag]()
        got = np.array([r], np.float64) if tag.startswith("dot") else \
            r.contiguous().numpy().reshape(-1).astype(np.float64)
        want = np.array([float.fromhex(v) for v in want])
        assert bits(got).tolist() == bits(want).tolist(), tag


def test_dot_of_strided_tensors_adds_each_run():
    # THTensor_(dot): TH_TENSOR_APPLY2 hands BLAS each run where both tensors' innermost
    # sections go on (here a column pair: one strided ddot), the runs' results added in double
    a = torch.DoubleTensor(7, 5)
    b = torch.DoubleTensor(7, 5)
    a.numpy()[...] = vals(35, 0.41, np.float64).reshape(7, 5)
    b.numpy()[...] = vals(35, 0.77, np.float64).reshape(7, 5)
    ca, cb = a.select(2, 2), b.select(2, 4)
    assert ca.dot(cb) == 0.0 + _b.dot(7, cb.contiguous().numpy(), 1, ca.contiguous().numpy(), 1)
    # a transposed 5x7 (runs of 7, stride 5) against a contiguous one (one run of 35): five
    # strided ddot calls, each ddot.c's strided loop: (p0 + p2) and (p1 + p3) into two sums,
    # the rest into the first, then their sum
    at = a.t()
    bt = b.t().contiguous()
    want = 0.0
    for i in range(5):
        p = [float(bt.numpy()[i, j] * at.numpy()[i, j]) for j in range(7)]
        t1 = 0.0 + (p[0] + p[2])
        t2 = 0.0 + (p[1] + p[3])
        for j in range(4, 7):
            t1 += p[j]
        want += t1 + t2
    assert at.dot(bt) == want


def test_in_place_add_of_non_contiguous_tensors_rounds_the_product():
    # THTensor_(cadd) off its contiguous branch: TH_TENSOR_APPLY3's `*t + value * *src`
    x = torch.DoubleTensor(6, 4)
    x.numpy()[...] = vals(24, 0.41, np.float64).reshape(6, 4)
    y = torch.DoubleTensor(4, 6)
    y.numpy()[...] = vals(24, 0.77, np.float64).reshape(4, 6)
    xs = x.t()
    want = xs.numpy() + 0.37 * y.numpy()
    xs.add(0.37, y)
    assert bits(xs.numpy()).tolist() == bits(want).tolist()


def test_contracted_build_fuses_the_c_loops():
    # _obl12.contract(True): the kernels' C loops as GCC compiles them with -mfma (Debian's
    # build does so for dgemv_t_4.c only): the axpy and dot tails become fused multiply-adds.
    # The scripts' golden of optim_methods (cg on two elements) has these bits (the default,
    # numerics.blas_loops 'fused'); the parity cases' goldens and the reference Torch7 on
    # Haswell kernels the unfused ones ('plain', which this test process runs with)
    rs = np.random.RandomState(11)
    x, y = rs.standard_normal(9), rs.standard_normal(9)
    old = _b.contract(True)
    try:
        got_dot = _b.dot(9, x, 1, y, 1)
        yy = y.copy()
        _b.axpy(0.37, x, yy)
    finally:
        _b.contract(old)
    s = Fraction(0)
    for a, b in zip(y.tolist(), x.tolist()):
        s = Fraction(float(Fraction(a) * Fraction(b) + s))
    assert got_dot == float(s)
    for i in range(9):
        assert yy[i] == float(Fraction(0.37) * Fraction(float(x[i])) + Fraction(float(y[i])))
    assert not _b.contract(False)  # the test process's 'plain' restored
