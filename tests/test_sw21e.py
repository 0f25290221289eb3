"""Session 21's sweep sw21e: what users see when they get an nn module wrong (every module and
criterion of nn 8726825 given wrong inputs, gradOutputs, types, targets, constructor arguments,
inside containers; /tmp/sw21e/scripts). Each test is one mechanism by which ours printed something
else. Every expected output below is what the original Torch7 (/tmp/ref7/bin/th, nn 8726825)
printed for the same script (file positions are cut to nn/<X>.lua:N by the script itself)."""
import pytest

import torch7py as torch
from torch7py.tensor import TorchError

from luatest import th_script

_PRE = r'''require 'nn'
local function clean(e)
  e = tostring(e)
  e = e:match('^(.-)\nstack traceback') or e
  e = e:gsub(' at /[^%s]*%.c:%d+', '')
  e = e:gsub('[^%s]*/share/lua/5%.1/', '')
  return e
end
local function sz(t) return torch.type(t) .. '[' .. table.concat(t:size():totable(), 'x') .. ']' end
local function try(label, f)
  local ok, r = pcall(f)
  if ok then print(label, 'ok', torch.isTensor(r) and sz(r) or (type(r) == 'table' and torch.type(r) or tostring(r))) else print(label, 'ERR', clean(r)) end
end
torch.manualSeed(1)
'''


# -- TH's binary pointwise ops resize their result as the first operand before TH_TENSOR_APPLY's
# element-count check; Exp/Log/Power/SoftSign resize gradInput as input before the line that
# meets gradOutput
_T1 = r'''-- TH's binary ops resize the result before APPLY's check
for _, op in ipairs({'cmul', 'cdiv', 'cpow', 'atan2', 'cmax'}) do
  local r = torch.Tensor(3):zero()
  try(op, function() return r[op](r, torch.ones(2, 5), torch.ones(11)) end)
  print(op, sz(r))
end
local r = torch.Tensor(3):zero()
try('add', function() return r:add(torch.ones(2, 5), 2, torch.ones(11)) end)
print('add', sz(r))
r = torch.Tensor(3):zero()
try('addcmul', function() return r:addcmul(torch.ones(2, 5):mul(3), 2, torch.ones(11), torch.ones(10)) end)
print('addcmul', sz(r), r:sum())
-- Exp, Log, Power, SoftSign: gradInput sized as input before gradOutput fails
for _, m in ipairs({nn.Exp(), nn.Log(), nn.Power(2), nn.SoftSign()}) do
  local x = torch.rand(2, 5)
  m:forward(x)
  try(torch.type(m), function() return m:backward(x, torch.rand(11)) end)
  print(torch.type(m), sz(m.gradInput))
end
'''
_T1_OUT = "\n".join([
    'cmul\tERR\tinconsistent tensor size, expected r_ [2 x 5], t [2 x 5] and src [11] to have the same number of elements, but got 10, 10 and 11 elements respectively\t',
    'cmul\ttorch.DoubleTensor[2x5]\t',
    'cdiv\tERR\tinconsistent tensor size, expected r_ [2 x 5], t [2 x 5] and src [11] to have the same number of elements, but got 10, 10 and 11 elements respectively\t',
    'cdiv\ttorch.DoubleTensor[2x5]\t',
    'cpow\tERR\tinconsistent tensor size, expected r_ [2 x 5], t [2 x 5] and src [11] to have the same number of elements, but got 10, 10 and 11 elements respectively\t',
    'cpow\ttorch.DoubleTensor[2x5]\t',
    'atan2\tERR\tinconsistent tensor size, expected r_ [2 x 5], tx [2 x 5] and ty [11] to have the same number of elements, but got 10, 10 and 11 elements respectively\t',
    'atan2\ttorch.DoubleTensor[2x5]\t',
    'cmax\tERR\tinconsistent tensor size, expected r [2 x 5], t [2 x 5] and src [11] to have the same number of elements, but got 10, 10 and 11 elements respectively\t',
    'cmax\ttorch.DoubleTensor[2x5]\t',
    'add\tERR\tinconsistent tensor size, expected r_ [2 x 5], t [2 x 5] and src [11] to have the same number of elements, but got 10, 10 and 11 elements respectively\t',
    'add\ttorch.DoubleTensor[2x5]\t',
    'addcmul\tERR\tinconsistent tensor size, expected r_ [2 x 5], src1 [11] and src2 [10] to have the same number of elements, but got 10, 11 and 10 elements respectively\t',
    'addcmul\ttorch.DoubleTensor[2x5]\t30\t',
    'nn.Exp\tERR\tnn/Module.lua:31: inconsistent tensor size, expected r_ [2 x 5], t [2 x 5] and src [11] to have the same number of elements, but got 10, 10 and 11 elements respectively\t',
    'nn.Exp\ttorch.DoubleTensor[2x5]\t',
    'nn.Log\tERR\tnn/Log.lua:18: inconsistent tensor size, expected r_ [2 x 5], t [2 x 5] and src [11] to have the same number of elements, but got 10, 10 and 11 elements respectively\t',
    'nn.Log\ttorch.DoubleTensor[2x5]\t',
    'nn.Power\tERR\tnn/Power.lua:20: inconsistent tensor size, expected r_ [2 x 5], t [2 x 5] and src [11] to have the same number of elements, but got 10, 10 and 11 elements respectively\t',
    'nn.Power\ttorch.DoubleTensor[2x5]\t',
    'nn.SoftSign\tERR\tnn/SoftSign.lua:13: inconsistent tensor size, expected tensor [2 x 5] and src [11] to have the same number of elements, but got 10 and 11 elements respectively\t',
    'nn.SoftSign\ttorch.DoubleTensor[2x5]\t',
    ''
])


