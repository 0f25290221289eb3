"""torch7py.blas_library: a real OpenBLAS running the kernel set torch7py reproduces, for the
big products (obgemm), with TH's transpose flags."""
import ctypes
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from torch7py import blas_library, numerics, obgemm

NO_T, T = blas_library._CBLAS_NO_TRANS, blas_library._CBLAS_TRANS
DEBIAN = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"


def _strided(shape, strides, dt=np.float64):
    base = np.arange(1, 1 + 4096, dtype=dt)
    it = base.itemsize
    return np.lib.stride_tricks.as_strided(base, shape, tuple(s * it for s in strides))


@pytest.mark.parametrize("shape, strides, flag, ld", [
    ((3, 4), (1, 3), NO_T, 3),     # column-major: stride[0] == 1 -> 'n', lda = stride[1]
    ((3, 4), (1, 10), NO_T, 10),   # a column-major block of a bigger matrix
    ((3, 4), (4, 1), T, 4),        # row-major: stride[1] == 1 -> 't', lda = stride[0]
    ((3, 4), (9, 1), T, 9),
    ((3, 1), (1, 7), NO_T, 3),     # one column, 'n': THBlas_(gemm) sets lda = m (k == 1)
    ((1, 4), (5, 1), T, 4),        # one row read as 't': lda = k (m == 1)
    ((1, 4), (1, 1), NO_T, 1),     # stride[0] == 1 comes first, as in THTensor_(addmm)
    ((3, 4), (1, 0), T, 4),        # an expanded dimension (stride 0): a contiguous copy, 't'
    ((3, 4), (2, 6), T, 4),        # neither stride 1: a contiguous copy read as 't'
])
def test_operand_flags_follow_th_addmm(shape, strides, flag, ld):
    x = _strided(shape, strides)
    f, y, lda = blas_library.th_operand(x)
    assert (f, lda) == (flag, ld)
    assert np.array_equal(y, x)
    if (f, ld) == (T, shape[1]) and strides[1] != 1:
        assert y.flags.c_contiguous  # the copy TH makes with newContiguous


def test_numpy_serves_only_the_haswell_set_when_numpy_runs_it():
    was = numerics.blas_loops("plain")
    try:
        assert obgemm.numpy_serves() == (blas_library.numpy_core() == "Haswell")
        numerics.blas_loops("fused")
        assert numerics.blas_core() == "SkylakeX"
        assert not obgemm.numpy_serves()  # the SkylakeX set's bits depend on the flags
    finally:
        numerics.blas_loops(was)


def test_a_set_the_cpu_cannot_run_gives_none(monkeypatch):
    monkeypatch.setattr(blas_library, "_CACHE", {})
    monkeypatch.setattr(blas_library, "_cpu_flags", lambda: {"avx2", "fma"})
    assert blas_library.library("SkylakeX") is None
    assert blas_library.library("NoSuchCore") is None


def test_the_library_loaded_runs_the_set_asked_for():
    for core in ("Haswell", "SkylakeX"):
        lib = blas_library.library(core)
        if lib is None:
            continue
        get = getattr(lib._lib, "scipy_openblas_get_corename64_", None) or \
            lib._lib.openblas_get_corename64_
        get.restype = ctypes.c_char_p
        assert get().decode().lower() == core.lower()
        nt = getattr(lib._lib, "scipy_openblas_get_num_threads64_", None)
        if nt is not None:
            nt.restype = ctypes.c_int
            assert nt() == 1


def test_gemm_is_the_plain_product_in_exact_cases():
    # integers below 2**20 multiply and add exactly in double: any order gives one answer
    lib = blas_library.library("SkylakeX") or blas_library.library("Haswell")
    if lib is None:
        pytest.skip("no OpenBLAS of a known kernel set here")
    rs = np.random.RandomState(0)
    for (m, n, k), ab in (((70, 50, 40), (1.0, 0.0)), ((3, 1, 9), (2.0, 1.0)),
                          ((1, 5, 300), (1.0, 0.5))):
        a = rs.randint(-50, 50, (m, k)).astype(np.float64)
        b = np.asfortranarray(rs.randint(-50, 50, (k, n)).astype(np.float64))
        c = np.asfortranarray(rs.randint(-50, 50, (m, n)).astype(np.float64))
        want = ab[1] * c + ab[0] * (a @ b)
        assert lib.gemm(c, a, b, *ab)
        assert np.array_equal(c, want)


