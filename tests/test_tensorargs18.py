"""Tensor.c's own methods (transpose, select, narrow, unfold, size, stride, the storage
constructor's offset and sizes) read their integer arguments with luaL_checkint /
luaL_checklong: the Lua double cast to C's long (x86: truncated toward zero; NaN, inf and what
is beyond 64 bits give INT64_MIN), luaL_checkint then keeping its low 32 bits; TH's checks then
run on the cast value. squeeze's dimension is cwrap's index. Every expectation below is what
the original Torch7 (/tmp/ref7, LuaJIT 2.1.0-beta2) printed for the same calls."""
import pytest

import torch7py as torch
from torch7py.tensor import TorchError

from luatest import th_script

NAN = float("nan")


def x3():
    return torch.range(1, 24).view(2, 3, 4)


def test_checkint_keeps_the_low_32_bits():
    x = x3()
    # the original: x:transpose(1, 2^32 + 2) is 3x2x4, x:transpose(2^32 + 1, 2^32 + 3) 4x3x2,
    # x:transpose(1, -2^32 + 2) 3x2x4
    assert x.transpose(1, 2 ** 32 + 2).size().totable() == [3, 2, 4]
    assert x.transpose(2 ** 32 + 1, 2 ** 32 + 3).size().totable() == [4, 3, 2]
    assert x.transpose(1, -2 ** 32 + 2).size().totable() == [3, 2, 4]
    # x:select(2^32 + 2, 1) is 2x4 (rows 1-4, 13-16); x:narrow(2^32 + 3, 1, 2) 2x3x2
    s = x.select(2 ** 32 + 2, 1)
    assert s.numpy().tolist() == [[1, 2, 3, 4], [13, 14, 15, 16]]
    assert x.narrow(2 ** 32 + 3, 1, 2).size().totable() == [2, 3, 2]
    # x:unfold(2^32 + 3, 2, 1) is 2x3x3x2; x:stride(2^32 + 3) is 1
    assert x.unfold(2 ** 32 + 3, 2, 1).size().totable() == [2, 3, 3, 2]
    assert x.stride(2 ** 32 + 3) == 1
    # NaN's INT64_MIN has low bits 0: dimension 0, out of range
    with pytest.raises(TorchError, match=r"bad argument #1 to '\?' \(out of range\)"):
        x.transpose(NAN, 1)


def test_squeeze_dimension_is_cwraps_index():
    x = torch.range(1, 6).view(2, 1, 3)
    # the original: x:squeeze(2^32 + 2) squeezes dimension 2; (-2^32 + 1) - 1 is dimension 0
    assert x.squeeze(2 ** 32 + 2).size().totable() == [2, 3]
    with pytest.raises(TorchError, match="dimension out of range"):
        x3().squeeze(NAN)


def test_unfold_size_cast_and_c_arithmetic():
    x = x3()
    # the original: x:unfold(3, 1e300, 1) (and NaN, 2^63): size INT64_MIN passes size <= 4;
    # (4 - INT64_MIN) / 1 + 1 wraps
    for v in (1e300, NAN, 2.0 ** 63):
        w = x.unfold(3, v, 1)
        assert w.size().totable() == [2, 3, -9223372036854775803, -9223372036854775808]
        assert w.stride().totable() == [12, 4, 1, 1]
        assert w.nElement() == 0  # 2*3*(...)*(INT64_MIN) in ptrdiff_t
    # -1.5 truncates to -1: 2x3x6x-1, 4 dimensions, -36 elements
    u = x.unfold(3, -1.5, 1)
    assert u.size().totable() == [2, 3, 6, -1] and u.dim() == 4 and u.nElement() == -36
    # step 2^32 + 1 is a long: (3 - 2) / (2^32 + 1) + 1 = 1
    assert x.unfold(2, 2, 2 ** 32 + 1).size().totable() == [2, 1, 4, 2]
    assert x.unfold(3, 2.9, 1.5).size().totable() == [2, 3, 3, 2]


