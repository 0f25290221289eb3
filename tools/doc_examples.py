"""Run the Lua examples of Torch7's manuals through our th and compare with the printed output.

Given checkouts of torch7, nn, optim or nngraph (their doc/*.md, or README.md), every fenced
code block that is Lua is an example. Its lines are split the way the manuals write them:
`> expr` prompt lines (trepl evaluates them and prints the values; a statement that is not
complete yet takes the following lines), the output lines after a prompt or after a `print`
(lines that are not Lua), and plain code. Each example runs in a fresh runtime (a forked child
process with its own LuaJIT state, in an empty scratch folder, under a timeout), after
`require 'nn'` (and optim or nngraph for their manuals); each piece of output the manual shows
is compared with what we print:

- the manual's text is normalized for what Torch7 itself changed since it was written
  (`of dimension` is `of size` at torch7 814ea4a, `[torch.Tensor of` names the default type),
  comments (`-- ...`) are dropped, trailing blanks and empty lines ignored;
- an output that changes when the example is run again with another seed (random draws,
  addresses, timings) is not compared, except its last line when that names a tensor's type
  and size; an output the manual elides (`...`) is not compared;
- an example that uses a variable the manual never defines (after the earlier blocks of its
  section ran as a prelude) is skipped, as is a block that is a signature, not Lua.

Prints each example that errs or differs and the summary `N examples: A same, B differ,
C error`. Run: python tools/doc_examples.py PATH [PATH ...] [--only FILE] [--verbose]
[--json OUT]. PYTHONPATH must reach the project (compat, torch7py).
"""
import argparse
import io
import json
import os
import re
import signal
import sys
import tempfile

# the examples are small: BLAS threads only fight the other processes (on a busy machine a
# 1000x1000 Linear's forward takes 30 times longer with them)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

TIMEOUT = 60
FENCE = re.compile(r"^\s*```\s*([A-Za-z]*)\s*$")
PROMPT = re.compile(r"^\s*(?:th)?>\s?(.*)$")
HEADING = re.compile(r"^(#{1,6})\s")
KEYWORDS = ("for", "function", "local", "if", "while", "do", "repeat", "return")


# -- reading the manuals --------------------------------------------------------------------------
class LuaSyntax:
    """Lua's own parser (a bare LuaJIT state) says whether a chunk is complete."""

    def __init__(self):
        import lupa.luajit21 as lupa
        self.lua = lupa.LuaRuntime()
        self._check = self.lua.eval(
            "function(s) local f, e = loadstring(s) if f then return 'ok' end "
            "if e:find(\"'<eof>'$\") then return 'incomplete' end return 'error' end")

    def status(self, code):
        return self._check(code)

    def prompt_status(self, text):
        """A prompt line is complete when it is an expression (trepl prints its values) or a
        statement."""
        text = re.sub(r"^\s*=", "", text)
        a, b = self._check("return " + text), self._check(text)
        if "ok" in (a, b):
            return "ok"
        return "incomplete" if "incomplete" in (a, b) else "error"


class Segment:
    """A piece of an example: plain code or a prompt line, and the output the manual shows."""

    def __init__(self, kind, code, line):
        self.kind, self.code, self.line = kind, code, line
        self.expected = []

    def to_json(self):
        return {"kind": self.kind, "code": self.code, "line": self.line,
                "expected": self.expected}


def _strip_comment(line):
    """The line without a trailing `-- comment` (one outside a string)."""
    quote = None
    for k, ch in enumerate(line):
        if quote:
            if ch == quote and line[k - 1] != "\\":
                quote = None
        elif ch in "'\"":
            quote = ch
        elif line.startswith("--", k) and not line.startswith("--[", k):
            return line[:k].rstrip()
    return line


def _is_comment(code):
    return all(not ln.strip() or ln.strip().startswith("--") for ln in code.split("\n"))


