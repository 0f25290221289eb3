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

pytest.importorskip("lupa")

from luatest import lua_error, trepl_runtime  # noqa: E402


def nn_at(where):
    """The position Lua puts before an error raised at nn/<where> (the reference's)."""
    return "/usr/local/share/lua/5.1/nn/%s: " % where

# THNN.lua's wrapper of each THNN function (its line 110) raises THNN's errors in Torch7
THNN = "/usr/local/share/lua/5.1/nn/THNN.lua:110: "


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'")


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


def test_generator_read_write_check_the_file(rt):
    # Generator.c: luaT_checkudata(L, 2, "torch.File"); luaT_typerror names a value that is
    # no torch object by lua_typename(L, 2), 'userdata'; luaL_argerror counts a method's
    # arguments after self
    assert lua_error(rt, "torch.Generator():read('a')") == \
        "bad argument #1 to 'read' (torch.File expected, got userdata)"
    assert lua_error(rt, "torch.Generator():write(torch.zeros(2))") == \
        "bad argument #1 to 'write' (torch.File expected, got torch.DoubleTensor)"
    assert rt.execute("local f = torch.MemoryFile('rw'); local g = torch.Generator(); "
                      "g:write(f); return true")


def test_cmdline_string_runs_its_lua(rt):
    # CmdLine.lua's string: pairs(params), ignore[k], k .. sep .. v, prefix .. sep .. str
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "torch.CmdLine():string('p', 'b')") == \
        "/usr/local/share/lua/5.1/torch/CmdLine.lua:147: bad argument #1 to 'pairs' (table expected, got string)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "torch.CmdLine():string('p', {x = 1})") == \
        "/usr/local/share/lua/5.1/torch/CmdLine.lua:148: attempt to index local 'ignore' (a nil value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "local c = torch.CmdLine(); c:option('-x', 1); "
                         "c:string({}, {x = 2}, {})") == \
        "/usr/local/share/lua/5.1/torch/CmdLine.lua:186: attempt to concatenate local 'prefix' (a table value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "local c = torch.CmdLine(); c:option('-x', 1); "
                         "c:string('p', {x = {}}, {})") == \
        "/usr/local/share/lua/5.1/torch/CmdLine.lua:159: attempt to concatenate local 'v' (a table value)"
    assert rt.execute("local c = torch.CmdLine(); c:option('-x', 1); "
                      "return c:string('p', {x = 2}, {})") == "p,x=2"


def test_spatial_adaptive_max_pooling_lua_order(rt):
    # updateOutput: torch.typename(input):find(...) indexes nil for what is no torch object;
    # the THNN call converts W and H (#5, #6) to int after the tensors
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.SpatialAdaptiveMaxPooling(2, 2):forward({})") == \
        "/usr/local/share/lua/5.1/nn/SpatialAdaptiveMaxPooling.lua:12: attempt to index a nil value"
    assert lua_error(rt, "nn.SpatialAdaptiveMaxPooling():forward(torch.zeros(1, 4, 4))") == \
        THNN + "bad argument #5 to 'v' (cannot convert 'nil' to 'int')"
    # indices is set by the forward only: self.indices:cdata() before it
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.SpatialAdaptiveMaxPooling(2, 2):backward(torch.zeros(3), "
                         "torch.zeros(5))") == "/usr/local/share/lua/5.1/nn/SpatialAdaptiveMaxPooling.lua:31: attempt to index field 'indices' (a nil value)"


def test_bilinear_checks_as_its_lua(rt):
    # __assertInputGradOutput: input[1]:size(1) (a table's missing element: LuaJIT names no
    # variable), gradOutput:size(1)
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Bilinear(2, 2, 3):accGradParameters({}, torch.zeros(2, 3))") == \
        "/usr/local/share/lua/5.1/nn/Bilinear.lua:17: attempt to index a nil value"
    assert lua_error(rt, "nn.Bilinear(2, 2, 3):updateGradInput(torch.zeros(2, 2))") == \
        nn_at("Bilinear.lua:17") + "attempt to index local 'gradOutput' (a nil value)"
    assert lua_error(rt, "nn.Bilinear(2, 2, 3):reset('a')") == \
        nn_at("Bilinear.lua:49") + "standard deviation should be a positive number"


