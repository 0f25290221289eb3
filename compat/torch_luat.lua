-- Part of compat/torch.lua's chunk (after torch_objects.lua): luaT's metatable functions.
-- Called with P (Python helpers), H (bridge helpers) and S, the locals the parts share (from
-- torch.lua and torch_objects.lua); it adds LUACLASS_ROOTED, which torch.lua's result calls.
local P, H, S = ...
local PYOBJ, CLASSMT = H.PYOBJ, H.CLASSMT
local ERR = P.ERR
-- the builtins as the header of torch.lua captured them (before this layer replaces the
-- globals rawget, rawset, getmetatable, type)
local rawtype, rawget, rawset, getmetatable, setmetatable = S.rawtype, S.rawget, S.rawset,
   S.getmetatable, S.setmetatable
local STANDIN, lua_type, set_in_module, CLASSOFTABLE, RAWNEWINDEX = S.STANDIN, S.lua_type,
   S.set_in_module, S.CLASSOFTABLE, S.RAWNEWINDEX
local luat_indexer, luat_newindexer, luat_binerr, luat_unerr = S.luat_indexer, S.luat_newindexer,
   S.luat_binerr, S.luat_unerr
local luat_hookresult = S.luat_hookresult

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
   -- (luaL_argerror names the function as its caller's call does: torch.factory() says
   -- 'factory', pcall(torch.factory) '?'; fname is kept for reading the code)
   local function checkstring(fname, i, n, v)
      local t = lua_type(v)
      if t == 'string' then return v end
      if t == 'number' then return tostring(v) end
      local ar = debug.getinfo(2, 'n')
      error("bad argument #" .. i .. " to '" .. (ar and ar.name or '?')
            .. "' (string expected, got " .. (i > n and 'no value' or t) .. ")", 3)
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
      else  -- luaL_checkany's argerror names the function as its call does ('?': a tail call)
         local ar = debug.getinfo(1, 'n')
         error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (value expected)", 2)
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
         if M == nil then
            -- MT_BIN_OPERATOR_GET_HANDLER: the first operand's metatable when it has one (a
            -- string's too, which holds no __add__: luaT's error then), else the second's
            local am = debug.getmetatable(a)
            if am ~= nil and PYOBJ[a] == nil then
               local f = lua_type(am) == 'table' and rawget(am, key) or nil
               if f == nil then return nil_behavior(a, b) end
               if lua_type(f) == 'function' then return f(a, b) end
               return
            end
            M, mt = lclass(b)
         end
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
      -- luaT pushes a new C closure of luaT_mt__eq into every metatable, and LuaJIT compares
      -- two objects with different metatables through __eq only when both hold the same
      -- function: objects of two classes are never equal (no __eq__ is called)
      local eq = HOOKED.__eq
      mt.__eq = function(a, b) return eq(a, b) end
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
            local done, v = luat_hookresult(table.pack(f(p, k)), _G.getmetatable(p), k)
            if done then return v end
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

   -- luaL_error in luaT_lua_newmetatable: luaL_where(L, 1) names the line that called
   -- newmetatable (none when it was a tail call); torch.class calls it at init.lua:102, and
   -- sets NEWMT_AT to '' meanwhile, putting that position on the messages itself
   local NEWMT_AT
   local function newmt_error(msg, depth)  -- depth: 1 from a helper newmetatable calls
      if NEWMT_AT ~= nil then error(msg, 0) end
      error(msg, 3 + (depth or 0))
   end

   -- luaT_getinnerparent: the table holding a dotted name's last part
   local function inner_parent(name)
      local parts = {}
      for p in name:gmatch('[^.]+') do parts[#parts + 1] = p end
      local t = _G
      for i = 1, #parts - 1 do
         t = t[parts[i]]
         -- (lua_istable: a class's constructor table is one, so 'tl.Tree.Node' goes in the
         -- class tl.Tree; torch7py's class objects answer type() with 'table' as well)
         if type(t) ~= 'table' then
            newmt_error('while creating metatable ' .. name .. ': bad argument #1 ('
                        .. table.concat(parts, '.', 1, i) .. ' is an invalid module name)', 1)
         end
      end
      return t, parts[#parts]
   end

   -- what luaT_newmetatable was given for the classes torch7's C files register (ctor,
   -- dtor, factory); the tensors' and storages' have all three, torch.class's classes (nn's,
   -- optim's...) a constructor and a factory
   local C_CLASS_PARTS = {
      ['torch.File'] = {}, ['torch.Allocator'] = {},
      ['torch.DiskFile'] = {ctor = true, dtor = true},
      ['torch.MemoryFile'] = {ctor = true, dtor = true},
      ['torch.PipeFile'] = {ctor = true, dtor = true},
      ['torch.Timer'] = {ctor = true, dtor = true},
      ['torch.Generator'] = {ctor = true, dtor = true, factory = true},
      tensor = {ctor = true, dtor = true, factory = true},
      lua = {ctor = true, factory = true},
   }

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
         -- after luaT's checks: a parent is given once, and so are a destructor, a factory
         -- and a constructor (what torch7's C files and torch.class gave each class)
         if parent ~= nil then
            if (PARENTNAME[name] or P.parent_typename_of(name)) ~= nil then
               newmt_error('class ' .. name .. ' has been already assigned a parent class\n')
            elseif class_of(tostring(parent)) == nil then
               newmt_error('bad argument #2 (invalid parent class name ' .. tostring(parent) .. ')')
            end
         end
         local parts = C_CLASS_PARTS[name] or ((name:match('^torch%.%a+Tensor$')
            or name:match('^torch%.%a+Storage$')) and C_CLASS_PARTS.tensor) or C_CLASS_PARTS.lua
         if dtor ~= nil and parts.dtor then
            newmt_error(name .. ' has been already assigned a destructor')
         end
         if factory ~= nil and parts.factory then
            newmt_error(name .. ' has been already assigned a factory')
         end
         if ctor ~= nil and parts.ctor then
            newmt_error(name .. ' has been already assigned a constructor')
         end
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
            newmt_error('class ' .. name .. ' has been already assigned a parent class\n')
         end
         local pmt = REG[tostring(parent)]
         if pmt == nil and existing ~= nil and factory ~= nil and rawget(mt, '__factory') ~= nil
               and select(2, class_of(tostring(parent))) == 'py' then
            -- luaT would give it the parent, then refuse the second factory
            newmt_error(name .. ' has been already assigned a factory')
         end
         if pmt == nil then
            newmt_error('bad argument #2 (invalid parent class name ' .. tostring(parent) .. ')')
         end
         setmetatable(mt, pmt)
      end
      if dtor ~= nil then
         if rawget(mt, '__gc') ~= nil then
            newmt_error(name .. ' has been already assigned a destructor')
         end
         rawset(mt, '__gc', dtor)
      end
      if factory ~= nil then
         if rawget(mt, '__factory') ~= nil then
            newmt_error(name .. ' has been already assigned a factory')
         end
         rawset(mt, '__factory', factory)
      end
      local ct = ctor_table(mt)
      if ctor ~= nil then
         local cmt = debug.getmetatable(ct)
         if rawget(cmt, '__new') ~= nil then
            newmt_error(name .. ' has been already assigned a constructor')
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
   local FACTORY = {}  -- name -> its factory: one function, as luaT keeps in the metatable
   function torch.factory(...)
      local name = checkstring('factory', 1, select('#', ...), (...))
      local mt = REG[name]
      if mt ~= nil then return rawget(mt, '__factory') end
      local f = FACTORY[name]
      if f == nil then
         f = base_factory(name)
         FACTORY[name] = f
      end
      return f
   end

   -- luaT_lua_setmetatable(table, name): returns the name (the top of luaT's stack)
   function torch.setmetatable(...)
      local n = select('#', ...)
      local t, name = ...
      name = checkstring('setmetatable', 2, n, name)
      if type(t) ~= 'table' then  -- (named as the caller's call names it: '?' in a tail call)
         local ar = debug.getinfo(1, 'n')
         error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (table expected, got "
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
      else
         -- a torch7py class (nn.Linear...), or a torch.class class (of its own, or on one:
         -- dpnn's Serial turns its state tables back into modules, then calls nn.Module's type
         -- on them); a torch.class object is a Python object too, which writeObject writes
         -- with its class name and isTypeOf matches:
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

   -- Lua's own setmetatable(t, mt) with a class's metatable (torch.getmetatable(name), a
   -- torch.class's metatable, getmetatable(obj)): in Torch7 that metatable is the one
   -- luaT_lua_setmetatable gives, so t becomes an object of the class as torch.setmetatable(t,
   -- name) makes it. luaT sets every metatable's __metatable to itself: the metatable of a
   -- torch object (a torch.class object, a table given a class) is protected
   do
      local base_setmetatable = _G.setmetatable
      local function class_name(mt)
         if lua_type(mt) ~= 'table' then return nil end
         local name = REGNAME[mt] or H.LUACLASSNAME[mt]
         if name == nil then
            local c = CLASSOFTABLE[mt]
            if c ~= nil then name = CLASSMT[getmetatable(c)].typename end
         end
         return name
      end
      _G.setmetatable = function(...)
         local t, mt = ...
         if lua_type(t) == 'table' and select('#', ...) >= 2 then
            local cur = getmetatable(t)
            if cur ~= nil and class_name(cur) ~= nil then
               error('cannot change a protected metatable', 2)
            end
            local name = class_name(mt)
            if name ~= nil then
               torch.setmetatable(t, name)
               return t
            end
         elseif PYOBJ[t] ~= nil and type(t) == 'table' then  -- a torch.class object (a table)
            error('cannot change a protected metatable', 2)
         end
         return base_setmetatable(...)
      end
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

   -- f(...) as init.lua's torch.class calls torch.newmetatable, at its line 102: what
   -- newmetatable raises (luaL_error) names that line
   local function at_init102(f, ...)
      NEWMT_AT = ''
      local res = {pcall(f, ...)}
      NEWMT_AT = nil
      if not res[1] then
         local msg = res[2]
         if lua_type(msg) == 'string' then
            msg = P.lua_prefix .. 'torch/init.lua:102: ' .. msg
         end
         error(msg, 0)
      end
      return unpack(res, 2, table.maxn(res))
   end

   -- init.lua's torch.class: (name), (name, parent name), (name, module), (name, parent
   -- name, module); anything else is an error
   function torch.class(...)
      local n = select('#', ...)
      local a, b, c = ...
      local ok = lua_type(a) == 'string' and (n == 1
         or n == 2 and (lua_type(b) == 'string' or lua_type(b) == 'table')
         or n == 3 and lua_type(b) == 'string' and lua_type(c) == 'table')
      if not ok then   -- init.lua's error(), at its line there
         error(P.lua_prefix .. 'torch/init.lua:84: '
               .. '<class name> [<parent class name>] [<module table>] expected', 0)
      end
      if n == 2 and lua_type(b) == 'table' then b, c = nil, b end
      if b ~= nil and select(2, class_of(b)) == 'lua' or select(2, class_of(a)) == 'lua' then
         -- a parent that is a Lua metatable (torch.Tester, newmetatable's classes): the child
         -- is one too, made as init.lua makes every class, so that it inherits through the
         -- live metatable chain what the script adds to the parent before or after
         return at_init102(lua_class, a, b, c)
      end
      local holder = c
      if c == nil then
         holder = a:find('.', 1, true) and at_init102(inner_parent, a) or _G
      end
      local C, pmt = at_init102(base_class, a, b, c)
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
   local INIT134 = P.lua_prefix .. 'torch/init.lua:134: attempt to index a nil value'
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
            if name == nil then error(INIT134, 0) end
         elseif PYOBJ[spec] ~= nil then  -- a Python class's metatable (torch.getmetatable)
            name = P.parent_typename(PYOBJ[spec])
            if name == nil then error(INIT134, 0) end
         else
            local m = getmetatable(spec)
            if m == nil then error(INIT134, 0) end
            name = m.__typename
         end
         if lua_type(name) ~= 'string' then  -- (LuaJIT's assert names its line)
            error(P.lua_prefix .. 'torch/init.lua:135: '
                  .. 'type must be provided as [regexp] string, or factory', 0)
         end
         spec = name
      end
      if STANDIN[obj] ~= nil then obj = STANDIN[obj] end  -- the object is of the class
      local mt = PYOBJ[obj] == nil and debug.getmetatable(obj)
      if mt and H.LUACLASSNAME[mt] ~= nil and lua_type(spec) ~= 'string' then
         -- a constructor (a class proxy): getmetatable(spec).__typename, its class's name
         local info = CLASSMT[getmetatable(spec)]
         if info and info.kind == 'class' then spec = info.typename end
      end
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

   -- The default tensor type is torch.Tensor: utils.c's torch_getdefaulttensortype names the
   -- class of the constructor table torch.Tensor holds (its metatable's __index, looked up in
   -- the registry), whatever set it: init.lua's setdefaulttensortype or a script's own
   -- `torch.Tensor = torch.FloatTensor`. torch.Storage is a plain field: only
   -- setdefaulttensortype sets it. A tensor class given to torch.Tensor makes it Python's
   -- default type too (torch7py's functions make their tensors of it); any other value is kept
   -- here and torch.Tensor answers it.
   local base_setdefault = torch.setdefaulttensortype
   local base_getdefault = torch.getdefaulttensortype
   local NILV = {}  -- (a field set to nil)
   local SET = {}   -- 'Tensor' / 'Storage' -> what the script set, where Python's differs
   local function ctor_name(v)
      local info = PYOBJ[v] ~= nil and CLASSMT[getmetatable(v)]
      if info and info.kind == 'class' then return info.typename end
      for name, c in pairs(CTOR) do
         if rawequal(c, v) then return name end
      end
      for name, mt in pairs(REG) do
         if rawequal(rawget(mt, '__constructor'), v) then return name end
      end
   end
   local tmt = getmetatable(torch)
   local base_index = tmt.__index
   tmt.__index = function(t, k)
      local v = SET[k]
      if v ~= nil then
         if v == NILV then return nil end
         return v
      end
      return base_index(t, k)
   end
   tmt.__newindex = function(t, k, v)
      if k ~= 'Tensor' and k ~= 'Storage' then return rawset(t, k, v) end
      if k == 'Tensor' then
         local name = v ~= nil and ctor_name(v)
         if name and P.is_tensor_type(name) then
            local st = t.Storage
            base_setdefault(name)
            SET.Tensor = nil
            if SET.Storage == nil and not rawequal(st, base_index(t, 'Storage')) then
               SET.Storage = st
            end
            return
         end
      elseif rawequal(v, base_index(t, 'Storage')) then
         SET.Storage = nil
         return
      end
      if v == nil then v = NILV end
      SET[k] = v
   end
   function torch.getdefaulttensortype()
      local v = SET.Tensor
      if v == nil then return base_getdefault() end
      local name = v ~= NILV and ctor_name(v)
      if name then return name end
   end
   -- init.lua's: assert(type(typename) == 'string', 'string expected'), then
   -- torch.Tensor = getconstructortable(typename) and
   -- torch.Storage = getconstructortable(torch.typename(torch.Tensor(1):storage())): a class
   -- that is no tensor type stays in torch.Tensor, and its object has no storage method
   function torch.setdefaulttensortype(typename)
      if lua_type(typename) ~= 'string' then  -- (LuaJIT's assert names its line)
         error(P.lua_prefix .. 'torch/init.lua:111: string expected', 0)
      end
      local ct = torch.getconstructortable(typename)
      if ct == nil then
         error(P.lua_prefix .. 'torch/init.lua:116: <' .. typename
               .. '> is not a string describing a torch object', 0)
      end
      torch.Tensor = ct
      if P.is_tensor_type(typename) then
         SET.Storage = nil
         return
      end
      local x = torch.Tensor(1)
      local storage = x.storage
      if storage == nil then
         error(P.lua_prefix .. "torch/init.lua:114: attempt to call method 'storage' (a nil value)",
               0)
      end
      torch.Storage = torch.getconstructortable(torch.typename(storage(x)))
   end
end

S.LUACLASS_ROOTED = LUACLASS_ROOTED
