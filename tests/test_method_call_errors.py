"""nn's Lua code calls Torch7's C methods as `x:name(...)`, not in a tail position: LuaJIT's
luaL_argerror then names the method and counts the arguments after self (lj_err.c's
lj_err_argmsg: namewhat "method" decrements the argument number). Narrow.lua's
input:narrow(...) and Transpose.lua's input:transpose(...) errors read that way."""
import pytest

import torch7py as torch
from torch7py import nn
from torch7py.messages import lua_method_call
from torch7py.tensor import TorchError


def test_narrow_out_of_range_names_the_method():
    # THTensor_(narrow)'s size check is argument 4 (self, dim, first, size): #3 after self
    with pytest.raises(TorchError, match=r"^bad argument #3 to 'narrow' \(out of range\)$"):
        nn.Narrow(1, 3, 5).forward(torch.zeros(4))


def test_transpose_out_of_range_names_the_method():
    # THTensor_(transpose)'s dimension1 check is argument 2: #1 after self
    with pytest.raises(TorchError, match=r"^bad argument #1 to 'transpose' \(out of range\)$"):
        nn.Transpose((1, 3)).forward(torch.zeros(2, 2))


def test_argument_one_is_the_bad_self():
    # LuaJIT's LJ_ERR_BADSELF (lauxlib's luaL_argerror too): "calling %s on bad self (%s)"
    with pytest.raises(TorchError, match=r"^calling 'view' on bad self \(x\)$"):
        with lua_method_call('view'):
            raise TorchError("bad argument #1 to '?' (x)")


def test_other_errors_pass_unchanged():
    with pytest.raises(TorchError, match=r"^inconsistent tensor size$"):
        with lua_method_call('copy'):
            raise TorchError("inconsistent tensor size")
