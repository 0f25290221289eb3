"""Every Lua case of ../shared/parity run through the Lua layer and compared with the goldens of
the original Torch7; cases listed in parity_known_failures.txt are expected to fail (xfail), and
a listed case that passes fails its test so that the list only shrinks."""
import os

import pytest

pytest.importorskip("lupa")

from compat import fixtures, parity  # noqa: E402
from golden import read_known_list  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PARITY = os.environ.get("TORCH7PY_PARITY") or os.path.normpath(
    os.path.join(os.path.dirname(HERE), "..", "shared", "parity"))
CASES = os.path.join(PARITY, "cases")
GOLDENS = os.path.join(PARITY, "goldens")
KNOWN = os.path.join(HERE, "parity_known_failures.txt")
FIXTURES = os.path.join(os.path.dirname(HERE), "lua_fixtures")


def known_failures(path=KNOWN):
    """{name: reason} from the known-failures file."""
    return read_known_list(path)


NAMES = parity.list_cases(CASES) if os.path.isdir(CASES) else []
FIXTURE_NAMES = fixtures.list_fixtures(FIXTURES)


@pytest.fixture(scope="module")
def verdicts():
    return {v["name"]: v for v in parity.run_suite(CASES, GOLDENS)}


@pytest.fixture(scope="module")
def twin_verdicts():
    return {v["name"]: v for v in fixtures.run_twins(FIXTURES)}


def _judge(name, v, known=None):
    known = known_failures() if known is None else known
    text = parity.format_verdict(v)
    if name in known:
        if v["passed"]:
            pytest.fail("%s passes but is listed in parity_known_failures.txt: remove it" % name)
        pytest.xfail(known[name] or text)
    assert v["passed"], text + ("\n" + v["error"] if v.get("error") else "")


@pytest.mark.skipif(bool(NAMES), reason="the parity folder exists")
def test_parity_folder_missing():
    pytest.skip("no parity cases: %s is missing (the oracle lives in ../shared/parity)" % CASES)


@pytest.mark.parametrize("name", NAMES)
def test_parity_case(name, verdicts):
    _judge(name, verdicts[name])


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_lua_fixture(name, twin_verdicts):
    """lua_fixtures/NAME.lua through the Lua layer == NAME.py through the Python API."""
    _judge(name, twin_verdicts[name])


def test_known_failures_name_real_cases():
    if not NAMES:
        pytest.skip("no parity cases")
    stale = sorted(set(known_failures()) - set(NAMES) - set(FIXTURE_NAMES))
    assert not stale, "parity_known_failures.txt lists unknown cases: %s" % stale


BAD_CASES = {
    "a_good": "return {x = 1, t = torch.Tensor({1, 2})}",
    "b_syntax": "local x = = 1\nreturn {}",
    "c_runtime": "local t = {}\nlocal y = t.a.b\nreturn {}",
    "d_missing": "require 'cunn'\nreturn {}",
    "e_notable": "return 42",
    "f_loop": "while true do end",
    "g_exit": "os.exit(3)",
    "h_wrong": "return {x = 2, t = torch.Tensor({1, 2.5}), extra = true}",
    "i_stdin": "local l = io.read('*l')\nprint('noise')\nreturn {x = 1, t = torch.Tensor({1, 2}), "
               "l = l == nil}",
}


