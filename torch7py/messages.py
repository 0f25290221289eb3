"""Torch7's error messages, in one table: the texts its C code (TH, cwrap, luaT), its Lua code
(Tensor.lua, nn, optim, xlua) and LuaJIT give for the errors users meet. Raise sites format
them with `msg(key, ...)`; the Lua layer shows them as Torch7 did (C messages without their
` at <file.c>:<line>` suffix)."""
import weakref

from .luaresults import NOVALUE


MESSAGES = {
    # cwrap's argument check (the generated wrapper of every TensorMath function)
    "invalid_arguments": "invalid arguments: %s\nexpected arguments: %s",
    "no_arguments": "no arguments provided",
    # luaL_argcheck / luaL_checktype in torch's C functions (the function name is '?')
    "bad_argument": "bad argument #%d to '%s' (%s)",
    "out_of_range": "out of range",
    "index_out_of_bound": "index out of bound",
    "start_index_out_of_bound": "start index out of bound",
    "end_index_out_of_bound": "end index out of bound",
    "end_before_start": "end index must be greater or equal to start index",
    "too_many_indices": "too many indices provided",
    "out_of_bounds": "out of bounds",
    "end_smaller": "end smaller than beginning",
    "number_expected": "number expected, got %s",
    "type_expected": "%s expected, got %s",
    # TH's THArgCheck / THError texts
    "size_mismatch_mm": "size mismatch, m1: [%s], m2: [%s]",
    "size_mismatch_addmm": "size mismatch, t: [%s], m1: [%s], m2: [%s]",
    "size_mismatch_mv": "size mismatch, [%s], [%s]",  # THDescBuff of mat and vec
    "size_mismatch_addmv": "size mismatch, t: [%s], mat: [%s]",
    "size_mismatch_addr": "size mismatch, t: [%s], vec1: [%s], vec2: [%s]",
    "inconsistent_2": "inconsistent tensor size, expected %s [%s] and %s [%s] to have the same "
                      "number of elements, but got %d and %d elements respectively",
    "inconsistent_3": "inconsistent tensor size, expected %s [%s], %s [%s] and %s [%s] to have "
                      "the same number of elements, but got %d, %d and %d elements respectively",
    "view_size": "Wrong size for view. Input size: %s. Output size: %s",
    "view_two_infer": "Only one of torch.view dimensions can be -1.",
    "view_usage": "torch.view, expected (torch.Tensor, torch.Tensor, number [, number ]*) or\n"
                  " (torch.Tensor, torch.Tensor, torch.LongStorage) or\n"
                  " (torch.Tensor, torch.LongStorage)\n or (torch.Tensor, number [, number ]*)",
    "expand_size": "incorrect size: only supporting singleton expansion (size=1)",
    # THNN's THNN_ARGCHECK (THNN.lua calls the C function through a local named v)
    "thnn_argcheck": "bad argument #%d to 'v' (%s)",
    "thnn_not_imported": "%s.THNN backend not imported",  # the conv layers' assert
    "sparse_index": "index out of bound. updateOutput: %d not between 1 and %d",  # THError
    # THAssert: the C text ends '. ' before the place it was raised (not printed)
    "thassert": "Assertion `%s' failed. ",
    # a THNN function of the input's type given the module's tensors of another (FFI)
    "thnn_ffi_type": "bad argument #%d to 'v' (cannot convert 'struct TH%s *' to 'struct TH%s *')",
    # a THNN function's number argument given another Lua value (LuaJIT's FFI conversion)
    "thnn_ffi_convert": "bad argument #%d to 'v' (cannot convert '%s' to '%s')",
    # xlua.error: '<domain> message' in red
    "xlua_error": "\x1b[1;31m%s\x1b[0m",
    "logger_log_type": "can only log numbers and strings",
    "logger_style_type": "style should be a string or a table of strings",
    # File.lua's writeObject on a value it cannot write (type(object), formatStack)
    "unwritable_object": "Unwritable object <%s> at %s",
    # LuaJIT's own errors where Torch7's Lua code trips over a bad value
    "assertion_failed": "assertion failed!",  # assert(v) without a message
    "not_implemented_for": "Not Implemented for %s",
    "pointer_type": "Torch object, table, thread, cdata or function expected",  # torch.pointer
    "threshold_args": "nn.Threshold(threshold, value)",  # Threshold.lua's constructor
    "inplace_flag": "in-place flag must be boolean",  # GPU.lua's error(... .. torch.type(self))
    "index_nil": "attempt to index a nil value",
    "index_a": "attempt to index a %s value",
    "index_on": "attempt to index %s (a %s value)",  # %s: "local 'x'", "field 'x'"
    "index_local": "attempt to index local '%s' (a %s value)",
    "index_field": "attempt to index field '%s' (a %s value)",
    "call_on": "attempt to call %s (a %s value)",
    "call_a": "attempt to call a %s value",
    "call_local": "attempt to call local '%s' (a %s value)",
    "compare": "attempt to compare %s with %s",
    "compare_two": "attempt to compare two %s values",
    "for_limit": "'for' limit must be a number",
    "table_index_nil": "table index is nil",
    "call_nil_method": "attempt to call method '%s' (a nil value)",
    "call_nil_field": "attempt to call field '%s' (a nil value)",
    "concat": "attempt to concatenate %s (a %s value)",
    "concat_a": "attempt to concatenate a %s value",
    "arith_on": "attempt to perform arithmetic on %s (a %s value)",
    "arith": "attempt to perform arithmetic on a %s value",
    "length_of": "attempt to get length of %s (a %s value)",
    "length_a": "attempt to get length of a %s value",
    # File.c's checks of a file's mode (luaL_argcheck on argument 1)
    "file_closed": "attempt to use a closed file",
    "file_write_only": "attempt to read in a write-only file",
    "file_read_only": "attempt to write in a read-only file",
    # CmdLine (torch/CmdLine.lua)
    "cmdline_no_default": "option %s has no default value",
    "cmdline_default_type": "option %s has wrong default type value",
}

