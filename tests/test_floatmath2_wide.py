"""The AVX-512 set of torch7py/_vmath.c's lane kernels (16 float / 8 double lanes) and the
one-call paths of small tensor ops (_exact.unary, _exact.ew).

Expectations: the C library's own expf, logf, ... called element by element through ctypes
(TH's TH_MATH_NAME(f) per element), numpy's IEEE float32/float64 add and multiply (one rounding
per element, as TH's loops), and TH's element order for an overlapping result
(TH_TENSOR_APPLY2: one element after the other)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import float_functions, libm_fn, libm_lib, needs_libm_wide, same_bits

_C = numerics._c
pytestmark = needs_libm_wide

FUNCTIONS = ("exp", "log", "sin", "cos", "tanh", "sigmoid")


@pytest.fixture(scope="module")
def libm():
    lib = libm_lib()
    fns = float_functions(lib, FUNCTIONS[:-1] + ("atan",))
    for n in ("exp", "log", "sin", "cos", "tanh", "atan"):
        fns[n + "_d"] = libm_fn(lib, n, False)
    exp = fns["exp_d"]
    fns["sigmoid_d"] = lambda x: 1.0 / (1.0 + exp(-x))
    return fns


def _inputs(n=120_000):
    """special values and branch thresholds with their neighbours, the floats around multiples
    of pi/2 (sin/cos's cancellation), random bit patterns and moderate values"""
    rng = np.random.default_rng(2026)
    edges = np.array([0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x00000001,
                      0x007fffff, 0x00800000, 0x7f7fffff, 0x3f800000, 0xbf800000, 0x39800000,
                      0x3f400000, 0x42f00000, 0x41b00000, 0x24000000], np.uint32)
    floats = np.array([88.72283, -87.33655, -103.97208, 85.0, 119.99999, np.pi / 4, 0.75,
                       2.0 ** -12, 22.0, 2.0 ** -55, 0.34657359, 1.03972077, 9.01],
                      np.float32)
    near = np.concatenate([edges, floats.view(np.uint32)])
    near = (near[:, None].astype(np.int64) + np.arange(-3, 4)).ravel() % (1 << 32)
    k = np.arange(1, 77)
    halfpi = (k * (np.pi / 2)).astype(np.float32).view(np.uint32).astype(np.int64)
    around = (halfpi[:, None] + np.arange(-64, 64)).ravel().astype(np.uint32)
    rest = n - near.size - around.size
    bits = rng.integers(0, 1 << 32, rest // 2, dtype=np.uint64).astype(np.uint32)
    moderate = (rng.standard_normal(rest - rest // 2) * 8).astype(np.float32)
    return np.concatenate([near.astype(np.uint32).view(np.float32), around.view(np.float32),
                           bits.view(np.float32), moderate])


@pytest.fixture(scope="module")
def reference(libm):
    x = _inputs()
    with np.errstate(all="ignore"):
        return x, {f: np.array([libm[f](v) for v in x.tolist()], np.float32)
                   for f in FUNCTIONS}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_set_is_libm(name, reference, kernel_set):
    """each set's kernel, unchecked (mode 1) and through the dispatch, gives libm's bits"""
    x, ref = reference
    assert name in _C.libm_fast()
    out = np.full_like(x, 7.0)
    _C.libm(name, x, out, True, 1)
    same_bits(out, ref[name])
    out2 = np.full_like(x, 7.0)
    _C.libm(name, x, out2, True)
    same_bits(out2, ref[name])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_set_tails(name, reference, kernel_set):
    """lengths around the 16 and 32 lanes of a step: the tail writes only its own elements"""
    x, ref = reference
    start = len(x) - 2000
    for n in (1, 7, 8, 9, 15, 16, 17, 31, 33, 47):
        out = np.full(n + 1, 7.0, np.float32)
        _C.libm(name, x[start:start + n], out[:n], True, 1)
        same_bits(out[:n], ref[name][start:start + n])
        assert out[n] == 7.0


def test_double_tanh_set(libm, kernel_set):
    rng = np.random.default_rng(5)
    x = np.concatenate([np.array([0.0, -0.0, np.inf, -np.inf, 22.0, 2.0 ** -55, 1.0, 0.5]),
                        rng.integers(0, 1 << 64, 20_000, dtype=np.uint64).view(np.float64),
                        rng.standard_normal(40_000) * 4])
    want = np.array([libm["tanh_d"](v) for v in x.tolist()])
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        _C.libm("tanh", x, out, False, mode)
        nan = np.isnan(want)
        assert np.array_equal(np.isnan(out), nan)
        assert np.array_equal(out[~nan].view(np.uint64), want[~nan].view(np.uint64))


def test_wide_switch():
    """libm_wide(False) keeps the AVX2+FMA set; the portable set is never wide"""
    assert _C.libm_wide(False) is False
    _C.use_hardware(False)
    try:
        assert _C.libm_wide(True) is False
    finally:
        _C.use_hardware(True)
    _C.libm_wide(True)


# ---- the one-call paths of small tensor ops ----

@pytest.mark.parametrize("tname", ["FloatTensor", "DoubleTensor"])
@pytest.mark.parametrize("name", ["exp", "log", "sin", "cos", "tanh", "sigmoid", "atan"])
def test_unary_forms(name, tname, libm):
    """t:f() in place, torch.f(t) new, torch.f(r, t) into another tensor, a strided view: libm's
    bits in each (the C library's float function on floats, its double one on doubles)"""
    T = getattr(torch, tname)
    rng = np.random.default_rng(3)
    x = (rng.standard_normal(1000) * 3).astype(T.dtype)
    if name == "log":
        x = np.abs(x)
    t = T(1000).copy(torch.from_numpy(x))
    f = libm[name if tname == "FloatTensor" else name + "_d"]
    want = np.array([f(v) for v in x.tolist()], T.dtype)
    r = T(1000)
    got_new = getattr(torch, name)(t).numpy().copy()
    got_into = getattr(torch, name)(r, t).numpy().copy()
    view = T(2000).copy(torch.from_numpy(np.repeat(x, 2))).view(1000, 2).select(2, 1)
    got_view = getattr(torch, name)(view).numpy().copy()
    getattr(t, name)(t)
    got_inplace = t.numpy().copy()
    for g in (got_new, got_into, got_view, got_inplace):
        np.testing.assert_array_equal(g.view(np.uint8), want.view(np.uint8))


def test_unary_overlap_keeps_th_order(libm):
    """res and src on one storage, shifted by one: TH_TENSOR_APPLY2 reads each element after
    the previous one was written, so x[k] = exp^(k-1)(x[1]); not the one-call path"""
    base = np.array([0.0, -3.0, 0.0, 0.0, 0.0], np.float32)
    x = torch.FloatTensor(5).copy(torch.from_numpy(base))
    src, res = x.narrow(1, 2, 3), x.narrow(1, 3, 3)
    res.exp(src)
    want = base.copy()
    for k in range(2, 5):
        want[k] = libm["exp"](float(want[k - 1]))
    same_bits(x.numpy(), want)


@pytest.mark.parametrize("tname", ["FloatTensor", "DoubleTensor"])
def test_value_ops(tname):
    """add/mul of a number: the number rounded to the tensor's type first (TH's real), then one
    IEEE operation per element; in place, new, into another tensor, strided"""
    T = getattr(torch, tname)
    dt = T.dtype.type
    rng = np.random.default_rng(4)
    x = rng.standard_normal(1000).astype(dt)
    with np.errstate(over="ignore"):
        _value_ops(T, dt, x)


def _value_ops(T, dt, x):
    for value in (0.1, 1e40, -2, 3.5):
        v = dt(value)
        want_add, want_mul = x + v, x * v
        t = T(1000).copy(torch.from_numpy(x))
        np.testing.assert_array_equal(torch.add(t, value).numpy(), want_add)
        np.testing.assert_array_equal(torch.mul(T(1000), t, value).numpy(), want_mul)
        view = T(2000).copy(torch.from_numpy(np.repeat(x, 2))).view(1000, 2).select(2, 1)
        np.testing.assert_array_equal(view.mul(value).numpy(), want_mul)
        t.add(value)
        np.testing.assert_array_equal(t.numpy(), want_add)
    t = T(1000).copy(torch.from_numpy(x))
    t.add("2")  # a numeric string, as Lua passes it
    np.testing.assert_array_equal(t.numpy(), x + dt(2))


def test_value_ops_integer_types():
    t = torch.IntTensor(5).copy(torch.from_numpy(np.arange(5, dtype=np.int32)))
    t.mul(3).add(1)
    np.testing.assert_array_equal(t.numpy(), np.arange(5) * 3 + 1)


@pytest.mark.parametrize("tname", ["FloatTensor", "DoubleTensor"])
def test_cmul_forms(tname):
    T = getattr(torch, tname)
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal((2, 1000)).astype(T.dtype)
    t, u = T(1000).copy(torch.from_numpy(a)), T(1000).copy(torch.from_numpy(b))
    np.testing.assert_array_equal(torch.cmul(t, u).numpy(), a * b)
    r = T(1000)
    np.testing.assert_array_equal(torch.cmul(r, t, u).numpy(), a * b)
    np.testing.assert_array_equal(r.cmul(t, r).numpy(), a * (a * b))  # other is the result
    t.cmul(t)
    np.testing.assert_array_equal(t.numpy(), a * a)
    t.copy(torch.from_numpy(a)).cmul(u)
    np.testing.assert_array_equal(t.numpy(), a * b)
    # same number of elements, another shape: TH multiplies in element order
    np.testing.assert_array_equal(t.copy(torch.from_numpy(a)).cmul(u.view(10, 100)).numpy(),
                                  a * b)
    with pytest.raises(Exception, match="inconsistent|size|number of elements"):
        t.cmul(T(999))


def test_cmul_of_mixed_types_is_an_error():
    t = torch.FloatTensor(4).fill(1)
    with pytest.raises(Exception):
        t.cmul(torch.DoubleTensor(4).fill(1))


@pytest.mark.parametrize("tname", ["FloatTensor", "DoubleTensor"])
def test_add_tensor_forms(tname):
    """add(x) / add(1, x): one IEEE sum per element in every form (value 1: TH adds without a
    product); another value keeps its own path"""
    T = getattr(torch, tname)
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal((2, 500)).astype(T.dtype)
    t, u = T(500).copy(torch.from_numpy(a)), T(500).copy(torch.from_numpy(b))
    np.testing.assert_array_equal(torch.add(t, u).numpy(), a + b)
    np.testing.assert_array_equal(torch.add(T(500), t, 1, u).numpy(), a + b)
    np.testing.assert_array_equal(torch.add(T(3), t, u).numpy(), a + b)  # resized first
    t.add(u)
    np.testing.assert_array_equal(t.numpy(), a + b)
    t.copy(torch.from_numpy(a)).add(t)
    np.testing.assert_array_equal(t.numpy(), a + a)
    view = T(1000).copy(torch.from_numpy(np.repeat(a, 2))).view(500, 2).select(2, 1)
    np.testing.assert_array_equal(view.add(u).numpy(), a + b)
    half = T(500).copy(torch.from_numpy(a)).add(0.5, u).numpy()
    np.testing.assert_allclose(half, a + T.dtype.type(0.5) * b, rtol=1e-6)
