"""Positions of errors raised under Torch7's Lua code that torch7py's ports gave without one
(found running public tutorial scripts' idioms under th and the original Torch7):

- THNN's C functions run under THNN.lua's wrapper (its line 110), so their THError texts read
  '<prefix>nn/THNN.lua:110: ...' (pooling's output-size check, PReLU's planes check, the
  unpoolings' index checks, SpatialClassNLLCriterion's weights check);
- LookupTable's `self.output:index(self.weight, 1, input)` (line 73, 75 for a matrix) names
  its line before indexSelect's 'index out of range';
- optim's algorithms are Lua: an error raised by a tensor method or by LuaJIT inside them
  carries optim/<name>.lua:<line> (a df/dx of another size, a config that is no table...).

Every expected line below is what /tmp/ref7/bin/th (the original Torch7, nn 8726825 and optim
a5ceed7) printed for the same script, its C messages' ` at <file.c>:<line>` suffix removed and
its install prefix written as torch7py's (/usr/local/share/lua/5.1/, the goldens' machine)."""
from luatest import th_script

P = "/usr/local/share/lua/5.1/"

TRY = r'''require 'nn'
require 'optim'
torch.manualSeed(1)
local function try(name, f)
  local ok, e = pcall(f)
  print(name, ok, ok and '' or (tostring(e):gsub(' at /[^ ]*%.c:%d+', '')))
end
'''


def run(tmp_path, body):
    r = th_script(TRY + body, tmp_path)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_thnn_therrors_carry_thnn_lua_110(tmp_path):
    out = run(tmp_path, r'''
try('maxpool', function() return nn.SpatialMaxPooling(4,4):forward(torch.randn(1,3,3)) end)
try('dilated', function()
  return nn.SpatialDilatedMaxPooling(3,3,1,1,0,0,2,2):forward(torch.randn(1,4,4)) end)
try('avgpool', function() return nn.SpatialAveragePooling(4,4):forward(torch.randn(1,3,3)) end)
try('prelu', function() return nn.PReLU(3):forward(torch.randn(2,4,5,5)) end)
try('unpool', function()
  local p = nn.SpatialMaxPooling(2,2); p:forward(torch.randn(1,4,4))
  local u = nn.SpatialMaxUnpooling(p); p.indices:fill(100)
  return u:forward(torch.randn(1,2,2)) end)
try('sclassnll', function()
  return nn.SpatialClassNLLCriterion(torch.ones(2)):forward(torch.randn(1,3,2,2),
                                                           torch.ones(1,2,2)) end)
''')
    w = P + "nn/THNN.lua:110: "
    assert out.splitlines() == [
        "maxpool\tfalse\t" + w + "Given input size: (1x3x3). Calculated output size: "
        "(1x0x0). Output size is too small\t",
        "dilated\tfalse\t" + w + "Given input size: (1x4x4). Calculated output size: "
        "(1x0x0). Output size is too small\t",
        "avgpool\tfalse\t" + w + "Given input size: (1x3x3). Calculated output size: "
        "(1x0x0). Output size is too small\t",
        "prelu\tfalse\t" + w + "Wrong number of input planes. Expected 3 but got 4.\t",
        "unpool\tfalse\t" + w + "found an invalid max index 99 (output volumes are of "
        "size 4x4)\t",
        "sclassnll\tfalse\t" + w + "weight tensor should be defined either for all or no "
        "classes\t",
    ]


def test_lookup_table_index_error_names_its_line(tmp_path):
    out = run(tmp_path, r'''
try('vector', function() return nn.LookupTable(5,2):forward(torch.LongTensor{6}) end)
try('matrix', function() return nn.LookupTable(5,2):forward(torch.LongTensor{{1,0}}) end)
''')
    assert out.splitlines() == [
        "vector\tfalse\t" + P + "nn/LookupTable.lua:73: index out of range\t",
        "matrix\tfalse\t" + P + "nn/LookupTable.lua:75: index out of range\t",
    ]


