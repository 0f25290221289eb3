"""Error rules of session 9: one table of LuaJIT's texts, one definition of Lua's type names,
and the rules the sweep's differences asked for (each expectation read from the original's
Lua or C source, cited beside it)."""
import ast
import os

import pytest

import torch7py as torch
from torch7py import messages
from torch7py.luaresults import NOVALUE
from torch7py.random import Generator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _string_constants(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_luajit_texts_live_in_messages_only():
    # LuaJIT's runtime errors ("attempt to index local 'x' (a nil value)", "'for' limit must
    # be a number") are written once, in messages.MESSAGES
    found = []
    pkg = os.path.join(ROOT, "torch7py")
    for d, _, files in os.walk(pkg):
        for fn in files:
            p = os.path.join(d, fn)
            if not fn.endswith(".py") or p == os.path.join(pkg, "messages.py"):
                continue
            for line, s in _string_constants(p):
                if s.startswith(("attempt to ", "'for' ")):
                    found.append("%s:%d %s" % (os.path.relpath(p, ROOT), line, s))
    assert found == []


def test_one_lua_type_definition():
    # Lua's type(): tensors, storages and Generator are userdata, nn objects tables
    assert messages.lua_type(None) == "nil"
    assert messages.lua_type(True) == "boolean"
    assert messages.lua_type(2.5) == "number"
    assert messages.lua_type(b"x") == "string"
    assert messages.lua_type(torch.zeros(2)) == "userdata"
    assert messages.lua_type(torch.DoubleStorage(2)) == "userdata"
    assert messages.lua_type(Generator()) == "userdata"
    assert messages.lua_type(torch.nn.Linear(2, 2)) == "table"
    assert messages.lua_type({}) == "table"
    assert messages.lua_type(len) == "function"
    # luaL_typename of an argument left out
    assert messages.lua_type(NOVALUE) == "no value"
    # torch.type: the class name where there is one
    assert messages.torch_type(torch.zeros(2)) == "torch.DoubleTensor"
    assert messages.torch_type(torch.nn.Linear(2, 2)) == "nn.Linear"
    assert messages.torch_type([1]) == "table"
    for mod in ("random", "tensor", "storage", "tester", "cmdline"):
        m = __import__("torch7py." + mod, fromlist=["x"])
        assert not hasattr(m, "_lua_type") and not hasattr(m, "_lua_kind"), mod


def test_luajit_text_helpers():
    assert messages.index_text("nil", "local 'input'") == \
        "attempt to index local 'input' (a nil value)"
    assert messages.index_text("number") == "attempt to index a number value"
    assert messages.length_text("nil", "local 'x'") == \
        "attempt to get length of local 'x' (a nil value)"
    assert messages.call_text("string") == "attempt to call a string value"
    assert messages.arith_text("table", "field 'k'") == \
        "attempt to perform arithmetic on field 'k' (a table value)"


if __name__ == "__main__":
    pytest.main([__file__])
