"""torch7py.tester where the differential checker (tools/diff_torch.py, Tester.lua's
assertions run beside ours) found it apart: expectations read off Tester.lua."""
import torch7py as torch
from torch7py.tester import Tester


def _tester():
    t = Tester()
    t.assertionPass = {"": 0}
    t.assertionFail = {"": 0}
    t._currentTestName = ""
    t._debug_info = lambda m: m
    return t


def test_trailing_nils_are_no_arguments():
    # getMessage: `assert(next{...} == nil)`; a Lua call's explicit trailing nils pass
    t = _tester()
    assert t.assertlt(1, 2, None, None) is True
    assert t.assertlt(3, 1, "m", None) is False
    assert t.errors == ["m\nLT failed: 3 >= 1"]


def test_an_empty_message_adds_no_line():
    # getMessage: `if message ~= '' then return message .. '\n' end; return ''`
    t = _tester()
    t.assert_(False, "")
    assert t.errors == ["BOOL violation condition=false"]


def test_tolerance_and_message_stop_at_the_first_nil():
    # getToleranceAndMessage walks its arguments with ipairs: nothing after a nil counts
    t = _tester()
    a = torch.DoubleTensor([1.0])
    b = torch.DoubleTensor([1.5])
    assert t.assertTensorEq(a, b, None, 1.0) is False
    assert t.assertTensorEq(a, b, 1.0) is True