def test_optim_errors_carry_their_lua_line(tmp_path):
    out = run(tmp_path, r'''
local f3 = function(p) return 0, torch.zeros(3) end
for _, name in ipairs{'sgd','adam','adagrad','rmsprop','adadelta','adamax','nag','asgd','rprop'} do
  try(name, function() return optim[name](f3, torch.zeros(2), {learningRate=0.1}) end)
end
try('nesterov', function()
  return optim.sgd(function(p) return 0, torch.zeros(2) end, torch.zeros(2), {nesterov=true}) end)
try('wd', function() return optim.sgd(f3, torch.zeros(2), {weightDecay=0.5}) end)
try('lrs', function() return optim.sgd(f3, torch.zeros(2), {learningRates=torch.ones(2)}) end)
try('config', function() return optim.adam(f3, torch.zeros(2), 5) end)
try('lbfgs', function()
  return optim.lbfgs(function(p) return 1, torch.ones(2) end, torch.zeros(3)) end)
try('cg', function() return optim.cg(f3, torch.zeros(2)) end)
try('cg x', function() return optim.cg(f3, 5) end)
try('lr', function()
  return optim.sgd(function(p) return 0, p:clone() end, torch.zeros(2), {learningRate=true}) end)
''')
    # the reference's lines, verbatim (its install prefix written as P; SIZE and SAME
    # are the common parts of TH's size-check text)
    SIZE = 'inconsistent tensor size, expected '
    SAME = ' to have the same number of elements, but got '
    assert out.splitlines() == [
        'sgd\tfalse\t' + P + 'optim/sgd.lua:82: '
        + SIZE + 'r_ [2], t [2] and src [3]' + SAME + '2, 2 and 3 elements respectively\t',
        'adam\tfalse\t' + P + 'optim/adam.lua:68: '
        + SIZE + 'r_ [2], src1 [3] and src2 [3]' + SAME + '2, 3 and 3 elements respectively\t',
        'adagrad\tfalse\t' + P + 'optim/adagrad.lua:48: '
        + SIZE + 'r_ [2], src1 [3] and src2 [3]' + SAME + '2, 3 and 3 elements respectively\t',
        'rmsprop\tfalse\t' + P + 'optim/rmsprop.lua:54: '
        + SIZE + 'r_ [2], src1 [3] and src2 [3]' + SAME + '2, 3 and 3 elements respectively\t',
        'adadelta\tfalse\t' + P + 'optim/adadelta.lua:48: '
        + SIZE + 'r_ [2], t [2] and src [3]' + SAME + '2, 2 and 3 elements respectively\t',
        'adamax\tfalse\t' + P + 'optim/adamax.lua:62: '
        + SIZE + 'r_ [2], src1 [3] and src2 [1 x 3]' + SAME + '2, 3 and 3 elements respectively\t',
        'nag\tfalse\t' + P + 'optim/nag.lua:77: '
        + SIZE + 'r_ [2], t [2] and src [3]' + SAME + '2, 2 and 3 elements respectively\t',
        'asgd\tfalse\t' + P + 'optim/asgd.lua:53: '
        + SIZE + 'r_ [2], t [2] and src [3]' + SAME + '2, 2 and 3 elements respectively\t',
        'rprop\tfalse\t' + P + 'optim/rprop.lua:93: '
        + SIZE + 'r_ [2], src1 [3] and src2 [3]' + SAME + '2, 3 and 3 elements respectively\t',
        'nesterov\tfalse\t' + P + 'optim/sgd.lua:41: '
        + 'Nesterov momentum requires a momentum and zero dampening\t',
        'wd\tfalse\t' + P + 'optim/sgd.lua:48: '
        + SIZE + 'r_ [3], t [3] and src [2]' + SAME + '3, 3 and 2 elements respectively\t',
        'lrs\tfalse\t' + P + 'optim/sgd.lua:79: '
        + SIZE + 'tensor [3] and src [2]' + SAME + '3 and 2 elements respectively\t',
        'config\tfalse\t' + P + 'optim/adam.lua:28: '
        + "attempt to index local 'config' (a number value)\t",
        'lbfgs\tfalse\t' + P + 'optim/lbfgs.lua:206: '
        + SIZE + 'r_ [3], t [3] and src [2]' + SAME + '3, 3 and 2 elements respectively\t',
        'cg\tfalse\t' + P + 'optim/cg.lua:80: '
        + SIZE + 'tensor [2] and src [3]' + SAME + '2 and 3 elements respectively\t',
        'cg x\tfalse\t' + P + 'optim/cg.lua:57: '
        + "attempt to index local 'x' (a number value)\t",
        'lr\tfalse\t' + P + 'optim/sgd.lua:72: '
        + "attempt to perform arithmetic on local 'lr' (a boolean value)\t",
    ]


