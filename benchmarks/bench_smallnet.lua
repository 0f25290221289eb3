-- Small networks trained one sample at a time, through `th` (bench_smallnet.py runs the same
-- workloads from Python): µs per sample of
--   (a) nn.StochasticGradient on a 2-9-10-1 Linear/Tanh net with MSECriterion,
--   (b) a hand loop (forward, criterion, zeroGradParameters, backward, updateParameters) on a
--       10-20-5 Linear/Tanh/LogSoftMax net with ClassNLLCriterion,
--   (c) optim.sgd over getParameters() on the same 10-20-5 net.
-- Each round times every workload once; the report gives the best and the worst round, in
-- CPU time (os.clock; bench_smallnet.py uses the process's CPU time too).
--   OPENBLAS_NUM_THREADS=1 th benchmarks/bench_smallnet.lua [n] [repeat]
require 'nn'
require 'optim'

local n = tonumber(arg and arg[1]) or 2000
local rounds = tonumber(arg and arg[2]) or 5

local function net_a()
  return nn.Sequential():add(nn.Linear(2, 9)):add(nn.Tanh()):add(nn.Linear(9, 10))
    :add(nn.Tanh()):add(nn.Linear(10, 1))
end

local function net_b()
  return nn.Sequential():add(nn.Linear(10, 20)):add(nn.Tanh()):add(nn.Linear(20, 5))
    :add(nn.LogSoftMax())
end

local function setup_a()
  torch.manualSeed(1)
  local net, crit = net_a(), nn.MSECriterion()
  local ds = {}
  for i = 1, n do ds[i] = {torch.randn(2), torch.randn(1)} end
  function ds:size() return n end
  local sgd = nn.StochasticGradient(net, crit)
  sgd.maxIteration = 1
  sgd.verbose = false
  sgd.learningRate = 0.01
  return function()
    local p = print
    print = function() end  -- its progress lines
    sgd:train(ds)
    print = p
  end
end

local function data_b()
  local ds = {}
  for i = 1, n do ds[i] = {torch.randn(10), (i - 1) % 5 + 1} end
  return ds
end

local function setup_b()
  torch.manualSeed(1)
  local net, crit = net_b(), nn.ClassNLLCriterion()
  local ds = data_b()
  return function()
    for i = 1, n do
      local x, y = ds[i][1], ds[i][2]
      crit:forward(net:forward(x), y)
      net:zeroGradParameters()
      net:backward(x, crit:backward(net.output, y))
      net:updateParameters(0.01)
    end
  end
end

local function setup_c()
  torch.manualSeed(1)
  local net, crit = net_b(), nn.ClassNLLCriterion()
  local ds = data_b()
  local params, grads = net:getParameters()
  local state = {learningRate = 0.01}
  return function()
    for i = 1, n do
      local x, y = ds[i][1], ds[i][2]
      local function feval(p)
        grads:zero()
        local loss = crit:forward(net:forward(x), y)
        net:backward(x, crit:backward(net.output, y))
        return loss, grads
      end
      optim.sgd(feval, params, state)
    end
  end
end

local names = {a = 'StochasticGradient 2-9-10-1 Tanh/MSE', b = 'hand loop 10-20-5 LogSoftMax/ClassNLL',
               c = 'optim.sgd getParameters 10-20-5'}
local keys = {'a', 'b', 'c'}
local runs = {a = setup_a(), b = setup_b(), c = setup_c()}
for _, k in ipairs(keys) do runs[k]() end  -- warm-up
local lo, hi = {}, {}
for _ = 1, rounds do
  for _, k in ipairs(keys) do
    local t = os.clock()
    runs[k]()
    local us = (os.clock() - t) / n * 1e6
    lo[k] = math.min(lo[k] or math.huge, us)
    hi[k] = math.max(hi[k] or 0, us)
  end
end
for _, k in ipairs(keys) do
  print(string.format('(%s) %-40s %8.1f - %8.1f us/sample', k, names[k], lo[k], hi[k]))
end
