"""TensorMath's BLAS products: mm mv ger bmm dot addmm addmv addr addbmm baddbmm."""
import numpy as np

from .. import messages, numerics, obgemm
from ..tensor import TorchError
from ._helpers import _bany, _fmt_size, _inconsistent, _new, _resize
from ._dispatch import _define, _DimError


# --------------------------------------------------------------------------------------------
# BLAS: mm mv ger bmm dot addmm addmv addr addbmm baddbmm
# --------------------------------------------------------------------------------------------

def _need_dims(name, pairs):
    for t, d in pairs:
        if t.dim() != d:
            raise _DimError("%s: expected a %dD tensor, got %dD (size %s)"
                             % (name, d, t.dim(), _fmt_size(t)))


def _gemm_into(r, beta, p_fn, alpha, aliased):
    """r = beta * r + alpha * p; p_fn(out) computes the product (into out when given)."""
    if beta == 0:
        if alpha == 1 and not aliased:
            p_fn(r)
        else:
            p = p_fn(None)
            np.multiply(p, alpha, out=r, casting="unsafe")
        return
    p = p_fn(None)
    if alpha != 1:
        p = p * alpha
    if beta != 1:
        r *= beta
    np.add(r, p, out=r, casting="unsafe")


def _matmul(a, b, out):
    """a @ b, into `out` when given."""
    return np.matmul(a, b) if out is None else np.matmul(a, b, out=out)


def _outer(a, b, out):
    if out is None:
        return np.multiply.outer(a, b)
    return np.multiply(a[:, None], b[None, :], out=out)


def _batch_sum_matmul(a, b, out):
    """sum over the batch of a[i] @ b[i]: one (n, nb*k) @ (nb*k, m) GEMM."""
    nb, n, k = a.shape
    return _matmul(a.transpose(1, 0, 2).reshape(n, nb * k), b.reshape(nb * k, b.shape[2]), out)


def _blas_into(T, res, beta, M, alpha, t1, t2, product=_matmul, copy_always=False):
    """res = beta * M + alpha * product(t1, t2); t1 and t2 are read after res is sized and
    holds M (_result; addmv and addr copy M even for beta 0: copy_always)."""
    res = _result(T, res, beta, M, copy_always)
    a, b = t1.numpy(), t2.numpy()
    _gemm_into(res.numpy(), beta, lambda out: product(a, b, out), alpha, _shares(res, t1, t2))
    return res


def _shares(r, *ts):
    return _bany(t._storage is r._storage for t in ts)


# -- the integer types' own C loops (THBlas.c), where the result shares memory with an operand --
# TH's loops read operands while they write the result, element by element, so a result that
# is (a view of) an operand sees its own new values. Elsewhere numpy's products give the same
# numbers; here the loops run as TH orders them, on views of the same memory. Integer
# arithmetic wraps at the type's width (modular: wrapping once per write is the same).

def _wrap(dtype):
    bits = dtype.itemsize * 8
    if dtype.kind == "u":
        mask = (1 << bits) - 1
        return lambda v: v & mask
    half = 1 << (bits - 1)
    full = 1 << bits
    return lambda v: ((v + half) % full) - half


def _int_aliased(T, res, *ts):
    return T.dtype.kind != "f" and res is not None and _shares(res, *ts)


def _ival(T, x):
    return _wrap(T.dtype)(int(x))  # cwrap's real of a Lua number: C's truncation, then wrap


def _loop_gemm(w, C, A, B, alpha, beta):
    """THBlas_(gemm)'s C loop on (m, n) C, (m, k) A, (k, n) B (views in BLAS's orientation):
    for i, for j: sum over l, then C[i][j] = alpha*sum (beta 0) or beta*C[i][j] + alpha*sum."""
    m, n = C.shape
    k = A.shape[1]
    for i in range(m):
        for j in range(n):
            acc = 0
            for q in range(k):
                acc += int(A[i, q]) * int(B[q, j])
            C[i, j] = w(alpha * acc) if beta == 0 else w(beta * int(C[i, j]) + alpha * acc)


