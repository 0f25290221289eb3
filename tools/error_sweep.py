"""Error sweep: every Lua-visible callable of torch7py called from Lua with wrong arguments.

A legacy script that passes a bad value must see what Torch7 printed, never Python's text.
This runs in th (one LuaJIT runtime, tools/error_sweep.lua): for every nn module and
criterion (their methods: forward, backward, updateOutput, ..., type, share, clone), the
objects of torch (Tensor, Storage, File, MemoryFile, DiskFile, Generator, Timer, CmdLine,
Tester) and optim (Logger, ConfusionMatrix), the functions of torch, optim, paths, sys and xlua,
and nngraph's gModule, it calls each with wrong arguments (strings, tables, nil, numbers where
tensors go, tensors of the wrong type or size, missing arguments) under pcall and flags

- LEAK: a message that looks like Python's (exception class names, "NoneType", reprs, ...);
- DIFF: given the original nn checkout (--nn), a message that differs from the one the
  original's Lua code gives on the same call (file:line prefixes removed), or a call that
  fails on one side only; `__call__` is compared only given the original nngraph too
  (--nngraph, default: nngraph beside nn), whose init.lua replaces Module's and Criterion's;
- HIDDEN: given --nn, a method Lua sees on an nn class that Torch7's class does not have
  (`m:state_dict` is nil in Torch7: "attempt to call method 'state_dict' (a nil value)").

    python tools/error_sweep.py [--nn /path/to/nn [--nngraph DIR]]
                                [--torch7 /path/to/torch7 [--optim DIR]]
                                [--only LUA_PATTERNS] [--sample N] [--shapes] [-v]

--shapes calls with tensors of the right types and assorted shapes instead (1-4D, pairs, a
gradOutput or target of another size, a LongTensor target): the size checks' texts and order.

Prints one line per finding and the counts; exit status 1 when something was flagged.

Differences that are the reference's, not ours (nn's Lua run on torch7py's tensors):
- nn.RReLU: its Lua's ffi.cdef names THGenerator, which the FFI emulation here does not
  declare ("declaration specifier expected near 'THGenerator'"), so every call of the
  original fails; ours runs (Torch7's does too).
- nn.SparseLinear:clearState: SparseLinear.lua reads the global `input`
  (`input.THNN.SparseLinear_cudaClearState()`), nn's own bug: its text depends on what the
  script left in that global; ours clears the state.
- nn.SpatialDepthWiseConvolution:float(x) with a tensor x as tensorCache: recursiveType fails
  on the first tensor field pairs() visits, and pairs' order follows the field names. torch7py
  keeps the module's second version (the last nn release: nInputPlane, depthwiseMultiplier),
  whose extra field `depthwiseMultiplier` puts a non-empty tensor first ("out of range" from
  indexing x with a pointer), where the older checkout's fields put the empty output first
  ("the class torch.DoubleTensor cannot be indexed"). Both are Torch7's texts for their fields.
"""
import inspect
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# what a Python text looks like (Lua's and Torch7's messages have none of these)
LEAK_PATTERNS = (
    r"\b(?:TypeError|AttributeError|ValueError|IndexError|KeyError|NameError|RuntimeError|"
    r"ZeroDivisionError|OverflowError|AssertionError|NotImplementedError|RecursionError)\b",
    r"NoneType", r"object has no attribute", r"positional argument", r"keyword argument",
    r"numpy", r"\.py\"", r"\.py:\d", r"Traceback", r"lupa", r"_LuaTable", r"<torch7py",
    r"<function", r"<class '", r"<bound method", r"object is not (?:callable|subscriptable|"
    r"iterable)", r"'(?:str|int|float|list|dict|tuple|bool)' object", r"invalid literal for",
    r"unsupported operand", r"not supported between instances", r"could not convert",
    r"must be real number", r"only integers", r"\bNone\b", r"\bTrue\b|\bFalse\b",
    r"LuaTableMapping", r"LuaList", r"EmptyTable", r"got an unexpected", r"cannot unpack",
    r"too many values to unpack", r"not enough values to unpack", r"list index",
    r"tuple index", r"dtype", r"ndarray", r"broadcast", r"operands could not",
    r"is not in list", r"cannot be interpreted as an integer", r"can only concatenate",
    r"maximum recursion depth", r"argument after \*", r"unhashable type", r"has no len\(\)",
    r"^division by zero$", r"math domain error", r"object of type '", r"bytes-like",
    r"can.t multiply sequence", r"cannot reshape array", r"non-int", r"could not be broadcast",
    r"(?:float|int|complex)\(\) argument", r"object cannot be interpreted",
    r"'in <string>' requires",
)
LEAK_RE = re.compile("|".join("(?:%s)" % p for p in LEAK_PATTERNS))


