-- Penlight's language-level modules, as Torch7's th had them (Penlight 1.4.1): pl.compat (the
-- Lua 5.1/5.2 shims, as Penlight 1.4.1 behaves under Torch7's LuaJIT) and pl.strict (globals
-- that must be declared). Written for torch7py after Penlight's documented behaviour; each
-- entry builds its module once, and modules reach each other through require.
local M = {}
local lua_type = type

-- pl.compat ------------------------------------------------------------------------------------
-- LuaJIT's _VERSION is 'Lua 5.1' even when built with LUA52COMPAT (as Torch7's is), so 1.4.1's
-- execute reads os.execute's first result as a Lua 5.1 status: (status == 0, status). Under
-- LUA52COMPAT os.execute answers true/nil, 'exit', code, so execute gives (false, true) for a
-- command that succeeded and (false, nil) for one that failed, as Torch7's th did with 1.4.1.
-- load is LuaJIT's (it takes mode and env, as Lua 5.2's); getfenv/setfenv are Lua 5.1's.
function M.compat()
   local compat = {}
   compat.lua51 = _VERSION == 'Lua 5.1'
   function compat.execute(cmd)
      local status, _, code = os.execute(cmd)
      if compat.lua51 then return status == 0, status end
      return not not status, code
   end
   compat.load, compat.getfenv, compat.setfenv = load, getfenv, setfenv
   if not table.pack then
      function table.pack(...) return {n = select('#', ...), ...} end
   end
   if not package.searchpath then
      function package.searchpath(mod, path)
         mod = mod:gsub('%.', package.config:sub(1, 1))
         for entry in path:gmatch('[^;]+') do
            local name = entry:gsub('?', mod)
            local f = io.open(name, 'r')
            if f then f:close() return name end
         end
      end
   end
   return compat
end

-- pl.strict -------------------------------------------------------------------------------------
-- strict.module(name, mod, predeclared) makes reading an undeclared field of mod an error
-- ("variable 'x' is not declared[ in 'name']", unless mod's previous __index answers it or C
-- reads it); a field becomes declared by an assignment, which, for the global table
-- (predeclared.__global), only the main chunk or C may make ("assign to undeclared global
-- 'x'"). Requiring pl.strict makes _G strict (unless PENLIGHT_NO_GLOBAL_STRICT is set), _PROMPT
-- predeclared.
function M.strict()
   local strict = {}
   local getinfo = debug.getinfo
   -- what kind of function made the access the metamethod is handling
   local function caller_kind()
      local info = getinfo(3, 'S')
      return info and info.what or 'C'
   end
   function strict.module(name, mod, predeclared)
      local mt, prev_newindex, prev_index
      local global = predeclared and predeclared.__global
      if lua_type(mod) == 'table' then
         mt = getmetatable(mod)
         if mt and rawget(mt, '__declared') then return end
      else
         mod = {}
      end
      if mt == nil then
         mt = {}
         setmetatable(mod, mt)
      else
         prev_newindex, prev_index = mt.__newindex, mt.__index
      end
      mt.__declared = predeclared or {}
      mt.__newindex = function(t, k, v)
         if prev_newindex then
            prev_newindex(t, k, v)
            if rawget(t, k) ~= nil then return end
         end
         if not mt.__declared[k] then
            if global then
               local kind = caller_kind()
               if kind ~= 'main' and kind ~= 'C' then
                  error("assign to undeclared global '" .. k .. "'", 2)
               end
            end
            mt.__declared[k] = true
         end
         rawset(t, k, v)
      end
      mt.__index = function(t, k)
         if not mt.__declared[k] and caller_kind() ~= 'C' then
            if lua_type(prev_index) == 'table' then
               local v = prev_index[k]
               if v ~= nil then return v end
            elseif prev_index then
               local v = prev_index(t, k)
               if v then return v end
            end
            error("variable '" .. k .. "' is not declared" ..
                  (name and (" in '" .. name .. "'") or ''), 2)
         end
         return rawget(t, k)
      end
      return mod
   end
   function strict.make_all_strict(T)
      for k, v in pairs(T) do
         if lua_type(v) == 'table' and v ~= T then strict.module(k, v) end
      end
   end
   function strict.closed_module(mod, name)
      local inner = {}
      mod = mod or {}
      local mt = getmetatable(mod)
      if not mt then
         mt = {}
         setmetatable(mod, mt)
      end
      mt.__newindex = function(_, k, v) inner[k] = v end
      return strict.module(name, inner)
   end
   if not rawget(_G, 'PENLIGHT_NO_GLOBAL_STRICT') then
      strict.module(nil, _G, {_PROMPT = true, __global = true})
   end
   return strict
end

return M
