"""The atan2 lane kernels of torch7py/_vmath_atan_k.h (fdlibm's atan2f as glibc 2.36 builds it:
TH's atan2 on FloatTensors) through _exact.libm2 and torch.atan2.

Expectations: the C library's own atan2f called element by element through ctypes, compared
bit for bit, on every lane-kernel set this CPU runs."""
import ctypes

import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import libm_lib, needs_libm_wide, same_bits, selected_set

_C = numerics._c
pytestmark = needs_libm_wide
_SETS = ["avx512", "avx2", "portable"]


@pytest.fixture(scope="module")
def atan2f():
    f = libm_lib().atan2f
    f.restype, f.argtypes = ctypes.c_float, [ctypes.c_float, ctypes.c_float]
    return f


def _quiet_nans(u):
    """signaling NaNs made quiet (ctypes passes floats through Python's doubles, which quiets
    them)"""
    snan = ((u & 0x7f800000) == 0x7f800000) & ((u & 0x7fffff) != 0)
    u[snan] |= np.uint32(0x400000)
    return u.view(np.float32)


def _pairs(n=6_000):
    """(y, x): random bit patterns (zeros, subnormals, inf, NaN among them by their share,
    plus a grid of them), moderate values of both signs, |y/x| beyond fdlibm's 2^+-60 cut-offs,
    y within a few ulps of +-x, x exactly +-1"""
    rng = np.random.default_rng(13)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 1e-45, -1e-45, 3.4e38,
                      -2.5, 0.4375, 2.4375], np.float32)
    ys = [np.repeat(edges, edges.size), _quiet_nans(rng.integers(0, 1 << 32, n,
                                                                 dtype=np.uint64)
                                                    .astype(np.uint32)),
          rng.standard_normal(n).astype(np.float32)]
    xs = [np.tile(edges, edges.size), _quiet_nans(rng.integers(0, 1 << 32, n, dtype=np.uint64)
                                                  .astype(np.uint32)),
          rng.standard_normal(n).astype(np.float32)]
    x = rng.standard_normal(n).astype(np.float32)
    sign = rng.choice([-1.0, 1.0], n).astype(np.float32)
    with np.errstate(all="ignore"):
        ys.append((x * sign * np.exp2(rng.uniform(-70, 70, n))).astype(np.float32))
    xs.append(x)
    ys.append(sign * (np.abs(x).view(np.uint32) + rng.integers(-3, 4, n).astype(np.uint32))
              .view(np.float32))
    xs.append(x)
    ys.append(rng.standard_normal(n).astype(np.float32) * 8)
    xs.append(rng.choice([-1.0, 1.0], n).astype(np.float32))
    return np.concatenate(ys), np.concatenate(xs)


@pytest.fixture(scope="module")
def cases(atan2f):
    y, x = _pairs()
    with np.errstate(all="ignore"):
        want = np.array([atan2f(a, b) for a, b in zip(y.tolist(), x.tolist())], np.float32)
    return y, x, want


@pytest.mark.parametrize("which", _SETS)
def test_atan2f_kernel_is_libm(cases, which):
    """each set's kernel, unchecked (mode 1) and once checked (mode 2), gives libm's bits"""
    y, x, want = cases
    with selected_set(which):
        for mode in (1, 2):
            out = np.full_like(y, 7.0)
            with np.errstate(all="ignore"):
                _C.libm2("atan2", y, x, out, 0, mode)
            same_bits(out, want)


@pytest.mark.parametrize("which", _SETS)
def test_atan2f_number_and_in_place(atan2f, which):
    """x a number (every kind: signs, zero, inf, NaN, 1, huge, tiny), and the result written
    over y or over x (libm's lanes still see the inputs)"""
    rng = np.random.default_rng(3)
    y = np.concatenate([rng.standard_normal(997) * 4, [0.0, -0.0, np.inf, -np.nan, 1e-40,
                                                       -3e38]]).astype(np.float32)
    with selected_set(which), np.errstate(all="ignore"):
        for xv in (1.0, -1.0, 0.0, -0.0, 2.5, -1e-30, 1e30, np.inf, -np.inf, np.nan, 1e-42):
            want = np.array([atan2f(v, xv) for v in y.tolist()], np.float32)
            out = np.empty_like(y)
            _C.libm2("atan2", y, xv, out, 0, 2)
            same_bits(out, want)
        x = rng.standard_normal(y.size).astype(np.float32)
        x[::7] = 0.0
        want = np.array([atan2f(a, b) for a, b in zip(y.tolist(), x.tolist())], np.float32)
        for over in ("y", "x"):
            a, b = y.copy(), x.copy()
            dst = a if over == "y" else b
            _C.libm2("atan2", a, b, dst, 0, 2)
            same_bits(dst, want)