def is_leak(message):
    """True when an error message shows Python's text rather than Lua's or Torch7's."""
    return LEAK_RE.search(message) is not None


def lua_methods(cls):
    """The method names Lua finds on an object of a Python class (the bridge's rule: public
    functions of the class, less the Python-only ones the class names in `_py_only`)."""
    from compat.luavalues import _FUNC_TYPES
    hidden = getattr(cls, "_py_only", frozenset())
    names = []
    for k in sorted(dir(cls)):
        if (k.startswith("_") and k != "__call__") or k in hidden:
            continue
        try:
            sv = inspect.getattr_static(cls, k)
        except AttributeError:
            continue
        if isinstance(sv, _FUNC_TYPES):
            names.append(k)
    return names


def nn_targets():
    """(short name, Lua-visible methods) of every class of torch7py.nn that Lua sees as nn.X."""
    import torch7py.nn as nn
    out = []
    for name in sorted(dir(nn)):
        c = getattr(nn, name)
        if isinstance(c, type) and getattr(c, "typename", None) == "nn." + name:
            out.append((name, lua_methods(c)))
    return out


def object_targets():
    """(Lua expression making a fresh object, Lua-visible methods) of torch's and optim's
    classes."""
    import torch7py
    from torch7py.optim.confusion_matrix import ConfusionMatrix
    from torch7py.optim.logger import Logger
    from torch7py.serialization.files import DiskFile, MemoryFile
    from torch7py.timer import Timer
    from torch7py.random import Generator
    from torch7py.cmdline import CmdLine
    from torch7py.tester import Tester
    return [
        ("torch.Tensor(2, 3):zero()", lua_methods(torch7py.DoubleTensor)),
        ("torch.FloatTensor(4):zero()", lua_methods(torch7py.FloatTensor)),
        ("torch.LongTensor(2, 2):zero()", lua_methods(torch7py.LongTensor)),
        ("torch.DoubleStorage(3):fill(0)", lua_methods(torch7py.DoubleStorage)),
        ("torch.MemoryFile('rw')", lua_methods(MemoryFile)),
        ("torch.DiskFile(SWEEP_TMP, 'w')", lua_methods(DiskFile)),
        ("torch.Timer()", lua_methods(Timer)),
        ("torch.Generator()", lua_methods(Generator)),
        ("torch.CmdLine()", lua_methods(CmdLine)),
        ("torch.Tester()", lua_methods(Tester)),
        ("optim.Logger(SWEEP_TMP2)", lua_methods(Logger)),
        ("optim.ConfusionMatrix(3)", lua_methods(ConfusionMatrix)),
    ]


def function_targets():
    """(table name, function names) of the packages' functions that the sweep calls."""
    import torch7py
    import torch7py.optim as optim
    torch_f = sorted(k for k in dir(torch7py) if not k.startswith("_")
                     and inspect.isfunction(getattr(torch7py, k)))
    optim_f = sorted(k for k in dir(optim) if not k.startswith("_")
                     and inspect.isfunction(getattr(optim, k)))
    return [("torch", torch_f), ("optim", optim_f)]


# functions that must not run with arbitrary arguments (they change the machine or wait)
UNSAFE = {"paths": {"rmall", "rmdir", "remove", "mkdir", "execute", "exit", "dofile",
                    "require", "thisfile", "call"},
          "sys": {"execute", "fexecute", "sleep", "usleep", "exit", "prompt", "uname"},
          "xlua": {"require", "dofile", "print", "progress"},
          "torch": {"setdefaulttensortype", "setnumthreads", "manualSeed", "seed",
                    "setRNGState", "include", "save", "load", "setheaptracking",
                    "updateerrorhandlers", "addtensortypes", "print", "class",
                    "setenv", "getenv", "setmetatable", "TestSuite", "allowFunctionsOnLoad"}}


def _lua(v):
    """A Python value as Lua source."""
    if isinstance(v, str):
        return '"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')
    if isinstance(v, (list, tuple)):
        return "{" + ", ".join(_lua(x) for x in v) + "}"
    if isinstance(v, dict):
        return "{" + ", ".join("[%s] = %s" % (_lua(k), _lua(x)) for k, x in v.items()) + "}"
    return repr(v)


