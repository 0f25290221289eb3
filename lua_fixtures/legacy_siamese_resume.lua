-- A siamese net from a shared clone (clone('weight','bias','gradWeight','gradBias')) in a
-- ParallelTable, trained with optim.sgd + momentum; the model and the optim state are
-- checkpointed (torch.serialize, as torch.save/torch.load) and training resumes from the copy.
require 'nn'
require 'optim'
local results = {}
torch.manualSeed(9)
local encoder = nn.Sequential():add(nn.Linear(5, 4)):add(nn.Tanh()):add(nn.Linear(4, 2))
local twin = encoder:clone('weight', 'bias', 'gradWeight', 'gradBias')
local siamese = nn.ParallelTable():add(encoder):add(twin)
local model = nn.Sequential():add(siamese):add(nn.PairwiseDistance(2))
local criterion = nn.HingeEmbeddingCriterion(1)
local pairs_ = {}
for i = 1, 6 do
   pairs_[i] = {torch.randn(5), torch.randn(5), (i % 2 == 0) and 1 or -1}
end
local function train(m, state, epochs)
   local params, grads = m:getParameters()
   local losses = {}
   for e = 1, epochs do
      local total = 0
      for i = 1, #pairs_ do
         local a, b, y = unpack(pairs_[i])
         local feval = function(x)
            grads:zero()
            local d = m:forward({a, b})
            local loss = criterion:forward(d, y)
            m:backward({a, b}, criterion:backward(d, y))
            return loss, grads
         end
         local _, fs = optim.sgd(feval, params, state)
         total = total + fs[1]
      end
      losses[e] = total / #pairs_
   end
   return losses
end
local state = {learningRate = 0.05, momentum = 0.5}
results.losses1 = train(model, state, 3)
local blob = torch.serialize({model = model, state = state})
results.losses_cont = train(model, state, 2)
local ck = torch.deserialize(blob)
results.losses_resumed = train(ck.model, ck.state, 2)
local enc, tw = ck.model:get(1):get(1), ck.model:get(1):get(2)
results.still_shared = torch.pointer(enc:get(1).weight:storage()) ==
   torch.pointer(tw:get(1).weight:storage())
results.eval_counter = ck.state.evalCounter
results.weight = enc:get(3).weight
return results
