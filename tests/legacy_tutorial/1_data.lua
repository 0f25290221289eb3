require 'torch'
if not opt then
   print '==> processing options'
   cmd = torch.CmdLine()
   cmd:option('-size', 'small', 'how many samples do we load: small | full')
   cmd:option('-visualize', false, 'visualize input data and weights during training')
   cmd:text()
   opt = cmd:parse(arg or {})
end
print '==> loading dataset'
trsize = 200
tesize = 50
trainData = {
   data = torch.rand(trsize, 3, 8, 8),
   labels = torch.Tensor(trsize):random(1, 10),
   size = function() return trsize end
}
testData = {
   data = torch.rand(tesize, 3, 8, 8),
   labels = torch.Tensor(tesize):random(1, 10),
   size = function() return tesize end
}
print '==> preprocessing data'
trainData.data = trainData.data:float()
testData.data = testData.data:float()
channels = {'y','u','v'}
mean = {}
std = {}
for i,channel in ipairs(channels) do
   mean[i] = trainData.data[{ {},i,{},{} }]:mean()
   std[i] = trainData.data[{ {},i,{},{} }]:std()
   trainData.data[{ {},i,{},{} }]:add(-mean[i])
   trainData.data[{ {},i,{},{} }]:div(std[i])
end
for i,channel in ipairs(channels) do
   testData.data[{ {},i,{},{} }]:add(-mean[i])
   testData.data[{ {},i,{},{} }]:div(std[i])
end
print '==> verify statistics'
for i,channel in ipairs(channels) do
   local trainMean = trainData.data[{ {},i }]:mean()
   local trainStd = trainData.data[{ {},i }]:std()
   print('training data, '..channel..'-channel, mean: ' .. string.format('%.4f', trainMean))
   print('training data, '..channel..'-channel, standard deviation: ' .. string.format('%.4f', trainStd))
end
