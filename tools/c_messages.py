"""Torch7's C error messages, listed from the sources, and which of them torch7py raises.

    python tools/c_messages.py --torch7 /path/to/torch7 [--nn /path/to/nn] [--list] [--missing]
                               [--only FILE-SUBSTRING]

Reads every THArgCheck / THError / THAssertMsg / THNN_ARGCHECK / THNN_CHECK_* / luaL_error /
luaL_argcheck / luaL_argerror call in torch7's lib/TH (*.c, and the apply macros of its *.h),
torch7's own *.c (and generic/*.c)
and nn's lib/THNN/generic/*.c, with its format string as the C compiler sees it (adjacent
literals joined, THNN's check macros expanded as init.c defines them: `#T` is the argument's
name), the argument number and the function it is in. A message counts as raised by torch7py
when every constant piece of its format (the text between the conversions, pieces of 4 or more
characters) occurs in torch7py's sources, and as tested when the pieces occur in tests/.
Nothing of the original code is copied: the paths are read at run time.
"""
import argparse
import glob
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# THNN's check macros (nn/lib/THNN/init.c): the message each expands to, #T standing for the
# text of the named macro argument
MACROS = {
    "THNN_CHECK_SHAPE": (("I1", "I2"), "#I1 and #I2 shapes do not match: #I1 %s, #I2 %s"),
    "THNN_CHECK_SHAPE_INDICES": (("I1", "I2"),
                                 "#I1 and #I2 shapes do not match: #I1 %s, #I2 %s"),
    "THNN_CHECK_NELEMENT": (("I1", "I2"), "#I1 and #I2 have different number of elements: "
                            "#I1%s has %ld elements, while #I2%s has %ld elements"),
    "THNN_CHECK_DIM_SIZE": (("T", "DIM", "DIM_SIZE", "SIZE"),
                            "Need #T of dimension %d and #T.size[%d] == %d but got #T to be "
                            "of shape: %s"),
    "THNN_CHECK_DIM_SIZE_INDICES": (("T", "DIM", "DIM_SIZE", "SIZE"),
                                    "Need #T of dimension %d and #T.size[%d] == %d but got #T "
                                    "to be of shape: %s"),
}
# call -> (index of the argument number or None, index of the format)
CALLS = {
    "THArgCheck": (1, 2), "THArgCheckWithCleanup": (2, 3), "THError": (None, 0),
    "THAssert": (None, 0), "THAssertMsg": (None, 1), "THNN_ARGCHECK": (1, 3),
    "luaL_error": (None, 1), "luaL_argcheck": (2, 3), "luaL_argerror": (1, 2),
    "luaL_typerror": (1, 2),
}
_CALL_RE = re.compile(r"\b(%s)\s*\(" % "|".join(sorted(set(CALLS) | set(MACROS), key=len,
                                                        reverse=True)))
_FUNC_RE = re.compile(r"^[A-Za-z_][\w\s\*\(\)]*?\b((?:THNN|THTensor|THStorage|TH\w*|torch|luaT)?"
                      r"_?\(?\w+\)?)\s*\([^;]*$")
_CONV_RE = re.compile(r"%[-+ #0]*\d*(?:\.\d+)?(?:hh|h|ll|l|z|t)?[diouxXeEfgGcsp%]")


def _args(text, start):
    """The comma-separated arguments of the call whose '(' is at text[start - 1]; returns
    (list of argument texts, end index)."""
    depth, i, cur, out = 0, start, [], []
    while i < len(text):
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while text[j] != c:
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c == "/" and text[i:i + 2] == "/*":
            i = text.index("*/", i) + 2
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                out.append("".join(cur).strip())
                return out, i + 1
            depth -= 1
        elif c == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    return out, i


