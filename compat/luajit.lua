-- What Torch7's LuaJIT (2.1.0-beta2, built with -DLUAJIT_ENABLE_LUA52COMPAT) did that lupa's
-- LuaJIT does not: its printf rounding and the Lua 5.2 library behaviours LUA52COMPAT turns on.
-- Called with L (Python helpers of compat/luajit.py). pairs/__pairs is in torch.lua.
-- Not reproducible here (the parser and the VM decide): __lt/__le on mixed types, `goto` as a
-- reserved word; `#` honouring __len on tables is
-- (the chunks' `#` rewritten, below).
local L = ...
local sfmt, find, tonumber, select, type = string.format, string.find, tonumber, select, type
local unpack, floor, pcall, error, gsub = unpack, math.floor, pcall, error, string.gsub
local fixnum = L.fixnum
local sub = string.sub
local getinfo = debug.getinfo

-- tostring (and so print) and io.write of a number: beta2's lj_strfmt_num rounds an exact half
-- of %.14g away from zero as its string.format does (123456789012345 prints 1.2345678901235e+14,
-- 1234567890123.25 prints 1234567890123.3); the LuaJIT here rounds to even.  Only a number
-- whose exact decimal expansion has 15 significant digits ending in 5 is such a half: an
-- integer of 15 digits or more, or a fraction of at most 22 binary places (5^22 > 10^15).
-- `..` of such a number is the VM's: not reproducible here.
local lj_tostring, rawtype = tostring, type
local lj_wrap, lj_gmatch = coroutine.wrap, string.gmatch
local function g14half(v)
   if v ~= v or v == 0 then return false end
   local a = v < 0 and -v or v
   if a == floor(a) then
      if a < 1e14 or a == 1 / 0 then return false end
   else
      local y = a * 4194304
      if y ~= floor(y) then return false end
   end
   return sfmt('%.14g', v) ~= sfmt('%.15g', v) and fixnum('g', 14, v) ~= v
end
-- the library functions of Torch7's LuaJIT print as 'function: builtin#N' (their fast
-- function id there, filled in at the end of this file: BUILTIN), not as an address
local BUILTIN = {}
local unwrap = L.unwrap or function(f) return f end
tostring = function(...)
   local v = ...
   local t = rawtype(v)
   if t == 'number' then
      if g14half(v) then return lj_tostring(fixnum('g', 14, v)) end
      return lj_tostring(v)
   end
   if t == 'function' then
      v = unwrap(v)
      local b = BUILTIN[v]
      if b ~= nil then return b end
      b = lj_tostring(v)
      return BUILTIN[b] or b  -- (an iterator of the library: by this LuaJIT's id)
   end
   if select('#', ...) == 0 then
      local ar = getinfo(1, 'n')
      error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (value expected)", 2)
   end
   return lj_tostring(v)
end
do
   local function halves(orig)
      return function(...)
         local n = select('#', ...)
         for i = 1, n do
            local v = select(i, ...)
            if rawtype(v) == 'number' and g14half(v) then
               local args = {...}
               for j = i, n do
                  if rawtype(args[j]) == 'number' then args[j] = tostring(args[j]) end
               end
               return orig(unpack(args, 1, n))
            end
         end
         return orig(...)
      end
   end
   io.write = halves(io.write)
   local methods = debug.getmetatable(io.stdout).__index
   methods.write = halves(methods.write)
end

-- string.format: LuaJIT 2.1.0-beta2 rounds exact halves away from zero (%.4f of 0.03125 is
-- 0.0313); C (and the LuaJIT here) rounds them to even. An argument that is an exact half for
-- its conversion is moved one ulp away from zero, which changes nothing else.
-- A missing argument is beta2's luaL_argerror(L, arg, lj_obj_typename[0]): '(no value)'
-- (the LuaJIT here says '(value expected)'), and no format at all is 'got no value'.
-- (a builtin function given to %s is written as tostring writes it)
local function builtin_args(fmt, ...)
   local n = select('#', ...)
   local args, k, changed = {...}, 0, false
   if type(fmt) ~= 'string' then return false end
   for conv in string.gmatch(fmt, '%%[-+ #0]*%d*%.?%d*(.)') do
      if conv ~= '%' then
         k = k + 1
         local a = args[k]
         if conv == 's' and rawtype(a) == 'function' then
            local b = tostring(a)  -- (a library's iterator too: gmatch's, ipairs')
            if b ~= lj_tostring(a) then
               args[k] = b
               changed = true
            end
         end
      end
   end
   return changed, args, n
end
-- assert(v, message): beta2's lj_lib_optstr takes the message as a string (a number
-- converts), anything else is "bad argument #2 to 'assert' (string expected, got table)"
-- raised at the caller; the LuaJIT here throws a table or boolean message as it is
local lj_assert = assert
assert = function(...)
   local v, m = ...
   if not v and select('#', ...) >= 2 then
      if m == nil then return lj_assert(v) end  -- a nil message: "assertion failed!"
      local t = rawtype(m)
      if t ~= 'string' and t ~= 'number' then
         local ar = getinfo(1, 'n')  -- named as the caller named it (from pcall: '?')
         error(sfmt("bad argument #2 to '%s' (string expected, got %s)",
                    ar and ar.name or '?', t), 2)
      end
   end
   return lj_assert(...)
end
string.format = function(...)
   local fmt = ...
   for i = 2, select('#', ...) do
      if rawtype((select(i, ...))) == 'function' then
         local changed, args, n = builtin_args(...)
         if changed then return string.format(fmt, unpack(args, 1, n)) end
         break
      end
   end
   local ok, s = pcall(sfmt, ...)  -- Lua's own checks and messages first
   if not ok then
      s = gsub(s, "%(value expected%)$", "(no value)")
      -- named as the caller named it (a tail call: '?'); a method call counts self out
      local ar = getinfo(1, 'n')
      local name = ar and ar.name or '?'
      s = gsub(s, "^bad argument #(%d+) to '[^']*'", function(k)
         k = tonumber(k)
         if ar and ar.namewhat == 'method' then
            k = k - 1
            if k == 0 then return "calling '" .. name .. "' on bad self" end
         end
         return "bad argument #" .. k .. " to '" .. name .. "'"
      end)
      error(s, 2)
   end
   if type(fmt) ~= 'string' or not find(fmt, '%%[-+ #0]*%d*%.?%d*[eEfgG]') then return s end
   local n = select('#', ...) - 1
   local args = {select(2, ...)}
   local i, pos, changed, spans = 0, 1, false, nil
   while true do
      local a, b, dot, prec, conv = find(fmt, '%%[-+ #0]*%d*(%.?)(%d*)(.)', pos)
      if not a then break end
      pos = b + 1
      if conv ~= '%' then
         i = i + 1
         if find(conv, '[eEfgG]') then
            local x = tonumber(args[i])
            local p = dot == '' and 6 or (tonumber(prec) or 0)
            if x and x ~= 0 and find(conv, '[fF]') and x < 1e-100 and x > -1e-100 then
               -- the LuaJIT here prints digits of x * 10^k for %f of |x| below ~1e-152
               -- ('%f' of 1e-160 is 534158200025558471.679688); Torch7's, like C, prints
               -- zeros: at a precision of at most 99 such an x rounds to a signed zero
               args[i] = x < 0 and -0.0 or 0.0
               changed = true
            -- %f: only a value with at most p+1 binary places can be an exact half
            elseif x and x == x and x ~= 0 and (find(conv, '[fF]') == nil
                  or x * 2 ^ (p + 1) == floor(x * 2 ^ (p + 1))) then
               -- an exact half is written digit by digit and passed as a string (moving x
               -- an ulp away from zero changes more than the rounding where an ulp is more
               -- than a unit of the last digit: %.17g, %.17f)
               local text = L.fixspec(sub(fmt, a, b), x)
               if text then
                  spans = spans or {}
                  spans[#spans + 1] = {a, b}
                  args[i] = text
                  changed = true
               end
            end
         end
      end
   end
   if not changed then return s end
   if spans then  -- the conversions written as text become %s
      local parts, last = {}, 1
      for k = 1, #spans do
         local sp = spans[k]
         parts[#parts + 1] = sub(fmt, last, sp[1] - 1)
         parts[#parts + 1] = '%s'
         last = sp[2] + 1
      end
      parts[#parts + 1] = sub(fmt, last)
      fmt = table.concat(parts)
   end
   return sfmt(fmt, unpack(args, 1, n))
end

-- os.execute as Lua 5.2: true or nil, then "exit" or "signal", then the code; no command:
-- whether a shell exists
local execute = os.execute
os.execute = function(cmd)
   local status = execute(cmd)
   if cmd == nil then return status ~= 0 end
   local how, code = 'exit', status
   if status >= 256 or status == 0 then
      code = floor(status / 256)
   else
      how, code = 'signal', status % 128
   end
   if how == 'exit' and code == 0 then return true, how, code end
   return nil, how, code
end

-- jit.version/version_num name Torch7's LuaJIT, not this one; os.setlocale queries the
-- locale that Lua code sees: LuaJIT's luajit never calls setlocale, so every category is "C"
-- until the script sets one (Python set LC_CTYPE from the environment at its start, and that
-- stays for Python's sake: a locale is recorded here, per category, as the script sets it)
jit.version, jit.version_num = 'LuaJIT 2.1.0-beta2', 20100
do
   local setlocale = os.setlocale
   local CATS = {'ctype', 'numeric', 'time', 'collate', 'monetary', 'messages'}
   local LC = {ctype = 'LC_CTYPE', numeric = 'LC_NUMERIC', time = 'LC_TIME',
               collate = 'LC_COLLATE', monetary = 'LC_MONETARY', messages = 'LC_MESSAGES'}
   local OTHER = {'LC_PAPER', 'LC_NAME', 'LC_ADDRESS', 'LC_TELEPHONE', 'LC_MEASUREMENT',
                  'LC_IDENTIFICATION'}   -- glibc's other categories: 'all' sets them too
   local seen = {all = true}
   for _, c in ipairs(CATS) do if c ~= 'messages' then seen[c] = true end end
   local now = {}
   for _, c in ipairs(CATS) do now[LC[c]] = 'C' end
   for _, c in ipairs(OTHER) do now[c] = 'C' end
   local order = {'LC_CTYPE', 'LC_NUMERIC', 'LC_TIME', 'LC_COLLATE', 'LC_MONETARY',
                  'LC_MESSAGES', 'LC_PAPER', 'LC_NAME', 'LC_ADDRESS', 'LC_TELEPHONE',
                  'LC_MEASUREMENT', 'LC_IDENTIFICATION'}
   local function all()   -- glibc's name of LC_ALL: one name, or every category's
      local first, same = now[order[1]], true
      for _, k in ipairs(order) do if now[k] ~= first then same = false end end
      if same then return first end
      local parts = {}
      for _, k in ipairs(order) do parts[#parts + 1] = k .. '=' .. now[k] end
      return table.concat(parts, ';')
   end
   local function argerr(n, what)
      local ar = getinfo(2, 'n')
      error("bad argument #" .. n .. " to '" .. (ar and ar.name or '?') .. "' (" .. what ..
            ")", 3)
   end
   os.setlocale = function(l, cat)
      local tl = rawtype(l)
      if l ~= nil and tl ~= 'string' and tl ~= 'number' then
         argerr(1, 'string expected, got ' .. tl)
      end
      if cat == nil then
         cat = 'all'
      elseif rawtype(cat) ~= 'string' and rawtype(cat) ~= 'number' then
         argerr(2, 'string expected, got ' .. rawtype(cat))
      end
      cat = lj_tostring(cat)
      if not seen[cat] then argerr(2, "invalid option '" .. cat .. "'") end
      if l ~= nil then
         local r = setlocale(l, cat)
         if r == nil then return nil end
         if cat ~= 'all' then
            now[LC[cat]] = r
         else
            for _, k in ipairs(order) do now[k] = r end
            for k, v in string.gmatch(r, '(LC_[%u_]+)=([^;]*)') do now[k] = v end
         end
      end
      if cat == 'all' then return all() end
      return now[LC[cat]]
   end
end

-- closing a pipe (file:close(), io.close(file)) as LJ_52's io_file_close: luaL_execresult of
-- pclose's status, true/nil, "exit", code (the LuaJIT here returns only true). Its pclose
-- status is not reachable from Lua, so the command's shell writes $? to a file, read at close
-- (a pipe never closed: the file goes when the pipe is collected)
do
   local popen, tmpname, remove, open = io.popen, os.tmpname, os.remove, io.open
   local methods = debug.getmetatable(io.stdout).__index
   local file, lib = {close = methods.close}, {close = io.close}
   local status_file = setmetatable({}, {__mode = 'k'})
   io.popen = function(prog, mode)
      if type(prog) ~= 'string' and type(prog) ~= 'number' then return popen(prog, mode) end
      local tmp = tmpname()
      -- sh -c as popen runs it (its own $$), then the status
      local cmd = "sh -c '" .. gsub(prog, "'", "'\\''") .. "'; echo $? > '" .. tmp .. "'"
      local f, err, code = popen(cmd, mode)
      if not f then
         remove(tmp)
         return f, err, code
      end
      local sentinel = newproxy(true)
      getmetatable(sentinel).__gc = function() remove(tmp) end
      status_file[f] = {tmp, sentinel}
      return f
   end
   local function pipe_close(f)
      local entry = status_file[f]
      status_file[f] = nil
      local ok, err, code = file.close(f)
      if not ok then return ok, err, code end
      local h = open(entry[1])
      local status = h and tonumber(h:read('*l'))
      if h then h:close() end
      remove(entry[1])
      if status == nil or status == 0 then return true, 'exit', 0 end
      return nil, 'exit', status
   end
   -- anything but an open pipe goes to the C function by a tail call (a closed file's error
   -- then names the script's line); a non-file is refused here with the C function's message,
   -- which a tail call would name '?'
   -- (named as the caller named close: from pcall '?')
   local iotype = io.type
   local function check(n, f)
      if iotype(f) == nil then
         local ar = getinfo(2, 'n')
         error(sfmt("bad argument #1 to '%s' (FILE* expected, got %s)", ar and ar.name or '?',
                   n == 0 and 'no value' or type(f)), 3)
      end
   end
   -- f:close() with no file at all closes the default output, as io.close() (beta2's
   -- io_method_close)
   methods.close = function(...)
      local f = ...
      if select('#', ...) == 0 then return io.close() end
      if status_file[f] ~= nil then return pipe_close(f) end
      check(1, f)
      return file.close(...)
   end
   io.close = function(...)
      local f = ...
      if select('#', ...) == 0 then return lib.close() end
      if status_file[f] ~= nil then return pipe_close(f) end
      check(1, f)
      return lib.close(...)
   end
end

-- ipairs honours __ipairs; over a plain table it stamps the strings it yields for
-- pairs_order.lua (L.ipairs_iter)
local lua_ipairs = ipairs
local seq_iter = L.ipairs_iter
function ipairs(...)
   local t = ...
   if select('#', ...) == 0 then
      local ar = debug.getinfo(1, 'n')
      error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (value expected)", 2)
   end
   local mt = debug.getmetatable(t)  -- the raw one: getmetatable(obj) is obj's class
   if mt ~= nil then
      local f = rawget(mt, '__ipairs')
      if f ~= nil then return f(t) end
   end
   -- a list of strings (its first item one): stamped; other lists keep the C iterator
   if seq_iter ~= nil and rawtype(t) == 'table' and mt == nil and rawtype(rawget(t, 1)) == 'string' then
      return seq_iter(t)
   end
   return lua_ipairs(t)
end

package.searchers = package.searchers or package.loaders

-- rawlen is LJ_52's (lib_base.c: a table's or a string's length, no __len)
if rawlen == nil then
   local rawtype_, rawlen_ = rawtype, nil
   rawlen_ = function(...)
      local v = ...
      local t = rawtype_(v)
      if t ~= 'table' and t ~= 'string' then
         local ar = getinfo(1, 'n')
         error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (table expected, got "
            .. (select('#', ...) == 0 and 'no value' or t) .. ")", 2)
      end
      return #v
   end
   rawlen = rawlen_
end

-- With LUA52COMPAT (LJ_52) the parser reads a '(' that opens a line as the call of the
-- expression before it (lj_parse.c's parse_args skips its "ambiguous syntax" check), so
--    x = nn.JoinTable(2):usePrealloc(...)
--         ({x, y})
-- compiles in Torch7 (harvardnlp/seq2seq-attn). The LuaJIT here refuses it: a chunk refused
-- for that reason is compiled again with each such '(' moved to the end of the line of the
-- token before it (the line numbers of every other token are kept).
local lj_loadstring, lj_load, lj_loadfile, lj_dofile = loadstring, load, loadfile, dofile
local XAMBIG = ':(%d+): ambiguous syntax %(function call x new statement%) near \'%(\''
local function join_call(src, line)
   -- the offsets of the line starts
   local starts, pos = {1}, 1
   while true do
      local nl = find(src, '\n', pos, true)
      if not nl then break end
      starts[#starts + 1] = nl + 1
      pos = nl + 1
   end
   local ls = starts[line]
   if not ls then return nil end
   local paren = find(src, '(', ls, true)
   if not paren or (starts[line + 1] and paren >= starts[line + 1]) then return nil end
   if find(string.sub(src, ls, paren - 1), '%S') then return nil end
   -- the last line before it with a token on it (blank lines may lie between)
   local prev = line - 1
   while prev >= 1 do
      local text = string.sub(src, starts[prev], starts[prev + 1] - 2)
      local code = text
      local c = find(text, '--', 1, true)
      if c then
         -- a line comment: the token ends before it (a line that is only a comment is
         -- skipped); a long comment or a quote before it: left as it is
         if find(text, '^%s*%-%-%[=*%[') or find(string.sub(text, 1, c - 1), '[\'"%[]') then
            return nil
         end
         code = string.sub(text, 1, c - 1)
      end
      if find(code, '%S') then
         local last = starts[prev] - 1 + #(string.match(code, '^(.-)%s*$'))
         return string.sub(src, 1, last) .. '(' .. string.sub(src, last + 1, paren - 1)
                .. ' ' .. string.sub(src, paren + 1)
      end
      prev = prev - 1
   end
   return nil
end
local function lj52_source(src, err)
   for _ = 1, 1000 do
      local line = type(err) == 'string' and string.match(err, XAMBIG)
      if not line then return nil end
      src = join_call(src, tonumber(line))
      if not src then return nil end
      local f
      f, err = lj_loadstring(src, '=lj52')
      if f then return src end
   end
end
local function readfile(path)
   local fh = type(path) == 'string' and io.open(path, 'rb')
   if not fh then return nil end
   local s = fh:read('*a')
   fh:close()
   if string.sub(s, 1, 1) == '#' then s = '--' .. s end  -- a #! first line, as luaL_loadfile
   return s
end
-- `#t` calls a table's __len under LJ_52 (lj_meta_len); here the VM takes the border, so each
-- chunk a script compiles has its `#e` rewritten to call __L52/__L52c first (compat/len52.py;
-- the layer's own chunks and bytecode are left as they are). Beta2 has no such globals: the
-- two are locals of each rewritten chunk, set on its first line (line numbers stay) from a
-- place no pairs() walks and every environment reaches, the string table's own metatable
-- ("").__L52 (a chunk with an environment of its own honours __len too, as LJ_52 does)
local rawtype, dgetmt = type, debug.getmetatable
-- `#v` (n: LuaJIT's own #v, computed first): a table's __len result (its first, nil or false
-- included: lj_meta_len under LJ_52), else n
local function __L52(v, n)
   if rawtype(v) == 'table' then
      local mt = dgetmt(v)
      local h = mt and rawget(mt, '__len')
      -- a tail call: the metamethod runs as if the VM called it from the script's line (an
      -- error(msg, 2) in it, luaT's 'has no length operator', names that line); the caller's
      -- `and ... or` keeps its first value
      if h ~= nil then return h(v, v) end
   end
   return n
end
local function __L52c(v)  -- #v of a value read once (a call's result), with LuaJIT's messages
   local t = rawtype(v)
   if t == 'string' then return #v end
   if t == 'table' then
      local mt = dgetmt(v)
      local h = mt and rawget(mt, '__len')
      if h ~= nil then return h(v, v) end  -- (a tail call, as in __L52)
      return #v
   end
   local mt = dgetmt(v)
   if mt ~= nil and rawget(mt, '__len') ~= nil then return #v end
   error('attempt to get length of a ' .. t .. ' value', 2)
end
setmetatable(string, {__index = {__L52 = __L52, __L52c = __L52c}})
-- (a script that took the helpers away from the string metatable gets LuaJIT's own `#`)
local LEN52_LOCALS = 'local __L52, __L52c = ("").__L52 or function(_, n) return n end, '
   .. '("").__L52c or function(v) return #v end; '
local len52 = L.len52
local function fix52(s, name)
   if type(s) ~= 'string' or name == '=[compat]' or string.byte(s, 1) == 27
         or not find(s, '#', 1, true) then
      return s
   end
   local r = len52(s)
   return r and LEN52_LOCALS .. r or s
end
-- lj_cf_load's checks, made here so that the message names the script's line and the
-- function as its caller called it (not this layer's 'lj_loadstring' at '[compat]:NNN:'):
-- the chunk name and mode (lj_lib_optstr: a string or a number) first, then the source
-- (a string, a number or a reader function: lj_lib_checkfunc)
local function load_args(nargs, s, name, mode)
   local function bad(n, what, v)
      local ar = getinfo(4, 'n')  -- bad, load_args, load_with, then load or loadstring
      error("bad argument #" .. n .. " to '" .. (ar and ar.name or '?') .. "' (" .. what
         .. " expected, got " .. (nargs < n and 'no value' or rawtype(v)) .. ")", 5)
   end
   local t = rawtype(name)
   if nargs >= 2 and t ~= 'nil' and t ~= 'string' and t ~= 'number' then
      bad(2, 'string', name)
   end
   t = rawtype(mode)
   if nargs >= 3 and t ~= 'nil' and t ~= 'string' and t ~= 'number' then
      bad(3, 'string', mode)
   end
   t = rawtype(s)
   if t ~= 'string' and t ~= 'number' and t ~= 'function' then bad(1, 'function', s) end
end
local function load_with(loader, ...)
   load_args(select('#', ...), ...)
   local s, name = ...
   if name == nil and rawtype(s) ~= 'function' then name = s end
   local src = fix52(s, name)
   local f, err = loader(src, name, select(3, ...))
   if f == nil and type(s) == 'string' then
      local fixed = lj52_source(src, err)
      if fixed then return loader(fixed, name, select(3, ...)) end
   end
   if f == nil then
      -- the reader's errors (lj_err_caller) name the line that called the C load: this
      -- layer's; beta2's name the script's line that called load, or none (from pcall)
      if rawtype(err) == 'string' and find(err, '^%[compat%]:%d+: ') then
         local ar = getinfo(3, 'Sl')
         local at = ar and ar.currentline > 0 and (ar.short_src .. ':' .. ar.currentline .. ': ')
         err = gsub(err, '^%[compat%]:%d+: ', at or '', 1)
      end
      return nil, err
   end
   return f
end
function loadstring(...)
   local f, err = load_with(lj_loadstring, ...)
   if f == nil then return nil, err end
   return f
end
function load(...)
   local f, err = load_with(lj_load, ...)
   if f == nil then return nil, err end
   return f
end
-- a file's source rewritten for `#` (with the helpers' locals, as fix52's chunks; a first line
-- that starts with '#', which loadfile skips, commented out), or nil: the file then compiles
-- as it is
local function file52(path)
   local src = readfile(path)
   if src == nil or not find(src, '#', 1, true) then return nil end
   if sub(src, 1, 1) == '#' then src = '--' .. src end
   local r = len52(src)
   return r and LEN52_LOCALS .. r or nil
end
function loadfile(path, ...)
   local src52 = path ~= nil and file52(path)
   local f, err
   if src52 then
      f, err = lj_loadstring(src52, '@' .. path)
   else
      f, err = lj_loadfile(path, ...)
   end
   if f == nil and path ~= nil then
      local src = src52 or readfile(path)
      local fixed = src and lj52_source(src, err)
      if fixed then return lj_loadstring(fixed, '@' .. path) end
   end
   if f == nil then return nil, err end
   return f
end
-- a chunk that dofile runs from a rewritten source is called by this [cframe] chunk, not by a
-- tail call (its frame took dofile's name in a traceback and the C frame was missing): the
-- chunk is `in main chunk` and bridge.lua's traceback shows the [cframe] frame as Torch7's
-- `[C]: in function 'dofile'` (dofile tail-calls it: the frame has its caller's name for it)
local cframe = lj_loadstring(
   "local function id(...) return ... end return function(...) return id((...)()) end",
   "=[cframe]")()
function dofile(path)
   if path ~= nil then
      local src52 = file52(path)
      local f, err
      if src52 then
         f, err = lj_loadstring(src52, '@' .. path)
         if f ~= nil then return cframe(f) end
      else
         f, err = lj_loadfile(path)
      end
      if f == nil then
         local src = src52 or readfile(path)
         local fixed = src and lj52_source(src, err)
         if fixed then return cframe(assert(lj_loadstring(fixed, '@' .. path))) end
         if src52 then error(err, 2) end
      end
   end
   return lj_dofile(path)
end
do
   local searchers = package.loaders
   local lj_searcher = searchers[2]
   searchers[2] = function(name, ...)
      local path = package.searchpath and type(name) == 'string'
         and package.searchpath(name, package.path)
      local src52 = path and file52(path)
      if src52 then
         local f, err = lj_loadstring(src52, '@' .. path)
         if f ~= nil then return f end
         local fixed = lj52_source(src52, err)
         if fixed then return assert(lj_loadstring(fixed, '@' .. path)) end
         error("error loading module '" .. name .. "' from file '" .. path .. "':\n\t" .. err, 0)
      end
      local ok, r = pcall(lj_searcher, name, ...)
      if ok then return r end
      local src = path and readfile(path)
      local fixed = src and lj52_source(src, string.match(r, '\n\t(.*)$') or r)
      if fixed then return assert(lj_loadstring(fixed, '@' .. path)) end
      error(r, 0)
   end
end

-- More of LUA52COMPAT's library (lib_base.c, lib_debug.c, lib_string.c under LJ_52):
do
   local function argt(n, want, nargs, v)  -- lj_err_argt, naming the caller's call
      local ar = getinfo(2, 'n')
      error("bad argument #" .. n .. " to '" .. (ar and ar.name or '?') .. "' (" .. want
         .. " expected, got " .. (nargs < n and 'no value' or rawtype(v)) .. ")", 3)
   end
   -- coroutine.running: (the running coroutine, false), in the main thread (the main thread,
   -- true); this LuaJIT gives nil there, where Lua cannot reach the main thread: a stand-in
   -- thread plays it (its status 'running', or 'normal' seen from a coroutine; resume refuses)
   local running, status, resume = coroutine.running, coroutine.status, coroutine.resume
   local MAIN = coroutine.create(function() end)
   coroutine.running = function()
      local co = running()
      if co == nil then return MAIN, true end
      return co, false
   end
   coroutine.status = function(...)
      if (...) == MAIN then return running() == nil and 'running' or 'normal' end
      return status(...)
   end
   coroutine.resume = function(...)
      -- (ffh_resume: a thread with a C frame, as the main one always has, is 'running')
      if (...) == MAIN then return false, 'cannot resume running coroutine' end
      return resume(...)
   end
   -- math.randomseed needs its seed (lj_lib_checknum; this LuaJIT takes none)
   local randomseed = math.randomseed
   math.randomseed = function(...)
      if select('#', ...) == 0 then argt(1, 'number', 0) end
      return randomseed(...)
   end
   -- debug.setmetatable returns its first argument (not true)
   local setmt = debug.setmetatable
   debug.setmetatable = function(...)
      setmt(...)
      return (...)
   end
   -- debug.getuservalue/setuservalue: a userdata's environment table
   local getfenv_, setfenv_ = debug.getfenv, debug.setfenv
   debug.getuservalue = function(o)
      if rawtype(o) == 'userdata' then return getfenv_(o) end
      return nil
   end
   debug.setuservalue = function(...)
      local o, t = ...
      local n = select('#', ...)
      if rawtype(o) ~= 'userdata' then argt(1, 'userdata', n, o) end
      if rawtype(t) ~= 'table' then argt(2, 'table', n, t) end
      setfenv_(o, t)
      return o
   end
   -- string.find/match: an init past the end of the subject (init > #s + 1) finds nothing
   -- (str_find_aux's LJ_52 branch; this LuaJIT clamps it to the end)
   local sfind, smatch = string.find, string.match
   local function past_end(s, p, init)
      return rawtype(init) == 'number' and init > 0 and rawtype(s) == 'string'
         and floor(init) - 1 > #s and (rawtype(p) == 'string' or rawtype(p) == 'number')
   end
   string.find = function(...)
      if past_end(...) then return nil end
      return sfind(...)
   end
   string.match = function(...)
      if past_end(...) then return nil end
      return smatch(...)
   end
   -- string.gfind: Lua 5.0's name of gmatch, which this LuaJIT still has (the same builtin)
   if string.gfind == nil then string.gfind = string.gmatch end
end

-- tonumber as beta2's lib_base.c: a string is read up to its first NUL (lj_strscan_scan stops
-- there: tonumber('12\0x') is 12; this LuaJIT reads the whole string and says nil), and with a
-- base other than 10 C's strtoul gives the number, so a '-' negates modulo 2^64
-- (tonumber('-11', 2) is 1.844674407371e+19, not -3: L.strtoul)
do
   local lj_tonumber, strtoul = tonumber, L.strtoul
   _G.tonumber = function(...)  -- (the file's local tonumber stays LuaJIT's)
      local v, base = ...
      if rawtype(v) == 'string' then
         if base == nil or base == 10 then
            local z = find(v, '\0', 1, true)
            if z then return lj_tonumber(sub(v, 1, z - 1)) end
         elseif rawtype(base) == 'number' and base >= 2 and base < 37
               and find(v, '-', 1, true) then
            return strtoul(v, base)
         end
      end
      return lj_tonumber(...)
   end
end

-- BUILTIN: the fast function ids of Torch7's LuaJIT 2.1.0-beta2 (LUA52COMPAT, GC64), as its
-- tostring prints them ('function: builtin#N'), by the name each library function has; the
-- functions here (the builtins of this LuaJIT or this layer's wrappers) are keyed at start.
-- print and require are Lua functions in Torch7's th (trepl's): an address, as here.
-- 'FILE:' names the methods of files. (Printed by the real binary: tostring of each function
-- of _G, string, table, math, io, os, coroutine, debug, bit, jit, jit.util, jit.opt, package,
-- ffi and of io.stdout's metatable.)
do
   local ids = [[
   assert=2 collectgarbage=28 dofile=26 error=20 gcinfo=27 getfenv=10 getmetatable=8 
   ipairs=7 load=24 loadfile=23 loadstring=25 newproxy=29 next=4 pairs=5 pcall=21 
   rawequal=14 rawget=12 rawlen=15 rawset=13 select=17 setfenv=11 setmetatable=9 tonumber=18 
   tostring=19 type=3 unpack=16 xpcall=22 string.byte=77 string.char=78 string.dump=84 
   string.find=85 string.format=90 string.gmatch=88 string.gsub=89 string.lower=82 
   string.match=86 string.rep=80 string.reverse=81 string.sub=79 string.upper=83 
   table.concat=93 table.insert=92 table.maxn=91 table.pack=95 table.sort=94 table.unpack=16 
   math.abs=39 math.acos=49 math.asin=48 math.atan=50 math.atan2=57 math.ceil=41 math.cos=46 
   math.cosh=52 math.exp=44 math.floor=40 math.fmod=59 math.frexp=54 math.ldexp=60 
   math.log=56 math.log10=43 math.max=62 math.min=61 math.modf=55 math.pow=58 math.random=63 
   math.randomseed=64 math.sin=45 math.sinh=51 math.sqrt=42 math.tan=47 math.tanh=53 
   io.close=110 io.flush=113 io.input=114 io.lines=116 io.open=107 io.output=115 
   io.popen=108 io.read=111 io.tmpfile=109 io.type=117 io.write=112 os.clock=124 os.date=125 
   os.difftime=127 os.execute=118 os.exit=123 os.getenv=122 os.remove=119 os.rename=120 
   os.setlocale=128 os.time=126 os.tmpname=121 coroutine.create=34 coroutine.isyieldable=33 
   coroutine.resume=36 coroutine.running=32 coroutine.status=31 coroutine.wrap=38 
   coroutine.yield=35 debug.debug=145 debug.getfenv=132 debug.gethook=144 debug.getinfo=134 
   debug.getlocal=135 debug.getmetatable=130 debug.getregistry=129 debug.getupvalue=137 
   debug.getuservalue=141 debug.setfenv=133 debug.sethook=143 debug.setlocal=136 
   debug.setmetatable=131 debug.setupvalue=138 debug.setuservalue=142 debug.traceback=146 
   debug.upvalueid=139 debug.upvaluejoin=140 bit.arshift=70 bit.band=73 bit.bnot=66 
   bit.bor=74 bit.bswap=67 bit.bxor=75 bit.lshift=68 bit.rol=71 bit.ror=72 bit.rshift=69 
   bit.tobit=65 bit.tohex=76 jit.attach=151 jit.flush=149 jit.off=148 jit.on=147 
   jit.status=150 ffi.abi=203 ffi.alignof=197 ffi.cast=192 ffi.cdef=190 ffi.copy=201 
   ffi.errno=199 ffi.fill=202 ffi.gc=205 ffi.istype=195 ffi.load=206 ffi.metatype=204 
   ffi.new=191 ffi.offsetof=198 ffi.sizeof=196 ffi.string=200 ffi.typeinfo=194 
   ffi.typeof=193 jit.util.funcbc=153 jit.util.funcinfo=152 jit.util.funck=154 
   jit.util.funcuvname=155 jit.util.ircalladdr=162 jit.util.traceexitstub=161 
   jit.util.traceinfo=156 jit.util.traceir=157 jit.util.tracek=158 jit.util.tracemc=160 
   jit.util.tracesnap=159 jit.opt.start=163 FILE:__gc=105 FILE:__tostring=106 FILE:close=98 
   FILE:flush=101 FILE:lines=104 FILE:read=99 FILE:seek=102 FILE:setvbuf=103 FILE:write=100
]]
   local fmeta = debug.getmetatable(io.stdout)
   local ffi_ok, ffi = pcall(require, 'ffi')
   local roots = {FILE = fmeta and fmeta.__index, ffi = ffi_ok and ffi or nil}
   for path, id in string.gmatch(ids, '([%w_.:]+)=(%d+)') do
      local head, rest = string.match(path, '^([%w_]+):(.*)$')
      local t, name
      if head then
         t, name = roots[head], rest
      else
         t = _G
         local parts = {}
         for part in string.gmatch(path, '[^.]+') do parts[#parts + 1] = part end
         for i = 1, #parts - 1 do
            local p = parts[i]
            t = rawtype(t) == 'table' and (rawget(t, p) or (t == _G and roots[p])) or nil
         end
         name = parts[#parts]
      end
      local f = rawtype(t) == 'table' and rawget(t, name)
      if rawtype(f) == 'function' and BUILTIN[f] == nil then
         BUILTIN[f] = 'function: builtin#' .. id
      end
   end
   -- the library's iterators, made per call, by the text this LuaJIT gives them: ipairs's
   -- (ipairs_aux), coroutine.wrap's (coroutine_wrap_aux), string.gmatch's (gmatch_aux)
   local aux = {{(lua_ipairs({})), 6}, {lj_wrap(function() end), 37},
                {unwrap(lj_gmatch('', '')), 87}}
   -- pairs's iterator here (pairs_order's model of the hash order) is lib_base's next there
   local iter = pairs({})
   if rawtype(iter) == 'function' and BUILTIN[iter] == nil then
      BUILTIN[iter] = 'function: builtin#4'
   end
   for _, a in ipairs(aux) do
      local here = lj_tostring(a[1])
      if string.match(here, '^function: builtin#%d+$') then
         BUILTIN[here] = 'function: builtin#' .. a[2]
      end
   end
end