def test_distance_ratio_counts_its_table(rt):
    # assert(#input == 2): a tensor's # is its size (a LongStorage), never 2
    assert lua_error(rt, "nn.DistanceRatioCriterion():forward(torch.zeros(2, 3))") == \
        nn_at("DistanceRatioCriterion.lua:48") + "Invalid number of inputs"
    # a LongTensor has no exp (its Lua: X.new():...:mul(-1):exp())
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.DistanceRatioCriterion():forward({torch.LongTensor(2):zero(), "
                         "torch.LongTensor(2):zero()})") == \
        "/usr/local/share/lua/5.1/nn/DistanceRatioCriterion.lua:61: attempt to call method 'exp' (a nil value)"


def test_linear_weight_norm_follows_its_lua(rt):
    # initFromWeight: self.g:norm(weight, 2, 2) is the first call on the argument
    # (its file:line as the reference build prints it)
    msg = lua_error(rt, "nn.LinearWeightNorm(3, 3):initFromWeight(torch.FloatTensor(3, 3))")
    assert msg.startswith("/usr/local/share/lua/5.1/nn/LinearWeightNorm.lua:43: invalid arguments: DoubleTensor FloatTensor number number")
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.LinearWeightNorm(3, 3):initFromWeight(torch.zeros(3))") == \
        "/usr/local/share/lua/5.1/nn/LinearWeightNorm.lua:43: bad argument #2 to 'norm' (invalid dimension 2)"
    # accGradParameters: gradV:addr(scale, gradOutput, input) for a vector (addr's text)
    assert lua_error(rt, "nn.Linear(3, 3):accGradParameters(torch.zeros(3), torch.zeros(5))") \
        == ("/usr/local/share/lua/5.1/nn/Linear.lua:96: "
            "size mismatch, t: [3 x 3], vec1: [5], vec2: [3]")
    # Linear.lua's updateGradInput resizes gradInput as input first
    assert lua_error(rt, "nn.Linear(3, 3):updateGradInput(torch.FloatTensor(3))") == \
        "/usr/local/share/lua/5.1/nn/Linear.lua:79: " \
        "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)"


def test_sparse_linear_follows_its_lua(rt):
    # an empty table: the output is the bias (nbatches == 0)
    assert rt.execute("local m = nn.SparseLinear(3, 2); return m:forward({}):equal(m.bias)")
    # the table's rows are copied into formatted_input (copy's element-count check)
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.SparseLinear(3, 2):forward(torch.zeros(2, 3))").startswith(
        "/usr/local/share/lua/5.1/nn/SparseLinear.lua:82: inconsistent tensor size, expected tensor [2 x 2] and src [2 x 3]")
    # THNN's legacy check and its index check (zero values are skipped)
    assert lua_error(rt, "nn.SparseLinear(3, 2):forward(torch.zeros(2, 2, 3))") == \
        THNN + "bad argument #2 to 'v' (input size must be batchsize x nnz x 2)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.SparseLinear(3, 2):forward(torch.Tensor({{7, 1}}))") == \
        "/usr/local/share/lua/5.1/nn/THNN.lua:110: index out of bound. updateOutput: 7 not between 1 and 3"
    assert rt.execute("return nn.SparseLinear(3, 2):forward(torch.Tensor({{7, 0}})):dim()") == 1
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.SparseLinear(3, 2):accGradParameters({torch.zeros(1, 2)}, {})") \
        == "/usr/local/share/lua/5.1/nn/SparseLinear.lua:107: attempt to call field 'new' (a nil value)"


