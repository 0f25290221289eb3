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


# -- diag(k) of a matrix beyond its last diagonal ------------------------------------------
# THTensor_(diag) resizes r_ to min(rows, cols - k) (or min(rows + k, cols)): for <= 0 it has
# no dimensions, and THTensor_(stride)(r_, 0) fails.

@pytest.mark.parametrize("k", [-3, -2, 3, 4])
def test_diag_beyond_the_matrix(k):
    x = torch.range(1, 6).view(2, 3)
    with pytest.raises(TorchError) as e:
        torch.diag(x, k)
    # the original: "bad argument #2 to '?' (dimension 1 out of range of 0D tensor)"
    assert str(e.value) == "bad argument #2 to '?' (dimension 1 out of range of 0D tensor)"


@pytest.mark.parametrize("k, want", [(-1, [4.0]), (2, [3.0]), (0, [1.0, 5.0])])
def test_diag_within_the_matrix(k, want):
    # the original printed these diagonals of range(1, 6):view(2, 3)
    assert torch.diag(torch.range(1, 6).view(2, 3), k).tolist() == want


def test_diag_method_error_through_th(tmp_path):
    r = th_script("require 'torch'\n"
                  "print(pcall(function() local d = torch.zeros(2, 2):diag(5) end))\n", tmp_path)
    # the original (C-source suffix removed)
    assert r.stdout == ("false\ts.lua:2: bad argument #1 to 'diag' (dimension 1 out of range "
                        "of 0D tensor)\t\n"), r.stderr


# -- multinomial reads prob_dist as THTensor_(multinomial) does ------------------------------
# A vector is resize2d'ed to 1 x n (contiguous strides: a strided vector is read from its
# first element on) and resize1d'ed back (it keeps stride 1; an error leaves it 1 x n);
# a tensor of more than two dimensions is read at [i][j][1]...; one without any fails in
# THTensor_(size)(prob_dist, 0).

def test_multinomial_strided_vector_is_read_contiguous_and_keeps_it():
    base = torch.Tensor([0, 1, 0, 1, 1, 1])
    p = base.view(3, 2).select(2, 1)  # 0, 0, 1 with stride 2
    torch.manualSeed(1)
    s = torch.multinomial(p, 3, True)
    # the original drew 2 2 2 (storage elements 0, 1, 0) and p then printed 0 1 0, stride 1
    assert s.tolist() == [2, 2, 2]
    assert p.tolist() == [0.0, 1.0, 0.0]
    assert p.stride(1) == 1


def test_multinomial_error_leaves_vector_two_dimensional():
    z = torch.zeros(3)
    with pytest.raises(TorchError) as e:
        torch.multinomial(z, 1)
    assert "invalid multinomial distribution (sum of probabilities <= 0)" in str(e.value)
    assert (z.dim(), z.size(1)) == (2, 1)  # the original printed 2 1


def test_multinomial_more_dimensions_reads_first_slice():
    q = torch.Tensor([[0, 0, 1], [1, 0, 0]]).view(2, 3, 1)
    torch.manualSeed(1)
    # the original printed 3 3 3 / 1 1 1 (a 2x3 LongTensor)
    assert torch.multinomial(q, 3, True).tolist() == [[3, 3, 3], [1, 1, 1]]
    q2 = torch.Tensor([0, 0, 1, 1, 0, 0]).view(2, 1, 3)  # read as [i][1][1]: 0 and 1
    with pytest.raises(TorchError) as e:
        torch.multinomial(q2, 3, True)
    assert "sum of probabilities <= 0" in str(e.value)


def test_multinomial_of_no_dimensions():
    with pytest.raises(TorchError) as e:
        torch.multinomial(torch.Tensor(), 2)
    assert str(e.value) == "bad argument #2 to '?' (dimension 1 out of range of 0D tensor)"


# -- round keeps the argument's sign (C's round) --------------------------------------------

@pytest.mark.parametrize("T", [torch.DoubleTensor, torch.FloatTensor])
def test_round_keeps_negative_zero(T):
    data = [-0.3, -0.5, -0.0, 0.0, 0.3, -0.7, 0.5, -1.5, 2.5, -2.5, -0.4999]
    got = ["%g" % v for v in torch.round(T(data)).tolist()]
    # the original printed these with string.format('%g')
    assert got == ["-0", "-1", "-0", "0", "0", "-1", "1", "-2", "3", "-3", "-0"]


# -- torch.random(b) / (a, b): TensorMath.lua's THRandom_random1__/2__ return a long ---------

def test_random_bound_is_a_long():
    torch.manualSeed(5)
    vals = [torch.random(), torch.random(7), torch.random(-3, 3), torch.random(2 ** 40)]
    # the original printed 953453411 6 -1 3570525886 (the last one past 2^31, not wrapped)
    assert vals == [953453411, 6, -1, 3570525886]


