"""dgemm/sgemm with the bits of OpenBLAS 0.3.21 (the BLAS of the original Torch7), one thread,
in the kernel set numerics.blas_core() names: 'Haswell' (blas_loops "plain", the parity cases'
goldens) or 'SkylakeX' (blas_loops "fused", the default, the legacy scripts' goldens).
TensorMath's addmm/mm/bmm/baddbmm/addbmm and nn's matrix products come here.

Three routes give those bits:
- the C kernel (_obgemm.c; _obgemm_skx.h for the SkylakeX set): small products, results of one
  row or column, and every product where neither route below serves. Haswell: the beta pass,
  the driver's K blocks (double 256, float 320, the last two halved), one FMA chain per element
  and block saved as C + alpha*acc (double: two roundings; float: one fma), the split tiles.
  SkylakeX: its small-matrix kernels (M*N*K <= 1e6; lanes and reduction trees that depend on
  the transposes) and its big path (K blocks of 448/384, fused saves).
- numpy's matmul (numpy_serves): where numpy's own OpenBLAS (0.3.31) runs the Haswell set and
  that set is wanted; measured bit-identical to 0.3.21 for alpha 1, beta 0 wherever both
  dimensions of the result are 2 or more (either operand order, any k; numpy's syrk for a
  product of an array with its own transpose excepted): those products, and the K blocks of
  the others.
- torch7py.blas_library's OpenBLAS running the wanted set (a private copy of numpy's), for the
  big products where numpy does not serve.

The SkylakeX set's small kernels give other bits for other transpose flags, so every call
passes TH's flags (blas_library.th_trans: THTensor_(addmm)'s choice from the strides).
"""
import numpy as np

from . import blas_library, numerics

try:
    from . import _obgemm as _c
except ImportError:  # without a compiler: numpy's BLAS (bits of its own order in places)
    _c = None
else:
    numerics.on_blas_loops(_c.skylakex)  # the C kernel's set follows blas_loops

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
Q = {_F64: (256, 4), _F32: (320, 8)}  # GEMM_Q and GEMM_UNROLL_M of the K split
_NUMPY_MIN = 48 ** 3  # m*n*k from which numpy's matmul beats the C kernel
# interface/gemm.c: m*n*k up to SMP_THRESHOLD_MIN (65536) * GEMM_MULTITHREAD_THRESHOLD (4)
# runs on one thread whatever the thread count
_ONE_THREAD_MNK = 65536 * 4


