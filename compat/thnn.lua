-- nn/THNN.lua for torch7py: `require 'nn.THNN'` and the `THNN` field of the Float/Double tensor
-- metatables (`input.THNN.Linear_updateOutput(input:cdata(), ...)`). The library object stands
-- for libTHNN: `lib.THNN_DoubleLinear_updateOutput(state, ...)` checks its arguments as LuaJIT's
-- FFI does with THNN.h's declarations (argument count, C types), turns each `t:cdata()` back
-- into its tensor and runs torch7py.nn.thnn.call. Called with that Python module.
local ffi = require 'ffi'
local lua_type, select, tonumber, floor, ceil = type, select, tonumber, math.floor, math.ceil

return function(py, H)

local THNN = {}

-- the tensor a cdata pointer stands for (t:cdata() is ffi.cast('void*', torch.pointer(t))),
-- found through torch.pushudata once and then kept (weakly) by its number
local OBJ = setmetatable({}, {__mode = 'v'})
local TYPES = {'torch.DoubleTensor', 'torch.FloatTensor', 'torch.LongTensor', 'torch.IntTensor',
               'torch.ByteTensor', 'torch.CharTensor', 'torch.ShortTensor', 'torch.HalfTensor'}
-- a tensor's cdata is its torch.pointer, fixed for its life: kept per proxy, and the proxy
-- found again by it without asking Python (a storage's pointer follows its buffer: not kept)
local CDATA = setmetatable({}, {__mode = 'k'})
local base_cdata = H.KINDMETHODS.tensor.cdata
H.KINDMETHODS.tensor.cdata = function(self)
   local c = CDATA[self]
   if c == nil then
      c = base_cdata(self)
      if c == nil then return nil end
      CDATA[self] = c
      OBJ[tonumber(ffi.cast('uintptr_t', c))] = self
   end
   return c
end
H.clear_method_caches()  -- the classes that cached the first cdata find this one

local function object_at(c)
   local p = tonumber(ffi.cast('uintptr_t', c))
   if p == 0 then return nil, true end
   local o = OBJ[p]
   if o ~= nil then return o, true end
   for _, name in ipairs(TYPES) do
      local ok, v = pcall(torch.pushudata, p, name)
      if ok and v ~= nil then
         OBJ[p] = v
         return v, true
      end
   end
   return nil, false
end

-- the C type LuaJIT's FFI would name for a value (in "cannot convert 'X' to 'Y'")
local function ctype_of(v, obj)
   if obj ~= nil then return 'struct TH' .. torch.typename(obj):match('^torch%.(%a+)$') .. ' *' end
   if lua_type(v) == 'cdata' then return (tostring(ffi.typeof(v)):match('^ctype<(.*)>$')) end
   return lua_type(v)
end

-- (C's long: LuaJIT's FFI names it by its LP64 width, as the reference build prints)
local NUMTYPE = {r = 'double', i = 'int', l = 'int64_t', b = 'bool'}

local function badconv(i, from, to)
   -- argument i + 1 of the C function: its first is the state
   error(string.format("bad argument #%d to 'v' (cannot convert '%s' to '%s')", i + 1, from, to),
         3)
end

-- THNN_<Real><name>: the checks and conversions of an FFI call, then the Python kernel
local function cfunction(real, name)
   local tname = 'torch.' .. real .. 'Tensor'
   local codes = py.codes(name)
   local n = #codes
   local want, ctype = {}, {}
   for i = 1, n do
      local c = codes:sub(i, i)
      want[i] = c
      if c == 'T' then
         ctype[i] = 'struct TH' .. real .. 'Tensor *'
      elseif c == 'I' then
         ctype[i] = 'struct THLongTensor *'
      elseif c == 'N' then
         ctype[i] = 'struct THIntTensor *'
      elseif c == 'G' then
         ctype[i] = 'THGenerator *'
      else
         ctype[i] = NUMTYPE[c]
      end
   end
   local TT = {T = tname, I = 'torch.LongTensor', N = 'torch.IntTensor'}
   local call = py.call
   return function(state, ...)
      if select('#', ...) ~= n then
         error('wrong number of arguments for function call', 2)
      end
      local args = {...}
      for i = 1, n do
         local c, v = want[i], args[i]
         local t = lua_type(v)
         if c == 'T' or c == 'I' or c == 'N' or c == 'G' then
            if t == 'cdata' then
               local o, known = object_at(v)
               if not known then badconv(i, ctype_of(v), ctype[i]) end
               v = o
            elseif t == 'userdata' and torch.typename(v) then
               -- FFI passes a userdata as a pointer to its block: the object itself here
            elseif t ~= 'nil' then
               badconv(i, t, ctype[i])
            end
            if v ~= nil and c ~= 'G' and torch.typename(v) ~= TT[c] then
               badconv(i, ctype_of(nil, v), ctype[i])
            end
            if c == 'G' then v = nil end  -- torch7py's modules draw from torch's generator
            args[i] = v
         elseif c == 'b' then
            if t == 'number' then args[i] = v ~= 0
            elseif t == 'nil' then args[i] = false
            elseif t == 'cdata' then args[i] = tonumber(ffi.cast('uintptr_t', v)) ~= 0
            elseif t ~= 'boolean' then badconv(i, t, ctype[i]) end
         else
            if t == 'boolean' then v = v and 1 or 0
            elseif t == 'cdata' then
               local o = object_at(v)
               local ok, num = pcall(tonumber, v)
               if o ~= nil or not ok or num == nil then badconv(i, ctype_of(v, o), ctype[i]) end
               v = num
            elseif t ~= 'number' then
               badconv(i, t == 'userdata' and 'userdata' or t, ctype[i])
            end
            if c ~= 'r' then v = v >= 0 and floor(v) or ceil(v) end  -- C's truncation
            args[i] = v
         end
      end
      call(name, tname, unpack(args, 1, n))
   end
end

-- libTHNN: its symbols THNN_Double<name> and THNN_Float<name>, for the functions torch7py runs
local available = {}
local function_names = {}
for _, name in ipairs(py.available()) do
   available[name] = true
   function_names[#function_names + 1] = name
end
local made = {}
THNN.C = setmetatable({}, {
   __index = function(_, sym)
      local f = made[sym]
      if f ~= nil then return f end
      local real, name = tostring(sym):match('^THNN_(Double)(.+)$')
      if real == nil then real, name = tostring(sym):match('^THNN_(Float)(.+)$') end
      if real ~= nil and available[name] then
         f = cfunction(real, name)
         made[sym] = f
         return f
      end
      error('undefined symbol: ' .. tostring(sym), 2)
   end,
   __newindex = function() error("attempt to write to constant location", 2) end,
})

-- THNN's table: NULL and the state are nil under LuaJIT (it has no ffi.NULL)
THNN.NULL = ffi.NULL or nil
THNN.getState = function() return THNN.NULL end
THNN.optionalTensor = function(t)
   if t then return t:cdata() end
   return THNN.NULL
end

-- bind: name -> function(...) that calls lib's THNN_<type><name>(state, ...); a symbol lib
-- lacks is reported on stdout ("not found: " .. symbol .. the lookup's error) and left out
function THNN.bind(lib, base_names, type_name, state_getter)
   local ftable, prefix = {}, 'THNN_' .. type_name
   for _, name in ipairs(base_names) do
      local sym = prefix .. name
      local ok, cf = pcall(function() return lib[sym] end)
      if not ok then
         print('not found: ' .. sym .. cf)
      else
         ftable[name] = function(...) cf(state_getter(), ...) end  -- returns nothing, as C
      end
   end
   return ftable
end

local KINDS = {'Float', 'Double'}
THNN.kernels = {}
for _, real in ipairs(KINDS) do
   local tname = 'torch.' .. real .. 'Tensor'
   THNN.kernels[tname] = THNN.bind(THNN.C, function_names, real, THNN.getState)
   torch.getmetatable(tname).THNN = THNN.kernels[tname]
   -- `input.THNN` is then found in the class's Lua method cache (until a class edit empties
   -- the caches: then through the class attribute, the same table)
   local info = H.CLASSMT[debug.getmetatable(torch[real .. 'Tensor']())]
   if info ~= nil then info.methods.THNN = THNN.kernels[tname] end
end

-- runKernel(name, typename, ...): nn's own reports a missing function through the looked-up
-- value, which is nil by then, so its text reads "Function 'nil' not found ..."
function THNN.runKernel(fname, tname, ...)
   local ftable = THNN.kernels[tname]
   if not ftable then error('Unsupported tensor type: ' .. tname) end
   local fn = ftable[fname]
   if not fn then
      error(string.format("Function '%s' not found for tensor type '%s'.", tostring(fn), tname))
   end
   fn(...)
end

return THNN
end
