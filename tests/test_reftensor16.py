"""The Tensor/Storage API against the original Torch7 (torch7 814ea4a, LuaJIT 2.1.0-beta2):
each expectation below is what the reference printed for the same Lua code (literal, with the
rule from torch7's C that makes it so)."""
import re

import pytest

from luatest import trepl_runtime


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'torch'")  # as `th` runs a script


def run(rt, code):
    return rt.execute(code)


def err(rt, code):
    ok, msg = rt.execute("return pcall(function() %s end)" % code)
    assert ok is False, msg
    return re.sub(r"^[^:\n]*:\d+: ", "", msg)


def values(rt, code):
    """The elements of the tensor or storage `code` returns, as a Python list."""
    return _flat(rt.execute("local x = (function() %s end)(); return x:totable()" % code))


def _flat(t):
    out = []
    for v in (t.values() if hasattr(t, "values") else t):
        out.extend(_flat(v) if hasattr(v, "values") or isinstance(v, list) else [v])
    return out


# -- constructors (Tensor.c's c_readTensorStorageSizeStride / c_readSizeStride) -------------

def test_storage_with_offset_and_no_sizes_is_a_tensor_of_no_dimension(rt):
    # an offset given and no sizes: all sizes -1, no dimension (reference: 0 | 2)
    assert run(rt, "local t = torch.DoubleTensor(torch.DoubleStorage{1,2,3}, 2); "
                   "return t:dim(), t:storageOffset()") == (0, 2)
    # no offset: the whole storage
    assert run(rt, "return torch.DoubleTensor(torch.DoubleStorage{1,2,3}):size(1)") == 3


def test_stride_storage_errors_name_their_argument(rt):
    # argument index + 1 after the sizes: #4 in the constructor, #5 in set, #2/#3 from sizes
    assert err(rt, "torch.IntTensor(torch.IntStorage(6), 1, torch.LongStorage{2,2}, "
                   "torch.LongStorage{1})") == \
        "bad argument #4 to '?' (provided stride and size are inconsistent)"
    assert err(rt, "return torch.IntTensor():set(torch.IntStorage(6), 1, "
                   "torch.LongStorage{2,2}, torch.LongStorage{1})") == \
        "bad argument #5 to '?' (provided stride and size are inconsistent)"
    # (not a tail call: LuaJIT names the method and counts self out)
    assert err(rt, "torch.IntTensor():set(torch.IntStorage(6), 1, torch.LongStorage{2,2}, "
                   "torch.LongStorage{1})") == \
        "bad argument #4 to 'set' (provided stride and size are inconsistent)"
    assert err(rt, "return torch.IntTensor():set(torch.LongStorage{2}, 'x')") == \
        "bad argument #3 to '?' (torch.LongStorage expected)"


def test_table_elements_are_lua_isnumber(rt):
    # a boolean is no number, even where numpy would read it as 1
    assert err(rt, "torch.FloatTensor({1, true})") == "invalid element (not a number)"
    assert err(rt, "torch.DoubleTensor({'1_0'})") == "invalid element (not a number)"


# -- luaG_(checkreal): strtol(s, NULL, 0) for strings into integer types --------------------

def test_integer_types_read_strings_with_strtol(rt):
    # reference: [8 1 16 253 255] ('010' octal, '1e1' stops at 'e', LONG_MAX's low byte)
    assert values(rt, "return torch.ByteTensor({'010', '1e1', '0x10', ' -3', "
                      "'99999999999999999999'})") == [8, 1, 16, 253, 255]
    assert values(rt, "local t = torch.ShortTensor(3); t[1] = '010'; t[2] = '1e1'; "
                      "t[3] = '2.9'; return t") == [8, 1, 2]
    assert values(rt, "local s = torch.LongStorage(2); s[1] = '010'; return s")[0] == 8
    assert values(rt, "return torch.LongStorage(2):fill('0x1p4')") == [1, 1]


def test_where_torch_reads_strings_with_lua_tonumber(rt):
    # Storage.c's table constructor, a table key's fill and cwrap's fill: lua_tonumber
    assert values(rt, "return torch.IntStorage({'010', '1e1'})") == [10, 10]
    # t[{1}] fills with lua_tonumber, t[2] (a number key) with checkreal
    assert values(rt, "local t = torch.IntTensor(2,2); t[{1}] = '010'; t[2] = '010'; "
                      "return t") == [10, 10, 8, 8]
    assert values(rt, "return torch.IntTensor(2):fill('010')") == [10, 10]


