-- clone() is a deep copy: new storages, same values, sharing inside the module kept, writes to
-- the clone do not reach the original.
require 'nn'
local results = {}
torch.manualSeed(5)
local lin = nn.Linear(2, 2)
local m = nn.Sequential():add(lin):add(nn.ReLU()):add(lin)   -- the same module twice
local c = m:clone()
results.new_storage = torch.pointer(c:get(1).weight:storage()) ~=
   torch.pointer(m:get(1).weight:storage())
results.same_values = c:get(1).weight:equal(m:get(1).weight)
results.inner_sharing_kept = c:get(1) == c:get(3)
c:get(1).weight:fill(1)
results.original_weight = m:get(1).weight
results.clone_weight = c:get(3).weight
local t = torch.range(1, 6):resize(2, 3)
local v = t:narrow(2, 2, 2)
local vc = v:clone()
results.view_clone_contiguous = vc:isContiguous()
results.view_clone_stride = vc:stride()
vc:fill(0)
results.view_source = t
return results