def parse_block(lines, first, syntax):
    """Segments of one code block (lines, the 1-based line number of its first line), or None
    when the block is not Lua (a signature, math, shell)."""
    segs, buf, bufline, out = [], [], first, None
    i, n = 0, len(lines)

    def flush():
        nonlocal buf
        code = "\n".join(buf).strip("\n")
        buf = []
        if code.strip():
            seg = Segment("code", code, bufline)
            segs.append(seg)
            return seg
        return None

    def flush_for_output():
        """Flush the code that the next lines are the output of; when its last line is a bare
        expression (`output:size()` written without its `> `), that line becomes a prompt: the
        manual shows what trepl printed for it."""
        while buf and not buf[-1].strip():
            buf.pop()
        last = _strip_comment(buf[-1].strip()) if buf else ""
        last_no = bufline + len(buf) - 1
        if (len(buf) > 1 and last and "\n".join(buf[:-1]).strip()
                and not last.startswith("print")
                and syntax.status("return " + last) == "ok"
                and syntax.status("\n".join(buf[:-1])) == "ok"):
            buf.pop()
            flush()
            seg = Segment("prompt", last, last_no)
            segs.append(seg)
            return seg
        seg = flush()
        if seg is not None and seg.kind == "code" and "\n" not in seg.code and \
                not seg.code.startswith("print") and syntax.status("return " + seg.code) == "ok":
            seg.kind, seg.code = "prompt", _strip_comment(seg.code)
        return seg

    def take_code(j):
        """If lines[j:] start with a complete Lua statement, the index after it, else None."""
        acc = []
        for k in range(j, n):
            acc.append(lines[k])
            if not lines[k].strip():
                continue
            st = syntax.status("\n".join(acc))
            if st == "ok":
                return k + 1
            if st == "error":
                return None
            first_word = re.match(r"\s*([A-Za-z_]\w*)", acc[0])
            if k == j and not (first_word and (first_word.group(1) in KEYWORDS or re.match(
                    r"\s*[A-Za-z_][\w.:\[\]'\"]*\s*(=|\(|\{|:|\.\.)", acc[0]))):
                return None
        return None

    while i < n:
        line = lines[i]
        m = PROMPT.match(line)
        if not m and line.lstrip().startswith("=") and syntax.prompt_status(line) == "ok":
            # `=expr` typed at the old prompt, which the manuals show without its `> `
            m = re.match(r"\s*(.*)$", line)
        if m:
            flush()
            text, j = m.group(1), i + 1
            while (syntax.prompt_status(text) == "incomplete" and j < n
                   and not PROMPT.match(lines[j])):
                text += "\n" + re.sub(r"^\s*(\.\.>|>>)\s?", "", lines[j])
                j += 1
            if syntax.prompt_status(text) != "ok":
                return None
            # the manual's annotation after a one-line prompt (`> = x * y -- dot product`) is
            # no part of what was typed: trepl would take the comment's end for the code's
            bare = _strip_comment(text)
            if "\n" not in text and bare != text and syntax.prompt_status(bare) == "ok":
                text = bare
            out = Segment("prompt", text, first + i)
            segs.append(out)
            i = j
            continue
        if out is not None:
            if not line.strip():
                out.expected.append("")
                i += 1
                continue
            end = take_code(i)
            if end is None:
                out.expected.append(line)
                i += 1
                continue
            out = None
            bufline = first + i
            buf.extend(lines[i:end])
            i = end
            continue
        if not buf:
            bufline = first + i
        if (buf and line.lstrip().startswith("{") and not _is_comment("\n".join(buf))
                and syntax.status("\n".join(buf)) == "ok"):
            # a table printed after a complete statement (Lua would read `f(x)\n{...}` as a
            # call of f(x)'s result)
            out = flush_for_output()
            out.expected.append(line)
            i += 1
            continue
        buf.append(line)
        st = syntax.status("\n".join(buf))
        if st == "error":
            before = "\n".join(buf[:-1])
            if buf[:-1] and syntax.status(before) == "ok" and not _is_comment(before):
                buf.pop()
                out = flush_for_output()
                out.expected.append(line)
            else:
                return None
        i += 1
    if buf:
        if syntax.status("\n".join(buf)) != "ok":
            return None
        flush()
    if not segs or all(_is_comment(s.code) for s in segs):
        return None
    return segs


