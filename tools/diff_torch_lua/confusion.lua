-- optim/ConfusionMatrix.lua against our optim.ConfusionMatrix: random adds (numbers, vectors,
-- batches), then the printed matrix, updateValids' fields and farFrr.
local C = ...
local D = C.D
require 'optim'
local O = {}
local ftorch = setmetatable({class = function(name)
   local mt = {}
   mt.__index = mt
   O[name:match('%.(.*)$')] = setmetatable({}, {__call = function(_, ...)
      local o = setmetatable({}, mt)
      if mt.__init then mt.__init(o, ...) end
      return o
   end})
   return mt
end}, {__index = torch})
C.load(D.optim .. '/ConfusionMatrix.lua', {torch = ftorch, optim = O})

local function vec(n, ty)
   local v = torch[ty or C.choice({'Double', 'Float'}) .. 'Tensor'](n)
   for i = 1, n do v[i] = C.choice({0, 1, math.random(), math.random(), 0.5}) end
   return v
end

local function ops(seed)
   math.randomseed(seed)
   torch.manualSeed(seed)
   local n = math.random(1, 6)
   local classes = math.random() < 0.5 and {} or nil
   -- (at least one class name: ConfusionMatrix({}) has no classes at all)
   if classes then for i = 1, math.max(1, n - math.random(0, 1)) do classes[i] = 'c' .. i end end
   local list = {}
   for i = 1, math.random(0, 12) do
      local r = math.random()
      if r < 0.3 then
         list[#list + 1] = {'add', math.random(1, n), math.random(-1, n)}
      elseif r < 0.5 then
         list[#list + 1] = {'add', vec(n), math.random(0, n)}
      elseif r < 0.65 then
         list[#list + 1] = {'add', vec(n), vec(n)}
      elseif r < 0.95 then
         local b = math.random(1, 5)
         local p = C.choice({'vector', 'matrix', 'column'})
         local preds = p == 'vector' and torch.Tensor(b):random(1, n) or
            p == 'column' and torch.Tensor(b, 1):random(1, n) or torch.Tensor(b, n):uniform()
         local t = C.choice({'vector', 'matrix', 'column'})
         local targs = t == 'vector' and torch.LongTensor(b):random(0, n) or
            t == 'column' and torch.Tensor(b, 1):random(0, n) or torch.Tensor(b, n):uniform()
         list[#list + 1] = {'batchAdd', preds, targs}
      else
         list[#list + 1] = {'zero'}
      end
   end
   return n, classes, list
end

for i = 1, D.n do
   local seed = math.random(1, 2^30)
   local results = {}
   for _, side in ipairs({'ours', 'orig'}) do
      local n, classes, list = ops(seed)
      local ctor = side == 'ours' and optim.ConfusionMatrix or O.ConfusionMatrix
      local ok, res = pcall(function()
         local cm = classes and ctor(classes) or ctor(n)
         if classes and math.random() < 0.3 then cm = ctor(n, classes) end
         for _, op in ipairs(list) do cm[op[1]](cm, op[2], op[3]) end
         local s = side == 'ours' and tostring(cm) or cm:__tostring__()
         local a, b, c, d = cm:farFrr()
         return {str = s, mat = cm.mat, valids = cm.valids, unionvalids = cm.unionvalids,
                 totalValid = cm.totalValid, averageValid = cm.averageValid,
                 averageUnionValid = cm.averageUnionValid, far = {a, b, c, d}}
      end)
      results[side] = ok and res or {err = C.strip(res)}
   end
   D.call('ConfusionMatrix')
   local why = (results.ours.err or results.orig.err) and
      (results.ours.err ~= results.orig.err and ('error ' .. tostring(results.ours.err) .. ' vs ' ..
                                                 tostring(results.orig.err)))
      or C.same(results.ours, results.orig, 'cm')
   if why then
      D.diff('ConfusionMatrix', 'confusion', 'seed ' .. seed .. ': ' .. why ..
             (results.ours.str and ('\nours:\n' .. results.ours.str .. '\noriginal:\n' ..
              tostring(results.orig.str)) or ''))
   end
end