def k_blocks(k, dt):
    """The driver's K blocks (start, length) for a product of k terms."""
    q, um = Q[dt]
    out, ls = [], 0
    while ls < k:
        rest = k - ls
        kl = q if rest >= 2 * q else (((rest // 2 + um - 1) // um) * um if rest > q else rest)
        out.append((ls, kl))
        ls += kl
    return out


def available():
    return _c is not None and numerics.exact


def gemm(c, a, b, alpha, beta):
    """c = beta*c + alpha*(a @ b) in place, with the bits of OpenBLAS 0.3.21's kernel set in
    force (numerics.blas_core). c (m, n), a (m, k), b (k, n): float32/float64 arrays of one
    type in BLAS's orientation (c[i, j] is the column-major C's element (i, j) of the BLAS
    call); each operand's transpose flag is TH's choice from its strides
    (blas_library.th_trans). Returns False (nothing done) when the kernel does not serve (no C
    extension, other types, numerics.exact off)."""
    dt = c.dtype
    if (_c is None or not numerics.exact or dt not in (_F32, _F64) or a.dtype != dt
            or b.dtype != dt):
        return False
    m, n = c.shape
    k = a.shape[1]
    if m == 0 or n == 0:
        return True
    if dt == _F32:  # TH's real alpha and beta: the BLAS compares and uses them as floats
        alpha, beta = float(np.float32(alpha)), float(np.float32(beta))
    if np.may_share_memory(c, a):  # TH would read what it writes; we read first
        a = a.copy()
    if np.may_share_memory(c, b):
        b = b.copy()
    small = m < 2 or n < 2 or k == 0 or alpha == 0 or m * n * k < _NUMPY_MIN
    if not small and numpy_serves():
        return _numpy_route(c, a, b, alpha, beta, dt, k)
    if not small:  # a real OpenBLAS of the set in force, where there is one
        lib = blas_library.library(numerics.blas_core())
        if lib is not None and lib.gemm(c, a, b, alpha, beta):
            return True
    _c.gemm(c, a, b, float(alpha), float(beta), blas_library.th_trans(a),
            blas_library.th_trans(b))
    return True


def _numpy_route(c, a, b, alpha, beta, dt, k):
    """gemm through numpy's BLAS (numpy_serves), one thread for a product OpenBLAS would
    split."""
    if np.may_share_memory(a, b):  # numpy would call syrk
        b = b.copy()
    if c.shape[0] * c.shape[1] * k > _ONE_THREAD_MNK:
        # OpenBLAS splits a bigger product among its threads, and a thread's share of the
        # columns has its own odd last column and float tiles: the one-thread bits need
        # numpy's BLAS on one thread for the call
        fs, fg = _numpy_threads()
        n_was = fg() if fg is not None else 1
        if n_was > 1:
            fs(1)
            try:
                return _numpy_gemm(c, a, b, alpha, beta, dt, k)
            finally:
                fs(n_was)
    return _numpy_gemm(c, a, b, alpha, beta, dt, k)


def numpy_serves():
    """numpy's matmul gives the bits of the kernel set in force: the Haswell set is wanted
    (numerics.blas_core) and numpy's OpenBLAS runs it (on this CPU and OPENBLAS_CORETYPE).
    The Haswell set's gemm bits do not depend on the transpose flags, so numpy's choice of
    flags gives TH's bits; the SkylakeX set's do (its small-matrix kernels)."""
    core = numerics.blas_core()
    ok = _SERVES.get(core)
    if ok is None:
        ok = _SERVES[core] = core == "Haswell" and blas_library.numpy_core() == core
    return ok


_SERVES = {}
_POOL = []


class one_thread:
    """with one_thread(m*n*k): numpy's BLAS on one thread for a product big enough for
    OpenBLAS to split among threads (the one-thread bits; see gemm); nothing otherwise."""
    __slots__ = ("mnk", "was")

    def __init__(self, mnk):
        self.mnk = mnk
        self.was = 1

    def __enter__(self):
        if self.mnk > _ONE_THREAD_MNK:
            fs, fg = _numpy_threads()
            self.was = fg() if fg is not None else 1
            if self.was > 1:
                fs(1)
        return self

    def __exit__(self, *exc):
        if self.was > 1:
            _numpy_threads()[0](self.was)
        return False


def _numpy_threads():
    """numpy's OpenBLAS's (set, get) thread-count functions, found once ((None, None) where
    numpy's BLAS is not a findable OpenBLAS)."""
    if not _POOL:
        import ctypes
        found = (None, None)
        lib = blas_library.numpy_openblas()[1]
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_",
                     "scipy_openblas_set_num_threads", "openblas_set_num_threads"):
            get = name.replace("set_num", "get_num")
            if lib is not None and hasattr(lib, name) and hasattr(lib, get):
                fs, fg = getattr(lib, name), getattr(lib, get)
                fs.argtypes, fs.restype = [ctypes.c_int], None
                fg.argtypes, fg.restype = [], ctypes.c_int
                found = (fs, fg)
                break
        _POOL.append(found)
    return _POOL[0]


def _numpy_gemm(c, a, b, alpha, beta, dt, k):
    """gemm's numpy route: numpy's matmul of the product (alpha 1, beta 0), else of each K
    block, each added in as the kernel's save does."""
    ct, at, bt = c.T, a.T, b.T  # numpy's row-major call is BLAS's column-major c
    if alpha == 1 and beta == 0:
        if ct.flags.c_contiguous:
            np.matmul(bt, at, out=ct)
        else:
            ct[...] = np.matmul(bt, at)
        return True
    t = dt.type
    if beta == 0:
        ct[...] = 0
    elif beta != 1:
        ct *= t(beta)
    for ls, kl in k_blocks(k, dt):
        p = np.matmul(bt[:, ls:ls + kl], at[ls:ls + kl, :])
        if dt == _F64 or alpha == 1:
            if alpha != 1:
                p *= t(alpha)
            ct += p
        else:
            _c.fma_into(ct, p, float(alpha))
    return True


def addmm_arrays(r, rstride, m1, m2, alpha, beta):
    """THTensor_(addmm)'s BLAS call on arrays: r (n, m) = beta*r + alpha*(m1 @ m2), r in place
    (r holds t already). r's strides, TH's (in elements), pick the orientation as TH does:
    r with stride[0] == 1 is the BLAS C as it is, r with stride[1] == 1 its transpose (m1 and
    m2 swapped), any other r a column-major copy. An operand with neither stride 1 goes as
    TH's contiguous copy (its flag then follows r's orientation). Returns False where gemm
    does not serve."""
    m1, m2 = _th_operand(m1), _th_operand(m2)
    if rstride[0] == 1 and rstride[1] != 0:
        return gemm(r, m1, m2, alpha, beta)
    if rstride[1] == 1 and rstride[0] != 0:
        return gemm(r.T, m2.T, m1.T, alpha, beta)
    tmp = np.asfortranarray(r)
    if not gemm(tmp, m1, m2, alpha, beta):
        return False
    r[...] = tmp
    return True


def _th_operand(x):
    """x as THTensor_(addmm) passes it to the BLAS: as it is where one stride is 1 and the
    other is not 0, else a contiguous copy (newContiguous), whichever way r is oriented."""
    it = x.itemsize
    s0, s1 = x.strides
    if (s0 == it and s1 != 0) or (s1 == it and s0 != 0):
        return x
    return np.ascontiguousarray(x)


def th_strides(x):
    """An array's strides in elements: TH's strides for the arrays nn makes (contiguous ones
    and their transposes)."""
    return tuple(s // x.itemsize for s in x.strides)


def mm_into(r, m1, m2, alpha=1.0, beta=0.0, rstride=None):
    """THTensor_(addmm)(r, beta, r, alpha, m1, m2) on arrays (2-d, one float type): r in
    place, oriented by rstride (TH's strides of r; by default r's own). False where the
    kernel does not serve (the caller's numpy code runs)."""
    if r.dtype != m1.dtype or r.dtype != m2.dtype or r.ndim != 2:
        return False
    return addmm_arrays(r, th_strides(r) if rstride is None else rstride, m1, m2, alpha, beta)


def gemm_batch(c, a, b, alpha, beta, trans=None):
    """gemm on each [i] of 3-d arrays (c[i] (m, n), a[i] (m, k), b[i] (k, n), BLAS's
    orientation), in order, in the C kernel; False where it does not serve. trans: the
    (transa, transb) flags TH gives the BLAS call, where the caller knows them from TH's own
    strides (th_addmm_flags); by default they are read from a[0] and b[0]'s."""
    dt = c.dtype
    if (_c is None or not numerics.exact or dt not in (_F32, _F64) or a.dtype != dt
            or b.dtype != dt):
        return False
    if np.may_share_memory(c, a):
        a = a.copy()
    if np.may_share_memory(c, b):
        b = b.copy()
    if dt == _F32:
        alpha, beta = float(np.float32(alpha)), float(np.float32(beta))
    if trans is None and c.shape[0]:
        trans = blas_library.th_trans(a[0]), blas_library.th_trans(b[0])
    if c.shape[0]:
        _c.gemm_batch(c, a, b, float(alpha), float(beta), int(trans[0]), int(trans[1]))
    return True


def th_addmm_flags(r, m1, m2):
    """THTensor_(addmm)'s BLAS flags from TH's strides (row, column) of r, m1 and m2 (TH's
    orientation): (r_t, ta, tb), 1 for 't'. r 't' (its rows contiguous) swaps m1 and m2, so
    that A is m2 and B is m1; an operand neither of whose strides is 1 is copied contiguous,
    and the copy's flag is 't' for r 'n', 'n' for r 't' (TH's rule, whatever the sizes)."""
    r_t = not (r[0] == 1 and r[1] != 0) and (r[1] == 1 and r[0] != 0)
    if r_t:
        m1, m2 = m2, m1
    lead, other = (1, 0) if r_t else (0, 1)

    def flag(s):
        if s[lead] == 1 and s[other] != 0:
            return 0
        if s[other] == 1 and s[lead] != 0:
            return 1
        return 0 if r_t else 1
    return int(r_t), flag(m1), flag(m2)
