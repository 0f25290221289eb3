"""Integer division by zero: THTensorMath.c divides integer tensors with C's `/` and `%`
(div, cdiv, addcdiv, fmod, cfmod, remainder, cremainder; TensorOperator.c's `/` and `%` call
div and remainder), which trap on a zero divisor, and on x86 on INT_MIN / -1 for int and
long (char and short are promoted to int first): Torch7's process dies of SIGFPE. torch7py
raises an error naming the operation instead of returning 0."""
import pytest

import torch7py as torch
from torch7py import TorchError

INT_TYPES = [torch.ByteTensor, torch.CharTensor, torch.ShortTensor, torch.IntTensor,
             torch.LongTensor]


def _ops(T):
    a = T([4, 5])
    z = T([0, 2])
    return {
        "div": lambda: a.clone().div(0),
        "div ": lambda: torch.div(T(), a, 0),
        "cdiv": lambda: a.clone().cdiv(z),
        "cdiv ": lambda: torch.cdiv(a, z),
        "addcdiv": lambda: a.clone().addcdiv(2, a, z),
        "fmod": lambda: a.clone().fmod(0),
        "cfmod": lambda: a.clone().cfmod(z),
        "remainder": lambda: a.clone().remainder(0),
        "cremainder": lambda: a.clone().cremainder(z),
    }


@pytest.mark.parametrize("T", INT_TYPES, ids=lambda T: T.typename)
@pytest.mark.parametrize("op", ["div", "div ", "cdiv", "cdiv ", "addcdiv", "fmod", "cfmod",
                                "remainder", "cremainder"])
def test_integer_division_by_zero_is_an_error(T, op):
    with pytest.raises(TorchError, match="^%s: integer division by zero$" % op.strip()):
        _ops(T)[op]()


@pytest.mark.parametrize("T", [torch.IntTensor, torch.LongTensor], ids=lambda T: T.typename)
def test_a_divisor_that_c_converts_to_zero(T):
    # the number becomes the tensor's real first: (long)0.5 is 0
    with pytest.raises(TorchError, match="^div: integer division by zero$"):
        T([3]).div(0.5)


def test_most_negative_by_minus_one_traps_for_int_and_long_only():
    with pytest.raises(TorchError, match=r"^div: integer overflow \(-2147483648 / -1\)$"):
        torch.IntTensor([-2 ** 31]).div(-1)
    with pytest.raises(TorchError, match=r"^fmod: integer overflow"):
        torch.LongTensor([-2 ** 63]).fmod(-1)
    # short: promoted to int, 32768 stored back into a short wraps
    assert torch.ShortTensor([-32768]).div(-1).numpy().tolist() == [-32768]
    assert torch.CharTensor([-128]).cdiv(torch.CharTensor([-1])).numpy().tolist() == [-128]


def test_nonzero_divisors_keep_cs_truncation():
    a = [7, -7, 7, -7, 0]
    b = [2, 2, -2, -2, 3]
    # C99: the quotient truncates toward zero, the remainder has the dividend's sign
    q = [abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1) for x, y in zip(a, b)]
    r = [x - y * qq for x, y, qq in zip(a, b, q)]
    t, u = torch.IntTensor(a), torch.IntTensor(b)
    assert torch.cdiv(t, u).numpy().tolist() == q
    assert torch.cfmod(t, u).numpy().tolist() == r
    # remainder: C's % plus the divisor when the signs differ (THTensorMath.c)
    rem = [x + y if x * y < 0 else x for x, y in zip(r, b)]
    assert torch.cremainder(t, u).numpy().tolist() == rem


def test_empty_tensors_divide_nothing():
    assert torch.IntTensor().div(0).dim() == 0
    assert torch.cdiv(torch.IntTensor(), torch.IntTensor()).dim() == 0


def test_float_division_by_zero_follows_ieee():
    assert torch.DoubleTensor([1, -1]).div(0).numpy().tolist() == [float("inf"), float("-inf")]
    r = torch.FloatTensor([1]).remainder(0).numpy().tolist()[0]
    assert r != r  # THTensorMath.c: NAN for a zero divisor


def test_lua_operators_raise_too():
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    r = LuaRuntime().execute("""
      local a = torch.IntTensor{4, 5}
      local ok1, e1 = pcall(function() return a / 0 end)
      local ok2, e2 = pcall(function() return a % 0 end)
      return ok1, e1:match('div: integer division by zero') ~= nil,
             ok2, e2:match('remainder: integer division by zero') ~= nil""")
    assert r == (False, True, False, True)