def extract(path, syntax):
    """The examples of one markdown file: dicts with file, line, section, segments."""
    with open(path, encoding="utf-8") as f:
        text = f.read().split("\n")
    examples, section, inblock, lang, start, body = [], 0, False, "", 0, []
    last_end = None
    for no, line in enumerate(text, 1):
        m = FENCE.match(line)
        if m and not inblock:
            inblock, lang, start, body = True, m.group(1).lower(), no + 1, []
            continue
        if inblock:
            if m and not m.group(1):
                inblock = False
                segs = parse_block(body, start, syntax) if lang in ("", "lua") else None
                if segs:
                    examples.append({"file": path, "line": start - 1, "section": section,
                                     "segments": segs, "shown_after": None})
                elif examples and last_end == examples[-1]["end"]:
                    # a block that is not Lua right after an example: what it printed (the
                    # manual's "We get a nice error message:")
                    examples[-1]["shown_after"] = [ln for ln in body if ln.strip()]
                if segs:
                    examples[-1]["end"] = no
                last_end = no
            else:
                body.append(line)
            continue
        h = HEADING.match(line)
        if h and len(h.group(1)) <= 2:
            section += 1
        if h:
            last_end = None
    return examples


def manual_files(path):
    """The markdown files of a checkout (its doc/ folder, or the README of nngraph)."""
    if os.path.isfile(path):
        return [path]
    doc = os.path.join(path, "doc")
    files = []
    if os.path.isdir(doc):
        files = sorted(os.path.join(doc, f) for f in os.listdir(doc) if f.endswith(".md"))
    readme = os.path.join(path, "README.md")
    if not files and os.path.isfile(readme):
        files = [readme]    # nngraph's manual is its README (its doc/ holds the images)
    return files


def libraries(path):
    p = os.path.abspath(path)
    if "nngraph" in p:
        return ["nn", "nngraph"]
    if "optim" in p:
        return ["nn", "optim"]
    return ["nn"]


# -- running an example in a fresh runtime --------------------------------------------------------
EVAL = r"""
local line = ...
if line:find('^%s-=') then line = line:gsub('^%s-=', '') end
if not (line:find(';%s-$') or line:find('^%s-print'))
      and loadstring('local f = function() return ' .. line .. ' end') then
   local chunk = loadstring('_RESULT = {' .. line .. '}')
   local ok, err = pcall(chunk)
   if not ok then return tostring(err) end
   print(unpack(_RESULT))
   return nil
end
local chunk, perr = loadstring(line)
if not chunk then return 'syntax error: ' .. perr end
local ok, err = pcall(chunk)
if not ok then return tostring(err) end
"""


LUA_WORDS = {"and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if",
             "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until",
             "while", "self"}


def _strip_strings(code):
    code = re.sub(r"--.*", "", code)
    return re.sub(r"'(?:\\.|[^'])*'|\"(?:\\.|[^\"])*\"", "''", code)


def _top_level(code):
    """The lines of a block at its least indentation (names used inside a function body may be
    undefined on purpose: tester.md's `"hello " .. world`)."""
    lines = [ln for ln in _strip_strings(code).split("\n") if ln.strip()]
    if not lines:
        return ""
    least = min(len(ln) - len(ln.lstrip()) for ln in lines)
    return "\n".join(ln for ln in lines if len(ln) - len(ln.lstrip()) == least)


