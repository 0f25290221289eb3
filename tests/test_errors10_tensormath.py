"""TensorMath's errors users meet, read from Torch7's source (errors10): catArray's argument
checks and cwrap's TensorArray, indexCopy/indexAdd's per-slice select and copy/cadd, map's
TH_TENSOR_APPLY2/3 counts, scatter's reads past a short source slice, Tensor.lua's chunk and
repeatTensor, and LuaJIT's method-call naming ("calling 'f' on bad self (msg)"). Formats come
from the checkouts through tools/c_messages.py (test_error_texts_c's helpers); cwrap's and
Tensor.lua's texts are written out from TensorMath.lua / torchcwrap.lua / Tensor.lua."""
import pytest
import test_error_texts_c as base
from test_error_texts_c import expected, raised

import torch7py as torch
from torch7py.messages import lua_method_call
from torch7py.tensor import TorchError

from luatest import lua_error, trepl_runtime

R, D, L, B = torch.randn, torch.DoubleTensor, torch.LongTensor, torch.ByteTensor
APPLY2 = "to have the same number of elements, but got %d and %d elements"
APPLY3 = "to have the same number of elements, but got %d, %d and %d"


@pytest.fixture(scope="module")
def messages():
    return base.messages.__wrapped__()


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("")


def test_cat_argument_checks(messages, rt):
    # cwrap's index: C dimension = n - 1, so 0 is -1 (not the default's -2 'last dimension'):
    # THArgCheck(cat_dimension >= 0, 4, "invalid dimension %d", dimension + TH_INDEX_BASE)
    want = expected(messages, "THTensorMath.c", "invalid dimension %d@catArray#4", (0,))
    assert raised(torch.cat, R(2, 2), R(2, 2), 0) == want
    assert raised(torch.cat, [R(2, 2)], -2) == \
        expected(messages, "THTensorMath.c", "invalid dimension %d@catArray#4", (-2,))
    # the method counts no self: #3
    assert lua_error(rt, "local r = torch.zeros(2):cat(torch.zeros(2), torch.zeros(2), 0)") \
        == "bad argument #3 to 'cat' (invalid dimension 0)"
    # -1 is the last dimension (cwrap -2: dimension + TH_INDEX_BASE == -1)
    assert torch.cat(R(2, 3), R(2, 3), -1).size().totable() == [2, 6]
    # a dimension past the last: maxDim = dimension + 1, the missing sizes 1
    assert torch.cat(R(3, 3), R(3, 3), 4).size().totable() == [3, 3, 1, 2]


def test_cat_tensor_array(rt):
    # torchcwrap.lua's TensorArray: check torch_isnonemptytable, help '{DoubleTensor+}';
    # an empty table matches no form (cwrap names it 'table')
    help_ = ("[*DoubleTensor*] DoubleTensor DoubleTensor [index] | "
             "[*DoubleTensor*] {DoubleTensor+} [index]")
    assert lua_error(rt, "local r = torch.cat({}, 1)") == \
        "invalid arguments: table number \nexpected arguments: " + help_
    assert lua_error(rt, "local r = torch.zeros(2):cat({}, 2)") == \
        "invalid arguments: DoubleTensor table number \nexpected arguments: " + help_
    # its read: luaL_error(L, "expected %s in tensor array"), the type torch.cat dispatched
    # on (torch_istensorarray: the first element's)
    assert lua_error(rt, "local r = torch.cat({torch.zeros(2), torch.FloatTensor(2)}, 1)") == \
        "expected DoubleTensor in tensor array"
    assert lua_error(rt, "local r = torch.cat({torch.FloatTensor(2), torch.zeros(2)}, 1)") == \
        "expected FloatTensor in tensor array"


def test_index_copy_and_add_check_their_slices(messages, rt):
    m = R(3, 3)
    # select(tSlice, tensor, dim, index[i]), select(sSlice, src, dim, i), copy(tSlice, sSlice)
    assert raised(m.indexCopy, 1, L([1]), R(1, 4)) == expected(
        messages, "THTensorApply.h", APPLY2, ("tensor", "[3]", "src", "[4]", 3, 4))
    # indexAdd: THTensor_(cadd)(tSlice, tSlice, 1.0, sSlice)
    assert raised(m.indexAdd, 1, L([1]), R(1, 4)) == expected(
        messages, "THTensorApply.h", APPLY3, ("r_", "[3]", "t", "[3]", "src", "[4]", 3, 3, 4))
    # a first index out of range fails at the first select (#3), before the copy
    assert raised(m.indexCopy, 1, L([5, 1]), R(2, 4)) == \
        expected(messages, "THTensor.c", "out of range@select#3", ())
    # the dimension of the tensor (src has it): select's #2
    assert raised(m.indexCopy, 3, L([1]), R(2, 4, 1)) == \
        expected(messages, "THTensor.c", "out of range@select#2", ())
    # a vector source of a matrix: select on a vector
    assert raised(m.indexCopy, 1, L([1]), R(1)) == \
        expected(messages, "THTensor.c", "cannot select on a vector", ())
    # a vector tensor: set1d(tensor, i, get1d(src, 0)), get1d first
    assert raised(R(3).indexCopy, 1, L([4]), R(1, 3)) == \
        expected(messages, "THTensor.c", "tensor must have one dimension@get1d", ())
    # through Lua, a method: numbers after self
    assert lua_error(rt, "local x = torch.zeros(3):indexAdd(1, torch.LongTensor{4}, "
                         "torch.zeros(1, 2))") == \
        "calling 'indexAdd' on bad self (tensor must have one dimension)"
    # valid calls are unchanged: rows 3 and 1 of a zero matrix take src's rows
    r = torch.zeros(3, 2).indexCopy(1, L([3, 1]), torch.Tensor([[1, 2], [3, 4]]))
    assert r.totable() == [[1, 2], [3, 4]]  # (indexCopy returns src, as Tensor.c does)


