"""dgemm/sgemm in OpenBLAS 0.3.21 Haswell's bits (torch7py.obgemm, torch7py._obgemm).

Expectations computed independently of the kernel: the arithmetic read from OpenBLAS's driver
and kernels written out with exact rationals (fractions.Fraction, one rounding per step), and
facts measured on the original: the %a digests that the reference Torch7 (Debian's OpenBLAS
0.3.21, OPENBLAS_CORETYPE=Haswell, one thread) printed for TensorMath's mm/addmm/bmm/addbmm
over deterministic inputs (/tmp/s16/blasops.lua, 2026-12-07), written down as sha256 digests
(and a few literally)."""
import hashlib
import math
from fractions import Fraction

import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics, obgemm

_c = pytest.importorskip("torch7py._obgemm")


def _rn32(x):
    """An exact rational rounded once to the nearest float32, ties to even."""
    f = np.float32(float(x))
    cands = [np.nextafter(f, np.float32(-np.inf)), f, np.nextafter(f, np.float32(np.inf))]
    return min(cands, key=lambda y: (abs(Fraction(float(y)) - x),
                                     int(np.array(y).view(np.int32)) & 1))


def _rn(x, single):
    return Fraction(float(_rn32(x))) if single else Fraction(float(x))


def _fma(a, b, c, single):
    return _rn(Fraction(a) * Fraction(b) + c, single)


def _chain(a, b, ks, single):
    acc = Fraction(0)
    for l in ks:
        acc = _fma(float(a[l]), float(b[l]), acc, single)
    return acc


