-- What `th` adds on top of the runtime, as Torch7's th (trepl) did: its `print` (tables shown
-- as "key : value" lines, tensors inside tables as "DoubleTensor - size: 2x3", a tab after each
-- plain value) and the prompt's evaluation of a line.  Called with P (Python helpers).
local P = ...
local write = P.write
local lua_type = type
local rawtype = P.rawtype
local ndepth = 5
local lua_position = P.module('torch7py.messages').lua_position

local function sizestr(x)
   local name = torch.typename(x) or ''
   local short = name:match('torch%.(.+)') or name
   if name:find('torch.*Storage') then return short .. ' - size: ' .. x:size() end
   if x:dim() == 0 then return short .. ' - empty' end
   local dims = {}
   for i = 1, x:dim() do dims[i] = tostring(x:size(i)) end
   return short .. ' - size: ' .. table.concat(dims, 'x')
end

local function show(obj, nested)
   local t = type(obj)
   if obj == nil then return 'nil' end
   if t == 'string' then return nested and ('"' .. obj .. '"') or obj end
   if t == 'userdata' then
      local name = torch.typename(obj) or ''
      if name:find('torch.*Tensor') or name:find('torch.*Storage') then return sizestr(obj) end
   end
   return tostring(obj)
end

-- trepl tests `next(obj)` (the first key: a table whose first key is false prints as {}) and,
-- for a nested table, `next(v) == nil`
local function firstkey(t)
   for k in pairs(t) do return k end
   return nil
end

local function dump(obj, depth)
   local pad = string.rep(' ', depth * 4)
   if not firstkey(obj) then
      write(pad .. '{}\n')
      return
   end
   write(pad .. '{\n')
   local inner = pad .. '  '
   for k, v in pairs(obj) do
      if type(v) == 'table' then
         if depth >= ndepth - 1 or firstkey(v) == nil then
            write(inner .. tostring(k) .. ' : {...}\n')
         else
            write(inner .. tostring(k) .. ' : \n')
            dump(v, depth + 1)
         end
      else
         write(inner .. tostring(k) .. ' : ' .. show(v, true) .. '\n')
      end
   end
   write(pad .. '}\n')
end

-- trepl keeps the print it found as print_old (unless set already) and its own as print_new
if not print_old then print_old = print end
local plain_print = print_old

-- trepl's rawprint (init.lua:262): io.write(tostring(o or '') .. '\n'), so a __tostring that
-- returns no string or number fails there, at that position
local function rawprint(o)
   local s = tostring(o or '')
   local t = rawtype(s)
   if t ~= 'string' and t ~= 'number' then
      error(lua_position('trepl/init.lua:262') .. 'attempt to concatenate a ' .. t .. ' value', 0)
   end
   write(s .. '\n')
end

