"""th-parity --suite (compat/suite.py): a Torch7 test file run test by test, each in a fresh
runtime, with a time limit per test; tested on small Lua test files written here."""
import io
import os
import subprocess
import sys
import time

import pytest

pytest.importorskip("lupa")

from compat import parity, suite  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TESTER_FILE = """
local tester = torch.Tester()
local tests = torch.TestSuite()
function tests.good() tester:asserteq(1 + 1, 2, 'sum') end
function tests.bad() tester:asserteq(1 + 1, 3, 'wrong sum') end
function tests.broken() error('boom in broken') end
function tests.leaks() LEAKED = 1; tester:assert(true) end
function tests.sees_no_leak() tester:assert(LEAKED == nil, 'a global leaked') end
function tests.hangs() while HANG do end end
function tests.nested()  -- a Tester run inside a test is the test's own
   local inner, ran = torch.Tester(), false
   inner:add(function() ran = true end, 'x')
   inner:run()
   tester:assert(ran, 'the inner tester ran its test')
end
tester:add(tests)
tester:run()
"""

ENTRY_FILE = """
local mytester
local tests = torch.TestSuite()
function tests.one() mytester:assert(torch.Tensor(2):size(1) == 2) end
function tests.two() mytester:assert(true) end
function torch.test(names)
   mytester = torch.Tester()
   mytester:add(tests)
   mytester:run(names)
   return mytester
end
"""

TWO_TESTERS = """
local a, b = torch.Tester(), torch.Tester()
a:add(function() a:assert(true) end, 'same')
b:add(function() b:assert(false, 'second fails') end, 'same')
a:run()
pcall(b.run, b)
"""


def run(path, **kw):
    out = io.StringIO()
    npass, nfail = suite.run_suite(str(path), out=out, **kw)
    return npass, nfail, out.getvalue()


def lines(text):
    return text.strip().splitlines()


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_each_test_is_reported_and_isolated(tmp_path):
    p = write(tmp_path, "test_small.lua", TESTER_FILE.replace("while HANG do end", ""))
    npass, nfail, text = run(p, jobs=1, timeout=60)
    out = lines(text)
    # in the file's (sorted) test order, each a PASS or a FAIL line with its message
    heads = [x for x in out if x.startswith(("PASS", "FAIL"))]
    assert [h.split(":")[0] for h in heads] == [
        "FAIL bad", "FAIL broken", "PASS good", "PASS hangs", "PASS leaks", "PASS nested",
        "PASS sees_no_leak"]
    assert "wrong sum" in text and "boom in broken" in text
    assert out[-1] == "5 passed, 2 failed" and (npass, nfail) == (5, 2)


def test_a_hanging_test_times_out_and_the_run_goes_on(tmp_path):
    p = write(tmp_path, "test_hang.lua", TESTER_FILE.replace("while HANG do end",
                                                             "while true do end"))
    npass, nfail, text = run(p, jobs=1, timeout=10, only=["hangs", "good"])
    assert "FAIL hangs: timed out after 10 s" in text
    assert "PASS good" in text and lines(text)[-1] == "1 passed, 1 failed"


SLEEPER = """
local ffi = require 'ffi'
ffi.cdef[[unsigned int sleep(unsigned int seconds);]]
local tester = torch.Tester()
tester:add(function() ffi.C.sleep(120) end, 'sleeps')
tester:add(function() tester:assert(true) end, 'wakes')
tester:run()
"""


def test_the_limit_is_cpu_time_and_a_waiting_test_ends_at_the_wall_clock_backstop(tmp_path,
                                                                                 monkeypatch):
    # a test that spins is killed after --timeout seconds of its own CPU (tested above); one
    # that waits without running ends at _WALL_FACTOR times the limit (+ _WALL_EXTRA),
    # wall-clock
    monkeypatch.setattr(suite, "_WALL_EXTRA", 20.0)  # the worker's start counts too
    p = write(tmp_path, "test_sleep.lua", SLEEPER)
    t0 = time.monotonic()
    _, _, text = run(p, jobs=1, timeout=0.5)
    wall = 0.5 * suite._WALL_FACTOR + 20
    assert "FAIL sleeps: timed out after %g s wall-clock (the limit: 0.5 s of CPU)" % wall \
        in text and "PASS wakes" in text
    assert time.monotonic() - t0 < 110


def test_the_cpu_limit_kills_only_the_test(tmp_path):
    # RLIMIT_CPU in the forked child: the worker goes on (its next test passes) and the
    # message names the CPU limit
    p = write(tmp_path, "test_spin2.lua", TESTER_FILE.replace("while HANG do end",
                                                              "while true do end"))
    _, _, text = run(p, jobs=1, timeout=1, only=["hangs", "good"])
    assert "FAIL hangs: timed out after 1 s of CPU" in text and "PASS good" in text


def test_a_package_test_entry_is_called(tmp_path):
    p = write(tmp_path, "test.lua", ENTRY_FILE)
    _, _, text = run(p, jobs=1)
    assert lines(text) == ["PASS one", "PASS two", "2 passed, 0 failed"]


def test_a_file_that_fails_to_load_is_one_failure(tmp_path):
    p = write(tmp_path, "test_bad.lua", "local x = nil\nx.field = 1\n")
    _, _, text = run(p, jobs=1)
    out = lines(text)
    assert out[0].startswith("FAIL test_bad.lua: ") and "test_bad.lua:2:" in out[0]
    assert out[-1] == "0 passed, 1 failed"


