-- forward returns the module's own output buffer: a second forward with a larger input resizes
-- and rewrites the tensor that the first forward returned (Torch7 NOTES 23).
require 'nn'
local results = {}
torch.manualSeed(7)
local m = nn.Linear(3, 2)
local y1 = m:forward(torch.ones(3))
local y1_before = y1:clone()
local y2 = m:forward(torch.ones(4, 3):mul(2))
results.same_object = torch.pointer(y1) == torch.pointer(y2)
results.y1_before = y1_before
results.y1_after = y1
results.y1_dim_after = y1:dim()
-- a Sequential returns its last module's buffer
local seq = nn.Sequential():add(nn.Linear(3, 3)):add(nn.Tanh())
local s1 = seq:forward(torch.ones(3))
local last = seq:get(2).output
results.seq_is_last = torch.pointer(s1) == torch.pointer(last)
seq:forward(torch.ones(2, 3))
results.seq_first_after = s1
return results
