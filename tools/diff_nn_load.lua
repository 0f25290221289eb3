-- Loads the original nn's Lua files (a user's checkout, never part of this repository) into a
-- separate namespace, `orignn`, so that torch7py's nn stays intact: each file runs with an
-- environment whose `nn` is orignn and whose torch.class registers 'orignn.X' (parent
-- 'orignn.Y'); torch.type/typename/isTypeOf inside those files see 'nn.X' again, so the
-- original code reads the names it was written for.
local NNDIR = assert(..., 'usage: diff_nn_load(path of the nn checkout)')

local orignn = {}
_G.orignn = orignn

local function orig_name(name)
   if type(name) == 'string' then return (name:gsub('^nn%.', 'orignn.')) end
   return name
end
local function nn_name(name)
   if type(name) == 'string' then return (name:gsub('^orignn%.', 'nn.')) end
   return name
end

local otorch = setmetatable({}, {__index = torch})
local CLASSES = {}  -- 'Linear' -> the class table the file defines its methods on
function otorch.class(name, parent, module)
   -- init.lua's forms: (name, parent, module) or, without a parent, (name, module)
   local C, pv
   if parent ~= nil then
      C, pv = torch.class(orig_name(name), orig_name(parent), orignn)
   else
      C, pv = torch.class(orig_name(name), orignn)
   end
   CLASSES[(name:gsub('^nn%.', ''))] = C
   return C, pv
end
function otorch.typename(...)
   if select('#', ...) == 0 then return torch.typename() end
   local t = torch.typename(...)
   if t == nil then return end
   return nn_name(t)
end
function otorch.type(x)
   return nn_name(torch.type(x))
end
function otorch.isTypeOf(obj, spec)
   if type(spec) == 'string' and spec:match('^nn%.') then
      return torch.isTypeOf(obj, spec) or torch.isTypeOf(obj, orig_name(spec))
   end
   return torch.isTypeOf(obj, spec)
end
function otorch.getmetatable(name)
   if type(name) == 'string' and name:match('^nn%.') then
      local mt = torch.getmetatable(orig_name(name))
      if mt ~= nil then return mt end
   end
   return torch.getmetatable(name)
end

local env
local loaded = {}
local function orequire(name)
   local short = type(name) == 'string' and name:match('^nn%.(.+)$')
   if short == 'THNN' then return require 'nn.THNN' end
   if short then
      if loaded[short] == nil then
         loaded[short] = true
         local chunk = assert(loadfile(NNDIR .. '/' .. short .. '.lua'))
         setfenv(chunk, env)
         local r = chunk()
         if r ~= nil then loaded[short] = r end
      end
      return loaded[short]
   end
   return require(name)
end
env = setmetatable({nn = orignn, torch = otorch, require = orequire}, {__index = _G})

local failed = {}
local function load(short)
   local ok, err = pcall(orequire, 'nn.' .. short)
   if not ok then failed[#failed + 1] = short .. ': ' .. tostring(err) end
end

-- the order of nn's init.lua, then every other file of the checkout
local order = {}
local seen = {}
for line in io.lines(NNDIR .. '/init.lua') do
   local short = line:match("^%s*require%(?%s*'nn%.([%w_]+)'")
   if short and short ~= 'THNN' and short ~= 'test' and not seen[short] then
      order[#order + 1] = short
      seen[short] = true
   end
end
for _, short in ipairs(order) do load(short) end
return orignn, failed, CLASSES, env
