"""TensorMath's values as THTensorMath.c's loops compute them: the order of operations and the
C types of each step, written out here with numpy scalars (independent of torch7py's code)."""
import math

import numpy as np
import pytest

import torch7py as torch

f32 = np.float32


def _t(cls, arr):
    arr = np.asarray(arr)
    t = cls(*arr.shape)
    t.numpy()[...] = arr
    return t


def test_float_remainder_is_a_double_expression():
    # t - v * floor(t / v): the quotient in float, floor() and what follows in double
    rng = np.random.default_rng(3)
    a = (rng.standard_normal(50) * 1e6).astype(f32)
    v = f32(0.37)
    want = np.array([f32(float(x) - float(v) * math.floor(float(f32(x / v)))) for x in a])
    got = _t(torch.FloatTensor, a).remainder(float(v)).numpy()
    assert np.array_equal(got, want)
    s = np.full(50, v, f32)
    s[3] = 0
    got = torch.cremainder(_t(torch.FloatTensor, a), _t(torch.FloatTensor, s)).numpy()
    want[3] = np.nan
    assert np.array_equal(got, want, equal_nan=True)
    # float arithmetic alone would be visibly off here (1e6 / 0.37: the product rounds in float)
    assert not np.array_equal(want, (a - v * np.floor(a / v)).astype(f32))


@pytest.mark.parametrize("cls,dt", [(torch.CharTensor, np.int8), (torch.IntTensor, np.int32),
                                    (torch.LongTensor, np.int64)])
def test_integer_div_fmod_remainder_are_c_operators(cls, dt):
    a = np.array([7, -7, 7, -7, 0, 5], dt)
    for v in (2, -2, 3, -3):
        q = [int(x / v) for x in a.tolist()]  # C: truncation toward zero
        r = [x - v * k for x, k in zip(a.tolist(), q)]
        rem = [x + v if x * v < 0 else x for x in r]
        assert cls(a.tolist()).div(v).numpy().tolist() == q
        assert cls(a.tolist()).fmod(v).numpy().tolist() == r
        assert cls(a.tolist()).remainder(v).numpy().tolist() == rem


def test_linspace_order_of_operations():
    # a + i*(b-a)/(n-1) in float: not a + i*((b-a)/(n-1))
    a, b, n = f32(-9.518158), f32(1.2), 21
    want = [f32(a + f32(f32(f32(i) * f32(b - a)) / f32(n - 1))) for i in range(n)]
    got = torch.linspace(torch.FloatTensor(), float(a), float(b), n).numpy()
    assert got.tolist() == [float(x) for x in want]
    want = [f32(np.power(f32(10), x)) for x in want]
    assert torch.logspace(torch.FloatTensor(), float(a), float(b), n).numpy().tolist() == \
        [float(x) for x in want]


def test_default_type_is_read_at_each_call():
    # torch.linspace(0, 1, 3) dispatches on the default type, which can change between calls
    try:
        for name in ("torch.FloatTensor", "torch.DoubleTensor", "torch.FloatTensor"):
            torch.setdefaulttensortype(name)
            assert torch.linspace(0, 1, 3).typename == name
            assert torch.zeros(2).typename == name
            assert torch.range(1, 3).typename == name
    finally:
        torch.setdefaulttensortype("torch.DoubleTensor")


def test_maxall_minall_keep_the_first_of_equal_values():
    # `if(!(value <= theMax)) theMax = value`: 0 after -0 is no larger, -0 stays
    for cls in (torch.FloatTensor, torch.DoubleTensor):
        t = cls([-0.0, 0.0, -1.0])
        assert math.copysign(1, t.max()) == -1
        assert math.copysign(1, cls([0.0, -0.0, 1.0]).min()) == 1
        assert math.isnan(cls([1.0, float("nan"), 5.0]).max())
        assert math.isnan(cls([1.0, float("nan"), -5.0]).min())


def _renorm_ref(x, p, maxnorm, dt):
    out = x.copy()
    f = dt
    for i, row in enumerate(x):
        norm = f(0)
        for v in row:
            if p == 1:
                norm = f(float(norm) + abs(float(v)))
            elif p == 2:
                norm = f(float(norm) + float(v) * float(v))
            else:
                norm = f(norm + np.power(np.abs(v), f(p), dtype=dt))
        norm = f(math.pow(float(norm), float(f(1) / f(p))))
        if norm > maxnorm:
            out[i] = (row * f(float(maxnorm) / (float(norm) + 1e-7))).astype(dt)
    return out


@pytest.mark.parametrize("cls,dt", [(torch.FloatTensor, np.float32),
                                    (torch.DoubleTensor, np.float64)])
@pytest.mark.parametrize("p", [1, 2, 3])
def test_renorm_sums_each_row_in_real(cls, dt, p):
    rng = np.random.default_rng(p)
    for _ in range(20):
        x = (rng.standard_normal((4, 7)) * 3).astype(dt)
        maxnorm = dt(abs(rng.standard_normal()) * 4)
        got = torch.renorm(_t(cls, x), p, 1, float(maxnorm)).numpy()
        assert np.array_equal(got, _renorm_ref(x, p, maxnorm, dt))
        # along dim 2: the columns are the slices
        got = torch.renorm(_t(cls, x), p, 2, float(maxnorm)).numpy()
        assert np.array_equal(got, _renorm_ref(x.T.copy(), p, maxnorm, dt).T)
