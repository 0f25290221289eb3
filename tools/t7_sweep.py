"""Sweep real-world .t7 files through torch7py: load, print, run, round-trip, export, convert.

    python tools/t7_sweep.py FILE... [--manifest TSV] [--nn /path/to/nn] [--jsonl OUT]
                             [--timeout S] [--markdown]

Files are whatever the user fetched (never part of this repository). `--manifest` reads a
tab-separated list `repo  commit  path-in-repo  size  local-file` instead of FILE arguments,
so the report names where each file came from. Each file runs in its own process (a hang or a
crash stops only that file) through these steps:

1. load in Python (`torch7py.load`, binary then ascii; again with allow_functions and
   unknown_classes='table' where the plain load refuses) and through th (`torch.load`,
   tools/t7_sweep.lua), print it both ways; with `--nn`, th compares each nn object's text with
   the original nn's own __tostring__ run on the same object;
2. for every nn module found (the file's value, or the modules of a checkpoint table): a
   forward in double and in float on a random input of the shape the first layer takes
   (export's guess), `:float()`, `clearState()`, save and reload twice (the bytes of the two
   saves must be equal);
3. export to PyTorch (`torch7py.export.to_pytorch`) and the exporter's own measure of the
   largest difference on random inputs;
4. files with GPU classes (cutorch tensors, cudnn/cunn modules): `t7-convert` to a CPU file,
   which must load with no GPU class left;
5. re-save: the value loaded with GPU names kept (`gpu_types='keep'`), written again in the
   file's format, against the file's own bytes, in Python and under th (`torch.serialize`);
   th also runs a model held at the file's root (`obj:clone():double()`, evaluate, forward on
   a random input of the guessed shape), as a legacy script would.

Each file gives one JSON line (`--jsonl`); `--markdown` prints the table of docs/t7_sweep.md.
"""
import argparse
import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
_GPU_MARKS = (b"torch.Cuda", b"cudnn.", b"nn.DataParallelTable")


def _short(e, n=300):
    s = "%s: %s" % (type(e).__name__, e) if isinstance(e, BaseException) else str(e)
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n] + "..."


def _load_py(path):
    """(value, format, how, notes): the first of binary/b32/ascii that loads (b32: written
    where a C long has 4 bytes); how is 'plain' or 'options' (allow_functions and
    unknown_classes='table' were needed)."""
    import torch7py
    errors = []
    for how, opts in (("plain", {}),
                      ("options", {"allow_functions": True, "unknown_classes": "table"})):
        for fmt in ("binary", "b32", "ascii"):
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err):
                    obj = torch7py.load(path, fmt, **opts)
                return obj, fmt, how, err.getvalue().strip(), errors
            except Exception as e:  # noqa: BLE001 (every failure is a result here)
                errors.append("%s %s: %s" % (how, fmt, _short(e)))
    return None, None, None, "", errors


def _unknown_module(obj):
    """An object of a class torch7py does not define that is an nn module in Torch7 (an nn.
    name, or a module's output/gradInput fields): torch-rnn's nn.LanguageModel, char-rnn's
    OneHot, the rnn package's classes."""
    from torch7py.serialization.objects import TorchObject
    return isinstance(obj, TorchObject) and (
        obj.typename.startswith("nn.") or ("output" in obj and "gradInput" in obj))


def _modules(obj, where="", depth=0, seen=None):
    """(path, module) for the nn modules of a file's value: the value itself, or the modules
    in a checkpoint table (two levels down); an object of a class torch7py does not define
    counts as one module (its parts are not models of their own)."""
    from torch7py.nn.module import Module
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, Module) or _unknown_module(obj):
        return [(where or "<root>", obj)]
    out = []
    if depth < 3 and isinstance(obj, dict):
        for k, v in obj.items():
            out += _modules(v, "%s.%s" % (where, k) if where else str(k), depth + 1, seen)
    elif depth < 3 and isinstance(obj, list):
        for i, v in enumerate(obj):
            out += _modules(v, "%s[%d]" % (where, i + 1), depth + 1, seen)
    return out


