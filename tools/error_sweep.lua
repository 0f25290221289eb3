-- The Lua half of tools/error_sweep.py: calls every target with wrong arguments under pcall
-- and reports Python-looking messages (and, with the original nn, messages that differ).
require 'nn'
require 'optim'
require 'nngraph'

local T = SWEEP_TARGETS
local ONLY, SAMPLE, VERBOSE = SWEEP_ONLY, SWEEP_SAMPLE or 0, SWEEP_VERBOSE
local report, is_leak = SWEEP_REPORT, SWEEP_IS_LEAK
local counts = {calls = 0, leaks = 0, diffs = 0}

-- the wrong arguments: each builds fresh values (a call may change what it is given)
local CASES = {
   {'none', function() return 0 end},
   {'nil', function() return 1, nil end},
   {'string', function() return 1, 'a' end},
   {'table', function() return 1, {} end},
   {'number', function() return 1, 3 end},
   {'boolean', function() return 1, true end},
   {'FloatTensor', function() return 1, torch.FloatTensor(2, 3):zero() end},
   {'LongTensor', function() return 1, torch.LongTensor(2, 3):zero() end},
   {'5D', function() return 1, torch.zeros(2, 2, 2, 1, 2) end},
   {'empty', function() return 1, torch.Tensor() end},
   {'tensor,string', function() return 2, torch.zeros(3), 'a' end},
   {'tensor,table', function() return 2, torch.zeros(3), {} end},
   {'tensor,number', function() return 2, torch.zeros(3), 3 end},
   {'tensor,wrong size', function() return 2, torch.zeros(3), torch.zeros(5) end},
   {'string,string', function() return 2, 'a', 'b' end},
   {'table,table', function() return 2, {torch.zeros(3)}, {} end},
}

-- with --shapes: valid types and wrong shapes (what a script meets after a model change)
if SWEEP_SHAPES then
   CASES = {
      {'2D', function() return 1, torch.rand(2, 3) end},
      {'3D', function() return 1, torch.rand(3, 4, 5) end},
      {'4D', function() return 1, torch.rand(2, 3, 4, 5) end},
      {'1D4', function() return 1, torch.rand(4) end},
      {'3x3x3', function() return 1, torch.rand(3, 3, 3) end},
      {'2D,2D', function() return 2, torch.rand(2, 3), torch.rand(2, 3) end},
      {'2D,wrong', function() return 2, torch.rand(2, 3), torch.rand(3, 2) end},
      {'3D,3D', function() return 2, torch.rand(3, 4, 5), torch.rand(3, 4, 5) end},
      {'3D,wrong', function() return 2, torch.rand(3, 4, 5), torch.rand(3, 4, 4) end},
      {'4D,4D', function() return 2, torch.rand(2, 3, 4, 5), torch.rand(2, 3, 4, 5) end},
      {'1D,1D', function() return 2, torch.rand(3), torch.rand(3) end},
      {'1D,long', function() return 2, torch.rand(3), torch.LongTensor{1, 2, 3} end},
      {'2D,long1', function() return 2, torch.rand(2, 3), torch.LongTensor{1, 2} end},
      {'2D,long0', function() return 2, torch.rand(2, 3), torch.LongTensor{0, 4} end},
      {'pair', function() return 1, {torch.rand(2, 3), torch.rand(2, 3)} end},
      {'pair,wrong', function() return 1, {torch.rand(2, 3), torch.rand(3, 2)} end},
      {'pair,pair', function() return 2, {torch.rand(2, 3), torch.rand(2, 3)},
                                          {torch.rand(2, 3), torch.rand(2, 3)} end},
   }
end

local function strip(msg)
   msg = tostring(msg)
   msg = msg:match('^(.-)\nstack traceback') or msg
   msg = ('\n' .. msg):gsub('\n[^\n]-:%d+: ', '\n'):sub(2)
   msg = msg:gsub('orignn%.', 'nn.')
   return msg
end

