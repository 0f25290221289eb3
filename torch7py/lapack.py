"""Torch7's LAPACK wrappers (THTensorLapack.c) with Torch7's column-major result layouts."""
import re

import numpy as np

from .messages import bad_argument
from .tensor import TorchError, IntTensor
from .tensor_math import _define, _FLOAT_TYPES, _new

_lapack = None


def _lp(name, dtype):
    global _lapack
    if _lapack is None:
        import scipy.linalg.lapack as _l
        _lapack = _l
    return getattr(_lapack, ("s" if dtype == np.float32 else "d") + name)


def _lwork(name, dtype, *args, **kw):
    """The optimal workspace size (LAPACK's query), as scipy.linalg does."""
    work, info = _lp(name + "_lwork", dtype)(*args, **kw)
    return max(int(np.real(work)), 1)


def _mat(t, name, what="A"):
    if t.dim() != 2:
        if what == "A":  # THTensorLapack.c's THArgCheck #1
            raise TorchError(bad_argument(1, "A should be 2 dimensional"))
        raise TorchError("%s: %s should be 2 dimensional, but has %d" % (name, what, t.dim()))
    return np.array(t.numpy(), order="F")


def _check_ab(a, b, square):
    """gesv's, trtrs's, gels's and potrs's checks of A and B, in THTensorLapack.c's order."""
    if a.dim() != 2:
        raise TorchError(bad_argument(2, "A should have 2 dimensions, but has %d" % a.dim()))
    if b.dim() not in (1, 2):
        raise TorchError(bad_argument(1, "B should have 1 or 2 dimensions, but has %d"
                                      % b.dim()))
    if square and a._size[0] != a._size[1]:
        raise TorchError(bad_argument(2, "A should be square, but is %dx%d" % a._size))
    if a._size[0] != b._size[0]:
        raise TorchError(bad_argument(2, "A,B size incompatible - A has %d rows, B has %d"
                                      % (a._size[0], b._size[0])))


def _square(t, name):
    a = _mat(t, name)
    if a.shape[0] != a.shape[1]:
        raise TorchError("bad argument #1 to '?' (A should be square)")  # THArgCheck #1
    return a


def _rhs(b, a, name):
    if b.dim() not in (1, 2):
        raise TorchError("%s: B should have 1 or 2 dimensions, but has %d" % (name, b.dim()))
    x = b.numpy()
    if x.ndim == 1:
        x = x[:, None]
    if x.shape[0] != a.shape[0]:
        raise TorchError("%s: A,B size incompatible - A has %d rows, B has %d"
                         % (name, a.shape[0], x.shape[0]))
    return np.array(x, order="F")


def _works_in(res, src, ld):
    """THTensorLapack.c's checkLapackClone: whether TH's working matrix is the given result
    itself (a result apart from the source, or the source when it is the transpose of a
    contiguous matrix whose size[1] is the working rows ld); else TH works in a new tensor
    and copies it back into the result at the end (freeCopyTo)."""
    if res is None:
        return False
    if res is not src:
        return True
    return (res.dim() == 2 and res._stride[0] == 1 and res._stride[1] == res._size[0]
            and res._size[1] == ld)


def _raw_window(res, src, ld, cols):
    """The memory TH's LAPACK call reads and writes for a given result that is its working
    matrix (_works_in) but keeps strides other than (1, ld): resize2d leaves a result of the
    right size as it is, checkTransposed only transposes a contiguous one, and the call then
    takes THTensor_(data)(result) as an ld x cols column-major block (lda = ld), whatever
    the strides. That block as a Fortran-ordered view of the storage, or None where the view
    is that block already, or the block runs past the storage (memory TH does not own: not
    imitated). Square working matrices only."""
    if (res is None or ld != cols or res.dim() != 2 or res._size != (cols, ld)
            or res.isContiguous() or res._stride == (1, ld) or not _works_in(res, src, ld)):
        return None
    flat = res._storage._data
    if res._offset + ld * cols > flat.shape[0]:
        return None
    return flat[res._offset:res._offset + ld * cols].reshape((ld, cols), order="F")


