"""cwrap's argument errors: `invalid arguments: <given> \\nexpected arguments: <forms>`.

The expected texts are cwrap's rules applied to TensorMath.lua's declarations (cinterface.lua:
the argument sets joined by ' | ', `*X*` for a returned argument, `[X]` for one with a default,
invisible ones left out; torchcwrap.lua: `X~ND` for a tensor of required dimension, `{X+}` for a
table of tensors, the C name of `real` / `accreal`, `int`, `index`, `(A|B)` options;
str_arg_types: luaT's type name without 'torch.' or Lua's, each followed by a space). The last
test runs cwrap itself on the checkouts (tools/diff_cwrap.py) and skips without them.
"""
import os
import subprocess
import sys

import pytest
from luatest import cwrap_checkouts

import torch7py as torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _err(f, *a):
    with pytest.raises(torch.TorchError) as e:
        f(*a)
    return str(e.value)


def _msg(given, forms):
    return "invalid arguments: %s\nexpected arguments: %s" % (given, forms)


def test_returned_required_tensors_are_starred():
    # gesv: {Tensor, returned}, {Tensor, returned}, {Tensor}, {Tensor} | {Tensor}, {Tensor}
    D, F = torch.DoubleTensor, torch.FloatTensor
    assert _err(torch.gesv, D(2, 2), F(2, 2)) == _msg(
        "DoubleTensor FloatTensor ",
        "*DoubleTensor* *DoubleTensor* DoubleTensor DoubleTensor | DoubleTensor DoubleTensor")
    # comparisons: the result of the tensor's own type is returned too
    assert _err(torch.gt, D(2), "x") == _msg(
        "DoubleTensor string ",
        "[*ByteTensor*] DoubleTensor double | *DoubleTensor* DoubleTensor double | "
        "[*ByteTensor*] DoubleTensor DoubleTensor | *DoubleTensor* DoubleTensor DoubleTensor")
    assert _err(torch.scatter, D(2), "x", D(2), D(2)).endswith(
        "*DoubleTensor* index LongTensor DoubleTensor | *DoubleTensor* index LongTensor double")


def test_real_int_accreal_and_tensor_arrays():
    F, L = torch.FloatTensor, torch.LongTensor
    # the number form of a math function reads `real`: float for FloatTensor's table
    assert _err(torch.abs, F(2), F(2), 1).endswith(
        "expected arguments: [*FloatTensor*] FloatTensor | float")
    # ... and the method table has it too
    assert _err(torch.DoubleTensor(2).abs, 1).endswith("*DoubleTensor* [DoubleTensor] | double")
    # tril's k is a C int; range's bounds are accreal (long for integer tensors)
    assert _err(torch.tril, F(2, 2), {}).endswith("[*FloatTensor*] FloatTensor [int]")
    assert _err(torch.range, L(), "a", 2).endswith("[*LongTensor*] long long [long]")
    assert _err(torch.cat, F(2), {}).endswith(
        "[*FloatTensor*] FloatTensor FloatTensor [index] | [*FloatTensor*] {FloatTensor+} [index]")


def test_dimensions_only_where_declared():
    D = torch.DoubleTensor
    # addmm's result has no dim in its declaration; t, m1 and m2 have
    assert _err(torch.addmm, D(2, 2), D(2)).endswith(
        "[*DoubleTensor*] [double] DoubleTensor~2D [double] DoubleTensor~2D DoubleTensor~2D")
    # a result of any shape is accepted by cwrap: mm then sees t (the result) in TH
    assert _err(torch.bmm, D(5), D(2, 2, 3).fill(1), D(2, 3, 4).fill(1)) == \
        "bad argument #1 to '?' (output tensor of incorrect size)"
    assert _err(torch.mm, D(3), D(2, 3).fill(1), D(3, 4).fill(1)) == \
        "matrix expected, got 1D tensor for t"
    assert _err(torch.conv2, D(2, 2), torch.FloatTensor(2, 2)).endswith(
        "[*DoubleTensor*] DoubleTensor~2D DoubleTensor~2D [(V|F)] | "
        "[*DoubleTensor*] DoubleTensor~3D DoubleTensor~3D [(V|F)] | "
        "[*DoubleTensor*] DoubleTensor~3D DoubleTensor~4D [(V|F)]")


