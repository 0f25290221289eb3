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


# -- luaG_(checkreal) of a string, and luaT's operators with a string first -----------------
# TensorOperator's + - * and Tensor.c's maskedFill/indexFill/__newindex__ read a number with
# luaG_(checkreal): for an integer type a string is strtol(s, NULL, 0) with no check ('x' is 0,
# '010' 8, '12abc' 12, '1e3' 1); for a float type luaL_checknumber's. luaT_mt__add... asks the
# first operand's metatable when it has one: a string's has no __add__, so 'x' + t, even
# '2' * t, fail naming the string '(null)'.

_STRTOL_SCRIPT = "require 'torch'\nfor _, tn in ipairs({'torch.ByteTensor', 'torch.IntTensor', 'torch.LongTensor', 'torch.FloatTensor'}) do\n   local a = torch.Tensor():type(tn):resize(2):fill(1)\n   for _, s in ipairs({'x', '010', '0x10', '12abc', '1e3'}) do\n      local r = {}\n      for _, f in ipairs({\n            function() return a + s end, function() return a - s end,\n            function() return a * s end, function() return s + a end,\n            function() return s * a end, function() return s / a end,\n            function() return a:clone():maskedFill(torch.ByteTensor({1, 0}), s) end,\n            function() return a:clone():indexFill(1, torch.LongTensor({2}), s) end,\n            function() local c = a:clone(); c[{1}] = s; return c end,\n            function() local c = a:clone(); c[torch.LongStorage({2})] = s; return c end}) do\n         local ok, v = pcall(f)\n         if ok then\n            v = torch.isTensor(v) and v or a\n            r[#r + 1] = v[1] .. ',' .. v[2]\n         else\n            r[#r + 1] = (tostring(v):gsub('^.-:%d+: ', ''):gsub(' at /.*', ''))\n         end\n      end\n      print(tn, s, table.concat(r, ' | '))\n   end\nend\n"

