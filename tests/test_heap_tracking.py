"""torch.setheaptracking: tensor memory drives Lua's collector (issue 17), so a long Lua run
keeps flat memory; th turns it on as trepl does."""
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

LOOP = """
torch.setheaptracking(%s)
collectgarbage('collect')
local alive = setmetatable({}, {__mode = 'k'})
for i = 1, 400 do
   local t = torch.DoubleTensor(16384):fill(i)   -- 128 KB each, 50 MB in all
   alive[t] = true
end
local n = 0
for _ in pairs(alive) do n = n + 1 end
return n
"""


def test_heap_tracking_collects_dead_tensors_without_an_explicit_collect():
    # Lua sees each tensor as a small proxy: without tracking nothing makes Lua collect, and
    # the 400 dead tensors (50 MB of numpy memory) are all still alive at the end
    rt = LuaRuntime()
    assert rt.execute(LOOP % "false") == 400
    # with tracking, every 4 MB allocated collects: at most a step's worth survive
    rt = LuaRuntime()
    alive = rt.execute(LOOP % "true")
    assert alive <= 4 * 1024 * 1024 // (16384 * 8) + 1
    rt.execute("torch.setheaptracking(false)")


def test_th_turns_heap_tracking_on():
    rt = LuaRuntime()
    assert rt.execute("return torch._heaptracking") is False
    rt.enable_trepl()
    assert rt.execute("return torch._heaptracking") is True
    rt.execute("torch.setheaptracking(false)")
    assert rt.execute("return torch._heaptracking") is False


def test_setheaptracking_checks_its_argument():
    rt = LuaRuntime()
    ok, err = rt.execute("return pcall(torch.setheaptracking, 1)")
    assert ok is False and "boolean expected, got number" in err
