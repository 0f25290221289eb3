-- The nn docs' StochasticGradient example (XOR-like data built in a Lua table with a size
-- method), then manual training with updateParameters, as 2014-era scripts did.
require 'nn'
local results = {}
torch.manualSeed(123)
local dataset = {}
function dataset:size() return 50 end
for i = 1, dataset:size() do
   local input = torch.randn(2)
   local output = torch.Tensor(1)
   if input[1] * input[2] > 0 then output[1] = -1 else output[1] = 1 end
   dataset[i] = {input, output}
end
local mlp = nn.Sequential()
mlp:add(nn.Linear(2, 10))
mlp:add(nn.Tanh())
mlp:add(nn.Linear(10, 1))
local criterion = nn.MSECriterion()
local trainer = nn.StochasticGradient(mlp, criterion)
trainer.learningRate = 0.01
trainer.learningRateDecay = 0.1
trainer.maxIteration = 4
local seen = {}
trainer.hookIteration = function(self, iteration) seen[#seen + 1] = iteration end
trainer:train(dataset)
results.iterations = seen
local x = torch.Tensor(2)
x[1] = 0.5; x[2] = 0.5
results.out_pp = mlp:forward(x):clone()
x[2] = -0.5
results.out_pm = mlp:forward(x):clone()
for i = 1, 20 do
   local input = torch.randn(2)
   local output = torch.Tensor(1)
   if input[1] * input[2] > 0 then output[1] = -1 else output[1] = 1 end
   criterion:forward(mlp:forward(input), output)
   mlp:zeroGradParameters()
   mlp:backward(input, criterion:backward(mlp.output, output))
   mlp:updateParameters(0.01)
end
results.weight1 = mlp:get(1).weight
results.bias3 = mlp:get(3).bias
return results
