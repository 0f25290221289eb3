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
    powf = _libm("pow", True)  # TH_MATH_NAME(pow)(10.0, x): libm's powf (not numpy's power)
    want = [f32(powf(10.0, float(x))) for x in want]
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
                # powf / pow from libm (numpy's power is not libm's on every CPU)
                norm = f(norm + f(_libm("pow", dt == np.float32)(abs(float(v)), float(f(p)))))
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


def _libm(name, single):
    import ctypes
    import ctypes.util
    lib = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
    ct = ctypes.c_float if single else ctypes.c_double
    f = getattr(lib, name + ("f" if single else ""))
    f.restype = ct
    f.argtypes = [ct] * (2 if name in ("pow", "atan2") else 1)
    return f


_FUNCS = ("exp", "log", "log1p", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
          "tanh")


@pytest.mark.parametrize("cls,dt", [(torch.FloatTensor, np.float32),
                                    (torch.DoubleTensor, np.float64)])
def test_unary_math_is_libm_element_by_element(cls, dt):
    # LAB_IMPLEMENT_BASIC_FUNCTION: TH_MATH_NAME(f)(*t_data), expf for Float, exp for Double
    pytest.importorskip("torch7py._exact")
    rng = np.random.default_rng(5)
    x = (rng.standard_normal(400) * 3).astype(dt)
    for name in _FUNCS:
        v = np.clip(x / 10, -1, 1) if name in ("asin", "acos") else (
            np.abs(x) if name in ("log", "log1p") else x)
        f = _libm(name, dt == np.float32)
        want = np.array([f(float(z)) for z in v], dt)
        t = _t(cls, v)
        assert np.array_equal(getattr(torch, name)(t).numpy(), want), name
        # a strided view, in place
        m = _t(cls, v.reshape(20, 20)).t()
        getattr(m, name)(m)
        assert np.array_equal(m.numpy(), want.reshape(20, 20).T), name
    e = _libm("exp", dt == np.float32)
    one = dt(1)
    want = np.array([one / (one + dt(e(-float(z)))) for z in x], dt)
    assert np.array_equal(torch.sigmoid(_t(cls, x)).numpy(), want)


def test_pow_forms_are_ths():
    rng = np.random.default_rng(6)
    x = (rng.standard_normal(300) * 3).astype(f32)
    t = _t(torch.FloatTensor, x)
    with np.errstate(all="ignore"):
        # the exponents TH computes as products and quotients in float
        assert np.array_equal(torch.pow(t, 3).numpy(), (x * x) * x)
        assert np.array_equal(torch.pow(t, -2).numpy(), f32(1) / (x * x), equal_nan=True)
        assert np.array_equal(torch.pow(t, -0.5).numpy(), f32(1) / np.sqrt(x), equal_nan=True)
    pytest.importorskip("torch7py._exact")
    powf, pw = _libm("pow", True), _libm("pow", False)
    ax = np.abs(x)
    want = np.array([powf(float(z), float(f32(1.7))) for z in ax], f32)
    assert np.array_equal(torch.pow(_t(torch.FloatTensor, ax), 1.7).numpy(), want)
    # tpow and cpow call C's double pow on float elements
    want = np.array([f32(pw(float(f32(2.3)), float(z))) for z in x], f32)
    assert np.array_equal(torch.pow(2.3, t).numpy(), want)
    y = (rng.standard_normal(300)).astype(f32)
    want = np.array([f32(pw(float(a), float(b))) for a, b in zip(ax, y)], f32)
    assert np.array_equal(torch.cpow(_t(torch.FloatTensor, ax), _t(torch.FloatTensor, y)).numpy(),
                          want)


@pytest.mark.parametrize("cls,dt", [(torch.ByteTensor, np.uint8), (torch.CharTensor, np.int8),
                                    (torch.ShortTensor, np.int16)])
def test_addcdiv_of_small_integers_promotes_to_int(cls, dt):
    # *r += value * *src1 / *src2: C computes value * src1 in int, so the quotient is not that
    # of the wrapped product
    a, b, c = [200 % 127, 100, 90], [3, 7, 2], [1, 2, 3]
    v = 5
    want = [(z + int(v * x / y)) for z, x, y in zip(c, a, b)]
    want = np.array(want, np.int64).astype(dt)
    got = torch.addcdiv(cls(c), v, cls(a), cls(b)).numpy()
    assert got.tolist() == want.tolist()


def test_histc_bounds_are_real():
    # minval/maxval are `real`: 0.3 as a float is 0.3f, so a FloatTensor's 0.3f is inside
    t = torch.FloatTensor([0.3, 0.1, 0.15])
    assert torch.histc(t, 2, 0, 0.3).numpy().tolist() == [1, 2]
    assert torch.bhistc(t.view(1, 3), 2, 0, 0.3).numpy().tolist() == [[1, 2]]
    # no range: minall/maxall; a constant tensor: +-1 around it
    assert torch.histc(torch.DoubleTensor([1, 1, 1]), 3).numpy().tolist() == [0, 3, 0]


def test_empty_tensor_checks_are_thargchecks():
    # THTensor_(meanall) (varall and stdall start with it) and the logical sums of ByteTensor
    e = torch.DoubleTensor()
    for f in (e.mean, e.var, e.std):
        with pytest.raises(torch.TorchError) as ei:
            f()
        assert str(ei.value) == "bad argument #1 to '?' (empty Tensor)"
    for f in (torch.ByteTensor().all, torch.ByteTensor().any):
        with pytest.raises(torch.TorchError) as ei:
            f()
        assert str(ei.value) == "bad argument #1 to '?' (empty Tensor)"
    assert e.sum() == 0 and e.prod() == 1


def test_norm_along_a_dim_takes_powf_of_the_float_sum():
    # THTensor_(norm): accreal sum of powf(fabsf(x), p), then powf((float)sum, 1.0/p)
    pytest.importorskip("torch7py._exact")
    powf = _libm("pow", True)
    rng = np.random.default_rng(8)
    for p in (2, 3, 1.5):
        x = (rng.standard_normal((40, 7)) * 3).astype(f32)
        want = []
        for row in x:
            s = 0.0
            for v in row:
                s += float(powf(abs(float(v)), p))
            want.append(powf(float(f32(s)), float(f32(1.0 / p))))
        got = _t(torch.FloatTensor, x).norm(p, 2).numpy().ravel()
        assert got.tolist() == np.array(want, f32).tolist(), p
