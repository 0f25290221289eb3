-- Tensor.lua's shape functions (expand, expandAs, repeatTensor, view, viewAs, split, chunk,
-- totable, permute, type conversions) against ours, called as methods and as torch.*.
local C = ...
local D = C.D
local ftorch, mts = C.faketorch()
C.load(D.torch7 .. '/Tensor.lua', {torch = ftorch})

local function desc(a)
   local parts = {}
   for i = 1, a.n or #a do parts[i] = C.show(a[i]) end
   return '(' .. table.concat(parts, ', ') .. ') '
end

-- also check that a result shares the input's storage exactly when the original's does
local function sharing(ro, rl, ao, al)
   local function shares(r, a)
      if not (torch.isTensor(r[1]) and torch.isTensor(a[1])) then return nil end
      return torch.pointer(r[1]:storage()) == torch.pointer(a[1]:storage())
   end
   if shares(ro, ao) ~= shares(rl, al) then
      return 'storage shared with the input: ' .. tostring(shares(ro, ao)) .. ' vs ' ..
         tostring(shares(rl, al))
   end
end

local function run(name, T, args, isfunc)
   local ours = isfunc and torch[name] or function(x, ...) return x[name](x, ...) end
   local orig = isfunc and ftorch[name] or T[name]
   C.compare((isfunc and 'torch.' or 'Tensor:') .. name, name, ours, orig, args, sharing, desc)
end

local function sizes_of(t) return t:size():totable() end

for i = 1, D.n do
   local ty = C.choice(C.types)
   local T = mts['torch.' .. ty .. 'Tensor']
   local seed = math.random(1, 2^30)
   local dims = math.random(1, 5)
   local function x()  -- the same tensor for both calls
      torch.manualSeed(seed)
      math.randomseed(seed)
      return C.rtensor(ty, dims, 'int')
   end
   local isf = i % 2 == 0
   -- expand: singletons to random sizes, or a wrong size
   local function expand_args()
      local t = x()
      math.randomseed(seed + 1)
      local s = {}
      for d = 1, t:dim() do
         s[d] = t:size(d) == 1 and math.random(1, 4) or
            (math.random() < 0.1 and t:size(d) + 1 or t:size(d))
      end
      if math.random() < 0.05 then s[#s + 1] = 2 end
      if math.random() < 0.5 then return {t, torch.LongStorage(s)} end
      local r = {t, unpack(s)}
      r.n = #s + 1
      return r
   end
   run('expand', T, expand_args, isf)
   run('expandAs', T, function()
      local a = expand_args()
      local t = a[1]
      local ok, e = pcall(function() return t:expand(torch.LongStorage(a[2]:totable())) end)
      local tmpl = torch.DoubleTensor():resize(type(a[2]) == 'number' and t:size() or a[2])
      return {t, tmpl}
   end, isf)
   run('repeatTensor', T, function()
      local t = x()
      math.randomseed(seed + 2)
      local s = {}
      local nd = t:dim() + math.random(-1, 2)
      for d = 1, math.max(nd, 1) do s[d] = math.random(1, 3) end
      if math.random() < 0.5 then return {t, torch.LongStorage(s)} end
      local r = {t, unpack(s)}
      r.n = #s + 1
      return r
   end, isf)
   run('view', T, function()
      local t = x()
      math.randomseed(seed + 3)
      local n = t:nElement()
      local s = {}
      -- a random factorisation of n, maybe with a -1 or a wrong size
      local rest = n
      while rest > 1 and #s < 4 do
         local f = math.random(1, rest)
         if rest % f == 0 then s[#s + 1] = f; rest = rest / f end
      end
      s[#s + 1] = rest
      if math.random() < 0.3 then s[math.random(1, #s)] = -1 end
      if math.random() < 0.1 then s[#s] = s[#s] + 1 end
      if math.random() < 0.05 then s[1], s[#s] = -1, -1 end
      if math.random() < 0.5 then return {t, torch.LongStorage(s)} end
      local r = {t, unpack(s)}
      r.n = #s + 1
      return r
   end, isf)
   run('viewAs', T, function()
      local t = x()
      math.randomseed(seed + 4)
      local tmpl = torch.FloatTensor(t:nElement() + (math.random() < 0.1 and 1 or 0))
      return {t, tmpl}
   end, isf)
   run('split', T, function()
      local t = x()
      math.randomseed(seed + 5)
      return {t, math.random(1, 4), math.random(1, t:dim())}
   end, isf)
   run('chunk', T, function()
      local t = x()
      math.randomseed(seed + 6)
      return {t, math.random(1, 5), math.random(1, t:dim())}
   end, isf)
   for _, name in ipairs({'split', 'chunk'}) do  -- into a given result table
      C.compare('torch.' .. name .. '(result)', name, function(r, ...)
         local out = torch[name](r, ...)
         return out, r
      end, function(r, ...)
         local out = ftorch[name](r, ...)
         return out, r
      end, function()
         local t = x()
         math.randomseed(seed + 8)
         return {{torch.Tensor(1), torch.Tensor(2), 'x'}, t, math.random(1, 4),
                 math.random(1, t:dim())}
      end, nil, desc)
   end
   run('totable', T, function() return {x()} end, isf)
   run('permute', T, function()
      local t = x()
      math.randomseed(seed + 7)
      local p = {}
      for d = 1, t:dim() do p[d] = d end
      for d = t:dim(), 2, -1 do
         local j = math.random(1, d)
         p[d], p[j] = p[j], p[d]
      end
      if math.random() < 0.05 then p[#p + 1] = #p + 1 end
      local r = {t, unpack(p)}
      r.n = #p + 1
      return r
   end, isf)
   for _, conv in ipairs({'byte', 'char', 'short', 'int', 'long', 'float', 'double'}) do
      if math.random() < 0.3 then
         C.compare('Tensor:' .. conv, 'type conversion', function(t) return t[conv](t) end,
                   T[conv], function() return {x()} end, sharing, desc)
      end
   end
   C.compare('Tensor:type', 'type conversion', function(t, n) return t:type(n) end, T.type,
             function() return {x(), C.choice({'torch.DoubleTensor', 'torch.IntTensor',
                                              'torch.' .. ty .. 'Tensor'})} end, sharing, desc)
   C.compare('Tensor:typeAs', 'type conversion', function(t, n) return t:typeAs(n) end, T.typeAs,
             function() return {x(), torch.ByteTensor(2)} end, sharing, desc)
end