def test_pointwise_results_resized_before_the_count_check(tmp_path):
    r = th_script(_PRE + _T1, tmp_path)
    assert r.stdout == _T1_OUT, r.stderr


# -- a buffer made with `self.x = self.x or input.new()` (or Linear's addBuffer) by a failed
# FloatTensor call is kept and refused by the next call; the up-samplings' and fractional
# poolings' THNN calls convert their tensors (FFI) before THNN's checks
_T2 = r'''-- buffers a failed FloatTensor call made are kept, and refused by the next call
for _, mk in ipairs({function() return nn.SpatialConvolutionMM(3, 4, 3, 3) end,
                     function() return nn.VolumetricConvolution(2, 3, 2, 2, 2) end,
                     function() return nn.LogSigmoid() end,
                     function() return nn.Linear(5, 3) end,
                     function() return nn.SoftSign() end,
                     function() return nn.SpatialFractionalMaxPooling(2, 2, 3, 3) end}) do
  local m = mk()
  local x = ({['nn.SpatialConvolutionMM'] = torch.randn(2, 3, 6, 6), ['nn.VolumetricConvolution'] = torch.randn(2, 2, 4, 4, 4),
    ['nn.SpatialFractionalMaxPooling'] = torch.randn(2, 3, 6, 6)})[torch.type(m)] or torch.randn(2, 5)
  try(torch.type(m) .. ' float', function() return m:forward(x:float()) end)
  try(torch.type(m) .. ' double', function() return m:forward(x) end)
end
-- the up-samplings and fractional poolings: the FFI's conversions before THNN's checks
for _, m in ipairs({nn.SpatialUpSamplingNearest(2), nn.SpatialUpSamplingBilinear(2), nn.UpSampling(2, 'nearest'), nn.UpSampling(2, 'linear')}) do
  local x = torch.randn(2, 3, 4, 4)
  try(torch.type(m) .. ' float', function() return m:forward(x:float()) end)
  try(torch.type(m) .. ' long', function() return m:forward(x:long()) end)
  m:forward(x)
  try(torch.type(m) .. ' go float', function() return m:backward(x, m.output:float()) end)
  try(torch.type(m) .. ' go size', function() return m:backward(x, torch.randn(2, 3, 8, 9)) end)
  print(torch.type(m), sz(m.gradInput))
end
local v = nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 3)
try('vfmp float', function() return v:forward(torch.randn(2, 2, 5, 5, 5):float()) end)
try('vfmp double', function() return v:forward(torch.randn(2, 2, 5, 5, 5)) end)
'''
_T2_OUT = "\n".join([
    "nn.SpatialConvolutionMM float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to 'struct THFloatTensor *')\t",
    "nn.SpatialConvolutionMM double\tERR\tnn/THNN.lua:110: bad argument #6 to 'v' (cannot convert 'struct THFloatTensor *' to 'struct THDoubleTensor *')\t",
    "nn.VolumetricConvolution float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to 'struct THFloatTensor *')\t",
    "nn.VolumetricConvolution double\tERR\tnn/THNN.lua:110: bad argument #6 to 'v' (cannot convert 'struct THFloatTensor *' to 'struct THDoubleTensor *')\t",
    "nn.LogSigmoid float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to 'struct THFloatTensor *')\t",
    "nn.LogSigmoid double\tERR\tnn/THNN.lua:110: bad argument #4 to 'v' (cannot convert 'struct THFloatTensor *' to 'struct THDoubleTensor *')\t",
    'nn.Linear float\tERR\tnn/Linear.lua:66: invalid arguments: DoubleTensor number DoubleTensor number FloatTensor DoubleTensor ',
    'expected arguments: *DoubleTensor~2D* [DoubleTensor~2D] [double] DoubleTensor~2D DoubleTensor~2D | *DoubleTensor~2D* double [DoubleTensor~2D] double DoubleTensor~2D DoubleTensor~2D\t',
    'nn.Linear double\tERR\tnn/Linear.lua:67: invalid arguments: DoubleTensor number FloatTensor DoubleTensor ',
    'expected arguments: *DoubleTensor~2D* [DoubleTensor~2D] [double] DoubleTensor~1D DoubleTensor~1D | *DoubleTensor~2D* double [DoubleTensor~2D] double DoubleTensor~1D DoubleTensor~1D\t',
    "nn.SoftSign float\tERR\tnn/SoftSign.lua:6: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)\t",
    "nn.SoftSign double\tERR\tnn/SoftSign.lua:5: bad argument #1 to 'resizeAs' (torch.FloatTensor expected, got torch.DoubleTensor)\t",
    "nn.SpatialFractionalMaxPooling float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to 'struct THFloatTensor *')\t",
    "nn.SpatialFractionalMaxPooling double\tERR\tnn/THNN.lua:110: bad argument #9 to 'v' (cannot convert 'struct THFloatTensor *' to 'struct THDoubleTensor *')\t",
    "nn.SpatialUpSamplingNearest float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to 'struct THFloatTensor *')\t",
    "nn.SpatialUpSamplingNearest long\tERR\tnn/SpatialUpSamplingNearest.lua:42: attempt to index field 'THNN' (a nil value)\t",
    "nn.SpatialUpSamplingNearest go float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THFloatTensor *' to 'struct THDoubleTensor *')\t",
    'nn.SpatialUpSamplingNearest go size\tERR\tnn/THNN.lua:110: Need gradOutput of dimension 4 and gradOutput.size[3] == 8 but got gradOutput to be of shape: [2 x 3 x 8 x 9]\t',
    'nn.SpatialUpSamplingNearest\ttorch.DoubleTensor[2x3x4x4]\t',
    "nn.SpatialUpSamplingBilinear float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to 'struct THFloatTensor *')\t",
    "nn.SpatialUpSamplingBilinear long\tERR\tnn/SpatialUpSamplingBilinear.lua:82: attempt to index field 'THNN' (a nil value)\t",
    "nn.SpatialUpSamplingBilinear go float\tERR\tnn/THNN.lua:110: bad argument #2 to 'v' (cannot convert 'struct THFloatTensor *' to 'struct THDoubleTensor *')\t",
    'nn.SpatialUpSamplingBilinear go size\tERR\tnn/THNN.lua:110: Need gradOutput of dimension 4 and gradOutput.size[3] == 8 but got gradOutput to be of shape: [2 x 3 x 8 x 9]\t',
    'nn.SpatialUpSamplingBilinear\ttorch.DoubleTensor[2x3x4x4]\t',
    "nn.UpSampling float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to 'struct THFloatTensor *')\t",
    "nn.UpSampling long\tERR\tnn/UpSampling.lua:110: attempt to index field 'THNN' (a nil value)\t",
    "nn.UpSampling go float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THFloatTensor *' to 'struct THDoubleTensor *')\t",
    'nn.UpSampling go size\tERR\tnn/THNN.lua:110: Need gradOutput of dimension 4 and gradOutput.size[3] == 8 but got gradOutput to be of shape: [2 x 3 x 8 x 9]\t',
    'nn.UpSampling\ttorch.DoubleTensor[2x3x4x4]\t',
    "nn.UpSampling float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to 'struct THFloatTensor *')\t",
    "nn.UpSampling long\tERR\tnn/UpSampling.lua:116: attempt to index field 'THNN' (a nil value)\t",
    "nn.UpSampling go float\tERR\tnn/THNN.lua:110: bad argument #2 to 'v' (cannot convert 'struct THFloatTensor *' to 'struct THDoubleTensor *')\t",
    'nn.UpSampling go size\tERR\tnn/THNN.lua:110: Need gradOutput of dimension 4 and gradOutput.size[3] == 8 but got gradOutput to be of shape: [2 x 3 x 8 x 9]\t',
    'nn.UpSampling\ttorch.DoubleTensor[2x3x4x4]\t',
    "vfmp float\tERR\tnn/THNN.lua:110: bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to 'struct THFloatTensor *')\t",
    "vfmp double\tERR\tnn/THNN.lua:110: bad argument #11 to 'v' (cannot convert 'struct THFloatTensor *' to 'struct THDoubleTensor *')\t",
    ''
])