local function th_print(...)
   local n = select('#', ...)
   for i = 1, n do
      local obj = select(i, ...)
      local t = type(obj)
      if t ~= 'table' then
         if t == 'userdata' then
            rawprint(obj)
         else
            write(show(obj) .. '\t')
            if i == n then write('\n') end
         end
      elseif rawtype(obj) == 'userdata' then
         local mt = debug.getmetatable(obj)
         local cmt = getmetatable(obj)
         if cmt ~= nil and torch.typename(obj) == nil and rawtype(cmt) == 'table'
               and cmt.__tostring ~= nil then
            -- a class (Torch7's constructor table, whose metatable has luaT's __tostring)
            rawprint(obj)
         -- a plain table that Python keeps (nngraph's node data: no torch type) is a table
         -- for print, as in Torch7, though its proxy has a __tostring
         elseif mt ~= nil and type(mt) == 'table' and mt.__tostring ~= nil
               and torch.typename(obj) ~= nil then
            rawprint(obj)
         else
            dump(obj, 0)
         end
      else
         -- trepl: getmetatable(obj).__tostring (a __metatable field answers for the metatable)
         local mt = getmetatable(obj)
         if rawtype(mt) == 'table' and mt.__tostring ~= nil then
            rawprint(obj)
         else
            dump(obj, 0)
         end
      end
   end
end

print_new = th_print
print = th_print

-- as trepl: level 0 puts the globals print_old back, any other level print_new
function setprintlevel(n)
   -- trepl's error('expected number [0,+)') at its init.lua:312: the installed file's position
   if n == nil or n < 0 then error(lua_position('trepl/init.lua:312') .. 'expected number [0,+)', 0) end
   ndepth = math.floor(n)
   if ndepth == 0 then print = print_old else print = print_new end
end

_RESULTS = {}
_LAST = ''

-- trepl's init.lua loads these before anything else runs: a script under th finds them as
-- globals without requiring them
for _, name in ipairs({'torch', 'paths', 'sys', 'xlua'}) do pcall(require, name) end
-- and Penlight (its modules become globals on first use: `path`); trepl then gives strings
-- Penlight's % operator ('%5.2f' % x, '$name' % {name = ...})
pcall(require, 'pl')
if text then text.format_operator() end
-- trepl kills its colors (global noColors) when stdout is no terminal: the colorize functions
-- scripts use then add nothing
local colors = require 'trepl.colors'
function noColors()
   for k in pairs(colors) do colors[k] = '' end
end
if not P.isatty(1) then noColors() end
-- and trepl turns heap tracking on: tensor memory drives Lua's collector
torch.setheaptracking(true)

-- trepl's require (ala Node.js): a name starting with '.' is a path relative to the file that
-- calls require (a .lua file, a saved .th/.net object, or a directory's init.lua); any other
-- name that Lua's require cannot load is tried again as './' .. name, relative to the current
-- directory (require 'models/alexnet.lua' and require 'Sampler.lua' load those files), and
-- when that fails too, Lua's error stands
local base_require = require
function require(name)
   if lua_type(name) ~= 'string' or not name:find('^%.') then
      local ok, res = pcall(base_require, name)
      if ok then return res end
      if lua_type(name) ~= 'string' then error(res, 0) end
      local ok2, res2 = pcall(require, './' .. name)
      if ok2 then return res2 end
      -- Lua's "not found" names the line that called require (pcall stood between)
      if lua_type(res) == 'string' and res:find("^module '") then error(res, 2) end
      error(res, 0)
   end
   local file = debug.getinfo(2, 'S').source:gsub('^@', '')
   local dir = paths.filep(file) and paths.dirname(file) or '.'
   local path = paths.concat(dir, name)
   if paths.filep(path .. '.lua') then return dofile(path .. '.lua') end
   if (path:find('%.th$') or path:find('%.net$')) and paths.filep(path) then
      if path:find('%.net$') then base_require('nn') end
      return torch.load(path)
   end
   if paths.filep(path) then return dofile(path) end
   if paths.filep(path .. '.th') then return torch.load(path .. '.th') end
   if paths.filep(path .. '.net') then
      base_require('nn')
      return torch.load(path .. '.net')
   end
   return dofile(paths.concat(path, 'init.lua'))
end

-- trepl's import: a package's fields become globals (existing globals win unless forced)
function import(package, forced)
   local ret = require(package)
   local symbols = {}
   if rawget(_G, package) then
      _G._torchimport = _G._torchimport or {}
      _G._torchimport[package] = _G[package]
      symbols = _G[package]
   elseif ret and lua_type(ret) == 'table' then
      _G._torchimport = _G._torchimport or {}
      _G._torchimport[package] = ret
      symbols = ret
   end
   for k, v in pairs(symbols) do
      if not rawget(_G, k) or forced then _G[k] = v end
   end
end

-- trepl's who(): the globals defined after th started (system ones too with who(true)), one
-- "[name]   = description" line each
local function describe(key, val, m)
   local name = '[' .. tostring(key) .. ']'
   name = name .. string.rep(' ', m - #name + 2)
   local tp = lua_type(val)
   if tp == 'userdata' then
      local tn = torch.typename(val) or ''
      if tn:find('torch.*Tensor') or tn:find('torch.*Storage') then
         tp = sizestr(val)
      else
         tp = tostring(val)
      end
   elseif tp == 'table' then
      if torch.type(val) == 'table' then tp = tp .. ' - size: ' .. #val else tp = torch.type(val) end
   elseif tp == 'string' then
      local s = val:gsub('\n', '\\n')
      if #s > 40 then s = s:sub(1, 40) .. '...' end
      tp = tp .. ' : "' .. s .. '"'
   else
      tp = tostring(val)
   end
   return name .. ' = ' .. tp
end

function who(system)
   local m = 0
   for k in pairs(_G) do m = math.max(m, #tostring(k)) end
   local p = _G._preloaded_
   local function list(sys)
      for k in pairs(_G) do
         if (sys and p[k]) or (not sys and not p[k]) then print(describe(k, _G[k], m)) end
      end
   end
   if system then
      print('== System Variables ==')
      list(true)
   end
   print('== User Variables ==')
   list(false)
   print('==')
end

-- trepl's monitor_G (th -g / -gg): report (or, strict, raise) each new global and each read
-- of an undeclared one, or hand both to cb(key, 'newindex'|'index')
function monitor_G(cb)
   local strict
   if lua_type(cb) == 'boolean' then
      strict, cb = true, nil
   end
   stringx = require 'pl.stringx'
   tablex = require 'pl.tablex'
   path = require 'pl.path'
   dir = require 'pl.dir'
   text = require 'pl.text'
   local evercreated = {}
   for k in pairs(_G) do evercreated[k] = true end
   local function report(what, key)
      local info = debug.getinfo(3, 'Sl')
      local file = info.source:gsub('^@', '')
      local line = info.currentline
      local say = strict and error or print
      if line > 0 then
         say(colors.red .. what .. colors.blue .. key .. colors.none .. ' @ ' .. colors.magenta
             .. file .. colors.none .. ':' .. colors.green .. line .. colors.none)
      else
         say(colors.red .. what .. colors.blue .. key .. colors.none .. ' @ ' .. colors.yellow
             .. '[C-module]' .. colors.none)
      end
   end
   setmetatable(_G, {
      __newindex = function(G, key, val)
         if not evercreated[key] then
            if cb then cb(key, 'newindex') else report('created global variable: ', key) end
         end
         evercreated[key] = true
         rawset(G, key, val)
      end,
      __index = function(_, key)
         if cb then cb(key, 'index') else report('attempt to read undeclared variable: ', key) end
      end,
   })
end

-- trepl's repl(): the prompt (th.py puts it in package.loaded.trepl)
function repl(...) return require('trepl')(...) end

-- evaluate one line (or several) of the prompt: an expression's values are printed
local function traceback(msg)
   if type(msg) ~= 'string' and type(msg) ~= 'number' then return msg end
   local tb = debug.traceback(msg, 2)
   tb = tb:gsub('\n\t%[builtin#%d+%]: at 0x%x+', '')
   return (tb:gsub('\n\t%[compat%]:%d+:[^\n]*', ''))
end

local function complete(line)
   line = line:gsub('^%s-=', '')   -- '=expr' as Lua's own prompt (trepl strips it first)
   return (loadstring('return ' .. line) or loadstring(line)) ~= nil
end

local function eval(line)
   if line:find('^%s-=') then line = line:gsub('^%s-=', '') end
   if not (line:find(';%s-$') or line:find('^%s-print')) then
      if loadstring('local f = function() return ' .. line .. ' end') then
         local chunk = loadstring('_RESULT={' .. line .. '}')  -- (its text names the chunk)
         local ok, err = xpcall(chunk, traceback)
         if ok then
            print(unpack(_RESULT))
            table.insert(_RESULTS, _RESULT[1])
         else
            print(err)
         end
         _LAST = _RESULTS[#_RESULTS]
         return
      end
   end
   local chunk, perr = loadstring(line)
   if not chunk then
      print('syntax error: ' .. perr)
   else
      local ok, err = xpcall(chunk, traceback)
      if not ok then print(err) end
   end
   _LAST = _RESULTS[#_RESULTS]
end

-- trepl loads dok (pcall(require, 'dok')): the global dok (its init.lua and inline.lua return
-- nothing, so require gives true), and dok's globals help and browse
dok = P.compat_chunk('dok.lua')
package.loaded.dok, package.loaded['dok.inline'] = true, true
rawset(_G, 'help', dok.help)
rawset(_G, 'browse', dok.browse)

-- the globals th starts with, which who() calls system variables
_G._preloaded_ = {}
for k in pairs(_G) do _G._preloaded_[k] = true end

return {complete = complete, eval = eval}