# Where Torch7's Lua packages are installed: the torch distro's /usr/local layout, as on the
# machine that recorded the goldens (nngraph's debug labels there name
# /usr/local/share/lua/5.1/nngraph/gmodule.lua). Lua's error(msg) puts the position of its
# call before msg: '<LUA_PREFIX><package>/<File>.lua:<line>: '.
LUA_PREFIX = "/usr/local/share/lua/5.1/"


def lua_position(where):
    """The position Lua puts before a message raised at `where` ('nn/View.lua:47', a file of a
    Torch7 package and the line of its error call). LuaJIT shortens a file name of
    LUA_IDSIZE (60) characters or more to '...' and its last 56 (lj_debug_shortname), as
    nn/MultiLabelSoftMarginCriterion.lua's under LUA_PREFIX."""
    path, _, line = where.rpartition(":")
    path = LUA_PREFIX + path
    if len(path) >= 60:
        path = "..." + path[-56:]
    return "%s:%s: " % (path, line)


class lua_line:
    """`with lua_line('nn/Linear.lua:66'):` around a port of that Lua line: an error raised
    inside (a TH method it calls, LuaJIT's runtime error) carries that position, as Lua's
    luaL_error and LuaJIT's errors name the calling Lua line, unless it carries one already."""

    __slots__ = ("where",)

    def __init__(self, where):
        self.where = where

    def __enter__(self):
        return self

    def __exit__(self, tp, e, tb):
        if isinstance(e, Exception) and getattr(e, "lua_where", None) is None:
            try:
                e.lua_where = self.where
            except AttributeError:  # (an exception that takes no attributes)
                pass
        return False


