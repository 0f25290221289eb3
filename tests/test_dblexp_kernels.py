"""The double exp and log lane kernels of torch7py/_vmath.c (glibc's exp.c / log.c replicas).

Expectations: the C library's own exp and log called element by element through ctypes (TH's
TH_MATH_NAME(exp) per element on DoubleTensors), compared bit for bit."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics

from libm_ref import libm_fn, libm_lib, needs_libm_wide, same_bits

_C = numerics._c
pytestmark = needs_libm_wide


@pytest.fixture(scope="module")
def libm():
    lib = libm_lib()
    return {n: libm_fn(lib, n, False) for n in ("exp", "log")}


def _inputs(name, n=60_000):
    """specials and the thresholds of glibc's branches with their neighbours (exp: 2^-54, 512,
    1024, overflow and underflow; log: 1 - 2^-4, 1 + 0x1.09p-4, the smallest normal, 1),
    random bit patterns, moderate values, log-uniform magnitudes"""
    rng = np.random.default_rng(12)
    edges = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.0 ** -54, -2.0 ** -54, 512.0,
             -512.0, 1024.0, -1024.0, 709.782712893384, -708.3964185322641, -745.1332191019411,
             1 - 2.0 ** -4, 1 + float.fromhex("0x1.09p-4"), 2.0 ** -1022, 5e-324,
             1.7976931348623157e308,
             float.fromhex("0x1.6p-1"), float.fromhex("0x1.6p0")]
    e = np.array(edges).view(np.uint64)
    with np.errstate(over="ignore"):  # (the bit patterns wrap around: -0.0 - 1 is a NaN)
        near = (e[:, None] + np.arange(-3, 4).astype(np.uint64)).view(np.float64)
    rest = n - near.size
    bits = rng.integers(0, 1 << 64, rest // 3, dtype=np.uint64).view(np.float64)
    span = 30.0 if name == "log" else 750.0
    moderate = rng.uniform(-span, span, rest // 3)
    mags = np.exp2(rng.uniform(-60, 60, rest - 2 * (rest // 3)))
    if name == "exp":
        mags *= rng.choice([-1.0, 1.0], mags.size)
    return np.concatenate([near.ravel(), bits, moderate, mags])


@pytest.mark.parametrize("name", ["exp", "log"])
def test_set_is_libm(name, libm, kernel_set):
    """each set's kernel, unchecked (mode 1) and through the checked dispatch (mode 2), gives
    libm's bits; the run-time check admits it on this machine"""
    x = _inputs(name)
    with np.errstate(all="ignore"):
        want = np.array([libm[name](v) for v in x.tolist()])
    assert name in _C.libm_fast(True)
    for mode in (1, 2):
        out = np.full_like(x, 7.0)
        _C.libm(name, x, out, False, mode)
        same_bits(out, want)


@pytest.mark.parametrize("name", ["exp", "log"])
def test_tails(name, libm, kernel_set):
    """lengths around the 4 and 8 lanes of a step: the tail writes only its own elements"""
    x = np.linspace(0.3, 7.7, 64)
    want = np.array([libm[name](v) for v in x.tolist()])
    for n in (1, 3, 4, 5, 7, 8, 9, 15, 17, 33):
        out = np.full(n + 1, 7.0)
        _C.libm(name, x[:n], out[:n], False, 1)
        same_bits(out[:n], want[:n])
        assert out[n] == 7.0


def test_tensor_forms(libm):
    """torch.exp / torch.log on DoubleTensors (contiguous and a strided view): libm's bits"""
    rng = np.random.default_rng(4)
    x = rng.uniform(0.01, 40.0, 3001)
    t = torch.DoubleTensor(3001).copy(torch.from_numpy(x))
    for name in ("exp", "log"):
        want = np.array([libm[name](v) for v in x.tolist()])
        got = getattr(torch, name)(t).numpy()
        same_bits(got, want)
    m = torch.DoubleTensor(3001, 2).copy(torch.from_numpy(np.stack([x, x + 1], 1)))
    col = m.select(2, 1)  # stride 2
    assert col.stride(1) == 2
    for name in ("exp", "log"):
        want = np.array([libm[name](v) for v in x.tolist()])
        same_bits(getattr(torch, name)(col).numpy(), want)


def test_in_place_libm_lanes(libm):
    """t:f(t) on one buffer: the lanes a kernel hands to libm (here exp's |x| >= 512 and -inf,
    log's x near 1 and <= 0, float exp's |x| >= 85, double tanh's inf) get libm's value of
    the input, not of the kernel's output already written over it"""
    x = np.tile([600.0, 1.5, 2.0, -np.inf, 0.97, 1.02, -3.0, 0.0, 4.0], 5)
    for name in ("exp", "log"):
        want = np.array([libm[name](v) for v in x.tolist()])
        t = torch.DoubleTensor(x.size).copy(torch.from_numpy(x))
        getattr(t, name)(t)
        same_bits(t.numpy(), want)
    lib = libm_lib()
    expf, tanh = libm_fn(lib, "exp", True), libm_fn(lib, "tanh", False)
    xf = np.tile(np.array([100.0, 1.0, -100.0, 2.0, 3.0, 95.0, -0.5, 7.0], np.float32), 6)
    t = torch.FloatTensor(xf.size).copy(torch.from_numpy(xf))
    t.exp(t)
    wantf = np.array([expf(v) for v in xf.tolist()], np.float32)
    np.testing.assert_array_equal(t.numpy().view(np.uint32), wantf.view(np.uint32))
    xt = np.tile([np.inf, 0.5, -np.inf, 2.0, 30.0, 1.0, -0.25, 3.0], 5)
    t = torch.DoubleTensor(xt.size).copy(torch.from_numpy(xt))
    t.tanh(t)
    same_bits(t.numpy(), np.array([tanh(v) for v in xt.tolist()]))


def test_exp_table_is_exact():
    """vm_exp_tab in _vmath.c: for i < 128, H = 2^(i/128) rounded to the nearest double and
    T = 2^(i/128)/H - 1 likewise, stored as bits(T), bits(H) - (i << 45); recomputed here with
    integers: v = floor(2^(i/128) 2^400) (an integer 128th root), so 2^(i/128) lies in
    [v, v + 1) 2^-400, far narrower than any rounding step involved"""
    import pathlib
    import re
    import struct
    from fractions import Fraction

    src = (pathlib.Path(__file__).resolve().parent.parent / "torch7py" / "_vmath.c").read_text()
    body = re.search(r"vm_exp_tab\[256\] = \{(.*?)\};", src, re.S).group(1)
    got = [int(h, 16) for h in re.findall(r"0x([0-9a-f]{16})ULL", body)]
    assert len(got) == 256

    def root(a, n):  # floor(a ** (1/n)), Newton on integers
        x = 1 << -(-a.bit_length() // n)
        while True:
            y = ((n - 1) * x + a // x ** (n - 1)) // n
            if y >= x:
                return x
            x = y

    def bits(d):
        return struct.unpack("<Q", struct.pack("<d", d))[0]

    M = 400
    for i in range(128):
        v = root(1 << (i + 128 * M), 128)
        lo, hi = Fraction(v, 1 << M), Fraction(v + 1, 1 << M)
        H = float(lo)  # Fraction -> float rounds to nearest
        assert H == float(hi)
        T = float(lo / Fraction(H) - 1)
        assert i == 0 or T == float(hi / Fraction(H) - 1)
        assert got[2 * i] == bits(T), i
        assert got[2 * i + 1] == (bits(H) - (i << 45)) % (1 << 64), i
