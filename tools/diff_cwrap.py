"""Differential checker of Torch7's cwrap argument checks: the help texts and the accepted calls.

    python tools/diff_cwrap.py --torch7 /path/to/torch7 --cwrap /path/to/cwrap [--only NAME...]
                               [--types Double,Float] [-v]

torch7's CMakeLists generates its wrappers from TensorMath.lua and random.lua (ADD_TORCH_WRAP).
This runs both files in LuaJIT (lupa) with the user's cwrap checkout, cwrap's own CInterface
doing the work, and records for every wrapped function (each tensor type, the method table
`m_torch_<T>Math__` and the function table `torch_<T>Math__`; random.lua's `random__`) its
argument sets as cwrap built them: the help text cwrap prints (`expected arguments: ...`, the
argument sets joined by ' | ') and the argument declarations, from which the calls cwrap
accepts follow (cwrap's checks: exact tensor types and dimensions, lua_isnumber, lua_isboolean,
a string whose first character is one of an option's values, a non-empty table of tensors,
LongArg's numbers or one LongStorage; every subset of the optional arguments, in order).

Then torch7py is called (Python calls, as the Lua layer passes them):
- each argument set with each subset of its optional arguments, with valid arguments: torch7py
  must not answer `invalid arguments` (other errors, size mismatches, are the function's own);
- wrong calls derived from those (a string for a number, a tensor of another type, an argument
  too many, nil in the middle, nothing): where cwrap rejects the call, torch7py must raise
  exactly cwrap's message `invalid arguments: <given types> \nexpected arguments: <help>`;
  where cwrap accepts it, torch7py must not raise `invalid arguments`.
Nothing of the original code is copied: the paths are read at run time. HalfTensor's tables
are generated but never registered by torch_TensorMath_init, so they are skipped.
"""
import argparse
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
WRAP_FILES = ("TensorMath.lua", "random.lua")
TYPES = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double")

_RECORDER = r'''
local cwrap_dir, torch_dir, wrapfile, outfile = ...
package.path = torch_dir .. '/?.lua;' .. package.path
package.preload['cwrap.types'] = function() return dofile(cwrap_dir .. '/types.lua') end
package.preload['cwrap.cinterface'] = function() return dofile(cwrap_dir .. '/cinterface.lua') end
package.preload['cwrap'] = function() return dofile(cwrap_dir .. '/init.lua') end
local CI = require('cwrap').CInterface
local orig_wrap, orig_wh, orig_register = CI.wrap, CI.__writeheaders, CI.register
local rec, regs, current = {}, {}, nil
CI.__writeheaders = function(self, txt, args, off)
  local h, c, r = orig_wh(self, txt, args, off)
  local s = {help = table.concat(h, ' '), args = {}}
  for i, a in ipairs(args) do
    local vals
    if a.values then vals = {} for j, v in ipairs(a.values) do vals[j] = v end end
    s.args[i] = {name = a.name, default = a.default ~= nil,
                 invisible = a.invisible and true or false,
                 returned = a.returned and true or false,
                 creturned = a.creturned and true or false,
                 dim = a.dim or false, values = vals or false,
                 defval = type(a.default) == 'number' and a.default or false,
                 vararg = a.vararg and true or false}
  end
  table.insert(current.sets, s)
  return h, c, r
end
CI.wrap = function(self, luaname, ...)
  local saved = current
  current = {name = luaname, wrapname = self:luaname2wrapname(luaname), sets = {}}
  orig_wrap(self, luaname, ...)
  rec[current.wrapname] = current
  current = saved
end
CI.register = function(self, name)
  local names = {}
  for _, r in ipairs(self.registry) do table.insert(names, {r.name, r.wrapname}) end
  regs[name] = names
  return orig_register(self, name)
end
arg = {outfile}
dofile(torch_dir .. '/' .. wrapfile)
return rec, regs
'''


