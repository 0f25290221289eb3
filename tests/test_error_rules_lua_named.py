"""Error texts that depend on how Torch7's Lua code reaches a function (each expectation read
from the original sources): a C method that nn's Lua code calls as x:name(...) is named by
LuaJIT from that call; nngraph's __call__ replaces Module's and Criterion's; GPU.lua's asserts."""
import pytest

pytest.importorskip("lupa")

from luatest import lua_error, trepl_runtime  # noqa: E402


def nn_at(where):
    """The position Lua puts before an error raised at nn/<where> (the reference's)."""
    return "/usr/local/share/lua/5.1/nn/%s: " % where

# Torch7's Lua files' place: an error their Lua code raises starts with its file:line there
P = "/usr/local/share/lua/5.1/"


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'; require 'nngraph'")


def test_c_method_called_by_nn_lua_is_named_by_the_call(rt):
    # WeightedMSECriterion.lua: self.buffer:resizeAs(input):copy(target); Tensor.c's copy:
    # luaL_typerror(L, 2, "torch.*Tensor"); a method call: #2 - 1, named 'copy'
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.WeightedMSECriterion(torch.zeros(3)):updateOutput("
                         "torch.zeros(3), 'a')") == \
        "/usr/local/share/lua/5.1/nn/WeightedMSECriterion.lua:10: bad argument #1 to 'copy' (torch.*Tensor expected, got string)"
    # the same call from a script names it the same way
    assert lua_error(rt, "torch.zeros(3):copy('a')") == \
        "bad argument #1 to 'copy' (torch.*Tensor expected, got string)"


def test_named_method_error_keeps_containers_prefix(rt):
    # Add.lua's updateGradInput: self.gradInput:resizeAs(gradOutput); Tensor.c's resizeAs:
    # luaT_checkudata(L, 2, ...), whose luaT_typerror names lua_typename(L, 2) ('userdata');
    # Container.lua's rethrowErrors prepends the module's place (and appends a traceback)
    msg = lua_error(rt, "local s = nn.Sequential():add(nn.Add(3)); s:forward(torch.zeros(3))"
                        "; s:backward(torch.zeros(3), 'a')").split("\nstack traceback")[0]
    # (Add.lua:49's position inside, as the reference build prints it)
    assert msg == (P + "nn/Container.lua:67: \nIn 1 module of nn.Sequential:\n"
                   + P + "nn/Add.lua:49: bad argument #1 to 'resizeAs' "
                   "(torch.DoubleTensor expected, got userdata)")


def test_torch_function_keeps_question_mark(rt):
    # TensorMath's torch.xxx dispatchers lua_call the method: LuaJIT finds no name ('?')
    msg = lua_error(rt, "torch.cmul(torch.zeros(3), 'a')")
    assert "'cmul'" not in msg


def test_nngraph_call_replaces_module_and_criterion_call(rt):
    # nngraph/init.lua: Module:__call__ asserts one argument, a Node or a table of Nodes;
    # Criterion:__call__ is nn.ModuleFromCriterion(self)(...)
    # (LuaJIT 2.1.0-beta2's assert adds its caller's position, as the reference build prints)
    assert lua_error(rt, "nn.MSECriterion():__call__(torch.zeros(3), torch.zeros(3))") == \
        P + "nngraph/init.lua:27: Use {input1, input2} to pass multiple inputs."
    assert lua_error(rt, "nn.Linear(2, 2):__call__(3)") == \
        P + "nngraph/init.lua:48: inputs[1] should be an nngraph.Node but is of type number"
    assert lua_error(rt, "nn.MSECriterion():__call__(torch.zeros(3))") == \
        P + "nngraph/init.lua:48: inputs[1] should be an nngraph.Node but is of type torch.DoubleTensor"
    assert rt.execute("return torch.typename(nn.Tanh():__call__())") == "nngraph.Node"


def test_gpu_asserts_as_gpu_lua(rt):
    # GPU.lua: assert(torch.type(device) == 'number'), assert(torch.isTypeOf(module,
    # 'nn.Module')), both without a message; accUpdateGradParameters: "Not Implemented for "
    assert lua_error(rt, "nn.GPU(nn.Linear(2, 2))") == P + "nn/GPU.lua:16: assertion failed!"
    assert lua_error(rt, "nn.GPU(3, 1)") == P + "nn/GPU.lua:20: assertion failed!"
    assert rt.execute("return nn.GPU(nn.Linear(2, 2), 1.5).device") == 1.5
    assert lua_error(rt, "nn.GPU(nn.Linear(2, 2), 1):accUpdateGradParameters()") == \
        P + "nn/GPU.lua:268: Not Implemented for nn.GPU"


