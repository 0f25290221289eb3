"""Torch7's LuaJIT (2.1.0-beta2 with LUA52COMPAT) behaviours the Lua layer reproduces: printf
rounds exact halves away from zero, Lua 5.2's os.execute/os.exit/ipairs/package.searchers."""
import numpy as np
import pytest

from torch7py.printing import format_tensor, is_half, lua_number_arg

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.mark.parametrize("conv, prec, x, half", [
    ("f", 4, 0.03125, True),       # 0.03125: five decimals, the last a 5
    ("f", 4, -0.15625, True),
    ("f", 4, 0.0625, False),        # printable exactly
    ("f", 4, 0.1, False),           # 0.1000000000000000055...: not a half
    ("f", 0, 2.5, True),
    ("e", 4, 1.03125, True),        # six significant digits, the last a 5
    ("e", 4, 1.03125e-9, False),    # not exactly representable
    ("g", 14, 2.0 ** -21, True),    # 4.76837158203125e-07: fifteen digits
    ("g", 14, 1 / 3, False),
])
def test_is_half(conv, prec, x, half):
    assert is_half(conv, prec, x) is half


def test_a_half_moves_one_ulp_away_from_zero_and_nothing_else_moves():
    assert lua_number_arg("f", 4, 0.03125) == np.nextafter(0.03125, 1)
    assert lua_number_arg("f", 4, -0.03125) == np.nextafter(-0.03125, -1)
    assert lua_number_arg("f", 4, 0.1) == 0.1


def test_tensor_printing_rounds_halves_away_from_zero():
    txt = format_tensor(np.array([[0.03125, -0.15625], [0.5, 0.25]]), "torch.DoubleTensor")
    assert txt == (" 0.0313 -0.1563\n 0.5000  0.2500\n"
                   "[torch.DoubleTensor of size 2x2]\n")


def _lua(code):
    return LuaRuntime().execute(code)


def test_string_format_rounds_as_torch7s_luajit():
    got = _lua("return string.format('%.4f %.4f %5.1f %.2e %d%% %s %.4f', 0.03125, -0.15625, "
               "0.25, 1.125, 5, 'x', 0.0625)")
    assert got == "0.0313 -0.1563   0.3 1.13e+00 5% x 0.0625"
    # called by pcall, beta2 names it '?' (recorded from LuaJIT 2.1.0-beta2, luajit-rocks'
    # CMake build: `print(pcall(string.format, '%d', 'x'))`); called by name, 'format'
    ok, msg = _lua("return pcall(string.format, '%d', 'x')")
    assert ok is False and msg == "bad argument #2 to '?' (number expected, got string)"
    ok, msg = _lua("return pcall(function() local s = string.format('%d', 'x') return s end)")
    assert ok is False and msg.endswith(": bad argument #2 to 'format' (number expected, got string)")


def test_lua52_os_execute_os_exit_ipairs_searchers():
    assert tuple(_lua("return os.execute('true')")) == (True, "exit", 0)
    assert tuple(_lua("return os.execute('exit 3')")) == (None, "exit", 3)
    assert _lua("return os.execute()") is True
    n = _lua("local n = 0 for i, v in ipairs(setmetatable({}, {__ipairs = function(t) "
             "return function(_, i) if not i then return 1, 'x' end end, t, nil end})) "
             "do n = n + 1 end return n")
    assert n == 1
    assert _lua("return package.searchers == package.loaders") is True