def _input_shape(model):
    """(shapes, why): the inputs (batch of 2) a model takes, guessed as t7-to-pytorch does (a
    list of shapes for a model of several inputs; an Index shape is one of indices); None and
    the reason when no guess works."""
    import numpy as np

    from torch7py.export import cli
    probe = model.clone()
    probe.double()
    probe.evaluate()
    cands, why = cli._candidates(probe), []
    found = cli._probe(probe, cands, 2, np.random.default_rng(0), why)
    if found is None:
        why = why[0] if why else ("no layer tells an input shape" if not cands else "?")
        return None, why
    return (found if isinstance(found, list) else [found]), None


def _shape_text(shapes):
    from torch7py.export.cli import shape_text
    return shape_text(shapes)


def _forward(model, shapes, kind):
    import numpy as np

    from torch7py.export import cli
    m = model.clone()
    getattr(m, kind)()
    m.evaluate()
    rng = np.random.default_rng(1)
    xs = [getattr(cli._random_like(s, rng), kind)() for s in shapes]
    y = m.forward(xs[0] if len(xs) == 1 else xs)
    ys = y if isinstance(y, list) else [y]
    arrs = [np.array(t.numpy(), dtype=np.float64) for t in ys]
    if not all(np.isfinite(a).all() for a in arrs):
        return "non-finite output", arrs
    return "ok %s" % "+".join("x".join(map(str, a.shape)) for a in arrs), arrs


def _roundtrip(model):
    """model:float(), clearState(), then save/load/save: the two saves' bytes are equal."""
    import torch7py
    m = model.clone()
    m.float()
    m.clearState()
    a = bytes(torch7py.serialize(m))
    b = bytes(torch7py.serialize(torch7py.deserialize(a, allow_functions=True,
                                                      unknown_classes="table")))
    c = bytes(torch7py.serialize(torch7py.deserialize(b, allow_functions=True,
                                                      unknown_classes="table")))
    if b != c:
        return "bytes differ after a second round trip (%d vs %d bytes)" % (len(b), len(c))
    return "ok (%d bytes)%s" % (len(b), "" if a == b else ", first save differs from its reload")


def _export(model, shape):
    from torch7py.export import cli, to_pytorch
    to_pytorch(model)
    if shape is None:
        return "converts (no input shape to measure)"
    out, grad = cli.measure(model, shape, n=2)
    return "output %.2g, gradInput %s" % (out, "not measured" if grad is None else
                                          "%.2g" % grad)


def _convert(path, fmt):
    import torch7py
    from torch7py.legacy import convert_cli
    from torch7py.serialization.objects import TorchObject
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "cpu.t7")
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            argv = [path, out] + (["--ascii"] if fmt == "ascii" else [])
            rc = convert_cli.main(argv)
        if rc:
            return "t7-convert failed: " + _short(err.getvalue())
        with contextlib.redirect_stderr(io.StringIO()):
            obj = torch7py.load(out, fmt, gpu_types="keep", allow_functions=True,
                                unknown_classes="table")
        left, seen, todo = set(), set(), [obj]
        while todo:
            o = todo.pop()
            if id(o) in seen:
                continue
            seen.add(id(o))
            name = torch7py.typename(o) or ""
            if name.startswith(("torch.Cuda", "cudnn.", "nn.DataParallelTable")):
                left.add(name)
            if isinstance(o, TorchObject) or isinstance(o, dict):
                todo.extend(o.values())
            elif isinstance(o, list):
                todo.extend(o)
            elif hasattr(o, "__dict__") and not hasattr(o, "storage"):
                todo.extend(vars(o).values())
        if left:
            return "GPU classes left: " + ", ".join(sorted(left))
        return "ok"


def _resave(path, fmt):
    """torch.save of the loaded value (GPU names kept, functions and unknown classes as read)
    against the file's own bytes: equal where torch7py writes what the original writer wrote
    (field order as read, sharing, versions); else the first byte that differs."""
    import torch7py
    with open(path, "rb") as f:
        orig = f.read()
    with contextlib.redirect_stderr(io.StringIO()):
        obj = torch7py.load(path, fmt, allow_functions=True, unknown_classes="table",
                            gpu_types="keep")
    out = bytes(torch7py.serialize(obj, fmt))
    if out == orig:
        return "same bytes"
    n = next((i for i, (a, b) in enumerate(zip(out, orig)) if a != b), min(len(out), len(orig)))
    return "differs at byte %d (%d bytes written, file %d)" % (n, len(out), len(orig))


