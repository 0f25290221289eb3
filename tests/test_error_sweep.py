"""tools/error_sweep.py: no Python text reaches a Lua user, and the texts that replace it are
the ones Torch7's own code gives (each expectation below is read from the original source)."""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import error_sweep  # noqa: E402

pytest.importorskip("lupa")


from luatest import lua_error, trepl_runtime  # noqa: E402


def nn_at(where):
    """The position Lua puts before an error raised at nn/<where> (the reference's)."""
    return "/usr/local/share/lua/5.1/nn/%s: " % where


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'; require 'optim'")


def test_leak_patterns():
    assert error_sweep.is_leak("'str' object has no attribute 'dim'")
    assert error_sweep.is_leak("Module.type() takes from 1 to 3 positional arguments")
    assert error_sweep.is_leak("unsupported operand type(s) for *: 'NoneType' and 'int'")
    assert error_sweep.is_leak("<torch7py.nn.linear.Linear object at 0x7f>")
    assert not error_sweep.is_leak("attempt to call method 'dim' (a nil value)")
    assert not error_sweep.is_leak("bad argument #2 to '?' (number expected, got string)")
    assert not error_sweep.is_leak("size mismatch, m1: [2 x 5], m2: [3 x 4]")


def test_sweep_sample_has_no_leaks():
    # a sample of the sweep (a few families of each kind), as CI's guard
    import io
    out = io.StringIO()
    counts = error_sweep.run(
        only="^nn%.Linear:,^nn%.MSECriterion:,^nn%.Sequential:,^nn%.Tanh:,^torch%.CmdLine:,"
             "^optim%.ConfusionMatrix:", out=out)
    assert counts["calls"] > 500
    assert counts["leaks"] == 0, out.getvalue()


def test_python_only_methods_are_nil(rt):
    # Module.lua (nn 8726825) has no state_dict, named_parameters, load_state_dict
    assert rt.execute("return nn.Linear(2, 2).state_dict == nil")
    assert rt.execute("return nn.Module.named_parameters == nil")
    assert rt.execute("return nn.Linear(2, 2).load_state_dict == nil")
    # VolumetricAveragePooling.lua has no ceil/floor (Spatial*Pooling.lua have them)
    assert rt.execute("return nn.VolumetricAveragePooling(2, 2, 2).ceil == nil")
    assert rt.execute("return nn.SpatialMaxPooling(2, 2).ceil ~= nil")
    assert lua_error(rt, "return nn.Linear(2, 2):state_dict()") == \
        "attempt to call method 'state_dict' (a nil value)"


def test_module_texts(rt):
    # Module.lua: function Module:apply(callback) callback(self) ...
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Linear(2, 2):apply('a')") == \
        "/usr/local/share/lua/5.1/nn/Module.lua:352: attempt to call local 'callback' (a string value)"
    # Module:accUpdateGradParameters: self:accGradParameters(input, gradOutput, -lr)
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Linear(2, 2):accUpdateGradParameters(torch.zeros(2), "
                         "torch.zeros(2))") == \
        "/usr/local/share/lua/5.1/nn/Module.lua:62: attempt to perform arithmetic on local 'lr' (a nil value)"
    # Linear.lua's updateOutput: input:dim() on a string (strings index the string table)
    assert lua_error(rt, "nn.Linear(2, 2):forward('a')") == \
        "/usr/local/share/lua/5.1/nn/Linear.lua:54: attempt to call method 'dim' (a nil value)"
    # Tensor.lua's type: torch.getmetatable('torch.Bogus') is nil
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Linear(2, 2):type('a')") == "/usr/local/share/lua/5.1/torch/Tensor.lua:238: attempt to index a nil value"
    # a CUDA type without cutorch is an unknown name to Tensor.lua's type too (the reference
    # build prints this; Python's error says that the GPU backend is missing)
    assert lua_error(rt, "nn.Linear(2, 2):cuda()") == \
        "/usr/local/share/lua/5.1/torch/Tensor.lua:238: attempt to index a nil value"
    # a module holding no tensor converts to any type, as Module.lua's type does
    assert rt.execute("return torch.type(nn.SelectTable(1):cuda())") == "nn.SelectTable"
    # Module:float(...) passes its arguments to type(type, tensorCache), which takes two
    assert rt.execute("return torch.type(nn.Linear(2, 2):float(nil, 'x', 'y').weight)") == \
        "torch.FloatTensor"