def test_map_checks_element_counts(messages):
    f = lambda a, b, c=None: a  # noqa: E731
    # contiguous tensors: FFInterface.lua's Lua loop asserts first ('size mismatch')
    assert raised(R(2).map, R(3), f) == "size mismatch"
    assert raised(D().map2, R(3), R(3), f) == "size mismatch"
    # any other tensor goes to Tensor.c: TH_TENSOR_APPLY2/3's check
    t = R(3, 2).t()
    assert raised(t.map, R(5), f) == expected(
        messages, "THTensorApply.h", APPLY2, ("tensor", "[2 x 3]", "src", "[5]", 6, 5))
    assert raised(t.map2, R(6), R(5), f) == expected(
        messages, "THTensorApply.h", APPLY3,
        ("tensor", "[2 x 3]", "src1", "[6]", "src2", "[5]", 6, 6, 5))


def test_empty_tensor_with_empty_mask_does_nothing():
    # TH_TENSOR_APPLY2 over two empty tensors runs no step
    x = D()
    assert x.maskedFill(B(), 1) is not None and x.nElement() == 0
    assert D().maskedSelect(B()).nElement() == 0
    x.maskedCopy(B(), D())
    assert x.nElement() == 0


def test_scatter_reads_past_a_short_slice_as_th():
    # THTensor_(scatter) steps src's pointer by its stride `index:size(dim)` times: a source
    # narrower than the index along dim is read on into its storage
    s = torch.range(1, 12).view(4, 3).narrow(1, 1, 2)
    idx = L([[1, 2, 3], [2, 3, 1], [3, 1, 2]])
    r = torch.zeros(3, 3).scatter(1, idx, s)
    # column j takes s's rows 0..2 of column j (row 2 past the narrowed view: 7, 8, 9)
    assert r.totable() == [[1, 8, 6], [4, 2, 9], [7, 5, 3]]
    # past the storage's end there is nothing defined to read: an error, no numpy text
    with pytest.raises(TorchError, match="past the end of its storage"):
        torch.zeros(3, 3).scatter(1, L(4, 3).fill(1), torch.zeros(3, 3))


def test_chunk_and_repeat_tensor_follow_tensor_lua(rt):
    # chunk: math.ceil(n / 0) is inf, split's math.min(inf, n) the whole dimension
    parts = R(3, 4).chunk(0, 2)
    assert len(parts) == 1 and parts[0].size().totable() == [3, 4]
    # a negative count: split narrows by a negative size (narrow's #4, #3 after self)
    # (at split's narrow line, Tensor.lua:505, as the original prints it)
    assert lua_error(rt, "local t = torch.zeros(3, 4):chunk(-1)") == \
        "/usr/local/share/lua/5.1/torch/Tensor.lua:505: " \
        "bad argument #3 to 'narrow' (out of range)"
    # repeatTensor with a count 0: result:resize(0, 6) is empty, its first unfold fails
    assert lua_error(rt, "local t = torch.ones(3):repeatTensor(0, 2)") == \
        "/usr/local/share/lua/5.1/torch/Tensor.lua:381: " \
        "calling 'unfold' on bad self (cannot unfold an empty tensor)"
    # an empty tensor is resized to ones first: a 2x3 result
    assert D().repeatTensor(2, 3).size().totable() == [2, 3]
    assert torch.ones(2, 3).repeatTensor(2, 2).sum() == 24


def test_bad_self_keeps_the_message():
    # LuaJIT's LJ_ERR_BADSELF: "calling %s on bad self (%s)"
    with pytest.raises(TorchError, match=r"^calling 'view' on bad self \(x\)$"):
        with lua_method_call('view'):
            raise TorchError("bad argument #1 to '?' (x)")


def test_lapack_illegal_argument_and_texts(messages):
    # THLapack.h's THLapackCheck(WithCleanup): info < 0 names the function and the argument
    want = expected(messages, "THLapack.h", "Illegal Argument %d", ("ormqr", 5))
    # THTensor_(ormqr): k = tau:size(1) > m (side L) is dormqr's argument 5
    assert raised(torch.ormqr, R(2, 3), R(4), R(2, 3)) == want
    assert raised(torch.orgqr, R(2, 3), R(3)) == \
        expected(messages, "THLapack.h", "Illegal Argument %d", ("orgqr", 2))