def test_views_of_an_unfold_with_a_size_below_one():
    u = x3().unfold(3, -1.5, 1)
    msg = ("inconsistent tensor size, expected tensor [2 x 3 x 6] and src [2 x 3 x 6 x -1] "
           "to have the same number of elements, but got 36 and -36 elements respectively")
    # the original: THTensor_(set) keeps the dimensions before the size <= 0
    assert u.select(1, 2).size().totable() == [3, 6]
    with pytest.raises(TorchError, match=r"bad argument #2 to '\?' \(out of range\)"):
        u.transpose(3, 4)
    # clone: resizeAs then copy; type: nElement() > 0 is false, an empty tensor
    with pytest.raises(TorchError) as e:
        u.clone()
    assert str(e.value) == msg
    f = u.float()
    assert f.typename == "torch.FloatTensor" and f.dim() == 0
    assert u.max() == 1  # maxall: the first element, its loop running no step


def test_huge_storage_is_thallocs_message():
    # the original: torch.Tensor(2^40), torch.FloatTensor(2^20, 2^20), x:resize(2^40) of a
    # 24-element x (a storage with memory: THRealloc)
    with pytest.raises(TorchError) as e:
        torch.Tensor(2 ** 40)
    assert str(e.value) == "$ Torch: not enough memory: you tried to allocate 8192GB. Buy new RAM!"
    with pytest.raises(TorchError) as e:
        torch.FloatTensor(2 ** 20, 2 ** 20)
    assert str(e.value) == "$ Torch: not enough memory: you tried to allocate 4096GB. Buy new RAM!"
    x = torch.range(1, 24)
    with pytest.raises(TorchError) as e:
        x.resize(2 ** 40)
    assert str(e.value) == \
        "$ Torch: not enough memory: you tried to reallocate 8192GB. Buy new RAM!"
    assert x.storage().size() == 24


def test_view_grows_the_storage_before_its_count_check():
    # Tensor.lua's view: view:set(storage, offset, size) (line 462), then the count (466)
    x = torch.range(1, 24)
    with pytest.raises(TorchError, match="Wrong size for view"):
        x.view(5, 6)
    assert x.storage().size() == 30
    y = torch.range(1, 24).narrow(1, 3, 20)
    with pytest.raises(TorchError, match="Wrong size for view"):
        y.view(30)
    assert y.storage().size() == 32
    z = torch.DoubleTensor(torch.DoubleStorage(torch.DoubleStorage(24), 2, 20))
    with pytest.raises(TorchError, match="Trying to resize storage that is not resizable"):
        z.view(30)


def test_lua_prints_as_the_original(tmp_path):
    # (sizes no machine has: what fails here fails everywhere)
    r = th_script("""require 'torch'
local x = torch.range(1, 24):view(2, 3, 4)
print(pcall(tostring, x:unfold(3, -1.5, 1)))
print(pcall(tostring, x:unfold(3, 0/0, 1)))
print(pcall(tostring, x:unfold(3, -2^40, 1)))
print(x:transpose(1, 2^32 + 2):size(1), x:size(2^32 + 2), x:select(2^32 + 1, 2):dim())
print(pcall(x.view, x, 2^40, 4))
""", tmp_path)
    t201 = "/usr/local/share/lua/5.1/torch/Tensor.lua:201: "
    assert r.stdout.split("\n") == [
        "false\t" + t201 + "inconsistent tensor size, expected tensor [2 x 3 x 6] and src "
        "[2 x 3 x 6 x -1] to have the same number of elements, but got 36 and -36 elements "
        "respectively\t",
        "false\t" + t201 + "inconsistent tensor size, expected tensor [2 x 3] and src "
        "[2 x 3 x -9223372036854775803 x -9223372036854775808] to have the same number of "
        "elements, but got 6 and 0 elements respectively\t",
        "false\t" + t201 + "$ Torch: not enough memory: you tried to allocate 49152GB. Buy "
        "new RAM!\t",
        "3\t3\t2\t",
        "false\t/usr/local/share/lua/5.1/torch/Tensor.lua:462: $ Torch: not enough memory: "
        "you tried to reallocate 32768GB. Buy new RAM!\t",
        ""], r.stderr
