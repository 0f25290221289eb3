"""torch.Tester in Lua scripts behaves as Torch7's Tester.lua: Torch7's own test_Tester.lua
passes through th, the report goes through the script's io.write, failures show the test's
traceback line, and a failing run is an error of run()."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH7_TEST = "/work/ext/torch7/test/test_Tester.lua"


@pytest.mark.skipif(not os.path.exists(TORCH7_TEST), reason="Torch7's sources are not here")
def test_torch7s_own_tester_tests_pass_through_th():
    r = subprocess.run([sys.executable, "-m", "compat.th", os.path.basename(TORCH7_TEST)],
                       cwd=os.path.dirname(TORCH7_TEST), capture_output=True, text=True,
                       timeout=120, env=dict(os.environ, PYTHONPATH=ROOT))
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "Completed 930 asserts in 33 tests with \x1b[0;32m0 failures\x1b[0m and " \
           "\x1b[0;32m0 errors\x1b[0m" in r.stdout


def test_the_report_goes_through_io_write_and_names_the_failing_line():
    got = LuaRuntime(script="t.lua").execute("""
        local out = {}
        io.write = function(...) for _, s in ipairs({...}) do out[#out + 1] = s end end
        local tester = torch.Tester()
        tester:add(function()
           tester:eq(1, 2, 'one is two')
        end, 'numbers')
        local ok, err = pcall(tester.run, tester)
        return table.concat(out), ok, err
    """)
    text, ok, err = got
    assert ok is False and err.endswith("An error was found while running tests!")
    esc = "\x1b[0;36m1/1 \x1b[0mnumbers " + "." * 61 + " ["
    assert text.startswith("Running 1 test\n" + esc + "\x1b[0;36mWAIT\x1b[0m]\r" + esc
                           + "\x1b[0;31mFAIL\x1b[0m]\n")
    assert "numbers\none is two\nEQ failed: 1 ~= 2\nstack traceback:\n\t(command line):6: in " \
           "function <(command line):5>\n" in text
    assert "Completed 1 assert in 1 test with \x1b[0;31m1 failure\x1b[0m and " \
           "\x1b[0;32m0 errors\x1b[0m\n" in text


def test_test_suite_refuses_a_name_twice_and_tables():
    rt = LuaRuntime()
    ok, msg = rt.execute("local s = torch.TestSuite() s.a = function() end "
                         "return pcall(function() s.a = function() end end)")
    assert ok is False and msg.endswith("Test a is already defined.")
    ok, msg = rt.execute("local s = torch.TestSuite() "
                         "return pcall(function() s.b = {} end)")
    assert ok is False and msg.endswith("Nested tables of tests are not supported")
    assert rt.execute("return torch.type(torch.Tester())") == "torch.Tester"
