-- pairs()/next() of plain tables visit keys in the order Torch7's LuaJIT (2.1.0-beta2) did: th's
-- print of tables, Tester's test order, CmdLine:string, `for k, v in pairs(t)`.  The order is
-- computed once per table by compat/pairs_order.py (a model of beta2's table layout fed with an
-- estimate of the insertion order) and kept with the table; each new traversal checks the key
-- set and updates the model with what was added or set to nil.  Called with P (Python helpers).
-- Returns {note = function(t, k), noteall = function(t, keys...), flat = function(t)}: code that
-- builds tables for Lua notes the order it inserted keys in; Python reads tables through flat.
local P = ...
if not P.enabled then return end
local rawtype, rawget, rawequal, lua_next, sfmt = type, rawget, rawequal, next, string.format
local tonumber, setmetatable, getmetatable = tonumber, setmetatable, debug.getmetatable
local add_source = P.add_source
local SOURCE = P.in_source  -- (s): a string of the sources compiled so far

local CACHE = setmetatable({}, {__mode = 'k'})   -- table -> its order (see sync)
local NOTED = setmetatable({}, {__mode = 'k'})   -- table -> keys in the order they were noted
local OBJID = setmetatable({}, {__mode = 'k'})   -- object key -> the order it was first met
local nobj = 0

-- the real table's sizes (asize, hmask), read from its GCtab (LuaJIT 2.1, GC64): the parser's
-- pre-sized templates and size hints are the same in both LuaJITs
local sizes = function() return -1, 0 end
do
   local ok, ffi = pcall(require, 'ffi')
   if ok then
      local cast = ffi.cast
      local function gcsizes(t)
         local p = cast('const uint32_t*', tonumber(sfmt('%p', t):sub(3), 16))
         return p[12], p[13]
      end
      local good, a1, h1 = pcall(gcsizes, {})
      local _, a2, h2 = pcall(gcsizes, {a = 1, b = 2, c = 3})
      local _, a3, h3 = pcall(gcsizes, {[1] = 1, [3] = 3})
      if good and a1 == 0 and h1 == 0 and a2 == 0 and h2 == 3 and a3 == 0 and h3 == 1 then
         sizes = gcsizes
      end
   end
end

local function kindof(k)
   local tk = rawtype(k)
   if tk == 'string' then return 's', k end
   if tk == 'number' then return 'n', k end
   if tk == 'boolean' then return 'b', k end
   local id = OBJID[k]
   if id == nil then
      nobj = nobj + 1
      id = nobj
      OBJID[k] = id
   end
   return 'o', id
end

-- E.keyof[id] = key (E.nkeys ids); E.order = ids in traversal order (keys set to nil that keep
-- their node included); E.pos[key] = index in E.order; E.dead[key]: set to nil in the model;
-- E.n: keys present at the last check; E.idof[key] = id, built when the table first changes.
-- Tables with object keys hold them weakly: a weak table's keys stay collectable.
local WEAKK, WEAKV = {__mode = 'k'}, {__mode = 'v'}
local function setorder(E, order)
   local pos, keyof = {}, E.keyof
   if E.weak then setmetatable(pos, WEAKK) end
   for i = 1, #order do
      local k = keyof[order[i]]
      if k ~= nil then pos[k] = i end
   end
   E.order, E.pos = order, pos
end