def test_harness_reports_bad_cases_and_goes_on(tmp_path, capsys):
    cases, goldens = tmp_path / "cases", tmp_path / "goldens"
    cases.mkdir()
    goldens.mkdir()
    golden = ('{"case": "%s", "results": {"x": 1, "t": {"tensor": "torch.DoubleTensor", '
              '"size": [2], "stride": [1], "offset": 1, "data": [1, 2]}}}')
    for name, code in BAD_CASES.items():
        (cases / (name + ".lua")).write_text(code + "\n")
        (goldens / (name + ".json")).write_text(golden % name)
    status = parity.main([str(cases), str(goldens), "--timeout", "8", "-j", "2",
                          "--json", str(tmp_path / "v.json")])
    lines = capsys.readouterr().out.strip().splitlines()
    assert status == 1
    assert lines[-1] == "1 passed, 8 failed"
    by = {ln.split()[1].rstrip(":"): ln for ln in lines[:-1]}
    assert by["a_good"] == "PASS a_good"
    assert "b_syntax.lua:1:" in by["b_syntax"]
    assert "c_runtime.lua:2:" in by["c_runtime"]
    assert "d_missing.lua:1: module 'cunn' not found" in by["d_missing"]
    assert by["e_notable"] == "FAIL e_notable: e_notable.lua:1: the case returned no table " \
        "(got number)"
    assert "timed out" in by["f_loop"]
    assert "os.exit(3)" in by["g_exit"]
    assert "h_wrong.t.data[2]: 2.5 != 2" in by["h_wrong"]
    assert "h_wrong.x: 2 != 1" in by["h_wrong"] and "h_wrong.extra: unexpected" in by["h_wrong"]
    assert by["i_stdin"] == "FAIL i_stdin: i_stdin.l: unexpected true"  # read nothing, went on
    import json
    v = json.loads((tmp_path / "v.json").read_text())
    assert v["passed"] == 1 and v["cases"]["h_wrong"]["passed"] is False


def test_compare_tolerances():
    d = []
    parity.compare(1.0 + 1e-8, 1.0, "p", d)  # |a - b| <= 1e-12 + 1e-9 |b| fails
    assert d == ["p: 1.00000001 != 1"]
    d = []
    parity.compare(1.0 + 1e-10, 1.0, "p", d)
    assert d == []
    f = {"tensor": "torch.FloatTensor", "size": [1], "stride": [1], "offset": 1}
    d = []
    parity.compare(dict(f, data=[1.000001]), dict(f, data=[1.0]), "p", d)
    assert d == []
    d = []
    parity.compare(dict(f, data=[1.0001]), dict(f, data=[1.0]), "p", d)
    assert d == ["p.data[1]: 1.0001 != 1"]
    d = []
    parity.compare({"num": "nan"}, {"num": "nan"}, "p", d)
    parity.compare(True, 1, "q", d)
    assert d == ["q: true != 1"]


def test_known_failures_list_only_shrinks(tmp_path):
    listed = tmp_path / "known.txt"
    listed.write_text("# comment\ncase_a  size mismatch at x\n\ncase_b\n")
    known = known_failures(str(listed))
    assert known == {"case_a": "size mismatch at x", "case_b": ""}
    passing = {"name": "case_a", "passed": True, "differences": [], "error": None}
    failing = {"name": "case_a", "passed": False, "differences": ["case_a.x: 1 != 2"],
               "error": None}
    with pytest.raises(pytest.fail.Exception, match="remove it"):
        _judge("case_a", passing, known)
    with pytest.raises(pytest.xfail.Exception, match="size mismatch at x"):
        _judge("case_a", failing, known)
    with pytest.raises(AssertionError, match="case_a.x: 1 != 2"):
        _judge("case_a", failing, {})
    _judge("case_a", passing, {})


