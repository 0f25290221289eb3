-- The parts of torch/xlua written in Lua that legacy code calls besides the progress bar:
-- named-argument unpacking for module constructors (xlua.unpack, usage), the old demos'
-- OptionParser and Profiler, table2string, envparams, string.tosymbol, xrequire/xerror.
-- Written for torch7py after xlua's behaviour. M.install(xlua) fills the xlua table.
local M = {}
local lua_type = type
-- pairs_order's note(t, k): the order this code inserts keys into tables it builds
local note = ... or function() end

function M.install(xlua, lua_prefix)

-- ipairs(t) at xlua/init.lua's line `where`: its error names that line after the install
-- prefix, as an error of Torch7's Lua packages does
local function ipairs_arg(t, where)
   local tt = lua_type(t)
   if tt ~= 'table' then
      local mt = getmetatable(t)
      if not (lua_type(mt) == 'table' and rawget(mt, '__ipairs')) then
         error(lua_prefix .. 'xlua/init.lua:' .. where .. ": bad argument #1 to 'ipairs' "
               .. '(table expected, got ' .. tt .. ')', 0)
      end
   end
end

-- formatTime is the Python module's: set here too, so that pairs(xlua) lists it as xlua's own
xlua.formatTime = xlua.formatTime

-- the globals that exist when xlua loads (xlua itself among them, not xprint, xrequire or
-- xerror): clearall and who leave them alone
local protected = {}
for k in pairs(_G) do protected[#protected + 1] = k end

local sys = require 'sys'
local function colors() return sys.COLORS end

local function val2str(v)
   if lua_type(v) == 'string' then
      v = v:gsub('\n', '\\n')
      if v:gsub('[^\'"]', ''):match('^"+$') then return "'" .. v .. "'" end
      return '"' .. v:gsub('"', '\\"') .. '"'
   end
   if lua_type(v) == 'table' then return xlua.table2string(v) end
   return tostring(v)
end
local function key2str(k)
   if lua_type(k) == 'string' and k:match('^[_%a][_%a%d]*$') then return k end
   return '[' .. val2str(k) .. ']'
end

-- a table as text: array items, then key=value pairs (pairs order); one per line with newline
function xlua.table2string(t, newline)
   ipairs_arg(t, 396)
   local parts, seen = {}, {}
   for i, v in ipairs(t) do
      parts[#parts + 1] = val2str(v)
      seen[i] = true
   end
   local sep = newline and ' : ' or '='
   for k, v in pairs(t) do
      if not seen[k] then parts[#parts + 1] = key2str(k) .. sep .. val2str(v) end
   end
   if newline then return '{\n   ' .. table.concat(parts, '\n   ') .. '\n}' end
   return '{' .. table.concat(parts, ',') .. '}'
end

local function pad40(s)
   if #s < 40 then s = s .. string.rep(' ', 40 - #s) end
   return s
end

-- the help text of a function taking named ({arg=, type=, help=, req=, default=}) or
-- positional arguments
function xlua.usage(funcname, description, example, ...)
   local c = colors()
   local banner = '+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++'
   local out = {banner, '\n', c.Magenta, funcname, c.none, '\n'}
   local function add(s) out[#out + 1] = s end
   if description then add('\n' .. description .. '\n') end
   add('\n' .. c.blue .. '> ' .. c.none .. 'usage:\n' .. c.cyan)
   local args = {...}
   if args[1].tabled then args = args[1].tabled end
   if args[1].arg then
      add(funcname .. '{\n')
      for _, p in ipairs(args) do
         local key = p.req and ('    ' .. p.arg .. ' = ' .. p.type)
            or ('    [' .. p.arg .. ' = ' .. p.type .. ']')
         add(pad40(key) .. '-- ' .. p.help)
         if lua_type(p.default) == 'table' then
            add('  [default = ' .. xlua.table2string(p.default) .. ']')
         elseif p.default or p.default == false then
            add('  [default = ' .. tostring(p.default) .. ']')
         elseif p.defaulta then
            add('  [default == ' .. p.defaulta .. ']')
         end
         add('\n')
      end
      add('}\n')
   else
      local i = 1
      while true do
         local p
         add(funcname .. '(\n')
         while true do
            p = args[i]
            i = i + 1
            if not p or p == '' then break end
            local key = p.req and ('    ' .. p.type) or ('    [' .. p.type .. ']')
            add(pad40(key) .. '-- ' .. p.help .. '\n')
         end
         add(')\n')
         if not p then break end
      end
   end
   add(c.none)
   if example then add('\n' .. c.cyan .. example .. c.none .. '\n') end
   add(banner)
   return table.concat(out)
end

-- named or positional arguments checked against their definitions: returns the table of
-- values (by name and by position, plus .usage) and the values in order
function xlua.unpack(args, funcname, description, ...)
   local defs = {...}
   local usage = setmetatable({}, {__tostring = function()
      local example
      if #defs > 1 then
         example = funcname .. '{' .. defs[2].arg .. '=' .. defs[2].type .. ', '
            .. defs[1].arg .. '=' .. defs[1].type .. '}\n'
            .. funcname .. '(' .. defs[1].type .. ', ...)'
      end
      return xlua.usage(funcname, description, example, {tabled = defs})
   end})
   local given = {}
   if #args == 0 then
      print(usage)
      xlua.error('error')
   elseif #args == 1 and lua_type(args[1]) == 'table' and #args[1] == 0
         and torch.typename(args[1]) == nil then
      given = args[1]
   else
      for i = 1, select('#', ...) do given[defs[i].arg] = args[i] end
   end
   local out = {}
   for i, def in ipairs(defs) do
      if def.req and given[def.arg] == nil then
         local c = colors()
         print(c.Red .. 'missing argument: ' .. def.arg .. c.none)
         print(usage)
         xlua.error('error')
      end
      local v = given[def.arg]
      if v == nil then v = def.default end
      if v == nil and def.defaulta then v = out[def.defaulta] end
      out[def.arg] = v
      out[i] = v
   end
   out.usage = usage
   if out[65] then xlua.error('<xlua.unpack> oups, cant deal with more than 64 arguments :-)') end
   return out, unpack(out, 1, math.max(#defs, 0))
end

function xlua.unpack_class(object, args, funcname, description, ...)
   local values = xlua.unpack(args, funcname, description, ...)
   for k, v in pairs(values) do
      if lua_type(k) ~= 'number' then object[k] = v end
   end
end

-- settings from environment variables named like the defaults' keys
function xlua.envparams(defaults)
   local params = {}
   for k, v in pairs(defaults) do
      params[k] = v
      local s = os.getenv(k)
      if s ~= nil then
         if lua_type(v) == 'number' then
            s = tonumber(s)
         elseif lua_type(v) == 'boolean' then
            if s == 'false' or s == 'False' then s = false
            elseif s == 'true' or s == 'True' then s = true end
         end
         assert(s ~= nil)
         params[k] = s
      end
   end
   return params
end

-- xlua.installed(package): its argument shadows the package library, so reading
-- package.cpath of the name (a string) is nil and the concatenation fails, as in xlua
function xlua.installed(package)
   local kind = lua_type(package)
   if kind == 'string' then  -- ('name').cpath is nil (the path's concatenation comes second)
      error("attempt to concatenate field 'cpath' (a nil value)", 0)
   elseif kind ~= 'table' then
      error("attempt to index local 'package' (a " .. kind .. " value)", 0)
   end
   local p = package.path .. ';' .. package.cpath
   for path in p:gmatch('.-;') do
      path = path:gsub(';', ''):gsub('?', package)
      if sys.filep(path) then return true, path end
   end
   return false, p
end

-- xlua's table.splice: the elements outside [start, start + length) and those inside, as two
-- new tables (tbl itself unchanged)
function table.splice(tbl, start, length)
   length, start = length or 1, start or 1
   ipairs_arg(tbl, 646)
   local kept, cut = {}, {}
   for i, v in ipairs(tbl) do
      local into = (i < start or i >= start + length) and kept or cut
      into[#into + 1] = v
   end
   return kept, cut
end

-- xlua's table.prune: one element per hash (the last, or merge(new, kept)), in the pairs()
-- order of the hash table
function table.prune(tbl, hashfunc, merge)
   local hash = hashfunc or function(a) return a end
   local byhash = {}
   ipairs_arg(tbl, merge and 667 or 675)
   for _, v in ipairs(tbl) do
      local h = hash(v)
      local old = byhash[h]
      if old == nil then note(byhash, h) end
      if merge and old ~= nil then byhash[h] = merge(v, old) else byhash[h] = v end
   end
   local out = {}
   for _, v in pairs(byhash) do out[#out + 1] = v end
   return out
end

function string.tosymbol(str)
   local ok, result = pcall(loadstring('return ' .. str))
   if not ok then error(result) end
   if not result then error('symbol "' .. str .. '" does not exist') end
   return result
end

-- xlua.print(obj, ...): a table's fields one per line as [k] = tostring(v) (userdata as
-- <userdata>, a text longer than 40 characters cut there, followed by a colour reset and
-- ' ... '), an object's own __tostring__ text, anything else tostring(obj); the rest of the
-- arguments go to print after four spaces
function xlua.print(obj, ...)
   if lua_type(obj) == 'table' then
      local mt = getmetatable(obj)
      if mt and mt.__tostring__ then
         io.write(mt.__tostring__(obj))
      else
         local tos = tostring(obj)
         if tos and not string.find(tos, 'table: ') then
            if obj.usage and lua_type(obj.usage) == 'string' then
               io.write(obj.usage)
               io.write('\n\nFIELDS:\n')
            else
               io.write(tos .. ':\n')
            end
         end
         io.write('{')
         local sep = ''
         local first = true
         for k, v in pairs(obj) do
            if not first then io.write(',\n') end
            if lua_type(v) == 'userdata' then
               io.write(sep .. '[' .. k .. ']' .. ' = <userdata>')
            else
               local text = tostring(v):gsub('\n', '\\n')
               if #text > 40 then
                  io.write(sep .. '[' .. tostring(k) .. '] = ' .. text:sub(1, 40)
                     .. colors().none .. ' ... ')
               else
                  io.write(sep .. '[' .. tostring(k) .. '] = ' .. text)
               end
            end
            sep = ' '
            first = false
         end
         io.write('}')
      end
   else
      io.write(tostring(obj))
   end
   if select('#', ...) > 0 then
      io.write('    ')
      print(...)
   else
      io.write('\n')
   end
end
rawset(_G, 'xprint', xlua.print)

local function is_protected(k)
   for _, p in ipairs(protected) do
      if k == p then return true end
   end
   return false
end

-- xlua.log(file, append): print becomes xlua.print and io.write also writes to file
function xlua.log(file, append)
   os.execute('mkdir -p  "' .. sys.dirname(file) .. '"')
   local f = assert(io.open(file, append and 'a' or 'w'))
   io._write = io.write
   _G._print = _G.print
   _G.print = xlua.print
   io.write = function(...)
      io._write(...)
      local args = {...}
      for i = 1, select('#', ...) do f:write(args[i]) end
      f:flush()
   end
end

-- every global set after xlua loaded becomes nil (a package's global also leaves
-- package.loaded)
function xlua.clearall()
   for k in pairs(_G) do
      if not is_protected(k) then
         local lib = false
         for p in pairs(package.loaded) do
            if k == p then lib = true end
         end
         _G[k] = nil
         if lib then package.loaded[k] = nil end
      end
   end
   collectgarbage()
end

function xlua.clear(var)
   _G[var] = nil
   collectgarbage()
end

-- the globals that are packages, then the other globals set after xlua loaded
function xlua.who()
   local user, libs = {}, {}
   for k in pairs(_G) do
      local lib = false
      for p in pairs(package.loaded) do
         if k == p and p ~= '_G' then lib = true end
      end
      if lib then
         table.insert(libs, k)
      elseif not is_protected(k) then
         user[k] = _G[k]
      end
   end
   xlua.print('')
   xlua.print('Global Libs:')
   xlua.print(libs)
   xlua.print('')
   xlua.print('Global Vars:')
   xlua.print(user)
   xlua.print('')
end

-- a module's help text, which its tostring then gives
function xlua.usage_module(module, name, description)
   local c = colors()
   local str = c.magenta
      .. '+++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++\n'
      .. 'PACKAGE:\n' .. name .. '\n'
   if description then str = str .. '\nDESC:\n' .. description .. '\n' end
   str = str .. '++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++'
      .. c.none
   local mt = getmetatable(module) or {}
   setmetatable(module, mt)
   mt.__tostring = function() return str end
   return str
end
rawset(_G, 'xrequire', xlua.require)
rawset(_G, 'xerror', xlua.error)

-- xlua.Profiler: named timers (real time from sys.clock, cpu from os.clock)
local Profiler = {}
function xlua.Profiler(mode, verbose)
   local p = {events = {}, list = {}, off = mode == 'off', verbose = verbose or false}
   for k, f in pairs(Profiler) do p[k] = f end
   return p
end
function Profiler:start(name, fps)
   local e = self.events[name]
   if e then
      e.cpu, e.real = os.clock(), sys.clock()
   else
      e = {cpu = os.clock(), real = sys.clock(), name = name}
      self.events[name] = e
      self.list[#self.list + 1] = e
   end
   if fps == 'fps' then e.fps = true end
   if self.verbose then io.write('<' .. name .. '>') io.flush() end
end
function Profiler:setColor(name, color)
   if not self.events[name] then
      error('# ERROR: There is no such profiler - ' .. name .. ', create it first')
   end
   self.events[name].color = color
end
function Profiler:cpu(name, divider)
   local d = os.clock() - self.events[name].cpu
   if divider then d = d / divider end
   self.events[name].cpud = d
   return d
end
function Profiler:real(name, divider)
   local d = sys.clock() - self.events[name].real
   if divider then d = d / divider end
   self.events[name].reald = d
   return d
end
function Profiler:lap(name, divider)
   local r, c = self:real(name, divider), self:cpu(name, divider)
   if self.verbose then io.write('\r') self:print(name) end
   return r, c
end
function Profiler:format(name)
   local e = self.events[name]
   return string.format('$ real | cpu: %f | %f <%s>', e.reald or -1, e.cpud or -1, name)
end
function Profiler:print(name)
   if not self.off then print(self:format(name)) end
end
function Profiler:formatAll()
   local s = '$ profiler report:'
   for _, e in ipairs(self.list) do
      if e.fps then
         s = s .. '\n' .. string.format('$ real %f | cpu %f <%s> = %f fps',
            e.reald or -1, e.cpud or -1, e.name, 1 / (e.reald or -1))
      else
         s = s .. '\n' .. string.format('$ real %f | cpu %f <%s>', e.reald or -1, e.cpud or -1,
            e.name)
      end
   end
   return s
end
function Profiler:printAll()
   if not self.off then print(self:formatAll()) end
end

-- xlua.OptionParser (D. Manura's, as xlua ships it): options declared as
-- {'-s', '--long', action=, dest=, help=, default=, req=}; parse() reads the global arg
local OptionParser = {}
function xlua.OptionParser(usage)
   local p = {usage = usage, option_descriptions = {}, option_of = {}}
   for k, f in pairs(OptionParser) do p[k] = f end
   p:option{'-h', '--help', action = 'store_true', dest = 'help',
            help = 'show this help message and exit'}
   return p
end
function OptionParser:fail(s)
   io.stderr:write(s .. '\n')
   self:help()
   os.exit(1)
end
function OptionParser:option(desc)
   self.option_descriptions[#self.option_descriptions + 1] = desc
   for _, flag in ipairs(desc) do self.option_of[flag] = desc end
end
function OptionParser:parse(options)
   options = options or {}
   local rest = {}
   for _, d in ipairs(self.option_descriptions) do
      if d.default ~= nil and options[d.dest] == nil then options[d.dest] = d.default end
   end
   if not arg then
      options.__main__ = false
      self.options = options
      return options, rest
   end
   options.__main__ = true
   local argv = {unpack(arg)}
   for i = #argv, 1, -1 do  -- --flag=value is --flag value
      local flag, val = argv[i]:match('^(%-%-%w+)=(.*)')
      if flag then
         argv[i] = flag
         table.insert(argv, i + 1, val)
      end
   end
   local i = 1
   while i <= #argv do
      local a = argv[i]
      local d = self.option_of[a]
      if d then
         local val = d.default
         if d.action == 'store' or d.action == nil then
            i = i + 1
            val = argv[i] or d.default
            if not val then self:fail('option requires an argument ' .. a) end
         elseif d.action == 'store_true' then
            val = true
         elseif d.action == 'store_false' then
            val = false
         end
         options[d.dest] = val
      else
         if a:match('^%-') then self:fail('invalid option ' .. a) end
         rest[#rest + 1] = a
      end
      i = i + 1
   end
   for flag, d in pairs(self.option_of) do
      if d.req and not options[d.dest] then
         self:fail('option ' .. flag .. ' requires an argument ')
      end
   end
   if options.help then
      self:help()
      os.exit()
   end
   self.options = options
   return options, rest
end
function OptionParser:flags(desc)
   local parts = {}
   local action = desc and desc.action
   for _, flag in ipairs(desc) do
      local tail = ''
      if action == nil or action == 'store' then
         local metavar = desc.metavar or desc.dest:upper()
         tail = (#flag == 2) and (' ' .. metavar) or ('=' .. metavar)
      end
      parts[#parts + 1] = flag .. tail
   end
   return table.concat(parts, ', ')
end
function OptionParser:help()
   local prog = arg and arg[0] and ((arg[-1] and (arg[-1] .. ' ') or '') .. arg[0]) or 'THISPROG'
   io.stdout:write('Usage: ' .. self.usage:gsub('%%prog', prog) .. '\n')
   io.stdout:write('\n')
   io.stdout:write('Options:\n')
   local width = 0
   for _, d in ipairs(self.option_descriptions) do width = math.max(width, #self:flags(d)) end
   for _, d in ipairs(self.option_descriptions) do
      local def = ''
      if d.req then
         def = ' [REQUIRED]'
      elseif d.default then
         def = ' [default = ' .. tostring(d.default) .. ']'
      end
      local flags = self:flags(d)
      io.stdout:write('  ' .. flags .. string.rep(' ', width - #flags) .. '  ' .. d.help .. def
         .. '\n')
   end
end
function OptionParser:tostring(generatefilename, params)
   local s = ''
   if not generatefilename then
      s = '<' .. ((arg and arg[0]) or 'interpreted.lua'):gsub('.lua', '') .. '> configuration:\n'
      for k, v in pairs(self.options) do s = s .. ' + ' .. k .. ' = ' .. tostring(v) .. '\n' end
      return s
   end
   local first = true
   for _, d in ipairs(self.option_descriptions) do
      local key = d[1]
      local match = true
      if #params > 0 then
         match = false
         for _, p in ipairs(params) do if key == p then match = true break end end
      end
      local val = self.options[d.dest]
      if val and match then
         s = s .. (first and '' or ',') .. key .. '=' .. tostring(val)
         first = false
      end
   end
   return (s:gsub('/', '|'):gsub(' ', '_'))
end
function OptionParser:summarize(compact)
   io.write(self:tostring(compact))
end
end

return M