-- A table filled while a traversal of another table yielded its keys (a copy through pairs:
-- `for k, v in pairs(a) do b[k] = v end`, torch's and nngraph's field copies) got them in that
-- traversal's order, not the source's.  Each string a traversal yields gets a stamp (the
-- clock) and the traversal's id (TRAVOF); TCOUNT[id] counts the strings it yielded.  A table
-- first seen whose strings (those not noted) are exactly the strings one traversal yielded last
-- is taken as such a copy: its strings in stamp order, provided each of its values could have
-- been copied from the traversed table's (the same number, string or boolean; any table,
-- object or function for one): a record or a nested config of the same keys made by its own
-- constructor (`{ {name = 'a', n = 1}, {name = 'b', n = 2} }`) differs in some value and keeps
-- its constructor's layout.  (A constructor holding exactly the keys and values of a table
-- traversed just before is still taken for a copy.)
local STAMP, TRAVOF, TCOUNT = {}, {}, {}
local TRAVSRC = setmetatable({}, {__mode = 'v'})  -- traversal id -> the table it traverses
local TRAVID = setmetatable({}, {__mode = 'k'})  -- table -> the id of its current traversal
local clock, ntrav = 0, 0
local function new_traversal(t, of_keys)  -- of_keys: pairs/next (ipairs yields values)
   ntrav = ntrav + 1
   if ntrav > 200000 then  -- bounded: start afresh
      STAMP, TRAVOF, TCOUNT, ntrav = {}, {}, {}, 1
      TRAVSRC = setmetatable({}, {__mode = 'v'})
   end
   TRAVID[t] = ntrav
   TCOUNT[ntrav] = 0
   if of_keys then TRAVSRC[ntrav] = t end
end
local PRIMITIVE = {number = true, string = true, boolean = true}
-- v (the candidate copy's value) could be a copy of w (the source's value at the same key)
local function copy_of(v, w)
   if rawequal(v, w) then return true end
   local tv, tw = rawtype(v), rawtype(w)
   return not PRIMITIVE[tv] and not PRIMITIVE[tw] and w ~= nil
end
local function stamp(t, key)
   local id = TRAVID[t]
   if id ~= nil then
      clock = clock + 1
      STAMP[key], TRAVOF[key] = clock, id
      TCOUNT[id] = TCOUNT[id] + 1
   end