def _th_gemm_operand(t, dim):
    """THTensor_(addmm)'s operand: itself where stride[dim] == 1 and the other stride is not 0
    ('n'), or where the other stride is 1 ('t'); else a contiguous copy (newContiguous)."""
    s = t._stride
    if (s[dim] == 1 and s[1 - dim] != 0) or (s[1 - dim] == 1 and s[dim] != 0):
        return t.numpy()
    return np.ascontiguousarray(t.numpy())


def _int_addmm_into(T, r, beta, alpha, m1, m2):
    """THTensor_(addmm) on r (already holding t) with THBlas_(gemm)'s loop, oriented as TH
    orients it: r column-major (stride[0] == 1) as it is, r row-major (stride[1] == 1) as
    C = r^T with the operands swapped and transposed, any other r through a column-major
    clone copied back."""
    w = _wrap(T.dtype)
    alpha, beta = _ival(T, alpha), _ival(T, beta)
    rs = r._stride
    if rs[0] == 1 and rs[1] != 0:
        _loop_gemm(w, r.numpy(), _th_gemm_operand(m1, 0), _th_gemm_operand(m2, 0), alpha, beta)
    elif rs[1] == 1 and rs[0] != 0:
        _loop_gemm(w, r.numpy().T, _th_gemm_operand(m2, 1).T, _th_gemm_operand(m1, 1).T,
                   alpha, beta)
    else:
        c = np.asfortranarray(r.numpy())
        _loop_gemm(w, c, _th_gemm_operand(m1, 0), _th_gemm_operand(m2, 0), alpha, beta)
        r.numpy()[...] = c
    return r


def _int_addmv_into(T, r, beta, alpha, mat, vec):
    """THTensor_(addmv) on r (holding t) with THBlas_(gemv)'s loops: 'n' (mat stride[0] == 1):
    y scaled by beta (zeros for 0), then per column j y[i] += alpha*x[j] * mat[i][j]; 't'
    (else, on mat or its contiguous copy): per row i, y[i] = (beta*y[i] +) alpha*dot."""
    w = _wrap(T.dtype)
    alpha, beta = _ival(T, alpha), _ival(T, beta)
    y, x = r.numpy(), vec.numpy()
    m, n = mat._size
    if mat._stride[0] == 1:
        a = mat.numpy()
        if beta != 1:
            for i in range(m):
                y[i] = 0 if beta == 0 else w(beta * int(y[i]))
        for j in range(n):
            z = w(alpha * int(x[j]))
            for i in range(m):
                y[i] = w(int(y[i]) + z * int(a[i, j]))
    else:
        a = mat.numpy() if mat._stride[1] == 1 else np.ascontiguousarray(mat.numpy())
        for i in range(m):
            acc = 0
            for j in range(n):
                acc += int(x[j]) * int(a[i, j])
            y[i] = w(alpha * acc) if beta == 0 else w(beta * int(y[i]) + alpha * acc)
    return r


def _int_addr_into(T, r, beta, alpha, v1, v2):
    """THTensor_(addr) on r (holding t): scaled by beta (zero for 0), then THBlas_(ger)'s
    loop, per column j of its column-major matrix: A[i][j] += alpha*y[j] * x[i]; r with
    stride[0] == 1 is that matrix (x = v1, y = v2), else r^T (x = v2, y = v1), through a
    contiguous clone copied back where r has no stride 1."""
    w = _wrap(T.dtype)
    alpha, beta = _ival(T, alpha), _ival(T, beta)
    ra = r.numpy()
    if beta == 0:
        ra[...] = 0
    elif beta != 1:
        for idx in np.ndindex(ra.shape):
            ra[idx] = w(beta * int(ra[idx]))
    clone = None
    if r._stride[0] == 1:
        A, x, y = ra, v1.numpy(), v2.numpy()
    else:
        if r._stride[1] == 1:
            A = ra.T
        else:
            clone = np.ascontiguousarray(ra)
            A = clone.T
        x, y = v2.numpy(), v1.numpy()
    for j in range(A.shape[1]):
        z = w(alpha * int(y[j]))
        for i in range(A.shape[0]):
            A[i, j] = w(int(A[i, j]) + z * int(x[i]))
    if clone is not None:
        ra[...] = clone
    return r


