"""Every legacy script of ../shared/parity/scripts run through `th` and compared, byte for byte,
with what the original Torch7's th printed (NAME.out) and its exit status (NAME.rc); scripts
listed in scripts_known_differences.txt are expected to differ (xfail), and a listed script that
passes fails its test so that the list only shrinks."""
import os

import pytest

pytest.importorskip("lupa")

from compat import scripts  # noqa: E402
from compat.parity import format_verdict  # noqa: E402
from golden import read_known_list  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PARITY = os.environ.get("TORCH7PY_PARITY") or os.path.normpath(
    os.path.join(os.path.dirname(HERE), "..", "shared", "parity"))
SCRIPTS = os.path.join(PARITY, "scripts")
KNOWN = os.path.join(HERE, "scripts_known_differences.txt")


def known_differences(path=KNOWN):
    """{name: reason} from the known-differences file."""
    return read_known_list(path)


# a reason that starts so marks a script whose output depends on pairs() order of string keys:
# lupa's LuaJIT seeds its string hash per run (LUAJIT_SECURITY_STRHASH), beta2 did not
VARIES = "varies by run:"

NAMES = scripts.list_scripts(SCRIPTS) if os.path.isdir(SCRIPTS) else []


@pytest.fixture(scope="module")
def verdicts():
    return {v["name"]: v for v in scripts.run_scripts(SCRIPTS)}


def _judge(name, v, known=None):
    known = known_differences() if known is None else known
    text = format_verdict(v)
    if name in known:
        if v["passed"] and known[name].startswith(VARIES):
            return  # its output depends on this LuaJIT's per-run hash seed: may pass by chance
        if v["passed"]:
            pytest.fail("%s passes but is listed in scripts_known_differences.txt: remove it"
                        % name)
        pytest.xfail(known[name] or text)
    assert v["passed"], text


@pytest.mark.skipif(bool(NAMES), reason="the scripts folder exists")
def test_scripts_folder_missing():
    pytest.skip("no legacy scripts: %s is missing (the oracle lives in ../shared/parity)"
                % SCRIPTS)


@pytest.mark.parametrize("name", NAMES)
def test_legacy_script(name, verdicts):
    _judge(name, verdicts[name])


def test_known_differences_name_real_scripts():
    if not NAMES:
        pytest.skip("no legacy scripts")
    stale = sorted(set(known_differences()) - set(NAMES))
    assert not stale, "scripts_known_differences.txt lists unknown scripts: %s" % stale


def test_the_runner_compares_stdout_bytes_and_exit_status(tmp_path, capsys):
    from compat.parity import main
    d = tmp_path
    cases = {
        # name: (script, recorded stdout, recorded status, args)
        "a_same": ("print('hi', 1)", b"hi\t1\t\n", 0, None),
        "b_args": ("print(#arg, arg[1], arg[2])", b"2\t-x\t'q'\t\n", 0, "-x 'q'\n"),
        "c_bytes": ("io.write('a\\r')", b"a\n", 0, None),
        "d_status": ("print('x') os.exit(3)", b"x\t\n", 3, None),
        "e_wrongrc": ("error('boom')", b"", 0, None),
        "f_stderr": ("io.stderr:write('noise') io.write(os.getenv('COLUMNS') or 'none')",
                     b"none", 0, None),
        "g_loop": ("while true do end", b"", 0, None),
    }
    for name, (code, out, rc, args) in cases.items():
        (d / (name + ".lua")).write_text(code + "\n")
        (d / (name + ".out")).write_bytes(out)
        (d / (name + ".rc")).write_text("%d\n" % rc)
        if args:
            (d / (name + ".args")).write_text(args)
    (d / "z_unrecorded.lua").write_text("print(1)\n")  # no .out: not a script of the oracle
    os.environ["COLUMNS"] = "33"
    try:
        status = main(["--scripts", str(d), "--timeout", "5", "-j", "2"])
    finally:
        del os.environ["COLUMNS"]
    lines = capsys.readouterr().out.strip().splitlines()
    assert status == 1
    by = {ln.split()[1].rstrip(":"): ln for ln in lines[:-1]}
    assert sorted(by) == sorted(cases)
    assert by["a_same"] == "PASS a_same"
    assert by["b_args"] == "PASS b_args"  # split on blanks as $(cat NAME.args), quotes kept
    assert by["c_bytes"] == "FAIL c_bytes: stdout line 1: got 'a\\r', want 'a'"
    assert by["d_status"] == "PASS d_status"
    assert by["e_wrongrc"] == "FAIL e_wrongrc: exit status 1 != 0"
    assert by["f_stderr"] == "PASS f_stderr"  # stderr ignored, COLUMNS unset
    assert by["g_loop"] == "FAIL g_loop: timed out after 5 s"
    assert lines[-1] == "4 passed, 3 failed"


def test_known_differences_list_only_shrinks(tmp_path):
    listed = tmp_path / "known.txt"
    listed.write_text("# comment\nscript_a  colours\n\nscript_b\n")
    known = known_differences(str(listed))
    assert known == {"script_a": "colours", "script_b": ""}
    passing = {"name": "script_a", "passed": True, "differences": [], "error": None}
    failing = {"name": "script_a", "passed": False, "differences": ["exit status 1 != 0"],
               "error": None}
    with pytest.raises(pytest.fail.Exception, match="remove it"):
        _judge("script_a", passing, known)
    with pytest.raises(pytest.xfail.Exception, match="colours"):
        _judge("script_a", failing, known)
    with pytest.raises(AssertionError, match="exit status 1 != 0"):
        _judge("script_a", failing, {})
    _judge("script_a", passing, {})


def test_a_script_that_varies_by_run_may_pass():
    passing = {"name": "s", "passed": True, "differences": [], "error": None}
    _judge("s", passing, {"s": VARIES + " pairs() order"})
    failing = dict(passing, passed=False, differences=["stdout line 2: got 'a', want 'b'"])
    with pytest.raises(pytest.xfail.Exception):
        _judge("s", failing, {"s": VARIES + " pairs() order"})
