"""nn.Module subclasses declared in Lua, seen from torch7py's Python containers: a Sequential
or Concat prints the Lua module with its __tostring__, and parameters, clearState, type,
clone and getParameters run the Lua overrides (Container.lua calls them on each module)."""
import numpy as np
import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402

LAYER = """
    require 'nn'
    local M, parent = torch.class('nn.MyScale', 'nn.Module')
    function M:__init(k)
       parent.__init(self)
       self.k = k
       self.weight = torch.Tensor(3):fill(1)
       self.gradWeight = torch.Tensor(3):zero()
       self.cache = torch.Tensor(5)
    end
    function M:updateOutput(x)
       self.output = x * self.k
       return self.output
    end
    function M:updateGradInput(x, g)
       self.gradInput = g * self.k
       return self.gradInput
    end
    function M:__tostring__() return 'nn.MyScale(' .. self.k .. ')' end
    function M:parameters() return {self.weight}, {self.gradWeight} end
    function M:clearState()
       self.cache = nil
       return parent.clearState(self)
    end
    TYPED = {}
    function M:type(t, cache)
       TYPED[#TYPED + 1] = t
       return parent.type(self, t, cache)
    end
"""


@pytest.fixture
def rt():
    return LuaRuntime()


def test_containers_print_the_lua_tostring(rt):
    r = rt.execute(LAYER + """
        local s = nn.Sequential():add(nn.Identity()):add(nn.MyScale(2))
        local c = nn.Concat(1):add(nn.MyScale(5))
        return {tostring(s), tostring(c), tostring(nn.MyScale(3))}
    """)
    assert r[0] == ("nn.Sequential {\n  [input -> (1) -> (2) -> output]\n"
                    "  (1): nn.Identity\n  (2): nn.MyScale(2)\n}")
    assert "(1): nn.MyScale(5)" in r[1]
    assert r[2] == "nn.MyScale(3)"


def test_containers_run_the_lua_overrides(rt):
    r = rt.execute(LAYER + """
        local s = nn.Sequential():add(nn.Linear(2, 2)):add(nn.MyScale(2))
        local p = s:parameters()
        local w = s:getParameters()
        s:clearState()
        local cache_after = s.modules[2].cache == nil
        s:float()
        local y = s:forward(torch.FloatTensor(2):fill(1))
        local s2 = s:clone()
        return {#p, w:size(1), cache_after, TYPED[1], torch.type(s.modules[2].weight),
                torch.type(y), torch.type(s2.modules[2]), s2.modules[2].k,
                torch.isTypeOf(s.modules[2], 'nn.Module'), torch.isTypeOf(s.modules[2], nn.Module),
                torch.typename(s.modules[2])}
    """)
    # Linear's weight and bias, then the Lua layer's weight: 4 + 2 + 3 numbers
    assert r == [3, 9, True, "torch.FloatTensor", "torch.FloatTensor", "torch.FloatTensor",
                 "nn.MyScale", 2, True, True, "nn.MyScale"]


def test_python_sequential_runs_the_lua_forward(rt):
    s = rt.execute(LAYER + """
        local s = nn.Sequential():add(nn.MyScale(3))
        return s
    """)
    import torch7py as torch
    y = s.forward(torch.Tensor([1.0, 2.0]))
    np.testing.assert_allclose(y.numpy(), [3.0, 6.0])
    assert repr(s.modules[0]) == "nn.MyScale(3)"