def test_indexed_value_is_named_by_the_load_that_made_it(rt):
    # Decorator.lua: self.modules[1] = module stores nothing for nil; its updateOutput's
    # self.modules[1]:updateOutput(input) then indexes a nil made by t[1] (LuaJIT names none)
    for cls in ("Decorator", "Bottle", "NaN", "DontCast"):
        assert lua_error(rt, "nn.%s():updateOutput(torch.zeros(2))" % cls) == \
            "attempt to index a nil value", cls
    # Container.lua's clearState etc. loop over no modules: fine
    rt.execute("nn.Decorator():clearState(); nn.Bottle():training()")


def test_update_parameters_runs_module_lua_for_a_bad_rate(rt):
    # Module.lua: params[i]:add(-learningRate, gradParams[i]): Lua's unary minus on a string
    # that is no number, then add's cwrap check on a tensor rate (-t is a tensor)
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Linear(3, 3):updateParameters('a')") == \
        "/usr/local/share/lua/5.1/nn/Module.lua:88: attempt to perform arithmetic on local 'learningRate' (a string value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Linear(3, 3):updateParameters()") == \
        "/usr/local/share/lua/5.1/nn/Module.lua:88: attempt to perform arithmetic on local 'learningRate' (a nil value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Linear(3, 3):updateParameters(torch.FloatTensor(2))") == (
        "/usr/local/share/lua/5.1/nn/Module.lua:88: invalid arguments: DoubleTensor FloatTensor DoubleTensor \n"
        "expected arguments: *DoubleTensor* [DoubleTensor] double | "
        "*DoubleTensor* [DoubleTensor] [double] DoubleTensor")
    # a numeric string is a number to Lua's arithmetic
    rt.execute("local m = nn.Linear(3, 3); m:zeroGradParameters(); m:updateParameters('0.5')")
    # no parameters: the loop never runs
    rt.execute("nn.Tanh():updateParameters('a')")


def test_reset_stdv_and_fan_in_as_lua_computes_them(rt):
    # Linear.lua's reset: stdv = stdv * math.sqrt(3) (arithmetic on a local); `if stdv` takes
    # false as absent; TemporalSubSampling.lua: 1/math.sqrt(self.kW) with kW nil
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Linear(3, 3):reset('a')") == \
        "/usr/local/share/lua/5.1/nn/Linear.lua:23: attempt to perform arithmetic on local 'stdv' (a string value)"
    rt.execute("nn.Linear(3, 3):reset(false); nn.Linear(3, 3):reset('0.1')")
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.TemporalSubSampling(3)") == \
        "/usr/local/share/lua/5.1/nn/TemporalSubSampling.lua:24: bad argument #1 to 'sqrt' (number expected, got nil)"


def test_tensor_lua_methods_drop_trailing_nils(rt):
    # Tensor.lua's view/expand/repeatTensor read their sizes as {...} (trailing nils gone):
    # view(nil) has no form (its usage error), expand(nil)/repeatTensor(nil) index the nil
    # `tensor` argument; x:view(6, nil) is x:view(6)
    assert lua_error(rt, "torch.zeros(2, 3):view(nil)") == (
        P + "torch/Tensor.lua:456: torch.view, expected (torch.Tensor, torch.Tensor, number [, number ]*) or\n"
        " (torch.Tensor, torch.Tensor, torch.LongStorage) or\n (torch.Tensor, torch.LongStorage)"
        "\n or (torch.Tensor, number [, number ]*)")
    # (at Tensor.lua's tensor:dim() and tensor:isContiguous() lines, as the original prints)
    assert lua_error(rt, "torch.zeros(2, 3):expand(nil)") == \
        P + "torch/Tensor.lua:311: attempt to index local 'tensor' (a nil value)"
    assert lua_error(rt, "torch.zeros(2, 3):repeatTensor(nil)") == \
        P + "torch/Tensor.lua:356: attempt to index local 'tensor' (a nil value)"
    assert rt.execute("return torch.zeros(2, 3):view(6, nil):dim()") == 1


def test_thnn_calls_check_their_arguments_in_lua_order(rt):
    # MSECriterion.lua: input.THNN.MSECriterion_updateGradInput(input:cdata(), target:cdata(),
    # self.gradInput:cdata(), ...): input's THNN field (none on a LongTensor: THNN.lua sets it
    # on Float and Double only), then each :cdata(), before any C check
    assert lua_error(rt, "nn.MSECriterion():updateGradInput(torch.zeros(3))") == \
        nn_at("MSECriterion.lua:27") + "attempt to index local 'target' (a nil value)"
    assert lua_error(rt, "nn.MSECriterion():updateGradInput(torch.zeros(3), 'a')") == \
        nn_at("MSECriterion.lua:27") + "attempt to call method 'cdata' (a nil value)"
    assert lua_error(rt, "nn.MSECriterion():forward(torch.FloatTensor(3))") == \
        nn_at("MSECriterion.lua:16") + "attempt to index local 'target' (a nil value)"
    assert lua_error(rt, "nn.AbsCriterion():forward(torch.LongTensor(3), torch.LongTensor(3))") \
        == nn_at("AbsCriterion.lua:14") + "attempt to index field 'THNN' (a nil value)"
    # Tanh.lua: input.THNN.Tanh_updateGradInput(input:cdata(), gradOutput:cdata(), ...)
    assert lua_error(rt, "nn.Tanh():updateGradInput()") == \
        P + "nn/Tanh.lua:12: attempt to index local 'input' (a nil value)"
    assert lua_error(rt, "nn.Sigmoid():updateGradInput('a')") == \
        nn_at("Sigmoid.lua:12") + "attempt to index field 'THNN' (a nil value)"
    assert lua_error(rt, "nn.Tanh():updateGradInput(torch.zeros(2), {})") == \
        nn_at("Tanh.lua:14") + "attempt to call method 'cdata' (a nil value)"
    assert lua_error(rt, "nn.Tanh():forward(torch.LongTensor(2))") == \
        nn_at("Tanh.lua:4") + "attempt to index field 'THNN' (a nil value)"


def test_activation_backward_checks_its_thnn_call_first(rt):
    # Threshold.lua: self:validateParameters(); input.THNN.Threshold_updateGradInput(
    # input:cdata(), gradOutput:cdata(), ...); SoftMax.lua, LogSoftMax.lua, HardTanh.lua alike
    # (the reference's positions: the call's first line, gradOutput:cdata() two lines below)
    for m, f, line in (("nn.ReLU()", "Threshold", 32), ("nn.SoftMax()", "SoftMax", 12),
                       ("nn.LogSoftMax()", "LogSoftMax", 12), ("nn.HardTanh()", "HardTanh", 28)):
        at = "%s.lua:%d" % (f, line)
        assert lua_error(rt, "%s:updateGradInput(nil, torch.zeros(2))" % m) == \
            nn_at(at) + "attempt to index local 'input' (a nil value)", m
        assert lua_error(rt, "%s:updateGradInput(torch.zeros(2), 3)" % m) == \
            nn_at("%s.lua:%d" % (f, line + 2)) + \
            "attempt to index local 'gradOutput' (a number value)", m
        assert lua_error(rt, "%s:updateGradInput(torch.LongTensor(2), torch.zeros(2))" % m) \
            == nn_at(at) + "attempt to index field 'THNN' (a nil value)", m


def test_storage_newindex_checks_its_value(rt):
    # Storage.c's __newindex__: luaG_(checkreal)(L, 3); luaT's __newindex lua_calls it, so
    # LuaJIT names no function ('?'); a numeric string converts
    assert lua_error(rt, "local s = torch.LongStorage(2); s[1] = nil") == \
        "bad argument #3 to '?' (number expected, got nil)"
    assert lua_error(rt, "local s = torch.DoubleStorage(2); s[1] = {}") == \
        "bad argument #3 to '?' (number expected, got table)"
    assert rt.execute("local s = torch.DoubleStorage(2); s[2] = '0x10'; return s[2]") == 16
    # Replicate.lua's sz[rdim] = self.nfeatures meets the same check
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Replicate():forward(torch.zeros(2))") == \
        "bad argument #3 to '?' (number expected, got nil)"


def test_convert_find_axis_and_transpose_as_convert_lua(rt):
    # Convert.lua: shape:find(axis_char) (string.find's #2, a method call: #1 'find'; a number
    # converts); transpose: for i=1,#newShape (Lua's #), inputShape[j] = char with j nil
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Convert('bf'):findAxis(nil)") == \
        "/usr/local/share/lua/5.1/nn/Convert.lua:226: bad argument #1 to 'find' (string expected, got nil)"
    assert lua_error(rt, "nn.Convert('bf'):findAxis(3)") == "Provided shape 'bf' has no axis '3'"
    assert rt.execute("return nn.Convert('bf'):findAxis('f')") == 2
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Convert('bf'):transpose()") == \
        "/usr/local/share/lua/5.1/nn/Convert.lua:212: attempt to get length of local 'newShape' (a nil value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Convert('bf'):transpose('fx')") == "/usr/local/share/lua/5.1/nn/Convert.lua:217: table index is nil"
    assert rt.execute("return torch.type(nn.Convert('bf'):transpose('fb'))") == "nn.Transpose"