def _raw_input(res, src, arr):
    """What TH's LAPACK call reads from its working matrix: cloneColumnMajor copies src into
    the result through the result's strides, then the call reads the raw block
    (_raw_window); arr (src's values) where the working matrix is laid out as it reads it."""
    if res is None:
        return arr
    w = _raw_window(res, src, *arr.shape)
    if w is None:
        return arr
    res.numpy()[...] = src.numpy()
    return np.array(w, order="F")


def _colmajor(T, res, arr, rows=None, src=None):
    """Torch7's cloneColumnMajor result: size m x n with strides (1, ld); arr is ld x n. A
    result that is its source (src) and no transposed-contiguous matrix keeps its own layout:
    TH worked in a new tensor and copies it back through the result's strides (freeCopyTo;
    gels first resizes its B to the n rows of the solution)."""
    ld, n = arr.shape
    m = ld if rows is None else rows
    if res is not None and res is src and not _works_in(res, src, ld):
        if res._size != (m, n):
            res._resize_nd([m, n])
        res.numpy()[...] = arr[:m]
        return res
    # (only a result cloneColumnMajor made the working matrix, src given: geev's and gesvd's
    # vectors go through newTransposedContiguous, TH's "guard against someone passing a
    # correct size, but wrong stride", and are copied back through their strides)
    w = _raw_window(res, src, ld, n) if src is not None and (rows is None or rows == ld) \
        else None
    if w is not None:
        w[...] = arr
        return res
    if res is None:
        res = T()
    if res._size != (n, ld) or not res.isContiguous():
        res._resize_nd([n, ld])
    if res.isContiguous():
        res._set(res._storage, res._offset, (ld, n), (1, ld))
    res.numpy()[...] = arr
    if m != ld:
        res._set(res._storage, res._offset, (m, n), res._stride)
    return res


def _vector(T, res, arr):
    if res is None:
        res = _new(T, arr.shape)
    else:
        res._resize_nd([arr.shape[0]])
    res.numpy()[...] = arr
    return res


def _check_keep(info, msg, T, results):
    """_check, where TH's working matrices were the given results (_works_in): those keep
    what TH had put there when the error came (its copy of the input, LAPACK's partial
    output: getrf's LU, potrf's partial factor). results: (res, array, src) triples."""
    if info > 0:
        for res, arr, src in results:
            if _works_in(res, src, arr.shape[0]):
                _colmajor(T, res, arr, src=src)
    _check(info, msg)


def _check(info, msg):
    """THLapackCheck(WithCleanup) (THLapack.h): info > 0 is the function's text (msg, its
    info as %(i)d); info < 0 an illegal argument of the function msg names."""
    if info > 0:
        raise TorchError(msg % {"i": info})
    if info < 0:
        func = re.search(r"Lapack Error (?:in )?(\w+) :", msg).group(1)
        raise TorchError("Lapack Error in %s : Illegal Argument %d" % (func, -info))


def _gesv(T, rb, ra, b, a):
    _check_ab(a, b, True)
    A = _raw_input(ra, a, _square(a, "gesv"))
    B = _raw_input(rb, b, _rhs(b, A, "gesv"))
    lu, piv, x, info = _lp("gesv", A.dtype)(A, B)
    _check_keep(info, "Lapack Error in gesv : U(%(i)d,%(i)d) is zero, singular U.", T,
                ((ra, lu, a), (rb, x, b)))
    return _colmajor(T, rb, x, src=b), _colmajor(T, ra, lu, src=a)


def _trtrs(T, rb, ra, b, a, uplo, trans, diag):
    _check_ab(a, b, True)
    A = _raw_input(ra, a, _square(a, "trtrs"))
    B = _raw_input(rb, b, _rhs(b, A, "trtrs"))
    x, info = _lp("trtrs", A.dtype)(A, B, lower=int(uplo == "L"), trans=int(trans == "T"),
                                     unitdiag=int(diag == "U"))
    _check_keep(info, "Lapack Error in trtrs : A(%(i)d,%(i)d) is zero, singular A", T,
                ((ra, A, a), (rb, x, b)))
    return _colmajor(T, rb, x, src=b), _colmajor(T, ra, A, src=a)


