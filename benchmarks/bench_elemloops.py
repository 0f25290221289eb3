"""Element access and small calls from Lua loops (bench_elemloops.lua), under our th and the
original's in the same run: µs of CPU time an iteration (best and worst of the rounds), and the
ratio of the bests.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_elemloops.py
        [--ref /tmp/ref7/bin/th] [--rounds 5] [--scale 1] [--before CHECKOUT]

--before: also our th from another checkout (its root: what a change was measured against).

Numbers are reported, never asserted.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRIPT = os.path.join(HERE, "bench_elemloops.lua")


def run(cmd, env, cwd=None):
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True,
                         cwd=cwd).stdout
    rows = {}
    for line in out.splitlines():
        name, best, worst = line[:36].strip(), *line[36:].split()
        rows[name] = (float(best), float(worst))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default="/tmp/ref7/bin/th")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--scale", type=float, default=1)
    ap.add_argument("--before", default=None)
    args = ap.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    env.pop("OPENBLAS_CORETYPE", None)
    env["PYTHONPATH"] = ROOT
    a = [SCRIPT, str(args.rounds), str(args.scale)]
    ours = run([sys.executable, "-m", "compat.th"] + a, env, ROOT)
    before = {}
    if args.before:
        root = os.path.abspath(args.before)
        before = run([sys.executable, "-m", "compat.th"] + a, dict(env, PYTHONPATH=root), root)
    ref = run([args.ref] + a, env) if os.path.exists(args.ref) else {}
    nan = (float("nan"), float("nan"))
    head = "%-36s" % "µs an iteration (best..worst)"
    if before:
        head += " %20s" % "before"
    print(head + " %20s %20s %7s" % ("ours", "original", "ratio"))
    for name, (b, w) in ours.items():
        rb, rw = ref.get(name, nan)
        line = "%-36s" % name
        if before:
            line += " %9.4f..%-9.4f" % before.get(name, nan)
        print(line + " %9.4f..%-9.4f %9.4f..%-9.4f %7.2f" % (b, w, rb, rw, b / rb))


if __name__ == "__main__":
    main()