# what the original printed
_STRTOL_WANT = "torch.ByteTensor\tx\t1,1 | 1,1 | 0,0 | both (null) and torch.ByteTensor have no addition operator | both (null) and torch.ByteTensor have no multiplication operator | both (null) and torch.ByteTensor have no division operator | 1,1 | 1,1 | 0,1 | 1,0\t\ntorch.ByteTensor\t010\t9,9 | 249,249 | 8,8 | both (null) and torch.ByteTensor have no addition operator | both (null) and torch.ByteTensor have no multiplication operator | both (null) and torch.ByteTensor have no division operator | 1,1 | 1,1 | 8,1 | 1,8\t\ntorch.ByteTensor\t0x10\t17,17 | 241,241 | 16,16 | both (null) and torch.ByteTensor have no addition operator | both (null) and torch.ByteTensor have no multiplication operator | both (null) and torch.ByteTensor have no division operator | 1,1 | 1,1 | 16,1 | 1,16\t\ntorch.ByteTensor\t12abc\t13,13 | 245,245 | 12,12 | both (null) and torch.ByteTensor have no addition operator | both (null) and torch.ByteTensor have no multiplication operator | both (null) and torch.ByteTensor have no division operator | 1,1 | 1,1 | 12,1 | 1,12\t\ntorch.ByteTensor\t1e3\t2,2 | 0,0 | 1,1 | both (null) and torch.ByteTensor have no addition operator | both (null) and torch.ByteTensor have no multiplication operator | both (null) and torch.ByteTensor have no division operator | 1,1 | 1,1 | 1,1 | 1,1\t\ntorch.IntTensor\tx\t1,1 | 1,1 | 0,0 | both (null) and torch.IntTensor have no addition operator | both (null) and torch.IntTensor have no multiplication operator | both (null) and torch.IntTensor have no division operator | 1,1 | 1,1 | 0,1 | 1,0\t\ntorch.IntTensor\t010\t9,9 | -7,-7 | 8,8 | both (null) and torch.IntTensor have no addition operator | both (null) and torch.IntTensor have no multiplication operator | both (null) and torch.IntTensor have no division operator | 1,1 | 1,1 | 8,1 | 1,8\t\ntorch.IntTensor\t0x10\t17,17 | -15,-15 | 16,16 | both (null) and torch.IntTensor have no addition operator | both (null) and torch.IntTensor have no multiplication operator | both (null) and torch.IntTensor have no division operator | 1,1 | 1,1 | 16,1 | 1,16\t\ntorch.IntTensor\t12abc\t13,13 | -11,-11 | 12,12 | both (null) and torch.IntTensor have no addition operator | both (null) and torch.IntTensor have no multiplication operator | both (null) and torch.IntTensor have no division operator | 1,1 | 1,1 | 12,1 | 1,12\t\ntorch.IntTensor\t1e3\t2,2 | 0,0 | 1,1 | both (null) and torch.IntTensor have no addition operator | both (null) and torch.IntTensor have no multiplication operator | both (null) and torch.IntTensor have no division operator | 1,1 | 1,1 | 1,1 | 1,1\t\ntorch.LongTensor\tx\t1,1 | 1,1 | 0,0 | both (null) and torch.LongTensor have no addition operator | both (null) and torch.LongTensor have no multiplication operator | both (null) and torch.LongTensor have no division operator | 1,1 | 1,1 | 0,1 | 1,0\t\ntorch.LongTensor\t010\t9,9 | -7,-7 | 8,8 | both (null) and torch.LongTensor have no addition operator | both (null) and torch.LongTensor have no multiplication operator | both (null) and torch.LongTensor have no division operator | 1,1 | 1,1 | 8,1 | 1,8\t\ntorch.LongTensor\t0x10\t17,17 | -15,-15 | 16,16 | both (null) and torch.LongTensor have no addition operator | both (null) and torch.LongTensor have no multiplication operator | both (null) and torch.LongTensor have no division operator | 1,1 | 1,1 | 16,1 | 1,16\t\ntorch.LongTensor\t12abc\t13,13 | -11,-11 | 12,12 | both (null) and torch.LongTensor have no addition operator | both (null) and torch.LongTensor have no multiplication operator | both (null) and torch.LongTensor have no division operator | 1,1 | 1,1 | 12,1 | 1,12\t\ntorch.LongTensor\t1e3\t2,2 | 0,0 | 1,1 | both (null) and torch.LongTensor have no addition operator | both (null) and torch.LongTensor have no multiplication operator | both (null) and torch.LongTensor have no division operator | 1,1 | 1,1 | 1,1 | 1,1\t\ntorch.FloatTensor\tx\tbad argument #2 to '?' (number expected, got string) | bad argument #2 to '?' (number expected, got string) | bad argument #2 to '?' (number expected, got string) | both (null) and torch.FloatTensor have no addition operator | both (null) and torch.FloatTensor have no multiplication operator | both (null) and torch.FloatTensor have no division operator | bad argument #3 to '?' (number expected, got string) | bad argument #4 to '?' (number expected, got string) | bad argument #3 to '?' (number expected, got string) | bad argument #3 to '?' (number expected, got string)\t\ntorch.FloatTensor\t010\t11,11 | -9,-9 | 10,10 | both (null) and torch.FloatTensor have no addition operator | both (null) and torch.FloatTensor have no multiplication operator | both (null) and torch.FloatTensor have no division operator | 1,1 | 1,1 | 10,1 | 1,10\t\ntorch.FloatTensor\t0x10\t17,17 | -15,-15 | 16,16 | both (null) and torch.FloatTensor have no addition operator | both (null) and torch.FloatTensor have no multiplication operator | both (null) and torch.FloatTensor have no division operator | 1,1 | 1,1 | 16,1 | 1,16\t\ntorch.FloatTensor\t12abc\tbad argument #2 to '?' (number expected, got string) | bad argument #2 to '?' (number expected, got string) | bad argument #2 to '?' (number expected, got string) | both (null) and torch.FloatTensor have no addition operator | both (null) and torch.FloatTensor have no multiplication operator | both (null) and torch.FloatTensor have no division operator | bad argument #3 to '?' (number expected, got string) | bad argument #4 to '?' (number expected, got string) | bad argument #3 to '?' (number expected, got string) | bad argument #3 to '?' (number expected, got string)\t\ntorch.FloatTensor\t1e3\t1001,1001 | -999,-999 | 1000,1000 | both (null) and torch.FloatTensor have no addition operator | both (null) and torch.FloatTensor have no multiplication operator | both (null) and torch.FloatTensor have no division operator | 1,1 | 1,1 | 1000,1 | 1,1000\t\n"


def test_string_operands_read_as_the_original(tmp_path):
    r = th_script(_STRTOL_SCRIPT, tmp_path)
    assert r.stdout == _STRTOL_WANT, r.stderr


