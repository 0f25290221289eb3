-- Penlight (pl.*) as Torch7's th had it: trepl depends on penlight, so every Torch7 install had
-- `require 'pl.stringx'`, `pl.lapp`, `pl.pretty`... and `require 'pl'` (lazy globals). These
-- are the modules legacy scripts use, written for torch7py after Penlight 1.4's documented
-- behaviour (the version of the Torch7 years). Each entry builds its module once; the modules
-- reach each other through require, so there is one of each.
local M = {}
-- pairs_order's note(t, k): tables built here for scripts record the order keys went in, so
-- that pairs() visits them as Torch7's LuaJIT did (print(opts) after lapp)
local note = ... or function() end
-- t[k] = v into a table this code is filling, noting a new key's place
local function put(t, k, v)
   if v ~= nil and rawget(t, k) == nil then note(t, k) end
   t[k] = v
end
local find, sub, gsub, rep = string.find, string.sub, string.gsub, string.rep
local concat, tinsert = table.concat, table.insert
local lua_type = type

-- pl.utils ------------------------------------------------------------------------------------
function M.utils()
   local utils = {_VERSION = '1.4.1', stdmt = {List = {_name = 'List'}, Map = {_name = 'Map'},
                                                Set = {_name = 'Set'},
                                                MultiMap = {_name = 'MultiMap'}}}
   local factories = {}
   utils.unpack = unpack
   -- Lua 5.1's (LuaJIT's _VERSION), and the directory separator of this system
   utils.lua51 = _VERSION == 'Lua 5.1'
   utils.dir_separator = package.config:sub(1, 1)

   function utils.assert_arg(n, val, tp, verify, msg, lev)
      if lua_type(val) ~= tp then
         error(("argument %d expected a '%s', got a '%s'"):format(n, tp, lua_type(val)), lev or 2)
      end
      if verify and not verify(val) then
         error(("argument %d: '%s' %s"):format(n, val, msg), lev or 2)
      end
   end
   function utils.assert_string(n, val) utils.assert_arg(n, val, 'string', nil, nil, 3) end
   function utils.printf(fmt, ...)
      utils.assert_string(1, fmt)
      io.stdout:write(fmt:format(...))
   end
   function utils.fprintf(f, fmt, ...)
      utils.assert_string(2, fmt)
      f:write(fmt:format(...))
   end
   function utils.quit(code, ...)
      if lua_type(code) == 'string' then
         utils.fprintf(io.stderr, code, ...)
         code = -1
      else
         utils.fprintf(io.stderr, ...)
      end
      io.stderr:write('\n')
      os.exit(code)
   end
   -- a shell argument, quoted for a POSIX shell when it holds anything but safe characters
   function utils.quote_arg(a)
      if a == '' or find(a, '[^a-zA-Z0-9_@%+=:,./-]') then
         a = "'" .. gsub(a, "'", [['\'']]) .. "'"
      end
      return a
   end
   -- execute is pl.compat's (under Torch7's LuaJIT it answers false for every command: see
   -- compat/penlight_lang.lua); executeex runs cmd with its output and errors sent to
   -- temporary files, and returns execute's two results and the two files' texts
   utils.execute = require('pl.compat').execute
   function utils.executeex(cmd, bin)
      local outfile, errfile = os.tmpname(), os.tmpname()
      local ok, code = utils.execute(cmd .. ' > ' .. utils.quote_arg(outfile) .. ' 2> ' ..
                                     utils.quote_arg(errfile))
      local out, err = utils.readfile(outfile, bin), utils.readfile(errfile, bin)
      os.remove(outfile)
      os.remove(errfile)
      return ok, code, out or '', err or ''
   end
   function utils.escape(s)
      utils.assert_string(1, s)
      return (s:gsub('[%-%.%+%[%]%(%)%$%^%%%?%*]', '%%%1'))
   end
   function utils.choose(cond, a, b) if cond then return a end return b end
   function utils.readfile(filename, is_bin)
      utils.assert_string(1, filename)
      local f, err = io.open(filename, 'r' .. (is_bin and 'b' or ''))
      if not f then return utils.raise(err) end
      local s, rerr = f:read('*a')
      f:close()
      if not s then return utils.raise(filename .. ': ' .. rerr) end
      return s
   end
   function utils.writefile(filename, str, is_bin)
      utils.assert_string(1, filename)
      utils.assert_string(2, str)
      local f, err = io.open(filename, 'w' .. (is_bin and 'b' or ''))
      if not f then return utils.raise(err) end
      f:write(str)
      f:close()
      return true
   end
   function utils.readlines(filename)
      utils.assert_string(1, filename)
      local f, err = io.open(filename, 'r')
      if not f then return utils.raise(err) end
      local lines = {}
      for line in f:lines() do lines[#lines + 1] = line end
      f:close()
      return lines
   end
   -- the fields between matches of re (a pattern unless plain; default whitespace); an empty
   -- last field is dropped, a lone empty field gives {}; at most n fields (the last keeps the rest)
   function utils.split(s, re, plain, n)
      utils.assert_string(1, s)
      re = re or '%s+'
      if re == '' then return {s} end
      local fields, pos = {}, 1
      while true do
         local b, e = find(s, re, pos, plain)
         if not b then
            local last = sub(s, pos)
            if last ~= '' then fields[#fields + 1] = last end
            if #fields == 1 and fields[1] == '' then return {} end
            return fields
         end
         fields[#fields + 1] = sub(s, pos, b - 1)
         if n and #fields == n then
            fields[#fields] = sub(s, pos)
            return fields
         end
         pos = e + 1
      end
   end
   function utils.splitv(s, re) return unpack(utils.split(s, re)) end
   function utils.array_tostring(t, temp, tostr)
      temp, tostr = temp or {}, tostr or tostring
      for i = 1, #t do temp[i] = tostr(t[i], i) end
      return temp
   end
   function utils.is_type(obj, tp)
      if lua_type(tp) == 'string' then return lua_type(obj) == tp end
      return tp == getmetatable(obj)
   end
   function utils.is_integer(x) return math.ceil(x) == x end
   function utils.memoize(func)
      local cache = {}
      return function(k)
         local res = cache[k]
         if res == nil then res = func(k); cache[k] = res end
         return res
      end
   end
   -- bind1/bind2(fn, p): fn (any function_arg: an operator string...) with p as its first /
   -- second argument
   function utils.bind1(fn, p)
      fn = utils.function_arg(1, fn)
      return function(...) return fn(p, ...) end
   end
   function utils.bind2(fn, p)
      fn = utils.function_arg(1, fn)
      return function(x, ...) return fn(x, p, ...) end
   end
   -- import(t, T): t's fields (t a table or a module name; utils by default) into T (_G),
   -- once per t; a name T already has is kept, with a warning naming t by its key in T ('?')
   local imported = {}
   function utils.import(t, T)
      T = T or _G
      t = t or utils
      if lua_type(t) == 'string' then t = require(t) end
      local libname = '?'
      for k, v in pairs(T) do
         if v == t then libname = k break end
      end
      if imported[t] then return end
      imported[t] = libname
      for k, v in pairs(t) do
         if rawget(T, k) and k ~= '_M' and k ~= '_NAME' and k ~= '_PACKAGE' and k ~= '_VERSION' then
            utils.fprintf(io.stderr, "warning: '%s.%s' will not override existing symbol\n",
                          libname, k)
         else
            rawset(T, k, v)
         end
      end
   end
   -- string lambdas (Penlight 1.4.1): '|x, y| x + y', or any text holding '_' (then '_' is
   -- the parameter and the whole text the body); compiled once (utils.memoize, which keeps
   -- one result: a failure's message is lost, as in 1.4.1). Errors follow utils.raise.
   local function string_lambda(f)
      if f:find('^|') or f:find('_') then
         local args, body = f:match('|([^|]*)|(.+)')
         if f:find('_') then
            args, body = '_', f
         elseif not args then
            return utils.raise 'bad string lambda'
         end
         local fn, err = load('return function(' .. args .. ') return ' .. body .. ' end')
         if not fn then return utils.raise(err) end
         return fn()
      end
      return utils.raise 'not a string lambda'
   end
   utils.string_lambda = utils.memoize(string_lambda)
   -- a function, a callable object, an operator string of pl.operator ('+', '..', '<'...)
   -- or a string lambda; a table or userdata whose metatable has a registered factory
   -- (add_function_factory) becomes the function the factory makes (pl.func's placeholder
   -- expressions). Penlight 1.4.1's errors: 'not a callable object' for a table or userdata
   -- without a factory or __call, 'argument n: MSG' (' must be callable') for other types,
   -- MSG alone when idx is 0; a string that is neither an operator nor a lambda fails on
   -- the lost message (memoize), as there
   function utils.function_arg(idx, f, msg)
      utils.assert_arg(1, idx, 'number')
      local tp = lua_type(f)
      if tp == 'function' then return f end
      if tp == 'string' then
         local op = require('pl.operator').optable[f]
         if op then return op end
         local fn, err = utils.string_lambda(f)
         if not fn then error(err .. ': ' .. f) end
         return fn
      elseif tp == 'table' or tp == 'userdata' then
         local mt = getmetatable(f)
         if not mt then error('not a callable object', 2) end
         if factories[mt] then return factories[mt](f) end
         if not mt.__call then error('not a callable object', 2) end
         return f
      end
      msg = msg or ' must be callable'
      if idx > 0 then error('argument ' .. idx .. ': ' .. msg, 2) end
      error(msg, 2)
   end
   function utils.add_function_factory(mt, f) factories[mt] = f end
   -- Penlight's useful patterns (a float, an integer, an identifier, a file name)
   utils.patterns = {
      FLOAT = '[%+%-%d]%d*%.?%d*[eE]?[%+%-]?%d*',
      INTEGER = '[+%-%d]%d*',
      IDEN = '[%a_][%w_]*',
      FILE = '[%a%.\\][:%][%w%._%-\\]*',
   }
   -- LuaJIT's load takes strings and an environment-less mode as Lua 5.2's does (pl.compat
   -- uses it as it is there); getfenv/setfenv are Lua 5.1's
   utils.load, utils.getfenv, utils.setfenv = load, getfenv, setfenv
   -- on_error('default' | 'quit' | 'error') picks what raise does: return nil, message; quit
   -- with the message; or raise it as an error. Anything else is itself raised (through the
   -- mode, 'default' counting as 'error' for it)
   local err_mode = 'default'
   function utils.on_error(mode)
      if mode == 'default' or mode == 'quit' or mode == 'error' then
         err_mode = mode
      else
         if err_mode == 'default' then err_mode = 'error' end
         utils.raise("Bad argument expected string; 'default', 'quit', or 'error'. Got '" ..
            tostring(mode) .. "'")
      end
   end
   function utils.raise(err)
      if err_mode == 'default' then return nil, err
      elseif err_mode == 'quit' then utils.quit(err)
      else error(err, 2) end
   end
   return utils
end

-- pl.List -------------------------------------------------------------------------------------
function M.List()
   local utils = require 'pl.utils'
   local List = utils.stdmt.List
   List.__index = List
   List._name = 'List'
   local function new(t) return setmetatable(t or {}, List) end
   -- results of map, filter, clone, slice... keep the list's own class (a subclass's object
   -- gives a subclass's: 1.4.1's makelist(t, self))
   local function like(r, self) return setmetatable(r, getmetatable(self) or List) end
   setmetatable(List, {__call = function(_, src)
      if lua_type(src) == 'table' and getmetatable(src) == nil then return new(src) end
      local l = new()
      if lua_type(src) == 'table' then
         for i = 1, #src do l[#l + 1] = src[i] end
      elseif lua_type(src) == 'function' then
         for v in src do l[#l + 1] = v end
      elseif lua_type(src) == 'string' then
         for i = 1, #src do l[#l + 1] = src:sub(i, i) end
      end
      return l
   end})
   List.new = function(t) return List(t) end
   function List:append(v) tinsert(self, v) return self end
   List.push = tinsert
   function List:extend(l)
      utils.assert_arg(1, l, 'table')
      for i = 1, #l do tinsert(self, l[i]) end
      return self
   end
   function List:insert(i, v)
      utils.assert_arg(1, i, 'number')
      tinsert(self, i, v)
      return self
   end
   function List:put(v) return self:insert(1, v) end
   function List:remove(i)
      utils.assert_arg(1, i, 'number')
      table.remove(self, i)
      return self
   end
   function List:remove_value(v)
      for i = 1, #self do
         if self[i] == v then table.remove(self, i) return self end
      end
      return self
   end
   function List:pop(i)
      i = i or #self
      return table.remove(self, i)
   end
   List.get = List.pop
   -- index(v, idx): tablex.find's (a negative idx counts from the end)
   function List:index(v, idx)
      idx = idx or 1
      if idx < 0 then idx = #self + idx + 1 end
      for i = idx, #self do if self[i] == v then return i end end
      return nil
   end
   function List:contains(v) return self:index(v) ~= nil end
   function List:count(v)
      local k = 0
      for i = 1, #self do if self[i] == v then k = k + 1 end end
      return k
   end
   function List:len() return #self end
   function List:clone()
      local l = like({}, self)
      for i = 1, #self do l[i] = self[i] end
      return l
   end
   function List:sort(cmp)
      if cmp then cmp = utils.function_arg(1, cmp) end
      table.sort(self, cmp)
      return self
   end
   function List:sorted(cmp) return List(self):sort(cmp) end
   function List:reverse()
      local n = #self
      for i = 1, math.floor(n / 2) do self[i], self[n - i + 1] = self[n - i + 1], self[i] end
      return self
   end
   function List:clear()
      for i = #self, 1, -1 do self[i] = nil end
      return self
   end
   -- minmax: 1.4.1 starts from 1e70 and -1e70 (an empty list answers those)
   function List:minmax()
      local lo, hi = 1e70, -1e70
      for i = 1, #self do
         local v = self[i]
         if v < lo then lo = v end
         if v > hi then hi = v end
      end
      return lo, hi
   end
   function List:slice(first, last)
      local n = #self
      first = first or 1
      last = last or n
      if first < 0 then first = n + first + 1 end
      if last < 0 then last = n + last + 1 end
      local l = like({}, self)
      for i = first, last do l[#l + 1] = self[i] end
      return l
   end
   function List:chop(i1, i2) return require('pl.tablex').removevalues(self, i1, i2) end
   function List:join(delim)
      delim = delim or ''
      utils.assert_arg(1, delim, 'string')
      return concat(utils.array_tostring(self), delim)
   end
   List.concat = concat
   -- f and pred go through utils.function_arg: operator strings and string lambdas too
   function List:foreach(f, ...)
      f = utils.function_arg(1, f)
      for i = 1, #self do f(self[i], ...) end
   end
   function List:map(f, ...)
      f = utils.function_arg(1, f)
      local l = like({}, self)
      for i = 1, #self do l[i] = f(self[i], ...) or false end
      return l
   end
   function List:transform(f, ...)
      f = utils.function_arg(1, f)
      for i = 1, #self do self[i] = f(self[i], ...) end
      return self
   end
   function List:filter(pred, arg)
      pred = utils.function_arg(1, pred)
      local l = like({}, self)
      for i = 1, #self do
         local v = self[i]
         if pred(v, arg) then l[#l + 1] = v end
      end
      return l
   end
   function List:reduce(f)
      f = utils.function_arg(1, f)
      local acc = self[1]
      for i = 2, #self do acc = f(acc, self[i]) end
      return acc
   end
   function List:iter()
      local i = 0
      return function() i = i + 1 return self[i] end
   end
   function List.range(first, last, step)
      if last == nil then first, last = 1, first end
      local l = List()
      for v = first, last, step or 1 do l[#l + 1] = v end
      return l
   end
   function List.split(s, delim) return List(utils.split(s, delim)) end
   function List:__concat(l) return self:clone():extend(l) end
   function List:__eq(l)
      if #self ~= #l then return false end
      for i = 1, #self do if self[i] ~= l[i] then return false end end
      return true
   end
   -- Penlight 1.4 passes a quoting function to join, which ignores it: strings print bare
   function List:__tostring() return '{' .. self:join(',') .. '}' end
   -- what pl.class gives Penlight's List (a class there): a plain table becomes the list
   -- itself (_create), anything else is copied in (_init), so class(List) subclasses build
   -- their objects the same way; is_a/class_of/cast walk the _base chain
   function List._create(src)
      if lua_type(src) == 'table' and getmetatable(src) == nil and #src > 0 then return src end
   end
   function List:_init(src)
      if self == src then return end  -- the table given became the object
      if src then
         for v in List.iterate(src) do tinsert(self, v) end
      end
   end
   function List:is_a(klass)
      if klass == nil then return getmetatable(self) end
      local m = getmetatable(self)
      while m do
         if m == klass then return true end
         m = rawget(m, '_base')
      end
      return false
   end
   function List:class_of(obj)
      if lua_type(self) ~= 'table' or not rawget(self, 'is_a') and not self.is_a then
         return false
      end
      return List.is_a(obj, self)
   end
   function List:cast(obj) return setmetatable(obj, self) end
   List._class = List
   -- a value sequence from a string (its characters), a table (1..#t), a function
   -- (itself) or a file (its lines)
   function List.iterate(seq)
      if lua_type(seq) == 'string' then
         local i = 0
         return function() i = i + 1 if i <= #seq then return seq:sub(i, i) end end
      elseif lua_type(seq) == 'table' then
         local i, n = 0, #seq
         return function() i = i + 1 if i <= n then return seq[i] end end
      elseif lua_type(seq) == 'function' then
         return seq
      elseif io.type(seq) == 'file' then
         return seq:lines()
      end
   end
   local function method_of(obj, name)
      local f = obj[name]
      if not f then error(lua_type(obj) .. ' does not have method ' .. name, 3) end
      return f
   end
   function List:map2(f, ls, ...)
      return like(require('pl.tablex').imap2(f, self, ls, ...), self)
   end
   function List:mapm(name, ...)
      local r = {}
      for i = 1, #self do r[i] = method_of(self[i], name)(self[i], ...) end
      return like(r, self)
   end
   function List:foreachm(name, ...)
      for i = 1, #self do method_of(self[i], name)(self[i], ...) end
   end
   -- default_map_with(T): a handler for class's catch: an unknown method name becomes the map
   -- of T[name] over the list (v:sin() is v:map(math.sin)), remembered in the asking
   -- table's metatable; without T, a call of self:mapn(name, ...) (1.4.1's List has no mapn)
   function List.default_map_with(T)
      return function(self, name)
         local m
         if T then
            local f = method_of(T, name)
            m = function(obj, ...) return obj:map(f, ...) end
         else
            m = function(obj, ...) return obj:mapn(name, ...) end
         end
         getmetatable(self)[name] = m
         return m
      end
   end
   List.default_map = List.default_map_with
   -- partition(f, ...): a MultiMap of f(v, ...) -> List of the values giving it ('<nil>'
   -- for nil)
   function List:partition(f, ...)
      f = utils.function_arg(1, f)
      local r = {}
      for i = 1, #self do
         local k = f(self[i], ...)
         if k == nil then k = '<nil>' end
         if not r[k] then r[k] = List() end
         r[k]:append(self[i])
      end
      return setmetatable(r, utils.stdmt.MultiMap)
   end
   -- splice(idx, seq): seq's values inserted from idx on
   function List:splice(idx, seq)
      utils.assert_arg(1, idx, 'number')
      local i = idx
      for v in List.iterate(seq) do
         tinsert(self, i, v)
         i = i + 1
      end
      return self
   end
   -- slice_assign(i1, i2, seq): self[i1..i2] (negative indices from the end) replaced by seq
   function List:slice_assign(i1, i2, seq)
      utils.assert_arg(1, i1, 'number')
      utils.assert_arg(1, i2, 'number')
      local n = #self
      if i1 < 0 then i1 = n + i1 + 1 end
      if i2 < 0 then i2 = n + i2 + 1 end
      if i2 >= i1 then self:chop(i1, i2) end
      return self:splice(i1, seq)
   end
   return List
end

-- pl.stringx ----------------------------------------------------------------------------------
function M.stringx()
   local utils = require 'pl.utils'
   local List = require 'pl.List'
   local S = {}
   local function str(n, s) utils.assert_arg(n, s, 'string', nil, nil, 3) end
   local function all(s, p) return find(s, p) == 1 end
   function S.isalpha(s) str(1, s) return all(s, '^%a+$') end
   function S.isdigit(s) str(1, s) return all(s, '^%d+$') end
   function S.isalnum(s) str(1, s) return all(s, '^%w+$') end
   function S.isspace(s) str(1, s) return all(s, '^%s+$') end
   function S.islower(s) str(1, s) return all(s, '^[%l%s]+$') end
   function S.isupper(s) str(1, s) return all(s, '^[%u%s]+$') end
   local function affix(s, a, test)
      if lua_type(a) == 'string' then return test(s, a) end
      if lua_type(a) == 'table' then
         for _, x in ipairs(a) do if test(s, x) then return true end end
         return false
      end
      error(("argument #2 expected a 'string' or a 'table', got a '%s'"):format(lua_type(a)))
   end
   local function starts(s, p) return find(s, p, 1, true) == 1 end
   local function ends(s, p) return #s >= #p and find(s, p, #s - #p + 1, true) ~= nil end
   function S.startswith(s, p) str(1, s) return affix(s, p, starts) end
   function S.endswith(s, p) str(1, s) return affix(s, p, ends) end
   function S.join(s, seq) str(1, s) return concat(seq, s) end
   local function strip(s, left, right, chrs)
      local set = chrs and ('[' .. utils.escape(chrs) .. ']') or '%s'
      if left then
         local b, e = find(s, '^' .. set .. '*')
         if e >= b then s = sub(s, e + 1) end
      end
      if right then
         local b, e = find(s, set .. '*$')
         if e >= b then s = sub(s, 1, b - 1) end
      end
      return s
   end
   function S.lstrip(s, chrs) str(1, s) return strip(s, true, false, chrs) end
   function S.rstrip(s, chrs) str(1, s) return strip(s, false, true, chrs) end
   function S.strip(s, chrs) str(1, s) return strip(s, true, true, chrs) end
   -- no delimiter: runs of whitespace (leading ones ignored); a delimiter is plain text, and a
   -- string that ends with it has an empty last field
   function S.split(s, re, n)
      str(1, s)
      local plain = true
      if not re then
         s = strip(s, true, false)
         plain = false
      end
      local fields = utils.split(s, re, plain, n)
      if re and re ~= '' and find(s, re, -#re, true) then fields[#fields + 1] = '' end
      return setmetatable(fields, List)
   end
   function S.splitlines(s)
      str(1, s)
      local lines = utils.split(s, '[\r\n]')
      if #lines == 0 then lines = {''} end
      return setmetatable(lines, List)
   end
   function S.splitv(s, re) str(1, s) return utils.splitv(s, re) end
   function S.expandtabs(s, size)
      str(1, s)
      size = size or 8
      return (s:gsub('([^\t\r\n]*)\t', function(before)
         return before .. rep(' ', size - #before % size)
      end))
   end
   -- (position of the last plain occurrence of t in s[first..last], number of occurrences)
   local function lastof(s, t, first, last)
      first, last = first or 1, last or #s
      if t == '' then return last + 1, last - first + 1 end
      local at, k = nil, 0
      local b, e = find(s, t, first, true)
      while b and e <= last do
         at, k = b, k + 1
         b, e = find(s, t, e + 1, true)
      end
      return at, k
   end
   function S.lfind(s, t, first, last)
      str(1, s) str(2, t)
      local b, e = find(s, t, first, true)
      if b and (not last or e <= last) then return b end
      return nil
   end
   function S.rfind(s, t, first, last)
      str(1, s) str(2, t)
      return (lastof(s, t, first, last))
   end
   function S.replace(s, old, new, n)
      str(1, s) str(2, old) str(3, new)
      return (gsub(s, utils.escape(old), (new:gsub('%%', '%%%%')), n))
   end
   function S.count(s, t)
      str(1, s)
      local _, k = lastof(s, t, 1)
      return k
   end
   local function pad(s, w, ch, left, right)
      if w <= #s then return s end
      ch = ch or ' '
      if left and right then
         local r = math.ceil((w - #s) / 2)
         return rep(ch, w - #s - r) .. s .. rep(ch, r)
      elseif right then
         return rep(ch, w - #s) .. s
      end
      return s .. rep(ch, w - #s)
   end
   function S.ljust(s, w, ch) str(1, s) utils.assert_arg(2, w, 'number') return pad(s, w, ch, true, false) end
   function S.rjust(s, w, ch) str(1, s) utils.assert_arg(2, w, 'number') return pad(s, w, ch, false, true) end
   function S.center(s, w, ch) str(1, s) utils.assert_arg(2, w, 'number') return pad(s, w, ch, true, true) end
   local function partition(s, delim, finder)
      local b = finder(s, delim)
      if not b then return s, '', '' end
      local e = b + #delim - 1
      return sub(s, 1, b - 1), sub(s, b, e), sub(s, e + 1)
   end
   local function nonempty(n, s)
      utils.assert_arg(n, s, 'string', function(x) return #x > 0 end, 'must be a non-empty string', 3)
   end
   function S.partition(s, ch) str(1, s) nonempty(2, ch) return partition(s, ch, S.lfind) end
   function S.rpartition(s, ch) str(1, s) nonempty(2, ch) return partition(s, ch, S.rfind) end
   function S.at(s, i) str(1, s) return sub(s, i, i) end
   function S.lines(s)
      str(1, s)
      if not find(s, '\n$') then s = s .. '\n' end
      return s:gmatch('([^\n]*)\n')
   end
   function S.title(s)
      str(1, s)
      return (s:gsub('(%S)(%S*)', function(f, r) return f:upper() .. r:lower() end))
   end
   S.capitalize = S.title
   function S.shorten(s, w, tail)
      str(1, s)
      if #s <= w then return s end
      if w < 3 then return ('...'):sub(1, w) end
      if tail then return '...' .. s:sub(#s - w + 4) end
      return s:sub(1, w - 3) .. '...'
   end
   -- a Lua literal for s: long brackets when it has a newline (and no \r), else %q
   function S.quote_string(s)
      str(1, s)
      -- the longest run of '=' between two equal brackets ([[, ]=], ...), the scan going on
      -- from each match's closing bracket, so ']=]==]' finds ]=] and then ]==]
      local level
      local t, from = s .. ']', 1
      while true do
         local _a, last, _b, eq = find(t, '([%[%]])(=*)%1', from)
         if not eq then break end
         if not level or #eq > level then level = #eq end
         from = last
      end
      if (find(s, '\n') or level) and not find(s, '\r') then
         local eqs = rep('=', (level or -1) + 1)
         if find(s, '^\n') then s = '\n' .. s end
         return '[' .. eqs .. '[' .. s .. ']' .. eqs .. ']'
      end
      return (('%q'):format(s):gsub('\r', '\\r'))
   end
   -- import(): stringx's functions into the string table (utils.import: existing names such
   -- as string.split, which torch adds, are kept with a warning)
   function S.import() require('pl.utils').import(S, string) end
   return S
end

-- pl.file -------------------------------------------------------------------------------------
function M.file()
   local utils = require 'pl.utils'
   local file = {read = utils.readfile, write = utils.writefile}
   function file.copy(src, dest)
      local s, err = utils.readfile(src, true)
      if not s then return nil, err end
      return utils.writefile(dest, s, true)
   end
   function file.move(src, dest) return os.rename(src, dest) end
   function file.size(path)
      local f = io.open(path, 'rb')
      if not f then return nil end
      local n = f:seek('end')
      f:close()
      return n
   end
   file.delete = os.remove
   return file
end

-- pl.tablex -----------------------------------------------------------------------------------
function M.tablex()
   local utils = require 'pl.utils'
   local List = require 'pl.List'
   local T = {}
   local function tbl(n, t) utils.assert_arg(n, t, 'table', nil, nil, 3) end
   local function fn(n, f) return utils.function_arg(n, f) end
   -- Penlight's rule for what a result is: it takes the metatable of the table it came from
   -- (a List's map is a List, a Set's merge a Set), else the module's default (List or Map;
   -- none for map)
   local function like(res, t, default)
      local mt = getmetatable(t) or default and require('pl.' .. default)
      return mt and setmetatable(res, mt) or res
   end
   function T.size(t)
      tbl(1, t)
      local k = 0
      for _ in pairs(t) do k = k + 1 end
      return k
   end
   function T.keys(t)
      tbl(1, t)
      local l = List()
      for k in pairs(t) do l[#l + 1] = k end
      return l
   end
   function T.values(t)
      tbl(1, t)
      local l = List()
      for _, v in pairs(t) do l[#l + 1] = v end
      return l
   end
   function T.copy(t)
      tbl(1, t)
      local c = {}
      for k, v in pairs(t) do put(c, k, v) end
      return c
   end
   -- deepcopy: a non-table as it is; a table's table values copied (keys as they are), its
   -- metatable shared
   function T.deepcopy(t)
      if lua_type(t) ~= 'table' then return t end
      local c = {}
      for k, v in pairs(t) do
         if lua_type(v) == 'table' then v = T.deepcopy(v) end
         put(c, k, v)
      end
      return setmetatable(c, getmetatable(t))
   end
   function T.deepcompare(a, b, ignore_mt, eps)
      if lua_type(a) ~= lua_type(b) then return false end
      if lua_type(a) ~= 'table' then
         if lua_type(a) == 'number' and eps then return math.abs(a - b) < eps end
         return a == b
      end
      local mt = getmetatable(a)
      if not ignore_mt and mt and mt.__eq then return a == b end
      for k, v in pairs(a) do
         if b[k] == nil or not T.deepcompare(v, b[k], ignore_mt, eps) then return false end
      end
      for k in pairs(b) do if a[k] == nil then return false end end
      return true
   end
   function T.compare(a, b, cmp)
      if #a ~= #b then return false end
      cmp = fn(3, cmp)
      for i = 1, #a do if not cmp(a[i], b[i]) then return false end end
      return true
   end
   function T.update(t1, t2)
      for k, v in pairs(t2) do t1[k] = v end
      return t1
   end
   function T.merge(t1, t2, dup)
      local res = {}
      for k, v in pairs(t1) do if dup or t2[k] then put(res, k, v) end end
      if dup then for k, v in pairs(t2) do put(res, k, v) end end
      return like(res, t1, 'Map')
   end
   function T.union(t1, t2) return T.merge(t1, t2, true) end
   function T.intersection(t1, t2) return T.merge(t1, t2, false) end
   function T.difference(s1, s2, symm)
      local res = {}
      for k, v in pairs(s1) do if s2[k] == nil then put(res, k, v) end end
      if symm then for k, v in pairs(s2) do if s1[k] == nil then put(res, k, v) end end end
      return like(res, s1, 'Map')
   end
   -- count_map(t, cmp): each distinct value's count (cmp, '==' by default, decides which
   -- values are the same), a Map. (Penlight 1.4.1 ends with setmetatable(res, 'Map'), a
   -- string, so there it raised setmetatable's error; kept working here, as later Penlights
   -- and this project's scripts have it: see docs/legacy_sweep.md, session 14)
   function T.count_map(t, cmp)
      local res, mask = {}, {}
      cmp = fn(2, cmp or '==')
      local n = #t
      for i = 1, n do
         local v = t[i]
         if not mask[v] then
            mask[v] = true
            res[v] = 1
            for j = i + 1, n do
               local w = t[j]
               if cmp(v, w) then
                  res[v] = res[v] + 1
                  mask[w] = true
               end
            end
         end
      end
      return setmetatable(res, require 'pl.Map')
   end
   -- search(t, value, exclude): where value is inside t, as a field path ('a.b', '[2]x'),
   -- tables already seen (and those of exclude) skipped
   local function search(t, value, seen)
      for k, v in pairs(t) do
         if v == value then return k end
      end
      for k, v in pairs(t) do
         if not seen[v] and lua_type(v) == 'table' then
            seen[v] = true
            local res = search(v, value, seen)
            if res then
               res = tostring(res)
               if lua_type(k) ~= 'string' then return '[' .. k .. ']' .. res end
               return k .. '.' .. res
            end
         end
      end
   end
   function T.search(t, value, exclude)
      local seen = {[t] = true}
      if exclude then for _, v in pairs(exclude) do seen[v] = true end end
      return search(t, value, seen)
   end
   -- makeset: the values as keys (true), a Set (through pairmap, as 1.4.1: a repeated
   -- value's entry becomes a table of trues)
   function T.makeset(t)
      return setmetatable(T.pairmap(function(_, v) return true, v end, t), require 'pl.Set')
   end
   -- index_map: value -> its key, through pairmap: a repeated value gets the table of its
   -- keys ({10, 30, 30} gives {[10] = 1, [30] = {2, 3}})
   function T.index_map(t)
      return setmetatable(T.pairmap(function(i, v) return i, v end, t), require 'pl.Map')
   end
   function T.index_by(t, idx)
      local l = {}
      for i = 1, #idx do l[i] = t[idx[i]] end
      return like(l, t, 'List')
   end
   function T.map(f, t, ...)
      f = fn(1, f)
      local res = {}
      for k, v in pairs(t) do put(res, k, f(v, ...)) end
      return like(res, t)
   end
   function T.imap(f, t, ...)
      f = fn(1, f)
      local res = {}
      for i = 1, #t do res[i] = f(t[i], ...) or false end
      return like(res, t, 'List')
   end
   function T.map2(f, t1, t2, ...)
      f = fn(1, f)
      local res = {}
      for k, v in pairs(t1) do put(res, k, f(v, t2[k], ...)) end
      return like(res, t1, 'List')
   end
   function T.transform(f, t, ...)
      f = fn(1, f)
      for k, v in pairs(t) do t[k] = f(v, ...) end
   end
   -- reduce(f, t): f folded over t from t[1] (1.4.1 takes no initial value: a third
   -- argument is ignored; an empty t gives nil)
   function T.reduce(f, t)
      f = fn(1, f)
      local res = t[1]
      for i = 2, #t do res = f(res, t[i]) end
      return res
   end
   function T.filter(t, pred, arg)
      pred = fn(2, pred)
      local res = {}
      for _, v in ipairs(t) do if pred(v, arg) then res[#res + 1] = v end end
      return like(res, t, 'List')
   end
   function T.foreach(t, f, ...) f = fn(2, f) for k, v in pairs(t) do f(v, k, ...) end end
   function T.foreachi(t, f, ...) f = fn(2, f) for i, v in ipairs(t) do f(v, i, ...) end end
   function T.find(t, val, idx)
      idx = idx or 1
      if idx < 0 then idx = #t + idx + 1 end
      for i = idx, #t do if t[i] == val then return i end end
      return nil
   end
   function T.rfind(t, val, idx)
      idx = idx or #t
      if idx < 0 then idx = #t + idx + 1 end
      for i = idx, 1, -1 do if t[i] == val then return i end end
      return nil
   end
   function T.find_if(t, cmp, arg)
      for k, v in pairs(t) do
         local c = cmp(v, arg)
         if c then return k, c end
      end
      return nil
   end
   function T.range(first, last, step)
      step = step or 1
      local l = List()
      for v = first, last, step do l[#l + 1] = v end
      return l
   end
   -- set(t, val, i1, i2): t[i1..i2] = val, or val(i) when val is callable; new(n, val) a
   -- fresh table so filled
   function T.set(t, val, i1, i2)
      i1, i2 = i1 or 1, i2 or #t
      if require('pl.types').is_callable(val) then
         for i = i1, i2 do t[i] = val(i) end
      else
         for i = i1, i2 do t[i] = val end
      end
   end
   function T.new(n, val)
      local res = {}
      T.set(res, val, 1, n)
      return res
   end
   function T.clear(t, istart)
      for i = istart or 1, #t do t[i] = nil end
   end
   -- icopy and move copy src[isrc..] (nsrc values, at most to src's end) to dest[idest..];
   -- a copy within one table to a later place goes through a copy of the range first; icopy
   -- then truncates dest after the last value written, move leaves the rest
   local function copy_range(dest, src, idest, isrc, nsrc, truncate)
      idest, isrc = idest or 1, isrc or 1
      local last = nsrc and isrc + math.min(nsrc - 1, #src - isrc) or #src
      if dest == src and idest > isrc and last >= idest then
         src = T.sub(src, isrc, nsrc)
         isrc, last = 1, #src
      end
      for i = isrc, last do
         dest[idest] = src[i]
         idest = idest + 1
      end
      if truncate then T.clear(dest, idest) end
      return dest
   end
   function T.icopy(dest, src, idest, isrc, nsrc)
      return copy_range(dest, src, idest, isrc, nsrc, true)
   end
   function T.move(dest, src, idest, isrc, nsrc)
      return copy_range(dest, src, idest, isrc, nsrc, false)
   end
   -- pairmap(f, t, ...): f(k, v, ...) gives (value[, key]); keyed results collect a repeated
   -- key's values into a table, the others are appended
   function T.pairmap(f, t, ...)
      f = fn(1, f)
      local r = {}
      for k, v in pairs(t) do
         local rv, rk = f(k, v, ...)
         if rk then
            local old = r[rk]
            if old == nil then r[rk] = rv
            elseif lua_type(old) == 'table' then tinsert(old, rv)
            else r[rk] = {old, rv} end
         else
            r[#r + 1] = rv
         end
      end
      return r
   end
   -- imap2(f, t1, t2, ...): f over the pairs up to the shorter length (a plain table)
   function T.imap2(f, t1, t2, ...)
      f = fn(1, f)
      local r = {}
      for i = 1, math.min(#t1, #t2) do r[i] = f(t1[i], t2[i], ...) end
      return r
   end
   -- mapn(f, t1, t2, ...): f(t1[i], t2[i], ...) up to the shortest table
   function T.mapn(f, ...)
      f = fn(1, f)
      local lists, n = {...}, math.huge
      for j = 1, #lists do n = math.min(n, #lists[j]) end
      local r = {}
      for i = 1, n do
         local args = {}
         for j = 1, #lists do args[j] = lists[j][i] end
         r[i] = f(unpack(args, 1, #lists))
      end
      return r
   end
   -- map_named_method(name, t, ...): t[i]:name(...) for each element, a List
   function T.map_named_method(name, t, ...)
      utils.assert_string(1, name)
      local r = {}
      for i = 1, #t do r[i] = t[i][name](t[i], ...) end
      return like(r, t, 'List')
   end
   -- readonly(t): an empty proxy reading through to t; writes raise an error
   function T.readonly(t)
      return setmetatable({}, {
         __index = t,
         __newindex = function() error('Attempt to modify read-only table', 2) end,
         __pairs = function() return pairs(t) end,
         __ipairs = function() return ipairs(t) end,
         __len = function() return #t end,
         __metatable = false,
      })
   end
   -- compare_no_order(t1, t2[, cmp]): same length and each of t1's values matches a distinct
   -- value of t2 (== or cmp), taken in order
   function T.compare_no_order(t1, t2, cmp)
      if cmp then cmp = fn(3, cmp) end
      if #t1 ~= #t2 then return false end
      local used = {}
      for i = 1, #t1 do
         local hit
         for j = 1, #t2 do
            if not used[j] then
               local same
               if cmp then same = cmp(t1[i], t2[j]) else same = t1[i] == t2[j] end
               if same then hit = j break end
            end
         end
         if not hit then return false end
         used[hit] = true
      end
      return true
   end
   function T.insertvalues(t, pos, values)
      if not values then values, pos = pos, #t + 1 end
      for i = #values, 1, -1 do tinsert(t, pos, values[i]) end
      return t
   end
   -- a slice's bounds (1.4.1's _normalize_slice): defaults 1 and #t, negatives from the end
   function T._normalize_slice(t, first, last)
      local sz = #t
      first = first or 1
      if first < 0 then first = sz + first + 1 end
      last = last or sz
      if last < 0 then last = sz + 1 + last end
      return first, last
   end
   function T.removevalues(t, i1, i2)
      utils.assert_arg(1, t, 'table')
      i1, i2 = T._normalize_slice(t, i1, i2)
      for _ = i1, i2 do table.remove(t, i1) end
      return t
   end
   function T.sub(t, first, last)
      first, last = first or 1, last or #t
      if first < 0 then first = #t + first + 1 end
      if last < 0 then last = #t + last + 1 end
      local l = {}
      for i = first, last do l[#l + 1] = t[i] end
      return like(l, t, 'List')
   end
   -- zip: rows of the tables' i-th values, as many as the shortest has (mapn's)
   function T.zip(...)
      return T.mapn(function(...) return {...} end, ...)
   end
   -- iterate over the keys in sorted order (or the values, sortv)
   function T.sort(t, f)
      local keys = {}
      for k in pairs(t) do keys[#keys + 1] = k end
      table.sort(keys, f)
      local i = 0
      return function() i = i + 1 return keys[i], t[keys[i]] end
   end
   function T.sortv(t, f)
      f = f or function(a, b) return a < b end
      local keys = {}
      for k in pairs(t) do keys[#keys + 1] = k end
      table.sort(keys, function(x, y) return f(t[x], t[y]) end)
      local i = 0
      return function() i = i + 1 return keys[i], t[keys[i]] end
   end
   -- Penlight 1.4.1's argument checks: {argument position, the index its message names (not
   -- always the position: map(f, t) says 'argument 1'), what it must be}; the error, 'argument
   -- n is not indexable' (pl.types' is_indexable, is_iterable, is_writeable), names the caller
   local checks = {
      update = {{1, 1, 'writeable'}, {2, 2, 'iterable'}}, size = {{1, 1, 'iterable'}},
      copy = {{1, 1, 'iterable'}},
      compare = {{1, 1, 'indexable'}, {2, 2, 'indexable'}},
      compare_no_order = {{1, 1, 'indexable'}, {2, 2, 'indexable'}},
      find = {{1, 1, 'indexable'}}, rfind = {{1, 1, 'indexable'}},
      find_if = {{1, 1, 'iterable'}}, index_by = {{1, 1, 'indexable'}, {2, 2, 'indexable'}},
      map = {{2, 1, 'iterable'}}, imap = {{2, 1, 'indexable'}},
      map_named_method = {{2, 2, 'indexable'}}, transform = {{2, 1, 'iterable'}},
      map2 = {{2, 1, 'iterable'}, {3, 2, 'iterable'}},
      imap2 = {{2, 2, 'indexable'}, {3, 3, 'indexable'}}, reduce = {{2, 2, 'indexable'}},
      foreach = {{1, 1, 'iterable'}}, foreachi = {{1, 1, 'indexable'}},
      pairmap = {{2, 1, 'iterable'}}, keys = {{1, 1, 'iterable'}}, values = {{1, 1, 'iterable'}},
      index_map = {{1, 1, 'indexable'}}, makeset = {{1, 1, 'indexable'}},
      merge = {{1, 1, 'iterable'}, {2, 2, 'iterable'}},
      difference = {{1, 1, 'iterable'}, {2, 2, 'iterable'}}, count_map = {{1, 1, 'indexable'}},
      filter = {{1, 1, 'indexable'}}, icopy = {{1, 1, 'indexable'}, {2, 2, 'indexable'}},
      move = {{1, 1, 'indexable'}, {2, 2, 'indexable'}}, sub = {{1, 1, 'indexable'}},
      set = {{1, 1, 'indexable'}}, search = {{1, 1, 'iterable'}},
   }
   for name, list in pairs(checks) do
      local f = T[name]
      T[name] = function(...)
         local types = require 'pl.types'
         for _, c in ipairs(list) do
            if not types['is_' .. c[3]]((select(c[1], ...))) then
               error(('argument %d is not %s'):format(c[2], c[3]), 2)
            end
         end
         return f(...)
      end
   end
   return T
end

-- pl.pretty -----------------------------------------------------------------------------------
function M.pretty()
   local utils = require 'pl.utils'
   local quote_string = (require 'pl.stringx').quote_string
   local P = {}
   -- Penlight 1.4's pretty has its own tostring for numbers: NaN, Inf, -Inf, an integral value
   -- through ('%d'):format (LuaJIT's %d of an out-of-range value included), else %.14g
   local lua_tostring, huge, floor = tostring, math.huge, math.floor
   local function tostring(v)
      if lua_type(v) ~= 'number' then return lua_tostring(v) end
      if v ~= v then return 'NaN' end
      if v == huge then return 'Inf' end
      if v == -huge then return '-Inf' end
      if floor(v) == v then return ('%d'):format(v) end
      return ('%.14g'):format(v)
   end
   local keywords = {}
   for w in ([[and break do else elseif end false for function goto if in local nil not or
      repeat return then true until while]]):gmatch('%a+') do keywords[w] = true end
   local function identifier(s)
      return lua_type(s) == 'string' and find(s, '^[%a_][%w_]*$') and not keywords[s]
   end
   local function keytext(numkey, key)
      if not numkey then
         key = lua_type(key) == 'table' and P.write(key, '') or quote_string(key)
         if find(key, '^%[') then key = ' ' .. key .. ' ' end
      end
      return '[' .. key .. ']'
   end
   -- a table as Lua source: array items first, then the other keys in pairs() order, one per
   -- line, `space` per level; a table met again inside itself is <cycle>
   function P.write(t, space, not_clever)
      if lua_type(t) ~= 'table' then
         if lua_type(t) == 'string' then return quote_string(t) end
         return tostring(t), 'not a table'
      end
      local set = (space == '') and '=' or ' = '
      space = space or '  '
      local lines, line, open = {}, '', {}
      local function put(s) line = line .. s end
      local function putln(s)
         if #line > 0 then
            lines[#lines + 1] = line .. s
            line = ''
         else
            lines[#lines + 1] = s
         end
      end
      local function drop_comma()
         local n = #lines
         if lines[n]:sub(-1) == ',' then lines[n] = lines[n]:sub(1, -2) end
      end
      local function emit(v, oldindent, indent)
         local tp = lua_type(v)
         if tp == 'string' then
            putln(quote_string(v) .. ',')
         elseif tp ~= 'table' then
            local s = tostring(v)
            if find(s, ' ') then s = quote_string(s) end
            putln(s .. ',')
         elseif open[v] then
            putln('<cycle>,')
         else
            open[v] = true
            local inner = indent .. space
            putln('{')
            local used = {}
            if not not_clever then
               for i, x in ipairs(v) do
                  put(indent)
                  emit(x, indent, inner)
                  used[i] = true
               end
            end
            for k, x in pairs(v) do
               local numkey = lua_type(k) == 'number'
               if not_clever then
                  put(indent .. keytext(numkey, tostring(k)) .. set)
                  emit(x, indent, inner)
               elseif not numkey or not used[k] then
                  local key = k
                  if lua_type(key) ~= 'string' then key = tostring(key) end
                  if numkey or not identifier(key) then key = keytext(numkey, key) end
                  put(indent .. key .. set)
                  emit(x, indent, inner)
               end
            end
            open[v] = nil
            drop_comma()
            putln(oldindent .. '},')
         end
      end
      emit(t, '', space)
      drop_comma()
      return concat(lines, #space > 0 and '\n' or '')
   end
   function P.dump(t, filename)
      if not filename then
         print(P.write(t))
         return true
      end
      return utils.writefile(filename, P.write(t))
   end
   -- number(x, kind, prec): 'M' memory sizes (B, KiB, MiB, GiB by 1024), 'N' (the default)
   -- counts (K, M, B by 1000), each with prec (1) decimals past the first step; 'T' thousands
   -- separated by commas, each group written as the number it is (1005 gives '1,5', as
   -- Penlight 1.4.1 writes it)
   local function comma(v)
      local thou = floor(v / 1000)
      if thou > 0 then return comma(thou) .. ',' .. tostring(v % 1000) end
      return tostring(v)
   end
   function P.number(num, kind, prec)
      if kind == 'T' then return comma(num) end
      local fmt = '%.' .. (prec or 1) .. 'f%s'
      local fact, post = 1000, {'', 'K', 'M', 'B'}
      if kind == 'M' then fact, post = 1024, {'B', 'KiB', 'MiB', 'GiB'} end
      local div, k = fact, 1
      while num >= div and k <= #post do
         div = div * fact
         k = k + 1
      end
      div = div / fact
      if k > #post then k, div = k - 1, div / fact end
      if k > 1 then return fmt:format(num / div, post[k]) end
      return num .. post[1]
   end
   -- while read (or a paranoid load) runs its chunk, strings have no metatable (so
   -- ('x'):rep(1e9) cannot run) and no debug hook is set; both are put back after
   local function bare()
      local saved = {debug.gethook()}
      debug.sethook()
      saved.string_mt = getmetatable('')
      debug.setmetatable('', nil)
      return saved
   end
   local function restore(saved)
      if not saved then return end
      debug.setmetatable('', saved.string_mt)
      debug.sethook(saved[1], saved[2] or '', saved[3])
   end
   local function has_keyword(s, words)
      for t, v in require('pl.lexer').lua(s) do
         if t == 'keyword' and words[v] then return true end
      end
      return false
   end
   -- read(s): a table from Lua source text (leading comment lines skipped), run with no
   -- globals; text that is not a table constructor, or that holds a function, is refused
   function P.read(s)
      utils.assert_arg(1, s, 'string')
      if find(s, '^%s*%-%-') then s = gsub(s, '%-%-.-\n', '') end
      if not find(s, '^%s*{') then return nil, 'not a Lua table' end
      if find(s, '[^\'"%w_]function[^\'"%w_]') and has_keyword(s, {['function'] = true}) then
         return nil, 'cannot have functions in table definition'
      end
      local chunk, err = loadstring('return ' .. s, 'tbl')
      if not chunk then return nil, err end
      setfenv(chunk, {})
      local saved = bare()
      local ok, res = pcall(chunk)
      restore(saved)
      if not ok then return nil, res end
      return res
   end
   -- load(s, env, paranoid): run s (assignments) in env ({} by default) and return env;
   -- paranoid refuses loops and functions and runs it as read does
   function P.load(s, env, paranoid)
      env = env or {}
      if paranoid and has_keyword(s, {['for'] = true, ['repeat'] = true,
                                      ['function'] = true, ['goto'] = true}) then
         return nil, 'looping not allowed'
      end
      local chunk, err = loadstring(s, 'tbl')
      if not chunk then return nil, err end
      setfenv(chunk, env)
      local saved = paranoid and bare()
      local ok, e = pcall(chunk)
      restore(saved)
      if not ok then return nil, e end
      return env
   end
   return P
end

-- pl.dir --------------------------------------------------------------------------------------
-- Directory listings and trees (lfs underneath): shell masks as fnmatch, results as Lists of
-- full paths in the directory's own order.
function M.dir()
   local lfs = require 'lfs'
   local utils = require 'pl.utils'
   local path = require 'pl.path'
   local List = require 'pl.List'
   local dir = {}
   local function mask_pattern(mask)
      mask = gsub(mask, '[%(%)%.%%%+%-%^%$%[%]]', '%%%0')
      mask = gsub(gsub(mask, '%*', '.*'), '%?', '.')
      return '^' .. mask .. '$'
   end
   function dir.fnmatch(file, mask)
      return find(file, mask_pattern(mask)) ~= nil
   end
   function dir.filter(files, mask)
      local pat, res = mask_pattern(mask), List()
      for _, f in ipairs(files) do
         if find(path.basename(f), pat) then res:append(f) end
      end
      return res
   end
   local function listing(d, mask, want)
      d = d or '.'
      local pat = mask and mask_pattern(mask)
      local res = List()
      for f in lfs.dir(d) do
         if f ~= '.' and f ~= '..' then
            local full = path.join(d, f)
            if lfs.attributes(full, 'mode') == want and (not pat or find(f, pat)) then
               res:append(full)
            end
         end
      end
      return res
   end
   function dir.getfiles(d, mask) return listing(d, mask, 'file') end
   function dir.getdirectories(d) return listing(d, nil, 'directory') end
   function dir.makepath(p)
      if path.isdir(p) then return true end
      local parent = path.dirname(p)
      if parent ~= '' and parent ~= p and not path.isdir(parent) then
         local ok, err = dir.makepath(parent)
         if not ok then return nil, err end
      end
      return lfs.mkdir(p)
   end
   function dir.walk(root, bottom_up, follow_links)
      local function walk(r)
         local dirs, files = {}, {}
         for f in lfs.dir(r) do
            if f ~= '.' and f ~= '..' then
               local full = path.join(r, f)
               local mode = (follow_links and lfs.attributes or lfs.symlinkattributes)(full, 'mode')
               if mode == 'directory' then dirs[#dirs + 1] = f else files[#files + 1] = f end
            end
         end
         if not bottom_up then coroutine.yield(r, dirs, files) end
         for _, d in ipairs(dirs) do walk(path.join(r, d)) end
         if bottom_up then coroutine.yield(r, dirs, files) end
      end
      return coroutine.wrap(function() walk(root) end)
   end
   function dir.dirtree(d)
      return coroutine.wrap(function()
         local function tree(r)
            for f in lfs.dir(r) do
               if f ~= '.' and f ~= '..' then
                  local full = path.join(r, f)
                  local isdir = lfs.attributes(full, 'mode') == 'directory'
                  coroutine.yield(full, isdir)
                  if isdir then tree(full) end
               end
            end
         end
         tree(d)
      end)
   end
   function dir.getallfiles(start, mask)
      local pat = mask and mask_pattern(mask)
      local res = List()
      for f, isdir in dir.dirtree(start or '.') do
         if not isdir and (not pat or find(path.basename(f), pat)) then res:append(f) end
      end
      return res
   end
   function dir.rmtree(p)
      utils.assert_arg(1, p, 'string', path.isdir, 'not a directory', 3)
      if path.islink(p) then return false, 'will not follow symlink' end
      for root, dirs, files in dir.walk(p, true) do
         for _, f in ipairs(files) do os.remove(path.join(root, f)) end
         lfs.rmdir(root)
      end
      return true
   end
   -- Penlight 1.4.1 on POSIX copies and moves with cp and mv through utils.execute, their
   -- errors sent to a temporary file whose first line is the message; under Torch7's LuaJIT
   -- execute answers false even when the command worked (pl.compat), so these return false
   -- and the (empty) message after doing their work, as they did there. copyfile(src, dest,
   -- false) refuses an existing dest first.
   local function shell_op(cmd, src, dest)
      local tmp = path.tmpname()
      local ok = utils.execute(cmd .. ' ' .. utils.quote_arg(src) .. ' ' ..
                               utils.quote_arg(dest) .. ' 2> ' .. utils.quote_arg(tmp))
      local err = not ok and (utils.readfile(tmp) or ''):gsub('\n(.*)', '')
      os.remove(tmp)
      if not ok then return false, err end
      return true
   end
   function dir.copyfile(src, dest, flag)
      utils.assert_string(1, src)
      utils.assert_string(2, dest)
      if flag ~= nil and not flag and path.exists(dest) then
         return false, 'cannot overwrite destination'
      end
      return shell_op('cp', src, dest)
   end
   function dir.movefile(src, dest)
      utils.assert_string(1, src)
      utils.assert_string(2, dest)
      return shell_op('mv', src, dest)
   end
   -- clonetree(path1, path2, file_fun, verbose): path1's directory tree made again under
   -- path2 (file_fun(src, dest) called for each file when given); true and the lists of
   -- directories and files that failed, or utils.raise's answer for bad paths
   function dir.clonetree(path1, path2, file_fun, verbose)
      utils.assert_string(1, path1)
      utils.assert_string(2, path2)
      if verbose == true then verbose = print end
      local faildirs, failfiles = {}, {}
      if not path.isdir(path1) then return utils.raise 'source is not a valid directory' end
      path1 = path.abspath(path.normcase(path1))
      path2 = path.abspath(path.normcase(path2))
      if verbose then verbose('normalized:', path1, path2) end
      if path1 == path2 then return utils.raise 'paths are the same' end
      local _, i2 = find(path2, path1, 1, true)
      if i2 == #path1 and sub(path2, i2 + 1, i2 + 1) == path.sep then
         return utils.raise 'destination is a subdirectory of the source'
      end
      local idx = #path.common_prefix(path1, path2)
      for root, _, files in dir.walk(path1) do
         local opath = path2 .. sub(root, idx)
         if verbose then verbose('paths:', opath, root) end
         if not path.isdir(opath) then
            local ret = dir.makepath(opath)
            if not ret then tinsert(faildirs, opath) end
            if verbose then verbose('creating:', opath, ret) end
         end
         if file_fun then
            for _, f in ipairs(files) do
               local p1, p2 = path.join(root, f), path.join(opath, f)
               local ret = file_fun(p1, p2)
               if not ret then tinsert(failfiles, p2) end
               if verbose then verbose('files:', p1, p2, ret) end
            end
         end
      end
      return true, faildirs, failfiles
   end
   return dir
end

return M
