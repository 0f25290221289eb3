-- Legacy training loops driven from Lua, through `th` (bench_thloops.py runs the same workloads
-- from Python, so the two give the bridge's cost):
--   (d) torch/demos' linear regression: nn.Linear(2, 1) + MSECriterion over 10 samples, one
--       optim.sgd step a sample with a Lua config table: µs a step;
--   (e) bnsh/torch7-libv2's Nullable: a Sequential of ConcatTable{SelectTable, Extract (a Lua
--       module)}, ParallelTable{Identity, Linear}, Implant (a Lua module), + MSECriterion on
--       128x10 inputs: forward and criterion, µs a forward;
--   (f) char-rnn `-model gru` 2x32, batch 10, seq 20 (OneHot a Lua module): clone_many_times'
--       MemoryFile setup (ms), then forward + backward through time of one batch (ms).
-- Each round times every workload once; the report gives the best and the worst round, in
-- CPU time (os.clock).
--   OPENBLAS_NUM_THREADS=1 th benchmarks/bench_thloops.lua [rounds] [scale]
require 'nn'
require 'nngraph'
require 'optim'

local rounds = tonumber(arg and arg[1]) or 5
local scale = tonumber(arg and arg[2]) or 1

-- (d) ---------------------------------------------------------------------------------------
local D_EPOCHS = math.floor(200 * scale)