_STRTOL_SET_SCRIPT = "local m = torch.IntTensor(2,2):zero()\nm[{1,2}] = '0x1f'\nm[torch.LongStorage({2,1})] = 'z9'\nm[{2,2}] = ' -7q'\nprint(m)\nlocal v = torch.ShortTensor(3):zero()\nprint(pcall(function() v[2] = 'x' end))\nv[{-1}] = '1e5'\nprint(v)\nlocal f = torch.FloatTensor(2):zero()\nprint(pcall(function() f[{1}] = 'x' end))\nf[{2}] = '0x10'\nprint(f)\n"

_STRTOL_SET_WANT = "  0  31\n  0  -7\n[torch.IntTensor of size 2x2]\n\nfalse\tbad argument #3 to '?' (torch.*Tensor expected, got string)\t\n 0\n 0\n 1\n[torch.ShortTensor of size 3]\n\nfalse\tbad argument #3 to '?' (number expected, got string)\t\n  0\n 16\n[torch.FloatTensor of size 2]\n\n"


def test_element_assignment_of_a_string_is_strtol_for_integer_types(tmp_path):
    r = th_script(_STRTOL_SET_SCRIPT, tmp_path)
    assert r.stdout == _STRTOL_SET_WANT, r.stderr


def test_string_operand_errors_carry_the_calling_line(tmp_path):
    # the original: "s.lua:3: both (null) and torch.IntTensor have no substraction operator"
    r = th_script("require 'torch'\nlocal a = torch.IntTensor({1})\n"
                  "print(select(2, pcall(function() return 'x' - a end)))\n"
                  "print(select(2, pcall(function() return '3' / a end)))\n", tmp_path)
    assert r.stdout == ("s.lua:3: both (null) and torch.IntTensor have no substraction "
                        "operator\t\ns.lua:4: both (null) and torch.IntTensor have no "
                        "division operator\t\n"), r.stderr


@pytest.mark.parametrize("T,s,want", [
    (torch.ByteTensor, "010", [9, 9]), (torch.IntTensor, "x", [1, 1]),
    (torch.IntTensor, "-0x10", [-15, -15]), (torch.LongTensor, "1e3", [2, 2]),
    (torch.FloatTensor, "010", [11, 11])])
def test_string_operand_in_python(T, s, want):
    assert (T(2).fill(1) + s).totable() == want


# -- torch.HalfTensor as Torch7 leaves it ---------------------------------------------------
# TensorMath wraps nothing for Half (no zero, squeeze, numel... methods, and its metatable has
# no `torch` table: torch.X's dispatcher sees no tensor type in a HalfTensor and calls the
# default type's function), TensorOperator.c is not built for it (luaT's 'no addition
# operator'), and torch/init.lua's require('torch.test') runs test/test.lua, which gives it
# __sub, mean, abs, max, add, reshape and fill through the default type (fill returns a new
# tensor). The original printed this (its install prefix written as torch7py's
# /usr/local/share/lua/5.1/).

_HALF_SCRIPT = "require 'torch'\nlocal mt = torch.getmetatable('torch.HalfTensor')\nfor _, k in ipairs({'zero', 'squeeze', 'numel', 'random', 'bernoulli', 'fill', 'add', 'abs', 'max', 'mean', 'reshape', 'narrow'}) do\n   io.write(k, '=', type(rawget(mt, k)), ' ')\nend\nprint()\nlocal h = torch.HalfTensor({1, 2})\nprint(h:fill(3))\nprint(h)\nprint(h - h)\nprint(pcall(function() return h - 1 end))\nprint(select(2, pcall(function() return h:mean() end)))\nprint(h:mean(1))\nprint(h:abs(), h:max())\nprint(h:add(1, h))\nprint(pcall(function() return h:add(1) end))\nprint(h:reshape(2, 1))\nprint(pcall(function() return h + h end))\nprint(pcall(function() return h * 2 end))\nprint(pcall(function() return 2 / h end))\nprint(pcall(function() return h % 2 end))\nprint(pcall(function() return -h end))\nprint(pcall(function() return torch.add(h, h) end))\nprint(pcall(function() return torch.fill(h, 1) end))\nprint(pcall(function() return torch.zero(h) end))\nprint(pcall(function() return torch.cat(h, h) end))\nprint(pcall(function() return h:zero() end))\nprint(pcall(function() return h:squeeze() end))\n"