def test_only_runs_the_cases_with_those_prefixes(tmp_path, capsys):
    cases, goldens = tmp_path / "cases", tmp_path / "goldens"
    cases.mkdir()
    goldens.mkdir()
    for name, code in (("math_a", "return {x = 1}"), ("math_b", "return {x = 2}"),
                       ("nn_a", "return {x = 1}"), ("tensor_a", "error('not run')")):
        (cases / (name + ".lua")).write_text(code + "\n")
        (goldens / (name + ".json")).write_text('{"case": "%s", "results": {"x": 1}}' % name)
    status = parity.main([str(cases), str(goldens), "--only", "math_", "nn", "-j", "1"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert status == 1
    assert lines == ["PASS math_a", "FAIL math_b: math_b.x: 2 != 1", "PASS nn_a",
                     "2 passed, 1 failed"]
    assert parity.TIMEOUT == 60.0  # the per-case limit


def test_twins_compare_lua_with_python_and_with_a_golden(tmp_path, capsys):
    fix = tmp_path / "fix"
    (fix / "goldens").mkdir(parents=True)
    twins = {
        "a_agree": ("return {t = torch.Tensor({1, 2}), n = 3}",
                    "import torch7py as torch\ndef run():\n"
                    "    return {'t': torch.Tensor([1, 2]), 'n': 3}\n"),
        "b_differ": ("return {n = 3, s = 'x'}", "def run():\n    return {'n': 4, 's': 'x'}\n"),
        "c_pyerror": ("return {n = 1}", "def run():\n    x = 1\n    return {'n': x / 0}\n"),
        "d_golden": ("return {n = 1}", "def run():\n    return {'n': 1}\n"),
        "e_luaerror": ("local t = nil\nreturn {n = t.x}", "def run():\n    return {'n': 1}\n"),
    }
    for name, (lua, py) in twins.items():
        (fix / (name + ".lua")).write_text(lua + "\n")
        (fix / (name + ".py")).write_text(py)
    (fix / "goldens" / "d_golden.json").write_text('{"case": "d_golden", "results": {"n": 2}}')
    (fix / "lonely.lua").write_text("return {}\n")  # no twin: not a fixture
    status = parity.main(["--twins", str(fix), "-j", "2"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert status == 1
    assert lines[0] == "PASS a_agree"
    assert lines[1] == "FAIL b_differ: py-vs-lua:b_differ.n: 4 != 3"
    assert lines[2].startswith("FAIL c_pyerror: py: c_pyerror.py:3: ZeroDivisionError")
    assert lines[3] == "FAIL d_golden: golden:d_golden.n: 1 != 2"
    assert lines[4].startswith("FAIL e_luaerror: lua: ") and "e_luaerror.lua:2:" in lines[4]
    assert lines[5] == "1 passed, 4 failed"


def test_a_missing_parity_folder_skips_with_a_message(tmp_path):
    import subprocess
    import sys
    env = dict(os.environ, TORCH7PY_PARITY=str(tmp_path / "nowhere"))
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                        os.path.join(HERE, "test_parity.py"), "-k",
                        "parity_folder_missing or parity_case or name_real_cases"],
                       capture_output=True, text=True, env=env, cwd=os.path.dirname(HERE),
                       timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no parity cases: %s is missing" % (tmp_path / "nowhere" / "cases") in r.stdout
    assert " passed" not in r.stdout.splitlines()[-1]  # nothing ran: all skipped


def test_a_case_that_changes_a_class_leaves_the_next_case_alone(tmp_path, capsys):
    # `function nn.Linear:updateOutput()` changes the Python class for the whole process; the
    # worker undoes it after the case, so the next case (same worker) sees nn as Torch7 would
    cases, goldens = tmp_path / "cases", tmp_path / "goldens"
    cases.mkdir()
    goldens.mkdir()
    (cases / "a_patch.lua").write_text(
        "require 'nn'\nfunction nn.Linear:updateOutput(input) return 'patched' end\n"
        "function nn.Module:testExtra() return 1 end\n"
        "return {out = nn.Linear(1, 1):forward(torch.ones(1))}\n")
    (cases / "b_plain.lua").write_text(
        "require 'nn'\nlocal m = nn.Linear(1, 1)\nm.weight:fill(2)\nm.bias:fill(1)\n"
        "return {out = m:forward(torch.ones(1))[1], extra = nn.Module.testExtra == nil}\n")
    (goldens / "a_patch.json").write_text('{"results": {"out": "patched"}}')
    (goldens / "b_plain.json").write_text('{"results": {"out": 3, "extra": true}}')
    assert parity.main([str(cases), str(goldens), "-j", "1"]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == "2 passed, 0 failed"
