"""Where an error raised in a port of Torch7's Lua says it was raised (LuaJIT's positions).

Each expectation is what the reference Torch7 (built from the goldens' commits: nn 8726825,
optim a5ceed7, torch7 814ea4a) printed for the same chunk, run as `loadstring(code,
'=(command line)')` under pcall; the rule each one pins down is named beside it."""
import pytest

pytest.importorskip("lupa")

from luatest import trepl_runtime  # noqa: E402

NN = "/usr/local/share/lua/5.1/nn/"
OPTIM = "/usr/local/share/lua/5.1/optim/"
CMD = "(command line):1: "
SIZE5 = ("inconsistent tensor size, expected r_ [], t [] and src [5] to have the same number "
         "of elements, but got 0, 0 and 5 elements respectively")


@pytest.fixture(scope="module")
def rt():
    return trepl_runtime("require 'nn'; require 'optim'")


def run(rt, code):
    """The message of the error `code` raises, run as the script's chunk '(command line)'."""
    ok, msg = rt.execute("local f = loadstring(%r, '=(command line)'); return pcall(f)" % code)
    assert ok is False, msg
    return msg


CASES = [
    # a C function tail-called by a Lua method (Exp's `return self.gradInput:cmul(...)`): its
    # error names the line that called the method: Module:backward's line 31, or the chunk's
    ("nn.Exp():backward(torch.zeros(3), torch.zeros(5))", NN + "Module.lua:31: " + SIZE5),
    ("nn.Exp():updateGradInput(torch.zeros(3), torch.zeros(5))", CMD + SIZE5),
    # ... through Module:forward's own tail call: the chunk's line
    ("nn.Exp():forward('a')", CMD + "invalid arguments: DoubleTensor string \n"
     "expected arguments: *DoubleTensor* [DoubleTensor] | double"),
    # luaT_mt__newindex's own error (a key that Tensor.c's __newindex__ declines): the
    # assigning line's position
    ("local t = torch.zeros(2); t[true] = 1",
     CMD + "the class torch.DoubleTensor cannot be indexed"),
    # one failing line per method: Module:replace, Container:applyToModules
    ("nn.Linear(2, 2):replace('a')",
     NN + "Module.lua:422: attempt to call local 'callback' (a string value)"),
    ("nn.Sequential():add(nn.Tanh()):applyToModules('a')",
     NN + "Container.lua:73: attempt to call local 'func' (a string value)"),
    ("nn.Sequential():add(nn.Tanh()):insert(torch.zeros(2), 'a')",
     NN + "Sequential.lua:18: attempt to compare number with string"),
    # C called by C (luaT's __call of a tensor class, its storage's __index/__newindex, a
    # tensor type's function under torch.max's dispatcher): no position
    ("nn.Add('a')", "bad argument #1 to '?' (expecting number or torch.DoubleTensor or "
     "torch.DoubleStorage)"),
    ("optim.ConfusionMatrix()", "bad argument #1 to '?' (expecting number or "
     "torch.LongTensor or torch.LongStorage)"),
    ("nn.UpSampling(2):setSize(torch.zeros(3))", "bad argument #2 to '?' (out of bounds)"),
    ("nn.Replicate():forward(torch.zeros(2))", "bad argument #3 to '?' (number expected, got nil)"),
    ("nn.Max(1):forward('a')", "invalid arguments: DoubleTensor LongTensor string number \n"
     "expected arguments: DoubleTensor | [*DoubleTensor*] [*LongTensor*] DoubleTensor index"),
    ("optim.ConfusionMatrix(3):batchAdd(torch.zeros(2, 3), torch.zeros(3))",
     "inconsistent tensor size, expected src [2] and mask [3] to have the same number of "
     "elements, but got 2 and 3 elements respectively"),
    # Concat.lua's backward and accGradParameters
    ("nn.Concat(1):add(nn.Linear(2, 2)):backward()", NN + "Concat.lua:87: bad argument #1 to "
     "'resizeAs' (torch.DoubleTensor expected, got userdata)"),
    ("nn.Concat(1):add(nn.Linear(2, 2)):backward(torch.zeros(3))",
     NN + "Concat.lua:92: attempt to index local 'gradOutput' (a nil value)"),
    ("nn.Concat(1):add(nn.Linear(2, 2)):accGradParameters(1)",
     NN + "Concat.lua:120: attempt to index local 'gradOutput' (a nil value)"),
    # utils.lua's recursiveType: tensorCache[param] (49), the storage's entry (58), or for a
    # tensor without a storage (the empty output of pairs' first field) tensorCache[param] = .
    ("nn.Linear(2, 2):float('a')",
     NN + "utils.lua:58: attempt to index local 'tensorCache' (a string value)"),
    ("nn.Sequential():add(nn.Linear(2, 2)):float('a')",
     NN + "utils.lua:68: attempt to index local 'tensorCache' (a string value)"),
    ("nn.Linear(2, 2):type(1, 2)",
     NN + "utils.lua:49: attempt to index local 'tensorCache' (a number value)"),
    # ClassNLLCriterion.lua: torch.typename(nil):find on the number target's line or the
    # elseif's; THNN's C errors and FFI conversions at THNN.lua:110 (C's long is int64_t)
    ("nn.ClassNLLCriterion():forward()", NN + "ClassNLLCriterion.lua:35: attempt to index a nil value"),
    ("nn.ClassNLLCriterion():forward(1, 2)",
     NN + "ClassNLLCriterion.lua:28: attempt to index a nil value"),
    ("nn.ClassNLLCriterion():backward()",
     NN + "ClassNLLCriterion.lua:63: attempt to index a nil value"),
    ("nn.ClassNLLCriterion():forward(torch.zeros(2, 2), torch.zeros(2, 2))",
     NN + "THNN.lua:110: multi-target not supported"),
    ("local c = nn.ClassNLLCriterion(); c.ignoreIndex = 'x'; c:forward(torch.Tensor(3), 1)",
     NN + "THNN.lua:110: bad argument #8 to 'v' (cannot convert 'string' to 'int64_t')"),
    ("nn.SparseLinear(3, 2):forward(torch.Tensor({{7, 1}}))",
     NN + "THNN.lua:110: index out of bound. updateOutput: 7 not between 1 and 3"),
    # optim's Lua classes
    ("optim.ConfusionMatrix(3):add(1)", OPTIM + "ConfusionMatrix.lua:39: assertion failed!"),
    ("optim.ConfusionMatrix(3):add('a')",
     OPTIM + "ConfusionMatrix.lua:52: attempt to call method 'size' (a nil value)"),
    ("local l = optim.Logger(os.tmpname()); l:setNames('a')",
     OPTIM + "Logger.lua:71: bad argument #1 to 'pairs' (table expected, got string)"),
    ("local l = optim.Logger(os.tmpname()); l:setNames{'x'}; l:add({x = 1})",
     OPTIM + "Logger.lua:110: bad argument #1 to 'insert' (table expected, got nil)"),
    # error(msg, 2): the caller's line, here the chunk's
    ("nn.Convert('bf'):findAxis(3)", CMD + "Provided shape 'bf' has no axis '3'"),
    # Tensor.lua's type of a CUDA name without cutorch, as of any unknown name
    ("nn.Linear(2, 2):cuda()",
     "/usr/local/share/lua/5.1/torch/Tensor.lua:238: attempt to index a nil value"),
    ("nn.Linear(2, 2):reset(torch.zeros(3))", NN + "Linear.lua:39: invalid arguments: "
     "DoubleTensor DoubleTensor DoubleTensor \nexpected arguments: [Generator] [double] "
     "[double] | *DoubleTensor* [Generator] [double] [double]"),
]