def test_numbers_into_integer_types_go_through_cvttsd2si(rt):
    # (lua_Integer)n, back to a double, then (int) by cvttsd2si: INT_MIN out of range
    assert values(rt, "local t = torch.IntTensor(3); t[1] = 2^40; t[2] = -1e20; t[3] = 0/0; "
                      "return t") == [-2147483648] * 3
    assert values(rt, "return torch.IntTensor({1e20, 2^31, -2^31 - 1})") == [-2147483648] * 3
    assert values(rt, "local s = torch.LongStorage(2); s[1] = '99999999999999999999'; "
                      "s[2] = 2^63; return s") == [2.0 ** 63, -2.0 ** 63]  # (as Lua numbers)
    # 300.7 -> 300 -> low byte 44, by a number key's fill, a table key's fill, a store
    assert values(rt, "local t = torch.ByteTensor(2,2):zero(); t[{2}] = 300.7; t[1] = 300.7; "
                      "return t") == [44, 44, 44, 44]


def test_ffi_apply_stores_through_int32_as_beta2(rt):
    # beta2's lj_cconv: a double into a type narrower than 64 bits through (int32_t)
    assert values(rt, "return torch.ByteTensor(3):apply(function() return -2147483649.5 end)"
                  ) == [0, 0, 0]
    assert values(rt, "return torch.IntTensor(1):apply(function() return 1e20 end)") == \
        [-2147483648]
    assert err(rt, "torch.LongTensor(1):apply(function() return 'x' end)") == \
        "cannot convert 'string' to 'int64_t'"


# -- __index__ / __newindex__ ---------------------------------------------------------------

def test_keys_tensor_c_declines(rt):
    assert run(rt, "return torch.IntTensor(2,2):zero()[true] == nil") is True
    assert err(rt, "local t = torch.IntTensor(2,2):zero(); t[true] = 1") == \
        "the class torch.IntTensor cannot be indexed"


def test_number_key_narrows_for_a_store(rt):
    # THTensor_(narrow) to one slice: its size in the message, its check as argument #3
    assert err(rt, "local t = torch.IntTensor(2,3):zero(); t[1] = torch.IntTensor(1)") == (
        "inconsistent tensor size, expected tensor [1 x 3] and src [1] to have the same "
        "number of elements, but got 3 and 1 elements respectively")
    assert err(rt, "local t = torch.IntTensor(2,3):zero(); t[3] = 1") == \
        "bad argument #3 to '?' (out of range)"


def test_value_checks_of_newindex(rt):
    # luaG_(checkreal)(L, 3) of a LongStorage key and of a table key reaching an element
    assert err(rt, "local t = torch.IntTensor(2,3):zero(); "
                   "t[torch.LongStorage{1}] = torch.IntTensor(1)") == \
        "bad argument #3 to '?' (number expected, got userdata)"
    assert err(rt, "local t = torch.IntTensor(1,2):zero(); t[{1,2}] = torch.IntTensor(1)") \
        == "bad argument #3 to '?' (number expected, got userdata)"
    assert err(rt, "local t = torch.IntTensor(3):zero(); "
                   "t[torch.ByteTensor{1,0,1}] = torch.DoubleTensor{1,2}") == \
        "number or torch.IntTensor expected"


def test_mask_and_empty_keys(rt):
    # maskedSelect's TH_TENSOR_APPLY2(src, mask)
    assert err(rt, "return torch.IntTensor(3):zero()[torch.ByteTensor{1,0}]") == (
        "inconsistent tensor size, expected src [3] and mask [2] to have the same number of "
        "elements, but got 3 and 2 elements respectively")
    assert run(rt, "return torch.IntTensor()[{}]:dim()") == 0


def test_half_indexing_is_not_supported(rt):
    assert err(rt, "return torch.HalfTensor(2,2)[torch.ByteTensor(2,2):fill(1)]") == \
        "ByteTensor based indexing not yetsupported with half type"
    assert err(rt, "local t = torch.HalfTensor(2,2); t[1] = 1") == \
        "fill on torch.HalfTensor not yet supported"
    assert err(rt, "local t = torch.HalfTensor(2,2); t[{{1}}] = 1") == \
        "fill on torch.HalfTensor not yet supported"


def test_string_method_only_for_byte_and_char_storages(rt):
    assert run(rt, "return torch.IntStorage(2).string == nil") is True
    assert run(rt, "return torch.CharStorage():string('ab'):string()") == "ab"


