-- CmdLine.lua (torch.CmdLine) against ours: random option/argument declarations, random
-- command lines; params, help text, printed lines, stderr, exit codes and errors compared.
local C = ...
local D = C.D

-- the original class, made by a small torch.class that leaves ours alone
local OC
local env = {}
local ftorch = setmetatable({class = function(name)
   local mt = {}
   mt.__index = mt
   OC = setmetatable({}, {__call = function(_, ...)
      local o = setmetatable({}, mt)
      if mt.__init then mt.__init(o, ...) end
      return o
   end})
   return mt
end}, {__index = torch})
env.torch = ftorch

-- the original's output goes here while it runs
local out, err
env.print = function(...)
   local n = select('#', ...)
   local parts = {}
   for i = 1, n do parts[i] = tostring((select(i, ...))) end
   out[#out + 1] = table.concat(parts, '\t') .. '\n'
end
env.io = setmetatable({write = function(...)
   for i = 1, select('#', ...) do out[#out + 1] = tostring((select(i, ...))) end
end, stderr = {write = function(self, ...)
   for i = 1, select('#', ...) do err[#err + 1] = tostring((select(i, ...))) end
end}}, {__index = io})
env.os = setmetatable({exit = function(code) error({exit = code or true}, 0) end},
                      {__index = os})
C.load(D.torch7 .. '/CmdLine.lua', env)

-- (names are unique once their dashes are stripped: with two, which one CmdLine:default keeps
-- follows a Lua table's hash order, which ours does not reproduce)
local used
local function rkey()
   local name
   repeat
      name = C.choice({'lr', 'n', 'save', 'gpu', 'x', 'opt_a', 'b', 'seed', 'name2'})
   until not used[name]
   used[name] = true
   return C.choice({'-', '-', '-', '--', ''}) .. name
end

local function rdefault()
   local r = math.random()
   if r < 0.35 then return C.choice({0, 1, 0.5, -3, 1e-3, 100, 2^40, 1/0}) end
   if r < 0.7 then return C.choice({'', 'abc', 'a b', 'x,y', 'model.t7'}) end
   return math.random() < 0.5
end

local function rvalue()
   return C.choice({'1', '12', '-3', '0.5', '1e3', '0x10', ' 7', '7 ', 'abc', '', 'inf', 'nan',
                    '1e400', '--x', '-lr', 'true', 'false', '-h', '-help', '--help', '3.',
                    '.5', '1,2', 'a=b'})
end

-- one random declaration as a list of calls, replayed on either class
local function spec()
   used = {}
   local calls = {}
   for i = 1, math.random(0, 6) do
      local r = math.random()
      if r < 0.6 and i < 9 then
         local d = rdefault()
         local ty = math.random() < 0.1 and C.choice({'number', 'string', 'boolean', 'table'})
            or nil
         calls[#calls + 1] = {'option', rkey(), d, math.random() < 0.7 and
            C.choice({'learning rate', 'how many', 'where to save', ''}) or nil, ty}
      elseif r < 0.8 then
         -- (unique names too: a repeated one leaves holes in CmdLine:string's table, whose
         -- length then follows LuaJIT's table layout)
         local key
         repeat key = C.choice({'data', 'model', '-out', 'x2', 'y'}) until not used[key:match('%-*(.*)')]
         used[key:match('%-*(.*)')] = true
         calls[#calls + 1] = {'argument', key,
            math.random() < 0.5 and 'an argument' or nil,
            math.random() < 0.2 and C.choice({'string', 'number'}) or nil}
      else
         calls[#calls + 1] = {'text', C.choice({'', 'Options:', 'some help', nil})}
      end
   end
   if math.random() < 0.05 then calls[#calls + 1] = {'option', '-nodefault', nil, 'x'} end
   return calls
end

local function argv(calls)
   local a = {}
   local keys = {}
   for _, c in ipairs(calls) do
      if c[1] == 'option' then keys[#keys + 1] = c[2] end
   end
   for i = 1, math.random(0, 6) do
      local r = math.random()
      if r < 0.5 and #keys > 0 then a[#a + 1] = C.choice(keys)
      elseif r < 0.6 then a[#a + 1] = C.choice({'-unknown', '-h', '--help'})
      else a[#a + 1] = rvalue() end
   end
   a[0] = C.choice({'train.lua', 'x/y.lua'})  -- th's arg always has the script
   return a
end

local function scenario(new, calls, a, what, extra)
   return function()
      local cmd = new()
      for _, c in ipairs(calls) do cmd[c[1]](cmd, c[2], c[3], c[4], c[5]) end
      if what == 'parse' then return cmd:parse(a) end
      if what == 'help' then return cmd:help(a) end
      if what == 'default' then return cmd:default() end
      if what == 'string' then return cmd:string(extra[1], extra[2], extra[3]) end
   end
end

local function run_ours(f)
   local res
   local gprint = print
   local o = {}
   print = function(...)  -- our Python print_hook prints through the global print
      local parts = {}
      for i = 1, select('#', ...) do parts[i] = tostring((select(i, ...))) end
      o[#o + 1] = table.concat(parts, '\t') .. '\n'
   end
   local sout, serr, code = D.capture(function() res = {pcall(f)} end)
   print = gprint
   if code ~= nil then res = {true} end  -- os.exit: the call's error is how it left
   -- Lua prints and Python writes interleave; Python's writes come as one block per stream
   return res, table.concat(o) .. sout, serr, code
end

local function run_orig(f)
   out, err = {}, {}
   local res = {pcall(f)}
   local code
   if not res[1] and type(res[2]) == 'table' and res[2].exit then
      code = res[2].exit == true and 0 or res[2].exit
      res = {true}
   end
   return res, table.concat(out), table.concat(err), code
end

local function show(calls, a, what)
   local parts = {}
   for _, c in ipairs(calls) do
      local args = {}
      for i = 2, 5 do args[#args + 1] = C.show(c[i]) end
      parts[#parts + 1] = c[1] .. '(' .. table.concat(args, ',') .. ')'
   end
   local av = {}
   for i = 0, #a do av[#av + 1] = a[i] and string.format('%q', a[i]) or 'nil' end
   return what .. ' ' .. table.concat(parts, ' ') .. ' arg {' .. table.concat(av, ',') .. '}'
end

for i = 1, D.n * 2 do
   local calls = spec()
   local a = argv(calls)
   local what = C.choice({'parse', 'parse', 'parse', 'help', 'default', 'string'})
   local extra
   if what == 'string' then
      local params, ignore = {}, {}
      for _, c in ipairs(calls) do
         -- (every argument is in params, as parse makes them: a missing one leaves a hole
         -- whose length follows LuaJIT's table layout)
         if c[1] ~= 'text' and (c[1] == 'argument' or math.random() < 0.7) and c[2] then
            local k = c[2]:match('%-*(.*)')
            params[k] = math.random() < 0.5 and (c[3] == nil and 'v' or c[3]) or rdefault()
            if math.random() < 0.2 then ignore[k] = C.choice({true, false}) end
         end
      end
      if math.random() < 0.2 then params.other = 1 end
      extra = {C.choice({nil, '', 'run'}), params, ignore}
   end
   D.call('CmdLine:' .. what)
   local ro, so, eo, co = run_ours(scenario(torch.CmdLine, calls, a, what, extra))
   local rl, sl, el, cl = run_orig(scenario(OC, calls, a, what, extra))
   local why
   if co ~= cl then
      why = 'exit code ' .. tostring(co) .. ' vs ' .. tostring(cl)
   elseif ro[1] ~= rl[1] then
      why = ro[1] and ('ours returned, original raised: ' .. C.strip(rl[2]))
         or ('ours raised: ' .. C.strip(ro[2]))
   elseif not ro[1] and C.strip(ro[2]) ~= C.strip(rl[2]) then
      why = 'error ' .. string.format('%q', C.strip(ro[2])) .. ' vs ' ..
         string.format('%q', C.strip(rl[2]))
   elseif so ~= sl then
      why = 'stdout ' .. string.format('%q', so) .. ' vs ' .. string.format('%q', sl)
   elseif eo ~= el then
      why = 'stderr ' .. string.format('%q', eo) .. ' vs ' .. string.format('%q', el)
   elseif ro[1] and not co then
      why = C.same(ro[2], rl[2], 'result')
   end
   if why then D.diff('CmdLine:' .. what, 'cmdline', show(calls, a, what) .. ': ' .. why) end
end