def test_criterion_texts(rt):
    # MSECriterion.lua: self.output_tensor = self.output_tensor or input.new(1)
    assert lua_error(rt, "nn.MSECriterion():updateOutput('a', torch.zeros(3))") == \
        nn_at("MSECriterion.lua:13") + "attempt to call field 'new' (a nil value)"
    assert lua_error(rt, "nn.AbsCriterion():forward({}, torch.zeros(3))") == \
        nn_at("AbsCriterion.lua:13") + "attempt to call field 'new' (a nil value)"
    assert lua_error(rt, "nn.MSECriterion():updateOutput(3, torch.zeros(3))") == \
        nn_at("MSECriterion.lua:13") + "attempt to index local 'input' (a number value)"
    # a THNN module: input.THNN.Threshold_updateOutput(...) on a string
    assert lua_error(rt, "nn.Tanh():forward('a')") == \
        nn_at("Tanh.lua:4") + "attempt to index field 'THNN' (a nil value)"


def test_cmdline_texts(rt):
    # CmdLine.lua's string: for k,v in pairs(params)
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "torch.CmdLine():string('p', 'a')") == \
        "/usr/local/share/lua/5.1/torch/CmdLine.lua:147: bad argument #1 to 'pairs' (table expected, got string)"


def test_cmdline_more_texts(rt):
    # CmdLine.lua: error('option ' .. key .. ' has no default value'); io.stderr:write(msg);
    # `while i <= #arg` in parse
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "torch.CmdLine():option()") == \
        "/usr/local/share/lua/5.1/torch/CmdLine.lua:97: attempt to concatenate local 'key' (a nil value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "torch.CmdLine():option(true)") == \
        "/usr/local/share/lua/5.1/torch/CmdLine.lua:97: attempt to concatenate local 'key' (a boolean value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "torch.CmdLine():parse(3)") == \
        "/usr/local/share/lua/5.1/torch/CmdLine.lua:121: attempt to get length of local 'arg' (a number value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "torch.CmdLine():error({})") == \
        "/usr/local/share/lua/5.1/torch/CmdLine.lua:13: bad argument #1 to 'write' (string expected, got table)"


def test_optim_texts(rt):
    # ConfusionMatrix.lua's batchAdd: self._prediction:resize(predictions:size())
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "optim.ConfusionMatrix(3):batchAdd('a')") == \
        "/usr/local/share/lua/5.1/optim/ConfusionMatrix.lua:71: attempt to call method 'size' (a nil value)"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "optim.ConfusionMatrix(3):batchAdd()") == \
        "/usr/local/share/lua/5.1/optim/ConfusionMatrix.lua:71: attempt to index local 'predictions' (a nil value)"
    # Logger.lua: add's `self.nsymbols = #symbols` on the first row; style's pairs(symbols)
    # (their Logger.lua lines as the reference build prints them)
    rt.execute("SWEEP_LOG = optim.Logger(os.tmpname())")
    L = "/usr/local/share/lua/5.1/optim/Logger.lua:"
    assert lua_error(rt, "SWEEP_LOG:add(3)") == \
        L + "86: attempt to get length of local 'symbols' (a number value)"
    assert lua_error(rt, "SWEEP_LOG:style('a')") == \
        L + "115: bad argument #1 to 'pairs' (table expected, got string)"
    assert lua_error(rt, "SWEEP_LOG:setNames()") == \
        L + "70: attempt to get length of local 'names' (a nil value)"


def test_container_texts(rt):
    # Sequential.lua's backward on no modules: rethrowErrors(nil, 1, ...), whose
    # xpcall(module[funcName], ...) indexes the nil module (LuaJIT's xpcall takes arguments)
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Sequential():backward(torch.zeros(2), torch.zeros(2))") == \
        "/usr/local/share/lua/5.1/nn/Container.lua:63: attempt to index local 'module' (a nil value)"
    # Container.lua's share: self.modules[i]:share(mlp.modules[i], ...)
    assert rt.execute("local s = nn.Sequential(); return s:share('a') == s")
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Sequential():add(nn.Linear(2, 2)):share('a', 'weight')") == \
        "/usr/local/share/lua/5.1/nn/Container.lua:97: attempt to index field 'modules' (a nil value)"
    # table layers index their input: input[1]
    assert lua_error(rt, "nn.Index(1):forward(3)") == \
        nn_at("Index.lua:10") + "attempt to index local 'input' (a number value)"


def test_thnn_module_texts(rt):
    # Square.lua: input.THNN.Square_updateGradInput(input:cdata(), gradOutput:cdata(), ...)
    assert lua_error(rt, "local m = nn.Square(); m:forward(torch.zeros(3)); "
                         "m:backward(torch.zeros(3), 'a')") == \
        nn_at("Square.lua:18") + "attempt to call method 'cdata' (a nil value)"
    assert lua_error(rt, "local m = nn.Square(); m:forward(torch.zeros(3)); "
                         "m:backward(torch.zeros(3))") == \
        nn_at("Square.lua:18") + "attempt to index local 'gradOutput' (a nil value)"
    # Linear.lua's updateGradInput: self.gradInput:addmv(0, 1, self.weight:t(), gradOutput)
    assert lua_error(rt, "nn.Linear(3, 2):updateGradInput(torch.zeros(3), 'a')").startswith(
        "/usr/local/share/lua/5.1/nn/Linear.lua:84: "
        "invalid arguments: DoubleTensor number number DoubleTensor string \n")