def at_lua(e, where):
    """e, an error that Torch7 raises from its Lua code with error(msg) (Lua's level 1) at
    `where` ('nn/View.lua:47'): the Lua layer shows its message after lua_position(where);
    Python's str(e) stays the message."""
    e.lua_where = where
    return e


# LuaJIT's FFI names C's `long` by its LP64 width (lj_ctype_repr: 'int64_t'), as THNN.h's long
# arguments (ClassNLLCriterion's ignore_index) show in its conversion errors
_FFI_CTYPE_NAME = {"long": "int64_t", "unsigned long": "uint64_t"}


def ffi_convert(n, kind, ctype):
    """THNN.lua's FFI call failing to convert argument n, a Lua `kind`, to C type ctype."""
    return MESSAGES["thnn_ffi_convert"] % (n, kind, _FFI_CTYPE_NAME.get(ctype, ctype))


def at_caller(e):
    """e, raised by Torch7's Lua with error(msg, 2): the position is that of the line that
    called the raising method (nn/_lua_sites.py finds it; the script's line when the script
    made the call)."""
    e.lua_level = 2
    return e


def from_c(e):
    """e, an error that Torch7 raises in a C function that C itself called through lua_call
    (the class's __index__/__newindex__ under luaT's metamethods, a tensor type's function
    under torch.X's dispatcher): LuaJIT's luaL_where finds no Lua caller at level 1, so the
    message carries no position, wherever in Lua (or in a port of Lua) the call was made.
    An error that knows its position already keeps it."""
    if getattr(e, "lua_where", None) is None:
        try:
            e.lua_where = ""
        except AttributeError:  # (an exception that takes no attributes)
            pass
    return e


# C types of each tensor type's `real`, as cwrap names them in its help
REAL_CTYPE = {"Byte": "unsigned char", "Char": "char", "Short": "short", "Int": "int",
              "Long": "long", "Float": "float", "Double": "double", "Half": "half"}


LONG_ARG = "(LongStorage | dim1 [dim2...])"  # cwrap's help name of a size argument


def _lua_scalar_type(x):
    """Lua's type of nil, a boolean, a number or a string; None for anything else."""
    if x is None:
        return "nil"
    if isinstance(x, bool):
        return "boolean"
    if isinstance(x, (int, float)) or type(x).__module__ == "numpy":
        return "number"
    if isinstance(x, (str, bytes)):
        return "string"
    if x is NOVALUE:  # an argument left out: luaL_typename's 'no value'
        return "no value"
    return None


def lua_type_name(x):
    """cwrap's name of a given argument: luaT's typename without 'torch.', else Lua's type."""
    kind = _lua_scalar_type(x)
    if kind is not None:
        return kind
    name = getattr(type(x), "typename", None)
    if isinstance(name, str):
        return name[6:] if name.startswith("torch.") else name
    if isinstance(x, (list, tuple, dict, type)) or hasattr(x, "keys"):
        return "table"  # a class (torch.DoubleTensor, nn.Linear) is a Lua table in Torch7
    if callable(x):
        return "function"
    return "userdata"


_USERDATA = frozenset(("File", "DiskFile", "MemoryFile", "PipeFile", "Timer", "Generator"))


# The Lua layer's runtimes answer whether a Python list stands for a Lua table (a table that
# crossed from Lua: an argument of a call from Lua); compat.runtime adds them (weakly).
LUA_TABLE_OWNERS = weakref.WeakSet()


def from_lua_table(x):
    """Whether x, a list (or a wrapper carrying its runtime, _rt), is a Lua table: Torch7 takes
    sizes as numbers or a LongStorage, never a table (cwrap's LongArg, Tensor.lua's view and
    expand, Tensor.c's resize), where torch7py's Python API also takes a list."""
    if hasattr(x, "_rt"):
        return True
    if type(x) is not list:
        return False
    for rt in LUA_TABLE_OWNERS:
        if rt.stands_for_table(x):
            return True
    return False