_HALF_WANT = "zero=nil squeeze=nil numel=nil random=nil bernoulli=nil fill=function add=function abs=function max=function mean=function reshape=function narrow=function  3\n 3\n[torch.HalfTensor of size 2]\n\n 1\n 2\n[torch.HalfTensor of size 2]\n\n 0\n 0\n[torch.HalfTensor of size 2]\n\nfalse\t/usr/local/share/lua/5.1/torch/test.lua:24: attempt to index local 'other' (a number value)\t\n/usr/local/share/lua/5.1/torch/test.lua:28: invalid arguments: DoubleTensor nil \nexpected arguments: DoubleTensor | [*DoubleTensor*] DoubleTensor index\t\n 1.5000\n[torch.HalfTensor of size 1]\n\n 1\n 2\n[torch.HalfTensor of size 2]\n\n2\t\n 2\n 4\n[torch.HalfTensor of size 2]\n\nfalse\t/usr/local/share/lua/5.1/torch/test.lua:40: attempt to index local 'b' (a nil value)\t\n 1\n 2\n[torch.HalfTensor of size 2x1]\n\nfalse\ts.lua:18: both torch.HalfTensor and torch.HalfTensor have no addition operator\t\nfalse\ts.lua:19: both torch.HalfTensor and (null) have no multiplication operator\t\nfalse\ts.lua:20: both (null) and torch.HalfTensor have no division operator\t\nfalse\ts.lua:21: both torch.HalfTensor and (null) have no modulo operator\t\nfalse\ts.lua:22: torch.HalfTensor has no negation operator\t\nfalse\tinvalid arguments: HalfTensor HalfTensor \nexpected arguments: [*DoubleTensor*] DoubleTensor double | [*DoubleTensor*] DoubleTensor [double] DoubleTensor\t\nfalse\tinvalid arguments: HalfTensor number \nexpected arguments: *DoubleTensor* double\t\nfalse\tinvalid arguments: HalfTensor \nexpected arguments: *DoubleTensor*\t\nfalse\tinvalid arguments: HalfTensor HalfTensor \nexpected arguments: [*DoubleTensor*] DoubleTensor DoubleTensor [index] | [*DoubleTensor*] {DoubleTensor+} [index]\t\nfalse\ts.lua:27: attempt to call method 'zero' (a nil value)\t\nfalse\ts.lua:28: attempt to call method 'squeeze' (a nil value)\t\n"


def test_half_tensor_methods_operators_and_dispatch(tmp_path):
    r = th_script(_HALF_SCRIPT, tmp_path)
    assert r.stdout == _HALF_WANT, r.stderr


# -- TensorOperator's number operand: which argument, and what has no metatable --------------
# luaT asks the first operand's metatable when it has one (a table's with __add__ is called)
# and the tensor's otherwise: a function or a plain table on the left reaches TensorOperator,
# whose luaG_(checkreal)(L, 1) names argument #1 (for * too). The original printed this.

_OPERAND_SCRIPT = """require 'torch'
local t = torch.IntTensor({3, 3})
print(pcall(function() return {} * t end))
print(pcall(function() return print * t end))
print(pcall(function() return print + t end))
print(pcall(function() return t - print end))
print(pcall(function() return setmetatable({}, {__add__ = function(a, b) return 42 end}) + t end))
print(pcall(function() return setmetatable({}, {}) * t end))
"""

_OPERAND_WANT = """false\tbad argument #1 to '?' (number expected, got table)\t
false\tbad argument #1 to '?' (number expected, got function)\t
false\tbad argument #1 to '?' (number expected, got function)\t
false\tbad argument #2 to '?' (number expected, got function)\t
true\t42\t
false\ts.lua:8: both (null) and torch.IntTensor have no multiplication operator\t
"""


def test_left_operands_without_a_tensor(tmp_path):
    r = th_script(_OPERAND_SCRIPT, tmp_path)
    assert r.stdout == _OPERAND_WANT, r.stderr


# -- torchcwrap's TensorArray: t[1], t[2]... up to the first nil ----------------------------
# torch_istensorarray / torch_isnonemptytable look at t[1] alone, and the read stops at the
# first nil: a table with a hole ({a, nil, a}) is the array {a}. The original printed this.

_CAT_HOLE_SCRIPT = """require 'torch'
local a = torch.IntTensor({{1, 2}, {3, 4}})
print(pcall(torch.cat, {a, nil, a}, 1))
print(pcall(torch.cat, {a, nil, a}))
print(pcall(torch.cat, {a, a, nil}, 2))
print(pcall(torch.cat, {nil, a}, 1))
local r = torch.IntTensor()
print(pcall(torch.cat, r, {a, nil, a}, 1))
print(pcall(function() return a:cat({a, nil}, 1) end))
"""