def test_thnn_call_checks_run_in_lua_order(rt):
    # SpatialConvolution.lua: assert(input.THNN, torch.type(input)..'.THNN backend not
    # imported') first
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.SpatialConvolution(1, 1, 3, 3):forward('a')") == \
        "/usr/local/share/lua/5.1/nn/SpatialConvolution.lua:77: string.THNN backend not imported"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.SpatialConvolution(1, 1, 3, 3):forward(torch.LongTensor(1, 5, 5))") \
        == "/usr/local/share/lua/5.1/nn/SpatialConvolution.lua:77: torch.LongTensor.THNN backend not imported"
    # then the call's arguments: gradOutput:cdata() before any THNN shape check
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.SpatialConvolution(1, 1, 3, 3):updateGradInput(torch.zeros(2, 3))") \
        == "/usr/local/share/lua/5.1/nn/SpatialConvolution.lua:99: attempt to index local 'gradOutput' (a nil value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.TemporalConvolution(2, 2, 3):accGradParameters(torch.zeros(3), 'a')") \
        == "/usr/local/share/lua/5.1/nn/TemporalConvolution.lua:64: attempt to call method 'cdata' (a nil value)"
    # SpatialMaxPooling.lua: torch.typename(input):find(...) indexes nil for a table
    assert lua_error(rt, "nn.SpatialMaxPooling(2, 2):forward({})") == \
        nn_at("SpatialMaxPooling.lua:33") + "attempt to index a nil value"
    # a module's tensors of another type than the input: the FFI refuses the conversion (#3)
    assert lua_error(rt, "nn.SpatialMaxPooling(2, 2):forward(torch.FloatTensor(1, 4, 4))") == \
        THNN + "bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to " \
        "'struct THFloatTensor *')"
    # a number field the FFI cannot convert (VolumetricAveragePooling's kT, #4)
    assert lua_error(rt, "local m = nn.VolumetricAveragePooling(2, 2, 2); m.kT = 'a'; "
                         "m:forward(torch.zeros(1, 4, 4, 4))") == \
        THNN + "bad argument #4 to 'v' (cannot convert 'string' to 'int')"
    # the padding layers' dimension guards (SpatialReflectionPadding.lua's error texts)
    at = "/usr/local/share/lua/5.1/nn/SpatialReflectionPadding.lua:"
    assert lua_error(rt, "nn.SpatialReflectionPadding(1, 1, 1, 1):forward(torch.zeros(3))") == \
        at + "18: input must be 3 or 4-dimensional"
    assert lua_error(rt, "nn.SpatialReflectionPadding(1, 1, 1, 1):updateGradInput("
                         "torch.zeros(1, 3, 3), torch.zeros(3))") == \
        at + "36: input and gradOutput must be 3 or 4-dimensional\n" \
        "        and have equal number of dimensions"
    # a valid call still computes
    assert rt.execute("return nn.SpatialConvolution(1, 2, 3, 3):forward(torch.zeros(1, 5, 5))"
                      ":size(1)") == 2


def test_thnn_direct_calls_skip_the_lua_checks():
    # nn/thnn.py's call is THNN's C function: its own checks only
    from torch7py.nn import thnn
    from torch7py.tensor import TorchError
    with pytest.raises(TorchError) as e:
        thnn.call("SpatialReflectionPadding_updateOutput", "torch.DoubleTensor",
                  torch.zeros(3, 3), torch.zeros(1), 1, 1, 1, 1)
    assert "3D or 4D (batch mode) tensor expected" in str(e.value)


def test_shared_update_of_a_convolution_is_modules(rt):
    # SpatialConvolution.lua defines no sharedAccUpdateGradParameters: Module.lua's runs
    # accGradParameters before updateParameters(lr), so a bad input fails before lr
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.SpatialConvolution(1, 1, 3, 3):sharedAccUpdateGradParameters("
                         "torch.zeros(1, 5, 5))") == \
        "/usr/local/share/lua/5.1/nn/SpatialConvolution.lua:118: attempt to index local 'gradOutput' (a nil value)"


def test_max_reads_what_its_lua_reads(rt):
    # Max.lua's _getPositiveDimension reads input:dim() only for a negative dimension or
    # nInputDims: torch.max(self._output, self._indices, input, dimension) sees the string
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Max(1):forward('a')").startswith(
        "invalid arguments: DoubleTensor LongTensor string number")
    # updateGradInput: nn.utils.addSingletonDimension(gradOutput, dimension) asserts
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "local m = nn.Max(1); m:forward(torch.zeros(2, 3)); "
                         "m:updateGradInput(torch.zeros(2, 3))") == "/usr/local/share/lua/5.1/nn/utils.lua:164: input tensor expected"


def test_helper_parameters_take_the_lua_name(rt):
    # a port's helper indexes its parameter (`like`): LuaJIT names the Lua method's argument
    # (Add.lua's accGradParameters indexes gradOutput)
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Add(3):accGradParameters(torch.zeros(2, 2, 2, 1, 2))") == \
        "/usr/local/share/lua/5.1/nn/Add.lua:62: attempt to index local 'gradOutput' (a nil value)"
    # CMul.lua's accGradParameters: self._input = self._input or input.new()
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.CMul(3):accGradParameters(nil, torch.zeros(3))") == \
        "/usr/local/share/lua/5.1/nn/CMul.lua:111: attempt to index local 'input' (a nil value)"


def test_lua_tensor_chains_fail_where_their_lua_does(rt):
    # Log.lua / Power.lua: self.output:resizeAs(input) first (luaL_argerror names the method)
    assert lua_error(rt, "nn.Log():forward(torch.FloatTensor(2))") == \
        nn_at("Log.lua:8") + "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)"
    # GradientReversal.lua / MulConstant.lua: self.gradInput:resizeAs(gradOutput)
    assert lua_error(rt, "nn.GradientReversal():updateGradInput(torch.zeros(2))") == \
        nn_at("GradientReversal.lua:21") + "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"
    assert lua_error(rt, "nn.MulConstant(2):forward('a')") == \
        nn_at("MulConstant.lua:20") + "bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"
    # Exp.lua: self.gradInput:cmul(self.output, gradOutput): cwrap's check of the string
    assert lua_error(rt, "local m = nn.Exp(); m:forward(torch.zeros(2)); "
                         "m:updateGradInput(torch.zeros(2), 'a')").startswith(
        "invalid arguments: DoubleTensor DoubleTensor string")


