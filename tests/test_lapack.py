"""Unit tests for torch7py.lapack against numpy.linalg / scipy.linalg formulas."""
import numpy as np
import pytest
import scipy.linalg as sla
from numpy.testing import assert_allclose, assert_array_equal

import torch7py as torch
from torch7py.tensor import TorchError

rng = np.random.default_rng(7)


def mk(a, name="Double", contig=True):
    a = np.asarray(a, dtype=np.float32 if name == "Float" else np.float64)
    if contig:
        return torch.from_numpy(a.copy())
    t = torch.from_numpy(np.ascontiguousarray(a.T)).t()
    assert not t.isContiguous()
    return t


def npy(t):
    return np.array(t.numpy())


def spd(n):
    m = rng.standard_normal((n, n))
    return m @ m.T + n * np.eye(n)


def colmajor(t, rows, cols):
    return t.size().totable() == [rows, cols] and t.stride().totable() == [1, rows]


@pytest.mark.parametrize("name", ["Float", "Double"])
@pytest.mark.parametrize("contig", [True, False])
def test_gesv(name, contig):
    A, B = rng.standard_normal((4, 4)) + 4 * np.eye(4), rng.standard_normal((4, 2))
    tA, tB = mk(A, name, contig), mk(B, name, contig)
    X, LU = torch.gesv(tB, tA)
    tol = 1e-4 if name == "Float" else 1e-10
    assert_allclose(npy(X), np.linalg.solve(A, B), rtol=tol, atol=tol)
    assert colmajor(X, 4, 2) and colmajor(LU, 4, 4)
    P, L, U = sla.lu(A)
    # LAPACK's packed LU: unit lower L below the diagonal, U on and above
    assert_allclose(np.triu(npy(LU)), U, rtol=tol, atol=tol)
    assert_allclose(npy(tA), A.astype(npy(tA).dtype))  # input unchanged
    rx, rlu = torch.Tensor() if name == "Double" else torch.FloatTensor(), None
    rlu = type(rx)()
    torch.gesv(rx, rlu, tB, tA)
    assert_allclose(npy(rx), np.linalg.solve(A, B), rtol=tol, atol=tol)


def test_gesv_singular_and_bad_sizes():
    with pytest.raises(TorchError, match="singular"):
        torch.gesv(torch.Tensor(3, 1).fill(1), torch.Tensor([[1, 2, 3], [2, 4, 6], [1, 1, 1]]))
    with pytest.raises(TorchError):
        torch.gesv(torch.Tensor(2, 1), torch.Tensor(3, 3))
    with pytest.raises(TorchError):
        torch.gesv(torch.Tensor(3, 1), torch.Tensor(3, 2))


def test_inverse():
    A = rng.standard_normal((5, 5)) + 5 * np.eye(5)
    Ai = torch.inverse(mk(A, contig=False))
    assert_allclose(npy(Ai), np.linalg.inv(A), rtol=1e-10, atol=1e-12)
    assert colmajor(Ai, 5, 5)
    with pytest.raises(TorchError, match="singular"):
        torch.inverse(torch.Tensor([[1, 2], [2, 4]]))


@pytest.mark.parametrize("uplo", ["U", "L"])
def test_cholesky_family(uplo):
    A = spd(4)
    B = rng.standard_normal((4, 3))
    C = torch.potrf(mk(A), uplo)
    c = npy(C)
    if uplo == "U":
        assert_allclose(c, np.triu(c))
        assert_allclose(c.T @ c, A, rtol=1e-10)
    else:
        assert_allclose(c, np.tril(c))
        assert_allclose(c @ c.T, A, rtol=1e-10)
    assert colmajor(C, 4, 4)
    assert_allclose(npy(torch.potrs(mk(B), C, uplo)), np.linalg.solve(A, B), rtol=1e-10)
    assert_allclose(npy(torch.potri(C, uplo)), np.linalg.inv(A), rtol=1e-10, atol=1e-12)
    with pytest.raises(TorchError, match="not positive definite"):
        torch.potrf(torch.Tensor([[1, 2], [2, 1]]))


