"""Session 19's sweep of training loops, numerics and random numbers (sw19c): scripts run
under our th and under the original Torch7; each test is one mechanism by which ours printed
something else. Every expectation is what the original Torch7 (/tmp/ref7, LuaJIT 2.1.0-beta2)
printed for the same code (its " at /PATH/FILE.c:LINE" suffixes removed, as tools/ref_diff.py
does)."""
# ruff: noqa: E501  (the original's output lines, verbatim)
from luatest import th_script


# -- the random methods called from the class table with no tensor as self --------------------
# TensorMath.lua declares uniform/normal/cauchy/logNormal/exponential/geometric/bernoulli/
# random in each type's method table with a form without self too ([Generator] [double]
# [double]: a number), so torch.DoubleTensor.uniform(3) is torch.uniform(3); rand/randn/
# randperm/multinomial have only the self form. A call matching no form is cwrap's "invalid
# arguments" listing that type's forms (not luaT_checkudata's "expected, got" text), and a
# matched form's own error (bernoulli's p) is THRandom's.

_STATIC_RANDOM = """\
torch.manualSeed(1)
local g = torch.Generator()
torch.manualSeed(g, 2)
print(pcall(torch.FloatTensor.rand, 3))
print(pcall(torch.DoubleTensor.randn, g, 2))
print(pcall(torch.LongTensor.randperm, 'x', 2))
print(pcall(torch.DoubleTensor.multinomial, nil))
print(pcall(torch.FloatTensor.uniform, nil))
print(pcall(torch.LongTensor.random, 'x', 2))
print(pcall(torch.IntTensor.geometric, 3))
print(pcall(torch.ByteTensor.bernoulli, 3))
print(pcall(torch.DoubleTensor.exponential, g, 'a'))
print(string.format('%.17g', torch.DoubleTensor.uniform(3)))
print(string.format('%.17g', torch.FloatTensor.normal(g, 2, 3)))
print(torch.LongTensor.random(3), torch.ByteTensor.random(g, 5, 9))
print(string.format('%.17g', torch.DoubleTensor.cauchy(0, 2)), string.format('%.17g', torch.FloatTensor.logNormal(g)))
print(torch.ShortTensor.geometric(0.5), torch.CharTensor.bernoulli(g))
print(torch.FloatTensor.uniform(torch.FloatTensor(2):fill(1), 2, 2))
print(pcall(torch.DoubleTensor.uniform, torch.FloatTensor(2)))
"""

_STATIC_RANDOM_OUT = "\n".join([
    'false\tinvalid arguments: number ',
    'expected arguments: *FloatTensor* [Generator] (LongStorage | dim1 [dim2...])\t',
    'false\tinvalid arguments: Generator number ',
    'expected arguments: *DoubleTensor* [Generator] (LongStorage | dim1 [dim2...])\t',
    'false\tinvalid arguments: string number ',
    'expected arguments: *LongTensor* [Generator] long\t',
    'false\tinvalid arguments: nil ',
    'expected arguments: *LongTensor* [Generator] DoubleTensor int [boolean]\t',
    'false\tinvalid arguments: nil ',
    'expected arguments: [Generator] [double] [double] | *FloatTensor* [Generator] [float] [float]\t',
    'false\tinvalid arguments: string number ',
    'expected arguments: [Generator] long long | [Generator] long | [Generator] | *LongTensor* [Generator] long long | *LongTensor* [Generator] long | *LongTensor* [Generator]\t',
    "false\tbad argument #1 to '?' (must be > 0 and < 1)\t",
    "false\tbad argument #1 to '?' (must be >= 0 and <= 1)\t",
    'false\tinvalid arguments: Generator string ',
    'expected arguments: [Generator] double | *DoubleTensor* [Generator] double\t',
    '2.165956003125757\t',
    '0.23374889762589102\t',
    '3\t6\t',
    '1.6579809477042717\t4.4854301399911112\t',
    '4\t0\t',
    ' 2',
    ' 2',
    '[torch.FloatTensor of size 2]',
    '',
    'false\tinvalid arguments: FloatTensor ',
    'expected arguments: [Generator] [double] [double] | *DoubleTensor* [Generator] [double] [double]\t',
    ""])