_CAT_HOLE_WANT = 'true\t 1  2\n 3  4\n[torch.IntTensor of size 2x2]\n\ntrue\t 1  2\n 3  4\n[torch.IntTensor of size 2x2]\n\ntrue\t 1  2  1  2\n 3  4  3  4\n[torch.IntTensor of size 2x4]\n\nfalse\tinvalid arguments: table number \nexpected arguments: [*DoubleTensor*] DoubleTensor DoubleTensor [index] | [*DoubleTensor*] {DoubleTensor+} [index]\t\ntrue\t 1  2\n 3  4\n[torch.IntTensor of size 2x2]\n\ntrue\t 1  2\n 3  4\n[torch.IntTensor of size 2x2]\n\n'


def test_cat_of_a_table_with_a_hole_reads_up_to_it(tmp_path):
    r = th_script(_CAT_HOLE_SCRIPT, tmp_path)
    assert r.stdout == _CAT_HOLE_WANT, r.stderr


# -- THStorageCopy.c: which copies check the sizes --------------------------------------------
# The same type's copy and the copies to and from Half check them (bad argument #2, 'size
# mismatch'); the other copies from another type read self's size of elements from the
# source. The original printed this (its C-source suffixes removed).

_STORAGE_COPY_SCRIPT = """require 'torch'
print(pcall(function() return torch.ByteStorage(2):copy(torch.DoubleStorage({1, 2, 3})) end))
print(pcall(function() return torch.FloatStorage(1):copy(torch.LongStorage({7, 8})) end))
print(pcall(function() return torch.DoubleStorage(2):copy(torch.DoubleStorage({1, 2, 3})) end))
print(pcall(function() return torch.HalfStorage(2):copy(torch.DoubleStorage({1, 2, 3})) end))
print(pcall(function() return torch.DoubleStorage(2):copy(torch.HalfStorage(3):copy(torch.FloatStorage({1,2,3}))) end))
print(pcall(function() return torch.IntStorage(0):copy(torch.DoubleStorage({1})) end))
"""

_STORAGE_COPY_WANT = "true\t 1\n 2\n[torch.ByteStorage of size 2]\n\ntrue\t 7\n[torch.FloatStorage of size 1]\n\nfalse\tbad argument #2 to '?' (size mismatch)\t\nfalse\tbad argument #2 to '?' (size mismatch)\t\nfalse\tbad argument #2 to '?' (size mismatch)\t\ntrue\t[torch.IntStorage of size 0]\n\n"


def test_storage_copies_to_and_from_half_check_sizes(tmp_path):
    r = th_script(_STORAGE_COPY_SCRIPT, tmp_path)
    assert r.stdout == _STORAGE_COPY_WANT, r.stderr


# -- Size arguments: a torch.LongStorage, no other storage; the trailing type name ----------
# torch_islongargs / torch_checklongargs and Tensor.c's c_readSizeStride take one
# torch.LongStorage or numbers (a DoubleStorage is neither; after a LongStorage a stride that
# is not nil must be a LongStorage too), and TensorMath's dispatcher takes a trailing type
# name off before the type's function runs (its error lists the arguments without it).
# The original printed this (C-source suffixes removed).

_SIZE_ARGS_SCRIPT = """require 'torch'
local d = torch.DoubleStorage({1, 2})
local i = torch.IntStorage({2})
local function p(f) local ok, e = pcall(f); print(ok, ok and torch.type(e) or (e:gsub(' at /[^ ]*%.c:%d+', ''))) end
p(function() return torch.zeros(d) end)
p(function() return torch.ones(i, 'torch.IntTensor') end)
p(function() return torch.rand(d) end)
p(function() return torch.randn(torch.Generator(), i) end)
p(function() return torch.DoubleTensor():resize(d) end)
p(function() return torch.FloatTensor():resize(torch.LongStorage({2}), i) end)
p(function() return torch.DoubleTensor(2):rand(d) end)
p(function() return torch.zeros('torch.FloatTensor') end)
p(function() return torch.rand('torch.IntTensor') end)
p(function() return torch.randn('torch.FloatTensor') end)
p(function() return torch.squeeze('torch.FloatTensor') end)
p(function() return torch.fill(3, 'torch.ByteTensor') end)
p(function() return torch.numel('torch.LongTensor') end)
p(function() return torch.zeros(torch.LongStorage({2}), 'torch.ShortTensor') end)
"""

