"""Torch7's order of operations and generator draws (issue 12): expectations computed
independently (sequential loops over Python floats / numpy scalars, known outputs of the
original Torch7)."""
import math
from fractions import Fraction

import numpy as np
import pytest

import torch7py as torch


def test_require_nn_draws_four_uniforms_like_nn_test_loading():
    # Torch7's nn/init.lua loads nn.test, which builds nn.Linear(1, 2) (4 uniforms); the
    # original prints 0.22685145493597 here, the 5th uniform after manualSeed(123)
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    r = LuaRuntime().execute("torch.manualSeed(123); require 'nn'; return torch.uniform()")
    torch.manualSeed(123)
    fifth = [torch.uniform() for _ in range(5)][-1]
    assert r == fifth
    assert "%.14g" % r == "0.22685145493597"


def _rn(x):
    """An exact rational rounded to the nearest double (ties to even): Python's int division."""
    return float(x)


def _rn32(x):
    """An exact rational rounded once to the nearest float32, ties to even."""
    f = np.float32(float(x))
    cands = [np.nextafter(f, np.float32(-np.inf)), f, np.nextafter(f, np.float32(np.inf))]
    return min(cands, key=lambda y: (abs(Fraction(float(y)) - x),
                                     int(np.array(y).view(np.int32)) & 1))


def test_fma_rounds_once_for_doubles_and_floats():
    from torch7py import numerics
    rng = np.random.default_rng(7)
    for n in (3, 40, 70000):  # the scalar path, the numpy path, the chunked path
        a = rng.standard_normal(n) * 10.0 ** rng.integers(-6, 6, n)
        c = rng.standard_normal(n)
        c[::3] = -a[::3] * 0.37 * (1 + 1e-14)  # cancellation
        idx = range(0, n, max(1, n // 300))
        got = numerics.fma(a, 0.37, c)
        for i in idx:
            assert got[i] == _rn(Fraction(a[i]) * Fraction(0.37) + Fraction(c[i]))
        a32, c32 = a.astype(np.float32), c.astype(np.float32)
        got32 = numerics.fma(a32, np.float32(0.37), c32)
        assert got32.dtype == np.float32
        for i in idx:
            want = _rn32(Fraction(float(a32[i])) * Fraction(float(np.float32(0.37)))
                         + Fraction(float(c32[i])))
            assert got32[i] == want


def test_fma_specials_follow_ieee():
    from torch7py import numerics
    a = np.array([np.inf, np.nan, 1e308, 0.0, -0.0, 1e300] * 2)
    b = np.array([1.0, 1.0, 10.0, 5.0, 1.0, 1e-300] * 2)
    c = np.array([1.0, 1.0, 1.0, -0.0, -0.0, 1.0] * 2)
    got = numerics.fma(a, b, c)
    assert np.isinf(got[0]) and np.isnan(got[1]) and np.isinf(got[2])
    assert got[3] == 0 and not np.signbit(got[3]) and np.signbit(got[4])
    assert got[5] == 2.0


def test_tensor_add_with_a_scale_is_fused_when_contiguous():
    x = torch.Tensor([0.1, 0.7, 1e-3, 3.3, 2.5])
    y = torch.Tensor([0.3, 0.11, 7.0, 1 / 3, 0.1])
    want = [_rn(Fraction(a) + Fraction(-0.01) * Fraction(b))
            for a, b in zip(x.numpy(), y.numpy())]
    assert x.clone().add(-0.01, y).numpy().tolist() == want
    assert torch.add(x, -0.01, y).numpy().tolist() == want
    assert x.clone().csub(0.01, y).numpy().tolist() == want
    # a non-contiguous view goes through TH_TENSOR_APPLY3: the product rounds first
    m = torch.Tensor(5, 2).zero()
    col = m.select(2, 1)
    col.copy(x)
    col.add(-0.01, y)
    plain = [_rn(Fraction(a) + Fraction(_rn(Fraction(-0.01) * Fraction(b))))
             for a, b in zip(x.numpy(), y.numpy())]
    assert col.numpy().tolist() == plain


def test_update_parameters_is_a_fused_axpy():
    from torch7py import nn
    lin = nn.Linear(3, 2)
    lin.weight.copy(torch.Tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]))
    lin.gradWeight.copy(torch.Tensor([[0.7, 1 / 3, 0.9], [1.1, 1.3, 1 / 7]]))
    w, g = lin.weight.numpy().copy(), lin.gradWeight.numpy().copy()
    lin.updateParameters(0.01)
    want = [[_rn(Fraction(a) + Fraction(-0.01) * Fraction(b)) for a, b in zip(r, s)]
            for r, s in zip(w, g)]
    assert lin.weight.numpy().tolist() == want


