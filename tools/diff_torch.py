"""Differential checker: Torch7's and optim's own Lua code, run in our `th` on our tensors, as
the oracle for torch7py's Python ports of that code (printing, Tensor.lua's shape functions,
File.lua's writeObject, CmdLine, optim).

    python tools/diff_torch.py --torch7 /path/to/torch7 --optim /path/to/optim [--areas ...]

Each original file is loaded into its own environment (a fresh `optim` table, a `torch` table
whose metatables collect Tensor.lua's functions), so none of our methods is replaced; both
versions are called on the same random inputs and their outputs (values bit for bit, printed
strings, bytes written, error messages without their file:line prefix) are compared.
Nothing of the original code is copied: the paths are read at run time.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LUA_DIR = os.path.join(HERE, "diff_torch_lua")
AREAS = ("print", "tensor", "file", "cmdline", "optim", "confusion", "logger", "tester")


def tensor_diff(a, b):
    """None when two tensors (or storages) are the same type, geometry and bits; else why."""
    import numpy as np
    from torch7py.storage import Storage
    ta, tb = type(a).__name__, type(b).__name__
    if ta != tb:
        return "type %s vs %s" % (ta, tb)
    if isinstance(a, Storage):
        na, nb = a.numpy(), b.numpy()
    else:
        if list(a.size()) != list(b.size()):
            return "size %s vs %s" % (list(a.size()), list(b.size()))
        if list(a.stride()) != list(b.stride()):
            return "stride %s vs %s" % (list(a.stride()), list(b.stride()))
        if a.storageOffset() != b.storageOffset():
            return "storageOffset %d vs %d" % (a.storageOffset(), b.storageOffset())
        na, nb = a.numpy(), b.numpy()
    ba = np.ascontiguousarray(na).tobytes()
    bb = np.ascontiguousarray(nb).tobytes()
    if ba != bb:
        fa, fb = na.ravel(), nb.ravel()
        for i in range(min(len(fa), len(fb))):
            if np.asarray(fa[i]).tobytes() != np.asarray(fb[i]).tobytes():
                return "element %d (0-based, row-major): %r vs %r" % (i, fa[i], fb[i])
        return "values differ"
    return None


def c_format(fmt, *args):
    """C's sprintf for the checker's originals: the LuaJIT under lupa formats %f of numbers
    below ~1e-150 wrongly (string.format('%f', 1e-200) gives digits), glibc does not."""
    return fmt % tuple(args)


def make_capture(rt):
    """capture(f): run the Lua function f with Python's stdout/stderr captured; returns what
    was written to each and the os.exit code (or None) that Python code asked for."""
    import io

    def capture(f):
        out, err = io.StringIO(), io.StringIO()
        old = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        try:
            f()
        except Exception:
            # os.exit passes through pcall as in Torch7 (C's exit): the exit it left pending
            # is the call's result, read below; anything else is the checker's own failure
            if rt.pending_exit is None:
                raise
        finally:
            sys.stdout, sys.stderr = old
        code = None
        if rt.pending_exit is not None:
            code = rt.pending_exit.code
            rt.pending_exit = None
        return out.getvalue(), err.getvalue(), code
    return capture


class Report:
    """Counts per function and the differences per mechanism (the Lua driver reports here)."""

    def __init__(self, show):
        self.show = show
        self.functions = {}
        self.mechanisms = {}

    def call(self, fname):
        self.functions.setdefault(fname, {"calls": 0, "diffs": 0})["calls"] += 1

    def diff(self, fname, mech, text):
        self.functions.setdefault(fname, {"calls": 0, "diffs": 0})["diffs"] += 1
        m = self.mechanisms.setdefault(mech, {"count": 0, "examples": []})
        m["count"] += 1
        if len(m["examples"]) < self.show:
            m["examples"].append("%s: %s" % (fname, text))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--torch7", default="/work/ext/torch7", help="a torch7 checkout")
    p.add_argument("--optim", default="/work/ext/optim", help="an optim checkout")
    p.add_argument("--areas", nargs="*", default=list(AREAS), choices=AREAS)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--n", type=int, default=300, help="random inputs per function")
    p.add_argument("--show", type=int, default=3, help="examples shown per mechanism")
    p.add_argument("--json", help="write the summary and every difference here")
    args = p.parse_args(argv)
    sys.path.insert(0, os.path.dirname(HERE))
    import warnings
    warnings.simplefilter("ignore")  # casts that overflow are wanted inputs here
    from compat.runtime import LuaRuntime
    report = Report(args.show)
    rt = LuaRuntime(argv=[], script=None)
    rt.enable_trepl()
    g = rt.globals
    g.DIFF = rt.to_lua({
        "torch7": os.path.abspath(args.torch7), "optim": os.path.abspath(args.optim),
        "dir": LUA_DIR, "seed": args.seed, "n": args.n, "show": args.show,
        "areas": list(args.areas), "tensor_diff": tensor_diff, "c_format": c_format,
        "call": report.call, "diff": report.diff, "capture": make_capture(rt),
        "PyTester": __import__("torch7py.tester", fromlist=["Tester"]).Tester})
    with open(os.path.join(LUA_DIR, "driver.lua")) as fh:
        code = fh.read()
    rt.execute(code, "@" + os.path.join(LUA_DIR, "driver.lua"))
    total_calls = sum(r["calls"] for r in report.functions.values())
    total_diffs = sum(r["diffs"] for r in report.functions.values())
    print("%-32s %8s %8s" % ("function", "calls", "diffs"))
    for name in sorted(report.functions):
        r = report.functions[name]
        print("%-32s %8d %8d" % (name, r["calls"], r["diffs"]))
    print("%d functions, %d calls compared, %d differences" % (
        len(report.functions), total_calls, total_diffs))
    for mech, r in sorted(report.mechanisms.items()):
        print("\n== %s: %d differences" % (mech, r["count"]))
        for ex in r["examples"]:
            print("-- " + ex.replace("\n", "\n   "))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"functions": report.functions, "mechanisms": report.mechanisms},
                      fh, indent=1)
    return 1 if total_diffs else 0


if __name__ == "__main__":
    sys.exit(main())