_SIZE_ARGS_WANT = "false\tinvalid arguments: DoubleStorage \nexpected arguments: [*DoubleTensor*] (LongStorage | dim1 [dim2...])\t\nfalse\tinvalid arguments: IntStorage \nexpected arguments: [*IntTensor*] (LongStorage | dim1 [dim2...])\t\nfalse\tinvalid arguments: DoubleStorage \nexpected arguments: [*DoubleTensor*] [Generator] (LongStorage | dim1 [dim2...])\t\nfalse\tinvalid arguments: Generator IntStorage \nexpected arguments: [*DoubleTensor*] [Generator] (LongStorage | dim1 [dim2...])\t\nfalse\tbad argument #2 to '?' (number expected, got userdata)\t\nfalse\tbad argument #3 to '?' (torch.LongStorage expected)\t\nfalse\tinvalid arguments: DoubleTensor DoubleStorage \nexpected arguments: *DoubleTensor* [Generator] (LongStorage | dim1 [dim2...])\t\nfalse\tinvalid arguments: no arguments provided\nexpected arguments: [*FloatTensor*] (LongStorage | dim1 [dim2...])\t\nfalse\ttorch.IntTensor does not implement the torch.rand() function\t\nfalse\tinvalid arguments: no arguments provided\nexpected arguments: [*FloatTensor*] [Generator] (LongStorage | dim1 [dim2...])\t\nfalse\tinvalid arguments: no arguments provided\nexpected arguments: [*FloatTensor*] FloatTensor | [*FloatTensor*] FloatTensor index\t\nfalse\tinvalid arguments: number \nexpected arguments: *ByteTensor* unsigned char\t\nfalse\tinvalid arguments: no arguments provided\nexpected arguments: LongTensor\t\ntrue\ttorch.ShortTensor\t\n"


def test_size_arguments_are_long_storages_and_type_names_are_taken_off(tmp_path):
    r = th_script(_SIZE_ARGS_SCRIPT, tmp_path)
    assert r.stdout == _SIZE_ARGS_WANT, r.stderr


# -- TensorMath's dispatcher with a default type that is no dispatch type (Half) ------------
# torch_istensortype(default type) fails for torch.HalfTensor (no `torch` table): the
# dispatcher's own luaL_error "internal error: the default tensor type does not seem to be an
# actual tensor", which names the calling line as its "does not implement" does; a tensor
# argument picks the type first (a trailing type name is then an argument), and a HalfTensor
# is no [*T*] result of the default type's rand. The original printed this.

_DEFAULT_HALF_SCRIPT = "require 'torch'\ntorch.setdefaulttensortype('torch.HalfTensor')\nprint(pcall(function() local x = torch.zeros(2) end))\nprint(pcall(function() return torch.zeros(2) end))\nprint(pcall(function() local x = torch.rand(2) end))\nprint(pcall(function() local x = torch.range(1, 2) end))\nprint(pcall(function() local x = torch.randn(torch.FloatTensor(), 2) end))\nprint(pcall(function() local x = torch.add(torch.IntTensor({1}), 1) end))\nprint(pcall(function() local x = torch.Tensor(2):size(1) end))\ntorch.setdefaulttensortype('torch.DoubleTensor')\nprint(pcall(torch.rand, torch.FloatTensor(), 1, 'torch.DoubleTensor'))\nprint(pcall(torch.rand, torch.HalfTensor(), 1))\nprint(pcall(torch.rand, 1, 'torch.HalfTensor'))\n"

_DEFAULT_HALF_WANT = 'false\ts.lua:3: internal error: the default tensor type does not seem to be an actual tensor\t\nfalse\tinternal error: the default tensor type does not seem to be an actual tensor\t\nfalse\ts.lua:5: internal error: the default tensor type does not seem to be an actual tensor\t\nfalse\ts.lua:6: internal error: the default tensor type does not seem to be an actual tensor\t\ntrue\t\ntrue\t\ntrue\t\nfalse\tinvalid arguments: FloatTensor number string \nexpected arguments: [*FloatTensor*] [Generator] (LongStorage | dim1 [dim2...])\t\nfalse\tinvalid arguments: HalfTensor number \nexpected arguments: [*DoubleTensor*] [Generator] (LongStorage | dim1 [dim2...])\t\nfalse\tinvalid arguments: number string \nexpected arguments: [*DoubleTensor*] [Generator] (LongStorage | dim1 [dim2...])\t\n'


def test_dispatch_with_half_as_the_default_type(tmp_path):
    r = th_script(_DEFAULT_HALF_SCRIPT, tmp_path)
    assert r.stdout == _DEFAULT_HALF_WANT, r.stderr