def _gels(T, rb, ra, b, a):
    _check_ab(a, b, False)
    A = _mat(a, "gels")
    B = _rhs(b, A, "gels")
    m, n = A.shape
    ld = max(m, n)
    if ld > m:
        B = np.vstack([B, np.zeros((ld - m, B.shape[1]), B.dtype)])
        B = np.asfortranarray(B)
    lqr, x, info = _lp("gels", A.dtype)(A, B, lwork=_lwork("gels", A.dtype, m, n, B.shape[1]),
                                        overwrite_a=1, overwrite_b=1)
    _check(info, "Lapack Error in gels : The %(i)d-th diagonal element of the triangular "
                 "factor of A is zero")
    return _colmajor(T, rb, x, rows=n, src=b), _colmajor(T, ra, lqr, src=a)


def _getri(T, ra, a):
    A = _raw_input(ra, a, _square(a, "inverse"))
    lu, piv, info = _lp("getrf", A.dtype)(A)
    _check_keep(info, "Lapack Error getrf : U(%(i)d,%(i)d) is 0, U is singular", T,
                ((ra, lu, a),))
    inv, info = _lp("getri", A.dtype)(lu, piv, lwork=_lwork("getri", A.dtype, A.shape[0]),
                                      overwrite_lu=1)
    _check(info, "Lapack Error getri : U(%(i)d,%(i)d) is 0, U is singular")
    return _colmajor(T, ra, inv, src=a)


def _potrf(T, ra, a, uplo):
    A = _raw_input(ra, a, _square(a, "potrf"))
    c, info = _lp("potrf", A.dtype)(A, lower=int(uplo == "L"), clean=0)
    _check_keep(info, "Lapack Error in potrf : the leading minor of order %(i)d is not "
                "positive definite", T, ((ra, c, a),))
    c = np.triu(c) if uplo == "U" else np.tril(c)  # THTensor_(clearUpLoTriangle)
    return _colmajor(T, ra, c, src=a)


def _potrs(T, rb, b, a, uplo):
    _check_ab(a, b, True)
    A = _square(a, "potrs")
    B = _raw_input(rb, b, _rhs(b, A, "potrs"))
    x, info = _lp("potrs", A.dtype)(A, B, lower=int(uplo == "L"))
    _check(info, "Lapack Error in potrs : A(%(i)d,%(i)d) is zero, singular A")
    return _colmajor(T, rb, x, src=b)


def _potri(T, ra, a, uplo):
    A = _raw_input(ra, a, _square(a, "potri"))
    inv, info = _lp("potri", A.dtype)(A, lower=int(uplo == "L"))
    _check_keep(info, "Lapack Error potri : A(%(i)d,%(i)d) is 0, A cannot be factorized", T,
                ((ra, inv, a),))
    # THTensor_(copyUpLoTriangle): the other triangle becomes a copy (a -0 stays -0)
    inv = np.array(inv, order="F")
    iu = np.triu_indices(inv.shape[0], 1)
    if uplo == "U":
        inv[iu[1], iu[0]] = inv[iu]
    else:
        inv[iu] = inv[iu[1], iu[0]]
    return _colmajor(T, ra, inv, src=a)


def _pstrf(T, ra, rpiv, a, uplo, tol):
    A = _raw_input(ra, a, _square(a, "pstrf"))
    c, piv, rank, info = _lp("pstrf", A.dtype)(A, tol=float(tol), lower=int(uplo == "L"))
    _check_keep(info, "Lapack Error pstrf : matrix is rank deficient or not positive "
                "semidefinite", T, ((ra, c, a),))
    c = np.triu(c) if uplo == "U" else np.tril(c)
    return _colmajor(T, ra, c, src=a), _vector(IntTensor, rpiv, piv.astype(np.int32))


def _geqrf(T, ra, rtau, a):
    A = _raw_input(ra, a, _mat(a, "geqrf"))
    qr, tau, work, info = _lp("geqrf", A.dtype)(A, lwork=_lwork("geqrf", A.dtype, *A.shape),
                                                 overwrite_a=1)
    _check(info, "Lapack Error geqrf : unknown Lapack error. info = %(i)d")
    return _colmajor(T, ra, qr, src=a), _vector(T, rtau, tau)


