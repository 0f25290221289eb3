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

_NOT_INDEXABLE = ("nil", "number", "boolean", "function")


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
        if what:
            raise TorchError(messages.msg("length_of", what, kind))
        raise TorchError("attempt to get length of a %s value" % kind)
    if isinstance(x, (list, tuple)):
        return len(x)
    if isinstance(x, Mapping) or hasattr(x, "keys"):
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
        if what:
            raise TorchError("attempt to index %s (a %s value)" % (what, kind))
        raise TorchError("attempt to index a %s value" % kind)
    if isinstance(x, Mapping) or hasattr(x, "get"):
        return x.get(i)
    return None


def for_limit(n):
    """A numeric for's limit: a number (LuaJIT converts no other value)."""
    if isinstance(n, bool) or not isinstance(n, (int, float)):
        raise TorchError("'for' limit must be a number")
    return n


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
