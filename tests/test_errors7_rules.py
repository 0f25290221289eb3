"""Error texts of session 10's rules (errors7), each expectation read from the original's
sources: nn's Lua lines, THNN's calls through the FFI, cwrap's argument list, LuaJIT's texts."""
import pytest

pytest.importorskip("lupa")

from luatest import lua_error, trepl_runtime  # noqa: E402


def nn_at(where):
    """The position Lua puts before an error raised at nn/<where> (the reference's)."""
    return "/usr/local/share/lua/5.1/nn/%s: " % where

# THNN.lua's wrapper of each THNN function (its line 110) raises THNN's errors in Torch7
THNN = "/usr/local/share/lua/5.1/nn/THNN.lua:110: "


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'; require 'nngraph'")


def test_cwrap_lists_the_nil_that_nn_lua_passes_on(rt):
    # Exp.lua: return self.gradInput:cmul(self.output, gradOutput): the nil gradOutput is an
    # argument of the call (lua_gettop counts it), and cwrap's str_arg_types names it
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Exp():backward(torch.FloatTensor(2, 3))") == (
        "/usr/local/share/lua/5.1/nn/Module.lua:31: invalid arguments: DoubleTensor DoubleTensor nil \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] DoubleTensor")
    # Log.lua: self.gradInput:resizeAs(input):fill(1):cdiv(input):cmul(gradOutput)
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Log():backward(torch.zeros(2, 2))").startswith(
        "/usr/local/share/lua/5.1/nn/Log.lua:18: invalid arguments: DoubleTensor nil \n")
    # a script's own call passes fewer arguments: none is listed past the last
    assert lua_error(rt, "torch.zeros(3):cmul()") == (
        "invalid arguments: DoubleTensor \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] DoubleTensor")


def test_full_convolutions_check_their_thnn_call_in_lua_order(rt):
    # SpatialFullConvolution.lua: local inputTensor = input; if torch.type(inputTensor) ==
    # 'table' then ... else self.finput = self.finput or input.new() ... end;
    # inputTensor.THNN.SpatialFullConvolution_updateGradInput(inputTensor:cdata(),
    # gradOutput:cdata(), ...)
    # (each with the line the reference build names: /tmp/ref7/bin/th printed these)
    m = "nn.SpatialFullConvolution(3, 3, 3, 3)"
    at = "/usr/local/share/lua/5.1/nn/SpatialFullConvolution.lua:"
    assert lua_error(rt, m + ":backward()") == \
        at + "130: attempt to index local 'inputTensor' (a nil value)"
    assert lua_error(rt, m + ":backward('a')") == \
        at + "130: attempt to index field 'THNN' (a nil value)"
    assert lua_error(rt, m + ":forward('a')") == at + "86: attempt to call field 'new' (a nil value)"
    assert lua_error(rt, m + ":backward(torch.FloatTensor(2, 3))") == \
        at + "132: attempt to index local 'gradOutput' (a nil value)"
    assert lua_error(rt, m + ":accGradParameters(torch.zeros(3), 'a')") == \
        at + "177: attempt to call method 'cdata' (a nil value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.VolumetricFullConvolution(3, 3, 3, 3, 3):backward(7)") == \
        "/usr/local/share/lua/5.1/nn/VolumetricFullConvolution.lua:147: attempt to index local 'inputTensor' (a number value)"


def test_volumetric_convolution_backward_checks_its_cpu_call(rt):
    # VolumetricConvolution.lua: if torch.typename(input):find('torch%.Cuda.*Tensor') then ...
    # else if self.gradInput then input.THNN.VolumetricConvolutionMM_updateGradInput(...)
    # (their VolumetricConvolution.lua lines as the reference build prints them)
    m = "nn.VolumetricConvolution(3, 3, 3, 3, 3)"
    at = "/usr/local/share/lua/5.1/nn/VolumetricConvolution.lua:"
    assert lua_error(rt, m + ":updateGradInput()") == at + "89: attempt to index a nil value"
    assert lua_error(rt, m + ":updateGradInput(torch.LongTensor(2))") == \
        at + "102: attempt to index field 'THNN' (a nil value)"
    assert lua_error(rt, m + ":updateGradInput(torch.zeros(2), 3)") == \
        at + "104: attempt to index local 'gradOutput' (a number value)"


def test_nngraph_nest_and_display_read_their_argument_as_lua(rt):
    # nest.lua: error('what is this in the nest input? ' .. tostring(input))
    assert lua_error(rt, "nngraph.nest(true)") == \
        "/usr/local/share/lua/5.1/nngraph/nest.lua:13: what is this in the nest input? true"
    assert lua_error(rt, "nngraph.nest({})").startswith(
        "/usr/local/share/lua/5.1/nngraph/nest.lua:13: what is this in the nest input? table: ")
    # graphinspecting.lua: graph.dot(gmodule.fg, fname, fname): a string's or a tensor's fg is
    # nil; graph.graphvizFile's g:todot() indexes it
    for v in ("'a'", "torch.zeros(2)", "{}"):
        msg = lua_error(rt, "nngraph.display(%s)" % v)
        assert msg in ("attempt to index local 'g' (a nil value)",
                       "graphviz library could not be loaded."), v
    assert lua_error(rt, "nngraph.display(3)") == \
        "attempt to index local 'gmodule' (a number value)"