def test_random_functions():
    D, F = torch.DoubleTensor, torch.FloatTensor
    assert _err(torch.uniform, F(2), {}) == _msg(
        "FloatTensor table ",
        "[Generator] [double] [double] | *FloatTensor* [Generator] [float] [float]")
    assert _err(torch.manualSeed) == _msg("no arguments provided", "[Generator] long")
    assert _err(torch.seed, 1) == _msg("number ", "[Generator]")
    assert _err(torch.getRNGState, 1) == _msg("number ", "[Generator] [*ByteTensor*]")
    assert _err(D(3).random, "a") == _msg(
        "DoubleTensor string ",
        "[Generator] long long | [Generator] long | [Generator] | *DoubleTensor* [Generator] "
        "long long | *DoubleTensor* [Generator] long | *DoubleTensor* [Generator]")
    assert _err(torch.multinomial, D(3), "a") == _msg(
        "DoubleTensor string ", "[*LongTensor*] [Generator] DoubleTensor int [boolean]")
    assert _err(D(2).rand, {}) == _msg(
        "DoubleTensor table ", "*DoubleTensor* [Generator] (LongStorage | dim1 [dim2...])")


def test_lua_numbers_and_type_names():
    # lua_isnumber: a numeric string is a number (str_arg_types names it 'number' too)
    D = torch.DoubleTensor
    assert D(2).fill(1).add("2").totable() == [3, 3]
    assert torch.range(1, "0x3").totable() == [1, 2, 3]
    assert D(2).rand("3").size().totable() == [3]
    assert _err(torch.add, D(2), "x", "3") == _msg(
        "DoubleTensor string number ",
        "[*DoubleTensor*] DoubleTensor double | [*DoubleTensor*] DoubleTensor [double] "
        "DoubleTensor")
    # a function has no case in str_arg_types: '???'
    assert _err(D(2).add, len) == _msg(
        "DoubleTensor ??? ",
        "*DoubleTensor* [DoubleTensor] double | *DoubleTensor* [DoubleTensor] [double] "
        "DoubleTensor")


def test_extra_arguments_are_rejected():
    D = torch.DoubleTensor
    assert _err(D(2).fill, 1, 2) == _msg("DoubleTensor number number ", "*DoubleTensor* double")
    assert _err(D(2).zero, 1) == _msg("DoubleTensor number ", "*DoubleTensor*")
    assert _err(D(2).numel, 1) == _msg("DoubleTensor number ", "DoubleTensor")
    assert _err(D(2).squeeze, 1, 2) == _msg(
        "DoubleTensor number number ",
        "[*DoubleTensor*] DoubleTensor | [*DoubleTensor*] DoubleTensor index")
    assert _err(torch.reshape, D(4), torch.FloatTensor(4), 2, 2) == _msg(
        "DoubleTensor FloatTensor number number ",
        "[*DoubleTensor*] DoubleTensor (LongStorage | dim1 [dim2...])")
    assert D(4).reshape(2, 2).size().totable() == [2, 2]


def test_every_cwrap_declaration_against_cwrap():
    t7, cw = cwrap_checkouts()
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    try:
        import diff_cwrap
    finally:
        sys.path.pop(0)
    stats, problems = diff_cwrap.check(t7, cw)
    assert stats["functions"] > 1300 and stats["help_checked"] > 20000
    assert not problems, "\n".join("%s: %s: %s" % p for p in problems[:20])


def test_method_defaults_and_alias_functions():
    # t:cmax(x): cwrap's result is new and src defaults to it, so APPLY3 sees r, t empty
    D = torch.DoubleTensor
    assert _err(torch.randn(3).cmax) == (
        "inconsistent tensor size, expected r [], t [] and src [3] to have the same number of "
        "elements, but got 0, 0 and 3 elements respectively")
    # init.lua's torch.multinomialAliasSetup/multinomialAlias call these cwrap functions
    J, q = torch.multinomialAliasSetup_(D([0.2, 0.3, 0.5]))
    assert J.typename == "torch.LongTensor" and q.typename == "torch.DoubleTensor"
    out = torch.LongTensor(5)
    assert D.multinomialAlias_(out, J, q) is out
    assert _err(torch.multinomialAliasSetup, torch.LongTensor(3)) == \
        "torch.LongTensor does not implement the torch.multinomialAliasSetup_() function"


def test_tool_runs_as_a_script():
    t7, cw = cwrap_checkouts()
    r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "diff_cwrap.py"),
                        "--torch7", t7, "--cwrap", cw, "--only", "add", "gesv"],
                       capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=ROOT),
                       timeout=300)
    assert "problems: 0" in r.stdout, r.stdout + r.stderr
