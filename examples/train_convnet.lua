-- Train a small convnet on a generated 10-class image dataset with SGD + momentum: the classic
-- Torch7 loop (getParameters, a feval closure, optim.sgd, optim.ConfusionMatrix, xlua.progress).
-- Run: th examples/train_convnet.lua [epochs]
-- Its Python twin, examples/train_convnet.py, prints the same losses epoch by epoch.
require 'nn'
require 'optim'
local ok = pcall(require, 'xlua')

-- xlua.progress's bar, for a Lua layer without the xlua package
local function progress(current, goal)
   if ok and xlua and xlua.progress then return xlua.progress(current, goal) end
   local width = 40
   local done = math.floor(current / goal * width)
   io.write(' [' .. string.rep('=', done) .. (done < width and '>' or '')
            .. string.rep('.', width - done - 1) .. '] ' .. current .. '/' .. goal .. '\r')
   if current == goal then io.write('\n') end
   io.flush()
end

local epochs = tonumber(arg and arg[1]) or 5
local nclasses, ntrain, batch = 10, 400, 20
torch.setdefaulttensortype('torch.DoubleTensor')
torch.manualSeed(123)

-- the dataset: each class is a random 8x8 template; a sample is its template plus noise
local templates = torch.randn(nclasses, 1, 8, 8)
local inputs = torch.Tensor(ntrain, 1, 8, 8)
local targets = torch.Tensor(ntrain)
for i = 1, ntrain do
   local c = (i - 1) % nclasses + 1
   targets[i] = c
   inputs[i]:copy(templates[c]):add(torch.randn(1, 8, 8):mul(0.8))
end

local model = nn.Sequential()
model:add(nn.SpatialConvolution(1, 8, 3, 3))    -- 8 x 6 x 6
model:add(nn.ReLU())
model:add(nn.SpatialMaxPooling(2, 2, 2, 2))     -- 8 x 3 x 3
model:add(nn.View(8 * 3 * 3))
model:add(nn.Linear(8 * 3 * 3, 32))
model:add(nn.Tanh())
model:add(nn.Linear(32, nclasses))
model:add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
local params, grads = model:getParameters()

local classes = {}
for c = 1, nclasses do classes[c] = 'c' .. c end
local confusion = optim.ConfusionMatrix(classes)
local config = {learningRate = 0.05, momentum = 0.9, learningRateDecay = 1e-4}
local state = {}

print(string.format('convnet with %d parameters, %d samples, %d classes',
                    params:nElement(), ntrain, nclasses))
for epoch = 1, epochs do
   model:training()
   confusion:zero()
   local perm = torch.randperm(ntrain):long()
   local total, nbatches = 0, 0
   for b = 1, ntrain, batch do
      local idx = perm:narrow(1, b, batch)
      local xb, yb = inputs:index(1, idx), targets:index(1, idx)
      local function feval(x)
         if x ~= params then params:copy(x) end
         grads:zero()
         local out = model:forward(xb)
         local loss = criterion:forward(out, yb)
         model:backward(xb, criterion:backward(out, yb))
         confusion:batchAdd(out, yb)
         return loss, grads
      end
      local _, fs = optim.sgd(feval, params, config, state)
      total, nbatches = total + fs[1], nbatches + 1
      progress(b + batch - 1, ntrain)
   end
   print(string.format('epoch %d: loss = %.15g', epoch, total / nbatches))
   print(confusion)
end
