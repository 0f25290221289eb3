-- Penlight's lapp (command lines), data (delimited files), text (templates, wrapping),
-- template (text with embedded Lua) and url (percent-encoding), as Torch7's th had them:
-- split from compat/penlight.lua (the same conventions: written for torch7py after Penlight
-- 1.4's documented behaviour; each entry builds its module once, and the modules reach each
-- other through require).
local M = {}
-- pairs_order's note(t, k): tables built here for scripts record the order keys went in, so
-- that pairs() visits them as Torch7's LuaJIT did (print(opts) after lapp)
local note = ... or function() end
-- t[k] = v into a table this code is filling, noting a new key's place
local function put(t, k, v)
   if v ~= nil and rawget(t, k) == nil then note(t, k) end
   t[k] = v
end
local find, sub, gsub, rep, fmt = string.find, string.sub, string.gsub, string.rep,
   string.format
local concat, tinsert = table.concat, table.insert
local lua_type = type

-- pl.lapp -------------------------------------------------------------------------------------
-- Penlight's command-line parser: options are read from the usage text's lines
-- (`-s,--long (type or default ...) comment`, `<name> (type)`), and the result is a table of
-- values under the long names ('-' becomes '_'), defaults filled in for what was not given.
function M.lapp()
   local lapp = {show_usage_error = true, callback = false}
   local usage, parms, aliases, parmlist, open_files
   local script = 'inter'
   if arg then
      script = (arg[0] or rawget(_G, 'LAPP_SCRIPT') or 'unknown')
      script = script:gsub('.+[\\/]', ''):gsub('%.%a+$', '')
   end
   local filetypes = {stdin = {io.stdin, 'file-in'}, stdout = {io.stdout, 'file-out'},
      stderr = {io.stderr, 'file-out'}}
   local builtin = {string = true, number = true, boolean = true,
      ['file-in'] = 'file', ['file-out'] = 'file'}
   local types = {}
   local FLOAT = '([%+%-%d]%d*%.?%d*[eE]?[%+%-]?%d*)'

   function lapp.quit(msg, no_usage)
      if no_usage == 'throw' then error(msg) end
      if msg then io.stderr:write(msg .. '\n\n') end
      if not no_usage then io.stderr:write(usage) end
      os.exit(1)
   end
   function lapp.error(msg, no_usage)
      if not lapp.show_usage_error then
         no_usage = true
      elseif lapp.show_usage_error == 'throw' then
         no_usage = 'throw'
      end
      lapp.quit(script .. ': ' .. msg, no_usage)
   end
   function lapp.open(file, mode)
      local f, err = io.open(file, mode)
      if not f then lapp.error(err, true) end
      open_files[#open_files + 1] = f
      return f
   end
   function lapp.assert(cond, msg) if not cond then lapp.error(msg) end end
   function lapp.add_type(name, converter, constraint)
      types[name] = {converter = converter, constraint = constraint}
   end

   local function convert(ps, val)
      if ps.converter then val = ps.converter(val) end
      if ps.type == 'number' then
         local x = tonumber(val)
         if not x then lapp.error('unable to convert to number: ' .. val) end
         val = x
      elseif builtin[ps.type] == 'file' then
         val = lapp.open(val, ps.type == 'file-in' and 'r' or 'w')
      elseif ps.type == 'boolean' then
         return val
      end
      if ps.constraint then ps.constraint(val) end
      return val
   end
   local function default_value(s, vtype)
      local x
      if not vtype or vtype == 'number' then x = tonumber(s) end
      if x then return x, 'number' end
      if filetypes[s] then return filetypes[s][1], filetypes[s][2] end
      if s == 'true' and not vtype then return true, 'boolean' end
      if s:match('^["\']') then s = s:sub(2, -2) end
      return s, vtype or 'string'
   end

   -- one line of the usage text: the option or argument it declares (nil for prose)
   local function declare(line)
      local short, long, rest, name, varargs
      short, long, rest = line:match('^%-([%a_][%w_]*),%s*%-%-([%a_][%w_%-]*)%s*(%S.*)')
      if not short then short, rest = line:match('^%-([%a_][%w_]*)%s*(%S.*)') end
      if not short then long, rest = line:match('^%-%-([%a_][%w_%-]*)%s*(%S.*)') end
      if short or long then
         if long then
            name = long:gsub('[^%w%-]', '_')
            if short then aliases[short] = name end
         else
            name = short
         end
         if short and not lapp.slack and #short ~= 1 then
            lapp.error(short .. ': short parameters should be one character')
         end
         local n
         rest, n = rest:gsub('^%.%.%.%s*', '')
         varargs = n > 0
      else
         local bracketed
         bracketed, rest = line:match('^(%b<>)%s*(%S.*)')
         if not bracketed then return end
         local tail
         name, tail = bracketed:sub(2, -2):match('([^%.]+)(.*)')
         name = name:gsub('%A', '_')
         varargs = tail == '...'
         parmlist[#parmlist + 1] = name
      end
      local def = rest:match('^(%b())%s*%S') or rest:match('^(%b())')
      local defval, vtype, constraint, optional, comment
      if def then
         local spec = def:sub(2, -2):gsub('^%s+', ''):gsub('%s+$', '')
         local ftype, more = spec:match('^(%S+)(.*)$')
         more = (more or ''):gsub('^%s+', ''):gsub('%s+$', '')
         if ftype == 'optional' then
            ftype, more = more:match('^(%S+)(.*)$')
            more = (more or ''):gsub('^%s+', ''):gsub('%s+$', '')
            optional = true
         end
         local has_default
         if ftype == 'default' then
            has_default = true
            if more == '' then lapp.error('value must follow default') end
         else
            local lo, hi = ftype:match('^' .. FLOAT .. '%.%.' .. FLOAT)
            if lo then
               lo, hi = tonumber(lo), tonumber(hi)
               vtype = 'number'
               constraint = function(x)
                  lapp.assert(lo <= x and hi >= x, name .. ' out of range')
               end
            elseif not ftype:match('|') then
               vtype = ftype
            else
               local enums = '|' .. ftype .. '|'
               vtype = 'string'
               constraint = function(s)
                  lapp.assert(enums:match('|' .. s .. '|'), "value '" .. s .. "' not in " .. ftype)
               end
            end
         end
         comment = more
         if not has_default then
            local d = more:match('^default%s*(%S.*)')
            if d then more, has_default = d, true end
         end
         if has_default then defval, vtype = default_value(more, vtype) end
      else
         defval, vtype = false, 'boolean'
      end
      local ps = {type = vtype, defval = defval, required = defval == nil and not optional,
         comment = comment or name, constraint = constraint, varargs = varargs}
      if types[vtype] then
         local conv = types[vtype].converter
         if lua_type(conv) == 'string' then ps.type = conv else ps.converter = conv end
         ps.constraint = types[vtype].constraint
      elseif not builtin[vtype] then
         lapp.error(vtype .. ' is unknown type')
      end
      if parms[name] == nil then note(parms, name) end
      parms[name] = ps
   end

   function lapp.process_options_string(text, args)
      local results = {}
      local argv = args or _G.arg
      usage, parms, aliases, parmlist, open_files = text, {}, {}, {}, {}
      local function set(ps, key, val)
         if lua_type(key) == 'string' then key = key:gsub('%W', '_') end
         if results[key] == nil then note(results, key) end
         if not ps.varargs then
            results[key] = val
         elseif results[key] then
            tinsert(results[key], val)
         else
            results[key] = {val}
         end
      end
      -- only lines that end with a newline are read, as lapp does
      for line in text:gmatch('([^\n]*)\n') do declare((line:gsub('^%s+', ''))) end

      local function split_eq(p, i)
         local eq = p:find('=')
         if eq then
            tinsert(argv, i + 1, p:sub(eq + 1))
            p = p:sub(1, eq - 1)
         end
         return p, eq
      end
      local function is_flag(p) return parms[aliases[p] or p] end
      local iparm, iextra, i, end_of_flags = 1, 1, 1, false
      while i <= #argv do
         local a = argv[i]
         local parm, val, ps
         if a == '--' then
            end_of_flags = true
            iparm = #parmlist + 1
            i = i + 1
            a = argv[i]
            if not a then break end
         end
         local long = not end_of_flags and a:match('^%-%-(%S+)')
         local short = not end_of_flags and not long and a:match('^%-(%S+)')
         if long then
            parm = split_eq(long, i)
         elseif short then
            if #short == 1 or is_flag(short) then
               parm = short
            else
               local s, eq = split_eq(short, i)
               if eq then
                  parm = s
               else
                  parm = s:sub(1, 1)
                  local flag = is_flag(parm)
                  if flag and flag.type ~= 'boolean' then
                     tinsert(argv, i + 1, s:sub(2))
                  else
                     for k = 2, #s do tinsert(argv, i + k - 1, '-' .. s:sub(k, k)) end
                  end
               end
            end
         end
         if long or short then
            if aliases[parm] then parm = aliases[parm] end
            if not parms[parm] and (parm == 'h' or parm == 'help') then lapp.quit() end
         else
            parm = parmlist[iparm]
            if not parm then
               parm = iextra
               note(parms, parm)
               parms[parm] = {type = 'string'}
               iextra = iextra + 1
            elseif not parms[parm].varargs then
               iparm = iparm + 1
            end
            val = a
         end
         ps = parms[parm]
         if not ps then lapp.error('unrecognized parameter: ' .. parm) end
         if ps.type ~= 'boolean' then
            if not val then
               i = i + 1
               val = argv[i]
               a = val
            end
            lapp.assert(val, parm .. ' was expecting a value')
         else
            val = not ps.defval
         end
         ps.used = true
         val = convert(ps, val)
         set(ps, parm, val)
         if builtin[ps.type] == 'file' then set(ps, parm .. '_name', a) end
         if lapp.callback then lapp.callback(parm, a, {}) end
         i = i + 1
      end
      for name, ps in pairs(parms) do
         if not ps.used then
            if ps.required then lapp.error('missing required parameter: ' .. name) end
            set(ps, name, ps.defval)
         end
      end
      return results
   end
   return setmetatable(lapp, {__call = function(_, text, args)
      return lapp.process_options_string(text, args)
   end})
end

-- pl.data -------------------------------------------------------------------------------------
-- Delimited data files (Penlight 1.4's data.read / data.write / data.new): rows of fields, the
-- first line read as field names unless it is all numbers, numeric columns converted from the
-- first data row; written with the data's delimiter (tab by default, a space after new()
-- guessed it from empty field names). Its query language (select/copy_select) is not here.
function M.data()
   local utils = require 'pl.utils'
   local List = require 'pl.List'
   local data = {}
   local function makelist(l) return setmetatable(l, List) end
   local function guess_delim(line)
      if line == '' then return ' ' end
      for _, d in ipairs({',', '\t', ' ', ';'}) do
         if find(line, d, 1, true) then return d == ' ' and '%s+' or d end
      end
      return ' '
   end
   -- a line's fields, as a List; in CSV, quoted fields may hold commas, and a trailing comma
   -- makes one more (empty) field
   local function split(line, delim, csv, n)
      local unquote
      if csv and find(line, '"', 1, true) then
         -- quoted fields may hold commas: hide them while splitting
         line = gsub(line, '"([^"]+)"', function(q) return (gsub(q, ',', '\001')) end)
         unquote = function(f) return (gsub(f, '\001', ',')) end
      end
      local fields = utils.split(line, delim, false, n)
      if unquote then for i = 1, #fields do fields[i] = unquote(fields[i]) end end
      if csv and find(line, ',$') then fields[#fields + 1] = '' end
      return makelist(fields)
   end
   local function open_file(f, mode)
      if lua_type(f) == 'string' then
         if f == 'stdin' then return io.stdin end
         if f == 'stdout' then return io.stdout end
         local h, err = io.open(f, mode)
         if not h then return nil, err end
         return h, nil, true
      end
      if f and ((mode == 'r' and not f.read) or (mode ~= 'r' and not f.write)) then
         return nil, 'not a file-like object'
      end
      return f
   end
   local Data = {}
   -- a data object's methods, then pl.array2d's functions (d:flatten(), d:column(2)...)
   Data.__index = function(_, name)
      local f = Data[name]
      if f ~= nil then return f end
      return require('pl.array2d')[name]
   end
   function Data:column_names() return self.fieldnames end
   -- column_by_name(name or index): the column's values, through a query of that one field
   function Data:column_by_name(name)
      if lua_type(name) == 'number' then name = '$' .. name end
      local col = {}
      for v in data.query(self, name) do col[#col + 1] = v end
      return makelist(col)
   end

   -- queries (Penlight 1.4.1): 'FIELDS [where CONDITION] [sort by FIELD [asc|desc]]', FIELDS
   -- and CONDITION being Lua expressions over the field names (or $1, $2... when FIELDS holds a
   -- '$', or the data has no field names), '*' all fields. Or a table {fields = string or
   -- list, where = expression string or callable taking the row, sort_by = string}. The query
   -- compiles into an iterator over the rows meeting the condition (sorted first, when asked)
   -- returning the fields' values (a table of them, for select_row).
   local field_error
   local function field_code(d, name)
      local idx
      if find(name, '^%d+$') then
         idx = tonumber(name)
      else
         for i = 1, #d.fieldnames do
            if d.fieldnames[i] == name then idx = i break end
         end
      end
      if idx then return 'v[' .. idx .. ']' end
      field_error = name .. ' not found in ' .. concat(d.fieldnames, ',')
      return name
   end
   local function prepare(d, parms)
      field_error = nil
      local fields = parms.fields
      local numeric = find(fields, '%$') or #d.fieldnames == 0
      if find(fields, '^%s*%*%s*') then
         if not numeric then
            fields = concat(d.fieldnames, ',')
         else
            local all = {}
            for i = 1, #d[1] do all[i] = '$' .. i end
            fields = concat(all, ',')
         end
      end
      local idpat = numeric and '%$(%d+)' or utils.patterns.IDEN
      if not numeric then fields = gsub(gsub(fields, '%s+$', ''), '[^,%w]', '_') end
      local function massage(name) return field_code(d, name) end
      local code = gsub(fields, idpat, massage)
      if field_error then return nil, field_error end
      parms.fields = fields
      parms.proc_fields = code
      parms.where = parms.where or 'true'
      if lua_type(parms.where) == 'string' then
         parms.where = gsub(parms.where, idpat, massage)
         field_error = nil
      end
      return true
   end
   local function parse_select(s, d)
      local parms = {}
      local w1, w2 = find(s, 'where ')
      local s1, s2 = find(s, 'sort by ')
      if w1 then parms.where = sub(s, w2 + 1, (s1 or 0) - 1) end
      if s1 then parms.sort_by = sub(s, s2 + 1) end
      parms.fields = sub(s, 1, (w1 or s1 or 0) - 1)
      local ok, err = prepare(d, parms)
      if not ok then return nil, err end
      return parms
   end
   local plain_query = [[
return function(t)
   local n, i, v = #t, 0
   return function()
      repeat
         i = i + 1
         v = t[i]
      until i > n or CONDITION
      if i > n then return end
      return FIELDLIST
   end
end]]
   local sorted_query = [[
return function(t)
   local i, v, ls = 0, nil, {}
   for _, row in ipairs(t) do
      v = row
      if CONDITION then ls[#ls + 1] = v end
   end
   table.sort(ls, function(v1, v2) return SORT_EXPR end)
   local n = #ls
   return function()
      i = i + 1
      v = ls[i]
      if i > n then return end
      return FIELDLIST
   end
end]]
   -- query(d, condn[, context[, return_row]]): the iterator, or nil and the error; context,
   -- a list of tables, is where names in the condition are looked up (then _G)
   function data.query(d, condn, context, return_row)
      if lua_type(condn) == 'string' then
         local err
         condn, err = parse_select(condn, d)
         if not condn then return nil, err end
      elseif lua_type(condn) == 'table' then
         if lua_type(condn.fields) == 'table' then condn.fields = concat(condn.fields, ',') end
         if not condn.proc_fields then
            local ok, err = prepare(d, condn)
            if not ok then return nil, err end
         end
      else
         return nil, 'condition must be a string or a table'
      end
      local query = condn.sort_by and sorted_query or plain_query
      local fields = condn.proc_fields or condn.fields
      if return_row then fields = '{' .. fields .. '}' end
      local function literal(x) return function() return x end end
      query = gsub(query, 'FIELDLIST', literal(fields))
      if lua_type(condn.where) == 'string' then
         query = gsub(query, 'CONDITION', literal(condn.where))
         condn.where = nil
      else
         query = gsub(query, 'CONDITION', '_condn(v)')
         condn.where = utils.function_arg(0, condn.where, 'condition.where must be callable')
      end
      if condn.sort_by then
         local var, dir = condn.sort_by, 'asc'
         local i1, i2 = find(var, '%s+')
         if i1 then var, dir = sub(condn.sort_by, 1, i1 - 1), sub(condn.sort_by, i2 + 1) end
         if find(var, '^%$') then var = sub(var, 2) end
         var = field_code(d, var)
         if field_error then return nil, field_error end
         local expr = ('%s %s %s'):format(gsub(var, 'v', 'v1'), dir == 'asc' and '<' or '>',
                                          (gsub(var, 'v', 'v2')))
         query = gsub(query, 'SORT_EXPR', literal(expr))
      end
      if condn.where then query = 'return function(_condn) ' .. query .. ' end' end
      local fn, err = load(query, 'tmp')
      if not fn then return nil, err end
      fn = fn()
      if condn.where then fn = fn(condn.where) end
      local iter = fn(d)
      if context then
         context[#context + 1] = _G
         setfenv(iter, setmetatable({}, {__index = function(_, key)
            for _, t in ipairs(context) do
               if t[key] then return t[key] end
            end
         end}))
      end
      return iter
   end
   Data.select = data.query
   function Data.select_row(d, condn, context) return data.query(d, condn, context, true) end
   -- copy_select(condn): the query's rows as a new data object of those fields
   function Data.copy_select(d, condn)
      condn = parse_select(condn, d)
      local iter = data.query(d, condn)
      local res = {}
      local row = makelist {iter()}
      while #row > 0 do
         res[#res + 1] = row
         row = makelist {iter()}
      end
      res.delim = d.delim
      return data.new(res, split(condn.fields, ','))
   end
   local function write_row(d, f, row, delim)
      d.temp = utils.array_tostring(row, d.temp)
      f:write(concat(d.temp, delim), '\n')
   end
   function Data:write_row(f, row) write_row(self, f, row, self.delim) end
   function data.write(d, file, fieldnames, delim)
      local f, err, opened = open_file(file, 'w')
      if not f then return nil, err end
      fieldnames = fieldnames or d.fieldnames
      delim = delim or '\t'
      if fieldnames and #fieldnames > 0 then f:write(concat(fieldnames, delim), '\n') end
      for i = 1, #d do write_row(d, f, d[i], delim) end
      if opened then f:close() end
      return true
   end
   function Data:write(file) return data.write(self, file, self.fieldnames, self.delim) end
   function data.new(d, fieldnames)
      d.fieldnames = d.fieldnames or fieldnames or ''
      if not d.delim and lua_type(d.fieldnames) == 'string' then
         d.delim = guess_delim(d.fieldnames)
         d.fieldnames = split(d.fieldnames, d.delim)
      end
      d.fieldnames = makelist(d.fieldnames)
      d.original_fieldnames = {}
      for i = 1, #d.fieldnames do
         local name = gsub(gsub(d.fieldnames[i], '^%s+', ''), '%s+$', '')
         d.original_fieldnames[i] = name
         d.fieldnames[i] = gsub(name, '%W', '_')
      end
      return setmetatable(d, Data)
   end
   -- filter(Q, infile, outfile, dont_fail): the rows of infile (stdin) that the query Q
   -- selects, its fields written to outfile (stdout) with infile's delimiter
   function data.filter(Q, infile, outfile, dont_fail)
      local d = data.read(infile or 'stdin')
      local out = open_file(outfile or 'stdout', 'w')
      local iter, err = d:select(Q)
      if not iter then
         err = 'error: ' .. err
         if dont_fail then return nil, err end
         utils.quit(1, err)
      end
      while true do
         local res = {iter()}
         if #res == 0 then break end
         out:write(concat(res, d.delim), '\n')
      end
   end
   function data.read(file, cnfg)
      cnfg = cnfg or {}
      local f, err, opened = open_file(file, 'r')
      if not f then return nil, err end
      local csv = cnfg.csv
      if csv then cnfg.delim = ',' end
      local function try_number(x)
         if cnfg.thousands_dot then x = gsub(x, '%.(...)', '%1') end
         if csv and x == '' then x = '0' end
         local v = tonumber(x)
         if v == nil then return nil, 'not a number' end
         return v
      end
      local D, numfields, conversion = {}, {}, nil
      local function convert(i, conv)
         conversion = conversion or {}
         numfields[#numfields + 1] = i
         conversion[#conversion + 1] = conv
      end
      for _, i in ipairs(cnfg.numfields or {}) do convert(i, try_number) end
      local count, line = 1, f:read()
      if not line then return nil, 'empty file' end
      D.delim = cnfg.delim or guess_delim(line)
      local delim = D.delim
      local strip
      if delim == '%s+' and find(line, delim) == 1 then
         strip = function(l) return (gsub(l, '^%s+', '')) end
         line = strip(line)
      end
      if not cnfg.fieldnames then
         local fields = split(line, delim, csv)
         local allnum = not cnfg.convert
         if cnfg.convert then
            for i, conv in pairs(cnfg.convert) do convert(i, conv) end
         else
            local nums = {}
            for i = 1, #fields do nums[i] = tonumber(fields[i]) end
            if #nums == #fields then
               D[1] = nums
               for i = 1, #nums do convert(i, try_number) end
            else
               allnum = false
            end
         end
         if not allnum then cnfg.fieldnames = fields end
         line = f:read()
         count = count + 1
         if strip and line then line = strip(line) end
      elseif lua_type(cnfg.fieldnames) == 'string' then
         cnfg.fieldnames = split(cnfg.fieldnames, delim, csv)
      end
      local nfields
      if cnfg.fieldnames then
         D.fieldnames = cnfg.fieldnames
         if cnfg.last_field_collect then nfields = #D.fieldnames end
         if not cnfg.no_convert and line then
            local fields = split(line, delim, csv, nfields)
            for i = 1, #fields do
               local known = false
               for _, j in ipairs(numfields) do known = known or j == i end
               if not known and try_number(fields[i]) then convert(i, try_number) end
            end
         end
      end
      while line do
         if not find(line, '^%s*$') then
            if strip then line = strip(line) end
            local fields = split(line, delim, csv, nfields)
            for k = 1, #numfields do
               local i = numfields[k]
               local v, e = conversion[k](fields[i])
               if v == nil then return nil, e .. ': ' .. fields[i] .. ' at line ' .. count end
               fields[i] = v
            end
            D[#D + 1] = fields
         end
         line = f:read()
         count = count + 1
      end
      if opened then f:close() end
      if delim == '%s+' then D.delim = ' ' end
      D.fieldnames = D.fieldnames or {}
      return data.new(D)
   end
   return data
end

-- pl.text -------------------------------------------------------------------------------------
-- Penlight 1.4's text utilities (Python's string.Template and textwrap, as Penlight documents
-- them): indent/dedent end every result with a newline, wrap returns a List of lines,
-- Template substitutes $name and ${name}, format_operator gives strings a % operator.
function M.text()
   local utils = require 'pl.utils'
   local List = require 'pl.List'
   local text = {}
   local function strip(str) return (gsub(gsub(str, '^%s+', ''), '%s+$', '')) end
   local function indent_lines(s, sp)
      local sl = utils.split(s, '\n')
      for i = 1, #sl do sl[i] = sp .. sl[i] end
      return concat(sl, '\n') .. '\n'
   end
   function text.indent(s, n, ch)
      utils.assert_arg(1, s, 'string')
      utils.assert_arg(2, n, 'number')
      return indent_lines(s, rep(ch or ' ', n))
   end
   function text.dedent(s)
      utils.assert_arg(1, s, 'string')
      local sl = utils.split(s, '\n')
      local _, i2 = find(sl[1] or '', '^%s*')
      for i = 1, #sl do sl[i] = sub(sl[i], i2 + 1) end
      return concat(sl, '\n') .. '\n'
   end
   -- cut every `width` characters, then on to the end of the word the cut falls in
   function text.wrap(s, width)
      utils.assert_arg(1, s, 'string')
      width = width or 70
      s = gsub(s, '\n', ' ')
      local i, lines = 1, {}
      while i < #s do
         local nxt = i + width
         if find(s, "[%w']", nxt) then nxt = find(s, '%W', nxt + 1) end
         local line = sub(s, i, nxt)
         i = i + #line
         lines[#lines + 1] = strip(line)
      end
      return List(lines)
   end
   function text.fill(s, width)
      return concat(text.wrap(s, width), '\n') .. '\n'
   end
   local function substitute(s, tbl, safe)
      local subst
      if lua_type(tbl) == 'function' or (getmetatable(tbl) or {}).__call then
         subst = tbl
      else
         subst = function(f)
            local v = tbl[f]
            if not v then
               if safe then return f end
               error('not present in table ' .. f)
            end
            return v
         end
      end
      local res = gsub(s, '%${([%w_]+)}', subst)
      return (gsub(res, '%$([%w_]+)', subst))
   end
   local Template = {}
   text.Template = Template
   Template.__index = Template
   setmetatable(Template, {__call = function(_, tmpl) return Template.new(tmpl) end})
   function Template.new(tmpl)
      utils.assert_arg(1, tmpl, 'string')
      return setmetatable({tmpl = tmpl}, Template)
   end
   function Template:substitute(tbl)
      utils.assert_arg(1, tbl, 'table')
      return substitute(self.tmpl, tbl, false)
   end
   function Template:safe_substitute(tbl)
      utils.assert_arg(1, tbl, 'table')
      return substitute(self.tmpl, tbl, true)
   end
   -- line by line: a multi-line value takes the indent in front of its $name
   function Template:indent_substitute(tbl)
      self.strings = self.strings or utils.split(self.tmpl, '\n')
      local lines = {}
      for i, line in ipairs(self.strings) do
         lines[i] = gsub(line, '(%s*)%$([%w_]+)', function(sp, f)
            local v = tbl[f]
            if not v then error('not present in table ' .. f) end
            local sub_t
            if getmetatable(v) == Template then
               sub_t, v = v, v.tmpl
            else
               v = tostring(v)
            end
            if find(v, '\n') then v = indent_lines(v, sp) end
            if sub_t then return substitute(v, tbl) end
            return v
         end)
      end
      return concat(lines, '\n') .. '\n'
   end
   function text.format_operator()
      local function formatx(fmt, ...)
         local args = {n = select('#', ...), ...}
         local i = 1
         for p in fmt:gmatch('%%.') do
            if p == '%s' and lua_type(args[i]) ~= 'string' then args[i] = tostring(args[i]) end
            i = i + 1
         end
         return string.format(fmt, unpack(args, 1, args.n))
      end
      getmetatable('').__mod = function(a, b)
         if b == nil then return a end
         if lua_type(b) == 'table' and getmetatable(b) == nil then
            if #b == 0 then return substitute(a, b, true) end
            return formatx(a, unpack(b))
         end
         if lua_type(b) == 'function' then return (gsub(a, '%$([%w_]+)', b)) end
         return formatx(a, b)
      end
   end
   return text
end

-- pl.template (Penlight 1.4.1): text with embedded Lua. A line whose first characters are the
-- escape (one or more of env._escape, '#' by default) is Lua code, running to its end of line;
-- in every other line `$(expr)` (the brackets are env._brackets, '()' by default) puts
-- expr's value, concatenated as Lua concatenates (nil or false put nothing). The code runs
-- in env (a table; env._parent, when set, is what env's missing names read). substitute
-- returns the text, or nil and the error (the load's message, or the run's traceback).
function M.template()
   local template = {}
   -- one line of text as Lua statements putting its pieces
   local function text_code(out, line, open, close)
      local pat = '()%$(%b' .. open .. close .. ')()'
      local pos = 1
      for from, expr, to in line:gmatch(pat) do
         out[#out + 1] = fmt('_put(%q)', sub(line, pos, from - 1))
         out[#out + 1] = fmt("_put('' .. ((%s) or ''))", sub(expr, 2, -2))
         pos = to
      end
      out[#out + 1] = fmt('_put(%q)', sub(line, pos))
   end
   local function compile(str, brackets, esc)
      local open, close = sub(brackets, 1, 1), sub(brackets, 2, 2)
      local code_pat = '^' .. esc .. '+([^\n]*\n?)'
      local out = {'return function(_put) '}
      local pos, n, text = 1, #str, {}
      -- consecutive text lines make one chunk (a $(...) may span them)
      local function flush()
         if #text > 0 then text_code(out, concat(text), open, close) end
         out[#out + 1] = ' '
         text = {}
      end
      while pos <= n do
         local line_end = find(str, '\n', pos, true) or n
         local line = sub(str, pos, line_end)
         local lua = line:match(code_pat)
         if lua then
            flush()
            out[#out + 1] = lua
         else
            text[#text + 1] = line
         end
         pos = line_end + 1
      end
      flush()
      out[#out + 1] = ' end'
      return concat(out)
   end
   function template.substitute(str, env)
      env = env or {}
      if rawget(env, '_parent') then setmetatable(env, {__index = env._parent}) end
      local code = compile(str, rawget(env, '_brackets') or '()', rawget(env, '_escape') or '#')
      local chunk, err = load(code, 'TMP', 't', env)
      if not chunk then return nil, err end
      local fn = chunk()
      local out = {}
      local ok, terr = xpcall(function() fn(function(s) out[#out + 1] = s end) end,
                              debug.traceback)
      if not ok then
         if env._debug then print(code) end
         return nil, terr
      end
      return concat(out)
   end
   return template
end

-- pl.url (Penlight 1.4.1): quote percent-encodes every byte but letters, digits, space and
-- `-_./` (a newline first becomes CRLF), then a space as %20, or with quote_plus as '+' (and
-- '/' encoded too); unquote reads '+' as a space, %XX as its byte, CRLF as a newline. A nil or
-- false argument comes back as it was.
function M.url()
   local url = {}
   local function hex(c) return fmt('%%%02X', c:byte()) end
   function url.quote(s, quote_plus)
      if not s then return s end
      s = s:gsub('\n', '\r\n'):gsub('[^%w %-_%./]', hex)
      if quote_plus then return (s:gsub(' ', '+'):gsub('/', hex)) end
      return (s:gsub(' ', '%%20'))
   end
   function url.unquote(s)
      if not s then return s end
      s = s:gsub('%+', ' '):gsub('%%(%x%x)', function(h) return string.char(tonumber(h, 16)) end)
      return (s:gsub('\r\n', '\n'))
   end
   return url
end

return M
