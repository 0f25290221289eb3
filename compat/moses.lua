-- moses (Yonaba's functional utility library, the 1.x API that Torch7's nn required: Convert,
-- NaN and nn's tests use indexOf, isNaN and map): `local _ = require 'moses'`.  Written from
-- moses' documentation: iterators over tables call f(key, value, ...), as moses 1.x does.
local _ = {}
local floor, max, min = math.floor, math.max, math.min
local pairs, ipairs, type, select, next = pairs, ipairs, type, select, next

-- type predicates
function _.isTable(t) return type(t) == 'table' end
function _.isFunction(f) return type(f) == 'function' end
function _.isString(s) return type(s) == 'string' end
function _.isNumber(n) return type(n) == 'number' end
function _.isBoolean(b) return type(b) == 'boolean' end
function _.isNil(x) return x == nil end
function _.isNaN(n) return type(n) == 'number' and n ~= n end
function _.isFinite(n)
   return type(n) == 'number' and n == n and n ~= math.huge and n ~= -math.huge
end
function _.isInteger(n) return type(n) == 'number' and floor(n) == n end
function _.isEmpty(t)
   if t == nil then return true end
   if type(t) == 'string' then return #t == 0 end
   if type(t) == 'table' then return next(t) == nil end
   return true
end
function _.isArray(t)
   if type(t) ~= 'table' then return false end
   local n = 0
   for _i in pairs(t) do n = n + 1 end
   return n == #t
end
function _.identity(v) return v end

-- tables
function _.each(t, f, ...)
   for k, v in pairs(t) do f(k, v, ...) end
end
_.forEach = _.each
-- eachi: moses 1.6.1 visits every integer key in increasing order (0 and negative ones too,
-- holes skipped), not ipairs' run from 1
function _.eachi(t, f, ...)
   local keys = {}
   for k in pairs(t) do
      if type(k) == 'number' and floor(k) == k then keys[#keys + 1] = k end
   end
   table.sort(keys)
   for _i, k in ipairs(keys) do f(k, t[k], ...) end
end
_.forEachi = _.eachi

-- the table of f(k, v, ...) under the same keys; f returning (key, value) renames the key
function _.map(t, f, ...)
   local r = {}
   for k, v in pairs(t) do
      local a, b = f(k, v, ...)
      if b ~= nil then r[a] = b else r[k] = a end
   end
   return r
end
_.collect = _.map

-- f(state, value) over the values, starting from state (the first value when nil)
function _.reduce(t, f, state)
   for _i, v in pairs(t) do
      if state == nil then state = v else state = f(state, v) end
   end
   return state
end
_.inject, _.foldl = _.reduce, _.reduce

function _.select(t, f, ...)
   local r = {}
   for k, v in pairs(t) do
      if f(k, v, ...) then r[#r + 1] = v end
   end
   return r
end
_.filter = _.select

function _.reject(t, f, ...)
   local r = {}
   for k, v in pairs(t) do
      if not f(k, v, ...) then r[#r + 1] = v end
   end
   return r
end
_.discard = _.reject

function _.all(t, f, ...)
   for k, v in pairs(t) do
      if not f(k, v, ...) then return false end
   end
   return true
end
_.every = _.all

-- whether t holds value (or a value for which value(v) is true, value a function)
-- include/detect/count compare with isEqual (contents, as moses 1.6.1 does); a function
-- value is called as f(v, value)
function _.include(t, value)
   local f = type(value) == 'function' and value or _.isEqual
   for _i, v in pairs(t) do
      if f(v, value) then return true end
   end
   return false
end
_.any, _.some, _.contains = _.include, _.include, _.include

-- the key of the first value equal to value (or accepted by it, a function)
function _.detect(t, value)
   local f = type(value) == 'function' and value or _.isEqual
   for k, v in pairs(t) do
      if f(v, value) then return k end
   end
end

function _.count(t, value)
   local n = 0
   for _i, v in pairs(t) do
      if value == nil or _.isEqual(v, value) then n = n + 1 end
   end
   return n
end

-- the number of entries of a table, or of the arguments
-- size(t, ...): the number of keys of t when the first argument is a table (the others
-- ignored), else the number of non-nil arguments (moses 1.6.1 counts the pairs of {...})
function _.size(...)
   local t = ...
   if type(t) ~= 'table' then t = {...} end
   local n = 0
   for _i in pairs(t) do n = n + 1 end
   return n
end

function _.max(t, transform)
   local best
   for _i, v in pairs(t) do
      local x = transform and transform(v) or v
      if best == nil or x > best then best = x end
   end
   return best
end

function _.min(t, transform)
   local best
   for _i, v in pairs(t) do
      local x = transform and transform(v) or v
      if best == nil or x < best then best = x end
   end
   return best
end

function _.keys(t)
   local r = {}
   for k in pairs(t) do r[#r + 1] = k end
   return r
end

function _.values(t)
   local r = {}
   for _i, v in pairs(t) do r[#r + 1] = v end
   return r
end

function _.invert(t)
   local r = {}
   for k, v in pairs(t) do r[v] = k end
   return r
end

function _.pluck(t, key)
   local r = {}
   for _i, v in pairs(t) do r[#r + 1] = v[key] end
   return r
end

-- a copy of t (nested tables copied too unless shallow)
function _.clone(t, shallow)
   if type(t) ~= 'table' then return t end
   local r = {}
   for k, v in pairs(t) do
      if type(v) == 'table' and not shallow then r[k] = _.clone(v) else r[k] = v end
   end
   return r
end

function _.extend(dest, ...)
   for i = 1, select('#', ...) do
      local src = select(i, ...)
      if type(src) == 'table' then
         for k, v in pairs(src) do dest[k] = v end
      end
   end
   return dest
end

function _.sort(t, comp)
   table.sort(t, comp)
   return t
end

-- arrays
function _.indexOf(array, value)
   for i = 1, #array do
      if array[i] == value then return i end
   end
end

function _.lastIndexOf(array, value)
   for i = #array, 1, -1 do
      if array[i] == value then return i end
   end
end

function _.sum(array)
   local s = 0
   for _i, v in ipairs(array) do s = s + v end
   return s
end

function _.product(array)
   local p = 1
   for _i, v in ipairs(array) do p = p * v end
   return p
end

function _.reverse(array)
   local r = {}
   for i = #array, 1, -1 do r[#r + 1] = array[i] end
   return r
end

function _.append(array, other)
   local r = {}
   for _i, v in ipairs(array) do r[#r + 1] = v end
   for _i, v in ipairs(other) do r[#r + 1] = v end
   return r
end

function _.push(array, ...)
   for i = 1, select('#', ...) do array[#array + 1] = select(i, ...) end
   return array
end

function _.first(array, n)
   n = n or 1
   local r = {}
   for i = 1, min(n, #array) do r[i] = array[i] end
   return r
end
_.head, _.take = _.first, _.first

function _.last(array, n)
   if n and n <= 0 then return nil end
   n = n or #array - 1
   local r = {}
   for i = max(#array - n + 1, 1), #array do r[#r + 1] = array[i] end
   return r
end

function _.rest(array, index)
   local r = {}
   for i = index or 1, #array do r[#r + 1] = array[i] end
   return r
end
_.tail = _.rest

-- the values of array without repeats, in their first order
function _.unique(array)
   local r, seen = {}, {}
   for _i, v in ipairs(array) do
      if not seen[v] then
         seen[v] = true
         r[#r + 1] = v
      end
   end
   return r
end
_.uniq = _.unique

-- nested arrays flattened (one level when shallow)
-- flatten walks its tables with pairs (moses 1.6.1): holes are skipped, not an end, so
-- interleave({1}, {'a', 'b'}) (zip's {{1, 'a'}, {nil, 'b'}}) is {1, 'a', 'b'}
function _.flatten(array, shallow)
   local r = {}
   for _i, v in pairs(array) do
      if type(v) == 'table' then
         local inner = shallow and v or _.flatten(v)
         for _i, x in pairs(inner) do r[#r + 1] = x end
      else
         r[#r + 1] = v
      end
   end
   return r
end

-- range(n): 0..n; range(a, b): a..b by 1; range(a, b, step); an empty table when the steps
-- lead away from the end
function _.range(...)
   local n, from, to, step = select('#', ...), ...
   if n == 0 then return {} end
   if n == 1 then from, to, step = 0, from, 1 end
   step = step or 1
   if step == 0 then return {} end
   local r = {}
   local steps = max(floor((to - from) / step), 0)
   for i = 1, steps do r[#r + 1] = from + step * i end
   if #r > 0 then table.insert(r, 1, from) end
   return r
end

function _.zip(...)
   local n = select('#', ...)
   local len = 0
   for i = 1, n do len = max(len, #select(i, ...)) end
   local r = {}
   for j = 1, len do
      r[j] = {}
      for i = 1, n do r[j][i] = select(i, ...)[j] end
   end
   return r
end

-- isEqual(a, b [, useMt]): moses 1.6.1 compares tables by their contents, recursively (both
-- ways, so a key only one side has makes them differ); with useMt, a table whose metatable
-- has __eq is compared through that __eq first
function _.isEqual(a, b, useMt)
   if type(a) ~= type(b) then return false end
   if type(a) ~= 'table' then return a == b end
   if useMt then
      local ma, mb = getmetatable(a), getmetatable(b)
      if (ma or mb) and ((ma and ma.__eq) or (mb and mb.__eq)) then
         return ma.__eq(a, b) or mb.__eq(b, a) or a == b
      end
   end
   if _.size(a) ~= _.size(b) then return false end
   for k, va in pairs(a) do
      local vb = b[k]
      if vb == nil or not _.isEqual(va, vb, useMt) then return false end
   end
   for k in pairs(b) do
      if a[k] == nil then return false end
   end
   return true
end

-- functions on functions (moses 1.6's: e-lab's ENet builds its bottlenecks with _.bindn)
function _.noop() end
function _.constant(v) return function() return v end end
-- bind(f, v): f(v, ...); bind2(f, v): f(a, v, ...); bindn(f, ...): the values first, then the
-- call's (joined as arrays: a nil ends each part, as moses' append does)
function _.bind(f, v) return function(...) return f(v, ...) end end
function _.bind2(f, v) return function(a, ...) return f(a, v, ...) end end
function _.bindn(f, ...)
   local bound = {...}
   return function(...) return f(unpack(_.append(bound, {...}))) end
end
-- bindAll(obj, name, ...): obj[name](...) calls the method as method(obj, ...) (moses 1.6.1:
-- _.bind(method, obj)), so `obj.name(x)` works without the colon
function _.bindAll(obj, ...)
   for i = 1, select('#', ...) do
      local name = select(i, ...)
      local f = obj[name]
      if f then obj[name] = function(...) return f(obj, ...) end end
   end
   return obj
end
function _.complement(f) return function(...) return not f(...) end end
function _.wrap(f, wrapper) return function(...) return wrapper(f, ...) end end
-- compose(f, g, h)(x) is f(g(h(x))); only the innermost gets all the arguments, each other
-- function the first result of the one before
function _.compose(...)
   local fs = {...}
   return function(...)
      local n = #fs
      if n == 0 then return end
      local v = fs[n](...)
      for i = n - 1, 1, -1 do v = fs[i](v) end
      return v
   end
end
function _.pipe(value, ...) return _.compose(...)(value) end
function _.juxtapose(value, ...)
   local r = {}
   for i = 1, select('#', ...) do r[#r + 1] = (select(i, ...))(value) end
   return unpack(r)
end
_.juxt = _.juxtapose
function _.times(n, iter, ...)
   local r = {}
   for i = 1, n do r[i] = iter(i, ...) end
   return r
end
-- once(f): every call runs f with the first call's arguments
function _.once(f)
   local args
   return function(...)
      if args == nil then args = {...} end
      return f(unpack(args))
   end
end
-- after(f, n): calls from the n-th on run f; before(f, n): the first n calls run f, later
-- ones return the n-th call's result
function _.after(f, count)
   local calls = 0
   return function(...)
      calls = calls + 1
      if calls >= count then return f(...) end
   end
end
function _.before(f, count)
   local calls, last = 0, nil
   return function(...)
      calls = calls + 1
      if calls <= count then last = f(...) end
      return last
   end
end
-- memoize(f [, hash]): one result per hash(...) (the first argument by default), weakly kept
function _.memoize(f, hash)
   local cache = setmetatable({}, {__mode = 'kv'})
   hash = hash or _.identity
   return function(...)
      local k = hash(...)
      local v = cache[k]
      if not v then
         v = f(...)
         cache[k] = v
      end
      return v
   end
end
function _.flip(f)
   return function(...)
      local a, r = {...}, {}
      for i = #a, 1, -1 do r[#r + 1] = a[i] end
      return f(unpack(r))
   end
end
-- partial(f, ...): '_' marks a place the call's arguments fill in order, the rest follow
function _.partial(f, ...)
   local bound = {...}
   return function(...)
      local given, args, j = {...}, {}, 1
      for i = 1, #bound do
         local v = bound[i]
         if v == '_' then
            v = given[j]
            j = j + 1
         end
         args[i] = v
      end
      for i = j, #given do args[#args + 1] = given[i] end
      return f(unpack(args))
   end
end

-- more of moses 1.6's array and object functions (rnn's AbstractRecurrent compacts its clones
-- with _.compact, LSTM slices its gradients with _.slice)
local function clampi(x, lo, hi) return min(max(x, lo), hi) end
-- the values at keys start..finish (pairs order; start defaults to the first key, finish to #t)
function _.slice(array, start, finish)
   local lo, hi = start or next(array), finish or #array
   return _.select(array, function(k) return k >= lo and k <= hi end)
end
_.sub = _.slice
-- the truthy values (neither nil nor false), in pairs order
function _.compact(array)
   return _.reject(array, function(_k, v) return not v end)
end
function _.initial(array, n)
   if n and n < 0 then return end
   return _.slice(array, 1, n and #array - min(n, #array) or #array - 1)
end
function _.nth(array, i) return array[i] end
function _.find(array, value, from)
   for i = from or 1, #array do
      if _.isEqual(array[i], value) then return i end
   end
end
function _.findIndex(array, f, ...)
   for i = 1, #array do
      if f(i, array[i], ...) then return i end
   end
end
function _.findLastIndex(array, f, ...)
   local i = _.findIndex(_.reverse(array), f, ...)
   if i then return #array - i + 1 end
end
function _.difference(array, other)
   if not other then return _.clone(array) end
   return _.select(array, function(_k, v) return not _.include(other, v) end)
end
_.without, _.diff = _.difference, _.difference
function _.union(...) return _.unique(_.flatten({...})) end
function _.intersection(array, ...)
   local others, r = {...}, {}
   for _i, v in ipairs(array) do
      local everywhere = true
      for _j, o in pairs(others) do
         if not _.include(o, v) then everywhere = false break end
      end
      if everywhere then r[#r + 1] = v end
   end
   return r
end
function _.symmetricDifference(a, b)
   return _.difference(_.union(a, b), _.intersection(a, b))
end
_.symdiff, _.xor = _.symmetricDifference, _.symmetricDifference
function _.isunique(array) return _.isEqual(array, _.unique(array)) end
_.isuniq = _.isunique
-- tostring of each value, joined
function _.concat(array, sep, i, j)
   local strs = _.map(array, function(_k, v) return tostring(v) end)
   return table.concat(strs, sep, i or 1, j or #array)
end
_.join = _.concat
function _.fill(array, value, i, j)
   for k = i or 1, j or _.size(array) do array[k] = value end
   return array
end
-- removes every value equal to one given, in place
function _.pull(array, ...)
   for _i, v in ipairs({...}) do
      for k = #array, 1, -1 do
         if _.isEqual(array[k], v) then table.remove(array, k) end
      end
   end
   return array
end
_.remove = _.pull
-- a copy of array without the values at start..finish (clamped to its keys)
function _.removeRange(array, start, finish)
   local r = _.clone(array)
   local first, n = next(r), #r
   if n < 1 then return r end
   start, finish = clampi(start or first, first, n), clampi(finish or n, first, n)
   for _k = start, finish do table.remove(r, start) end
   return r
end
_.rmRange, _.chop = _.removeRange, _.removeRange
function _.addTop(array, ...)
   for _i, v in ipairs({...}) do table.insert(array, 1, v) end
   return array
end
-- pop(array, n): removes the first n values and returns them; unshift the last n
function _.pop(array, n)
   local r = {}
   for _i = 1, min(n or 1, #array) do r[#r + 1] = table.remove(array, 1) end
   return unpack(r)
end
_.shift = _.pop
function _.unshift(array, n)
   local r = {}
   for _i = 1, min(n or 1, #array) do r[#r + 1] = table.remove(array) end
   return unpack(r)
end
function _.selectWhile(array, f, ...)
   local r = {}
   for i, v in ipairs(array) do
      if not f(i, v, ...) then break end
      r[i] = v
   end
   return r
end
_.takeWhile = _.selectWhile
function _.dropWhile(array, f, ...)
   for i, v in ipairs(array) do
      if not f(i, v, ...) then return _.rest(array, i) end
   end
   return {}
end
_.rejectWhile = _.dropWhile
function _.sortedIndex(array, value, comp, sort)
   comp = comp or function(a, b) return a < b end
   if sort then table.sort(array, comp) end
   for i = 1, #array do
      if not comp(array[i], value) then return i end
   end
   return #array + 1
end
function _.reduceRight(t, f, state) return _.reduce(_.reverse(t), f, state) end
_.injectr, _.foldr = _.reduceRight, _.reduceRight
function _.toArray(...) return {...} end
function _.groupBy(t, f, ...)
   local r = {}
   for k, v in pairs(t) do
      local g = f(k, v, ...)
      if r[g] then r[g][#r[g] + 1] = v else r[g] = {v} end
   end
   return r
end
function _.countBy(t, f, ...)
   local r = {}
   for k, v in pairs(t) do
      local g = f(k, v, ...)
      r[g] = (r[g] or 0) + 1
   end
   return r
end
-- sortBy(t, transform, comp): the values ordered by transform(value) (a string: that field)
function _.sortBy(t, transform, comp)
   local f = transform or _.identity
   if type(transform) == 'string' then f = function(v) return v[transform] end end
   comp = comp or function(a, b) return a < b end
   local items = {}
   for _k, v in pairs(t) do items[#items + 1] = {value = v, key = f(v)} end
   table.sort(items, function(a, b) return comp(a.key, b.key) end)
   return _.pluck(items, 'value')
end
function _.has(obj, key) return obj[key] ~= nil end
function _.pick(obj, ...)
   local r = {}
   for _i, k in ipairs(_.flatten({...})) do
      if obj[k] ~= nil then r[k] = obj[k] end
   end
   return r
end
_.choose = _.pick
function _.omit(obj, ...)
   local drop, r = _.flatten({...}), {}
   for k, v in pairs(obj) do
      if not _.include(drop, k) then r[k] = v end
   end
   return r
end
_.drop = _.omit
function _.kvpairs(obj)
   local r = {}
   for k, v in pairs(obj) do r[#r + 1] = {k, v} end
   return r
end
function _.toObj(pairs_)
   local r = {}
   for _i, kv in ipairs(pairs_) do r[kv[1]] = kv[2] end
   return r
end
function _.containsKeys(t, other)
   for k in pairs(other) do
      if not t[k] then return false end
   end
   return true
end
function _.sameKeys(a, b) return _.containsKeys(a, b) and _.containsKeys(b, a) end
function _.isCallable(x)
   if type(x) == 'function' then return true end
   local mt = type(x) == 'table' and getmetatable(x)
   return (mt and mt.__call ~= nil) or false
end
function _.isIterable(x) return (pcall(pairs, x)) end
function _.where(t, props)
   local r = _.select(t, function(_k, v)
      for k in pairs(props) do
         if v[k] ~= props[k] then return false end
      end
      return true
   end)
   return #r > 0 and r or nil
end
function _.findWhere(t, props)
   for _k, v in pairs(t) do
      local all = true
      for k in pairs(props) do
         if props[k] ~= v[k] then all = false break end
      end
      if all then return v end
   end
end
function _.tap(obj, f, ...)
   f(obj, ...)
   return obj
end
function _.result(obj, method, ...)
   local v = obj[method]
   if v then
      if _.isCallable(v) then return v(obj, ...) end
      return v
   end
   if _.isCallable(method) then return method(obj, ...) end
end
function _.invoke(t, method, ...)
   local args = {...}
   return _.map(t, function(_k, v)
      if type(v) == 'table' and v[method] ~= nil then
         if _.isCallable(v[method]) then return v[method](v, unpack(args)) end
         return v[method]
      end
      if _.isCallable(method) then return method(v, unpack(args)) end
   end)
end
-- the names of obj's functions (moses' own when obj is nil), sorted
function _.functions(obj, recurseMt)
   obj = obj or _
   local r = {}
   for k, v in pairs(obj) do
      if type(v) == 'function' then r[#r + 1] = k end
   end
   local mt = recurseMt and getmetatable(obj)
   if mt and mt.__index then
      for _i, k in ipairs(_.functions(mt.__index)) do r[#r + 1] = k end
   end
   table.sort(r)
   return r
end
_.methods = _.functions

-- moses 1.6.1's remaining functions (behaviour read from its documentation and source, this
-- file's own code): Torch7's moses rock is 1.6.1, and scripts following its tutorial call them
function _.at(t, ...)                 -- the values at the given keys that the table holds
   local r = {}
   for _i, key in ipairs({...}) do
      if t[key] ~= nil then r[#r + 1] = t[key] end
   end
   return r
end
function _.countf(t, f, ...)          -- how many entries f(k, v, ...) answers true for
   local n = 0
   for k, v in pairs(t) do
      if f(k, v, ...) == true then n = n + 1 end
   end
   return n
end
function _.shuffle(t, seed)           -- a shuffled copy (math.random: an inside-out shuffle)
   if seed then math.randomseed(seed) end
   local r = {}
   for i, v in pairs(t) do
      local j = floor(math.random() * i) + 1
      r[i] = r[j]
      r[j] = v
   end
   return r
end
function _.sample(array, n, seed)     -- one element, or the first n of a shuffled copy
   n = n or 1
   if n < 1 then return end
   if n == 1 then
      if seed then math.randomseed(seed) end
      return array[math.random(1, #array)]
   end
   return _.slice(_.shuffle(array, seed), 1, n)
end
function _.sampleProb(array, prob, seed)
   if seed then math.randomseed(seed) end
   return _.select(array, function() return math.random() < prob end)
end
function _.reduceby(t, f, state, pred, ...)
   return _.reduce(_.select(t, pred, ...), f, state)
end
function _.mapReduce(t, f, state)     -- every intermediate state of the reduction
   local r = {}
   for k, v in pairs(t) do
      if state then state = f(state, v) else state = v end
      r[k] = state
   end
   return r
end
_.mapr = _.mapReduce
function _.mapReduceRight(t, f, state) return _.mapReduce(_.reverse(t), f, state) end
_.maprr = _.mapReduceRight
function _.same(a, b)                 -- each holds every value of the other
   for _i, v in pairs(a) do if not _.include(b, v) then return false end end
   for _i, v in pairs(b) do if not _.include(a, v) then return false end end
   return true
end
function _.chunk(array, f, ...)       -- runs of consecutive elements f maps to one value
   if not _.isArray(array) then return array end
   local r, n, prev = {}, 0, nil
   local keys = _.map(array, f, ...)
   for k, v in pairs(keys) do
      -- moses 1.6.1 writes `prev = (prev == nil) and v or prev`: a first value of false
      -- leaves prev nil, so the first chunk is r[1] then; any other first value, r[0]
      if prev == nil then prev = v or prev end
      if v ~= prev then n = n + 1 end
      if r[n] then r[n][#r[n] + 1] = array[k] else r[n] = {array[k]} end
      prev = v
   end
   return r
end
function _.partition(array, n, pad)   -- an iterator over slices of n (the last one padded)
   if n <= 0 then return end
   n = n or 1
   return coroutine.wrap(function()
      for i = 0, #array, n do
         local s = _.slice(array, i + 1, i + n)
         if #s > 0 then
            while #s < n and pad do s[#s + 1] = pad end
            coroutine.yield(s)
         end
      end
   end)
end
_.part = _.partition
function _.sliding(array, n, pad)     -- slices of n, each starting where the last ended
   if n <= 1 then return end
   n = n or 2
   return coroutine.wrap(function()
      for i = 0, #array, n - 1 do
         local s = _.slice(array, i + 1, i + n)
         if #s > 0 and i + 1 < #array then
            while #s < n and pad do s[#s + 1] = pad end
            coroutine.yield(s)
         end
      end
   end)
end
function _.permutation(array)         -- an iterator over the permutations (done in place)
   local function gen(t, n)
      if n == 0 then coroutine.yield(t) end
      for i = 1, n do
         t[n], t[i] = t[i], t[n]
         gen(t, n - 1)
         t[n], t[i] = t[i], t[n]
      end
   end
   return coroutine.wrap(function() gen(array, #array) end)
end
_.perm = _.permutation
function _.rep(value, n)
   local r = {}
   for i = 1, n do r[i] = value end
   return r
end
function _.interleave(...) return _.flatten(_.zip(...)) end
function _.interpose(value, array) return _.flatten(_.zip(array, _.rep(value, #array - 1))) end
function _.array(...)                 -- the values an iterator gives
   local r = {}
   for v in ... do r[#r + 1] = v end
   return r
end
function _.clear(t)
   for k in pairs(t) do t[k] = nil end
   return t
end
function _.cycle(t, n)                -- iterates over t's pairs n times
   n = n or 1
   if n <= 0 then return _.noop end
   local k, first, laps = nil, nil, 0
   return function()
      k = k and next(t, k) or next(t)
      if first == nil then first = k end
      if k == first then laps = laps + 1 end
      if laps > n then return end
      return k, t[k]
   end
end
_.loop = _.cycle
function _.time(f, ...)
   local t0 = os.clock()
   local r = {f(...)}
   return os.clock() - t0, unpack(r)
end
function _.toBoolean(v) return not not v end
local unique_id = -1
function _.uniqueId(template, ...)
   unique_id = unique_id + 1
   if _.isString(template) then return template:format(unique_id) end
   if _.isFunction(template) then return template(unique_id, ...) end
   return unique_id
end
_.uid = _.uniqueId
function _.iterator(f, x)
   return function() x = f(x); return x end
end
_.iter = _.iterator
function _.property(key) return function(obj) return obj[key] end end
function _.propertyOf(obj) return function(key) return obj[key] end end
function _.curry(f, n_args)
   n_args = n_args or 2
   local args = {}
   local function step(v)
      if n_args == 1 then return f(v) end
      if v ~= nil then args[#args + 1] = v end
      if #args < n_args then return step end
      local r = {f(unpack(args))}
      args = {}
      return unpack(r)
   end
   return step
end
function _.over(...)
   local fs = {...}
   return function(...)
      local r = {}
      for _i, g in ipairs(fs) do r[#r + 1] = g(...) end
      return r
   end
end
function _.overEvery(...)
   local g = _.over(...)
   return function(...) return _.reduce(g(...), function(s, v) return s and v end) end
end
function _.overSome(...)
   local g = _.over(...)
   return function(...) return _.reduce(g(...), function(s, v) return s or v end) end
end
function _.overArgs(f, ...)
   local transforms = {...}
   return function(...)
      local args = {...}
      for i = 1, #transforms do
         if args[i] then args[i] = transforms[i](args[i]) end
      end
      return f(unpack(args))
   end
end
function _.partialRight(f, ...)       -- the given arguments come last; each '_' takes the call's next
   local fixed = {...}
   return function(...)
      local given = {...}
      local tail = {}
      for k = 1, #fixed do
         tail[k] = (fixed[k] == '_') and _.pop(given) or fixed[k]
      end
      return f(unpack(_.append(given, tail)))
   end
end
function _.template(obj, template)    -- fills obj's missing (or false) keys from template
   for k, v in pairs(template or {}) do
      if not obj[k] then obj[k] = v end
   end
   return obj
end
_.defaults = _.template

-- moses 1.6.1's other aliases
_.skip = _.last
_.transpose = _.zip
_.mirror = _.invert
_.cache = _.memoize
_.compare = _.isEqual

-- What `require 'moses'` returns, built as moses 1.6.1 builds it: not the table of functions
-- itself but a callable proxy. `M(v)` and `M.chain(v)` wrap a value; a wrapped value's
-- methods call the function on the value and wrap the result (`M.chain(t):map(f):value()`);
-- `M.name(...)` on an unwrapped first argument is the plain function. `M.import(ctx,
-- noConflict)` copies the functions (the plain ones) into ctx, _G by default. pairs over the
-- module sees only the proxy's own fields (__index, chain, value, the version tags), and
-- _.functions() lists the functions, not chain/value/import, as in moses.
local M, wrapper = {}, {}
M.__index = wrapper
local function wrap(v) return setmetatable({_value = v, _wrapped = true}, M) end
setmetatable(M, {
   __call = function(_self, v) return wrap(v) end,
   __index = function(_t, key) return wrapper[key] end,
})
function M.chain(v) return wrap(v) end
function M:value() return self._value end
wrapper.chain, wrapper.value = M.chain, M.value
for name, fn in pairs(_) do
   wrapper[name] = function(v, ...)
      if type(v) == 'table' and v._wrapped then return wrap(fn(v._value, ...)) end
      return fn(v, ...)
   end
end
wrapper.import = function(context, noConflict)
   context = context or _G
   for _i, name in ipairs(_.functions()) do
      if not (noConflict and rawget(context, name)) then context[name] = _[name] end
   end
   return context
end
M._VERSION = 'Moses v1.6.1'
M._URL = 'http://github.com/Yonaba/Moses'
M._LICENSE = 'MIT <http://raw.githubusercontent.com/Yonaba/Moses/master/LICENSE>'
M._DESCRIPTION = 'utility-belt library for functional programming in Lua'

return M
