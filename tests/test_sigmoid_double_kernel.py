"""Double sigmoid through the double exp lane kernel (torch7py/_vmath_more_k.h vm_sigmoidd):
TH's TH_sigmoid is `1.0 / (1.0 + exp(-value))` in double (THMath.h), so the kernel's results
must be that expression with the C library's exp, bit for bit.

Expectations: ctypes libm's exp, then the same two IEEE double operations in Python floats."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn, numerics

from libm_ref import libm_fn, libm_lib, needs_libm_wide, same_bits

_C = numerics._c
pytestmark = needs_libm_wide


@pytest.fixture(scope="module")
def th_sigmoid():
    exp = libm_fn(libm_lib(), "exp", False)

    def want(x):
        with np.errstate(all="ignore"):
            return np.array([1.0 / (1.0 + exp(-v)) for v in x.tolist()], np.float64)
    return want


def _inputs(n=30_000):
    rng = np.random.default_rng(21)
    specials = [0.0, -0.0, np.inf, -np.inf, np.nan, 708.0, -708.0, 709.8, -709.8, 745.2, -745.2,
                1e-300, -1e-300, 5e-324, np.finfo(np.float64).max, -np.finfo(np.float64).max]
    return rng.permutation(np.concatenate([
        specials, rng.standard_normal(n) * 4, rng.uniform(-40, 40, n),
        np.exp2(rng.uniform(-60, 10, n)) * rng.choice([-1.0, 1.0], n),
        rng.integers(0, 1 << 64, 5_000, dtype=np.uint64).view(np.float64)]))


def test_double_sigmoid_is_th_sigmoid(th_sigmoid, kernel_set):
    x = _inputs()
    want = th_sigmoid(x)
    for mode in (1, 2):  # (the kernel unchecked, then behind its self-check)
        out = np.full_like(x, 7.0)
        _C.libm("sigmoid", x, out, False, mode)
        same_bits(out, want)


def test_double_sigmoid_blocks_in_place_and_overlapping(th_sigmoid, kernel_set):
    base = _inputs(1000)[:1000]
    for n in (1, 7, 255, 256, 257, 511, 513, 1000):
        x = base[:n].copy()
        want = th_sigmoid(x)
        out = np.full(n + 1, 7.0)
        _C.libm("sigmoid", x, out[:n], False, 1)
        same_bits(out[:n], want)
        assert out[n] == 7.0
        y = x.copy()
        _C.libm("sigmoid", y, y, False, 1)
        same_bits(y, want)
        buf = np.concatenate([[0.0], x])
        _C.libm("sigmoid", buf[1:], buf[:n], False, 1)  # (y one element before x)
        same_bits(buf[:n], want)


def test_torch_and_nn_sigmoid_on_doubles(th_sigmoid):
    x = _inputs(2000)
    t = torch.DoubleTensor(x.tolist())
    same_bits(torch.sigmoid(t).numpy(), th_sigmoid(x))
    same_bits(nn.Sigmoid().forward(t).numpy(), th_sigmoid(x))
    strided = torch.DoubleTensor(x[:1800].reshape(60, 30).tolist()).t()
    same_bits(torch.sigmoid(strided).numpy().ravel(),
              th_sigmoid(x[:1800].reshape(60, 30).T.ravel()))
