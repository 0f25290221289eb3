"""Torch7's own words where Python's leaked: Tensor.lua's permute (its assert, and Lua's
comparison error for what is no number), Tensor.lua's typeAs (its local is named `tensor`),
and luaT_lua_newmetatable accepting any registered class as the parent (a Python one too)."""
import numpy as np
import pytest

import torch7py as torch
from torch7py.tensor import TorchError

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime  # noqa: E402


@pytest.fixture
def rt():
    return LuaRuntime()


def test_permute_follows_tensor_lua():
    t = torch.Tensor(2, 3, 4)
    base = np.empty((2, 3, 4))
    for p in ((3, 1, 2), (2, 3, 1), (1, 3, 2), (3, 2, 1), (1, 2, 3), (2, 1, 3)):
        r = t.permute(*p)
        # result dimension i is the source dimension p[i]
        assert list(r.size()) == [base.shape[d - 1] for d in p]
        assert list(r.stride()) == [t.stride(d) for d in p]
    # 0 marks a placed dimension: (1, 0) leaves a 2-D tensor as it is
    m = torch.Tensor(2, 3)
    assert list(m.permute(1, 0).size()) == [2, 3]
    for bad in ((1, 1, 2), (1, 2), (4, 1, 2), (0, 0, 0, 0)):
        with pytest.raises(TorchError, match="^Invalid permutation$"):
            t.permute(*bad)
    # `0 < perm[j]` with a string / a nil (perm[2.5] after the first transpose)
    with pytest.raises(TorchError, match="^attempt to compare number with string$"):
        m.permute(1, "a")
    with pytest.raises(TorchError, match="^attempt to compare number with nil$"):
        t.permute(1, 2.5, 3)


def test_permute_and_typeas_from_lua(rt):
    r = rt.execute("""
        local t = torch.Tensor(2, 3)
        local function e(f) return (select(2, pcall(f)):gsub('^.-:%d+: ', '')) end
        return e(function() local r = t:permute(1, {}) return r end),
               e(function() local r = t:permute(2) return r end),
               e(function() local r = t:typeAs(3) return r end),
               e(function() local r = t:typeAs() return r end)
    """)
    assert r == ("attempt to compare number with table", "Invalid permutation",
                 "attempt to index local 'tensor' (a number value)",
                 "attempt to index local 'tensor' (a nil value)")


def test_newmetatable_with_a_python_parent(rt):
    # luaT_lua_newmetatable: the parent is any registered metatable; the constructor table
    # calls the ctor given, and without one says luaT_cmt__call's "no constructor available"
    r = rt.execute("""
        require 'nn'
        my = {}
        local mt = torch.newmetatable('my.L', 'nn.Linear', function(a, b)
           return nn.Linear(a, b)
        end)
        local made = torch.typename(my.L(2, 3))
        torch.newmetatable('my.T', 'torch.FloatTensor')
        local ok, msg = pcall(function() local t = my.T(3) return t end)
        local K = torch.class('my.K', 'my.L')
        function K:twice() return 2 * self.weight:size(1) end
        local k = my.K(2, 5)
        return mt ~= nil, made, ok, (msg:gsub('^.-:%d+: ', '')), torch.typename(k),
               torch.isTypeOf(k, 'nn.Linear'), torch.isTypeOf(k, 'my.L'), k:twice(),
               k:forward(torch.ones(2)):size(1)
    """)
    assert r == (True, "nn.Linear", False, "no constructor available", "my.K", True, True,
                 10, 5)


def _errs(rt, calls):
    code = ["local t = torch.Tensor(4, 2)", "local out = {}"]
    for c in calls:
        code.append("out[#out + 1] = select(2, pcall(function() local r = %s return r end))"
                    % c)
    code.append("return out")
    return [m.split(": ", 1)[1] if isinstance(m, str) else m
            for m in rt.execute("\n".join(code))]


def test_tensor_c_argument_checks(rt):
    # Tensor.c: luaT_checkudata(L, 1, ...), then luaL_checkint/checklong of each argument
    # before THTensor's own checks; "no value" for an argument left out, "nil" for a nil given
    assert _errs(rt, [
        "t:narrow()", "t:narrow(nil)", "t:narrow(1, 1)", "t:narrow(9, 1, nil)",
        "t:select(1)", "t:transpose(1, 'x')", "t:unfold(1, 2)", "t.narrow()",
        "t:isSetTo(3)", "t:isSize({4, 2})", "t:resizeAs(5)",
    ]) == [
        "bad argument #1 to 'narrow' (number expected, got no value)",
        "bad argument #1 to 'narrow' (number expected, got nil)",
        "bad argument #3 to 'narrow' (number expected, got no value)",
        "bad argument #3 to 'narrow' (number expected, got nil)",
        "bad argument #2 to 'select' (number expected, got no value)",
        "bad argument #2 to 'transpose' (number expected, got string)",
        "bad argument #3 to 'unfold' (number expected, got no value)",
        "bad argument #1 to 'narrow' (torch.DoubleTensor expected, got boolean)",
        # luaT_typerror: lua_typename(L, 2) of the index, 2 being LUA_TLIGHTUSERDATA
        "bad argument #1 to 'isSetTo' (torch.DoubleTensor expected, got userdata)",
        "bad argument #1 to 'isSize' (torch.LongStorage expected, got userdata)",
        "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)",
    ]


def test_tensor_lua_functions_fail_as_lua(rt):
    # Tensor.lua's chunk (tensor:size(dim)/nChunk), split (math.min(splitSize, ...)),
    # expandAs (tensor:size()), viewAs (template:size()), typeAs (tensor:type())
    assert _errs(rt, [
        "t:chunk()", "t:chunk('a')", "#t:chunk('2')", "t:split()", "t:expandAs()",
        "t:expandAs('x')", "t:viewAs(3)", "t:typeAs({})", "torch.split()",
    ]) == [
        "attempt to perform arithmetic on local 'nChunk' (a nil value)",
        "attempt to perform arithmetic on local 'nChunk' (a string value)",
        2,
        "bad argument #1 to 'min' (number expected, got nil)",
        "attempt to index local 'tensor' (a nil value)",
        "attempt to call method 'size' (a nil value)",
        "attempt to index local 'template' (a number value)",
        "attempt to call method 'type' (a nil value)",
        "attempt to index local 'tensor' (a nil value)",
    ]
