-- File.lua's writeObject (on our MemoryFile's primitive writers) against our serializer:
-- the bytes written, for random object graphs, in binary and ascii mode, referenced or not.
local C = ...
local D = C.D
require 'nn'
local envs = setmetatable({}, {__mode = 'k'})
local F = {}  -- File.lua's methods
local ftorch = setmetatable({
   -- luaT's getenv/setenv/version, which File.lua uses (not in our th: see the report)
   getenv = function(obj) return envs[obj] or {} end,
   setenv = function(obj, t) envs[obj] = t end,
   version = function(obj)
      local mt = torch.getmetatable(torch.typename(obj))
      return mt and rawget(mt, '__version') or 1
   end,
   factory = function(name)  -- luaT's factory: a constructor of an empty object
      local f = torch.factory(name)
      return f and function() return f() end
   end,
   getmetatable = function(name)
      if name == 'torch.File' then return F end
      local mt = torch.getmetatable(name)
      if not mt then return nil end
      local kind = name:match('^torch%.(%a+)Tensor$')
      local skind = name:match('^torch%.(%a+)Storage$')
      if not (kind or skind) then return mt end
      -- TH's C write methods (generic/Tensor.c, generic/Storage.c), which File.lua calls
      return setmetatable({read = function(o, w)
         if kind then
            local nd = w:readInt()
            local size = nd > 0 and w:readLong(nd) or torch.LongStorage()
            local stride = nd > 0 and w:readLong(nd) or torch.LongStorage()
            local off = w:readLong()
            local st = w:readObject()
            if st and nd > 0 then o:set(st, off, size, stride) end
         else
            local n = w:readLong()
            o:resize(n)
            if n > 0 then w['read' .. skind](w, o) end
         end
      end, write = function(o, w)
         if kind then
            w:writeInt(o:dim())
            w:writeLong(o:dim() > 0 and o:size() or torch.LongStorage())
            w:writeLong(o:dim() > 0 and o:stride() or torch.LongStorage())
            w:writeLong(o:storageOffset())
            w:writeObject(o:dim() > 0 and o:storage() or (o:storage() or nil))
         else
            w:writeLong(o:size())
            local writer = 'write' .. (skind == 'Half' and 'Half' or skind)
            if o:size() > 0 then w[writer](w, o) end
         end
      end}, {__index = mt})
   end,
}, {__index = torch})
C.load(D.torch7 .. '/File.lua', {torch = ftorch})

-- our MemoryFile seen with File.lua's methods first (self:writeObject recurses into them)
local function wrap(f)
   return setmetatable({file = f}, {__index = function(w, k)
      if F[k] then return F[k] end
      local m = f[k]
      if type(m) == 'function' then
         return function(self, ...) return m(f, ...) end
      end
      return m
   end})
end

local function randstring()
   local n = C.choice({0, 1, 3, 10, 40})
   local b = {}
   for i = 1, n do
      b[i] = math.random() < 0.8 and string.char(math.random(32, 126)) or
         string.char(math.random(0, 255))
   end
   return table.concat(b)
end

