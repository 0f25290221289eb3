-- Penlight's collections and functional modules, as Torch7's th had them (Penlight 1.4.1):
-- pl.operator, pl.types, pl.stringio, pl.Set, pl.Map, pl.OrderedMap, pl.MultiMap, pl.seq,
-- pl.func, pl.comprehension, pl.permute. Written for torch7py after Penlight's documented
-- behaviour (split from compat/penlight_more.lua); each entry builds its module once, and
-- modules reach each other (and penlight.lua's) through require.
local M = {}
local note = ... or function() end
local function put(t, k, v)
   if v ~= nil and rawget(t, k) == nil then note(t, k) end
   t[k] = v
end
local find, sub, gsub, match, fmt = string.find, string.sub, string.gsub, string.match,
   string.format
local concat, tinsert, tsort = table.concat, table.insert, table.sort
local lua_type = type

local function strip(s) return (gsub(gsub(s, '^%s+', ''), '%s+$', '')) end

-- pl.operator ---------------------------------------------------------------------------------
function M.operator()
   local op = {}
   function op.call(fn, ...) return fn(...) end
   function op.index(t, k) return t[k] end
   function op.eq(a, b) return a == b end
   function op.neq(a, b) return a ~= b end
   function op.lt(a, b) return a < b end
   function op.le(a, b) return a <= b end
   function op.gt(a, b) return a > b end
   function op.ge(a, b) return a >= b end
   function op.len(a) return #a end
   function op.add(a, b) return a + b end
   function op.sub(a, b) return a - b end
   function op.mul(a, b) return a * b end
   function op.div(a, b) return a / b end
   function op.pow(a, b) return a ^ b end
   function op.mod(a, b) return a % b end
   function op.concat(a, b) return a .. b end
   function op.unm(a) return -a end
   function op.lnot(a) return not a end
   function op.land(a, b) return a and b end
   function op.lor(a, b) return a or b end
   function op.table(...) return {...} end
   function op.match(a, b) return find(a, b) ~= nil end
   function op.nop(...) return ... end
   op.optable = {['+'] = op.add, ['-'] = op.sub, ['*'] = op.mul, ['/'] = op.div,
                 ['%'] = op.mod, ['^'] = op.pow, ['..'] = op.concat, ['()'] = op.call,
                 ['[]'] = op.index, ['<'] = op.lt, ['<='] = op.le, ['>'] = op.gt,
                 ['>='] = op.ge, ['=='] = op.eq, ['~='] = op.neq, ['#'] = op.len,
                 ['and'] = op.land, ['or'] = op.lor, ['{}'] = op.table, ['~'] = op.match,
                 [''] = op.nop}
   return op
end

-- pl.types ------------------------------------------------------------------------------------
function M.types()
   local utils = require 'pl.utils'
   local types = {}
   local fileMT = getmetatable(io.stdout)
   function types.is_callable(obj)
      return lua_type(obj) == 'function' or getmetatable(obj) and getmetatable(obj).__call
         and true
   end
   types.is_type = utils.is_type
   -- a class instance answers its class's _name
   function types.type(obj)
      local t = lua_type(obj)
      if t ~= 'table' and t ~= 'userdata' then return t end
      local mt = getmetatable(obj)
      if mt == fileMT then return 'file' end
      if mt == nil then return t end
      return lua_type(mt) == 'table' and rawget(mt, '_name') or ('unknown ' .. t)
   end
   function types.is_integer(x) return math.ceil(x) == x end
   function types.is_empty(o, ignore_spaces)
      return o == nil or (lua_type(o) == 'table' and next(o) == nil)
         or (lua_type(o) == 'string' and (o == '' or (ignore_spaces and find(o, '^%s+$') ~= nil)))
   end
   local function meta(v)
      if lua_type(v) == 'table' then return true end
      return getmetatable(v)
   end
   function types.is_indexable(v)
      local mt = meta(v)
      if mt == true then return true end
      return mt and mt.__len and mt.__index and true
   end
   function types.is_iterable(v)
      local mt = meta(v)
      if mt == true then return true end
      return mt and mt.__pairs and true
   end
   function types.is_writeable(v)
      local mt = meta(v)
      if mt == true then return true end
      return mt and mt.__newindex and true
   end
   local trues = {yes = true, y = true, ['true'] = true, t = true, ['1'] = true}
   function types.to_bool(o, true_strs, check_objs)
      if true_strs then utils.assert_arg(2, true_strs, 'table') end
      local t = lua_type(o)
      if t == 'boolean' then return o end
      if t == 'number' then return o ~= 0 end
      if t == 'string' then
         if trues[o:lower()] then return true end
         for _, v in ipairs(true_strs or {}) do
            if lua_type(v) == 'string' and o == v:lower() then return true end
         end
         return false
      end
      if t == 'table' then return (check_objs and next(o) ~= nil) and true or false end
      return (check_objs and o ~= nil) and true or false
   end
   return types
end

-- pl.stringio ---------------------------------------------------------------------------------
-- file-like objects over strings: create() collects writes, open(s) reads s
function M.stringio()
   local stringio = {}
   -- writers collect what is written (strings and numbers, as table.concat takes them)
   local SW = {}
   SW.__index = SW
   function SW:write(...)
      local args = {...}
      for i = 1, #args do tinsert(self.tbl, args[i]) end
   end
   function SW:writef(f, ...) self:write(f:format(...)) end
   function SW:value() return concat(self.tbl) end
   function SW:__tostring() return self:value() end
   function SW:close() end
   function SW:seek() end
   -- readers: '*l', '*L', '*a', '*n' or a count, as Penlight 1.4.1 reads them (after '*a'
   -- the position is the last character, not past it; seek answers the 1-based position;
   -- nothing at all, not nil, once the text is used up)
   local SR = {}
   SR.__index = SR
   function SR:_read(f)
      local i, str = self.i, self.str
      local sz = #str
      if i > sz then return nil end
      local res
      if f == '*l' or f == '*L' then
         local idx = find(str, '\n', i) or (sz + 1)
         res = sub(str, i, f == '*l' and idx - 1 or idx)
         self.i = idx + 1
      elseif f == '*a' then
         res = sub(str, i)
         self.i = sz
      elseif f == '*n' then
         local _, idx = find(str, '%s*%d+', i)
         local _, frac = find(str, '^%.%d+', idx + 1)
         if frac then idx = frac end
         local _, ex = find(str, '^[eE][%+%-]*%d+', idx + 1)
         if ex then idx = ex end
         res = tonumber(sub(str, i, idx))
         self.i = idx + 1
      elseif lua_type(f) == 'number' then
         res = sub(str, i, i + f - 1)
         self.i = i + f
      else
         error('bad read format', 2)
      end
      return res
   end
   function SR:read(...)
      if select('#', ...) == 0 then return self:_read('*l') end
      local res, fmts = {}, {...}
      for i = 1, #fmts do res[i] = self:_read(fmts[i]) end
      return unpack(res)
   end
   function SR:seek(whence, offset)
      local base
      whence, offset = whence or 'cur', offset or 0
      if whence == 'set' then
         base = 1
      elseif whence == 'cur' then
         base = self.i
      elseif whence == 'end' then
         base = #self.str
      end
      self.i = base + offset
      return self.i
   end
   function SR:lines(...)
      local n, args = select('#', ...), {...}
      return function()
         if n == 0 then return self:_read '*l' end
         return self:read(unpack(args))
      end
   end
   function SR:close() end
   function stringio.create() return setmetatable({tbl = {}}, SW) end
   function stringio.open(s) return setmetatable({str = s, i = 1}, SR) end
   function stringio.lines(s, ...) return stringio.open(s):lines(...) end
   return stringio
end

-- pl.Set --------------------------------------------------------------------------------------
-- values as keys (v = true); + * - ^ are union, intersection, difference, symmetric difference
function M.Set()
   local utils = require 'pl.utils'
   local tablex = require 'pl.tablex'
   local class = require 'pl.class'
   local Map = require 'pl.Map'
   local Set = utils.stdmt.Set
   -- Penlight 1.4.1's Set is a class derived from Map (Map's methods copied in: Set.set,
   -- Set.get, Set.keys...) whose __index is then removed: a set's fields are its elements
   -- only, its methods are called as Set.f(s) (s:isempty() is s['isempty'], nil)
   class(Map, nil, Set)
   Set.__index = nil
   local function makeset(t) return setmetatable(t, Set) end
   local function is_setlike(x)
      local mt = getmetatable(x)
      return mt == Set or mt == Map
   end
   function Set:_init(t)
      t = t or {}
      if is_setlike(t) then
         for k in pairs(t) do self[k] = true end
      else
         for _, v in ipairs(t) do self[v] = true end
      end
   end
   Set.values = Map.keys
   function Set:__tostring()
      return '[' .. concat(utils.array_tostring(Set.values(self)), ',') .. ']'
   end
   function Set.map(self, fn, ...)
      fn = utils.function_arg(1, fn)
      local res = {}
      for k in pairs(self) do res[fn(k, ...)] = true end
      return makeset(res)
   end
   -- union and intersection are tablex.merge's (dup true / false), difference and
   -- symmetric_difference tablex.difference's: their results take self's metatable
   function Set.union(self, set) return tablex.merge(self, set, true) end
   function Set.intersection(self, set) return tablex.merge(self, set, false) end
   function Set.difference(self, set) return tablex.difference(self, set, false) end
   function Set.symmetric_difference(self, set) return tablex.difference(self, set, true) end
   -- s + x and s - x: a Set or Map x is a set of its keys, anything else one element
   function Set.__add(self, x)
      if is_setlike(x) then return Set.union(self, x) end
      local res = Set(self)
      res[x] = true
      return res
   end
   function Set.__sub(self, x)
      if is_setlike(x) then return Set.difference(self, x) end
      local res = Set(self)
      res[x] = nil
      return res
   end
   Set.__mul = Set.intersection
   Set.__pow = Set.symmetric_difference
   function Set.issubset(self, set)
      for k in pairs(self) do if not set[k] then return false end end
      return true
   end
   Set.__lt = Set.issubset
   function Set.isempty(self) return next(self) == nil end
   function Set.isdisjoint(s1, s2) return Set.isempty(Set.intersection(s1, s2)) end
   Set.len = tablex.size
   Set.__len = Set.len
   function Set.__eq(s1, s2) return Set.issubset(s1, s2) and Set.issubset(s2, s1) end
   return Set
