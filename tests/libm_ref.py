"""The C math library through ctypes, as the oracle of the libm-exact kernels' tests: the
functions TH calls (expf ... for float, exp ... for double), TH_sigmoid's float formula, a
bit-for-bit comparison (conftest's kernel_set runs a test on each lane-kernel set)."""
import contextlib
import ctypes
import ctypes.util

import numpy as np
import pytest

from torch7py import numerics

# the tests of torch7py._exact's lane kernels run where it is built with them
needs_libm_wide = pytest.mark.skipif(
    numerics._c is None or not hasattr(numerics._c, "libm_wide"),
    reason="torch7py._exact is not built")


@contextlib.contextmanager
def selected_set(which):
    """torch7py._exact's lane kernels of one set inside the block: "avx512", "avx2" or
    "portable" (the test is skipped where this CPU lacks the set); the CPU's own choice is
    restored after."""
    c = numerics._c
    try:
        hw = c.use_hardware(which != "portable")
        if which != "portable" and not hw:
            pytest.skip("this CPU has no AVX2+FMA")
        wide = c.libm_wide(which == "avx512")
        if which == "avx512" and not wide:
            pytest.skip("this CPU has no AVX-512")
        yield which
    finally:
        c.use_hardware(True)
        c.libm_wide(True)


def libm_lib():
    """The C math library (the test is skipped where there is none to compare with)."""
    name = ctypes.util.find_library("m")
    if name is None:
        pytest.skip("no C math library to compare with")
    return ctypes.CDLL(name)


def libm_fn(lib, name, single):
    """lib's `name` (its `namef` for single), one argument, typed."""
    f = getattr(lib, name + ("f" if single else ""))
    ct = ctypes.c_float if single else ctypes.c_double
    f.restype, f.argtypes = ct, [ct]
    return f


def float_functions(lib, names=("exp", "log", "sin", "cos", "tanh")):
    """libm's float functions by name, with TH_sigmoid for float: 1.0f / (1.0f + expf(-x)),
    every step rounded to float."""
    fns = {n: libm_fn(lib, n, True) for n in names}
    expf = fns.get("exp") or libm_fn(lib, "exp", True)
    fns["sigmoid"] = lambda x: float(np.float32(1) / (np.float32(1) + np.float32(expf(-x))))
    return fns


def same_bits(got, want):
    """got and want hold the same values bit for bit (NaNs in the same places)."""
    nan = np.isnan(want)
    assert np.array_equal(np.isnan(got), nan)
    u = np.uint32 if want.dtype == np.float32 else np.uint64
    bad = np.flatnonzero(got[~nan].view(u) != want[~nan].view(u))
    assert bad.size == 0, (bad.size, got[~nan][bad[:5]], want[~nan][bad[:5]])


def per_element(f, x):
    """f (a libm function) called on each element of x, as TH calls it, in x's dtype."""
    with np.errstate(all="ignore"):
        return np.array([f(v) for v in x.tolist()], dtype=x.dtype)


def same_bits_placed(name, x, want, single, in_place_mode=1):
    """_exact.libm(name, ...) on x gives want's bits written into another buffer (the element
    after it untouched), over x itself (with in_place_mode) and one element before x in the
    same buffer, as TH's element loop gives each element libm's value of the original input."""
    c = numerics._c
    n, dt = x.size, x.dtype
    out = np.full(n + 1, 7.0, dt)
    c.libm(name, x, out[:n], single, 1)
    same_bits(out[:n], want)
    assert out[n] == 7.0
    y = x.copy()
    c.libm(name, y, y, single, in_place_mode)
    same_bits(y, want)
    buf = np.concatenate([[0], x]).astype(dt)
    c.libm(name, buf[1:], buf[:n], single, 1)  # (y one element before x)
    same_bits(buf[:n], want)
