"""Lua's runtime error texts for what Python refuses in ported Lua code.

nn's Lua sources raise LuaJIT's own errors on bad input (`assert(k > 0)` with k nil: "attempt to
compare number with nil"; `input[1]` with input nil: "attempt to index local 'input' (a nil
value)"); their Python ports raise TypeError/AttributeError at the same place. The bridge
reports those with Lua's text, naming the variable as Lua would when the failing expression
(Python 3.11's instruction positions) starts with a local or a field of self."""
import linecache
import re

_PY2LUA = {"NoneType": "nil", "int": "number", "float": "number", "str": "string",
           "bool": "boolean", "list": "table", "dict": "table", "tuple": "table",
           "LuaTableMapping": "table", "EmptyTable": "table", "LuaList": "table",
           "LuaFunction": "function", "function": "function", "method": "function"}
_COMPARE = re.compile(r"'([<>])=?' not supported between instances of '(\w+)' and '(\w+)'")
_ARITH = re.compile(r"unsupported operand type\(s\) for [^:]+: '(\w+)' and '(\w+)'"
                    r"|bad operand type for unary [-+]: '(\w+)'()")
_INDEX = re.compile(r"^'(NoneType|LuaFunction|function|int|float|bool)' object "
                    r"(?:has no attribute|is not subscriptable)")


def _lua_type(pyname):
    if pyname in _PY2LUA:
        return _PY2LUA[pyname]
    from torch7py import nn
    cls = getattr(nn, pyname, None)
    return "table" if isinstance(cls, type) else "userdata"   # modules are tables in nn


def _indexed_name(e):
    """(kind, name) of what the failing expression indexes, as Lua names it: ('local', 'input')
    for `input.x`/`input[1]`, ('field', 'x') for `self.x.y`; None when unknown."""
    tb = e.__traceback__
    if tb is None:
        return None
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    try:
        pos = list(code.co_positions())[tb.tb_lasti // 2]
    except (IndexError, ValueError):
        return None
    line, end_line, col, end_col = pos
    if line is None or line != end_line or col is None:
        return None
    text = linecache.getline(code.co_filename, line)[col:end_col]
    m = re.match(r"self\.(\w+)\s*[.\[]", text)
    if m:
        return "field", m.group(1)
    m = re.match(r"([A-Za-z_]\w*)\s*[.\[]", text)
    if m and m.group(1) in tb.tb_frame.f_locals:
        return "local", m.group(1)
    return None


def lua_runtime_message(e):
    """Lua's message for a TypeError/AttributeError of ported code, or None."""
    msg = str(e)
    m = _COMPARE.search(msg)
    if m:
        a, b = _lua_type(m.group(2)), _lua_type(m.group(3))
        if m.group(1) == ">":    # Lua compiles a > b as b < a
            a, b = b, a
        return "attempt to compare %s with %s" % (a, b)
    m = _ARITH.search(msg)
    if m:
        names = [n for n in m.groups() if n]
        bad = [t for t in map(_lua_type, names) if t != "number"] or ["nil"]
        return "attempt to perform arithmetic on a %s value" % bad[0]
    m = _INDEX.match(msg)
    if m:
        kind = _lua_type(m.group(1))
        where = _indexed_name(e)
        if where is None:
            return "attempt to index a %s value" % kind
        return "attempt to index %s '%s' (a %s value)" % (where[0], where[1], kind)
    return None
