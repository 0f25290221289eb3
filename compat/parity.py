"""The Lua-parity harness: runs Torch7 Lua cases through the Lua layer and compares their
results with goldens by the rules of ../shared/parity/PROTOCOL.md (`th-parity`)."""
import argparse
import json
import os
import select
import subprocess
import sys
import time

from . import blas_env, protocol
from .protocol import MAX_DIFFS, bit_counts, compare, number, number_key  # noqa: F401  (compare: fixtures)

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 60.0


# -- encoding a case's results (PROTOCOL.md "Golden JSON"; the value rules in protocol.py) -------
def encode_value(rt, v, depth=0):
    """The protocol's JSON value for a Lua value of runtime rt (as lupa hands it to Python)."""
    if depth > 100:
        raise ValueError("results nest deeper than 100 levels (a cycle?)")
    tv = type(v)
    if tv is bool:
        return v
    if tv is int:
        return v
    if tv is float:
        return number(v)
    if tv is str:
        return v
    if tv is bytes:
        return v.decode("utf-8", "surrogateescape")
    if tv is rt._TableType:
        items = list(v.items())
        if not items:
            return {}
        keys = [k for k, _ in items]
        n = len(keys)
        if all(type(k) is int for k in keys) and set(keys) == set(range(1, n + 1)):
            return [encode_value(rt, v[i], depth + 1) for i in range(1, n + 1)]
        out = {}
        for k, x in items:
            key = k if isinstance(k, str) else (
                number_key(k) if isinstance(k, (int, float)) else str(k))
            out[key] = encode_value(rt, x, depth + 1)
        return out
    if tv is rt._UserdataType:
        o = rt._pyobj[v]
        if o is not None:
            return encode_object(rt, o.o)
        return {"object": "userdata"}
    if tv is rt._FunctionType:
        return {"object": "function"}
    if v is None:
        return None
    return encode_object(rt, v)


def encode_object(rt, o):
    return protocol.encode_object(o, lambda x: rt.typename_of(x) or "userdata")


# -- running one case in this process ------------------------------------------------------------
def run_case(casedir, name):
    """Run casedir/NAME.lua in a fresh runtime; {'results': encoded} or {'error': message}.
    The BLAS build is the one the shared cases' goldens were recorded with ("plain", see
    torch7py.numerics.blas_loops) unless TORCH7PY_BLAS_LOOPS names one."""
    from torch7py import numerics
    from .runtime import LuaError, LuaRuntime, lua_message
    old = os.getcwd()
    old_loops = numerics.blas_loops(os.environ.get(numerics.BLAS_LOOPS_ENV) or "plain")
    rt = None
    try:
        os.chdir(casedir)
        rt = LuaRuntime(script=name + ".lua")
        rt._p_reset()
        try:
            res = rt.dofile(name + ".lua")
        except LuaError as e:
            return {"error": str(e.args[0]) if e.args else lua_message(e)}
        except SystemExit as e:
            return {"error": "%s.lua: the case called os.exit(%s)" % (name, e.code)}
        if type(res) is not rt._TableType:
            # named at the chunk's last line, where it returned (or ran off its end)
            with open(name + ".lua", "rb") as f:
                lines = f.read().rstrip().count(b"\n") + 1
            return {"error": "%s.lua:%d: the case returned no table (got %s)"
                             % (name, lines, rt.globals.torch.type(res))}
        return {"results": encode_value(rt, res)}
    except Exception as e:  # a failure of the layer itself: report, keep going
        return {"error": "%s: %s" % (type(e).__name__, e)}
    finally:
        os.chdir(old)
        numerics.blas_loops(old_loops)
        if rt is not None:  # the next case in this worker gets the classes unchanged
            rt.undo_class_edits()


def encode_py(rt, v):
    """The protocol's JSON value for a Python result of a fixture twin (lists 0-based)."""
    return protocol.encode(v, lambda x: rt.typename_of(x) or "userdata")