def test_format_exact_halves_at_17_digits(rt):
    # beta2 rounds an exact half away from zero; one ulp away is too far at 17 digits:
    # -199.910003662109375 and -128.899993896484375 (the digit before the 5 odd)
    assert run(rt, "return string.format('%.17g %.17g %.16g %.4f %.0f', -199.91000366210938, "
                   "-128.899993896484375, -199.91000366210938, 0.03125, 0.5)") == \
        "-199.91000366210938 -128.89999389648438 -199.9100036621094 0.0313 1"


def test_order_operators_of_torch_objects(rt):
    # luaT_mt__lt / __le: no __lt__ in the class, "both A and B have no ... operator"
    assert err(rt, "local t = torch.Tensor(2); return t < t") == \
        "both torch.DoubleTensor and torch.DoubleTensor have no less-than operator"
    assert err(rt, "local s = torch.IntStorage(2); return s <= s") == \
        "both torch.IntStorage and torch.IntStorage have no less-equal operator"


def test_sub_reads_pairs_as_tensor_c(rt):
    # a pair is read (luaL_checklong of both) when its first argument is there; 4 at most
    assert err(rt, "return torch.DoubleTensor(2,3,4):sub(1)") == \
        "bad argument #3 to '?' (number expected, got no value)"
    assert err(rt, "return torch.DoubleTensor(2,3,4):sub(1, 2, 1, 2, 1)") == \
        "bad argument #7 to '?' (number expected, got no value)"
    assert err(rt, "return torch.DoubleTensor(2,3,4):sub(1, 2, 1, 2, 2, 3, 1, 1, 'x', 'y')") \
        == "bad argument #8 to '?' (invalid dimension)"
    assert _flat(run(rt, "return torch.DoubleTensor(2,2,2,2):sub(1, 2, 1, 2, 2, 2, 1, 1, 'x')"
                         ":size():totable()")) == [2, 2, 1, 1]


def test_at_most_8_sizes_are_read(rt):
    # c_readSizeStride: 8 numbers (8 size/stride pairs on a storage), the rest never read
    assert _flat(run(rt, "return torch.ByteTensor(1,1,1,1,1,1,1,1,'x'):size():totable()")) \
        == [1] * 8
    assert _flat(run(rt, "return torch.ByteTensor():resize(1,1,1,1,1,1,1,1,2):size()"
                         ":totable()")) == [1] * 8


def test_views_of_storages_are_not_resizable(rt):
    # Storage(s, offset, size): TH_STORAGE_VIEW, not TH_STORAGE_RESIZABLE, at any size
    assert err(rt, "local v = torch.DoubleStorage(torch.DoubleStorage(4), 2, 2); v:resize(2)") \
        == "Trying to resize storage that is not resizable"
    assert err(rt, "local v = torch.ByteStorage(torch.ByteStorage(4), 2, 2); v:string('ab')") \
        == "Trying to resize storage that is not resizable"
    assert err(rt, "local v = torch.DoubleStorage(torch.DoubleStorage(4), 2, 2); "
                   "torch.DoubleTensor(v):resize(5)") == \
        "Trying to resize storage that is not resizable"


def test_expand_and_view_end_in_set(rt):
    # Tensor.lua's result:set(storage, offset, size, stride): resizeNd stops at a size <= 0
    assert _flat(run(rt, "return torch.ByteTensor({1,2}):view(2,1):expand(2, 0):size()"
                         ":totable()")) == [2]
    assert _flat(run(rt, "return torch.ByteTensor({1,2}):view(2,1):expand(2, -1):size()"
                         ":totable()")) == [2]
    # view of a tensor without storage: view:set(nil, ...)
    assert err(rt, "return torch.FloatTensor():view(0)") == \
        "bad argument #1 to 'set' (expecting number or torch.FloatTensor or torch.FloatStorage)"
    # a first size that is a string or a boolean is taken for the source tensor
    assert err(rt, "return torch.Tensor(1):expand('3')") == \
        "attempt to call method 'dim' (a nil value)"
    assert err(rt, "return torch.Tensor(1):repeatTensor('3')") == \
        "attempt to call method 'isContiguous' (a nil value)"
    assert err(rt, "return torch.Tensor(1):expand(true)") == \
        "attempt to index local 'tensor' (a boolean value)"


