"""Lua's runtime error texts for what Python refuses in ported Lua code.

nn's Lua sources raise LuaJIT's own errors on bad input (`assert(k > 0)` with k nil: "attempt to
compare number with nil"; `input[1]` with input nil: "attempt to index local 'input' (a nil
value)"); their Python ports raise TypeError/AttributeError at the same place. The bridge
reports those with Lua's text, naming the variable as Lua would when the failing expression
(Python 3.11's instruction positions) starts with a local or a field of self."""
import linecache
import os
import re

_PY2LUA = {"NoneType": "nil", "int": "number", "float": "number", "str": "string",
           "bool": "boolean", "list": "table", "dict": "table", "tuple": "table",
           "LuaTableMapping": "table", "EmptyTable": "table", "LuaList": "table",
           "LuaFunction": "function", "function": "function", "method": "function",
           "builtin_function_or_method": "function", "LuaMethod": "function"}
_COMPARE = re.compile(r"'([<>]=?)' not supported between instances of '(\w+)' and '(\w+)'")
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


def _failing_expr(e):
    """(text of the expression whose instruction raised e, the rest of its line, the frame's
    locals) from Python 3.11's instruction positions; None when unknown."""
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
    src = linecache.getline(code.co_filename, line)
    return src[col:end_col], src[end_col:], tb.tb_frame.f_locals


_NN_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "torch7py", "nn")


def _indexed_name(e):
    """(kind, name) of what the failing expression indexes, as Lua names it: ('local', 'input')
    for `input.x`/`input[1]`, ('field', 'x') for `self.x.y`; None when unknown."""
    where = _failing_expr(e)
    if where is None:
        return None
    text, _, f_locals = where
    obj = _indexed_object(text.strip())
    if obj is None:
        return None
    # LuaJIT names the indexed value by the instruction that made it: a string-keyed field
    # load (x.name), a local; t[k] (self.modules[1]) or a call's result names nothing
    m = re.match(r"^[A-Za-z_][\w.]*\.(\w+)$", obj)
    if m:
        return "field", m.group(1)
    if re.match(r"^[A-Za-z_]\w*$", obj) and obj in f_locals and obj != "self":
        return "local", _lua_local(e, obj, f_locals[obj])
    return None


_LUA_ARGS = ("input", "gradOutput", "target")


def _lua_local(e, name, value):
    """The Lua name of a port's local: a helper's parameter (`like`, `t`) stands for the
    argument of the nn method that passed it, named as that method's Lua names it (input,
    gradOutput, target: the caller's local holding the same value, the one its call line
    names when several do)."""
    if name in _LUA_ARGS:
        return name
    tb = e.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    caller = tb.tb_frame.f_back
    if caller is None or not caller.f_code.co_filename.startswith(_NN_DIR):
        return name
    same = [k for k in _LUA_ARGS if k in caller.f_locals and caller.f_locals[k] is value]
    if len(same) > 1:
        src = linecache.getline(caller.f_code.co_filename, caller.f_lineno)
        same = [k for k in same if re.search(r"\b%s\b" % k, src)] or same
    return same[0] if same else name


def _indexed_object(text):
    """The expression that `text` (obj.name or obj[key]) indexes, or None."""
    if text.endswith("]"):
        depth = 0
        for i in range(len(text) - 1, -1, -1):
            if text[i] == "]":
                depth += 1
            elif text[i] == "[":
                depth -= 1
                if depth == 0:
                    return text[:i].rstrip() or None
        return None
    m = re.match(r"^(.*?)\s*\.\s*\w+$", text, re.S)
    return m.group(1) if m else None


def _operand_name(text, f_locals, pyname):
    """LuaJIT's name of the operand that is not a number in `text` (a binary or unary
    expression): "local 'x'" or "field 'x'" (self.x), or None."""
    m = re.match(r"^\s*-\s*(self\.)?([A-Za-z_]\w*)\s*$", text)   # unary minus
    operands = [m.groups()] if m else []
    if not m:
        # the whole failing operation `a op b` (an operand that is itself an expression: the
        # first one names nothing)
        m = re.match(r"^\s*(self\.)?([A-Za-z_]\w*)\s*(?:[-+*/%]|\*\*|//)\s*"
                     r"(?:(self\.)?([A-Za-z_]\w*)\s*$)?", text)
        if m is None:
            return None
        operands = [m.groups()[0:2], m.groups()[2:4]]
    for is_field, name in operands:   # Lua blames the first operand that is no number
        if name is None:
            continue
        if is_field:
            v = getattr(f_locals.get("self"), name, None)
        elif name in f_locals:
            v = f_locals[name]
        else:
            continue
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            return "%s '%s'" % ("field" if is_field else "local", name)
        if len(operands) == 1:
            return None
    return None


_PAIRS = re.compile(r"^'(\w+)' object has no attribute '(?:items|keys|values)'")


def _is_call(e):
    where = _failing_expr(e)
    return where is not None and where[1].lstrip().startswith("(")