def test_tensor_atan2_float_tails(atan2f):
    """torch.atan2 on FloatTensors (TH_MATH_NAME(atan2): atan2f) at lengths around a step's
    lanes, contiguous and strided, writes libm's bits and nothing past its elements"""
    rng = np.random.default_rng(8)
    for n in (1, 3, 7, 8, 15, 16, 17, 31, 33, 100):
        a = (rng.standard_normal(n) * 3).astype(np.float32)
        b = rng.standard_normal(n).astype(np.float32)
        want = np.array([atan2f(u, v) for u, v in zip(a.tolist(), b.tolist())], np.float32)
        buf = torch.FloatTensor(n + 1).fill(5)
        r = buf.narrow(1, 1, n)
        torch.atan2(r, torch.from_numpy(a), torch.from_numpy(b))
        same_bits(r.numpy(), want)
        assert buf.numpy()[n] == 5
    m = torch.from_numpy((rng.standard_normal((20, 30)) * 2).astype(np.float32))
    o = torch.from_numpy(rng.standard_normal((30, 20)).astype(np.float32))
    mt = m.t()
    got = torch.atan2(mt, o).numpy()
    want = np.array([[atan2f(u, v) for u, v in zip(ra, rb)]
                     for ra, rb in zip(mt.numpy().tolist(), o.numpy().tolist())], np.float32)
    same_bits(got, want)


# ---- double atan and atan2 (accurate in double-double, lanes near a midpoint to libm) ----

@pytest.fixture(scope="module")
def dlibm():
    lib = libm_lib()
    lib.atan.restype, lib.atan.argtypes = ctypes.c_double, [ctypes.c_double]
    lib.atan2.restype, lib.atan2.argtypes = ctypes.c_double, [ctypes.c_double, ctypes.c_double]
    return lib


def _doubles(rng, n):
    """random bit patterns (both signs), standard normals, log-uniform magnitudes from 2^-40 to
    2^70, values around glibc's thresholds (1.29e-8, 1/16, 1, 16, 5.8e15) and the kernel's
    (2^-27, 2^60, its table's steps i/64)"""
    bits = rng.integers(0, 1 << 63, n, dtype=np.uint64) | (
        rng.integers(0, 2, n, dtype=np.uint64) << np.uint64(63))
    edges = np.array([1.29e-8, 2.0 ** -27, 1 / 16, 1.0, 16.0, 5.805e15, 2.0 ** 60, 0.5,
                      33 / 64, 1 / 128, 64.0])
    near = (edges[:, None].view(np.uint64) + np.arange(-3, 4, dtype=np.int64).astype(
        np.uint64)).view(np.float64).ravel()
    x = np.concatenate([bits.view(np.float64), rng.standard_normal(n),
                        np.exp2(rng.uniform(-40, 70, n)), near, -near,
                        [0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324]])
    return x


@pytest.mark.parametrize("which", _SETS)
def test_atan_double_kernel_is_libm(dlibm, which):
    """double atan through each set's kernel (modes 1 and 2) gives libm's atan bit for bit"""
    x = _doubles(np.random.default_rng(31), 20_000)
    with np.errstate(all="ignore"):
        want = np.array([dlibm.atan(v) for v in x.tolist()])
    with selected_set(which):
        for mode in (1, 2):
            out = np.full_like(x, 7.0)
            _C.libm("atan", x, out, False, mode)
            same_bits(out, want)


def _dpairs(rng, n):
    """(y, x): random bit patterns, normals, ratios log-uniform over 2^+-90, y within a few
    ulps of +-x, magnitudes near the ends of the range, and the edge grid of EDGES"""
    sg = lambda: rng.choice([-1.0, 1.0], n)  # noqa: E731
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 5e-324, -2.2e-308,
                      1.7e308, -3.0, 0.0625])
    x1 = rng.standard_normal(n)
    x2 = rng.standard_normal(n)
    ys = [rng.integers(0, 1 << 64, n, dtype=np.uint64).view(np.float64),
          rng.standard_normal(n), x1 * sg() * np.exp2(rng.uniform(-90, 90, n)),
          sg() * (np.abs(x2).view(np.uint64) + rng.integers(-3, 4, n).astype(np.uint64))
          .view(np.float64),
          sg() * np.exp2(rng.uniform(-1074, 1023, n)), np.repeat(edges, edges.size)]
    xs = [rng.integers(0, 1 << 64, n, dtype=np.uint64).view(np.float64),
          rng.standard_normal(n), x1, x2, sg() * np.exp2(rng.uniform(-1074, 1023, n)),
          np.tile(edges, edges.size)]
    return np.concatenate(ys), np.concatenate(xs)


