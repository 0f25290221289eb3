require 'torch'
require 'nn'
if not opt then
   cmd = torch.CmdLine()
   cmd:option('-model', 'convnet', 'type of model to construct: linear | mlp | convnet')
   opt = cmd:parse(arg or {})
end
print '==> define parameters'
noutputs = 10
nfeats = 3
width = 8
height = 8
ninputs = nfeats*width*height
nstates = {8,16,32}
filtsize = 3
poolsize = 2
normkernel = image and image.gaussian1D(7) or torch.ones(7)
print '==> construct model'
if opt.model == 'linear' then
   model = nn.Sequential()
   model:add(nn.Reshape(ninputs))
   model:add(nn.Linear(ninputs,noutputs))
elseif opt.model == 'convnet' then
   model = nn.Sequential()
   model:add(nn.SpatialConvolutionMM(nfeats, nstates[1], filtsize, filtsize))
   model:add(nn.ReLU())
   model:add(nn.SpatialMaxPooling(poolsize,poolsize,poolsize,poolsize))
   model:add(nn.View(nstates[1]*3*3))
   model:add(nn.Dropout(0.5))
   model:add(nn.Linear(nstates[1]*3*3, nstates[3]))
   model:add(nn.ReLU())
   model:add(nn.Linear(nstates[3], noutputs))
end
print '==> here is the model:'
print(model)
