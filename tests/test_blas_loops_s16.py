"""numerics.blas_loops: the two OpenBLAS 0.3.21 builds torch7py reproduces. Expectations are
exact rational arithmetic rounded once (a fused multiply-add) or twice (product, then sum)."""
from fractions import Fraction

import numpy as np
import pytest

import torch7py as torch
from torch7py import numerics


def _round(q):
    return float(q)  # Fraction -> the nearest double, ties to even


@pytest.fixture
def loops():
    old = numerics.blas_loops()
    yield numerics.blas_loops
    numerics.blas_loops(old)


def _vectors(n):
    rng = np.random.RandomState(13)  # (a draw whose tails tell the builds apart)
    return rng.standard_normal(n), rng.standard_normal(n)


@pytest.mark.skipif(numerics._b is None, reason="torch7py._obl12 not built")
@pytest.mark.parametrize("n", [3, 5, 15, 17, 40])
def test_in_place_add_rounds_as_the_build(loops, n):
    # x:add(v, y) is THBlas_(axpy): the micro-kernel fuses the first n & -16 elements; the C
    # tail `y[i] += da * x[i]` is fused only in a build whose C loops GCC contracted
    x0, y = _vectors(n)
    v = 0.3
    fused = [_round(Fraction(a) + Fraction(v) * Fraction(b)) for a, b in zip(x0, y)]
    plain = [_round(Fraction(a) + Fraction(_round(Fraction(v) * Fraction(b))))
             for a, b in zip(x0, y)]
    k = n & -16
    for mode, want in (("fused", fused), ("plain", fused[:k] + plain[k:])):
        loops(mode)
        x = torch.Tensor(x0.tolist())
        x.add(v, torch.Tensor(y.tolist()))
        assert x.numpy().tolist() == want, mode
    assert fused[k:] != plain[k:]  # (the draw tells the two apart)


@pytest.mark.skipif(numerics._b is None, reason="torch7py._obl12 not built")
def test_short_dot_rounds_as_the_build(loops):
    # ddot's C tail below 16 elements: `dot += y[i] * x[i]` from 0
    x, y = _vectors(9)
    fused = Fraction(0)
    plain = Fraction(0)
    for a, b in zip(y, x):
        fused = Fraction(_round(fused + Fraction(a) * Fraction(b)))
        plain = Fraction(_round(plain + Fraction(_round(Fraction(a) * Fraction(b)))))
    assert fused != plain
    for mode, want in (("fused", float(fused)), ("plain", float(plain))):
        loops(mode)
        assert torch.Tensor(x.tolist()).dot(torch.Tensor(y.tolist())) == want, mode


def test_the_mode_is_checked_and_reported(loops):
    assert loops() in ("fused", "plain")
    loops("plain")
    assert loops("fused") == "plain" and loops() == "fused"
    with pytest.raises(ValueError, match="TORCH7PY_BLAS_LOOPS"):
        loops("other")