def _int_result(T, res, beta, M, copy_always):
    """TH's `if (r_ != t) { resizeAs(r_, t); copy(r_, t) }` (addmm/bmm: only for beta != 0)."""
    if res is not M:
        _resize(res, M._size)
        if beta != 0 or copy_always:
            res.numpy()[...] = M.numpy()
    return res


def _addmm(T, res, beta, M, alpha, m1, m2):
    _need_dims("addmm", ((m1, 2), (m2, 2)))
    n, k = m1._size
    k2, m = m2._size
    ss = messages.size_str
    if k != k2:
        raise TorchError(messages.msg("size_mismatch_mm", ss(m1._size), ss(m2._size)))
    if M.dim() != 2:  # cwrap checks t's dimensions except where t is mm's result
        raise TorchError("matrix expected, got %dD tensor for t" % M.dim())
    if M._size != (n, m):
        raise TorchError(messages.msg("size_mismatch_addmm", ss(M._size), ss(m1._size),
                                      ss(m2._size)))
    if T.dtype.kind == "f" and obgemm.available():
        r = _result(T, res, beta, M)
        if obgemm.addmm_arrays(r.numpy(), r._stride, m1.numpy(), m2.numpy(), alpha, beta):
            return r
    if _int_aliased(T, res, m1, m2):
        return _int_addmm_into(T, _int_result(T, res, beta, M, False), beta, alpha, m1, m2)
    return _blas_into(T, res, beta, M, alpha, m1, m2)


def _result(T, res, beta, M, copy_always=False):
    """TH's result of addmm/baddbmm/addbmm before the BLAS calls: res (or a new tensor) sized
    as M, holding M unless beta is 0 (THTensor_(addmm): `if (beta != 0.0) copy`; the BLAS
    beta pass zeroes it then); addmv and addr copy whatever beta is (copy_always), which
    matters where res shares memory with an operand. A new tensor skips a copy for beta 0."""
    if res is None:
        res = _new(T, M._size)
        if beta != 0:
            res.numpy()[...] = M.numpy()
    elif res is not M:
        _resize(res, M._size)
        if beta != 0 or copy_always:
            res.numpy()[...] = M.numpy()
    return res


def _beta_scaled(T, res, M, beta):
    """The result of a BLAS call done in our order: res (or a new tensor) holding beta * M,
    and its array, which the caller's gemv accumulates into."""
    r = _new(T, M._size) if res is None else _resize(res, M._size)
    y = r.numpy()
    if r is not M:
        y[...] = M.numpy()
    if beta == 0:
        y[...] = 0
    elif beta != 1:
        y *= beta
    return r, y


def _addmv(T, res, beta, M, alpha, mat, vec):
    _need_dims("addmv", ((mat, 2), (vec, 1)))
    ss = messages.size_str
    if mat._size[1] != vec._size[0]:
        raise TorchError(messages.msg("size_mismatch_mv", ss(mat._size), ss(vec._size)))
    if M.dim() != 1:
        raise TorchError("vector expected, got t: %dD" % M.dim())
    if M._size[0] != mat._size[0]:
        raise TorchError(messages.msg("size_mismatch_addmv", ss(M._size), ss(mat._size)))
    if T.dtype.kind == "f":
        r = _th_addmv(T, res, beta, M, alpha, mat, vec)
        if r is not None:
            return r
    m, n = mat._size
    if (T.dtype.kind == "f" and mat._stride[0] == 1 and n > 0 and m > 0
            and not _shares(res or M, mat, vec)
            and (T.dtype == np.float64 or m <= 3)):
        # BLAS gemv 'n' (a column-major matrix): OpenBLAS dgemv_n's order
        r, y = _beta_scaled(T, res, M, beta)
        lda = m if n == 1 else mat._stride[1]
        numerics.gemv_n(mat.numpy(), vec.numpy(), y, alpha,
                        lda == m and vec._stride[0] == 1)
        return r
    if (T.dtype.kind == "f" and 2 <= mat._size[1] <= 3 and mat._stride[1] == 1
            and mat._stride[0] != 1 and not _shares(res or M, mat, vec)):
        # BLAS gemv 't' with a dot of 2 or 3: OpenBLAS's scalar tail, in its order
        r, y = _beta_scaled(T, res, M, beta)
        numerics.gemv_t_tail(mat.numpy(), vec.numpy(), y, alpha)
        return r
    if _int_aliased(T, res, mat, vec):
        return _int_addmv_into(T, _int_result(T, res, beta, M, True), beta, alpha, mat, vec)
    return _blas_into(T, res, beta, M, alpha, mat, vec, copy_always=True)