def test_buffers_of_a_failed_call_and_ffi_conversions(tmp_path):
    r = th_script(_PRE + _T2, tmp_path)
    assert r.stdout == _T2_OUT, r.stderr


# -- ClassNLL's backward names wrong-size weights without sizes; the element-wise criterions take
# empty tensors (a NaN loss); THNN backward checks before any forward, in the kernels' order
_T3 = r'''-- criterions: weights of the wrong size in backward, empty inputs
local x = torch.randn(3, 5)
local c = nn.ClassNLLCriterion(torch.Tensor{1, 2, 3})
try('nll forward', function() return c:forward(x, torch.Tensor{1, 5, 2}) end)
try('nll backward', function() return c:backward(x, torch.Tensor{1, 5, 2}) end)
for _, c in ipairs({nn.MSECriterion(), nn.AbsCriterion(), nn.SmoothL1Criterion(), nn.BCECriterion(), nn.SoftMarginCriterion(), nn.MarginCriterion(), nn.DistKLDivCriterion()}) do
  try(torch.type(c) .. ' forward', function() return c:forward(torch.Tensor(), torch.Tensor()) end)
  try(torch.type(c) .. ' backward', function() return c:backward(torch.Tensor(), torch.Tensor()) end)
end
-- THNN backward checks before any forward
for _, m in ipairs({nn.SoftMax(), nn.LogSoftMax(), nn.SoftMin(), nn.SpatialSoftMax(), nn.SoftPlus(), nn.ELU(), nn.RReLU()}) do
  try(torch.type(m) .. ' fresh', function() return m:updateGradInput(torch.randn(2, 5), torch.randn(2, 5)) end)
end
local g = nn.GatedLinearUnit()
g:forward(torch.randn(2, 6))
try('glu go', function() return g:backward(torch.randn(2, 6), torch.randn(7)) end)
print('glu', sz(g.gradInput))
try('glu nil', function() return nn.GatedLinearUnit():forward(nil) end)
try('glu2 nil', function() return nn.GatedLinearUnit(2):forward(nil) end)
try('glu go nil', function() local m = nn.GatedLinearUnit(); local x = torch.randn(2, 6); m:forward(x); return m:backward(x, nil) end)
'''
_T3_OUT = "\n".join([
    'nll forward\tERR\tnn/THNN.lua:110: weight tensor should be defined either for all 5 classes or no classes but got weight tensor of shape: [3]\t',
    'nll backward\tERR\tnn/THNN.lua:110: weight tensor should be defined either for all or no classes\t',
    'nn.MSECriterion forward\tok\tnan\t',
    'nn.MSECriterion backward\tok\ttorch.DoubleTensor[]\t',
    'nn.AbsCriterion forward\tok\tnan\t',
    'nn.AbsCriterion backward\tok\ttorch.DoubleTensor[]\t',
    'nn.SmoothL1Criterion forward\tok\tnan\t',
    'nn.SmoothL1Criterion backward\tok\ttorch.DoubleTensor[]\t',
    'nn.BCECriterion forward\tok\tnan\t',
    'nn.BCECriterion backward\tok\ttorch.DoubleTensor[]\t',
    'nn.SoftMarginCriterion forward\tok\tnan\t',
    'nn.SoftMarginCriterion backward\tok\ttorch.DoubleTensor[]\t',
    'nn.MarginCriterion forward\tok\tnan\t',
    'nn.MarginCriterion backward\tok\ttorch.DoubleTensor[]\t',
    "nn.DistKLDivCriterion forward\tERR\tnn/DistKLDivCriterion.lua:10: calling 'all' on bad self (empty Tensor)\t",
    "nn.DistKLDivCriterion backward\tERR\tnn/DistKLDivCriterion.lua:25: calling 'all' on bad self (empty Tensor)\t",
    'nn.SoftMax fresh\tERR\tnn/THNN.lua:110: 1D, 2D, 3D or 4D tensor expected\t',
    'nn.LogSoftMax fresh\tERR\tnn/THNN.lua:110: 1D, 2D, 3D or 4D tensor expected\t',
    'nn.SoftMin fresh\tERR\tnn/THNN.lua:110: 1D, 2D, 3D or 4D tensor expected\t',
    'nn.SpatialSoftMax fresh\tERR\tnn/THNN.lua:110: 1D, 2D, 3D or 4D tensor expected\t',
    'nn.SoftPlus fresh\tERR\tnn/THNN.lua:110: inconsistent tensor size, expected gradInput [], gradOutput [2 x 5] and output [] to have the same number of elements, but got 0, 10 and 0 elements respectively\t',
    'nn.ELU fresh\tERR\tnn/THNN.lua:110: inconsistent tensor size, expected gradInput [], gradOutput [2 x 5] and output [] to have the same number of elements, but got 0, 10 and 0 elements respectively\t',
    'nn.RReLU fresh\tERR\tnn/THNN.lua:110: inconsistent tensor size, expected r_ [2 x 5], t [2 x 5] and src [] to have the same number of elements, but got 10, 10 and 0 elements respectively\t',
    'glu go\tERR\tnn/THNN.lua:110: inconsistent tensor size, expected r_ [2 x 3], t [2 x 3] and src [7] to have the same number of elements, but got 6, 6 and 7 elements respectively\t',
    'glu\ttorch.DoubleTensor[2x6]\t',
    "glu nil\tERR\tnn/GatedLinearUnit.lua:9: attempt to index local 'input' (a nil value)\t",
    "glu2 nil\tERR\tnn/GatedLinearUnit.lua:10: attempt to index local 'input' (a nil value)\t",
    "glu go nil\tERR\tnn/GatedLinearUnit.lua:22: attempt to index local 'gradOutput' (a nil value)\t",
    ''
])


