"""Table modules write into their own output and gradInput tables (nn's Lua code does
`self.output[i] = ...` and shrinks the same table): a table a script holds stays the module's
after calls with inputs of another length, from Python and from Lua (th). Expected lengths and
values are the layers' definitions, computed here by hand."""
import numpy as np
import pytest

import torch7py as torch
from torch7py import nn


def tensors(n, seed=0):
    torch.manualSeed(seed)
    return [torch.randn(2, 3) for _ in range(n)]


def _sum(ts):
    return np.sum([t.numpy() for t in ts], axis=0)


# (module, expected output from the input list, is the output a table) for the modules whose
# Lua code keeps one output table (when it is a table) and one gradInput table
CASES = {
    "CAddTable": (lambda: nn.CAddTable(), _sum, False),
    "JoinTable": (lambda: nn.JoinTable(2), lambda ts: np.concatenate([t.numpy() for t in ts], 1),
                  False),
    "NarrowTable": (lambda: nn.NarrowTable(1, 2), lambda ts: [t.numpy() for t in ts[:2]], True),
    "ConcatTable": (lambda: nn.ConcatTable().add(nn.CAddTable()).add(nn.SelectTable(1)),
                    lambda ts: [_sum(ts), ts[0].numpy()], True),
}


def _values(x):
    return [t.numpy() for t in x] if isinstance(x, list) else x.numpy()


@pytest.mark.parametrize("name", sorted(CASES))
def test_held_tables_follow_the_module_in_python(name):
    make, expect, table_out = CASES[name]
    m = make()
    first_out = first_gi = None
    for n in (3, 2, 4, 1):
        x = tensors(n, seed=n)
        y = m.forward(x)
        g = [t.clone().fill(1) for t in y] if isinstance(y, list) else y.clone().fill(1)
        gi = m.backward(x, g)
        assert isinstance(gi, list) and len(gi) == n
        if first_out is None:
            first_out, first_gi = y, gi
        assert m.gradInput is first_gi  # the same table, grown or shrunk
        if table_out:
            assert m.output is first_out
        want = expect(x)
        got = _values(first_out if table_out else y)
        if table_out:
            assert len(got) == len(want)
            for a, b in zip(got, want):
                np.testing.assert_allclose(a, b, rtol=1e-12)
        else:
            np.testing.assert_allclose(got, want, rtol=1e-12)


LUA = """
require 'nn'
local m = %s
local firstOut, firstGi
for _, n in ipairs{3, 2, 4, 1} do
   local x = {}
   for i = 1, n do x[i] = torch.randn(2, 3) end
   local y = m:forward(x)
   local g
   if torch.isTensor(y) then g = y:clone():fill(1) else
      g = {}
      for i = 1, #y do g[i] = y[i]:clone():fill(1) end
   end
   m:backward(x, g)
   firstOut = firstOut or m.output
   firstGi = firstGi or m.gradInput
   assert(rawequal(firstGi, m.gradInput), 'gradInput is another table')
   assert(#firstGi == n, 'held gradInput has ' .. #firstGi .. ' entries, not ' .. n)
   for i = 1, n do assert(firstGi[i]:isSameSizeAs(x[i]), 'entry ' .. i) end
   if type(firstOut) == 'table' then
      assert(rawequal(firstOut, m.output), 'output is another table')
      assert(#firstOut == #m.output)
   end
end
return true
"""


@pytest.mark.parametrize("ctor", ["nn.CAddTable()", "nn.JoinTable(2)", "nn.NarrowTable(1, 1)",
                                  "nn.CMaxTable()", "nn.CMulTable()", "nn.CMinTable()",
                                  "nn.ConcatTable():add(nn.CAddTable()):add(nn.CMulTable())",
                                  "nn.Sequential():add(nn.Identity()):add(nn.JoinTable(2))"])
def test_held_tables_follow_the_module_in_lua(ctor):
    pytest.importorskip("lupa")
    from compat.runtime import LuaRuntime
    res = LuaRuntime().execute(LUA % ctor)
    assert res is True or res == (True,) or res[0] is True


def test_identity_and_maptable_hand_on_other_tables():
    # Identity.lua: output = input, gradInput = gradOutput (the caller's tables); MapTable.lua
    # starts new output and gradInput tables at each call: a held one keeps its old entries
    x3, x2 = tensors(3), tensors(2)
    idt = nn.Identity()
    assert idt.forward(x3) is x3 and idt.backward(x3, x2) is x2
    m = nn.MapTable(nn.Identity())
    out3 = m.forward(x3)
    gi3 = m.backward(x3, x3)
    assert m.forward(x2) is not out3 and len(out3) == 3 and len(m.output) == 2
    m.backward(x2, x2)
    assert m.gradInput is not gi3 and len(gi3) == 3
