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
