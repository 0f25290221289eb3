"""torch.Timer, torch.CmdLine, torch.Tester/TestSuite."""
import io
import time

import pytest

import torch7py as torch
from torch7py.cmdline import CmdLineExit
from torch7py.tester import TesterFailure


def test_timer_stop_freezes_and_resume_continues():
    t = torch.Timer()
    time.sleep(0.01)
    t.stop()
    frozen = t.time()["real"]
    assert frozen >= 0.01
    time.sleep(0.01)
    assert t.time()["real"] == frozen
    t.resume()
    time.sleep(0.01)
    assert t.time()["real"] >= frozen + 0.01
    assert t.reset().time()["real"] < 0.01


def make_cmd():
    c = torch.CmdLine()
    c.out = io.StringIO()
    c.text("Training a net")
    c.option("-lr", 0.1, "learning rate")
    c.option("-cuda", False, "use the GPU")
    c.option("-name", "run", "experiment name")
    c.argument("-data", "where the data is")
    return c


def test_cmdline_parse_types_booleans_and_arguments():
    c = make_cmd()
    p = c.parse(["-lr", "0.5", "-cuda", "/tmp/data"])
    assert p == {"lr": 0.5, "cuda": True, "name": "run", "data": "/tmp/data"}
    lua_arg = {0: "train.lua", 1: "-name", 2: "x", 3: "d"}
    assert c.parse(lua_arg)["name"] == "x"


def test_cmdline_help_text_is_torch7s():
    c = make_cmd()
    with pytest.raises(CmdLineExit) as e:
        c.parse({0: "train.lua", 1: "-help"})
    assert e.value.code == 0
    assert c.out.getvalue() == (
        "Usage: train.lua [options] <data>\n"
        "Training a net\n"
        "  -lr    learning rate [0.1]\n"
        "  -cuda  use the GPU [false]\n"
        "  -name  experiment name [run]\n"
        "  <data> where the data is\n")


def test_cmdline_errors_exit_1():
    c = make_cmd()
    with pytest.raises(CmdLineExit) as e:
        c.parse(["-lr"])
    assert e.value.code == 1
    with pytest.raises(ValueError, match="no default"):
        c.option("-x", None)
    params = {"lr": 0.5, "cuda": False, "name": "run", "data": "d"}
    assert c.string("exp", params, {}) == "exp,data=d,lr=0.5"
    # CmdLine.lua reads ignore[k] for every parameter: without an ignore table, Lua's error
    with pytest.raises(TypeError, match=r"attempt to index local 'ignore' \(a nil value\)"):
        c.string("exp", params)


def test_tester_reports_pass_fail_and_raises():
    t = torch.Tester()
    t.out = io.StringIO()
    suite = torch.TestSuite()
    suite["test_ok"] = lambda: t.eq(torch.Tensor([1, 2]), torch.Tensor([1, 2.0000001]), 1e-3)
    suite["test_bad"] = lambda: t.assertTensorEq(torch.Tensor([1]), torch.Tensor([2]), 0.5, "far")
    suite["test_raises"] = lambda: t.assertError(lambda: torch.Tensor(2).narrow(1, 3, 1))
    t.add(suite)
    with pytest.raises(TesterFailure):
        t.run()
    out = t.out.getvalue().split("\n")
    assert out[0] == "Running 3 tests"
    # Tester.lua writes "[WAIT]", then "\r" and the line again with the verdict
    head = "1/3 test_bad " + "." * (80 - 6 - 2 - 4 - len("test_bad")) + " "
    assert out[1] == head + "[WAIT]\r" + head + "[FAIL]"
    assert out[2].endswith(" [PASS]") and out[3].endswith(" [PASS]")
    assert out[4] == "Completed 3 asserts in 3 tests with 1 failure and 0 errors"
    assert "far" in t.out.getvalue()
    with pytest.raises(KeyError):
        suite["test_ok"] = lambda: None


def test_timer_user_time_has_getrusage_resolution():
    # Timer.c reads user/sys time with getrusage (microseconds): a few ms of work shows as a
    # few ms, not 0 or 10 ms as clock ticks would give
    import torch7py as torch
    t = torch.Timer()
    end = __import__("time").process_time() + 0.003
    while __import__("time").process_time() < end:
        pass
    u = t.time()["user"] + t.time()["sys"]
    assert 0.002 <= u < 0.5
    assert round(u * 100) != u * 100 or u == 0.0  # not a whole number of 10 ms ticks
