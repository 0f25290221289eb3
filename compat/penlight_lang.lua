-- Penlight's language-level modules, as Torch7's th had them (Penlight 1.4.1): pl.class,
-- pl.import_into (moved from compat/penlight.lua), pl.compat (the Lua 5.1/5.2 shims, as
-- Penlight 1.4.1 behaves under Torch7's LuaJIT) and pl.strict (globals that must be
-- declared). Written for torch7py after Penlight's documented behaviour; each entry builds its
-- module once, and modules reach each other through require.
local M = {}
local lua_type = type

-- pl.class ------------------------------------------------------------------------------------
-- Penlight's classes: class(base) makes a class table (its objects' metatable, methods looked
-- up in it); Cls(...) makes an object and runs _init (the class's own, else the nearest base's);
-- inside _init, self:super(...) runs the base's; class.Name(base) also names the class and
-- sets the global Name. Bases' fields are copied down at definition, as Penlight does.
function M.class()
   local function own_init(c)
      while c do
         local f = rawget(c, '_init')
         if f then return f, c end
         c = rawget(c, '_base')
      end
   end
   local call_init
   call_init = function(c, f, obj, ...)
      local _, owner = own_init(rawget(c, '_base'))
      if owner then
         rawset(obj, 'super', function(o, ...)
            return call_init(owner, rawget(owner, '_init'), o, ...)
         end)
      end
      local res = f(obj, ...)
      rawset(obj, 'super', nil)
      return res
   end
   local function is_a(self, klass)
      if klass == nil then return getmetatable(self) end
      local m = getmetatable(self)
      while m do
         if m == klass then return true end
         m = rawget(m, '_base')
      end
      return false
   end
   local function class_of(klass, obj)
      if lua_type(klass) ~= 'table' or not rawget(klass, 'is_a') then return false end
      return klass.is_a(obj, klass)
   end
   local function tostr(obj)
      local mt = getmetatable(obj)
      setmetatable(obj, nil)
      local str = tostring(obj)
      setmetatable(obj, mt)
      local name = rawget(mt, '_name')
      if name then str = name .. str:gsub('table', '') end
      return str
   end
   local function make(base, c_arg, c)
      local mt = {}
      local plain = lua_type(base) == 'table' and getmetatable(base) == nil
      if plain then
         c = base
         base = rawget(c, '_base')
      elseif base ~= nil and lua_type(base) ~= 'table' then
         error('must derive from a table type', 3)
      end
      c = c or {}
      if base then
         for k, v in pairs(base) do
            if rawget(c, k) == nil then c[k] = v end
         end
         c._base = base
         if rawget(c, '_handler') then mt.__index = c._handler end
      end
      c.__index = c
      setmetatable(c, mt)
      if not plain then c._init = nil end
      if base and rawget(base, '_class_init') then base._class_init(c, c_arg) end
      mt.__call = function(_, ...)
         local obj
         if rawget(c, '_create') then obj = c._create(...) end
         obj = setmetatable(obj or {}, c)
         local f = rawget(c, '_init')
         if f then
            local res = call_init(c, f, obj, ...)
            if res then obj = setmetatable(res, c) end
         else
            local g, owner = own_init(base)
            if g then call_init(owner, g, obj, ...) end
         end
         if base and rawget(base, '_post_init') then base._post_init(obj) end
         return obj
      end
      c.catch = function(self, handler)
         if lua_type(self) == 'function' then handler = self end
         c._handler = handler
         mt.__index = handler
      end
      c.is_a = is_a
      c.class_of = class_of
      c.cast = function(klass, obj) return setmetatable(obj, klass) end
      c._class = c
      if not rawget(c, '__tostring') then c.__tostring = tostr end
      return c
   end
   local class = setmetatable({}, {
      __call = function(_, ...) return make(...) end,
      -- class.Name(base): a class named Name, also set as a global of the code that named
      -- it (its environment: a module(...)'s table inside a module)
      __index = function(_, name)
         local env = getfenv(2)
         return function(...)
            local c = make(...)
            c._name = name
            rawset(env, name, c)
            return c
         end
      end})
   -- class.properties: a base whose subclasses read `obj.x` through get_x(obj), else the
   -- field _x, and write it through set_x(obj, v), else the field x (its _class_init gives
   -- each subclass these __index/__newindex, after the class's own methods)
   local properties = make()
   function properties._class_init(klass)
      klass.__index = function(t, key)
         local v = klass[key]
         if v then return v end
         v = rawget(klass, 'get_' .. key)
         if v then return v(t) end
         return rawget(t, '_' .. key)
      end
      klass.__newindex = function(t, key, value)
         local setter = klass['set_' .. key]
         if setter then setter(t, value) else rawset(t, key, value) end
      end
   end
   rawset(class, 'properties', properties)
   return class
end

-- pl.import_into ------------------------------------------------------------------------------
-- require('pl.import_into')(env): a table whose Penlight module names load on first use
-- import_into(env): Penlight's modules become env's fields on first use (env true: a fresh
-- table, returned with the module table that collects what is set in it); utils at once; the
-- classes of utils.stdmt (List, Map, Set, MultiMap) load their module when a method is missing
function M.import_into()
   local names = {}
   for name in ([[utils path dir tablex stringio sip input seq lexer stringx config pretty data
                 func text operator lapp array2d comprehension xml types test app file class
                 List Map Set OrderedMap MultiMap Date]]):gmatch('%S+') do names[name] = true end
   return function(env)
      local mod
      if env == true then
         mod, env = {}, {}
      end
      env = env or {}
      local utils = require 'pl.utils'
      rawset(env, 'utils', utils)
      for name, klass in pairs(utils.stdmt) do
         if rawget(klass, '__index') == nil then
            klass.__index = function(_, key) return require('pl.' .. name)[key] end
         end
      end
      -- the runtime's own metatable of _G (its __newindex) is kept: only __index changes
      local prev = getmetatable(env)
      local gmt, prev_index, hook = prev or {}, prev and prev.__index, nil
      function gmt.hook(handler) hook = handler end
      function gmt.__index(t, name)
         if names[name] then
            rawset(env, name, require('pl.' .. name))
            return rawget(env, name)
         end
         if hook then
            local res = hook(t, name)
            if res then return res end
         end
         if lua_type(prev_index) == 'function' then return prev_index(t, name) end
         if prev_index ~= nil then return prev_index[name] end
      end
      if mod then
         function gmt.__newindex(t, name, value)
            mod[name] = value
            rawset(t, name, value)
         end
      end
      setmetatable(env, gmt)
      return env, mod or env
   end
end

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