_COMPARE = r"""
import ctypes, sys, numpy as np
from torch7py import blas_library
deb = ctypes.CDLL(sys.argv[1]); deb.openblas_set_num_threads(1)
lib = blas_library.library('SkylakeX')
assert lib is not None
i = lambda v: ctypes.byref(ctypes.c_int(v))
rs = np.random.RandomState(3); bad = 0
for it in range(400):
    dt = (np.float32, np.float64)[it % 2]
    ct = ctypes.c_float if dt == np.float32 else ctypes.c_double
    m, n, k = (int(v) for v in rs.choice([1, 2, 3, 5, 8, 16, 17, 33, 64, 100, 129], 3))
    a = rs.standard_normal((m, k)).astype(dt)
    b = rs.standard_normal((k, n)).astype(dt)
    if it % 3 == 0: a = np.asfortranarray(a)
    if it % 4 == 1: b = np.asfortranarray(b)
    c0 = np.asfortranarray(rs.standard_normal((m, n)).astype(dt))
    alpha, beta = [(1.0, 0.0), (0.5, 1.0), (-2.0, 0.25)][it % 3]
    c1 = c0.copy(order='F')
    assert lib.gemm(c1, a, b, alpha, beta)
    ta, A, lda = blas_library.th_operand(a); tb, B, ldb = blas_library.th_operand(b)
    c2 = c0.copy(order='F')
    f = deb.sgemm_ if dt == np.float32 else deb.dgemm_
    fl = lambda t: b'N' if t == blas_library._CBLAS_NO_TRANS else b'T'
    f(fl(ta), fl(tb), i(m), i(n), i(k), ctypes.byref(ct(alpha)), ctypes.c_void_p(A.ctypes.data),
      i(lda), ctypes.c_void_p(B.ctypes.data), i(ldb), ctypes.byref(ct(beta)),
      ctypes.c_void_p(c2.ctypes.data), i(m))
    bad += not np.array_equal(c1, c2)
print(bad)
"""


@pytest.mark.skipif(not os.path.exists(DEBIAN), reason="Debian's libopenblas 0.3.21 not here")
def test_skylakex_copy_gives_debian_0_3_21s_skylakex_bits():
    """The original's OpenBLAS (Debian's 0.3.21 build, its SkylakeX kernels forced) and the
    private copy of numpy's OpenBLAS: the same bits, with TH's flags."""
    if blas_library.library("SkylakeX") is None:
        pytest.skip("this CPU has no AVX-512")
    env = dict(os.environ, OPENBLAS_CORETYPE="SkylakeX", OPENBLAS_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-c", _COMPARE, DEBIAN], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[-1] == "0"


def test_a_row_of_stride_one_goes_as_th_reads_it():
    """torch.Tensor(k, 1):t() is 1 x k with strides (1, 1): TH's addmm passes it as 'n'
    (stride[0] == 1 first), and the SkylakeX set's small kernels give other bits for 't' (numpy's
    buffer protocol reports (k, 1) for it: the flag must come from numpy's own strides). The
    values the original printed for this product (`torch.mm(at, bt)[1][1]`, k = 16), with
    OPENBLAS_CORETYPE=SkylakeX and =Haswell."""
    import torch7py as torch
    k = 16
    v = torch.Tensor([math.sin(0.3 * i + 0.3) * (1 + (i % 7) / 3) for i in range(1, k + 1)])
    at = torch.Tensor(k, 1).t()
    assert (at.stride(1), at.stride(2)) == (1, 1)
    at.copy(v.view(1, k))
    bt = torch.Tensor(1, k).copy(v.view(1, k).clone().mul(1.37)).t()
    want = {"fused": "0x1.cb67dcb4c0b92p+5", "plain": "0x1.cb67dcb4c0b91p+5"}
    was = numerics.blas_loops()
    try:
        for mode, hexval in want.items():
            numerics.blas_loops(mode)
            assert float(torch.mm(at, bt)[1][1]).hex() == hexval
    finally:
        numerics.blas_loops(was)