-- --only: Lua patterns separated by commas, any of which the call's name matches
local ONLYS
if ONLY then
   ONLYS = {}
   for p in ONLY:gmatch('[^,]+') do ONLYS[#ONLYS + 1] = p end
end
local function selected(name)
   if ONLYS == nil then return true end
   for _, p in ipairs(ONLYS) do
      if name:find(p) then return true end
   end
   return false
end

SWEEP_SELECTED = selected

local nth = 0
local function sampled()
   nth = nth + 1
   return SAMPLE <= 1 or nth % SAMPLE == 1
end

local function flag(kind, name, text)
   report(kind .. ' ' .. name .. ': ' .. text)
end

-- one call: returns ok, message (stripped)
local pcall = SWEEP_PCALL or pcall
local function try(f, ...)
   local r = {pcall(f, ...)}
   if r[1] then return true end
   if SWEEP_NOEXIT then SWEEP_NOEXIT() end
   return false, strip(r[2])
end

local function check(name, ok, msg)
   counts.calls = counts.calls + 1
   if VERBOSE then report('CALL ' .. name .. ': ' .. (ok and 'ok' or msg)) end
   if not ok and is_leak(msg) then
      counts.leaks = counts.leaks + 1
      flag('LEAK', name, msg)
   end
end

local function compare(name, ok, msg, ook, omsg)
   if ook == nil then return end
   if ok ~= ook or (not ok and msg ~= omsg) then
      counts.diffs = counts.diffs + 1
      flag('DIFF', name, 'ours ' .. (ok and 'ok' or ('"' .. msg .. '"')) .. ' | original '
           .. (ook and 'ok' or ('"' .. omsg .. '"')))
   end
end

-- ours first: the original's classes registered beside them change what nn's lazy index finds
local NNCLASS = {}
for _, entry in ipairs(T.nn) do NNCLASS[entry[1]] = nn[entry[1]] end

-- the original nn, when given
local orignn, OCLASSES
if SWEEP_NN then
   local here = debug.getinfo(1, 'S').source:sub(2):match('^(.*)/') or '.'
   local failed
   local env
   orignn, failed, OCLASSES, env = assert(loadfile(here .. '/diff_nn_load.lua'))(SWEEP_NN)
   for _, m in ipairs(failed) do report('LOAD FAILED ' .. m) end
   if SWEEP_NNGRAPH then  -- Torch7 with nngraph: its __call__ on nn.Module and nn.Criterion
      assert(loadfile(here .. '/error_sweep_nngraph.lua'))(SWEEP_NNGRAPH, orignn, env)
   end
end

-- constructor arguments tried in turn for a module or criterion
local CTORS = {{}, {3}, {3, 3}, {3, 3, 3}, {3, 3, 3, 3}, {3, 3, 3, 3, 3}, {3, 3, 3, 3, 3, 3},
               {{}}, {torch.ones(3)}, {nn.Identity()}, {nn.Identity(), 3}}

local function construct(cls)
   for _, args in ipairs(CTORS) do
      local ok, obj = pcall(cls, unpack(args))
      if ok and obj ~= nil then return obj, args end
   end
end

-- methods whose wrong arguments Torch7's own code ignores or that read from elsewhere
local SKIP = {['nn.Module:sharedClone'] = true}

for _, entry in ipairs(T.nn) do
   local short, methods = entry[1], entry[2]
   local cls = NNCLASS[short]
   local probe, args = construct(cls)
   local ocls = orignn and OCLASSES[short] and orignn[short]
   for _, meth in ipairs(methods) do
      local name = 'nn.' .. short .. ':' .. meth
      if probe ~= nil and selected(name) and not SKIP[name] and sampled() then
         for _, case in ipairs(CASES) do
            local cname = name .. '(' .. case[1] .. ')'
            -- without nngraph's original, the original's __call__ is Module.lua's, not the
            -- one Torch7 runs once nngraph is loaded: not compared
            local ocls = (meth ~= '__call__' or SWEEP_NNGRAPH) and ocls or nil
            local function call(c)
               local obj = c(unpack(args))
               local packed = {case[2]()}
               return obj[meth](obj, unpack(packed, 2, packed[1] + 1))
            end
            local ok, msg = try(call, cls)
            check(cname, ok, msg)
            if ocls then
               local ook, omsg = try(call, ocls)
               compare(cname, ok, msg, ook, omsg)
            end
         end
      end
   end
end

for _, entry in ipairs(T.objects) do
   local expr, methods = entry[1], entry[2]
   local make = assert(loadstring('return ' .. expr))
   for _, meth in ipairs(methods) do
      local name = expr:match('^[%w%.]+') .. ':' .. meth
      if selected(name) and sampled() then
         for _, case in ipairs(CASES) do
            local ok, msg = try(function()
               local obj = make()
               local packed = {case[2]()}
               return obj[meth](obj, unpack(packed, 2, packed[1] + 1))
            end)
            check(name .. '(' .. case[1] .. ')', ok, msg)
         end
      end
   end
end

-- the functions of the Lua-side tables (paths, sys, xlua) are listed here, the others by Python
local tables = {}
for _, entry in ipairs(T.functions) do tables[#tables + 1] = entry end
for _, tname in ipairs({'paths', 'sys', 'xlua', 'nngraph'}) do
   local names = {}
   for k, v in pairs(_G[tname]) do
      if type(v) == 'function' and type(k) == 'string' then names[#names + 1] = k end
   end
   table.sort(names)
   tables[#tables + 1] = {tname, names}
end
for _, entry in ipairs(tables) do
   local tname, names = entry[1], entry[2]
   local unsafe = {}
   for _, k in ipairs(T.unsafe[tname] or {}) do unsafe[k] = true end
   for _, k in ipairs(names) do
      local name = tname .. '.' .. k
      if not unsafe[k] and selected(name) and sampled() then
         for _, case in ipairs(CASES) do
            local ok, msg = try(function()
               local packed = {case[2]()}
               return _G[tname][k](unpack(packed, 2, packed[1] + 1))
            end)
            check(name .. '(' .. case[1] .. ')', ok, msg)
         end
      end
   end
end

return counts