local function setup_d()
  torch.manualSeed(1)
  local data = torch.Tensor{
    {40, 6, 4}, {44, 10, 4}, {46, 12, 5}, {48, 14, 7}, {52, 16, 9},
    {58, 18, 12}, {60, 22, 14}, {68, 24, 20}, {74, 26, 21}, {80, 32, 24}}
  local model = nn.Sequential()
  model:add(nn.Linear(2, 1))
  local criterion = nn.MSECriterion()
  local x, dl_dx = model:getParameters()
  local sgd_params = {learningRate = 1e-3, learningRateDecay = 1e-4, weightDecay = 0,
                      momentum = 0}
  local feval = function(x_new)
    if x ~= x_new then x:copy(x_new) end
    _nidx_ = (_nidx_ or 0) + 1
    if _nidx_ > (#data)[1] then _nidx_ = 1 end
    local sample = data[_nidx_]
    local target = sample[{{1}}]
    local inputs = sample[{{2, 3}}]
    dl_dx:zero()
    local loss_x = criterion:forward(model:forward(inputs), target)
    model:backward(inputs, criterion:backward(model.output, target))
    return loss_x, dl_dx
  end
  return function()
    for _ = 1, D_EPOCHS do
      for _ = 1, (#data)[1] do
        local _, fs = optim.sgd(feval, x, sgd_params)
      end
    end
  end, D_EPOCHS * 10
end

-- (e) ---------------------------------------------------------------------------------------
local Extract, eparent = torch.class('nn.BenchExtract', 'nn.Module')

function Extract:__init()
  eparent.__init(self)
  self.gradInput = nil
  self.output = nil
end

function Extract:updateOutput(input)
  local indicators, data = input[1], input[2]
  self.output = self.output or torch.Tensor(0):typeAs(data)
  local rv = data:index(1, torch.LongTensor({1}))
  if indicators:gt(0.5):any() then
    local indices = torch.range(1, indicators:numel())[indicators:gt(0.5):byte()]:long()
    rv = data:index(1, indices)
  end
  self.output:resizeAs(rv)
  self.output:copy(rv)
  return self.output
end

local Implant, iparent = torch.class('nn.BenchImplant', 'nn.Module')

function Implant:__init(filler)
  iparent.__init(self)
  self.output = nil
  self.gradInput = nil
  self.filler = filler or function(training, tensor) tensor:zero() end
end

function Implant:updateOutput(input)
  local indicators, data = input[1], input[2]
  local outputsz = data:size(); outputsz[1] = indicators:size(1)
  self.output = self.output or torch.Tensor(0):typeAs(data)
  self.output:resize(torch.LongStorage(outputsz:totable()))
  self.filler(self.train, self.output)
  if indicators:gt(0.5):any() then
    local indices = torch.range(1, indicators:numel())[indicators:gt(0.5):byte()]:long()
    self.output:indexCopy(1, indices, data)
  end
  return self.output
end

local E_N = math.floor(200 * scale)

local function setup_e()
  torch.manualSeed(1)
  local mlp = nn.Sequential()
  local slab1 = nn.ConcatTable()
  slab1:add(nn.SelectTable(1))
  slab1:add(nn.BenchExtract())
  mlp:add(slab1)
  local slab2 = nn.ParallelTable()
  slab2:add(nn.Identity())
  slab2:add(nn.Linear(10, 20))
  mlp:add(slab2)
  mlp:add(nn.BenchImplant())
  local crit = nn.MSECriterion()
  local data, target = torch.randn(128, 10), torch.randn(128, 20)
  local indicators = torch.ByteTensor(128):bernoulli()
  return function()
    for _ = 1, E_N do
      crit:forward(mlp:forward({indicators, data}), target)
    end
  end, E_N
end

-- (f) ---------------------------------------------------------------------------------------
local OneHot, oparent = torch.class('BenchOneHot', 'nn.Module')

function OneHot:__init(outputSize)
  oparent.__init(self)
  self.outputSize = outputSize
  self._eye = torch.eye(outputSize)
end

function OneHot:updateOutput(input)
  self.output:resize(input:size(1), self.outputSize):zero()
  if self._eye == nil then self._eye = torch.eye(self.outputSize) end
  self._eye = self._eye:float()
  local longInput = input:long()
  self.output:copy(self._eye:index(1, longInput))
  return self.output
end

local function gru(input_size, rnn_size, n)
  local inputs = {}
  table.insert(inputs, nn.Identity()())
  for _ = 1, n do table.insert(inputs, nn.Identity()()) end
  local function new_input_sum(insize, xv, hv)
    local i2h = nn.Linear(insize, rnn_size)(xv)
    local h2h = nn.Linear(rnn_size, rnn_size)(hv)
    return nn.CAddTable()({i2h, h2h})
  end
  local x, input_size_L
  local outputs = {}
  for L = 1, n do
    local prev_h = inputs[L + 1]
    if L == 1 then
      x = BenchOneHot(input_size)(inputs[1])
      input_size_L = input_size
    else
      x = outputs[L - 1]
      input_size_L = rnn_size
    end
    local update_gate = nn.Sigmoid()(new_input_sum(input_size_L, x, prev_h))
    local reset_gate = nn.Sigmoid()(new_input_sum(input_size_L, x, prev_h))
    local gated_hidden = nn.CMulTable()({reset_gate, prev_h})
    local p2 = nn.Linear(rnn_size, rnn_size)(gated_hidden)
    local p1 = nn.Linear(input_size_L, rnn_size)(x)
    local hidden_candidate = nn.Tanh()(nn.CAddTable()({p1, p2}))
    local zh = nn.CMulTable()({update_gate, hidden_candidate})
    local zhm1 = nn.CMulTable()({nn.AddConstant(1, false)(nn.MulConstant(-1, false)(update_gate)),
                                 prev_h})
    table.insert(outputs, nn.CAddTable()({zh, zhm1}))
  end
  table.insert(outputs, nn.LogSoftMax()(nn.Linear(rnn_size, input_size)(outputs[#outputs])))
  return nn.gModule(inputs, outputs)
end

-- char-rnn's util/model_utils.lua clone_many_times
local function clone_many_times(net, T)
  local clones = {}
  local params, gradParams
  if net.parameters then params, gradParams = net:parameters() end
  local mem = torch.MemoryFile("w"):binary()
  mem:writeObject(net)
  for t = 1, T do
    local reader = torch.MemoryFile(mem:storage(), "r"):binary()
    local clone = reader:readObject()
    reader:close()
    if net.parameters then
      local cloneParams, cloneGradParams = clone:parameters()
      for i = 1, #params do
        cloneParams[i]:set(params[i])
        cloneGradParams[i]:set(gradParams[i])
      end
    end
    clones[t] = clone
  end
  mem:close()
  return clones
end

local VOCAB, RNN, LAYERS, BATCH, SEQ = 40, 32, 2, 10, 20
local F_BATCHES = math.max(1, math.floor(5 * scale))

local function setup_f()
  torch.manualSeed(1)
  local proto = {rnn = gru(VOCAB, RNN, LAYERS), criterion = nn.ClassNLLCriterion()}
  local params, grad_params = proto.rnn:getParameters()
  params:uniform(-0.08, 0.08)
  local clones
  local function setup()
    clones = {rnn = clone_many_times(proto.rnn, SEQ),
              criterion = clone_many_times(proto.criterion, SEQ)}
  end
  setup()
  local xs = torch.Tensor(BATCH, SEQ):random(1, VOCAB)
  local ys = torch.Tensor(BATCH, SEQ):random(1, VOCAB)
  local init = {}
  for _ = 1, LAYERS do table.insert(init, torch.zeros(BATCH, RNN)) end
  local function batch()
    grad_params:zero()
    local rnn_state = {[0] = init}
    local predictions = {}
    local loss = 0
    for t = 1, SEQ do
      clones.rnn[t]:training()
      local lst = clones.rnn[t]:forward{xs[{{}, t}], unpack(rnn_state[t - 1])}
      rnn_state[t] = {}
      for i = 1, #init do table.insert(rnn_state[t], lst[i]) end
      predictions[t] = lst[#lst]
      loss = loss + clones.criterion[t]:forward(predictions[t], ys[{{}, t}])
    end
    local drnn_state = {[SEQ] = {}}
    for i = 1, #init do drnn_state[SEQ][i] = init[i]:clone():zero() end
    for t = SEQ, 1, -1 do
      local doutput_t = clones.criterion[t]:backward(predictions[t], ys[{{}, t}])
      table.insert(drnn_state[t], doutput_t)
      local dlst = clones.rnn[t]:backward({xs[{{}, t}], unpack(rnn_state[t - 1])}, drnn_state[t])
      drnn_state[t - 1] = {}
      for k, v in pairs(dlst) do
        if k > 1 then drnn_state[t - 1][k - 1] = v end
      end
    end
    return loss / SEQ
  end
  return setup, function()
    for _ = 1, F_BATCHES do batch() end
  end, F_BATCHES
end

local names = {d = 'linreg optim.sgd, Lua config (us/step)',
               e = 'Nullable with Lua modules (us/forward)',
               fs = 'gru 2x32 clone_many_times x20 (ms)',
               fb = 'gru 2x32 b10 s20 fwd+bwd (ms/batch)'}
local keys = {'d', 'e', 'fs', 'fb'}
local runs, counts, unit = {}, {}, {d = 1e6, e = 1e6, fs = 1e3, fb = 1e3}
runs.d, counts.d = setup_d()
runs.e, counts.e = setup_e()
runs.fs, runs.fb, counts.fb = setup_f()
counts.fs = 1
for _, k in ipairs(keys) do runs[k]() end  -- warm-up
local lo, hi = {}, {}
for _ = 1, rounds do
  for _, k in ipairs(keys) do
    local t = os.clock()
    runs[k]()
    local v = (os.clock() - t) / counts[k] * unit[k]
    lo[k] = math.min(lo[k] or math.huge, v)
    hi[k] = math.max(hi[k] or 0, v)
  end
end
for _, k in ipairs(keys) do
  print(string.format('(%s) %-42s %9.1f - %9.1f', k, names[k], lo[k], hi[k]))
end