def _blas_ready(T, res, M, *ts):
    """THTensor_(addmv)/(addr)'s BLAS call can run here in OpenBLAS's order: a float type, the
    C kernels present and the result apart from the operands (TH would read what it writes).
    Without res the result is a new tensor (cwrap's), apart from all: t (M) is only copied
    into it first, so operands that are views of t (torch.addr(x, x:select(2, 1), v)) are no
    reason to leave BLAS's order."""
    return (numerics._b is not None and numerics.exact and T.dtype.kind == "f"
            and not (res is not None and _shares(res, *ts)))


def _copy_of(T, res, M):
    """TH's `if (r_ != t) { resizeAs(r_, t); copy(r_, t); }` (res None: cwrap's new result)."""
    r = _new(T, M._size) if res is None else _resize(res, M._size)
    if r is not M:
        r.numpy()[...] = M.numpy()
    return r


def _inc(t):
    return t._stride[0]


def _th_addmv(T, res, beta, M, alpha, mat, vec):
    """THTensor_(addmv) with THBlas_(gemv) as OpenBLAS computes it: 'n' on a column-major
    mat (stride[0] == 1), else 't' on the row-major mat (or a contiguous copy of it); lda := m
    when n == 1. None (nothing written) where TH would not call BLAS (a zero stride) or the
    kernels are missing: the caller's numpy path."""
    if not _blas_ready(T, res, M, mat, vec):
        return None
    s0, s1 = mat._stride
    m0, m1 = mat._size
    incx = _inc(vec)
    a = mat.numpy()
    if s0 == 1:
        trans, bm, bn, lda = "n", m0, m1, s1
    else:
        trans, bm, bn, lda = "t", m1, m0, s0
        if s1 != 1:
            a = np.ascontiguousarray(a)
            lda = m1
    if bn == 1:
        lda = bm
    if lda < max(1, bm) or incx <= 0 or (M._size[0] > 1 and M._stride[0] <= 0):
        return None
    r = _copy_of(T, res, M)
    incy = _inc(r)
    if incy <= 0:
        return None
    if not numerics.blas_gemv(trans, bm, bn, alpha, a, lda, vec.numpy(), incx, beta,
                              r.numpy(), incy):
        return None
    return r


def _th_addr(T, res, beta, M, alpha, v1, v2):
    """THTensor_(addr): r = t (copied), r *= beta (zeros for 0), then THBlas_(ger) as OpenBLAS
    computes it (a column axpy with alpha*y[j] each) on r as a column-major matrix (stride[0]
    == 1), else on its transpose (stride[1] == 1), else on a contiguous copy. None (nothing
    written) where that does not apply."""
    # (no aliasing check: ger's kernel reads x and y where they are, as OpenBLAS's does, so a
    # vector that is a view of r_ is read as TH's ger read it, rows already updated included)
    if not (numerics._b is not None and numerics.exact and T.dtype.kind == "f"):
        return None
    i1, i2 = _inc(v1), _inc(v2)
    n1, n2 = v1._size[0], v2._size[0]
    if (n1 > 1 and i1 <= 0) or (n2 > 1 and i2 <= 0):
        return None  # OpenBLAS's ger refuses a zero increment (xerbla)
    i1, i2 = max(i1, 1), max(i2, 1)
    r = _copy_of(T, res, M)
    ra = r.numpy()
    if beta == 0:
        ra[...] = 0
    elif beta != 1:
        np.multiply(ra, ra.dtype.type(beta), out=ra)
    s0, s1 = r._stride
    copy = None
    if s0 == 1:
        args = (n1, n2, alpha, v1.numpy(), i1, v2.numpy(), i2, ra, n1 if n2 == 1 else s1)
    else:
        a = ra
        lda = s0
        if s1 != 1:
            copy = a = np.ascontiguousarray(ra)
            lda = n2
        args = (n2, n1, alpha, v2.numpy(), i2, v1.numpy(), i1, a, n2 if n1 == 1 else lda)
    if args[-1] < max(1, args[0]) or not numerics.blas_ger(*args):
        # not a shape OpenBLAS takes: the numpy path from r = beta * t
        ra += np.multiply.outer(v1.numpy(), v2.numpy()) * ra.dtype.type(alpha)
        return r
    if copy is not None:
        ra[...] = copy
    return r