def run_twin(fixdir, name):
    """Run the Python twin fixdir/NAME.py (its run()); {'results': encoded} or {'error'}."""
    import importlib.util
    import traceback
    from .runtime import LuaRuntime
    old = os.getcwd()
    try:
        os.chdir(fixdir)
        rt = LuaRuntime()
        rt._p_reset()
        spec = importlib.util.spec_from_file_location("lua_fixture_" + name,
                                                      os.path.join(fixdir, name + ".py"))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        res = mod.run()
        if not isinstance(res, dict):
            return {"error": "%s.py: run() returned %s, not a dict" % (name, type(res).__name__)}
        return {"results": encode_py(rt, res)}
    except Exception as e:
        tb = traceback.extract_tb(e.__traceback__)
        where = ["%s:%d" % (os.path.basename(f.filename), f.lineno) for f in tb
                 if f.filename.endswith(name + ".py")]
        return {"error": "%s%s: %s" % (where[-1] + ": " if where else "", type(e).__name__, e)}
    finally:
        os.chdir(old)


def verdict(name, out, goldendir):
    """{'name', 'passed', 'differences', 'error'} for one case's output."""
    v = {"name": name, "passed": False, "differences": [], "error": None}
    if "error" in out:
        v["error"] = out["error"]
        return v
    gpath = os.path.join(goldendir, name + ".json")
    try:
        with open(gpath, encoding="utf-8") as f:
            golden = json.load(f)
    except OSError:
        v["error"] = "no golden %s" % gpath
        return v
    diffs = compare(out["results"], golden.get("results"), name, [])
    v["differences"] = diffs
    v["passed"] = not diffs
    v["bits"] = bit_counts(out["results"], golden.get("results"))
    return v


def format_bits(verdicts):
    """--bits: the cases whose float and double values are not all the golden's bit for bit
    (the paths and how many values each), then the total."""
    lines = []
    compared = identical = whole = 0
    for v in verdicts:
        b = v.get("bits")
        if not b:
            continue
        compared += b["compared"]
        identical += b["identical"]
        if b["identical"] == b["compared"]:
            whole += 1
            continue
        paths = sorted(b["paths"].items(), key=lambda kv: -kv[1])
        lines.append("bits %s: %d of %d values differ (%s%s)" % (
            v["name"], b["compared"] - b["identical"], b["compared"],
            ", ".join("%s %d" % kv for kv in paths[:6]), ", ..." if len(paths) > 6 else ""))
    lines.append("bit-identical: %d of %d float and double values; %d of %d cases entirely"
                 % (identical, compared, whole, sum(1 for v in verdicts if v.get("bits"))))
    return lines


# -- a pool of worker processes -------------------------------------------------------------------
def worker_streams(keep_stderr_var):
    """In a worker process: (the protocol's output, its requests), the process's own stdin,
    stdout (and stderr unless $keep_stderr_var is 1) sent to /dev/null so that what the cases
    print or read never mixes with the protocol."""
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)  # a case that reads stdin reads nothing, not the requests
    os.dup2(devnull, 1)
    if os.environ.get(keep_stderr_var) != "1":
        os.dup2(devnull, 2)
    sys.stdout = open(os.devnull, "w")
    return proto, requests


def _worker():
    """Serve run_case requests: one JSON line in on stdin, one JSON line out on the original
    stdout; the cases' own output goes to /dev/null."""
    proto, requests = worker_streams("TH_PARITY_KEEP_STDERR")
    import compat.runtime  # noqa: F401  (import before the first request, off the clock)
    for line in requests:
        req = json.loads(line)
        if req.get("twin"):
            out = {"lua": run_case(req["casedir"], req["name"]),
                   "py": run_twin(req["casedir"], req["name"])}
        else:
            out = run_case(req["casedir"], req["name"])
        proto.write(json.dumps(out) + "\n")
        proto.flush()


