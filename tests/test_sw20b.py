"""Session 20's sweep of the Tensor/Storage API in every type (sw20b): each test is one
mechanism by which our th printed something else than the original Torch7. Every expectation
is what the original Torch7 (/tmp/ref7, LuaJIT 2.1.0-beta2) printed for the same code."""
import pytest

import torch7py as torch

from luatest import th_script


# -- Tensor.c's indexFill / maskedFill: `return 1` with the arguments on the stack -----------
# The C function ends in `return 1` after reading its arguments: the caller gets the last
# stack slot, the value argument as it was passed (not the value converted to the type).

_FILL_SCRIPT = """require 'torch'
local a = torch.ByteTensor(3):zero()
print(a:maskedFill(torch.ByteTensor({1,0,1}), -3))
print(type(a:maskedFill(torch.ByteTensor({1,0,1}), '7')))
print(a:indexFill(1, torch.LongTensor({2}), '300'))
print(torch.FloatTensor(2):indexFill(1, torch.LongTensor({2}), 0.1))
print(torch.FloatTensor(2):maskedFill(torch.ByteTensor({1,1}), 0.1))
print(torch.IntTensor(2):maskedFill(torch.ByteTensor({1,1}), 2.7))
print(torch.CharTensor(3):indexFill(1, torch.LongTensor({1,2,3}), 1000))
print(a)
"""

_FILL_WANT = """-3\t
string\t
300\t
0.1\t
0.1\t
2.7\t
1000\t
  7
 44
  7
[torch.ByteTensor of size 3]

"""


def test_index_fill_and_masked_fill_return_their_value_argument(tmp_path):
    r = th_script(_FILL_SCRIPT, tmp_path)
    assert r.stdout == _FILL_WANT, r.stderr


@pytest.mark.parametrize("T", [torch.ByteTensor, torch.CharTensor, torch.IntTensor,
                               torch.FloatTensor, torch.DoubleTensor])
def test_fill_return_values_in_python(T):
    t = T(3).zero()
    assert t.indexFill(1, torch.LongTensor([1]), -1) == -1
    assert t.maskedFill(torch.ByteTensor([1, 0, 0]), 0.1) == 0.1


# -- Tensor.lua's type() to a storage type name ----------------------------------------------
# torch.getmetatable(name).new() makes an empty storage; with elements to copy,
# new:resize(self:size()) gets a LongStorage where the storage's resize reads a number.

_TYPE_STORAGE_SCRIPT = """require 'torch'
local d = torch.DoubleTensor({1,2})
print(pcall(d.type, d, 'torch.LongStorage'))
print(pcall(d.type, d, 'torch.ByteStorage'))
local s = torch.DoubleTensor():type('torch.FloatStorage')
print(torch.type(s), s:size())
"""


def test_type_to_a_storage_name(tmp_path):
    r = th_script(_TYPE_STORAGE_SCRIPT, tmp_path)
    lines = r.stdout.splitlines()
    assert lines[0].endswith("torch/Tensor.lua:240: bad argument #1 to 'resize' "
                             "(number expected, got userdata)\t"), r.stdout
    assert lines[0].startswith("false\t")
    assert lines[1] == lines[0]
    assert lines[2] == "torch.FloatStorage\t0\t"
