-- Part of compat/torch.lua's chunk (torch.lua runs it, then torch_luat.lua, torch_luajit.lua):
-- luaT's metatables as tables, torch objects as tables (type, pairs, next, ipairs, rawget, rawset
-- and the table library on objects), and utils.c's luaT functions (torch.typename, torch.class,
-- torch.pointer, torch.data, ...).  Called with P (Python helpers), H (bridge helpers) and S, the
-- locals the parts share: it adds to S the ones torch_luat.lua and torch_luajit.lua use.
local P, H, S = ...
local PYOBJ, CLASSMT, U = H.PYOBJ, H.CLASSMT, H.U
local ERR = P.ERR
-- the builtins as the header of torch.lua captured them (before this layer replaces the
-- globals rawget, rawset, getmetatable, type)
local rawtype, rawget, rawset, getmetatable, setmetatable = S.rawtype, S.rawget, S.rawset,
   S.getmetatable, S.setmetatable
local UNFILLED, STANDIN, info_of = S.UNFILLED, S.STANDIN, S.info_of

-- A Python class's metatable, as Lua sees it: a real table (pairs, rawequal, table keys) whose
-- reads reach the class's methods and whose writes define methods on the Python class, so
-- every object of it (Python's calls included) finds them.  rawget, rawset, next and pairs
-- see the methods of its own metatable (the block "luaT's metatables as tables" below).
local classkeys, classraw, isluatfield  -- (below: luaT's own fields of a class's metatable)
-- the C methods with underscores of torch's classes (TensorOperator.c's operators, Storage.c's
-- __index__ and __newindex__, the C __tostring__ of Timer and the File classes) as functions
-- forwarding to what answers the objects' operators and indexing, for the class metatables
-- that hold them (torchcalls._t7_class_keys) where the class answers no such name itself:
-- __index__ returns (value, true) for a number key, false for another (luaT then looks the
-- key up in the metatable); __newindex__ true when it stored the value
local T7_FORWARD = {
   __add__ = function(a, b) return a + b end, __sub__ = function(a, b) return a - b end,
   __mul__ = function(a, b) return a * b end, __div__ = function(a, b) return a / b end,
   __mod__ = function(a, b) return a % b end, __unm__ = function(a) return -a end,
   __len__ = function(a) return #a end, __tostring__ = function(a) return tostring(a) end,
   __index__ = function(x, k)
      if type(k) == 'number' then return x[k], true end
      return false
   end,
   __newindex__ = function(x, k, v)
      if type(k) == 'number' then x[k] = v; return true end
      return false
   end,
   -- nn's Profile.lua's torch.Timer write (saves nothing) and read (the object as it is)
   write = function(object, file) end,
   read = function(object, file, versionNumber) return object end,
}
-- values made per class: a tensor type's __len__ (generic/Tensor.c's: its size, a LongStorage)
-- and its `torch` table (TensorMath.lua's cwrap puts the type's torch.X functions there: those
-- of its methods that are torch functions, less Tensor.lua's and FFInterface.lua's Lua
-- methods, and for Double and Float the LAPACK functions, which are no methods), made once
local T7_TENSOR_LUA = {cdata = true, chunk = true, data = true, expand = true, expandAs = true,
                       isTensor = true, permute = true, repeatTensor = true, split = true,
                       totable = true, type = true, view = true, viewAs = true}
local T7_LAPACK = {'eig', 'gels', 'geqrf', 'gesv', 'inverse', 'orgqr', 'ormqr', 'potrf', 'potri',
                   'potrs', 'pstrf', 'qr', 'svd', 'symeig', 'trtrs'}