def test_luat_operators_of_classes_without_them(rt):
    # luaT_mt__add...: the first operand's class with a metatable decides; no __add__ there
    assert err(rt, "return torch.DoubleStorage(2) + 1") == \
        "both torch.DoubleStorage and (null) have no addition operator"
    assert err(rt, "return 2 * torch.Timer()") == \
        "both (null) and torch.Timer have no multiplication operator"
    assert err(rt, "return -torch.IntStorage(1)") == "torch.IntStorage has no negation operator"
    assert err(rt, "return torch.Tensor(2) ^ 2") == \
        "both torch.DoubleTensor and (null) have no power operator"
    assert err(rt, "return torch.DoubleStorage(1) + torch.Tensor(1)") == \
        "both torch.DoubleStorage and torch.DoubleTensor have no addition operator"
    # TensorOperator's luaL_checknumber names Lua's type of the other operand
    assert err(rt, "return torch.Tensor(1):fill(1) + torch.DoubleStorage(1)") == \
        "bad argument #2 to '?' (number expected, got userdata)"


def test_storage_keys(rt):
    # Storage.c's __newindex__ takes numbers only: luaT's text for any other key
    assert err(rt, "local s = torch.DoubleStorage(2); s[{1}] = 2") == \
        "the class torch.DoubleStorage cannot be indexed"
    # luaL_checkinteger of NaN: the integer indefinite, out of bounds
    assert err(rt, "return torch.DoubleStorage(2)[0/0]") == \
        "bad argument #2 to '?' (out of bounds)"


def test_nan_and_inf_indices_are_c_casts(rt):
    # luaL_checklong / (long)lua_tonumber of NaN or inf: INT64_MIN, so out of range
    assert err(rt, "return torch.Tensor({1,2,3})[0/0]") == "bad argument #2 to '?' (out of range)"
    assert err(rt, "local m = torch.Tensor(2,2); m[1/0] = 1") == \
        "bad argument #3 to '?' (out of range)"
    assert err(rt, "return torch.Tensor({1,2,3})[{{1, 1/0}}]") == \
        "bad argument #2 to '?' (end index out of bound)"
    # luaL_checkint: the low 32 bits of INT64_MIN, dimension 0
    assert err(rt, "return torch.Tensor(3):size(0/0)") == \
        "bad argument #2 to '?' (dimension 0 out of range of 1D tensor)"


def test_nan_sizes_and_split(rt):
    # (long) of NaN is INT64_MIN: no dimension; squeeze's check; a storage view's offset
    assert run(rt, "return torch.Tensor(0/0):dim(), torch.Tensor(2):resize(0/0):dim()") == (0, 0)
    assert err(rt, "return torch.Tensor(2,3):squeeze(0/0)") == \
        "bad argument #2 to '?' (dimension out of range)"
    assert err(rt, "return torch.DoubleStorage(torch.DoubleStorage(4), 0/0)") == \
        "offset out of bounds"
    assert err(rt, "return torch.Tensor(2,3):view(0/0)") == \
        "Wrong size for view. Input size: 2x3. Output size: -9.2233720368548e+18"
    # Tensor.lua's split: math.min(NaN, n) is n (x86's minsd), one piece
    assert run(rt, "return #torch.Tensor(2,3):split(0/0)") == 1
    # a fractional size: starts 1, 2.5 (narrow truncates), 4 -> pieces of 1, 1, 1... as Lua
    assert _flat(run(rt, "local r = {}; for i, p in ipairs(torch.Tensor(5):split(1.5)) do "
                         "r[i] = p:size(1) end; return r")) == [1, 1, 1]


def test_apply_map_of_a_noncontiguous_tensor_are_tensor_c(rt):
    # FFInterface.lua tail-calls Tensor.c's apply/map/map2: named after the call site
    assert err(rt, "local x = torch.Tensor(2,2):t(); x:apply('x')") == \
        "bad argument #1 to 'apply' (function expected, got string)"
    assert err(rt, "local x = torch.Tensor(2,2):t(); x:map2(x, x, 'x')") == \
        "bad argument #3 to 'map2' (function expected, got string)"
    # THError at the line that called apply (err() strips that position)
    ok, msg = rt.execute("return pcall(function() local x = torch.Tensor(2,2):t()\n"
                         "x:apply(function() return 'x' end) end)")
    assert ok is False and msg.endswith(":2: given function should return a number or nil")


def test_a_tensor_inside_a_table_is_no_row(rt):
    # Tensor.c's new walks Lua tables: a tensor where a row table should be is no table
    assert err(rt, "return torch.Tensor({{1,2}, torch.Tensor{3,4}})") == \
        "invalid tensor definition"