def test_criterion_texts_and_backward_check_order(tmp_path):
    r = th_script(_PRE + _T3, tmp_path)
    assert r.stdout == _T3_OUT, r.stderr


# -- the raise sites the sweep found: nn/<X>.lua:N before the message, chained by containers
_T4 = r'''-- positions the sweep found (nn/<X>.lua:N before the message)
local cases = {
  {'Tanh nil', function() return nn.Tanh():forward(nil) end},
  {'CMul empty', function() return nn.CMul(5):forward(torch.Tensor()) end},
  {'SpatialLogSoftMax nil', function() return nn.SpatialLogSoftMax():forward(nil) end},
  {'SpatialDilatedConvolution num', function() return nn.SpatialDilatedConvolution(3, 4, 3, 3):forward(3) end},
  {'ZeroGrad float', function() return nn.ZeroGrad():forward(torch.FloatTensor(2)) end},
  {'Sequential 3 deep', function() return nn.Sequential():add(nn.Linear(5, 4)):add(nn.Sequential():add(nn.Tanh()):add(nn.Sequential():add(nn.Linear(3, 2)))):forward(torch.randn(2, 5)) end},
  {'MulConstant ip nil', function() return nn.MulConstant(3, true):forward(nil) end},
  {'Contiguous nil', function() return nn.Contiguous():forward(nil) end},
  {'SpatialUpSamplingNearest long', function() return nn.SpatialUpSamplingNearest(2):forward(torch.LongTensor(1, 2, 2):fill(1)) end},
  {'HingeEmbedding size', function() return nn.HingeEmbeddingCriterion(1):backward(torch.randn(4), torch.Tensor{1, -1}) end},
  {'JoinTable go nil', function() local m = nn.JoinTable(2); local x = {torch.randn(2, 3), torch.randn(2, 3)}; m:forward(x); return m:backward(x, nil) end},
  {'DistKLDiv empty', function() return nn.DistKLDivCriterion():forward(torch.Tensor(), torch.Tensor()) end},
}
for _, c in ipairs(cases) do try(c[1], c[2]) end
'''
_T4_OUT = "\n".join([
    "Tanh nil\tERR\tnn/Tanh.lua:4: attempt to index local 'input' (a nil value)\t",
    "CMul empty\tERR\tnn/CMul.lua:54: bad argument #1 to 'size' (dimension 1 out of range of 0D tensor)\t",
    "SpatialLogSoftMax nil\tERR\tnn/SpatialLogSoftMax.lua:4: attempt to index local 'input' (a nil value)\t",
    "SpatialDilatedConvolution num\tERR\tnn/SpatialDilatedConvolution.lua:14: attempt to index local 'input' (a number value)\t",
    "ZeroGrad float\tERR\tnn/ZeroGrad.lua:4: bad argument #1 to 'set' (expecting number or torch.DoubleTensor or torch.DoubleStorage)\t",
    'Sequential 3 deep\tERR\tnn/Container.lua:67: ',
    'In 2 module of nn.Sequential:',
    'In 2 module of nn.Sequential:',
    'In 1 module of nn.Sequential:',
    'nn/Linear.lua:66: size mismatch, m1: [2 x 4], m2: [3 x 2]\t',
    "MulConstant ip nil\tERR\tnn/MulConstant.lua:17: attempt to index local 'input' (a nil value)\t",
    "Contiguous nil\tERR\tnn/Contiguous.lua:4: attempt to index local 'input' (a nil value)\t",
    "SpatialUpSamplingNearest long\tERR\tnn/SpatialUpSamplingNearest.lua:42: attempt to index field 'THNN' (a nil value)\t",
    'HingeEmbedding size\tERR\tnn/HingeEmbeddingCriterion.lua:35: inconsistent tensor size, expected tensor [4] and src [2] to have the same number of elements, but got 4 and 2 elements respectively\t',
    "JoinTable go nil\tERR\tnn/JoinTable.lua:63: attempt to index local 'gradOutput' (a nil value)\t",
    "DistKLDiv empty\tERR\tnn/DistKLDivCriterion.lua:10: calling 'all' on bad self (empty Tensor)\t",
    ''
])