def _addr(T, res, beta, M, alpha, v1, v2):
    _need_dims("addr", ((v1, 1), (v2, 1)))
    if M.dim() != 2:
        raise TorchError("expected matrix, got %dD tensor for t" % M.dim())
    if M._size != (v1._size[0], v2._size[0]):
        ss = messages.size_str
        raise TorchError(messages.msg("size_mismatch_addr", ss(M._size), ss(v1._size),
                                      ss(v2._size)))
    r = _th_addr(T, res, beta, M, alpha, v1, v2)
    if r is not None:
        return r
    if _int_aliased(T, res, v1, v2):
        return _int_addr_into(T, _int_result(T, res, beta, M, True), beta, alpha, v1, v2)
    return _blas_into(T, res, beta, M, alpha, v1, v2, _outer, True)


def _check_bmm(name, M, b1, b2, batched):
    """THTensor_(baddbmm)'s / addbmm's checks, in their order (t is M)."""
    _need_dims(name, ((b1, 3), (b2, 3)))
    nb, n, k = b1._size
    nb2, k2, m = b2._size
    if nb != nb2:
        raise TorchError(messages.bad_argument(
            2, "equal number of batches expected, got %d, %d" % (nb, nb2)))
    if k != k2:
        raise TorchError(messages.bad_argument(
            2, "wrong matrix size, batch1: %dx%d, batch2: %dx%d" % (n, k, k2, m)))
    for i, want in enumerate((nb, n, m) if batched else (n, m)):
        if i >= M.dim():  # THTensor_(size)'s own check
            raise TorchError(messages.bad_argument(
                2, "dimension %d out of range of %dD tensor" % (i + 1, M.dim())))
        if M._size[i] != want:
            raise TorchError(messages.bad_argument(1, "output tensor of incorrect size"))


def _baddbmm(T, res, beta, M, alpha, b1, b2):
    _check_bmm("baddbmm", M, b1, b2, True)
    if T.dtype.kind == "f" and obgemm.available():
        # TH: one addmm per batch on result[i] (beta, alpha each time)
        r = _result(T, res, beta, M)
        ra, a1, a2 = r.numpy(), b1.numpy(), b2.numpy()
        st = r._stride[1:]
        for i in range(b1._size[0]):
            if not obgemm.addmm_arrays(ra[i], st, a1[i], a2[i], alpha, beta):
                break
        else:
            return r
    if _int_aliased(T, res, b1, b2):
        # TH: one addmm per batch on result[i] (beta, alpha each time)
        r = _int_result(T, res, beta, M, False)
        for i in range(1, b1._size[0] + 1):
            _int_addmm_into(T, r.select(1, i), beta, alpha, b1.select(1, i), b2.select(1, i))
        return r
    return _blas_into(T, res, beta, M, alpha, b1, b2)