def _py(lupa, x):
    if lupa.lua_type(x) == "table":
        keys = list(x.keys())
        if keys == list(range(1, len(keys) + 1)):
            return [_py(lupa, x[k]) for k in keys]
        return {k: _py(lupa, v) for k, v in x.items()}
    return x


def checkout(path, files, tmp):
    """A folder holding `files`: path itself, or (a bare git repository, a fetched mirror)
    the files of its HEAD written under tmp."""
    if all(os.path.exists(os.path.join(path, f)) for f in files):
        return path
    import subprocess
    for f in files:
        data = subprocess.run(["git", "--git-dir", path, "show", "HEAD:" + f],
                              capture_output=True, check=True).stdout
        with open(os.path.join(tmp, f), "wb") as out:
            out.write(data)
    return tmp


def record(torch7, cwrap):
    """{(table, name): [argument sets]} for every registered wrapper; table is ('m', T) for
    T's methods, ('f', T) for torch.<name> on T, ('f', None) for random.lua's functions."""
    import lupa.luajit21 as lupa
    out = {}
    keep = tempfile.TemporaryDirectory()
    cwrap = checkout(cwrap, ("init.lua", "types.lua", "cinterface.lua"), keep.name)
    for wf in WRAP_FILES:
        rt = lupa.LuaRuntime(unpack_returned_tuples=True)
        f = rt.execute("return function(...) " + _RECORDER + " end")
        with tempfile.TemporaryDirectory() as d:
            rec, regs = f(cwrap, torch7, wf, os.path.join(d, "out.c"))
        rec, regs = _py(lupa, rec), _py(lupa, regs)
        for reg, entries in regs.items():
            if reg == "random__":
                table = ("f", None)
            else:
                kind = "m" if reg.startswith("m_") else "f"
                T = reg[len("m_torch_" if kind == "m" else "torch_"):-len("Math__")]
                if T[:-len("Tensor")] not in TYPES:
                    continue  # HalfTensor: generated, never registered
                table = (kind, T)
            for name, wrapname in entries:
                out[(table, name)] = rec[wrapname]["sets"]
    keep.cleanup()
    return out


# --------------------------------------------------------------------------------------------
# cwrap's checks, on the Python values the Lua layer passes (nil is None, a table a list)
# --------------------------------------------------------------------------------------------

def _tname(x):
    return getattr(type(x), "typename", None)


def _isnumber(x):
    if isinstance(x, bool):
        return False
    if isinstance(x, (int, float)):
        return True
    if isinstance(x, str):  # lua_isnumber converts numeric strings
        try:
            float(x.strip())
            return True
        except ValueError:
            return False
    return False


def _check(a, T, x, rest):
    """cwrap's check of one argument declaration (a) against value x (rest: x and the values
    after it, for LongArg's vararg)."""
    n = a["name"]
    if n == "Tensor" or n.endswith("Tensor"):
        want = T if n == "Tensor" else ("LongTensor" if n == "IndexTensor" else n)
        if _tname(x) != "torch." + want:
            return False
        return not a["dim"] or x.dim() == a["dim"]
    if n.endswith("TensorArray"):
        return isinstance(x, (list, tuple)) and len(x) > 0 and x[0] is not None
    if n == "Generator":
        return _tname(x) == "torch.Generator"
    if n == "boolean":
        return isinstance(x, bool)
    if n == "charoption":
        s = str(x) if _isnumber(x) and not isinstance(x, str) else x
        return isinstance(s, str) and s[:1] in a["values"]
    if n == "LongArg":
        if len(rest) == 1 and _tname(rest[0]) == "torch.LongStorage":
            return True
        return all(_isnumber(v) for v in rest)
    return _isnumber(x)  # numbers: real, accreal, double, long, index, ptrdiff_t...


