"""lua_fixtures/: each NAME.lua (a Torch7 script) run through the Lua layer against its Python
twin NAME.py (run() through torch7py's Python API), and against goldens/NAME.json if present."""
import os

from . import parity
from .protocol import compare


def list_fixtures(fixdir, only=None):
    names = sorted(f[:-4] for f in os.listdir(fixdir)
                   if f.endswith(".lua") and os.path.exists(os.path.join(fixdir, f[:-4] + ".py")))
    if only:
        names = [n for n in names if any(n.startswith(p) for p in only)]
    return names


def twin_verdict(name, out, goldendir):
    """Lua vs Python twin (Lua taken as the reference), then each against the golden."""
    v = {"name": name, "passed": False, "differences": [], "error": None}
    lua, py = out.get("lua", out), out.get("py", {"error": "no Python result"})
    errs = ["lua: " + lua["error"]] if "error" in lua else []
    errs += ["py: " + py["error"]] if "error" in py else []
    if errs:
        v["error"] = "; ".join(e.strip().splitlines()[0] for e in errs)
        return v
    diffs = compare(py["results"], lua["results"], "py-vs-lua:" + name, [])
    gpath = os.path.join(goldendir, name + ".json")
    if os.path.exists(gpath):
        import json
        with open(gpath, encoding="utf-8") as f:
            golden = json.load(f).get("results")
        diffs += compare(lua["results"], golden, "golden:" + name, [])
    v["differences"] = diffs
    v["passed"] = not diffs
    return v


def run_twins(fixdir, only=None, jobs=None, timeout=parity.TIMEOUT):
    fixdir = os.path.abspath(fixdir)
    names = list_fixtures(fixdir, only)
    outs = parity.run_cases(fixdir, names, jobs, timeout, twin=True)
    goldendir = os.path.join(fixdir, "goldens")
    return [twin_verdict(n, outs[n], goldendir) for n in names]