def _literal(arg):
    """The C string an argument denotes when it is made of literals only (joined), else None."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', arg)
    rest = re.sub(r'"((?:[^"\\]|\\.)*)"', "", arg).strip()
    if not parts or rest:
        return None
    s = "".join(parts)
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _function_at(lines, lineno):
    """The name of the C function the line is in: the last definition line above it."""
    for k in range(lineno - 1, -1, -1):
        ln = lines[k]
        if ln and not ln[0].isspace() and "(" in ln and not ln.startswith(("#", "/", "}")) \
                and not ln.rstrip().endswith(";"):
            m = re.search(r"((?:\w+_)?\(\w+\)|\w+)\s*\(", ln)
            if m:
                return m.group(1).replace("(", "").replace(")", "")
    return "?"


def _strip_comments(text):
    """C comments replaced by blanks (their newlines kept); strings left alone."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def scan_file(path, rel):
    # line continuations (macro bodies) joined as the preprocessor does and comments blanked,
    # line numbers kept
    text = re.sub(r"\\[ \t]*\n", "\n", open(path, encoding="latin-1").read())
    text = _strip_comments(text)
    lines = text.split("\n")
    out = []
    for m in _CALL_RE.finditer(text):
        name = m.group(1)
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start:m.start()].lstrip().startswith(("#define", "//", "*")):
            continue
        args, _ = _args(text, m.end())
        lineno = text.count("\n", 0, m.start()) + 1
        func = _function_at(lines, lineno - 1)
        if name in MACROS:
            params, fmt = MACROS[name]
            if len(args) != len(params):
                continue
            sub = dict(zip(params, args))
            fmt = re.sub(r"#(\w+)", lambda k: sub.get(k.group(1), k.group(0)), fmt)
            out.append({"file": rel, "line": lineno, "func": func, "call": name, "arg": None,
                        "fmt": fmt, "names": [sub[k] for k in params if k.startswith(("I", "T"))]})
            continue
        ai, fi = CALLS[name]
        if fi >= len(args):
            continue
        # THAssert's message is its condition: "Assertion `cond' failed. "
        fmt = " ".join(args[0].split()) if name == "THAssert" else _literal(args[fi])
        if fmt is None:
            continue
        arg = args[ai] if ai is not None and ai < len(args) else None
        out.append({"file": rel, "line": lineno, "func": func, "call": name, "arg": arg,
                    "fmt": fmt})
    return out


def sources(torch7, nn=None):
    """(path, name shown) of every C file scanned."""
    files = []
    for pat in ("lib/TH/*.c", "lib/TH/*.h", "lib/TH/generic/*.c", "*.c", "generic/*.c"):
        files += sorted(glob.glob(os.path.join(torch7, pat)))
    if nn:
        files += sorted(glob.glob(os.path.join(nn, "lib/THNN/generic/*.c")))
    base = os.path.dirname(os.path.abspath(torch7))
    return [(f, os.path.relpath(f, base)) for f in files]


def collect(torch7, nn=None):
    msgs = []
    for path, rel in sources(torch7, nn):
        msgs += scan_file(path, rel)
    return msgs


def pieces(fmt, minlen=4):
    """The constant pieces of a format (between its conversions) worth looking for."""
    out = []
    for p in _CONV_RE.split(fmt):
        p = p.strip()
        if len(p.replace(" ", "")) >= minlen:
            out.append(p)
    return out


def _corpus(paths, root=ROOT):
    """The text of the Python files under paths, with adjacent string literals joined (a
    message split over lines reads as one)."""
    buf = []
    for base in paths:
        for dirpath, _, files in os.walk(base):
            for f in files:
                if f.endswith(".py"):
                    buf.append(open(os.path.join(dirpath, f), encoding="utf-8").read())
    text = "\n".join(buf)
    table = _messages_table(root)
    # msg('key') of torch7py/messages.py stands for its text
    text = re.sub(r"\b(?:messages\.)?msg\(\s*['\"](\w+)['\"]\s*\)",
                  lambda k: repr(table.get(k.group(1), k.group(0))), text)
    text = re.sub(r"([\"'])\s*\)?\s*\n\s*\(?\s*[bfr]?([\"'])", "", text)
    text = re.sub(r"(\")\s*\"|(')\s*'", "", text)
    return text.replace("\\n", "\n")


def _argcheck_re(n, piece):
    """How torch7py raises an argument check: luaL_argerror's `bad argument #n to 'f' (msg)`,
    spelled out or through messages.bad_argument / msg('thnn_argcheck', n, ...), or THNN's
    checks in torch7py/nn/_thnn_check.py: arg_check(cond, n, 'msg', ...) and
    thnn_argcheck(cond, n, tensor, 'msg'), or an error class taking (n, 'msg') (FileArgError)."""
    return re.compile(r"(?:(?:bad argument #|bad_argument\(\s*|thnn_argcheck['\"],\s*)%s\b"
                      r"[^\n]{0,60}?|\b(?:arg_check|thnn_argcheck|arg_error|\w*ArgError)\((?:[^()\n]|\((?:[^()\n]|"
                      r"\([^()\n]*\))*\)){0,80}?,?\s*%s,\s*(?:\w+,\s*)?['\"])%s"
                      % (n, n, re.escape(piece[:30])))


