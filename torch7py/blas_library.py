"""A real OpenBLAS running a chosen kernel set, for the big matrix products.

The original Torch7's bits depend on which of OpenBLAS's kernel sets ran its BLAS calls: the
parity cases' goldens follow the Haswell set, the legacy scripts' the AVX-512 (SkylakeX) set
(numerics.blas_loops picks which one torch7py reproduces). torch7py's C models
(_obgemm.c, _obl12.c) give either set's bits on any CPU; for a big product the library itself
is faster. OpenBLAS 0.3.31 (the one numpy ships) was measured bit-identical to 0.3.21 (the
original's) on gemm for both sets (3,000 random calls each: shapes 1..1000, transposes,
alpha, beta, its small-matrix path included).

OpenBLAS picks its kernel set once, when it loads, from the CPU or from OPENBLAS_CORETYPE.
A private copy of numpy's library file is loaded (from memory: memfd) with OPENBLAS_CORETYPE
set for that load and one thread. A set the CPU cannot run (SkylakeX needs AVX-512) gives
None: the C models serve then. (`th` also asks numpy's and scipy's own OpenBLAS for the set
of its BLAS mode when it starts, for LAPACK: compat/th.py.)
"""
import ctypes
import glob
import os

import numpy as np

__all__ = ["library", "Library"]

# the CPU features each kernel set executes (OpenBLAS's own checks in driver/others/dynamic.c)
_NEEDS = {
    "Haswell": ("avx2", "fma"),
    "SkylakeX": ("avx2", "fma", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"),
}
_CBLAS_COL_MAJOR, _CBLAS_NO_TRANS, _CBLAS_TRANS = 102, 111, 112
_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
# found or loaded once: each kernel set's Library (or None), "numpy_lib" numpy's own OpenBLAS
# (path, library) and "numpy" the kernel set it runs
_CACHE = {}


class Library:
    """A private copy of numpy's OpenBLAS running kernel set `core`, one thread. gemm(c, a, b, alpha, beta) makes its dgemm/sgemm call; dgemm/sgemm hold the
    addresses of its 64-bit-integer cblas gemm (for C kernels that call it themselves)."""

    def __init__(self, lib, core, prefix):
        self.core = core
        self._lib = lib
        ilp = ctypes.c_int64
        self._fns = {}
        for dt, name, real in ((_F64, "dgemm", ctypes.c_double), (_F32, "sgemm", ctypes.c_float)):
            f = getattr(lib, prefix % name)
            f.restype = None
            f.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int, ilp, ilp, ilp, real,
                          ctypes.c_void_p, ilp, ctypes.c_void_p, ilp, real, ctypes.c_void_p,
                          ilp]
            self._fns[dt] = f
        self.dgemm = ctypes.cast(self._fns[_F64], ctypes.c_void_p).value
        self.sgemm = ctypes.cast(self._fns[_F32], ctypes.c_void_p).value

    def gemm(self, c, a, b, alpha, beta):
        """c = beta*c + alpha*(a @ b) in place by the library's gemm, arrays in BLAS's
        orientation (c (m, n), a (m, k), b (k, n), one float type: obgemm.gemm's contract),
        each operand passed with the transpose flag and leading dimension TH's addmm and
        THBlas_(gemm) give it (th_operand). False (nothing written) where a leading
        dimension is one OpenBLAS's interface would reject."""
        m, n = c.shape
        k = a.shape[1]
        ta, a, lda = th_operand(a)
        tb, b, ldb = th_operand(b)
        if lda < max(1, m if ta == _CBLAS_NO_TRANS else k) \
                or ldb < max(1, k if tb == _CBLAS_NO_TRANS else n):
            return False
        it = c.itemsize
        out = c
        if not (c.strides[0] == it or m == 1) or n > 1 and (c.strides[1] % it
                                                           or c.strides[1] < m * it):
            out = np.asfortranarray(c)
        ldc = out.strides[1] // it if n > 1 else max(1, m)
        self._fns[c.dtype](_CBLAS_COL_MAJOR, ta, tb, m, n, k, alpha, a.ctypes.data, lda,
                           b.ctypes.data, ldb, beta, out.ctypes.data, ldc)
        if out is not c:
            c[...] = out
        return True


def th_trans(x):
    """1 ('t') or 0 ('n'): the transpose flag THTensor_(addmm) gives a gemm operand x (rows,
    cols) in BLAS's orientation, from its strides: 'n' where stride[0] == 1 and stride[1] !=
    0, else 't' (stride[1] == 1, or a contiguous copy). From numpy's own strides: the buffer
    protocol reports a contiguous array's canonical strides, not those of its size-1
    dimensions, which TH's choice reads."""
    it = x.itemsize
    s0, s1 = x.strides
    return 0 if s0 == it and s1 > 0 and s1 % it == 0 else 1