end
-- the unnoted strings keys[from..n] of t in stamp order when they are one traversal's and t's
-- values could be copies of the traversed table's, else nil
local function copied(t, keys, from, n)
   local id, cnt = nil, 0
   for i = from, n do
      local k = keys[i]
      if rawtype(k) == 'string' then
         local s = TRAVOF[k]
         if s == nil or (id ~= nil and s ~= id) then return nil end
         id, cnt = s, cnt + 1
      end
   end
   if cnt < 2 or TCOUNT[id] ~= cnt then return nil end
   local src = TRAVSRC[id]
   if rawtype(src) == 'table' and src ~= t then
      for i = from, n do
         local k = keys[i]
         if rawtype(k) == 'string' and not copy_of(rawget(t, k), rawget(src, k)) then
            return nil
         end
      end
   end
   local strs, others = {}, {}
   for i = from, n do
      local k = keys[i]
      if rawtype(k) == 'string' then strs[#strs + 1] = k else others[#others + 1] = k end
   end
   table.sort(strs, function(a, b) return STAMP[a] < STAMP[b] end)
   local j = from
   for i = 1, #others do keys[j], j = others[i], j + 1 end
   for i = 1, #strs do keys[j], j = strs[i], j + 1 end
   return true
end

-- Strings the program made at run time (string.gmatch, match, sub, gsub, format, lower,
-- upper, and lines read from files) get a stamp when first made: a table whose strings are all
-- such strings (a vocabulary `counts[w] = (counts[w] or 0) + 1` over `text:gmatch('%a+')`,
-- `seen[c] = true` over `text:gmatch('.')`) most likely got them in the order the text gave
-- them, which is what its layout follows.  PROD[s] = the stamp of s's first making; a gmatch
-- loop is also a scan of its own: SCAN[s] = the last scan that made s, SPOS[s] = the stamp of
-- its first making in that scan (a table of characters filled after a loop over words met 'a'
-- in its own scan).  Bounded: they start afresh.
local PROD, SCAN, SPOS, nprod, nscan = {}, {}, {}, 0, 0
-- the iterators the wrappers below return -> the library's own (compat/luajit.lua's tostring
-- prints the library's: 'function: builtin#87' for gmatch's)
local WRAPPED = setmetatable({}, {__mode = 'k'})
local loading = 0  -- > 0 while require loads a module: its strings are not the script's
local function stamp1(s)
   if rawtype(s) == 'string' and PROD[s] == nil and loading == 0 then
      if nprod >= 200000 then PROD, SCAN, SPOS, nprod = {}, {}, {}, 0 end
      nprod = nprod + 1
      PROD[s] = nprod
   end
end
local function made(...)  -- each string made (all of match's captures)
   local n = select('#', ...)
   if n == 1 then
      stamp1((...))
   else
      for i = 1, n do stamp1((select(i, ...))) end
   end
   return ...
end
local function scan1(scan, s)
   if rawtype(s) == 'string' and SCAN[s] ~= scan and loading == 0 then
      stamp1(s)
      nprod = nprod + 1
      SCAN[s], SPOS[s] = scan, nprod
   end
end
local function scanned(scan, ...)
   local n = select('#', ...)
   if n == 1 then
      scan1(scan, (...))
   else
      for i = 1, n do scan1(scan, (select(i, ...))) end
   end
   return ...
end
-- the strings keys[from..n] of t in the order they were made, when there are two or more and
-- all of them were made at run time (by one scan: in its order; else in their first making's):
-- true; when the others are strings of the sources (a constructor's `{['<unk>'] = 1}` that a
-- loop over a text filled then), those come first and the count of the made ones is returned
-- (compat/pairs_order.py estimates the others' order); else nil
local function produced(t, keys, from, n)
   local cnt, scan, unmade = 0, nil, 0
   for i = from, n do
      local k = keys[i]
      if rawtype(k) == 'string' then
         if PROD[k] == nil then
            if not SOURCE(k) then return nil end
            unmade = unmade + 1
         else
            if cnt == 0 then scan = SCAN[k] elseif scan ~= SCAN[k] then scan = nil end
            cnt = cnt + 1
         end
      end
   end
   if cnt < 2 then return nil end
   local strs, others = {}, {}
   for i = from, n do
      local k = keys[i]
      if rawtype(k) == 'string' and PROD[k] ~= nil then strs[#strs + 1] = k
      else others[#others + 1] = k end
   end
   local at = scan ~= nil and SPOS or PROD
   -- an index (the values a run of consecutive integers, one each: `if not v[w] then n = n + 1;
   -- v[w] = n end`, `for i, w in ipairs(words) do v[w] = i + 1 end`) went in by value
   local lo, hi, seen = math.huge, -math.huge, {}
   for i = 1, #strs do
      local v = rawget(t, strs[i])
      if rawtype(v) ~= 'number' or v ~= math.floor(v) or seen[v] then lo = nil; break end
      seen[v] = true
      if v < lo then lo = v end
      if v > hi then hi = v end
   end
   if lo ~= nil and hi - lo + 1 == #strs then
      at = setmetatable({}, {__index = function(_, k) return rawget(t, k) end})
   end
   table.sort(strs, function(a, b) return at[a] < at[b] end)
   local j = from
   for i = 1, #others do keys[j], j = others[i], j + 1 end
   for i = 1, #strs do keys[j], j = strs[i], j + 1 end
   return unmade == 0 or cnt
end

local MEMO, nmemo = {}, 0  -- signature -> {model (a template, never changed), order, pos}
local concat = table.concat
local function signature(keys, n, asize, hmask)
   local parts = {}
   for i = 1, n do
      local k = keys[i]
      local tk = rawtype(k)
      if tk == 'string' then
         parts[i] = 's' .. #k .. ':' .. k
      elseif tk == 'number' then
         parts[i] = sfmt('n%.17g', k)
      elseif tk == 'boolean' then
         parts[i] = k and 'T' or 'F'
      else
         return nil
      end
   end
   parts[n + 1] = asize .. ',' .. hmask
   return concat(parts, '\0')
end

local function first_sight(t)
   local noted, seen = NOTED[t], nil
   local keys, n = {}, 0
   if noted ~= nil then
      seen = {}
      for i = 1, #noted do
         local k = noted[i]
         if not seen[k] and rawget(t, k) ~= nil then
            n = n + 1
            keys[n] = k
            seen[k] = true
         end
      end
   end
   local nknown = n
   for k in lua_next, t do
      if seen == nil or not seen[k] then
         n = n + 1
         keys[n] = k
      end
   end
   NOTED[t] = nil
   local given = copied(t, keys, nknown + 1, n) or produced(t, keys, nknown + 1, n)
   local asize, hmask = sizes(t)
   -- tables of the same keys, met in the same order, with the same sizes share one order
   local sig = nknown == 0 and n <= 64 and signature(keys, n, asize, hmask)
   if sig and given then sig = sig .. '\0S' .. tostring(given) end
   local memo = sig and MEMO[sig] or nil
   local E
   if memo ~= nil then
      E = {keyof = keys, nkeys = n, n = n, template = memo.model, order = memo.order,
           pos = memo.pos}
   else
      local pk, kinds, weak = {}, {}, false
      for i = 1, n do
         kinds[i], pk[i] = kindof(keys[i])
         if kinds[i] == 'o' then weak = true end
      end
      if weak then setmetatable(keys, WEAKV) end
      local model, order = P.new(pk, kinds, nknown, asize, hmask, given)
      E = {keyof = keys, nkeys = n, n = n, model = model, weak = weak}
      setorder(E, order)
      if sig then
         if nmemo >= 10000 then MEMO, nmemo = {}, 0 end
         MEMO[sig] = {model = model, order = order, pos = E.pos}
         nmemo = nmemo + 1
         E.model, E.template = nil, model
      end
   end
   CACHE[t] = E
   return E
end

-- the order of t, checked against its key set
local function sync(t)
   local E = CACHE[t]
   if E == nil then return first_sight(t) end
   local pos, dead, cnt, changed = E.pos, E.dead, 0, nil
   for k in lua_next, t do
      cnt = cnt + 1
      if pos[k] == nil or (dead ~= nil and dead[k]) then
         changed = changed or {}
         changed[#changed + 1] = k
      end
   end
   if changed == nil and cnt == E.n then return E end
   local keyof, idof = E.keyof, E.idof
   if idof == nil then
      idof = E.weak and setmetatable({}, WEAKK) or {}
      for id = 1, E.nkeys do
         local k = keyof[id]
         if k ~= nil then idof[k] = id end
      end
      E.idof = idof
   end
   if dead == nil then
      dead = E.weak and setmetatable({}, WEAKK) or {}
      E.dead = dead
   end
   local removed, revived, added, kinds = {}, {}, {}, {}
   local order = E.order
   for i = 1, #order do
      local k = keyof[order[i]]
      if k ~= nil and not dead[k] and rawget(t, k) == nil then
         removed[#removed + 1] = order[i]
         dead[k] = true
      end
   end
   changed = changed or {}
   -- keys noted since come first, in the order they were noted
   local noted, nknown = NOTED[t], 0
   if noted ~= nil then
      NOTED[t] = nil
      local isnew = {}
      for i = 1, #changed do isnew[changed[i]] = true end
      local ordered = {}
      for i = 1, #noted do
         local k = noted[i]
         if isnew[k] then
            isnew[k] = false
            ordered[#ordered + 1] = k
         end
      end
      nknown = #ordered
      for i = 1, #changed do
         if isnew[changed[i]] then ordered[#ordered + 1] = changed[i] end
      end
      changed = ordered
   end
   local nk0 = 0
   for i = 1, #changed do
      local k = changed[i]
      local id = idof[k]
      if id ~= nil then
         revived[#revived + 1] = id
         dead[k] = nil
      else
         local nk = #added + 1
         kinds[nk], added[nk] = kindof(k)
         if kinds[nk] == 'o' and not E.weak then
            -- an object key from now on: hold keys weakly
            E.weak = true
            setmetatable(keyof, WEAKV)
            local w = setmetatable({}, WEAKK)
            for key, v in lua_next, idof do w[key] = v end
            idof, E.idof = w, w
            local d = setmetatable({}, WEAKK)
            for key, v in lua_next, dead do d[key] = v end
            dead, E.dead = d, d
         end
         if i <= nknown then nk0 = nk end
         id = E.nkeys + 1
         E.nkeys = id
         keyof[id] = k
         idof[k] = id
      end
   end
   if E.model == nil then E.model = P.clone(E.template) end
   setorder(E, P.update(E.model, added, kinds, nk0, removed, revived))
   E.n = cnt
   return E
end

-- Tables whose keys are all numbers and booleans are traversed in this LuaJIT's own order: it
-- hashes them as beta2 did (hashrot of a number's two halves, a boolean's constant), with the
-- same array part, rehash sizes and collision rule, so its layout is the one beta2's insertion
-- order made -- which the model could only estimate.  NATIVE[t]: t is traversed so (decided
-- when a traversal starts; a table modelled once stays modelled).
local NATIVE = setmetatable({}, {__mode = 'k'})
local function plain_keys(t)
   for k in lua_next, t do
      local tk = rawtype(k)
      if tk ~= 'number' and tk ~= 'boolean' then return false end
   end
   return true
end

-- next(t, k) in beta2's order; the last step is remembered (a traversal's next call finds its
-- place without a lookup)
local last_t, last_E, last_j = nil, nil, 0
local function onext(t, k)
   local E, i
   if k == nil then
      if lua_next(t) == nil then return nil end
      if CACHE[t] == nil and NOTED[t] == nil and plain_keys(t) then
         NATIVE[t] = true
         return lua_next(t)
      end
      NATIVE[t] = nil
      E, i = sync(t), 0
      new_traversal(t, true)
   elseif t == last_t and last_E.keyof[last_E.order[last_j]] == k then
      E, i = last_E, last_j
   elseif NATIVE[t] then
      return lua_next(t, k)
   else
      E = CACHE[t]
      i = E and E.pos[k]
      if i == nil then
         E = sync(t)
         i = E.pos[k]
         -- (lib_base's next is a C function: lj_err_msg adds no position)
         if i == nil then error("invalid key to 'next'", 0) end
      end
   end
   local order, keyof = E.order, E.keyof
   for j = i + 1, #order do
      local key = keyof[order[j]]
      local v = rawget(t, key)
      if v ~= nil then
         last_t, last_E, last_j = t, E, j
         if rawtype(key) == 'string' then stamp(t, key) end
         return key, v
      end
   end
   last_t, last_E = nil, nil
   return nil
end

local prev_pairs, prev_next = pairs, next
function pairs(t)
   if rawtype(t) == 'table' then
      local mt = getmetatable(t)
      if mt == nil or rawget(mt, '__pairs') == nil then return onext, t, nil end
   end
   return prev_pairs(t)
end
function next(...)
   local t, k = ...
   if rawtype(t) == 'table' then return onext(t, k) end
   if select('#', ...) == 0 then
      local ar = debug.getinfo(1, 'n')
      error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (table expected, got no value)", 2)
   end
   return prev_next(t, k)
end

-- what pairs_order.lua returns: the order keys were inserted, where the code inserting them
-- knows it (note, noteall), and a raw table's pairs in that order for Python (flat)
local API = {
   note = function(t, k)
      local l = NOTED[t]
      if l == nil then
         l = {}
         NOTED[t] = l
      end
      l[#l + 1] = k
   end,
   -- ipairs' iterator for plain tables: the strings it yields are stamped as pairs' are (a
   -- table filled in a loop over a list of names got them in the list's order)
   ipairs_iter = function(t)
      new_traversal(t)
      return function(a, i)
         i = i + 1
         local v = rawget(a, i)
         if v == nil then return nil end
         if rawtype(v) == 'string' then stamp(a, v) end
         return i, v
      end, t, 0
   end,
   noteall = function(t, ...)
      NOTED[t] = {...}
   end,
   -- th calls it as the script starts: strings th's own start-up made are not the script's
   unwrap = function(f)
      return WRAPPED[f] or f
   end,
   forget_made = function()
      PROD, SCAN, SPOS, nprod, loading = {}, {}, {}, 0, 0
   end,
   flat = function(t)
      local out, n, negs = {}, 0, nil
      for k, v in onext, t, nil do
         out[n + 1], out[n + 2] = k, v
         n = n + 2
         if v == 0 and rawtype(v) == 'number' and 1 / v < 0 then  -- lupa reads -0.0 as 0
            negs = negs or {}
            negs[#negs + 1] = n
         end
      end
      return out, n, negs
   end,
}

-- The wrappers call the library's function through pcall: an error is raised again as a
-- direct call raises it, at the wrapper's caller, the function named as the caller named the
-- wrapper (a method call counts self out; from C or a tail call: '?', and no position).
do
   local getinfo, sgsub, lj_error, lj_pcall = debug.getinfo, string.gsub, error, pcall
   local function after(ok, ...)
      if ok then return ... end
      local msg = ...
      local ar = getinfo(2, 'n')  -- the wrapper (level 1 is this function)
      local name = ar and ar.name
      if rawtype(msg) == 'string' then
         msg = sgsub(msg, "^bad argument #(%d+) to '[^']*'", function(k)
            k = tonumber(k)
            if name ~= nil and ar.namewhat == 'method' then
               k = k - 1
               if k == 0 then return "calling '" .. name .. "' on bad self" end
            end
            return "bad argument #" .. k .. " to '" .. (name or '?') .. "'"
         end)
      end
      lj_error(msg, name ~= nil and 3 or 0)
   end
   local function wrap(orig)
      return function(...) return made(after(lj_pcall(orig, ...))) end
   end
   local function iterator(it, scan)
      local f
      if scan ~= nil then
         f = function(a, b) return scanned(scan, after(lj_pcall(it, a, b))) end
      else
         f = function(...) return made(after(lj_pcall(it, ...))) end
      end
      WRAPPED[f] = it
      return f
   end
   local S = string
   local gmatch = S.gmatch
   local gfind = rawget(S, 'gfind') == gmatch
   S.gmatch = function(...)
      local it, st, c = after(lj_pcall(gmatch, ...))
      nscan = nscan + 1
      return iterator(it, nscan), st, c
   end
   if gfind then S.gfind = S.gmatch end  -- (Lua 5.0's name of the same function)
   for _, name in ipairs{'match', 'sub', 'gsub', 'format', 'lower', 'upper'} do
      S[name] = wrap(S[name])
   end
   -- lines read from files (io.lines, io.read, a file's read and lines)
   local FILE = getmetatable(io.stdout)
   local methods = FILE and rawget(FILE, '__index')
   if rawtype(methods) == 'table' then
      local lines = methods.lines
      methods.read = wrap(methods.read)
      methods.lines = function(...) return iterator(after(lj_pcall(lines, ...))) end
   end
   -- the strings a module makes as it loads are not stamped (the native require's errors
   -- have no position: raised again as they are)
   local lj_require = require
   local function loaded(ok, ...)
      loading = loading - 1
      if ok then return ... end
      lj_error((...), 0)
   end
   require = function(...)
      loading = loading + 1
      return loaded(lj_pcall(lj_require, ...))
   end
   local io_lines = io.lines
   io.lines = function(...) return iterator(after(lj_pcall(io_lines, ...))) end
   io.read = wrap(io.read)
end

-- the strings of every source compiled: strings are interned in the order the lexer meets them
local lua_loadstring, lua_load, lua_loadfile, lua_dofile = loadstring, load, loadfile, dofile
local function rankfile(path)
   local f = path and io.open(path, 'rb')
   if f then
      add_source(f:read('*a'))
      f:close()
   end
end
function loadstring(s, name, ...)
   if rawtype(s) == 'string' and name ~= '=[compat]' then add_source(s) end
   return lua_loadstring(s, name, ...)
end
function load(s, ...)
   if rawtype(s) == 'string' then add_source(s) end
   return lua_load(s, ...)
end
function loadfile(path, ...)
   if path ~= nil then rankfile(path) end
   return lua_loadfile(path, ...)
end
function dofile(path)
   if path ~= nil then rankfile(path) end
   return lua_dofile(path)
end
local loaders = package.loaders or package.searchers
local lua_searcher = loaders[2]
loaders[2] = function(name, ...)
   local r = lua_searcher(name, ...)
   if rawtype(r) == 'function' and package.searchpath then
      rankfile(package.searchpath(name, package.path))
   end
   return r
end

return API