def _orgqr_arr(A, tau):
    k = tau.shape[0]
    out = np.array(A, order="F")
    if k:
        f = _lp("orgqr", A.dtype)
        q0 = np.asfortranarray(A[:, :k])
        work = f(q0, tau, lwork=-1)[1]
        q, work, info = f(q0, tau, lwork=max(int(work[0]), 1), overwrite_a=1)
        _check(info, " Lapack Error orgqr : unknown Lapack error. info = %(i)d")
        out[:, :k] = q
    return out


def _orgqr(T, ra, a, tau):
    A = _raw_input(ra, a, _mat(a, "orgqr"))
    return _colmajor(T, ra, _orgqr_arr(A, np.array(tau.numpy())), src=a)


def _ormqr(T, ra, a, tau, c, side, trans):
    A = _mat(a, "ormqr")
    C = _raw_input(ra, c, _mat(c, "ormqr", "C"))
    # TH passes tau's (contiguous) data with k = tau->size[0], whatever tau's shape
    t = np.ascontiguousarray(tau.numpy()).reshape(-1)[:tau._size[0] if tau._size else 0]
    f = _lp("ormqr", A.dtype)
    k = t.shape[0]
    # THTensor_(ormqr) passes lda = nq (m for side L, n for R) and A's data pointer: LAPACK's
    # own check refuses k > nq (its argument 5); an A of another shape is read as nq x k
    # from its data, column after column
    nq = C.shape[0] if side == "L" else C.shape[1]
    if k > nq:
        _check(-5, " Lapack Error ormqr : unknown Lapack error. info = %(i)d")
    if not k:  # (LAPACK's quick return: C as it is)
        return _colmajor(T, ra, C, src=c)
    if A.shape[0] != nq or A.shape[1] < k:
        data = a._storage._data[a._offset:] if a._storage is not None else A.reshape(-1)
        if data.shape[0] < nq * k:
            raise TorchError("ormqr: A's storage holds %d elements after its offset, fewer "
                             "than the %d x %d LAPACK reads" % (data.shape[0], nq, k))
        A = np.asfortranarray(data[:nq * k].reshape(k, nq).T)
    cq, work, info = f(side, trans, np.asfortranarray(A[:, :k]), t, C, -1)
    lwork = int(work[0])
    cq, work, info = f(side, trans, np.asfortranarray(A[:, :k]), t, C, max(lwork, 1))
    _check(info, " Lapack Error ormqr : unknown Lapack error. info = %(i)d")
    return _colmajor(T, ra, cq, src=c)


def _qr(T, rq, rr, a):
    A = _mat(a, "qr")
    m, n = A.shape
    k = min(m, n)
    qr, tau, work, info = _lp("geqrf", A.dtype)(A, lwork=_lwork("geqrf", A.dtype, m, n),
                                                 overwrite_a=1)
    _check(info, "Lapack Error geqrf : unknown Lapack error. info = %(i)d")
    R = np.triu(qr[:k, :])
    # THTensor_(qr) ends in orgqr(rq_, ra_, tau): cloneColumnMajor(rq_, ra_) makes a given q
    # the working matrix, so a square q with other strides is read and written as a raw block
    # (_raw_window), as gesv's results are
    ra = _new(T, qr.shape)
    ra.numpy()[...] = qr
    Q = _orgqr_arr(_raw_input(rq, ra, np.array(qr, order="F")), tau)[:, :k]
    rr = _new(T, R.shape) if rr is None else rr._resize_nd([k, n])
    rr.numpy()[...] = R
    return _colmajor(T, rq, np.asfortranarray(Q), src=ra), rr


