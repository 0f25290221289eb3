"""Cost of the Lua bridge: Lua loops of small torch calls against the same loops in Python.

`all three` is the issue's measure: one loop doing t:add(1), t[i] and t:size(1); the other lines
time each call alone (CPU time, best of 3)."""
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.dirname(
    __import__("os").path.abspath(__file__))))

import torch7py as torch  # noqa: E402
from compat.runtime import LuaRuntime  # noqa: E402

from _timing import best  # noqa: E402

N = 100000

LUA = {
    "all three": "local s = 0; for i = 1, n do t:add(1); s = s + t[(i % 10) + 1] + t:size(1) end",
    "t:add(1)": "for i = 1, n do t:add(1) end",
    "t[i]": "local s = 0; for i = 1, n do s = s + t[(i % 10) + 1] end",
    "t:size(1)": "local s = 0; for i = 1, n do s = s + t:size(1) end",
    "t[i] = v": "for i = 1, n do t[(i % 10) + 1] = i end",
}


def py_loops(t, n):
    def all3():
        s = 0
        for i in range(1, n + 1):
            t.add(1)
            s += t[(i % 10) + 1] + t.size(1)

    def add():
        for _ in range(n):
            t.add(1)

    def get():
        s = 0
        for i in range(1, n + 1):
            s += t[(i % 10) + 1]

    def size():
        s = 0
        for _ in range(n):
            s += t.size(1)

    def put():
        for i in range(1, n + 1):
            t[(i % 10) + 1] = i
    return {"all three": all3, "t:add(1)": add, "t[i]": get, "t:size(1)": size, "t[i] = v": put}


def main(n=N):
    rt = LuaRuntime()
    t = torch.Tensor(10).zero()
    rt.globals.t = rt.to_lua(t)
    rt.globals.n = n
    py = py_loops(t, n)
    print("%-12s %10s %10s %7s" % ("loop (1e%d)" % len(str(n // 10)), "python s", "lua s",
                                  "ratio"))
    for name, code in LUA.items():
        f = rt.load(code, "=" + name)
        best_l = best(lambda: rt._run(f), 3, clock=time.process_time)
        best_p = best(py[name], 3, clock=time.process_time)
        print("%-12s %10.3f %10.3f %7.2f" % (name, best_p, best_l, best_l / best_p))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N)
