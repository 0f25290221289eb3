-- a small MLP trained with optim.sgd and a Lua closure; tables of tensors through table layers.
require 'nn'
require 'optim'
local results = {}
torch.manualSeed(11)
local model = nn.Sequential():add(nn.Linear(2, 4)):add(nn.Tanh()):add(nn.Linear(4, 1))
local crit = nn.MSECriterion()
local x = torch.Tensor({{0, 0}, {0, 1}, {1, 0}, {1, 1}})
local y = torch.Tensor({{0}, {1}, {1}, {0}})
local params, grads = model:getParameters()
local config, state = {learningRate = 0.5, momentum = 0.9}, {}
local losses = {}
for i = 1, 20 do
   local function feval(p)
      grads:zero()
      local out = model:forward(x)
      local loss = crit:forward(out, y)
      model:backward(x, crit:backward(out, y))
      return loss, grads
   end
   local _, fs = optim.sgd(feval, params, config, state)
   losses[i] = fs[1]
end
results.losses = losses
results.params = params
results.state_counter = state.evalCounter
local ct = nn.ConcatTable():add(nn.Identity()):add(nn.MulConstant(2))
local out = ct:forward(torch.Tensor({1, 2}))
results.concat_n = #out
results.concat = out
results.join = nn.JoinTable(1):forward(out)
results.split = nn.SplitTable(1):forward(torch.Tensor({{1, 2}, {3, 4}}))
results.caddtable = nn.CAddTable():forward({torch.Tensor({1, 2}), torch.Tensor({10, 20})})
return results