end

-- pl.Map --------------------------------------------------------------------------------------
function M.Map()
   local utils = require 'pl.utils'
   local tablex = require 'pl.tablex'
   local class = require 'pl.class'
   local List = require 'pl.List'
   local Map = utils.stdmt.Map
   class(nil, nil, Map)
   Map._name = 'Map'
   function Map:_init(t)
      if lua_type(t) == 'table' then
         for k, v in pairs(t) do put(self, k, v) end
      end
   end
   function Map:keys()
      local l = List()
      for k in pairs(self) do l[#l + 1] = k end
      return l
   end
   function Map:values()
      local l = List()
      for _, v in pairs(self) do l[#l + 1] = v end
      return l
   end
   function Map:iter() return pairs(self) end
   -- items: {key, value} Lists sorted by key (Penlight 1.4.1 sorts them)
   function Map:items()
      local l = List()
      for k, v in pairs(self) do l[#l + 1] = List({k, v}) end
      l:sort(function(a, b) return a[1] < b[1] end)
      return l
   end
   function Map:get(k) return rawget(self, k) end
   function Map:set(k, v) put(self, k, v) end
   function Map:setdefault(k, default)
      local v = rawget(self, k)
      if v ~= nil then return v end
      self:set(k, default)
      return default
   end
   function Map:len() return tablex.size(self) end
   function Map:update(t)
      for k, v in pairs(t) do self:set(k, v) end
   end
   function Map:getvalues(keys)
      local l = List()
      for i, k in ipairs(keys) do l[i] = rawget(self, k) end
      return l
   end
   Map.__eq = function(a, b)
      for k, v in pairs(a) do if b[k] ~= v then return false end end
      for k, v in pairs(b) do if a[k] ~= v then return false end end
      return true
   end
   function Map:__tostring() return require('pl.pretty').write(self, '') end
   return Map
end

-- pl.OrderedMap: a Map that keeps its keys in insertion order (or a sort's order)
function M.OrderedMap()
   local class = require 'pl.class'
   local Map = require 'pl.Map'
   local List = require 'pl.List'
   local utils = require 'pl.utils'
   local OrderedMap = class(Map)
   OrderedMap._name = 'OrderedMap'
   local rawset = rawset
   function OrderedMap:_init(t)
      rawset(self, '_keys', List())
      if t then
         local map, err = self:update(t)
         if not map then error(err, 2) end
      end
   end
   -- update(t): from another OrderedMap in its order; from an array of {key = value} pairs
   -- in theirs; from any other table in pairs' order
   function OrderedMap:update(t)
      utils.assert_arg(1, t, 'table')
      if OrderedMap:class_of(t) then
         for k, v in t:iter() do self:set(k, v) end
      elseif #t > 0 then
         if lua_type(t[1]) ~= 'table' then
            return utils.raise 'cannot use an array to initialize an OrderedMap'
         end
         for _, pair in ipairs(t) do
            local k, v = next(pair)
            if not k then return utils.raise 'empty pair initialization table' end
            self:set(k, v)
         end
      else
         for k, v in pairs(t) do self:set(k, v) end
      end
      return self
   end
   function OrderedMap:set(key, val)
      if rawget(self, key) == nil and val ~= nil then
         self._keys:append(key)
         rawset(self, key, val)
      elseif val == nil then
         self._keys:remove_value(key)
         rawset(self, key, nil)
      else
         rawset(self, key, val)
      end
      return self
   end
   OrderedMap.__newindex = OrderedMap.set
   -- insert(pos, key[, val]): key moves to (or enters at) pos, keeping its value when val
   -- is nil or false; a key with neither value stays out
   function OrderedMap:insert(pos, key, val)
      local old = self[key]
      val = val or old
      if old then self._keys:remove_value(key) end
      if val then
         self._keys:insert(pos, key)
         rawset(self, key, val)
      end
      return self
   end
   function OrderedMap:keys() return self._keys end
   function OrderedMap:values()
      local l = List()
      for i, k in ipairs(self._keys) do l[i] = self[k] end
      return l
   end
   function OrderedMap:sort(cmp)
      self._keys:sort(cmp)
      return self
   end
   function OrderedMap:iter()
      local i = 0
      return function()
         i = i + 1
         local k = self._keys[i]
         if k ~= nil then return k, self[k] end
      end
   end
   function OrderedMap:len() return #self._keys end
   OrderedMap.__pairs = OrderedMap.iter
   function OrderedMap:__tostring()
      local parts = {}
      for i, k in ipairs(self._keys) do
         local v = self[k]
         parts[i] = tostring(k) .. '=' .. (lua_type(v) == 'number' and tostring(v)
                                            or '"' .. tostring(v) .. '"')
      end
      return '{' .. concat(parts, ',') .. '}'
   end
   return OrderedMap
end

-- pl.MultiMap: each key holds a List of values
function M.MultiMap()
   local utils = require 'pl.utils'
   local class = require 'pl.class'
   local List = require 'pl.List'
   local Map = require 'pl.Map'
   local MultiMap = utils.stdmt.MultiMap
   class(Map, nil, MultiMap)
   MultiMap._name = 'MultiMap'
   function MultiMap:_init(t)
      if t then self:update(t) end
   end
   function MultiMap:update(t)
      utils.assert_arg(1, t, 'table')
      if getmetatable(t) == Map then
         for k, v in pairs(t) do self:set(k, v) end
      else
         for k, v in pairs(t) do
            local l = rawget(self, k)
            if not l then
               l = List()
               put(self, k, l)
            end
            l:extend(v)
         end
      end
   end
   function MultiMap:set(key, val)
      if val == nil then
         rawset(self, key, nil)
      else
         local l = rawget(self, key)
         if not l then
            l = List()
            put(self, key, l)
         end
         l:append(val)
      end
   end
   return MultiMap
end

-- pl.seq: functions over sequences (a table's values or an iterator); seq(s) chains them
function M.seq()
   local utils = require 'pl.utils'
   local seq = {}
   local function_arg = utils.function_arg
   -- a sequence is an iterator function; where one is expected, a table stands for the
   -- sequence of its array values (seq.list)
   function seq.list(t)
      utils.assert_arg(1, t, 'table')
      local i = 0
      return function()
         i = i + 1
         return t[i]
      end
   end
   function seq.keys(t)
      utils.assert_arg(1, t, 'table')
      local k
      return function()
         k = next(t, k)
         return k
      end
   end
   local function iter(s)
      if lua_type(s) == 'table' then return seq.list(s) end
      return s
   end
   seq.iter = iter
   function seq.greater_than(x) return function(v) return tonumber(v) > x end end
   function seq.less_than(x) return function(v) return tonumber(v) < x end end
   function seq.equal_to(x)
      if lua_type(x) == 'number' then return function(v) return tonumber(v) == x end end
      return function(v) return v == x end
   end
   function seq.matching(pat) return function(v) return find(v, pat) end end
   function seq.range(start, finish)
      local i = start - 1
      return function()
         i = i + 1
         if i <= finish then return i end
      end
   end
   function seq.count(s, cond, arg)
      local n = 0
      seq.foreach(s, function(v) if cond(v, arg) then n = n + 1 end end)
      return n
   end
   function seq.minmax(s)
      local lo, hi = 1e70, -1e70
      for v in iter(s) do
         v = tonumber(v)
         if v < lo then lo = v end
         if v > hi then hi = v end
      end
      return lo, hi
   end
   function seq.sum(s, fn)
      local total, n = 0, 0
      for v in iter(s) do
         if fn then v = fn(v) end
         total, n = total + v, n + 1
      end
      return total, n
   end
   function seq.copy(s)
      local res = {}
      for v in iter(s) do res[#res + 1] = v end
      return setmetatable(res, require 'pl.List')
   end
   -- copy2(iter, state, control): the pairs a generic-for iterator gives, as {v1, v2}
   function seq.copy2(f, s1, s2)
      local res = {}
      for v1, v2 in f, s1, s2 do res[#res + 1] = {v1, v2} end
      return res
   end
   function seq.copy_tuples(s)
      local f = iter(s)
      local res = {}
      local row = {f()}
      while #row > 0 do
         res[#res + 1] = row
         row = {f()}
      end
      return res
   end
   function seq.random(n, l, u)
      assert(lua_type(n) == 'number')
      local rand
      if u then rand = function() return math.random(l, u) end
      elseif l then rand = function() return math.random(l) end
      else rand = math.random end
      return function()
         if n == 0 then return nil end
         n = n - 1
         return rand()
      end
   end
   function seq.sort(s, comp)
      local t = seq.copy(s)
      tsort(t, comp)
      return seq.list(t)
   end
   -- zip: both sequences' next values, until the first ends (its nil)
   function seq.zip(s1, s2)
      local f1, f2 = iter(s1), iter(s2)
      return function() return f1(), f2() end
   end
   function seq.count_map(s)
      local t = {}
      for v in iter(s) do put(t, v, (t[v] or 0) + 1) end
      return setmetatable(t, require 'pl.Map')
   end
   -- unique: the distinct values, sorted (a table with returns_table, else a sequence)
   function seq.unique(s, returns_table)
      local res = {}
      for k in pairs(seq.count_map(s)) do res[#res + 1] = k end
      tsort(res)
      if returns_table then return res end
      return seq.list(res)
   end
   function seq.printall(s, sep, nfields, f)
      local write = io.write
      sep = sep or ' '
      if not nfields then nfields = sep == '\n' and 1e30 or 7 end
      if f then
         local pat = f
         f = function(v) return fmt(pat, v) end
      end
      local k = 1
      for v in iter(s) do
         if f then v = f(v) end
         if k < nfields then
            write(v, sep)
            k = k + 1
         else
            write(v, '\n')
            k = 1
         end
      end
      write '\n'
   end
   function seq.splice(s1, s2)
      local f1, f2 = iter(s1), iter(s2)
      local cur = f1
      return function()
         local v = cur()
         if v == nil and cur == f1 then
            cur = f2
            return cur()
         end
         return v
      end
   end
   -- map(fn, s, arg): fn(v, arg) (or fn(v1, v2) of a two-valued sequence), nil as false
   function seq.map(fn, s, arg)
      fn = function_arg(1, fn)
      local f = iter(s)
      return function()
         local v1, v2 = f()
         if v1 == nil then return nil end
         if arg then return fn(v1, arg) or false end
         return fn(v1, v2) or false
      end
   end
   -- filter(iter, pred, arg): iter must be a function here (1.4.1 does not take a table)
   function seq.filter(f, pred, arg)
      pred = function_arg(2, pred)
      return function()
         while true do
            local v1, v2 = f()
            if v1 == nil then return nil end
            if arg then
               if pred(v1, arg) then return v1, v2 end
            elseif pred(v1, v2) then
               return v1, v2
            end
         end
      end
   end
   function seq.reduce(fn, s, init)
      fn = function_arg(1, fn)
      local f = iter(s)
      local acc = init
      if not acc then acc = f() end
      for v in f do acc = fn(acc, v) end
      return acc
   end
   function seq.take(s, n)
      local i = 1
      local f = iter(s)
      return function()
         if i > n then return end
         local v1, v2 = f()
         if not v1 then return end
         i = i + 1
         return v1, v2
      end
   end
   function seq.skip(f, n)
      for _ = 1, n or 1 do f() end
      return f
   end
   function seq.enum(s)
      local i = 0
      local f = iter(s)
      return function()
         local v1, v2 = f()
         if not v1 then return end
         i = i + 1
         return i, v1, v2
      end
   end
   function seq.mapmethod(s, name, a1, a2)
      local f = iter(s)
      return function()
         local v = f()
         if not v then return end
         local m = v[name]
         if not m then error(lua_type(v) .. ' does not have method ' .. name) end
         return m(v, a1, a2)
      end
   end
   -- last: each value with the one before it
   function seq.last(s)
      local f = iter(s)
      local prev = f()
      if prev == nil then return nil end
      return function()
         local v = f()
         if v == nil then return nil end
         local p = prev
         prev = v
         return v, p
      end
   end
   function seq.foreach(s, fn)
      fn = function_arg(2, fn)
      for a, b, c in iter(s) do fn(a, b, c) end
   end
   -- seq(s) wraps a sequence so that seq's functions chain as methods (map and reduce take
   -- the function first); an unknown name maps that method over the values. A result that
   -- is callable is wrapped again.
   local callable = function(x) return require('pl.types').is_callable(x) end
   local SMT = {}
   local function wrap(f, ...)
      if callable(f) then return setmetatable({iter = f}, SMT) end
      return f, ...
   end
   local overrides = {
      map = function(self, fn, arg) return seq.map(fn, self, arg) end,
      reduce = function(self, fn) return seq.reduce(fn, self) end,
   }
   SMT.__index = function(_, key)
      local fn = overrides[key] or seq[key]
      if fn then return function(sw, ...) return wrap(fn(sw.iter, ...)) end end
      return function(sw, ...) return wrap(seq.mapmethod(sw.iter, key, ...)) end
   end
   SMT.__call = function(sw) return sw.iter() end
   setmetatable(seq, {__call = function(_, s)
      if not callable(s) then
         if lua_type(s) ~= 'table' then return s end
         s = seq.list(s)
      end
      return setmetatable({iter = s}, SMT)
   end})
   -- lines(f, ...): a file's (name or file-like object; 'STDIN') lines, read with the given
   -- formats
   function seq.lines(f, ...)
      local it, obj
      if f == 'STDIN' then
         f = io.stdin
      elseif lua_type(f) == 'string' then
         it, obj = io.lines(f, ...)
      elseif not f.read then
         error('Pass either a string or a file-like object', 2)
      end
      if not it then it, obj = f:lines(...) end
      if obj then
         local lines, file = it, obj
         it = function() return lines(file) end
      end
      return wrap(it)
   end
   -- import(): every function gets seq's methods (debug.setmetatable on functions)
   function seq.import()
      debug.setmetatable(function() end, {
         __index = function(_, key)
            local fn = overrides[key] or seq[key]
            if fn then return fn end
            return function(s, ...) return seq.mapmethod(s, key, ...) end
         end})
   end
   return seq
end

-- pl.func: function composition and binding
function M.func()
   local utils = require 'pl.utils'
   local func = {}
   -- placeholder expressions (Penlight 1.4.1): _1.._5 (and _0, '...') are tables whose
   -- metatable (PEMT) turns every operation on them into a node {op = ..., operands}:
   -- arithmetic, .., unary -, comparison through Eq/Lt/Gt/Le/Ge, and/or/not through
   -- And/Or/Not, # through Len, indexing and calls. repr(e) writes the node as Lua;
   -- instantiate(e) (I) compiles it into a function of _1.._n, the non-placeholder values
   -- (collected by collect_values, which puts constant placeholders _C1.. in their place)
   -- passed in as upvalues; utils.function_arg accepts such nodes through I.
   local PEMT = {}
   local function P(t) return setmetatable(t, PEMT) end
   local function isPE(x) return getmetatable(x) == PEMT end
   func.PE, func.isPE = P, isPE
   local function placeholder(idx) return P {op = 'X', repr = '_' .. idx, index = idx} end
   local function constant(idx) return P {op = 'X', repr = '_C' .. idx, index = idx} end
   func._1, func._2, func._3, func._4, func._5 =
      placeholder(1), placeholder(2), placeholder(3), placeholder(4), placeholder(5)
   func._0 = P {op = 'X', repr = '...', index = 0}
   -- Var('a, b'): free names written as they are (index 0); _(v): v written as it is
   function func.Var(names)
      local res = {}
      for _, name in ipairs(utils.split(names, '[%s,]+')) do
         res[#res + 1] = P {op = 'X', repr = name, index = 0}
      end
      return unpack(res)
   end
   function func._(value) return P {op = 'X', repr = value, index = 'wrap'} end
   func.Nil = func.Var 'nil'
   PEMT.__index = function(obj, key) return P {op = '[]', obj, key} end
   PEMT.__call = function(fn, ...) return P {op = '()', fn, ...} end
   PEMT.__tostring = function(e) return func.repr(e) end
   PEMT.__unm = function(x) return P {op = '-', x} end
   function func.Not(x) return P {op = 'not', x} end
   function func.Len(x) return P {op = '#', x} end
   local function binary(into, names)
      for name, op in pairs(names) do
         rawset(into, name, function(x, y) return P {op = op, x, y} end)
      end
   end
   binary(func, {And = 'and', Or = 'or', Eq = '==', Lt = '<', Gt = '>', Le = '<=', Ge = '>='})
   binary(PEMT, {__add = '+', __sub = '-', __mul = '*', __div = '/', __mod = '%',
                 __pow = '^', __concat = '..', __eq = '=='})
   -- import('math'): each function of that global table as a node-making function of the
   -- same name in context (_G by default); register(f, name) one such function
   local imported = {}
   function func.import(tname, context)
      utils.assert_arg(1, tname, 'string', function(n) return lua_type(_G[n]) == 'table' end,
                       'arg# 1: not a name of a global table')
      context = context or _G
      for name, fn in pairs(_G[tname]) do
         rawset(context, name, function(...) return P {op = '()', fn, ...} end)
         imported[fn] = name
      end
   end
   function func.register(fn, name)
      utils.assert_arg(1, fn, 'function')
      if name then
         utils.assert_arg(2, name, 'string')
         imported[fn] = name
      end
      return function(...) return P {op = '()', fn, ...} end
   end
   function func.lookup_imported_name(fn) return imported[fn] end
   local function pass(...) return ... end
   function func.Args(...) return P {op = '()', pass, ...} end
   -- operator precedence, for parentheses
   local precedence = {['or'] = 0, ['and'] = 1, ['=='] = 2, ['~='] = 2, ['<'] = 2, ['>'] = 2,
                       ['<='] = 2, ['>='] = 2, ['..'] = 3, ['+'] = 4, ['-'] = 6, ['*'] = 5,
                       ['/'] = 5, ['%'] = 5, ['not'] = 6, ['#'] = 6, ['^'] = 7}
   -- tail(t): t's elements after the first
   function func.tail(t)
      utils.assert_arg(1, t, 'table')
      local res = {}
      for i = 2, #t do res[#res + 1] = t[i] end
      return res
   end
   function func.repr(e, outer)
      if isPE(e) then
         local pred = precedence[e.op]
         local parts = {}
         for i = 1, #e do parts[i] = func.repr(rawget(e, i), pred) end
         if pred then
            if #parts == 1 then return e.op .. ' ' .. parts[1] end
            local s = concat(parts, ' ' .. e.op .. ' ')
            if outer and outer > pred then s = '(' .. s .. ')' end
            return s
         elseif e.op == '[]' then
            return parts[1] .. '[' .. parts[2] .. ']'
         elseif e.op == '()' then
            return (parts[1] or '') .. '(' .. concat(func.tail(parts), ',') .. ')'
         end
         return rawget(e, 'repr')
      elseif lua_type(e) == 'string' then
         return '"' .. e .. '"'
      elseif lua_type(e) == 'function' then
         return imported[e] or tostring(e)
      end
      return tostring(e)
   end
   -- collect_values(e, list): e's constants go to list (in e, _Cn takes each one's place);
   -- the answer is the highest placeholder index e uses
   function func.collect_values(e, list)
      if not isPE(e) then return 0 end
      if rawget(e, 'op') == 'X' then return rawget(e, 'index') end
      local m = 0
      for i = 1, #e do
         local x = rawget(e, i)
         local pe = isPE(x)
         if pe then
            if rawget(x, 'op') == 'X' and rawget(x, 'index') == 'wrap' then
               x, pe = rawget(x, 'repr'), false
            else
               m = math.max(m, func.collect_values(x, list))
            end
         end
         if not pe then
            list[#list + 1] = x
            rawset(e, i, constant(#list))
         end
      end
      return m
   end
   function func.instantiate(e)
      local values = {}
      local n = func.collect_values(e, values)
      local consts, parms = {}, {}
      for i = 1, #values do consts[i] = '_C' .. i end
      for i = 1, n do parms[i] = '_' .. i end
      local code = ('return function(%s) return function(%s) return %s end end'):format(
         concat(consts, ','), concat(parms, ','), func.repr(e))
      local maker, err = load(code, 'fun')
      if not maker then return nil, err end
      local fn = maker()(unpack(values, 1, #values))
      rawset(e, '__PE_function', fn)
      return fn
   end
   function func.I(e) return rawget(e, '__PE_function') or func.instantiate(e) end
   utils.add_function_factory(PEMT, func.I)
   func.bind1 = utils.bind1
   func.curry = func.bind1
   function func.compose(f, g)
      return function(...) return f(g(...)) end
   end
   -- bind(fn, ...): placeholders among the arguments are the new function's parameters
   -- (_0 its varargs), other values are fixed
   function func.bind(fn, ...)
      local n = select('#', ...)
      local args = {...}
      local holders, names, values, parms = {}, {'fn'}, {}, {}
      local top, varargs = 0, false
      for i = 1, n do
         local a = args[i]
         if isPE(a) and rawget(a, 'op') == 'X' then
            holders[#holders + 1] = rawget(a, 'repr')
            top = math.max(top, rawget(a, 'index'))
            if rawget(a, 'index') == 0 then varargs = true end
         else
            values[#values + 1] = a
            names[#names + 1] = '_v' .. #values
            holders[#holders + 1] = '_v' .. #values
         end
      end
      for i = 1, top do parms[i] = '_' .. i end
      if varargs then parms[#parms + 1] = '...' end
      local code = ('return function(%s) return function(%s) return fn(%s) end end'):format(
         concat(names, ','), concat(parms, ','), concat(holders, ','))
      return load(code)()(fn, unpack(values, 1, #values))
   end
   return func
end

-- pl.comprehension (Penlight 1.4.1, after David Manura's): list comprehensions written as
-- strings. 'EXPR for V [for V2 ...] [if COND ...]' where each for is 'V' (over the values of
-- the next argument table), 'V = a, b[, step]' or 'NAMES in EXPLIST'; the whole may be
-- wrapped in table(k, v ...), sum(...), min(...), max(...) (list otherwise). _1, _2...
-- name the call's leading arguments; the argument tables of the bare fors follow them.
-- comprehension.new(env) gives a callable cache of compiled comprehensions whose code runs
-- in env (the caller's environment by default).
function M.comprehension()
   local utils = require 'pl.utils'
   local lb = require 'pl.luabalanced'
   local ops = {
      list = {init = ' {} ', accum = ' __result[#__result+1] = (%s) '},
      table = {init = ' {} ', accum = ' local __k, __v = %s __result[__k] = __v '},
      sum = {init = ' 0 ', accum = ' __result = __result + (%s) '},
      min = {init = ' nil ', accum = ' local __tmp = %s  if __result then if __tmp < __result' ..
                                     ' then __result = __tmp end else __result = __tmp end '},
      max = {init = ' nil ', accum = ' local __tmp = %s  if __result then if __tmp > __result' ..
                                     ' then __result = __tmp end else __result = __tmp end '},
   }
   local function parse(expr)
      local pos, stop, opname = 1, #expr + 1, nil
      local name, inner = match(expr, '^%s*([%a_][%w_]*)%s*%(()')
      if name then
         local group, after = lb.match_bracketed(expr, inner - 1)
         assert(group, 'syntax error')
         if match(expr, '^%s*$', after) then
            opname, stop, pos = name, after - 1, inner
         end
      end
      opname = opname or 'list'
      local out
      out, pos = lb.match_explist(expr, pos)
      assert(out, 'syntax error: missing expression list')
      out = concat(out, ', ')
      local fortypes, vars, vals = {}, {}, {}
      while true do
         local after = match(expr, '^%s*for%s+()', pos)
         if not after then break end
         pos = after
         local names
         names, pos = lb.match_namelist(expr, pos)
         assert(#names > 0, 'syntax error: zero variables')
         for _, ident in ipairs(names) do
            assert(not match(ident, '^__'), 'identifier ' .. ident .. ' may not contain __ prefix')
         end
         vars[#vars + 1] = names
         local kind
         kind, after = match(expr, '^(=)%s*()', pos)
         if not kind then kind, after = match(expr, '^(in)%s+()', pos) end
         if kind then
            pos = after
            local list
            list, pos = lb.match_explist(expr, pos)
            assert(#list > 0, 'syntax error: zero expressions')
            assert(kind ~= '=' or #list == 2 or #list == 3,
                   'syntax error: numeric for requires 2 or three expressions')
            fortypes[#vars], vals[#vars] = kind, list
         else
            fortypes[#vars], vals[#vars] = false, false
         end
      end
      assert(#vars > 0, 'syntax error: missing "for" clause')
      local preds = {}
      while true do
         local after = match(expr, '^%s*if%s+()', pos)
         if not after then break end
         local pred
         pred, pos = lb.match_expression(expr, after)
         assert(pred, 'syntax error: predicated expression not found')
         preds[#preds + 1] = pred
      end
      -- the highest _n named in the code (strings and comments left out)
      local max_param = 0
      lb.gsub(expr, function(kind, text)
         if kind == 'e' then
            for word in text:gmatch('[%a_][%w_]*') do
               local n = match(word, '^_(%d+)$')
               if n then max_param = math.max(max_param, tonumber(n)) end
            end
         end
      end)
      if pos ~= stop then assert(false, 'syntax error: unrecognized ' .. sub(expr, pos)) end
      return out, fortypes, vars, vals, preds, opname, max_param
   end
   local function build(expr, env)
      local out, fortypes, vars, vals, preds, opname, max_param = parse(expr)
      local op = assert(ops[opname])
      local code = gsub(op.accum, '%%s', function() return out end)
      for i = #preds, 1, -1 do code = ' if ' .. preds[i] .. ' then ' .. code .. ' end ' end
      for i = #vars, 1, -1 do
         if fortypes[i] then
            code = ' for ' .. concat(vars[i], ', ') .. ' ' .. fortypes[i] .. ' ' ..
                   concat(vals[i], ', ') .. ' do ' .. code .. ' end '
         else
            local arr, idx = '__in' .. i, '__idx' .. i
            code = ' for ' .. idx .. ' = 1, #' .. arr .. ' do  local ' .. vars[i][1] .. ' = ' ..
                   arr .. '[' .. idx .. '] ' .. code .. ' end '
         end
      end
      code = ' local __result = ( ' .. op.init .. ' ) ' .. code
      local params = {}
      for i = 1, max_param do params[#params + 1] = '_' .. i end
      for i = 1, #vars do
         if not vals[i] then params[#params + 1] = '__in' .. i end
      end
      if #params > 0 then code = ' local ' .. concat(params, ', ') .. ' = ... ' .. code end
      code = code .. ' return __result '
      local f, err = load(code, 'tmp', 't', env)
      if not f then assert(false, err .. ' with generated code ' .. code) end
      return f
   end
   local function new(env)
      if not env then env = utils.getfenv(2) end
      local mt = {}
      local cache = setmetatable({}, mt)
      function mt:__index(expr)
         local f = build(expr, env)
         self[expr] = f
         return f
      end
      mt.__call = mt.__index
      cache.new = new
      return cache
   end
   return {new = new}
end

-- pl.permute (Penlight 1.4.1): the permutations of a list, in the order of a recursion that
-- swaps each of positions 1..n into place n and permutes the first n - 1 (swapping back after).
-- iter(a) yields a itself, rearranged in place, each time; table(a) collects copies.
function M.permute()
   local permute = {}
   local utils, tablex = require 'pl.utils', require 'pl.tablex'
   local function each(a, n, visit)
      if n == 0 then return visit(a) end
      for i = 1, n do
         a[n], a[i] = a[i], a[n]
         each(a, n - 1, visit)
         a[n], a[i] = a[i], a[n]
      end
   end
   function permute.iter(a)
      utils.assert_arg(1, a, 'table')
      local n = #a
      local co = coroutine.create(function() each(a, n, coroutine.yield) end)
      return function()
         local _, res = coroutine.resume(co)
         return res
      end
   end
   function permute.table(a)
      utils.assert_arg(1, a, 'table')
      local res = {}
      each(a, #a, function(t) res[#res + 1] = tablex.deepcopy(t) end)
      return res
   end
   return permute
end

return M
