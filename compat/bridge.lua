-- The Lua half of the bridge: proxies that give Python objects Torch7's Lua surface.
-- Called once per runtime with B, a table of Python helpers; returns the table of Lua helpers
-- that the Python half (compat/runtime.py, compat/bridgecalls.py) uses.
local B = ...
local rawtype, select, error, unpack, setmetatable = type, select, error, unpack, setmetatable
local rawget, rawset, next, tostring = rawget, rawset, next, tostring
local newproxy, getmetatable = newproxy, getmetatable
local call, fromtable, fromfunc, idxlist = B.call, B.fromtable, B.fromfunc, B.idxlist
local index_miss, setfield, tget, tgetv, tset, tsetv = B.index_miss, B.setfield, B.tget,
   B.tgetv, B.tset, B.tsetv
local tgetk, tsetk = B.tgetk, B.tsetk
local take = B.take

local PYOBJ = setmetatable({}, {__mode = 'k'})   -- proxy -> Ref of its Python object
local CACHE = setmetatable({}, {__mode = 'v'})   -- id(object) -> proxy
local LISTS = setmetatable({}, {__mode = 'v'})   -- id(list) -> Lua table
local TBL2PY = setmetatable({}, {__mode = 'k'})  -- Lua table -> proxy of its Python list
local CALLS = setmetatable({}, {__mode = 'k'})   -- callable proxy -> its Lua function
local CLASSMT = {}                               -- metatable -> class info
local ALLMETHODS = {}                            -- every per-class method cache
local ERR = {}
local WRAP, SELF = {}, {}                        -- result markers from Python (see mkfunc)
local WRAPID = {}                                -- (WRAPID, id): an object Lua may know
local MULTI = {}                                 -- (MULTI, mask, ...): several results
local NOTHING = {}                               -- a Python function's "no value" result
local TEMPLATES = {}                             -- template key -> proxy template
-- methods written in Lua for every class of a kind (torch.lua's FFI data/cdata): found after
-- the object's fields, before Python's attributes
local KINDMETHODS = {tensor = {}, storage = {}, object = {}}
-- methods written in Lua for one class (typename -> {name = function}), found where
-- KINDMETHODS are: where Torch7 runs a package's Lua code that torch7py's Python port does
-- otherwise (optim.Logger's plot through the gnuplot package, compat/logger.lua)
local TYPEMETHODS = {}
local HOOKS = {}  -- luaclass(mt, M): set by torch.lua
-- __lt/__le of every torch object's metatable: one function each. Torch7's LuaJIT (LJ_52,
-- lj_meta_comp) calls the first operand's __lt (else the second's) whatever the second is;
-- the LuaJIT here calls a metamethod only when both operands have the same one, so two torch
-- objects of different classes (a tensor and a storage, a tensor and a torch.class object)
-- failed with 'attempt to compare two userdata values'. The shared function runs the first
-- operand's own (luaT's 'both A and B have no less-than operator', or its class's __lt__).
local OWN_LT = setmetatable({}, {__mode = 'k'})  -- metatable -> its own __lt
local OWN_LE = setmetatable({}, {__mode = 'k'})
local function compare52(own)
   return function(a, b)
      local f = own[debug.getmetatable(a)] or own[debug.getmetatable(b)]
      return f(a, b)  -- (a tail call: f raises at the comparison's line)
   end
end
local LT52, LE52 = compare52(OWN_LT), compare52(OWN_LE)

local function clear_method_caches()
   for _, m in ipairs(ALLMETHODS) do
      for key in next, m do m[key] = nil end
   end
end

-- the proxy of the object that a Ref holds (made from its class's template the first time)
local function wrapped(ref, key, id)
   local p = CACHE[id]
   if p ~= nil then return p end
   p = newproxy(TEMPLATES[key])
   PYOBJ[p] = ref
   CACHE[id] = p
   return p
end

-- luaL_argerror's function name and argument number for a Python function that stands for a
-- C function of Torch7 (LuaJIT's err_argmsg): lj_debug_funcname reads the caller's call
-- instruction (level 2 here: chk, tail-called, holds the wrapper's frame), so a tail call
-- names its caller's caller's call (or '?' below pcall/C), a metamethod its __name; a
-- "method" (x:f()) does not count self: #n-1, and argument 0 is "calling 'f' on bad self".
local function argerror(msg)
   local ar = debug.getinfo(2, 'n')
   local name = ar and ar.name
   if name == nil then return msg end
   local n, what = msg:match("^bad argument #(%d+) to '%?' %((.*)$")
   n = tonumber(n)
   if ar.namewhat == 'method' then
      n = n - 1
      if n == 0 then return "calling '" .. name .. "' on bad self (" .. what end
   end
   return "bad argument #" .. n .. " to '" .. name .. "' (" .. what
end

local multi  -- (MULTI, mask, ...) results: defined after chk, which it uses

-- Re-raise a Python failure as a Lua error at the caller's line (level 2 skips chk, which the
-- wrappers tail-call, so it names the Lua line that made the call).
local function chk(r, ...)
   if r == ERR then
      local msg, plain, cfunc = ...
      if cfunc then msg = argerror(msg) end
      -- a failure of Python's named at the calling line, unless that line is the layer's own
      -- (torch.class's wrapper): Torch7 raises those in C (luaT, TH), where luaL_where is empty
      if not plain and debug.getinfo(2, 'S').source == '=[compat]' then plain = true end
      error(msg, plain and 0 or 2)
   end
   if r == WRAPID then
      local p = CACHE[(...)]
      if p ~= nil then return p end
      return chk(take((...)))
   end
   if r == WRAP then return wrapped(...) end
   if r == NOTHING then return end
   if r == MULTI then return multi(...) end
   return r, ...
end

-- chk for luaT's metamethods of a Tensor or Storage (indexing, assignment, the operators):
-- luaT_mt__index, luaT_mt__newindex and luaT_mt__add... are C functions that lua_call the
-- class's C __index__, __newindex__, __add__..., so an error raised there carries no
-- position (LuaJIT's lj_err_callermsg adds none for a function called from C, and
-- luaL_where's level 1 is luaT's C frame) and its luaL_argerror names the function '?'
local function chkm(r, ...)
   if r == ERR then error((...), 0) end
   return chk(r, ...)
end

-- chkm for a tensor's assignment: a key that the class's __newindex__ declines (a boolean, a
-- tensor that is no mask) fails in luaT_mt__newindex itself, which the VM called from the
-- assigning line: its luaL_error names that line (level 2: chkn is tail-called)
local function chkn(r, ...)
   if r == ERR then
      local msg = ...
      if type(msg) == 'string' and msg:find('^the class [%w%.]+ cannot be indexed$') then
         error(msg, 2)
      end
      error(msg, 0)
   end
   return chk(r, ...)
end

-- (MULTI, mask, v1, ...): bit i of mask set, vi is the id of an object (see WRAPID)
multi = function(mask, ...)
   local n = select('#', ...)
   local a = {...}
   for i = 1, n do
      if mask % 2 == 1 then
         local p = CACHE[a[i]]
         if p == nil then p = chk(take(a[i])) end
         a[i] = p
      end
      mask = (mask - mask % 2) / 2
   end
   return unpack(a, 1, n)
end
jit.off(multi)

-- chk for a call whose first argument was a: SELF stands for it (methods returning self)
local function chks(a, r, ...)
   if r == SELF then return a end
   return chk(r, ...) -- a tail call: the error level still names the caller's line
end

-- lupa gives Python a Lua -0.0 as the int 0: it crosses as a Ref of Python's -0.0 instead
local NEGZERO = B.negzero

-- table -> the Ref of its Python mapping (an option or state table passed at every step):
-- kept until the next collection, dropped by Python when it wraps the table otherwise
local MAPREF = setmetatable({}, {__mode = 'kv'})

local function fromtab(x)
   -- a table that is no list (t[1] nil) and was a mapping the last time stays one
   if rawget(x, 1) == nil then
      local r = MAPREF[x]
      if r ~= nil then return r end
   end
   local r, m = fromtable(x)
   if m then MAPREF[x] = r end
   return r
end

local function U(x)
   local t = rawtype(x)
   if t == 'number' then
      if x == 0 and 1 / x < 0 then return NEGZERO end
      return x
   end
   if t == 'string' then return x end
   local o = PYOBJ[x]
   if o ~= nil then return o end
   if t == 'table' then return fromtab(x) end
   if t == 'function' then return fromfunc(x) end
   return x
end

-- U for the arguments after the first of a call through mkfunc: a function crosses as itself
-- (the callee's closures wrap it: no Python object to make and hand back)
local function UA(x)
   local t = rawtype(x)
   if t == 'number' then
      if x == 0 and 1 / x < 0 then return NEGZERO end
      return x
   end
   if t == 'string' or t == 'function' then return x end
   local o = PYOBJ[x]
   if o ~= nil then return o end
   if t == 'table' then return fromtab(x) end
   return x
end

-- A Lua value Python keeps gets a Ref made in the Lua thread that was running (lupa's
-- init_lua_object keeps that thread's lua_State and luaL_unrefs through it when Python frees
-- the value): a coroutine's, freed by then, is a crash. A field that a coroutine sets to a
-- table or function of Lua's keeps that coroutine alive until the field changes (torch.lua's
-- coroutine.create then keeps it one collection more, for the values' Lua wrappers)
local co_running = coroutine.running
local FIELDPIN = setmetatable({}, {__mode = 'k'})  -- proxy -> {field -> coroutine}
local PINNED = {}                                  -- coroutine -> fields pinning it
local function setfield_pinned(p, k, v)
   local co, ismain = co_running()
   if ismain then co = nil end
   local pins = FIELDPIN[p]
   if co == nil and pins == nil then return setfield(PYOBJ[p], k, U(v)) end
   local tv = rawtype(v)
   if co ~= nil and not (tv == 'function' or tv == 'table' and PYOBJ[v] == nil) then
      co = nil
   end
   local old = pins and pins[k]
   if co ~= nil then PINNED[co] = (PINNED[co] or 0) + 1 end
   -- (Python drops the old value in this call, while its coroutine is still pinned)
   local ok, r1, r2, r3 = pcall(setfield, PYOBJ[p], k, U(v))
   if co ~= nil then
      if pins == nil then pins = {}; FIELDPIN[p] = pins end
      pins[k] = co
   elseif old ~= nil then
      pins[k] = nil
   end
   if old ~= nil then
      local n = PINNED[old] - 1
      if n > 0 then PINNED[old] = n else PINNED[old] = nil end
   end
   if not ok then error(r1, 0) end
   return r1, r2, r3
end

local function callv(dv, n, ...)
   local args = {...}
   local first = args[1]
   for i = 1, n do args[i] = U(args[i]) end
   return chks(first, dv(unpack(args, 1, n)))
end
-- LuaJIT keeps trying (and failing) to compile {...} + unpack in a hot loop, at ~10 us a call
jit.off(callv)

-- the Lua functions that call Python (C functions in Torch7: string.dump cannot save them)
local PYFUNCS = setmetatable({}, {__mode = 'k'})

-- A Lua function that calls a Python callable through its closures d0..d3 (0 to 3 arguments)
-- and dv (any number): they unwrap the arguments, convert the results and report errors.
local function mkfunc(d0, d1, d2, d3, dv)
   local f = function(...)
      local n = select('#', ...)
      if n == 1 then
         local a = ...
         return chks(a, d1(PYOBJ[a] or U(a)))
      elseif n == 2 then
         local a, b = ...
         local tb = rawtype(b)
         if tb == 'number' then
            if b == 0 and 1 / b < 0 then b = NEGZERO end
         elseif tb ~= 'string' then
            b = UA(b)
         end
         return chks(a, d2(PYOBJ[a] or U(a), b))
      elseif n == 3 then
         local a, b, c = ...
         return chks(a, d3(PYOBJ[a] or U(a), UA(b), UA(c)))
      elseif n == 0 then
         return chk(d0())
      elseif n == 4 then
         local a, b, c, d = ...
         return chks(a, dv(PYOBJ[a] or U(a), UA(b), UA(c), UA(d)))
      elseif n == 5 then
         local a, b, c, d, e = ...
         return chks(a, dv(PYOBJ[a] or U(a), UA(b), UA(c), UA(d), UA(e)))
      elseif n == 6 then
         local a, b, c, d, e, f = ...
         return chks(a, dv(PYOBJ[a] or U(a), UA(b), UA(c), UA(d), UA(e), UA(f)))
      end
      return callv(dv, n, ...)
   end
   PYFUNCS[f] = true
   return f
end

-- What File.lua writes for a function: string.dump's bytecode and the upvalues as
-- {name=, value=} tables; nil for a function that Torch7 could not write (a C function)
-- (the layer's own Lua functions, print and the like, stand for Torch7's C functions too)
local function dumpable(f)
   return PYFUNCS[f] == nil and debug.getinfo(f, 'S').source ~= '=[compat]'
      and (pcall(string.dump, f))
end
-- ids: the file's upvalue ids ({[upvalueid] = id, n = count}); File.lua numbers each shared
-- upvalue once, so that closures that shared it share it again when read
local function dumpfunc(f, ids)
   if not dumpable(f) then return nil end
   local upvalues = {}
   local i = 1
   while true do
      local name, value = debug.getupvalue(f, i)
      if not name then break end
      if name == '_ENV' then value = nil end
      local id
      if ids then
         local ref = debug.upvalueid(f, i)
         id = ids[ref]
         if not id then
            ids.n = (ids.n or 0) + 1
            id = ids.n
            ids[ref] = id
         end
      end
      upvalues[i] = {name = name, id = id, value = value}
      i = i + 1
   end
   return string.dump(f), upvalues
end

-- File.lua's readObject of a function: the bytecode loaded, then its upvalues set one by one
-- (f, nil) or (nil, loadstring's message): bytecode of another Lua version, say
local function undump(code)
   local f, err = loadstring(code)
   if not f then return nil, err end
   return f
end
local function setupvalue(f, i, value)
   debug.setupvalue(f, i, value)
end
local function upvaluejoin(f, i, g, j)
   debug.upvaluejoin(f, i, g, j)
end

-- the key of t[k] for a Lua table k: {i, j} -> (i, j), {{a, b}, c} -> ([a, b], c)
local function K(x)
   if rawtype(x) == 'table' and PYOBJ[x] == nil then return idxlist(x) end
   return U(x)
end

-- An index table of numbers and ranges of numbers crosses as one flat list of pairs instead
-- of one Python call per range (nn's tests index t[{{}, {c}, {h}, {w}}] 10^5 times): a number
-- i as (i, nil), {} as (false, false), {i} as (i, i), {i, j, ...} as (i, j). nil when an entry
-- is anything else (a tensor, a range of non-numbers): the general path converts those.
local function flatkey(k, n)
   local parts = {}
   for i = 1, n do
      local x = k[i]
      local tx = rawtype(x)
      if tx == 'number' then
         parts[2 * i - 1] = x
      elseif tx == 'table' then
         local m = #x
         if m == 0 then
            parts[2 * i - 1], parts[2 * i] = false, false
         else
            local a, b = x[1], x[m > 1 and 2 or 1]
            if rawtype(a) ~= 'number' or rawtype(b) ~= 'number' then return nil end
            parts[2 * i - 1], parts[2 * i] = a, b
         end
      else
         return nil
      end
   end
   return parts
end

-- one entry of an index table as flatkey's pair, BAD for an entry it does not take
local BAD = {}
local function fk(x)
   local tx = rawtype(x)
   if tx == 'number' then return x, nil end
   if tx == 'table' then
      local m = #x
      if m == 0 then return false, false end
      local a, b = x[1], x[m > 1 and 2 or 1]
      if rawtype(a) == 'number' and rawtype(b) == 'number' then return a, b end
   end
   return BAD, nil
end

local function keyed(f, o, k, ...)
   local n = #k
   -- up to 4 entries without a table of parts (nn's tests index t[{{}, {c}, {h}, {w}}] in
   -- their inner loops)
   if n <= 4 and n > 0 and (f == tgetv or f == tsetv) then
      local a1, b1 = fk(k[1])
      local a2, b2, a3, b3, a4, b4
      if n > 1 then a2, b2 = fk(k[2]) end
      if n > 2 then a3, b3 = fk(k[3]) end
      if n > 3 then a4, b4 = fk(k[4]) end
      if a1 ~= BAD and a2 ~= BAD and a3 ~= BAD and a4 ~= BAD then
         if f == tgetv then
            if n == 4 then return chkm(tgetk(o, a1, b1, a2, b2, a3, b3, a4, b4)) end
            if n == 3 then return chkm(tgetk(o, a1, b1, a2, b2, a3, b3)) end
            if n == 2 then return chkm(tgetk(o, a1, b1, a2, b2)) end
            return chkm(tgetk(o, a1, b1))
         end
         local v = ...
         if n == 4 then return chkm(tsetk(o, v, a1, b1, a2, b2, a3, b3, a4, b4)) end
         if n == 3 then return chkm(tsetk(o, v, a1, b1, a2, b2, a3, b3)) end
         if n == 2 then return chkm(tsetk(o, v, a1, b1, a2, b2)) end
         return chkm(tsetk(o, v, a1, b1))
      end
   end
   if n > 4 then
      local parts = flatkey(k, n)
      if parts ~= nil then
         if f == tgetv then return chkm(tgetk(o, unpack(parts, 1, 2 * n))) end
         if f == tsetv then return chkm(tsetk(o, (...), unpack(parts, 1, 2 * n))) end
      end
   end
   if n == 0 then return chkm(f(o, ...)) end
   if n == 1 then return chkm(f(o, K(k[1]), ...)) end
   if n == 2 then return chkm(f(o, K(k[1]), K(k[2]), ...)) end
   if n == 3 then return chkm(f(o, K(k[1]), K(k[2]), K(k[3]), ...)) end
   -- longer index tables: the keys, then the value of an assignment (it must not be lost,
   -- or t[{1, 1, 1, 2}] = v would assign to t[{1, 1, 1}])
   local parts = {}
   for i = 1, n do parts[i] = K(k[i]) end
   local m = select('#', ...)
   for i = 1, m do parts[n + i] = (select(i, ...)) end
   return chkm(f(o, unpack(parts, 1, n + m)))
end

local function proxy_pairs(p)
   local o = PYOBJ[p]
   local keys = B.fieldkeys(o)
   local i = 0
   return function()
      i = i + 1
      local k = keys[i]
      if k == nil then return nil end
      return k, p[k]
   end, p, nil
end

-- the fields luaT_lua_newmetatable puts in every class's metatable, which luaT_mt__index
-- finds last for any object of the class (x.__version is 1, x.__factory its factory)
local LUAT_METAFIELD = {__index = true, __newindex = true, __metatable = true, __version = true,
                        __factory = true, __constructor = true, __add = true, __sub = true,
                        __mul = true, __div = true, __mod = true, __pow = true, __unm = true,
                        __concat = true, __len = true, __eq = true, __lt = true, __le = true,
                        __call = true, __tostring = true}

-- The geometry cache of the tensors and storages that Lua indexes with numbers (legacy loops
-- over elements: t[i], t[{i, j}], s[i], t:size(d), t:dim(), t:nElement()): per proxy, its
-- memory's address (an ffi pointer of its element type), sizes and strides, valid while the
-- geometry epoch (a double in Python's memory, torch7py.storage.GEOM_EPOCH) is the one it was
-- read at. Python moves the epoch on whenever a tensor or storage whose geometry was handed
-- out here changes its geometry or its memory (set, resize, a storage's resize...), so a valid
-- entry's pointer is always into the buffer its object holds. An in-range integer index of a
-- number reads or writes the element here, as Tensor.c's/Storage.c's __index__/__newindex__
-- do once their checks pass (a write converts as luaG_(checkreal) and the C cast to the
-- element type: torch7py.storage.lua_real's rule); everything else (other keys, values that
-- are no number, out of range, Half, a tensor without storage) goes to Python as before.
local gffi_ok, gffi = pcall(require, 'ffi')
local EPOCH = gffi_ok and B.epoch and gffi.cast('double*', B.epoch)
local GEOM = setmetatable({}, {__mode = 'k'})
local GCTYPE = {'double*', 'float*', 'int64_t*', 'int32_t*', 'int16_t*', 'int8_t*', 'uint8_t*'}
local pygeom = B.geom
local floor, ceil = math.floor, math.ceil
local tonumber = tonumber

-- g = {epoch, dims, pointer, element code, writable, nElement, size1, stride1, size2, ...,
-- h = accesses served since the fill, s = sights since the epoch moved, w = sights before a
-- fill (3 when absent)}; dims -1: not filled in this epoch (filled at the w-th sight: an
-- object indexed once or twice between two changes of geometry costs no more than before),
-- -2: left to Python until the epoch moves
local function fill(g, code, addr, wr, n, nd, sref, off, tkey, ...)
   if not code then
      g[2] = -2
      return nil
   end
   g[3] = gffi.cast(GCTYPE[code], addr)
   g[4], g[5], g[6] = code, wr, n
   g.sref, g.off, g.tkey = sref, off, tkey
   local a = {...}
   for i = 1, 2 * nd do g[6 + i] = a[i] end
   g[2] = nd
   return g
end
jit.off(fill)

-- the valid cache entry of proxy p (of a tensor or storage), or nil
local function geom(p)
   local g = GEOM[p]
   local ep = EPOCH[0]
   if g == nil then
      GEOM[p] = {ep, -1, h = 0, s = 1}
      return nil
   end
   local nd = g[2]
   if g[1] ~= ep then
      g[1], g[2] = ep, -1
      if nd >= 0 then
         -- a fill that served few accesses (h) before the epoch moved makes the next one wait
         -- for more sights (w): a tensor resized at every step of a loop stays with Python
         local w = g.w or 3
         if g.h < 4 then
            w = w * 2
            g.w = w < 1024 and w or 1024
         else
            g.w = 3
         end
      end
      g.s = 0
      nd = -1
   end
   if nd >= 0 then return g end
   if nd == -2 then return nil end
   local s = g.s + 1
   if s < (g.w or 3) then
      g.s = s
      return nil
   end
   g.h = 0
   return fill(g, pygeom(PYOBJ[p]))
end
if not EPOCH then geom = function() return nil end end

-- t[i] of a tensor of 2+ dimensions: Tensor.c's select of t's storage, a proxy whose Python
-- tensor is made when something needs it (PYOBJ's __index: mkview); its cache entry is
-- filled at once, from t's, and also keeps what mkview needs (lnd: its dimensions, until
-- the tensor is made; the entry's sizes and strides stay the view's until then: a fill asks
-- Python, which needs the tensor first)
local mkview = B.mkview
-- the view of g's tensor without its dimension d (select of index k: 1-based, in range), or
-- with size n at d from index k on (narrow: n given)
local function lazyview(g, d, k, n)
   local c = newproxy(TEMPLATES[g.tkey])
   local nd = g[2]
   local delta = (k - 1) * g[6 + 2 * d]
   local h = {g[1], 0, g[3] + delta, g[4], g[5], 0}
   local m, j = 1, 0
   for e = 1, nd do
      local sz = g[5 + 2 * e]
      if e == d and n then sz = n end
      if e ~= d or n then
         j = j + 1
         h[5 + 2 * j], h[6 + 2 * j] = sz, g[6 + 2 * e]
         m = m * sz
      end
   end
   h[2], h[6] = j, m
   h.sref, h.off, h.tkey, h.lnd, h.h = g.sref, g.off + delta, g.tkey, j, 0
   GEOM[c] = h
   return c
end
local function lazysel(g, k) return lazyview(g, 1, k) end
local function materialize(p, h)
   local nd = h.lnd
   local ref, id
   if nd == 1 then
      ref, id = mkview(h.sref, h.off, h[7], h[8])
   elseif nd == 2 then
      ref, id = mkview(h.sref, h.off, h[7], h[8], h[9], h[10])
   else
      ref, id = mkview(h.sref, h.off, unpack(h, 7, 6 + 2 * nd))
   end
   h.lnd = nil
   rawset(PYOBJ, p, ref)
   CACHE[id] = p
   return ref
end
getmetatable(PYOBJ).__index = function(_, p)
   local h = GEOM[p]
   if h ~= nil and h.lnd then return materialize(p, h) end
end

-- a number stored into an element of type code: luaG_(checkreal), then C's cast (for the
-- integer types the double's truncation, NaN/inf/beyond int64 giving INT64_MIN, then
-- cvttsd2si's 32 bits for the narrower ones, out of range giving INT_MIN, then the low bits)
local function conv(code, v)
   if code <= 2 then return v end
   local i
   if v ~= v or v >= 9223372036854775808 or v < -9223372036854775808 then
      i = -9223372036854775808
   elseif v >= 0 then
      i = floor(v)
   else
      i = ceil(v)
   end
   if code == 3 then return i end
   if i < -2147483648 or i >= 2147483648 then i = -2147483648 end
   if code == 4 then return i end
   if code == 7 then return i % 256 end
   if code == 6 then return (i + 128) % 256 - 128 end
   return (i + 32768) % 65536 - 32768
end

-- the element offset of t[{i, j, ...}], a table of as many in-range integers as dimensions
local function tabpos(g, k)
   local nd = g[2]
   if nd < 1 or #k ~= nd then return nil end
   local pos = 0
   for d = 1, nd do
      local x = rawget(k, d)
      if rawtype(x) ~= 'number' or x < 1 or x > g[5 + 2 * d] or x % 1 ~= 0 then return nil end
      pos = pos + (x - 1) * g[6 + 2 * d]
   end
   return pos
end

-- size/dim/nDimension/nElement of a tensor, size of a storage, answered from the cache (the
-- class's Python method pyf otherwise: tail-called, so that its errors name the same call)
local GEOMFN = {}
-- the valid cache entry of a, a proxy of the class of metatable mt (else nil); a view that
-- t[i] made stays without its Python tensor while its entry is valid
local getmt = debug.getmetatable
local function geomof(a, mt)
   local g = GEOM[a]
   if g ~= nil and g[1] == EPOCH[0] and g[2] >= 0 then
      if getmt(a) ~= mt then return nil end
   elseif PYOBJ[a] ~= nil and getmt(a) == mt then
      g = geom(a)
      if g == nil then return nil end
   else
      return nil
   end
   g.h = g.h + 1
   return g
end
function GEOMFN.size(pyf, mt, kind)
   if kind == 'storage' then
      return function(...)
         if select('#', ...) == 1 then
            local g = geomof((...), mt)
            if g ~= nil then return g[6] end
         end
         return pyf(...)
      end
   end
   return function(...)
      local a, d = ...
      if select('#', ...) == 2 and rawtype(d) == 'number' then
         local g = geomof(a, mt)
         if g ~= nil and d >= 1 and d <= g[2] and d % 1 == 0 then return g[5 + 2 * d] end
      end
      return pyf(...)
   end
end
-- t:dim() and t:nElement(): one slot of the cached geometry (2: dimensions, 6: nElement)
local function geomslot(slot)
   return function(pyf, mt, kind)
      if kind == 'storage' then return pyf end
      return function(...)
         if select('#', ...) == 1 then
            local g = geomof((...), mt)
            if g ~= nil then return g[slot] end
         end
         return pyf(...)
      end
   end
end
GEOMFN.dim = geomslot(2)
GEOMFN.nDimension = GEOMFN.dim
GEOMFN.nElement = geomslot(6)
-- narrow and select (of 2+ dimensions) of a tensor whose sizes are all positive (TH's views
-- begin with THTensor_(set), which keeps the dimensions before a size <= 0: unfold's), with
-- integer arguments that pass their checks: the view as t[i] makes it (lazyview)
local function positive(g)
   for e = 1, g[2] do
      if g[5 + 2 * e] <= 0 then return false end
   end
   return true
end
function GEOMFN.narrow(pyf, mt, kind)
   if kind == 'storage' then return pyf end
   return function(...)
      local a, d, k, n = ...
      if select('#', ...) == 4 and rawtype(d) == 'number' and rawtype(k) == 'number' and
            rawtype(n) == 'number' then
         local g = geomof(a, mt)
         if g ~= nil and g.sref and d >= 1 and d <= g[2] and d % 1 == 0 and k >= 1 and
               k % 1 == 0 and n >= 1 and n % 1 == 0 and k - 1 + n <= g[5 + 2 * d] and
               positive(g) then
            return lazyview(g, d, k, n)
         end
      end
      return pyf(...)
   end
end
function GEOMFN.select(pyf, mt, kind)
   if kind == 'storage' then return pyf end
   return function(...)
      local a, d, k = ...
      if select('#', ...) == 3 and rawtype(d) == 'number' and rawtype(k) == 'number' then
         local g = geomof(a, mt)
         if g ~= nil and g.sref and g[2] >= 2 and d >= 1 and d <= g[2] and d % 1 == 0 and
               k >= 1 and k <= g[5 + 2 * d] and k % 1 == 0 and positive(g) then
            return lazyview(g, d, k)
         end
      end
      return pyf(...)
   end
end

-- A metatable for the instances of one Python class.  kind: 'tensor', 'storage', 'object'.
local function newclass(cls, kind, typename, ctor, luaclass)
   local methods = {}
   ALLMETHODS[#ALLMETHODS + 1] = methods
   local template = newproxy(true)
   local mt = getmetatable(template)
   -- names that some object of the class holds in a field: looked up per object, uncached
   local shadowed = {}
   local info = {cls = cls, kind = kind, typename = typename, methods = methods, mt = mt,
                 ctor = ctor, luaclass = luaclass, shadowed = shadowed}
   CLASSMT[mt] = info
   local kindmethods = KINDMETHODS[kind]
   local function slow(p, k)
      local tm = TYPEMETHODS[typename]
      local lf = tm ~= nil and tm[k] or kindmethods[k]
      if lf ~= nil and not shadowed[k] then
         methods[k] = lf
         return lf
      end
      local ism, v, d1, d2, d3, dv = index_miss(PYOBJ[p], k)
      if ism == WRAPID then return CACHE[v] or chk(take(v)) end  -- a field holding an object
      if ism == ERR then error(v, 3) end
      if ism then
         v = mkfunc(v, d1, d2, d3, dv)
         local gf = kind ~= 'object' and GEOMFN[k]
         if gf then
            v = gf(v, mt, kind)
            PYFUNCS[v] = true
         end
         if not shadowed[k] then methods[k] = v end
      elseif v == nil and k == 'new' then
         -- luaT's metatable holds the constructor as `new`: obj.new(...) builds another of
         -- obj's class (net2net's m.new(n, n)); an object's own field `new` came first
         return info.newfn or ctor
      elseif v == nil and k == '__typename' then
         -- luaT_mt__index falls back to the class's metatable, which holds __typename: every
         -- torch object answers its type name there (zaremba's `node.__typename == nil` test
         -- for a plain table)
         return torch.typename(p) or typename
      elseif v == nil and LUAT_METAFIELD[k] then
         local T = _G.getmetatable(p)  -- (the class's metatable, as Lua sees it)
         if T ~= nil then return T[k] end
      end
      return v
   end
   if kind == 'tensor' then
      mt.__index = function(p, k)
         local f = methods[k]
         if f ~= nil then return f end
         local tk = rawtype(k)
         if tk == 'number' then
            local g = GEOM[p]
            if g == nil or g[1] ~= EPOCH[0] or g[2] < 0 then g = geom(p) end
            -- (a tensor of no dimension on a storage has no size 1)
            if g ~= nil and g[2] >= 1 and k >= 1 and k <= g[7] and k % 1 == 0 then
               if g[2] == 1 then
                  g.h = g.h + 1
                  return tonumber(g[3][(k - 1) * g[8]])
               end
               if g.sref then
                  g.h = g.h + 1
                  return lazysel(g, k)
               end
            end
            return chkm(tget(PYOBJ[p], k))
         end
         if tk == 'string' then
            if k == 'new' then return info.newfn or ctor end
            -- luaT_mt__index asks the class's __index__ first, whose lua_isnumber takes a
            -- numeric string as an index (x['2'] is x[2])
            local n = tonumber(k)
            if n ~= nil then return chkm(tget(PYOBJ[p], n)) end
            return slow(p, k)
         end
         if tk == 'table' and PYOBJ[k] == nil then
            local g = GEOM[p]
            if g == nil or g[1] ~= EPOCH[0] or g[2] < 0 then g = geom(p) end
            local pos = g ~= nil and tabpos(g, k)
            if pos then
               g.h = g.h + 1
               return tonumber(g[3][pos])
            end
            return keyed(tgetv, PYOBJ[p], k)
         end
         return chkm(tget(PYOBJ[p], U(k)))
      end
      mt.__newindex = function(p, k, v)
         local tk = rawtype(k)
         if tk == 'number' then
            if rawtype(v) == 'number' then
               local g = GEOM[p]
               if g == nil or g[1] ~= EPOCH[0] or g[2] < 0 then g = geom(p) end
               if g ~= nil and g[2] == 1 and g[5] and k >= 1 and k <= g[7] and k % 1 == 0 then
                  g.h = g.h + 1
                  g[3][(k - 1) * g[8]] = conv(g[4], v)
                  return
               end
            end
            return chkm(tset(PYOBJ[p], k, U(v)))
         end
         if tk == 'string' then
            local n = tonumber(k)  -- __newindex__'s lua_isnumber, as __index__'s
            if n ~= nil then return chkm(tset(PYOBJ[p], n, U(v))) end
            return chk(setfield(PYOBJ[p], k, U(v)))
         end
         if tk == 'table' and PYOBJ[k] == nil then
            if rawtype(v) == 'number' then
               local g = GEOM[p]
               if g == nil or g[1] ~= EPOCH[0] or g[2] < 0 then g = geom(p) end
               local pos = g ~= nil and g[5] and tabpos(g, k)
               if pos then
                  g.h = g.h + 1
                  g[3][pos] = conv(g[4], v)
                  return
               end
            end
            return keyed(tsetv, PYOBJ[p], k, U(v))
         end
         return chkn(tset(PYOBJ[p], U(k), U(v)))
      end
   elseif kind == 'storage' then
      mt.__index = function(p, k)
         local tk = rawtype(k)
         if tk == 'number' then
            local g = GEOM[p]
            if g == nil or g[1] ~= EPOCH[0] or g[2] < 0 then g = geom(p) end
            if g ~= nil and k >= 1 and k <= g[7] and k % 1 == 0 then
               g.h = g.h + 1
               return tonumber(g[3][k - 1])
            end
            return chkm(tget(PYOBJ[p], k))
         end
         local f = methods[k]
         if f ~= nil then return f end
         if k == 'new' then return info.newfn or ctor end
         -- Storage.c's __index__/__newindex__: lua_isnumber, so s['2'] is s[2]
         local n = tk == 'string' and tonumber(k)
         if n then return chkm(tget(PYOBJ[p], n)) end
         return slow(p, k)
      end
      mt.__newindex = function(p, k, v)
         local tk = rawtype(k)
         if tk == 'number' then
            if rawtype(v) == 'number' then
               local g = GEOM[p]
               if g == nil or g[1] ~= EPOCH[0] or g[2] < 0 then g = geom(p) end
               if g ~= nil and g[5] and k >= 1 and k <= g[7] and k % 1 == 0 then
                  g.h = g.h + 1
                  g[3][k - 1] = conv(g[4], v)
                  return
               end
            end
            return chkm(tset(PYOBJ[p], k, U(v)))
         end
         local n = tk == 'string' and tonumber(k)
         if n then return chkm(tset(PYOBJ[p], n, U(v))) end
         return chk(setfield(PYOBJ[p], k, U(v)))
      end
   else
      -- (slow answers `new` with the class's constructor, as luaT's metatable.new: graph's
      -- Graph:clone calls n.new(n.data))
      if luaclass ~= nil then
         mt.__index = function(p, k)
            if shadowed[k] then return slow(p, k) end
            local f = luaclass[k]
            if f ~= nil then return f end
            f = methods[k]
            if f ~= nil then return f end
            return slow(p, k)
         end
      else
         mt.__index = function(p, k)
            local f = methods[k]
            if f ~= nil then return f end
            return slow(p, k)
         end
      end
      mt.__newindex = function(p, k, v)
         return chk(setfield_pinned(p, k, v))
      end
   end
   local ops = B.ops
   -- luaT_mt__add...: the class's __add__..., else luaL_error "both A and B have no addition
   -- operator" ("A has no negation operator"), A and B luaT_typename's (NULL: '(null)');
   -- Python answers ops.NOOP where neither operand's class has the operator
   local function tname(x)
      local i = PYOBJ[x] ~= nil and CLASSMT[debug.getmetatable(x)]
      return i and i.typename or '(null)'
   end
   local function opres(what, a, b, r, ...)
      if r == ops.NOOP then
         if what == 'negation' then error(tname(a) .. ' has no negation operator', 2) end
         error('both ' .. tname(a) .. ' and ' .. tname(b) .. ' have no ' .. what .. ' operator',
               2)
      end
      return chkm(r, ...)
   end
   -- luaT_mt__NAME asks the first operand's metatable when it has one, a string's (or a
   -- table's) too: its __NAME__ when that is there (a function is called), else the error
   -- names the string '(null)'
   local getmt = debug.getmetatable
   local function foreign(what, dunder, a, b)
      local h = getmt(a)[dunder]
      if h == nil then
         error('both (null) and ' .. tname(b) .. ' have no ' .. what .. ' operator', 2)
      end
      if rawtype(h) == 'function' then return h(a, b) end
   end
   local function binop(name, what)
      local f = ops[name]
      local dunder = '__' .. name .. '__'
      return function(a, b)
         if PYOBJ[a] == nil and getmt(a) ~= nil then return foreign(what, dunder, a, b) end
         return opres(what, a, b, call(f, U(a), U(b)))
      end
   end
   mt.__add = binop('add', 'addition')
   mt.__sub = binop('sub', 'substraction')
   mt.__mul = binop('mul', 'multiplication')
   mt.__pow = binop('pow', 'power')
   -- (TensorOperator.c is not built for torch.HalfTensor: luaT's default operators there)
   local operators = kind == 'tensor' and typename ~= 'torch.HalfTensor'
   if not operators then
      mt.__div = binop('div', 'division')
      mt.__mod = binop('mod', 'modulo')
      mt.__unm = function(a) return opres('negation', a, nil, call(ops.unm, U(a))) end
   end
   if operators then
      local div, mod = ops.div, ops.mod
      -- TensorOperator's __div/__mod: luaT_checkudata of #1 (Torch7 reports the wrong type
      -- name there: 'boolean'), THArgCheck(lua_isnumber) of #2
      -- luaT_mt__div/__mod ask the first operand's metatable when it has one: a string's
      -- (the string library's) has no __div__/__mod__, luaL_error at the caller's line
      mt.__div = function(a, b)
         if PYOBJ[a] == nil and getmt(a) ~= nil then
            return foreign('division', '__div__', a, b)
         end
         if PYOBJ[a] == nil then
            error("bad argument #1 to '?' (" .. typename .. " expected, got boolean)", 0)
         end
         if rawtype(b) ~= 'number' then
            b = rawtype(b) == 'string' and tonumber(b)  -- lua_isnumber + lua_tonumber
            if not b then error("bad argument #2 to '?' (number expected)", 0) end
         end
         return chkm(call(div, U(a), U(b)))  -- U: a -0.0 stays -0.0
      end
      mt.__mod = function(a, b)
         if PYOBJ[a] == nil and getmt(a) ~= nil then
            return foreign('modulo', '__mod__', a, b)
         end
         if PYOBJ[a] == nil then
            error("bad argument #1 to '?' (" .. typename .. " expected, got boolean)", 0)
         end
         if rawtype(b) ~= 'number' then
            b = rawtype(b) == 'string' and tonumber(b)
            if not b then error("bad argument #2 to '?' (number expected)", 0) end
         end
         return chkm(call(mod, U(a), U(b)))  -- U: a -0.0 stays -0.0
      end
      mt.__unm = function(a) return chkm(call(ops.unm, U(a))) end
   end
   local pysize = B.len
   mt.__len = function(p) return chk(pysize(PYOBJ[p])) end
   mt.__tostring = function(p) return chk(call(B.tostring, PYOBJ[p])) end
   mt.__call = function(p, ...)
      local f = CALLS[p]
      if f == nil then
         f = mkfunc(B.wrapcall(PYOBJ[p]))
         CALLS[p] = f
      end
      return f(...)
   end
   mt.__pairs = proxy_pairs
   -- luaT's __concat, __lt, __le of torch objects: neither operand's class has one
   -- (each asks the class's hook a script defined in Lua, `function nn.Tanh:__lt__(o)`,
   -- first: luaT_mt__lt... look up __lt__ in the first operand's metatable, or in the
   -- second's when the first has none)
   local luahook = B.lua_hook
   local function noop(what, dunder)
      local function name(x)
         local i = PYOBJ[x] ~= nil and CLASSMT[debug.getmetatable(x)]
         return i and i.typename or '(null)'
      end
      return function(a, b)
         local h
         if PYOBJ[a] ~= nil then
            h = luahook(PYOBJ[a], dunder)
         elseif getmt(a) == nil and PYOBJ[b] ~= nil then
            h = luahook(PYOBJ[b], dunder)
         end
         if h ~= nil then return h(a, b) end
         error('both ' .. name(a) .. ' and ' .. name(b) .. ' have no ' .. what .. ' operator', 2)
      end
   end
   mt.__concat = noop('concat', '__concat__')
   mt.__lt = noop('less-than', '__lt__')
   mt.__le = noop('less-equal', '__le__')
   if kind ~= 'tensor' and kind ~= 'storage' then
      -- luaT's __len and __eq: the class's __len__ / __eq__ hook defined in Lua first (__eq
      -- is this metatable's own: LuaJIT calls it for two objects of the class), else what
      -- the class does (its Python __len, luaT's error) and luaT_lua_isequal (the same object)
      local pylen = mt.__len
      mt.__len = function(p)
         local h = luahook(PYOBJ[p], '__len__')
         if h ~= nil then return h(p) end
         return pylen(p)
      end
      mt.__eq = function(a, b)
         local h = luahook(PYOBJ[a], '__eq__')
         if h ~= nil then return h(a, b) end
         return rawequal(a, b)
      end
   end
   mt.__typename = typename
   info.template = template
   -- a torch.class class: luaT's metamethods (torch.lua's hook) over these
   if luaclass ~= nil and HOOKS.luaclass ~= nil then HOOKS.luaclass(mt, luaclass) end
   OWN_LT[mt], OWN_LE[mt] = mt.__lt, mt.__le
   mt.__lt, mt.__le = LT52, LE52
   return template
end

-- luaT_newlocalmetatable puts its default operators raw in every class's metatable: reading
-- one gives the operator the class's objects use, writing one replaces it for them (a Python
-- class's objects share the metatable of its template; torch-autograd swaps
-- torch.DoubleTensor's __mul and puts it back)
local LUAT_OPS = {__add = true, __sub = true, __mul = true, __div = true, __mod = true,
                  __pow = true, __unm = true, __concat = true, __len = true, __eq = true,
                  __lt = true, __le = true, __call = true, __tostring = true}
-- the Lua closure of a Python class's function read as cls.k -> Python's handle for it
local CLASSFN = setmetatable({}, {__mode = 'k'})
local CLASSFN_OF = setmetatable({}, {__mode = 'v'})  -- the handle -> its closure
-- luaT's default operators of a torch.class class (luaT_mt__eq, ...), as torch.lua makes them:
-- what reading C.__eq gives
local LUAT_DEFAULTS = {}
-- a Lua class's constructor (its class proxy) -> the table torch.class returned (setctor)
local LUACLASS_OF = setmetatable({}, {__mode = 'kv'})
-- that table -> its method table M (newluaclass): what reads through the constructor find
local LUAMETHODS = setmetatable({}, {__mode = 'k'})
-- class -> the keys its methods table got, in the order they were first set (the pairs order
-- of the metatable Torch7 keeps them in follows from it: torch_objects.lua's luaclasskeys)
local LUAMETHODORDER = setmetatable({}, {__mode = 'k'})
-- luaT_lua_newmetatable's fields of every class metatable besides its operators and `new`
local LUAT_OWN = {__index = true, __newindex = true, __metatable = true, __version = true,
                  __factory = true, __constructor = true}

-- a new object of the Lua class of constructor p, then its __init (see __call below)
local function luanew(p, ...)
   local self = chk(call(B.newbare, PYOBJ[p]))
   -- init.lua's constructor, word for word: two reads of self.__init (through a class's own
   -- __index when it has one), and a method call that a traceback names '__init'
   if self.__init then
      self:__init(...)
   end
   return self
end

-- The Lua value for a Python class: callable (construction), its functions as fields.
local function newclassproxy(cls, ctor, cinfo)
   local p = newproxy(true)
   local mt = getmetatable(p)
   local fields = {}
   -- a write to any class may change what this one inherits (nn.Module.forward for
   -- nn.Linear.forward): the writes clear every class's cache
   ALLMETHODS[#ALLMETHODS + 1] = fields
   mt.__index = function(p, k)
      local v = fields[k]
      if v ~= nil then return v end
      -- a Lua class: luaT's constructor table reads its metatable, where the functions that
      -- Lua stored are themselves (the Python class holds wrappers of them)
      local C = LUACLASS_OF[p]
      if C ~= nil then
         v = LUAMETHODS[C][k]
         if v ~= nil then return v end
      end
      if LUAT_OPS[k] then
         local f = cinfo.mt[k]
         if f ~= nil then return f end
      end
      -- luaT puts every class's constructor in its metatable as `new` (torch.DiskFile.new(f))
      if k == 'new' then
         if cinfo.noctor == nil then cinfo.noctor = B.no_constructor(cls) and true or false end
         if cinfo.noctor and cinfo.newfn == nil then return nil end
         return cinfo.newfn or ctor
      end
      if k == '__typename' then return cinfo.typename end
      local ism, r, d1, d2, d3, dv, h = B.class_index(cls, k)
      if ism == ERR then error(r, 2) end
      if ism then
         local r0 = CLASSFN_OF[h]
         if r0 == nil then
            r0 = mkfunc(r, d1, d2, d3, dv)
            CLASSFN[r0], CLASSFN_OF[h] = h, r0
         end
         r = r0
         fields[k] = r
      elseif r == nil and cinfo.kind ~= nil then
         -- the methods written in Lua for the class's objects are its metatable's too
         -- (torch.DoubleTensor.__tostring__, getmetatable(t).data)
         local tm = TYPEMETHODS[cinfo.typename]
         r = tm ~= nil and tm[k] or KINDMETHODS[cinfo.kind][k]
      end
      return r
   end
   mt.__newindex = function(p, k, v)
      -- luaT's constructor table writes into the class's metatable: for a Lua class, where
      -- its objects find their methods (nngraph.setDebug wraps nn.gModule's methods so)
      local C = LUACLASS_OF[p]
      if C ~= nil then
         C[k] = v
      elseif LUAT_OPS[k] and (v == nil or type(v) == 'function') then
         cinfo.mt[k] = v
         return
      elseif k == 'new' then  -- metatable.new, what the objects answer (autograd wraps it)
         cinfo.newfn = v
         return
      else
         local h = CLASSFN[v]
         if h ~= nil then
            chk(call(B.class_setattr, cls, k, nil, h))
         else
            chk(call(B.class_setattr, cls, k, U(v)))
         end
      end
      clear_method_caches()
      -- a function written is the one read back (a Lua table's rule)
      if C == nil and type(v) == 'function' then fields[k] = v end
   end
   mt.__call = function(p, ...)
      -- a torch.class class with a Lua __init: built and initialised here, as init.lua's
      -- constructor does (an object, then self:__init(...) with Lua's own arguments), so
      -- that __init runs two frames below the caller, where Torch7 runs it (luaT's C __call,
      -- then the constructor): code that reads its caller's locals with debug.getinfo(n) or
      -- debug.getlocal(n, i) finds them at Torch7's level
      local C = LUACLASS_OF[p]
      if C ~= nil then
         local init = LUAMETHODS[C].__init
         if init ~= nil then
            local self = luanew(p, ...)
            return self
         end
      end
      return ctor(...)
   end
   if cinfo.kind == 'tensor' or cinfo.kind == 'storage' or cinfo.cnew then
      -- torch.DoubleTensor(...), torch.DiskFile(...): luaT_cmt__call (C) lua_calls the
      -- class's C __new, so what that raises carries no position (see chkm)
      local function plain(ok, ...)
         if not ok then error((...), 0) end
         return ...
      end
      mt.__call = function(_, ...) return plain(pcall(ctor, ...)) end
   end
   -- a class is a table in Torch7 (its constructor table): tostring gives 'table: 0x...'
   local ident = tostring({})
   mt.__tostring = function() return ident end
   -- and holds nothing: `#nn.Linear` is 0 (its metatable has no __len)
   mt.__len = function() return 0 end
   mt.__typename = cinfo.typename
   CLASSMT[mt] = {kind = 'class', cls = cls, typename = cinfo.typename, info = cinfo}
   PYOBJ[p] = cls
   return p
end

-- torch.class: M holds the Lua methods (chained to the Lua parent's M); C is the table that
-- torch.class returns: writes define methods (and tell Python), reads fall back to the nearest
-- Python ancestor's class functions (so parent.__init(self) works for a Python parent).
local CTORS = setmetatable({}, {__mode = 'k'})
local LUACLASSNAME = setmetatable({}, {__mode = 'k'})  -- C -> its class name
local function setctor(C, ctor)
   CTORS[C] = ctor
   LUACLASS_OF[ctor] = C
end
local function newluaclass(name, cls, parentM, pyparent, pname)
   local M = setmetatable({}, {__index = parentM})
   local C = setmetatable({}, {
      __index = function(c, k)
         if LUAT_OWN[k] then
            -- luaT's own fields of each metatable (not inherited): what the script set, else
            -- luaT's value (torch.lua's HOOKS.luatfield)
            local v = rawget(M, k)
            if v ~= nil then return v end
            return HOOKS.luatfield(c, k)
         end
         if LUAT_OPS[k] then
            -- the class metatable's own operator (luaT's default unless the script set one)
            local v = rawget(M, k)
            if v ~= nil then return v end
            v = LUAT_DEFAULTS[k]
            if v ~= nil then return v end
         end
         local v = M[k]
         if v ~= nil then return v end
         if k == 'new' and CTORS[c] ~= nil then return CTORS[c] end  -- luaT's mt.new
         if pyparent ~= nil then return pyparent[k] end
         return nil
      end,
      __newindex = function(c, k, v)
         if rawget(M, k) == nil and v ~= nil then
            local order = LUAMETHODORDER[c]
            order[#order + 1] = k
         end
         rawset(M, k, v)
         local ok, err = pcall(B.set_method, cls, k, v)
         if not ok then error(tostring(err), 2) end
      end,
      __tostring = function() return name end,
      -- the metatable torch.class returns is no constructor (the global is): luaT_mt__call
      -- through the parent's metatable runs an inherited __call__, else "<parent> has no call
      -- operator"; a root's metatable has no metatable: Lua's own "attempt to call" error
      __call = pname ~= nil and function(c, ...)
         local pmt = _G.torch.getmetatable(pname)  -- (nn.Module's __call__ is forward)
         local h = pmt ~= nil and pmt.__call__
         if rawtype(h) == 'function' then return h(c, ...) end
         error(pname .. ' has no call operator', 2)
      end or nil,
      -- its methods, then luaT's fields, as its metatable (torch.lua's HOOKS.luatpairs)
      __pairs = function(c) return HOOKS.luatpairs(c) end,
   })
   LUACLASSNAME[C] = name
   LUAMETHODS[C] = M
   LUAMETHODORDER[C] = {}
   return M, C
end

local function mkproxy(o, template, id)
   local p = newproxy(template)
   PYOBJ[p] = o
   CACHE[id] = p
   return p
end

local function newlisttable(lst, id)
   local t = {}
   LISTS[id] = t
   TBL2PY[t] = lst
   return t
end

-- a list's new table, filled, with the proxy of its Python list (found or made): one call from
-- Python instead of four
local function newlist(ref, template, id, ...)
   local p = CACHE[id]
   if p == nil then p = mkproxy(ref, template, id) end
   local t = {...}
   LISTS[id] = t
   TBL2PY[t] = p
   return t
end
jit.off(newlist)

-- t[k1] = v1, t[k2] = v2, ... in one call (a dict's items, converted)
local function filldict(t, ...)
   local kv = {...}
   for i = 1, select('#', ...), 2 do
      local k = kv[i]
      if k ~= nil then t[k] = kv[i + 1] end
   end
   return t
end
jit.off(filldict)

local function filltable(t, old, ...)
   local n = select('#', ...)
   for i = n + 1, old do t[i] = nil end
   local vals = {...}
   for i = 1, n do t[i] = vals[i] end
   return t
end
jit.off(filltable)

local function tableinfo(t)
   -- (n, is_list) where is_list means keys are exactly 1..n with n >= 1
   local n = #t
   local cnt = 0
   for _ in next, t do
      cnt = cnt + 1
      if cnt > n then return n, false end
   end
   return n, n > 0 and cnt == n
end

-- Tensor:apply/map/map2 of a Lua function, looped in Lua over the tensors' memory (ffi) as
-- FFInterface.lua's loops (contiguous tensors) and TH_TENSOR_APPLY/APPLY2/APPLY3 (the others)
-- do: each tensor walked in its own row-major order (its own sizes and strides; map's source
-- may have another shape of as many elements), all in step, every element read from memory
-- when its turn comes and each result stored at once, so a source that overlaps the result
-- sees the results stored before it; no bridge crossing per element. real: FFInterface's C
-- type of the elements, its loops' rule (`if res then self_d[i] = res end`: any true value
-- stored by ffi, whose conversion rejects what is no number); false: Tensor.c's (lua_isnumber's
-- results, numeric strings too, are stored, nil leaves the element, anything else is
-- THError's).
local ffi_ok, ffi = pcall(require, 'ffi')
local function counters(sizes)
   local idx = {}
   for d = 1, #sizes do idx[d] = 0 end
   return idx
end
-- beta2's lj_cconv (CCX(I, F)) takes a double to an integer type narrower than 64 bits
-- through (int32_t): x86's cvttsd2si gives INT_MIN out of range (the LuaJIT here: int64)
local INT32 = {['unsigned char'] = true, char = true, short = true, int = true}
-- (where: the position of FFInterface.lua's store line, which LuaJIT's conversion error names;
-- a boolean converts: true is 1)
local function ffistore(r, real, where)
   if type(r) == 'number' then
      if INT32[real] and (r ~= r or r >= 2147483648 or r <= -2147483649) then
         return -2147483648
      end
      return r
   end
   if type(r) == 'cdata' then return r end
   if r == true then return 1 end
   error(where .. "cannot convert '" .. type(r) .. "' to '" .. real .. "'", 0)
end
-- a tensor's next offset in its row-major walk, its counters i (d of them) advanced; d = 0
-- (no such tensor) leaves o as it is
local function advance(i, o, st, sz, d)
   while d >= 1 do
      i[d] = i[d] + 1
      o = o + st[d]
      if i[d] < sz[d] then break end
      o = o - st[d] * sz[d]
      i[d] = 0
      d = d - 1
   end
   return o
end
local function elemloop(f, n, real, where, c0, a0, sz0, st0, c1, a1, sz1, st1, c2, a2, sz2,
                        st2)
   local p0 = ffi.cast(c0 .. '*', a0)
   local p1 = a1 and ffi.cast(c1 .. '*', a1)
   local p2 = a2 and ffi.cast(c2 .. '*', a2)
   local d0, i0, o0 = #sz0, counters(sz0), 0
   local d1, i1, o1 = p1 and #sz1 or 0, p1 and counters(sz1), 0
   local d2, i2, o2 = p2 and #sz2 or 0, p2 and counters(sz2), 0
   for _ = 1, n do
      local r
      if p2 then
         r = f(tonumber(p0[o0]), tonumber(p1[o1]), tonumber(p2[o2]))
      elseif p1 then
         r = f(tonumber(p0[o0]), tonumber(p1[o1]))
      else
         r = f(tonumber(p0[o0]))
      end
      if real then
         if r then p0[o0] = ffistore(r, real, where) end
      elseif r ~= nil then
         local x = (type(r) == 'number' or type(r) == 'string') and tonumber(r)
         -- (Tensor.c's THError: Python raises it, at the line that called apply)
         if not x then return false end
         p0[o0] = x
      end
      o0 = advance(i0, o0, st0, sz0, d0)
      o1 = advance(i1, o1, st1, sz1, d1)
      o2 = advance(i2, o2, st2, sz2, d2)
   end
   return true
end

local function isempty(t) return next(t) == nil end

-- Python's call of a Lua function (luavalues.LuaFunction): an argument that is a Python object
-- comes as its id (bit i of mask set for argument i), found in CACHE (B.objarg gives its Ref
-- when Lua has no proxy); a result that is a proxy goes back as its Ref. No Python wrapper of
-- a Lua value is made either way.
local objarg = B.objarg
local function R1(x)
   if rawtype(x) == 'userdata' then return PYOBJ[x] or x end
   if x == 0 and rawtype(x) == 'number' and 1 / x < 0 then return NEGZERO end
   return x
end
local function lres(...)
   local n = select('#', ...)
   if n == 1 then return R1((...)) end
   if n == 2 then
      local a, b = ...
      return R1(a), R1(b)
   end
   if n == 0 then return end
   local r = {...}
   for i = 1, n do r[i] = R1(r[i]) end
   return unpack(r, 1, n)
end
local function A1(x)
   local p = CACHE[x]
   if p ~= nil then return p end
   return chk(objarg(x))
end
-- (the function is called as CALLEE[1]: a call through an indexed slot has no name, so a
-- traceback shows the Lua function as `in function <file:line>`, as Torch7's shows a module's
-- method that Container.lua's rethrowErrors calls as module[funcName]; called as the local f
-- it was `in function 'f'`, a name of the layer's)
local CALLEE = {}
local function lcall(f, mask, ...)
   CALLEE[1] = f
   if mask == 0 then return lres(CALLEE[1](...)) end
   local n = select('#', ...)
   if n == 1 then return lres(CALLEE[1](A1((...)))) end
   local a = {...}
   for i = 1, n do
      if mask % 2 == 1 then a[i] = A1(a[i]) end
      mask = (mask - mask % 2) / 2
   end
   CALLEE[1] = f  -- (A1 may have called back into Lua through this function)
   return lres(CALLEE[1](unpack(a, 1, n)))
end
jit.off(lres)
jit.off(lcall)

local function plaintable(...) return {...} end
jit.off(plaintable)
local function forgetmap(t) MAPREF[t] = nil end
-- a new Python list for table t (Python's _b_fromtable): its proxy, t's links to it, one call
local function reglist(t, ref, template, id)
   MAPREF[t] = nil
   local p = CACHE[id]
   if p == nil then p = mkproxy(ref, template, id) end
   TBL2PY[t] = p
   LISTS[id] = t
end

-- the indices of t[1..n] that hold -0.0 (lupa reads them as the int 0)
local function negzeros(t, n)
   local r = {}
   for i = 1, n do
      local v = t[i]
      if v == 0 and rawtype(v) == 'number' and 1 / v < 0 then r[#r + 1] = i end
   end
   return r
end
local TBLID = setmetatable({}, {__mode = 'k'})
local ntblid = 0
local function tblid(t)
   local i = TBLID[t]
   if i == nil then
      ntblid = ntblid + 1
      i = ntblid
      TBLID[t] = i
   end
   return i
end
-- What Python's _b_fromtable needs to know of table t, in one call: the Ref of the Python list
-- that t stands for (false if none), t's id if it has one (the key of a mapping's object),
-- tableinfo's n and is_list, then for a list of up to 64 items the items (a proxy as its Ref,
-- -0.0 as NEGZERO's), else whether t is empty.
local TVIEW_MAX = 64
local function tview(t)
   local u = TBL2PY[t]
   local ref = u ~= nil and PYOBJ[u] or false
   local tid = TBLID[t] or false
   local n, islist = tableinfo(t)
   if islist then
      -- a plain table whose metatable has __len: Lua's # of it is the metamethod's (Torch7's
      -- LuaJIT is LUA52COMPAT), which a mapping asks (luavalues' _t7_len), not a list's length
      local mt = debug.getmetatable(t)
      if mt ~= nil and CLASSMT[mt] == nil and rawget(mt, '__len') ~= nil then islist = false end
   end
   if islist and n <= TVIEW_MAX then
      local tvbuf = {}
      for i = 1, n do
         local v = t[i]
         local tv = rawtype(v)
         if tv == 'number' then
            if v == 0 and 1 / v < 0 then v = NEGZERO end
         elseif tv == 'userdata' then
            v = PYOBJ[v] or v
         end
         tvbuf[i] = v
      end
      return ref, tid, n, true, unpack(tvbuf, 1, n)
   end
   return ref, tid, n, islist, next(t) == nil
end
jit.off(tview)
-- an object of the class of template got a field named k, like a method: from now on the
-- object's own field wins over the class's method (Lua finds a table's fields first)
local function shadow(template, k)
   local info = CLASSMT[getmetatable(template)]
   info.shadowed[k] = true
   info.methods[k] = nil
end
local function infoof(x)
   local mt = getmetatable(x)
   return mt and CLASSMT[mt]
end

-- lupa's calls of Lua functions handle an error with the global debug.traceback, then keep
-- only a string: a table (or other non-string) error value is noted here on its way, so that
-- Python can raise it again in Lua intact (error({code = 1}) through a Python call, pcall'd)
local LASTERR = {}
-- (LASTERR's mark for an error value that is nil: error() through a Python call is nil again)
local NILERR = {}
-- A Lua error that crossed Python (a Lua method that a Python method called) is raised again
-- by chk at the Python call's Lua line: Lua's stack below that line is gone by then. Its
-- traceback as it was at the failure (lupa's handler is this debug.traceback) is kept with its
-- message (noteinner), and a traceback of that message through chk's re-raise continues with
-- those frames, as Torch7's handler, on one Lua stack, sees them. The layer's frames are
-- left out: a Python function called from Lua is a C function there, named as Lua called it.
local INNER = {}  -- {message, its frames at the failure}
local function noteinner(msg, frames)
   INNER[1], INNER[2] = msg, frames
end
local CHK = debug.getinfo(chk, 'S')
-- where in traceback r chk raised the error again (its frame: a line of chk), or nil
local function reraised(r)
   local init = 1
   while true do
      local at, e, line = r:find("\n\t%[compat%]:(%d+):", init)
      if at == nil then return nil end
      line = tonumber(line)
      if line >= CHK.linedefined and line <= CHK.lastlinedefined then return at end
      init = e
   end
end
-- a C function's own error (a Python function's through chk, a library function's argument
-- check through the layer's helper): LuaJIT's traceback has no 'error' frame there, only the
-- C function, named as its caller called it; the layer's frames for it become that one line
local ARGHELPERS = {["function 'argerr'"] = true, ["function 'argerror'"] = true,
                    ["function 'argt'"] = true}
local function cerrors(tb)
   if not tb:find("\n\t[C]: in function 'error'\n\t[compat]:", 1, true) then return tb end
   local lines = {}
   for l in (tb .. '\n'):gmatch('([^\n]*)\n') do lines[#lines + 1] = l end
   local out, i = {}, 1
   while i <= #lines do
      local l = lines[i]
      local n1, w1 = (lines[i + 1] or ''):match('^\t%[compat%]:(%d+): in (.*)$')
      local named, skip
      if l == "\t[C]: in function 'error'" and n1 ~= nil then
         n1 = tonumber(n1)
         if n1 >= CHK.linedefined and n1 <= CHK.lastlinedefined then
            named, skip = w1, 1
         elseif ARGHELPERS[w1] then
            local w2 = (lines[i + 2] or ''):match('^\t%[compat%]:%d+: in (.*)$')
            if w2 ~= nil then named, skip = w2, 2 end
         end
      end
      if named ~= nil then
         out[#out + 1] = named:match("^function '[^']*'$") and ('\t[C]: in ' .. named) or '\t[C]: ?'
         i = i + 1 + skip
      else
         out[#out + 1] = l
         i = i + 1
      end
   end
   return table.concat(out, '\n')
end
local function layerless(tb)
   tb = cerrors(tb)
   -- a Python function: the [C] frame that the layer's wrapper called (a local of the layer's
   -- names it), under the name Lua code called the wrapper by
   tb = tb:gsub("(\n\t%[C%]: in function '([%w_]+)')\n\t%[compat%]:%d+: in function ([^\n]*)",
                function(whole, f, name)
                   if f == 'error' then return nil end  -- chk's error(): a real C frame
                   if name:sub(1, 1) == "'" then return '\n\t[C]: in function ' .. name end
                   return '\n\t[C]: ?'
                end)
   tb = tb:gsub("\n\t%[compat%]:%d+:[^\n]*", '')
   -- a C function's frame that the layer plays with Lua code (luajit.lua's dofile)
   tb = tb:gsub("\n\t%[cframe%]:%d+: in ", "\n\t[C]: in ")
   -- the C call that runs the script's main chunk (th.py through the layer's xpcall, a
   -- builtin LuaJIT cannot name): Torch7's th runs it with dofile from th's own main chunk,
   -- machine paths and an address that the top-level traceback leaves out too
   return (tb:gsub("\n\t%[builtin#%d+%]: at 0x%x+", ''))
end
do
   local traceback = debug.traceback
   debug.traceback = function(...)
      local msg, level = ...
      local t = rawtype(msg)
      -- (a thread's traceback: the builtin with the arguments as they came)
      if t == 'thread' then return traceback(...) end
      if t == 'string' then
         LASTERR[1] = nil
      elseif t == 'nil' then
         -- (lupa's handler passes the error value: debug.traceback() itself has no argument)
         LASTERR[1] = select('#', ...) > 0 and NILERR or nil
      else
         LASTERR[1] = msg
      end
      if level == nil then level = 1 end
      if rawtype(level) == 'number' then level = level + 1 end  -- this frame is no level
      if msg == nil then
         -- (lib_debug.c: a message that is no string, nil too, comes back as it is when
         -- there is one: debug.traceback(nil) is nil; debug.traceback() is the traceback alone)
         if select('#', ...) > 0 then return msg end
         return (layerless(traceback('', level)):sub(2))
      end
      local r = traceback(msg, level)
      if rawtype(r) ~= 'string' then return r end  -- a non-string message comes back as it is
      if msg == INNER[1] then
         local at = reraised(r)
         if at ~= nil then
            local head = r:sub(1, at - 1)
            local e = head:find("\n\t%[C%]: in function 'error'$")
            r = (e and head:sub(1, e - 1) or head) .. '\n' .. INNER[2]
         end
      end
      r = layerless(r)
      -- torch.lua's pcall/xpcall/coroutine.resume (os.exit goes through them) are no frames
      -- of Torch7's: their C functions are
      return (string.gsub(r, "\n\t%[compat%]:%d+: in function '[xpcalresum]+'", ''))
   end
end
-- the error value noted for a LuaError whose text is msg (lupa's tolstring of the value: ''
-- for a table, the digits of a number), or nil
-- whether t[k] holds -0.0 (lupa reads it as the int 0)
local function isnegzero(t, k)
   local v = t[k]
   return v == 0 and rawtype(v) == 'number' and 1 / v < 0
end

-- whether any value of t is -0.0
local function hasnegzero(t)
   for _, v in next, t do
      if v == 0 and rawtype(v) == 'number' and 1 / v < 0 then return true end
   end
   return false
end

-- (a nil error value comes back as this text, which no noted value (never a string) can be)
local NILERR_TEXT = '\0nil error value\0'
local function takeerr(msg)
   local v = LASTERR[1]
   LASTERR[1] = nil
   if v == nil then return nil end
   if v == NILERR then return NILERR_TEXT end
   if rawtype(v) == 'number' then
      if tostring(v) == msg then return v end
      return nil
   end
   if msg == '' then return v end
   return nil
end

return {
   ERR = ERR, WRAP = WRAP, WRAPID = WRAPID, MULTI = MULTI, SELF = SELF, NOTHING = NOTHING, TEMPLATES = TEMPLATES, PYOBJ = PYOBJ,
   CACHE = CACHE,
   LISTS = LISTS, TBL2PY = TBL2PY, CLASSMT = CLASSMT, U = U, mkfunc = mkfunc, newclass = newclass,
   newclassproxy = newclassproxy, mkproxy = mkproxy, newlisttable = newlisttable, newlist = newlist, filldict = filldict,
   filltable = filltable, tableinfo = tableinfo, infoof = infoof, isempty = isempty,
   plaintable = plaintable, forgetmap = forgetmap, tview = tview,
   reglist = reglist, lcall = lcall, takeerr = takeerr, NILERR_TEXT = NILERR_TEXT, noteinner = noteinner, isnegzero = isnegzero, hasnegzero = hasnegzero,
   tblid = tblid, negzeros = negzeros, newluaclass = newluaclass, clear_method_caches = clear_method_caches,
   setctor = setctor, dumpable = dumpable, dumpfunc = dumpfunc, undump = undump,
   setupvalue = setupvalue, upvaluejoin = upvaluejoin, elemloop = ffi_ok and elemloop,
   LUACLASSNAME = LUACLASSNAME, LUAMETHODS = LUAMETHODS, LUAMETHODORDER = LUAMETHODORDER, LUAT_OPS = LUAT_OPS, LUAT_DEFAULTS = LUAT_DEFAULTS, shadow = shadow, KINDMETHODS = KINDMETHODS,
   HOOKS = HOOKS, TYPEMETHODS = TYPEMETHODS,
}