local nofunc  -- functions are not read back (our reader refuses them by default)
local nocycle  -- referenced(false) writes a cycle forever (both raise)
local pool  -- values already made, reused to make shared references
local function randvalue(depth)
   local r = math.random()
   if pool[1] and r < 0.1 then return C.choice(pool) end
   if r < 0.3 then
      return C.value(C.choice({'normal', 'int', 'bigint', 'special', 'tiny', 'huge'}))
   elseif r < 0.4 then
      return randstring()
   elseif r < 0.45 then
      return math.random() < 0.5
   elseif r < 0.65 and depth > 0 then
      local t = {}
      for i = 1, math.random(0, 4) do t[i] = randvalue(depth - 1) end
      for i = 1, math.random(0, 3) do
         local k = C.choice({randstring(), math.random(-5, 50), 0.5, true})
         if k ~= '' then t[k] = randvalue(depth - 1) end
      end
      if not nocycle and math.random() < 0.1 then t.self = t end
      pool[#pool + 1] = t
      return t
   elseif r < 0.85 then
      local ty = C.choice({'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'})
      local t = C.rtensor(ty, math.random(0, 3), nil, {maxel = 20})
      if math.random() < 0.2 and t:dim() > 0 then
         pool[#pool + 1] = t:select(1, 1)  -- a view on the same storage
      end
      if math.random() < 0.2 then
         pool[#pool + 1] = t:storage() or t
         return t:storage() or t
      end
      pool[#pool + 1] = t
      return t
   elseif r < 0.92 or nofunc then
      -- (objects of torch classes other than tensors and storages are left out: Torch7 writes
      -- their fields in a Lua table's hash order, ours in the order they were set; see the
      -- report)
      return C.value('int')
   else
      local up = math.random()
      local g = function(x) return x + up end
      return g
   end
end

local function bytes(f)
   return f:storage()
end

for i = 1, D.n do
   local seed = math.random(1, 2^30)
   local function obj()
      math.randomseed(seed)
      torch.manualSeed(seed)
      pool = {}
      return randvalue(3)
   end
   local mode = C.choice({'binary', 'ascii'})
   local nobj = math.random(1, 3)
   local force = math.random() < 0.15
   nocycle = force
   local ob, ol = obj(), obj()
   D.call('File:writeObject')
   local fo, fl = torch.MemoryFile(), torch.MemoryFile()
   fo[mode](fo); fl[mode](fl)
   local wl = wrap(fl)
   if force then fo:referenced(false); F.referenced(wl, false) end
   local oko, eo = pcall(function() for k = 1, nobj do fo:writeObject(ob) end end)
   local okl, el = pcall(function() for k = 1, nobj do F.writeObject(wl, ol) end end)
   local why
   if oko ~= okl then
      why = oko and ('ours wrote, original raised: ' .. C.strip(el)) or
         ('ours raised: ' .. C.strip(eo))
   elseif not oko then
      if C.strip(eo) ~= C.strip(el) then why = 'error ' .. C.strip(eo) .. ' vs ' .. C.strip(el) end
   else
      local so, sl = bytes(fo), bytes(fl)
      why = C.same(so, sl, 'bytes')
      if why and mode == 'ascii' then
         local a, b = so:string(), sl:string()
         local k = 1
         while a:sub(k, k) == b:sub(k, k) do k = k + 1 end
         why = why .. ' at byte ' .. k .. ': ours ' .. string.format('%q', a:sub(math.max(1, k - 40), k + 40))
            .. ' original ' .. string.format('%q', b:sub(math.max(1, k - 40), k + 40))
      end
   end
   if why then
      D.diff('File:writeObject', 'serialization', string.format('seed %d, %s, %d times%s: %s',
         seed, mode, nobj, force and ', not referenced' or '', why))
   end
   fo:close(); fl:close()
end

-- File.lua's readObject (on our MemoryFile's primitive readers) against our reader, on what our
-- writer wrote; and torch.serialize/deserialize of File.lua against ours
nofunc = true
local orig_serialize = ftorch.serialize
for i = 1, D.n do
   local seed = math.random(1, 2^30)
   local function obj()
      math.randomseed(seed)
      torch.manualSeed(seed)
      pool = {}
      return randvalue(3)
   end
   local mode = C.choice({'binary', 'ascii'})
   local force = math.random() < 0.15
   nocycle = force
   local ob = obj()
   local fw = torch.MemoryFile()
   fw[mode](fw)
   if force then fw:referenced(false) end
   fw:writeObject(ob)
   fw:writeObject(ob)
   local st = fw:storage()
   fw:close()
   C.compare('File:readObject', 'serialization', function()
      local f = torch.MemoryFile(torch.CharStorage():copy(st))
      f[mode](f)
      if force then f:referenced(false) end
      local a = f:readObject()
      return a, f:readObject()
   end, function()
      local f = wrap(torch.MemoryFile(torch.CharStorage():copy(st)))
      f[mode](f)
      if force then F.referenced(f, false) end
      local a = F.readObject(f)
      return a, F.readObject(f)
   end, function() return {} end, function(ro, rl)
      -- read twice: the same object again when referenced
      if not force and (type(ro[1]) == 'table' or torch.isTensor(ro[1])) then
         if (ro[1] == ro[2]) ~= (rl[1] == rl[2]) then return 'identity of the second read' end
      end
   end, function() return string.format('seed %d, %s%s: ', seed, mode,
                                          force and ', not referenced' or '') end)
   C.compare('torch.serialize', 'serialization', torch.serialize, ftorch.serialize,
             function() return {obj(), mode} end)
   C.compare('torch.deserialize', 'serialization', torch.deserialize, ftorch.deserialize,
             function() return {torch.serialize(obj(), mode), mode} end)
end