def _variants(args):
    """The argument lists cwrap tries for one set: every subset of the optional ones."""
    opt = [i for i, a in enumerate(args) if a["default"] and not a["invisible"]]
    for bits in range(2 ** len(opt)):
        present = {opt[k] for k in range(len(opt)) if bits >> k & 1}
        cur = [a for i, a in enumerate(args)
               if not a["invisible"] and not a["creturned"]
               and (not a["default"] or i in present)]
        yield cur


def accepts(sets, T, values):
    for s in sets:
        for cur in _variants(s["args"]):
            vararg = bool(cur) and cur[-1]["vararg"]
            if (len(values) < len(cur)) if vararg else (len(values) != len(cur)):
                continue
            if all(_check(a, T, values[i], values[i:]) for i, a in enumerate(cur)):
                return True
    return False


def given_types(values):
    """cwrap's str_arg_types: luaT's typename (without 'torch.'), else Lua's type name."""
    if not values:
        return "no arguments provided"
    out = []
    for x in values:
        tn = _tname(x)
        if isinstance(tn, str):
            out.append(tn[6:] if tn.startswith("torch.") else tn)
        elif x is None:
            out.append("nil")
        elif isinstance(x, bool):
            out.append("boolean")
        elif _isnumber(x):  # lua_isnumber comes first in C: a numeric string is 'number'
            out.append("number")
        elif isinstance(x, str):
            out.append("string")
        elif isinstance(x, (list, tuple, dict)):
            out.append("table")
        elif callable(x):
            out.append("???")  # str_arg_types has no case for a function
        else:
            out.append("userdata")
    return "".join(s + " " for s in out)


def expected_message(sets, values):
    help_ = " | ".join(s["help"] for s in sets)
    return "invalid arguments: %s\nexpected arguments: %s" % (given_types(values), help_)


# --------------------------------------------------------------------------------------------
# values and calls
# --------------------------------------------------------------------------------------------

def _tensor(torch, tname, dim):
    cls = getattr(torch, tname)
    dim = dim or 2
    t = cls(*([2] * dim))
    if dim == 1:
        t.numpy()[...] = [1, 2]
    elif dim == 2:
        t.numpy()[...] = [[2, 1], [1, 3]]
    else:
        t.fill(1)
    return t


def valid_value(torch, a, T):
    n = a["name"]
    if n == "Tensor":
        return [_tensor(torch, T, a["dim"])]
    if n == "IndexTensor":
        return [_tensor(torch, "LongTensor", 1)]
    if n.endswith("TensorArray"):
        tn = n[:-len("Array")]
        return [[_tensor(torch, tn, 2), _tensor(torch, tn, 2)]]
    if n.endswith("Tensor"):
        return [_tensor(torch, n, a["dim"])]
    if n == "Generator":
        return [torch.Generator()]
    if n == "boolean":
        return [False]
    if n == "charoption":
        return [a["values"][0]]
    if n == "LongArg":
        return [2, 2]
    return [1]


def valid_calls(torch, sets, T):
    for s in sets:
        for cur in _variants(s["args"]):
            vals = []
            for a in cur:
                vals.extend(valid_value(torch, a, T))
            yield vals


def wrong_calls(torch, valid, T):
    """Typical mistakes made from a valid call."""
    yield "nothing", []
    for i, x in enumerate(valid):
        if _isnumber(x) and not isinstance(x, str):
            yield "string for a number (#%d)" % (i + 1), valid[:i] + ["x"] + valid[i + 1:]
        tn = _tname(x)
        if isinstance(tn, str) and tn.endswith("Tensor"):
            other = "FloatTensor" if tn != "torch.FloatTensor" else "DoubleTensor"
            o = getattr(torch, other)(*x.size())
            yield "%s for a %s (#%d)" % (other, tn[6:], i + 1), valid[:i] + [o] + valid[i + 1:]
    for i, x in enumerate(valid):
        if _isnumber(x) and not isinstance(x, str):
            # lua_isnumber accepts a numeric string where a number is declared
            yield "numeric string for a number (#%d)" % (i + 1), valid[:i] + ["2"] + valid[i + 1:]
            break
    yield "a function too many", valid + [len]
    yield "an argument too many", valid + [1]
    yield "a table too many", valid + [{}]
    if len(valid) >= 2:
        yield "nil in the middle", valid[:1] + [None] + valid[1:]


