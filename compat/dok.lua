-- torch/dok as th has it: trepl loads it at start (pcall(require, 'dok')), so `dok` is a global
-- of every script, with its named-argument helpers (dok.unpack, dok.usage, dok.error: older
-- packages such as eladtools call dok.unpack), its colours and help(). Written for torch7py
-- after dok's init.lua and inline.lua; torch7py ships no markdown manuals, so help() finds no
-- entry for any symbol (dok.inline stays empty), as dok does for an undocumented one.
local dok = {}
dok.inline = {}

local E = '\27['
dok.colors = {
   none = E .. '0m',
   black = E .. '0;30m', red = E .. '0;31m', green = E .. '0;32m', yellow = E .. '0;33m',
   blue = E .. '0;34m', magenta = E .. '0;35m', cyan = E .. '0;36m', white = E .. '0;37m',
   Black = E .. '1;30m', Red = E .. '1;31m', Green = E .. '1;32m', Yellow = E .. '1;33m',
   Blue = E .. '1;34m', Magenta = E .. '1;35m', Cyan = E .. '1;36m', White = E .. '1;37m',
   _black = E .. '40m', _red = E .. '41m', _green = E .. '42m', _yellow = E .. '43m',
   _blue = E .. '44m', _magenta = E .. '45m', _cyan = E .. '46m', _white = E .. '47m',
}
local c = dok.colors
local BANNER = string.rep('+', 69)

local style
function dok.usecolors()
   style = {banner = BANNER, list = c.blue .. '> ' .. c.none, title = c.Magenta, pre = c.cyan,
            em = c.Black, bold = c.Black, img = c.red, link = c.red, code = c.green,
            error = c.Red, none = c.none}
end
function dok.dontusecolors()
   style = {banner = BANNER, list = '> ', title = '', pre = '', em = '', bold = '', img = '',
            link = '', code = '', error = '', none = ''}
end
dok.usecolors()

-- a symbol named by a string: the value of the expression, else of _torchimport's
local function string2symbol(str)
   str = str:gsub(':', '.')
   local ok, res = pcall(loadstring('local t = ' .. str .. '; return t'))
   if not ok then
      ok, res = pcall(loadstring('local t = _torchimport.' .. str .. '; return t'))
   end
   return res
end

-- dok reads the markdown manuals of the loaded packages here; torch7py has none
function dok.refresh() end

function dok.help(symbol, asstring)
   if qtide then dok.dontusecolors() else dok.usecolors() end
   if not symbol then
      print(style.banner)
      print(style.title .. 'help(symbol)' .. style.none
               .. '\n\nget inline help on a specific symbol\n'
               .. '\nto browse the complete html documentation, call: '
               .. style.title .. 'browse()' .. style.none)
      print(style.banner)
      return
   end
   dok.refresh()
   if type(symbol) == 'string' then symbol = string2symbol(symbol) end
   local inline = dok.inline[symbol]
   if asstring then return inline end
   if inline then
      print(style.banner)
      print(inline)
      print(style.banner)
   else
      print('undocumented symbol')
   end
end

-- the help text of a function taking named or positional arguments (padded to 40 columns)
function dok.usage(funcname, description, example, ...)
   local parts = {}
   local function add(s) parts[#parts + 1] = s end
   local doc = help(string2symbol(funcname), true)
   if doc then
      add(doc)
   else
      add(style.banner .. '\n' .. style.title .. funcname .. style.none .. '\n')
      if description then add('\n' .. description .. '\n') end
   end
   add('\n' .. style.list .. 'usage:\n' .. style.pre)
   local function pad(key)
      while key:len() < 40 do key = key .. ' ' end
      return key
   end
   local args = {...}
   if args[1].tabled then args = args[1].tabled end
   if args[1].arg then
      add(funcname .. '{\n')
      for _, param in ipairs(args) do
         local key = param.req and ('    ' .. param.arg .. ' = ' .. param.type)
            or ('    [' .. param.arg .. ' = ' .. param.type .. ']')
         add(pad(key) .. '-- ' .. param.help)
         if param.default or param.default == false then
            add('  [default = ' .. tostring(param.default) .. ']')
         elseif param.defaulta then
            add('  [default == ' .. param.defaulta .. ']')
         end
         add('\n')
      end
      add('}\n')
   else
      local idx = 1
      while true do
         local param
         add(funcname .. '(\n')
         while true do
            param = args[idx]
            idx = idx + 1
            if not param or param == '' then break end
            local key = param.req and ('    ' .. param.type) or ('    [' .. param.type .. ']')
            add(pad(key) .. '-- ' .. param.help .. '\n')
         end
         add(')\n')
         if not param then break end
      end
   end
   add(style.none)
   if example then add('\n' .. style.pre .. example .. style.none .. '\n') end
   add(style.banner)
   return table.concat(parts)
end

-- named ({name = value}) or positional arguments checked against their definitions: the
-- table of values (by name and position, plus .usage), then the values
function dok.unpack(args, funcname, description, ...)
   local defs = {...}
   local usage = setmetatable({}, {__tostring = function()
      local example
      if #defs > 1 then
         example = funcname .. '{' .. defs[2].arg .. '=' .. defs[2].type .. ', '
            .. defs[1].arg .. '=' .. defs[1].type .. '}\n'
         example = example .. funcname .. '(' .. defs[1].type .. ',' .. ' ...)'
      end
      return dok.usage(funcname, description, example, {tabled = defs})
   end})
   local iargs = {}
   if args.__printhelp then
      print(usage)
      error('error')
   elseif #args == 1 and type(args[1]) == 'table' and #args[1] == 0
         and not (torch and torch.typename(args[1]) ~= nil) then
      iargs = args[1]
   else
      for i = 1, select('#', ...) do iargs[defs[i].arg] = args[i] end
   end
   local dargs = {}
   for i = 1, #defs do
      local def = defs[i]
      if def.req and iargs[def.arg] == nil then
         print(style.error .. 'missing argument: ' .. def.arg .. style.none)
         print(usage)
         error('error')
      end
      dargs[def.arg] = iargs[def.arg]
      if dargs[def.arg] == nil then dargs[def.arg] = def.default end
      if dargs[def.arg] == nil and def.defaulta then dargs[def.arg] = dargs[def.defaulta] end
      dargs[i] = dargs[def.arg]
   end
   dargs.usage = usage
   if dargs[65] then error('<dok.unpack> oups, cant deal with more than 64 arguments :-)') end
   return dargs, unpack(dargs)
end

-- an error in dok's red, '<domain> ' first when a domain is given
function dok.error(message, domain)
   if domain then message = '<' .. domain .. '> ' .. message end
   error(style.error .. tostring(message) .. style.none)
end

-- the manual browser: with no manuals, a package has no sections
function dok.browse(package_name)
   print(style.banner)
   print('Inline Package Manual Browser')
   print(style.banner)
   print('To exit at any time, type q or exit')
   if not package_name then
      print('Enter package name to browse (example: torch):')
      package_name = io.read()
   end
   if package_name == 'exit' then return end
   if not pcall(function() require(package_name) end) then
      print('Package not found or failed to load:', package_name)
      return
   end
   dok.help(package_name)
   print('Sections:')
   assert(nil, 'No more subsections for this package')
end

return dok
