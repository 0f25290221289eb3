"""numpy's own BLAS for _nnk's C kernels: the addresses of the 64-bit integer cblas dgemm and
sgemm of the OpenBLAS in numpy.libs, handed to _nnk once (set_gemm). A C kernel calling them
makes the call numpy's matmul makes, in the same library: the same bits, without a Python
call per product. The convolutions' per-sample loops and Linear's batch accGradParameters use
them, each after a check of its own that it gives the bits of its numpy code."""
import numpy as np

from .. import obgemm
from . import _kernels

_STATE = {}


def gemm_set():
    """True when _nnk holds numpy's cblas gemm (found and set on the first call)."""
    ok = _STATE.get('set')
    if ok is None:
        ok = False
        if _kernels._nnk is not None and hasattr(_kernels._nnk, 'set_gemm'):
            try:
                ok = _set_numpy_gemm()
            except (OSError, ValueError, AttributeError):
                ok = False
            if not ok:
                for mod in _builds():
                    mod.set_gemm(0, 0)
        _STATE['set'] = ok
    return ok


def _builds():
    """The loaded builds of _nnk (the one in use and the portable one, which tests also run):
    each holds its own gemm pointers."""
    mods = [m for m in (_kernels._nnk, _kernels._nnk_portable) if m is not None]
    return [m for i, m in enumerate(mods) if m not in mods[:i] and hasattr(m, 'set_gemm')]


def _set_numpy_gemm():
    import ctypes
    import glob
    import os
    libs = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(np.__file__))),
                        'numpy.libs')
    for path in sorted(glob.glob(os.path.join(libs, '*openblas*'))):
        lib = ctypes.CDLL(path)
        for d, f in (('scipy_cblas_dgemm64_', 'scipy_cblas_sgemm64_'),
                     ('cblas_dgemm64_', 'cblas_sgemm64_')):
            if hasattr(lib, d) and hasattr(lib, f):
                for mod in _builds():
                    mod.set_gemm(ctypes.cast(getattr(lib, d), ctypes.c_void_p).value,
                                 ctypes.cast(getattr(lib, f), ctypes.c_void_p).value)
                return True
    return False


def checked(name, check):
    """The result of check() (does the C kernel give its numpy code's bits?) for a kernel
    that calls numpy's gemm, computed once: False when the gemm is not set or check fails or
    raises."""
    if not obgemm.numpy_serves():
        # the kernel set in force is not numpy's: its products go through obgemm
        return False
    ok = _STATE.get(name)
    if ok is None:
        ok = False
        if gemm_set():
            try:
                ok = bool(check())
            except (OSError, ValueError, RuntimeError, TypeError):
                ok = False
        _STATE[name] = ok
    return ok
