"""The length operator as Torch7's LuaJIT (LUA52COMPAT) ran it: `#t` calls the __len metamethod
of a table (lj_meta_len under LJ_52) and is its first result, whatever it is (nil and false
included), where the LuaJIT here takes the table's border. The VM decides that, so
compat/luajit.lua compiles every chunk of a script with each `#e` written `(__L52(e, #e))`
(e a name, field or index, read twice: LuaJIT's own `#e` first, so a value that has no length
fails with its own message, naming the variable) or `(__L52c(e))` (e a call, a constructor or
spread over lines: read once), on e's own lines, so line numbers stay."""
import re

_KEYWORDS = frozenset((
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
    "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"))
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LONG_OPEN = re.compile(r"\[(=*)\[")


class _Abort(Exception):
    pass


def _skip_string(s, i):
    """s[i] is a quote: the index after the closing quote."""
    q, n = s[i], len(s)
    i += 1
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == q:
            return i + 1
        if c == "\n":
            raise _Abort
        i += 1
    raise _Abort


def _skip_long(s, i):
    """s[i:] opens a long bracket [==[: the index after its close, or None if it does not."""
    m = _LONG_OPEN.match(s, i)
    if m is None:
        return None
    close = "]" + m.group(1) + "]"
    j = s.find(close, m.end())
    if j < 0:
        raise _Abort
    return j + len(close)


def _skip_comment(s, i):
    """s[i:i+2] == '--': the index after the comment."""
    j = _skip_long(s, i + 2)
    if j is not None:
        return j
    k = s.find("\n", i)
    return len(s) if k < 0 else k


def _balanced(s, i):
    """s[i] is ( [ or {: the index after its matching closer (strings and comments skipped)."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack, n = [pairs[s[i]]], len(s)
    i += 1
    while i < n:
        c = s[i]
        if c in "\"'":
            i = _skip_string(s, i)
            continue
        if c == "-" and s.startswith("--", i):
            i = _skip_comment(s, i)
            continue
        if c == "[":
            j = _skip_long(s, i)
            if j is not None:
                i = j
                continue
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                raise _Abort
            if not stack:
                return i + 1
        i += 1
    raise _Abort


def _ws(s, i):
    n = len(s)
    while i < n and s[i] in " \t\r\n\f\v":
        i += 1
    return i


def _operand(s, i):
    """The operand of a '#' at s[i-1]: (end, single) where single says it must be evaluated
    once (it calls something or builds a table)."""
    i = _ws(s, i)
    if i >= len(s):
        raise _Abort
    c = s[i]
    single = False
    if c == "(":
        i = _balanced(s, i)
        single = True
    elif c == "{":
        return _balanced(s, i), True
    else:
        m = _NAME.match(s, i)
        if m is None or m.group(0) in _KEYWORDS:
            raise _Abort
        i = m.end()
    while True:
        j = _ws(s, i)
        if j >= len(s):
            return i, single
        c = s[j]
        if c == "." and not s.startswith("..", j):
            m = _NAME.match(s, _ws(s, j + 1))
            if m is None:
                raise _Abort
            i = m.end()
        elif c == "[":
            if _LONG_OPEN.match(s, j):  # f[[text]]: a call with a long string
                i = _skip_long(s, j)
                single = True
            else:
                i = _balanced(s, j)
        elif c == ":":
            m = _NAME.match(s, _ws(s, j + 1))
            if m is None:
                raise _Abort
            k = _ws(s, m.end())
            if k >= len(s):
                raise _Abort
            if s[k] in "({":
                i = _balanced(s, k)
            elif s[k] in "\"'":
                i = _skip_string(s, k)
            elif _LONG_OPEN.match(s, k):
                i = _skip_long(s, k)
            else:
                raise _Abort
            single = True
        elif c in "({":
            i = _balanced(s, j)
            single = True
        elif c in "\"'":
            i = _skip_string(s, j)
            single = True
        else:
            if c == "^":  # '#a ^ b' is #(a ^ b): left as it is
                raise _Abort
            return i, single


def rewrite(s):
    """s with each '#e' written `(__L52(e, #e))` (e read twice: names, fields, indexes) or
    `(__L52c(e))` (e read once: calls, constructors, parentheses, or e spread over lines),
    both on e's own lines, parenthesised (never a tail call, one result); None when s has no
    '#' to rewrite.  The helpers are locals the layer sets on the chunk's first line
    (compat/luajit.lua's LEN52_LOCALS), so a chunk given an environment of its own (load's
    env, setfenv, a sandbox without _G) has them too."""
    if "#" not in s:
        return None
    out, i, last, n, changed = [], 0, 0, len(s), False
    while i < n:
        c = s[i]
        if c in "\"'":
            i = _skip_string(s, i)
        elif c == "-" and s.startswith("--", i):
            i = _skip_comment(s, i)
        elif c == "[" and _LONG_OPEN.match(s, i):
            i = _skip_long(s, i)
        elif c == "#":
            try:
                end, single = _operand(s, i + 1)
            except _Abort:
                i += 1
                continue
            text = s[i + 1:end]
            inner = rewrite(text)
            if inner is not None:
                text = inner
            out.append(s[last:i])
            if single or "\n" in text:
                # parenthesised: never a tail call
                out.append(f"(__L52c({text}))")
            else:
                out.append(f"(__L52({text}, #{text}))")
            last = i = end
            changed = True
        else:
            i += 1
    if not changed:
        return None
    out.append(s[last:])
    return "".join(out)


def safe_rewrite(s):
    """rewrite(s), or None when s does not scan as Lua (the compiler then says why)."""
    try:
        return rewrite(s)
    except _Abort:
        return None