local T7_TORCHTABLE = {}
local T7_BUILD = {
   __len__ = function(c, name)
      if name:find('Tensor$') then return function(t, ...) return t:size(...) end end
      return nil
   end,
   torch = function(c, name)
      local tt = T7_TORCHTABLE[name]
      if tt ~= nil then return tt end
      tt = {}
      local function fwd(k)
         local f = torch[k]
         if f ~= nil then tt[k] = function(...) return torch[k](...) end end
      end
      for _, k in ipairs(P.class_methods(PYOBJ[c])) do
         if not T7_TENSOR_LUA[k] then fwd(k) end
      end
      if name == 'torch.DoubleTensor' or name == 'torch.FloatTensor' then
         for _, k in ipairs(T7_LAPACK) do fwd(k) end
      end
      T7_TORCHTABLE[name] = tt
      return tt
   end,
}
local dunder_held  -- (below, after CLASSOFTABLE)
local CLASSTABLE = setmetatable({}, {__mode = 'k'})  -- class proxy -> its table
local CLASSOFTABLE = setmetatable({}, {__mode = 'k'})  -- the table -> its class proxy
-- whether the metatable T or one of its parents' holds the name k (their key lists)
function dunder_held(T, k)
   local t = T
   while t ~= nil do
      local c = CLASSOFTABLE[t]
      if c == nil then return rawget(t, k) ~= nil end
      for _, n in ipairs(classkeys(t)) do
         if n == k then return true end
      end
      local pname = P.parent_typename_of(CLASSMT[getmetatable(c)].typename)
      t = pname ~= nil and torch.getmetatable(pname) or nil
   end
   return false
end
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
         if isluatfield(k) or T7_BUILD[k] ~= nil then return classraw(T, k) end
         local v = c[k]
         if v == nil and T7_FORWARD[k] ~= nil then return classraw(T, k) end
         -- a name __x__ is Torch7's only where a metatable of the chain holds it: Python's
         -- own protocol names (__eq__, __call__, __add__ of a HalfTensor) are none of Lua's
         if v ~= nil and rawtype(k) == 'string' and k:find('^__.+__$') and not dunder_held(T, k) then
            return nil
         end
         return v
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
               if isluatfield(k) or T7_FORWARD[k] ~= nil or T7_BUILD[k] ~= nil then
                  v = classraw(T, k)
               else
                  v = c[k]
               end
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
   if x == string then return nil end  -- (the `#` helpers' hiding place: compat/luajit.lua)
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
                     '__factory', '__constructor', 'new', '__gc'}
-- luaT's C metamethods as Lua functions, for the class tables of Python classes (below) and
-- for newmetatable's metatables. luaT_mt__index(obj, k): the class's __index__ first (its last
-- result true: the one before it), else the metatable's k (its methods, through the parents');
-- luaT_mt__newindex(obj, k, v): __newindex__ first (true: done), else a raw write into a table,
-- an error for userdata; the operators without their __xx__: luaT's errors. getmt finds the
-- metatable: getmetatable's answer for a Python class's objects (the class table: their real
-- metatable is the layer's), the real one for newmetatable's. luaL_error in C names the Lua
-- line that called the C function (none where pcall, a C function, called it): level 2 from
-- the function itself.
local luat_indexer, luat_newindexer, luat_binerr, luat_unerr, luat_hookresult
do
   -- what luaT_mt__index makes of __index__'s results r (table.pack'd), with mt the object's
   -- metatable on its stack below them: it pops the last result; true: it returns what is
   -- then on top (the result before it, or mt itself for a lone true; no result at all: mt
   -- is taken as that true and popped, and the key is returned); false: it indexes that top
   -- value with the key (mt: the ordinary lookup; another result: lua_gettable on it, so
   -- `return nil, false` indexes nil). Returns (true, value) when decided, else false.
   function luat_hookresult(r, mt, k)
      local n = r.n
      if n == 0 then return true, k end
      if r[n] then
         if n == 1 then return true, mt end
         return true, r[n - 1]
      end
      if n == 1 then return false end
      local below = r[n - 1]
      local t = lua_type(below)
      if t ~= 'table' and t ~= 'string' and t ~= 'userdata' then
         error('attempt to index a ' .. t .. ' value', 0)
      end
      return true, below[k]
   end
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
            local done, v = luat_hookresult(table.pack(f(obj, k)), mt, k)
            if done then return v end
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
-- a C class's __gc (luaT_newmetatable's destructor): here nothing to free, the object stays
local function luat_gc() end
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
   if k == '__gc' then  -- luaT's destructor, where the class has one in C (class_methods)
      for _, n in ipairs(P.class_methods(PYOBJ[c])) do
         if n == '__gc' then return luat_gc end
      end
      return nil
   end
   if H.LUAT_OPS[k] then  -- luaT's default operators, raw in the metatable
      local v = c[k]
      if v == nil then v = PYOPS[k] end
      return v
   end
   if lua_type(k) ~= 'string' then return nil end
   local names = classkeys(T)
   for i = 1, #names do
      if names[i] == k then
         local build = T7_BUILD[k]
         if build ~= nil then
            local v = build(c, torch.typename(c) or CLASSMT[getmetatable(c)].typename)
            if v ~= nil then return v end
         end
         local v = c[k]
         if v == nil then v = T7_FORWARD[k] end
         return v
      end
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
local function luaclassraw(C, k)
   local v = rawget(H.LUAMETHODS[C], k)
   if v ~= nil then return v end
   v = rawget(C, k)
   if v ~= nil then return v end
   if lua_type(k) ~= 'string' then return nil end
   return luaclassfield(C, k)
