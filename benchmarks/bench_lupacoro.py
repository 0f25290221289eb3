"""Cost of running Lua's calls into Python on the main Lua thread (compat/_luamain.c): loops
of small torch calls from Lua, outside coroutines and inside one, with the C wrappers of lupa's
metatable installed and without them (`--without`: compat._luamain not imported, lupa's own C
functions). CPU time, best of 5, 1 BLAS thread advised; compare the two runs' numbers:

    python benchmarks/bench_lupacoro.py [n] [--without]"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

if "--without" in sys.argv:
    sys.modules["compat._luamain"] = None  # import fails: runtime.py leaves lupa's functions

import torch7py as torch  # noqa: E402
from compat.runtime import LuaRuntime  # noqa: E402

from _timing import best  # noqa: E402

N = 200000
LOOPS = {
    "t:size(1)": "local s = 0; for i = 1, n do s = s + t:size(1) end",
    "t[i]": "local s = 0; for i = 1, n do s = s + t[(i % 10) + 1] end",
    "m.f = {i}": "for i = 1, n do m.f = i end",
    "m:forward(x)": "for i = 1, n do m:forward(x) end",
    "m:type()": "for i = 1, n do m:type() end",
}


def main(n):
    rt = LuaRuntime()
    rt.globals.t = rt.to_lua(torch.Tensor(10).zero())
    rt.globals.n = n
    rt.execute("require 'nn'; m = nn.Linear(4, 3); x = torch.Tensor(4):fill(1)")
    print("%-14s %10s %10s   (n=%d, %s)" % ("loop", "main s", "coroutine s", n,
                                          "without" if "--without" in sys.argv else "with"))
    for name, code in LOOPS.items():
        plain = rt.load(code, "=" + name)
        inco = rt.load("coroutine.wrap(function() %s end)()" % code, "=" + name)
        t_main = best(lambda: rt._run(plain), 5, clock=time.process_time)
        t_co = best(lambda: rt._run(inco), 5, clock=time.process_time)
        print("%-14s %10.3f %10.3f" % (name, t_main, t_co))


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else N)
