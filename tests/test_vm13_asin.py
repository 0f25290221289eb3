"""The double asin and acos lane kernels of torch7py/_vmath_asin_k.h (an accurate double-double
asin, rounded, with libm for the lanes near a rounding boundary) through _exact.libm and
torch.asin / torch.acos on DoubleTensors.

Expectations: the C library's own asin and acos called element by element through ctypes,
compared bit for bit. The inputs include the ones that matter most for a filter: x whose
asin / acos lies close to the midpoint between two doubles (found with long double
arithmetic), where glibc's result is often not the correctly rounded one."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import (libm_fn, libm_lib, needs_libm_wide, same_bits, same_bits_placed,
                      selected_set)

_C = numerics._c
pytestmark = needs_libm_wide
_NAMES = ("asin", "acos")


def _near_midpoints(rng, name, n):
    """up to n x in (-1, 1) whose f(x) (long double) lies within 0.03 ulp of a midpoint
    between two doubles"""
    fl = np.arcsin if name == "asin" else np.arccos
    x = np.concatenate([rng.uniform(-1, 1, 600_000), rng.uniform(-0.125, 0.125, 200_000)])
    t = fl(x.astype(np.longdouble))
    r = t.astype(np.float64)
    ulp = np.spacing(np.abs(r))
    frac = ((t - r.astype(np.longdouble)) / ulp).astype(np.float64)
    return x[np.abs(np.abs(frac) - 0.5) < 0.03][:n]


@pytest.fixture(scope="module")
def cases():
    """specials; glibc's branch thresholds (asin: 2^-26, 1/8, 1/4, 1/2, 3/4, 0.921875,
    0.953125, 0.96875, 1; acos: 2^-55) with 100 neighbours each, both signs; near-midpoint
    values; uniform in (-1, 1) and in (-1/8, 1/8); tanh of normals; log-uniform magnitudes;
    random bit patterns; libm's asin and acos of them"""
    rng = np.random.default_rng(13)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.0, 5e-324, -5e-324,
                      2.2250738585072014e-308, 1e300])
    ths = np.array([2.0 ** -26, 2.0 ** -55, 0.125, 0.25, 0.5, 0.75, 0.921875, 0.953125,
                    0.96875, 1.0])
    near = (ths.view(np.int64)[:, None] + np.arange(-50, 50)).ravel().view(np.float64)
    near = near[near > 0]
    lib = libm_lib()
    out = {}
    for name in _NAMES:
        mids = _near_midpoints(rng, name, 4_000)
        x = np.concatenate([
            edges, near, -near, mids,
            rng.uniform(-1, 1, 6_000), rng.uniform(-0.125, 0.125, 2_000),
            np.tanh(rng.standard_normal(2_000)),
            np.exp2(rng.uniform(-60, 0, 2_000)) * rng.choice([-1.0, 1.0], 2_000),
            rng.integers(0, 1 << 64, 1_000, dtype=np.uint64).view(np.float64)])
        f = libm_fn(lib, name, False)
        with np.errstate(all="ignore"):
            out[name] = x, np.array([f(v) for v in x.tolist()]), mids
    return out


def test_near_midpoint_inputs_are_there(cases):
    """the near-midpoint inputs were found (the filter's test depends on them), and libm's
    value is not the correctly rounded one for some of them"""
    for name in _NAMES:
        x, want, mids = cases[name]
        assert mids.size == 4_000
        fl = np.arcsin if name == "asin" else np.arccos
        i = np.flatnonzero(np.isin(x, mids))
        assert (fl(x[i].astype(np.longdouble)).astype(np.float64) != want[i]).sum() > 10


@pytest.mark.parametrize("name", _NAMES)
@pytest.mark.parametrize("which", ["avx512", "avx2", "portable"])
def test_set_is_libm(cases, which, name):
    """each set's kernel, unchecked (mode 1) and behind its check (mode 2), gives libm's bits,
    the portable one included (its exact products by splitting instead of FMA); the check
    admits it"""
    x, want, _ = cases[name]
    with selected_set(which):
        assert name in _C.libm_fast(True)
        for mode in (1, 2):
            out = np.full(x.size + 1, 7.0)
            with np.errstate(all="ignore"):
                _C.libm(name, x, out[:-1], False, mode)
            same_bits(out[:-1], want)
            assert out[-1] == 7.0


@pytest.mark.parametrize("name", _NAMES)
@pytest.mark.parametrize("which", ["avx512", "avx2", "portable"])
def test_placements(cases, which, name):
    """into another buffer, over x itself and one element before x in the same buffer (the
    kernel's two loops: y apart from x, y overlapping x), libm's bits in each"""
    x, want, _ = cases[name]
    with selected_set(which), np.errstate(all="ignore"):
        same_bits_placed(name, x, want, False)


@pytest.mark.parametrize("name", _NAMES)
def test_tensor_forms(cases, name):
    """torch.asin / torch.acos on a DoubleTensor: contiguous, a strided column, in place on
    short tensors (every tail length of a step), as TH's element loop gives them"""
    x, want, _ = cases[name]
    f = getattr(torch, name)
    t = torch.DoubleTensor(x.size).copy(torch.from_numpy(x))
    with np.errstate(all="ignore"):
        same_bits(f(t).numpy(), want)
        m = torch.DoubleTensor(x.size, 2).copy(torch.from_numpy(np.stack([x, x], 1)))
        same_bits(f(m.select(2, 2)).numpy(), want)
        for n in (1, 3, 4, 7, 8, 9, 17):
            u = torch.DoubleTensor(n).copy(torch.from_numpy(x[-n:].copy()))
            getattr(u, name)(u)
            same_bits(u.numpy(), want[-n:])


def test_special_values():
    """the values fixed by glibc's code, written out: asin(+-0) = +-0, asin(x) = x below
    2^-26, asin(+-1) = +-pi/2, acos(1) = +0, acos(-1) = pi, acos(0) = pi/2 (rounded), NaN
    beyond 1 and for NaN"""
    pio2 = float.fromhex("0x1.921fb54442d18p+0")  # pi/2 rounded to nearest
    x = np.array([0.0, -0.0, 1e-300, -3e-9, 1.0, -1.0, 1.5, np.nan])
    out = np.empty_like(x)
    with np.errstate(all="ignore"):
        _C.libm("asin", x, out, False, 2)
    assert np.signbit(out[1]) and out[0] == 0 and not np.signbit(out[0])
    assert out[2] == 1e-300 and out[3] == -3e-9
    assert out[4] == pio2 and out[5] == -pio2
    assert np.isnan(out[6]) and np.isnan(out[7])
    with np.errstate(all="ignore"):
        _C.libm("acos", x, out, False, 2)
    assert out[0] == out[1] == pio2
    assert out[4] == 0 and not np.signbit(out[4]) and out[5] == 2 * pio2
    assert np.isnan(out[6]) and np.isnan(out[7])


def test_float_keeps_float_kernels():
    """FloatTensors keep asinf / acosf (their own float kernels): torch.asin on a FloatTensor
    is libm's asinf of each element, not the double function rounded"""
    lib = libm_lib()
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, 3_000).astype(np.float32)
    for name in _NAMES:
        f = libm_fn(lib, name, True)
        want = np.array([f(v) for v in x.tolist()], np.float32)
        t = torch.FloatTensor(x.size).copy(torch.from_numpy(x))
        same_bits(getattr(torch, name)(t).numpy(), want)
