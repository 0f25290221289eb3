-- TensorMath through Lua: operators, multiple returns, result-first forms, reductions.
require 'torch'
local results = {}
local a = torch.Tensor({{1, -2, 3}, {4, 5, -6}})
local b = torch.Tensor({{0.5, 1, 2}, {-1, 3, 0.25}})
results.ops = {a + b, a - 2, 3 * a, a / 4, -a, a % 4}
results.mm = a * b:t()
local m, i = a:max(2)
results.max_values = m
results.max_indices = i
local vals, idx = torch.sort(torch.Tensor({3, 1, 2}), true)
results.sort = {vals, idx}
local r = torch.Tensor()
torch.add(r, a, 10, b)
results.result_first = r
results.sum = a:sum()
results.mean_dim = a:mean(1)
results.cumsum = a:cumsum(2)
results.abs_inplace = a:clone():abs()
results.dot = a:dot(b)
results.gt = a:gt(b)
results.masked = a[a:gt(0)]
return results