def _ref_gemm(A, B, C, alpha, beta, single, split=lambda i, j, kl: 1):
    """The arithmetic of OpenBLAS 0.3.21's Haswell gemm (one thread), from its sources: beta
    pass; K blocks of level3.c (Q 256 / 320, halved by UNROLL_M 4 / 8); per block an FMA
    chain per element, split in `split(i, j, kl)` chains over the first 8*(kl/8) terms (k mod
    ways, the rest into the first, summed (c0+c1)+(c2+c3) or c0+c1); save C + alpha*acc
    (double, two roundings) or fma(alpha, acc, C) (float)."""
    m, k = A.shape
    n = B.shape[1]
    q, um = (320, 8) if single else (256, 4)
    out = [[Fraction(float(C[i, j])) for j in range(n)] for i in range(m)]
    for i in range(m):
        for j in range(n):
            if beta == 0:
                out[i][j] = Fraction(0)
            elif beta != 1:
                out[i][j] = _rn(out[i][j] * Fraction(float(np.float32(beta)) if single
                                                     else beta), single)
    if k == 0 or alpha == 0:
        return out
    al = Fraction(float(np.float32(alpha))) if single else Fraction(alpha)
    ls = 0
    while ls < k:
        rest = k - ls
        kl = q if rest >= 2 * q else (((rest // 2 + um - 1) // um) * um if rest > q else rest)
        for i in range(m):
            for j in range(n):
                w = split(i, j, kl)
                k8 = kl - kl % 8 if w > 1 and kl >= 8 else 0
                cs = [_chain(A[i, ls:], B[ls:, j], [l for l in range(k8) if l % w == r]
                             + ([l for l in range(k8, kl)] if r == 0 else []), single)
                      for r in range(w)]
                if w == 4:
                    acc = _rn(_rn(cs[0] + cs[1], single) + _rn(cs[2] + cs[3], single), single)
                elif w == 2:
                    acc = _rn(cs[0] + cs[1], single)
                else:
                    acc = cs[0]
                if single:
                    out[i][j] = _rn(al * acc + out[i][j], single)
                else:
                    out[i][j] = _rn(out[i][j] + _rn(al * acc, False), False)
        ls += kl
    return out


def _data(shape, dt, seed):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(shape) * np.exp2(rng.integers(-3, 4, shape))
    return v.astype(dt)


@pytest.mark.parametrize("hw", [True, False])
def test_double_kernel_matches_the_fma_chain_model(hw):
    was = _c.set_hw(hw)
    try:
        # n odd: the last column's 4 x 1 tiles (rows of whole 4s) sum four chains; k = 300:
        # two K blocks (256, 44); alpha/beta not 1
        A, B, C = _data((6, 3), np.float64, 1), None, _data((6, 5), np.float64, 3)
        A = _data((6, 300), np.float64, 1)
        B = _data((300, 5), np.float64, 2)
        got = C.copy()
        obgemm.gemm(got, A, B, 0.7, 0.3)
        want = _ref_gemm(A, B, C, 0.7, 0.3, False,
                         lambda i, j, kl: 4 if j == 4 and i < 4 else 1)
        assert [[Fraction(float(x)) for x in r] for r in got] == want
    finally:
        _c.set_hw(was)


@pytest.mark.parametrize("hw", [True, False])
def test_float_kernel_matches_the_fma_chain_model(hw):
    was = _c.set_hw(hw)
    try:
        # m 9, n 5: the driver's first column chunk is 4 wide (5 > 4), where the kernel's
        # 8 x 4 tile (rows 0..7) splits even and odd k; column 4 and row 8 are one chain;
        # k 20 (K8 = 16); the fused alpha
        A = _data((9, 20), np.float32, 4)
        B = _data((20, 5), np.float32, 5)
        C = _data((9, 5), np.float32, 6)
        got = C.copy()
        obgemm.gemm(got, A, B, 1.7, 0.5)
        want = _ref_gemm(A, B, C, 1.7, 0.5, True,
                         lambda i, j, kl: 2 if j < 4 and i < 8 else 1)
        assert [[Fraction(float(x)) for x in r] for r in got] == want
    finally:
        _c.set_hw(was)


def test_beta_pass_and_alpha_zero():
    C = np.array([[np.nan, 2.0], [3.0, -0.0]])
    A = np.ones((2, 3))
    B = np.ones((3, 2))
    got = C.copy()
    obgemm.gemm(got, A, B, 1.0, 0.0)  # beta 0: C's NaN is gone
    assert got.tolist() == [[3.0, 3.0], [3.0, 3.0]]
    got = C.copy()
    obgemm.gemm(got, A, B, 0.0, 2.0)  # alpha 0: beta's pass only
    assert np.isnan(got[0, 0]) and got[0, 1] == 4.0 and got[1, 0] == 6.0
    got = np.full((2, 2), 5.0)
    obgemm.gemm(got, np.ones((2, 0)), np.ones((0, 2)), 1.0, 1.0)  # k 0
    assert got.tolist() == [[5.0, 5.0], [5.0, 5.0]]


def test_k_blocks_follow_level3():
    assert obgemm.k_blocks(600, np.dtype(np.float64)) == [(0, 256), (256, 172), (428, 172)]
    assert obgemm.k_blocks(700, np.dtype(np.float32)) == [(0, 320), (320, 192), (512, 188)]
    assert obgemm.k_blocks(256, np.dtype(np.float64)) == [(0, 256)]


def test_numpy_route_and_c_kernel_agree():
    # the numpy route (matmul per K block) and the C kernel: the same bits
    for dt, shape in ((np.float64, (70, 90, 600)), (np.float32, (70, 90, 700))):
        m, n, k = shape
        A, B, C = _data((m, k), dt, 7), _data((k, n), dt, 8), _data((m, n), dt, 9)
        for alpha, beta in ((1.0, 0.0), (0.7, 0.3), (-1.0, 1.0)):
            r1 = C.copy()
            obgemm.gemm(r1, A, B, alpha, beta)
            r2 = C.copy()
            _c.gemm(r2, A, B, alpha, beta)
            assert r1.tobytes() == r2.tobytes()


# ------------------------------------------------------------------------------------------
# TensorMath against the original's digests (blasops.lua's inputs)

def _cfmt(x):
    """C's %a of a double."""
    if x == 0:
        return "-0x0p+0" if math.copysign(1, x) < 0 else "0x0p+0"
    h = float(x).hex()  # '-0x1.8000000000000p+0'
    sign = "-" if h[0] == "-" else ""
    mant, exp = h.lstrip("-")[2:].split("p")
    mant = mant.rstrip("0").rstrip(".")
    return "%s0x%sp%s" % (sign, mant, exp)


def _fill(T, shape, s):
    n = int(np.prod(shape))
    v = [math.sin(s * i + 0.3) * (1 + (i % 7) / 3) for i in range(1, n + 1)]
    return T(np.array(v).astype(T().numpy().dtype).reshape(shape))


def _digest(t):
    return " ".join(_cfmt(float(x)) for x in t.contiguous().numpy().reshape(-1))


def _seeds():
    """blasops.lua's seeds: 0.1, then + 0.01 per (m, n, k) of its mm loop, then per (b, m, k)
    of its bmm loop after the mv loop (121) and the dot loop (17)."""
    seed, mm = 0.1, {}
    for m in (1, 3, 8, 17, 64):
        for n in (1, 2, 5, 16, 33):
            for k in (1, 2, 3, 5, 8, 16, 31, 64, 100, 257, 600):
                seed += 0.01
                mm[(m, n, k)] = seed
    for _ in range(121 + 17):
        seed += 0.01
    bmm = {}
    for b in (1, 2, 5):
        for m in (1, 3, 8, 17):
            for k in (1, 4, 33):
                seed += 0.01
                bmm[(b, m, k)] = seed
    return mm, bmm


_ORIGINAL = {  # sha256 (first 32 hex digits) of the original's digest line
    "DoubleTensor": {
        ("mm", 8, 16, 31): "92035dce2a821b1e85daba3406036c7f",
        ("mm", 17, 1, 100): "7b98fc32eacc4802a7271a643ee311a4",
        ("mmT", 64, 2, 257): "fcac5795360a9917b70b35eda61e5140",
        ("addmm", 1, 33, 257): "0ac01431d88df34fb65d60a6f8dda0f9",
        ("addmm", 17, 33, 600): "4279f909afc72aaae155739559400eee",
        ("bmm", 2, 3, 33): "bb60bbcc7b45823017b09c6cc27a9e0d",
        ("addbmm", 5, 17, 33): "5a7b44d9c920c68dd9cdf0fd4c83eaa9",
    },
    "FloatTensor": {
        ("mm", 8, 16, 31): "07a31ec6608a35e9e770505da9c9b0ec",
        ("mm", 17, 1, 100): "cee1f966283141e88d8df5e76454788c",
        ("mmT", 64, 2, 257): "eaa9d33dafe47bbbf777c17e6bc00561",
        ("addmm", 1, 33, 257): "6e89e474443681700481c3a145baf1cf",
        ("addmm", 17, 33, 600): "0b47c63ae5d033f75b69a912bd72b567",
        ("bmm", 2, 3, 33): "ac219a585c9e98bf1942a8623e94b728",
        ("addbmm", 5, 17, 33): "d764056173a13c92998b37103ef630d5",
    },
}


def _op(T, op, a, b, c, seed):
    if op == "mm":
        return torch.mm(_fill(T, (a, c), seed), _fill(T, (c, b), seed + 0.5))
    if op == "mmT":
        at = _fill(T, (c, a), seed).t()
        bt = _fill(T, (b, c), seed + 0.5).t()
        return torch.mm(at, bt)
    if op == "addmm":
        m1, m2 = _fill(T, (a, c), seed), _fill(T, (c, b), seed + 0.5)
        return torch.addmm(0.5, _fill(T, (a, b), seed + 0.7), 1.7, m1, m2)
    nb, m, k = a, b, c
    x, y = _fill(T, (nb, m, k), seed), _fill(T, (nb, k, 5), seed + 0.1)
    if op == "bmm":
        return torch.bmm(x, y)
    return torch.addbmm(0.5, _fill(T, (m, 5), seed + 0.2), 1.5, x, y)


@pytest.mark.parametrize("tname", ["DoubleTensor", "FloatTensor"])
def test_tensormath_gives_the_originals_bits(tname):
    T = getattr(torch, tname)
    mm, bmm = _seeds()
    for (op, a, b, c), want in _ORIGINAL[tname].items():
        seed = bmm[(a, b, c)] if op in ("bmm", "addbmm") else mm[(a, b, c)]
        got = hashlib.sha256(_digest(_op(T, op, a, b, c, seed)).encode()).hexdigest()[:32]
        assert got == want, (op, a, b, c)


def test_mm_of_one_row_literal():
    # the original's mm 1 5 600 (double): its gemm kernel, where numpy's matmul calls gemv
    mm, _ = _seeds()
    r = _op(torch.DoubleTensor, "mm", 1, 5, 600, mm[(1, 5, 600)])
    assert _digest(r) == ("-0x1.a700b33c38884p+2 -0x1.9fe0bb49dbb41p+2 -0x1.57483d4960bd7p+1 "
                          "-0x1.a1d5dadbf544p-2 0x1.0d10342ed6298p+0")
    r = _op(torch.FloatTensor, "mm", 1, 5, 600, mm[(1, 5, 600)])
    assert _digest(r) == "-0x1.a700cp+2 -0x1.9fe0c4p+2 -0x1.57483cp+1 -0x1.a1d588p-2 0x1.0d0ffp+0"


def test_float_alpha_beta_are_floats():
    # TH passes real (float) alpha and beta: a beta that rounds to 0 in float zeroes C (NaN
    # included), one that rounds to 1 leaves it
    C = np.array([[np.nan, 2.0]], np.float32)
    A = np.ones((1, 2), np.float32)
    B = np.ones((2, 2), np.float32)
    got = C.copy()
    obgemm.gemm(got, A, B, 1.0, 1e-50)
    assert got.tolist() == [[2.0, 2.0]]
    got = C.copy()
    obgemm.gemm(got, A, B, 1.0 + 1e-12, 1.0 + 1e-12)
    assert np.isnan(got[0, 0]) and got[0, 1] == 4.0


def test_one_thread_sets_and_restores_numpy_threads():
    fs, fg = obgemm._numpy_threads()
    if fg is None:
        pytest.skip("numpy's BLAS is not a findable OpenBLAS")
    was = fg()
    fs(2)
    try:
        with obgemm.one_thread(10 ** 7):
            assert fg() == 1
        assert fg() == 2
        with obgemm.one_thread(1000):  # small: one thread anyway, nothing set
            assert fg() == 2
    finally:
        fs(was)


# ------------------------------------------------------------------------------------------
# Operands with neither stride 1: THTensor_(addmm) passes a contiguous copy (newContiguous),
# whose flag follows the result's orientation ('n' for a row-major result, whose BLAS call
# sees the transposes). Digests of what the original printed (SkylakeX kernels, one thread)
# for the same inputs: fill(T, sizes, s) as _fill, then select/t views.

_NEITHER = {  # sha256 (first 32 hex digits) of the original's digest line
    "DoubleTensor": {"mm_z_w": "11884511b14a54b551bdf09085497fda",
                     "mm_zc_w2": "7909da6f05c31c911c3de5674382ee57",
                     "mm_z_w2": "7909da6f05c31c911c3de5674382ee57",
                     "colmajor": "11884511b14a54b551bdf09085497fda",
                     "bmm": "0dc30709fa8cf0a8f37372e5d3369eeb"},
    "FloatTensor": {"mm_z_w": "987ed7c470875a634e4e5ea5b0000e84",
                    "mm_zc_w2": "912e5ad03c380b26103760a87e1f823f",
                    "mm_z_w2": "912e5ad03c380b26103760a87e1f823f",
                    "colmajor": "54507774357605a45c4502956fa806f7",
                    "bmm": "64b161edeefcac69179ce46b7f1ee63f"},
}


@pytest.mark.parametrize("tname", ["DoubleTensor", "FloatTensor"])
def test_operands_with_neither_stride_one_go_as_th_copies_them(tname):
    T = getattr(torch, tname)
    was = numerics.blas_loops("fused")
    try:
        z = _fill(T, (5, 40, 2), 0.11).select(3, 1)  # strides (80, 2)
        w = _fill(T, (40, 7), 0.23)
        w2 = _fill(T, (7, 40, 3), 0.37).select(3, 2).t()  # 40 x 7, strides (3, 120)
        r = T(7, 5).t()  # a column-major result: the copies go as 't'
        r.mm(z, w)
        got = {"mm_z_w": torch.mm(z, w), "mm_zc_w2": torch.mm(z.clone(), w2),
               "mm_z_w2": torch.mm(z, w2), "colmajor": r,
               "bmm": torch.bmm(_fill(T, (3, 4, 33, 2), 0.41).select(4, 2),
                                _fill(T, (3, 33, 6), 0.53))}
    finally:
        numerics.blas_loops(was)
    for name, want in _NEITHER[tname].items():
        d = hashlib.sha256(_digest(got[name]).encode()).hexdigest()[:32]
        assert d == want, name