def test_confusion_matrix_checks_as_its_lua(tmp_path):
    """ConfusionMatrix.lua's __init makes self._mat_flat = self.mat:view(-1) (an empty matrix
    fails there); add's `assert(target:dim() == 1)` (line 60) fails indexing a nil or boolean
    target, calling dim on a string's, asserting on a matrix; type(v) == 'number' is false for
    a boolean (Python's True is an int: it was counted as class 1)."""
    out = run(tmp_path, r'''
local cm = optim.ConfusionMatrix(3)
try('zero classes', function() return optim.ConfusionMatrix(0) end)
try('empty table', function() return optim.ConfusionMatrix({}) end)
try('nil target', function() cm:add(torch.Tensor{0.1, 0.7, 0.2}) end)
try('string target', function() cm:add(torch.Tensor{0.1, 0.7, 0.2}, 'x') end)
try('boolean target', function() cm:add(torch.Tensor{0.1, 0.7, 0.2}, true) end)
try('matrix target', function() cm:add(torch.Tensor{0.1, 0.7, 0.2}, torch.ones(1, 3)) end)
try('boolean prediction', function() cm:add(true, 2) end)
print(cm.mat:sum())
''')
    # the reference's lines (its install prefix written as P)
    view = ("torch/Tensor.lua:462: bad argument #1 to 'set' (expecting number or "
            "torch.LongTensor or torch.LongStorage)\t")
    c = P + "optim/ConfusionMatrix.lua:"
    assert out.splitlines() == [
        "zero classes\tfalse\t" + P + view,
        "empty table\tfalse\t" + P + view,
        "nil target\tfalse\t" + c + "60: attempt to index local 'target' (a nil value)\t",
        "string target\tfalse\t" + c + "60: attempt to call method 'dim' (a nil value)\t",
        "boolean target\tfalse\t" + c + "60: attempt to index local 'target' (a boolean "
        "value)\t",
        "matrix target\tfalse\t" + c + "60: assertion failed!\t",
        "boolean prediction\tfalse\t" + c + "52: attempt to index local 'prediction' (a "
        "boolean value)\t",
        "0\t",
    ]


def test_stochastic_gradient_dataset_errors_name_its_lines(tmp_path):
    """StochasticGradient.lua's train calls dataset:size() at line 19 and indexes each example
    (`example[1]`) at line 32: a dataset without size, a missing example (a Python KeyError's
    text, '2', before) or one that is no table fail there with LuaJIT's messages."""
    out = run(tmp_path, r'''
local mlp = nn.Linear(2, 1)
local function sgd()
  local s = nn.StochasticGradient(mlp, nn.MSECriterion()); s.maxIteration = 1; s.verbose = false
  return s
end
try('no size', function() sgd():train({{torch.randn(2), torch.randn(1)}}) end)
try('number', function() sgd():train(5) end)
local miss = {}; function miss:size() return 2 end; miss[1] = {torch.randn(2), torch.randn(1)}
try('missing', function() sgd():train(miss) end)
local nums = {3, 4}; function nums:size() return 2 end
try('numbers', function() sgd():train(nums) end)
''')
    # the reference's lines (its install prefix written as P)
    s = P + "nn/StochasticGradient.lua:"
    assert out.splitlines() == [
        "no size\tfalse\t" + s + "19: attempt to call method 'size' (a nil value)\t",
        "number\tfalse\t" + s + "19: attempt to index local 'dataset' (a number value)\t",
        "# StochasticGradient: training\t",
        "missing\tfalse\t" + s + "32: attempt to index local 'example' (a nil value)\t",
        "# StochasticGradient: training\t",
        "numbers\tfalse\t" + s + "32: attempt to index local 'example' (a number value)\t",
    ]


