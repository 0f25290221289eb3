"""Python helpers of compat/luajit.lua: what Torch7's LuaJIT 2.1.0-beta2 (LUA52COMPAT) did that
the LuaJIT of lupa does not."""
import os

from torch7py.printing import lua_number_arg

from . import pairs_order


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
    _run(rt, "luajit.lua", L)
    _run(rt, "tester.lua", rt.globals.torch, getattr(rt, "pairs_api", None))
