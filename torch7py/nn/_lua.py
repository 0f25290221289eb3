"""What nn's Lua code does with a value of the wrong kind: Lua's `#x`, `x[i]`, `unpack(x)` and
numeric-for limits, with LuaJIT's texts (torch7py/messages.py) where Lua fails. Ported code
that mirrors a Lua line with them fails where, and as, the Lua line does.

`what` names the value as LuaJIT's error does: "local 'input'", "field 'x'" (self.x), or None
for an expression (input[1]: LuaJIT names no variable there)."""
import math
from collections.abc import Mapping

from .. import messages
from ..storage import Storage, TorchError
from ..tensor import Tensor

_NOT_INDEXABLE = messages.NOT_INDEXABLE


def _desc(what):
    return what if what else "a"


def length(x, what=None):
    """Lua's #x: a string's bytes, a table's border, a tensor's size (Torch7's __len gives a
    LongStorage) or a storage's; nil, a number, a boolean or a function fail."""
    if isinstance(x, Tensor):
        return x.size()
    if isinstance(x, Storage):
        return x.size()
    if isinstance(x, str):
        return len(x.encode("utf-8", "surrogateescape"))
    kind = messages.lua_type(x)
    if kind in _NOT_INDEXABLE:
        raise TorchError(messages.length_text(kind, what))
    if isinstance(x, (list, tuple)):
        return len(x)
    if isinstance(x, Mapping) or hasattr(x, "keys"):
        border = getattr(x, "_t7_len", None)  # a live Lua table: its own # (holes included)
        if border is not None:
            return border()
        n = 0
        while x.get(n + 1) is not None:
            n += 1
        return n
    own = getattr(type(x), "__len__", None)  # a class with its own __len (Sequential)
    return own(x) if own is not None else 0


def index(x, i, what=None):
    """Lua's x[i] for a number i: nil past a table's end or on a string (its metatable
    indexes the string library); a tensor's Torch7 index; nil, a number, a boolean or a
    function fail."""
    if isinstance(x, (list, tuple)):
        return x[i - 1] if type(i) is int and 0 < i <= len(x) else None
    if isinstance(x, Tensor):
        return x[i]
    if isinstance(x, str):
        return None
    kind = messages.lua_type(x)
    if kind in _NOT_INDEXABLE:
        raise TorchError(messages.index_text(kind, what))
    if isinstance(x, Mapping) or hasattr(x, "get"):
        return x.get(i)
    return None


def for_limit(n):
    """A numeric for's limit: a number (LuaJIT converts no other value)."""
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        raise TorchError(messages.msg("for_limit"))
    return n


def plus(n, k, what=None):
    """Lua's `n + k` for a number k: a number, or LuaJIT's arithmetic error (`#t + 1` of a
    tensor is a LongStorage plus one: Torch7's storages have no arithmetic)."""
    if isinstance(n, Storage):
        # luaT's __add of a class made by luaT_newmetatable (a storage has no __add__):
        # luaL_error "both %s and %s have no addition operator", a number naming (null)
        raise TorchError("both %s and (null) have no addition operator" % n.typename)
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        raise TorchError(messages.arith_text(messages.lua_type(n), what))
    return n + k


def upto(n):
    """`for i = 1, n`: the indices 1..n (none for n < 1)."""
    n = for_limit(n)
    return range(1, 1 if math.isnan(n) else math.floor(n) + 1)


def unpack(x, fname="unpack"):
    """Lua's unpack(x) (table.unpack): a table's values 1..#x; anything else fails."""
    kind = messages.lua_type(x)
    if kind != "table":
        raise TorchError(messages.bad_argument(
            1, messages.msg("type_expected", "table", kind), fname))
    return [index(x, i) for i in range(1, length(x) + 1)]


def ipairs(x):
    """Lua's ipairs(x): (i, x[i]) for i = 1, 2, ... up to the first nil; x must be a table."""
    kind = messages.lua_type(x)
    if kind != "table":
        raise TorchError(messages.bad_argument(
            1, messages.msg("type_expected", "table", kind), "ipairs"))
    i = 1
    while True:
        v = index(x, i)
        if v is None:
            return
        yield i, v
        i += 1