def _child(libs, prelude, segments, seed, result_path, outfile, timeout):
    signal.alarm(timeout)
    fd = os.open(outfile, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.stdout = sys.stderr = io.TextIOWrapper(io.FileIO(1, "w", closefd=False),
                                               write_through=True)
    os.chdir(tempfile.mkdtemp(prefix="docex-"))
    from compat.runtime import LuaError, LuaRuntime, LuaSyntaxError, lua_message
    results = []
    rt = LuaRuntime(argv=[], script=None)
    rt.enable_trepl()
    for lib in libs:
        rt.execute("require '%s'" % lib)
    rt.execute("torch.manualSeed(%d) math.randomseed(%d)" % (seed, seed))
    doeval = rt.load(EVAL, "=[doc]")
    flush = rt.load("io.stdout:flush() io.stderr:flush()", "=[doc]")

    def run(seg):
        try:
            if seg["kind"] == "prompt":
                r = doeval(seg["code"])
                return None if r is None else str(r)
            # a block of plain code is a script: its top-level locals live on in the next
            # pieces, which run as chunks of their own
            code = re.sub(r"(?m)^local\s+([A-Za-z_][\w\s,]*?)\s*$", r"\1 = nil", seg["code"])
            rt.execute(re.sub(r"(?m)^local\s+", "", code), "=[doc]")
            return None
        except (LuaError, LuaSyntaxError) as e:
            return lua_message(e)
        except Exception as e:  # noqa: BLE001  (a Python error that escaped the bridge)
            return "%s: %s" % (type(e).__name__, e)
        finally:
            flush()
            sys.stdout.flush()

    prelude_ok = [run(seg) is None for seg in prelude]
    # the manuals' `module` is a placeholder, not Lua 5.1's module()
    isnil = rt.lua.eval("function(k) local v = rawget(_G, k) return v == nil or "
                        "(k == 'module' and type(v) == 'function') end")
    for seg in segments:
        pos = os.lseek(1, 0, os.SEEK_END)
        err = run(seg)
        end = os.lseek(1, 0, os.SEEK_END)
        undefined = []
        if err is not None:
            names = set(re.findall(r"(?<![.:\w])([A-Za-z_]\w*)", _top_level(seg["code"])))
            undefined = sorted(k for k in names - LUA_WORDS if isnil(k))
        results.append({"start": pos, "end": end, "error": err, "undefined": undefined})
        with open(result_path, "w") as f:
            json.dump({"prelude_ok": prelude_ok, "segments": results}, f)
    os._exit(0)


def run_example(libs, prelude, segments, seed=1, timeout=TIMEOUT):
    """([(output text, error or None, undefined names)] per segment, [prelude segment ran
    without error]), run in a forked child."""
    tmp = tempfile.mkdtemp(prefix="docrun-")
    result_path, outfile = os.path.join(tmp, "r.json"), os.path.join(tmp, "out.txt")
    pre = [s.to_json() for s in prelude]
    segs = [s.to_json() for s in segments]
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            _child(libs, pre, segs, seed, result_path, outfile, timeout)
        except BaseException as e:  # noqa: BLE001
            try:
                with open(result_path + ".crash", "w") as f:
                    f.write("%s: %s" % (type(e).__name__, e))
            finally:
                os._exit(1)
    _, status = os.waitpid(pid, 0)
    results, prelude_ok = [], []
    try:
        with open(result_path) as f:
            r = json.load(f)
        results, prelude_ok = r["segments"], r["prelude_ok"]
    except (OSError, ValueError):
        pass
    try:
        with open(outfile, "rb") as f:
            data = f.read()
    except OSError:
        data = b""
    out = []
    for r in results:
        out.append((data[r["start"]:r["end"]].decode("utf-8", "replace"), r["error"],
                    r["undefined"]))
    if len(out) < len(segments):
        why = "timeout after %ds" % timeout if os.WIFSIGNALED(status) else "crashed"
        if os.path.exists(result_path + ".crash"):
            with open(result_path + ".crash") as f:
                why = f.read()
        out.append((data[results[-1]["end"]:].decode("utf-8", "replace") if results else "",
                    why, []))
        out.extend(("", None, []) for _ in range(len(segments) - len(out)))
    for name in os.listdir(tmp):
        os.unlink(os.path.join(tmp, name))
    os.rmdir(tmp)
    return out, prelude_ok


# -- comparing ------------------------------------------------------------------------------------
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]+")


def norm_expected(lines):
    out = []
    for ln in lines:
        ln = re.sub(r"\s--(\s.*|)$", "", ln)   # the manual's comments in the output
        ln = ln.replace(" of dimension ", " of size ")
        ln = ln.replace("[torch.Tensor of", "[torch.DoubleTensor of")
        out.append(ln.rstrip())
    return [ln for ln in out if ln]


def norm_got(text):
    return [ln.rstrip() for ln in text.split("\n") if ln.strip()]


NUM = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def _noise(a, b):
    """Two numbers that are both rounding residue (a dist or max of what should be zero): their
    digits depend on the BLAS/LAPACK build, not on Torch7."""
    try:
        return abs(float(a)) < 1e-9 and abs(float(b)) < 1e-9
    except ValueError:
        return False