end
-- its keys, as next visits them in Torch7: luaT_lua_newmetatable fills the new metatable with
-- its fields in this order, then the script sets the methods; beta2's table layout (the model
-- of torch7py/luaorder.py) turns that insertion order into next's order. Keys set to nil keep
-- their place and are not listed; keys that are no strings follow, in this LuaJIT's order
local LUAT_INSERTED = {'__index', '__newindex', '__typename', '__metatable', '__version',
                       '__tostring', '__add', '__sub', '__mul', '__div', '__mod', '__pow',
                       '__unm', '__concat', '__len', '__eq', '__lt', '__le', '__call',
                       '__factory', '__constructor', 'new'}
local luaorder = P.module('torch7py.luaorder')
local function luaclasskeys(C)
   local M, ins, seen = H.LUAMETHODS[C], {}, {}
   for i, k in ipairs(LUAT_INSERTED) do ins[i], seen[k] = k, true end
   for _, k in ipairs(H.LUAMETHODORDER[C] or {}) do
      if not seen[k] and lua_type(k) == 'string' and not k:find('\0', 1, true) then
         ins[#ins + 1], seen[k] = k, true
      end
   end
   for k in builtin_next, M do  -- (set another way than the class's __newindex)
      if not seen[k] and lua_type(k) == 'string' and not k:find('\0', 1, true) then
         ins[#ins + 1], seen[k] = k, true
      end
   end
   local names = {}
   for k in luaorder.joined_fields_order(table.concat(ins, '\0')):gmatch('[^%z]+') do
      if luaclassraw(C, k) ~= nil then names[#names + 1] = k end
   end
   for k in builtin_next, M do
      if not seen[k] then names[#names + 1] = k end
   end
   return names
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
-- the name after k in names (a list in pairs' order), nil after the last; a k not among them is
-- LuaJIT's error, with no position (lib_base's next is a C function: lj_err_msg adds none)
local function name_after(names, k)
   local i = 0
   if k ~= nil then
      for j = 1, #names do
         if names[j] == k then i = j end
      end
      if i == 0 then error("invalid key to 'next'", 0) end
   end
   return names[i + 1]
end
_G.next = function(...)
   if select('#', ...) == 0 then argerr(1, 'table expected, got no value') end
   local t, k = ...
   t = STANDIN[t] or t
   local info = info_of(t)
   if info == nil then
      if H.LUAMETHODS[t] ~= nil then  -- a torch.class class of Lua: as pairs lists it
         local key = name_after(luaclasskeys(t), k)
         if key == nil then return nil end
         return key, luaclassraw(t, key)
      end
      if CLASSOFTABLE[t] == nil then
         local fill = UNFILLED[t]
         if fill ~= nil then fill(t) end
         return lua_next(t, k)
      end
      local key = name_after(classkeys(t), k)
      if key == nil then return nil end
      if isluatfield(key) then return key, classraw(t, key) end
      return key, t[key]
   end
   if info.kind == 'class' then  -- (luaT's constructor table: empty)
      if k ~= nil then error("invalid key to 'next'", 0) end
      return nil
   end
   if userdata_info(t) then argerr(1, 'table expected, got userdata') end
   if info.kind ~= 'object' then return lua_next(t, k) end
   local found = k == nil
   for key, v in pairs(t) do
      if found then return key, v end
      found = key == k
   end
   if not found then error("invalid key to 'next'", 0) end
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
-- (set in HOOKS.luaclass, torch_luat.lua): rawset writes the field, as on the table it is in Torch7
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

-- rawlen (LJ_52's lib_base.c: lj_tab_len, the border of a table's array part, never __len): a
-- torch object that is a table in Torch7 (a module, a torch.class object) has the border of
-- its own integer fields (0 for a module); a Tensor, Storage... is a userdata there
-- (lj_lib_checktab's "table expected, got userdata"). compat/luajit.lua keeps this one.
_G.rawlen = function(...)
   local v = ...
   local t = lua_type(v)
   if t == 'userdata' then
      local info = info_of(v)
      if info ~= nil and not userdata_info(v) then
         local n = 0
         while _G.rawget(v, n + 1) ~= nil do n = n + 1 end
         return n
      end
   elseif t == 'table' or t == 'string' then
      return #v
   end
   local ar = debug.getinfo(1, 'n')
   error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (table expected, got "
      .. (select('#', ...) == 0 and 'no value' or t) .. ")", 2)
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
   -- luaT_typename reads the registry only: a metatable the script made itself, with a
   -- __typename field of its own, names no class (torch_luat.lua's wrapper answers the
   -- registered ones)
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
   -- called by its name from Lua (x:__index__(i)), Tensor.c's function is a C function that a
   -- Lua line called: luaL_argerror names it (a method call counts no self) at that line
   local function named(ar, ok, ...)
      if ok then return ... end
      local e = ...
      if type(e) ~= 'string' then error(e, 0) end
      e = e:gsub('^%[compat%]:%d+: ', '')
      local n, what = e:match("^bad argument #(%d+) to '%?' %((.*)$")
      if n then
         n = tonumber(n) - (ar.namewhat == 'method' and 1 or 0)
         e = "bad argument #" .. n .. " to '" .. ar.name .. "' (" .. what
      end
      error(e, 3)
   end
   local function byname(name)
      local ar = debug.getinfo(2, 'n')
      if ar and ar.name == name then return ar end
   end
   K.tensor.__index__ = function(self, k)
      local key = tensorkey(k)
      if key == nil then return false end
      local ar = byname('__index__')
      if ar then return named(ar, pcall(function() return self[key] end)), true end
      return bare(pcall(function() return self[key] end)), true
   end
   K.tensor.__newindex__ = function(self, k, v)
      local key = tensorkey(k)
      if key == nil then return false end
      local ar = byname('__newindex__')
      if ar then
         named(ar, pcall(function() self[key] = v end))
      else
         bare(pcall(function() self[key] = v end))
      end
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
   -- init.lua's dofile(torch.packageLuaPath(package) .. '/' .. file), at its line 54
   if dir == nil then
      error(P.lua_prefix .. 'torch/init.lua:54: attempt to concatenate a nil value', 0)
   end
   local t = type(file)
   if t ~= 'string' and t ~= 'number' then
      error(P.lua_prefix .. "torch/init.lua:54: attempt to concatenate local 'file' (a "
            .. t .. ' value)', 0)
   end
   return dofile(dir .. '/' .. file)
end

S.lua_type, S.set_in_module, S.CLASSOFTABLE, S.RAWNEWINDEX = lua_type, set_in_module, CLASSOFTABLE,
   RAWNEWINDEX
S.luat_hookresult = luat_hookresult
S.luat_indexer, S.luat_newindexer, S.luat_binerr, S.luat_unerr = luat_indexer, luat_newindexer,
   luat_binerr, luat_unerr
