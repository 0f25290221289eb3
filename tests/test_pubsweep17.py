"""Session 16's sweep of public Torch7 code (pubsweep17): mechanisms by which a legacy script
printed something else through our th than through the original.

nn's own doc example (doc/table.md, ParallelTable after SplitTable(2)) trains two Linear
layers on the columns of a matrix: each Linear gets a strided vector (stride 2). Linear.lua's
vector forward is output:copy(bias); output:addmv(1, weight, input) and its gradInput
addmv(0, 1, weight:t(), gradOutput); TH hands the vector's stride to BLAS gemv as incx, and
OpenBLAS's gemv copies a strided x into a contiguous buffer before its kernel: the result is
bit for bit the contiguous one. Ours took numpy's matmul for a strided operand (another
summation order: the last bits of the loss drifted from step 13 on)."""
import pytest

import torch7py as torch
from torch7py import nn, numerics

needs_blas = pytest.mark.skipif(numerics._b is None, reason="torch7py._obl12 not built")


def _bits(t):
    return [float(v) for v in t.numpy().ravel()]


@needs_blas
@pytest.mark.parametrize("mode", ["fused", "plain"])
@pytest.mark.parametrize("n_in", [4, 10, 17, 33])
def test_linear_vector_forward_strided_equals_contiguous(monkeypatch, mode, n_in):
    old = numerics.blas_loops(mode)
    try:
        torch.manualSeed(3)
        m = nn.Linear(n_in, 5)
        x2 = torch.randn(n_in, 2)
        xs = x2.select(2, 2)
        assert xs.stride(1) == 2
        want = _bits(m.forward(xs.clone()))
        got = _bits(m.forward(xs))
        assert got == want
    finally:
        numerics.blas_loops(old)


@needs_blas
@pytest.mark.parametrize("mode", ["fused", "plain"])
def test_linear_vector_grad_input_strided_equals_contiguous(mode):
    old = numerics.blas_loops(mode)
    try:
        torch.manualSeed(4)
        m = nn.Linear(12, 9)
        x = torch.randn(12)
        go2 = torch.randn(9, 3)
        gos = go2.select(2, 3)
        want = _bits(m.updateGradInput(x, gos.clone()))
        got = _bits(m.updateGradInput(x, gos))
        assert got == want
    finally:
        numerics.blas_loops(old)


# the weight and bias nn.Linear(10, 3) draws in the original's th after torch.manualSeed(1),
# as it printed them with string.format('%.17g') (exact round trips)
_W = [-0.31615542506971994, -0.23519475023450007, -0.12501586102969212, 0.31562093467042956,
      -0.22341118991468847, -0.16691198692650397, -0.25782771044776764, -0.065408091870960638,
      -0.19842646499410566, -0.070891472431195507, -0.097675973786519016, 0.10735682227066151,
      -0.065289985533502237, 0.2754590958904663, 0.024549856818540106, 0.21902625603151354,
      -0.051105873442848004, -0.11809619968596449, 0.11714309784527938, 0.015525621304796622,
      -0.18692081010722514, -0.035763530164305113, 0.2391424647945905, -0.17103038317044614,
      -0.29890632943757017, 0.021765265994663774, 0.10781311818819184, 0.26181257111960915,
      -0.05230103398308561, -0.027066055178843307]
_B = [0.037118705970397348, -0.043830072720081548, -0.22743927111546597]


@needs_blas
def test_linear_on_a_column_prints_the_originals_bits(plain_blas_loops):
    # the original Torch7 (Debian OpenBLAS 0.3.21, Haswell kernels, one thread) printed these
    # with string.format('%.17g') for l:forward(torch.ones(10, 2):select(2, 1)) with the
    # weight and bias above (before the fix ours printed -1.306503312278307 first)
    m = nn.Linear(10, 3)
    m.weight.copy(torch.Tensor(_W).view(3, 10))
    m.bias.copy(torch.Tensor(_B))
    out = m.forward(torch.ones(10, 2).select(2, 1))
    assert ['%.17g' % v for v in _bits(out)] == [
        '-1.3065033122783072', '0.38306264499234216', '-0.36889399305988613']