def test_linear_1d_forward_follows_gemv_tail_order():
    # OpenBLAS gemv_t's tail for 2 inputs: y = bias + fma(w0, x0, w1*x1)
    from torch7py import nn
    lin = nn.Linear(2, 3)
    lin.weight.copy(torch.Tensor([[0.1, 0.7], [1 / 3, -0.2], [0.3, 0.9]]))
    lin.bias.copy(torch.Tensor([0.5, -0.25, 1 / 7]))
    x = torch.Tensor([0.37, 1.1])
    out = lin.forward(x).numpy().tolist()
    w, b = lin.weight.numpy(), lin.bias.numpy()
    for j in range(3):
        t = _rn(Fraction(w[j, 0]) * Fraction(0.37) + Fraction(_rn(Fraction(w[j, 1])
                                                                 * Fraction(1.1))))
        assert out[j] == b[j] + t


def test_mse_sums_in_order_in_the_tensor_type():
    from torch7py import nn
    x = np.array([0.1, 0.7, 1e-3, 3.3, 2.5, 1 / 3, 1e8, -1e8, 0.1])
    t = np.array([0.3, 0.11, 7.0, 1 / 3, 0.1, 0.2, 0.0, 0.0, 1e-9])
    s = 0.0
    for a, b in zip(x.tolist(), t.tolist()):
        s += (a - b) * (a - b)
    crit = nn.MSECriterion()
    assert crit.forward(torch.Tensor(x.tolist()), torch.Tensor(t.tolist())) == s / 9
    x32, t32 = x.astype(np.float32), t.astype(np.float32)
    s32 = np.float32(0)
    for a, b in zip(x32, t32):
        z = np.float32(a - b)
        s32 = np.float32(s32 + np.float32(z * z))
    crit = nn.MSECriterion().float()
    got = crit.forward(torch.FloatTensor(x32.tolist()), torch.FloatTensor(t32.tolist()))
    assert got == float(np.float32(s32 / np.float32(9)))


def _seq(values, start=0.0):
    s = start
    for v in values:
        s += v
    return s


def _hard_doubles(n, seed=3):
    # magnitudes spread so that pairwise and sequential sums differ in the last bits
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)).tolist()


def test_sum_mean_prod_trace_are_sequential_for_doubles():
    v = _hard_doubles(600)
    t = torch.Tensor(v)
    assert t.sum() == _seq(v)
    assert t.mean() == _seq(v) / 600
    p = [1 + x * 1e-3 for x in v]
    prod = 1.0
    for x in p:
        prod *= x
    assert torch.Tensor(p).prod() == prod
    m = torch.Tensor(v).view(20, 30)
    assert m.trace() == _seq([v[31 * i] for i in range(20)])
    # along the last dim (stride 1): one loop per row; along dim 1: rows added in turn
    rows = [v[30 * i:30 * i + 30] for i in range(20)]
    assert m.sum(2).view(20).numpy().tolist() == [_seq(r) for r in rows]
    assert m.sum(1).view(30).numpy().tolist() == [_seq([r[j] for r in rows]) for j in range(30)]
    assert m.mean(2).view(20).numpy().tolist() == [_seq(r) / 30 for r in rows]
    assert m.t().sum() == _seq([r[j] for j in range(30) for r in rows])  # logical order


