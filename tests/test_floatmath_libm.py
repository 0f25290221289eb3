"""Float pointwise math is libm's, bit for bit: torch7py/_vmath.c's lane kernels (exp, log, sin,
cos, tanh, sigmoid on float32) against the C library's own expf, logf... called through ctypes
element by element (TH's TH_MATH_NAME(f) per element), on a million random inputs plus the
special values and branch thresholds, for both kernel sets. tools/check_libm_replica.py runs
the same comparison over all 2^32 inputs."""

import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import float_functions, libm_fn, libm_lib

_C = numerics._c
pytestmark = pytest.mark.skipif(_C is None or not hasattr(_C, "libm_fast"),
                                reason="torch7py._exact is not built")

FUNCTIONS = ("exp", "log", "sin", "cos", "tanh", "sigmoid")


def _libm():
    return float_functions(libm_lib(), FUNCTIONS[:-1])


def _inputs(n=1_000_000):
    rng = np.random.default_rng(12)
    edges = np.array([0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x00000001,
                      0x80000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x3f800000,
                      0xbf800000], np.uint32)
    floats = np.array([88.0, -88.0, 88.72283, -87.33655, -103.97208, 85.0, -85.0, 120.0,
                       -120.0, 119.99999, np.pi / 4, 0.75, 2.0 ** -12, 22.0, -22.0, 2.0 ** -55,
                       0.34657359, 1.03972077, 18.714973, 2.0 ** -25, 0.6992, 1.0234, 0.98],
                      np.float32)
    near = np.concatenate([edges, floats.view(np.uint32)])
    near = (near[:, None].astype(np.int64) + np.arange(-3, 4)).ravel() % (1 << 32)
    bits = rng.integers(0, 1 << 32, n // 2, dtype=np.uint64).astype(np.uint32)
    moderate = (rng.standard_normal(n - n // 2) * 8).astype(np.float32)
    return np.concatenate([near.astype(np.uint32).view(np.float32), bits.view(np.float32),
                           moderate])


@pytest.fixture(scope="module")
def reference():
    """{function: (x, libm's f(x) element by element)}, computed once."""
    fns, x = _libm(), _inputs()
    out = {}
    with np.errstate(all="ignore"):
        for name, f in fns.items():
            out[name] = np.array([f(v) for v in x.tolist()], np.float32)
    return x, out


@pytest.fixture(params=["hardware", "portable"])
def kernels(request):
    if request.param == "hardware":
        if not _C.use_hardware(True):
            pytest.skip("this CPU has no AVX2+FMA")
    else:
        _C.use_hardware(False)
    yield request.param
    _C.use_hardware(True)


def _same_bits(a, b):
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    assert np.array_equal(nan_a, nan_b)
    bad = np.flatnonzero(a[~nan_a].view(np.uint32) != b[~nan_b].view(np.uint32))
    assert bad.size == 0, (bad.size, a[~nan_a][bad[:5]], b[~nan_b][bad[:5]])


@pytest.mark.parametrize("name", FUNCTIONS)
def test_kernel_is_libm(name, reference, kernels):
    x, ref = reference
    # the dispatch: the kernel where its check set passed, else libm's loop; libm's bits always
    out2 = np.full_like(x, np.nan)
    _C.libm(name, x, out2, True)
    _same_bits(out2, ref[name])
    # the kernel itself: the AVX2+FMA set passes its check on glibc 2.27+ (the portable sin and
    # cos mirror glibc's baseline build, whose reduction is unfused: on an FMA CPU glibc runs
    # its FMA build, and the check set's floats around multiples of pi/2 reject them)
    if kernels == "hardware":
        assert name in _C.libm_fast()
    if name in _C.libm_fast():
        out = np.empty_like(x)
        _C.libm(name, x, out, True, 1)  # unchecked
        _same_bits(out, ref[name])


@pytest.mark.parametrize("n", [0, 1, 3, 4, 5, 7, 8, 9, 15, 17])
@pytest.mark.parametrize("name", FUNCTIONS)
def test_kernel_tails(name, n, reference, kernels):
    """lengths that are not multiples of the 4 or 8 lanes: the tail goes through a padded copy
    and writes only its own elements"""
    x, ref = reference
    start = 3 * len(x) // 4  # moderate values
    out = np.full(n + 1, 7.0, np.float32)
    _C.libm(name, x[start:start + n], out[:n], True, 1)  # the kernel, checked or not
    _same_bits(out[:n], ref[name][start:start + n])
    assert out[n] == 7.0


@pytest.mark.parametrize("name", ["exp", "log", "sin", "cos", "tanh", "sigmoid"])
def test_tensor_functions_float(name, reference):
    """torch.<f> on a strided FloatTensor view and in place: libm's float function's bits"""
    x, ref = reference
    idx = np.arange(3 * len(x) // 4, 3 * len(x) // 4 + 2000)
    t = torch.from_numpy(np.ascontiguousarray(x[idx]).reshape(40, 50)).t()  # strided
    r = getattr(torch, name)(t)
    want = ref[name][idx].reshape(40, 50).T
    _same_bits(np.ascontiguousarray(r.numpy()), np.ascontiguousarray(want))
    getattr(t, name)(t)  # in place, src is dst
    _same_bits(np.ascontiguousarray(t.numpy()), np.ascontiguousarray(want))


def test_mode_errors():
    x = np.zeros(4, np.float32)
    with pytest.raises(ValueError, match="no function"):
        _C.libm("erf", x, x, True)
    with pytest.raises(ValueError, match="float kernel"):
        _C.libm("tan", x, x, True, 1)  # tan has no lane kernel: libm's loop only
    y = np.zeros(4)
    with pytest.raises(ValueError, match="double kernel"):
        _C.libm("tan", y, y, False, 1)  # double tan: libm's loop only
    _C.libm("exp", y, y, False)
    assert np.array_equal(y, np.ones(4))


@pytest.fixture(scope="module")
def reference_double():
    tanh = libm_fn(libm_lib(), "tanh", False)
    rng = np.random.default_rng(13)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, 2.2250738585072014e-308,
                      1.0, -1.0, 22.0, -22.0, 2.0 ** -55, 2.0 ** -54, 0.17328679513998632,
                      0.5198603854199589, 19.408121055678468, 0.5, 1.7976931348623157e308])
    near = (edges.view(np.uint64)[:, None].astype(np.int64) + np.arange(-3, 4)).ravel()
    x = np.concatenate([near.astype(np.uint64).view(np.float64),
                        rng.integers(0, 1 << 64, 300_000, dtype=np.uint64).view(np.float64),
                        rng.standard_normal(700_000) * 4])
    return x, np.array([tanh(v) for v in x.tolist()])


def test_double_tanh(reference_double, kernels):
    """double tanh: fdlibm's tanh/expm1 replica; the AVX2+FMA set fuses where glibc's FMA build
    does, the portable set where glibc's baseline build does not. Whichever the machine's libm
    is, the dispatch (kernel where its check passed, libm's loop otherwise) gives its bits."""
    x, ref = reference_double
    out = np.full_like(x, 7.0)
    _C.libm("tanh", x, out, False)
    nan = np.isnan(ref)
    assert np.array_equal(nan, np.isnan(out))
    bad = np.flatnonzero(out[~nan].view(np.uint64) != ref[~nan].view(np.uint64))
    assert bad.size == 0, (bad.size, x[~nan][bad[:5]])
    if "tanh" in _C.libm_fast(True):
        out2 = np.empty_like(x)
        _C.libm("tanh", x, out2, False, 1)
        assert np.array_equal(out2.view(np.uint64)[~nan], ref.view(np.uint64)[~nan])
