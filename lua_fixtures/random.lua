-- the random generator: seeds, scalar draws, tensor fills, state save/restore.
require 'torch'
local results = {}
torch.manualSeed(42)
results.uniform = torch.uniform()
results.normal = torch.normal(0, 2)
results.random = torch.random(1, 10)
results.rand = torch.rand(2, 3)
results.randn = torch.randn(4)
local state = torch.getRNGState()
local x1 = torch.Tensor(3):uniform(-1, 1)
torch.setRNGState(state)
local x2 = torch.Tensor(3):uniform(-1, 1)
results.replay = {x1, x2}
results.randperm = torch.randperm(5)
results.bernoulli = torch.Tensor(6):bernoulli(0.5)
return results
