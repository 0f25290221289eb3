-- Per-call cost of small TensorMath ops through `th` (the Lua bridge included): 10-element
-- tensors, 1e5 calls each, best of 3 rounds, CPU time of the process (os.clock); then the
-- pointwise math and arithmetic of 1e3-element float and double tensors (bench_numerics.py
-- calls() has them from Python, against numpy).
-- Run: th benchmarks/bench_math.lua   (bench_math.py has the same ops from Python)
require 'torch'
local a, b = torch.Tensor(10):fill(1), torch.Tensor(10):fill(2)
local n = 100000
local ops = {
  {'a:sum()', function() return a:sum() end},
  {'a:cmul(b)', function() return a:cmul(b) end},
  {'a:add(b)', function() return a:add(b) end},
  {'a:add(2)', function() return a:add(2) end},
  {'a:mul(2)', function() return a:mul(2) end},
  {'a:fill(0)', function() return a:fill(0) end},
  {'a:copy(b)', function() return a:copy(b) end},
  {'a:zero()', function() return a:zero() end},
  {'a:norm()', function() return a:norm() end},
  {'a:max()', function() return a:max() end},
  {'a:mean()', function() return a:mean() end},
  {'a:add(0.01, b)', function() return a:add(0.01, b) end},
  {'torch.add(a, b)', function() return torch.add(a, b) end},
  {'a[2]', function() return a[2] end},
  {'a:narrow(1, 2, 3)', function() return a:narrow(1, 2, 3) end},
}
print(string.format('%-20s %9s', 'operation', 'us/call'))
for _, op in ipairs(ops) do
  local f = op[2]
  local best = math.huge
  for _ = 1, 3 do
    local t0 = os.clock()
    for _ = 1, n do f() end
    best = math.min(best, os.clock() - t0)
  end
  print(string.format('%-20s %9.2f', op[1], best / n * 1e6))
end

-- 1e3 elements, float and double: the one-call paths of t:exp() ... t:cmul(w)
for _, tname in ipairs({'FloatTensor', 'DoubleTensor'}) do
  local T = torch[tname]
  local t = T(1000):normal()
  local u, r = t:clone(), T(1000)
  local w = t:clone():sign()
  local m = 20000
  local big = {
    {'r:exp(t)', function() return r:exp(t) end},
    {'torch.exp(r, t)', function() return torch.exp(r, t) end},
    {'t:sin()', function() return t:sin() end},
    {'t:tanh()', function() return t:tanh() end},
    {'t:sigmoid()', function() return t:sigmoid() end},
    {'t:add(1e-3)', function() return t:add(1e-3) end},
    {'t:mul(0.999)', function() return t:mul(0.999) end},
    {'t:cmul(w)', function() return t:cmul(w) end},
  }
  for _, op in ipairs(big) do
    local f = op[2]
    local best = math.huge
    for _ = 1, 3 do
      t:copy(u)
      local t0 = os.clock()
      for _ = 1, m do f() end
      best = math.min(best, os.clock() - t0)
    end
    print(string.format('%-6s %-16s %7.2f', tname:sub(1, 6), op[1], best / m * 1e6))
  end
end