def test_raise_sites_of_the_sweep(tmp_path):
    r = th_script(_PRE + _T4, tmp_path)
    assert r.stdout == _T4_OUT, r.stderr


# -- table modules: PairwiseDistance sizes output/gradInput before reading input/gradOutput,
# MM calls mm/bmm as a field (bad argument #2 to '?'), CMax/CMinTable's maskedSelect refuses a
# gradOutput of another type, SelectTable copies one in, MaskedSelect scatters it (TH's checks)
_T5 = r'''-- table modules: states and texts of a bad gradOutput
local p = nn.PairwiseDistance(2)
try('pd nil', function() return p:forward(nil) end)
print('pd', sz(p.output))
local x = {torch.randn(2, 5), torch.randn(2, 5)}
p:forward(x)
try('pd go', function() return p:backward(x, torch.randn(3)) end)
print('pd', sz(p.gradInput[1]), sz(p.gradInput[2]))
local mm = nn.MM()
local ab = {torch.randn(2, 3, 4), torch.randn(2, 4, 5)}
mm:forward(ab)
try('mm go', function() return mm:backward(ab, torch.randn(2, 3, 6)) end)
for _, m in ipairs({nn.CMaxTable(), nn.CMinTable(), nn.SelectTable(2), nn.SelectTable(-1)}) do
  m:forward(x)
  try(torch.type(m) .. ' go float', function() return m:backward(x, torch.randn(2, 5):float()) end)
  print(torch.type(m), #m.gradInput, torch.type(m.gradInput[#m.gradInput]))
end
local ms = nn.MaskedSelect()
local mx = {torch.range(1, 10):view(2, 5), torch.range(1, 10):view(2, 5):gt(4)}
ms:forward(mx)
try('ms go+1', function() return ms:backward(mx, torch.range(1, 7)) end)
print('ms', ms.gradInput[1]:view(-1):totable()[10])
try('ms go float', function() return ms:backward(mx, torch.range(1, 6):float()) end)
try('ms go dim', function() return ms:backward(mx, torch.range(1, 6):view(1, 6)) end)
'''
_T5_OUT = "\n".join([
    "pd nil\tERR\tnn/PairwiseDistance.lua:14: attempt to index local 'input' (a nil value)\t",
    'pd\ttorch.DoubleTensor[1]\t',
    'pd go\tERR\tnn/PairwiseDistance.lua:81: size mismatch, t: [2 x 5], vec1: [3], vec2: [5]\t',
    'pd\ttorch.DoubleTensor[2x5]\ttorch.DoubleTensor[2x5]\t',
    "mm go\tERR\tnn/MM.lua:82: bad argument #2 to '?' (wrong matrix size, batch1: 3x6, batch2: 5x4)\t",
    "nn.CMaxTable go float\tERR\tnn/CMaxTable.lua:37: bad argument #1 to 'maskedSelect' (torch.DoubleTensor expected, got torch.FloatTensor)\t",
    'nn.CMaxTable\t1\ttorch.DoubleTensor\t',
    "nn.CMinTable go float\tERR\tnn/CMinTable.lua:37: bad argument #1 to 'maskedSelect' (torch.DoubleTensor expected, got torch.FloatTensor)\t",
    'nn.CMinTable\t1\ttorch.DoubleTensor\t',
    'nn.SelectTable go float\tok\ttable\t',
    'nn.SelectTable\t2\ttorch.DoubleTensor\t',
    'nn.SelectTable go float\tok\ttable\t',
    'nn.SelectTable\t2\ttorch.DoubleTensor\t',
    'ms go+1\tok\ttable\t',
    'ms\t6\t',
    'ms go float\tERR\tnn/MaskedSelect.lua:34: invalid arguments: DoubleTensor number LongTensor FloatTensor ',
    'expected arguments: *DoubleTensor* index LongTensor DoubleTensor | *DoubleTensor* index LongTensor double\t',
    "ms go dim\tERR\tnn/MaskedSelect.lua:34: bad argument #3 to 'scatter' (Input tensor must have same dimensions as output tensor)\t",
    ''
])