def test_module_gradients_with_holes_follow_lua_tables(tmp_path):
    """Module.lua's parameters() returns {self.gradWeight, self.gradBias}: LuaJIT's # of that
    table is 2 when gradBias is set (a nil gradWeight then fails zeroGradParameters' line 79
    and flatten's `parameters[1].new`, line 242), 1 when only gradWeight is (getParameters'
    sizes then differ: its assert, line 327); flatten's other failures name lines 251/252;
    BCECriterion's size asserts are its lines 24 and 47."""
    out = run(tmp_path, r'''
local function lin(gw, gb)
  local l = nn.Linear(2,2)
  if not gw then l.gradWeight = nil end
  if not gb then l.gradBias = nil end
  return l
end
try('bce fwd', function() return nn.BCECriterion():forward(torch.rand(3), torch.rand(2)) end)
try('bce bwd', function() return nn.BCECriterion():backward(torch.rand(3), torch.rand(2)) end)
try('zg no gw', function() lin(false, true):zeroGradParameters() end)
try('zg no gb', function() lin(true, false):zeroGradParameters() end)
try('zg seq', function() nn.Sequential():add(lin(false, true)):zeroGradParameters() end)
try('gp no gw', function() return lin(false, true):getParameters() end)
try('gp no gb', function() return lin(true, false):getParameters() end)
try('flatten number', function() return nn.Module.flatten({3}) end)
try('flatten second', function() return nn.Module.flatten({torch.randn(2), 5}) end)
try('flatten empty', function() return nn.Module.flatten({torch.randn(2), torch.Tensor()}) end)
''')
    # the reference's lines (its install prefix written as P)
    m = P + "nn/Module.lua:"
    assert out.splitlines() == [
        "bce fwd\tfalse\t" + P + "nn/BCECriterion.lua:24: input and target size mismatch\t",
        "bce bwd\tfalse\t" + P + "nn/BCECriterion.lua:47: input and target size mismatch\t",
        "zg no gw\tfalse\t" + m + "79: attempt to index a nil value\t",
        "zg no gb\ttrue\t\t",
        "zg seq\tfalse\t" + m + "79: attempt to index a nil value\t",
        "gp no gw\tfalse\t" + m + "242: attempt to index a nil value\t",
        "gp no gb\tfalse\t" + m + "327: check that you are sharing parameters and "
        "gradParameters\t",
        "flatten number\tfalse\t" + m + "242: attempt to index a number value\t",
        "flatten second\tfalse\t" + m + "251: attempt to index a number value\t",
        "flatten empty\tfalse\t" + m + "252: Torch object, table, thread, cdata or function "
        "expected\t",
    ]


def test_class_nll_state_after_a_failed_forward(tmp_path):
    """THNN's ClassNLLCriterion forward zeroes output and total_weight before its target
    assertions (a matrix input: the sums of the frames before the bad one stay), and its
    backward returns, gradInput zeroed by the Lua, when total_weight is not > 0, before any
    target check: a backward after a failed forward, or with every target ignored."""
    out = run(tmp_path, r'''
local c = nn.ClassNLLCriterion()
local x = torch.Tensor{0.5, -1, 2}
try('fwd bad', function() return c:forward(x, 0) end)
print(c.output_tensor[1], c.total_weight_tensor[1])
try('bwd after', function() return c:backward(x, 0) end)
print(c.gradInput:sum())
local c2 = nn.ClassNLLCriterion(torch.Tensor{0.5, 2, 3})
local xb = torch.Tensor{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}}
try('fwd batch bad', function() return c2:forward(xb, torch.Tensor{1, 3, 9, 2}) end)
print(c2.output_tensor[1], c2.total_weight_tensor[1])
try('bwd batch', function() return c2:backward(xb, torch.Tensor{1, 3, 9, 2}) end)
local c3 = nn.ClassNLLCriterion(nil, true, 2)
try('all ignored', function() return c3:forward(xb, torch.Tensor{2, 2, 2, 2}) end)
try('bwd ignored', function() return c3:backward(xb, torch.Tensor{2, 2, 7, 2}) end)
print(c3.gradInput:sum())
''')
    # the reference's lines (its install prefix written as P)
    a = P + "nn/THNN.lua:110: Assertion `cur_target >= 0 && cur_target < n_classes' failed. \t"
    assert out.splitlines() == [
        "fwd bad\tfalse\t" + a, "0\t0\t", "bwd after\ttrue\t\t", "0\t",
        "fwd batch bad\tfalse\t" + a, "-18.5\t3.5\t", "bwd batch\tfalse\t" + a,
        "all ignored\ttrue\t\t", "bwd ignored\ttrue\t\t", "0\t",
    ]


