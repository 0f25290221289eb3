"""nn.Jacobian's testJacobian and testJacobianParameters compare the two Jacobians a band of
rows at a time (jacobian.py's _CHUNK) instead of building both whole: the error they return is
the max |forward - backward| of the whole matrices, as Jacobian.lua computes it. Expected values
here: nn.Jacobian.forward and .backward (the whole matrices, as tensors) and numpy's max over
their difference, on the same input the test filled."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.nn import jacobian


def _expected(jf, jb):
    return float(np.abs(jf.numpy() - jb.numpy()).max())


def _same(got, want):
    if np.isnan(want):
        assert np.isnan(got)
    else:
        assert got == want


# sizes across the band and tile edges (256): bands of 256 and a rest, one band, one row
@pytest.mark.parametrize("nin,nout", [(300, 270), (600, 3), (2, 513), (1, 1), (257, 256)])
def test_test_jacobian_equals_whole_matrices(nin, nout):
    torch.manualSeed(7)
    m = nn.Linear(nin, nout)
    x = torch.Tensor(nin)
    err = nn.Jacobian.testJacobian(m, x)
    # x now holds the values testJacobian drew
    want = _expected(nn.Jacobian.forward(m, x), nn.Jacobian.backward(m, x))
    _same(err, want)
    assert err > 0  # the differences are real finite-difference errors, not all zero


@pytest.mark.parametrize("nin,nout", [(20, 300), (3, 600), (1, 1)])
def test_test_jacobian_parameters_equals_whole_matrices(nin, nout):
    torch.manualSeed(11)
    m = nn.Linear(nin, nout)
    x = torch.Tensor(nin)
    err = nn.Jacobian.testJacobianParameters(m, x, m.weight, m.gradWeight)
    want = _expected(nn.Jacobian.forward(m, x, m.weight),
                     nn.Jacobian.backward(m, x, m.weight, m.gradWeight))
    _same(err, want)
    errb = nn.Jacobian.testJacobianParameters(m, x, m.bias, m.gradBias)
    _same(errb, _expected(nn.Jacobian.forward(m, x, m.bias),
                          nn.Jacobian.backward(m, x, m.bias, m.gradBias)))


def test_nan_anywhere_gives_nan():
    # sqrt of the negative half of the input: NaN in both Jacobians, as Torch7's max gives
    torch.manualSeed(3)
    m = nn.Sqrt()
    x = torch.Tensor(700)
    err = nn.Jacobian.testJacobian(m, x)
    assert np.isnan(err)
    assert np.isnan(_expected(nn.Jacobian.forward(m, x), nn.Jacobian.backward(m, x)))


def test_bands_are_the_rows_in_order():
    # the sink sees consecutive bands covering every row once, each the rows backward builds
    torch.manualSeed(5)
    m = nn.Linear(4, 600)
    x = torch.rand(4)
    seen = []
    jacobian._backward_t(m, x, sink=lambda first, rows: seen.append((first, rows.copy())))
    assert [f for f, _ in seen] == [0, 256, 512]
    assert [r.shape for _, r in seen] == [(256, 4), (256, 4), (88, 4)]
    whole = np.concatenate([r for _, r in seen])
    np.testing.assert_array_equal(whole, m.weight.numpy())  # d(out_j)/d(x_i) = W[j, i]


def test_empty_output_still_runs_the_module():
    # no differences to compare: 0, after the module's calls (their errors would surface)
    calls = []

    class Probe(nn.Module):
        def updateOutput(self, input):
            calls.append('f')
            self.output = torch.Tensor()
            return self.output

        def updateGradInput(self, input, gradOutput):
            calls.append('b')
            self.gradInput = input.clone().zero()
            return self.gradInput

    assert nn.Jacobian.testJacobian(Probe(), torch.Tensor(3)) == 0
    assert calls.count('f') >= 7  # the central differences' 2 per element and backward's
