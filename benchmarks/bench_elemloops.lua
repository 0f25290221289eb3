-- Element access and small calls from Lua loops (data preparation, hand-written kernels, image
-- loops of legacy scripts), µs of CPU time (os.clock) an iteration; runs under any `th` (ours:
-- `python -m compat.th`, the original's), so that bench_elemloops.py can put the two side by
-- side. Each round times every workload once; the report gives the best and the worst round.
--   OPENBLAS_NUM_THREADS=1 th benchmarks/bench_elemloops.lua [rounds] [scale]
require 'torch'

local rounds = tonumber(arg and arg[1]) or 5
local scale = tonumber(arg and arg[2]) or 1
local K = math.max(1, math.floor(10 * scale))

local W = {}  -- {name, function(): iterations}
local function add(name, f) W[#W + 1] = {name, f} end

local t = torch.zeros(100, 100)
local s = t:storage()
local v = torch.zeros(10000)
local fv = torch.FloatTensor(10000):zero()
local bv = torch.ByteTensor(10000):zero()
local c3 = torch.zeros(10, 10, 100)

add('t[i][j] = t[i][j] + 1 (2-D)', function()
   for _ = 1, K do for i = 1, 100 do for j = 1, 100 do t[i][j] = t[i][j] + 1 end end end
   return K * 10000
end)
add('t[{i,j}] = t[{i,j}] + 1', function()
   for _ = 1, K do for i = 1, 100 do for j = 1, 100 do t[{i, j}] = t[{i, j}] + 1 end end end
   return K * 10000
end)
add('s[i] = s[i] + 1 (Storage)', function()
   for _ = 1, K do for i = 1, 10000 do s[i] = s[i] + 1 end end
   return K * 10000
end)
add('v[i] = v[i] + 1 (1-D tensor)', function()
   for _ = 1, K do for i = 1, 10000 do v[i] = v[i] + 1 end end
   return K * 10000
end)
add('fv[i] = fv[i] * 0.5 + i (Float)', function()
   for _ = 1, K do for i = 1, 10000 do fv[i] = fv[i] * 0.5 + i end end
   return K * 10000
end)
add('bv[i] = (bv[i] + i) % 300 (Byte)', function()
   for _ = 1, K do for i = 1, 10000 do bv[i] = (bv[i] + i) % 300 end end
   return K * 10000
end)
add('acc + c[i][j][k] (3-D read)', function()
   local acc = 0
   for _ = 1, math.max(1, K / 10) do
      for i = 1, 10 do for j = 1, 10 do for k = 1, 100 do acc = acc + c3[i][j][k] end end end
   end
   return math.max(1, K / 10) * 10000
end)
add('local r = t[i] (select)', function()
   for _ = 1, K do for i = 1, 100 do for _ = 1, 100 do local r = t[i] end end end
   return K * 10000
end)
add('v:size(1)', function()
   for _ = 1, K do for _ = 1, 10000 do local n = v:size(1) end end
   return K * 10000
end)
add('v:dim() + v:nElement()', function()
   for _ = 1, K do for _ = 1, 10000 do local n = v:dim() + v:nElement() end end
   return K * 10000
end)
add('s:size()', function()
   for _ = 1, K do for _ = 1, 10000 do local n = s:size() end end
   return K * 10000
end)
add('v:narrow(1,1,5)', function()
   for _ = 1, math.max(1, K / 10) do for _ = 1, 10000 do local n = v:narrow(1, 1, 5) end end
   return math.max(1, K / 10) * 10000
end)
add('resize + v[i] (geometry changes)', function()
   local u = torch.zeros(10)
   for _ = 1, math.max(1, K / 10) do
      for i = 1, 10000 do u:resize(10 + i % 2); u[1] = u[1] + 1 end
   end
   return math.max(1, K / 10) * 10000
end)

local best, worst = {}, {}
for _ = 1, rounds do
   for i, w in ipairs(W) do
      collectgarbage()
      local c = os.clock()
      local n = w[2]()
      local us = (os.clock() - c) / n * 1e6
      best[i] = math.min(best[i] or math.huge, us)
      worst[i] = math.max(worst[i] or 0, us)
   end
end
for i, w in ipairs(W) do
   print(string.format('%-36s %10.4f %10.4f', w[1], best[i], worst[i]))
end
