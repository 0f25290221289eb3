"""Element access and small calls from Lua loops (bench_elemloops.lua), under our th and the
original's in the same run: µs of CPU time an iteration (best and worst of the rounds), and the
ratio of the bests.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/bench_elemloops.py
        [--ref /tmp/ref7/bin/th] [--rounds 5] [--scale 1]

Numbers are reported, never asserted.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRIPT = os.path.join(HERE, "bench_elemloops.lua")


def run(cmd, env):
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
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
    args = ap.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    env.pop("OPENBLAS_CORETYPE", None)
    env["PYTHONPATH"] = ROOT
    a = [SCRIPT, str(args.rounds), str(args.scale)]
    ours = run([sys.executable, "-m", "compat.th"] + a, env)
    ref = run([args.ref] + a, env) if os.path.exists(args.ref) else {}
    print("%-36s %21s %21s %7s" % ("µs an iteration", "ours best..worst", "original best..worst",
                                   "ratio"))
    for name, (b, w) in ours.items():
        rb, rw = ref.get(name, (float("nan"), float("nan")))
        print("%-36s %10.4f..%-10.4f %10.4f..%-10.4f %7.2f" % (name, b, w, rb, rw, b / rb))


if __name__ == "__main__":
    main()
