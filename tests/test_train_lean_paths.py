"""The training step's lean batch paths (issue 16: Linear's batch forward, gradInput and
accGradParameters, LogSoftMax's and ClassNLLCriterion's batch calls, the float target's
conversion to long) against formulas computed here: the same bits as numpy's products and
Torch7's elementwise rules, on dense and strided operands, through the C kernels and without
them."""

import math

import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn import _kernels
from torch7py.nn.class_nll_criterion import _long

from kernel_paths import tensor  # noqa: E402
from obl12_ref import sgemv_n_ones  # noqa: E402


# these expectations are the bits of Debian's OpenBLAS 0.3.21 build, whose C loops are not
# fused (numerics.blas_loops('plain'))
pytestmark = pytest.mark.usefixtures('plain_blas_loops')


def bits(a):
    a = np.ascontiguousarray(a)
    return a.view(np.int64 if a.dtype == np.float64 else np.int32)


def _typ(dtype):
    return 'torch.FloatTensor' if dtype == np.float32 else 'torch.DoubleTensor'


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('seed', range(6))
def test_linear_batch_forward_and_grad_input(use_c, dtype, seed):
    """output = input * weight^T (numpy's product, the BLAS call Torch7's addmm makes) plus the
    bias added once per element; gradInput = gradOutput * weight; a strided input (a
    transposed matrix) gives the same values as its contiguous copy."""
    rs = np.random.RandomState(seed)
    n, i, o = rs.randint(1, 70), rs.randint(1, 90), rs.randint(1, 60)
    bias = seed % 3 != 2
    lin = nn.Linear(i, o, bias).type(_typ(dtype))
    w = lin.weight.numpy()
    x = rs.standard_normal((n, i)).astype(dtype)
    go = rs.standard_normal((n, o)).astype(dtype)
    strided = seed % 2 == 1
    xt = tensor(np.ascontiguousarray(x.T), dtype).t() if strided else tensor(x, dtype)
    y = lin.forward(xt).numpy().copy()
    want = np.matmul(x, w.T)
    if bias:
        want = want + lin.bias.numpy()
    np.testing.assert_array_equal(bits(y), bits(want))
    np.testing.assert_allclose(y, x.astype(np.float64) @ w.T.astype(np.float64)
                               + (lin.bias.numpy() if bias else 0), rtol=1e-3, atol=1e-3)
    assert lin.addBuffer.nElement() == n and (lin.addBuffer.numpy() == 1).all()
    gi = lin.updateGradInput(xt, tensor(go, dtype)).numpy()
    assert gi.shape == (n, i)
    np.testing.assert_array_equal(bits(gi), bits(np.matmul(go, w)))


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('seed', range(6))
def test_linear_batch_acc_grad_parameters(dtype, seed):
    """gradWeight += scale * gradOutput^T input and gradBias += the rows of gradOutput summed
    in sgemv_n's order (float) or in gemv's column groups (double): the C call's bits equal those of the
    scipy + numpy code, and the formula holds; a second call accumulates."""
    rs = np.random.RandomState(seed)
    n, i, o = rs.randint(2, 150), rs.randint(20, 90), rs.randint(4, 60)
    scale = 1 if seed < 4 else 0.5
    x = rs.standard_normal((n, i)).astype(dtype)
    go = rs.standard_normal((n, o)).astype(dtype)
    got = []
    for c in (True, False):
        old = _kernels.use_c
        _kernels.use_c = c
        try:
            lin = nn.Linear(i, o).type(_typ(dtype))
            lin.zeroGradParameters()
            for _ in range(2):
                lin.accGradParameters(tensor(x, dtype), tensor(go, dtype), scale)
        finally:
            _kernels.use_c = old
        got.append((lin.gradWeight.numpy().copy(), lin.gradBias.numpy().copy()))
    np.testing.assert_array_equal(bits(got[0][0]), bits(got[1][0]))
    np.testing.assert_array_equal(bits(got[0][1]), bits(got[1][1]))
    tol = 1e-4 if dtype == np.float32 else 1e-12
    g64, x64 = go.astype(np.float64), x.astype(np.float64)
    np.testing.assert_allclose(got[0][0], 2 * scale * g64.T @ x64, rtol=tol, atol=tol * 50)
    np.testing.assert_allclose(got[0][1], 2 * scale * g64.sum(axis=0), rtol=tol, atol=tol * 50)
    if dtype == np.float32 and scale == 1:
        once = sgemv_n_ones(go, np.zeros(o, np.float32))
        np.testing.assert_array_equal(bits(got[0][1]), bits(sgemv_n_ones(go, once)))