def test_table_modules_with_a_bad_gradoutput(tmp_path):
    r = th_script(_PRE + _T5, tmp_path)
    assert r.stdout == _T5_OUT, r.stderr


# -- TH's index sizes LookupTable's output before its range check; OneHot of an empty tensor
# sizes its output before its view fails; SpatialCrossMapLRN's resizeAs checks (a scale kept
# from a failed call) and its per-sample cmul of gradOutput[n]
_T6 = r'''-- TH's index sizes LookupTable's output before its range check; OneHot of an empty tensor;
-- SpatialCrossMapLRN's resizeAs checks and its per-sample cmul
local lt = nn.LookupTable(10, 3)
try('lt range', function() return lt:forward(torch.LongTensor{{1, 20, 3}, {4, 5, 6}}) end)
print('lt', sz(lt.output))
local oh = nn.OneHot(5)
try('onehot empty', function() return oh:forward(torch.LongTensor()) end)
print('onehot', sz(oh.output))
local lrn = nn.SpatialCrossMapLRN(3)
local x = torch.randn(2, 4, 5, 5)
try('lrn float', function() return lrn:forward(x:float()) end)
print('lrn', sz(lrn.output), torch.type(lrn.scale))
try('lrn double', function() return lrn:forward(x) end)
local lrn2 = nn.SpatialCrossMapLRN(3)
lrn2:forward(x)
try('lrn go', function() return lrn2:backward(x, torch.randn(1, 2, 4, 5, 5)) end)
print('lrn2', sz(lrn2.gradInput))
'''
_T6_OUT = "\n".join([
    'lt range\tERR\tnn/LookupTable.lua:75: index out of range\t',
    'lt\ttorch.DoubleTensor[6x3]\t',
    "onehot empty\tERR\ttorch/Tensor.lua:462: bad argument #1 to 'set' (expecting number or torch.LongTensor or torch.LongStorage)\t",
    'onehot\ttorch.DoubleTensor[5]\t',
    "lrn float\tERR\tnn/SpatialCrossMapLRN.lua:40: bad argument #1 to 'resizeAs' (torch.DoubleTensor expected, got torch.FloatTensor)\t",
    'lrn\ttorch.DoubleTensor[]\ttorch.FloatTensor\t',
    "lrn double\tERR\tnn/SpatialCrossMapLRN.lua:41: bad argument #1 to 'resizeAs' (torch.FloatTensor expected, got torch.DoubleTensor)\t",
    'lrn go\tERR\tnn/SpatialCrossMapLRN.lua:130: inconsistent tensor size, expected r_ [2 x 4 x 5 x 5], t [2 x 4 x 5 x 5] and src [4 x 5 x 5] to have the same number of elements, but got 200, 200 and 100 elements respectively\t',
    'lrn2\ttorch.DoubleTensor[2x4x5x5]\t',
    ''
])


