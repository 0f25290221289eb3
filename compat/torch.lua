-- The Lua side of `torch`, `nn`, `optim`: tables backed by torch7py, Torch7's helper functions
-- written for proxies, and `require`.  Called with P (Python helpers) and H (bridge helpers).
local P, H = ...
local PYOBJ, CLASSMT, U = H.PYOBJ, H.CLASSMT, H.U
local ERR = P.ERR
local rawtype, rawget, rawset, getmetatable, setmetatable = type, rawget, rawset, getmetatable,
   setmetatable
local pwrite = P.write

table.unpack = table.unpack or unpack
table.pack = table.pack or function(...) return {n = select('#', ...), ...} end

-- the package tables (torch, nn) that hold only what was read so far: table -> a function
-- filling in every name Torch7's table holds (pairs/next call it first)
local UNFILLED = setmetatable({}, {__mode = 'k'})
-- a table that torch.setmetatable made an object of a torch7py class -> the object it stands
-- for: pairs, next, ipairs, rawget, rawset and isTypeOf see the object (the table's fields)
local STANDIN = setmetatable({}, {__mode = 'k'})

-- a Lua table whose missing fields come from a Python module
-- wrappers: name -> function(Python's value) returning the Lua value to use instead
-- package: the table's name in compat/package_names.py ('torch', 'nn'): pairs lists every key
-- Torch7's table holds after require, in Torch7's order (read here only when pairs first asks)
local function pymodule(name, extra_nocache, wrappers, package)
   local mod = P.module(name)
   local nocache = {Tensor = true, Storage = true}
   for _, k in ipairs(extra_nocache or {}) do nocache[k] = true end
   local mt = {__index = function(tbl, k)
      if rawtype(k) ~= 'string' then return nil end
      local ok, v = P.modattr(mod, k)
      if ok == ERR then error(v, 2) end
      local w = wrappers and wrappers[k]
      if w ~= nil and v ~= nil then v = w(v) end
      if ok and not nocache[k] then rawset(tbl, k, v) end
      return v
   end}
   local t = setmetatable({}, mt)
   if package == nil then return t end
   local extras = {}  -- the names never cached (torch.Tensor follows the default type)
   local function fill(tbl)
      UNFILLED[tbl] = nil
      local keys, present = P.package_names(package), {}
      for i = 1, #keys do
         local k = keys[i]
         local v = tbl[k]
         if nocache[k] then
            if v ~= nil then extras[#extras + 1] = k end
         elseif rawget(tbl, k) ~= nil then
            present[#present + 1] = k
         end
      end
      if P.note_order then P.note_order(tbl, unpack(present)) end
   end
   UNFILLED[t] = fill
   local lua_next = next
   local function pkgnext(tbl, k)
      local i = 0
      if k == nil or not nocache[k] then
         local nk, v = lua_next(tbl, k)
         if nk ~= nil then return nk, v end
      else
         for j = 1, #extras do
            if extras[j] == k then i = j end
         end
      end
      for j = i + 1, #extras do
         local v = tbl[extras[j]]
         if v ~= nil then return extras[j], v end
      end
      return nil
   end
   mt.__pairs = function(tbl)
      if UNFILLED[tbl] then fill(tbl) end
      return pkgnext, tbl, nil
   end
   return t
end

local function info_of(x)
   local mt = getmetatable(x)
   return mt and CLASSMT[mt]
end


-- cwrap's number forms of torch's math functions (torch.floor(x), torch.exp(x), torch.pow(x, y)
-- with numbers, a legacy script's inner loops) answered in Lua, without a crossing: TH calls
-- the C library's function on its real (double while the default tensor type is Double), as
-- LuaJIT's math library does; TH_frac, TH_rsqrt, TH_sigmoid and TH_lerp are its macros' double
-- arithmetic. Any other argument, or another default type, goes to Python.
local default_double  -- nil: not known (the default type changed: ask Python once)
local numforms = {}
do
   local ffi = require 'ffi'
   pcall(ffi.cdef, 'double log1p(double); double trunc(double); double round(double);'
                   .. ' double pow(double, double);')
   local C, m = ffi.C, math
   local exp, sqrt = m.exp, m.sqrt
   local function trunc(x) return C.trunc(x) end
   local one = {
      log = m.log, exp = exp, cos = m.cos, acos = m.acos, cosh = m.cosh, sin = m.sin,
      asin = m.asin, sinh = m.sinh, tan = m.tan, atan = m.atan, tanh = m.tanh, sqrt = sqrt,
      ceil = m.ceil, floor = m.floor, abs = m.abs,
      log1p = function(x) return C.log1p(x) end,
      trunc = trunc,
      round = function(x) return C.round(x) end,
      frac = function(x) return x - C.trunc(x) end,
      rsqrt = function(x) return 1 / sqrt(x) end,
      sigmoid = function(x) return 1 / (1 + exp(-x)) end,
   }
   local two = {atan2 = m.atan2, pow = function(x, y) return C.pow(x, y) end}
   local function isdouble()
      if default_double == nil then
         default_double = torch.getdefaulttensortype() == 'torch.DoubleTensor'
      end
      return default_double
   end
   for name, f in pairs(one) do
      numforms[name] = function(py)
         return function(...)
            local x = ...
            if rawtype(x) == 'number' and select('#', ...) == 1 and isdouble() then
               return f(x)
            end
            return py(...)
         end
      end
   end
   for name, f in pairs(two) do
      numforms[name] = function(py)
         return function(...)
            local x, y = ...
            if rawtype(x) == 'number' and rawtype(y) == 'number' and select('#', ...) == 2
                  and isdouble() then
               return f(x, y)
            end
            return py(...)
         end
      end
   end
   numforms.lerp = function(py)
      return function(...)
         local a, b, w = ...
         if rawtype(a) == 'number' and rawtype(b) == 'number' and rawtype(w) == 'number'
               and select('#', ...) == 3 and isdouble() then
            return a + w * (b - a)
         end
         return py(...)
      end
   end
end
-- the default type decides the number forms' real: known again after each change
numforms.setdefaulttensortype = function(py)
   return function(...)
      default_double = nil
      return py(...)
   end
end
torch = pymodule('torch7py', nil, numforms, 'torch')

-- A Python class's metatable, as Lua sees it: a real table (pairs, rawequal, table keys) whose
-- reads reach the class's methods and whose writes define methods on the Python class, so
-- every object of it (Python's calls included) finds them.  rawget, rawset, next and pairs
-- see the methods of its own metatable (torch.lua's block "luaT's metatables as tables").
local classkeys, classraw, isluatfield  -- (below: luaT's own fields of a class's metatable)
local CLASSTABLE = setmetatable({}, {__mode = 'k'})  -- class proxy -> its table
local CLASSOFTABLE = setmetatable({}, {__mode = 'k'})  -- the table -> its class proxy
local function classtable(c)
   if c == nil then return nil end
   local info = CLASSMT[getmetatable(c)]
   if info == nil or info.kind ~= 'class' then return c end  -- a Lua class: a table already
   local T = CLASSTABLE[c]
   if T ~= nil then return T end
   T = {}
   PYOBJ[T] = PYOBJ[c]  -- passed to Python (torch.class's parent, isTypeOf): the class
   -- tostring: luaT_mt__tostring through the parent's metatable, the parent's name (luaT's
   -- typename of a metatable); a root is a plain table, 'table: 0x...'
   local pname = P.parent_typename_of(info.typename)
   setmetatable(T, {
      __tostring = pname ~= nil and function() return pname end or nil,
      __index = function(_, k)
         if isluatfield(k) then return classraw(T, k) end
         return c[k]
      end,
      __newindex = function(_, k, v) c[k] = v end,
      __call = function(_, ...) return c(...) end,
      -- pairs: the class's methods, by name
      __pairs = function()
         local names, i = classkeys(T), 0
         return function()
            while true do  -- (a name the class answers nil for is no key: next() has no nil)
               i = i + 1
               local k = names[i]
               if k == nil then return nil end
               local v
               if isluatfield(k) then v = classraw(T, k) else v = c[k] end
               if v ~= nil then return k, v end
            end
         end, T, nil
      end,
   })
   CLASSTABLE[c] = T
   CLASSOFTABLE[T] = c
   return T
end

-- getmetatable of a torch object is its class, torch.getmetatable(typename) (luaT sets each
-- metatable's __metatable to itself); of a class (luaT's constructor table, whose metatable's
-- __metatable is the class's metatable) the same; of a class's metatable its parent's
-- (luaT_lua_newmetatable's setmetatable(mt, parent's mt)), nil for a root such as nn.Module:
-- torch-autograd's isModule walks getmetatable(getmetatable(nn.ReLU)) up to nn.Module
local CLASSOF = setmetatable({}, {__mode = 'k'})
local PARENTMT = {}  -- class name -> its parent's metatable, or false
local function parent_metatable(name)
   local p = PARENTMT[name]
   if p == nil then
      local pname = P.parent_typename_of(name)
      p = pname ~= nil and torch.getmetatable(pname) or false
      PARENTMT[name] = p
   end
   return p or nil
end
-- the class table standing for key (a class proxy or an object metatable), made once
local function classtable_of(key, typename)
   local c = CLASSOF[key]
   if c == nil then
      c = classtable(P.class_by_name(typename)) or key
      CLASSOF[key] = c
   end
   return c
end
_G.getmetatable = function(...)
   if select('#', ...) == 0 then  -- lj_lib_checkany's text, named as the caller named it
      local ar = debug.getinfo(1, 'n')
      error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (value expected)", 2)
   end
   local x = ...
   local mt = getmetatable(x)
   local info = mt and CLASSMT[mt]
   if not info then  -- mt nil, or false from a __metatable = false (pl.tablex.readonly)
      local c = CLASSOFTABLE[x]
      local name = c ~= nil and CLASSMT[getmetatable(c)].typename or H.LUACLASSNAME[x]
      if name ~= nil then return parent_metatable(name) end
      return mt
   end
   -- a class: its own table; an object: its metatable's
   if info.kind == 'class' then return classtable_of(x, info.typename) end
   if info.typename == nil then return nil end  -- a plain table kept in Python: none
   return classtable_of(mt, info.typename)
end

-- whether the objects of a class (its CLASSMT info) are userdata in Torch7, asked once
local function is_userdata(info)
   local u = info.userdata
   if u == nil then
      u = P.is_userdata(info.cls) and true or false
      info.userdata = u
   end
   return u
end

-- Lua `type` says 'table' for torch objects that are tables in Torch7 (modules, criterions)
local lua_type = type
P.rawtype = lua_type  -- Lua's own type, for the layer's other chunks (trepl.lua's print)
function type(...)
   local x = ...
   local t = lua_type(x)
   if t == 'nil' and select('#', ...) == 0 then
      local ar = debug.getinfo(1, 'n')
      error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (value expected)", 2)
   end
   if t == 'userdata' then
      local info = info_of(x)
      if info and (info.kind == 'class' or not is_userdata(info)) then return 'table' end
   end
   return t
end

-- luaT_lua_newmetatable's `module.name = constructor` (lua_setfield): a class nested in a
-- class ('tl.Tree.Node') goes in that class's constructor table, whose __newindex
-- (luaT_cmt__newindex) stores it among the class's methods; a plain table takes it as it is
local function set_in_module(module, name, v)
   if lua_type(module) == 'table' then rawset(module, name, v) else module[name] = v end
end
P.set_in_module = set_in_module

-- pairs honours __pairs (as Torch7's LuaJIT did, built with LUA52COMPAT): torch objects list
-- their fields
-- luaT's metatables as tables, and userdata as LuaJIT treats it. A Tensor, Storage, Timer,
-- File or Generator is a userdata in Torch7 (luaT_pushudata): pairs, next, ipairs, rawget and
-- rawset refuse it as LuaJIT's lj_lib_checktab does ("bad argument #1 to 'pairs' (table
-- expected, got userdata)"). A module or any torch.class object is a table: they walk its
-- fields. A Python class's metatable (classtable) holds the methods of its own level, as
-- luaT's metatable does (the parent's are in the parent's metatable): rawget finds them,
-- next/pairs list them, rawset defines one. A class (its constructor table) holds nothing.
local function userdata_info(t)
   local info = info_of(t)
   if info == nil or info.kind == 'class' then return nil end
   if is_userdata(info) then return info end
end
-- LuaJIT's err_argmsg for the function at level 2 (the wrapper calling this, not in a tail
-- call): named as the caller's call instruction names it, at the caller's line
local function argerr(n, msg)
   local ar = debug.getinfo(2, 'n')
   error("bad argument #" .. n .. " to '" .. (ar and ar.name or '?') .. "' (" .. msg .. ")", 3)
end
-- luaT_lua_newmetatable's own fields of every metatable, beyond its methods and operators:
-- __index and __newindex (luaT_mt__index, luaT_mt__newindex), __factory where the class has
-- one (torch.factory), the class's table, `new` its constructor
local LUAT_FIELDS = {'__index', '__newindex', '__typename', '__metatable', '__version',
                     '__factory', '__constructor', 'new'}
-- luaT's C metamethods as Lua functions, for the class tables of Python classes (below) and
-- for newmetatable's metatables. luaT_mt__index(obj, k): the class's __index__ first (its last
-- result true: the one before it), else the metatable's k (its methods, through the parents');
-- luaT_mt__newindex(obj, k, v): __newindex__ first (true: done), else a raw write into a table,
-- an error for userdata; the operators without their __xx__: luaT's errors. getmt finds the
-- metatable: getmetatable's answer for a Python class's objects (the class table: their real
-- metatable is the layer's), the real one for newmetatable's. luaL_error in C names the Lua
-- line that called the C function (none where pcall, a C function, called it): level 2 from
-- the function itself.
local luat_indexer, luat_newindexer, luat_binerr, luat_unerr
do
   -- luaT_typename's NULL (no Torch type) printed by %s
   local function tn(x) return torch.typename(x) or '(null)' end
   function luat_binerr(what)
      return function(a, b)
         error('both ' .. tn(a) .. ' and ' .. tn(b) .. ' have no ' .. what .. ' operator', 2)
      end
   end
   function luat_unerr(what)
      return function(a) error(tn(a) .. ' has no ' .. what, 2) end
   end
   -- obj's metatable and its hook (__index__ or __newindex__), with luaT's checks (raised at
   -- the line that called the metamethod)
   local function hook(getmt, obj, name)
      local mt = getmt(obj)
      if lua_type(mt) ~= 'table' then
         error('critical internal indexing error: no metatable found', 3)
      end
      local f = mt[name]
      if f ~= nil and lua_type(f) ~= 'function' then
         error('critical internal indexing error: ' .. name .. ' is not a function', 3)
      end
      return mt, f
   end
   function luat_indexer(getmt)
      return function(obj, k)
         local mt, f = hook(getmt, obj, '__index__')
         if f ~= nil then
            local r = table.pack(f(obj, k))
            if r.n > 0 and r[r.n] then return r[r.n - 1] end
         end
         return mt[k]
      end
   end
   function luat_newindexer(getmt)
      return function(obj, k, v)
         local _, f = hook(getmt, obj, '__newindex__')
         if f ~= nil and f(obj, k, v) then return end
         if type(obj) == 'table' then  -- (the layer's type and rawset: a torch object is a table)
            _G.rawset(obj, k, v)
         else
            error('the class ' .. tostring(torch.typename(obj)) .. ' cannot be indexed', 2)
         end
      end
   end
end
local luat_index, luat_newindex = luat_indexer(_G.getmetatable), luat_newindexer(_G.getmetatable)
-- luaT's default operators (luaT_mt__add, ...) where a Python class's objects have none
-- (nn.Linear's __pow, __eq, __lt, __le): the operator's __xx__ is a Python method there, so
-- these give luaT's nil behaviour (isequal for __eq, errors naming both types for the rest)
local PYOPS
do
   local bin, un = luat_binerr, luat_unerr
   PYOPS = {
      __add = bin('addition'), __sub = bin('substraction'), __mul = bin('multiplication'),
      __div = bin('division'), __mod = bin('modulo'), __pow = bin('power'),
      __concat = bin('concat'), __lt = bin('less-than'), __le = bin('less-equal'),
      __eq = function(a, b) return torch.isequal(a, b) end,
      __tostring = function(a) return torch.typename(a) end,
      __call = un('call operator'), __unm = un('negation operator'),
      __len = un('length operator'),
   }
end
local LUAT_OPNAMES = {'__tostring', '__add', '__sub', '__mul', '__div', '__mod', '__pow', '__unm',
                      '__concat', '__len', '__eq', '__lt', '__le', '__call'}
local ISLUATFIELD = {}
for _, f in ipairs(LUAT_FIELDS) do ISLUATFIELD[f] = true end
function isluatfield(k)
   return ISLUATFIELD[k] ~= nil or H.LUAT_OPS[k] ~= nil
end
function classkeys(T)
   local names = {}
   for _, k in ipairs(P.class_methods(PYOBJ[CLASSOFTABLE[T]])) do
      if not isluatfield(k) then names[#names + 1] = k end
   end
   for _, k in ipairs(LUAT_FIELDS) do
      if classraw(T, k) ~= nil then names[#names + 1] = k end
   end
   for _, k in ipairs(LUAT_OPNAMES) do
      if classraw(T, k) ~= nil then names[#names + 1] = k end
   end
   return names
end
function classraw(T, k)
   local c = CLASSOFTABLE[T]
   if k == '__typename' then return torch.typename(c) or CLASSMT[getmetatable(c)].typename end
   if k == '__metatable' then return T end
   if k == '__version' then return P.class_version(PYOBJ[c]) end
   if k == '__factory' then return torch.factory(CLASSMT[getmetatable(c)].typename) end
   if k == '__constructor' then return c end
   if k == 'new' then return c.new end
   if k == '__index' then return luat_index end
   if k == '__newindex' then return luat_newindex end
   if H.LUAT_OPS[k] then  -- luaT's default operators, raw in the metatable
      local v = c[k]
      if v == nil then v = PYOPS[k] end
      return v
   end
   if lua_type(k) ~= 'string' then return nil end
   local names = classkeys(T)
   for i = 1, #names do
      if names[i] == k then return c[k] end
   end
   return nil
end

-- A torch.class class of Lua (bridge.lua's newluaclass: C, its methods in M): luaT's fields of
-- its metatable, where the script did not set its own (M's raw key, or C's raw __typename and
-- new): torch.class's constructor and factory make `new`, __constructor and __factory
local builtin_next = next  -- (next is the layer's below)
local function luaclassfield(C, k)
   if k == '__index' then return luat_index end
   if k == '__newindex' then return luat_newindex end
   if k == '__metatable' then return C end
   if k == '__version' then return 1 end
   if k == '__typename' then return H.LUACLASSNAME[C] end
   if k == 'new' then return C.new end
   if k == '__factory' then return torch.factory(H.LUACLASSNAME[C]) end
   if k == '__constructor' then return torch.getconstructortable(H.LUACLASSNAME[C]) end
   if H.LUAT_OPS[k] then return H.LUAT_DEFAULTS[k] end
   return nil
end
H.HOOKS.luatfield = luaclassfield
-- its keys, as next visits them: its methods (M's raw keys), then luaT's fields not among them
local function luaclasskeys(C)
   local M, names, seen = H.LUAMETHODS[C], {}, {}
   for k in builtin_next, M do
      names[#names + 1], seen[k] = k, true
   end
   for _, list in ipairs({LUAT_FIELDS, LUAT_OPNAMES}) do
      for _, k in ipairs(list) do
         if not seen[k] and luaclassfield(C, k) ~= nil then names[#names + 1] = k end
      end
   end
   return names
end
local function luaclassraw(C, k)
   local v = rawget(H.LUAMETHODS[C], k)
   if v ~= nil then return v end
   v = rawget(C, k)
   if v ~= nil then return v end
   if lua_type(k) ~= 'string' then return nil end
   return luaclassfield(C, k)
end
H.HOOKS.luatpairs = function(C)
   local names, i = luaclasskeys(C), 0
   return function()
      i = i + 1
      local k = names[i]
      if k ~= nil then return k, luaclassraw(C, k) end
   end, C, nil
end

local lua_pairs = pairs
local lua_next = next
local NOFIELDS = {}
function pairs(...)
   if select('#', ...) == 0 then argerr(1, 'value expected') end  -- LJ_52's checkany
   local t = ...
   t = STANDIN[t] or t
   -- a class is luaT's constructor table, an empty table: nothing to visit (trepl's print of a
   -- table holding one shows `{...}`)
   local info = info_of(t)
   if info ~= nil and info.kind == 'class' then return lua_next, NOFIELDS, nil end
   local mt = getmetatable(t)
   if lua_type(mt) == 'table' then
      if userdata_info(t) then argerr(1, 'table expected, got userdata') end
      local f = rawget(mt, '__pairs')
      if f ~= nil then return f(t) end
   end
   return lua_pairs(t)
end

-- next(obj [, k]) walks a torch object's fields in the order pairs gives them (a module is a
-- table in Torch7: `next(m) == nil`, `for k, v in next, m do`)
_G.next = function(...)
   if select('#', ...) == 0 then argerr(1, 'table expected, got no value') end
   local t, k = ...
   t = STANDIN[t] or t
   local info = info_of(t)
   if info == nil then
      if H.LUAMETHODS[t] ~= nil then  -- a torch.class class of Lua: as pairs lists it
         local names, i = luaclasskeys(t), 0
         if k ~= nil then
            for j = 1, #names do
               if names[j] == k then i = j end
            end
            if i == 0 then error("invalid key to 'next'", 2) end
         end
         local key = names[i + 1]
         if key == nil then return nil end
         return key, luaclassraw(t, key)
      end
      if CLASSOFTABLE[t] == nil then
         local fill = UNFILLED[t]
         if fill ~= nil then fill(t) end
         return lua_next(t, k)
      end
      local names = classkeys(t)
      local i = 0
      if k ~= nil then
         for j = 1, #names do
            if names[j] == k then i = j end
         end
         if i == 0 then error("invalid key to 'next'", 2) end
      end
      local key = names[i + 1]
      if key == nil then return nil end
      if isluatfield(key) then return key, classraw(t, key) end
      return key, t[key]
   end
   if info.kind == 'class' then return nil end
   if userdata_info(t) then argerr(1, 'table expected, got userdata') end
   if info.kind ~= 'object' then return lua_next(t, k) end
   local found = k == nil
   for key, v in pairs(t) do
      if found then return key, v end
      found = key == k
   end
   if not found then error("invalid key to 'next'", 2) end
   return nil
end

-- ipairs(obj) walks obj[1], obj[2], ... of a torch object (a table in Torch7)
local lua_ipairs = ipairs
local function object_inext(o, i)
   i = i + 1
   local v = o[i]
   if v ~= nil then return i, v end
end
_G.ipairs = function(...)
   if select('#', ...) == 0 then argerr(1, 'value expected') end
   local t = ...
   t = STANDIN[t] or t
   local info = info_of(t)
   if info ~= nil and info.kind == 'object' then
      if userdata_info(t) then argerr(1, 'table expected, got userdata') end
      return object_inext, t, 0
   end
   return lua_ipairs(t)
end

-- error(msg, level): luaL_where names the function at that level. A Lua function that the
-- layer's Python calls (a Lua module's updateOutput from Sequential or forward, a feval from
-- optim) has bridge.lua's lcall above it, where Torch7 has a C function (xpcall in
-- Container's rethrowErrors: no position) or nn's or optim's Lua (a path of the machine): a
-- level that lands on lcall gives no position, instead of '[compat]:804:'. The layer's Lua
-- standing for a package's Lua (gnuplot.lua, penlight.lua) keeps its own lines.
-- The layer's Lua wrappers of C functions (pcall, xpcall, coroutine.resume above the script)
-- are frames Torch7 does not have: the levels above the caller count only the frames Torch7
-- has, so `pcall(error, 'm', 2)` names the line that called pcall (lj_err_callermsg's
-- luaL_where(L, 2): the C pcall is level 1), not the wrapper's '[compat]:NNN:'.
do
   local error, getinfo, lcall = error, debug.getinfo, H.lcall
   local floor = math.floor
   _G.error = function(msg, level)
      -- (this function is level 1 here: the caller's level n is n + 1; the builtin is
      -- tail-called, so its own levels, its argument errors and their names are the ones a
      -- direct call gives)
      if lua_type(msg) == 'string' and lua_type(level) == 'number' and level >= 2 then
         level = floor(level)
         -- walk up from the caller (level 1 at our level 2), skipping the layer's frames;
         -- the layer's own calls (the caller is the layer's Lua) count their levels as given
         local i, n, skipped = 3, 1, false
         local info = getinfo(2, 'S')
         if info and info.source == '=[compat]' then
            local at = getinfo(level + 1, 'f')
            if at and at.func == lcall then return error(msg, 0) end
            return error(msg, level)
         end
         while true do
            info = getinfo(i, 'Slf')
            if info == nil then break end
            if info.func == lcall then
               n = n + 1  -- stands for a C function of Torch7 (Container's xpcall, ...)
            elseif info.source == '=[compat]' then
               skipped = true
            else
               n = n + 1
            end
            if n == level then break end
            i = i + 1
         end
         if info == nil then
            if skipped then return error(msg, 0) end
         elseif info.func == lcall then
            return error(msg, 0)
         elseif skipped then
            if info.what == 'C' or info.currentline <= 0 then return error(msg, 0) end
            return error(info.short_src .. ':' .. info.currentline .. ': ' .. msg, 0)
         end
      end
      return error(msg, level)
   end
end

-- rawget/rawset on a torch object (a table in Torch7) read and write its own fields
local lua_rawget, lua_rawset = rawget, rawset
-- (a value that is no table, or a missing key, is lib_base.c's argument error, named as the
-- caller named the function: the builtin, called here, named its local 'lua_rawget')
local function rawfail(n, msg)
   local ar = debug.getinfo(3, 'n')  -- (rawfail, rawargs, then rawget or rawset)
   error("bad argument #" .. n .. " to '" .. (ar and ar.name or '?') .. "' (" .. msg .. ")", 4)
end
local function rawargs(want, ...)
   local t = ...
   local nargs = select('#', ...)
   if lua_type(t) ~= 'table' and info_of(t) == nil then
      rawfail(1, 'table expected, got ' .. (nargs == 0 and 'no value' or lua_type(t)))
   end
   if nargs < want then rawfail(nargs + 1, 'value expected') end
end
_G.rawget = function(...)
   local t, k = ...
   if lua_type(t) ~= 'table' or select('#', ...) < 2 then rawargs(2, ...) end
   t = STANDIN[t] or t
   local info = info_of(t)
   if info ~= nil then
      if info.kind == 'class' then return nil end
      if userdata_info(t) then argerr(1, 'table expected, got userdata') end
      if info.kind == 'object' then return P.rawfield(PYOBJ[t], k) end
   elseif CLASSOFTABLE[t] ~= nil then
      return classraw(t, k)
   else
      -- a torch.class class of Lua: its methods are raw in its metatable in Torch7 (the
      -- table torch.class returned), here in its method table
      if H.LUAMETHODS[t] ~= nil then return luaclassraw(t, k) end
   end
   local v = lua_rawget(t, k)
   return v
end
-- a torch.class object's metatable -> its field write before the class's own __newindex
-- (set in HOOKS.luaclass below): rawset writes the field, as on the table it is in Torch7
local RAWNEWINDEX = setmetatable({}, {__mode = 'k'})
_G.rawset = function(...)
   local t, k, v = ...
   if lua_type(t) ~= 'table' or select('#', ...) < 3 then rawargs(3, ...) end
   if STANDIN[t] ~= nil then
      STANDIN[t][k] = v
      return t
   end
   local info = info_of(t)
   if info ~= nil and info.kind ~= 'class' then
      if userdata_info(t) then argerr(1, 'table expected, got userdata') end
      local raw = RAWNEWINDEX[debug.getmetatable(t)]
      if raw ~= nil then
         raw(t, k, v)
      else
         t[k] = v
      end
      return t
   elseif CLASSOFTABLE[t] ~= nil or H.LUAMETHODS[t] ~= nil then
      -- (a Lua class: a method defined, as a write to its metatable is in Torch7)
      t[k] = v
      return t
   end
   local r = lua_rawset(t, k, v)
   return r
end

-- The table library on a torch object (a table in Torch7: table.insert(self, x) in a class of
-- one's own, unpack(obj)): it works on the object's own array part, raw, as on any table. The
-- originals run on a copy of that part (their own checks and messages; called as fields, so
-- an argument error names 'insert', not a local), and what they changed is written back.
do
   local lib = {insert = table.insert, remove = table.remove, concat = table.concat,
                sort = table.sort, maxn = table.maxn, foreach = table.foreach,
                foreachi = table.foreachi, getn = table.getn, unpack = unpack}
   local function plain_object(t)
      local info = info_of(t)
      return info ~= nil and info.kind == 'object' and not is_userdata(info)
   end
   local function array_of(o)
      local a, n = {}, 0
      while true do
         local v = _G.rawget(o, n + 1)
         if v == nil then return a, n end
         n = n + 1
         a[n] = v
      end
   end
   local function write_back(o, a, n)
      local m = lib.maxn(a)
      for i = 1, (m > n and m or n) do _G.rawset(o, i, a[i]) end
   end
   local function pack(...) return {n = select('#', ...), ...} end
   local function reader(name)
      local f = lib[name]
      if f == nil then return nil end
      return function(...)
         -- tail calls: an error is the script's, at its line, named as its call names it
         -- (the arguments as they came: no argument at all is 'got no value')
         local t = ...
         if plain_object(t) then return f((array_of(t)), select(2, ...)) end
         return f(...)
      end
   end
   local function writer(name)
      local f = lib[name]
      if f == nil then return nil end
      return function(...)
         local t = ...
         if plain_object(t) then
            local a, n = array_of(t)
            local r = pack(pcall(f, a, select(2, ...)))
            if not r[1] then
               -- the original's error as the script's call would have had it
               local ar = debug.getinfo(2, 'n')
               local msg = tostring(r[2]):gsub('^%[compat%]:%d+: ', '')
               msg = msg:gsub("to '%?'", "to '" .. (ar and ar.name or '?') .. "'", 1)
               error(msg, 2)
            end
            write_back(t, a, n)
            return lib.unpack(r, 2, r.n)
         end
         return f(...)
      end
   end
   table.insert, table.remove, table.sort = writer('insert'), writer('remove'), writer('sort')
   table.concat, table.foreachi, table.getn = reader('concat'), reader('foreachi'),
      reader('getn')
   -- these two walk every key of the table (lua_next), so every field of an object
   table.foreach = function(t, f, ...)
      if not plain_object(t) then return lib.foreach(t, f, ...) end
      lib.foreach({}, f)  -- its check of f
      for k, v in pairs(t) do
         local r = f(k, v)
         if r ~= nil then return r end
      end
   end
   table.maxn = function(...)
      local t = ...
      if not plain_object(t) then return lib.maxn(...) end
      local m = 0
      for k in pairs(t) do
         if type(k) == 'number' and k > m then m = k end
      end
      return m
   end
   local obj_unpack = reader('unpack')
   _G.unpack = obj_unpack
   if table.unpack ~= nil then table.unpack = obj_unpack end
end

-- luaT_lua_typename: no value (not even nil) for an object without a Torch7 type name
function torch.typename(...)
   if select('#', ...) == 0 then error("bad argument #1 to 'typename' (value expected)", 2) end
   local x = ...
   local mt = getmetatable(x)
   if mt == nil then return end
   -- a class's metatable: luaT_typename reads registry[its metatable], its parent's metatable
   local c = CLASSOFTABLE[x]
   local cname = c ~= nil and CLASSMT[getmetatable(c)].typename or H.LUACLASSNAME[x]
   if cname ~= nil then
      local pname = P.parent_typename_of(cname)
      if pname ~= nil then return pname end
      return
   end
   local info = CLASSMT[mt]
   if info then
      if info.kind == 'class' then return end
      return info.typename
   end
   if lua_type(mt) == 'table' then
      local name = rawget(mt, '__typename')
      if name ~= nil then return name end
   end
end

function torch.type(x)
   return torch.typename(x) or type(x)
end

function torch.isTensor(x)
   local info = info_of(x)
   return info ~= nil and info.kind == 'tensor'
end

function torch.isStorage(x)
   local info = info_of(x)
   return info ~= nil and info.kind == 'storage'
end

local STRPTR, nstrptr = {}, 0x10000
function torch.pointer(x)
   local o = PYOBJ[x]
   if o ~= nil then return P.pointer(o) end
   local t = lua_type(x)
   if t == 'table' or t == 'function' or t == 'userdata' or t == 'thread' then
      local s = tostring(x):match('0x%x+')
      return s and tonumber(s) or 0
   end
   if t == 'string' then  -- Lua interns strings: equal strings, one address
      local n = STRPTR[x]
      if n == nil then
         nstrptr = nstrptr + 16
         n = nstrptr
         STRPTR[x] = n
      end
      return n
   end
   error('Torch object, table, thread, cdata or function expected', 0)  -- a C error: no position
end

-- utils.c's luaT functions that legacy code calls directly

-- torch_isatty: a Lua file handle is a terminal
function torch.isatty(f)
   if io.type(f) == nil then
      error("bad argument #1 to 'isatty' (FILE* expected, got " .. lua_type(f) .. ")", 2)
   end
   local fd = (f == io.stdin and 0) or (f == io.stdout and 1) or (f == io.stderr and 2)
   return fd ~= nil and P.isatty(fd) or false
end

-- luaT_lua_isequal: the same Torch object (whatever proxies stand for it) or the same table
function torch.isequal(a, b)
   if PYOBJ[a] ~= nil and PYOBJ[b] ~= nil then return torch.pointer(a) == torch.pointer(b) end
   if lua_type(a) == 'table' and lua_type(b) == 'table' then return rawequal(a, b) end
   return false
end

-- luaT_lua_version: the __version of the object's class metatable (luaT sets 1 by default);
-- nothing for a value without a metatable
function torch.version(...)
   if select('#', ...) == 0 then error("bad argument #1 to 'version' (value expected)", 2) end
   local x = ...
   if PYOBJ[x] ~= nil then
      local mt = torch.getmetatable(torch.typename(x))
      if mt ~= nil and H.LUACLASSNAME[mt] ~= nil then
         mt = H.LUAMETHODS[mt]  -- a torch.class class: its own fields
      end
      local v = mt ~= nil and (CLASSOFTABLE[mt] ~= nil and classraw(mt, '__version')
                               or rawget(mt, '__version')) or nil
      if v == nil then return 1 end
      return v
   end
   local mt = getmetatable(x)
   if lua_type(mt) ~= 'table' then return end
   return rawget(mt, '__version')
end

-- luaT_lua_setenv / getenv: the environment table of a function or a Torch object (an empty
-- new table when none was set)
local OBJENV = setmetatable({}, {__mode = 'k'})
local function env_target(x, name)
   local t = lua_type(x)
   if t ~= 'function' and t ~= 'userdata' and PYOBJ[x] == nil then
      error("bad argument #1 to '" .. name .. "' (function or userdata expected, got " .. t
            .. ")", 3)
   end
   return t == 'function'
end
function torch.setenv(x, env)
   if lua_type(env) ~= 'table' then
      error("bad argument #2 to 'setenv' (table expected, got " .. lua_type(env) .. ")", 2)
   end
   if env_target(x, 'setenv') then setfenv(x, env) else OBJENV[x] = env end
end
function torch.getenv(x)
   if env_target(x, 'getenv') then return getfenv(x) end
   return OBJENV[x] or {}
end

-- torch_updateerrorhandlers: TH's error handlers point at this Lua state already
function torch.updateerrorhandlers() end

-- torch.isTypeOf(obj, spec): spec a class, a class name or a Lua pattern ('torch.*Tensor'),
-- matched against obj's class and its parents as torch7py.isTypeOf does
function torch.isTypeOf(obj, spec)
   if spec == nil then return false end
   local o = PYOBJ[obj]
   if lua_type(spec) ~= 'string' then
      local so = PYOBJ[spec]
      if so ~= nil then return o ~= nil and P.isinstance(o, so) end
      spec = H.LUACLASSNAME[spec] or rawget(spec, '__typename')
         or (getmetatable(spec) or {}).__typename
      if lua_type(spec) ~= 'string' then return false end
   end
   if o ~= nil then return P.istypeof(o, spec) end
   local mt = getmetatable(obj)  -- a plain Lua object: its metatable chain (init.lua)
   while lua_type(mt) == 'table' do
      local name = rawget(mt, '__typename')
      if lua_type(name) == 'string' then
         local m = name:match(spec)
         if m and (m ~= spec or m == name) then return true end
      end
      mt = getmetatable(mt)
   end
   return false
end

-- luaT_lua_getmetatable: a string argument; no value for an unknown class
function torch.getmetatable(name)
   if lua_type(name) ~= 'string' then
      error("bad argument #1 to 'getmetatable' (string expected, got " .. lua_type(name) .. ")",
            2)
   end
   local c = classtable(P.class_by_name(name))
   if c ~= nil then return c end
end

-- torch.class(name [, parent [, module]]): returns the class table and the parent's
function torch.class(name, parent, module)
   if lua_type(parent) == 'table' and PYOBJ[parent] == nil and module == nil
         and getmetatable(parent) == nil then
      module, parent = parent, nil
   end
   local C, pv, ctor = P.newclass(name, U(parent))
   -- luaT_lua_newmetatable's errors (luaL_error in C): no position
   if C == ERR then error(pv, 0) end
   -- tostring of a class's metatable, as luaT's: with a parent, the parent's __tostring
   -- (luaT_mt__tostring: the typename of the metatable's metatable, the parent's name);
   -- without one, a plain table's 'table: 0x...' (th's print then lists it)
   rawset(C, '__typename', name)  -- luaT's field (what isTypeOf and legacy code read)
   -- luaT's metatable.new: the constructor function (Foo.new(...)), the one that the
   -- instances answer as obj.new
   rawset(C, 'new', ctor.new)
   local cmt = debug.getmetatable(C)
   if parent ~= nil then
      local pname = lua_type(parent) == 'string' and parent or torch.typename(parent)
         or H.LUACLASSNAME[parent]
      cmt.__tostring = function() return tostring(pname) end
   else
      cmt.__tostring = nil
   end
   local pkg, short = tostring(name):match('^(.*)%.([^.]+)$')
   if module ~= nil then
      set_in_module(module, short or name, ctor)
   elseif pkg ~= nil then
      local t = _G
      for part in pkg:gmatch('[^.]+') do
         local nxt = t[part]
         if nxt == nil then
            nxt = {}
            rawset(t, part, nxt)
         end
         t = nxt
      end
      set_in_module(t, short, ctor)
   else
      rawset(_G, name, ctor)
   end
   -- the parent's metatable: a table, torch.getmetatable(parent) (a Python class's class table)
   return C, classtable(pv)
end

-- FFInterface.lua: t:data() and storage:data() are C pointers into the numbers (typed by the
-- tensor type, 0-based, at the tensor's storage offset), t:cdata() a pointer standing for the
-- object (torch.pointer's number); torch.data / torch.cdata call them
do
   local ffi = require 'ffi'
   pcall(ffi.cdef, 'typedef struct { unsigned short x; } __THHalf; typedef __THHalf THHalf;')
   local REAL = {Byte = 'unsigned char', Char = 'char', Short = 'short', Int = 'int',
                 Long = 'long', Float = 'float', Double = 'double', Half = 'THHalf'}
   local PTR = {}
   local function ptrtype(obj)
      local name = torch.typename(obj)
      local t = PTR[name]
      if t == nil then
         local real = REAL[name:match('^torch%.(%a-)Tensor$')
                           or name:match('^torch%.(%a-)Storage$')]
         t = ffi.typeof((real or 'unsigned char') .. '*')
         PTR[name] = t
      end
      return t
   end
   local function data(self)
      if not self then return nil end
      local addr = P.address(PYOBJ[self])
      if addr == nil then return nil end
      return ffi.cast(ptrtype(self), addr)
   end
   local function cdata(self)
      if not self then return nil end
      return ffi.cast('void*', P.pointer(PYOBJ[self]))
   end
   local K = H.KINDMETHODS
   K.tensor.data, K.tensor.cdata = data, cdata
   K.storage.data, K.storage.cdata = data, cdata
   -- Tensor.lua's Storage.__tostring__ is a method of every storage metatable (rawset there),
   -- what luaT's __tostring calls: the same text (textConvNet prints
   -- module.output:size():__tostring__()); a Tensor's is the Python class's
   K.storage.__tostring__ = function(self) return tostring(self) end
   -- Tensor.c's __index__ and __newindex__ (luaT's metamethods call them for a key that is no
   -- field; scripts call them too): a number (a numeric string), a LongStorage, a table or a
   -- ByteTensor mask is an index: (value, true), and the write answers true (the mask's write
   -- answers its value, the top of its stack); any other key: false
   local function tensorkey(k)
      if type(k) == 'number' or (type(k) == 'string' and tonumber(k) ~= nil) then
         return tonumber(k)
      end
      local tk = torch.typename(k)
      if type(k) == 'table' or tk == 'torch.LongStorage' or tk == 'torch.ByteTensor' then
         return k
      end
   end
   -- (a C function's error has no position: the one the indexing here would add goes)
   local function bare(ok, ...)
      if ok then return ... end
      local e = ...
      if type(e) == 'string' then e = e:gsub('^%[compat%]:%d+: ', '') end
      error(e, 0)
   end
   K.tensor.__index__ = function(self, k)
      local key = tensorkey(k)
      if key == nil then return false end
      return bare(pcall(function() return self[key] end)), true
   end
   K.tensor.__newindex__ = function(self, k, v)
      local key = tensorkey(k)
      if key == nil then return false end
      bare(pcall(function() self[key] = v end))
      if torch.typename(key) == 'torch.ByteTensor' then return v end
      return true
   end
   function torch.data(self, asnumber)
      if not self then return nil end
      local d = self:data()
      if asnumber then return ffi.cast('intptr_t', d) end
      return d
   end
   function torch.cdata(self, asnumber)
      if not self then return nil end
      local c = self:cdata()
      if asnumber then return ffi.cast('intptr_t', c) end
      return c
   end
end

-- utils.c: with heap tracking on, the memory that tensors allocate drives Lua's collector (the
-- runtime's heap hook), so that garbage tensors held only by Lua proxies are freed in time;
-- trepl turns it on for th
function torch.setheaptracking(enabled)
   if type(enabled) ~= 'boolean' then
      error("bad argument #1 to 'setheaptracking' (boolean expected, got " .. type(enabled) .. ")", 2)
   end
   rawset(torch, '_heaptracking', enabled)
   P.set_heap_tracking(enabled)
end
torch._heaptracking = false
-- torch/init.lua's: a new thread's state takes over the error handlers and heap tracking
function torch.updatethreadlocals()
   torch.updateerrorhandlers()
   local tracking = torch._heaptracking
   if tracking == nil then tracking = false end
   torch.setheaptracking(tracking)
end
-- torch/init.lua: the folder of a package's init.lua found along package.path (nothing for the
-- packages torch7py provides, which have no files); with no name, the folder above torch's
function torch.packageLuaPath(name)
   if not name then
      local p = torch.packageLuaPath('torch')
      return p and (p:match('(.*)/') or p:match('(.*)\\'))
   end
   for path in package.path:gmatch('[^;]+') do
      path = path:gsub('%?', name)
      local f = io.open(path)
      if f then
         f:close()
         return path:match('(.*)/') or path:match('(.*)\\')
      end
   end
end
function torch.include(pkg, file)
   local dir = torch.packageLuaPath(pkg)
   return dofile(dir and (dir .. '/' .. file) or file)
end

local LUACLASS_ROOTED  -- (M, rooted): set in the block below
-- ===========================================================================================
-- luaT's metatable functions (lib/luaT/luaT.c, utils.c, init.lua): torch.newmetatable,
-- setmetatable, metatype, getconstructortable, factory, pushudata, pointer of any value, and
-- torch.class's argument forms. A metatable made by newmetatable is luaT's, in Lua (tables
-- are its objects); torch7py's classes and torch.class's are Python classes, found by name.
-- ===========================================================================================
do
   local ffi = require 'ffi'
   local REG = {}                                    -- registry[name] = metatable
   local REGNAME = setmetatable({}, {__mode = 'k'})  -- registry[metatable] = name
   local PARENTNAME = {}  -- torch.class name -> its parent's name
   local CTOR = {}        -- torch.class name -> its constructor (getconstructortable)

   -- luaL_checkstring (a number is its string); luaL_typename says 'no value' for none
   local function checkstring(fname, i, n, v)
      local t = lua_type(v)
      if t == 'string' then return v end
      if t == 'number' then return tostring(v) end
      error("bad argument #" .. i .. " to '" .. fname .. "' (string expected, got "
            .. (i > n and 'no value' or t) .. ")", 3)
   end

   -- the class (proxy, Lua class table or luaT metatable) a name stands for, or nil
   local function class_of(name)
      local mt = REG[name]
      if mt ~= nil then return mt, 'lua' end
      local c = P.class_by_name(name)
      if c ~= nil then return c, 'py' end
   end

   -- luaT_typename: registry[metatable] first (metatype, newmetatable, setmetatable)
   local base_typename = torch.typename
   function torch.typename(...)
      if select('#', ...) > 0 then
         local mt = debug.getmetatable((...))
         local name = mt ~= nil and REGNAME[mt]
         if name then return name end
      end
      return base_typename(...)
   end

   -- luaT's registry entries, registry[name] = metatable and registry[metatable] = name, for
   -- every class (torchnet's torch.isclass reads debug.getregistry()[obj]): the class
   -- metatables of torch7py are made on demand, so the registry answers them through an
   -- __index, given it when a script first asks for the registry (its own keys come first)
   do
      local getregistry = debug.getregistry
      local R, hooked = getregistry(), false
      local function lookup(_, k)
         local t = lua_type(k)
         if t == 'string' then
            local ok, mt = pcall(torch.getmetatable, k)
            if ok then return mt end
         elseif t == 'table' then
            local name = REGNAME[k] or H.LUACLASSNAME[k]
            local c = CLASSOFTABLE[k]
            if name == nil and c ~= nil then name = CLASSMT[debug.getmetatable(c)].typename end
            return name
         end
      end
      debug.getregistry = function()
         if not hooked then
            hooked = true
            if debug.getmetatable(R) == nil then setmetatable(R, {__index = lookup}) end
         end
         return R
      end
   end

   -- luaT_mt__index / __newindex and the operators of a metatable made by newmetatable
   local function mt_of(x) return debug.getmetatable(x) end
   local function tname(x) return torch.typename(x) or lua_type(x) end
   local mt__index, mt__newindex = luat_indexer(mt_of), luat_newindexer(mt_of)
   local function operator(name, nil_behavior)
      local key = '__' .. name .. '__'
      return function(a, b, ...)
         local mt = mt_of(a)
         if mt == nil or mt[key] == nil then mt = mt_of(b) or mt end
         local f = mt and mt[key]
         if f == nil then return nil_behavior(a, b) end
         if lua_type(f) == 'function' then return f(a, b, ...) end
      end
   end
   local binerr, unerr = luat_binerr, luat_unerr
   local function unary(name, nil_behavior)
      local key = '__' .. name .. '__'
      return function(a, ...)
         local f = mt_of(a)[key]
         if f == nil then return nil_behavior(a) end
         if lua_type(f) == 'function' then return f(a, ...) end
      end
   end
   local OPS = {
      __add = operator('add', binerr('addition')), __sub = operator('sub', binerr('substraction')),
      __mul = operator('mul', binerr('multiplication')), __div = operator('div', binerr('division')),
      __mod = operator('mod', binerr('modulo')), __pow = operator('pow', binerr('power')),
      __concat = operator('concat', binerr('concat')),
      __eq = operator('eq', function(a, b) return torch.isequal(a, b) end),
      __lt = operator('lt', binerr('less-than')), __le = operator('le', binerr('less-equal')),
      __tostring = unary('tostring', function(a) return torch.typename(a) end),
      __call = unary('call', unerr('call operator')),
      __unm = unary('unm', unerr('negation operator')),
      __len = unary('len', unerr('length operator')),
   }

   -- torch.class classes (Python classes whose methods are Lua functions): their objects get
   -- luaT's metamethods. luaT_mt__index asks the class's __index__ for a key that is no field
   -- of the object, __newindex__ for a field that does not exist yet; the operators call the
   -- class's __add__, __eq__, __tostring__... (a metamethod the class defines itself, __len
   -- say, first), found along its Lua parents; without one, a class on a Python parent keeps
   -- what the Python class does (nn.Module's __call, Sequential's __tostring), a class of
   -- its own gives luaT's errors. One closure per operator for every class, as luaT's C
   -- functions: Lua compares (==, <, <=) two objects only when their metamethods are the same.
   local PYROOTED = setmetatable({}, {__mode = 'k'})  -- M -> true: a Python class underneath
   local ORIG = setmetatable({}, {__mode = 'k'})      -- template metatable -> its metamethods
   local function lclass(x)
      if PYOBJ[x] == nil then return nil end
      local info = CLASSMT[debug.getmetatable(x)]
      return info and info.luaclass, info and info.mt
   end
   -- Each operator twice: luaT's C function (luaT_mt__eq...: the class's __eq__, else the nil
   -- behaviour), which reading `C.__eq` gives (H.LUAT_DEFAULTS: classic keeps it and calls it
   -- from the __eq it writes in its place), and the objects' metamethod, which first runs what
   -- the script wrote as the class's own __eq
   local function hooked_binop(name, nil_behavior)
      local key, direct = '__' .. name .. '__', '__' .. name
      local function luat(a, b)
         local M, mt = lclass(a)
         if M == nil then M, mt = lclass(b) end
         local f = M[key]
         if f ~= nil then
            if lua_type(f) == 'function' then return f(a, b) end
            return
         end
         local orig = PYROOTED[M] and ORIG[mt][direct]
         if orig then return orig(a, b) end
         return nil_behavior(a, b)
      end
      H.LUAT_DEFAULTS[direct] = luat
      return function(a, b)
         local M = lclass(a)
         if M == nil then M = lclass(b) end
         local d = rawget(M, direct)  -- luaT gives each metatable its own: not inherited
         if d ~= nil then return d(a, b) end
         return luat(a, b)
      end
   end
   local function hooked_unop(name, nil_behavior)
      local key, direct = '__' .. name .. '__', '__' .. name
      local function luat(a, ...)
         local M, mt = lclass(a)
         local f = M[key]
         if f ~= nil then
            if lua_type(f) == 'function' then return f(a, ...) end
            return
         end
         local orig = PYROOTED[M] and ORIG[mt][direct]
         if orig then return orig(a, ...) end
         return nil_behavior(a, ...)
      end
      H.LUAT_DEFAULTS[direct] = luat
      return function(a, ...)
         local M = lclass(a)
         local d = rawget(M, direct)  -- luaT gives each metatable its own: not inherited
         if d ~= nil then return d(a, ...) end
         return luat(a, ...)
      end
   end
   local HOOKED = {
      __add = hooked_binop('add', binerr('addition')),
      __sub = hooked_binop('sub', binerr('substraction')),
      __mul = hooked_binop('mul', binerr('multiplication')),
      __div = hooked_binop('div', binerr('division')),
      __mod = hooked_binop('mod', binerr('modulo')),
      __pow = hooked_binop('pow', binerr('power')),
      __concat = hooked_binop('concat', binerr('concat')),
      __eq = hooked_binop('eq', function(a, b) return torch.isequal(a, b) end),
      __lt = hooked_binop('lt', binerr('less-than')),
      __le = hooked_binop('le', binerr('less-equal')),
      __tostring = hooked_unop('tostring', function(a) return torch.typename(a) end),
      __call = hooked_unop('call', unerr('call operator')),
      __unm = hooked_unop('unm', unerr('negation operator')),
      __len = hooked_unop('len', unerr('length operator')),
   }
   H.HOOKS.luaclass = function(mt, M)
      local orig = {}
      for k, f in pairs(HOOKED) do
         orig[k] = mt[k]
         mt[k] = f
      end
      ORIG[mt] = orig
      local index, newindex = mt.__index, mt.__newindex
      RAWNEWINDEX[mt] = newindex
      mt.__index = function(p, k)
         -- the class's own __index, set by the script (`function C.__index(self, k)`):
         -- torch.class's metatable is the class table, so it replaced luaT_mt__index there
         -- (harvardnlp/seq2seq-attn's data[i])
         local own = rawget(M, '__index')
         if own ~= nil and P.rawfield(PYOBJ[p], k) == nil then
            if lua_type(own) == 'function' then return own(p, k) end
            return own[k]
         end
         local f = M.__index__
         if f ~= nil and P.rawfield(PYOBJ[p], k) == nil then
            if lua_type(f) ~= 'function' then
               error('critical internal indexing error: __index__ is not a function', 2)
            end
            local r = {f(p, k)}
            if r[#r] then return r[#r - 1] end
         end
         -- a value the script put in the class table (`C.vocabs = {1, 2, 3}`, not a
         -- function): the object's own field of that name comes first, as Lua finds a
         -- table's own keys before its metatable's __index (OpenNMT's BeamSearchTest sets
         -- SubDict.vocabs; SubDict's constructor then sets and reads self.vocabs)
         if lua_type(k) == 'string' then
            local cv = M[k]
            if cv ~= nil and lua_type(cv) ~= 'function' then
               local v = P.rawfield(PYOBJ[p], k)
               if v ~= nil then return v end
            end
         end
         return index(p, k)
      end
      mt.__newindex = function(p, k, v)
         local own = rawget(M, '__newindex')
         if own ~= nil and P.rawfield(PYOBJ[p], k) == nil then
            if lua_type(own) == 'function' then return own(p, k, v) end
            own[k] = v
            return
         end
         local f = M.__newindex__
         if f ~= nil and P.rawfield(PYOBJ[p], k) == nil then
            if lua_type(f) ~= 'function' then
               error('critical internal indexing error: __newindex__ is not a function', 2)
            end
            if f(p, k, v) then return end
         end
         return newindex(p, k, v)
      end
   end
   LUACLASS_ROOTED = function(M, rooted, C)
      PYROOTED[M] = rooted or nil
      if C ~= nil then PYROOTED[C] = rooted or nil end
   end

   local function ctor_table(mt)
      local ct = rawget(mt, '__constructor')
      if ct ~= nil then return ct end
      local cmt = {__index = mt, __metatable = mt}
      cmt.__newindex = function(_, k, v) rawset(mt, k, v) end  -- new methods
      cmt.__call = function(_, ...)
         local new = rawget(cmt, '__new')
         if new == nil then error('no constructor available', 2) end
         return new(...)
      end
      ct = setmetatable({}, cmt)
      rawset(mt, '__constructor', ct)
      return ct
   end

   -- luaT_getinnerparent: the table holding a dotted name's last part (its luaL_error is
   -- raised in C: no position)
   local function inner_parent(name)
      local parts = {}
      for p in name:gmatch('[^.]+') do parts[#parts + 1] = p end
      local t = _G
      for i = 1, #parts - 1 do
         t = t[parts[i]]
         -- (lua_istable: a class's constructor table is one, so 'tl.Tree.Node' goes in the
         -- class tl.Tree; torch7py's class objects answer type() with 'table' as well)
         if type(t) ~= 'table' then
            error('while creating metatable ' .. name .. ': bad argument #1 ('
                  .. table.concat(parts, '.', 1, i) .. ' is an invalid module name)', 0)
         end
      end
      return t, parts[#parts]
   end

   local NEWPYCLASS  -- torch.class of a Python-rooted class (set below)
   -- luaT_lua_newmetatable(name [, parent [, ctor [, dtor [, factory [, module]]]]])
   function torch.newmetatable(...)
      local n = select('#', ...)
      local name, parent, ctor, dtor, factory, module = ...
      name = checkstring('newmetatable', 1, n, name)
      local function check(i, v, ok, what)
         if v ~= nil and not ok then
            error("bad argument #" .. i .. " to 'newmetatable' (" .. what .. ")", 3)
         end
      end
      check(2, parent, lua_type(parent) == 'string' or lua_type(parent) == 'number',
            'parent class name or nil expected')
      check(3, ctor, lua_type(ctor) == 'function', 'constructor function or nil expected')
      check(4, dtor, lua_type(dtor) == 'function', 'destructor function or nil expected')
      check(5, factory, lua_type(factory) == 'function', 'factory function or nil expected')
      check(6, module, lua_type(module) == 'table', 'module table or nil expected')
      local root = name:match('([^.]*)$')
      if module == nil then module, root = inner_parent(name) end
      local existing, kind = class_of(name)
      if kind == 'py' then  -- a torch7py or torch.class class: its metatable as it is
         set_in_module(module, root, existing)
         return torch.getmetatable(name)
      end
      if existing == nil and parent ~= nil and select(2, class_of(tostring(parent))) == 'py' then
         -- luaT chains any registered metatable: a parent implemented in Python makes the
         -- class torch.class's Python subclass, whose objects its constructor makes
         local C = NEWPYCLASS(name, tostring(parent), module)
         PARENTNAME[name] = tostring(parent)
         -- the constructor table calls the ctor given, else luaT_cmt__call's error
         set_in_module(module, root, setmetatable({}, {
            __index = C, __metatable = C, __newindex = function(_, k, v) C[k] = v end,
            __call = function(_, ...)
               if ctor == nil then error('no constructor available', 2) end
               return ctor(...)
            end}))
         return C
      end
      local mt = existing
      if mt == nil then
         mt = {__index = mt__index, __newindex = mt__newindex, __typename = name, __version = 1}
         mt.__metatable = mt
         for k, f in pairs(OPS) do mt[k] = f end
         REG[name], REGNAME[mt] = mt, name
      end
      if parent ~= nil then
         if debug.getmetatable(mt) ~= nil then
            error('class ' .. name .. ' has been already assigned a parent class\n', 2)
         end
         local pmt = REG[tostring(parent)]
         if pmt == nil and existing ~= nil and factory ~= nil and rawget(mt, '__factory') ~= nil
               and select(2, class_of(tostring(parent))) == 'py' then
            -- luaT would give it the parent, then refuse the second factory
            error(name .. ' has been already assigned a factory', 2)
         end
         if pmt == nil then
            error('bad argument #2 (invalid parent class name ' .. tostring(parent) .. ')', 2)
         end
         setmetatable(mt, pmt)
      end
      if dtor ~= nil then
         if rawget(mt, '__gc') ~= nil then error(name .. ' has been already assigned a destructor', 2) end
         rawset(mt, '__gc', dtor)
      end
      if factory ~= nil then
         if rawget(mt, '__factory') ~= nil then
            error(name .. ' has been already assigned a factory', 2)
         end
         rawset(mt, '__factory', factory)
      end
      local ct = ctor_table(mt)
      if ctor ~= nil then
         local cmt = debug.getmetatable(ct)
         if rawget(cmt, '__new') ~= nil then
            error(name .. ' has been already assigned a constructor', 2)
         end
         rawset(cmt, '__new', ctor)
         rawset(mt, 'new', ctor)
      end
      set_in_module(module, root, ct)
      return mt
   end

   -- luaT_lua_metatype(name, table [, ctype])
   function torch.metatype(...)
      local n = select('#', ...)
      if n ~= 2 and n ~= 3 then error('expecting: string table [ctype]', 2) end
      local name, mt = ...
      name = checkstring('metatype', 1, n, name)
      if lua_type(mt) ~= 'table' then
         error("bad argument #2 to 'metatype' (table expected, got " .. lua_type(mt) .. ")", 2)
      end
      REG[name], REGNAME[mt] = mt, name
   end

   -- luaT_lua_getmetatable / getconstructortable / factory, with the metatables made here
   local base_getmetatable = torch.getmetatable
   function torch.getmetatable(...)
      local name = checkstring('getmetatable', 1, select('#', ...), (...))
      local mt = REG[name]
      if mt ~= nil then return mt end
      return base_getmetatable(name)
   end
   function torch.getconstructortable(...)
      local name = checkstring('getconstructortable', 1, select('#', ...), (...))
      local mt = REG[name]
      if mt ~= nil then return rawget(mt, '__constructor') end
      if CTOR[name] ~= nil then return CTOR[name] end
      local c = P.class_by_name(name)
      if c ~= nil then return c end
   end
   local base_factory = torch.factory
   function torch.factory(...)
      local name = checkstring('factory', 1, select('#', ...), (...))
      local mt = REG[name]
      if mt ~= nil then return rawget(mt, '__factory') end
      return base_factory(name)
   end

   -- luaT_lua_setmetatable(table, name): returns the name (the top of luaT's stack)
   function torch.setmetatable(...)
      local n = select('#', ...)
      local t, name = ...
      name = checkstring('setmetatable', 2, n, name)
      if type(t) ~= 'table' then
         error("bad argument #1 to 'setmetatable' (table expected, got "
               .. (n < 1 and 'no value' or type(t)) .. ")", 2)
      end
      local mt, kind = class_of(name)
      if mt == nil then error('unknown typename ' .. name .. '\n', 2) end
      if PYOBJ[t] ~= nil then
         if kind == 'lua' then
            error('torch.setmetatable: a torch7py object cannot take the Lua metatable of '
                  .. name, 2)
         end
         -- a torch7py object changes class (Python's __class__), its proxy the class's methods
         local tmpl, msg = P.reclass(PYOBJ[t], name)
         if tmpl == ERR then error(msg, 2) end
         debug.setmetatable(t, debug.getmetatable(tmpl))
      elseif kind == 'lua' then
         setmetatable(t, mt)
      elseif H.LUACLASSNAME[mt] ~= nil and not PYROOTED[mt] then
         -- a torch.class class of its own (no torch7py class underneath, so every method is
         -- Lua): the table finds the class's Lua methods through it
         if rawget(mt, '__index') == nil then
            rawset(mt, '__index', function(_, k) return mt[k] end)
            rawset(mt, '__typename', name)
         end
         REGNAME[mt] = name
         setmetatable(t, mt)
      else
         -- a torch7py class (nn.Linear...), or a torch.class class on one (dpnn's Serial
         -- turns its state tables back into modules, then calls nn.Module's type on them):
         -- luaT gives the table the class's metatable, the
         -- table becomes the object (fb.resnet.torch's checkpoints.lua deep-copies a model so:
         -- new module tables over the same tensors). Here the object is a Python object: one
         -- is made empty (torch.factory, as torch.load does) and takes the table's fields;
         -- the table then stands for it (its fields read and written through, methods called
         -- on the object, and the bridge hands the object to Python where the table goes)
         local o = torch.factory(name)()
         local keys = {}
         for k in next, t do keys[#keys + 1] = k end
         for _, k in ipairs(keys) do
            o[k] = rawget(t, k)
         end
         for _, k in ipairs(keys) do rawset(t, k, nil) end
         local fmt = {__metatable = mt}
         fmt.__index = function(_, k)
            local v = o[k]
            if lua_type(v) == 'function' then
               return function(self, ...)
                  if rawequal(self, t) then self = o end
                  return v(self, ...)
               end
            end
            return v
         end
         fmt.__newindex = function(_, k, v) o[k] = v end
         fmt.__tostring = function() return tostring(o) end
         fmt.__len = function() return #o end
         fmt.__call = function(_, ...) return o(...) end
         fmt.__pairs = function() return pairs(o) end
         REGNAME[fmt] = name
         H.TBL2PY[t] = o
         STANDIN[t] = o
         debug.setmetatable(t, fmt)
      end
      return name
   end

   -- luaT_lua_pointer: a cdata gives the pointer it holds, a number is a string
   local base_pointer = torch.pointer
   function torch.pointer(x)
      local t = lua_type(x)
      if t == 'cdata' then
         local ok, v = pcall(ffi.cast, 'uintptr_t', x)
         if ok then return tonumber(v) end
      elseif t == 'number' then
         return base_pointer(tostring(x))
      end
      return base_pointer(x)
   end

   -- luaT_lua_pushudata(pointer, name): the torch object at a pointer torch.pointer gave
   function torch.pushudata(...)
      local n = select('#', ...)
      local p, name = ...
      name = checkstring('pushudata', 2, n, name)
      if lua_type(p) == 'cdata' then p = torch.pointer(p)
      elseif lua_type(p) ~= 'number' then
         error("bad argument #1 to 'pushudata' (expecting number or cdata)", 2)
      end
      local mt = class_of(name)
      if mt == nil then
         error('Torch internal problem: cannot find metatable for type <' .. name .. '>', 2)
      end
      if p == 0 then return nil end
      local o = P.object_at(p, name)
      if o == ERR then error('pushudata: no ' .. name .. ' at pointer ' .. tostring(p), 2) end
      return o
   end

   local base_class = torch.class
   NEWPYCLASS = base_class
   -- init.lua's torch.class on luaT's functions: objects are tables given the metatable
   local function lua_class(tname, parenttname, module)
      if select(2, class_of(tname)) == 'py' then return base_class(tname, parenttname, module) end
      local function constructor(...)
         local self = {}
         torch.setmetatable(self, tname)
         if self.__init then self:__init(...) end
         return self
      end
      local function factory()
         local self = {}
         torch.setmetatable(self, tname)
         return self
      end
      local mt = torch.newmetatable(tname, parenttname, constructor, nil, factory, module)
      PARENTNAME[tname] = parenttname
      return mt, parenttname and torch.getmetatable(parenttname)
   end

   -- init.lua's torch.class: (name), (name, parent name), (name, module), (name, parent
   -- name, module); anything else is an error
   function torch.class(...)
      local n = select('#', ...)
      local a, b, c = ...
      local ok = lua_type(a) == 'string' and (n == 1
         or n == 2 and (lua_type(b) == 'string' or lua_type(b) == 'table')
         or n == 3 and lua_type(b) == 'string' and lua_type(c) == 'table')
      if not ok then error('<class name> [<parent class name>] [<module table>] expected', 2) end
      if n == 2 and lua_type(b) == 'table' then b, c = nil, b end
      if b ~= nil and select(2, class_of(b)) == 'lua' or select(2, class_of(a)) == 'lua' then
         -- a parent that is a Lua metatable (torch.Tester, newmetatable's classes): the child
         -- is one too, made as init.lua makes every class, so that it inherits through the
         -- live metatable chain what the script adds to the parent before or after
         return lua_class(a, b, c)
      end
      local holder = c
      if c == nil then holder = a:find('.', 1, true) and inner_parent(a) or _G end
      local C, pmt = base_class(a, b, c)
      PARENTNAME[a] = b
      local short = a:match('([^.]*)$')
      -- the constructor the module got (a class holding it keeps it among its methods)
      if lua_type(holder) == 'table' then CTOR[a] = rawget(holder, short)
      else CTOR[a] = holder[short] end
      return C, pmt
   end

   -- init.lua's torch.isTypeOf: a spec that is no string must have a metatable with a
   -- __typename; a table given a torch.class class's metatable (torch.setmetatable) matches
   -- that class and its parents
   local base_isTypeOf = torch.isTypeOf
   function torch.isTypeOf(obj, spec)
      -- a spec that is no string: getmetatable(spec).__typename. A constructor table answers
      -- with its class's metatable (__metatable), so its own name; a class's metatable answers
      -- with its parent's (luaT sets a metatable's metatable to the parent's), and one
      -- without a parent has none
      if lua_type(spec) ~= 'string' and not (PYOBJ[spec] ~= nil and lua_type(spec) ~= 'table')
      then
         local name
         if H.LUACLASSNAME[spec] ~= nil then
            name = PARENTNAME[H.LUACLASSNAME[spec]]
            if name == nil then error('attempt to index a nil value', 2) end
         elseif PYOBJ[spec] ~= nil then  -- a Python class's metatable (torch.getmetatable)
            name = P.parent_typename(PYOBJ[spec])
            if name == nil then error('attempt to index a nil value', 2) end
         else
            local m = getmetatable(spec)
            if m == nil then error('attempt to index a nil value', 2) end
            name = m.__typename
         end
         if lua_type(name) ~= 'string' then
            error('type must be provided as [regexp] string, or factory', 2)
         end
         spec = name
      end
      if STANDIN[obj] ~= nil then obj = STANDIN[obj] end  -- the object is of the class
      local mt = PYOBJ[obj] == nil and debug.getmetatable(obj)
      if mt and H.LUACLASSNAME[mt] ~= nil and lua_type(spec) == 'string' then
         local name = REGNAME[mt] or H.LUACLASSNAME[mt]  -- a raw setmetatable's table too
         while name ~= nil do
            local match = name:match(spec)
            if match and (match ~= spec or match == name) then return true end
            name = PARENTNAME[name]
         end
         return false
      end
      return base_isTypeOf(obj, spec)
   end

   -- init.lua: assert(type(typename) == 'string', 'string expected')
   local base_setdefault = torch.setdefaulttensortype
   function torch.setdefaulttensortype(typename)
      if lua_type(typename) ~= 'string' then error('string expected', 0) end
      base_setdefault(typename)
   end
end

-- print and io.write go through Python's stdout so that their output interleaves correctly
function print(...)
   local n = select('#', ...)
   local parts = {}
   for i = 1, n do parts[i] = tostring((select(i, ...))) end
   pwrite(table.concat(parts, '\t') .. '\n')
end

local stdout = io.stdout
-- io.write(...) and io.stdout:write(...): each value a string or a number, else LuaJIT's
-- argument error (numbered from the first value: a method call counts self out), at the
-- caller's line (both callers tail-call this, so level 2 is their caller)
-- (the name as the script's call names it, '?' from pcall; self counts as #1 unless the call
-- is a method call: off is 1 for file:write)
local function write_stdout(off, ...)
   local n = select('#', ...)
   for i = 1, n do
      local v = select(i, ...)
      if lua_type(v) ~= 'string' and lua_type(v) ~= 'number' then
         local ar = debug.getinfo(1, 'n')
         if ar and ar.namewhat == 'method' then off = off - 1 end
         error("bad argument #" .. (i + off) .. " to '" .. (ar and ar.name or '?')
               .. "' (string expected, got " .. lua_type(v) .. ")", 2)
      end
      pwrite(tostring(v))
   end
   return stdout
end
io.write = function(...) return write_stdout(0, ...) end
local stdout_mt = getmetatable(stdout)
if stdout_mt and stdout_mt.__index then
   local fmethods = stdout_mt.__index
   local native_write, native_flush = fmethods.write, fmethods.flush
   local io_type = io.type
   fmethods.write = function(f, ...)
      if f == stdout then return write_stdout(1, ...) end
      -- LJ_52's io_file_write returns the file (this LuaJIT: true); a closed file or a bad
      -- value is the builtin's error, tail-called so that it names the caller's call
      if io_type(f) ~= 'file' then return native_write(f, ...) end
      for i = 1, select('#', ...) do
         local t = lua_type((select(i, ...)))
         if t ~= 'string' and t ~= 'number' then return native_write(f, ...) end
      end
      local ok, msg, code = native_write(f, ...)
      if ok == true then return f end
      return ok, msg, code
   end
   fmethods.flush = function(f, ...)
      if f == stdout then P.flush() return f end
      return native_flush(f, ...)
   end
end

-- a child process writes to the same terminal: what Python buffered goes first
local native_execute, native_popen = os.execute, io.popen
os.execute = function(...)
   P.flush()
   return native_execute(...)
end
io.popen = function(...)
   P.flush()
   return native_popen(...)
end

-- os.exit ends the script through Python (so buffered output is written first)
-- (its argument as LuaJIT's os_exit reads it: a boolean, else lj_lib_optint: a number or a
-- numeric string, truncated toward zero by lj_num2int, out of int's range x86's INT_MIN)
os.exit = function(...)
   local code = ...
   local t = lua_type(code)
   if t ~= 'boolean' and t ~= 'nil' then
      local n = tonumber(code)
      if n == nil or (t ~= 'number' and t ~= 'string') then
         local ar = debug.getinfo(1, 'n')
         error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (number expected, got "
            .. (t == 'string' and 'string' or t) .. ")", 2)
      end
      if n ~= n or n >= 2147483648 or n <= -2147483649 then
         n = -2147483648
      else
         n = n >= 0 and math.floor(n) or math.ceil(n)
      end
      code = n
   end
   P.exit(code)
   error('exit', 0)
end
-- os.exit is C's exit() in Torch7: no pcall stops it. Here the exit unwinds the Lua stack as an
-- error, so pcall, xpcall and coroutine.resume hand it on (xpcall's handler never sees it): a
-- CmdLine:error (help, then os.exit(1)) under a script's pcall ends the run with status 1
-- (the locals keep the library's names: a traceback names the C function as its caller
-- called it, and bridge.lua's debug.traceback leaves these wrappers' own frames out)
local lua_pcall, lua_xpcall = pcall, xpcall
do
   local pcall, xpcall, resume = pcall, xpcall, coroutine.resume
   local exiting = P.exiting
   local function pass(ok, ...)
      if not ok and exiting() then error('exit', 0) end
      return ok, ...
   end
   -- the C functions' argument checks, made here so the message names the script's line
   -- and the function as its caller called it (a tail call: '?'), as beta2's did
   local getinfo, select, rawtype = debug.getinfo, select, type
   local function argerror(n, what)
      local ar = getinfo(2, 'n')
      error("bad argument #" .. n .. " to '" .. (ar and ar.name or '?') .. "' (" .. what .. ")", 3)
   end
   _G.pcall = function(...)
      if select('#', ...) == 0 then argerror(1, 'value expected') end
      return pass(pcall(...))
   end
   local function xpcall_args(f, handler, ...)
      return pass(xpcall(f, function(e)
         if exiting() then return e end
         return handler(e)
      end, ...))
   end
   _G.xpcall = function(...)
      if select('#', ...) == 0 then argerror(1, 'value expected') end  -- lj_lib_checkany(L, 1)
      local handler = select(2, ...)
      if rawtype(handler) ~= 'function' then
         argerror(2, 'function expected, got '
            .. (select('#', ...) < 2 and 'no value' or rawtype(handler)))
      end
      return xpcall_args(...)
   end
   coroutine.resume = function(co, ...)
      if rawtype(co) ~= 'thread' then argerror(1, 'coroutine expected') end
      return pass(resume(co, ...))
   end
   -- lupa keeps, in every Lua value that Python holds, the lua_State of the thread that was
   -- running when it crossed (init_lua_object), and luaL_unrefs through it when Python frees
   -- the value: a coroutine freed before that is a crash (a table a coroutine put in a
   -- module's field, dropped later). So a coroutine outlives the collection that finds it
   -- garbage: its function holds a sentinel whose finalizer refers back to it, and Lua keeps
   -- what a finalizer reaches until the next collection, after that cycle's finalizers
   -- (lupa's, of the Python objects the coroutine made) have run
   local create, wrap, running, newproxy = coroutine.create, coroutine.wrap, coroutine.running,
      newproxy
   local getmetatable = getmetatable
   local function outliving(f)
      local holder = {}
      local sentinel = newproxy(true)
      getmetatable(sentinel).__gc = function() holder[1] = nil end
      holder[2] = sentinel
      return function(...)
         holder[1] = running()
         return holder[3](...)  -- (not a tail call: the coroutine keeps this frame)
      end, holder
   end
   local function body(f)
      local g, holder = outliving(f)
      holder[3] = f
      return g
   end
   coroutine.create = function(...)
      local f = ...
      if rawtype(f) ~= 'function' then
         argerror(1, 'function expected, got ' .. (select('#', ...) == 0 and 'no value'
            or rawtype(f)))
      end
      return create(body(f))
   end
   coroutine.wrap = function(...)
      local f = ...
      if rawtype(f) ~= 'function' then
         argerror(1, 'function expected, got ' .. (select('#', ...) == 0 and 'no value'
            or rawtype(f)))
      end
      return wrap(body(f))
   end
end

-- torch/init.lua and nn/init.lua end with require('torch.test') / require('nn.test'): Torch7
-- installs torch7's test/test.lua as the module torch.test and nn's test.lua as nn.test, which
-- define torch.test(tests), nn.test(tests, seed), nn.testTHNN(tests, seed). torch7py ships no
-- test files: each entry is there from the start and, when first called, requires its module
-- along package.path (a Torch7 install's share/lua/5.1, or LUA_PATH='DIR/?.lua;;' with
-- DIR/torch/test.lua, DIR/nn/test.lua), which replaces it, then calls the file's function.
-- Without the file the call fails with require's "module 'nn.test' not found", at the caller.
local function test_entry(pkg, module, name, file)
   local entry
   entry = function(...)
      local ok, r = pcall(require, module)
      if not ok then
         local missing = "module '" .. module .. "' not found"
         if rawtype(r) == 'string' and r:find(missing, 1, true) then
            error(missing .. ' (torch7py ships no test files: put ' .. file
                  .. ' on package.path as ' .. module:gsub('%.', '/') .. '.lua)', 2)
         end
         error(r, 0)
      end
      local f = rawget(pkg, name)
      if f == entry then error(module .. ' does not define ' .. name, 2) end
      return f(...)
   end
   rawset(pkg, name, entry)
end
test_entry(torch, 'torch.test', 'test', "torch7's test/test.lua")

-- the packages a script can require
local preload = package.preload
preload.torch = function() return torch end
preload.nn = function()
   nn = pymodule('torch7py.nn', nil, nil, 'nn')
   test_entry(nn, 'nn.test', 'test', "nn's test.lua")
   test_entry(nn, 'nn.test', 'testTHNN', "nn's test.lua")
   -- nn's own tables of functions (utils.lua, SpatialConvolutionMap.lua's nn.tables,
   -- hessian.lua, Jacobian.lua, SparseJacobian.lua) are Python modules here: plain tables as
   -- nn's, whose pairs lists the names Torch7's holds (th's print of `require 'nn'` walks
   -- them), not the modules' imports
   for name, file in pairs({utils = 'utils', tables = 'tables', hessian = 'hessian',
                            Jacobian = 'jacobian', SparseJacobian = 'sparse_jacobian'}) do
      rawset(nn, name, pymodule('torch7py.nn.' .. file, nil, nil, 'nn_' .. name:lower()))
   end
   -- Torch7's nn/init.lua loads nn.test, whose top level builds nn.Linear(1, 2): its reset
   -- draws 4 uniforms, so `manualSeed(s); require 'nn'` moves the generator. Kept for parity.
   nn.Linear(1, 2)
   require 'nn.THNN'  -- nn/init.lua loads it: the tensor metatables' THNN tables
   return nn
end
-- File.lua's File:isWritableObject (Lua in Torch7, as writeObject calls it): the type index
-- writeObject writes for the object, nil for what it cannot write (classic's torch.Object:write
-- leaves out the fields it cannot)
do
   local function isWritableObject(_, object)
      local t = type(object)
      if t ~= 'boolean' and not object then return 0 end          -- TYPE_NIL
      local tn = torch.typename(object)
      if tn and torch.factory(tn) then return 4 end               -- TYPE_TORCH
      if t == 'table' then return 3 end
      if t == 'number' then return 1 end
      if t == 'string' then return 2 end
      if t == 'boolean' then return 5 end
      if t == 'function' and pcall(string.dump, object) then return 8 end  -- TYPE_RECUR_FUNCTION
      return nil
   end
   for _, name in ipairs({'torch.DiskFile', 'torch.MemoryFile', 'torch.PipeFile'}) do
      H.TYPEMETHODS[name] = H.TYPEMETHODS[name] or {}
      H.TYPEMETHODS[name].isWritableObject = isWritableObject
   end
end

-- nn/THNN.lua: THNN.h's functions on torch7py's kernels (compat/thnn.lua); it gets the
-- bridge's tables to keep `input.THNN` and `t:cdata()` on the Lua side
preload['nn.THNN'] = function()
   return P.compat_chunk('thnn.lua')(pymodule('torch7py.nn.thnn'), H)
end
preload.optim = function()
   -- pairs(optim) lists what optim/init.lua's files define (torch-autograd wraps each)
   optim = pymodule('torch7py.optim', nil, nil, 'optim')
   H.TYPEMETHODS['optim.Logger'] = P.compat_chunk('logger.lua')
   return optim
end
-- cudnn without a GPU: its constructors build the nn modules with the same function, and
-- cudnn.convert(net, nn) converts (torch7py.legacy.cudnn_api); cutorch and cunn stay missing,
-- so a script's pcall(require, 'cunn') takes its CPU path as on a machine without CUDA
preload.cudnn = function()
   require 'nn'
   local api = pymodule('torch7py.legacy.cudnn_api')
   cudnn = setmetatable({benchmark = false, fastest = false, verbose = false},
                        {__index = api})
   function cudnn.convert(net, dst, exclusion_fn)
      if dst == cudnn then return net end  -- to cudnn: no GPU, the nn modules stay
      return api.to_nn(net, exclusion_fn)
   end
   return cudnn
end
preload.paths = function()
   paths = pymodule('compat.lualibs:paths')
   -- for f in paths.files(dir [, pattern or function]) do ... end: entries in directory order
   function paths.files(dir, f)
      local names = paths.dir(dir)
      if lua_type(f) == 'string' then
         local pattern = f
         f = function(name) return name:find(pattern) end
      elseif f ~= nil and lua_type(f) ~= 'function' then
         error('bad argument #2 to paths.files (string or function expected)', 2)
      end
      local i = 0
      return function()
         while names ~= nil do
            i = i + 1
            local name = names[i]
            if name == nil then
               names = nil
            elseif f == nil or f(name) then
               return name
            end
         end
         return nil
      end
   end
   local function filtered(dir, keep)
      return paths.files(dir, function(name)
         return name ~= '.' and name ~= '..' and keep(paths.concat(dir, name))
      end)
   end
   function paths.iterfiles(dir) return filtered(dir, paths.filep) end
   function paths.iterdirs(dir) return filtered(dir, paths.dirp) end
   return paths
end
-- a failed Tester assert names the test's line, as the traceback lines of Tester.lua do
do
   local tester_module = P.module('torch7py.tester')
   tester_module.where = function()
      for line in debug.traceback('', 2):gmatch('\n(\t[^\n]*)') do
         if not line:find('^\t%[') then return line end
      end
      return ''
   end
end

-- CmdLine:log redefines the global print so that what the script prints also goes to the log
-- file (CmdLine.lua); Python cannot replace a Lua global, so this method lives here
do
   P.module('torch7py.printing').print_hook = function(...) print(...) end
   local oprint
   function torch.CmdLine:log(file, params)
      local f = (io.type(file) == 'file' and file) or assert(io.open(file, 'w'))
      oprint = oprint or print
      local cmd = self
      function print(...)
         local n = select('#', ...)
         local args = {...}
         if not cmd.silentio then oprint(...) end
         local parts = {}
         if cmd.dateformat then parts[#parts + 1] = os.date(cmd.dateformat) end
         for i = 1, n do parts[#parts + 1] = tostring(args[i]) end
         parts[#parts + 1] = '\n'
         f:write(table.concat(parts, ' '))
         f:flush()
      end
      print('[program started on ' .. os.date() .. ']')
      print('[command line arguments]')
      if params then
         for k, v in pairs(params) do print(k, v) end
      end
      print('[----------------------]')
   end
end

-- torch/sys (init.lua): the timers and shell helpers of the tutorials' training scripts
-- LuaFileSystem and Penlight come with Torch7's th (trepl depends on penlight, penlight on
-- lfs): lfs registers the global lfs, as a Lua 5.1 C module does; `require 'pl'` makes
-- Penlight's modules globals loaded on first use (trepl requires it: scripts use `path`)
-- (luaL_register's assignment comes from C, which pl.strict lets through as it does a main
-- chunk's: the global is set by a loaded chunk, so that strict and trepl's monitor_G see an
-- assignment from outside a Lua function, as they saw C's)
local set_lfs = load('lfs = ...', '=[C]')
preload.lfs = function()
   set_lfs(pymodule('compat.lfs'))
   return lfs
end
-- Penlight's path.lua requires lfs (pl.dir and pl.file require pl.path), so the global lfs
-- exists once a script has touched `path`, `dir` or `file`
preload['pl.path'] = function()
   require 'lfs'
   return pymodule('compat.pl_path')
end
-- the rest of Penlight, one compat chunk per module family (compat/penlight.lua,
-- penlight_formats.lua, penlight_collections.lua, penlight_apps.lua, penlight_parsing.lua,
-- penlight_lang.lua), each chunk loaded once, on the first require of one of its modules
local penlight_chunks = {}
for chunk, names in pairs({
   penlight = {'utils', 'List', 'stringx', 'tablex', 'file', 'pretty', 'dir'},
   penlight_formats = {'lapp', 'data', 'text', 'template', 'url'},
   penlight_collections = {'operator', 'types', 'stringio', 'Set', 'Map', 'OrderedMap',
                           'MultiMap', 'seq', 'func', 'comprehension', 'permute'},
   penlight_apps = {'app', 'config', 'input', 'array2d', 'test', 'Date'},
   penlight_parsing = {'sip', 'lexer', 'xml', 'luabalanced'},
   penlight_lang = {'class', 'import_into', 'compat', 'strict'}}) do
   for _, name in ipairs(names) do
      preload['pl.' .. name] = function()
         if name == 'file' then require 'pl.path' end
         penlight_chunks[chunk] = penlight_chunks[chunk] or P.compat_chunk(chunk .. '.lua')
         return penlight_chunks[chunk][name]()
      end
   end
end
-- `require 'pl'` is Penlight's import_into(_G): utils at once, every other module of its list
-- (31 names, Penlight 1.3-1.5) a global loaded on first use; other names go on to the
-- global table's previous __index
preload.pl = function()
   require('pl.import_into')(_G)
   return true
end
preload.sys = function()
   local ptime = pymodule('time')
   local s = {}
   s.clock = function() return ptime.time() end
   s.usleep = function(us) ptime.sleep(us / 1e6) end
   s.sleep = function(seconds) ptime.sleep(seconds) end
   s.tic = function() s.__t__ = s.clock() end
   s.toc = function(verbose)
      s.__dt__ = s.clock() - (s.__t__ or 0)
      if verbose then print(s.__dt__) end
      return s.__dt__
   end
   s.execute = function(cmd)
      local f = io.popen(cmd .. ' 2>&1')
      local out = f:read('*all')
      f:close()
      return (out:gsub('^%s*', ''):gsub('%s*$', ''))
   end
   -- sys.fexecute: through a temporary file, read back with `readwhat` ('*all' by default)
   s.fexecute = function(cmd, readwhat)
      local tmp = os.tmpname()
      os.execute(cmd .. ' >' .. tmp .. ' 2>&1')
      local f = assert(io.open(tmp))
      local out = f:read(readwhat or '*all')
      f:close()
      os.remove(tmp)
      return (out:gsub('^%s*', ''):gsub('%s*$', ''))
   end
   -- sys.prefix: the install folder of the luajit (or lua) named among arg[i <= 0], else ''
   s.prefix = ''
   for i, v in pairs(rawget(_G, 'arg') or {}) do
      if lua_type(i) == 'number' and lua_type(v) == 'string' and i <= 0 then
         local exe = paths.basename(v)
         if exe == 'luajit' or exe == 'lua' then
            local bin = paths.dirname(v)
            s.prefix = paths.basename(bin) == 'bin' and paths.dirname(bin) or bin
            break
         end
      end
   end
   s.uname = function()
      local u = s.execute('uname -a')
      if u:find('Linux') then return 'linux' elseif u:find('Darwin') then return 'macos' end
      return '?'
   end
   s.OS = s.uname()
   s.ls = function(d) return s.execute('ls ' .. (d or ' ')) end
   s.ll = function(d) return s.execute('ls -l ' .. (d or ' ')) end
   s.la = function(d) return s.execute('ls -a ' .. (d or ' ')) end
   s.lla = function(d) return s.execute('ls -la ' .. (d or ' ')) end
   s.fpath = function()
      local f = debug.getinfo(2).source:gsub('@', '')
      if f:find('/') ~= 1 then f = paths.concat(paths.cwd(), f) end
      return paths.dirname(f), paths.basename(f)
   end
   s.split = function(str, pat)
      local t, fpat, last_end = {}, '(.-)' .. pat, 1
      local b, e, cap = str:find(fpat, last_end)
      while b do
         if b ~= 1 or cap ~= '' then table.insert(t, cap) end
         last_end = e + 1
         b, e, cap = str:find(fpat, last_end)
      end
      if last_end <= #str then table.insert(t, str:sub(last_end)) end
      return t
   end
   s.isNaN = function(x) return x ~= x end
   s.COLORS = {none = '\27[0m', black = '\27[0;30m', red = '\27[0;31m', green = '\27[0;32m',
      yellow = '\27[0;33m', blue = '\27[0;34m', magenta = '\27[0;35m', cyan = '\27[0;36m',
      white = '\27[0;37m', Black = '\27[1;30m', Red = '\27[1;31m', Green = '\27[1;32m',
      Yellow = '\27[1;33m', Blue = '\27[1;34m', Magenta = '\27[1;35m', Cyan = '\27[1;36m',
      White = '\27[1;37m', _black = '\27[40m', _red = '\27[41m', _green = '\27[42m',
      _yellow = '\27[43m', _blue = '\27[44m', _magenta = '\27[45m', _cyan = '\27[46m',
      _white = '\27[47m'}
   s.dirname = paths.dirname
   s.concat = paths.concat
   sys = s
   return s
end
-- moses, the functional library that nn's Convert and NaN require (compat/moses.lua)
preload.moses = function() return P.compat_chunk('moses.lua') end
-- totem, deepmind's test library that nngraph's tests require (compat/totem.lua)
preload.totem = function() return P.compat_chunk('totem.lua') end
-- trepl's colors.lua and colorize.lua (`require 'trepl.colorize'`, common in training scripts):
-- th blanks the escapes when stdout is no terminal (trepl's noColors, compat/trepl.lua), and each
-- colorize function reads its escape when called, so it then returns the text unchanged
preload['trepl.colors'] = function()
   return {none = '\27[0m', bright = '\27[1m', dim = '\27[2m', underline = '\27[4m',
      blink = '\27[5m', reverse = '\27[7m', hidden = '\27[8m', black = '\27[0;30m',
      red = '\27[0;31m', green = '\27[0;32m', yellow = '\27[0;33m', blue = '\27[0;34m',
      magenta = '\27[0;35m', cyan = '\27[0;36m', white = '\27[0;37m', Black = '\27[1;30m',
      Red = '\27[1;31m', Green = '\27[1;32m', Yellow = '\27[1;33m', Blue = '\27[1;34m',
      Magenta = '\27[1;35m', Cyan = '\27[1;36m', White = '\27[1;37m', _black = '\27[40m',
      _red = '\27[41m', _green = '\27[42m', _yellow = '\27[43m', _blue = '\27[44m',
      _magenta = '\27[45m', _cyan = '\27[46m', _white = '\27[47m'}
end
preload['trepl.colorize'] = function()
   local colors = require 'trepl.colors'
   local f = {}
   for name in pairs(colors) do
      f[name] = function(txt) return colors[name] .. txt .. colors.none end
   end
   return f
end
-- gnuplot, the distro's plotting package (compat/gnuplot.lua)
preload.gnuplot = function() return P.compat_chunk('gnuplot.lua') end
preload.xlua = function()
   xlua = pymodule('compat.lualibs:xlua')
   xlua.print = print
   -- xlua.progress times a bar with torch.Timer (looked up when the bar starts), as xlua's
   local pyprogress, timer = xlua.progress, nil
   xlua.progress = function(current, goal)
      return pyprogress(current, goal, function(start)
         if start or timer == nil then timer = torch.Timer() end
         return timer:time().real
      end)
   end
   xlua.require = function(name)
      local ok, m = pcall(require, name)
      if ok then return m end
      print(m)
      print('warning: <' .. name .. '> could not be loaded (is it installed?)')
      return false
   end
   -- xlua adds string.split: the fields between matches of pat (an empty first field dropped)
   string.split = string.split or function(str, pat)
      local fields, pos = {}, 1
      while true do
         local s, e = str:find(pat, pos)
         if s == nil or e < s then break end
         if s ~= 1 or pos ~= 1 then fields[#fields + 1] = str:sub(pos, s - 1) end
         pos = e + 1
      end
      if pos <= #str then fields[#fields + 1] = str:sub(pos) end
      return fields
   end
   xlua.trycatch = function(try, catch)
      local ok, err = pcall(try)
      if not ok then catch(err) end
   end
   xlua.error = function(msg, domain, usage)  -- in red, as xlua's
      msg = '\27[1;31m' .. (domain and '<' .. domain .. '> ' or '') .. tostring(msg) .. '\27[0m'
      error(usage and msg .. '\n' .. usage or msg, 2)
   end
   -- unpack/usage, OptionParser, Profiler, table2string, ... (compat/xlua.lua)
   P.compat_chunk('xlua.lua').install(xlua)
   return xlua
end
package.loaded.torch = torch
paths = preload.paths()
package.loaded.paths = paths
-- paths.thisfile / paths.dofile read the Lua call stack (paths/init.lua): the file of the
-- calling chunk, and a dofile relative to it (main.lua's paths.dofile('model.lua'))
rawset(paths, 'thisfile', function(arg, depth)
   local src = debug.getinfo(depth or 2).source
   local file
   if lua_type(src) == 'string' and src:sub(1, 1) == '@' then file = paths.concat(src:sub(2)) end
   if lua_type(arg) == 'string' then
      file = file and paths.concat(paths.dirname(file), arg) or arg
   end
   return file
end)
rawset(paths, 'dofile', function(f, depth)
   local here = paths.thisfile(nil, 1 + (depth or 2))
   if here and here ~= '' then f = paths.concat(paths.dirname(here), f) end
   return dofile(f)
end)
-- torch/init.lua's global include(file): paths.dofile relative to the file that calls it
-- (learning_to_execute's main.lua: include "data.lua"); it returns nothing
rawset(_G, 'include', function(file, depth)
   paths.dofile(file, 3 + (depth or 0))
end)

local known_missing = {}
for _, name in ipairs(P.known_missing()) do known_missing[name] = true end
local native_require = require
function require(name)
   local loaded = package.loaded[name]
   -- only a table is sure to be a loaded module: a false entry loads the module again, and
   -- the sentinel a failed load leaves (a number in LuaJIT 2.1) says 'loop or previous error
   -- loading module' (lib_package.c; the native require does both)
   if lua_type(loaded) == 'table' then return loaded end
   local ok, r = pcall(native_require, name)
   if ok then return r end
   local missing = "module '" .. tostring(name) .. "' not found"
   if lua_type(r) == 'string' and r:find(missing, 1, true) then
      local why = known_missing[name] and ' (torch7py has no ' .. name .. ')' or ''
      error("module '" .. tostring(name) .. "' not found" .. why, 2)
   end
   error(r, 0)
end

local function traceback(msg)
   if lua_type(msg) ~= 'string' then
      local s = tostring(msg)
      msg = s
   end
   local tb = debug.traceback(msg, 2)
   tb = tb:gsub('\n\t%[builtin#%d+%]: at 0x%x+', '')
   return (tb:gsub('\n\t%[compat%]:%d+:[^\n]*', ''))
end

-- (rawpcall: LuaJIT's own pcall, which catches an exit too, for the layer's tools that call
-- everything in one process: tools/error_sweep)
return {pymodule = pymodule, xpcall = function(f) return lua_xpcall(f, traceback) end,
        rawpcall = lua_pcall,
        luaclass_rooted = function(M, rooted, C) LUACLASS_ROOTED(M, rooted, C) end,
        default_changed = function() default_double = nil end}