def test_criterion_errors_name_their_lua_lines(tmp_path):
    """Criterions' Lua lines for their errors, as the original gives them: a copy of another
    size (WeightedMSECriterion.lua:10/30, HingeEmbeddingCriterion.lua:35), an assert
    (DistKLDivCriterion.lua:24), MultiMarginCriterion's torch.typename(input):find of a
    non-torch input (23, 49), MarginRankingCriterion's cmul(y) (20, its add 19), and none for a
    mask of another size (CosineEmbeddingCriterion: luaT's C __index)."""
    out = run(tmp_path, r'''
local c = nn.MultiMarginCriterion()
try('fwd str', function() return c:forward('a', 1) end)
try('bwd str', function() return c:backward('a', 1) end)
try('fwd table', function() return c:forward({}, 1) end)
try('fwd num', function() return c:forward(3, 1) end)
try('fwd ok', function() return c:forward(torch.Tensor{1, 2, 3}, 2) end)
local h = nn.HingeEmbeddingCriterion()
try('hinge fwd str', function() return h:forward('a', torch.rand(2)) end)
try('hinge bwd size', function() return h:backward(torch.rand(3), torch.rand(2)) end)
local d = nn.DistKLDivCriterion()
try('kl bwd', function() return d:backward(torch.rand(3), torch.rand(2)) end)
local w = nn.WeightedMSECriterion(torch.ones(3))
try('wmse fwd', function() return w:forward(torch.rand(3), torch.rand(2)) end)
try('wmse bwd', function() return w:backward(torch.rand(3), torch.rand(2)) end)
try('wmse weight', function() return w:forward(torch.rand(2), torch.rand(2)) end)
local mr = nn.MarginRankingCriterion()
try('mr', function() return mr:forward(torch.rand(2,2,2), torch.rand(2,2,2)) end)
try('mr add', function() return mr:forward({torch.rand(3), torch.rand(2)}, torch.rand(3)) end)
local ce = nn.CosineEmbeddingCriterion()
try('ce', function() return ce:forward({torch.rand(2,2), torch.rand(2,2)}, torch.rand(2,2,2)) end)
try('xent str', function() return nn.CrossEntropyCriterion():forward('a', 1) end)
try('simplex', function()
  local s = nn.ClassSimplexCriterion(3); return s:backward(torch.rand(3), torch.rand(2)) end)
try('autocrop', function() return nn.SpatialAutoCropMSECriterion():forward('a', torch.rand(2)) end)
''')
    # the reference's lines (its install prefix written as P)
    assert out.splitlines() == [
        'fwd str\tfalse\t' + P + 'nn/MultiMarginCriterion.lua:23: attempt to index a nil value\t',
        'bwd str\tfalse\t' + P + 'nn/MultiMarginCriterion.lua:49: attempt to index a nil value\t',
        'fwd table\tfalse\t' + P + 'nn/MultiMarginCriterion.lua:23: attempt to index a nil value\t',
        'fwd num\tfalse\t' + P + 'nn/MultiMarginCriterion.lua:23: attempt to index a nil value\t',
        'fwd ok\ttrue\t\t',
        'hinge fwd str\tfalse\t' + P + ("nn/HingeEmbeddingCriterion.lua:10: "
            "attempt to call field 'new' "
            '(a nil value)\t'),
        'hinge bwd size\tfalse\t' + P + ('nn/HingeEmbeddingCriterion.lua:35: '
            'inconsistent tensor size, '
            'expected tensor [3] and src [2] to have the same number of '
            'elements, but got 3 and 2 elements respectively\t'),
        'kl bwd\tfalse\t' + P + ('nn/DistKLDivCriterion.lua:24: input and target should have the '
            'same size\t'),
        'wmse fwd\tfalse\t' + P + ('nn/WeightedMSECriterion.lua:10: inconsistent tensor size, '
            'expected tensor [3] and src [2] to have the same number of '
            'elements, but got 3 and 2 elements respectively\t'),
        'wmse bwd\tfalse\t' + P + ('nn/WeightedMSECriterion.lua:30: inconsistent tensor size, '
            'expected tensor [3] and src [2] to have the same number of '
            'elements, but got 3 and 2 elements respectively\t'),
        'wmse weight\tfalse\t' + P + ('nn/WeightedMSECriterion.lua:16: inconsistent tensor size, '
            'expected r_ [2], t [2] and src [3] to have the same number of '
            'elements, but got 2, 2 and 3 elements respectively\t'),
        'mr\tfalse\t' + P + ('nn/MarginRankingCriterion.lua:20: inconsistent tensor size, '
            'expected r_ [2 x 2], t [2 x 2] and src [2 x 2 x 2] to have the '
            'same number of elements, but got 4, 4 and 8 elements '
            'respectively\t'),
        'mr add\tfalse\t' + P + ('nn/MarginRankingCriterion.lua:19: inconsistent tensor size, '
            'expected r_ [3], t [3] and src [2] to have the same number of '
            'elements, but got 3, 3 and 2 elements respectively\t'),
        'ce\tfalse\tinconsistent tensor size, expected src [2] and mask [2 '
        'x 2 x 2] to have the same number of elements, but got 2 and 8 '
        'elements respectively\t',
        'xent str\tfalse\t' + P + ('nn/CrossEntropyCriterion.lua:12: attempt to call method '
            "'squeeze' (a nil value)\t"),
        'simplex\ttrue\t\t',
        'autocrop\tfalse\t' + P + ('nn/SpatialAutoCropMSECriterion.lua:57: attempt to call method '
            "'dim' (a nil value)\t"),
    ]


