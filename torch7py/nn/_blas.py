"""A real BLAS for _nnk's C kernels: the addresses of the 64-bit integer cblas dgemm and
sgemm of the OpenBLAS running the kernel set in force (numpy's own, or torch7py.blas_library's
copy), handed to _nnk (set_gemm) when that set changes. A C kernel calling them
makes the call numpy's matmul makes, in the same library: the same bits, without a Python
call per product. The convolutions' per-sample loops and Linear's batch accGradParameters use
them, each after a check of its own that it gives the bits of the code it replaces, whose
products go through torch7py.obgemm."""

from .. import blas_library, numerics, obgemm
from . import _kernels

_STATE = {}


def gemm_set():
    """True when _nnk holds the cblas gemm of the kernel set in force (numerics.blas_core):
    numpy's own where numpy runs that set, else torch7py.blas_library's copy running it; set
    again when the set in force changes."""
    core = numerics.blas_core()
    if _STATE.get('current') != core:
        ok = False
        if _kernels._nnk is not None and hasattr(_kernels._nnk, 'set_gemm'):
            try:
                ok = _set_gemm(core)
            except (OSError, ValueError, AttributeError):
                ok = False
            if not ok:
                for mod in _builds():
                    mod.set_gemm(0, 0)
        _STATE['current'] = core
        _STATE['set'] = ok
    return _STATE['set']


def _builds():
    """The loaded builds of _nnk (the one in use and the portable one, which tests also run):
    each holds its own gemm pointers."""
    mods = [m for m in (_kernels._nnk, _kernels._nnk_portable) if m is not None]
    return [m for i, m in enumerate(mods) if m not in mods[:i] and hasattr(m, 'set_gemm')]


def _set_gemm(core):
    if obgemm.numpy_serves():
        return _set_numpy_gemm()
    lib = blas_library.library(core)
    if lib is None:
        return False
    for mod in _builds():
        mod.set_gemm(lib.dgemm, lib.sgemm)
    return True


def _set_numpy_gemm():
    import ctypes
    lib = blas_library.numpy_openblas()[1]
    for d, f in (('scipy_cblas_dgemm64_', 'scipy_cblas_sgemm64_'),
                 ('cblas_dgemm64_', 'cblas_sgemm64_')):
        if lib is not None and hasattr(lib, d) and hasattr(lib, f):
            for mod in _builds():
                mod.set_gemm(ctypes.cast(getattr(lib, d), ctypes.c_void_p).value,
                             ctypes.cast(getattr(lib, f), ctypes.c_void_p).value)
            return True
    return False


def checked(name, check):
    """The result of check() (does the C kernel give the bits of the code it replaces, whose
    products go through obgemm?) for a kernel that calls the gemm set here, computed once per
    kernel set: False when no gemm is set or check fails or raises."""
    set_ok = gemm_set()
    key = (name, _STATE['current'])
    ok = _STATE.get(key)
    if ok is None:
        ok = False
        if set_ok:
            try:
                ok = bool(check())
            except (OSError, ValueError, RuntimeError, TypeError):
                ok = False
        _STATE[key] = ok
    return ok
