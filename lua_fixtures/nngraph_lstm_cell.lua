-- A char-rnn style LSTM cell built with nngraph: forward/backward over 3 steps with clones that
-- share one flat parameter vector, the annotated node names, and a save/load round trip.
require 'nn'
require 'nngraph'
local results = {}

-- t[i] = a*sin(f*i + o) in row-major order
local function sfill(t, a, f, o)
   return t:copy(torch.range(1, t:nElement()):mul(f):add(o):sin():mul(a))
end

local function cell(nin, rnn)
   local x, prevC, prevH = nn.Identity()(), nn.Identity()(), nn.Identity()()
   local i2h = nn.Linear(nin, 4 * rnn)(x):annotate{name = 'i2h'}
   local h2h = nn.Linear(rnn, 4 * rnn)(prevH):annotate{name = 'h2h'}
   local gates = nn.Reshape(4, rnn)(nn.CAddTable()({i2h, h2h}))
   local gi, gf, go, gc = nn.SplitTable(2)(gates):split(4)
   local c = nn.CAddTable()({nn.CMulTable()({nn.Sigmoid()(gf), prevC}),
      nn.CMulTable()({nn.Sigmoid()(gi), nn.Tanh()(gc)})})
   local h = nn.CMulTable()({nn.Sigmoid()(go), nn.Tanh()(c)})
   return nn.gModule({x, prevC, prevH}, {c, h})
end

local g = cell(3, 2)
local params, grads = g:getParameters()
sfill(params, 0.3, 0.7, 0.1)
results.nparams = params:nElement()
local names = {}
for i, node in ipairs(g.forwardnodes) do
   names[#names + 1] = node.data.annotations.name or '-'
end
results.names = names
results.nodes = {#g.fg.nodes, #g.fg.edges, #g.forwardnodes}

local T, B = 3, 2
local clones = {}
for t = 1, T do clones[t] = g:clone('weight', 'bias', 'gradWeight', 'gradBias') end
local xs, states = {}, {[0] = {torch.zeros(B, 2), torch.zeros(B, 2)}}
for t = 1, T do
   xs[t] = sfill(torch.Tensor(B, 3), 1, 0.37 + 0.1 * t, t)
   local out = clones[t]:forward({xs[t], states[t - 1][1], states[t - 1][2]})
   states[t] = {out[1]:clone(), out[2]:clone()}
end
results.h = states[T][2]
results.c = states[T][1]
grads:zero()
local d = {torch.zeros(B, 2), torch.ones(B, 2)}
for t = T, 1, -1 do
   local din = clones[t]:backward({xs[t], states[t - 1][1], states[t - 1][2]}, d)
   d = {din[2]:clone(), din[3]:clone()}
   if t == 1 then results.dx1 = din[1]:clone() end
end
results.grads = grads:clone()

local copy = torch.deserialize(torch.serialize(g))
local y = copy:forward({xs[1], states[0][1], states[0][2]})
results.reloaded_h = y[2]:clone()
results.reloaded_names_kept = copy.forwardnodes[3].data.annotations.name ~= nil
   or copy.forwardnodes[4].data.annotations.name ~= nil
return results
