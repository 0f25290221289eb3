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
   -- lua(): the command line that started the interpreter (arg's entries below 1... -1,
   -- quoted) and its first word (arg's lowest entry)
   function app.lua()
      local args = rawget(_G, 'arg') or error 'not in a main program'
      local imin = 0
      for i in pairs(args) do if i < imin then imin = i end end
      local cmd = {}
      for i = imin, -1 do cmd[#cmd + 1] = utils.quote_arg(args[i]) end
      return concat(cmd, ' '), args[imin]
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
      local fun = require('pl.types').is_callable(val)
      for i = 1, rows do
         local row = {}
         for j = 1, cols do
            if fun then row[j] = val(i, j) else row[j] = val end
         end
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
   local utils = require 'pl.utils'
   local path = require 'pl.path'
   local test = {}
   -- values as a failure shows them: tables (without __tostring) through pretty.write,
   -- strings double-quoted
   local function dump(x)
      if lua_type(x) == 'table' and not (getmetatable(x) and getmetatable(x).__tostring) then
         return pretty.write(x, ' ', true)
      elseif lua_type(x) == 'string' then
         return '"' .. x .. '"'
      end
      return tostring(x)
   end
   -- a failure: 'file:line: assertion failed', got and needed, then quit(1, msg)
   function test.error_handler(file, line, got_text, needed_text, msg)
      local err = io.stderr
      err:write(path.basename(file) .. ':' .. line .. ': assertion failed\n')
      err:write('got:\t', got_text, '\n')
      err:write('needed:\t', needed_text, '\n')
      utils.quit(1, msg or 'these values were not equal')
   end
   -- where: how many levels above the assertion's caller the reported line is
   local function complain(x, y, msg, where)
      local info = debug.getinfo(3 + (where or 0))
      test.error_handler(info.short_src, info.currentline, dump(x), dump(y), msg)
   end
   test.complain = complain
   -- equal by == first (a class's __eq decides), else by contents (within eps)
   function test.asserteq(x, y, eps, where)
      local ok = x == y
      if not ok then ok = tablex.deepcompare(x, y, true, eps) end
      if not ok then complain(x, y, nil, where) end
   end
   -- s1 matches the pattern s2
   function test.assertmatch(s1, s2, where)
      if not s1:match(s2) then complain(s1, s2, 'these strings did not match', where) end
   end
   -- fn (or {fn, args...}) raises an error matching the pattern e
   function test.assertraise(fn, e, where)
      local ok, err
      if lua_type(fn) == 'table' then
         ok, err = pcall(unpack(fn))
      else
         ok, err = pcall(fn)
      end
      if not err or err:match(e) == nil then
         complain(err, e, 'these errors did not match', where)
      end
   end
   function test.asserteq2(x1, x2, y1, y2, where)
      if x1 ~= y1 then complain(x1, y1, nil, where) end
      if x2 ~= y2 then complain(x2, y2, nil, where) end
   end
   -- tuples: multiple values compared and shown together, tuple(1, "a")
   local tuple_mt = {unpack = table.unpack}
   tuple_mt.__index = tuple_mt
   function tuple_mt.__tostring(self)
      local parts = {}
      for i = 1, self.n do
         local v = self[i]
         parts[i] = lua_type(v) == 'string' and ('%q'):format(v) or tostring(v)
      end
      return 'tuple(' .. concat(parts, ', ') .. ')'
   end
   function tuple_mt.__eq(a, b)
      if a.n ~= b.n then return false end
      for i = 1, a.n do if a[i] ~= b[i] then return false end end
      return true
   end
   function tuple_mt.__len(self) return self.n end
   function test.tuple(...)
      return setmetatable({n = select('#', ...), ...}, tuple_mt)
   end
   function test.timer(msg, n, fun, ...)
      local start = os.clock()
      for _ = 1, n do fun(...) end
      utils.printf('%s: took %7.2f sec\n', msg, os.clock() - start)
   end
   return test
end

-- pl.Date (Penlight 1.4.1): a time (os.time's seconds) and its fields (tab, os.date's '*t',
-- or '!*t' for a UTC date). Date() now, Date('utc') now in UTC, Date(seconds) a UTC date,
-- Date(table) local (missing year/month/day from today, or month 1 / day 1 when some are
-- given), Date(y, m, d, h, min, s), Date(date) a copy. tostring is ISO 8601 with a Z or
-- the zone's offset. Date.Format('yyyy-mm-dd') reads and writes that layout; Date.Format()
-- reads free-form dates ('5 Feb 2012', '28/10/02 15:30', '8.05pm', ISO with zones).
function M.Date()
   local class = require 'pl.class'
   local stringx = require 'pl.stringx'
   local utils = require 'pl.utils'
   local os_time, os_date = os.time, os.date
   local Date = class()
   Date.Format = class()
   function Date:_init(t, ...)
      local time
      local nargs = select('#', ...)
      if nargs > 2 then
         local m, d, h, mi, sec = ...
         t = {year = t, month = m, day = d, hour = h, min = mi, sec = sec}
      end
      if nargs == 1 then self.utc = select(1, ...) == true end
      if t == nil or t == 'utc' then
         time = os_time()
         self.utc = t == 'utc'
      elseif lua_type(t) == 'number' then
         time = t
         if self.utc == nil then self.utc = true end
      elseif lua_type(t) == 'table' then
         if getmetatable(t) == Date then
            time = t.time
            self.utc = t.utc
         else
            if not (t.year and t.month) then
               local now = os_date('*t')
               if not t.year and not t.month and not t.day then
                  t.year, t.month, t.day = now.year, now.month, now.day
               else
                  t.year = t.year or now.year
                  t.month = t.month or (t.day and now.month or 1)
                  t.day = t.day or 1
               end
            end
            t.day = t.day or 1
            time = os_time(t)
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
   -- tzone(ts): the local zone's offset from UTC in seconds at ts (a Date, a table or now)
   function Date.tzone(ts)
      if ts == nil then
         ts = os_time()
      elseif lua_type(ts) == 'table' then
         ts = getmetatable(ts) == Date and ts.time or Date(ts).time
      end
      local utc, lcl = os_date('!*t', ts), os_date('*t', ts)
      lcl.isdst = false
      return os.difftime(os_time(lcl), os_time(utc))
   end
   function Date:toUTC()
      local d = Date(self)
      if not self.utc then
         d.utc = true
         d:set(d.time)
      end
      return d
   end
   function Date:toLocal()
      local d = Date(self)
      if self.utc then
         d.utc = false
         d:set(d.time)
      end
      return d
   end
   -- d:year() reads a field; d:year(v) sets it (through os.time, so it normalises)
   for _, f in ipairs({'year', 'month', 'day', 'hour', 'min', 'sec', 'yday'}) do
      Date[f] = function(self, val)
         if not val then return self.tab[f] end
         utils.assert_arg(1, val, 'number')
         self.tab[f] = val
         self:set(os_time(self.tab))
         return self
      end
   end
   function Date:weekday_name(full) return os_date(full and '%A' or '%a', self.time) end
   function Date:month_name(full) return os_date(full and '%B' or '%b', self.time) end
   function Date:is_weekend() return self.tab.wday == 1 or self.tab.wday == 7 end
   -- add{field = n}: one field moved (the hour kept across a daylight-saving change)
   function Date:add(t)
      local old_dst = self.tab.isdst
      local key, val = next(t)
      self.tab[key] = self.tab[key] + val
      self:set(os_time(self.tab))
      if old_dst ~= self.tab.isdst then
         self.tab.hour = self.tab.hour - (old_dst and 1 or -1)
         self:set(os_time(self.tab))
      end
      return self
   end
   function Date:last_day()
      local m = self.tab.month
      while self.tab.month == m do self:add {day = 1} end
      self:add {day = -1}
      return self
   end
   function Date:diff(other)
      local dt = self.time - other.time
      if dt < 0 then error('date difference is negative!', 2) end
      return Date.Interval(dt)
   end
   function Date:__tostring()
      local f = '%Y-%m-%dT%H:%M:%S'
      if self.utc then return os_date('!' .. f, self.time) .. 'Z' end
      local t = os_date(f, self.time)
      local offs = self:tzone()
      if offs == 0 then return t .. 'Z' end
      local sign = offs > 0 and '+' or '-'
      local h, m = math.ceil(offs / 3600), (offs % 3600) / 60
      if m == 0 then return t .. ('%s%02d'):format(sign, h) end
      return t .. ('%s%02d:%02d'):format(sign, h, m)
   end
   function Date:__eq(other) return self.time == other.time end
   function Date:__lt(other) return self.time < other.time end
   Date.__sub = Date.diff
   function Date:__add(other)
      local d = Date(self)
      if Date.Interval:class_of(other) then other = {sec = other.time} end
      d:add(other)
      return d
   end
   -- Date.Interval(seconds): a span, written as '1 month ', '4 min 58 sec ', 'zero'
   Date.Interval = class(Date)
   function Date.Interval:_init(t) self:set(t) end
   function Date.Interval:set(t)
      self.time = t
      self.tab = os_date('!*t', t)
   end
   local function ess(n) return n > 1 and 's ' or ' ' end
   function Date.Interval:__tostring()
      local t, res = self.tab, ''
      local y, m, d = t.year - 1970, t.month - 1, t.day - 1
      if y > 0 then res = res .. y .. ' year' .. ess(y) end
      if m > 0 then res = res .. m .. ' month' .. ess(m) end
      if d > 0 then res = res .. d .. ' day' .. ess(d) end
      if y == 0 and m == 0 then
         if t.hour > 0 then res = res .. t.hour .. ' hour' .. ess(t.hour) end
         if t.min > 0 then res = res .. t.min .. ' min ' end
         if t.sec > 0 then res = res .. t.sec .. ' sec ' end
      end
      if res == '' then res = 'zero' end
      return res
   end
   -- a format's letters: d day, y year (yy or yyyy), m month, H hour, M minute, S second; one
   -- letter reads any number of digits, n letters n digits
   local fields = {d = {'day', {true, true}}, y = {'year', {false, true, false, true}},
                   m = {'month', {true, true}}, H = {'hour', {true, true}},
                   M = {'min', {true, true}}, S = {'sec', {true, true}}}
   local parse_date
   function Date.Format:_init(f)
      if not f then
         self.fmt = '%Y-%m-%d %H:%M:%S'
         self.outf = self.fmt
         self.plain = true
         return
      end
      local DIGIT, PLUS, OPEN, CLOSE = '\001', '\002', '\003', '\004'
      local vars, used, patt, outf = {}, {}, {}, {}
      local i = 1
      -- (the format's last character is never a field: 1.4.1 stops before it)
      while i < #f do
         local ch = sub(f, i, i)
         local spec = fields[ch]
         if spec then
            if used[ch] then error('field appeared twice: ' .. ch, 4) end
            used[ch] = true
            local _, last = find(f, ch .. '+', i + 1)
            local n = _ and last - i + 1 or 1
            if not spec[2][n] then error('wrong number of fields: ' .. ch, 4) end
            patt[#patt + 1] = OPEN .. (n == 1 and DIGIT .. PLUS or DIGIT:rep(n)) .. CLOSE
            vars[#vars + 1] = ch
            if ch == 'y' then
               outf[#outf + 1] = n == 2 and '%y' or '%Y'
            else
               outf[#outf + 1] = '%' .. ch
            end
            i = i + n
         else
            patt[#patt + 1] = ch
            outf[#outf + 1] = ch
            i = i + 1
         end
      end
      local pat = utils.escape(concat(patt))
      pat = gsub(gsub(gsub(gsub(pat, DIGIT, '%%d'), PLUS, '+'), OPEN, '('), CLOSE, ')')
      self.fmt = pat
      self.outf = concat(outf)
      self.vars = vars
   end
   function Date.Format:parse(str)
      utils.assert_string(1, str)
      -- (1.4.1 hands US_order's flag to a parse_date that drops it)
      if self.plain then return parse_date(str) end
      local res = {match(str, self.fmt)}
      if #res == 0 then return nil, 'cannot parse ' .. str end
      local tab = {}
      for i, v in ipairs(self.vars) do tab[fields[v][1]] = tonumber(res[i]) end
      if not (tab.year and tab.month and tab.day) then
         local today = Date()
         tab.year = tab.year or today:year()
         tab.month = tab.month or today:month()
         tab.day = tab.day or today:day()
      end
      if tab.year < 100 then tab.year = tab.year + (tab.year < 35 and 2000 or 1999) end
      return Date(tab)
   end
   function Date.Format:tostring(d)
      local f, tm = self.outf, d
      if lua_type(d) ~= 'number' then
         tm = d.time
         if d.utc then f = '!' .. f end
      end
      return os_date(f, tm)
   end
   function Date.Format:US_order(yesno) self.us = yesno end

   -- free-form parsing: [day] [monthname] [year] [time], day/month[/year] [time] (month/day
   -- with US_order), yyyy-mm-dd[Thh:mm[:ss][.frac][Z|+hh[:mm]]]; times hh:mm[:ss], hhmm[ss],
   -- h.m[am|pm]; what is missing comes from today (the hour 12)
   local months
   local unsafe
   local function month_names()
      local d = unsafe '2000-12-31'
      months = {}
      for i = 1, 12 do
         d = d:last_day()
         d:add {day = 1}
         months[d:month_name():lower()] = i
      end
   end
   local function tonum(s, lo, hi, kind)
      kind = kind or ''
      local n = tonumber(s)
      if not n then error(("%snot a number: '%s'"):format(kind, s)) end
      if n < lo or n > hi then
         error(('%s out of range: %s is not between %d and %d'):format(kind, s, lo, hi))
      end
      return n
   end
   -- the seconds (with a fraction) and the zone ({h, m}; nil when none) after a time
   local function iso_end(p, ns, sec)
      local _, nfrac, frac = find(p, '^%.%d+', ns + 1)
      if frac then
         sec = sec .. frac
         p = sub(p, nfrac + 1)
      else
         p = sub(p, ns + 1)
      end
      if match(p, 'z$') then return sec, {h = 0, m = 0} end
      p = gsub(p, ':', '')
      local _, _, sign, offs = find(p, '^([%+%-])(%d+)')
      if not sign then return sec, nil end
      if #offs == 2 then offs = offs .. '00' end
      local tz = {h = tonumber(sub(offs, 1, 2)), m = tonumber(sub(offs, 3, 4))}
      if sign == '-' then tz.h, tz.m = -tz.h, -tz.m end
      return sec, tz
   end
   unsafe = function(s, US)
      s = gsub(s, 'T', ' ')
      local parts = stringx.split(s:lower())
      local i, p = 1, parts[1]
      local function nextp() i = i + 1; p = parts[i] end
      local year, month, day, hour, min, sec, apm, tz
      local _, nxt
      _, nxt, day, month = find(p, '^(%d+)/(%d+)')
      if day then
         if US then day, month = month, day end
         _, _, year = find(p, '^/(%d+)', nxt + 1)
         nextp()
      else
         year, month, day = match(p, '^(%d+)%-(%d+)%-(%d+)')
         if year then nextp() end
      end
      if p and not year and stringx.isdigit(p) then
         if #p < 4 then
            day = p
            nextp()
         else
            year = true
         end
      end
      if p and match(p, '^%a+,*$') then
         p = sub(p, 1, 3)
         if not months then month_names() end
         local mon = months[p]
         if not mon then error('not a month: ' .. p) end
         month = mon
         nextp()
      end
      if p and not year and stringx.isdigit(p) then
         year = p
         nextp()
      end
      if p then
         _, nxt, hour, min = find(p, '^(%d+):(%d+)')
         local ns
         if nxt then
            _, ns, sec = find(p, '^:(%d+)', nxt + 1)
            sec, tz = iso_end(p, ns or nxt, sec)
         else
            _, ns, hour, min = find(p, '^(%d+)%.(%d+)')
            if ns then
               apm = match(p, '[ap]m$')
            else
               local hm
               _, nxt, hm = find(p, '^(%d+)')
               if nxt then
                  hour, min, sec = sub(hm, 1, 2), sub(hm, 3, 4), sub(hm, 5, 6)
                  if #sec == 0 then sec = nil end
                  sec, tz = iso_end(p, nxt, sec)
               end
            end
         end
      end
      local today
      if year == true then year = nil end
      if not (year and month and day) then today = Date() end
      day = day and tonum(day, 1, 31, 'day') or (month and 1 or today:day())
      month = month and tonum(month, 1, 12, 'month') or today:month()
      year = year and tonumber(year) or today:year()
      if year < 100 then year = year + (year < 35 and 2000 or 1900) end
      hour = hour and tonum(hour, 0, apm and 12 or 24, 'hour') or 12
      if apm == 'pm' then hour = hour + 12 end
      min = min and tonum(min, 0, 59) or 0
      sec = sec and tonum(sec, 0, 60) or 0
      local res = Date {year = year, month = month, day = day, hour = hour, min = min, sec = sec}
      if tz then
         local corrected = false
         if tz.h ~= 0 then res:add {hour = -tz.h}; corrected = true end
         if tz.m ~= 0 then res:add {min = -tz.m}; corrected = true end
         res.utc = true
         if corrected then res = res:toLocal() end
      end
      return res
   end
   -- parse_date: the date, or nil and the message without its position
   parse_date = function(s)
      local ok, d = pcall(unsafe, s)
      if not ok then return nil, (gsub(d, '.-:%d+: ', '')) end
      return d
   end
   return Date
end

return M