def test_linear_batch_checks_still_raise():
    """The lean paths leave Torch7's errors to the general path: a wrong width, a gradOutput
    of the wrong size, an input of another type."""
    lin = nn.Linear(5, 3).float()
    with pytest.raises(RuntimeError, match='size mismatch'):
        lin.forward(torch.FloatTensor(4, 6))
    lin.forward(torch.FloatTensor(4, 5).zero())
    with pytest.raises(RuntimeError, match='size mismatch'):
        lin.backward(torch.FloatTensor(4, 5).zero(), torch.FloatTensor(4, 2).zero())
    with pytest.raises(RuntimeError):
        lin.forward(torch.DoubleTensor(4, 5).zero())


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_log_softmax_batch(use_c, dtype):
    """Each row: THNN's logsum (max, then exp(x - max) summed in order in double), y = x -
    logsum; gradInput = gradOutput - exp(y) * (row sum of gradOutput, in order, in double)."""
    rs = np.random.RandomState(3)
    x = (rs.standard_normal((17, 11)) * 5).astype(dtype)
    go = rs.standard_normal((17, 11)).astype(dtype)
    m = nn.LogSoftMax().type(_typ(dtype))
    y = m.forward(tensor(x, dtype)).numpy().copy()
    want = np.empty_like(x)
    for r in range(x.shape[0]):
        mx = x[r].max()
        s = 0.0
        for v in x[r]:
            s += math.exp(float(dtype(v - mx)))  # C's exp and log: glibc's, as math's
        ls = float(mx) + math.log(s)
        want[r] = (x[r].astype(np.float64) - ls).astype(dtype)
    np.testing.assert_array_equal(bits(y), bits(want))
    gi = m.backward(tensor(x, dtype), tensor(go, dtype)).numpy()
    wgi = np.empty_like(go)
    for r in range(go.shape[0]):
        s = 0.0
        for v in go[r]:
            s += float(v)
        e = np.array([math.exp(float(v)) for v in y[r]])
        wgi[r] = (go[r].astype(np.float64) - e * s).astype(dtype)
    np.testing.assert_array_equal(bits(gi), bits(wgi))


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_float_targets_to_long(use_c, dtype):
    """target:long() truncates toward zero; a NaN, an infinity or a value outside int64's range
    becomes INT64_MIN (x86's conversion, as Torch7's copy makes it); a new tensor each call."""
    vals = [1.0, 10.0, 3.99, -1.7, -0.5, 0.5, -0.0, np.nan, np.inf, -np.inf, 2.0 ** 63,
            -2.0 ** 63, 1e30, -1e30, 2.0 ** 62]
    want = [1, 10, 3, -1, 0, 0, 0] + [-2 ** 63] * 4 + [-2 ** 63] * 3 + [2 ** 62]
    t = tensor(np.array(vals, dtype), dtype)
    a, b = _long(t), _long(t)
    assert a is not b and a.typename == 'torch.LongTensor'
    assert a.numpy().tolist() == want and b.numpy().tolist() == want


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
def test_class_nll_batch(use_c, dtype):
    """output = -(sum of x[i, t_i] in order) / n; gradInput -1/n at each target, 0 elsewhere;
    self.target holds the targets as a LongTensor; a target out of range raises THNN's
    assertion."""
    rs = np.random.RandomState(4)
    x = rs.standard_normal((9, 6)).astype(dtype)
    t = rs.randint(1, 7, 9)
    crit = nn.ClassNLLCriterion().type(_typ(dtype))
    out = crit.forward(tensor(x, dtype), tensor(t.astype(dtype), dtype))
    s = dtype(0)
    for r in range(9):
        s = dtype(s - x[r, t[r] - 1])
    assert out == float(dtype(s / dtype(9)))
    assert crit.target.typename == 'torch.LongTensor' and crit.target.numpy().tolist() == list(t)
    gi = crit.backward(tensor(x, dtype), tensor(t.astype(dtype), dtype)).numpy()
    want = np.zeros_like(x)
    want[np.arange(9), t - 1] = dtype(-1) / dtype(9)
    np.testing.assert_array_equal(bits(gi), bits(want))
    bad = t.astype(dtype)
    bad[3] = 7
    with pytest.raises(RuntimeError, match='cur_target'):
        crit.forward(tensor(x, dtype), tensor(bad, dtype))


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('th,val', [(0, 0), (0.5, -2.0), (-1.0, 3.0)])
def test_threshold_batch(use_c, dtype, th, val):
    """THNN's Threshold: y = x > th ? x : val (a NaN becomes val), gradInput = x > th ? go : 0;
    a strided input gives its contiguous copy's values; the output is resized to the input."""
    rs = np.random.RandomState(5)
    x = rs.standard_normal((7, 9)).astype(dtype)
    x[0, 0], x[1, 1], x[2, 2] = np.nan, th, -0.0
    go = rs.standard_normal((7, 9)).astype(dtype)
    m = nn.Threshold(th, val).type(_typ(dtype))
    for inp in (tensor(x, dtype), tensor(np.ascontiguousarray(x.T), dtype).t()):
        y = m.forward(inp).numpy().copy()
        want = np.where(x > th, x, dtype(val))
        np.testing.assert_array_equal(bits(y), bits(want))
        gi = m.backward(inp, tensor(go, dtype)).numpy()
        np.testing.assert_array_equal(bits(gi), bits(np.where(x > th, go, dtype(0))))
    m.forward(tensor(x[:3], dtype))
    assert m.output._size == (3, 9)
