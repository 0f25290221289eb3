"""Torch7's test suites as the repositories' CI runs them (issue 11): `th -ltorch -e
"t=torch.test()"`, `th -lnn -e "nn.test{'Name'}"`. torch/init.lua and nn/init.lua end with
require('torch.test') / require('nn.test'), the modules a Torch7 install holds; torch7py ships
no test file, so torch.test, nn.test and nn.testTHNN load their module along package.path when
first called. Test modules written here stand for the real files; the expected reports are
spelled out from Tester.lua's formats (torch7's Tester.lua: _run, _report) and trepl's th (an
-e statement that errs is printed, status 0; a script that errs ends with status 1)."""
import os
import subprocess
import sys

import pytest

pytest.importorskip("lupa")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CYAN, GREEN, RED, NONE = "\x1b[0;36m", "\x1b[0;32m", "\x1b[0;31m", "\x1b[0m"

TORCH_TEST = """
local mytester
local tests = torch.TestSuite()
function tests.good() mytester:assert(true, 'fine') mytester:eq(2, 2, 'two') end
function tests.bad() mytester:asserteq(1, 2, 'one is not two') end
function torch.test(names)
   mytester = torch.Tester()
   mytester:add(tests)
   mytester:run(names)
   return mytester
end
"""

NN_TEST = """
local mytester = torch.Tester()
local nntest = torch.TestSuite()
function nntest.Linear()
   local m = nn.Linear(3, 2)
   mytester:eq(m:forward(torch.zeros(3)), m.bias, 'a zero input gives the bias')
end
mytester:add(nntest)
function nn.test(tests, seed)
   local seed = seed or (1e5 * torch.tic())
   print('Seed: ', seed)
   math.randomseed(seed)
   torch.manualSeed(seed)
   mytester:run(tests)
   return mytester
end
function nn.testTHNN(tests, seed)
   return nn.test(tests, seed)
end
"""


def _th(args, cwd, lua_path=None):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("LUA_PATH", None)
    if lua_path is not None:
        env["LUA_PATH"] = lua_path + "/?.lua;;"
    r = subprocess.run([sys.executable, "-m", "compat.th"] + args, cwd=cwd, env=env,
                       capture_output=True, timeout=120)
    # bytes decoded by hand: text mode would turn the report's \r into \n
    r.stdout, r.stderr = r.stdout.decode(), r.stderr.decode()
    return r


@pytest.fixture
def modules(tmp_path):
    """A folder laid out as a Torch7 install's share/lua/5.1: torch/test.lua, nn/test.lua."""
    (tmp_path / "torch").mkdir()
    (tmp_path / "torch" / "test.lua").write_text(TORCH_TEST)
    (tmp_path / "nn").mkdir()
    (tmp_path / "nn" / "test.lua").write_text(NN_TEST)
    return str(tmp_path)


def _line(i, n, name, result, colour):
    """Tester:_run's line for test i of n: the WAIT form, \\r, then the result."""
    digits = len(str(n))
    head = CYAN + "%*d/%d " % (digits, i, n) + NONE + name + " " \
        + "." * (80 - 6 - 2 - (digits * 2 + 2) - len(name)) + " "
    return head + "[" + CYAN + "WAIT" + NONE + "]\r" + head + "[" + colour + result + NONE + "]\n"


def test_torch_test_loads_the_module_on_package_path_and_reports(modules, tmp_path):
    r = _th(["-ltorch", "-e", "t = torch.test{'good'}; print(#t.errors)"], str(tmp_path),
            modules)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("Running 1 test\n" + _line(1, 1, "good", "PASS", GREEN)
                        + "Completed 2 asserts in 1 test with " + GREEN + "0 failures" + NONE
                        + " and " + GREEN + "0 errors" + NONE + "\n0\t\n")


def test_a_failing_test_is_an_error_of_run_printed_by_th_e_with_status_0(modules, tmp_path):
    # trepl's th: pcall(statement); on error print(res) and return (status 0), so the CI's
    # `if t.errors[1] then os.exit(1) end` is never reached
    r = _th(["-ltorch", "-e", "t = torch.test{'bad'}; if t.errors[1] then os.exit(1) end"],
            str(tmp_path), modules)
    assert r.returncode == 0
    dashes = "-" * 80 + "\n"
    report = ("Running 1 test\n" + _line(1, 1, "bad", "FAIL", RED)
              + "Completed 1 assert in 1 test with " + RED + "1 failure" + NONE + " and "
              + GREEN + "0 errors" + NONE + "\n" + dashes + "bad\none is not two\n"
              + "EQ failed: 1 ~= 2\nstack traceback:\n")
    assert r.stdout.startswith(report), r.stdout
    assert r.stdout.endswith("An error was found while running tests!\t\n")


def test_a_script_whose_tests_fail_ends_with_status_1(modules, tmp_path):
    (tmp_path / "run.lua").write_text("require 'torch.test'\ntorch.test()\nprint('after')\n")
    r = _th(["run.lua"], str(tmp_path), modules)
    assert r.returncode == 1
    assert "Completed 3 asserts in 2 tests with " + RED + "1 failure" + NONE in r.stdout
    assert "after" not in r.stdout


def test_nn_test_with_a_list_of_names_and_a_seed(modules, tmp_path):
    r = _th(["-lnn", "-e", "print(nn.test); t = nn.test({'Lin'}, 123); "
             "print(nn.test == t and 'same' or 'replaced', t.countasserts); "
             "nn.testTHNN('Linear', 5)"], str(tmp_path), modules)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")
    assert lines[0].startswith("function: ")
    assert lines[1] == "Seed: \t123\t"
    one = "Running 1 test\n" + _line(1, 1, "Linear", "PASS", GREEN)
    assert "\n" + one + "Completed 1 assert in 1 test" in r.stdout
    assert "\nreplaced\t1\t\nSeed: \t5\t\n" + one in r.stdout


def test_the_entries_without_their_files(tmp_path):
    # torch.test, nn.test and nn.testTHNN are fields of the packages (pairs lists them) and
    # say where their file goes; without cunn, nn.testcuda is nil as in the original
    r = _th(["-lnn", "-e", "local n = 0 for k in pairs(torch) do if k == 'test' then n = n + 1 "
             "end end for k in pairs(nn) do if k == 'test' or k == 'testTHNN' then n = n + 1 "
             "end end print(n, type(torch.test), type(nn.test), nn.testcuda) "
             "print(select(2, pcall(torch.test))) print(select(2, pcall(nn.testTHNN))) "
             "nn.testcuda()"], str(tmp_path))
    assert r.returncode == 0
    lines = r.stdout.split("\n")
    assert lines[0] == "3\tfunction\tfunction\tnil\t"
    assert lines[1] == ("module 'torch.test' not found (torch7py ships no test files: put "
                        "torch7's test/test.lua on package.path as torch/test.lua)\t")
    assert lines[2] == ("module 'nn.test' not found (torch7py ships no test files: put nn's "
                        "test.lua on package.path as nn/test.lua)\t")
    assert lines[3].endswith(":1: attempt to call field 'testcuda' (a nil value)\t")
