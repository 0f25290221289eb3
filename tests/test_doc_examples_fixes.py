"""What the sweep of Torch7's manuals (tools/doc_examples.py) found wrong in torch7py, checked
against independent expectations: Lua's own error texts from a bare LuaJIT state."""
import pytest

pytest.importorskip("lupa")
import lupa.luajit21 as lupa  # noqa: E402

from compat.runtime import LuaRuntime  # noqa: E402


def bare_lua_error(code):
    """The message a bare LuaJIT gives for code (no torch7py involved), position stripped."""
    lua = lupa.LuaRuntime()
    ok, msg = lua.eval("function(c) return pcall(loadstring(c)) end")(code)
    assert not ok
    return msg.split(": ", 1)[1]


@pytest.fixture(scope="module")
def rt():
    r = LuaRuntime()
    r.execute("require 'nn'")
    return r


def pcall_message(rt, code):
    ok, msg = rt.execute("return pcall(function() %s end)" % code)
    assert ok is False
    return msg


def test_python_refusals_in_ported_lua_code_read_as_luas_errors(rt):
    # nn.Kmeans(k, dim) with the manual's undefined k: Kmeans.lua's `assert(k > 0, ...)`
    want = bare_lua_error("local k; assert(k > 0)")
    assert want == "attempt to compare number with nil"
    assert pcall_message(rt, "return nn.Kmeans(nil, 3)").endswith(want)
    assert pcall_message(rt, "local k; return k > 0").endswith(want)
    # arithmetic on a table (the Python list a Lua table became); with an object whose class
    # has no __sub__ (a criterion: nngraph gives modules one, not criteria) it is luaT's
    # __sub that fails, naming both operands (the original Torch7 printed this)
    want = bare_lua_error("return {} - 1")
    assert want == "attempt to perform arithmetic on a table value"
    assert pcall_message(rt, "return {} - nn.MSECriterion()").endswith(
        "both (null) and nn.MSECriterion have no substraction operator")


def test_nil_input_to_a_module_reads_as_luas_index_error(rt):
    # nn's Lua modules index their input first (Tanh.lua: input.THNN.Tanh_updateOutput(...),
    # CAddTable.lua: input[1]); a bare LuaJIT says for that:
    want = bare_lua_error("local function f(input) return input.THNN end return f(nil)")
    assert want == "attempt to index local 'input' (a nil value)"
    assert bare_lua_error("local function f(input) return input[1] end return f(nil)") == want
    assert pcall_message(rt, "return nn.Tanh():forward(nil)").endswith(want)
    assert pcall_message(rt, "return nn.CAddTable():forward(nil)").endswith(want)
    # WeightNorm.lua's assert(module.weight) on a function (the manual's placeholder `module`
    # is Lua's module())
    want = bare_lua_error("local function f(module) return module.weight end return f(print)")
    assert want == "attempt to index local 'module' (a function value)"
    assert pcall_message(rt, "return nn.WeightNorm(print)").endswith(want)
