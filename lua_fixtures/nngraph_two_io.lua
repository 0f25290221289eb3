-- A two-input, two-output gModule: outputs, the gradInput table, gradients summed over the two
-- paths that leave a shared node, float conversion, and a binary/ascii round trip.
require 'nn'
require 'nngraph'
local results = {}

-- t[i] = a*sin(f*i + o) in row-major order
local function sfill(t, a, f, o)
   return t:copy(torch.range(1, t:nElement()):mul(f):add(o):sin():mul(a))
end

local x1, x2 = nn.Identity()(), nn.Identity()()
local a = nn.Linear(4, 3)(x1)
local b = nn.Linear(2, 3)(x2)
local s = nn.CAddTable()({a, b})
local out1 = nn.Tanh()(s)
local out2 = nn.Linear(3, 1)(nn.CMulTable()({a, nn.Sigmoid()(s)}))
local g = nn.gModule({x1, x2}, {out1, out2})
local params = g:parameters()
for i, p in ipairs(params) do sfill(p, 0.5, 0.3 + 0.1 * i, i) end
local X = {sfill(torch.Tensor(3, 4), 1, 0.41, 0.2), sfill(torch.Tensor(3, 2), 1, 0.53, 0.9)}
g:zeroGradParameters()
local y = g:forward(X)
results.y1 = y[1]:clone()
results.y2 = y[2]:clone()
local gy = {sfill(torch.Tensor(3, 3), 0.5, 0.29, 1), sfill(torch.Tensor(3, 1), 0.5, 0.31, 2)}
local gi = g:backward(X, gy)
results.gi = {gi[1]:clone(), gi[2]:clone()}
local _, gps = g:parameters()
local gcopy = {}
for i, p in ipairs(gps) do gcopy[i] = p:clone() end
results.gradParams = gcopy
results.nInputs = g.nInputs
results.nOutputs = #g.outnode.children

local bin = torch.deserialize(torch.serialize(g))
local asc = torch.deserialize(torch.serialize(g, 'ascii'), 'ascii')
results.binary_y2 = bin:forward(X)[2]:clone()
results.ascii_y1 = asc:forward(X)[1]:clone()
g:float()
local Xf = {X[1]:float(), X[2]:float()}
local yf = g:forward(Xf)
results.float_types = {torch.type(yf[1]), torch.type(yf[2])}
results.float_y2 = yf[2]:clone()
return results
