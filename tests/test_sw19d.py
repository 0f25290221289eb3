"""Session 19's sweep of nn's Module/Container/Criterion methods (sw19d): scripts over
parameters/getParameters/clone/share/type/clearState, container editing and criterion options,
run under our th and under the original Torch7; each test is one mechanism by which ours
printed something else. Every expectation is what the original Torch7 (/tmp/ref7, LuaJIT
2.1.0-beta2, nn 8726825) printed for the same code."""
import torch7py as torch
from torch7py import nn

from luatest import th_script


# -- Container:get(i) is self.modules[i]: a Lua table's index, no counting from the end -------

def test_container_get_is_a_table_index():
    # the original printed nil for get(-1), get(0), get(1.5) and get(3) of a 2-module Sequential
    s = nn.Sequential().add(nn.Tanh()).add(nn.Sigmoid())
    assert s.get(-1) is None
    assert s.get(0) is None
    assert s.get(1.5) is None
    assert s.get(3) is None
    assert s.get(2.0).typename == 'nn.Sigmoid'
    assert nn.ConcatTable().add(nn.Tanh()).get(-1) is None


def test_container_get_negative_through_th(tmp_path):
    r = th_script("require 'nn'\n"
                  "local s = nn.Sequential():add(nn.Tanh()):add(nn.Sigmoid())\n"
                  "print(s:get(-1), s:get(0), s:get(1.5), torch.typename(s:get(2)))\n",
                  tmp_path)
    assert r.stdout == "nil\tnil\tnil\tnn.Sigmoid\t\n", r.stderr


# -- Module:forward / Criterion:forward / backward are Lua tail calls --------------------------
# `return self:updateOutput(input)`: an updateOutput that returns nothing (nn.Criterion's own,
# a script's that only sets self.output) gives the caller no value, not one nil; a method that
# returns a nil variable (Sequential's, after a module that gave nil) gives one nil.

_TAIL_SCRIPT = """require 'nn'
print(pcall(function() return nn.Criterion():forward(torch.ones(2), torch.ones(2)) end))
print(select('#', nn.Criterion():forward(1, 2)), select('#', nn.Criterion():backward(1, 2)))
local C, parent = torch.class('nn.MyCrit19', 'nn.Criterion')
function C:__init() parent.__init(self) end
function C:updateOutput(input, target) self.output = 3 end
function C:updateGradInput(input, target) self.gradInput = input end
local c = nn.MyCrit19()
print(c:forward(torch.ones(2), torch.ones(2)))
print(select('#', c:forward(torch.ones(2), torch.ones(2))))
print(select('#', c:backward(torch.ones(2), torch.ones(2))))
local o, g = c(torch.ones(2), torch.ones(2))
print(o, g)
local M, mp = torch.class('nn.MyMod19', 'nn.Module')
function M:__init() mp.__init(self) end
function M:updateOutput(input) self.output = input * 2 end
local m = nn.MyMod19()
print(select('#', m:forward(torch.ones(2))))
print(m:forward(torch.ones(2)))
print(m.output[1])
local s = nn.Sequential():add(nn.MyMod19())
print(pcall(function() return s:forward(torch.ones(2)) end))
print(select('#', nn.Module():forward(1)), select('#', nn.Module():backward(1, 2)))
print(select('#', nn.Tanh():forward(torch.ones(1))))
"""


def test_forward_tail_call_gives_no_value(tmp_path):
    r = th_script(_TAIL_SCRIPT, tmp_path)
    # (the original's stdout: trepl's print of no values writes nothing, not even a newline)
    assert r.stdout == ("true\t\n"
                        "0\t0\t\n"
                        "0\t\n"
                        "0\t\n"
                        "nil\tnil\t\n"
                        "0\t\n"
                        "2\t\n"
                        "true\tnil\t\n"
                        "1\t1\t\n"
                        "1\t\n"), r.stderr


def test_criterion_forward_python_side_is_none():
    # Python callers still see None (the Lua layer alone turns it into no value)
    assert nn.Criterion().forward(1, 2) is None
    assert nn.Criterion().backward(1, 2) is None


# -- BatchNormalization: `self.train and (input:size(1) > 1)` -----------------------------------
# A batch of ONE sample (its first dimension) is normalised with the running statistics, which
# stay as they were, however many spatial positions the sample has; ours counted N*H*W.

def test_spatial_bn_batch_of_one_uses_running_stats():
    # the original printed 0.99999500003749975 7.999960000299998 / 0 0 1 1 /
    # 0.99999500003749975 9.9999500003749979 4 / 0.65000000000000002 2.8714285714285714
    sbn = nn.SpatialBatchNormalization(2)
    sbn.weight.fill(1)
    sbn.bias.zero()
    x = torch.range(1, 8).view(1, 2, 2, 2)
    y = sbn.forward(x)
    assert y[1][1][1][1] == 0.99999500003749975
    assert y[1][2][2][2] == 7.999960000299998
    assert list(sbn.running_mean.storage()) == [0, 0]
    assert list(sbn.running_var.storage()) == [1, 1]
    gi = sbn.backward(x, torch.ones(1, 2, 2, 2))
    assert gi[1][1][1][1] == 0.99999500003749975
    assert sbn.gradWeight[1] == 9.9999500003749979
    assert sbn.gradBias[2] == 4
    sbn.forward(torch.range(1, 16).view(2, 2, 2, 2))
    assert sbn.running_mean[1] == 0.65000000000000002
    assert sbn.running_var[2] == 2.8714285714285714


# -- Module.flatten copies each storage through parameters[1].new():set(storage) ---------------
# A parameter of another type fails there (Tensor.c's set text, at Module.lua:286) before any
# parameter is re-pointed; ours converted it into the first one's type.

_MIXED_SCRIPT = """require 'nn'
torch.manualSeed(1)
local a, b = nn.Linear(2,2), nn.Linear(2,2):float()
local mixed = nn.Sequential():add(a):add(b)
local ok, e = pcall(function() return mixed:getParameters() end)
print(ok, (tostring(e):gsub('^.-nn/', '')))
print(a.weight:nElement(), a.bias:nElement(), b.weight:nElement(), torch.type(b.weight))
local c, d = nn.Linear(2,2):float(), nn.Linear(2,2)
local ok2, e2 = pcall(function() return nn.Sequential():add(c):add(d):getParameters() end)
print(ok2, (tostring(e2):gsub('^.-nn/', '')))
local t1, t2 = torch.FloatTensor(2):fill(1), torch.IntTensor(3):fill(2)
print(pcall(nn.Module.flatten, {t1, t2}))
print(t1:nElement(), t2:nElement())
"""


def test_flatten_of_mixed_types_fails_at_set(tmp_path):
    r = th_script(_MIXED_SCRIPT, tmp_path)
    # the original's stdout (less TH's " at .../Tensor.c:1153", which torch7py never writes)
    set_d = ("bad argument #1 to 'set' (expecting number or torch.DoubleTensor or "
             "torch.DoubleStorage)")
    set_f = ("bad argument #1 to 'set' (expecting number or torch.FloatTensor or "
             "torch.FloatStorage)")
    lines = r.stdout.split("\n")
    assert lines[0] == "false\tModule.lua:286: %s\t" % set_d, r.stderr
    assert lines[1] == "4\t2\t4\ttorch.FloatTensor\t"
    assert lines[2] == "false\tModule.lua:286: %s\t" % set_f
    assert lines[3].startswith("false\t") and lines[3].endswith("Module.lua:286: %s\t" % set_f)
    assert lines[4] == "2\t3\t"