# THNN's macros raised through the helpers of torch7py/nn/_thnn_check.py: the helper's text
# (the macro's format with %s for the names) and a call naming the tensors as THNN does
_MACRO_HELPERS = {
    "THNN_CHECK_DIM_SIZE": r"check_dim_sizes?",
    "THNN_CHECK_DIM_SIZE_INDICES": r"check_dim_sizes?",
    "THNN_CHECK_SHAPE": r"check_(?:shape|same_size)",
    "THNN_CHECK_SHAPE_INDICES": r"check_(?:shape|same_size)",
    "THNN_CHECK_NELEMENT": r"check_(?:nelement|same_size)",
}


def _macro_raised(m, src):
    """Whether a THNN_CHECK_* message is raised through its helper, called with its names."""
    params, fmt = MACROS[m["call"]]
    generic = re.sub(r"#\w+", "%s", fmt)
    if not all(p in src for p in pieces(generic)):
        return False
    names = m.get("names") or []
    if not names or not all(re.fullmatch(r"\w+", x) for x in names):
        return False
    call = r"\b%s\([^\n]*?" % _MACRO_HELPERS[m["call"]]
    call += r",\s*".join(r"['\"]%s['\"]" % x for x in names)
    return re.search(call, src) is not None


def _messages_table(root):
    """The MESSAGES table of root's torch7py/messages.py (read, not imported)."""
    import ast
    try:
        with open(os.path.join(root, "torch7py", "messages.py"), encoding="utf-8") as f:
            tree = ast.parse(f.read(), "messages.py")
    except OSError:
        return {}
    for node in tree.body:  # (the module imports the package: its table is read as a literal)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "MESSAGES"
                                                for t in node.targets):
            return ast.literal_eval(node.value)
    return {}


def coverage(msgs, src_paths, test_paths, root=ROOT):
    """Marks each message raised (its text in torch7py; an argument check's text with its
    argument number, as luaL_argerror shows it) and tested (its text in the tests)."""
    src, tests = _corpus(src_paths, root), _corpus(test_paths, root)
    for m in msgs:
        ps = pieces(m["fmt"])
        m["pieces"] = ps
        m["raised"] = bool(ps) and all(p in src for p in ps)
        if not m["raised"] and m["call"] in _MACRO_HELPERS:
            m["raised"] = _macro_raised(m, src)
        n = m["arg"]
        if m["raised"] and m["call"] in ("THArgCheck", "THNN_ARGCHECK", "luaL_argcheck") \
                and n is not None and n.isdigit() and m["fmt"].startswith(ps[0]):
            m["raised"] = bool(_argcheck_re(n, ps[0]).search(src))
        # tested: the text in the tests, or a test naming the C file and the format's first
        # piece (tests/test_error_texts_c.py formats its expectations from the C source)
        m["tested"] = m["raised"] and (all(p in tests for p in ps) or (
            '"%s"' % os.path.basename(m["file"]) in tests and ps[0][:24] in tests))
    return msgs


def summary(msgs):
    by = {}
    for m in msgs:
        area = m["file"].split("/")[-1]
        key = "THNN" if "/THNN/" in m["file"] else ("TH" if "/lib/TH/" in m["file"] else
                                                     "torch")
        d = by.setdefault(key, {"all": 0, "checkable": 0, "raised": 0, "tested": 0})
        d["all"] += 1
        d["checkable"] += bool(m["pieces"])
        d["raised"] += m["raised"]
        d["tested"] += m["tested"]
        del area
    return by


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--torch7", required=True)
    p.add_argument("--nn")
    p.add_argument("--list", action="store_true", help="print every message")
    p.add_argument("--missing", action="store_true", help="print the messages not raised")
    p.add_argument("--only", help="files whose path contains this")
    p.add_argument("--root", default=ROOT, help="the torch7py checkout to measure")
    a = p.parse_args(argv)
    msgs = collect(a.torch7, a.nn)
    if a.only:
        msgs = [m for m in msgs if a.only in m["file"]]
    coverage(msgs, [os.path.join(a.root, "torch7py"), os.path.join(a.root, "compat")],
             [os.path.join(a.root, "tests")], a.root)
    for m in msgs:
        if a.list or (a.missing and m["pieces"] and not m["raised"]):
            print("%s:%d %s %s%s: %r%s" % (
                m["file"], m["line"], m["func"], m["call"],
                "" if m["arg"] is None else " #%s" % m["arg"], m["fmt"],
                " [raised%s]" % (", tested" if m["tested"] else "") if m["raised"] else ""))
    for k, d in sorted(summary(msgs).items()):
        print("%-6s %4d messages, %4d with constant text: %4d raised by torch7py, %4d tested"
              % (k, d["all"], d["checkable"], d["raised"], d["tested"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
