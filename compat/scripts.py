"""The legacy-scripts oracle runner (`th-parity --scripts DIR`): runs each NAME.lua of
../shared/parity/scripts through `th` as its README says (from that folder, with NAME.args,
stdout only, COLUMNS unset, a fresh process each, a time limit) and compares stdout byte for
byte with NAME.out and the exit status with NAME.rc."""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 60.0


def list_scripts(scriptdir, only=None):
    """The scripts of scriptdir that have a recorded stdout, in name order."""
    names = sorted(f[:-4] for f in os.listdir(scriptdir) if f.endswith(".lua")
                   and os.path.exists(os.path.join(scriptdir, f[:-4] + ".out")))
    if only:
        names = [n for n in names if any(n.startswith(p) for p in only)]
    return names


def script_args(scriptdir, name):
    """NAME.args split as the shell splits `$(cat NAME.args)` (words on blanks, quotes kept)."""
    p = os.path.join(scriptdir, name + ".args")
    if not os.path.exists(p):
        return []
    with open(p, encoding="utf-8") as f:
        return f.read().split()


def run_script(scriptdir, name, timeout=TIMEOUT):
    """Run one script in a fresh `th`; {'stdout': bytes, 'rc': int} or {'error': message}."""
    env = dict(os.environ)
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env["PYTHONPATH"] = _ROOT + os.pathsep + env.get("PYTHONPATH", "")
    cmd = [sys.executable, "-m", "compat.th", name + ".lua"] + script_args(scriptdir, name)
    try:
        r = subprocess.run(cmd, cwd=scriptdir, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": "timed out after %g s" % timeout}
    return {"stdout": r.stdout, "rc": r.returncode}


def first_difference(got, want):
    """'line N: got ... want ...' for the first line where two outputs differ."""
    g, w = got.split(b"\n"), want.split(b"\n")
    for i in range(max(len(g), len(w))):
        a = g[i] if i < len(g) else None
        b = w[i] if i < len(w) else None
        if a != b:
            return "line %d: got %s, want %s" % (
                i + 1, "<end>" if a is None else repr(a)[1:][:100],
                "<end>" if b is None else repr(b)[1:][:100])
    return "same lines"


def verdict(scriptdir, name, out):
    """{'name', 'passed', 'differences', 'error'} for one script's run."""
    v = {"name": name, "passed": False, "differences": [], "error": None}
    if "error" in out:
        v["error"] = out["error"]
        return v
    with open(os.path.join(scriptdir, name + ".out"), "rb") as f:
        want = f.read()
    rc_path = os.path.join(scriptdir, name + ".rc")
    want_rc = 0
    if os.path.exists(rc_path):
        with open(rc_path, encoding="utf-8") as f:
            want_rc = int(f.read().strip() or 0)
    if out["stdout"] != want:
        v["differences"].append("stdout " + first_difference(out["stdout"], want))
    if out["rc"] != want_rc:
        v["differences"].append("exit status %d != %d" % (out["rc"], want_rc))
    v["passed"] = not v["differences"]
    return v


def run_scripts(scriptdir, only=None, jobs=None, timeout=TIMEOUT):
    """Run and judge every script of scriptdir; a list of verdicts in name order."""
    scriptdir = os.path.abspath(scriptdir)
    names = list_scripts(scriptdir, only)
    jobs = max(1, jobs or min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(jobs) as pool:
        outs = list(pool.map(lambda n: run_script(scriptdir, n, timeout), names))
    return [verdict(scriptdir, n, o) for n, o in zip(names, outs)]


if __name__ == "__main__":
    from .parity import main
    sys.exit(main(["--scripts"] + sys.argv[1:]))