# the values Lua cannot index (x.k or x[k] fails: "attempt to index ... (a <kind> value)")
NOT_INDEXABLE = ("nil", "number", "boolean", "function")


def lua_type(x):
    """Lua's type(x) of the value as Torch7 holds it: tensors, storages, files, timers and
    generators are userdata, objects of Lua classes (nn, optim, CmdLine) are tables."""
    kind = _lua_scalar_type(x)
    if kind is not None:
        return kind
    name = getattr(type(x), "typename", None)
    if isinstance(name, str):
        short = name[6:] if name.startswith("torch.") else None
        if short is not None and (short.endswith(("Tensor", "Storage")) or short in _USERDATA):
            return "userdata"
        return "table"
    if callable(x) and not hasattr(x, "keys") and not isinstance(x, type):
        return "function"  # a class (torch.DoubleTensor, nn.Linear) is a Lua table in Torch7
    return "table"


def checkstring_error(x, n, fname):
    """luaL_checkstring's text for argument n of fname where x is neither a string nor a
    number (Lua converts a number); None when x passes."""
    kind = lua_type(x)
    if kind in ("string", "number"):
        return None
    return bad_argument(n, msg("type_expected", "string", kind), fname)


def pairs_error(x):
    """LuaJIT's pairs(x) of a value that is no table."""
    return bad_argument(1, msg("type_expected", "table", lua_type(x)), "pairs")


def lua_tonumber(x):
    """LuaJIT's lua_tonumber of a string (lj_strscan: decimal, hex with an optional binary
    exponent as in '0x1.8p1', inf/nan, surrounding C spaces allowed), else None. beta2's
    lj_strscan_scan reads the string up to its first NUL ('12\\0x' is 12)."""
    if not isinstance(x, str):
        return None
    x = x.split("\0", 1)[0]
    if "_" in x or not x.isascii():
        return None
    t = x.strip(" \t\n\v\f\r")
    try:
        if t.lower().lstrip("+-")[:2] == "0x":
            v = float.fromhex(t) if t.lstrip("+-")[2:3] not in ("", "p", "P") else None
            if v is None:
                return None
        else:
            v = float(t)
    except (ValueError, OverflowError):
        return None
    return int(v) if v.is_integer() and abs(v) < 2 ** 53 else v


def cwrap_type_name(x):
    """cwrap's str_arg_types: luaT's typename, nil, boolean, number (a numeric string too:
    lua_isnumber comes first), string, table, userdata, else '???' (a function)."""
    if isinstance(x, str):
        return "number" if lua_tonumber(x) is not None else "string"
    name = lua_type_name(x)
    return "???" if name == "function" else name


def invalid_arguments(given, expected):
    """cwrap's text for a call that matches none of a function's forms: the given arguments'
    types (each followed by a space; those the Lua layer passed as nil for absent arguments
    left out) and the accepted forms."""
    names = [cwrap_type_name(x) for x in given]
    n = padded_nils
    while n > 0 and names and names[-1] == "nil":
        names.pop()
        n -= 1
    got = "".join(g + " " for g in names) or msg("no_arguments")
    return msg("invalid_arguments", got, " | ".join(expected))


def msg(key, *args):
    """The message `key` of the table, formatted with args."""
    text = MESSAGES[key]
    return text % args if args else text


def size_str(size):
    """TH's size description: '2 x 3' (printed inside brackets)."""
    return " x ".join(str(s) for s in size)


def size_desc(size):
    """THDescBuff of a size (_THSizeDesc): '[2 x 3]', '[]' for none; in its 64-byte buffer a
    description of 62 characters or more is cut to its first 59 and '...]'."""
    s = "[" + " x ".join("%d" % d for d in size)
    return s + "]" if len(s) < 62 else s[:59] + "...]"


def bad_argument(n, what, fname="?"):
    """luaL_argerror's text: bad argument #n to 'fname' (what)."""
    return msg("bad_argument", n, fname, what)