@pytest.mark.parametrize("code, want", CASES)
def test_positions_as_the_reference_prints_them(rt, code, want):
    assert run(rt, code) == want


def test_python_keeps_its_gpu_text():
    # the Lua layer shows Torch7's text; a Python caller still learns what is missing
    import torch7py.nn as nn
    with pytest.raises(RuntimeError, match="GPU"):
        nn.Linear(2, 2).cuda()


CMDLINE = "/usr/local/share/lua/5.1/torch/CmdLine.lua:"


@pytest.mark.parametrize("code, want", [
    # CmdLine.lua's log: io.open's check (192), pairs(params) (214); text's assert (223);
    # addTime's '[' .. name .. ']: ' (82)
    ("torch.CmdLine():log({})",
     CMDLINE + "192: bad argument #1 to 'open' (string expected, got table)"),
    ("torch.CmdLine():text(1)", CMDLINE + "223: assertion failed!"),
    ("torch.CmdLine():addTime({})",
     CMDLINE + "82: attempt to concatenate local 'name' (a table value)"),
])
def test_cmdline_positions(rt, code, want):
    assert run(rt, code) == want


@pytest.mark.parametrize("code, want", [
    # Tensor.c's __index__/__newindex__ called by name from a Lua line: luaL_argerror names
    # it (a method call counts no self) at that line; through indexing (luaT's C metamethod)
    # or a tail call, neither name nor position
    ("torch.zeros(2):__index__(5)", CMD + "bad argument #1 to '__index__' (out of range)"),
    ("torch.zeros(2):__newindex__(5, 1)", CMD + "bad argument #1 to '__newindex__' (out of range)"),
    ("local x = torch.zeros(2); return x[5]", "bad argument #2 to '?' (out of range)"),
    ("local x = torch.zeros(2); return x.__index__(x, 5)", "bad argument #2 to '?' (out of range)"),
])
def test_tensor_index_methods_by_name(rt, code, want):
    assert run(rt, code) == want


