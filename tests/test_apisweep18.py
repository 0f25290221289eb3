"""Session 18's sweep of the less-travelled Torch7 API (apisweep18): generated scripts over
every tensor type's printing, integer math, conversions, views and indexing, storages,
random distributions and reductions, run under our th and under the original Torch7; each
test is one mechanism by which ours printed something else. Every expectation is what the
original Torch7 (/tmp/ref7, LuaJIT 2.1.0-beta2) printed for the same code."""
import math

import pytest

import torch7py as torch
from torch7py.tensor import TorchError

from luatest import th_script


# -- THTensor_(dot) of an integer type --------------------------------------------------------
# THBlas_(dot)'s C loop sums a run's products in a `real` (it wraps at the type's width);
# TH_TENSOR_APPLY2's runs then add up in accreal (long).

def test_int_dot_wraps_each_run_in_the_element_type():
    # the original printed 32, 32, 14464, 65536, -14464, -32, 0
    B, C, S, I = torch.ByteTensor, torch.CharTensor, torch.ShortTensor, torch.IntTensor
    assert B([200, 200]).dot(B([2, 2])) == 32
    assert C([100, 100]).dot(C([100, 100])) == 32
    assert S([200, 200]).dot(S([200, 200])) == 14464
    assert I([65536, 65536]).dot(I([65536, 1])) == 65536
    assert S(2).fill(200).dot(S(2).fill(-200)) == -14464
    assert C([-100, 100]).dot(C([100, -100])) == -32
    assert B().dot(B()) == 0


def test_int_dot_sums_runs_in_long():
    # a 2x2 narrow of a 2x3 tensor: two runs of 2 (each 400 -> 144 in a byte), summed in a
    # long: the original printed 288 in all three orders, and 144 for one contiguous run of 4
    a = torch.ByteTensor(2, 3).fill(100).narrow(2, 1, 2)
    two = torch.ByteTensor(2, 2).fill(2)
    assert a.dot(two) == 288
    assert two.dot(a) == 288
    assert a.t().dot(two) == 288
    assert torch.ByteTensor(4).fill(100).dot(torch.ByteTensor(4).fill(1)) == 144


def test_int_dot_through_th(tmp_path):
    # 1-d * 1-d is a dot: the original printed 88 (600 in a byte)
    r = th_script("require 'torch'\n"
                  "print(torch.ByteTensor(2):fill(100) * torch.ByteTensor(2):fill(3))\n",
                  tmp_path)
    assert r.stdout == "88\t\n", r.stderr


# -- torch.X's dispatcher: its own error names the calling line -----------------------------
# The dispatcher (TensorMath.lua's C function) raises "does not implement" with luaL_error;
# LuaJIT's lj_err_callermsg names the Lua line that called it. What the type's function raises
# under the dispatcher's lua_call stays without a position.

_DISPATCH_SCRIPT = """require 'torch'
print(pcall(function() local x = torch.sqrt(torch.IntTensor({4})) end))
print(pcall(function() return torch.sqrt(torch.IntTensor({4})) end))
print(pcall(function() local x = torch.pow(torch.IntTensor({4}), 2) end))
print(pcall(function() local x = torch.IntTensor({4}):sqrt() end))
print(pcall(function() local x = torch.normal(torch.ByteTensor({4})) end))
print(pcall(function() local x = torch.multinomial(torch.ByteTensor({4}), 1) end))
print(pcall(function() local x = torch.histc(torch.LongTensor({4})) end))
print(pcall(torch.renorm, torch.IntTensor({4}), 2, 1, 1))
print(pcall(function() local x = torch.mv(torch.zeros(2, 2), torch.zeros(3)) end))
"""

# what the original printed (its C-source suffix " at .../THTensorMath.c:NNN" removed)
_DISPATCH_WANT = """false\ts.lua:2: torch.IntTensor does not implement the torch.sqrt() function\t
false\ttorch.IntTensor does not implement the torch.sqrt() function\t
false\ts.lua:4: torch.IntTensor does not implement the torch.pow() function\t
false\ts.lua:5: attempt to call method 'sqrt' (a nil value)\t
false\ts.lua:6: torch.ByteTensor does not implement the torch.normal() function\t
false\ts.lua:7: torch.ByteTensor does not implement the torch.multinomial() function\t
false\ts.lua:8: torch.LongTensor does not implement the torch.histc() function\t
false\ttorch.IntTensor does not implement the torch.renorm() function\t
false\tsize mismatch, [2 x 2], [3]\t
"""


def test_dispatcher_own_error_names_the_calling_line(tmp_path):
    r = th_script(_DISPATCH_SCRIPT, tmp_path)
    assert r.stdout == _DISPATCH_WANT, r.stderr


# -- Tensor:bernoulli(p tensor): TH_TENSOR_APPLY2(self, p)'s message ------------------------

@pytest.mark.parametrize("self_size, p_size, want", [
    # the original's messages (C-source suffix removed)
    ((3,), (2,), "inconsistent tensor size, expected self [3] and p [2] to have the same "
                 "number of elements, but got 3 and 2 elements respectively"),
    ((2, 3), (2, 2), "inconsistent tensor size, expected self [2 x 3] and p [2 x 2] to have "
                     "the same number of elements, but got 6 and 4 elements respectively"),
])
def test_bernoulli_p_tensor_size_message(self_size, p_size, want):
    p = torch.FloatTensor(*p_size).fill(0.5)
    with pytest.raises(TorchError) as e:
        torch.IntTensor(*self_size).bernoulli(p)
    assert str(e.value) == want


# -- sort of slices with NaN -----------------------------------------------------------------
# Below 12 elements Torch7's sort is an insertion sort on `<` / `>`: NaN compares false, so
# it stays where the moves leave it (not last, as numpy puts it).

@pytest.mark.parametrize("data, desc, want_idx", [
    # the original printed these indices
    ([2, math.nan, 1], False, [1, 2, 3]),
    ([2, math.nan, 1], True, [1, 2, 3]),
    ([math.nan, 3, 1, 2], False, [1, 3, 4, 2]),
    ([math.nan, 3, 1, 2], True, [1, 2, 4, 3]),
    ([1, 2, math.nan, math.nan, 0], False, [1, 2, 3, 4, 5]),
    ([1, 2, math.nan, math.nan, 0], True, [2, 1, 3, 4, 5]),
    ([3, 2, 1, math.nan], False, [3, 2, 1, 4]),
    ([3, 2, 1, math.nan], True, [1, 2, 3, 4]),
])
def test_sort_small_slice_with_nan(data, desc, want_idx):
    for T in (torch.DoubleTensor, torch.FloatTensor):
        v, i = torch.sort(T(data), desc)
        assert [int(x) for x in i.tolist()] == want_idx
        got = v.tolist()
        want = [data[k - 1] for k in want_idx]
        assert [str(x) for x in got] == [str(float(x)) for x in want]
