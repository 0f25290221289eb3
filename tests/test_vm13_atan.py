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