@pytest.mark.parametrize("code, want", [
    # a table layer's gradOutput[i] / input[i] of nil fails at its loop's line
    ("nn.ConcatTable():add(nn.Identity()):backward(torch.zeros(2))",
     NN + "ConcatTable.lua:66: attempt to index local 'gradOutput' (a nil value)"),
    ("nn.ConcatTable():add(nn.Identity()):accGradParameters(torch.zeros(2), 1)",
     NN + "ConcatTable.lua:88: attempt to index local 'gradOutput' (a number value)"),
    ("nn.ParallelTable():add(nn.Identity()):forward(true)",
     NN + "ParallelTable.lua:12: attempt to index local 'input' (a boolean value)"),
    ("nn.ParallelTable():add(nn.Identity()):backward({torch.zeros(2)})",
     NN + "ParallelTable.lua:19: attempt to index local 'gradOutput' (a nil value)"),
])
def test_table_layers_index_at_their_loops(rt, code, want):
    assert run(rt, code) == want


@pytest.mark.parametrize("code, want", [
    # Lua's x:m(args): x is indexed for m, the arguments are evaluated, then m is called
    ("nn.Concat(1):add(nn.Linear(2, 2)):backward(torch.zeros(2), 'a')",
     NN + "Concat.lua:92: bad argument #1 to 'size' (dimension 1 out of range of 0D tensor)"),
    # ConcatTable.lua: self.gradInput:resize(currentGradInput:size()) of a module's number
    ("nn.ConcatTable():add(nn.Identity()):backward(torch.zeros(2), torch.FloatTensor(2))",
     NN + "ConcatTable.lua:68: attempt to index local 'currentGradInput' (a number value)"),
    # Linear.lua's gradWeight:addr(scale, ...) of a string scale: cwrap's help
    ("nn.Linear(2, 2):backward(torch.zeros(2), torch.zeros(2), 'a')",
     NN + "Linear.lua:96: invalid arguments: DoubleTensor string DoubleTensor DoubleTensor \n"
     "expected arguments: *DoubleTensor~2D* [DoubleTensor~2D] [double] DoubleTensor~1D "
     "DoubleTensor~1D | *DoubleTensor~2D* double [DoubleTensor~2D] double DoubleTensor~1D "
     "DoubleTensor~1D"),
])
def test_argument_order_and_local_names(rt, code, want):
    assert run(rt, code) == want
