"""Writes torch7py/nn/_thnn_calls.py: the THNN call of every nn method that makes one, read from
an nn checkout (its Lua and lib/THNN/generic/THNN.h), as data the Lua-order checks of
torch7py/nn/_thnn_lua.py follow.

For each class and method (updateOutput, updateGradInput, accGradParameters): the steps its Lua
takes before the call that can fail on a bad input, in order: ('assert',) `assert(input.THNN,
...)`, ('typename',) `torch.typename(input):find(...)`, ('new', x) `self.x = self.x or
input.new()`, ('dims', (a, b), text, where) `if input:dim() == a or input:dim() == b then ...
else error(text)` (where: 'nn/File.lua:line' of that error), ('dims2', (a, b), text, where) the
same on input and gradOutput, ('dimsizes',) `input:size(dims - 1)`, `input:size(dims)`; the
variable whose THNN table is called; and the call's arguments in order: ('local', name)
name:cdata(), ('field', name) self.name:cdata() ('setfield' for a field the Lua sets before the
call), ('opt', name) THNN.optionalTensor(self.name), ('num', name, ctype) self.name,
('localnum', name, ctype, default) a local (default: `scale or 1`), ('const', None, ctype) a
literal. A method whose call has another argument is left out. ctype is the C parameter's
type in THNN.h ('real' and 'accreal' stay generic).

    python tools/thnn_lua_calls.py /path/to/nn > torch7py/nn/_thnn_calls.py
"""
import os
import re
import sys

METHODS = ("updateOutput", "updateGradInput", "accGradParameters")


def _c_params(nndir):
    """{THNN function name: [C parameter types after the state]}."""
    with open(os.path.join(nndir, "lib", "THNN", "generic", "THNN.h"), encoding="utf-8") as f:
        text = re.sub(r"//[^\n]*|/\*.*?\*/", "", f.read(), flags=re.S)
    out = {}
    for m in re.finditer(r"TH_API\s+void\s+THNN_\((\w+)\)\s*\((.*?)\);", text, re.S):
        params = [p.strip() for p in m.group(2).split(",")]
        types = []
        for p in params[1:]:  # (the state)
            p = re.sub(r"\s+", " ", p)
            if "*" in p:
                # a THIndexTensor (Long) or THIntegerTensor (Int) is no THTensor for the FFI
                types.append("index" if "THIndexTensor" in p else
                             "integer" if "THIntegerTensor" in p else "tensor")
            else:
                types.append(p.rsplit(" ", 1)[0].replace("const ", ""))
        out[m.group(1)] = types
    return out


_TENSOR_CTYPES = ("tensor", "index", "integer")


def _split_args(s):
    args, depth, cur = [], 0, ""
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        args.append(cur.strip())
    return args


def _call(body, start):
    """The text between the parentheses of the call opening at start."""
    depth = 0
    for i in range(start, len(body)):
        if body[i] == "(":
            depth += 1
        elif body[i] == ")":
            depth -= 1
            if depth == 0:
                return body[start + 1:i]
    return None


def _arg(text, ctype):
    text = re.sub(r"--[^\n]*", "", text).strip()
    # (a tensor parameter of another C type than THTensor carries it: 'index', 'integer')
    kind = () if ctype == "tensor" or ctype not in _TENSOR_CTYPES else (ctype,)
    m = re.fullmatch(r"(\w+):cdata\(\)", text)
    if m:
        return ("local", m.group(1)) + kind
    m = re.fullmatch(r"self\.(\w+):cdata\(\)", text)
    if m:
        return ("field", m.group(1)) + kind
    m = re.fullmatch(r"THNN\.optionalTensor\(self\.(\w+)\)", text)
    if m:
        return ("opt", m.group(1)) + kind
    if ctype in _TENSOR_CTYPES:
        return None
    m = re.fullmatch(r"self\.(\w+)", text)
    if m:
        return ("num", m.group(1), ctype)
    m = re.fullmatch(r"(\w+)(\s+or\s+[\d.]+)?", text)
    if m and not re.fullmatch(r"[\d.]+|true|false", text):
        return ("localnum", m.group(1), ctype, m.group(2) is not None)
    if re.fullmatch(r"-?[\d.]+|true|false", text):
        return ("const", None, ctype)
    return None


