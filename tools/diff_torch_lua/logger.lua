-- optim/Logger.lua against our optim.Logger: setNames/add of random rows, the file written
-- and the symbols kept (plotting needs gnuplot: not compared).
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
C.load(D.optim .. '/Logger.lua', {torch = ftorch, optim = O})

local dir = os.tmpname()
os.remove(dir)
local function read(path)
   local f = io.open(path)
   local s = f and f:read('*a')
   if f then f:close() end
   return s
end

local function rval()
   local r = math.random()
   if r < 0.6 then
      local v = C.value(C.choice({'normal', 'int', 'decade', 'special', 'huge'}))
      -- (-0.0 reaches Python as the integer 0, the Lua layer's documented rule: not compared)
      if v == 0 then v = 0 end
      return v
   end
   return C.choice({'', 'a', 'loss', '1.5', 'x y'})
end

for i = 1, D.n do
   local seed = math.random(1, 2^30)
   local files, res = {}, {}
   for _, side in ipairs({'ours', 'orig'}) do
      math.randomseed(seed)
      torch.manualSeed(seed)
      local path = dir .. '/' .. side .. i .. '/log.txt'
      files[side] = path
      local ctor = side == 'ours' and optim.Logger or O.Logger
      local ok, e = pcall(function()
         local lg = ctor(path)
         local names = {'train', 'test', 'lr'}
         local n = math.random(1, 3)
         if math.random() < 0.5 then
            local nm = {}
            for k = 1, n do nm[k] = names[k] end
            lg:setNames(nm)
            for r = 1, math.random(0, 5) do
               local row = {}
               for k = 1, n do row[k] = rval() end
               lg:add(row)
            end
         else
            for r = 1, math.random(1, 5) do
               local row = {}
               for k = 1, n do row[names[k]] = rval() end
               lg:add(row)
            end
         end
         lg.file:close()
         return {symbols = lg.symbols, names = lg.names, styles = lg.styles,
                 nsymbols = lg.nsymbols, idx = lg.idx}
      end)
      res[side] = ok and e or {err = C.strip(e)}
      res[side].text = read(path)
   end
   D.call('Logger')
   local why = C.same(res.ours, res.orig, 'logger')
   if why then
      D.diff('Logger', 'logger', 'seed ' .. seed .. ': ' .. why .. '\nours:\n' ..
             tostring(res.ours.text) .. '\noriginal:\n' .. tostring(res.orig.text))
   end
   os.remove(files.ours); os.remove(files.orig)
end
os.execute('rm -rf "' .. dir .. '"')
