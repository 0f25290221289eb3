-- Part of compat/torch.lua's chunk (after torch_luat.lua): LuaJIT's library as Torch7's scripts
-- saw it: error levels, print, io.write, os.execute/io.popen, os.exit, pcall, xpcall and the
-- coroutines.  Called with P (Python helpers), H (bridge helpers) and S, the locals the parts
-- share; it adds lua_pcall and lua_xpcall (LuaJIT's own), which torch.lua's result uses.
local P, H, S = ...
-- the builtins as the header of torch.lua captured them (before this layer replaces the
-- globals rawget, rawset, getmetatable, type)
local rawtype, rawget, rawset, getmetatable, setmetatable = S.rawtype, S.rawget, S.rawset,
   S.getmetatable, S.setmetatable
local pwrite = P.write
local lua_type = S.lua_type

-- error(msg, level): luaL_where names the function at that level. A Lua function that the
-- layer's Python calls (a Lua module's updateOutput from Sequential or forward, a feval from
-- optim) has bridge.lua's lcall above it, where Torch7 has a C function (xpcall in
-- Container's rethrowErrors: no position) or nn's or optim's Lua (a path of the machine): a
-- level that lands on lcall gives no position, instead of '[compat]:804:'. The layer's Lua
-- standing for a package's Lua (gnuplot.lua, penlight.lua) keeps its own lines.
-- The layer's Lua wrappers of C functions (pcall, xpcall, coroutine.resume above the script)
-- are frames Torch7 does not have: the levels above the caller count only the frames Torch7
-- has, so `pcall(error, 'm', 2)` names the line that called pcall (lj_err_callermsg's
-- luaL_where(L, 2): the C pcall is level 1), not the wrapper's '[compat]:NNN:'.
do
   local error, getinfo, lcall = error, debug.getinfo, H.lcall
   local floor = math.floor
   _G.error = function(msg, level)
      -- (this function is level 1 here: the caller's level n is n + 1; the builtin is
      -- tail-called, so its own levels, its argument errors and their names are the ones a
      -- direct call gives)
      if lua_type(msg) == 'string' and lua_type(level) == 'number' and level >= 2 then
         level = floor(level)
         -- walk up from the caller (level 1 at our level 2), skipping the layer's frames;
         -- the layer's own calls (the caller is the layer's Lua) count their levels as given
         local i, n, skipped = 3, 1, false
         local info = getinfo(2, 'S')
         if info and info.source == '=[compat]' then
            local at = getinfo(level + 1, 'f')
            if at and at.func == lcall then return error(msg, 0) end
            return error(msg, level)
         end
         while true do
            info = getinfo(i, 'Slf')
            if info == nil then break end
            if info.func == lcall then
               n = n + 1  -- stands for a C function of Torch7 (Container's xpcall, ...)
            elseif info.source == '=[compat]' then
               skipped = true
            else
               n = n + 1
            end
            if n == level then break end
            i = i + 1
         end
         if info == nil then
            if skipped then return error(msg, 0) end
         elseif info.func == lcall then
            return error(msg, 0)
         elseif skipped then
            if info.what == 'C' or info.currentline <= 0 then return error(msg, 0) end
            return error(info.short_src .. ':' .. info.currentline .. ': ' .. msg, 0)
         end
      end
      return error(msg, level)
   end
end

-- print and io.write go through Python's stdout so that their output interleaves correctly
function print(...)
   local n = select('#', ...)
   local parts = {}
   for i = 1, n do parts[i] = tostring((select(i, ...))) end
   pwrite(table.concat(parts, '\t') .. '\n')
end

local stdout = io.stdout
-- io.write(...) and io.stdout:write(...): each value a string or a number, else LuaJIT's
-- argument error (numbered from the first value: a method call counts self out), at the
-- caller's line (both callers tail-call this, so level 2 is their caller)
-- (the name as the script's call names it, '?' from pcall; self counts as #1 unless the call
-- is a method call: off is 1 for file:write)
local function write_stdout(off, ...)
   local n = select('#', ...)
   for i = 1, n do
      local v = select(i, ...)
      if lua_type(v) ~= 'string' and lua_type(v) ~= 'number' then
         local ar = debug.getinfo(1, 'n')
         if ar and ar.namewhat == 'method' then off = off - 1 end
         error("bad argument #" .. (i + off) .. " to '" .. (ar and ar.name or '?')
               .. "' (string expected, got " .. lua_type(v) .. ")", 2)
      end
      pwrite(tostring(v))
   end
   return stdout
end
io.write = function(...) return write_stdout(0, ...) end
local stdout_mt = getmetatable(stdout)
if stdout_mt and stdout_mt.__index then
   local fmethods = stdout_mt.__index
   local native_write, native_flush = fmethods.write, fmethods.flush
   local io_type = io.type
   -- (the builtins get the arguments as given: no file at all is 'got no value', not nil)
   fmethods.write = function(...)
      local f = ...
      if f == stdout then return write_stdout(1, select(2, ...)) end
      -- LJ_52's io_file_write returns the file (this LuaJIT: true); a closed file or a bad
      -- value is the builtin's error, tail-called so that it names the caller's call
      if io_type(f) ~= 'file' then return native_write(...) end
      for i = 2, select('#', ...) do
         local t = lua_type((select(i, ...)))
         if t ~= 'string' and t ~= 'number' then return native_write(...) end
      end
      local ok, msg, code = native_write(...)
      if ok == true then return f end
      return ok, msg, code
   end
   -- io_method_flush is luaL_fileresult's: true
   fmethods.flush = function(...)
      if (...) == stdout then P.flush() return true end
      return native_flush(...)
   end
end

-- a child process writes to the same terminal: what Python buffered goes first
local native_execute, native_popen = os.execute, io.popen
os.execute = function(...)
   P.flush()
   return native_execute(...)
end
io.popen = function(...)
   P.flush()
   return native_popen(...)
end

-- os.exit ends the script through Python (so buffered output is written first)
-- (its argument as LuaJIT's os_exit reads it: a boolean, else lj_lib_optint: a number or a
-- numeric string, truncated toward zero by lj_num2int, out of int's range x86's INT_MIN)
os.exit = function(...)
   local code = ...
   local t = lua_type(code)
   if t ~= 'boolean' and t ~= 'nil' then
      local n = tonumber(code)
      if n == nil or (t ~= 'number' and t ~= 'string') then
         local ar = debug.getinfo(1, 'n')
         error("bad argument #1 to '" .. (ar and ar.name or '?') .. "' (number expected, got "
            .. (t == 'string' and 'string' or t) .. ")", 2)
      end
      if n ~= n or n >= 2147483648 or n <= -2147483649 then
         n = -2147483648
      else
         n = n >= 0 and math.floor(n) or math.ceil(n)
      end
      code = n
   end
   P.exit(code)
   error('exit', 0)
end
-- os.exit is C's exit() in Torch7: no pcall stops it. Here the exit unwinds the Lua stack as an
-- error, so pcall, xpcall and coroutine.resume hand it on (xpcall's handler never sees it): a
-- CmdLine:error (help, then os.exit(1)) under a script's pcall ends the run with status 1
-- (the locals keep the library's names: a traceback names the C function as its caller
-- called it, and bridge.lua's debug.traceback leaves these wrappers' own frames out)
local lua_pcall, lua_xpcall = pcall, xpcall
do
   local pcall, xpcall, resume = pcall, xpcall, coroutine.resume
   local exiting = P.exiting
   local function pass(ok, ...)
      if not ok and exiting() then error('exit', 0) end
      return ok, ...
   end
   -- the C functions' argument checks, made here so the message names the script's line
   -- and the function as its caller called it (a tail call: '?'), as beta2's did
   local getinfo, select, rawtype = debug.getinfo, select, type
   local function argerror(n, what)
      local ar = getinfo(2, 'n')
      error("bad argument #" .. n .. " to '" .. (ar and ar.name or '?') .. "' (" .. what .. ")", 3)
   end
   _G.pcall = function(...)
      if select('#', ...) == 0 then argerror(1, 'value expected') end
      return pass(pcall(...))
   end
   local function xpcall_args(f, handler, ...)
      return pass(xpcall(f, function(e)
         if exiting() then return e end
         return handler(e)
      end, ...))
   end
   _G.xpcall = function(...)
      if select('#', ...) == 0 then argerror(1, 'value expected') end  -- lj_lib_checkany(L, 1)
      local handler = select(2, ...)
      if rawtype(handler) ~= 'function' then
         argerror(2, 'function expected, got '
            .. (select('#', ...) < 2 and 'no value' or rawtype(handler)))
      end
      return xpcall_args(...)
   end
   -- LuaJIT's pcall and xpcall are fast functions whose callee's frame links to the caller:
   -- debug.getinfo(level) counts no frame of these wrappers (paths.thisfile under pcall)
   local hidden = {[_G.pcall] = true, [xpcall_args] = true}
   debug.getinfo = function(...)
      local level = ...
      if rawtype(level) ~= 'number' or level < 1 or select('#', ...) == 0 then
         return getinfo(...)
      end
      local seen, real = 0, 1
      while true do
         real = real + 1
         local ar = getinfo(real, 'f')
         if ar == nil then return nil end
         if not hidden[ar.func] then
            seen = seen + 1
            if seen >= level then
               local r  -- (not a tail call: this frame stays, `real` counts it)
               if select('#', ...) >= 2 then r = getinfo(real, (select(2, ...)))
               else r = getinfo(real) end
               return r
            end
         end
      end
   end
   coroutine.resume = function(co, ...)
      if rawtype(co) ~= 'thread' then argerror(1, 'coroutine expected') end
      return pass(resume(co, ...))
   end
   -- lupa keeps, in every Lua value that Python holds, the lua_State of the thread that was
   -- running when it crossed (init_lua_object), and luaL_unrefs through it when Python frees
   -- the value: a coroutine freed before that is a crash (a table a coroutine put in a
   -- module's field, dropped later). So a coroutine outlives the collection that finds it
   -- garbage: its function holds a sentinel whose finalizer refers back to it, and Lua keeps
   -- what a finalizer reaches until the next collection, after that cycle's finalizers
   -- (lupa's, of the Python objects the coroutine made) have run
   local create, wrap, running, newproxy = coroutine.create, coroutine.wrap, coroutine.running,
      newproxy
   local getmetatable = getmetatable
   local function outliving(f)
      local holder = {}
      local sentinel = newproxy(true)
      getmetatable(sentinel).__gc = function() holder[1] = nil end
      holder[2] = sentinel
      return function(...)
         holder[1] = running()
         return holder[3](...)  -- (not a tail call: the coroutine keeps this frame)
      end, holder
   end
   local function body(f)
      local g, holder = outliving(f)
      holder[3] = f
      return g
   end
   -- lj_lib_checkfunc(L, 1)'s complaint about a first argument that is no function (nil if
   -- it is one); the wrapper raises it, so argerror names the wrapper as its caller did
   local function not_function(...)
      local f = ...
      if rawtype(f) ~= 'function' then
         return 'function expected, got ' .. (select('#', ...) == 0 and 'no value' or rawtype(f))
      end
   end
   coroutine.create = function(...)
      local e = not_function(...)
      if e ~= nil then argerror(1, e) end
      return create(body((...)))
   end
   coroutine.wrap = function(...)
      local e = not_function(...)
      if e ~= nil then argerror(1, e) end
      return wrap(body((...)))
   end
end

S.lua_pcall, S.lua_xpcall = lua_pcall, lua_xpcall
