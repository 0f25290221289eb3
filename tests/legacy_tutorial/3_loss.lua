require 'torch'
require 'nn'
if not opt then
   cmd = torch.CmdLine()
   cmd:option('-loss', 'nll', 'type of loss function to minimize: nll | mse | margin')
   opt = cmd:parse(arg or {})
   model = nn.Sequential()
   model:add(nn.Linear(ninputs,noutputs))
end
noutputs = 10
if opt.loss == 'margin' then
   criterion = nn.MultiMarginCriterion()
elseif opt.loss == 'nll' then
   model:add(nn.LogSoftMax())
   criterion = nn.ClassNLLCriterion()
end
print '==> here is the loss function:'
print(criterion)
