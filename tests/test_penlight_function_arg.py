"""Penlight's utils.function_arg (as trepl's Penlight 1.x documents it): wherever Penlight takes
a function, an operator string of pl.operator ('+', '..', '>') or a string lambda
('|x| x * 10', or an expression of '_') works too (s2s-attn's `tablex.reduce('+', losses)`)."""
import pytest

pytest.importorskip("lupa")

from luatest import lua  # noqa: E402


@pytest.mark.parametrize("code,expected", [
    ("return require('pl.tablex').reduce('+', {1, 2, 3, 4})", 10),
    ("return require('pl.tablex').reduce('..', {'a', 'b', 'c'})", "abc"),
    ("return require('pl.tablex').map2('-', {5, 6}, {1, 1})[2]", 5),
    ("return require('pl.List'){1, 2, 3}:map('|x| x * 10')[3]", 30),
    ("return require('pl.List'){1, 2, 3}:map('_ + 1')[1]", 2),
    ("return require('pl.List'){3, 1, 2}:sort('>')[1]", 3),
    ("return require('pl.List'){1, 2, 3, 4}:filter('|x| x % 2 == 0')[2]", 4),
    ("return require('pl.List'){1, 2, 3}:reduce('*')", 6),
    ("return require('pl.utils').string_lambda('|a, b| a - b')(7, 2)", 5),
])
def test_operator_strings_and_string_lambdas_are_functions(code, expected, capsys):
    assert lua(code, capsys)[0] == expected


def test_a_string_that_is_neither_fails_as_penlight_1_4_1_fails(capsys):
    # utils.lua 1.4.1: string_lambda is utils.memoize(_string_lambda), and memoize keeps one
    # result, so function_arg's `error(err..': '..f)` meets a nil err: the error Torch7's th
    # gave is the concatenation's
    ok, err = lua("return pcall(require('pl.tablex').reduce, 'abc', {1, 2})", capsys)[0]
    assert ok is False and err.endswith("attempt to concatenate local 'err' (a nil value)")
