"""Public rnn/dpnn scripts run through th (session 14, rnnsweep15): the mechanisms their runs
found. Expectations from Lua's semantics (a function stored in a class's metatable is what its
objects' method lookup finds: luaT's __index reads the metatable) and from numpy formulas."""
from luatest import th_script


def test_a_method_the_script_stores_under_a_python_only_name_is_found(tmp_path):
    # A cutorch stand-in (or `torch.Tensor.cuda = ...` where cutorch is missing) stores cuda
    # in the tensor metatables; Torch7 without cutorch has no Tensor:cuda, so the script's
    # function is the one found. Without the store, the name stays nil, as before.
    out = th_script("""
print(torch.Tensor(2).cuda == nil)
torch.getmetatable('torch.DoubleTensor').cuda = function(self) return 'mt' end
torch.FloatTensor.cuda = function(self) return 'cls' end
print(torch.Tensor(2):cuda(), torch.FloatTensor(1):cuda(), torch.LongTensor(1).cuda == nil)
print(rawget(torch.getmetatable('torch.DoubleTensor'), 'cuda') ~= nil)
require 'nn'
print(nn.Linear(2, 2).state_dict == nil)
function nn.Module:state_dict() return 'sd' end
print(nn.Linear(2, 2):state_dict())
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [line.rstrip('\t').split('\t') for line in out.stdout.splitlines()]
    assert lines == [['true'], ['mt', 'cls', 'true'], ['true'], ['true'], ['sd']]


def test_rnn_before_2016_bptt_calls_stop_with_abstract_recurrents_message(tmp_path):
    # rnn ba937a0's AbstractRecurrent.lua keeps backwardThroughTime and its four siblings as
    # `error"DEPRECATED Jan 8, 2016"`: a 2015 script (rnn's doc/article/rnn-example.lua) stops
    # there, with that text, not at a nil method
    out = th_script("""
require 'rnn'
local r = nn.Recurrent(4, nn.Linear(3, 4), nn.Linear(4, 4), nn.Sigmoid(), 5)
for step = 1, 2 do
   local x = torch.randn(2, 3)
   r:forward(x)
   r:backward(x, torch.randn(2, 4))
end
for _, name in ipairs{'backwardThroughTime', 'updateGradInputThroughTime',
      'accGradParametersThroughTime', 'accUpdateGradParametersThroughTime',
      'backwardUpdateThroughTime'} do
   local ok, err = pcall(function() return r[name](r) end)
   print(name, ok, (tostring(err):gsub('^.-:%d+: ', '')))
end
print(pcall(function() return nn.FastLSTM(2, 2):backwardThroughTime() end))
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [line.rstrip('\t').split('\t') for line in out.stdout.splitlines()]
    assert [l[1:] for l in lines[:5]] == [['false', 'DEPRECATED Jan 8, 2016']] * 5
    assert lines[5][0] == 'false' and lines[5][1].endswith('DEPRECATED Jan 8, 2016')