_NO_LEN = re.compile(r"^object of type '(\w+)' has no len\(\)")
_UNPACK = re.compile(r"^cannot unpack non-iterable (\w+) object")
_NOT_CALLABLE = re.compile(r"^'(\w+)' object is not callable")
_NO_ATTR = re.compile(r"^'(\w+)' object has no attribute '(\w+)'")
_CLASS_NO_ATTR = re.compile(r"^type object '\w+' has no attribute '(\w+)'")
# Lua values that index without failing (a string reads the string table, a table or a
# torch object its fields): a method missing there is nil, and calling it fails
_NIL_ON_INDEX = ("string", "table", "userdata")


def _call_message(e, kind):
    """LuaJIT's 'attempt to call ...' for calling a value of Lua type kind; a torch object
    (a tensor, a File, an optim.Logger) has luaT's metatable, whose __call fails instead."""
    where = _failing_expr(e)
    if where is not None:
        text, _, f_locals = where
        m = re.match(r"^(self\.)?([A-Za-z_]\w*)\s*\(", text)
        if m:
            v = (getattr(f_locals.get("self"), m.group(2), None) if m.group(1)
                 else f_locals.get(m.group(2)))
            name = getattr(type(v), "typename", None)
            if isinstance(name, str):
                return "%s has no call operator" % name
        m = re.match(r"^self\.(\w+)\s*\(", text)
        if m:
            return "attempt to call field '%s' (a %s value)" % (m.group(1), kind)
        m = re.match(r"^([A-Za-z_]\w*)\s*\(", text)
        if m and m.group(1) in f_locals:
            return "attempt to call local '%s' (a %s value)" % (m.group(1), kind)
        m = re.match(r"^[\w.\[\]]+\.(\w+)\s*\(", text)
        if m:
            return "attempt to call field '%s' (a %s value)" % (m.group(1), kind)
    return "attempt to call a %s value" % kind


# a port reads a tensor's geometry where the Lua code calls its method
_TENSOR_READS = {"_size": "size", "_stride": "stride", "_storage": "storage",
                 "_offset": "storageOffset", "typename": "type", "dtype": "type",
                 "storage_class": "storage", "_data": "data"}


def _missing_method_message(e, attr):
    """Lua's error for `x:attr(...)` (or x.attr) where x indexes to nil: the call (or the
    index of the nil) fails. A tensor's own field read from a string or a table is the
    Lua code's method call on it (`input._size` for `input:size()`)."""
    if attr in _TENSOR_READS:
        return "attempt to call method '%s' (a nil value)" % _TENSOR_READS[attr]
    where = _failing_expr(e)
    rest = where[1].lstrip() if where is not None else "("
    if rest.startswith("("):
        if attr == "new":   # Torch7's code calls input.new(...) as a field
            return "attempt to call field 'new' (a nil value)"
        return "attempt to call method '%s' (a nil value)" % attr
    if rest[:1] in (".", "["):
        return "attempt to index field '%s' (a nil value)" % attr
    return None


def lua_runtime_message(e):
    """Lua's message for a TypeError/AttributeError of ported code, or None."""
    msg = str(e)
    m = _COMPARE.search(msg)
    if m:
        a, b = _lua_type(m.group(2)), _lua_type(m.group(3))
        if m.group(1) in (">", "<="):  # LuaJIT 2.1 compiles a > b as b < a and a <= b as
            a, b = b, a                 # not (b < a); a >= b is not (a < b): its own order
        return "attempt to compare %s with %s" % (a, b)
    m = _ARITH.search(msg)
    if m:
        names = [n for n in m.groups() if n]
        bad = [t for t in map(_lua_type, names) if t != "number"] or ["nil"]
        where = _failing_expr(e)
        name = where and _operand_name(where[0], where[2], names)
        if name:
            return "attempt to perform arithmetic on %s (a %s value)" % (name, bad[0])
        return "attempt to perform arithmetic on a %s value" % bad[0]
    if msg.startswith("can't multiply sequence by non-int"):   # a string or table operand
        where = _failing_expr(e)
        if where is not None:
            name = _operand_name(where[0], where[2], ())
            if name:
                kind, var = name.split(" ", 1)
                v = (getattr(where[2].get("self"), var.strip("'"), None) if kind == "field"
                     else where[2].get(var.strip("'")))
                return "attempt to perform arithmetic on %s (a %s value)" % (
                    name, _lua_type(type(v).__name__))
        return "attempt to perform arithmetic on a string value"
    m = _PAIRS.match(msg)
    if m and _is_call(e):   # Lua code's pairs(x) where the port calls x.items()
        return "bad argument #1 to 'pairs' (table expected, got %s)" % _lua_type(m.group(1))
    m = _INDEX.match(msg)
    if m:
        kind = _lua_type(m.group(1))
        where = _indexed_name(e)
        if where is None:
            return "attempt to index a %s value" % kind
        return "attempt to index %s '%s' (a %s value)" % (where[0], where[1], kind)
    if isinstance(e, IndexError) and msg in ("list index out of range",
                                             "tuple index out of range"):
        # Lua's t[i] past the end is nil: indexing it fails (LuaJIT names no variable)
        where = _failing_expr(e)
        if where is not None and where[1].lstrip()[:1] in (".", "["):
            return "attempt to index a nil value"
        return None
    m = _NO_LEN.match(msg)
    if m:   # len(x) for Lua's #x
        kind = _lua_type(m.group(1))
        where = _failing_expr(e)
        arg = where and re.match(r"^len\(\s*(self\.)?([A-Za-z_]\w*)\s*\)$", where[0])
        if arg and (arg.group(1) or arg.group(2) in where[2]):
            return "attempt to get length of %s '%s' (a %s value)" % (
                "field" if arg.group(1) else "local", arg.group(2), kind)
        return "attempt to get length of a %s value" % kind
    m = _UNPACK.match(msg)
    if m:   # `a, b = input` for Lua's input[1], input[2]: nil, a number, a boolean fail
        kind = _lua_type(m.group(1))
        where = _failing_expr(e)
        rhs = where and re.match(r"^\s*=\s*([A-Za-z_]\w*)\s*$", where[1])
        if kind in ("nil", "number", "boolean") and rhs and rhs.group(1) in where[2]:
            return "attempt to index local '%s' (a %s value)" % (rhs.group(1), kind)
        return None
    m = _NOT_CALLABLE.match(msg)
    if m:
        return _call_message(e, _lua_type(m.group(1)))
    m = _NO_ATTR.match(msg)
    if m and _lua_type(m.group(1)) in _NIL_ON_INDEX:
        text = _missing_method_message(e, m.group(2))
        if text is None and _lua_type(m.group(1)) == "table":
            # a field the Lua object has not set yet (nil there), used as a value
            text = "attempt to index field '%s' (a nil value)" % m.group(2)
        return text
    m = _CLASS_NO_ATTR.match(msg)
    if m:   # a method called on the class (torch.CmdLine:text()): a field of its table is nil
        return _missing_method_message(e, m.group(1)) or "attempt to index a nil value"
    return None


