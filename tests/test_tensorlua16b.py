"""Tensor.lua's functions (view, viewAs, expand, expandAs, repeatTensor, permute, type, typeAs,
split, chunk and their torch.X forms) on bad arguments: the texts and positions the original
Torch7 prints. Every expectation is what the reference build of the original (/tmp/ref7's th,
torch7 814ea4a) printed for the same Lua line (its install prefix written as the goldens' machine
has it, /usr/local/share/lua/5.1); a text without a position is one the original raises from C
with none."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from luatest import lua_error, trepl_runtime  # noqa: E402

T = "/usr/local/share/lua/5.1/torch/Tensor.lua:"
VIEW_USAGE = (T + "456: torch.view, expected (torch.Tensor, torch.Tensor, number [, number ]*) or"
              "\n (torch.Tensor, torch.Tensor, torch.LongStorage) or\n (torch.Tensor, "
              "torch.LongStorage)\n or (torch.Tensor, number [, number ]*)")


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'torch'")


CASES = [
    ('local t = torch.Tensor(2, 3); t:view(t)',
     VIEW_USAGE),
    ('local t = torch.Tensor(2, 3); t:view()',
     VIEW_USAGE),
    ("local t = torch.Tensor(2, 3); t:view(1, 'x')",
     'element at index 2 is not a number'),
    ('local t = torch.Tensor(); t:view(2, 3)',
     T + "462: bad argument #1 to 'set' (expecting number or "
         "torch.DoubleTensor or torch.DoubleStorage)"),
    ('local t = torch.Tensor(2, 3); t:view(-1, 4)',
     T + '417: The number of covered elements is not a multiple of all elements.'),
    ('local t = torch.Tensor(2, 3); t:t():view(6)',
     T + '461: expecting a contiguous tensor'),
    ('local t = torch.Tensor(2, 3); t:view(-1, -1)',
     T + '405: Only one of torch.view dimensions can be -1.'),
    ('local t = torch.Tensor(2, 3); t:view(2, -1, 0)',
     T + '417: The number of covered elements is not a multiple of all elements.'),
    ('local t = torch.Tensor(2, 3); t:viewAs(3)',
     T + "480: attempt to index local 'template' (a number value)"),
    ("local t = torch.Tensor(2, 3); t:viewAs('a')",
     T + "480: attempt to call method 'size' (a nil value)"),
    ('local t = torch.Tensor(2, 3); t:viewAs(t, 3)',
     T + '484: expecting (torch.Tensor, torch.Tensor, '
         'torch.LongStorage) or (torch.Tensor, torch.LongStorage)'),
    ('local t = torch.Tensor(2, 3); t:viewAs(torch.LongStorage{3, 2})',
     T + '466: Wrong size for view. Input size: 2x3. Output size: 2'),
    ('local t = torch.Tensor(2, 3); t:expand()',
     T + "311: attempt to index local 'tensor' (a nil value)"),
    ("local t = torch.Tensor(2, 3); t:expand('a')",
     T + "311: attempt to call method 'dim' (a nil value)"),
    ('local t = torch.Tensor(2, 3); t:expand(1, {})',
     "bad argument #3 to '?' (number expected, got table)"),
    ("local t = torch.Tensor(2, 3); t:expand(1, 'x')",
     T + '326: incorrect size: only supporting singleton expansion (size=1)'),
    ('local t = torch.Tensor(2, 3); t:expandAs(torch.LongStorage{2, 3})',
     T + '317: the number of dimensions provided must equal tensor:dim()'),
    ('local t = torch.Tensor(2, 3); t:expandAs(true)',
     T + "341: attempt to index local 'tensor' (a boolean value)"),
    ('local t = torch.Tensor(2, 3); t:expandAs(t, 2)',
     T + "339: attempt to index local 'template' (a number value)"),
    ('local t = torch.Tensor(2, 3); t:repeatTensor()',
     T + "356: attempt to index local 'tensor' (a nil value)"),
    ('local t = torch.Tensor(2, 3); t:repeatTensor(1, {})',
     "bad argument #3 to '?' (number expected, got table)"),
    ('local t = torch.Tensor(2, 3); t:repeatTensor(2, -1)',
     T + "381: bad argument #2 to 'unfold' (out of range)"),
    ('local t = torch.Tensor(); t:repeatTensor(-1)',
     T + "381: calling 'unfold' on bad self (cannot unfold an empty tensor)"),
    ('local t = torch.Tensor(2, 3); t:permute(1)',
     T + '543: Invalid permutation'),
    ('local t = torch.Tensor(2, 3); t:permute(2, 3)',
     T + '549: Invalid permutation'),
    ("local t = torch.Tensor(2, 3); t:permute(2, 'x')",
     T + '549: attempt to compare number with string'),
    ('local t = torch.Tensor(2, 3); t:type(3)',
     T + '238: attempt to index a nil value'),
    ('local t = torch.Tensor(2, 3); t:type(t)',
     T + "238: bad argument #1 to 'getmetatable' (string expected, got userdata)"),
    ("local t = torch.Tensor(2, 3); t:typeAs('a')",
     T + "249: attempt to call method 'type' (a nil value)"),
    ('local t = torch.Tensor(2, 3); t:split()',
     T + "504: bad argument #1 to 'min' (number expected, got nil)"),
    ('local t = torch.Tensor(2, 3); t:split(function() end)',
     T + "504: bad argument #1 to 'min' (number expected, got function)"),
    ("local t = torch.Tensor(2, 3); t:split(1, 'x')",
     T + '503: both (null) and torch.LongStorage have no less-equal operator'),
    ('local t = torch.Tensor(); t:split(1)',
     T + "503: bad argument #1 to 'size' (dimension 1 out of range of 0D tensor)"),
    ('local t = torch.Tensor(2, 3); t:split(0)',
     T + "505: bad argument #3 to 'narrow' (out of range)"),
    ('local t = torch.Tensor(2, 3); t:chunk(torch.LongStorage{2})',
     T + '521: both (null) and torch.LongStorage have no division operator'),
    ("local t = torch.Tensor(2, 3); t:chunk(1, 'x')",
     T + '521: both torch.LongStorage and (null) have no division operator'),
    ('local t = torch.Tensor(2, 3); t:chunk(t)',
     "bad argument #1 to '?' (torch.DoubleTensor expected, got boolean)"),
    ("local t = torch.Tensor(2, 3); t:chunk('a')",
     T + "521: attempt to perform arithmetic on local 'nChunk' (a string value)"),
    ('torch.view()',
     VIEW_USAGE),
    ("torch.viewAs('a')",
     T + "479: attempt to call field 'new' (a nil value)"),
    ('torch.viewAs({}, torch.Tensor(2), torch.Tensor(2))',
     T + "475: attempt to call method 'view' (a nil value)"),
    ('torch.expand()',
     T + "311: attempt to index local 'tensor' (a nil value)"),
    ('torch.expand(3, torch.Tensor(2, 3))',
     T + '317: the number of dimensions provided must equal tensor:dim()'),
    ('torch.expand(3, 2)',
     T + "296: attempt to index local 'tensor' (a number value)"),
    ('torch.expandAs({}, torch.Tensor(2, 3), 2)',
     T + "339: attempt to index local 'template' (a number value)"),
    ('torch.expandAs(nil, torch.Tensor(2, 3))',
     T + "341: attempt to index local 'result' (a nil value)"),
    ('torch.repeatTensor({}, torch.Tensor(2, 3), 2)',
     T + '369: Number of dimensions of repeat dims can not be smaller '
         'than number of dimensions of tensor'),
    ("torch.repeatTensor('a', torch.Tensor(2, 3), 2, 2)",
     T + "378: attempt to call method 'resize' (a nil value)"),
    ('torch.permute({})',
     T + "542: attempt to call method 'dim' (a nil value)"),
    # res:view(src, ...) sets res before its count check, which reads src's size: res == src
    ('local X = torch.Tensor(2, 3); X:view(X, 1.5)',
     T + '466: Wrong size for view. Input size: 1. Output size: 1'),
    ('local X = torch.Tensor(2, 3); X:view(X, 0)',
     T + '466: Wrong size for view. Input size: . Output size: 0'),
    ("local X = torch.Tensor(2, 3); X:permute(X, 'a')",
     T + '549: both (null) and torch.DoubleTensor have no less-than operator'),
    # result:set(tensor:storage(), ...) with a storage of another type: Tensor.c's #2
    ('local X = torch.Tensor(2, 3); X:expandAs(torch.LongTensor(2, 3), X)',
     T + "331: bad argument #2 to 'set' (torch.LongStorage expected)"),
    ('local X = torch.Tensor(2, 3); X:viewAs(torch.LongTensor(2, 3), X)',
     T + "462: bad argument #2 to 'set' (torch.LongStorage expected)"),
]


@pytest.mark.parametrize("code,expected", CASES)
def test_tensor_lua_errors_as_the_original(rt, code, expected):
    assert lua_error(rt, code) == expected


def test_reshape_resizes_the_result_before_the_copy(rt):
    # THTensor_(reshape): resize r_, then copy: res:reshape(src, ...) with res == src copies
    # the tensor to itself (the original returns it: 1 element, 1-D), and the count check
    # reads r_ as resized (TH's resize stops at a size <= 0: "[]" and 0)
    assert rt.execute("local X = torch.Tensor(2, 3):fill(1); local r = X:reshape(X, 1.5); "
                      "return r:size(1), X:dim()") == (1, 1)
    assert rt.execute("local X = torch.Tensor(2, 3); return X:reshape(X, -1):dim()") == 0
    assert lua_error(rt, "torch.reshape(torch.Tensor(2, 3), -1)") == (
        "inconsistent tensor size, expected tensor [] and src [2 x 3] to have the same number "
        "of elements, but got 0 and 6 elements respectively")
    # a Lua table is no LongStorage for cwrap
    assert lua_error(rt, "local X = torch.Tensor(2, 3); X:reshape(X, {})") == (
        "invalid arguments: DoubleTensor DoubleTensor table \n"
        "expected arguments: [*DoubleTensor*] DoubleTensor (LongStorage | dim1 [dim2...])")


def test_an_empty_lua_table_is_no_size(rt):
    # cwrap's (LongStorage | dim1 [dim2...]) of torch.zeros/ones: a table is neither
    for f in ("zeros", "ones"):
        assert lua_error(rt, "torch.%s({})" % f) == (
            "invalid arguments: table \n"
            "expected arguments: [*DoubleTensor*] (LongStorage | dim1 [dim2...])")
