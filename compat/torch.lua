-- The Lua side of `torch`, `nn`, `optim`: tables backed by torch7py, Torch7's helper functions
-- written for proxies, and `require`.  Called with P (Python helpers) and H (bridge helpers).
local P, H = ...
local PYOBJ, CLASSMT, U = H.PYOBJ, H.CLASSMT, H.U
local ERR = P.ERR
local rawtype, rawget, rawset, getmetatable, setmetatable = type, rawget, rawset, getmetatable,
   setmetatable
local pwrite = P.write

table.unpack = table.unpack or unpack
table.pack = table.pack or function(...) return {n = select('#', ...), ...} end

-- the package tables (torch, nn) that hold only what was read so far: table -> a function
-- filling in every name Torch7's table holds (pairs/next call it first)
local UNFILLED = setmetatable({}, {__mode = 'k'})
-- a table that torch.setmetatable made an object of a torch7py class -> the object it stands
-- for: pairs, next, ipairs, rawget, rawset and isTypeOf see the object (the table's fields)
local STANDIN = setmetatable({}, {__mode = 'k'})

-- a Lua table whose missing fields come from a Python module
-- wrappers: name -> function(Python's value) returning the Lua value to use instead
-- package: the table's name in compat/package_names.py ('torch', 'nn'): pairs lists every key
-- Torch7's table holds after require, in Torch7's order (read here only when pairs first asks)
local function pymodule(name, extra_nocache, wrappers, package)
   local mod = P.module(name)
   local nocache = {Tensor = true, Storage = true}
   for _, k in ipairs(extra_nocache or {}) do nocache[k] = true end
   local mt = {__index = function(tbl, k)
      if rawtype(k) ~= 'string' then return nil end
      local ok, v = P.modattr(mod, k)
      if ok == ERR then error(v, 2) end
      local w = wrappers and wrappers[k]
      if w ~= nil and v ~= nil then v = w(v) end
      if ok and not nocache[k] then rawset(tbl, k, v) end
      return v
   end}
   local t = setmetatable({}, mt)
   if package == nil then return t end
   local extras = {}  -- the names never cached (torch.Tensor follows the default type)
   local function fill(tbl)
      UNFILLED[tbl] = nil
      local keys, present = P.package_names(package), {}
      for i = 1, #keys do
         local k = keys[i]
         local v = tbl[k]
         if nocache[k] then
            if v ~= nil then extras[#extras + 1] = k end
         elseif rawget(tbl, k) ~= nil then
            present[#present + 1] = k
         end
      end
      if P.note_order then P.note_order(tbl, unpack(present)) end
   end
   UNFILLED[t] = fill
   local lua_next = next
   local function pkgnext(tbl, k)
      local i = 0
      if k == nil or not nocache[k] then
         local nk, v = lua_next(tbl, k)
         if nk ~= nil then return nk, v end
      else
         for j = 1, #extras do
            if extras[j] == k then i = j end
         end
      end
      for j = i + 1, #extras do
         local v = tbl[extras[j]]
         if v ~= nil then return extras[j], v end
      end
      return nil
   end
   mt.__pairs = function(tbl)
      if UNFILLED[tbl] then fill(tbl) end
      return pkgnext, tbl, nil
   end
   return t
end

local function info_of(x)
   local mt = getmetatable(x)
   return mt and CLASSMT[mt]
end


-- cwrap's number forms of torch's math functions (torch.floor(x), torch.exp(x), torch.pow(x, y)
-- with numbers, a legacy script's inner loops) answered in Lua, without a crossing: TH calls
-- the C library's function on its real (double while the default tensor type is Double), as
-- LuaJIT's math library does; TH_frac, TH_rsqrt, TH_sigmoid and TH_lerp are its macros' double
-- arithmetic. Any other argument, or another default type, goes to Python.
local default_double  -- nil: not known (the default type changed: ask Python once)
local numforms = {}
do
   local ffi = require 'ffi'
   pcall(ffi.cdef, 'double log1p(double); double trunc(double); double round(double);'
                   .. ' double pow(double, double);')
   local C, m = ffi.C, math
   local exp, sqrt = m.exp, m.sqrt
   local function trunc(x) return C.trunc(x) end
   local one = {
      log = m.log, exp = exp, cos = m.cos, acos = m.acos, cosh = m.cosh, sin = m.sin,
      asin = m.asin, sinh = m.sinh, tan = m.tan, atan = m.atan, tanh = m.tanh, sqrt = sqrt,
      ceil = m.ceil, floor = m.floor, abs = m.abs,
      log1p = function(x) return C.log1p(x) end,
      trunc = trunc,
      round = function(x) return C.round(x) end,
      frac = function(x) return x - C.trunc(x) end,
      rsqrt = function(x) return 1 / sqrt(x) end,
      sigmoid = function(x) return 1 / (1 + exp(-x)) end,
   }
   local two = {atan2 = m.atan2, pow = function(x, y) return C.pow(x, y) end}
   local function isdouble()
      if default_double == nil then
         default_double = torch.getdefaulttensortype() == 'torch.DoubleTensor'
      end
      return default_double
   end
   for name, f in pairs(one) do
      numforms[name] = function(py)
         return function(...)
            local x = ...
            if rawtype(x) == 'number' and select('#', ...) == 1 and isdouble() then
               return f(x)
            end
            return py(...)
         end
      end
   end
   for name, f in pairs(two) do
      numforms[name] = function(py)
         return function(...)
            local x, y = ...
            if rawtype(x) == 'number' and rawtype(y) == 'number' and select('#', ...) == 2
                  and isdouble() then
               return f(x, y)
            end
            return py(...)
         end
      end
   end
   numforms.lerp = function(py)
      return function(...)
         local a, b, w = ...
         if rawtype(a) == 'number' and rawtype(b) == 'number' and rawtype(w) == 'number'
               and select('#', ...) == 3 and isdouble() then
            return a + w * (b - a)
         end
         return py(...)
      end
   end
end
-- the default type decides the number forms' real: known again after each change
numforms.setdefaulttensortype = function(py)
   return function(...)
      default_double = nil
      return py(...)
   end
end
torch = pymodule('torch7py', nil, numforms, 'torch')

-- the rest of the layer's torch, one compat chunk per family, run here in the order they had in
-- this file: torch_objects.lua (luaT's metatables and torch objects as tables, utils.c's luaT
-- functions), torch_luat.lua (luaT's metatable functions: newmetatable, torch.class's forms),
-- torch_luajit.lua (LuaJIT's library: error levels, print, io, os.exit, pcall, xpcall,
-- coroutines). Each gets P, H and S, the locals they share, and adds its own to S.
local S = {UNFILLED = UNFILLED, STANDIN = STANDIN, info_of = info_of, rawtype = rawtype,
           rawget = rawget, rawset = rawset, getmetatable = getmetatable,
           setmetatable = setmetatable}
for _, part in ipairs({'torch_objects.lua', 'torch_luat.lua', 'torch_luajit.lua'}) do
   P.compat_part(part, P, H, S)
end
local lua_type, LUACLASS_ROOTED, lua_pcall, lua_xpcall = S.lua_type, S.LUACLASS_ROOTED,
   S.lua_pcall, S.lua_xpcall

-- `.. v` at a line of one of Torch7's Lua packages (where: 'sys/init.lua:36'), v the local
-- named name: a value Lua cannot concatenate fails there, named after the install prefix
local function check_concat(v, where, name)
   local t = lua_type(v)
   if t ~= 'string' and t ~= 'number' and not (getmetatable(v) or {}).__concat then
      error(P.lua_prefix .. where .. ": attempt to concatenate local '" .. name .. "' (a "
            .. t .. ' value)', 0)
   end
end

-- torch/init.lua and nn/init.lua end with require('torch.test') / require('nn.test'): Torch7
-- installs torch7's test/test.lua as the module torch.test and nn's test.lua as nn.test, which
-- define torch.test(tests), nn.test(tests, seed), nn.testTHNN(tests, seed). torch7py ships no
-- test files: each entry is there from the start and, when first called, requires its module
-- along package.path (a Torch7 install's share/lua/5.1, or LUA_PATH='DIR/?.lua;;' with
-- DIR/torch/test.lua, DIR/nn/test.lua), which replaces it, then calls the file's function.
-- Without the file the call fails with require's "module 'nn.test' not found", at the caller.
local function test_entry(pkg, module, name, file)
   local entry
   entry = function(...)
      local ok, r = pcall(require, module)
      if not ok then
         local missing = "module '" .. module .. "' not found"
         if rawtype(r) == 'string' and r:find(missing, 1, true) then
            error(missing .. ' (torch7py ships no test files: put ' .. file
                  .. ' on package.path as ' .. module:gsub('%.', '/') .. '.lua)', 2)
         end
         error(r, 0)
      end
      local f = rawget(pkg, name)
      if f == entry then error(module .. ' does not define ' .. name, 2) end
      return f(...)
   end
   rawset(pkg, name, entry)
end
test_entry(torch, 'torch.test', 'test', "torch7's test/test.lua")
-- torch7's test/test.lua also defines twelve global helpers (function torchtest_view(func)
-- ...), which exist from require 'torch' on (pairs(_G) lists them, who() pads names to the
-- longest, torchtest_isSameSizeAs): each, first called, loads the test file as torch.test
-- does (which defines the real one), then calls that
for _, name in ipairs{'isTensor', 'isStorage', 'view', 'expand', 'repeatTensor',
                      'isSameSizeAs', 'isSetTo', 'isSize', 'split', 'chunk', 'totable',
                      'permute'} do
   local global = 'torchtest_' .. name
   local stub
   stub = function(...)
      local ok, r = pcall(require, 'torch.test')
      if not ok then
         local missing = "module 'torch.test' not found"
         if rawtype(r) == 'string' and r:find(missing, 1, true) then
            error(missing .. " (torch7py ships no test files: put torch7's test/test.lua on "
                  .. 'package.path as torch/test.lua)', 2)
         end
         error(r, 0)
      end
      local f = rawget(_G, global)
      if f == stub then error('torch.test does not define ' .. global, 2) end
      return f(...)
   end
   rawset(_G, global, stub)
end

-- Loading torch7's test/test.lua (torch/init.lua's last line) also gives torch.HalfTensor, which
-- TensorMath leaves without math, seven Lua stand-ins that go through the default type: fill
-- returns a new tensor (self stays as it was), max a number, add(a, b) reads b:real(). Each is
-- compiled at the line its body has in test.lua, under that file's name, so that its errors
-- name torch/test.lua:LINE as in Torch7.
do
   local body = {
      [23] = 'function torch.HalfTensor:__sub(other)',
      [24] = '   return (self:real() - other:real()):half() end',
      [27] = 'function torch.HalfTensor:mean(dim)',
      [28] = '   return self:real():mean(dim):half() end',
      [31] = 'function torch.HalfTensor:abs()',
      [32] = '   return self:real():abs():half() end',
      [35] = 'function torch.HalfTensor:max()',
      [36] = '   return self:real():max() end',
      [39] = 'function torch.HalfTensor:add(a, b)',
      [40] = '   return (self:real():add(a, b:real())):half() end',
      [43] = 'function torch.HalfTensor:reshape(a, b)',
      [44] = '   return (self:real():reshape(a, b)):half() end',
      [47] = 'function torch.HalfTensor:fill(a)',
      [48] = '   return self:real():fill(a):half() end',
   }
   local lines = {}
   for i = 1, 48 do lines[i] = body[i] or '' end
   assert(loadstring(table.concat(lines, '\n'), '@' .. P.lua_prefix .. 'torch/test.lua'))()
end

-- package.loaded holds each file a package's init.lua requires ('nn.Linear': true), so that
-- `require 'nn.Linear'` gives true as in Torch7 (compat/package_names.py's FILES)
local function mark_files(pkg)
   local loaded = package.loaded
   for _, f in ipairs(P.package_files(pkg)) do
      local name = pkg .. '.' .. f
      if loaded[name] == nil then loaded[name] = true end
   end
end

-- the packages a script can require
local preload = package.preload
preload.torch = function() return torch end
preload.nn = function()
   nn = pymodule('torch7py.nn', nil, nil, 'nn')
   test_entry(nn, 'nn.test', 'test', "nn's test.lua")
   test_entry(nn, 'nn.test', 'testTHNN', "nn's test.lua")
   -- nn's own tables of functions (utils.lua, SpatialConvolutionMap.lua's nn.tables,
   -- hessian.lua, Jacobian.lua, SparseJacobian.lua) are Python modules here: plain tables as
   -- nn's, whose pairs lists the names Torch7's holds (th's print of `require 'nn'` walks
   -- them), not the modules' imports
   for name, file in pairs({utils = 'utils', tables = 'tables', hessian = 'hessian',
                            Jacobian = 'jacobian', SparseJacobian = 'sparse_jacobian'}) do
      rawset(nn, name, pymodule('torch7py.nn.' .. file, nil, nil, 'nn_' .. name:lower()))
   end
   -- Torch7's nn/init.lua loads nn.test, whose top level builds nn.Linear(1, 2): its reset
   -- draws 4 uniforms, so `manualSeed(s); require 'nn'` moves the generator. Kept for parity.
   nn.Linear(1, 2)
   require 'nn.THNN'  -- nn/init.lua loads it: the tensor metatables' THNN tables
   mark_files('nn')
   package.loaded['nn.CrossEntropyCriterion'] = nn.CrossEntropyCriterion  -- its file's return
   return nn
end
-- File.lua's File:isWritableObject (Lua in Torch7, as writeObject calls it): the type index
-- writeObject writes for the object, nil for what it cannot write (classic's torch.Object:write
-- leaves out the fields it cannot)
do
   local function isWritableObject(_, object)
      local t = type(object)
      if t ~= 'boolean' and not object then return 0 end          -- TYPE_NIL
      local tn = torch.typename(object)
      if tn and torch.factory(tn) then return 4 end               -- TYPE_TORCH
      if t == 'table' then return 3 end
      if t == 'number' then return 1 end
      if t == 'string' then return 2 end
      if t == 'boolean' then return 5 end
      if t == 'function' and pcall(string.dump, object) then return 8 end  -- TYPE_RECUR_FUNCTION
      return nil
   end
   for _, name in ipairs({'torch.DiskFile', 'torch.MemoryFile', 'torch.PipeFile'}) do
      H.TYPEMETHODS[name] = H.TYPEMETHODS[name] or {}
      H.TYPEMETHODS[name].isWritableObject = isWritableObject
   end
end

-- nn/THNN.lua: THNN.h's functions on torch7py's kernels (compat/thnn.lua); it gets the
-- bridge's tables to keep `input.THNN` and `t:cdata()` on the Lua side
preload['nn.THNN'] = function()
   return P.compat_chunk('thnn.lua')(pymodule('torch7py.nn.thnn'), H)
end
preload.optim = function()
   -- pairs(optim) lists what optim/init.lua's files define (torch-autograd wraps each)
   optim = pymodule('torch7py.optim', nil, nil, 'optim')
   H.TYPEMETHODS['optim.Logger'] = P.compat_chunk('logger.lua')
   H.TYPEMETHODS['optim.ConfusionMatrix'] = P.compat_chunk('confusion_render.lua')
   mark_files('optim')
   return optim
end
-- cudnn without a GPU: its constructors build the nn modules with the same function, and
-- cudnn.convert(net, nn) converts (torch7py.legacy.cudnn_api); cutorch and cunn stay missing,
-- so a script's pcall(require, 'cunn') takes its CPU path as on a machine without CUDA
preload.cudnn = function()
   require 'nn'
   local api = pymodule('torch7py.legacy.cudnn_api')
   cudnn = setmetatable({benchmark = false, fastest = false, verbose = false},
                        {__index = api})
   function cudnn.convert(net, dst, exclusion_fn)
      if dst == cudnn then return net end  -- to cudnn: no GPU, the nn modules stay
      return api.to_nn(net, exclusion_fn)
   end
   return cudnn
end
preload.paths = function()
   paths = pymodule('compat.lualibs:paths')
   -- for f in paths.files(dir [, pattern or function]) do ... end: entries in directory order
   -- (an error of Torch7's Lua packages names its line there, after the install prefix:
   -- paths/init.lua:26's call of the C paths.dir names 'dir', after that position)
   function paths.files(dir, f)
      local td = lua_type(dir)
      if td ~= 'string' and td ~= 'number' then
         error(P.lua_prefix .. "paths/init.lua:26: bad argument #1 to 'dir' (string expected, "
               .. 'got ' .. td .. ')', 0)
      end
      local names = paths.dir(dir)
      if lua_type(f) == 'string' then
         local pattern = f
         f = function(name) return name:find(pattern) end
      elseif f and lua_type(f) ~= 'function' then
         error(P.lua_prefix .. 'paths/init.lua:32: Expecting optional arg 2 to be function or '
               .. 'string. Got : ' .. torch.type(f), 0)
      end
      local i = 0
      return function()
         while names ~= nil do
            i = i + 1
            local name = names[i]
            if name == nil then
               names = nil
            elseif f == nil or f(name) then
               return name
            end
         end
         return nil
      end
   end
   local function filtered(dir, keep)
      return paths.files(dir, function(name)
         return name ~= '.' and name ~= '..' and keep(paths.concat(dir, name))
      end)
   end
   -- paths' init.lua: the match of uname() ('Windows', 'Darwin'), else one nil
   function paths.is_win() return (paths.uname():match('Windows')) end
   function paths.is_mac() return (paths.uname():match('Darwin')) end
   function paths.iterfiles(dir) return filtered(dir, paths.filep) end
   function paths.iterdirs(dir) return filtered(dir, paths.dirp) end
   -- libpaths's registry reader and C-library require (paths.c): no registry off Windows;
   -- require gives a loaded package, else searches package.cpath for a C library, as
   -- loadlib's searcher (torch7py's packages are loaded already; there is no other C library)
   function paths.getregistryvalue()
      error('This function exists only on windows', 2)
   end
   function paths.require(...)
      local name = ...
      if lua_type(name) ~= 'string' and lua_type(name) ~= 'number' then
         local ar = debug.getinfo(1, 'n')  -- named as the caller called it ('?' from pcall)
         error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (string expected, got "
               .. (select('#', ...) == 0 and 'no value' or lua_type(name)) .. ')', 2)
      end
      name = tostring(name)
      local loaded = package.loaded[name]
      if loaded then return loaded end
      local msg = "module '" .. name .. "' not found"
      local file = name:gsub('%.', '/')
      for pattern in package.cpath:gmatch('[^;]+') do
         local f = pattern:gsub('%?', file)
         msg = msg .. "\n\tno file '" .. f .. "'"
      end
      error(msg, 2)
   end
   -- the Python module's functions set here too, so that pairs(paths) lists them as paths's
   for _, k in ipairs{'basename', 'concat', 'cwd', 'dir', 'dirname', 'dirp', 'execdir',
                      'extname', 'filep', 'findprogram', 'home', 'is_mac', 'is_win', 'mkdir',
                      'rmall', 'rmdir', 'tmpname', 'uname'} do
      paths[k] = paths[k]
   end
   return paths
end
-- a failed Tester assert names the test's line, as the traceback lines of Tester.lua do
do
   local tester_module = P.module('torch7py.tester')
   tester_module.where = function()
      for line in debug.traceback('', 2):gmatch('\n(\t[^\n]*)') do
         if not line:find('^\t%[') then return line end
      end
      return ''
   end
end

-- CmdLine:log redefines the global print so that what the script prints also goes to the log
-- file (CmdLine.lua); Python cannot replace a Lua global, so this method lives here
do
   P.module('torch7py.printing').print_hook = U(function(...) print(...) end)
   local oprint
   -- (its errors carry CmdLine.lua's lines, as the original's: io.open's argument check at
   -- 192, pairs(params) at 214, and a file that did not open at print's f:write, 208)
   local where = P.module('torch7py.messages').lua_position
   function torch.CmdLine:log(file, params)
      local f = io.type(file) == 'file' and file
      if not f then
         local tf = type(file)
         if tf ~= 'string' and tf ~= 'number' then
            error(where('torch/CmdLine.lua:192') .. "bad argument #1 to 'open' (string "
                  .. 'expected, got ' .. tf .. ')', 0)
         end
         f = io.open(file, 'w')
      end
      oprint = oprint or print
      local cmd = self
      function print(...)
         local n = select('#', ...)
         local args = {...}
         if not cmd.silentio then oprint(...) end
         local parts = {}
         if cmd.dateformat then parts[#parts + 1] = os.date(cmd.dateformat) end
         for i = 1, n do parts[#parts + 1] = tostring(args[i]) end
         parts[#parts + 1] = '\n'
         if not f then
            error(where('torch/CmdLine.lua:208') .. "attempt to index upvalue 'f' (a nil value)",
                  0)
         end
         f:write(table.concat(parts, ' '))
         f:flush()
      end
      print('[program started on ' .. os.date() .. ']')
      print('[command line arguments]')
      if params then
         if type(params) ~= 'table' then
            error(where('torch/CmdLine.lua:214') .. "bad argument #1 to 'pairs' (table "
                  .. 'expected, got ' .. type(params) .. ')', 0)
         end
         for k, v in pairs(params) do print(k, v) end
      end
      print('[----------------------]')
   end
end

-- torch/sys (init.lua): the timers and shell helpers of the tutorials' training scripts
-- LuaFileSystem and Penlight come with Torch7's th (trepl depends on penlight, penlight on
-- lfs): lfs registers the global lfs, as a Lua 5.1 C module does; `require 'pl'` makes
-- Penlight's modules globals loaded on first use (trepl requires it: scripts use `path`)
-- (luaL_register's assignment comes from C, which pl.strict lets through as it does a main
-- chunk's: the global is set by a loaded chunk, so that strict and trepl's monitor_G see an
-- assignment from outside a Lua function, as they saw C's)
local set_lfs = load('lfs = ...', '=[C]')
preload.lfs = function()
   set_lfs(pymodule('compat.lfs'))
   return lfs
end
-- Penlight's path.lua requires lfs (pl.dir and pl.file require pl.path), so the global lfs
-- exists once a script has touched `path`, `dir` or `file`
preload['pl.path'] = function()
   require 'lfs'
   return pymodule('compat.pl_path')
end
-- the rest of Penlight, one compat chunk per module family (compat/penlight.lua,
-- penlight_formats.lua, penlight_collections.lua, penlight_apps.lua, penlight_parsing.lua,
-- penlight_lang.lua), each chunk loaded once, on the first require of one of its modules
local penlight_chunks = {}
for chunk, names in pairs({
   penlight = {'utils', 'List', 'stringx', 'tablex', 'file', 'pretty', 'dir'},
   penlight_formats = {'lapp', 'data', 'text', 'template', 'url'},
   penlight_collections = {'operator', 'types', 'stringio', 'Set', 'Map', 'OrderedMap',
                           'MultiMap', 'seq', 'func', 'comprehension', 'permute'},
   penlight_apps = {'app', 'config', 'input', 'array2d', 'test', 'Date'},
   penlight_parsing = {'sip', 'lexer', 'xml', 'luabalanced'},
   penlight_lang = {'class', 'import_into', 'compat', 'strict'}}) do
   for _, name in ipairs(names) do
      preload['pl.' .. name] = function()
         if name == 'file' then require 'pl.path' end
         penlight_chunks[chunk] = penlight_chunks[chunk] or P.compat_chunk(chunk .. '.lua')
         return penlight_chunks[chunk][name]()
      end
   end
end
-- `require 'pl'` is Penlight's import_into(_G): utils at once, every other module of its list
-- (31 names, Penlight 1.3-1.5) a global loaded on first use; other names go on to the
-- global table's previous __index
preload.pl = function()
   require('pl.import_into')(_G)
   return true
end
preload.sys = function()
   local ptime = pymodule('time')
   local s = {}
   s.clock = function() return ptime.time() end
   -- sys.c's l_usleep: usleep((int) x) for a number (or numeric string) x, else 1 microsecond;
   -- its `return 1` hands back the top of its stack: the last argument
   s.usleep = function(...)
      local n = select('#', ...)
      local us = tonumber((...))
      us = us and math.max(0, us >= 0 and math.floor(us) or math.ceil(us)) or 1
      ptime.sleep(us / 1e6)
      if n > 0 then return (select(n, ...)) end
   end
   s.sleep = function(seconds)
      if tonumber(seconds) == nil then  -- sys/init.lua:155's sys.usleep(seconds*1000000)
         error(P.lua_prefix .. "sys/init.lua:155: attempt to perform arithmetic on local "
               .. "'seconds' (a " .. lua_type(seconds) .. " value)", 0)
      end
      s.usleep(seconds * 1000000)
   end
   -- tic's time is an upvalue, as sys/init.lua's (a toc before any tic fails on its nil)
   local __t__
   s.tic = function() __t__ = s.clock() end
   s.toc = function(verbose)
      if __t__ == nil then  -- sys/init.lua:27's sys.clock() - __t__
         error(P.lua_prefix .. "sys/init.lua:27: attempt to perform arithmetic on upvalue "
               .. "'__t__' (a nil value)", 0)
      end
      local dt = s.clock() - __t__
      if verbose then print(dt) end
      return dt
   end
   -- sys/init.lua's `cmd .. ' 2>&1'` (line 36; fexecute's at 53): a concatenation error
   s.execute = function(cmd)
      check_concat(cmd, 'sys/init.lua:36', 'cmd')
      local f = io.popen(cmd .. ' 2>&1')
      local out = f:read('*all')
      f:close()
      return (out:gsub('^%s*', ''):gsub('%s*$', ''))
   end
   -- sys.fexecute: through a temporary file, read back with `readwhat` ('*all' by default)
   s.fexecute = function(cmd, readwhat)
      -- (checked before the temporary file is made: a failing call leaves none behind)
      check_concat(cmd, 'sys/init.lua:53', 'cmd')
      local tmp = os.tmpname()
      os.execute(cmd .. ' >' .. tmp .. ' 2>&1')
      local f = assert(io.open(tmp))
      local out = f:read(readwhat or '*all')
      f:close()
      if lua_type(out) ~= 'string' then  -- nothing read ('*l' at the end): line 58's s:gsub
         error(P.lua_prefix .. "sys/init.lua:58: attempt to index local 's' (a "
               .. lua_type(out) .. ' value)', 0)
      end
      os.remove(tmp)
      return (out:gsub('^%s*', ''):gsub('%s*$', ''))
   end
   -- sys.prefix: the install folder of the luajit (or lua) named among arg[i <= 0], else ''
   s.prefix = ''
   for i, v in pairs(rawget(_G, 'arg') or {}) do
      if lua_type(i) == 'number' and lua_type(v) == 'string' and i <= 0 then
         local exe = paths.basename(v)
         if exe == 'luajit' or exe == 'lua' then
            local bin = paths.dirname(v)
            s.prefix = paths.basename(bin) == 'bin' and paths.dirname(bin) or bin
            break
         end
      end
   end
   s.uname = function()
      local u = s.execute('uname -a')
      if u:find('Linux') then return 'linux' elseif u:find('Darwin') then return 'macos' end
      return '?'
   end
   s.OS = s.uname()
   s.ls = function(d) return s.execute('ls ' .. (d or ' ')) end
   s.ll = function(d) return s.execute('ls -l ' .. (d or ' ')) end
   s.la = function(d) return s.execute('ls -a ' .. (d or ' ')) end
   s.lla = function(d) return s.execute('ls -la ' .. (d or ' ')) end
   s.fpath = function()
      local f = debug.getinfo(2).source:gsub('@', '')
      if f:find('/') ~= 1 then f = paths.concat(paths.cwd(), f) end
      return paths.dirname(f), paths.basename(f)
   end
   s.split = function(str, pat)
      local t, fpat, last_end = {}, '(.-)' .. pat, 1
      local b, e, cap = str:find(fpat, last_end)
      while b do
         if b ~= 1 or cap ~= '' then table.insert(t, cap) end
         last_end = e + 1
         b, e, cap = str:find(fpat, last_end)
      end
      if last_end <= #str then table.insert(t, str:sub(last_end)) end
      return t
   end
   s.isNaN = function(x) return x ~= x end
   s.COLORS = {none = '\27[0m', black = '\27[0;30m', red = '\27[0;31m', green = '\27[0;32m',
      yellow = '\27[0;33m', blue = '\27[0;34m', magenta = '\27[0;35m', cyan = '\27[0;36m',
      white = '\27[0;37m', Black = '\27[1;30m', Red = '\27[1;31m', Green = '\27[1;32m',
      Yellow = '\27[1;33m', Blue = '\27[1;34m', Magenta = '\27[1;35m', Cyan = '\27[1;36m',
      White = '\27[1;37m', _black = '\27[40m', _red = '\27[41m', _green = '\27[42m',
      _yellow = '\27[43m', _blue = '\27[44m', _magenta = '\27[45m', _cyan = '\27[46m',
      _white = '\27[47m'}
   s.dirname = paths.dirname
   s.concat = paths.concat
   sys = s
   -- sys/init.lua requires its colors and fpath files, which return s.COLORS and s.fpath
   package.loaded['sys.colors'], package.loaded['sys.fpath'] = s.COLORS, s.fpath
   return s
end
-- moses, the functional library that nn's Convert and NaN require (compat/moses.lua)
preload.moses = function() return P.compat_chunk('moses.lua') end
-- totem, deepmind's test library that nngraph's tests require (compat/totem.lua)
preload.totem = function() return P.compat_chunk('totem.lua') end
-- trepl's colors.lua and colorize.lua (`require 'trepl.colorize'`, common in training scripts):
-- th blanks the escapes when stdout is no terminal (trepl's noColors, compat/trepl.lua), and each
-- colorize function reads its escape when called, so it then returns the text unchanged
preload['trepl.colors'] = function()
   return {none = '\27[0m', bright = '\27[1m', dim = '\27[2m', underline = '\27[4m',
      blink = '\27[5m', reverse = '\27[7m', hidden = '\27[8m', black = '\27[0;30m',
      red = '\27[0;31m', green = '\27[0;32m', yellow = '\27[0;33m', blue = '\27[0;34m',
      magenta = '\27[0;35m', cyan = '\27[0;36m', white = '\27[0;37m', Black = '\27[1;30m',
      Red = '\27[1;31m', Green = '\27[1;32m', Yellow = '\27[1;33m', Blue = '\27[1;34m',
      Magenta = '\27[1;35m', Cyan = '\27[1;36m', White = '\27[1;37m', _black = '\27[40m',
      _red = '\27[41m', _green = '\27[42m', _yellow = '\27[43m', _blue = '\27[44m',
      _magenta = '\27[45m', _cyan = '\27[46m', _white = '\27[47m'}
end
preload['trepl.colorize'] = function()
   local colors = require 'trepl.colors'
   local f = {}
   for name in pairs(colors) do
      f[name] = function(txt)
         check_concat(txt, 'trepl/colorize.lua:7', 'txt')  -- its concatenation, named there
         return colors[name] .. txt .. colors.none
      end
   end
   return f
end
-- gnuplot, the distro's plotting package (compat/gnuplot.lua)
preload.gnuplot = function() return P.compat_chunk('gnuplot.lua') end
preload.xlua = function()
   xlua = pymodule('compat.lualibs:xlua')
   -- xlua.progress times a bar with torch.Timer (looked up when the bar starts), as xlua's;
   -- the bar's state (a bar finished at 2/2 prints only '\r' at the next 2/2) is this Lua
   -- state's, as xlua's upvalues are, not shared with other runtimes in the process
   local pyprogress, timer = pymodule('compat.lualibs')._Progress(), nil
   xlua.progress = function(current, goal)
      pyprogress(current, goal, function(start)
         if start or timer == nil then timer = torch.Timer() end
         return timer:time().real
      end)
   end
   xlua.require = function(name)
      local ok, m = pcall(require, name)
      if ok then return m end
      print(m)
      print('warning: <' .. name .. '> could not be loaded (is it installed?)')
      return false
   end
   -- xlua adds string.split: the fields between matches of pat (an empty first field dropped)
   string.split = string.split or function(str, pat)
      local fields, pos = {}, 1
      while true do
         local s, e = str:find(pat, pos)
         if s == nil or e < s then break end
         if s ~= 1 or pos ~= 1 then fields[#fields + 1] = str:sub(pos, s - 1) end
         pos = e + 1
      end
      if pos <= #str then fields[#fields + 1] = str:sub(pos) end
      return fields
   end
   xlua.trycatch = function(try, catch)
      local ok, err = pcall(try)
      if not ok then catch(err) end
   end
   -- in red, as xlua's; its error() names xlua/init.lua's own line (a path of the machine,
   -- whoever called xlua.error), which the layer leaves out
   xlua.error = function(msg, domain, usage)
      msg = '\27[1;31m' .. (domain and '<' .. domain .. '> ' or '') .. tostring(msg) .. '\27[0m'
      -- its error(col_msg), at xlua/init.lua:321 (xlua 41308fe, the reference's)
      local at = P.lua_prefix .. P.xlua_error_where .. ': '
      error(at .. (usage and msg .. '\n' .. usage or msg), 0)
   end
   -- unpack/usage, OptionParser, Profiler, table2string, ... (compat/xlua.lua)
   P.compat_chunk('xlua.lua').install(xlua, P.lua_prefix)
   mark_files('xlua')
   return xlua
end
package.loaded.torch = torch
mark_files('torch')
paths = preload.paths()
package.loaded.paths = paths
-- paths.thisfile / paths.dofile read the Lua call stack (paths/init.lua): the file of the
-- calling chunk, and a dofile relative to it (main.lua's paths.dofile('model.lua'))
-- A source that is not a file's ('=[C]' of a pcall, a loadstring's code) is kept as it is
-- (paths.dofile then resolves against its dirname, '.'); 'qt.' sources need qtide's qt
rawset(paths, 'thisfile', function(arg, depth)
   local file = debug.getinfo(depth or 2).source
   if lua_type(file) ~= 'string' then
      file = nil
   elseif file:sub(1, 1) == '@' then
      file = paths.concat(file:sub(2))
   elseif file:match('^qt[.]') then
      local ok, name = pcall(function(q) return qt[q].fileName:tostring() end, file:sub(4))
      if ok and name and name ~= '' then file = name else file = nil end
   end
   if lua_type(arg) == 'string' then
      file = file and paths.concat(paths.dirname(file), arg) or arg
   end
   return file
end)
rawset(paths, 'dofile', function(f, depth)
   local here = paths.thisfile(nil, 1 + (depth or 2))
   if here and here ~= '' then f = paths.concat(paths.dirname(here), f) end
   return dofile(f)
end)
-- torch/init.lua's global include(file): paths.dofile relative to the file that calls it
-- (learning_to_execute's main.lua: include "data.lua"); it returns nothing
rawset(_G, 'include', function(file, depth)
   paths.dofile(file, 3 + (depth or 0))
end)

local known_missing = {}
for _, name in ipairs(P.known_missing()) do known_missing[name] = true end
local native_require = require
function require(name)
   local loaded = package.loaded[name]
   -- only a table is sure to be a loaded module: a false entry loads the module again, and
   -- the sentinel a failed load leaves (a number in LuaJIT 2.1) says 'loop or previous error
   -- loading module' (lib_package.c; the native require does both)
   if lua_type(loaded) == 'table' then return loaded end
   local ok, r = pcall(native_require, name)
   if ok then return r end
   local missing = "module '" .. tostring(name) .. "' not found"
   if lua_type(r) == 'string' and r:find(missing, 1, true) then
      local why = known_missing[name] and ' (torch7py has no ' .. name .. ')' or ''
      error("module '" .. tostring(name) .. "' not found" .. why, 2)
   end
   error(r, 0)
end

local function traceback(msg)
   if lua_type(msg) ~= 'string' then
      local s = tostring(msg)
      msg = s
   end
   local tb = debug.traceback(msg, 2)
   tb = tb:gsub('\n\t%[builtin#%d+%]: at 0x%x+', '')
   return (tb:gsub('\n\t%[compat%]:%d+:[^\n]*', ''))
end

-- torch/init.lua's `torch.Tensor.isTensor = torch.isTensor` (torch.Tensor then the DoubleTensor
-- class): a method of DoubleTensor only
torch.DoubleTensor.isTensor = torch.isTensor

-- (rawpcall: LuaJIT's own pcall, which catches an exit too, for the layer's tools that call
-- everything in one process: tools/error_sweep)
return {pymodule = pymodule, xpcall = function(f) return lua_xpcall(f, traceback) end,
        rawpcall = lua_pcall,
        luaclass_rooted = function(M, rooted, C) LUACLASS_ROOTED(M, rooted, C) end,
        default_changed = function() default_double = nil end}