def _open_blocks(code):
    """The conditions of the blocks still open at the end of code, outermost first (an
    `elseif`'s replaces its `if`'s; a do/function/loop block has None)."""
    stack = []
    for m in re.finditer(r"\b(?:(if|elseif)\b(.*?)\bthen|(else)|(do|function)|(end))\b",
                         code, re.S):
        if m.group(1) == "if":
            stack.append(m.group(2))
        elif m.group(1) == "elseif" and stack:
            stack[-1] = m.group(2)
        elif m.group(4):
            stack.append(None)
        elif m.group(5) and stack:
            stack.pop()
    return stack


def _unconditional(before):
    """Whether a call after `before` runs for every input that reaches it: outside any block,
    or in `if` blocks on self.gradInput, on the CUDA type (its else), or on input's
    dimension."""
    code = re.sub(r"--[^\n]*|'[^'\n]*'|\"[^\"\n]*\"", "''", before)
    code = re.sub(r"\bwhile\b(.*?)\bdo\b|\bfor\b(.*?)\bdo\b", " do ", code, flags=re.S)
    return all(c is not None and re.search(
        r"self\.gradInput|typename\(input\)|input:dim\(\)", c) for c in _open_blocks(code))


# nn's full convolutions: `local inputTensor = input` and a closed `if torch.type(inputTensor)
# == 'table' then ... [else ...] end` (a {input, target size} pair) before the call
_TABLE_IF = re.compile(r"\n\s*if torch\.type\((\w+)\) == 'table' then\n(.*?)\n\s*(?:else\n"
                       r"(.*?)\n\s*)?end\n", re.S)


_KNOWN = (r"assert\(\s*{v}\.THNN[^\n]*", r"torch\.typename\(\s*{v}\s*\):find\([^)]*\)",
          r"{v}\.new\(\)", r"{v}:dim\(\) == \d", r"gradOutput:dim\(\) == \d",
          r"local dims = {v}:dim\(\)", r"{v}:size\(dims\s*-\s*1\)", r"{v}:size\(dims\)",
          r"self\.indices:cudaLong\(\)")


def _only_known(before, var):
    """Whether the lines before the call read input and gradOutput only in the steps this
    records (anything else there may fail first: the port's own lines run it)."""
    code = re.sub(r"--[^\n]*", "", before)
    if var == "inputTensor":  # (the alias; its table branch is the port's)
        code = re.sub(r"local inputTensor = input\n", "", code)
        code = _TABLE_IF.sub(lambda m: "\n" + (m.group(3) or "") + "\n", code)
        code = re.sub(r"input\.new\(\)", "", code)
    code = re.sub(r"assert\(input:size\(.*?'input and gradOutput must be compatible in size'\)",
                  "", code, flags=re.S)  # (the padding layers' size asserts: the port's)
    code = re.sub(r"\[\[.*?\]\]|'[^'\n]*'|\"[^\"\n]*\"", "''", code, flags=re.S)
    for k in _KNOWN:
        code = re.sub(k.format(v=var), "", code)
    return re.search(r"\b(?:%s|gradOutput)\b" % var, code) is None