def targets_source():
    return "return " + _lua({
        "nn": [[n, m] for n, m in nn_targets()],
        "objects": [[e, m] for e, m in object_targets()],
        "functions": [[t, f] for t, f in function_targets()],
        "unsafe": {k: sorted(v) for k, v in UNSAFE.items()},
    })


def nn_sources(nndir):
    """{short name: (parent short name or None, set of method names)} from an nn checkout."""
    classes = {}
    for fn in sorted(os.listdir(nndir)):
        if not fn.endswith(".lua"):
            continue
        with open(os.path.join(nndir, fn), encoding="utf-8", errors="replace") as fh:
            txt = fh.read()
        for m in re.finditer(r"local\s+(\w+)\s*(?:,\s*\w+)?\s*=\s*torch\.class\(\s*"
                             r"['\"]nn\.(\w+)['\"]\s*(?:,\s*['\"]nn\.(\w+)['\"])?", txt):
            var, name, parent = m.groups()
            meths = {x.group(1) for x in re.finditer(
                r"^\s*function\s+(?:%s|nn\.%s)[:.](\w+)\s*\(" % (re.escape(var), name),
                txt, re.M)}
            classes[name] = (parent, meths)
    return classes


def hidden_methods(nndir):
    """[(class, method)] that Lua sees on an nn class and Torch7's class (with its parents)
    lacks."""
    src = nn_sources(nndir)
    out = []
    for name, methods in nn_targets():
        if name not in src:
            continue
        t7 = set()
        c = name
        while c in src:
            t7 |= src[c][1]
            c = src[c][0]
        out.extend((name, k) for k in methods if k not in t7)
    return out


def _c_methods(path):
    """The names a C file registers in its luaL_Reg tables."""
    with open(path, encoding="utf-8", errors="replace") as fh:
        return set(re.findall(r'\{"(\w+)",', fh.read()))


def _lua_methods(path, var):
    with open(path, encoding="utf-8", errors="replace") as fh:
        return set(re.findall(r"function\s+%s[:.](\w+)\s*\(" % var, fh.read()))


def torch_hidden_methods(torch7dir, optimdir=None):
    """[(class, method)] that Lua sees on torch's and optim's classes (Tensor's TensorMath
    aside: its generated names are not listed in the sources) and the originals lack."""
    import torch7py
    from torch7py.cmdline import CmdLine
    from torch7py.random import Generator
    from torch7py.serialization.files import DiskFile, MemoryFile
    from torch7py.tester import Tester
    from torch7py.timer import Timer
    j = os.path.join
    files = set().union(*(_c_methods(j(torch7dir, f)) for f in (
        "File.c", "DiskFile.c", "MemoryFile.c", "PipeFile.c"))) | _lua_methods(
        j(torch7dir, "File.lua"), "File")
    with open(j(torch7dir, "FFInterface.lua"), encoding="utf-8") as fh:
        ffi = set(re.findall(r'rawset\(\w+,\s*\n?\s*"(\w+)"', fh.read()))  # cdata, data
    table = [("torch.DoubleStorage", torch7py.DoubleStorage,
              _c_methods(j(torch7dir, "generic", "Storage.c")) | ffi),
             ("torch.DiskFile", DiskFile, files), ("torch.MemoryFile", MemoryFile, files),
             ("torch.Timer", Timer, _c_methods(j(torch7dir, "Timer.c"))),
             ("torch.Generator", Generator, _c_methods(j(torch7dir, "Generator.c"))),
             ("torch.CmdLine", CmdLine, _lua_methods(j(torch7dir, "CmdLine.lua"), "CmdLine")),
             ("torch.Tester", Tester, _lua_methods(j(torch7dir, "Tester.lua"), "Tester"))]
    if optimdir:
        from torch7py.optim.confusion_matrix import ConfusionMatrix
        from torch7py.optim.logger import Logger
        table += [("optim.Logger", Logger, _lua_methods(j(optimdir, "Logger.lua"), "Logger")),
                  ("optim.ConfusionMatrix", ConfusionMatrix, _lua_methods(
                      j(optimdir, "ConfusionMatrix.lua"), "ConfusionMatrix"))]
    return [(name, k) for name, cls, t7 in table for k in lua_methods(cls) if k not in t7]