def test_float_sums_accumulate_in_double_except_along_a_strided_dim():
    v = np.array(_hard_doubles(300), np.float32)
    t = torch.FloatTensor(v.tolist())
    assert t.sum() == _seq(float(x) for x in v)
    m = t.view(30, 10)
    rows = v.reshape(30, 10)
    want_rows = [np.float32(_seq(float(x) for x in r)) for r in rows]
    assert m.sum(2).view(30).numpy().tolist() == want_rows
    cols = []
    for j in range(10):  # TH adds the rows into the float result: float rounding each step
        s = np.float32(0)
        for i in range(30):
            s = np.float32(s + rows[i, j])
        cols.append(s)
    assert m.sum(1).view(10).numpy().tolist() == cols


def test_var_std_norm_dist_follow_th_formulas():
    v = _hard_doubles(50, seed=5)
    t = torch.Tensor(v)
    mean = _seq(v) / 50
    var = _seq((x - mean) * (x - mean) for x in v) / 49
    assert t.var() == var
    assert t.std() == math.sqrt(var)
    m = t.view(5, 10)
    for i, row in enumerate(v[10 * i:10 * i + 10] for i in range(5)):
        s, s2 = _seq(row) / 10, _seq(x * x for x in row) / 9
        want = max(s2 - (10.0 / 9.0) * s * s, 0.0)
        assert m.var(2)[i + 1][1] == want
        assert m.std(2)[i + 1][1] == math.sqrt(want)
        assert m.norm(2, 2)[i + 1][1] == _seq(x * x for x in row) ** 0.5
    assert t.norm() == math.sqrt(_seq(x * x for x in v))
    assert t.norm(1) == _seq(abs(x) for x in v)
    w = _hard_doubles(50, seed=6)
    assert t.dist(torch.Tensor(w)) == _seq((a - b) * (a - b) for a, b in zip(v, w)) ** 0.5


def test_short_dot_is_openblas_fused_tail():
    # below 16 elements OpenBLAS's ddot runs `dot += y[i] * x[i]`, contracted to FMAs
    x = [0.1, 0.7, 1 / 3, 3.3, -2.5, 1e-3, 7.0]
    y = [0.3, 0.11, 7.0, 1 / 7, 0.1, 5.5, -0.2]
    s = Fraction(0)
    for a, b in zip(x, y):
        s = Fraction(_rn(Fraction(b) * Fraction(a) + s))
    assert torch.Tensor(x).dot(torch.Tensor(y)) == float(s)


def test_small_gemm_is_a_fused_chain_over_k():
    from torch7py import obgemm
    if not obgemm.available():
        pytest.skip("torch7py._obgemm not built")
    rng = np.random.default_rng(11)
    a, b = rng.standard_normal((3, 8)), rng.standard_normal((8, 2))
    c = rng.standard_normal((3, 2))
    got = c.copy()
    assert obgemm.gemm(got, a, b, 1.0, 1.0)
    for i in range(3):
        for j in range(2):
            acc = Fraction(_rn(Fraction(a[i, 0]) * Fraction(b[0, j])))
            for k in range(1, 8):
                acc = Fraction(_rn(Fraction(a[i, k]) * Fraction(b[k, j]) + acc))
            assert got[i, j] == _rn(Fraction(c[i, j]) + acc)


def test_gemv_n_sums_columns_four_at_a_time():
    # one row, packed: temp += fma(a3, x3, fma(a2, x2, fma(a0, x0, a1*x1))) per 4 columns,
    # then the rest one fused step at a time, then y += alpha*temp fused
    from torch7py import numerics
    rng = np.random.default_rng(12)
    a, x = rng.standard_normal((1, 10)), rng.standard_normal(10)
    y = np.array([0.25])
    numerics.gemv_n(a, x, y, 1.0, True)
    F = Fraction
    temp = F(0)
    for j in (0, 4):
        s = F(_rn(F(a[0, j]) * F(x[j]) + F(_rn(F(a[0, j + 1]) * F(x[j + 1])))))
        s = F(_rn(F(a[0, j + 2]) * F(x[j + 2]) + s))
        s = F(_rn(F(a[0, j + 3]) * F(x[j + 3]) + s))
        temp = F(_rn(temp + s))
    for j in (8, 9):
        temp = F(_rn(F(a[0, j]) * F(x[j]) + temp))
    assert y[0] == _rn(temp + F(0.25))