class lua_method_call:
    """Context of a Torch7 C method that nn's Lua code calls as `x:name(...)` (not a tail
    call): luaL_argerror then names the method and counts the arguments after self, so an
    error raised as `bad argument #n to '?' (...)` reads `bad argument #n-1 to 'name' (...)`
    (#0: "calling 'name' on bad self (...)", LuaJIT's BADSELF)."""

    _BAD = None

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        return self

    def __exit__(self, tp, e, tb):
        if e is None or not isinstance(e, (RuntimeError, TypeError, ValueError, IndexError)):
            return False
        import re
        if lua_method_call._BAD is None:
            lua_method_call._BAD = re.compile(r"^bad argument #(\d+) to '\?' \((.*)\)$", re.S)
        m = lua_method_call._BAD.match(str(e))
        if m is None:
            return False
        n = int(m.group(1)) - 1
        text = ("calling '%s' on bad self (%s)" % (self.name, m.group(2)) if n == 0
                else bad_argument(n, m.group(2), self.name))
        raise type(e)(text) from None


def index_text(kind, what=None):
    """LuaJIT's text for indexing a value of Lua type kind; `what` names it as LuaJIT does
    ("local 'x'", "field 'x'"), None for an expression (it names nothing then)."""
    return msg("index_on", what, kind) if what else msg("index_a", kind)


def length_text(kind, what=None):
    """LuaJIT's text for #x of a value of Lua type kind (`what` as index_text's)."""
    return msg("length_of", what, kind) if what else msg("length_a", kind)


def call_text(kind, what=None):
    """LuaJIT's text for calling a value of Lua type kind (`what` as index_text's)."""
    return msg("call_on", what, kind) if what else msg("call_a", kind)


def arith_text(kind, what=None):
    """LuaJIT's text for arithmetic on a value of Lua type kind (`what` as index_text's)."""
    return msg("arith_on", what, kind) if what else msg("arith", kind)


def torch_type(x):
    """torch.type(x): the class name of a torch or nn object ('torch.DoubleTensor',
    'nn.Linear'), else Lua's type(x)."""
    name = getattr(type(x), "typename", None)
    return name if isinstance(name, str) else lua_type(x)


def luaT_typename(x, n):
    """What luaT_typerror names a value given as argument n: its torch type, else
    lua_typename(L, n) (luaT passes the index as a type code: #2 'userdata', #3 'number')."""
    name = getattr(type(x), "typename", None)
    if isinstance(name, str) and x is not None and not isinstance(x, type):
        return name
    return ("no value", "nil", "boolean", "userdata", "number", "string", "table",
            "function", "userdata", "thread", "proto", "cdata")[n + 1] if n < 11 else "?"


def lua_call_error(value, local, method):
    """LuaJIT's text for Lua code's `local:method(...)` where local holds value, no object with
    that method: nil, a number, a boolean or a function fail to index; a string or a table
    index to nil, which the call then fails on."""
    kind = lua_type_name(value)
    if kind in NOT_INDEXABLE:
        return msg("index_local", local, kind)
    return msg("call_nil_method", method)


def torch7_text(e, text):
    """e, carrying the text Torch7 gives for the same mistake (the Lua layer shows that one;
    e's own text may say more to a Python user)."""
    e.torch7_message = text
    return e


# xlua.error's `error(col_msg)` (xlua 41308fe's init.lua, as the reference Torch7 has it)
XLUA_ERROR_WHERE = "xlua/init.lua:321"


def xlua_error(text, domain=None):
    """xlua.error's message: '<domain> text', coloured red."""
    return msg("xlua_error", ("<%s> " % domain if domain else "") + text)


# the Lua layer sets this while it calls a function again with nil for the arguments a Lua
# call left out: cwrap's list of the arguments it got then leaves those out
padded_nils = 0
