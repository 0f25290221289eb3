-- Penlight's application modules, as Torch7's th had them (Penlight 1.4.1): pl.app, pl.config,
-- pl.input, pl.array2d, pl.test, pl.Date. Written for torch7py after Penlight's documented
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
   -- alltokens(getter, pattern, fn): the matches of pattern in the lines getter gives (fn
   -- applied to each)
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
   -- a string is the text itself (its lines), a file-like object is read line by line,
   -- nothing is io.read (stdin)
   function input.create_getter(f)
      if not f then return io.read end
      if lua_type(f) == 'string' then
         local lines = utils.split(f, '\n')
         local i = 0
         return function()
            i = i + 1
            return lines[i]
         end
      end
      if not f.read then error('not a file-like object') end
      return function() return f:read() end
   end
   function input.numbers(f)
      return input.alltokens(input.create_getter(f), '(' .. utils.patterns.FLOAT .. ')',
                             tonumber)
   end
   function input.words(f)
      return input.alltokens(input.create_getter(f), '%w+')
   end
   -- fields(ids, delim, f, opts): for each line that has them, the fields numbered in ids (a
   -- list, or n: the first n), matched by one pattern built from delim (whitespace by
   -- default); numbers converted (a field that is not one quits the script, naming the line)
   -- unless opts.no_convert; opts.no_fail keeps such fields as they are
   function input.fields(ids, delim, f, opts)
      local getter = input.create_getter(f)
      local no_fail = opts and opts.no_fail
      local no_convert = opts and opts.no_convert
      local sep, pat
      if not delim or delim == ' ' then
         delim, sep, pat = '%s', '%s+', '%s*'
      else
         sep, pat = delim, ''
      end
      local top = 0
      if lua_type(ids) == 'table' then
         for _, id in pairs(ids) do if id > top then top = id end end
      else
         top, ids = ids, {}
         for i = 1, top do ids[i] = i end
      end
      local field = '[^' .. delim .. ']*'
      local k = 1
      for i = 1, top do
         if ids[k] == i then
            k = k + 1
            pat = pat .. '(' .. field .. ')'
         else
            pat = pat .. field
         end
         if i < top then pat = pat .. sep end
      end
      local lineno = 1
      return function()
         local res
         repeat
            local line = getter()
            lineno = lineno + 1
            if not line then return nil end
            res = {match(line, pat)}
            if not no_convert then
               for i = 1, #res do
                  local n = tonumber(res[i])
                  if n ~= nil then
                     res[i] = n
                  elseif not no_fail then
                     utils.quit('line ' .. (lineno - 1) .. ": cannot convert '" .. res[i] ..
                                "' to number")
                  end
               end
            end
         until #res > 0
         return unpack(res)
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
   -- the range a function works on: rows i1..i2, columns j1..j2, the whole array by default;
   -- a negative end counts from the last
   local function default_range(t, i1, j1, i2, j2)
      local nr, nc = array2d.size(t)
      i1, j1, i2, j2 = i1 or 1, j1 or 1, i2 or nr, j2 or nc
      if i2 < 0 then i2 = nr + i2 + 1 end
      if j2 < 0 then j2 = nc + j2 + 1 end
      return i1, j1, i2, j2
   end
   -- product(f, t1, t2): row i is f(x, t2[i]) for each x of t1 (tablex.map's)
   function array2d.product(f, t1, t2)
      f = utils.function_arg(1, f)
      utils.assert_arg(2, t1, 'table')
      utils.assert_arg(3, t2, 'table')
      local tablex = require 'pl.tablex'
      local res = {}
      for i, v in ipairs(t2) do res[i] = tablex.map(f, t1, v) end
      return res
   end
   -- reshape(t, nrows, co): the same values in nrows rows, read row by row (column by column
   -- with co)
   function array2d.reshape(t, nrows, co)
      local nr, nc = array2d.size(t)
      local ncols = nr * nc / nrows
      local res = {}
      local ir, ic = 1, 1
      for i = 1, nrows do
         local row = {}
         for j = 1, ncols do
            row[j] = t[ir][ic]
            if co then
               ir = ir + 1
               if ir > nr then ir, ic = 1, ic + 1 end
            else
               ic = ic + 1
               if ic > nc then ir, ic = ir + 1, 1 end
            end
         end
         res[i] = row
      end
      local mt = getmetatable(t)
      if mt then setmetatable(res, mt) end
      return res
   end
   -- set(t, value, i1, j1, i2, j2): value (or value(i, j)... as tablex.set) over the range
   function array2d.set(t, value, i1, j1, i2, j2)
      i1, j1, i2, j2 = default_range(t, i1, j1, i2, j2)
      local tablex = require 'pl.tablex'
      for i = i1, i2 do tablex.set(t[i], value, j1, j2) end
   end
   -- forall(t, row_op, end_row_op, ...): row_op(row, j) over the range, end_row_op(i) after
   -- each row
   function array2d.forall(t, row_op, end_row_op, i1, j1, i2, j2)
      utils.assert_arg(1, t, 'table')
      i1, j1, i2, j2 = default_range(t, i1, j1, i2, j2)
      for i = i1, i2 do
         local row = t[i]
         for j = j1, j2 do row_op(row, j) end
         if end_row_op then end_row_op(i) end
      end
   end
   -- move(dest, di, dj, src, ...): src's range copied into dest from (di, dj), clipped to
   -- dest's size as 1.4.1 clips it (by src's indices)
   function array2d.move(dest, di, dj, src, i1, j1, i2, j2)
      utils.assert_arg(1, dest, 'table')
      utils.assert_arg(4, src, 'table')
      i1, j1, i2, j2 = default_range(src, i1, j1, i2, j2)
      local nr, nc = array2d.size(dest)
      i2, j2 = math.min(nr, i2), math.min(nc, j2)
      for i = i1, i2 do
         local drow, srow = dest[i + di - 1], src[i]
         for j = j1, j2 do drow[j + dj - 1] = srow[j] end
      end
   end
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

return M