def _addbmm(T, res, beta, M, alpha, b1, b2):
    _check_bmm("addbmm", M, b1, b2, False)
    if T.dtype.kind == "f" and obgemm.available():
        # TH: one addmm per batch into the result, beta on the first, then 1
        r = _result(T, res, beta, M)
        ra, a1, a2 = r.numpy(), b1.numpy(), b2.numpy()
        for i in range(b1._size[0]):
            if not obgemm.addmm_arrays(ra, r._stride, a1[i], a2[i], alpha, beta if i == 0 else 1):
                break
        else:
            return r
    if _int_aliased(T, res, b1, b2):
        # TH: one addmm per batch into the result, beta on the first, then 1
        r = _int_result(T, res, beta, M, False)
        for i in range(1, b1._size[0] + 1):
            _int_addmm_into(T, r, beta if i == 1 else 1, alpha, b1.select(1, i),
                            b2.select(1, i))
        return r
    return _blas_into(T, res, beta, M, alpha, b1, b2, _batch_sum_matmul)


def _product(name, dims, add_impl, result_size, beta=0):
    """mm/mv/ger/bmm: add_impl(res, beta, res, 1, a, b) on cwrap's result: a new tensor of
    result_size(a, b) when absent (the wrapper's init), else the given one as it is (init
    runs only for a default; TH's addmm... then checks its size), zeroed first in both cases
    (the wrapper's precall, TensorMath.lua): a given result that shares memory with an
    operand zeroes that operand before the product reads it (torch.mm(a, a, b) is zeros), and
    stays zeroed when TH then raises a size error. ger's beta is 1, the others' 0."""
    def impl(T, res, _beta, M, alpha, a, b):
        _need_dims(name, ((a, dims[0]), (b, dims[1])))
        if res is None:
            res = _new(T, result_size(a._size, b._size))
        res.numpy()[...] = 0
        return add_impl(T, res, beta, res, 1, a, b)
    return impl


_mm = _product("mm", (2, 2), _addmm, lambda a, b: (a[0], b[1]))
_mv = _product("mv", (2, 1), _addmv, lambda a, b: (a[0],))
_ger = _product("ger", (1, 1), _addr, lambda a, b: (a[0], b[0]), beta=1)
_bmm = _product("bmm", (3, 3), _baddbmm, lambda a, b: (a[0], a[1], b[2]))


_PRODUCT_DIMS = {"mm": (2, 2), "mv": (2, 1), "ger": (1, 1), "bmm": (3, 3)}
_ADD_DIMS = {"addmm": (2, 2, 2, 2), "addmv": (1, 1, 2, 1), "addr": (2, 2, 1, 1),
             "addbmm": (2, 2, 3, 3), "baddbmm": (3, 3, 3, 3)}
for _n, _impl in (("mm", _mm), ("mv", _mv), ("ger", _ger), ("bmm", _bmm)):
    _define(_n, [("R! r=0^ T@^ r=1^ T~%d T~%d" % _PRODUCT_DIMS[_n], _impl)])


def _cwrap_dims(name, impl, dims, method):
    """cwrap's dim= checks of addmm/addmv/addr/addbmm/baddbmm (part of matching the argument
    types: a tensor of other dimensions makes the call 'invalid arguments', before TH's own
    checks): M, the two operands and, in the method forms, self."""
    def checked(T, res, beta, M, alpha, a, b):
        pairs = ((M, dims[1]), (a, dims[2]), (b, dims[3]))
        if method:
            pairs = ((res, dims[0]),) + pairs
        _need_dims(name, pairs)
        return impl(T, res, beta, M, alpha, a, b)
    return checked


for _n, _impl in (("addmm", _addmm), ("addmv", _addmv), ("addr", _addr), ("addbmm", _addbmm),
                  ("baddbmm", _baddbmm)):
    _d = _ADD_DIMS[_n]
    _fimpl, _mimpl = _cwrap_dims(_n, _impl, _d, False), _cwrap_dims(_n, _impl, _d, True)
    _define(_n, [("R r=1 T~%d r=1 T~%d T~%d" % _d[1:], _fimpl)],
            method_forms=[("R!~%d r=1^ T@~%d r=1 T~%d T~%d" % _d, _mimpl),
                          ("R!~%d r T@~%d r T~%d T~%d" % _d, _mimpl)])


