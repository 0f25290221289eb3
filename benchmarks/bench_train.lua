-- Training-step benchmark through `th` (issue 16): the workloads of bench_train.py, ms per
-- step (zeroGradParameters, forward, ClassNLLCriterion, backward, updateParameters(0.01)),
-- float and double, one and two BLAS threads (torch.setnumthreads), and the GEMM floor (the
-- step's matrix products with torch.mm into preallocated results) in the same run.
--   OPENBLAS_NUM_THREADS=1 th benchmarks/bench_train.lua [quick] [1|2] [cpu] [mlp|lenet|vgg]
-- With the argument `lib` it runs nothing and returns make(name, type) -> step, floor (the
-- functions timed here), which bench_train.py --th times against its own step in one process.
require 'nn'

-- arguments: `quick` (3 repeats), `1` or `2` (only that many BLAS threads), `cpu` (this
-- process's CPU time, os.clock: microseconds), a workload's name (only that one)
local quick, only, cpu, lib, which = false, nil, false, false, nil
for _, a in ipairs(arg or {}) do
  if a == 'quick' then quick = true elseif a == 'cpu' then cpu = true
  elseif a == 'lib' then lib = true
  elseif a == 'mlp' or a == 'lenet' or a == 'vgg' then which = a
  elseif tonumber(a) then only = tonumber(a) end
end

local function mlp()
  return nn.Sequential():add(nn.Linear(784, 1000)):add(nn.ReLU())
    :add(nn.Linear(1000, 1000)):add(nn.ReLU())
    :add(nn.Linear(1000, 10)):add(nn.LogSoftMax())
end

local function lenet()
  return nn.Sequential()
    :add(nn.SpatialConvolution(1, 6, 5, 5)):add(nn.ReLU())
    :add(nn.SpatialMaxPooling(2, 2, 2, 2))
    :add(nn.SpatialConvolution(6, 16, 5, 5)):add(nn.ReLU())
    :add(nn.SpatialMaxPooling(2, 2, 2, 2))
    :add(nn.View(16 * 5 * 5))
    :add(nn.Linear(400, 120)):add(nn.ReLU())
    :add(nn.Linear(120, 84)):add(nn.ReLU())
    :add(nn.Linear(84, 10)):add(nn.LogSoftMax())
end

local function vgg()
  return nn.Sequential()
    :add(nn.SpatialConvolution(3, 64, 3, 3, 1, 1, 1, 1))
    :add(nn.SpatialBatchNormalization(64)):add(nn.ReLU(true))
    :add(nn.SpatialConvolution(64, 64, 3, 3, 1, 1, 1, 1))
    :add(nn.SpatialBatchNormalization(64)):add(nn.ReLU(true))
    :add(nn.SpatialMaxPooling(2, 2, 2, 2))
    :add(nn.View(64 * 16 * 16))
    :add(nn.Linear(64 * 16 * 16, 10)):add(nn.LogSoftMax())
end

-- the step's GEMMs as {m, k, n, form}: forward, gradWeight, gradInput (the first layer's too:
-- nn's backward computes it); form says how each operand lies in the step ('n' as it is, 't' the
-- transpose of a contiguous matrix): Linear's forward is input * weight^T, its gradWeight
-- gradOutput^T * input
local function lin(g, b, i, o)
  g[#g + 1] = {b, i, o, 'nt'}; g[#g + 1] = {o, b, i, 'tn'}; g[#g + 1] = {b, o, i, 'nn'}
end
local function conv(g, b, c, o, k, L)
  local K = c * k * k
  g[#g + 1] = {o, K, b * L, 'nn'}; g[#g + 1] = {o, b * L, K, 'nn'}
  g[#g + 1] = {K, o, b * L, 'nn'}
end

local W = {}
do
  local g = {}
  lin(g, 128, 784, 1000); lin(g, 128, 1000, 1000); lin(g, 128, 1000, 10)
  W[1] = {'mlp', mlp, {128, 784}, g}
  g = {}
  conv(g, 64, 1, 6, 5, 28 * 28); conv(g, 64, 6, 16, 5, 10 * 10)
  lin(g, 64, 400, 120); lin(g, 64, 120, 84); lin(g, 64, 84, 10)
  W[2] = {'lenet', lenet, {64, 1, 32, 32}, g}
  g = {}
  conv(g, 32, 3, 64, 3, 32 * 32); conv(g, 32, 64, 64, 3, 32 * 32)
  lin(g, 32, 64 * 16 * 16, 10)
  W[3] = {'vgg', vgg, {32, 3, 32, 32}, g}
end

-- the step and the floor of workload w in type ty ('double' or 'float')
local function make(w, ty)
  local build, shape, gemms = w[2], w[3], w[4]
  local T = ty == 'float' and torch.FloatTensor or torch.DoubleTensor
  torch.manualSeed(1)
  local tn = ty == 'float' and 'torch.FloatTensor' or 'torch.DoubleTensor'
  local net = build():type(tn)
  local crit = nn.ClassNLLCriterion():type(tn)
  local x = T(unpack(shape)):normal()
  local y = T(shape[1])
  for i = 1, shape[1] do y[i] = (i % 10) + 1 end
  -- a Linear's three products share their buffers as the step's do (bench_train.py's floor):
  -- one weight for the forward and the gradInput, one input for the forward and the
  -- gradWeight, one gradOutput for the gradWeight and the gradInput
  local ops = {}
  local i = 1
  while i <= #gemms do
    local g = gemms[i]
    if g[4] == 'nt' and gemms[i + 1] and gemms[i + 1][4] == 'tn' and gemms[i + 2]
        and gemms[i + 2][4] == 'nn' then
      local b, nin, nout = g[1], g[2], g[3]
      local xi, w, go = T(b, nin):normal(), T(nout, nin):normal(), T(b, nout):normal()
      ops[#ops + 1] = {xi, w:t(), T(b, nout)}
      ops[#ops + 1] = {go:t(), xi, T(nout, nin)}
      ops[#ops + 1] = {go, w, T(b, nin)}
      i = i + 3
    else
      local a = g[4]:sub(1, 1) == 'n' and T(g[1], g[2]):normal() or T(g[2], g[1]):normal():t()
      local b = g[4]:sub(2, 2) == 'n' and T(g[2], g[3]):normal() or T(g[3], g[2]):normal():t()
      ops[#ops + 1] = {a, b, T(g[1], g[3])}
      i = i + 1
    end
  end
  local function step()
    net:zeroGradParameters()
    local out = net:forward(x)
    crit:forward(out, y)
    net:backward(x, crit:backward(out, y))
    net:updateParameters(0.01)
  end
  local function floor()
    for _, o in ipairs(ops) do torch.mm(o[3], o[1], o[2]) end
  end
  return step, floor
end

if lib then
  return function(name, ty)
    for _, w in ipairs(W) do
      if w[1] == name then return make(w, ty) end
    end
    error('no workload ' .. tostring(name))
  end
end

local function ms(fn)
  if cpu then
    local t = os.clock()
    fn()
    return (os.clock() - t) * 1000
  end
  local t = torch.Timer()
  fn()
  return t:time().real * 1000
end

local function minmed(ts)
  table.sort(ts)
  return ts[1], ts[math.floor(#ts / 2) + 1]
end

print('# ms per step through th (min-median, ' .. (cpu and 'cpu' or 'wall') .. ' clock); ' ..
      'floor = the step\'s GEMMs with torch.mm')
print(string.format('%-6s %-6s %3s %16s %16s %6s', 'net', 'type', 'thr', 'step min-med',
                    'floor min-med', 'ratio'))
for _, w in ipairs(W) do
  local name = w[1]
  for _, ty in ipairs(which and which ~= name and {} or {'double', 'float'}) do
    local step, floor = make(w, ty)
    for _, thr in ipairs(only and {only} or {1, 2}) do
      torch.setnumthreads(thr)
      step(); floor(); step()
      local rep = quick and 3 or (name == 'vgg' and 8 or 20)
      local st, fl = {}, {}
      for r = 1, rep do
        st[r] = ms(step)
        fl[r] = ms(floor)
      end
      local s1, s2 = minmed(st)
      local f1, f2 = minmed(fl)
      print(string.format('%-6s %-6s %3d %7.1f-%-8.1f %7.1f-%-8.1f %6.2f', name, ty, thr, s1,
                          s2, f1, f2, s1 / f1))
    end
  end
end
torch.setnumthreads(1)