def test_lookup_onehot_lrn_states(tmp_path):
    r = th_script(_PRE + _T6, tmp_path)
    assert r.stdout == _T6_OUT, r.stderr


# -- BatchNormalization asserts a forward before its backward in either mode and sizes gradInput
# as gradOutput before THNN's shape check; Sum names the line that first reads input
_T7 = r'''-- BatchNormalization asserts a forward before its backward in either mode, and sizes gradInput
-- as gradOutput before THNN's shape check; Sum names the line that first reads input
local bn = nn.BatchNormalization(5)
bn:evaluate()
try('bn eval fresh', function() return bn:updateGradInput(torch.randn(4, 5), torch.randn(4, 5)) end)
local sbn = nn.SpatialBatchNormalization(3)
local x = torch.randn(2, 3, 4, 4)
sbn:forward(x)
try('sbn go', function() return sbn:backward(x, torch.randn(2, 3, 4, 5)) end)
print('sbn', sz(sbn.gradInput))
for _, m in ipairs({nn.Sum(2), nn.Sum(-1), nn.Sum(2, 1, true)}) do
  try('sum nil', function() return m:forward(nil) end)
end
'''
_T7_OUT = "\n".join([
    'bn eval fresh\tERR\tnn/BatchNormalization.lua:143: must call :updateOutput() first\t',
    'sbn go\tERR\tnn/THNN.lua:110: input and gradOutput shapes do not match: input [2 x 3 x 4 x 4], gradOutput [2 x 3 x 4 x 5]\t',
    'sbn\ttorch.DoubleTensor[2x3x4x5]\t',
    "sum nil\tERR\tnn/Sum.lua:24: attempt to index local 'input' (a nil value)\t",
    "sum nil\tERR\tnn/Sum.lua:20: attempt to index local 'input' (a nil value)\t",
    "sum nil\tERR\tnn/Sum.lua:21: attempt to index local 'input' (a nil value)\t",
    ''
])