def test_random_bound_is_draw_mod_b_plus_one():
    torch.manualSeed(9)
    draws = [torch.random() for _ in range(6)]
    torch.manualSeed(9)
    assert [torch.random(2 ** 40) for _ in range(6)] == [d + 1 for d in draws]


# -- addr: ger reads its vectors where they are, as OpenBLAS's does --------------------------
# A vector that is a view of t does not keep torch.addr from BLAS's order (the result is a
# new tensor), and one that is a view of r_ is read live: a row of r_ as x (incx 1, not
# copied) is read already updated by the rows before.

def test_addr_inplace_reads_an_updated_row():
    z = torch.range(1, 12).view(4, 3)
    z.addr(0.5, torch.Tensor([1, 2, 3, 4]), z[2])
    # the original: row 2 is updated second, rows 3 and 4 add multiples of the new row 2
    assert z.tolist() == [[3, 4.5, 6], [8, 10, 12], [19, 23, 27], [26, 31, 36]]


def test_addr_inplace_column_as_y():
    z = torch.range(1, 12).view(4, 3)
    z.addr(2, z.select(2, 1), torch.Tensor([1, 0, 1]))
    # the original: each row reads its own first element before it changes
    assert z.tolist() == [[3, 2, 5], [12, 5, 14], [21, 8, 23], [30, 11, 32]]


@pytest.mark.parametrize("T", [torch.DoubleTensor, torch.FloatTensor])
def test_addr_with_a_view_of_t_equals_with_a_copy(T):
    # the original printed the same bits for both (a strided view of t went to numpy's
    # unfused order here, one ulp apart on this machine)
    torch.manualSeed(42)
    x = T(7, 13).uniform(-2, 3)
    y = T(7, 13).uniform(0.1, 2)
    a = torch.addr(0.5, x, 2, x.select(2, 1), y[3])
    b = torch.addr(0.5, x, 2, x.select(2, 1).clone(), y[3])
    assert a.tolist() == b.tolist()


# -- apply/map/map2 on contiguous tensors: FFInterface.lua's Lua loops ------------------------
# Their errors carry FFInterface.lua's position (the size asserts, the func(...) call, the
# ffi store), and the ffi store converts a boolean (true is 1).

_FFI_SCRIPT = """require 'torch'
local x = torch.Tensor(2, 3):fill(1)
print(pcall(function() x:apply(1) end))
print(pcall(function() x:apply(function() return 'a' end) end))
print(pcall(function() x:map(torch.Tensor(7), function(a, b) return a end) end))
print(pcall(function() x:map(x:clone(), 1) end))
print(pcall(function() x:map(x:clone(), function() return {} end) end))
print(pcall(function() x:map2(torch.Tensor(2), x, function() end) end))
print(pcall(function() x:map2(x, torch.Tensor(2), function() end) end))
print(pcall(function() x:map2(x, x, 1) end))
print(pcall(function() x:map2(x, x, function() return 'a' end) end))
local y = torch.IntTensor(3):fill(5); y:apply(function() return true end); print(y[1], y[3])
"""

_P = "/usr/local/share/lua/5.1/torch/FFInterface.lua:"
# what the original printed (its install prefix /usr/local, as the goldens' machine's)
_FFI_WANT = "".join(line + "\t\n" for line in [
    "false\t%s133: attempt to call local 'func' (a number value)" % _P,
    "false\t%s135: cannot convert 'string' to 'double'" % _P,
    "false\t%s155: size mismatch" % _P,
    "false\t%s157: attempt to call local 'func' (a number value)" % _P,
    "false\t%s159: cannot convert 'table' to 'double'" % _P,
    "false\t%s182: size mismatch" % _P,
    "false\t%s183: size mismatch" % _P,
    "false\t%s185: attempt to call local 'func' (a number value)" % _P,
    "false\t%s187: cannot convert 'string' to 'double'" % _P,
    "1\t1",
])


def test_ffinterface_errors_name_its_lines(tmp_path):
    r = th_script(_FFI_SCRIPT, tmp_path)
    assert r.stdout == _FFI_WANT, r.stderr


# -- File:writeX(number) of an integer type: File.c's `TYPE value = lua_tonumber(L, 2)` ---------
# C's cast of the double on x86: through int32 for the narrow types (wrapping), INT_MIN /
# INT64_MIN for what is out of range or NaN (the original printed these texts).

_WRITE_VALUES = [2.7, -2.7, 300.0, -1.0, 70000.0, 1e10, -1e10, 1e300, math.nan, math.inf,
                 -math.inf, 2.0 ** 31, 2.0 ** 63, -2.0 ** 63, 2.0 ** 62 + 1024]