def test_a_plain_script_is_one_test_and_a_missing_module_is_named(tmp_path):
    ok = write(tmp_path, "script_ok.lua", "local t = torch.ones(3)\nassert(t:sum() == 3)\n")
    assert lines(run(ok, jobs=1)[2]) == ["PASS script_ok.lua", "1 passed, 0 failed"]
    bad = write(tmp_path, "script_unsup.lua", "require 'unsup'\n")
    text = run(bad, jobs=1)[2]
    assert "FAIL script_unsup.lua" in text and "module 'unsup' not found" in text


def test_tests_of_two_run_calls_are_told_apart(tmp_path):
    p = write(tmp_path, "test_two.lua", TWO_TESTERS)
    _, _, text = run(p, jobs=1)
    assert "PASS same [run 1]" in text and "FAIL same [run 2]: second fails" in text
    assert lines(text)[-1] == "1 passed, 1 failed"


COUNTING_RUNS = """
local calls = 0
local first = torch.Tester()
local tests = torch.TestSuite()
function tests.a() first:assert(true) end
function tests.b() first:assert(true) end
function tests._setUp() calls = calls + 1 end
first:add(tests):run()
local second = torch.Tester()
second:add(function() second:asserteq(calls, 2, 'the first run set up both its tests') end,
           'counted')
second:run()
"""


def test_a_later_run_sees_what_the_earlier_runs_did(tmp_path):
    # as the plain file runs: the second Tester checks the first run's two _setUp calls
    p = write(tmp_path, "test_counting.lua", COUNTING_RUNS)
    _, _, text = run(p, jobs=1)
    assert lines(text) == ["PASS a [run 1]", "PASS b [run 1]", "PASS counted [run 2]",
                           "3 passed, 0 failed"]


def test_a_missing_file_fails():
    _, nfail, text = run("/nonexistent/test.lua", jobs=1)
    assert nfail == 1 and lines(text)[-1] == "0 passed, 1 failed"


def test_th_parity_dispatches_suite(tmp_path, capsys):
    p = write(tmp_path, "test.lua", ENTRY_FILE)
    assert parity.main(["--suite", str(p), "--only", "one", "-j", "1"]) == 0
    assert capsys.readouterr().out.strip().splitlines() == ["PASS one", "1 passed, 0 failed"]


def test_exact_patterns_match_only_their_name():
    import re

    from torch7py.tester import _lua_pattern
    pat = suite.lua_pattern_exact("max_torch.DoubleTensor(1)")
    rx = re.compile(_lua_pattern(pat))
    assert rx.search("max_torch.DoubleTensor(1)")
    assert not rx.search("max_torchXDoubleTensor(1)")
    assert not rx.search("xmax_torch.DoubleTensor(1)")


FILE_STATE = """
local mytester
local uses = 0  -- the file's own state: every test must find it as the load left it
local tests = torch.TestSuite()
function tests.first() uses = uses + 1; mytester:asserteq(uses, 1, 'fresh state') end
function tests.second() uses = uses + 1; mytester:asserteq(uses, 1, 'fresh state') end
function tests.third() uses = uses + 1; mytester:asserteq(uses, 1, 'fresh state') end
function torch.test(names)
   mytester = torch.Tester()
   mytester:add(tests)
   mytester:run(names)
   return mytester
end
"""


def test_each_test_starts_from_the_loaded_file_in_the_same_worker(tmp_path):
    # one worker serves all three tests: none sees what another did to the file's locals
    p = write(tmp_path, "test.lua", FILE_STATE)
    for fresh in (False, True):
        _, _, text = run(p, jobs=1, fresh=fresh)
        assert lines(text) == ["PASS first", "PASS second", "PASS third",
                               "3 passed, 0 failed"]


HANG_PID = """
local tester = torch.Tester()
tester:add(function()
   local f = io.open('/proc/self/stat'); local pid = f:read('*n'); f:close()
   f = io.open('pid.txt', 'w'); f:write(tostring(pid)); f:close()
   while true do end
end, 'spins')
tester:add(function() tester:assert(true) end, 'after')
tester:run()
"""


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_a_timed_out_test_leaves_no_process_behind(tmp_path):
    p = write(tmp_path, "test_spin.lua", HANG_PID)
    _, _, text = run(p, jobs=1, timeout=5)
    assert "FAIL spins: timed out after 5 s" in text and "PASS after" in text
    pid = int((tmp_path / "pid.txt").read_text())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


FUNCTION_FILE = """
local tester = torch.Tester()
tester:add(function()
   local f = torch.load(%r)
   tester:asserteq(f(1), 4, 'the closure read back')
end, 'closure')
tester:run()
"""


def test_th_parity_suite_allow_functions(tmp_path, capsys, monkeypatch):
    # loading a function is refused by default; --allow-functions lets the tests load them,
    # in the worker processes too
    monkeypatch.setenv("TORCH7PY_ALLOW_FUNCTIONS", "0")
    # the closure is written by another run: bytecode a run dumped itself loads back in that run
    saved = tmp_path / "closure.t7"
    subprocess.run([sys.executable, "-m", "compat.th", "-e",
                    "local k = 3; torch.save(%r, function(x) return x + k end)" % str(saved)],
                   check=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT))
    p = write(tmp_path, "test.lua", FUNCTION_FILE % str(saved))
    assert parity.main(["--suite", str(p), "-j", "1"]) == 1
    assert capsys.readouterr().out.strip().splitlines()[-1] == "0 passed, 1 failed"
    assert parity.main(["--suite", str(p), "-j", "1", "--allow-functions", "--fresh"]) == 0
    assert capsys.readouterr().out.strip().splitlines() == ["PASS closure",
                                                            "1 passed, 0 failed"]


def test_th_parity_suite_flags_need_suite():
    with pytest.raises(SystemExit):
        parity.main(["--allow-functions", "cases", "goldens"])
