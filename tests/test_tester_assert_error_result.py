"""Tester.lua's assertErrorObj (assertError, assertErrorMsg, assertErrorPattern) formats
'ERROR violation: err=' .. tostring(err) with err the second value of pcall(f): when f does
not fail, that is f's first result (nil when it returns nothing)."""
import pytest

from torch7py.tester import Tester


@pytest.mark.parametrize("ret, shown", [
    (None, "nil"), (1, "1"), ((2, 3), "2"), ((), "nil"), (True, "true"), ("s", "s"),
    (0.5, "0.5")])
def test_a_function_that_does_not_fail_shows_its_first_result(ret, shown):
    t = Tester()
    t.assertError(lambda: ret, "m")
    t.assertErrorMsg(lambda: ret, "boom")
    assert t.errors[0].split("\n")[:2] == ["m", "ERROR violation: err=" + shown]
    assert t.errors[1].split("\n")[0] == "ERROR violation: err=" + shown