def test_softmax_logsoftmax_nll_bce_sum_follow_thnn_order():
    from torch7py import nn
    v = [x / 7 for x in _hard_doubles(12, seed=9)]
    t = torch.Tensor(v)
    mx = max(v)
    e = [math.exp(x - mx) for x in v]
    s = _seq(e)
    assert nn.SoftMax().forward(t).numpy().tolist() == [z * (1 / s) for z in e]
    logsum = mx + math.log(s)
    out = nn.LogSoftMax().forward(t)
    assert out.numpy().tolist() == [x - logsum for x in v]
    m = torch.Tensor(v).view(3, 4)
    nll = nn.ClassNLLCriterion()
    targets = [2, 4, 1]
    acc = 0.0
    for i, k in enumerate(targets):
        acc -= v[4 * i + k - 1]
    assert nll.forward(m, torch.LongTensor(targets)) == acc / 3
    p = [1 / (1 + math.exp(-x)) for x in v]
    y = [float(i % 2) for i in range(12)]
    acc = 0.0
    for a, b in zip(p, y):
        acc -= math.log(a + 1e-12) * b + math.log(1. - a + 1e-12) * (1. - b)
    assert nn.BCECriterion().forward(torch.Tensor(p), torch.Tensor(y)) == acc / 12
    rows = [v[4 * i:4 * i + 4] for i in range(3)]
    assert nn.Sum(2).forward(m).numpy().tolist() == [_seq(r) for r in rows]
    assert nn.Sum(1).forward(m).numpy().tolist() == [_seq([r[j] for r in rows])
                                                     for j in range(4)]


def test_batch_normalization_train_step_in_thnn_order():
    from torch7py import nn
    v = _hard_doubles(12, seed=13)
    bn = nn.BatchNormalization(3)
    bn.weight.copy(torch.Tensor([0.5, 1 / 3, 2.0]))
    bn.bias.copy(torch.Tensor([0.1, -0.2, 1 / 7]))
    x = torch.Tensor(v).view(4, 3)
    y = bn.forward(x).numpy()
    go = _hard_doubles(12, seed=14)
    bn.zeroGradParameters()
    gi = bn.backward(x, torch.Tensor(go).view(4, 3)).numpy()
    for f in range(3):
        col = [v[3 * i + f] for i in range(4)]
        g = [go[3 * i + f] for i in range(4)]
        mean = _seq(col) / 4
        ssum = _seq((c - mean) * (c - mean) for c in col)
        invstd = 1 / math.sqrt(ssum / 4 + 1e-5)
        w, b = bn.weight.numpy()[f], bn.bias.numpy()[f]
        assert y[:, f].tolist() == [((c - mean) * invstd) * w + b for c in col]
        assert bn.running_mean.numpy()[f] == 0.1 * mean + 0.9 * 0.0
        assert bn.running_var.numpy()[f] == 0.1 * (ssum / 3) + 0.9 * 1.0
        gsum = _seq(g)
        dotp = _seq((c - mean) * d for c, d in zip(col, g))
        k = dotp * invstd * invstd / 4
        assert gi[:, f].tolist() == [(d - gsum / 4 - (c - mean) * k) * invstd * w
                                     for c, d in zip(col, g)]
        assert bn.gradWeight.numpy()[f] == 0.0 + 1 * dotp * invstd
        assert bn.gradBias.numpy()[f] == 0.0 + 1 * gsum


