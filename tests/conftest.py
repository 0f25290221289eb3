"""Fixtures shared by the test modules."""
import importlib
import os

import pytest

from compat import blas_env

# numpy's and scipy's OpenBLAS in this process run the Haswell kernels, as the parity cases'
# goldens' build (LAPACK included); the th processes the tests start ask for their own mode's
# set (compat.blas_env), so the variable does not stay in the environment they inherit
_ASKED = blas_env.request_blas_kernels("plain")
for _lib in ("numpy", "scipy.linalg"):  # loaded now, with that set
    importlib.import_module(_lib)
if _ASKED:
    del os.environ["OPENBLAS_CORETYPE"]

from torch7py import numerics  # noqa: E402
from torch7py.nn import _conv, _kernels  # noqa: E402

# The tests that run in this process compare with the parity cases' goldens, recorded with
# Debian's OpenBLAS build (numerics.blas_loops "plain"); th processes the tests start keep the
# default build, the legacy scripts' goldens' (test_scripts)
numerics.blas_loops("plain")

# the C build in use, the portable build where another (AVX2) one is in use, numpy
_PATHS = ([True] if _kernels._nnk is not None else []) + (
    ['portable'] if _kernels._nnk_portable not in (None, _kernels._nnk) else []) + [False]
_IDS = {True: 'C', 'portable': 'C-portable', False: 'numpy'}


@pytest.fixture(params=_PATHS, ids=lambda c: _IDS[c])
def use_c(request, monkeypatch):
    """Runs a test of nn's C kernels on the C path (each build of them) and on the numpy
    fallback."""
    monkeypatch.setattr(_kernels, 'use_c', bool(request.param))
    if request.param == 'portable':
        monkeypatch.setattr(_kernels, '_nnk', _kernels._nnk_portable)
        monkeypatch.setattr(_conv, '_nnk', _kernels._nnk_portable)
    return bool(request.param)


@pytest.fixture(params=["avx512", "avx2"])
def kernel_set(request):
    """Runs a test of torch7py/_vmath.c's lane kernels on each set this CPU has: the AVX-512
    one, then the AVX2+FMA one."""
    from libm_ref import selected_set
    with selected_set(request.param):
        yield request.param


@pytest.fixture
def plain_blas_loops(monkeypatch):
    """The BLAS build of Debian's OpenBLAS 0.3.21 packages (C loops not fused) for the test,
    in this process and in the th processes it starts; the default build is restored after."""
    from torch7py import numerics
    monkeypatch.setenv(numerics.BLAS_LOOPS_ENV, "plain")
    old = numerics.blas_loops("plain")
    yield
    numerics.blas_loops(old)