def _apply_sections(t):
    """TH_TENSOR_APPLY's walk over t: (length, stride) of its innermost section and the storage
    offsets where its sections start, in order (one section of stride 1 for a contiguous t)."""
    size, stride = t._size, t._stride
    expect = 1
    for d in range(len(size) - 1, -1, -1):
        if size[d] != 1:
            if stride[d] != expect:
                break
            expect *= size[d]
    else:
        return expect, 1, np.array([t._offset])
    secs = [[size[-1], stride[-1]]]  # innermost first; a collapsible dim grows the current one
    for i in range(len(size) - 2, -1, -1):
        if stride[i] == stride[i + 1] * size[i + 1]:
            secs[-1][0] *= size[i]
        else:
            secs.append([size[i], stride[i]])
    offs = np.array([t._offset])
    for n, s in reversed(secs[1:]):  # outermost first: row-major order of the sections
        offs = (offs[:, None] + np.arange(n) * s).reshape(-1)
    return secs[0][0], secs[0][1], offs


def _apply2_runs(a, b):
    """TH_TENSOR_APPLY2(a, b)'s runs, as THTensor_(dot) walks them: (storage offset in a,
    its stride, offset in b, its stride, length) where both tensors' innermost sections
    continue (a run of one element has strides 1, as THBlas_(dot) sets them)."""
    la, sa, oa = _apply_sections(a)
    lb, sb, ob = _apply_sections(b)
    ia = ib = ka = kb = 0
    n = a.nElement()
    done = 0
    while done < n:
        sz = min(la - ia, lb - ib)
        one = sz == 1
        yield (int(oa[ka]) + ia * sa, 1 if one else sa, int(ob[kb]) + ib * sb,
               1 if one else sb, sz)
        done += sz
        ia += sz
        ib += sz
        if ia == la:
            ia, ka = 0, ka + 1
        if ib == lb:
            ib, kb = 0, kb + 1


def _th_dot(a, b):
    """THTensor_(dot)(tensor a, src b): accreal sum += THBlas_(dot)(sz, src, src_stride, tensor,
    tensor_stride) over TH_TENSOR_APPLY2's runs (where both tensors' innermost sections
    continue), each dot in OpenBLAS's order. None where the C kernels are missing."""
    da, db = a._storage._data, b._storage._data
    total = 0.0
    for pa, sa, pb, sb, sz in _apply2_runs(a, b):
        r = numerics.blas_dot(sz, db[pb:], sb, da[pa:], sa)
        if r is None:
            return None
        total += r
    return total


def _th_int_dot(T, a, b):
    """THTensor_(dot) of an integer type: THBlas_(dot)'s C loop sums each run's products in
    a `real` (it wraps at the type's width: ByteTensor{200, 200}:dot(ByteTensor{2, 2}) is 32
    in Torch7), then the runs add up in accreal (long)."""
    if a.nElement() == 0:
        return 0
    da, db = a._storage._data, b._storage._data
    total = np.int64(0)
    with np.errstate(over="ignore"):
        for pa, sa, pb, sb, sz in _apply2_runs(a, b):
            k = np.arange(sz)
            x = da[pa + k * sa].astype(np.int64)
            y = db[pb + k * sb].astype(np.int64)
            total = total + np.dot(y, x).astype(T.dtype).astype(np.int64)
    return int(total)


def _dot(T, a, b):
    if a.nElement() != b.nElement():
        raise _inconsistent(("tensor", "src"), (a, b))
    if T.dtype.kind != "f":
        return _th_int_dot(T, a, b)
    if numerics._b is not None and numerics.exact and a.nElement() > 0 and type(b) is type(a):
        r = _th_dot(a, b)
        if r is not None:
            return r
    x = a.numpy().reshape(-1)
    y = b.numpy().reshape(-1)
    if a.isContiguous() and b.isContiguous():
        r = numerics.dot(y, x)  # THBlas_(dot)(n, src, tensor): OpenBLAS's order
        if r is not None:
            return r
    return float(np.dot(x, y))


_define("dot", [("T T", _dot)])