def test_exact_off_gives_numpy_speed_paths_with_close_values():
    from torch7py import numerics
    v = _hard_doubles(500, seed=21)
    t, y = torch.Tensor(v), torch.Tensor(_hard_doubles(500, seed=22))
    exact_sum, exact_add = t.sum(), t.clone().add(0.37, y).numpy().copy()
    numerics.exact = False
    try:
        assert t.sum() == float(np.sum(np.array(v)))
        np.testing.assert_allclose(t.clone().add(0.37, y).numpy(), exact_add, rtol=1e-15)
        assert abs(t.sum() - exact_sum) <= 1e-12 * abs(exact_sum) + 1e-9
    finally:
        numerics.exact = True


def test_gemv_n_main_rows_follow_the_haswell_kernel():
    # rows 0-3: per 4 columns y = fma(alpha, fma(a2,x2,a0*x0) + fma(a3,x3,a1*x1), y), a pair
    # left: fma(alpha, a0*x0 + a1*x1, y), a last column: y + a*(x*alpha); row 4 (tail): the
    # C loop `temp += a*x`, then y += alpha * temp, each product rounded first (Debian's
    # Haswell build, blas_loops "plain", this process's; the SkylakeX build's fused order:
    # test_obl12_skx.py)
    from torch7py import numerics
    assert numerics.blas_loops() == "plain"
    rng = np.random.default_rng(15)
    a, x = rng.standard_normal((5, 7)), rng.standard_normal(7)
    y0 = rng.standard_normal(5)
    y = y0.copy()
    alpha = 0.3
    assert numerics.gemv_n(a, x, y, alpha, True)
    F = Fraction

    def rn(q):
        return F(_rn(q))
    for i in range(4):
        r = F(y0[i])
        t = rn(F(a[i, 2]) * F(x[2]) + rn(F(a[i, 0]) * F(x[0])))
        u = rn(F(a[i, 3]) * F(x[3]) + rn(F(a[i, 1]) * F(x[1])))
        r = rn(F(alpha) * rn(t + u) + r)
        p = rn(rn(F(a[i, 4]) * F(x[4])) + rn(F(a[i, 5]) * F(x[5])))
        r = rn(F(alpha) * p + r)
        r = rn(r + rn(F(a[i, 6]) * rn(F(x[6]) * F(alpha))))
        assert y[i] == float(r)
    temp = F(0)
    for j in range(7):
        temp = rn(rn(F(a[4, j]) * F(x[j])) + temp)
    assert y[4] == _rn(rn(F(alpha) * temp) + F(y0[4]))


def test_addmv_with_a_column_major_matrix_takes_gemv_n_order():
    from torch7py import numerics
    rng = np.random.default_rng(16)
    a = rng.standard_normal((6, 9))
    x = rng.standard_normal(9)
    y0 = rng.standard_normal(6)
    want = y0.copy()
    numerics.gemv_n(a, x, want, 1.0, True)  # the kernel's order, checked above by hand
    mat = torch.Tensor(9, 6)
    mat.numpy()[...] = a.T
    got = torch.addmv(torch.Tensor(y0.tolist()), mat.t(), torch.Tensor(x.tolist()))
    assert got.numpy().tolist() == want.tolist()


def test_fallback_fma_when_the_rounded_product_overflows():
    # C's fma keeps the product exact: a finite product added to -inf is -inf (not NaN), and a
    # product just past DBL_MAX cancelled by c is finite (values worked out by hand)
    from torch7py import numerics
    big = float(np.finfo(np.float64).max)
    a = np.array([107.0, 1.5, 3.0, 2.0])
    b = np.array([big, big, big / 2, big])
    c = np.array([-np.inf, -big, -big, np.inf])
    want = [-np.inf, 0.5 * big, 0.5 * big, np.inf]
    assert numerics.fma_scalar(107.0, big, -np.inf) == -np.inf
    assert numerics.fma_scalar(1.5, big, -big) == 0.5 * big
    old = numerics._c
    numerics._c = None
    try:
        n = numerics._SMALL + 1  # the vectorised fallback
        got = numerics.fma(np.tile(a, n), np.tile(b, n), np.tile(c, n))
        assert got[:4].tolist() == want and got.tolist() == want * n
    finally:
        numerics._c = old
    if old is not None:
        assert numerics.fma(a, b, c).tolist() == want