def _th(path, fmt, nndir, timeout, shape=None):
    cmd = [os.path.join(os.path.dirname(sys.executable), "th"),
           os.path.join(HERE, "t7_sweep.lua"), path, fmt or "binary", nndir or "-", shape or "-"]
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout,
                           env=env)
    except subprocess.TimeoutExpired:
        return {"th_load": "timeout"}
    res, text = {}, p.stdout
    for line in text.splitlines():
        if line.startswith("TH_LOAD_OK"):
            res["th_load"] = "ok" if line.split()[1] == "plain" else "ok with options"
        elif line.startswith("TH_LOAD_ERROR"):
            res["th_error"] = _short(line[14:])
        elif line.startswith("TH_LOAD_FAIL"):
            res["th_load"] = "fails: " + _short(line[13:])
        elif line.startswith("TH_PRINT"):
            res["th_print"] = "ok" if line.startswith("TH_PRINT_OK") else _short(line[15:])
        elif line.startswith("TH_RESAVE "):
            res["th_resave"] = line[10:].strip()
        elif line.startswith("TH_FORWARD "):
            res["th_forward"] = _short(line[11:].strip())
        elif line.startswith("TH_TOSTRING "):
            same, differ = line.split()[1:3]
            res["tostring"] = "%s same, %s differ" % (same, differ)
    if "th_load" not in res:
        res["th_load"] = "crashed: " + _short(p.stderr[-300:])
    res["th_text"] = text
    return res


def sweep_one(path, nndir=None, timeout=300, th=True):
    import torch7py
    res = {"file": path, "size": os.path.getsize(path)}
    t0 = time.time()
    with open(path, "rb") as f:
        head = f.read()
    res["gpu"] = any(m in head for m in _GPU_MARKS)
    obj, fmt, how, notes, errors = _load_py(path)
    if fmt is None:
        res["py_load"] = "fails: " + errors[0]
        if th:
            res["th_load"] = _th(path, "binary", None, timeout)["th_load"]
        return res
    res["format"] = fmt
    res["py_load"] = "ok" if how == "plain" else "ok with options (%s)" % errors[0]
    res["notes"] = notes
    res["type"] = torch7py.typename(obj) or type(obj).__name__
    try:
        res["resave"] = _resave(path, fmt)
    except Exception as e:  # noqa: BLE001
        res["resave"] = "fails: " + _short(e)
    try:
        res["py_text"] = str(obj)
        res["py_print"] = "ok"
    except Exception as e:  # noqa: BLE001
        res["py_print"] = "fails: " + _short(e)
    found = _modules(obj)
    shapes = {}
    for where, m in found:
        if not _unknown_module(m):
            try:
                shapes[where] = _input_shape(m)
            except Exception as e:  # noqa: BLE001
                shapes[where] = (None, _short(e))
    root = shapes.get("<root>", (None, None))[0]
    root = _shape_text(root) if root and len(root) == 1 and not hasattr(root[0], "high") \
        else None
    th = _th(path, fmt, nndir, timeout, root) if th else {}
    th_text = th.pop("th_text", "")
    res.update(th)
    if res.get("py_print") == "ok" and torch7py.typename(obj) and \
            torch7py.typename(obj).startswith("nn.") and th.get("th_load") == "ok":
        # th's print of a module is its __tostring__: the same text as Python's str()
        body = th_text.split("TH_LOAD_OK", 1)[1].split("\n", 1)[1].split("TH_PRINT", 1)[0]
        res["print_same"] = body.rstrip("\t\n") == res["py_text"]
    res.pop("py_text", None)
    mods = []
    for where, m in found:
        r = {"where": where, "class": torch7py.typename(m)}
        shape, why = None, None
        if _unknown_module(m):
            r["unknown"] = True
            why = ("%s is a class of no package torch7py has: running it needs its definition "
                   "(the model's own project's: torch7py.register_class, or its Lua under th)"
                   % m.typename)
        else:
            shape, why = shapes[where]
        if why:
            r["shape_error"] = _short(why)
        r["shape"] = None if shape is None else _shape_text(shape)
        if shape is not None:
            for kind in ("double", "float"):
                try:
                    r[kind], arrs = _forward(m, shape, kind)
                    r["_" + kind] = arrs
                except Exception as e:  # noqa: BLE001
                    r[kind] = "fails: " + _short(e)
            a, b = r.pop("_double", None), r.pop("_float", None)
            if a and b:
                import numpy as np
                scale = max(1.0, max(float(np.abs(x).max(initial=0)) for x in a))
                r["float_vs_double"] = "%.2g" % max(
                    float(np.abs(x - y).max(initial=0)) / scale for x, y in zip(a, b))
        try:
            r["roundtrip"] = _roundtrip(m) if not r.get("unknown") else \
                "fails: :float() and clearState() need the class's definition"
        except Exception as e:  # noqa: BLE001
            r["roundtrip"] = "fails: " + _short(e)
        try:
            r["export"] = _export(m, shape)
        except Exception as e:  # noqa: BLE001
            r["export"] = "fails: " + _short(e)
        mods.append(r)
    res["modules"] = mods
    if res["gpu"]:
        try:
            res["convert"] = _convert(path, fmt)
        except Exception as e:  # noqa: BLE001
            res["convert"] = "fails: " + _short(e)
    res["seconds"] = round(time.time() - t0, 1)
    return res