def test_bad_gradoutputs_name_their_lua_lines(tmp_path):
    """A gradOutput that is no tensor, nil or of another size fails on the Lua line that
    first uses it (sites swept through the reference, torch7py/nn/_lua_sites.py _GRAD_SWEPT);
    JoinTable's backward runs its Lua loop for such a gradOutput (narrow at 63) instead of
    leaking Python's 'list assignment index out of range'."""
    out = run(tmp_path, r'''
local c = nn.SpatialConvolution(1,2,3,3); local x = torch.randn(1,5,5); c:forward(x)
try('conv', function() return c:backward(x, 'a') end)
local p = nn.SpatialMaxPooling(2,2); local xp = torch.randn(1,4,4); p:forward(xp)
try('pool', function() return p:backward(xp) end)
local m = nn.Mul(); local xm = torch.randn(4,3); m:forward(xm)
try('mul', function() return m:accGradParameters(xm, torch.randn(7)) end)
local bn = nn.BatchNormalization(3); local xb = torch.randn(4,3); bn:forward(xb)
try('bn', function() return bn:backward(xb, torch.randn(7)) end)
local j = nn.JoinTable(2); local xj = {torch.randn(4,3), torch.randn(4,3)}; j:forward(xj)
try('join str', function() return j:backward(xj, 'a') end)
try('join size', function() return j:backward(xj, torch.randn(7)) end)
print(j:backward(xj, torch.ones(4,6))[2]:sum())
''')
    # the reference's lines (its install prefix written as P)
    n = P + "nn/"
    assert out.splitlines() == [
        "conv\tfalse\t" + n + "SpatialConvolution.lua:99: attempt to call method 'cdata' "
        "(a nil value)\t",
        "pool\tfalse\t" + n + "SpatialMaxPooling.lua:62: attempt to index local 'gradOutput' "
        "(a nil value)\t",
        "mul\tfalse\t" + n + "Mul.lua:37: inconsistent tensor size, expected tensor [4 x 3] "
        "and src [7] to have the same number of elements, but got 12 and 7 elements "
        "respectively\t",
        "bn\tfalse\t" + n + "BatchNormalization.lua:78: only mini-batch supported (2D "
        "tensor), got 1D tensor instead\t",
        "join str\tfalse\t" + n + "JoinTable.lua:63: attempt to call method 'narrow' (a nil "
        "value)\t",
        "join size\tfalse\t" + n + "JoinTable.lua:63: bad argument #1 to 'narrow' (out of "
        "range)\t",
        "12\t",
    ]