@pytest.fixture(scope="module")
def dcases(dlibm):
    with np.errstate(all="ignore"):
        y, x = _dpairs(np.random.default_rng(17), 5_000)
        want = np.array([dlibm.atan2(a, b) for a, b in zip(y.tolist(), x.tolist())])
    return y, x, want


@pytest.mark.parametrize("which", _SETS)
def test_atan2_double_kernel_is_libm(dcases, dlibm, which):
    """double atan2 (libm2 kind 1) through each set's kernel gives libm's atan2 bit for bit,
    buffers and numbers"""
    y, x, want = dcases
    with selected_set(which), np.errstate(all="ignore"):
        for mode in (1, 2):
            out = np.full_like(y, 7.0)
            _C.libm2("atan2", y, x, out, 1, mode)
            same_bits(out, want)
        for xv in (1.0, -2.5, 0.0, np.inf, 1e-310):
            out = np.empty_like(y)
            _C.libm2("atan2", y, xv, out, 1, 2)
            same_bits(out, np.array([dlibm.atan2(v, xv) for v in y.tolist()]))


@pytest.mark.parametrize("which", _SETS)
def test_atan2_float_through_double(dcases, dlibm, which):
    """libm2 kind 2 (float buffers, C's double atan2 of their values, rounded to float) gives
    (float)atan2((double)y, (double)x)"""
    y, x, _ = dcases
    with np.errstate(all="ignore"):
        yf, xf = y.astype(np.float32), x.astype(np.float32)
        want = np.array([dlibm.atan2(a, b) for a, b in zip(yf.tolist(), xf.tolist())]
                        ).astype(np.float32)
    with selected_set(which), np.errstate(all="ignore"):
        out = np.empty_like(yf)
        _C.libm2("atan2", yf, xf, out, 2, 2)
        same_bits(out, want)


def test_tensor_atan_atan2_double(dlibm):
    """torch.atan and torch.atan2 on DoubleTensors (TH_MATH_NAME: atan, atan2), at lengths around
    a step's lanes: libm's bits, nothing written past the elements"""
    rng = np.random.default_rng(9)
    for n in (1, 3, 4, 7, 8, 9, 15, 16, 17, 100):
        a = rng.standard_normal(n) * 3
        b = rng.standard_normal(n)
        buf = torch.DoubleTensor(n + 1).fill(5)
        r = buf.narrow(1, 1, n)
        torch.atan2(r, torch.from_numpy(a), torch.from_numpy(b))
        same_bits(r.numpy(), np.array([dlibm.atan2(u, v) for u, v in zip(a.tolist(),
                                                                           b.tolist())]))
        assert buf.numpy()[n] == 5
        torch.atan(r, torch.from_numpy(a))
        same_bits(r.numpy(), np.array([dlibm.atan(u) for u in a.tolist()]))
        assert buf.numpy()[n] == 5


@pytest.mark.parametrize("which", _SETS)
def test_double_in_place_blocks(dlibm, which):
    """atan and atan2 written over their input (TH's t:atan(), a:atan2(b)) at lengths across
    the loops' blocks of 64 step pairs, zeros and infinities among the values (libm's lanes read
    the inputs kept aside)"""
    rng = np.random.default_rng(12)
    with selected_set(which), np.errstate(all="ignore"):
        for n in (5, 33, 1000, 2051):
            x = rng.standard_normal(n) * 3
            x[::17] = 0.0
            x[::29] = np.inf
            y = rng.standard_normal(n)
            t = x.copy()
            _C.libm("atan", t, t, False, 2)
            same_bits(t, np.array([dlibm.atan(v) for v in x.tolist()]))
            want = np.array([dlibm.atan2(a, b) for a, b in zip(x.tolist(), y.tolist())])
            t = x.copy()
            _C.libm2("atan2", t, y, t, 1, 2)
            same_bits(t, want)
            t = y.copy()
            _C.libm2("atan2", x, t, t, 1, 2)
            same_bits(t, want)
            t = x.copy()
            _C.libm2("atan2", t, -0.5, t, 1, 2)
            same_bits(t, np.array([dlibm.atan2(a, -0.5) for a in x.tolist()]))