def _outcome(r):
    """One cell: what worked and what did not."""
    if r.get("py_load", "").startswith("fails"):
        return "py load fails; th %s" % r.get("th_load", "?")
    bits = ["py load %s%s" % ("ok" if r["py_load"] == "ok" else "needs options",
                              " (%s)" % r["format"] if r.get("format") == "b32" else ""),
            "th %s" % (r.get("th_load") or "?").split(":")[0]]
    if r.get("resave"):
        bits.append("resave %s" % r["resave"])
    if r.get("th_resave"):
        bits.append("th resave %s" % r["th_resave"])
    if r.get("th_forward"):
        bits.append("th forward %s" % r["th_forward"])
    if r.get("tostring"):
        bits.append("tostring %s" % r["tostring"])
    if r.get("print_same") is False:
        bits.append("py/th print differ")
    for m in r.get("modules", []):
        if m.get("unknown"):
            bits.append("%s (%s): a class of no package torch7py has (runs once its project's "
                        "definition is loaded: --define)" % (m["where"], m["class"]))
            continue
        parts = []
        for k in ("double", "float", "roundtrip", "export"):
            v = m.get(k)
            if v is None:
                continue
            parts.append("%s %s" % (k, "ok" if v.startswith(("ok", "output", "converts"))
                                    else v))
        if m.get("shape") is None:
            parts.insert(0, "no input shape" + (" (%s)" % _short(m["shape_error"], 160)
                                                if m.get("shape_error") else ""))
        bits.append("%s (%s): %s" % (m["where"], m["class"], "; ".join(parts)))
    if "convert" in r:
        bits.append("t7-convert %s" % r["convert"])
    return "; ".join(bits)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("files", nargs="*")
    p.add_argument("--manifest", help="TSV: repo, commit, path, size, local file")
    p.add_argument("--nn", help="an nn checkout: compare prints with its __tostring__")
    p.add_argument("--jsonl", help="write one JSON line a file here")
    p.add_argument("--timeout", type=int, default=300, help="seconds a file (300)")
    p.add_argument("--markdown", action="store_true", help="print a markdown table")
    p.add_argument("--no-th", action="store_true", help="the Python steps only")
    p.add_argument("--from-jsonl", metavar="JSONL",
                   help="no run: print the table (--markdown) and counts of an earlier --jsonl")
    p.add_argument("--define", action="append", default=[], metavar="FILE_PY",
                   help="run this Python file before each file (it may register classes of the "
                        "models' own projects and their PyTorch forms, as t7-to-pytorch's "
                        "--define); repeatable")
    p.add_argument("--one", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.from_jsonl:
        with open(args.from_jsonl) as f:
            results = [json.loads(line) for line in f if line.strip()]
        if args.markdown:
            _markdown(results)
        print(_counts(results))
        return 0
    if args.one:
        sys.path.insert(0, ROOT)
        from torch7py.export.cli import run_define
        for path in args.define:
            run_define(path)
        print(json.dumps(sweep_one(args.one, args.nn, args.timeout, not args.no_th),
                         default=str))
        return 0
    rows = []
    if args.manifest:
        with open(args.manifest) as f:
            for line in f:
                repo, commit, rel, size, local = line.rstrip("\n").split("\t")[:5]
                rows.append({"repo": repo, "commit": commit, "path": rel, "local": local})
    rows += [{"repo": "", "commit": "", "path": f, "local": f} for f in args.files]
    out = open(args.jsonl, "w") if args.jsonl else None
    results = []
    for row in rows:
        cmd = [sys.executable, os.path.abspath(__file__), "--one", row["local"],
               "--timeout", str(args.timeout)] + (["--nn", args.nn] if args.nn else []) + (
                   ["--no-th"] if args.no_th else []) + [
                       a for d in args.define for a in ("--define", os.path.abspath(d))]
        env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
        try:
            p2 = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                                timeout=args.timeout * 3,
                                env=env)
            lines = [ln for ln in p2.stdout.splitlines() if ln.startswith("{")]
            r = json.loads(lines[-1]) if lines else {
                "py_load": "fails: crashed: " + _short(p2.stderr[-300:])}
        except subprocess.TimeoutExpired:
            r = {"py_load": "fails: timeout"}
        r.update({k: row[k] for k in ("repo", "commit", "path")})
        r.setdefault("size", os.path.getsize(row["local"]))
        results.append(r)
        if out:
            out.write(json.dumps(r) + "\n")
            out.flush()
        if not args.markdown:
            print("%s %s: %s" % (r["repo"], r["path"], _outcome(r)), flush=True)
    if args.markdown:
        _markdown(results)
    print(_counts(results))
    return 0