def call(torch, table, T, name, values):
    """torch7py's answer: ('ok', None), ('invalid', message), ('error', message) or
    ('crash', 'ExceptionType: message')."""
    from torch7py import TorchError
    try:
        if table == "m":
            if not values or _tname(values[0]) != "torch." + T:
                return "skip", None
            f = getattr(values[0], name, None)
            if f is None:
                return "missing", "%s has no method %s" % (T, name)
            f(*values[1:])
        else:
            f = getattr(torch, name, None)
            if f is None:
                return "missing", "torch.%s is missing" % name
            f(*values)
    except TorchError as e:
        m = str(e)
        if m.startswith("invalid arguments") or "does not implement" in m:
            return "invalid", m
        return "error", m
    except Exception as e:  # noqa: BLE001 (a Python error where Torch7 has its own)
        return "crash", "%s: %s" % (type(e).__name__, e)
    return "ok", None


def _dispatches_to(values, T):
    """torch.<f>'s dispatch (TensorMath's torch_NAME): the type it picks for these values."""
    for x in values[:2]:
        tn = _tname(x)
        if isinstance(tn, str) and tn.endswith("Tensor"):
            return tn[6:]
    if values and isinstance(values[0], (list, tuple)) and values[0]:
        tn = _tname(values[0][0])
        if isinstance(tn, str) and tn.endswith("Tensor"):
            return tn[6:]
    return None


