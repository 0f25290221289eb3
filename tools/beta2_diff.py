"""Differential check of our `th` against a real LuaJIT binary (Torch7's 2.1.0-beta2 built from
torch/luajit-rocks with its CMakeLists' flags, LUAJIT_ENABLE_LUA52COMPAT and GC64 on) on pure-Lua
snippets (no torch): runs each file under both and diffs stdout.

    tools/beta2_diff.py --luajit /tmp/lj-build/luajit-2.1/luajit a.lua [b.lua ...]
    tools/beta2_diff.py --luajit BIN --fuzz 2000 --seed 1 [--keep DIR] [--kinds pairs,format]

th's print (trepl's) writes a tab after each value and nothing for print(): the real binary
runs with such a print (-e), trailing tabs are dropped from both, `0x...` addresses masked.
--fuzz writes generated programs: each holds many cases, every case runs in pcall and prints a
header line, so a difference is reported per case (`CASE kind:n`), and the run ends with the
count of cases compared and differing, by kind.  The generator only writes Lua source; nothing
in it depends on torch7py.
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


ADDRESS = re.compile(r"0x[0-9a-f]{6,16}")


def mask_addresses(text):
    """Memory addresses (tostring of a table, function, userdata) differ run to run."""
    return ADDRESS.sub("ADDR", text)


def normalise(text):
    text = mask_addresses(text)
    return "\n".join(line.rstrip("\t") for line in text.split("\n"))


def run(cmd, path, timeout=120, args=(), norm=normalise, env=None, errors="replace", cwd=None):
    """Run `cmd path args...` in the script's folder; stdout (decoded, passed through norm)
    and the exit status. stderr is dropped. env: the environment (default: ours, with
    PYTHONPATH defaulting to this checkout); errors: how bytes that are not UTF-8 decode;
    cwd: where it runs (default: the script's folder)."""
    if env is None:
        env = dict(os.environ)
        env.setdefault("PYTHONPATH", ROOT)
    p = subprocess.run(cmd + [path] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, timeout=timeout, env=env,
                       cwd=cwd or os.path.dirname(path) or ".")
    return norm(p.stdout.decode("utf-8", errors)), p.returncode


def th_command(args):
    if args.th:
        return [args.th]
    venv_th = os.path.join(os.path.dirname(sys.executable), "th")
    return [venv_th if os.path.exists(venv_th) else "th"]


def split_cases(text):
    cases, cur, name = {}, [], None
    for line in text.split("\n"):
        if line.startswith("CASE "):
            if name is not None:
                cases[name] = "\n".join(cur)
            name, cur = line[5:], []
        elif name is not None:
            cur.append(line)
    if name is not None:
        cases[name] = "\n".join(cur)
    return cases


# th's print is trepl's: each value written with tostring and a tab, the newline after the
# last one (print() writes nothing); the reference gets the same for plain values (snippets do
# not print tables: trepl lists their fields)
TREPL_PRINT = ("print = function(...) local n = select('#', ...) for i = 1, n do "
               "io.write(tostring((select(i, ...))), '\\t') if i == n then io.write('\\n') end "
               "end end")


def diff_file(args, path):
    ref, rc1 = run([args.luajit, "-e", TREPL_PRINT], path)
    ours, rc2 = run(th_command(args), path)
    return ref, ours


# ---------------------------------------------------------------- the generator

WORDS = ["bg", "gradInput", "outnode", "fg", "forwardnodes", "innode", "_type", "output",
         "backwardnodes", "nInputs", "modules", "verbose", "weight", "bias", "train", "lr",
         "learningRate", "momentum", "x", "y", "z", "a", "b", "k1", "k2", "k10", "name",
         "dim", "size", "data", "", "longer_key_name_here", "A", "B", "_", "__index"]


def lua_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def rand_key(r, strings_only=False):
    c = r.random()
    if strings_only or c < 0.6:
        if r.random() < 0.4:
            return lua_str(r.choice(WORDS) + str(r.randint(0, 40)))
        if r.random() < 0.2:
            return lua_str("".join(r.choice("abcxyz_") for _ in range(r.randint(1, 12))))
        return lua_str(r.choice(WORDS))
    if c < 0.9:
        return str(r.choice([r.randint(1, 20), r.randint(-5, 40), r.randint(1, 300)]))
    if c < 0.95:
        return r.choice(["1.5", "-2.25", "0.5", "1e10", "2^31", "2^53"])
    return r.choice(["true", "false"])


PRINT_T = "local function P(t) local o={} for k,v in pairs(t) do o[#o+1]=tostring(k)..'='..tostring(v) end print(table.concat(o,' ')) end\n"


def gen_pairs(r, kind):
    out = []
    if kind == 0:  # constructor with mixed keys
        items = []
        for _ in range(r.randint(0, 12)):
            c = r.random()
            if c < 0.4:
                items.append(str(r.randint(0, 99)))
            elif c < 0.8:
                k = r.choice(WORDS[:20])
                items.append(k + "=" + str(r.randint(0, 9)))
            else:
                items.append("[" + rand_key(r) + "]=" + str(r.randint(0, 9)))
        out.append("local t = {" + ", ".join(items) + "}")
    elif kind == 1:  # inserts in a loop
        out.append("local t = {}")
        for _ in range(r.randint(1, 20)):
            out.append("t[" + rand_key(r) + "] = " + str(r.randint(0, 9)))
    elif kind == 2:  # deletions then inserts
        n = r.randint(3, 18)
        keys = [rand_key(r) for _ in range(n)]
        out.append("local t = {}")
        for k in keys:
            out.append("t[" + k + "] = 1")
        for k in r.sample(keys, r.randint(1, n)):
            out.append("t[" + k + "] = nil")
        for _ in range(r.randint(0, 8)):
            out.append("t[" + rand_key(r) + "] = 2")
    elif kind == 3:  # numeric keys with holes
        out.append("local t = {}")
        for i in r.sample(range(1, 40), r.randint(1, 20)):
            out.append("t[%d] = %d" % (i, i))
        out.append("print(#t)")
    elif kind == 4:  # copies through pairs, again and again (the gModule case)
        keys = r.sample(WORDS, r.randint(2, 16))
        out.append("local W = {" + ", ".join(lua_str(k) for k in keys) + "}")
        out.append("for i = 1, %d do" % r.randint(1, 5))
        out.append("  local d = {} for _, k in ipairs(W) do d[k] = true end")
        for _ in range(r.randint(1, 3)):
            out.append("  local e = {} for k in pairs(d) do e[k] = true end d = e")
        out.append("  local o = {} for k in pairs(d) do o[#o + 1] = k end W = o")
        out.append("  print(table.concat(W, ' '))")
        out.append("end")
        out.append("local t = {}")
    elif kind == 5:  # keys made at run time, across rehash boundaries
        n = r.choice([3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 65])
        fmt = r.choice(["'k'..i", "'key_'..(i*7)", "string.rep('x', i)", "i*2", "-i",
                        "i+0.5", "tostring(i)"])
        out.append("local t = {}")
        out.append("for i = 1, %d do t[%s] = i end" % (n, fmt))
        if r.random() < 0.5:
            out.append("for i = 1, %d, 3 do t[%s] = nil end" % (n, fmt))
            out.append("for i = %d, %d do t[%s] = i end" % (n + 1, n + r.randint(1, 8), fmt))
    else:  # next() after deletions during a traversal
        out.append("local t = {}")
        for _ in range(r.randint(2, 14)):
            out.append("t[" + rand_key(r) + "] = 1")
        out.append("for k in pairs(t) do if type(k) ~= 'number' or k % 2 == 0 then t[k] = nil end end")
        out.append("t[" + rand_key(r) + "] = 3")
    out.append("P(t)")
    out.append("print(#t, next(t) ~= nil)")
    return "\n".join(out)


NUMS = ["0", "-0", "0.5", "1.5", "2.5", "-2.5", "0.125", "0.03125", "1/0", "-1/0", "0/0",
        "1e308", "1e-308", "5e-324", "2^53", "2^63", "-2^31", "123456789012345",
        "1234567890123.25", "0.1", "1/3", "2.675", "1e15", "1e16", "1e100", "3.14159",
        "255", "-1", "65", "100.5", "99.5", "0.045", "1e-5", "123.456"]


def gen_format(r):
    conv = r.choice(["d", "i", "f", "g", "e", "x", "X", "o", "c", "q", "s", "G", "E"])
    flags = r.choice(["", "", "-", "+", " ", "0", "#"])
    width = r.choice(["", "", "5", "12"])
    prec = r.choice(["", "", ".0", ".1", ".2", ".3", ".5", ".14", ".17"])
    if conv in "cdixXo":
        prec = "" if conv == "c" or r.random() < 0.7 else prec
    if conv == "q":
        flags = width = prec = ""
    fmt = "%" + flags + width + prec + conv
    if conv in "cdixXo":
        arg = r.choice(["0", "1", "65", "255", "-1", "3.0", "2^31", "2^32+1", "-2^31", "100"])
    elif conv in "qs":
        arg = r.choice(["'a\\nb'", "'q\"x'", "'\\0z'", "'\\r\\t'", "1.5", "10", "'x'", "0.1"])
    else:
        arg = r.choice(NUMS)
    return "print(string.format(%s, %s))" % (lua_str(fmt), arg)


def gen_tostring(r):
    vals = r.sample(NUMS, 4) + [r.choice(["%d.%d" % (r.randint(0, 999), r.randint(0, 9999)),
                                          "%de%d" % (r.randint(1, 9), r.randint(-20, 20))])]
    return "print(%s)\nio.write(%s, '\\n')" % (", ".join(vals), ", ' ', ".join(vals))


def gen_random(r):
    seed = r.choice([0, 1, 42, 123, 2 ** 31 - 1, r.randint(0, 10 ** 6), 1.5])
    calls = [r.choice(["math.random()", "math.random(%d)" % r.randint(1, 100),
                       "math.random(%d, %d)" % (r.randint(-5, 5), r.randint(6, 50))])
             for _ in range(6)]
    return "math.randomseed(%s)\nprint(%s)" % (seed, ", ".join(calls))


def gen_sort(r):
    n = r.randint(0, 40)
    vals = [str(r.randint(0, 9)) for _ in range(n)]
    cmp, c2 = r.choice([
        ("", "function(a, b) return a.v < b.v end"),
        ("function(a, b) return a > b end", "function(a, b) return a.v > b.v end"),
        ("function(a, b) return a % 3 < b % 3 end", "function(a, b) return a.v % 3 < b.v % 3 end"),
        ("function(a, b) return (a + b) % 2 == 0 end", "function(a, b) return (a.v + b.v) % 2 == 0 end"),
        ("function(a, b) return a <= b end", "function(a, b) return a.v <= b.v end")])
    tag = "{" + ", ".join("{v=%s,i=%d}" % (v, i) for i, v in enumerate(vals)) + "}"
    return ("local t = {%s}\nprint(pcall(table.sort, t%s))\nprint(table.concat(t, ' '))\n"
            "local u = %s\ntable.sort(u, %s)\nlocal o = {} for i, x in ipairs(u) do o[i] = x.i end "
            "print(table.concat(o, ' '))") % (", ".join(vals), (", " + cmp) if cmp else "", tag, c2)


def gen_string(r):
    s = lua_str(r.choice(["hello world", "a,b,,c", "  trim me  ", "x=1, y=22, z=333",
                          "The quick brown fox", "", "aaa", "%d%s"]))
    pat = lua_str(r.choice(["%a+", "(%w+)=(%w+)", "^%s*(.-)%s*$", "[aeiou]", ",", "%d+",
                            "(o)", ".", "", "x*", "%s", "()", "b-", "[%a_]+"]))
    ops = [
        "print(string.rep(%s, %d%s))" % (s, r.randint(-1, 3), r.choice(["", ", '|'"])),
        "print(string.sub(%s, %d, %d))" % (s, r.randint(-12, 12), r.randint(-12, 12)),
        "print(string.byte(%s, %d, %d))" % (s, r.randint(-5, 5), r.randint(-5, 12)),
        "print(string.gsub(%s, %s, %s))" % (s, pat, r.choice(["'<%0>'", "'%1'", "string.upper",
                                                               "{a='A', hello='HI'}", "''"])),
        "print(string.find(%s, %s, %d%s))" % (s, pat, r.randint(-5, 5), r.choice(["", ", true"])),
        "print(string.match(%s, %s))" % (s, pat),
        "local o = {} for a, b in string.gmatch(%s, %s) do o[#o+1] = tostring(a)..'/'..tostring(b) end print(table.concat(o, ';'))" % (s, pat),
        "print(table.concat({1, 2.5, 'x', %d}, %s, %d, %d))" % (r.randint(0, 9), lua_str(r.choice(["", ",", " - "])), r.randint(1, 3), r.randint(0, 5)),
    ]
    return r.choice(ops)


def gen_table(r):
    ops = [
        "local t = {1, 2, 3} table.insert(t, %d, 'x') print(table.concat(t, ' '))" % r.randint(-1, 6),
        "local t = {1, 2, 3} print(table.remove(t, %d)) print(table.concat(t, ' '), #t)" % r.randint(-1, 6),
        "local t = {} print(table.remove(t)) print(#t)",
        "print(table.insert(nil, 1))",
        "print(table.insert({}, 1, 2, 3))",
        "print(select('#'%s))" % "".join(", " + r.choice(["nil", "1", "'a'"]) for _ in range(r.randint(0, 6))),
        "print(select(%d, 'a', 'b', 'c'))" % r.randint(-4, 5),
        "print(select('#', unpack({}, 1, %d)))" % r.choice([0, 10, 100, 7999, 8000, 10000, 1000000]),
        "print(unpack({1, 2, nil, 4}))",
        "print(unpack({1, 2, 3}, %d, %d))" % (r.randint(-2, 3), r.randint(0, 5)),
        "print(%d %% %d, %d / %d, math.floor(%d / %d), math.fmod(%d, %d))" % ((r.randint(-9, 9), r.choice([-4, -3, 3, 4])) * 4),
        "print(%s %% %s)" % (r.choice(["5.5", "-5.5", "1/0", "0", "-0"]), r.choice(["2", "-2", "0", "1/0", "-1/0"])),
        "local t = {%s} print(#t)" % ", ".join(r.choice(["1", "nil"]) for _ in range(r.randint(0, 9))),
        "local t = {} for i = 1, %d do t[i] = i end for i = %d, %d do t[i] = nil end print(#t)" % (r.randint(1, 40), r.randint(1, 20), r.randint(1, 40)),
    ]
    return r.choice(ops)


def gen_error(r):
    ops = [
        "local x; return x.y", "local x; x.y = 1", "return nil + 1", "return {} .. 'a'",
        "return 1 < nil", "return {} < {}", "return 'a' < 1", "local t = {} return t.a.b",
        "return undefinedfn()", "local s = 'x'; return s:nope()", "return #nil",
        "return math.floor('x')", "return ('x'):rep(1e10)", "error('msg')", "error('msg', 0)",
        "error(setmetatable({}, {__tostring = function() return 'obj' end}))", "error()", "return string.rep()", "return setmetatable(1, {})",
        "return tostring()", "return ipairs()", "return ('%d'):format('x')",
        "return string.format('%d', 1.5)", "return table.concat({{}})", "return -{}",
        "return 2^'x'", "local a = {} a[nil] = 1", "return rawset({}, nil, 1)",
        "return select(0)", "return string.char(256)", "return assert(false)",
        "return assert(nil, 'boom')", "return assert(1 == 2, 42)", "return tonumber('10', 99)",
        "return next({}, 'nokey')", "for i = 1, 'x' do end", "return coroutine.resume(1)",
        "return table.sort({3, 'a', 1})", "return math.random(0)", "return math.random(3, 1)",
        "return string.sub()", "return loadstring('x = ')()", "return load('return +')",
        "return unpack({}, 1, 1e8)", "return os.time({})", "return io.open()",
    ]
    return "print(pcall(function() %s end))" % r.choice(ops)


PAIRS = ["ctor", "inserts", "deletes", "holes", "copies", "runtime", "next"]
KINDS = {"pairs_" + name: (lambda r, i=i: gen_pairs(r, i)) for i, name in enumerate(PAIRS)}
KINDS.update({"format": gen_format, "tostring": gen_tostring,
         "random": gen_random, "sort": gen_sort, "string": gen_string, "table": gen_table,
         "error": gen_error})


def gen_program(r, kinds, ncases, start):
    lines = [PRINT_T]
    names = []
    for i in range(ncases):
        kind = r.choice(kinds)
        name = "%s:%d" % (kind, start + i)
        names.append(name)
        body = KINDS[kind](r)
        lines.append("print('CASE %s')" % name)
        lines.append("do local ok, e = pcall(function()\n%s\nend) if not ok then print('ERR', e) end end"
                     % body)
    return "\n".join(lines) + "\n", names


def fuzz(args):
    r = random.Random(args.seed)
    kinds = args.kinds.split(",") if args.kinds else list(KINDS)
    outdir = args.keep or tempfile.mkdtemp(prefix="beta2_fuzz_")
    os.makedirs(outdir, exist_ok=True)
    total, bykind, diffs = 0, {}, {}
    done = 0
    while done < args.fuzz:
        n = min(args.per_file, args.fuzz - done)
        src, names = gen_program(r, kinds, n, done)
        path = os.path.join(outdir, "fuzz_%05d.lua" % done)
        with open(path, "w") as f:
            f.write(src)
        ref, ours = diff_file(args, path)
        rc, oc = split_cases(ref), split_cases(ours)
        if len(rc) != len(names):
            sys.exit("the reference ran %d of %d cases of %s:\n%s" % (len(rc), len(names), path, ref[-2000:]))
        for name in names:
            kind = name.split(":")[0]
            bykind.setdefault(kind, [0, 0])
            bykind[kind][0] += 1
            total += 1
            if rc.get(name) != oc.get(name):
                bykind[kind][1] += 1
                diffs.setdefault(kind, []).append((path, name, rc.get(name), oc.get(name)))
        done += n
    for kind, items in sorted(diffs.items()):
        for path, name, a, b in items[:args.show]:
            print("== %s (%s)\n-- beta2:\n%s\n-- th:\n%s" % (name, path, a, b))
    print("cases %d, differing %d" % (total, sum(v[1] for v in bykind.values())))
    for kind, (n, d) in sorted(bykind.items()):
        print("  %-9s %5d cases, %4d differ" % (kind, n, d))
    return 1 if diffs else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--luajit", required=True, help="the real LuaJIT binary")
    ap.add_argument("--th", help="our th (default: the one beside this Python)")
    ap.add_argument("--fuzz", type=int, default=0, help="cases to generate")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-file", type=int, default=200)
    ap.add_argument("--kinds", help="comma-separated: " + ",".join(KINDS))
    ap.add_argument("--keep", help="write the programs there")
    ap.add_argument("--show", type=int, default=5, help="differences shown per kind")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    if args.fuzz:
        sys.exit(fuzz(args))
    bad = 0
    for path in args.files:
        path = os.path.abspath(path)
        ref, ours = diff_file(args, path)
        if ref != ours:
            bad += 1
            import difflib
            sys.stdout.writelines(difflib.unified_diff(
                ref.splitlines(True), ours.splitlines(True), "beta2:" + path, "th:" + path))
            print()
        else:
            print("same:", path)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
