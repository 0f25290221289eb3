"""Python helpers of compat/luajit.lua: what Torch7's LuaJIT 2.1.0-beta2 (LUA52COMPAT) did that
the LuaJIT of lupa does not."""
import os

import numpy as np

from torch7py import messages
from torch7py.printing import lua_number_arg, lua_spec_arg

from . import len52, pairs_order
from .torchcalls import small_diff


def _run(rt, name, *args):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name),
              encoding="utf-8") as f:
        code = f.read()
    fn = rt.lua.globals().loadstring(code, "=[compat]")
    return fn(*args)


def install_pairs(rt):
    """Run pairs_order.lua (pairs() and next() in beta2's order) in runtime rt, before
    torch.lua."""
    rt.pairs_api = _run(rt, "pairs_order.lua", pairs_order.install(rt, rt.lua.table))
    if rt.pairs_api is not None:
        pairs_order.connect(rt, rt.pairs_api)


def install(rt):
    """Run luajit.lua, then tester.lua (torch.Tester/TestSuite for Lua scripts) in runtime rt,
    after torch.lua."""
    L = rt.lua.table()
    L.fixnum = lambda conv, prec, x: lua_number_arg(conv, int(prec), float(x))
    L.fixspec = lambda spec, x: lua_spec_arg(spec, float(x))
    # TH_LEN52=0: `#` as the LuaJIT here runs it (no __len for tables)
    L.len52 = (lambda s: None) if os.environ.get("TH_LEN52") == "0" else len52.safe_rewrite
    L.strtoul = beta2_strtoul
    api = getattr(rt, "pairs_api", None)
    if api is not None:
        L.ipairs_iter = api.ipairs_iter
        L.unwrap = api.unwrap  # the library's iterator under pairs_order.lua's wrapper
    _run(rt, "luajit.lua", L)
    H = rt.lua.table()
    H.tensordiff = rt.to_lua(_tensor_diff)
    H.lua_prefix = messages.LUA_PREFIX  # (Tester.lua's positions)
    api = getattr(rt, "pairs_api", None)
    if api is not None:
        H.note = api.note
    _run(rt, "tester.lua", rt.globals.torch, H)


_C_SPACE = " \t\n\v\f\r"
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def beta2_strtoul(s, base):
    """beta2's tonumber(s, base) for base 2..36 (lib_base.c): C's strtoul on the string up to
    its first NUL (spaces, a sign, for base 16 an optional 0x, digits), spaces after, then the
    end, else nil; the unsigned long it returns as a double: a '-' negates modulo 2^64
    (tonumber('-11', 2) is 1.844674407371e+19) and a value past ULONG_MAX is ULONG_MAX."""
    s = str(s).split("\0", 1)[0]
    base = int(base)
    i, n = 0, len(s)
    while i < n and s[i] in _C_SPACE:
        i += 1
    neg = False
    if i < n and s[i] in "+-":
        neg = s[i] == "-"
        i += 1
    if base == 16 and s[i:i + 2].lower() == "0x" and i + 2 < n \
            and s[i + 2].lower() in _DIGITS[:16]:
        i += 2
    start, v = i, 0
    while i < n:
        d = _DIGITS.find(s[i].lower()) if s[i].isascii() else -1
        if d < 0 or d >= base:
            break
        v = v * base + d
        i += 1
    if i == start:
        return None
    while i < n and s[i] in _C_SPACE:
        i += 1
    if i != n:
        return None
    if v > 2 ** 64 - 1:
        v = 2 ** 64 - 1
    elif neg:
        v = (2 ** 64 - v) % 2 ** 64
    return float(v)


def _tensor_diff(ta, tb, ignore_dims):
    """Tester.lua's check.areTensorsEq up to its tolerance test, in one call from Lua (the
    PixelShuffle test asserts ~10^5 times; each step through the bridge costs a call): the
    name of the first difference of form, or the largest absolute difference, computed by the
    same values as ta:clone():add(-1, tb):abs():max() (Byte/Char/Short as Double): adding -1
    times tb rounds once either way (the product is exact), so it is numpy's a - b, element by
    element in logical order; numpy's max, like TH's maxall, gives NaN when any is NaN."""
    if not ignore_dims and ta.dim() != tb.dim():
        return "dims"
    if ta.type() != tb.type():
        return "types"
    if ta.dim() == 0 and tb.dim() == 0:
        return "empty"
    if not (ta.nElement() == tb.nElement() if ignore_dims else ta.isSameSizeAs(tb)):
        return "sizes"
    d = small_diff(ta, tb)
    if d is not None:
        return d
    # Byte, Char and Short tensors have no abs in Torch7
    if getattr(ta, "abs", None) is None:
        ta = ta.double()
    if getattr(tb, "abs", None) is None:
        tb = tb.double()
    a = np.ravel(ta.numpy(), order="C")
    b = np.ravel(tb.numpy(), order="C")
    return np.abs(a - b).max().item()