@pytest.mark.parametrize("kind, want", [
    ("Short", "2 -2 300 -1 4464 0 0 0 0 0 0 0 0 0 0"),
    ("Int", "2 -2 300 -1 70000" + " -2147483648" * 10),
    ("Long", "2 -2 300 -1 70000 10000000000 -10000000000 -9223372036854775808 "
             "-9223372036854775808 -9223372036854775808 -9223372036854775808 2147483648 "
             "-9223372036854775808 -9223372036854775808 4611686018427388928"),
])
def test_file_write_number_casts_as_c(kind, want):
    f = torch.MemoryFile()
    for v in _WRITE_VALUES:
        getattr(f, "write" + kind)(v)
    text = f.storage().string().rstrip("\x00")
    f.close()
    assert text.split() == want.split()


def test_file_write_byte_number_wraps_through_int32():
    f = torch.MemoryFile().binary()
    for v in (2.7, -2.7, 300.0, -1.0, 70000.0, 1e10, math.nan):
        f.writeByte(v)
    f.seek(1)
    # the original read back 2 254 44 255 112 0 0
    assert [f.readByte() for _ in range(7)] == [2, 254, 44, 255, 112, 0, 0]
    f.close()


# -- a `real` argument of an integer type out of its range: cwrap's (real)lua_tonumber ------
# lupa hands an integral Lua number over as a Python int; it is still the double the script
# wrote, which C casts (x86: INT_MIN for an int out of range, through int32 for the narrow
# types), where masking the int gave 1e10 -> 1410065408.

_BIG = [2.7, -2.7, 300, -1, 70000, 10 ** 10, -10 ** 10, 2 ** 31, 2 ** 63, -2 ** 63]


def test_int_real_argument_out_of_range_casts_as_c():
    got_add = [torch.IntTensor(1).zero().add(v)[1] for v in _BIG]
    got_cmax = [torch.cmax(torch.IntTensor([5]), v)[1] for v in _BIG]
    got_eq = [int(torch.IntTensor([0, 1, -1, 127]).eq(v).sum()) for v in _BIG]
    m = -2147483648
    # the original printed these
    assert got_add == [2, -2, 300, -1, 70000, m, m, m, m, m]
    assert got_cmax == [5, 5, 300, 5, 70000, 5, 5, 5, 5, 5]
    assert got_eq == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]


def test_short_real_argument_goes_through_int32():
    got = [torch.ShortTensor(1).fill(1).mul(v)[1] for v in _BIG]
    # the original printed 2 -2 300 -1 4464 0 0 0 0 0
    assert got == [2, -2, 300, -1, 4464, 0, 0, 0, 0, 0]


# -- cwrap's index / long / int arguments: C's casts of the Lua double ------------------------
# index: (long)lua_tonumber - 1, taken by TH as an int dimension (its low 32 bits, and TH's
# `dimension + 1` in the message is an int too); long / int: x86's cvttsd2si gives INT64_MIN /
# INT_MIN for NaN and what is out of range (Python's int() raised or kept the huge value).

@pytest.mark.parametrize("big", [2.0 ** 32 + 2, 2 ** 32 + 2])  # a float, or lupa's int
def test_index_argument_is_an_int_dimension(big):
    x = torch.range(1, 24).view(2, 3, 4)
    # the original summed along dimension 2: 2x1x4, 15 18 21 24 / 51 54 57 60
    s = x.sum(big)
    assert s.size().tolist() == [2, 1, 4]
    assert s.view(-1).tolist() == [15, 18, 21, 24, 51, 54, 57, 60]


@pytest.mark.parametrize("v, want", [
    # the original's messages
    (2.0 ** 31, "bad argument #2 to '?' (dimension -2147483648 out of range)"),
    (-2.0 ** 31, "bad argument #2 to '?' (dimension -2147483648 out of range)"),
    (1e300, "bad argument #2 to '?' (dimension 0 out of range)"),
    (math.nan, "bad argument #2 to '?' (dimension 0 out of range)"),
])
def test_index_argument_out_of_range_message(v, want):
    x = torch.range(1, 24).view(2, 3, 4)
    with pytest.raises(TorchError) as e:
        x.sum(v)
    assert str(e.value) == want


def test_long_argument_nan_is_int64_min():
    x = torch.range(1, 24).view(2, 3, 4)
    with pytest.raises(TorchError) as e:
        torch.topk(x, math.nan)
    # the original: k = INT64_MIN
    assert str(e.value) == "bad argument #2 to '?' (k not in range for dimension)"


@pytest.mark.parametrize("v", [2.0 ** 31, -2.0 ** 31])
def test_sort_and_index_dimension_messages_wrap_as_int(v):
    x = torch.range(1, 24).view(2, 3, 4)
    # the original's messages (TH's dimension + 1 in int arithmetic)
    with pytest.raises(TorchError) as e:
        x.sort(v)
    assert str(e.value) == "bad argument #2 to '?' (invalid dimension -2147483648)"
    if v > 0:
        with pytest.raises(TorchError) as e:
            x.index(v, torch.LongTensor([1]))
        assert "Indexing dim -2147483648 is out of bounds of tensor" in str(e.value)