def test_batchnorm_and_sum_checks(tmp_path):
    r = th_script(_PRE + _T7, tmp_path)
    assert r.stdout == _T7_OUT, r.stderr


# -- Collapse views gradOutput into gradInput (sized before the view's count check); Transpose
# keeps a permutation that is no table and fails at perm[1] in its forward
_T8 = r'''-- Collapse views gradOutput into gradInput (sized before the view's count check); Transpose
-- keeps a permutation that is no table and fails at perm[1] in its forward
local c = nn.Collapse(2)
local x = torch.randn(2, 3, 4)
c:forward(x)
try('collapse go', function() return c:backward(x, torch.randn(25)) end)
print('collapse', sz(c.gradInput))
local t = nn.Transpose(1, 2)
print(torch.type(t))
try('transpose num', function() return t:forward(torch.randn(2, 3)) end)
'''
_T8_OUT = "\n".join([
    'collapse go\tERR\ttorch/Tensor.lua:466: Wrong size for view. Input size: 25. Output size: 2x3x4\t',
    'collapse\ttorch.DoubleTensor[2x3x4]\t',
    'nn.Transpose\t',
    "transpose num\tERR\tnn/Transpose.lua:21: attempt to index local 'perm' (a number value)\t",
    ''
])


def test_collapse_and_transpose(tmp_path):
    r = th_script(_PRE + _T8, tmp_path)
    assert r.stdout == _T8_OUT, r.stderr


# -- the same rules from Python

def test_cmul_resizes_its_result_before_failing():
    # the original: r:cmul(torch.ones(2, 5), torch.ones(11)) fails with r resized 2x5
    r = torch.Tensor(3).zero()
    with pytest.raises(TorchError) as e:
        r.cmul(torch.ones(2, 5), torch.ones(11))
    assert str(e.value).startswith("inconsistent tensor size, expected r_ [2 x 5], t [2 x 5] "
                                   "and src [11]")
    assert r.size().totable() == [2, 5]


def test_element_wise_criterion_of_empty_tensors_is_nan():
    # the original printed nan for MSECriterion():forward(torch.Tensor(), torch.Tensor())
    from torch7py import nn
    c = nn.MSECriterion()
    v = c.forward(torch.Tensor(), torch.Tensor())
    assert v != v
    assert c.backward(torch.Tensor(), torch.Tensor()).dim() == 0