def check(torch7, cwrap, only=None, types=None, verbose=False):
    """Run every check; returns (stats, problems): problems are (kind, where, detail)."""
    import torch7py as torch
    funcs = record(torch7, cwrap)
    problems = []
    stats = {"functions": 0, "help_checked": 0, "valid_calls": 0, "wrong_calls": 0}
    default = "DoubleTensor"
    for (table, name), sets in sorted(funcs.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        kind, T = table
        if only and name not in only:
            continue
        if types and T is not None and T[:-len("Tensor")] not in types:
            continue
        stats["functions"] += 1
        where = "%s %s" % ("method" if kind == "m" else "torch." + name + " on", T or "")
        if kind == "m":
            where = "%s:%s" % (T, name)
        Tc = T or default
        seen_wrong = set()
        for vals in valid_calls(torch, sets, Tc):
            if kind == "m" and (not vals or _tname(vals[0]) != "torch." + Tc):
                continue  # a method set whose first argument is not self
            if kind == "f" and T is not None and _dispatches_to(vals, T) not in (T, None):
                continue  # torch.<f> with these values runs another type's function
            if kind == "f" and T is not None and _dispatches_to(vals, T) is None \
                    and T != default:
                continue  # dispatched on the default type
            stats["valid_calls"] += 1
            res, m = call(torch, kind, Tc, name, vals)
            if res in ("invalid", "crash", "missing"):
                problems.append(("rejects a valid call" if res != "crash" else "crash",
                                 where, "%s -> %s" % (given_types(vals), m)))
            for label, wvals in wrong_calls(torch, vals, Tc):
                if kind == "m" and (not wvals or _tname(wvals[0]) != "torch." + Tc):
                    continue
                if kind == "f" and T is not None and _dispatches_to(wvals, T) != T:
                    continue
                key = given_types(wvals)
                if key in seen_wrong:
                    continue
                seen_wrong.add(key)
                stats["wrong_calls"] += 1
                ok = accepts(sets, Tc, wvals)
                res, m = call(torch, kind, Tc, name, wvals)
                if ok:
                    if res in ("invalid", "crash", "missing"):
                        problems.append(("rejects a call cwrap accepts", where,
                                         "%s (%s) -> %s" % (key, label, m)))
                    continue
                stats["help_checked"] += 1
                want = expected_message(sets, wvals)
                if res != "invalid" or m != want:
                    problems.append(("message" if res == "invalid" else "accepts a wrong call",
                                     where, "%s (%s)\n      want: %r\n      got:  %s %r"
                                     % (key, label, want, res, m)))
        if verbose:
            print("checked", where, file=sys.stderr)
    return stats, problems


# --------------------------------------------------------------------------------------------
# the Lua-visible torch: what a script's call returns (count, types, which argument comes back)
# and which methods and functions each tensor type has
# --------------------------------------------------------------------------------------------

_PROBE = r"""
local function pack(...) return {n = select('#', ...), ...} end
local function tn(v) return torch.typename(v) or type(v) end
return function(mode, name, n, ...)
  local args = {...}
  local f
  if mode == 'has' then  -- the method names a tensor of type args[1] answers, of the list n
    local t = torch[args[1]](1)
    local out = {}
    for i, k in ipairs(n) do out[i] = (t[k] ~= nil) and 1 or 0 end
    return 'ok', table.concat(out, ',')
  elseif mode == 'm' then
    local ok, m = pcall(function() return args[1][name] end)
    if not ok or m == nil then return 'missing' end
    f = m
  else
    f = torch[name]
    if f == nil then return 'missing' end
  end
  local r = pack(pcall(f, unpack(args, 1, n)))
  if not r[1] then return 'error', tostring(r[2]) end
  local out = {}
  for i = 2, r.n do
    local v = r[i]
    local d = tn(v)
    local same, ptr = 0, 0
    for j = 1, n do
      if rawequal(v, args[j]) then same = j break end
    end
    if d:match('Tensor$') then
      for j = 1, n do
        local a = args[j]
        if tn(a) == d and torch.pointer(a) == torch.pointer(v) then ptr = j break end
      end
    end
    out[#out + 1] = d .. '=' .. same .. '~' .. ptr
  end
  return 'ok', table.concat(out, ',')
end
"""


def _matching(sets, T, values):
    """The argument set and variant cwrap's generated checks pick for these values (the first
    that accepts them, in the order of its if / else-if chain)."""
    for s in sets:
        for cur in _variants(s["args"]):
            vararg = bool(cur) and cur[-1]["vararg"]
            if (len(values) < len(cur)) if vararg else (len(values) != len(cur)):
                continue
            if all(_check(a, T, values[i], values[i:]) for i, a in enumerate(cur)):
                return s, cur
    return None, None


def _result_type(a, T):
    n = a["name"]
    if n == "Tensor":
        return "torch." + T
    if n == "IndexTensor":
        return "torch.LongTensor"
    if n.endswith("Tensor"):
        return "torch." + n
    if n == "LongArg":
        return "torch.LongStorage"
    if n == "Generator":
        return "torch.Generator"
    if n == "boolean":
        return "boolean"
    if n == "charoption":
        return "string"
    return "number"


def expected_results(s, cur, T):
    """What cwrap's wrapper pushes: the `returned` arguments in declaration order (their
    precall), then the `creturned` one (its postcall); each as (type, identity): ('same', k)
    the k-th value given, ('ptr', k) a new userdata of the k-th value's tensor (a default that
    names another argument), ('new', 0) a tensor made by the wrapper, ('any', 0) a C result."""
    pos = {id(a): i + 1 for i, a in enumerate(cur)}
    args = s["args"]
    out, cret = [], None
    for a in args:
        if a["creturned"]:
            cret = a
        elif a["returned"]:
            ty = _result_type(a, T)
            ident = ("any", 0)
            if ty.endswith("Tensor") or ty.endswith("Storage"):
                b, seen = a, set()
                ident = ("new", 0)
                while True:
                    if id(b) in pos:
                        ident = ("same" if b is a else "ptr", pos[id(b)])
                        break
                    if not b["defval"] or id(b) in seen:
                        break
                    seen.add(id(b))
                    b = args[b["defval"] - 1]
            out.append((ty, ident))
    if cret is not None:
        out.append((_result_type(cret, T), ("any", 0)))
    return out


def _results_differ(want, got):
    """A description of how the results got (the probe's 'type=same~ptr' list) differ from
    want, or None."""
    gl = [g.rsplit("=", 1) for g in got.split(",")] if got else []
    gl = [(t, tuple(int(x) for x in r.split("~"))) for t, r in gl]
    if len(gl) != len(want):
        return "%d results (%s), Torch7 returns %d (%s)" % (
            len(gl), ", ".join(t for t, _ in gl), len(want), ", ".join(t for t, _ in want))
    for i, ((wt, (kind, k)), (gt, (same, ptr))) in enumerate(zip(want, gl)):
        if wt != gt:
            return "result %d is a %s, Torch7's is a %s" % (i + 1, gt, wt)
        if kind == "same" and same != k:
            return "result %d is not argument %d" % (i + 1, k)
        if kind == "ptr" and ptr != k:
            return "result %d is not argument %d's tensor" % (i + 1, k)
        if kind == "new" and (same or ptr):
            return "result %d is argument %d, Torch7's is a new tensor" % (i + 1, same or ptr)
    return None


def torch7_method_names(torch7):
    """The methods every tensor type has besides TensorMath's: generic/Tensor.c's luaL_Reg
    table and Tensor.lua's functions (both installed on every type's metatable)."""
    import re
    names = set()
    with open(os.path.join(torch7, "generic", "Tensor.c")) as fh:
        src = fh.read()
    body = src[src.index("static const struct luaL_Reg torch_Tensor_(_)"):]
    body = body[:body.index("};")]
    names.update(re.findall(r'\{"(\w+)",', body))
    with open(os.path.join(torch7, "Tensor.lua")) as fh:
        src = fh.read()
    names.update(re.findall(r"^function Tensor\.(\w+)", src, re.M))
    return names


def check_lua(torch7, cwrap, only=None, types=None):
    """Every declared call made from Lua (th's runtime): counts, types and identity of the
    results; per tensor type, the methods Lua finds against Torch7's, and torch.<f> on a type
    Torch7 does not implement it for. Returns (stats, problems)."""
    import torch7py as torch
    from compat.runtime import LuaRuntime
    funcs = record(torch7, cwrap)
    rt = LuaRuntime(argv=[], script=None)
    probe = rt.execute(_PROBE, "=probe")
    problems = []
    stats = {"entries": 0, "lua_calls": 0, "results_checked": 0, "presence_checked": 0}
    default = "DoubleTensor"
    tys = [t for t in TYPES if not types or t in types]
    for (table, name), sets in sorted(funcs.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        kind, T = table
        if only and name not in only:
            continue
        if types and T is not None and T[:-len("Tensor")] not in types:
            continue
        stats["entries"] += 1
        where = "%s:%s" % (T, name) if kind == "m" else "torch.%s on %s" % (name, T or default)
        Tc = T or default
        for vals in valid_calls(torch, sets, Tc):
            if kind == "m" and (not vals or _tname(vals[0]) != "torch." + Tc):
                continue
            if kind == "f" and T is not None and _dispatches_to(vals, T) not in (T, None):
                continue
            if kind == "f" and T is not None and _dispatches_to(vals, T) is None \
                    and T != default:
                continue
            s, cur = _matching(sets, Tc, vals)
            if s is None:
                continue
            stats["lua_calls"] += 1
            r = probe(kind, name, len(vals), *vals)
            res, detail = (r, None) if isinstance(r, str) else (r[0], r[1])
            if res == "missing":
                problems.append(("missing", where, given_types(vals)))
                break
            if res == "error":
                msg = str(detail)
                if "invalid arguments" in msg or "does not implement" in msg:
                    problems.append(("rejects a valid call", where,
                                     "%s -> %s" % (given_types(vals), msg)))
                continue  # the function's own error (sizes, values): no results to compare
            stats["results_checked"] += 1
            d = _results_differ(expected_results(s, cur, Tc), detail or "")
            if d:
                problems.append(("results", where, "%s: %s" % (given_types(vals), d)))
    # which type has which method, and torch.<f> on a type without it
    by_type = {}
    for (table, name), _ in funcs.items():
        kind, T = table
        if T is not None:
            by_type.setdefault((kind, T[:-len("Tensor")]), set()).add(name)
    common = torch7_method_names(torch7)
    every = sorted(set().union(*(v for (k, _), v in by_type.items() if k == "m")) | common)
    if only:
        every = [n for n in every if n in only]
    for ty in tys:
        want = by_type.get(("m", ty), set()) | common
        r = probe("has", None, every, ty + "Tensor")
        got = r[1].split(",") if every else []
        for n, g in zip(every, got):
            stats["presence_checked"] += 1
            if (g == "1") != (n in want):
                problems.append(("method present" if g == "1" else "method missing",
                                 "%sTensor:%s" % (ty, n),
                                 "Torch7 %s it" % ("has" if n in want else "has no")))
    fnames = sorted(set().union(*(v for (k, _), v in by_type.items() if k == "f")))
    if only:
        fnames = [n for n in fnames if n in only]
    for ty in tys:
        have = by_type.get(("f", ty), set())
        for n in fnames:
            if n in have:
                continue
            stats["presence_checked"] += 1
            t = getattr(torch, ty + "Tensor")(2)
            r = probe("f", n, 1, t)
            res, detail = (r, None) if isinstance(r, str) else (r[0], r[1])
            want = "torch.%sTensor does not implement the torch.%s() function" % (ty, n)
            if res != "error" or not str(detail).endswith(want):
                problems.append(("torch.f on a type without it", "torch.%s(%sTensor)" % (n, ty),
                                 "want %r, got %s %r" % (want, res, detail)))
    return stats, problems


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--torch7", required=True, help="a torch7 checkout (TensorMath.lua ...)")
    p.add_argument("--cwrap", required=True,
                   help="a cwrap checkout (cinterface.lua ...) or a bare git repository of it")
    p.add_argument("--only", nargs="*", help="function names")
    p.add_argument("--types", help="comma-separated: Byte,Double,...")
    p.add_argument("--max", type=int, default=0, help="print at most this many problems")
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("--lua", action="store_true",
                   help="call through th's Lua layer: results (count, types, identity) and "
                        "which methods/functions each tensor type has")
    a = p.parse_args(argv)
    sys.path.insert(0, os.path.dirname(HERE))
    types = a.types.split(",") if a.types else None
    if a.lua:
        stats, problems = check_lua(a.torch7, a.cwrap, a.only, types)
    else:
        stats, problems = check(a.torch7, a.cwrap, a.only, types, a.verbose)
    by_kind = {}
    for k, where, detail in problems:
        by_kind.setdefault(k, []).append((where, detail))
    shown = 0
    for k, items in sorted(by_kind.items()):
        print("== %s: %d" % (k, len(items)))
        for where, detail in items:
            if a.max and shown >= a.max:
                break
            shown += 1
            print("  %s: %s" % (where, detail))
    if a.lua:
        print("functions x tables x types: %(entries)d, Lua calls: %(lua_calls)d, results "
              "compared: %(results_checked)d, presence checks: %(presence_checked)d" % stats)
    else:
        print("functions x tables x types: %(functions)d, valid calls: %(valid_calls)d, "
              "wrong calls: %(wrong_calls)d (rejected by cwrap, message compared: "
              "%(help_checked)d)" % stats)
    print("problems: %d" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