def test_python_helpers_are_not_in_the_torch_table(rt):
    # torch7py's class-tree helpers are Python API: Torch7's torch table has no such fields
    assert rt.execute("return torch.torch_parent == nil and torch.torch_ancestry == nil") is True


def test_hessian_mse_of_an_empty_input_divides_as_lua(rt):
    # hessian.lua: val = val / input:nElement(): Lua's 2 / 0 is inf, filled into no element
    assert rt.execute("nn.hessian.enable(); return nn.MSECriterion():updateDiagHessianInput("
                      "torch.Tensor(), torch.Tensor()):nElement()") == 0
    from torch7py.nn import _lua
    assert _lua.div(2, 0) == float("inf") and _lua.div(-2, 0) == float("-inf")
    assert _lua.div(0, 0) != _lua.div(0, 0) and _lua.div(3, 2) == 1.5


def test_pooling_thnn_call_converts_a_nil_size_field(rt):
    # SpatialAveragePooling.lua: input.THNN.SpatialAveragePooling_updateOutput(input:cdata(),
    # self.output:cdata(), self.kW, ...): nn.SpatialAveragePooling() has kW = nil, which the
    # FFI cannot convert to THNN's int (argument 4, the state being 1)
    assert lua_error(rt, "nn.SpatialAveragePooling():forward(torch.zeros(3))") == \
        THNN + "bad argument #4 to 'v' (cannot convert 'nil' to 'int')"
    assert lua_error(rt, "nn.VolumetricAveragePooling():backward(torch.zeros(3), "
                         "torch.zeros(5))") == \
        THNN + "bad argument #5 to 'v' (cannot convert 'nil' to 'int')"


def test_tensor_method_layers_run_their_lua_lines_on_other_arguments(rt):
    # Exp.lua: return self.output:exp(input) / self.gradInput:cmul(self.output, gradOutput)
    assert lua_error(rt, "nn.Exp():forward(torch.FloatTensor(2))") == (
        "invalid arguments: DoubleTensor FloatTensor \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] | double")
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Exp():backward(torch.zeros(3), torch.zeros(5))") == (
        "/usr/local/share/lua/5.1/nn/Module.lua:31: inconsistent tensor size, expected r_ [], t [] and src [5] to have the same number "
        "of elements, but got 0, 0 and 5 elements respectively")
    # SoftSign.lua: self.temp = self.temp or input.new(); self.temp:resizeAs(input)...;
    # self.output:resizeAs(input):copy(input):cdiv(self.temp)
    assert lua_error(rt, "nn.SoftSign():forward('a')") == \
        nn_at("SoftSign.lua:4") + "attempt to call field 'new' (a nil value)"
    assert lua_error(rt, "nn.SoftSign():forward(torch.FloatTensor(2))") == \
        nn_at("SoftSign.lua:6") + "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)"
    # tempgrad:resizeAs(self.output) (empty before a forward):copy(input)
    assert lua_error(rt, "nn.SoftSign():backward(torch.zeros(3), 'a')") == nn_at("SoftSign.lua:12") + (
        "inconsistent tensor size, expected tensor [] and src [3] to have the same number of "
        "elements, but got 0 and 3 elements respectively")
    # the lines compute what the original computes where they do not fail
    assert rt.execute("local m = nn.SoftSign():float(); return m:forward("
                      "torch.FloatTensor({1, -3}))[2]") == -0.75


def test_tensor_index_methods_as_tensor_c(rt):
    # generic/Tensor.c's __index__: a number index answers (value, true), a key it does not
    # take answers false alone; __newindex__ answers true once written, false otherwise; its
    # THArgCheck's text for an index past the end
    assert rt.execute("local t = torch.Tensor({5, 6}); local v, ok = t:__index__(2); "
                      "return v == 6 and ok == true") is True
    assert rt.execute("return select('#', torch.Tensor(2):__index__('foo'))") == 1
    assert rt.execute("return torch.Tensor(2):__index__('foo')") is False
    assert rt.execute("local t = torch.zeros(2); local ok = t:__newindex__(1, 7); "
                      "return ok == true and t[1] == 7") is True
    assert rt.execute("return torch.zeros(2):__newindex__('x', 7)") is False
    # (called by name from a Lua line, as the reference build prints it: luaL_argerror names
    # the method, self not counted, at the calling line)
    assert lua_error(rt, "torch.zeros(2):__index__(5)") == \
        "bad argument #1 to '__index__' (out of range)"
