-- Helpers of the differential checker: loading an original file into its own environment,
-- random inputs, and comparing two results bit for bit.
local D = DIFF
local C = {D = D}

-- string.format as C's sprintf: LuaJIT's own %f of |x| < ~1e-150 is wrong (see c_format)
local sformat = string.format
local function format(fmt, ...)
   for i = 1, select('#', ...) do
      local x = select(i, ...)
      if type(x) == 'number' and x ~= 0 and math.abs(x) < 1e-100 then
         return D.c_format(fmt, ...)
      end
   end
   return sformat(fmt, ...)
end
C.string = setmetatable({format = format}, {__index = string})

-- Run an original Lua file with `env` as its globals (reads fall back to ours).
function C.load(path, env)
   env.string = env.string or C.string
   local f = assert(loadfile(path))
   setmetatable(env, {__index = _G})
   setfenv(f, env)
   f()
   return env
end

-- A `torch` table whose torch.class(name) makes a plain Lua class that leaves ours alone:
-- register(name, ctor) receives each class's constructor (called as ctor(...)).
function C.classtorch(register)
   return setmetatable({class = function(name)
      local mt = {}
      mt.__index = mt
      register(name, setmetatable({}, {__call = function(_, ...)
         local o = setmetatable({}, mt)
         if mt.__init then mt.__init(o, ...) end
         return o
      end}))
      return mt
   end}, {__index = torch})
end

-- A `torch` table for an original file: metatables it asks for are fresh tables that collect
-- its functions, everything else is our torch.
function C.faketorch(extra)
   local mts = {}
   local t = {getmetatable = function(name)
      -- rawset (what the files use) fills it; reads fall back to our metatable
      mts[name] = mts[name] or setmetatable({}, {__index = torch.getmetatable(name)})
      return mts[name]
   end}
   for k, v in pairs(extra or {}) do t[k] = v end
   return setmetatable(t, {__index = torch}), mts
end

-- An error message without the "file:line: " prefixes that differ between the two codes.
function C.strip(msg)
   msg = tostring(msg)
   local prev
   repeat
      prev = msg
      msg = msg:gsub('^[^\n:]*:%d+: ', '')
   until msg == prev
   return msg
end

local function isnan(x) return x ~= x end

function C.show(v)
   if type(v) == 'string' then return string.format('%q', v) end
   if type(v) == 'number' then return string.format('%.17g', v) end
   local t = torch.typename(v)
   if t and t:find('Storage$') then
      return t:match('torch%.(.*)') .. '{' .. table.concat(v:totable(), ',') .. '}'
   end
   if t and t:find('Tensor$') then
      return t .. ' size ' .. table.concat(v:size():totable(), 'x')
   end
   return tostring(v)
end

-- nil when a and b are the same (tensors: type, geometry and bits; tables: deeply), else why
function C.same(a, b, path, seen)
   path = path or 'result'
   local ta, tb = torch.type(a), torch.type(b)
   if ta ~= tb then return path .. ': type ' .. ta .. ' vs ' .. tb end
   if type(a) == 'number' then
      if isnan(a) and isnan(b) then return nil end
      if a ~= b or (a == 0 and 1 / a ~= 1 / b) then
         return path .. ': ' .. C.show(a) .. ' vs ' .. C.show(b)
      end
      return nil
   end
   if ta:find('^torch%..*Tensor$') or ta:find('^torch%..*Storage$') then
      local d = D.tensor_diff(a, b)
      if d then return path .. ': ' .. d end
      return nil
   end
   if type(a) == 'table' then
      seen = seen or {}
      if seen[a] then return nil end
      seen[a] = true
      for k, v in pairs(a) do
         if type(v) ~= 'function' then
            local r = C.same(v, b[k], path .. '.' .. tostring(k), seen)
            if r then return r end
         end
      end
      for k, v in pairs(b) do
         if a[k] == nil and type(v) ~= 'function' then
            return path .. '.' .. tostring(k) .. ': missing in ours'
         end
      end
      return nil
   end
   if type(a) == 'function' or type(a) == 'userdata' then return nil end
   if a ~= b then return path .. ': ' .. C.show(a) .. ' vs ' .. C.show(b) end
   return nil
end

local function pack(ok, ...) return {ok = ok, n = select('#', ...), ...} end

