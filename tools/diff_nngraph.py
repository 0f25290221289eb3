"""Differential checker: torch7py's nngraph against the original graph + nngraph Lua sources.

nngraph and graph are pure Lua over torch and nn: the original files, run in our th on our
tensors and our nn, compute what Torch7 computed. This runs every scenario of
tools/diff_nngraph_cases.lua twice from the same seed, once with a user's checkouts of nngraph
and graph loaded in place of ours (tools/diff_nngraph_load.lua; never copied into this
repository) and once with ours, each in its own th process (the original's init.lua rewrites
nn.Module's __call__), then each side loads the files the other saved, and compares, bit for
bit: values, gradients and parameters, node ids and orders, labels, dot text, tostring, error
texts (their file:line locations left out) and torch.save's bytes (binary and ascii).

    python tools/diff_nngraph.py /path/to/nngraph [/path/to/graph] [--only PATTERNS] [-v]

--only: the cases whose names match one of these comma-separated Lua patterns.

graph defaults to the nngraph checkout's sibling `graph`. Exit status 1 when a difference was
found.
"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0 if argv else 2
    only, verbose, pos = "", False, []
    i = 0
    while i < len(argv):
        if argv[i] == "--only":
            only = argv[i + 1]
            i += 1
        elif argv[i] == "-v":
            verbose = True
        else:
            pos.append(argv[i])
        i += 1
    ngdir = os.path.abspath(pos[0])
    gdir = os.path.abspath(pos[1]) if len(pos) > 1 else os.path.join(os.path.dirname(ngdir),
                                                                     "graph")
    for d, f, what in ((ngdir, "gmodule.lua", "an nngraph"), (gdir, "Edge.lua", "a graph")):
        if not os.path.exists(os.path.join(d, f)):
            sys.stderr.write("diff_nngraph: %s is not %s checkout (no %s)\n" % (d, what, f))
            return 2
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    script = os.path.join(HERE, "diff_nngraph.lua")
    keep = os.environ.get("DIFF_NNGRAPH_KEEP")  # a folder that keeps the records and files
    with tempfile.TemporaryDirectory(prefix="diff_nngraph") as tmp:
        out = os.path.abspath(keep) if keep else tmp
        os.makedirs(out, exist_ok=True)
        def th(mode, side, *extra):
            cmd = [sys.executable, "-m", "compat.th", script, mode, side, ngdir, gdir, out,
                   only] + list(extra)
            p = subprocess.run(cmd, capture_output=True, text=True, errors="backslashreplace",
                               check=False, env=env, cwd=out)
            if p.returncode != 0:
                sys.stdout.write(p.stdout + p.stderr)
                raise SystemExit("diff_nngraph: th %s %s failed" % (mode, side))
            return p.stdout
        for mode in ("run", "cross"):
            for side in ("orig", "ours"):
                th(mode, side)
        report = th("compare", "-", *(["-v"] if verbose else []))
    sys.stdout.write(report)
    return 1 if any(line.startswith("DIFF ") for line in report.splitlines()) else 0


if __name__ == "__main__":
    sys.exit(main())