def test_torch_hidden_and_size(rt):
    # Tensor.c (814ea4a) has no unsqueeze, numpy or tolist; Storage.c no type or zero
    assert rt.execute("return torch.zeros(2).unsqueeze == nil and torch.zeros(2).numpy == nil")
    assert rt.execute("return torch.DoubleStorage(2).zero == nil")
    # Tensor.c's size: a number argument gives that size, anything else the size storage
    assert rt.execute("return torch.type(torch.zeros(2, 3):size('a'))") == "torch.LongStorage"
    assert rt.execute("return torch.zeros(2, 3):size('2')") == 3


def test_lua_semantics_texts(rt):
    # luaT.c's luaT_mt__call: luaL_error(L, "%s has no call operator", luaT_typename(L, 1))
    assert lua_error(rt, "local t = torch.zeros(2); t(3)") == \
        "torch.DoubleTensor has no call operator"
    # Module.lua's apply: callback(self) with a tensor callback goes through the same __call
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Linear(2, 2):apply(torch.zeros(2))") == \
        "/usr/local/share/lua/5.1/nn/Module.lua:352: torch.DoubleTensor has no call operator"
    # CriterionTable.lua: self.criterion:updateOutput(table.unpack(input)) (lbaselib's
    # luaL_checktype(L, 1, LUA_TTABLE)), at its line 10 (the reference build prints it so)
    assert lua_error(rt, "nn.CriterionTable(nn.MSECriterion()):forward('a')") == \
        "/usr/local/share/lua/5.1/nn/CriterionTable.lua:10: bad argument #1 to 'unpack' " \
        "(table expected, got string)"
    # ZipTable.lua: for i, inTable in ipairs(inputTable)
    assert lua_error(rt, "nn.ZipTable():forward(3)") == \
        "/usr/local/share/lua/5.1/nn/ZipTable.lua:13: bad argument #1 to 'ipairs' " \
        "(table expected, got number)"
    # MapTable.lua: self:_extend(#input); a tensor's # is its size: for's limit is no number
    assert lua_error(rt, "nn.MapTable(nn.Identity()):forward(torch.zeros(2))") == \
        "/usr/local/share/lua/5.1/nn/MapTable.lua:15: 'for' limit must be a number"
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.MapTable(nn.Identity()):forward(nil)") == \
        "/usr/local/share/lua/5.1/nn/MapTable.lua:45: attempt to get length of local 'input' (a nil value)"
    # Tensor.lua's type: torch.getmetatable(type) is luaL_checkstring (at Tensor.lua:238, as
    # the original Torch7 prints it)
    assert lua_error(rt, "torch.zeros(2):type({})") == \
        "/usr/local/share/lua/5.1/torch/Tensor.lua:238: " \
        "bad argument #1 to 'getmetatable' (string expected, got table)"
    # Tensor.c's __newindex__ declines a DoubleTensor key; luaT_mt__newindex then errors
    assert lua_error(rt, "local t = torch.zeros(2); t[torch.zeros(1)] = 1") == \
        "the class torch.DoubleTensor cannot be indexed"
    # CSubTable.lua: self.output:resizeAs(input[1]) with input[1] nil (luaT_typerror reports
    # lua_typename(L, 2): 'userdata')
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.CSubTable():forward({})") == \
        "/usr/local/share/lua/5.1/nn/CSubTable.lua:10: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got userdata)"
    # Padding.lua: self.outputSize[dim] + math.abs(self.pad), abs evaluated before the sum
    # (its file:line as the reference build prints it)
    assert lua_error(rt, "nn.Padding(1):forward(torch.zeros(2))") == \
        "/usr/local/share/lua/5.1/nn/Padding.lua:22: bad argument #1 to 'abs' (number expected, got nil)"



def test_function_forms_take_lua_calls(rt):
    # Tensor.lua: torch.viewAs = Tensor.viewAs, torch.expandAs = Tensor.expandAs; a call that
    # leaves out the template runs the Lua body with nil: viewAs indexes `template`
    # (template = src = nil), expandAs indexes `tensor`
    rt.execute("x = torch.zeros(2, 3)")
    # (at Tensor.lua's lines, as the original prints them)
    T = "/usr/local/share/lua/5.1/torch/Tensor.lua:"
    assert lua_error(rt, "torch.viewAs(x)") == \
        T + "480: attempt to index local 'template' (a nil value)"
    assert lua_error(rt, "torch.expandAs(x)") == \
        T + "341: attempt to index local 'tensor' (a nil value)"
    # an extra argument is dropped, as Lua drops it
    assert rt.execute("return torch.view(x, 3, 2):size(1)") == 3
    assert rt.execute("return torch.expandAs(torch.zeros(1, 3), x, x, 'extra'):size(1)") == 2
