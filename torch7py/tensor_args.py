"""How Torch7's C reads the Lua values a tensor is built or indexed with: table constructors
(Tensor.c's new), lua_isnumber / lua_tonumber, luaL_checkint/checklong and C's integer casts of
Lua numbers, c_readSizeStride's stride storages. Used by tensor.py."""
from collections.abc import Mapping
from itertools import chain

import numpy as np

from .messages import bad_argument, lua_tonumber
from .storage import LongStorage, TorchError, _check_number, lua_real


def _table_array(table, dtype=None):
    """A nested list as a float64 array, with Torch7's errors for a malformed table (with
    numeric strings and an integer dtype: an array of dtype, each element as
    luaG_(checkreal) reads it)."""
    try:
        arr = np.array(table, dtype=np.float64)
        depth, x = 0, table
        while isinstance(x, list) and x:
            depth, x = depth + 1, x[0]
        # else numpy unpacked a tensor standing as an element; and numpy reads what Lua's
        # lua_isnumber does not (true, 'inf', 'nan', '1_0'): only plain numbers pass here
        if arr.ndim == depth and _plain_numbers(table, depth):
            return arr
    except (ValueError, TypeError):
        pass
    # Tensor.c's new: the sizes come from the chain of first elements (while a table is not
    # empty); then every table, in row-major order, must be a table of that size, and the last
    # level's elements numbers
    size, x = [], table
    while isinstance(x, list) and x:
        size.append(len(x))
        x = x[0]
    out = []
    strtol = dtype is not None and np.dtype(dtype).kind in "iu"

    def walk(t, d):
        if d == len(size) - 1:
            for v in t:
                n = _lua_number(v)
                out.append(lua_real(v, np.dtype(dtype)) if strtol and isinstance(v, str)
                           else n)
            return
        for c in t:
            if not isinstance(c, list):
                raise TorchError("invalid tensor definition")
            if len(c) != size[d + 1]:
                raise TorchError("invalid tensor sizes")
            walk(c, d + 1)
    if not size:
        return np.zeros(0)  # {}: an empty tensor
    walk(table, 0)
    if strtol and any(isinstance(v, str) for v in _leaves(table, len(size))):
        return np.array([lua_real(v, np.dtype(dtype)) for v in out],
                        dtype=dtype).reshape(size)
    return np.array(out, dtype=np.float64).reshape(size)


def _leaves(table, depth):
    level = table
    for _ in range(depth - 1):
        level = list(chain.from_iterable(level))
    return level


def _plain_numbers(table, depth):
    """Whether a regular nested list (depth levels) holds lists down to its last level (a
    tensor standing for a table is no table) and ints and floats there."""
    level = table
    for _ in range(depth - 1):
        if not all(isinstance(x, list) for x in level):
            return False
        level = list(chain.from_iterable(level))
    return set(map(type, level)) <= _PLAIN


_PLAIN = {int, float}


def _lua_number(v):
    """lua_isnumber + lua_tonumber: numbers, and strings Lua converts ('1.5', ' 2 ', '0x10')."""
    if isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
        return v
    n = lua_tonumber(v)
    if n is None:
        raise TorchError("invalid element (not a number)")
    return n


def _holds_mapping(values):
    return any(isinstance(v, Mapping) or (isinstance(v, list) and _holds_mapping(v))
               for v in values)


def _lua_isnumber(x):
    """lua_isnumber: a number, or a string that converts to one."""
    if type(x) is int or type(x) is float:
        return True
    if isinstance(x, bool):
        return False
    if isinstance(x, str):
        return lua_tonumber(x) is not None
    return isinstance(x, (int, float, np.number))


def _check_stride_storage(size, stride, n):
    """c_readSizeStride: the strides after a LongStorage of sizes (argument n), a LongStorage
    as long as the sizes."""
    if not isinstance(stride, LongStorage):
        raise TorchError(bad_argument(n, "torch.LongStorage expected"))
    if stride.size() != size.size():
        raise TorchError(bad_argument(n, "provided stride and size are inconsistent"))


def _lua_num(i):
    """An integer as Lua writes the number (%.14g): all its digits below 10^14, else 14
    significant ones and an exponent."""
    return str(i) if -10 ** 14 < i < 10 ** 14 else "%.14g" % i


def _c_long(x):
    """C's (long) of a Lua number: truncated toward zero; NaN, inf and values beyond 64 bits
    give x86's integer indefinite (INT64_MIN)."""
    if type(x) is int:
        return x if -(1 << 63) <= x < (1 << 63) else -(1 << 63)
    x = float(x)
    if x != x or not -9.2233720368547758e18 <= x < 9.2233720368547758e18:
        return -(1 << 63)
    return int(x)


def _c_int(i):
    """C's (int) of a long: its low 32 bits, signed."""
    return ((i + (1 << 31)) & 0xFFFFFFFF) - (1 << 31)


def _c_int_of_number(x):
    """C's (int) of a Lua number (a double; lupa hands an integral one over as an int), as x86
    casts it: cvttsd2si gives the "integer indefinite" (INT_MIN) for NaN and what is out of
    range. cwrap's int arguments: (int)lua_tonumber(L, i)."""
    if type(x) is int:
        return x if -2147483648 <= x < 2147483648 else -2147483648
    x = float(x)
    if not -2147483649.0 < x < 2147483648.0:  # (NaN too)
        return -2147483648
    return int(x)


def _c_index(x):
    """cwrap's index: (long)lua_tonumber(L, i) - 1, which TH's functions take as an int
    dimension (its low 32 bits): x:sum(2^32 + 2) sums along dimension 2."""
    if type(x) is int and -2147483647 <= x <= 2147483648:
        return x - 1
    return _c_int(_long_sub1(_c_long(x)))


def _checkint(x, n):
    """luaL_checkinteger / luaL_checklong of argument n (self counted): a number or a numeric
    string, cast to C's long as x86 does (truncated toward zero; NaN, inf and what is beyond
    64 bits give the integer indefinite, INT64_MIN); else "number expected, got <type>" ('no
    value' for an argument left out)."""
    if type(x) is int and -(1 << 63) <= x < (1 << 63):
        return x
    return _c_long(_check_number(x, n))


def _checkint32(x, n):
    """luaL_checkint of argument n: (int) of luaL_checkinteger's long, its low 32 bits
    (2^32 + 2 reads as 2, NaN's INT64_MIN as 0)."""
    if type(x) is int and -2147483648 <= x < 2147483648:  # (the common case, at once)
        return x
    v = _checkint(x, n)
    return v if -2147483648 <= v < 2147483648 else _c_int(v)


def _wrap64(v):
    """C's long arithmetic: v's low 64 bits, signed."""
    return v if -(1 << 63) <= v < (1 << 63) else ((v + (1 << 63)) & ((1 << 64) - 1)) - (1 << 63)


def _long_sub1(v):
    """C's long v - 1 (INT64_MIN - 1 wraps to INT64_MAX)."""
    return v - 1 if v > -(1 << 63) else (1 << 63) - 1
