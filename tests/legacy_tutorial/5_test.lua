require 'torch'
require 'xlua'
require 'optim'
print '==> defining test procedure'
function test()
   local time = sys.clock()
   model:evaluate()
   print('==> testing on test set:')
   for t = 1,testData:size() do
      xlua.progress(t, testData:size())
      local input = testData.data[t]
      if opt.type == 'double' then input = input:double() end
      local target = testData.labels[t]
      local pred = model:forward(input)
      confusion:add(pred, target)
   end
   print(confusion)
   testLogger:add{['% mean class accuracy (test set)'] = confusion.totalValid * 100}
   confusion:zero()
end