def _markdown(results):
    print("| repository @ commit | file | bytes | outcome |")
    print("|---|---|---|---|")
    for r in results:
        print("| %s @ %s | %s | %s | %s |" % (r["repo"], r["commit"], r["path"], r["size"],
                                           _outcome(r).replace("|", "/")))


def _ok(v):
    return isinstance(v, str) and v.startswith(("ok", "output", "converts"))


def _counts(results):
    """One line of counts: files, loads, prints, and the steps of the nn models found."""
    t7 = [r for r in results if "unknown object type" not in r.get("py_load", "")]
    mods = [m for r in t7 for m in r.get("modules", [])]
    tostr = [r for r in t7 if r.get("tostring")]
    differ = sum(int(r["tostring"].split(", ")[1].split()[0]) for r in tostr)
    same = sum(int(r["tostring"].split()[0]) for r in tostr)
    gpu = [r for r in t7 if r.get("gpu")]
    return ("%d files (%d repositories), %d in Torch7's format; Python load: %d plain, %d with "
            "options, %d fail; th load: %d plain, %d with options, %d fail; tostring of %d nn "
            "objects: %d as the original nn's, %d differ; %d nn models: forward double %d, "
            "float %d, round trip %d, export %d (%d measured); GPU files %d, t7-convert %d; "
            "re-saved as the file's own bytes %d of %d (th %d of %d); th forward of a root "
            "model %d of %d"
            % (len(results), len({r["repo"] for r in results}), len(t7),
               sum(r.get("py_load") == "ok" for r in t7),
               sum(r.get("py_load", "").startswith("ok with") for r in t7),
               sum(r.get("py_load", "").startswith("fails") for r in t7),
               sum(r.get("th_load") == "ok" for r in t7),
               sum(r.get("th_load", "").startswith("ok with") for r in t7),
               sum(not r.get("th_load", "").startswith("ok") for r in t7),
               same + differ, same, differ, len(mods),
               sum(_ok(m.get("double")) for m in mods), sum(_ok(m.get("float")) for m in mods),
               sum(_ok(m.get("roundtrip")) for m in mods),
               sum(_ok(m.get("export")) for m in mods),
               sum(str(m.get("export", "")).startswith("output") for m in mods),
               len(gpu), sum(r.get("convert") == "ok" for r in gpu),
               sum(r.get("resave") == "same bytes" for r in t7),
               sum(bool(r.get("resave")) for r in t7),
               sum(r.get("th_resave") == "same bytes" for r in t7),
               sum(bool(r.get("th_resave")) for r in t7),
               sum(str(r.get("th_forward", "")).startswith("ok") for r in t7),
               sum(bool(r.get("th_forward")) for r in t7)))


if __name__ == "__main__":
    sys.exit(main())
