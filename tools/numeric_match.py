"""Count how many numbers printed by the legacy scripts match the original Torch7's exactly.

Runs each ../shared/parity/scripts/NAME.lua through `th` (in a scratch copy of the folder, with
its NAME.args), takes the numeric tokens of our stdout and of NAME.out, aligns the two token
lists (difflib, so a missing line shifts nothing) and reports per script: the reference's
numbers, how many we printed identically, and how many of the rest agree to 1e-6 relative.

Run: python tools/numeric_match.py [--scripts DIR] [--only PREFIX] [--json OUT]
"""
import argparse
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SCRIPTS = os.path.join(os.path.dirname(ROOT), "shared", "parity", "scripts")
if not os.path.isdir(DEFAULT_SCRIPTS):
    DEFAULT_SCRIPTS = "/work/shared/parity/scripts"

# a number as Lua's %.14g, %f, %e and tensor printing write it (a leading sign kept)
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)\b")


def numbers(text):
    return NUMBER.findall(text)


def close(a, b, rel=1e-6):
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return x == y or abs(x - y) <= rel * max(abs(x), abs(y))


def compare(ours, ref):
    """(reference count, exact matches, close-but-not-exact, list of (ours, ref) that differ)."""
    a, b = numbers(ours), numbers(ref)
    exact = near = 0
    diffs = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            exact += i2 - i1
        elif tag == "replace":
            for x, y in zip(a[i1:i2], b[j1:j2]):
                if close(x, y):
                    near += 1
                diffs.append((x, y))
    return len(b), exact, near, diffs


def run_script(name, src, work, th_cmd, timeout):
    args = []
    if os.path.exists(os.path.join(src, name + ".args")):
        with open(os.path.join(src, name + ".args")) as f:
            args = f.read().split()
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    try:
        p = subprocess.run(th_cmd + [name + ".lua"] + args, cwd=work, env=env, timeout=timeout,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return p.stdout.decode("utf-8", "surrogateescape")
    except subprocess.TimeoutExpired as e:
        return (e.stdout or b"").decode("utf-8", "surrogateescape")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scripts", default=DEFAULT_SCRIPTS)
    ap.add_argument("--only", default="")
    ap.add_argument("--json")
    ap.add_argument("--show", type=int, default=3, help="differing pairs shown per script")
    ap.add_argument("--timeout", type=float, default=120)
    opts = ap.parse_args(argv)
    th_cmd = [sys.executable, "-m", "compat.th"]
    names = sorted(f[:-4] for f in os.listdir(opts.scripts)
                   if f.endswith(".lua") and f.startswith(opts.only)
                   and os.path.exists(os.path.join(opts.scripts, f[:-4] + ".out")))
    report = {}
    tot = [0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "scripts")
        shutil.copytree(opts.scripts, work)
        for name in names:
            with open(os.path.join(opts.scripts, name + ".out"), encoding="utf-8",
                      errors="surrogateescape") as f:
                ref = f.read()
            ours = run_script(name, opts.scripts, work, th_cmd, opts.timeout)
            n, exact, near, diffs = compare(ours, ref)
            report[name] = {"numbers": n, "exact": exact, "close": near, "diffs": diffs}
            tot[0] += n
            tot[1] += exact
            tot[2] += near
            if n:
                line = "%-22s %5d numbers  %5d exact  %4d close" % (name, n, exact, near)
                shown = ", ".join("%s != %s" % d for d in diffs[:opts.show])
                print(line + ("   " + shown if shown else ""))
    print("TOTAL %d numbers: %d exact (%.2f%%), %d more within 1e-6 relative"
          % (tot[0], tot[1], 100.0 * tot[1] / max(tot[0], 1), tot[2]))
    if opts.json:
        with open(opts.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