def th_operand(x):
    """(cblas transpose flag, array, leading dimension) of a gemm operand x (rows, cols) in
    BLAS's orientation, as THTensor_(addmm) picks them from the strides: 'n' where
    stride[0] == 1 and stride[1] != 0, else 't' where stride[1] == 1 and stride[0] != 0,
    else a contiguous copy read as 't'; the leading dimension as THBlas_(gemm) fixes it for
    a single column ('n') or row ('t')."""
    it = x.itemsize
    rows, cols = x.shape
    s0, s1 = x.strides
    if th_trans(x) == 0:
        return _CBLAS_NO_TRANS, x, (rows if cols == 1 else s1 // it)
    if s1 == it and s0 > 0 and s0 % it == 0:
        return _CBLAS_TRANS, x, (cols if rows == 1 else s0 // it)
    return _CBLAS_TRANS, np.ascontiguousarray(x), max(1, cols)


def _cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def numpy_openblas():
    """(path, ctypes library) of the OpenBLAS numpy ships (numpy.libs), or (None, None); found
    once."""
    if "numpy_lib" in _CACHE:
        return _CACHE["numpy_lib"]
    _CACHE["numpy_lib"] = found = _find_numpy_openblas()
    return found


def _find_numpy_openblas():
    libs = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(np.__file__))),
                        "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "*openblas*"))):
        try:
            return path, ctypes.CDLL(path)
        except OSError:
            continue
    return None, None


_SYMBOLS = (("scipy_openblas_get_corename64_", "scipy_cblas_%s64_"),
            ("openblas_get_corename64_", "cblas_%s64_"))


def _wrap(lib, core):
    for corename, prefix in _SYMBOLS:
        if hasattr(lib, corename) and hasattr(lib, prefix % "dgemm"):
            get = getattr(lib, corename)
            get.restype = ctypes.c_char_p
            if get().decode("ascii", "replace").lower() != core.lower():
                return None
            return Library(lib, core, prefix)
    return None


def _private_copy(path, core):
    """A second instance of the library file at path, its kernel set forced to core."""
    if not hasattr(os, "memfd_create"):
        return None
    keys = ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OPENBLAS_VERBOSE")
    saved = {k: os.environ.get(k) for k in keys}
    fd = None
    try:
        fd = os.memfd_create("torch7py-openblas-" + core.lower())
        with open(path, "rb") as f:
            data = f.read()
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.environ["OPENBLAS_CORETYPE"] = core
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
        os.environ.pop("OPENBLAS_VERBOSE", None)
        # the descriptor stays open: the mapping needs no file name after this
        return ctypes.CDLL("/proc/self/fd/%d" % fd)
    except OSError:
        if fd is not None:
            os.close(fd)
        return None
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def library(core):
    """The Library running kernel set core ('Haswell' or 'SkylakeX'), loaded once: a private
    copy of numpy's OpenBLAS, one thread (numpy's own may run the same set, but its pool's
    threads split a big product and change its bits); None where there is none (no OpenBLAS in
    numpy, a CPU without the set's instructions, TORCH7PY_BLAS_LIBRARY=0)."""
    if core in _CACHE:
        return _CACHE[core]
    found = None
    if os.environ.get("TORCH7PY_BLAS_LIBRARY", "1") != "0" and core in _NEEDS \
            and set(_NEEDS[core]) <= _cpu_flags():
        path, lib = numpy_openblas()
        if lib is not None:
            copy = _private_copy(path, core)
            if copy is not None:
                found = _wrap(copy, core)
                if found is not None:
                    _one_thread(copy)
    _CACHE[core] = found
    return found


def numpy_core():
    """The kernel set numpy's own OpenBLAS runs ('Haswell', 'SkylakeX', ...), or None."""
    if "numpy" not in _CACHE:
        name = None
        lib = numpy_openblas()[1]
        for corename, _ in _SYMBOLS:
            get = getattr(lib, corename, None) if lib is not None else None
            if get is not None:
                get.restype = ctypes.c_char_p
                name = get().decode("ascii", "replace")
                break
        _CACHE["numpy"] = name
    return _CACHE["numpy"]


def _one_thread(lib):
    for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_"):
        f = getattr(lib, name, None)
        if f is not None:
            f.argtypes, f.restype = [ctypes.c_int], None
            f(1)
            return