def test_view_of_a_nil_size_is_its_usage(rt):
    # Tensor.lua's view: no form takes nil (Collapse.lua's gradInput:view(gradOutput,
    # input:size()) with gradOutput nil)
    usage = lua_error(rt, "torch.Tensor():view(nil, torch.LongStorage({2, 3}))")
    assert usage.startswith("/usr/local/share/lua/5.1/torch/Tensor.lua:456: "
                            "torch.view, expected (torch.Tensor, torch.Tensor, number")
    assert lua_error(rt, "torch.Tensor():view(nil, 2, 3)") == usage


def test_mm_checks_its_pair_as_its_lua(rt):
    # MM.lua's updateGradInput: assert(#input == 2, 'input must be a pair of tensors')
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.MM():updateGradInput('a', torch.zeros(2, 2))") == \
        "/usr/local/share/lua/5.1/nn/MM.lua:52: input must be a pair of tensors"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.MM():updateGradInput(nil, torch.zeros(2, 2))") == \
        "/usr/local/share/lua/5.1/nn/MM.lua:52: attempt to get length of local 'input' (a nil value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.MM():updateGradInput({torch.zeros(2, 2), torch.zeros(2, 2)}, "
                         "torch.zeros(2, 2, 2))") == "/usr/local/share/lua/5.1/nn/MM.lua:67: first input tensor must be 3D"


def test_squeeze_unsqueeze_assert_tensors(rt):
    # Unsqueeze.lua's _assertTensor and Squeeze.lua's asserts come first
    assert lua_error(rt, "nn.Unsqueeze(1):forward('a')") == nn_at("Unsqueeze.lua:4") + "This module only works on tensor"
    assert lua_error(rt, "nn.Unsqueeze(1):updateGradInput(torch.zeros(2))") == \
        nn_at("Unsqueeze.lua:4") + "This module only works on tensor"
    assert lua_error(rt, "nn.Squeeze():updateGradInput(torch.zeros(2))") == \
        nn_at("Squeeze.lua:36") + "Squeeze only works on tensors"
    # addSingletonDimension's view:set(t:storage(), ...) of another type: Tensor.c's set,
    # c_readTensorStorageSizeStride's THArgCheck(0, 2, "expecting number or ...")
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Unsqueeze(1):forward(torch.FloatTensor(2))") == \
        "/usr/local/share/lua/5.1/nn/utils.lua:184: bad argument #1 to 'set' (expecting number or torch.DoubleTensor or " \
        "torch.DoubleStorage)"


def test_select_table_indexes_as_its_lua(rt):
    # SelectTable.lua: assert(input[index], ...) on what it is given; zeroTableCopy's pairs
    # (positions as the reference Torch7 built from nn 8726825 prints them)
    sel = "/usr/local/share/lua/5.1/nn/SelectTable.lua:"
    assert lua_error(rt, "nn.SelectTable(1):forward(nil)") == \
        sel + "17: attempt to index local 'input' (a nil value)"
    assert rt.execute("return nn.SelectTable(2):forward(torch.Tensor({5, 7}))") == 7
    assert lua_error(rt, "nn.SelectTable(1):updateGradInput('a', torch.zeros(2))") == \
        sel + "24: bad argument #1 to 'pairs' (table expected, got string)"
    # assert(self.gradInput[index]) without a message
    assert lua_error(rt, "nn.SelectTable(1):updateGradInput({}, torch.zeros(2))") == \
        "/usr/local/share/lua/5.1/nn/SelectTable.lua:55: assertion failed!"
    # Tensor.c's __index__ declines a nil key: nil
    assert rt.execute("return torch.zeros(2)[nil] == nil")


def test_loops_and_dimensions_as_lua(rt):
    # Parallel.lua: nModule = input:size(self.inputDimension) (nil: the whole size) is the
    # for loop's limit
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Parallel():forward(torch.zeros(2, 3))") == \
        "/usr/local/share/lua/5.1/nn/Parallel.lua:16: 'for' limit must be a number"
    # JoinTable.lua's _getPositiveDimension compares self.dimension first
    assert lua_error(rt, "nn.JoinTable():forward({torch.zeros(2)})") == \
        nn_at("JoinTable.lua:13") + "attempt to compare nil with number"
    assert lua_error(rt, "nn.JoinTable(1):forward(nil)") == \
        nn_at("JoinTable.lua:24") + "attempt to get length of local 'input' (a nil value)"
    assert rt.execute("return nn.JoinTable(1):forward({}):dim()") == 0


if __name__ == "__main__":
    pytest.main([__file__])