def calls(nndir):
    params = _c_params(nndir)
    out = {}
    for fn in sorted(os.listdir(nndir)):
        if not fn.endswith(".lua"):
            continue
        with open(os.path.join(nndir, fn), encoding="utf-8") as f:
            src = f.read()
        m = re.search(r"local\s+(\w+)\s*(?:,\s*\w+)?\s*=\s*torch\.class\(\s*['\"]nn\.(\w+)['\"]",
                      src)
        if not m:
            continue
        var, cls = m.groups()
        for meth in METHODS:
            fm = re.search(r"^function\s+%s:%s\s*\(([^)]*)\)\n(.*?)^end" % (var, meth), src,
                           re.M | re.S)
            if not fm:
                continue
            body = fm.group(2)
            found = list(re.finditer(r"(\w+)\.THNN\.(\w+)\s*\(", body))
            if not found:
                continue
            cm = found[0]
            if "Cuda" in body[:cm.start()] and len(found) > 1:
                cm = found[1]  # (the CPU branch of `if torch.typename(input):find('Cuda')`)
            if cm.group(2) not in params:
                continue
            before = body[:cm.start()]
            seen = before
            if cm is not found[0]:  # (the CUDA branch's call is not this one's business)
                first = _call(body, found[0].end() - 1) or ""
                seen = body[:found[0].start()] + body[found[0].end() + len(first):cm.start()]
            if not _unconditional(before) or not _only_known(seen, cm.group(1)):
                continue
            # what runs before the call, in order: the asserts, torch.typename(input):find,
            # `self.x = self.x or input.new()`; the fields set there or by a helper it calls
            steps = []
            news = "input" if cm.group(1) == "inputTensor" else cm.group(1)
            if cm.group(1) == "inputTensor":
                if not re.search(r"local inputTensor = input\n", before):
                    continue
                tm = _TABLE_IF.search(before)
                if tm and tm.group(1) == "inputTensor":
                    steps.append(("table",))  # (a table input: the port's lines)
            for sm in re.finditer(r"assert\(\s*%s\.THNN|torch\.typename\(\s*%s\s*\):find|"
                                  r"self\.(?P<f>\w+)\s*=\s*self\.(?P=f)\s+or\s+%s\.new\(\)"
                                  % ((cm.group(1),) * 2 + (news,)), before):
                if sm.group("f"):
                    steps.append(("new", sm.group("f")))
                elif sm.group(0).startswith("assert"):
                    steps.append(("assert",))
                else:
                    steps.append(("typename",))
            # a dimension guard around the call or before it (the padding layers)
            g = re.search(r"if input:dim\(\) == (\d) or input:dim\(\) == (\d) then\s*$",
                          before)
            e = re.search(r"else\s*error\('([^']*)'\)", body[cm.start():])
            # (each with the place of its error: the Lua layer shows that position first)
            at = fm.start(2) + cm.start()
            if g and e:
                line = src.count("\n", 0, at + e.start() + e.group(0).index("error")) + 1
                steps.insert(0, ("dims", (int(g.group(1)), int(g.group(2))), e.group(1),
                                 "nn/%s:%d" % (fn, line)))
            g = re.search(r"if input:dim\(\) == (\d) and gradOutput:dim\(\) == \1 then.*?"
                          r"elseif input:dim\(\) == (\d) and gradOutput:dim\(\) == \2 then"
                          r".*?else\s*error\(\s*\[\[\n?(.*?)\]\]", before, re.S)
            if g:
                line = src.count("\n", 0, fm.start(2) + g.start() + g.group(0).rindex("error(")) + 1
                steps.insert(0, ("dims2", (int(g.group(1)), int(g.group(2))), g.group(3),
                                 "nn/%s:%d" % (fn, line)))
            if re.search(r"local dims = input:dim\(\)\s*\n\s*self\.\w+ = input:size\(dims\s*-\s*1\)"
                         r"\s*\n\s*self\.\w+ = input:size\(dims\)", before):
                steps.append(("dimsizes",))  # (after the typename check, before the call)
            assigned = set(re.findall(r"self\.(\w+)\s*=[^=]", before))
            for hm in re.finditer(r"^local function (\w+)\(self\)\n(.*?)^end", src,
                                  re.M | re.S):
                if re.search(r"\b%s\(self\)" % hm.group(1), before):
                    assigned |= set(re.findall(r"self\.(\w+)\s*=[^=]", hm.group(2)))
            pre = tuple(steps)
            text = _call(body, cm.end() - 1)
            types = params[cm.group(2)]
            args = _split_args(text or "")
            if len(args) != len(types):
                continue
            spec = [_arg(a, t) for a, t in zip(args, types)]
            if None in spec or spec[0] != ("local", cm.group(1)):
                continue
            # a field set before the call is there (the port may keep it elsewhere)
            spec = [("setfield",) + a[1:] if a[0] == "field" and a[1] in assigned else a
                    for a in spec]
            out.setdefault(cls, {})[meth] = (pre, cm.group(1), tuple(spec))
    return out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    table = calls(argv[0])
    w = sys.stdout.write
    w('"""The THNN call of each nn method that makes one (generated by tools/thnn_lua_calls.py '
      'from nn\n8726825\'s Lua and THNN.h): class -> method -> (what its Lua checks first, the '
      'variable whose\nTHNN table it calls, the arguments in order)."""\n\nCALLS = {\n')
    for cls in sorted(table):
        w("    %r: {\n" % cls)
        for meth in METHODS:
            if meth in table[cls]:
                pre, var, spec = table[cls][meth]
                w("        %r: (\n            (\n" % meth)
                for step in pre:
                    if len(step) == 3:  # (a text: one string per line of it)
                        lines = step[2].split("\n")
                        text = "\n                 ".join(
                            repr(x + "\n") for x in lines[:-1]) + (
                            "\n                 " if len(lines) > 1 else "") + repr(lines[-1])
                        w("                (%r, %r,\n                 %s),\n"
                          % (step[0], step[1], text))
                    else:
                        w("                %r,\n" % (step,))
                w("            ),\n            %r, (\n" % var)
                for a in spec:
                    w("                %r,\n" % (a,))
                w("            )),\n")
        w("    },\n")
    w("}\n")


if __name__ == "__main__":
    main()