def test_random_methods_without_a_tensor_self(tmp_path):
    r = th_script(_STATIC_RANDOM, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _STATIC_RANDOM_OUT


# -- optim: a df/dx of another type than x, and a state table another algorithm filled ---------
# The Lua's first tensor operation on x (or x-typed state) and df/dx together fails with cwrap's
# or resizeAs's error at its line (sgd.lua:82, adam.lua:59, adagrad.lua:43, rprop.lua:93,
# lbfgs.lua:120, cg.lua:62: a config used as state keeps the last call's FloatTensor buffers);
# the numpy paths leave such calls to the Lua's own steps. A state that another algorithm
# filled is used as it is: rmsprop finds adam's m and so never makes its tmp, and indexing the
# nil field fails (adadelta's delta likewise; rprop's torch.cmul gets a nil sign).

_OPTIM_MIXED = """\
require 'optim'
local function E(f, ...) local r = {pcall(f, ...)}; if r[1] then return 'ok' end; return 'ERR ' .. (tostring(r[2]):gsub('^.-/share/lua/5.1/', ''):gsub(' at /[^ ]*%.c:%d+', '')) end
local cfg = {lbfgs = {maxIter = 2}, cg = {maxIter = 2}}
for _, a in ipairs{'sgd', 'adam', 'adagrad', 'rprop', 'lbfgs', 'cg'} do
  local x = torch.FloatTensor{1, 2}
  print(a, E(optim[a], function(z) return z:sum(), torch.DoubleTensor{0.5, -0.5} end, x, cfg[a] or {}))
  local y = torch.DoubleTensor{1, 2}
  print(a, E(optim[a], function(z) return z:sum(), torch.FloatTensor{0.5, -0.5} end, y, cfg[a] or {}))
  print(x[1], x[2], y[1], y[2])
end
for _, p in ipairs{{'adam', 'rmsprop'}, {'adagrad', 'adadelta'}, {'adadelta', 'rprop'}, {'adam', 'adamax'}} do
  local st, x = {}, torch.Tensor{1, 2}
  local f = function(z) return z:dot(z), z * 2 end
  print(p[1], p[2], E(optim[p[1]], f, x, {}, st), E(optim[p[2]], f, x, {}, st))
  print(string.format('%.17g %.17g', x[1], x[2]))
end
"""

_OPTIM_MIXED_OUT = "\n".join([
    'sgd\tERR optim/sgd.lua:82: invalid arguments: FloatTensor number DoubleTensor ',
    'expected arguments: *FloatTensor* [FloatTensor] float | *FloatTensor* [FloatTensor] [float] FloatTensor\t',
    'sgd\tERR optim/sgd.lua:82: invalid arguments: DoubleTensor number FloatTensor ',
    'expected arguments: *DoubleTensor* [DoubleTensor] double | *DoubleTensor* [DoubleTensor] [double] DoubleTensor\t',
    '1\t2\t1\t2\t',
    'adam\tERR optim/adam.lua:59: invalid arguments: FloatTensor number DoubleTensor ',
    'expected arguments: *FloatTensor* [FloatTensor] float | *FloatTensor* [FloatTensor] [float] FloatTensor\t',
    'adam\tERR optim/adam.lua:59: invalid arguments: DoubleTensor number FloatTensor ',
    'expected arguments: *DoubleTensor* [DoubleTensor] double | *DoubleTensor* [DoubleTensor] [double] DoubleTensor\t',
    '1\t2\t1\t2\t',
    "adagrad\tERR optim/adagrad.lua:43: bad argument #1 to 'resizeAs' (torch.FloatTensor expected, got torch.DoubleTensor)\t",
    "adagrad\tERR optim/adagrad.lua:43: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)\t",
    '1\t2\t1\t2\t',
    'rprop\tERR optim/rprop.lua:93: invalid arguments: FloatTensor number DoubleTensor DoubleTensor ',
    'expected arguments: *FloatTensor* [FloatTensor] [float] FloatTensor FloatTensor\t',
    'rprop\tERR optim/rprop.lua:93: invalid arguments: DoubleTensor number FloatTensor FloatTensor ',
    'expected arguments: *DoubleTensor* [DoubleTensor] [double] DoubleTensor DoubleTensor\t',
    '1\t2\t1\t2\t',
    'lbfgs\tERR optim/lbfgs.lua:206: invalid arguments: FloatTensor number DoubleTensor ',
    'expected arguments: *FloatTensor* [FloatTensor] float | *FloatTensor* [FloatTensor] [float] FloatTensor\t',
    'lbfgs\tERR optim/lbfgs.lua:120: invalid arguments: DoubleTensor FloatTensor number nil ',
    'expected arguments: *DoubleTensor* [DoubleTensor] double | *DoubleTensor* [DoubleTensor] [double] DoubleTensor\t',
    '1\t2\t1\t2\t',
    'cg\tok\t',
    "cg\tERR optim/cg.lua:62: bad argument #1 to 'resizeAs' (torch.FloatTensor expected, got torch.DoubleTensor)\t",
    '1\t2\t1\t2\t',
    "adam\trmsprop\tok\tERR optim/rmsprop.lua:53: attempt to index field 'tmp' (a nil value)\t",
    '0.99900000015811385 1.9990000000790569\t',
    "adagrad\tadadelta\tok\tERR optim/adadelta.lua:47: attempt to index field 'delta' (a nil value)\t",
    '0.99900000000004996 1.999000000000025\t',
    'adadelta\trprop\tok\tERR invalid arguments: nil DoubleTensor DoubleTensor ',
    'expected arguments: [*DoubleTensor*] DoubleTensor DoubleTensor\t',
    '0.99683772629267131 1.996837723328043\t',
    'adam\tadamax\tok\tok\t',
    '0.99699905184152615 1.9969995261579232\t',
    ""])


def test_optim_grad_of_another_type_and_foreign_state(tmp_path):
    r = th_script(_OPTIM_MIXED, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _OPTIM_MIXED_OUT


# -- nn: a dimension or an index out of range in a layer's tensor call ----------------------
# TH's argument error from input:narrow/select/size/squeeze/sum, gradInput:scatter, index and
# indexAdd carries the nn file's line that made the call (Narrow.lua:24 forward, :43 backward);
# nn.Sum(0)'s forward is TH's sum error (no numpy reshape error), its backward the storage's
# bounds check of `size[dimension] = 1`; Cosine's 2D size mismatch is line 43's addmm; nn.Index
# takes a LongTensor index only, as TH's index does.

_NN_RANGE = """\
require 'nn'
local function E(f) local ok, e = pcall(f); if ok then return 'ok' end; return (tostring(e):gsub('^.-/share/lua/5.1/', ''):gsub(' at /[^ ]*%.c:%d+', '')) end
local x = torch.Tensor(2, 3):fill(1)
local g = torch.Tensor(2, 3):fill(1)
for _, m in ipairs{{'Narrow', nn.Narrow(1, 3, 2)}, {'Narrow', nn.Narrow(3, 1, 1)}, {'Select', nn.Select(3, 1)}, {'Select', nn.Select(1, 5)},
                   {'SplitTable', nn.SplitTable(3)}, {'Squeeze', nn.Squeeze(3)}, {'Sum', nn.Sum(3)}, {'Sum', nn.Sum(0)}, {'Mean', nn.Mean(-5)},
                   {'Max', nn.Max(3)}, {'Min', nn.Min(3)}, {'Cosine', nn.Cosine(7, 2)}} do
  print(m[1], 'fwd', E(function() return m[2]:forward(x) end))
  print(m[1], 'bwd', E(function() return m[2]:backward(x, g) end))
end
print(E(function() return nn.Index(1):forward({x, torch.LongTensor{3}}) end))
print(E(function() return nn.Index(1):forward({x, torch.Tensor{1}}) end))
print(E(function() return nn.Index(1):backward({x, torch.Tensor{1}}, g) end))
print(E(function() local a = nn.Add(7); a:zeroGradParameters(); return a:backward(x, g) end))
"""

_NN_RANGE_OUT = "\n".join([
    "Narrow\tfwd\tnn/Narrow.lua:24: bad argument #2 to 'narrow' (out of range)\t",
    "Narrow\tbwd\tnn/Narrow.lua:43: bad argument #2 to 'narrow' (out of range)\t",
    "Narrow\tfwd\tnn/Narrow.lua:24: bad argument #1 to 'narrow' (out of range)\t",
    "Narrow\tbwd\tnn/Narrow.lua:43: bad argument #1 to 'narrow' (out of range)\t",
    "Select\tfwd\tnn/Select.lua:12: bad argument #1 to 'select' (out of range)\t",
    "Select\tbwd\tnn/Select.lua:22: bad argument #1 to 'select' (out of range)\t",
    "Select\tfwd\tnn/Select.lua:12: bad argument #2 to 'select' (out of range)\t",
    "Select\tbwd\tnn/Select.lua:22: bad argument #2 to 'select' (out of range)\t",
    "SplitTable\tfwd\tnn/SplitTable.lua:21: bad argument #1 to 'size' (dimension 3 out of range of 2D tensor)\t",
    "SplitTable\tbwd\tnn/SplitTable.lua:33: bad argument #1 to 'size' (dimension 3 out of range of 2D tensor)\t",
    "Squeeze\tfwd\tnn/Squeeze.lua:25: bad argument #1 to 'squeeze' (dimension out of range)\t",
    'Squeeze\tbwd\tok\t',
    'Sum\tfwd\tnn/Sum.lua:24: dimension exceeds input dimensions\t',
    'Sum\tbwd\tnn/Sum.lua:24: dimension exceeds input dimensions\t',
    "Sum\tfwd\tnn/Sum.lua:33: bad argument #1 to 'sum' (dimension 0 out of range)\t",
    "Sum\tbwd\tbad argument #2 to '?' (out of bounds)\t",
    "Mean\tfwd\tnn/Sum.lua:33: bad argument #1 to 'sum' (dimension -2 out of range)\t",
    "Mean\tbwd\tbad argument #2 to '?' (out of bounds)\t",
    "Max\tfwd\tbad argument #2 to '?' (dimension 3 out of range)\t",
    "Max\tbwd\tnn/Max.lua:53: bad argument #1 to 'scatter' (Index dimension is out of bounds)\t",
    "Min\tfwd\tbad argument #2 to '?' (dimension 3 out of range)\t",
    "Min\tbwd\tnn/Min.lua:53: bad argument #1 to 'scatter' (Index dimension is out of bounds)\t",
    'Cosine\tfwd\tnn/Cosine.lua:43: size mismatch, m1: [2 x 3], m2: [7 x 2]\t',
    'Cosine\tbwd\ttorch/Tensor.lua:317: the number of dimensions provided must equal tensor:dim()\t',
    'nn/Index.lua:12: index out of range\t',
    "nn/Index.lua:12: bad argument #3 to 'index' (torch.LongTensor expected, got torch.DoubleTensor)\t",
    "nn/Index.lua:23: bad argument #2 to 'indexAdd' (torch.LongTensor expected, got torch.DoubleTensor)\t",
    'nn/Add.lua:63: size mismatch, [3 x 2], [1]\t',
    ""])


def test_nn_out_of_range_dimensions_carry_the_layer_line(tmp_path):
    r = th_script(_NN_RANGE, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _NN_RANGE_OUT


# -- Tensor.lua's type converters called from a class table with no tensor as self -------------
# torch.FloatTensor.byte(3) runs Tensor.lua's `return self:type('torch.ByteTensor')`: indexing
# a number, nil or boolean self fails at that line ("local 'self'"), a string's or a table's
# type method is nil; Tensor.type(self) returns torch.typename(self), nil, without a type name,
# and with one fails at self:nElement() once the new tensor is made (line 239).

_TYPE_NO_SELF = """\
local function E(f, ...) local r = {pcall(f, ...)}; if r[1] then return 'ok', tostring(r[2]) end; return (tostring(r[2]):gsub('^.-/share/lua/5.1/', '')) end
for _, k in ipairs{'byte', 'char', 'short', 'int', 'long', 'float', 'double', 'real', 'type', 'typeAs'} do
  print(k, E(torch.FloatTensor[k], 3))
  print(k, E(torch.FloatTensor[k], nil))
  print(k, E(torch.FloatTensor[k], 'abc'))
  print(k, E(torch.FloatTensor[k], {}))
  print(k, E(torch.FloatTensor[k], true))
end
print(E(torch.DoubleTensor.type, 3, 'torch.FloatTensor'))
print(E(torch.DoubleTensor.type, 3, 'torch.NoTensor'))
print(E(torch.DoubleTensor.type, 'x', 'torch.FloatTensor'))
print(E(torch.DoubleTensor.typeAs, 3, torch.FloatTensor()))
print(E(torch.DoubleTensor.typeAs, 'x', torch.FloatTensor()))
print(E(torch.DoubleTensor.typeAs, 'x', 3))
print(torch.type(torch.DoubleTensor.float(torch.IntTensor{1, 2})))
print(torch.IntTensor.type(torch.FloatTensor{1.5}))
"""

_TYPE_NO_SELF_OUT = "\n".join([
    "byte\ttorch/Tensor.lua:253: attempt to index local 'self' (a number value)\t",
    "byte\ttorch/Tensor.lua:253: attempt to index local 'self' (a nil value)\t",
    "byte\ttorch/Tensor.lua:253: attempt to call method 'type' (a nil value)\t",
    "byte\ttorch/Tensor.lua:253: attempt to call method 'type' (a nil value)\t",
    "byte\ttorch/Tensor.lua:253: attempt to index local 'self' (a boolean value)\t",
    "char\ttorch/Tensor.lua:257: attempt to index local 'self' (a number value)\t",
    "char\ttorch/Tensor.lua:257: attempt to index local 'self' (a nil value)\t",
    "char\ttorch/Tensor.lua:257: attempt to call method 'type' (a nil value)\t",
    "char\ttorch/Tensor.lua:257: attempt to call method 'type' (a nil value)\t",
    "char\ttorch/Tensor.lua:257: attempt to index local 'self' (a boolean value)\t",
    "short\ttorch/Tensor.lua:261: attempt to index local 'self' (a number value)\t",
    "short\ttorch/Tensor.lua:261: attempt to index local 'self' (a nil value)\t",
    "short\ttorch/Tensor.lua:261: attempt to call method 'type' (a nil value)\t",
    "short\ttorch/Tensor.lua:261: attempt to call method 'type' (a nil value)\t",
    "short\ttorch/Tensor.lua:261: attempt to index local 'self' (a boolean value)\t",
    "int\ttorch/Tensor.lua:265: attempt to index local 'self' (a number value)\t",
    "int\ttorch/Tensor.lua:265: attempt to index local 'self' (a nil value)\t",
    "int\ttorch/Tensor.lua:265: attempt to call method 'type' (a nil value)\t",
    "int\ttorch/Tensor.lua:265: attempt to call method 'type' (a nil value)\t",
    "int\ttorch/Tensor.lua:265: attempt to index local 'self' (a boolean value)\t",
    "long\ttorch/Tensor.lua:269: attempt to index local 'self' (a number value)\t",
    "long\ttorch/Tensor.lua:269: attempt to index local 'self' (a nil value)\t",
    "long\ttorch/Tensor.lua:269: attempt to call method 'type' (a nil value)\t",
    "long\ttorch/Tensor.lua:269: attempt to call method 'type' (a nil value)\t",
    "long\ttorch/Tensor.lua:269: attempt to index local 'self' (a boolean value)\t",
    "float\ttorch/Tensor.lua:273: attempt to index local 'self' (a number value)\t",
    "float\ttorch/Tensor.lua:273: attempt to index local 'self' (a nil value)\t",
    "float\ttorch/Tensor.lua:273: attempt to call method 'type' (a nil value)\t",
    "float\ttorch/Tensor.lua:273: attempt to call method 'type' (a nil value)\t",
    "float\ttorch/Tensor.lua:273: attempt to index local 'self' (a boolean value)\t",
    "double\ttorch/Tensor.lua:277: attempt to index local 'self' (a number value)\t",
    "double\ttorch/Tensor.lua:277: attempt to index local 'self' (a nil value)\t",
    "double\ttorch/Tensor.lua:277: attempt to call method 'type' (a nil value)\t",
    "double\ttorch/Tensor.lua:277: attempt to call method 'type' (a nil value)\t",
    "double\ttorch/Tensor.lua:277: attempt to index local 'self' (a boolean value)\t",
    "real\ttorch/Tensor.lua:285: attempt to index local 'self' (a number value)\t",
    "real\ttorch/Tensor.lua:285: attempt to index local 'self' (a nil value)\t",
    "real\ttorch/Tensor.lua:285: attempt to call method 'type' (a nil value)\t",
    "real\ttorch/Tensor.lua:285: attempt to call method 'type' (a nil value)\t",
    "real\ttorch/Tensor.lua:285: attempt to index local 'self' (a boolean value)\t",
    'type\tok\tnil\t',
    'type\tok\tnil\t',
    'type\tok\tnil\t',
    'type\tok\tnil\t',
    'type\tok\tnil\t',
    "typeAs\ttorch/Tensor.lua:249: attempt to index local 'self' (a number value)\t",
    "typeAs\ttorch/Tensor.lua:249: attempt to index local 'self' (a nil value)\t",
    "typeAs\ttorch/Tensor.lua:249: attempt to index local 'tensor' (a nil value)\t",
    "typeAs\ttorch/Tensor.lua:249: attempt to index local 'tensor' (a nil value)\t",
    "typeAs\ttorch/Tensor.lua:249: attempt to index local 'self' (a boolean value)\t",
    "torch/Tensor.lua:239: attempt to index local 'self' (a number value)\t",
    'torch/Tensor.lua:238: attempt to index a nil value\t',
    "torch/Tensor.lua:239: attempt to call method 'nElement' (a nil value)\t",
    "torch/Tensor.lua:249: attempt to index local 'self' (a number value)\t",
    "torch/Tensor.lua:249: attempt to call method 'type' (a nil value)\t",
    "torch/Tensor.lua:249: attempt to index local 'tensor' (a number value)\t",
    'torch.FloatTensor\t',
    'torch.FloatTensor\t',
    ""])


def test_type_converters_without_a_tensor_self(tmp_path):
    r = th_script(_TYPE_NO_SELF, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _TYPE_NO_SELF_OUT


# -- cwrap methods of one type's table called on something else ----------------------------
# TensorMath.lua declares fill/zero/numel/squeeze/zeros/ones/reshape in each type's method
# table: cwrap's check of its first argument wants that type's tensor, so
# torch.DoubleTensor.fill(3) or x.fill(aDoubleTensor, 1) on a FloatTensor x matches none of
# its forms ("invalid arguments", that type's forms), where torch7py's one base-class method
# filled any tensor or reported luaT_checkudata's "expected, got boolean".

_CWRAP_SELF = """\
local function E(f, ...) local r = {pcall(f, ...)}; if r[1] then return 'ok', (torch.isTensor(r[2]) and torch.type(r[2]) or tostring(r[2])) end; return (tostring(r[2]):gsub(' at /[^ ]*%.c:%d+', '')) end
for _, T in ipairs{'DoubleTensor', 'FloatTensor', 'ByteTensor', 'IntTensor'} do
  for _, k in ipairs{'fill', 'zero', 'numel', 'squeeze', 'zeros', 'ones', 'reshape'} do
    print(T, k, E(torch[T][k], 3))
    print(T, k, E(torch[T][k], 'a', 2))
    print(T, k, E(torch[T][k]))
    print(T, k, E(torch[T][k], torch.LongTensor(2):fill(1), 2))
    print(T, k, E(torch[T][k], torch[T](2):fill(1), 2))
  end
end
local x = torch.FloatTensor(2, 1)
print(E(x.fill, torch.DoubleTensor(2), 1))
print(x:fill(3):sum(), x:zero():sum(), x:numel(), x:squeeze():dim())
"""

_CWRAP_SELF_OUT = "\n".join([
    'DoubleTensor\tfill\tinvalid arguments: number ',
    'expected arguments: *DoubleTensor* double\t',
    'DoubleTensor\tfill\tinvalid arguments: string number ',
    'expected arguments: *DoubleTensor* double\t',
    'DoubleTensor\tfill\tinvalid arguments: no arguments provided',
    'expected arguments: *DoubleTensor* double\t',
    'DoubleTensor\tfill\tinvalid arguments: LongTensor number ',
    'expected arguments: *DoubleTensor* double\t',
    'DoubleTensor\tfill\tok\ttorch.DoubleTensor\t',
    'DoubleTensor\tzero\tinvalid arguments: number ',
    'expected arguments: *DoubleTensor*\t',
    'DoubleTensor\tzero\tinvalid arguments: string number ',
    'expected arguments: *DoubleTensor*\t',
    'DoubleTensor\tzero\tinvalid arguments: no arguments provided',
    'expected arguments: *DoubleTensor*\t',
    'DoubleTensor\tzero\tinvalid arguments: LongTensor number ',
    'expected arguments: *DoubleTensor*\t',
    'DoubleTensor\tzero\tinvalid arguments: DoubleTensor number ',
    'expected arguments: *DoubleTensor*\t',
    'DoubleTensor\tnumel\tinvalid arguments: number ',
    'expected arguments: DoubleTensor\t',
    'DoubleTensor\tnumel\tinvalid arguments: string number ',
    'expected arguments: DoubleTensor\t',
    'DoubleTensor\tnumel\tinvalid arguments: no arguments provided',
    'expected arguments: DoubleTensor\t',
    'DoubleTensor\tnumel\tinvalid arguments: LongTensor number ',
    'expected arguments: DoubleTensor\t',
    'DoubleTensor\tnumel\tinvalid arguments: DoubleTensor number ',
    'expected arguments: DoubleTensor\t',
    'DoubleTensor\tsqueeze\tinvalid arguments: number ',
    'expected arguments: [*DoubleTensor*] DoubleTensor | [*DoubleTensor*] DoubleTensor index\t',
    'DoubleTensor\tsqueeze\tinvalid arguments: string number ',
    'expected arguments: [*DoubleTensor*] DoubleTensor | [*DoubleTensor*] DoubleTensor index\t',
    'DoubleTensor\tsqueeze\tinvalid arguments: no arguments provided',
    'expected arguments: [*DoubleTensor*] DoubleTensor | [*DoubleTensor*] DoubleTensor index\t',
    'DoubleTensor\tsqueeze\tinvalid arguments: LongTensor number ',
    'expected arguments: [*DoubleTensor*] DoubleTensor | [*DoubleTensor*] DoubleTensor index\t',
    "DoubleTensor\tsqueeze\tbad argument #2 to '?' (dimension out of range)\t",
    'DoubleTensor\tzeros\tinvalid arguments: number ',
    'expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\tzeros\tinvalid arguments: string number ',
    'expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\tzeros\tinvalid arguments: no arguments provided',
    'expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\tzeros\tinvalid arguments: LongTensor number ',
    'expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\tzeros\tok\ttorch.DoubleTensor\t',
    'DoubleTensor\tones\tinvalid arguments: number ',
    'expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\tones\tinvalid arguments: string number ',
    'expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\tones\tinvalid arguments: no arguments provided',
    'expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\tones\tinvalid arguments: LongTensor number ',
    'expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\tones\tok\ttorch.DoubleTensor\t',
    'DoubleTensor\treshape\tinvalid arguments: number ',
    'expected arguments: [*DoubleTensor*] DoubleTensor (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\treshape\tinvalid arguments: string number ',
    'expected arguments: [*DoubleTensor*] DoubleTensor (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\treshape\tinvalid arguments: no arguments provided',
    'expected arguments: [*DoubleTensor*] DoubleTensor (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\treshape\tinvalid arguments: LongTensor number ',
    'expected arguments: [*DoubleTensor*] DoubleTensor (LongStorage | dim1 [dim2...])\t',
    'DoubleTensor\treshape\tok\ttorch.DoubleTensor\t',
    'FloatTensor\tfill\tinvalid arguments: number ',
    'expected arguments: *FloatTensor* float\t',
    'FloatTensor\tfill\tinvalid arguments: string number ',
    'expected arguments: *FloatTensor* float\t',
    'FloatTensor\tfill\tinvalid arguments: no arguments provided',
    'expected arguments: *FloatTensor* float\t',
    'FloatTensor\tfill\tinvalid arguments: LongTensor number ',
    'expected arguments: *FloatTensor* float\t',
    'FloatTensor\tfill\tok\ttorch.FloatTensor\t',
    'FloatTensor\tzero\tinvalid arguments: number ',
    'expected arguments: *FloatTensor*\t',
    'FloatTensor\tzero\tinvalid arguments: string number ',
    'expected arguments: *FloatTensor*\t',
    'FloatTensor\tzero\tinvalid arguments: no arguments provided',
    'expected arguments: *FloatTensor*\t',
    'FloatTensor\tzero\tinvalid arguments: LongTensor number ',
    'expected arguments: *FloatTensor*\t',
    'FloatTensor\tzero\tinvalid arguments: FloatTensor number ',
    'expected arguments: *FloatTensor*\t',
    'FloatTensor\tnumel\tinvalid arguments: number ',
    'expected arguments: FloatTensor\t',
    'FloatTensor\tnumel\tinvalid arguments: string number ',
    'expected arguments: FloatTensor\t',
    'FloatTensor\tnumel\tinvalid arguments: no arguments provided',
    'expected arguments: FloatTensor\t',
    'FloatTensor\tnumel\tinvalid arguments: LongTensor number ',
    'expected arguments: FloatTensor\t',
    'FloatTensor\tnumel\tinvalid arguments: FloatTensor number ',
    'expected arguments: FloatTensor\t',
    'FloatTensor\tsqueeze\tinvalid arguments: number ',
    'expected arguments: [*FloatTensor*] FloatTensor | [*FloatTensor*] FloatTensor index\t',
    'FloatTensor\tsqueeze\tinvalid arguments: string number ',
    'expected arguments: [*FloatTensor*] FloatTensor | [*FloatTensor*] FloatTensor index\t',
    'FloatTensor\tsqueeze\tinvalid arguments: no arguments provided',
    'expected arguments: [*FloatTensor*] FloatTensor | [*FloatTensor*] FloatTensor index\t',
    'FloatTensor\tsqueeze\tinvalid arguments: LongTensor number ',
    'expected arguments: [*FloatTensor*] FloatTensor | [*FloatTensor*] FloatTensor index\t',
    "FloatTensor\tsqueeze\tbad argument #2 to '?' (dimension out of range)\t",
    'FloatTensor\tzeros\tinvalid arguments: number ',
    'expected arguments: *FloatTensor* (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\tzeros\tinvalid arguments: string number ',
    'expected arguments: *FloatTensor* (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\tzeros\tinvalid arguments: no arguments provided',
    'expected arguments: *FloatTensor* (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\tzeros\tinvalid arguments: LongTensor number ',
    'expected arguments: *FloatTensor* (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\tzeros\tok\ttorch.FloatTensor\t',
    'FloatTensor\tones\tinvalid arguments: number ',
    'expected arguments: *FloatTensor* (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\tones\tinvalid arguments: string number ',
    'expected arguments: *FloatTensor* (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\tones\tinvalid arguments: no arguments provided',
    'expected arguments: *FloatTensor* (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\tones\tinvalid arguments: LongTensor number ',
    'expected arguments: *FloatTensor* (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\tones\tok\ttorch.FloatTensor\t',
    'FloatTensor\treshape\tinvalid arguments: number ',
    'expected arguments: [*FloatTensor*] FloatTensor (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\treshape\tinvalid arguments: string number ',
    'expected arguments: [*FloatTensor*] FloatTensor (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\treshape\tinvalid arguments: no arguments provided',
    'expected arguments: [*FloatTensor*] FloatTensor (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\treshape\tinvalid arguments: LongTensor number ',
    'expected arguments: [*FloatTensor*] FloatTensor (LongStorage | dim1 [dim2...])\t',
    'FloatTensor\treshape\tok\ttorch.FloatTensor\t',
    'ByteTensor\tfill\tinvalid arguments: number ',
    'expected arguments: *ByteTensor* unsigned char\t',
    'ByteTensor\tfill\tinvalid arguments: string number ',
    'expected arguments: *ByteTensor* unsigned char\t',
    'ByteTensor\tfill\tinvalid arguments: no arguments provided',
    'expected arguments: *ByteTensor* unsigned char\t',
    'ByteTensor\tfill\tinvalid arguments: LongTensor number ',
    'expected arguments: *ByteTensor* unsigned char\t',
    'ByteTensor\tfill\tok\ttorch.ByteTensor\t',
    'ByteTensor\tzero\tinvalid arguments: number ',
    'expected arguments: *ByteTensor*\t',
    'ByteTensor\tzero\tinvalid arguments: string number ',
    'expected arguments: *ByteTensor*\t',
    'ByteTensor\tzero\tinvalid arguments: no arguments provided',
    'expected arguments: *ByteTensor*\t',
    'ByteTensor\tzero\tinvalid arguments: LongTensor number ',
    'expected arguments: *ByteTensor*\t',
    'ByteTensor\tzero\tinvalid arguments: ByteTensor number ',
    'expected arguments: *ByteTensor*\t',
    'ByteTensor\tnumel\tinvalid arguments: number ',
    'expected arguments: ByteTensor\t',
    'ByteTensor\tnumel\tinvalid arguments: string number ',
    'expected arguments: ByteTensor\t',
    'ByteTensor\tnumel\tinvalid arguments: no arguments provided',
    'expected arguments: ByteTensor\t',
    'ByteTensor\tnumel\tinvalid arguments: LongTensor number ',
    'expected arguments: ByteTensor\t',
    'ByteTensor\tnumel\tinvalid arguments: ByteTensor number ',
    'expected arguments: ByteTensor\t',
    'ByteTensor\tsqueeze\tinvalid arguments: number ',
    'expected arguments: [*ByteTensor*] ByteTensor | [*ByteTensor*] ByteTensor index\t',
    'ByteTensor\tsqueeze\tinvalid arguments: string number ',
    'expected arguments: [*ByteTensor*] ByteTensor | [*ByteTensor*] ByteTensor index\t',
    'ByteTensor\tsqueeze\tinvalid arguments: no arguments provided',
    'expected arguments: [*ByteTensor*] ByteTensor | [*ByteTensor*] ByteTensor index\t',
    'ByteTensor\tsqueeze\tinvalid arguments: LongTensor number ',
    'expected arguments: [*ByteTensor*] ByteTensor | [*ByteTensor*] ByteTensor index\t',
    "ByteTensor\tsqueeze\tbad argument #2 to '?' (dimension out of range)\t",
    'ByteTensor\tzeros\tinvalid arguments: number ',
    'expected arguments: *ByteTensor* (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\tzeros\tinvalid arguments: string number ',
    'expected arguments: *ByteTensor* (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\tzeros\tinvalid arguments: no arguments provided',
    'expected arguments: *ByteTensor* (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\tzeros\tinvalid arguments: LongTensor number ',
    'expected arguments: *ByteTensor* (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\tzeros\tok\ttorch.ByteTensor\t',
    'ByteTensor\tones\tinvalid arguments: number ',
    'expected arguments: *ByteTensor* (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\tones\tinvalid arguments: string number ',
    'expected arguments: *ByteTensor* (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\tones\tinvalid arguments: no arguments provided',
    'expected arguments: *ByteTensor* (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\tones\tinvalid arguments: LongTensor number ',
    'expected arguments: *ByteTensor* (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\tones\tok\ttorch.ByteTensor\t',
    'ByteTensor\treshape\tinvalid arguments: number ',
    'expected arguments: [*ByteTensor*] ByteTensor (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\treshape\tinvalid arguments: string number ',
    'expected arguments: [*ByteTensor*] ByteTensor (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\treshape\tinvalid arguments: no arguments provided',
    'expected arguments: [*ByteTensor*] ByteTensor (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\treshape\tinvalid arguments: LongTensor number ',
    'expected arguments: [*ByteTensor*] ByteTensor (LongStorage | dim1 [dim2...])\t',
    'ByteTensor\treshape\tok\ttorch.ByteTensor\t',
    'IntTensor\tfill\tinvalid arguments: number ',
    'expected arguments: *IntTensor* int\t',
    'IntTensor\tfill\tinvalid arguments: string number ',
    'expected arguments: *IntTensor* int\t',
    'IntTensor\tfill\tinvalid arguments: no arguments provided',
    'expected arguments: *IntTensor* int\t',
    'IntTensor\tfill\tinvalid arguments: LongTensor number ',
    'expected arguments: *IntTensor* int\t',
    'IntTensor\tfill\tok\ttorch.IntTensor\t',
    'IntTensor\tzero\tinvalid arguments: number ',
    'expected arguments: *IntTensor*\t',
    'IntTensor\tzero\tinvalid arguments: string number ',
    'expected arguments: *IntTensor*\t',
    'IntTensor\tzero\tinvalid arguments: no arguments provided',
    'expected arguments: *IntTensor*\t',
    'IntTensor\tzero\tinvalid arguments: LongTensor number ',
    'expected arguments: *IntTensor*\t',
    'IntTensor\tzero\tinvalid arguments: IntTensor number ',
    'expected arguments: *IntTensor*\t',
    'IntTensor\tnumel\tinvalid arguments: number ',
    'expected arguments: IntTensor\t',
    'IntTensor\tnumel\tinvalid arguments: string number ',
    'expected arguments: IntTensor\t',
    'IntTensor\tnumel\tinvalid arguments: no arguments provided',
    'expected arguments: IntTensor\t',
    'IntTensor\tnumel\tinvalid arguments: LongTensor number ',
    'expected arguments: IntTensor\t',
    'IntTensor\tnumel\tinvalid arguments: IntTensor number ',
    'expected arguments: IntTensor\t',
    'IntTensor\tsqueeze\tinvalid arguments: number ',
    'expected arguments: [*IntTensor*] IntTensor | [*IntTensor*] IntTensor index\t',
    'IntTensor\tsqueeze\tinvalid arguments: string number ',
    'expected arguments: [*IntTensor*] IntTensor | [*IntTensor*] IntTensor index\t',
    'IntTensor\tsqueeze\tinvalid arguments: no arguments provided',
    'expected arguments: [*IntTensor*] IntTensor | [*IntTensor*] IntTensor index\t',
    'IntTensor\tsqueeze\tinvalid arguments: LongTensor number ',
    'expected arguments: [*IntTensor*] IntTensor | [*IntTensor*] IntTensor index\t',
    "IntTensor\tsqueeze\tbad argument #2 to '?' (dimension out of range)\t",
    'IntTensor\tzeros\tinvalid arguments: number ',
    'expected arguments: *IntTensor* (LongStorage | dim1 [dim2...])\t',
    'IntTensor\tzeros\tinvalid arguments: string number ',
    'expected arguments: *IntTensor* (LongStorage | dim1 [dim2...])\t',
    'IntTensor\tzeros\tinvalid arguments: no arguments provided',
    'expected arguments: *IntTensor* (LongStorage | dim1 [dim2...])\t',
    'IntTensor\tzeros\tinvalid arguments: LongTensor number ',
    'expected arguments: *IntTensor* (LongStorage | dim1 [dim2...])\t',
    'IntTensor\tzeros\tok\ttorch.IntTensor\t',
    'IntTensor\tones\tinvalid arguments: number ',
    'expected arguments: *IntTensor* (LongStorage | dim1 [dim2...])\t',
    'IntTensor\tones\tinvalid arguments: string number ',
    'expected arguments: *IntTensor* (LongStorage | dim1 [dim2...])\t',
    'IntTensor\tones\tinvalid arguments: no arguments provided',
    'expected arguments: *IntTensor* (LongStorage | dim1 [dim2...])\t',
    'IntTensor\tones\tinvalid arguments: LongTensor number ',
    'expected arguments: *IntTensor* (LongStorage | dim1 [dim2...])\t',
    'IntTensor\tones\tok\ttorch.IntTensor\t',
    'IntTensor\treshape\tinvalid arguments: number ',
    'expected arguments: [*IntTensor*] IntTensor (LongStorage | dim1 [dim2...])\t',
    'IntTensor\treshape\tinvalid arguments: string number ',
    'expected arguments: [*IntTensor*] IntTensor (LongStorage | dim1 [dim2...])\t',
    'IntTensor\treshape\tinvalid arguments: no arguments provided',
    'expected arguments: [*IntTensor*] IntTensor (LongStorage | dim1 [dim2...])\t',
    'IntTensor\treshape\tinvalid arguments: LongTensor number ',
    'expected arguments: [*IntTensor*] IntTensor (LongStorage | dim1 [dim2...])\t',
    'IntTensor\treshape\tok\ttorch.IntTensor\t',
    'invalid arguments: DoubleTensor number ',
    'expected arguments: *FloatTensor* float\t',
    '6\t0\t2\t1\t',
    ""])


def test_cwrap_methods_check_their_self_type(tmp_path):
    r = th_script(_CWRAP_SELF, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _CWRAP_SELF_OUT


# -- Tensor.c's index*/masked*, free/retain and FFInterface.lua's map/map2 off their own type --
# Tensor.c's index/indexAdd/.../maskedSelect check their argument count before self: another
# count is their THError naming the forms, whatever self is; free and retain luaT_checkudata
# self (torch7py's took any tensor and returned one nil); FFInterface.lua's map/map2 are Lua,
# whose checkArgument writes "bad argument #1 to 'map' (tensor expected)" whole (not a C
# function's argument error renumbered for pcall), then self:type() indexes a number self.

_TENSOR_C_SELF = """\
local x = torch.Tensor(2, 2):fill(1)
local y = torch.Tensor(3, 2):fill(2)
for _, k in ipairs{'index', 'indexAdd', 'indexCopy', 'indexFill', 'maskedCopy', 'maskedFill', 'maskedSelect', 'free', 'retain', 'map', 'map2'} do
  print(k, pcall(x[k], x, 'a'))
  print(k, pcall(torch.DoubleTensor[k], 3))
  print(k, pcall(torch.DoubleTensor[k], torch.FloatTensor(2)))
end
print(pcall(function() x:map(3, function(a, b) return a end) end))
print(pcall(function() x:map2(x, 3, function(a, b) return a end) end))
print(pcall(function() x:map(torch.FloatTensor(2, 2), function(a, b) return a end) end))
print((select(2, pcall(torch.DoubleTensor.map, 3, x)):gsub('^.-/share/lua/5.1/', '')))
print((select(2, pcall(torch.DoubleTensor.map2, 'a', x, x)):gsub('^.-/share/lua/5.1/', '')))
print(pcall(function() y:t():map(y:t(), 'nf') end))
print((select(2, pcall(y.map, y, y, 'nf')):gsub('^.-/share/lua/5.1/', '')))
"""

_TENSOR_C_SELF_OUT = "\n".join([
    'index\tfalse\ttorch.DoubleTensor, number, torch.LongTensor | torch.DoubleTensor, torch.DoubleTensor, number, torch.LongTensor expected\t',
    'index\tfalse\ttorch.DoubleTensor, number, torch.LongTensor | torch.DoubleTensor, torch.DoubleTensor, number, torch.LongTensor expected\t',
    'index\tfalse\ttorch.DoubleTensor, number, torch.LongTensor | torch.DoubleTensor, torch.DoubleTensor, number, torch.LongTensor expected\t',
    'indexAdd\tfalse\ttorch.DoubleTensor, number, torch.LongTensor, torch.DoubleTensor expected\t',
    'indexAdd\tfalse\ttorch.DoubleTensor, number, torch.LongTensor, torch.DoubleTensor expected\t',
    'indexAdd\tfalse\ttorch.DoubleTensor, number, torch.LongTensor, torch.DoubleTensor expected\t',
    'indexCopy\tfalse\ttorch.DoubleTensor, number, torch.LongTensor, torch.DoubleTensor expected\t',
    'indexCopy\tfalse\ttorch.DoubleTensor, number, torch.LongTensor, torch.DoubleTensor expected\t',
    'indexCopy\tfalse\ttorch.DoubleTensor, number, torch.LongTensor, torch.DoubleTensor expected\t',
    'indexFill\tfalse\ttorch.DoubleTensor, number, torch.LongTensor, number expected\t',
    'indexFill\tfalse\ttorch.DoubleTensor, number, torch.LongTensor, number expected\t',
    'indexFill\tfalse\ttorch.DoubleTensor, number, torch.LongTensor, number expected\t',
    'maskedCopy\tfalse\ttorch.DoubleTensor, torch.ByteTensor, torch.DoubleTensor expected\t',
    'maskedCopy\tfalse\ttorch.DoubleTensor, torch.ByteTensor, torch.DoubleTensor expected\t',
    'maskedCopy\tfalse\ttorch.DoubleTensor, torch.ByteTensor, torch.DoubleTensor expected\t',
    'maskedFill\tfalse\ttorch.DoubleTensor, torch.ByteTensor, number expected\t',
    'maskedFill\tfalse\ttorch.DoubleTensor, torch.ByteTensor, number expected\t',
    'maskedFill\tfalse\ttorch.DoubleTensor, torch.ByteTensor, number expected\t',
    "maskedSelect\tfalse\tbad argument #2 to '?' (torch.ByteTensor expected, got userdata)\t",
    'maskedSelect\tfalse\ttorch.DoubleTensor, torch.ByteTensor | torch.DoubleTensor, torch.DoubleTensor, torch.ByteTensor expected\t',
    'maskedSelect\tfalse\ttorch.DoubleTensor, torch.ByteTensor | torch.DoubleTensor, torch.DoubleTensor, torch.ByteTensor expected\t',
    'free\ttrue\t',
    "free\tfalse\tbad argument #1 to '?' (torch.DoubleTensor expected, got boolean)\t",
    "free\tfalse\tbad argument #1 to '?' (torch.DoubleTensor expected, got torch.FloatTensor)\t",
    'retain\ttrue\t',
    "retain\tfalse\tbad argument #1 to '?' (torch.DoubleTensor expected, got boolean)\t",
    "retain\tfalse\tbad argument #1 to '?' (torch.DoubleTensor expected, got torch.FloatTensor)\t",
    "map\tfalse\tbad argument #1 to 'map' (tensor expected)\t",
    "map\tfalse\tbad argument #1 to 'map' (tensor expected)\t",
    "map\tfalse\tbad argument #1 to 'map' (tensor expected)\t",
    "map2\tfalse\tbad argument #1 to 'map' (tensor expected)\t",
    "map2\tfalse\tbad argument #1 to 'map' (tensor expected)\t",
    "map2\tfalse\tbad argument #1 to 'map' (tensor expected)\t",
    "false\ts.lua:8: bad argument #1 to 'map' (tensor expected)\t",
    "false\ts.lua:9: bad argument #2 to 'map' (tensor expected)\t",
    "false\ts.lua:10: bad argument #1 to 'map' (torch.DoubleTensor expected, got torch.FloatTensor)\t",
    "torch/FFInterface.lua:150: attempt to index local 'self' (a number value)\t",
    "torch/FFInterface.lua:175: attempt to call method 'type' (a nil value)\t",
    "false\ts.lua:13: bad argument #2 to 'map' (function expected, got string)\t",
    "torch/FFInterface.lua:157: attempt to call local 'func' (a string value)\t",
    ""])


def test_tensor_c_and_ffi_methods_off_their_type(tmp_path):
    r = th_script(_TENSOR_C_SELF, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _TENSOR_C_SELF_OUT


# -- Tensor.lua's view/viewAs/expand/expandAs/repeatTensor/permute/totable off a tensor -------
# Reached through a type's table with no tensor first (torch.FloatTensor.permute(3)), each runs
# its Lua up to the line that fails, as torch.permute(3) already did: "attempt to index local
# 'tensor'" at Tensor.lua:542, totable's tensor:dim() at 528, viewAs' src.new() at 479.

_TENSOR_LUA_SELF = """\
local function E(f, ...) local r = {pcall(f, ...)}; if r[1] then return 'ok', (torch.isTensor(r[2]) and torch.type(r[2]) or type(r[2])) end; return (tostring(r[2]):gsub('^.-/share/lua/5.1/', '')) end
local x = torch.Tensor(2, 3):fill(1)
for _, k in ipairs{'view', 'viewAs', 'expand', 'expandAs', 'repeatTensor', 'permute', 'totable'} do
  print(k, E(torch.FloatTensor[k], 3))
  print(k, E(torch.FloatTensor[k], nil))
  print(k, E(torch.FloatTensor[k], 'abc', x))
  print(k, E(torch.FloatTensor[k], 3, x, x))
end
print(E(torch.FloatTensor.viewAs, x, x))
print(E(torch.DoubleTensor.permute, x, 2, 1))
print(#torch.DoubleTensor.totable(x), x:view(3, 2):size(1), x:expand(2, 3):size(2))
local r = torch.Tensor()
print(E(torch.DoubleTensor.expandAs, r, torch.Tensor(1, 3):fill(2), x))
print(E(x.repeatTensor, x, 2, 1))
"""

_TENSOR_LUA_SELF_OUT = "\n".join([
    'view\ttorch/Tensor.lua:456: torch.view, expected (torch.Tensor, torch.Tensor, number [, number ]*) or',
    ' (torch.Tensor, torch.Tensor, torch.LongStorage) or',
    ' (torch.Tensor, torch.LongStorage)',
    ' or (torch.Tensor, number [, number ]*)\t',
    'view\ttorch/Tensor.lua:456: torch.view, expected (torch.Tensor, torch.Tensor, number [, number ]*) or',
    ' (torch.Tensor, torch.Tensor, torch.LongStorage) or',
    ' (torch.Tensor, torch.LongStorage)',
    ' or (torch.Tensor, number [, number ]*)\t',
    'view\ttorch/Tensor.lua:456: torch.view, expected (torch.Tensor, torch.Tensor, number [, number ]*) or',
    ' (torch.Tensor, torch.Tensor, torch.LongStorage) or',
    ' (torch.Tensor, torch.LongStorage)',
    ' or (torch.Tensor, number [, number ]*)\t',
    'view\ttorch/Tensor.lua:456: torch.view, expected (torch.Tensor, torch.Tensor, number [, number ]*) or',
    ' (torch.Tensor, torch.Tensor, torch.LongStorage) or',
    ' (torch.Tensor, torch.LongStorage)',
    ' or (torch.Tensor, number [, number ]*)\t',
    "viewAs\ttorch/Tensor.lua:479: attempt to index local 'src' (a number value)\t",
    "viewAs\ttorch/Tensor.lua:479: attempt to index local 'src' (a nil value)\t",
    "viewAs\ttorch/Tensor.lua:479: attempt to call field 'new' (a nil value)\t",
    "viewAs\ttorch/Tensor.lua:475: attempt to index local 'result' (a number value)\t",
    "expand\ttorch/Tensor.lua:311: attempt to index local 'tensor' (a nil value)\t",
    "expand\ttorch/Tensor.lua:311: attempt to index local 'tensor' (a nil value)\t",
    'expand\ttorch/Tensor.lua:317: the number of dimensions provided must equal tensor:dim()\t',
    "expand\tbad argument #3 to '?' (number expected, got userdata)\t",
    "expandAs\ttorch/Tensor.lua:341: attempt to index local 'result' (a number value)\t",
    "expandAs\ttorch/Tensor.lua:341: attempt to index local 'result' (a nil value)\t",
    "expandAs\ttorch/Tensor.lua:341: attempt to call method 'expand' (a nil value)\t",
    "expandAs\ttorch/Tensor.lua:339: attempt to index local 'result' (a number value)\t",
    "repeatTensor\ttorch/Tensor.lua:356: attempt to index local 'tensor' (a nil value)\t",
    "repeatTensor\ttorch/Tensor.lua:356: attempt to index local 'tensor' (a nil value)\t",
    'repeatTensor\ttorch/Tensor.lua:369: Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor\t',
    "repeatTensor\tbad argument #3 to '?' (number expected, got userdata)\t",
    "permute\ttorch/Tensor.lua:542: attempt to index local 'tensor' (a number value)\t",
    "permute\ttorch/Tensor.lua:542: attempt to index local 'tensor' (a nil value)\t",
    "permute\ttorch/Tensor.lua:542: attempt to call method 'dim' (a nil value)\t",
    "permute\ttorch/Tensor.lua:542: attempt to index local 'tensor' (a number value)\t",
    "totable\ttorch/Tensor.lua:528: attempt to index local 'tensor' (a number value)\t",
    "totable\ttorch/Tensor.lua:528: attempt to index local 'tensor' (a nil value)\t",
    "totable\ttorch/Tensor.lua:528: attempt to call method 'dim' (a nil value)\t",
    "totable\ttorch/Tensor.lua:528: attempt to index local 'tensor' (a number value)\t",
    'ok\ttorch.DoubleTensor\t',
    'ok\ttorch.DoubleTensor\t',
    '2\t3\t3\t',
    'ok\ttorch.DoubleTensor\t',
    'ok\ttorch.DoubleTensor\t',
    ""])


def test_tensor_lua_methods_without_a_tensor_first(tmp_path):
    r = th_script(_TENSOR_LUA_SELF, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _TENSOR_LUA_SELF_OUT


# FFInterface.lua's apply starts with self:isContiguous(): no tensor as self fails there (130).

_APPLY_SELF = """\
print((select(2, pcall(torch.DoubleTensor.apply, 3)):gsub('^.-/share/lua/5.1/', '')))
print((select(2, pcall(torch.FloatTensor.apply, 'x', print)):gsub('^.-/share/lua/5.1/', '')))
print((select(2, pcall(torch.FloatTensor.apply)):gsub('^.-/share/lua/5.1/', '')))
local x = torch.Tensor(2, 2):fill(1)
print((select(2, pcall(x.apply, x, 'nf')):gsub('^.-/share/lua/5.1/', '')))
print(pcall(function() x:t():apply('nf') end))
print(x:apply(function(v) return v + 1 end):sum())
"""

_APPLY_SELF_OUT = "\n".join([
    "torch/FFInterface.lua:130: attempt to index local 'self' (a number value)\t",
    "torch/FFInterface.lua:130: attempt to call method 'isContiguous' (a nil value)\t",
    "torch/FFInterface.lua:130: attempt to index local 'self' (a nil value)\t",
    "torch/FFInterface.lua:133: attempt to call local 'func' (a string value)\t",
    "false\ts.lua:6: bad argument #1 to 'apply' (function expected, got string)\t",
    '8\t',
    ""])


def test_apply_without_a_tensor_self(tmp_path):
    r = th_script(_APPLY_SELF, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _APPLY_SELF_OUT