def test_ormqr_empty_tau_is_lapacks_quick_return():
    c = R(2, 3)
    r = torch.ormqr(R(2, 3), D(), c)  # k = 0: C unchanged
    assert r.totable() == c.totable()


def test_lerp_and_match_argument_checks(messages, rt):
    # THTensor_(lerp): THArgCheck(nElement(a) == nElement(b), 2, "sizes do not match") first
    assert raised(torch.lerp, R(3), R(4), 0.5) == \
        expected(messages, "THTensorMath.c", "sizes do not match", ())
    assert lua_error(rt, "local r = torch.zeros(3):lerp(torch.zeros(4), 0.5)") == \
        "bad argument #1 to 'lerp' (sizes do not match)"
    # THTensor_(match): rows of m1 and m2 must have the same length (#3)
    assert raised(torch.match, R(2, 3), R(2, 4)) == \
        expected(messages, "THTensorMath.c", "m1 and m2 must have the same inner vector", ())
    # r[i][j] = gain * sum_k (m1[i][k] - m2[j][k])^2, summed in the tensor's type
    r = torch.match(torch.Tensor([[1, 2], [3, 4]]), torch.Tensor([[0, 0]]), 2)
    assert r.totable() == [[10], [50]]
    f = torch.match(torch.FloatTensor([[1, 2]]), torch.FloatTensor([[0.1, 0]]))
    import numpy as np
    t = np.float32(1) - np.float32(0.1)
    assert f[1][1] == float(np.float32(t * t) + np.float32(4))


def test_tensor_c_index_functions_check_their_arguments_in_order(rt):
    # Tensor.c's index (narg 3: src, luaL_checkint dim, luaT_checkudata LongTensor; narg 4:
    # result first) and indexCopy/indexAdd/indexFill (narg 4): each slot read in order, a
    # method call counting no self; another count is THError's list of the forms
    cases = [
        ("torch.zeros(3):index(nil, torch.LongTensor{1})",
         "bad argument #1 to 'index' (number expected, got nil)"),
        ("torch.zeros(3):index(1, torch.zeros(2))",
         "bad argument #2 to 'index' (torch.LongTensor expected, got torch.DoubleTensor)"),
        ("torch.zeros(3):index(torch.zeros(3), nil, torch.zeros(2))",
         "bad argument #2 to 'index' (number expected, got nil)"),
        ("torch.zeros(3):index(torch.FloatTensor(3), 1, torch.LongTensor{1})",
         "bad argument #1 to 'index' (torch.DoubleTensor expected, got torch.FloatTensor)"),
        ("torch.zeros(3):indexAdd(1, torch.LongTensor{1}, torch.FloatTensor(1))",
         "bad argument #3 to 'indexAdd' (torch.DoubleTensor expected, got torch.FloatTensor)"),
        ("torch.zeros(3):indexCopy(nil, torch.LongTensor{1}, torch.zeros(1))",
         "bad argument #1 to 'indexCopy' (number expected, got nil)"),
        ("torch.zeros(3):indexFill(1, torch.LongTensor{1}, 'a')",
         "bad argument #3 to 'indexFill' (number expected, got string)"),
        ("torch.zeros(3):index(1)",
         "torch.DoubleTensor, number, torch.LongTensor | torch.DoubleTensor, "
         "torch.DoubleTensor, number, torch.LongTensor expected"),
        ("torch.zeros(3):indexCopy(1, torch.LongTensor{1})",
         "torch.DoubleTensor, number, torch.LongTensor, torch.DoubleTensor expected"),
        ("torch.FloatTensor(3):indexFill(1, torch.LongTensor{1})",
         "torch.FloatTensor, number, torch.LongTensor, number expected"),
        # maskedSelect/maskedCopy/maskedFill: Tensor.c's too
        ("torch.zeros(3, 3):maskedFill(torch.zeros(3, 3), 1)",
         "bad argument #1 to 'maskedFill' (torch.ByteTensor expected, got torch.DoubleTensor)"),
        ("torch.zeros(3):maskedFill(torch.ByteTensor(3):zero(), 'a')",
         "bad argument #2 to 'maskedFill' (number expected, got string)"),
        ("torch.zeros(3):maskedCopy(torch.ByteTensor(3):zero(), torch.FloatTensor(3))",
         "bad argument #2 to 'maskedCopy' (torch.DoubleTensor expected, got torch.FloatTensor)"),
        ("torch.zeros(3):maskedSelect(torch.FloatTensor(3), torch.ByteTensor(3):zero())",
         "bad argument #1 to 'maskedSelect' (torch.DoubleTensor expected, got torch.FloatTensor)"),
        ("torch.zeros(3):maskedCopy(torch.ByteTensor(3):zero())",
         "torch.DoubleTensor, torch.ByteTensor, torch.DoubleTensor expected"),
    ]
    for code, want in cases:
        assert lua_error(rt, "local r = " + code) == want, code
