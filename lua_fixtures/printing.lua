-- tostring of tensors, storages and modules as Torch7 prints them.
require 'nn'
local results = {}
results.vector = tostring(torch.Tensor({1, 2.5, -3}))
results.matrix = tostring(torch.range(1, 6):resize(2, 3))
results.long = tostring(torch.LongTensor({7, -8}))
results.empty = tostring(torch.Tensor())
results.storage = tostring(torch.FloatStorage({0.5, 1}))
results.big = tostring(torch.Tensor({1e10, 1}))
results.module = tostring(nn.Linear(3, 4))
results.seq = tostring(nn.Sequential():add(nn.Linear(2, 2)):add(nn.ReLU()))
return results