def field(x, name, what=None):
    """Lua's x.name read (not called): nil, a number, a boolean or a function fail to index; a
    string's is nil (its metatable indexes the string library); a table's entry; a torch
    object's field or method."""
    kind = messages.lua_type(x)
    if kind in _NOT_INDEXABLE:
        raise TorchError(messages.index_text(kind, what))
    if isinstance(x, (str, list, tuple)):
        return None
    if isinstance(x, Mapping):
        return x.get(name)
    return getattr(x, name, None)


def lt(a, b):
    """Lua's a < b (write a > b as lt(b, a), as LuaJIT does): two numbers or two strings;
    anything else fails, naming the operands' types in that order."""
    ka, kb = messages.lua_type(a), messages.lua_type(b)
    if ka == kb == "number" or ka == kb == "string":
        return a < b
    if ka == kb:
        raise TorchError(messages.msg("compare_two", ka))
    raise TorchError(messages.msg("compare", ka, kb))


def concat(x, what=None):
    """x as Lua's `x .. s` reads it: a string, or a number as tostring writes it; anything
    else fails to concatenate (named by `what`)."""
    if isinstance(x, str):
        return x
    if messages.lua_type(x) == "number":
        from ..printing import lua_tostring
        return lua_tostring(x)
    kind = messages.lua_type(x)
    raise TorchError(messages.msg("concat", what, kind) if what else
                     messages.msg("concat_a", kind))


def positive_dimension(m, input, where=None):
    """nn's _getPositiveDimension (Sum, Max, Min, SplitTable) in its order: `dimension < 0`
    first (a nil or a non-number dimension fails there), input:dim() only for a negative
    dimension or with nInputDims set."""
    dimension = m.__dict__.get("dimension")
    # where: 'nn/X.lua:N', the line of X.lua's `dimension = input:dim() + ...`; its
    # `elseif self.nInputDims and input:dim() == ...` is the next line
    path, _, line = (where or ":0").rpartition(":")
    if lt(dimension, 0):  # (the `if` line's own compare error)
        with messages.lua_line(where) if where else _NO_LINE:
            return mcall(input, "dim", what="local 'input'") + dimension + 1
    nid = m.__dict__.get("nInputDims")
    with messages.lua_line("%s:%d" % (path, int(line) + 1)) if where else _NO_LINE:
        if nid is not None and nid is not False and mcall(
                input, "dim", what="local 'input'") == nid + 1:
            return dimension + 1
    return dimension


class _NoLine:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


_NO_LINE = _NoLine()


def field_call(x, name, what=None):
    """Lua's x.name (to call it, as `input[i].new()`): nil, a number, a boolean fail to index;
    a string or a table without the field fail at the call; a torch object's method."""
    return _callable_field(x, name, what, "call_nil_field")


def _callable_field(x, name, what, nil_message):
    """x.name as Lua looks it up to call it: the index error for nil/number/boolean, the
    call-a-nil error (field or method, by nil_message) for a string, a table, a missing name."""
    kind = messages.lua_type(x)
    if kind in _NOT_INDEXABLE:
        raise TorchError(messages.index_text(kind, what))
    f = None if isinstance(x, (str, list, tuple, Mapping)) else getattr(x, name, None)
    if f is None:
        raise TorchError(messages.msg(nil_message, name))
    return f


def mcall(x, name, *args, what=None):
    """Lua's x:name(...): nil, a number, a boolean fail to index (named by `what`); a string
    or a table has no such method; a torch object runs it, its C errors named as LuaJIT names
    a method's (messages.lua_method_call)."""
    f = _callable_field(x, name, what, "call_nil_method")
    with messages.lua_method_call(name):
        return f(*args)


def resize_as_first(buf, input):
    """A layer whose Lua starts with `self.buf:resizeAs(input)`: anything but a tensor of
    buf's type fails there, with TH's text."""
    if type(input) is not type(buf):
        mcall(buf, 'resizeAs', input)


