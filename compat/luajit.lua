-- What Torch7's LuaJIT (2.1.0-beta2, built with -DLUAJIT_ENABLE_LUA52COMPAT) did that lupa's
-- LuaJIT does not: its printf rounding and the Lua 5.2 library behaviours LUA52COMPAT turns on.
-- Called with L (Python helpers of compat/luajit.py). pairs/__pairs is in torch.lua.
-- Not reproducible here (the parser and the VM decide): `#` honouring __len on tables, __lt/__le
-- on mixed types, `goto` as a reserved word, coroutine.running() in the main thread.
local L = ...
local sfmt, find, tonumber, select, type = string.format, string.find, tonumber, select, type
local unpack, floor, pcall, error, gsub = unpack, math.floor, pcall, error, string.gsub
local fixnum = L.fixnum

-- string.format: LuaJIT 2.1.0-beta2 rounds exact halves away from zero (%.4f of 0.03125 is
-- 0.0313); C (and the LuaJIT here) rounds them to even. An argument that is an exact half for
-- its conversion is moved one ulp away from zero, which changes nothing else.
string.format = function(fmt, ...)
   local ok, s = pcall(sfmt, fmt, ...)  -- Lua's own checks and messages first
   if not ok then
      error((gsub(s, "^bad argument (#%d+) to '[^']*'", "bad argument %1 to 'format'")), 2)
   end
   if type(fmt) ~= 'string' or not find(fmt, '%%[-+ #0]*%d*%.?%d*[eEfgG]') then return s end
   local n = select('#', ...)
   local args = {...}
   local i, pos, changed = 0, 1, false
   while true do
      local a, b, dot, prec, conv = find(fmt, '%%[-+ #0]*%d*(%.?)(%d*)(.)', pos)
      if not a then break end
      pos = b + 1
      if conv ~= '%' then
         i = i + 1
         if find(conv, '[eEfgG]') then
            local x = tonumber(args[i])
            local p = dot == '' and 6 or (tonumber(prec) or 0)
            if x and x ~= 0 and find(conv, '[fF]') and x < 1e-100 and x > -1e-100 then
               -- the LuaJIT here prints digits of x * 10^k for %f of |x| below ~1e-152
               -- ('%f' of 1e-160 is 534158200025558471.679688); Torch7's, like C, prints
               -- zeros: at a precision of at most 99 such an x rounds to a signed zero
               args[i] = x < 0 and -0.0 or 0.0
               changed = true
            -- %f: only a value with at most p+1 binary places can be an exact half
            elseif x and x == x and x ~= 0 and (find(conv, '[fF]') == nil
                  or x * 2 ^ (p + 1) == floor(x * 2 ^ (p + 1))) then
               local y = fixnum(conv, p, x)
               if y ~= x then args[i] = y changed = true end
            end
         end
      end
   end
   if not changed then return s end
   return sfmt(fmt, unpack(args, 1, n))
end

-- os.execute as Lua 5.2: true or nil, then "exit" or "signal", then the code; no command:
-- whether a shell exists
local execute = os.execute
os.execute = function(cmd)
   local status = execute(cmd)
   if cmd == nil then return status ~= 0 end
   local how, code = 'exit', status
   if status >= 256 or status == 0 then
      code = floor(status / 256)
   else
      how, code = 'signal', status % 128
   end
   if how == 'exit' and code == 0 then return true, how, code end
   return nil, how, code
end

-- ipairs honours __ipairs
local lua_ipairs = ipairs
function ipairs(t)
   local mt = debug.getmetatable(t)  -- the raw one: getmetatable(obj) is obj's class
   if mt ~= nil then
      local f = rawget(mt, '__ipairs')
      if f ~= nil then return f(t) end
   end
   return lua_ipairs(t)
end

package.searchers = package.searchers or package.loaders
