-- getParameters before vs after clone('weight','bias','gradWeight','gradBias'): the flat vector
-- taken first stays the storage of the shared fields only if it is taken after the clone.
require 'nn'
local results = {}
local function build()
   torch.manualSeed(3)
   return nn.Sequential():add(nn.Linear(2, 3)):add(nn.Tanh()):add(nn.Linear(3, 1))
end
-- flat vector first, then a shared clone: the clone shares the (already flattened) parameters
do
   local m = build()
   local params, grads = m:getParameters()
   local c = m:clone('weight', 'bias', 'gradWeight', 'gradBias')
   params:fill(0)
   results.before_params = params
   results.before_m_weight = m:get(1).weight
   results.before_clone_weight = c:get(1).weight
   results.before_clone_bias3 = c:get(3).bias
end
-- shared clone first, then the flat vector of the original: the clone loses the link
do
   local m = build()
   local c = m:clone('weight', 'bias', 'gradWeight', 'gradBias')
   local params, grads = m:getParameters()
   params:fill(0)
   results.after_params_size = params:size(1)
   results.after_m_weight = m:get(1).weight
   results.after_clone_weight = c:get(1).weight
   results.after_clone_shares = torch.pointer(c:get(1).weight:storage()) ==
      torch.pointer(m:get(1).weight:storage())
end
return results