def compare(have, want):
    """'same', 'spacing' (the same tokens, other blanks: the manual's hand-edited columns) or
    'differ'."""
    if have == want:
        return "same"
    if len(have) == len(want):
        ok = True
        for h, w in zip(have, want):
            th, tw = h.split(), w.split()
            if th == tw:
                continue
            if len(th) != len(tw) or not all(x == y or _noise(x, y) for x, y in zip(th, tw)):
                ok = False
                break
        if ok:
            spaced = any(h.split() == w.split() and h != w for h, w in zip(have, want))
            return "spacing" if spaced else "same"
    return "differ"


def elided(lines):
    return any(ln.strip() in ("...", "…") for ln in lines)


def assigned_names(segments):
    names = set()
    for s in segments:
        for m in re.finditer(r"(?:^|[\s;(,])(?:local\s+)?([A-Za-z_]\w*)\s*(?:,\s*[A-Za-z_]\w*\s*)*"
                             r"=(?!=)", s.code):
            names.add(m.group(1))
        for m in re.finditer(r"\bfunction\s+([A-Za-z_]\w*)", s.code):
            names.add(m.group(1))
        for m in re.finditer(r"\bfor\s+([\w\s,]+?)\s+(?:=|in)\b", s.code):
            names.update(x.strip() for x in m.group(1).split(","))
    return names


POSITION = re.compile(r"^\S+:\d+:\s*")


def _messages(lines):
    """Lines of printed output with tracebacks and file positions left out (the original's are
    paths of its install)."""
    out, in_tb = [], False
    for ln in lines:
        if ln.strip() == "stack traceback:":
            in_tb = True
            continue
        if in_tb and ln[:1] in (" ", "\t"):
            continue
        in_tb = False
        ln = POSITION.sub("", ln.strip()).strip()
        if ln:
            out.append(ln)
    return out


def _shown(lines, text, err):
    """Whether what the example printed and its error are what the manual shows after it: its
    lines, in order, among ours."""
    if not lines:
        return False
    want = _messages(lines)
    got = iter(_messages((text + "\n" + err).split("\n")))
    return bool(want) and all(any(g == w for g in got) for w in want)


def judge(ex, libs, timeout=TIMEOUT, prelude=()):
    """Verdict of one example: dict(verdict=same|differ|error|skip, ...) from its first segment
    that errs or prints other than the manual shows; `more` lists the later differences (the
    pieces after a manual's mistake are still compared)."""
    segs = ex["segments"]
    got, prelude_ok = run_example(libs, list(prelude), segs, 1, timeout)
    again, compared, problems = None, 0, []
    for k, (seg, (text, err, undefined)) in enumerate(zip(segs, got)):
        want = [ADDRESS.sub("0x", w) for w in norm_expected(seg.expected)]
        have = norm_got(ADDRESS.sub("0x", text))
        if err is not None and want:
            # the manual shows the error trepl printed: compare its first lines
            shown = have + norm_got(ADDRESS.sub("0x", err))
            if compare(shown[:len(want)], want) == "same":
                compared += 1
                continue
        if err is None and want and not elided(seg.expected):
            if compare(have, want) == "same":
                compared += 1
            else:
                if again is None:
                    again, _ = run_example(libs, list(prelude), segs, 2, timeout)
                other = norm_got(ADDRESS.sub("0x", again[k][0]))
                if have != other:
                    # a random draw: only the closing `[torch.X of size ...]` line is a fact,
                    # when the size does not depend on the draw
                    if (want[-1].startswith("[torch.") and have and other
                            and have[-1] == other[-1] and have[-1] != want[-1]):
                        problems.append({"verdict": "differ", "line": seg.line, "code": seg.code,
                                         "want": want[-1:], "got": have[-1:]})
                else:
                    problems.append({"verdict": "differ", "line": seg.line, "code": seg.code,
                                     "want": want, "got": have,
                                     "spacing": compare(have, want) == "spacing"})
        if err is not None and k == len(segs) - 1 and _shown(ex.get("shown_after"), text, err):
            compared += 1
            continue
        if err is not None:
            # names the earlier blocks define count only when those blocks ran
            known = assigned_names([p for p, ok in zip(prelude, prelude_ok) if ok] + segs)
            missing = [n for n in undefined if n not in known]
            cuda = re.search(r"(field|global) '(Cuda\w*|cutorch|cunn|cudnn)' \(a nil value\)",
                             err)
            if cuda:    # cutorch: no GPU package here, as in a Torch7 without one
                missing.append(("torch." if cuda.group(1) == "field" else "") + cuda.group(2))
            if missing:
                problems.append({"verdict": "skip", "line": seg.line, "detail":
                                 "needs %s, which the manual never defines" % ", ".join(missing)})
            else:
                problems.append({"verdict": "error", "detail": err.strip(), "line": seg.line,
                                 "code": seg.code})
            break   # what follows an error builds on what failed
    if not problems:
        return {"verdict": "same", "compared": compared}
    real = [p for p in problems if p["verdict"] != "skip"]
    if not real:
        return problems[0]
    return dict(real[0], more=real[1:])