def test_pstrf():
    A = spd(4)
    C, piv = torch.pstrf(mk(A))
    assert piv.typename == "torch.IntTensor"
    p = npy(piv) - 1
    c = npy(C)
    assert_allclose(c.T @ c, A[np.ix_(p, p)], rtol=1e-10)


def test_trtrs():
    T = np.triu(rng.standard_normal((3, 3))) + 3 * np.eye(3)
    B = rng.standard_normal((3, 2))
    X = torch.trtrs(mk(B), mk(T))[0]
    assert_allclose(npy(X), sla.solve_triangular(T, B), rtol=1e-10)
    X = torch.trtrs(mk(B), mk(T.T), "L", "T")[0]
    assert_allclose(npy(X), sla.solve_triangular(T.T, B, lower=True, trans="T"), rtol=1e-10)


def test_gels():
    A, B = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    X = torch.gels(mk(B), mk(A))[0]
    assert X.size().totable() == [3, 2]
    assert_allclose(npy(X), np.linalg.lstsq(A, B, rcond=None)[0], rtol=1e-10)


def test_qr_geqrf_orgqr_ormqr():
    M = rng.standard_normal((5, 3))
    Q, R = torch.qr(mk(M, contig=False))
    q, r = npy(Q), npy(R)
    assert Q.size().totable() == [5, 3] and R.size().totable() == [3, 3]
    assert_allclose(q @ r, M, rtol=1e-10, atol=1e-12)
    assert_allclose(q.T @ q, np.eye(3), atol=1e-12)
    assert_allclose(r, np.triu(r))
    a, tau = torch.geqrf(mk(M))
    Q2 = torch.orgqr(a, tau)
    assert_allclose(npy(Q2), q, atol=1e-12)
    C = rng.standard_normal((5, 2))
    assert_allclose(npy(torch.ormqr(a, tau, mk(C), "L", "T")),
                    sla.qr(M)[0].T @ C, atol=1e-10)


@pytest.mark.parametrize("shape", [(2, 3), (5, 3)])
def test_svd(shape):
    S = rng.standard_normal(shape)
    u, s, v = torch.svd(mk(S))
    k = min(shape)
    assert u.size().totable() == [shape[0], k] and v.size().totable() == [shape[1], k]
    assert_allclose(npy(s), np.linalg.svd(S, compute_uv=False), rtol=1e-12)
    assert_allclose(npy(u) @ np.diag(npy(s)) @ npy(v).T, S, atol=1e-12)
    ua, sa, va = torch.svd(mk(S), "A")
    assert ua.size().totable() == [shape[0]] * 2 and va.size().totable() == [shape[1]] * 2
    assert_allclose(npy(va).T @ npy(va), np.eye(shape[1]), atol=1e-12)


def test_symeig_eig():
    A = spd(4)
    e, V = torch.symeig(mk(A), "V")
    assert_allclose(npy(e), np.linalg.eigvalsh(A), rtol=1e-12)
    assert_allclose(npy(V) @ np.diag(npy(e)) @ npy(V).T, A, rtol=1e-10)
    e0 = torch.symeig(mk(A))[0]
    assert_allclose(npy(e0), np.linalg.eigvalsh(A), rtol=1e-12)
    rot = torch.Tensor([[0, -1], [1, 0]])
    ev = npy(torch.eig(rot)[0])
    assert_allclose(sorted(ev[:, 1]), [-1, 1])
    G = rng.standard_normal((4, 4))
    ev, vec = torch.eig(mk(G), "V")
    w = npy(ev)
    assert_allclose(np.sort_complex(w[:, 0] + 1j * w[:, 1]),
                    np.sort_complex(np.linalg.eigvals(G)), rtol=1e-10)


def test_float_versions():
    A = spd(3)
    assert torch.inverse(mk(A, "Float")).typename == "torch.FloatTensor"
    assert_allclose(npy(torch.inverse(mk(A, "Float"))), np.linalg.inv(A), rtol=1e-4, atol=1e-6)
    assert_array_equal(npy(torch.symeig(mk(A, "Float"))[0]).dtype, np.float32)