-- Call ours and the original on the same arguments (made fresh for each by `args()`), and
-- compare what they return or the errors they raise. `check(ro, rl)` may compare more.
function C.compare(fname, mech, ours, orig, args, check, describe)
   D.call(fname)
   -- args() draws random numbers: both calls get the same draws
   local seed = math.random(1, 2^30)
   local function fresh()
      math.randomseed(seed)
      torch.manualSeed(seed)
      return args()
   end
   local ao, al = fresh(), fresh()
   math.randomseed(seed + 1)
   local ro = pack(pcall(ours, unpack(ao, 1, ao.n or #ao)))
   local rl = pack(pcall(orig, unpack(al, 1, al.n or #al)))
   local why
   if ro.ok ~= rl.ok then
      why = ro.ok and ('ours returned, original raised: ' .. C.strip(rl[1]))
         or ('ours raised: ' .. C.strip(ro[1]) .. ' ; original returned ' .. C.show(rl[1]))
   elseif not ro.ok then
      local mo, ml = C.strip(ro[1]), C.strip(rl[1])
      if mo ~= ml then why = 'error ' .. string.format('%q', mo) .. ' vs ' .. string.format('%q', ml) end
   else
      if ro.n ~= rl.n and not (ro.n == 0 and rl.n == 1 and rl[1] == nil) then
         why = ro.n .. ' results vs ' .. rl.n
      end
      for i = 1, math.max(ro.n, rl.n) do
         why = why or C.same(ro[i], rl[i], 'result ' .. i)
      end
      if not why and check then why = check(ro, rl, ao, al) end
   end
   if why then
      D.diff(fname, mech, (describe and describe(al) or '') .. why)
      return false
   end
   return true
end

-- random numbers ----------------------------------------------------------------------
function C.randint(a, b) return math.random(a, b) end
function C.choice(t) return t[math.random(1, #t)] end

C.types = {'Byte', 'Char', 'Short', 'Int', 'Long', 'Float', 'Double'}
local ranges = {Byte = {0, 255}, Char = {-128, 127}, Short = {-32768, 32767},
                Int = {-2^31, 2^31 - 1}, Long = {-2^53, 2^53}}

-- one random value in the style `style`
local function value(style, ty)
   local r = ranges[ty]
   if r then
      local s = math.random()
      if style == 'small' or s < 0.5 then return math.random(math.max(r[1], -20), math.min(r[2], 20)) end
      if s < 0.8 then return math.random(math.max(r[1], -1e6), math.min(r[2], 1e6)) end
      return math.floor(r[1] + math.random() * (r[2] - r[1]))
   end
   if style == 'int' then return math.random(-1000, 1000) end
   if style == 'bigint' then return math.floor((math.random() - 0.5) * 10 ^ math.random(5, 20)) end
   if style == 'normal' then return torch.normal(0, 1) end
   if style == 'decade' then return torch.normal(0, 1) * 10 ^ math.random(-12, 12) end
   if style == 'huge' then return torch.normal(0, 1) * 10 ^ math.random(90, 300) end
   if style == 'tiny' then return torch.normal(0, 1) * 10 ^ (-math.random(90, 320)) end
   if style == 'special' then
      return C.choice({0/0, 1/0, -1/0, 0, -0.0, 1, -1, 0.5, 1e-5, 123456.5, 2^52 + 0.5, 1e10})
   end
   if style == 'halves' then  -- ties of the printed digits
      return (math.random(-99999, 99999) + 0.5) * 10 ^ math.random(-8, 2)
   end
   if style == 'pow10' then return C.choice({1, -1}) * 10 ^ math.random(-12, 12) end
   if style == 'positive' then return math.abs(torch.normal(0, 1)) * 10 ^ math.random(-3, 3) end
   return torch.normal(0, 1)
end
C.value = value

C.styles = {'normal', 'normal', 'int', 'int', 'bigint', 'decade', 'huge', 'tiny', 'special',
            'positive', 'small', 'mixed', 'halves', 'pow10'}

-- fill a tensor with values of one style (or a mixture)
function C.fill(t, style)
   local ty = torch.typename(t):match('torch%.(%a+)Tensor')
   local flat = t.new(t:nElement())
   local mix = style == 'mixed'
   for i = 1, t:nElement() do
      local s = mix and C.choice(C.styles) or style
      if s == 'mixed' then s = 'normal' end
      flat[i] = value(s, ty)
   end
   if t:nElement() > 0 then t:copy(flat:viewAs(t)) end
   return t
end

-- a random size: `dims` dimensions whose product stays small
function C.randsize(dims, maxel)
   maxel = maxel or 150
   local size, n = {}, 1
   for i = 1, dims do
      local s = math.random(1, 6)
      if n * math.max(s, 1) > maxel then s = 1 end
      size[i] = s
      n = n * math.max(s, 1)
   end
   return size
end

-- a random tensor of type `ty`: contiguous or a strided view (narrowed, transposed, expanded)
function C.rtensor(ty, dims, style, opts)
   opts = opts or {}
   ty = ty or C.choice(C.types)
   dims = dims or math.random(0, 5)
   style = style or C.choice(C.styles)
   local size = opts.size or C.randsize(dims, opts.maxel)
   local ctor = torch[ty .. 'Tensor']
   if dims == 0 then return ctor() end
   local layout = opts.contiguous and 'c' or C.choice({'c', 'c', 'narrow', 'transpose', 'expand'})
   local t
   if layout == 'narrow' then
      local big = {}
      for i, s in ipairs(size) do big[i] = s + math.random(0, 2) end
      t = ctor():resize(torch.LongStorage(big))
      C.fill(t, style)
      for i, s in ipairs(size) do
         t = t:narrow(i, math.random(1, big[i] - s + 1), s)
      end
   elseif layout == 'transpose' and dims >= 2 then
      local a, b = math.random(1, dims), math.random(1, dims)
      local s2 = {unpack(size)}
      s2[a], s2[b] = s2[b], s2[a]
      t = C.fill(ctor():resize(torch.LongStorage(s2)), style):transpose(a, b)
   elseif layout == 'expand' then
      local s1 = {unpack(size)}
      local d = math.random(1, dims)
      s1[d] = 1
      t = C.fill(ctor():resize(torch.LongStorage(s1)), style)
      t = t:expand(torch.LongStorage(size))
   else
      t = C.fill(ctor():resize(torch.LongStorage(size)), style)
   end
   return t
end

return C