def judge_in_section(examples, idx, libs, timeout=TIMEOUT):
    """Verdict of examples[idx]; when it errs or needs a name, it runs again after the earlier
    blocks of its section (the manual's blocks build on each other)."""
    ex = examples[idx]
    v = judge(ex, libs, timeout)
    if v["verdict"] in ("error", "skip"):
        pre = [s for e in examples[:idx] if e["section"] == ex["section"] for s in e["segments"]]
        if pre:
            v2 = judge(ex, libs, timeout, prelude=pre)
            if v2["verdict"] != "skip" or v["verdict"] == "skip":
                v = v2
    return v


def sweep(paths, only=None, timeout=TIMEOUT, verbose=False, log=sys.stdout):
    syntax = LuaSyntax()
    import compat.runtime  # noqa: F401  (imported once, before the forks)
    records = []
    for path in paths:
        libs = libraries(path)
        for md in manual_files(path):
            if only and os.path.basename(md) not in only:
                continue
            examples = extract(md, syntax)
            for idx, ex in enumerate(examples):
                v = judge_in_section(examples, idx, libs, timeout)
                rec = dict(v, file=os.path.relpath(md, os.path.dirname(path.rstrip("/"))),
                           block=ex["line"])
                records.append(rec)
                if verbose or v["verdict"] in ("error", "differ"):
                    report(rec, log)
    return records


def report(rec, log):
    where = "%s:%d" % (rec["file"], rec.get("line", rec["block"]))
    log.write("%-6s %s" % (rec["verdict"], where))
    if rec["verdict"] == "error":
        msg = [ln for ln in rec["detail"].split("\n") if ln.strip()][:3]
        log.write("  %s\n    | %s\n" % (rec["code"].split("\n")[0][:90],
                                       "\n    | ".join(ln[:200] for ln in msg)))
    elif rec["verdict"] == "differ":
        log.write("  %s%s\n" % (rec["code"].split("\n")[0][:90],
                                "  (spacing only)" if rec.get("spacing") else ""))
        for w in rec["want"][:8]:
            log.write("    - %s\n" % w)
        for g in rec["got"][:8]:
            log.write("    + %s\n" % g)
    else:
        log.write("  %s\n" % rec.get("detail", ""))
    for more in rec.get("more", ()):
        report(dict(more, file=rec["file"], block=rec["block"]), log)
    log.flush()


def summary(records):
    c = {k: sum(r["verdict"] == k for r in records) for k in ("same", "differ", "error", "skip")}
    n = c["same"] + c["differ"] + c["error"]
    shown = sum(1 for r in records if r["verdict"] == "same" and r.get("compared"))
    return ("%d examples: %d same, %d differ, %d error (same: %d with printed output compared, "
            "the others ran without error; %d skipped: need what the manual never defines)"
            % (n, c["same"], c["differ"], c["error"], shown, c["skip"]))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+", help="checkouts (torch7, nn, optim, nngraph) or .md files")
    ap.add_argument("--only", action="append", help="a manual's file name (tensor.md); repeatable")
    ap.add_argument("--timeout", type=int, default=TIMEOUT)
    ap.add_argument("--verbose", action="store_true", help="print every example's verdict")
    ap.add_argument("--json", help="write the verdicts to this file")
    a = ap.parse_args(argv)
    records = sweep(a.paths, a.only, a.timeout, a.verbose)
    per = {}
    for r in records:
        per.setdefault(r["file"], []).append(r)
    for f, rs in per.items():
        sys.stdout.write("  %-28s %s\n" % (f, summary(rs)))
    sys.stdout.write(summary(records) + "\n")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(records, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
