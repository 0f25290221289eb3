"""Numbers crossing between LuaJIT and Python as Torch7 keeps them: a Lua -0.0 stays -0.0 in
tensors (lupa alone reads it as the int 0), NaN and infinities round trip, and string.format
prints tiny numbers with %f as C (and Torch7's LuaJIT) does."""
import math

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.fixture(scope="module")
def rt():
    return LuaRuntime()


def test_negative_zero_reaches_tensors(rt):
    r = rt.execute("""
        local a = torch.Tensor({-0.0, 0.0})
        local b = torch.Tensor({{1, -0.0}, {-0.0, 2}})
        local c = torch.Tensor(2):fill(-0.0)
        local d = torch.Tensor(3):zero()
        d[2] = -0.0
        d[{3}] = -0.0
        local e = torch.Tensor({3}):mul(-0.0)
        local s = torch.DoubleStorage({-0.0})
        local f = torch.FloatTensor({-0.0})
        return {1 / a[1], 1 / a[2], 1 / b[1][2], 1 / b[2][1], 1 / c[1], 1 / c[2], 1 / d[1],
                1 / d[2], 1 / d[3], 1 / e[1], 1 / s[1], 1 / f[1]}
    """)
    inf = math.inf
    assert r == [-inf, inf, -inf, -inf, -inf, -inf, inf, -inf, -inf, -inf, -inf, -inf]


def test_negative_zero_prints_as_torch7(rt):
    # Tensor.lua's integer mode: '%2d' of -0.0 is ' 0'; %g keeps the sign
    r = rt.execute("""
        local x = torch.Tensor({-0.0, 1.5})
        return {tostring(torch.Tensor({-0.0})), string.format('%g', x[1]), tostring(x[1])}
    """)
    assert r == [" 0\n[torch.DoubleTensor of size 1]\n", "-0", "-0"]


def test_nan_inf_and_large_integers_round_trip(rt):
    r = rt.execute("""
        local x = torch.Tensor(3)
        x[1] = 0 / 0
        x[2] = math.huge
        x[3] = -math.huge
        local l = torch.LongTensor({2 ^ 53 + 2, 2 ^ 62, -2 ^ 63})
        return {x[1] ~= x[1], x[2], x[3], l[1] == 2 ^ 53 + 2, l[2] == 2 ^ 62, l[3] == -2 ^ 63}
    """)
    assert r == [True, math.inf, -math.inf, True, True, True]


def test_format_f_of_tiny_numbers(rt):
    # C's printf: a value far below the precision prints as a signed zero
    r = rt.execute("""
        local sf = string.format
        return {sf('%f', 1e-160), sf('%.3f', -1.5e-200), sf('%.0f', 5e-324), sf('%10.2f', 1e-155),
                sf('%e', 1e-160), sf('%g', -1.5e-310), sf('%f', 1.5e-100)}
    """)
    assert r == ["0.000000", "-0.000", "0", "      0.00", "1.000000e-160", "-1.5e-310",
                 "0.000000"]


def test_negative_zero_through_operators(rt):
    # TensorOperator's __mul/__div call mul/div with the Lua number: 1 / -0.0 is -inf
    r = rt.execute("""
        local t = torch.Tensor({1})
        return {1 / (t * -0.0)[1], 1 / (-0.0 * t)[1], (t / -0.0)[1]}
    """)
    assert r == [-math.inf, -math.inf, -math.inf]
