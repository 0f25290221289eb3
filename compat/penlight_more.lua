-- The rest of Penlight's lazily loaded modules (pl.import_into's 31 names, Penlight 1.3-1.5, as
-- Torch7's th had them): written for torch7py after Penlight's documented behaviour. Each entry
-- builds its module once; modules reach each other (and penlight.lua's) through require.
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
   local SW = {}
   SW.__index = SW
   function SW:write(...)
      for i = 1, select('#', ...) do self.tbl[#self.tbl + 1] = tostring((select(i, ...))) end
   end
   function SW:writef(f, ...) self:write(fmt(f, ...)) end
   function SW:value() return concat(self.tbl) end
   function SW:close() return self:value() end
   function SW:seek() end
   local SR = {}
   SR.__index = SR
   local function read1(self, f)
      local s, i = self.str, self.i
      f = f or '*l'
      if lua_type(f) == 'number' then
         if i > #s then return nil end
         self.i = i + f
         return sub(s, i, i + f - 1)
      end
      f = gsub(f, '^%*', '')
      local c = sub(f, 1, 1)
      if c == 'a' then
         self.i = #s + 1
         return sub(s, i)
      end
      if i > #s then return nil end
      if c == 'n' then
         local b, e = find(s, '^%s*[%+%-]?[%d%.]+[eE]?[%+%-]?%d*', i)
         if not b then return nil end
         self.i = e + 1
         return tonumber(strip(sub(s, b, e)))
      end
      local nl = find(s, '\n', i, true)
      local line
      if nl then
         line = sub(s, i, c == 'L' and nl or nl - 1)
         self.i = nl + 1
      else
         line = sub(s, i)
         self.i = #s + 1
      end
      return line
   end
   function SR:read(...)
      local n = select('#', ...)
      if n == 0 then return read1(self) end
      local res = {}
      for k = 1, n do res[k] = read1(self, (select(k, ...))) end
      return unpack(res, 1, n)
   end
   function SR:readline() return read1(self, '*l') end
   function SR:lines(...)
      local args = {...}
      return function() return self:read(unpack(args)) end
   end
   function SR:seek(whence, offset)
      local base
      whence = whence or 'cur'
      offset = offset or 0
      if whence == 'set' then base = 1
      elseif whence == 'cur' then base = self.i
      else base = #self.str + 1 end
      self.i = base + offset
      return self.i - 1
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
   local Set = utils.stdmt.Set
   class(nil, nil, Set)
   Set._name = 'Set'
   local function makeset(t) return setmetatable(t, Set) end
   function Set:_init(t)
      t = t or {}
      local mt = getmetatable(t)
      if mt == Set or mt == utils.stdmt.Map then
         for k in pairs(t) do self[k] = true end
      else
         for _, v in ipairs(t) do self[v] = true end
      end
   end
   local function keys(s)
      local l = {}
      for k in pairs(s) do l[#l + 1] = k end
      return l
   end
   function Set.values(self) return require('pl.List')(keys(self)) end
   function Set:__tostring()
      return '[' .. concat(utils.array_tostring(keys(self)), ',') .. ']'
   end
   function Set.map(self, fn, ...)
      fn = utils.function_arg(1, fn)
      local res = {}
      for k in pairs(self) do res[fn(k, ...)] = true end
      return makeset(res)
   end
   function Set.union(self, set)
      local res = {}
      for k in pairs(self) do res[k] = true end
      for k in pairs(set) do res[k] = true end
      return makeset(res)
   end
   local function other(s) return getmetatable(s) == Set and s or Set({s}) end
   function Set.__add(a, b)
      if getmetatable(a) ~= Set then a, b = b, a end
      return Set.union(a, other(b))
   end
   function Set.intersection(self, set)
      local res = {}
      for k in pairs(self) do if set[k] then res[k] = true end end
      return makeset(res)
   end
   Set.__mul = Set.intersection
   function Set.difference(self, set)
      local res = {}
      for k in pairs(self) do if not set[k] then res[k] = true end end
      return makeset(res)
   end
   function Set.__sub(a, b) return Set.difference(a, other(b)) end
   function Set.symmetric_difference(self, set)
      return Set.union(Set.difference(self, set), Set.difference(set, self))
   end
   Set.__pow = Set.symmetric_difference
   function Set.issubset(self, set)
      for k in pairs(self) do if not set[k] then return false end end
      return true
   end
   Set.__lt = Set.issubset
   function Set.isempty(self) return next(self) == nil end
   function Set.isdisjoint(s1, s2) return Set.isempty(Set.intersection(s1, s2)) end
   function Set.len(s) return tablex.size(s) end
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
   local OrderedMap = class(Map)
   OrderedMap._name = 'OrderedMap'
   local rawset = rawset
   function OrderedMap:_init(t)
      rawset(self, '_keys', List())
      if t then
         local mt = getmetatable(t)
         if mt == OrderedMap or mt == Map then
            self:update(t)
         else
            for _, pair in ipairs(t) do
               local k, v = next(pair)
               self:set(k, v)
            end
         end
      end
   end
   function OrderedMap:update(t)
      if getmetatable(t) == OrderedMap then
         for _, k in ipairs(t._keys) do self:set(k, t[k]) end
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
   function OrderedMap:insert(pos, key, val)
      local old = rawget(self, key)
      if old ~= nil then self._keys:remove_value(key) end
      self._keys:insert(pos, key)
      rawset(self, key, val ~= nil and val or old)
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
   local List = require 'pl.List'
   local seq = {}
   local function default_iter(t)
      local i = 0
      return function() i = i + 1 return t[i] end
   end
   -- an iterator over the values of a table (in order), a function, or a file's lines
   local function iter(s)
      if lua_type(s) == 'table' then
         if getmetatable(s) and getmetatable(s).iter then return s:iter() end
         return default_iter(s)
      elseif lua_type(s) == 'string' then
         return s:gmatch('(%S+)')
      elseif lua_type(s) == 'userdata' and s.lines then
         return s:lines()
      end
      return s
   end
   seq.iter = iter
   function seq.list(t)
      local i = 0
      return function() i = i + 1 return t[i] end
   end
   function seq.keys(t)
      local k
      return function() k = next(t, k) return k end
   end
   function seq.range(start, finish)
      local i = start - 1
      return function()
         i = i + 1
         if i <= finish then return i end
      end
   end
   function seq.copy(s)
      local res = {}
      for v in iter(s) do res[#res + 1] = v end
      return List(res)
   end
   function seq.copy2(s, i1, i2)
      local res = {}
      for v1, v2 in iter(s, i1, i2) do res[#res + 1] = {v1, v2} end
      return res
   end
   function seq.copy_tuples(s)
      local res = {}
      local f = iter(s)
      while true do
         local t = {f()}
         if t[1] == nil then break end
         res[#res + 1] = t
      end
      return res
   end
   function seq.count(s, cond, arg)
      local n = 0
      cond = cond and utils.function_arg(2, cond)
      for v in iter(s) do if not cond or cond(v, arg) then n = n + 1 end end
      return n
   end
   function seq.sum(s, fn)
      local total, n = 0, 0
      for v in iter(s) do
         if fn then v = fn(v) end
         total, n = total + v, n + 1
      end
      return total, n
   end
   function seq.minmax(s)
      local lo, hi = math.huge, -math.huge
      for v in iter(s) do
         if v < lo then lo = v end
         if v > hi then hi = v end
      end
      return lo, hi
   end
   function seq.map(fn, s, arg)
      fn = utils.function_arg(1, fn)
      local f = iter(s)
      return function()
         local v1, v2 = f()
         if v1 == nil then return nil end
         return fn(v1, arg or v2)
      end
   end
   function seq.filter(s, pred, arg)
      pred = utils.function_arg(2, pred)
      local f = iter(s)
      return function()
         local v1, v2
         repeat
            v1, v2 = f()
         until v1 == nil or pred(v1, arg or v2)
         return v1, v2
      end
   end
   function seq.reduce(fn, s, init)
      fn = utils.function_arg(1, fn)
      local f = iter(s)
      local acc = init
      if acc == nil then acc = f() end
      for v in f do acc = fn(acc, v) end
      return acc
   end
   function seq.take(s, n)
      local f, i = iter(s), 0
      return function()
         i = i + 1
         if i <= n then return f() end
      end
   end
   function seq.skip(s, n)
      local f = iter(s)
      for _ = 1, n do if f() == nil then break end end
      return f
   end
   function seq.enum(s)
      local f, i = iter(s), 0
      return function()
         local a, b = f()
         if a == nil then return nil end
         i = i + 1
         return i, a, b
      end
   end
   function seq.last(s)
      local f = iter(s)
      local prev = f()
      return function()
         local cur = f()
         if cur == nil then return nil end
         local p = prev
         prev = cur
         return cur, p
      end
   end
   function seq.foreach(s, fn)
      fn = utils.function_arg(2, fn)
      for v in iter(s) do fn(v) end
   end
   function seq.unique(s, count)
      local t, res = {}, {}
      for v in iter(s) do
         if not t[v] then res[#res + 1] = v end
         t[v] = (t[v] or 0) + 1
      end
      if count then
         for i, v in ipairs(res) do res[i] = {v, t[v]} end
      else
         tsort(res)
      end
      return List(res)
   end
   function seq.count_map(s)
      local t = {}
      for v in iter(s) do put(t, v, (t[v] or 0) + 1) end
      return t
   end
   function seq.sort(s, comp)
      local l = seq.copy(s)
      tsort(l, comp)
      return seq.list(l)
   end
   function seq.zip(s1, s2)
      local f1, f2 = iter(s1), iter(s2)
      return function()
         local a, b = f1(), f2()
         if a == nil or b == nil then return nil end
         return a, b
      end
   end
   function seq.splice(s1, s2)
      local f1, f2 = iter(s1), iter(s2)
      local first = true
      return function()
         if first then
            local v = f1()
            if v ~= nil then return v end
            first = false
         end
         return f2()
      end
   end
   function seq.mapmethod(s, name, a1, a2)
      local f = iter(s)
      return function()
         local v = f()
         if v == nil then return nil end
         return v[name](v, a1, a2)
      end
   end
   function seq.matching(s)
      return function(v) return find(v, s) ~= nil end
   end
   function seq.greater_than(x) return function(v) return tonumber(v) > x end end
   function seq.less_than(x) return function(v) return tonumber(v) < x end end
   function seq.equal_to(x)
      if lua_type(x) == 'number' then return function(v) return tonumber(v) == x end end
      return function(v) return v == x end
   end
   function seq.random(n, l, u)
      local rand = math.random
      local f
      if l == nil then f = function() return rand() end
      elseif u == nil then f = function() return rand(l) end
      else f = function() return rand(l, u) end end
      return seq.take(f, n)
   end
   function seq.lines(f, ...)
      if lua_type(f) == 'string' then f = assert(io.open(f)) end
      f = f or io.stdin
      return f:lines(...)
   end
   function seq.printall(s, sep, nfields, f)
      local write = io.write
      sep = sep or ' '
      if not nfields then
         if sep == '\n' then nfields = 1e30 else nfields = 7 end
      end
      local i = 1
      for v in iter(s) do
         if f then v = f(v) end
         write(tostring(v))
         if i < nfields then write(sep) else write('\n'); i = 0 end
         i = i + 1
      end
      write('\n')
   end
   -- seq(s) wraps an iterator so these functions chain as methods: seq(t):map(f):copy()
   local SMT = {}
   local function wrap(f) return setmetatable({iter = f}, SMT) end
   SMT.__index = function(_, name)
      local fn = seq[name]
      if not fn then return nil end
      return function(self, ...)
         local res
         if name == 'map' then res = fn((...), self.iter, select(2, ...))
         elseif name == 'reduce' then res = fn((...), self.iter, select(2, ...))
         else res = fn(self.iter, ...) end
         if lua_type(res) == 'function' then return wrap(res) end
         return res
      end
   end
   SMT.__call = function(self) return self.iter() end
   setmetatable(seq, {__call = function(_, s) return wrap(iter(s)) end})
   return seq
end

-- pl.func: function composition and binding
function M.func()
   local utils = require 'pl.utils'
   local func = {}
   function func.compose(f, g)
      return function(...) return f(g(...)) end
   end
   function func.bind1(fn, p) return utils.bind1(fn, p) end
   function func.bind2(fn, p) return utils.bind2(fn, p) end
   -- bind(fn, a, b, ...): nil-free values fill the arguments before the call's own
   function func.bind(fn, ...)
      local bound = {n = select('#', ...), ...}
      return function(...)
         local args, n = {}, 0
         for i = 1, bound.n do n = n + 1; args[n] = bound[i] end
         for i = 1, select('#', ...) do n = n + 1; args[n] = (select(i, ...)) end
         return fn(unpack(args, 1, n))
      end
   end
   function func.curry(fn, p) return utils.bind1(fn, p) end
   function func.tail(fn) return function(_, ...) return fn(...) end end
   func.import = function(tname, ctx)
      ctx = ctx or _G
      local t = require(tname == nil and 'pl.func' or tname)
      for k, v in pairs(t) do ctx[k] = v end
   end
   return func
end

-- pl.app: the script's directory, argument parsing
function M.app()
   local path = require 'pl.path'
   local utils = require 'pl.utils'
   local app = {}
   local function script() return arg and arg[0] or '' end
   -- appfile(file): file in the directory ~/.<script name without extension>, made if
   -- missing (an error through utils.raise when it cannot be)
   function app.appfile(file)
      local name = path.splitext(path.basename(script()))
      local dir = path.join(path.expanduser('~'), '.' .. name)
      if not path.isdir(dir) then
         if not path.mkdir(dir) then return require('pl.utils').raise('cannot create ' .. dir) end
      end
      return path.join(dir, file)
   end
   function app.platform()
      if package.config:sub(1, 1) == '\\' then return 'Windows' end
      local uname = io.popen('uname -s')
      local s = uname and uname:read('*l') or 'Linux'
      if uname then uname:close() end
      if s == 'Darwin' then return 'OSX' end
      return s
   end
   function app.lua()
      local i = 0
      while arg and arg[i - 1] do i = i - 1 end
      return arg and arg[i] or 'luajit', i
   end
   function app.require_here(base)
      local p = path.dirname(path.abspath(script()))
      if base then p = path.join(p, base) end
      if not p:find('[/\\]$') then p = p .. '/' end
      package.path = p .. '?.lua;' .. p .. '?/init.lua;' .. package.path
      return p
   end
   app.quit = utils.quit
   -- -abc is three flags unless flags_with_values names a; --name=value, -n value, --name value
   -- (when named in flags_with_values); the rest are parameters
   -- parse_args(args, flags_with_values): Penlight 1.4.1's rules. flags_with_values is a
   -- set ({o = true}): such a flag takes the next argument (an error through utils.raise if
   -- there is none or it is a flag). Otherwise 'name=value' gives a value; a long flag
   -- (--name) is true; a short one of several letters is a letter and a number ('-n10',
   -- when a character is followed by digits) or several flags ('-abc'); '-' alone of one
   -- letter is true. The rest are the arguments, in order
   function app.parse_args(args, flags_with_values)
      if not args then
         args = _G.arg
         if not args then error "Not in a main program: 'arg' not found" end
      end
      flags_with_values = flags_with_values or {}
      local utils = require 'pl.utils'
      local params, flags = {}, {}
      local i = 1
      while i <= #args do
         local a = args[i]
         local v = match(a, '^-(.+)')
         if v then
            local long = find(v, '^-') ~= nil
            if long then v = sub(v, 2) end
            if flags_with_values[v] then
               if i == #args or find(args[i + 1], '^-') then
                  return utils.raise("no value for '" .. v .. "'")
               end
               flags[v] = args[i + 1]
               i = i + 1
            else
               local var, val = utils.splitv(v, '=')
               var = var or v
               val = val or true
               if not long and #var > 1 then
                  if find(var, '.%d+') then
                     val, var = sub(var, 2), sub(var, 1, 1)
                  else
                     for j = 1, #var do flags[sub(var, j, j)] = true end
                     val = nil
                  end
               end
               if val then flags[var] = val end
            end
         else
            params[#params + 1] = a
         end
         i = i + 1
      end
      return flags, params
   end
   return app
end

-- pl.config: INI-style files (sections, key = value, number and list values)
function M.config()
   local utils = require 'pl.utils'
   local config = {}
   function config.lines(file)
      local f, openf, err
      local pending = ''
      if lua_type(file) == 'string' then
         f, err = io.open(file, 'r')
         if not f then return nil, err end
         openf = true
      else
         f = file or io.stdin
         if not f.read then return nil, 'not a file-like object' end
      end
      return function()
         local l = f:read()
         while l do
            -- blank lines and ;/# comments are skipped; a trailing \ continues the line
            if find(l, '%S') and not find(l, '^%s*[;#]') then
               local i = find(l, '\\%s*$')
               if i then
                  pending = pending .. sub(l, 1, i - 1)
               elseif pending == '' then
                  return l
               else
                  l = pending .. l
                  pending = ''
                  return l
               end
            end
            l = f:read()
         end
         if openf then f:close() end
      end
   end
   local function split(s, re)
      local res, pos = {}, 1
      while true do
         local b, e = find(s, re, pos)
         if not b then break end
         res[#res + 1] = sub(s, pos, b - 1)
         pos = e + 1
      end
      res[#res + 1] = sub(s, pos)
      return res
   end
   local function strip_quotes(s)
      local q = sub(s, 1, 1)
      if (q == '"' or q == "'") and sub(s, -1) == q then return sub(s, 2, -2) end
      return s
   end
   function config.read(file, cnfg)
      local iter, err = config.lines(file)
      if not iter then return nil, err end
      local line = iter()
      cnfg = cnfg or {}
      local auto
      if cnfg.smart and line then
         auto = true
         if find(line, '^[^=]+=') then
            cnfg.keysep = '='
         elseif find(line, '^[^:]+:') then
            cnfg.keysep, cnfg.list_delim = ':', ':'
         elseif find(line, '^%S+%s+') then
            cnfg.keysep = ' '
            if find(line, '^%S+%s+%S+%s+%S+') then cnfg.list_delim = ' ' end
            cnfg.variabilize = false
         end
      end
      local function opt(name, default)
         local v = cnfg[name]
         if v == nil then return default end
         return v
      end
      local variabilize = opt('variabilize', true)
      local list_delim = opt('list_delim', ',')
      local convert_numbers = opt('convert_numbers', true)
      local convert_boolean = opt('convert_boolean', false)
      local trim_space = opt('trim_space', true)
      local trim_quotes = opt('trim_quotes', false)
      local ignore_assign = opt('ignore_assign', false)
      local keysep = opt('keysep', '=')
      local keypat = keysep == ' ' and '%s+' or '%s*' .. keysep .. '%s*'
      if list_delim == ' ' then list_delim = '%s+' end
      local function name_of(key)
         if variabilize then key = gsub(key, '[^%w]', '_') end
         return key
      end
      local function value_of(value)
         if list_delim and find(value, list_delim) then
            value = split(value, list_delim)
            for i, v in ipairs(value) do value[i] = value_of(v) end
         elseif convert_numbers and find(value, '^[%d%+%-]') then
            local v = tonumber(value)
            if not v and find(value, ' kB$') then
               value = gsub(value, ' kB', '')
               v = tonumber(value)
            end
            if v then value = v end
         elseif convert_boolean and value == 'true' then
            return true
         elseif convert_boolean and value == 'false' then
            return false
         end
         if lua_type(value) == 'string' then
            if trim_space then value = strip(value) end
            if not trim_quotes and auto and find(value, '^"') then trim_quotes = true end
            if trim_quotes then value = strip_quotes(value) end
         end
         return value
      end
      local t = {}
      local top = t
      while line do
         if find(line, '^%[') then
            local section = name_of(match(line, '%[([^%]]+)%]'))
            t = top
            put(t, section, {})
            t = t[section]
         else
            line = gsub(line, '^%s*', '')
            local i1, i2 = find(line, keypat)
            if i1 and not ignore_assign then
               put(t, name_of(sub(line, 1, i1 - 1)), value_of(sub(line, i2 + 1)))
            else
               t[#t + 1] = value_of(line)
            end
         end
         line = iter()
      end
      return top
   end
   local _ = utils
   return config
end

-- pl.input: iterators over the numbers, words and fields of a file's lines
function M.input()
   local utils = require 'pl.utils'
   local input = {}
   local function lines_of(f)
      if lua_type(f) == 'string' then
         local h = assert(io.open(f))
         return h:lines()
      end
      f = f or io.stdin
      if f.lines then return f:lines() end
      return f
   end
   function input.alltokens(getter, pattern, fn)
      local line = getter()
      local i = 1
      return function()
         while line do
            local b, e = find(line, pattern, i)
            if b then
               i = e + 1
               local tok = sub(line, b, e)
               if fn then tok = fn(tok) end
               return tok
            end
            line, i = getter(), 1
         end
      end
   end
   function input.create_getter(f)
      if lua_type(f) == 'string' then
         local stringio = require 'pl.stringio'
         local s = stringio.open(f)
         return function() return s:read() end
      end
      f = f or io.stdin
      return function() return f:read() end
   end
   local numpat = '[%+%-]?%d*%.?%d+[eE]?[%+%-]?%d*'
   function input.numbers(f)
      return input.alltokens(lines_of(f), numpat, tonumber)
   end
   function input.words(f)
      return input.alltokens(lines_of(f), '%a+')
   end
   -- fields(ids, delim, f, opts): per line, the fields numbered in ids (a count: the first n),
   -- numbers converted unless opts.no_convert; delim default whitespace
   function input.fields(ids, delim, f, opts)
      local sep = delim or '%s+'
      local getter = lines_of(f)
      opts = opts or {}
      local convert = not opts.no_convert
      local wanted
      if lua_type(ids) == 'number' then
         wanted = {}
         for i = 1, ids do wanted[i] = i end
      else
         wanted = ids
      end
      return function()
         while true do
            local line = getter()
            if not line then return nil end
            if find(line, '%S') then
               local parts = utils.split(strip(line), sep, delim ~= nil and not find(sep, '%%'))
               local res = {}
               for i, idx in ipairs(wanted) do
                  local v = parts[idx]
                  if convert and v then v = tonumber(v) or v end
                  res[i] = v
               end
               return unpack(res, 1, #wanted)
            end
         end
      end
   end
   return input
end

-- pl.array2d: 2D tables (lists of rows)
function M.array2d()
   local utils = require 'pl.utils'
   local List = require 'pl.List'
   local array2d = {}
   local function obj(a, t) return setmetatable(t, getmetatable(a)) end
   function array2d.size(t) return #t, #(t[1] or {}) end
   function array2d.new(rows, cols, val)
      local res = {}
      local fun = utils.is_callable(val)
      for i = 1, rows do
         local row = {}
         for j = 1, cols do row[j] = fun and val(i, j) or val end
         res[i] = row
      end
      return res
   end
   function array2d.column(a, key)
      local res = List()
      for i = 1, #a do res[i] = a[i][key] end
      return res
   end
   function array2d.map(f, a, arg)
      local res = {}
      for i = 1, #a do
         local row = {}
         for j = 1, #a[i] do row[j] = f(a[i][j], arg) end
         res[i] = List(row)
      end
      return obj(a, res)
   end
   function array2d.reduce_rows(f, a)
      local res = List()
      for i = 1, #a do res[i] = List(a[i]):reduce(f) end
      return res
   end
   function array2d.reduce_cols(f, a)
      local res = List()
      for j = 1, #(a[1] or {}) do res[j] = array2d.column(a, j):reduce(f) end
      return res
   end
   function array2d.reduce2(opc, opr, a)
      return array2d.reduce_rows(opr, a):reduce(opc)
   end
   function array2d.map2(f, ad, bd, a, b, arg)
      local res = {}
      for i = 1, #a do
         local row = {}
         local ra = ad == 1 and a[i] or a
         local rb = bd == 1 and b[i] or b
         if ad == 1 and bd == 1 then
            for j = 1, #ra do row[j] = f(ra[j], rb[j], arg) end
         elseif ad == 1 then
            for j = 1, #ra do row[j] = f(ra[j], rb[j], arg) end
         else
            for j = 1, #rb do row[j] = f(ra[j], rb[j], arg) end
         end
         res[i] = row
      end
      return res
   end
   function array2d.flatten(t)
      local res = List()
      for i = 1, #t do for j = 1, #t[i] do res[#res + 1] = t[i][j] end end
      return res
   end
   function array2d.transpose(t)
      local rows, cols = array2d.size(t)
      local res = {}
      for j = 1, cols do
         res[j] = {}
         for i = 1, rows do res[j][i] = t[i][j] end
      end
      return res
   end
   function array2d.slice(t, i1, j1, i2, j2)
      local rows, cols = array2d.size(t)
      i1, j1, i2, j2 = i1 or 1, j1 or 1, i2 or rows, j2 or cols
      local res = {}
      for i = i1, i2 do
         local row = {}
         for j = j1, j2 do row[#row + 1] = t[i][j] end
         res[#res + 1] = row
      end
      if i1 == i2 then return res[1] end
      return res
   end
   function array2d.iter(a, indices)
      local i, j = 1, 0
      return function()
         j = j + 1
         if a[i] and j > #a[i] then i, j = i + 1, 1 end
         if not a[i] then return nil end
         if indices then return i, j, a[i][j] end
         return a[i][j]
      end
   end
   function array2d.columns(a)
      local j = 0
      return function()
         j = j + 1
         if j <= #(a[1] or {}) then return array2d.column(a, j) end
      end
   end
   function array2d.write(a, f, fmt_, i1, j1, i2, j2)
      f = f or io.stdout
      local rows, cols = array2d.size(a)
      i1, j1, i2, j2 = i1 or 1, j1 or 1, i2 or rows, j2 or cols
      for i = i1, i2 do
         local parts = {}
         for j = j1, j2 do
            parts[#parts + 1] = fmt_ and fmt(fmt_, a[i][j]) or tostring(a[i][j])
         end
         f:write(concat(parts, ' '), '\n')
      end
   end
   function array2d.swap_rows(t, i1, i2) t[i1], t[i2] = t[i2], t[i1] end
   function array2d.swap_cols(t, j1, j2)
      for i = 1, #t do t[i][j1], t[i][j2] = t[i][j2], t[i][j1] end
   end
   function array2d.extract_rows(t, ridx)
      local res = {}
      for i, r in ipairs(ridx) do res[i] = t[r] end
      return obj(t, res)
   end
   function array2d.extract_cols(t, cidx)
      local res = {}
      for i = 1, #t do
         local row = {}
         for k, c in ipairs(cidx) do row[k] = t[i][c] end
         res[i] = row
      end
      return obj(t, res)
   end
   function array2d.remove_row(t, i) table.remove(t, i) end
   function array2d.remove_col(t, j)
      for i = 1, #t do table.remove(t[i], j) end
   end
   function array2d.parse_range(s)
      local function col(c) return c:upper():byte() - 64 end
      local a, b, c, d = match(s, '^(%a)(%d+):(%a)(%d+)$')
      if a then return tonumber(b), col(a), tonumber(d), col(c) end
      a, b = match(s, '^(%a)(%d+)$')
      if a then return tonumber(b), col(a) end
      a, b, c, d = match(s, '^R(%d+)C(%d+):R(%d+)C(%d+)$')
      if a then return tonumber(a), tonumber(b), tonumber(c), tonumber(d) end
      a, b = match(s, '^R(%d+)C(%d+)$')
      if a then return tonumber(a), tonumber(b) end
   end
   function array2d.range(t, rstr) return array2d.slice(t, array2d.parse_range(rstr)) end
   return array2d
end

-- pl.test: assertions that report the caller's line
function M.test()
   local tablex = require 'pl.tablex'
   local pretty = require 'pl.pretty'
   local test = {}
   test.error_handler = function(file, line, got_text, needed_text, msg)
      local err = io.stderr
      err:write(file .. ':' .. line .. ': assertion failed\n')
      err:write('got:\t', got_text, '\n')
      err:write('needed:\t', needed_text, '\n')
      local _ = msg
      os.exit(1)
   end
   local function complain(x, y, msg, where)
      local info = debug.getinfo((where or 1) + 2, 'Sl')
      local function str(v)
         if lua_type(v) == 'table' then return pretty.write(v, ' ', true) end
         if lua_type(v) == 'string' then return "'" .. v .. "'" end
         return tostring(v)
      end
      test.error_handler(info.short_src, info.currentline, str(x), str(y), msg)
   end
   test.complain = complain
   function test.asserteq(x, y, eps, where)
      local ok
      if lua_type(x) == 'table' and lua_type(y) == 'table' then
         ok = tablex.deepcompare(x, y, true, eps)
      elseif eps and lua_type(x) == 'number' and lua_type(y) == 'number' then
         ok = math.abs(x - y) <= eps
      else
         ok = x == y
      end
      if not ok then complain(x, y, nil, where) end
   end
   function test.assertmatch(s1, s2, where)
      if not find(s1, s2) then complain(s1, s2, 'these strings did not match', where) end
   end
   function test.assertraise(fn, e, where)
      local ok, err
      if lua_type(fn) == 'table' then
         ok, err = pcall(unpack(fn))
      else
         ok, err = pcall(fn)
      end
      if ok or not find(tostring(err), e, 1, true) then
         complain(err, e, 'these errors did not match', where)
      end
   end
   function test.asserteq2(x1, x2, y1, y2, where)
      if x1 ~= y1 then complain(x1, y1, nil, where) end
      if x2 ~= y2 then complain(x2, y2, nil, where) end
   end
   local tuple_mt = {__tostring = function(self)
      local parts = {}
      for i = 1, self.n do parts[i] = tostring(self[i]) end
      return '(' .. concat(parts, ',') .. ')'
   end, __eq = function(a, b)
      if a.n ~= b.n then return false end
      for i = 1, a.n do if a[i] ~= b[i] then return false end end
      return true
   end}
   function test.tuple(...)
      return setmetatable({n = select('#', ...), ...}, tuple_mt)
   end
   function test.timer(msg, n, fun, ...)
      local start = os.clock()
      for _ = 1, n do fun(...) end
      io.stdout:write(msg, ': ', tostring(os.clock() - start), ' sec\n')
   end
   return test
end

-- pl.Date: a time (os.time's seconds) with field access and arithmetic
function M.Date()
   local class = require 'pl.class'
   local Date = class()
   Date._name = 'Date'
   local os_date, os_time = os.date, os.time
   -- Date(), Date(time), Date(table), Date(year, month, day, hour, min, sec)
   function Date:_init(t, ...)
      local time
      local nargs = select('#', ...)
      if nargs > 0 then
         local m, d, h, mi, s = ...
         time = os_time({year = t, month = m, day = d, hour = h or 12, min = mi or 0,
                         sec = s or 0})
      elseif t == nil then
         time = os_time()
      elseif lua_type(t) == 'number' then
         time = t
      elseif lua_type(t) == 'table' then
         if getmetatable(t) == Date then
            time = t.time
         else
            local c = {year = t.year, month = t.month or 1, day = t.day or 1,
                       hour = t.hour or 12, min = t.min or 0, sec = t.sec or 0}
            time = os_time(c)
         end
      else
         error('bad type for Date constructor: ' .. lua_type(t), 2)
      end
      self:set(time)
   end
   function Date:set(t)
      self.time = t
      self.tab = os_date(self.utc and '!*t' or '*t', t)
   end
   function Date:toUTC()
      local d = Date(self.time)
      d.utc = true
      d:set(self.time)
      return d
   end
   function Date:toLocal()
      local d = Date(self.time)
      return d
   end
   for _, f in ipairs({'year', 'month', 'day', 'hour', 'min', 'sec', 'yday'}) do
      Date[f] = function(self, val)
         if val then
            local tab = {}
            for k, v in pairs(self.tab) do tab[k] = v end
            tab[f] = val
            tab.isdst = nil
            self:set(os_time(tab))
            return self
         end
         return self.tab[f]
      end
   end
   function Date:weekday_name(full)
      return os_date(full and '%A' or '%a', self.time)
   end
   function Date:month_name(full)
      return os_date(full and '%B' or '%b', self.time)
   end
   function Date:is_weekend() return self.tab.wday == 1 or self.tab.wday == 7 end
   function Date:add(t)
      local tab = {}
      for k, v in pairs(self.tab) do tab[k] = v end
      tab.isdst = nil
      for k, v in pairs(t) do tab[k] = (tab[k] or 0) + v end
      self:set(os_time(tab))
      return self
   end
   function Date:last_day()
      local d = 28
      local m = self.tab.month
      while os_date('*t', os_time({year = self.tab.year, month = m, day = d + 1,
                                   hour = 12})).month == m do
         d = d + 1
      end
      return self:day(d)
   end
   function Date:diff(other) return Date.Interval(self.time - other.time) end
   function Date.__sub(a, b) return a:diff(b) end
   function Date.__lt(a, b) return a.time < b.time end
   function Date.__eq(a, b) return a.time == b.time end
   function Date:__tostring()
      local fmt_ = '%Y-%m-%d %H:%M:%S'
      if self.utc then fmt_ = '!' .. fmt_ end
      return os_date(fmt_, self.time)
   end
   Date.Interval = class(Date)
   Date.Interval._name = 'Interval'
   function Date.Interval:_init(t)
      self:set(t)
   end
   function Date.Interval:set(t)
      self.time = t
      self.tab = os_date('!*t', t)
   end
   function Date.Interval:__tostring()
      local t, tab = self.time, self.tab
      if t < 60 then return t .. ' sec ' end
      local parts = {}
      local y = tab.year - 1970
      if y > 0 then parts[#parts + 1] = y .. ' years' end
      if tab.month > 1 then parts[#parts + 1] = (tab.month - 1) .. ' months' end
      if tab.day > 1 then parts[#parts + 1] = (tab.day - 1) .. ' days' end
      if tab.hour > 0 then parts[#parts + 1] = tab.hour .. ' hours' end
      if tab.min > 0 then parts[#parts + 1] = tab.min .. ' min ' end
      if tab.sec > 0 then parts[#parts + 1] = tab.sec .. ' sec ' end
      return concat(parts, ' ')
   end
   -- Date.Format('yyyy-mm-dd HH:MM:SS'): parse and format dates in that layout
   local Format = class()
   Date.Format = Format
   Format._name = 'Format'
   local fields = {yyyy = {'year', '%Y', '(%d%d%d%d)'}, yy = {'year', '%y', '(%d%d)'},
                   mm = {'month', '%m', '(%d%d?)'}, dd = {'day', '%d', '(%d%d?)'},
                   HH = {'hour', '%H', '(%d%d?)'}, MM = {'min', '%M', '(%d%d?)'},
                   SS = {'sec', '%S', '(%d%d?)'}}
   function Format:_init(f)
      f = f or 'yyyy-mm-dd'
      local outf, pat, names = f, '^' .. gsub(f, '[%-%.%(%)%%%+%*%?%[%]%^%$]', '%%%0'), {}
      for _, key in ipairs({'yyyy', 'yy', 'mm', 'dd', 'HH', 'MM', 'SS'}) do
         local spec = fields[key]
         local pos = find(f, key, 1, true)
         if pos and not (key == 'yy' and find(f, 'yyyy', 1, true)) then
            names[#names + 1] = {pos, spec[1]}
            outf = gsub(outf, key, '%' .. spec[2], 1)
            pat = gsub(pat, key, (gsub(spec[3], '%%', '%%%%')), 1)
         end
      end
      tsort(names, function(a, b) return a[1] < b[1] end)
      self.outf, self.pat, self.names = outf, pat, names
   end
   function Format:parse(str)
      local caps = {match(str, self.pat)}
      if #caps == 0 then return nil, "date parse: '" .. str .. "' does not match" end
      local tab = {}
      for i, n in ipairs(self.names) do tab[n[2]] = tonumber(caps[i]) end
      if tab.year and tab.year < 100 then tab.year = tab.year + 2000 end
      return Date(tab)
   end
   function Format:tostring(d)
      if lua_type(d) == 'number' then d = Date(d) end
      return os_date(self.outf, d.time)
   end
   return Date
end

-- pl.sip: scanf-like patterns ($d integer, $f number, $v identifier, $s non-space, $q quoted,
-- $r rest of the line, $x hex, $( ... ) etc.; $v{name} names a capture; spaces match spaces)
function M.sip()
   local sip = {}
   local types = {d = {'([%+%-]?%d+)', tonumber}, i = {'([%+%-]?%d+)', tonumber},
                  f = {'([%+%-]?%d*%.?%d+[eE]?[%+%-]?%d*)', tonumber},
                  x = {'(0x%x+)', tonumber}, v = {'([%a_][%w_]*)'}, s = {'(%S+)'},
                  r = {'(.*)'}, q = {}, p = {'([%a%d%.%-_/]+)'},
                  a = {'([%a]+)'}, l = {'(%a+)'}}
   local function escape(s) return (gsub(s, '[%-%.%+%[%]%(%)%^%%%?%*]', '%%%0')) end
   -- the Lua pattern for spec, and per capture {name or false, converter, skip}
   function sip.create_pattern(spec, options)
      options = options or {}
      local caps, pat, pos = {}, {}, 1
      while pos <= #spec do
         local b, e, t, name = find(spec, '%$(%a)(%b{})', pos)
         local b2, e2, t2 = find(spec, '%$(%a)', pos)
         if b2 and (not b or b2 < b) then b, e, t, name = b2, e2, t2, nil end
         if not b then
            pat[#pat + 1] = escape(sub(spec, pos))
            break
         end
         pat[#pat + 1] = escape(sub(spec, pos, b - 1))
         local ty = types[t]
         if not ty then error('unknown sip type $' .. t, 2) end
         name = name and sub(name, 2, -2) or false
         if t == 'q' then
            caps[#caps + 1] = {false, nil, true}
            pat[#pat + 1] = '(["\'])(.-)%' .. #caps
            caps[#caps + 1] = {name}
         else
            pat[#pat + 1] = ty[1]
            caps[#caps + 1] = {name, ty[2]}
         end
         pos = e + 1
      end
      local p = gsub(concat(pat), '%s+', options.ws or '%%s*')
      p = '^' .. p
      if not options.anywhere then p = p .. '$' end
      return p, caps
   end
   function sip.compile(spec, options)
      local p, caps = sip.create_pattern(spec, options)
      return function(line, res)
         local got = {match(line, p)}
         if #got == 0 then return false end
         res = res or {}
         local k = 0
         for i, c in ipairs(caps) do
            if not c[3] then
               local v = got[i]
               if c[2] then v = c[2](v) end
               if c[1] then
                  res[c[1]] = v
               else
                  k = k + 1
                  res[k] = v
               end
            end
         end
         return true
      end, p
   end
   function sip.match(spec, line, res, options)
      local f = sip.compile(spec, options)
      return f(line, res)
   end
   function sip.match_at_start(spec, line, res)
      return sip.match(spec, line, res, {anywhere = true})
   end
   function sip.fields(spec, f)
      local matcher = sip.compile(spec)
      local lines = f and f:lines() or io.lines()
      return function()
         for line in lines do
            local res = {}
            if matcher(line, res) then return unpack(res) end
         end
      end
   end
   return sip
end

-- pl.lexer (Penlight 1.4.1): a string (or a file-like object's lines) as a stream of (type,
-- value) tokens. Every scanner is lexer.scan's coroutine over {pattern, action} pairs; an
-- action yields its token (Penlight's dump functions). The defaults are Penlight's: options
-- {number = true, string = true} (numbers converted with tonumber, strings and chars without
-- their quotes, long strings without their brackets and first newline); filter {space = true}
-- for scan, {space = true, comments = true} for lexer.lua and lexer.cpp (only those two
-- names mean anything: they skip the space and comment actions). Comments come as
-- 'comment'; a Lua line comment runs to its newline, included. lexer.lineno(tok) asks the
-- coroutine (tok(0)) for its line; after the end the iterator keeps answering nothing.
function M.lexer()
   local lexer = {}
   local yield, wrap = coroutine.yield, coroutine.wrap
   local lua_keyword = {}
   for w in ([[and break do else elseif end false for function if in local nil not or
              repeat return then true until while]]):gmatch('%a+') do lua_keyword[w] = true end
   local cpp_keyword = {}
   for w in ([[class break do sizeof else continue struct false for public void private
              protected goto if static const typedef enum char int bool long float true
              delete double while new namespace try catch switch case extern return default
              unsigned signed union volatile register short]]):gmatch('%a+') do
      cpp_keyword[w] = true
   end
   lexer.get_keywords = function() return lua_keyword end
   -- the actions: each yields (type, value) and hands back what the reader resumes it with
   local function as_itself(tok) return yield(tok, tok) end
   local function number(tok, options)
      if options and options.number then tok = tonumber(tok) end
      return yield('number', tok)
   end
   local function quoted(kind)
      return function(tok, options)
         if options and options.string then tok = sub(tok, 2, -2) end
         return yield(kind, tok)
      end
   end
   local str, char = quoted('string'), quoted('char')
   local function longstr(tok, options, found_at)
      if options and options.string then
         local n = 3 + #(found_at[3] or '')
         tok = sub(tok, n, -n)
         if sub(tok, 1, 1) == '\n' then tok = sub(tok, 2) end
      end
      return yield('string', tok)
   end
   local function comment(tok) return yield('comment', tok) end
   local function space(tok) return yield('space', tok) end
   local function prepro(tok) return yield('prepro', tok) end
   local function ident(keywords)
      return function(tok)
         if keywords ~= nil and keywords[tok] then return yield('keyword', tok) end
         return yield('iden', tok)
      end
   end
   -- the patterns: a quoted string is '' or "" empty, quote backslashes backslashes quote,
   -- or quote ... a character that is no backslash, an even run of backslashes, quote
   local SPACE, IDEN, HEX = '^%s+', '^[%a_][%w_]*', '^0x[%da-fA-F]+'
   local SNUM_E, SNUM = '^[%+%-]?%d+%.?%d*[eE][%+%-]?%d+', '^[%+%-]?%d+%.?%d*'
   local NUM_E, NUM = '^%d+%.?%d*[eE][%+%-]?%d+', '^%d+%.?%d*'
   local STRINGS = {"^(['\"])%1", [[^(['"])(\*)%2%1]], [[^(['"]).-[^\](\*)%2%1]]}
   local CHARS = {"^''", [[^'(\*)%1']], [[^'.-[^\](\*)%1']]}
   local function with_strings(list, pats, action)
      for _, pat in ipairs(pats) do list[#list + 1] = {pat, action} end
      return list
   end
   local plain = with_strings({{SPACE, space}, {HEX, number}, {IDEN, ident(nil)},
                               {SNUM_E, number}, {SNUM, number}}, STRINGS, str)
   plain[#plain + 1] = {'^.', as_itself}
   local lua_matches = with_strings({{SPACE, space}, {HEX, number}, {IDEN, ident(lua_keyword)},
                                     {NUM_E, number}, {NUM, number}}, STRINGS, str)
   for _, m in ipairs({{'^%-%-%[(=*)%[.-%]%1%]', comment}, {'^%-%-.-\n', comment},
                       {'^%[(=*)%[.-%]%1%]', longstr}, {'^==', as_itself}, {'^~=', as_itself},
                       {'^<=', as_itself}, {'^>=', as_itself}, {'^%.%.%.', as_itself},
                       {'^%.%.', as_itself}, {'^.', as_itself}}) do
      lua_matches[#lua_matches + 1] = m
   end
   local cpp_matches = {{SPACE, space}, {'^#.-[^\\]\n', prepro}, {HEX, number},
                        {IDEN, ident(cpp_keyword)}, {NUM_E, number}, {NUM, number}}
   with_strings(cpp_matches, CHARS, char)
   with_strings(cpp_matches, STRINGS, str)
   for _, op in ipairs({'^//.-\n', '^/%*.-%*/'}) do cpp_matches[#cpp_matches + 1] = {op, comment} end
   for _, op in ipairs({'^==', '^!=', '^<=', '^>=', '^->', '^&&', '^||', '^%+%+', '^%-%-',
                        '^%+=', '^%-=', '^%*=', '^/=', '^|=', '^%^=', '^::', '^.'}) do
      cpp_matches[#cpp_matches + 1] = {op, as_itself}
   end

   -- Penlight's scan with a script's matches as well: each action runs inside the coroutine
   -- as action(token, options, find's results) and yields the token itself (neuralconvo's tokenizer:
   -- `return coroutine.yield('word', token)`); an action the filter holds is skipped; what
   -- the reader resumes it with is a request: a table result yields '' and its {type, value}
   -- pairs, a string is a pattern whose match from there is yielded as ('', match), a number
   -- asks for (line, position)
   function lexer.scan(s, matches, filter, options)
      local file = lua_type(s) ~= 'string' and s
      filter = filter or {space = true}
      options = options or {number = true, string = true}
      if filter.space then filter[space] = true end
      if filter.comments then filter[comment] = true end
      matches = matches or plain
      return wrap(function(first)
         local line, idx = 0, 1
         local sz = file and 0 or #s
         local pending = file and file:read()
         local function serve(res)
            while res do
               local t = lua_type(res)
               if t == 'table' then
                  yield('', '')
                  for _, p in ipairs(res) do yield(p[1], p[2]) end
                  res = nil
               elseif t == 'string' then
                  local b, e = find(s, res, idx)
                  if b then
                     idx = e + 1
                     res = yield('', sub(s, b, e))
                  else
                     idx = sz + 1
                     res = yield('', '')
                  end
               else
                  res = yield(line, idx)
               end
            end
         end
         serve(first)
         if not file then line = 1 end
         while true do
            if idx > sz then
               if not (file and pending) then
                  while true do serve(yield()) end
               end
               s, line = pending, line + 1
               pending = file:read()
               if pending then s = s .. '\n' end
               idx, sz = 1, #s
            end
            local found = false
            for _, m in ipairs(matches) do
               local found_at = {find(s, m[1], idx)}
               local b, e = found_at[1], found_at[2]
               if b then
                  found = true
                  local tok = sub(s, b, e)
                  idx = e + 1
                  local res
                  if not filter[m[2]] then
                     lexer.finished = idx > sz
                     res = m[2](tok, options, found_at)
                  end
                  if not file then
                     for _ in tok:gmatch('\n') do line = line + 1 end
                  end
                  serve(res)
                  break
               end
            end
            if not found then return end
         end
      end)
   end
   function lexer.lua(s, filter, options)
      return lexer.scan(s, lua_matches, filter or {space = true, comments = true}, options)
   end
   function lexer.cpp(s, filter, options)
      return lexer.scan(s, cpp_matches, filter or {space = true, comments = true}, options)
   end
   function lexer.lineno(tok) return tok(0) end
   function lexer.getline(tok)
      local _, v = tok('.-\n')
      return v
   end
   function lexer.getrest(tok)
      local _, v = tok('.+')
      return v
   end
   function lexer.skipws(tok)
      local t, v = tok()
      while t == 'space' do t, v = tok() end
      return t, v
   end
   function lexer.expecting(tok, expected_type, no_skip_ws)
      local t, v
      if no_skip_ws then t, v = tok() else t, v = lexer.skipws(tok) end
      if t ~= expected_type then error('expecting ' .. expected_type, 2) end
      return v
   end
   function lexer.get_separated_list(tok, endtoken, delim)
      endtoken, delim = endtoken or ')', delim or ','
      local parms, cur = {}, {}
      while true do
         local t, v = tok()
         if not t or t == endtoken then break end
         if t == delim then
            parms[#parms + 1] = cur
            cur = {}
         else
            cur[#cur + 1] = {t, v}
         end
      end
      if #cur > 0 then parms[#parms + 1] = cur end
      return parms
   end
   return lexer
end

-- pl.comprehension: list comprehensions written as strings, 'x^2 for x' or
-- 'x for x=1,10 if x%2==0' or 'x for _, x in ipairs(_1)'; the result takes the arguments _1..
function M.comprehension()
   local comprehension = {}
   -- 'body for vars in explist [if cond]', 'body for v=a,b [if cond]', or 'body for v [if cond]'
   -- (v over the values of the first argument)
   local function compile(expr)
      local body, rest = match(expr, '^%s*(.-)%s+for%s+(.+)$')
      if not body then error('cannot parse comprehension: ' .. expr, 3) end
      local loop, cond = match(rest, '^(.-)%s+if%s+(.+)$')
      loop = loop or rest
      if not find(loop, '=') and not find(loop, '%sin%s') then
         loop = '_, ' .. strip(loop) .. ' in ipairs(_1)'
      end
      local src = 'local _1, _2, _3, _4, _5 = ...\nlocal res = {}\nfor ' .. loop .. ' do\n'
         .. (cond and ('if ' .. cond .. ' then ') or '') .. 'res[#res + 1] = (' .. body .. ')'
         .. (cond and ' end' or '') .. '\nend\nreturn res'
      local f, err = loadstring(src, 'comprehension')
      if not f then error(err, 3) end
      return f
   end
   function comprehension.new()
      local cache = {}
      return function(expr)
         local f = cache[expr]
         if not f then
            f = compile(expr)
            cache[expr] = f
         end
         return f
      end
   end
   return comprehension
end

-- pl.xml: parse XML text into LOM tables ({tag = name, attr = {...}, child, ...}) and back
function M.xml()
   local xml = {}
   local Doc = {}
   Doc.__index = Doc
   local function unescape(s)
      return (gsub(gsub(gsub(gsub(gsub(s, '&lt;', '<'), '&gt;', '>'), '&quot;', '"'),
                        '&apos;', "'"), '&amp;', '&'))
   end
   local function escape(s)
      return (gsub(gsub(gsub(gsub(s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'))
   end
   function xml.new(tag, attr)
      local doc = setmetatable({tag = tag, attr = attr or {}}, Doc)
      return doc
   end
   xml.elem = function(tag, items)
      local e = xml.new(tag)
      if lua_type(items) == 'string' then items = {items} end
      for k, v in pairs(items or {}) do
         if lua_type(k) == 'number' then e[#e + 1] = v else e.attr[k] = v end
      end
      return e
   end
   function xml.basic_parse(s, all_text)
      local stack, top = {}, {}
      stack[1] = top
      local i = 1
      while true do
         local b, e, close, tag, attrs, empty = find(s, '<(%/?)([%w_:%-%.]+)(.-)(%/?)>', i)
         if not b then break end
         local text = sub(s, i, b - 1)
         if all_text or find(text, '%S') then top[#top + 1] = unescape(text) end
         if close == '' then
            local el = xml.new(tag)
            gsub(attrs, '([%w_:%-]+)%s*=%s*(["\'])(.-)%2', function(k, _, v)
               put(el.attr, k, unescape(v))
            end)
            if empty == '/' then
               top[#top + 1] = el
            else
               stack[#stack + 1] = el
               top = el
            end
         else
            local el = table.remove(stack)
            if #stack == 0 then return nil, 'unmatched </' .. tag .. '>' end
            top = stack[#stack]
            if el.tag ~= tag then return nil, 'trying to close ' .. el.tag .. ' with ' .. tag end
            top[#top + 1] = el
         end
         i = e + 1
      end
      if #stack > 1 then return nil, 'unclosed ' .. stack[#stack].tag end
      for _, v in ipairs(stack[1]) do
         if lua_type(v) == 'table' then return v end
      end
      return nil, 'no element found'
   end
   function xml.parse(text_or_file, is_file, use_basic)
      local s = text_or_file
      if is_file then
         local f, err = io.open(text_or_file)
         if not f then return nil, err end
         s = f:read('*a')
         f:close()
      end
      s = gsub(gsub(gsub(s, '<%?.-%?>', ''), '<!%-%-.-%-%->', ''), '<!.->', '')
      local _ = use_basic
      return xml.basic_parse(s)
   end
   function xml.is_tag(d) return lua_type(d) == 'table' and lua_type(d.tag) == 'string' end
   local function tostr(d, idn, indent)
      if lua_type(d) ~= 'table' then return escape(tostring(d)) end
      local parts = {'<' .. d.tag}
      local keys = {}
      for k in pairs(d.attr or {}) do if lua_type(k) == 'string' then keys[#keys + 1] = k end end
      for _, k in ipairs(keys) do parts[#parts + 1] = ' ' .. k .. '="' .. escape(d.attr[k]) .. '"' end
      if #d == 0 then return concat(parts) .. '/>' end
      parts[#parts + 1] = '>'
      for _, c in ipairs(d) do
         if indent then parts[#parts + 1] = '\n' .. idn .. indent end
         parts[#parts + 1] = tostr(c, indent and (idn .. indent) or '', indent)
      end
      if indent then parts[#parts + 1] = '\n' .. idn end
      parts[#parts + 1] = '</' .. d.tag .. '>'
      return concat(parts)
   end
   function xml.tostring(d, idn, indent)
      return tostr(d, idn or '', indent)
   end
   Doc.__tostring = function(d) return xml.tostring(d) end
   function Doc:get_text()
      local res = {}
      for _, c in ipairs(self) do
         if lua_type(c) == 'string' then res[#res + 1] = c end
      end
      return concat(res)
   end
   function Doc:child_with_name(tag)
      for _, c in ipairs(self) do
         if lua_type(c) == 'table' and c.tag == tag then return c end
      end
   end
   function Doc:get_elements_with_name(tag, dont_recurse)
      local res = {}
      local function walk(d)
         for _, c in ipairs(d) do
            if lua_type(c) == 'table' then
               if c.tag == tag then res[#res + 1] = c end
               if not dont_recurse then walk(c) end
            end
         end
      end
      walk(self)
      return res
   end
   function Doc:childtags()
      local i = 0
      return function()
         repeat i = i + 1 until self[i] == nil or lua_type(self[i]) == 'table'
         return self[i]
      end
   end
   function Doc:add_direct_child(child) self[#self + 1] = child end
   function Doc:set_attribs(t) for k, v in pairs(t) do self.attr[k] = v end end
   function Doc:set_attrib(a, v) self.attr[a] = v end
   function Doc:get_attribs() return self.attr end
   xml.escape, xml.unescape = escape, unescape
   return xml
end

return M
