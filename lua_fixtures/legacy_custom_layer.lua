-- A custom layer written the Torch7 way (torch.class('nn.X', 'nn.Module') overriding
-- updateOutput/updateGradInput/accGradParameters, a parameter of its own) inside nn.Sequential,
-- trained with getParameters + a closure + optim.adam, then switched with training/evaluate.
require 'nn'
require 'optim'
local results = {}
local Scale, parent = torch.class('nn.LegacyScale', 'nn.Module')
function Scale:__init(n)
   parent.__init(self)
   self.weight = torch.Tensor(n):fill(1)
   self.gradWeight = torch.Tensor(n):zero()
end
function Scale:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   self.output:cmul(self.weight:view(1, -1):expandAs(input))
   return self.output
end
function Scale:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   self.gradInput:cmul(self.weight:view(1, -1):expandAs(gradOutput))
   return self.gradInput
end
function Scale:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self.gradWeight:add(scale, torch.cmul(input, gradOutput):sum(1):view(-1))
end
torch.manualSeed(42)
local model = nn.Sequential()
model:add(nn.Linear(4, 6)):add(nn.ReLU()):add(nn.LegacyScale(6)):add(nn.Dropout(0.2))
model:add(nn.Linear(6, 3)):add(nn.LogSoftMax())
local criterion = nn.ClassNLLCriterion()
local X = torch.randn(16, 4)
local Y = torch.LongTensor(16):random(1, 3)
local params, gradParams = model:getParameters()
results.nparams = params:nElement()
local state = {learningRate = 0.05}
local losses = {}
for epoch = 1, 15 do
   local function feval(x)
      if x ~= params then params:copy(x) end
      gradParams:zero()
      local out = model:forward(X)
      local loss = criterion:forward(out, Y)
      model:backward(X, criterion:backward(out, Y))
      return loss, gradParams
   end
   local _, fs = optim.adam(feval, params, state)
   losses[epoch] = fs[1]
end
results.losses = losses
results.scale_weight = model:get(3).weight
results.adam_t = state.t
model:evaluate()
results.eval_out = model:forward(X[{{1, 2}}]):clone()
results.name = tostring(model:get(3))
results.type = torch.type(model:get(3))
return results
