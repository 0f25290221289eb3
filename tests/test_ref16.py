"""tools/ref_diff.py: our th against a reference th, per script.  The two th's here are small
shell scripts written by the test (no Torch7 needed); what they print is chosen so that each
expectation follows by hand from the tool's documented rules (run in the script's folder as
`th NAME.lua ARGS`, stderr dropped, COLUMNS unset, only addresses and the C-source suffix
normalised)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "tools", "ref_diff.py")

# both th's print where they run, what they were given and whether COLUMNS reached them,
# a table address (always a different one) and an error message; the reference adds the
# " at FILE.c:LINE" of the original's C code. Per script name:
#   tab.lua: ours drops the trailing tab of one line; rc.lua: the reference exits 3
REF = r"""#!/bin/sh
echo "cwd=$(basename "$PWD") script=$1 args=$2,$3 cols=${COLUMNS-unset}"
printf 'table: 0x55d0c0ffee10\t\n'
echo "bad argument #2 to '?' (out of range at /tmp/b/src/torch7/generic/Tensor.c:913)"
echo "size mismatch, m1: [2 x 3], m2: [4 x 5] at /tmp/b/src/torch7/lib/TH/generic/THTensorMath.c:1293"
echo "stderr is not compared $$" >&2
[ "$1" = rc.lua ] && exit 3
exit 0
"""

OURS = r"""#!/bin/sh
echo "cwd=$(basename "$PWD") script=$1 args=$2,$3 cols=${COLUMNS-unset}"
if [ "$1" = tab.lua ]; then printf 'table: 0x7f00deadbeef\n'; else printf 'table: 0x7f00deadbeef\t\n'; fi
echo "bad argument #2 to '?' (out of range)"
echo "size mismatch, m1: [2 x 3], m2: [4 x 5]"
echo "something else on stderr" >&2
exit 0
"""


def _setup(tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name, text in (("ref_th", REF), ("our_th", OURS)):
        p = bindir / name
        p.write_text(text)
        p.chmod(0o755)
    sdir = tmp_path / "scripts"
    sdir.mkdir()
    for name in ("same", "tab", "rc"):
        (sdir / (name + ".lua")).write_text("print('unused by the fake th')\n")
    (sdir / "same.args").write_text("-lr 0.5\n")
    (sdir / "notes.txt").write_text("not a script\n")
    return bindir, sdir


def _run(args, env_extra=None):
    env = dict(os.environ)
    env["COLUMNS"] = "33"
    env.pop("TORCH7_REF_TH", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, TOOL] + args, capture_output=True, text=True,
                          env=env)


def test_reports_each_script_and_the_counts(tmp_path):
    bindir, sdir = _setup(tmp_path)
    r = _run(["--ref", str(bindir / "ref_th"), "--th", str(bindir / "our_th"), str(sdir)])
    assert r.returncode == 1
    out = r.stdout
    lines = out.split("\n")
    # a folder stands for its .lua files, sorted: rc, same, tab
    heads = [ln for ln in lines if ln.startswith(("identical:", "different:"))]
    assert heads == [
        "different: %s (exit status: reference 3, ours 0)" % (sdir / "rc.lua"),
        "identical: %s" % (sdir / "same.lua"),
        "different: %s (exit status: reference 0, ours 0)" % (sdir / "tab.lua"),
    ]
    assert lines[-2:] == ["1 identical, 2 different", ""]
    # tab.lua's only difference is the trailing tab: it is not normalised away
    tab_part = out[out.index("different: %s" % (sdir / "tab.lua")):]
    assert "-table: ADDR\t\n+table: ADDR\n" in tab_part
    assert "--- reference/tab.lua\n+++ ours/tab.lua\n" in tab_part
    # rc.lua prints the same: the exit status alone makes it different, with no diff lines
    rc_part = out[:out.index("identical:")]
    assert "---" not in rc_part


def test_runs_like_the_oracle_scripts_were_recorded(tmp_path):
    bindir, sdir = _setup(tmp_path)
    # the reference against itself shows what it was given: the script's folder, its
    # relative name, the .args words, no COLUMNS (the test sets COLUMNS=33)
    ref = str(bindir / "ref_th")
    r = _run(["--ref", ref, "--th", str(bindir / "our_th"), str(sdir / "same.lua")])
    assert r.returncode == 0, r.stdout
    assert r.stdout == "identical: %s\n1 identical, 0 different\n" % (sdir / "same.lua")
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    try:
        import ref_diff
    finally:
        sys.path.pop(0)
    os.environ["COLUMNS"] = "33"
    try:
        out, rc = ref_diff.run_one(ref, str(sdir / "same.lua"), 30, ref_diff.make_normaliser())
    finally:
        del os.environ["COLUMNS"]
    assert rc == 0
    assert out == ("cwd=scripts script=same.lua args=-lr,0.5 cols=unset\n"
                   "table: ADDR\t\n"
                   "bad argument #2 to '?' (out of range)\n"
                   "size mismatch, m1: [2 x 3], m2: [4 x 5]\n")


def test_reference_from_the_environment_and_the_c_suffix_switch(tmp_path):
    bindir, sdir = _setup(tmp_path)
    env = {"TORCH7_REF_TH": str(bindir / "ref_th")}
    r = _run(["--th", str(bindir / "our_th"), str(sdir / "same.lua")], env)
    assert r.returncode == 0 and r.stdout.endswith("1 identical, 0 different\n")
    # keeping the C-source suffix, the two error lines differ (and nothing else)
    r = _run(["--th", str(bindir / "our_th"), "--keep-c-suffix", str(sdir / "same.lua")], env)
    assert r.returncode == 1
    minus = [ln for ln in r.stdout.split("\n") if ln.startswith("-") and not ln.startswith("---")]
    assert minus == [
        "-bad argument #2 to '?' (out of range at /tmp/b/src/torch7/generic/Tensor.c:913)",
        "-size mismatch, m1: [2 x 3], m2: [4 x 5] at "
        "/tmp/b/src/torch7/lib/TH/generic/THTensorMath.c:1293",
    ]
    assert r.stdout.endswith("0 identical, 1 different\n")


def test_without_a_reference_it_says_how_to_give_one(tmp_path):
    r = _run([str(tmp_path)])
    assert r.returncode == 2
    assert "no reference th: give --ref or set TORCH7_REF_TH" in r.stderr