def pair(input):
    """`input[1], input[2]` of a pair layer: (x1, x2, plain) where plain says both are
    tensors of one type (the vectorised path's case)."""
    x1 = index(input, 1, "local 'input'")
    x2 = index(input, 2, "local 'input'")
    return x1, x2, isinstance(x1, Tensor) and type(x2) is type(x1)


_THNN_TYPES = ("torch.FloatTensor", "torch.DoubleTensor")


def thnn_call(input, *args, nums=(), first=3, index=()):
    """The checks of a THNN module's Lua call `input.THNN.F(input:cdata(), a:cdata(), ...,
    n1, n2)` in their order: input.THNN (a tensor type without THNN functions indexes nil
    there), each argument's :cdata() (args: (name, value) pairs; a name is a local, "field 'x'"
    names self.x, None a field LuaJIT cannot name), then LuaJIT's FFI conversion of each
    argument: the tensors to the input's type (#2 is input; the first of args is #first,
    past a THNN.NULL), the numbers (nums: (value, C type) pairs, after the tensors) from a Lua
    number or boolean only. index: the names of args THNN.h declares THIndexTensor (a
    LongTensor whatever the input's type); every other tensor is a THTensor of input's."""
    kind = messages.lua_type(input)
    if kind in _NOT_INDEXABLE:
        raise TorchError(messages.msg("index_local", "input", kind))
    if not isinstance(input, Tensor) or input.typename not in _THNN_TYPES:
        raise TorchError(messages.msg("index_field", "THNN", "nil"))
    for name, v in args:
        if isinstance(v, Tensor):
            continue
        kind = messages.lua_type(v)
        if kind in _NOT_INDEXABLE:
            what = ("field '?'" if name is None else name if "'" in name
                    else "local '%s'" % name)
            raise TorchError(messages.index_text(kind, what))
        raise TorchError(messages.msg("call_nil_method", "cdata"))
    for n, (name, v) in enumerate(args, first):
        want = "torch.LongTensor" if name in index else input.typename
        if v.typename != want:
            raise TorchError(messages.msg("thnn_ffi_type", n, v.typename[6:], want[6:]))
    for n, (v, ctype) in enumerate(nums, first + len(args)):
        kind = messages.lua_type(v)
        if kind not in ("number", "boolean"):  # (the FFI converts a boolean to 0 or 1)
            raise TorchError(messages.ffi_convert(n, kind, ctype))


def thnn_grad(m, input, gradOutput):
    """The checks of a THNN module's updateGradInput call `input.THNN.F(input:cdata(),
    gradOutput:cdata(), self.gradInput:cdata(), ...)` in Lua's order (before any check of
    the C function's own)."""
    thnn_call(input, ("gradOutput", gradOutput), (None, m.__dict__.get("gradInput")))


def unm(x, what=None):
    """Lua's -x: a number (a numeric string converts), a tensor's __unm__ (a new negated
    tensor); anything else fails as arithmetic on `what`."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return -x
    if isinstance(x, Tensor):
        return -x
    if isinstance(x, str):
        n = messages.lua_tonumber(x)
        if n is not None:
            return -n
    raise TorchError(messages.arith_text(messages.lua_type(x), what))


def div(a, b):
    """Lua's a / b of two numbers: IEEE division (x / 0 is inf, -inf or nan), never Python's
    ZeroDivisionError (hessian.lua's 2 / input:nElement() of an empty input is inf)."""
    try:
        return a / b
    except ZeroDivisionError:
        a = float(a)
        return math.nan if a == 0 or a != a else math.copysign(math.inf, a) * math.copysign(
            1.0, float(b))


def chain(x, what, *calls):
    """Lua's x:a(...):b(...)...: each (name, args...) called on the previous result as
    mcall does (x named by `what` for its index error; the results of methods by none)."""
    for i, (name, *args) in enumerate(calls):
        x = mcall(x, name, *args, what=what if i == 0 else None)
    return x


def new_field(m, name, input):
    """`self.name = self.name or input.new()`: the field, made from input (a value without a
    `new` fails as Lua does) when the module has none yet."""
    v = m.__dict__.get(name)
    if v is None:
        v = field_call(input, "new", "local 'input'")()
        m.__dict__[name] = v
    return v