class WorkerProcess:
    """A `python -m MODULE --worker` child that answers one JSON line per JSON request line."""

    def __init__(self, module):
        env = dict(os.environ)
        env["PYTHONPATH"] = _ROOT + os.pathsep + env.get("PYTHONPATH", "")
        self.p = subprocess.Popen([sys.executable, "-m", module, "--worker"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                  cwd=_ROOT)
        self.start = None
        self.buf = b""

    def send_request(self, req):
        self.start = time.monotonic()
        self.p.stdin.write((json.dumps(req) + "\n").encode())
        self.p.stdin.flush()

    def kill(self):
        try:
            self.p.kill()
            self.p.wait(5)
        except Exception:  # noqa: BLE001
            pass

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(10)
        except Exception:  # noqa: BLE001
            self.kill()


class _Worker(WorkerProcess):
    def __init__(self):
        super().__init__("compat.parity")
        self.name = None

    def send(self, casedir, name, twin=False):
        self.name = name
        self.send_request({"casedir": casedir, "name": name, "twin": twin})


def run_cases(casedir, names, jobs=None, timeout=TIMEOUT, twin=False):
    """Run the named cases of casedir in a pool of worker processes; {name: output}."""
    casedir = os.path.abspath(casedir)
    jobs = max(1, min(jobs or min(4, os.cpu_count() or 1), len(names) or 1))
    todo = list(names)
    results = {}
    workers = []
    try:
        while todo or any(w.name for w in workers):
            while len(workers) < jobs and todo:
                workers.append(_Worker())
            for w in workers:
                if w.name is None and todo:
                    w.send(casedir, todo.pop(0), twin)
            busy = [w for w in workers if w.name]
            if not busy:
                continue
            now = time.monotonic()
            wait = max(0.0, min(w.start + timeout - now for w in busy))
            ready, _, _ = select.select([w.p.stdout for w in busy], [], [], wait)
            for w in busy:
                if w.p.stdout in ready:
                    chunk = os.read(w.p.stdout.fileno(), 1 << 20)
                    if not chunk:
                        code = w.p.wait()
                        results[w.name] = {"error": "the case crashed the Lua layer "
                                                    "(worker exit status %s)" % code}
                        w.name = None
                        workers.remove(w)
                        continue
                    w.buf += chunk
                    if b"\n" in w.buf:
                        line, w.buf = w.buf.split(b"\n", 1)
                        results[w.name] = json.loads(line)
                        w.name = None
                elif time.monotonic() - w.start > timeout:
                    results[w.name] = {"error": "timed out after %g s" % timeout}
                    w.kill()
                    w.name = None
                    workers.remove(w)
    finally:
        for w in workers:
            w.close()
    return results


def list_cases(casedir, only=None):
    names = sorted(f[:-4] for f in os.listdir(casedir) if f.endswith(".lua"))
    if only:
        names = [n for n in names if any(n.startswith(p) for p in only)]
    return names


def run_suite(casedir, goldendir, only=None, jobs=None, timeout=TIMEOUT):
    """Run and judge every case; a list of verdicts in name order."""
    names = list_cases(casedir, only)
    outs = run_cases(casedir, names, jobs, timeout)
    return [verdict(n, outs[n], goldendir) for n in names]


def format_verdict(v):
    if v["passed"]:
        return "PASS %s" % v["name"]
    if v["error"]:
        err = v["error"].strip().splitlines()
        return "FAIL %s: %s" % (v["name"], err[0] if err else "error")
    return "FAIL %s: %s" % (v["name"], "; ".join(v["differences"][:3]))


def write_known(path, verdicts):
    """A known-failures file (`name  reason`) listing the cases that failed in verdicts."""
    lines = ["# Parity cases that do not pass yet: `case_name  reason` (first difference or "
             "error).",
             "# A listed case that passes fails its test: remove it from this list.",
             "# Regenerate: th-parity ../shared/parity/cases ../shared/parity/goldens "
             "--write-known tests/parity_known_failures.txt"]
    for v in verdicts:
        if not v["passed"]:
            reason = format_verdict(v).split(": ", 1)[-1]
            lines.append("%s  %s" % (v["name"], reason[:200]))
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(prog="th-parity", description=__doc__)
    ap.add_argument("casedir", nargs="?")
    ap.add_argument("goldendir", nargs="?")
    ap.add_argument("--only", nargs="+", metavar="PREFIX", help="run the cases with these prefixes")
    ap.add_argument("--json", metavar="OUT", help="write per-case verdicts and differences")
    ap.add_argument("-j", "--jobs", type=int, default=None, help="worker processes")
    ap.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds per case")
    ap.add_argument("--twins", metavar="FIXDIR", help="run lua_fixtures: each NAME.lua against "
                    "its NAME.py twin and goldens/NAME.json")
    ap.add_argument("--write-known", metavar="FILE", help="write the failing cases and their "
                    "first difference or error as a known-failures file")
    ap.add_argument("--suite", metavar="PATH", help="run a Torch7 test file (test.lua) test by "
                    "test, each in a fresh runtime (--only NAME prefixes, --timeout per test)")
    ap.add_argument("--allow-functions", action="store_true", help="with --suite: let the "
                    "tests load Lua functions (as TORCH7PY_ALLOW_FUNCTIONS=1): Torch7's "
                    "test_writeObject.lua reads back the closures it writes")
    ap.add_argument("--fresh", action="store_true", help="with --suite: a new process for "
                    "every test")
    ap.add_argument("--scripts", metavar="DIR", help="run the legacy scripts of DIR through th "
                    "and compare stdout and exit status with NAME.out and NAME.rc")
    ap.add_argument("--bits", action="store_true", help="also count the float and double "
                    "values that are not the golden's bit for bit (the tolerances allow them)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if not (a.suite or a.scripts):
        # the cases' goldens: the original's Haswell build, LAPACK included (--scripts and
        # --suite run th, which asks for its own mode's set)
        blas_env.request_blas_kernels("plain")
    if a.worker:
        _worker()
        return 0
    if (a.allow_functions or a.fresh) and not a.suite:
        ap.error("--allow-functions and --fresh go with --suite")
    if a.suite:
        from .suite import run_suite as run_test_file
        if a.allow_functions:
            os.environ["TORCH7PY_ALLOW_FUNCTIONS"] = "1"  # the workers inherit it
        _, nfail = run_test_file(a.suite, a.only, a.jobs, a.timeout, a.fresh)
        return 1 if nfail else 0
    if a.scripts:
        if not os.path.isdir(a.scripts):
            ap.error("no such directory: %s" % a.scripts)
        from .scripts import run_scripts
        verdicts = run_scripts(a.scripts, only=a.only, jobs=a.jobs, timeout=a.timeout)
    elif a.twins:
        if not os.path.isdir(a.twins):
            ap.error("no such directory: %s" % a.twins)
        from .fixtures import run_twins
        verdicts = run_twins(a.twins, only=a.only, jobs=a.jobs, timeout=a.timeout)
    else:
        if not a.casedir or not a.goldendir:
            ap.error("CASEDIR and GOLDENDIR are required")
        for d in (a.casedir, a.goldendir):
            if not os.path.isdir(d):
                ap.error("no such directory: %s" % d)
        verdicts = run_suite(a.casedir, a.goldendir, a.only, a.jobs, a.timeout)
    for v in verdicts:
        print(format_verdict(v), flush=True)
    npass = sum(v["passed"] for v in verdicts)
    nfail = len(verdicts) - npass
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"passed": npass, "failed": nfail,
                       "cases": {v["name"]: v for v in verdicts}}, f, indent=1)
    if a.write_known:
        write_known(a.write_known, verdicts)
    if a.bits:
        for line in format_bits(verdicts):
            print(line)
    print("%d passed, %d failed" % (npass, nfail))
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