def run(nndir=None, only=None, sample=0, verbose=False, out=sys.stdout, torch7dir=None,
        optimdir=None, nngraphdir=None, shapes=False):
    """Run the sweep in a fresh Lua runtime; returns its counts (a dict)."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from compat.runtime import LuaRuntime
    import tempfile
    script = os.path.join(HERE, "error_sweep.lua")
    # (listed before the calls, which may change classes: a Lua script's class edits)
    more = torch_hidden_methods(torch7dir, optimdir) if torch7dir else []
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            rt = LuaRuntime(argv=[], script=script)
            rt.enable_trepl()
            g = rt.globals
            g.SWEEP_TARGETS = rt.load(targets_source(), "=sweep_targets")()
            g.SWEEP_NN = nndir
            g.SWEEP_NNGRAPH = nngraphdir if nndir else None
            g.SWEEP_ONLY = only
            g.SWEEP_SAMPLE = sample
            g.SWEEP_SHAPES = bool(shapes)
            g.SWEEP_VERBOSE = verbose
            g.SWEEP_TMP = os.path.join(tmp, "f.bin")
            g.SWEEP_TMP2 = os.path.join(tmp, "log.txt")
            g.SWEEP_IS_LEAK = is_leak
            lines = []
            g.SWEEP_REPORT = lines.append
            # every call in this one process: an exit (CmdLine:error's os.exit) is caught and
            # forgotten, where Torch7 would end the process
            g.SWEEP_PCALL = rt.T.rawpcall
            g.SWEEP_NOEXIT = lambda: setattr(rt, "pending_exit", None)
            counts = rt.dofile(script)
            counts = {k: counts[k] for k in counts}
            if only and nndir:
                sel = rt.globals.SWEEP_SELECTED
                lua_selected = {"nn.%s:%s" % ck for ck in hidden_methods(nndir)
                                if sel("nn.%s:%s" % ck)}
        finally:
            os.chdir(cwd)
    hidden = []
    if nndir:
        hidden = [(c, k) for c, k in hidden_methods(nndir)
                  if not only or "nn.%s:%s" % (c, k) in lua_selected]
        for c, k in hidden:
            lines.append("HIDDEN nn.%s:%s (Torch7's class has no such method)" % (c, k))
    if torch7dir:
        for c, k in more:
            lines.append("HIDDEN %s:%s (Torch7's class has no such method)" % (c, k))
        hidden += more
    counts["hidden"] = len(hidden)
    for line in lines:
        out.write(line + "\n")
    out.write("calls %(calls)d  leaks %(leaks)d  diffs %(diffs)d  hidden %(hidden)d\n" % counts)
    return counts


def main(argv=None):
    import argparse
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--nn", help="the original nn checkout: compare with its Lua code")
    p.add_argument("--torch7", help="the original torch7 checkout: list the methods of its "
                   "classes (Storage, File, Timer, Generator, CmdLine, Tester) Lua should not see")
    p.add_argument("--nngraph", help="the original nngraph checkout (with --nn: compare "
                   "__call__; default: nngraph beside the nn checkout, when there)")
    p.add_argument("--optim", help="the original optim checkout (with --torch7: Logger, "
                   "ConfusionMatrix)")
    p.add_argument("--only", help="Lua patterns (comma-separated) one of which the call's name "
                   "(nn.Linear:forward, torch.Tensor:add, paths.dirname) must match")
    p.add_argument("--sample", type=int, default=0,
                   help="call every Nth method only (0: all)")
    p.add_argument("--shapes", action="store_true",
                   help="right types, assorted shapes (size checks) instead of wrong arguments")
    p.add_argument("-v", action="store_true", help="print every call")
    a = p.parse_args(argv)
    ngdir = a.nngraph
    if ngdir is None and a.nn:
        beside = os.path.join(os.path.dirname(os.path.abspath(a.nn)), "nngraph")
        ngdir = beside if os.path.isfile(os.path.join(beside, "init.lua")) else None
    counts = run(a.nn and os.path.abspath(a.nn), a.only, a.sample, a.v,
                 torch7dir=a.torch7, optimdir=a.optim,
                 nngraphdir=ngdir and os.path.abspath(ngdir), shapes=a.shapes)
    return 1 if counts["leaks"] or counts["diffs"] or counts["hidden"] else 0


if __name__ == "__main__":
    sys.exit(main())
