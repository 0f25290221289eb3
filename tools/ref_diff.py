"""Run Lua scripts under our `th` and under a reference `th` (a local build of the original
Torch7) and report, per script, whether they print the same.

    tools/ref_diff.py --ref /path/to/original/bin/th a.lua b.lua DIR ...
    TORCH7_REF_TH=/path/to/original/bin/th tools/ref_diff.py DIR

A DIR stands for its `*.lua` files (sorted, not recursive).  Each script runs the way the
oracle's scripts were recorded (../shared/parity/scripts/README.md): in its own folder, as
`th NAME.lua ARGS` where ARGS is the one line of `NAME.args` if that file exists, stdout
captured, stderr thrown away, `COLUMNS` removed from the environment.  A script is
*identical* when both exit statuses are equal and both stdouts are equal after the
normalisation below; otherwise the report shows both statuses and a unified diff of stdout.
The run ends with the line `N identical, M different`; the exit status is 0 when M is 0.

Normalised, because it must be (and nothing else: trailing tabs, `\\r`, colour codes and a
missing final newline all count):
- memory addresses `0x` + 6 to 16 hex digits become `ADDR` (tostring of tables, functions,
  userdata differ from run to run in the original too);
- the ` at /PATH/FILE.c:LINE` that the original's C code (TH, THNN, torch7's generic/*.c)
  appends to its error messages is removed: PATH is where that copy was built, and the
  recorded goldens and torch7py print the message without it.  --keep-c-suffix keeps it.
"""
import argparse
import difflib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from beta2_diff import ROOT, mask_addresses, run  # noqa: E402

# THError/THArgCheck: "%s at %s:%d" with __FILE__ of the C source (inside an argument
# error's parentheses it comes before the ')')
C_SUFFIX = re.compile(r" at /[^ \n]*\.c:[0-9]+")


def strip_c_suffix(text):
    return C_SUFFIX.sub("", text)


def make_normaliser(keep_c_suffix=False):
    if keep_c_suffix:
        return mask_addresses
    return lambda text: strip_c_suffix(mask_addresses(text))


def our_th():
    venv_th = os.path.join(os.path.dirname(sys.executable), "th")
    return venv_th if os.path.exists(venv_th) else "th"


def collect(paths):
    out = []
    for p in paths:
        p = os.path.abspath(p)
        if os.path.isdir(p):
            out.extend(os.path.join(p, f) for f in sorted(os.listdir(p)) if f.endswith(".lua"))
        else:
            out.append(p)
    return out


def script_args(path):
    argfile = path[:-4] + ".args" if path.endswith(".lua") else path + ".args"
    if os.path.exists(argfile):
        with open(argfile) as f:
            return f.read().split()
    return []


def run_one(th, path, timeout, norm):
    """(stdout normalised, exit status or 'timeout') of `th NAME.lua ARGS` in the script's
    folder."""
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    env.setdefault("PYTHONPATH", ROOT)
    try:
        return run([th], os.path.basename(path), timeout=timeout, args=script_args(path),
                   norm=norm, env=env, errors="surrogateescape",
                   cwd=os.path.dirname(path))
    except subprocess.TimeoutExpired:
        return "", "timeout"


def compare(ref_th, our, path, timeout=120, norm=None):
    """(identical?, report text) for one script."""
    norm = norm or make_normaliser()
    ref_out, ref_rc = run_one(ref_th, path, timeout, norm)
    our_out, our_rc = run_one(our, path, timeout, norm)
    if ref_out == our_out and ref_rc == our_rc:
        return True, "identical: %s\n" % path
    lines = ["different: %s (exit status: reference %s, ours %s)\n" % (path, ref_rc, our_rc)]
    lines.extend(difflib.unified_diff(ref_out.splitlines(True), our_out.splitlines(True),
                                      "reference/" + os.path.basename(path),
                                      "ours/" + os.path.basename(path)))
    if lines[-1] and not lines[-1].endswith("\n"):
        lines.append("\n")
    return False, "".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ref", default=os.environ.get("TORCH7_REF_TH"),
                    help="the reference th (default: $TORCH7_REF_TH)")
    ap.add_argument("--th", default=None, help="our th (default: the one beside this Python)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per script and th")
    ap.add_argument("--keep-c-suffix", action="store_true",
                    help="do not remove ' at /PATH/FILE.c:LINE' from the outputs")
    ap.add_argument("--quiet", action="store_true", help="print only the different ones")
    ap.add_argument("paths", nargs="+", help="Lua scripts or folders of them")
    args = ap.parse_args(argv)
    if not args.ref:
        ap.error("no reference th: give --ref or set TORCH7_REF_TH")
    norm = make_normaliser(args.keep_c_suffix)
    our = args.th or our_th()
    same = diff = 0
    for path in collect(args.paths):
        ok, text = compare(args.ref, our, path, args.timeout, norm)
        if ok:
            same += 1
            if args.quiet:
                continue
        else:
            diff += 1
        out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
        if out is not None:
            sys.stdout.flush()
            out.write(text.encode("utf-8", "surrogateescape"))
            out.flush()
        else:
            sys.stdout.write(text)
    print("%d identical, %d different" % (same, diff))
    return 0 if diff == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