def _gesvd(T, ru, rs, rv, a, jobu):
    A = _mat(a, "svd")
    m, n = A.shape
    k = min(m, n)
    full = int(jobu == "A")
    u, s, vt, info = _lp("gesvd", A.dtype)(
        A, compute_uv=1, full_matrices=full, overwrite_a=1,
        lwork=_lwork("gesvd", A.dtype, m, n, compute_uv=1, full_matrices=full))
    _check(info, " Lapack Error gesvd : %(i)d superdiagonals failed to converge.")
    v = vt.T if jobu == "A" else vt.T[:, :k]
    rv = _new(T, v.shape) if rv is None else rv._resize_nd(list(v.shape))
    rv.numpy()[...] = v
    return _colmajor(T, ru, u), _vector(T, rs, s), rv


def _syev(T, re, rv, a, jobz, uplo):
    A = _raw_input(rv, a, _square(a, "symeig"))
    lower = int(uplo == "L")
    w, v, info = _lp("syev", A.dtype)(A, compute_v=int(jobz == "V"), lower=lower, overwrite_a=1,
                                      lwork=_lwork("syev", A.dtype, A.shape[0], lower=lower))
    _check(info, "Lapack Error syev : %(i)d off-diagonal elements didn't converge to zero")
    return _vector(T, re, w), _colmajor(T, rv, np.asfortranarray(v), src=a)


def _geev(T, re, rv, a, jobvr):
    A = _square(a, "eig")
    cv = int(jobvr == "V")
    wr, wi, vl, vr, info = _lp("geev", A.dtype)(
        A, compute_vl=0, compute_vr=cv, overwrite_a=1,
        lwork=_lwork("geev", A.dtype, A.shape[0], compute_vl=0, compute_vr=cv))
    _check(info, " Lapack Error in geev : %(i)d off-diagonal elements of an didn't converge to zero")
    n = A.shape[0]
    e = _new(T, (n, 2)) if re is None else re._resize_nd([n, 2])
    if n:
        e.numpy()[:, 0] = wr
        e.numpy()[:, 1] = wi
    if jobvr == "V":
        rv = _colmajor(T, rv, np.asfortranarray(vr))
    elif rv is None:
        rv = T()
    return e, rv


_F = _FLOAT_TYPES
_define("gesv", [("T* T* T T", _gesv), ("R^ R^ T T", _gesv)], types=_F, method=False)
_define("gels", [("T* T* T T", _gels), ("R^ R^ T T", _gels)], types=_F, method=False)
_define("trtrs", [("T* T* T T c=U:UL c=N:NT c=N:NU", _trtrs),
                  ("R^ R^ T T c=U:UL c=N:NT c=N:NU", _trtrs)], types=_F, method=False)
_define("symeig", [("T* T* T c=N:NV c=U:UL", _syev), ("R^ R^ T c=N:NV c=U:UL", _syev)],
        types=_F, method=False)
_define("eig", [("T* T* T c=N:NV", _geev), ("R^ R^ T c=N:NV", _geev)], types=_F, method=False)
_define("svd", [("T* T* T* T c=S:AS", _gesvd), ("R^ R^ R^ T c=S:AS", _gesvd)], types=_F,
        method=False)
_define("inverse", [("T* T", _getri), ("R^ T", _getri)], types=_F, method=False)
_define("potrf", [("T* T c=U:UL", _potrf), ("R^ T c=U:UL", _potrf)], types=_F, method=False)
_define("potrs", [("T* T T c=U:UL", _potrs), ("R^ T T c=U:UL", _potrs)], types=_F,
        method=False)
_define("potri", [("T* T c=U:UL", _potri), ("R^ T c=U:UL", _potri)], types=_F, method=False)
_define("pstrf", [("T* I* T c=U:UL r=-1", _pstrf), ("R^ I?^ T c=U:UL r=-1", _pstrf)], types=_F,
        method=False)
_define("qr", [("T* T* T", _qr), ("R^ R^ T", _qr)], types=_F, method=False)
_define("geqrf", [("T* T* T", _geqrf), ("R^ R^ T", _geqrf)], types=_F, method=False)
_define("orgqr", [("T* T T", _orgqr), ("R^ T T", _orgqr)], types=_F, method=False)
_define("ormqr", [("T* T T T c=L:LR c=N:NT", _ormqr), ("R^ T T T c=L:LR c=N:NT", _ormqr)],
        types=_F, method=False)