# --- a C method of Torch7 called by nn's Lua code as x:name(...) ------------------------------
_QARG = re.compile(r"^bad argument #(\d+) to '\?' \((.*)\)$", re.S)
# modules whose functions stand for Lua code (nn's, optim's, nngraph's Lua files); the C loops
# they call (THNN's kernels) are C in Torch7 too
_LUA_MODULES = ("torch7py.nn.", "torch7py.optim.", "torch7py.nngraph.")
_C_MODULES = ("torch7py.nn._kernels", "torch7py.nn._thnn", "torch7py.nn._nnk")


def _is_lua_frame(frame):
    mod = frame.f_globals.get("__name__", "")
    return mod.startswith(_LUA_MODULES) and not mod.startswith(_C_MODULES)


def _method_of(frame):
    """(the object, the method's Lua name) when frame runs a method of a Tensor or a Storage,
    else None."""
    from torch7py.storage import Storage
    from torch7py.tensor import Tensor
    code = frame.f_code
    if not code.co_varnames or code.co_argcount < 1:
        return None
    obj = frame.f_locals.get(code.co_varnames[0])
    if not isinstance(obj, (Tensor, Storage)):
        return None
    names = sorted(k for c in type(obj).__mro__ for k, v in c.__dict__.items()
                   if getattr(v, "__code__", None) is code and not k.startswith("_"))
    if not names:
        return None
    if code.co_name in names:
        return obj, code.co_name
    # one code for many methods (TensorMath's generated `method`): the one running says its
    # name in its closure (form, its function's bound matcher: fn.name), where the
    # alphabet's first would misname it
    own = getattr(getattr(frame.f_locals.get("form"), "__self__", None), "name", None)
    return obj, own if own in names else names[0]


def lua_method_argerror(e, text):
    """luaL_argerror's text as LuaJIT words it for a C method of Torch7 that Lua code calls as
    `x:name(...)` (lj_debug_funcname reads the call instruction: a method, so the function is
    named and self is not counted: #n-1, #1 'calling 'name' on bad self'): torch7py raises it
    as "bad argument #n to '?' (...)" (n counts self); where the traceback shows ported Lua
    code (nn, optim, nngraph) calling that method, the text is reworded. None otherwise."""
    m = _QARG.match(text)
    if m is None or e.__traceback__ is None or getattr(e, "lua_field_call", False):
        return None  # (lua_field_call: the Lua called it as t[f](t, ...), no method call)
    from .bridgecalls import _LUA_METHODS, _is_cfunc
    frames = []
    tb = e.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for i in range(1, len(frames)):
        if not _is_lua_frame(frames[i - 1]):
            continue
        called = _method_of(frames[i])
        if called is None:
            continue
        name = called[1]
        if name in _LUA_METHODS:  # Tensor.lua's method: the C method it calls, if directly
            inner = _method_of(frames[i + 1]) if i + 1 < len(frames) else None
            if inner is None or inner[1] in _LUA_METHODS:
                return None
            name = inner[1]
        if _is_cfunc(type(called[0]), name) is None:
            return None
        n = int(m.group(1)) - 1
        if n == 0:
            return "calling '%s' on bad self (%s)" % (name, m.group(2))
        return "bad argument #%d to '%s' (%s)" % (n, name, m.group(2))
    return None
