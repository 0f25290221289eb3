-- Tester.lua's assertions against th's torch.Tester (compat/tester.lua) and the Python API's
-- torch7py.tester.Tester: random assertions; their results, the failure and warning messages
-- (without the traceback lines) and the pass/fail counts.
local C = ...
local D = C.D
local OT
local ftorch = setmetatable({class = function(name)
   local mt = {}
   mt.__index = mt
   local cls = setmetatable({}, {__call = function(_, ...)
      local o = setmetatable({}, mt)
      if mt.__init then mt.__init(o, ...) end
      return o
   end})
   if name == 'torch.Tester' then OT = cls end
   return mt
end}, {__index = torch})
C.load(D.torch7 .. '/Tester.lua', {torch = ftorch})
local PyTester = D.PyTester

local function fresh(kind)
   local t = kind == 'orig' and OT() or kind == 'th' and torch.Tester() or PyTester()
   t.assertionPass = {[''] = 0}
   t.assertionFail = {[''] = 0}
   t._currentTestName = ''
   -- the message only: traceback lines differ between implementations by nature
   if kind == 'py' then
      t._debug_info = function(self, m) return m end
   else
      t._addDebugInfo = function(self, m) return m end
   end
   return t
end

local function rnum()
   return C.choice({0, 1, -1, 0.5, 1e-10, 1 + 1e-12, 3, 0/0, 1/0, 2})
end

local function rtensor()
   local ty = C.choice({'Double', 'Float', 'Long', 'Byte'})
   local size = C.choice({{3}, {2, 2}, {4}, {1, 3}, {3, 1}, {}})
   local t = torch[ty .. 'Tensor']()
   if #size > 0 then t:resize(torch.LongStorage(size)) end
   if t:nElement() > 0 then C.fill(t, C.choice({'small', 'int', 'normal'})) end
   return t
end

local function rvalue(depth)
   local r = math.random()
   if r < 0.35 then return rnum() end
   if r < 0.65 then return rtensor() end
   if r < 0.75 then return C.choice({'a', 'b', ''}) end
   if r < 0.8 then return math.random() < 0.5 end
   if depth > 0 then
      local t = {}
      for i = 1, math.random(0, 3) do t[i] = rvalue(depth - 1) end
      if math.random() < 0.3 then t.k = rvalue(depth - 1) end
      return t
   end
   return rnum()
end

local function extras()
   local e = {}
   if math.random() < 0.4 then e[#e + 1] = C.choice({0, 1e-5, 0.5, 1e-12}) end
   if math.random() < 0.4 then e[#e + 1] = C.choice({'msg', 'two\nlines', ''}) end
   if math.random() < 0.1 then e = {'msg', 0.1} end
   return e
end

local calls = {
   function() return 'assertlt', {rnum(), rnum(), C.choice({nil, 'm'})} end,
   function() return 'assertgt', {rnum(), rnum()} end,
   function() return 'assertle', {rnum(), rnum()} end,
   function() return 'assertge', {rnum(), rnum()} end,
   function() return 'asserteq', {rnum(), rnum(), C.choice({nil, 'm'})} end,
   function() return 'assertne', {rnum(), rnum()} end,
   function() return 'assertalmosteq', {rnum(), rnum(), unpack(extras())} end,
   function()
      local a = rtensor()
      local b = math.random() < 0.5 and a:clone() or rtensor()
      if math.random() < 0.3 and b:nElement() > 0 then b:add(1e-7) end
      return C.choice({'assertTensorEq', 'assertTensorNe'}), {a, b, unpack(extras())}
   end,
   function()
      local a = rvalue(2)
      return C.choice({'assertTableEq', 'assertTableNe', 'assertGeneralEq', 'assertGeneralNe'}),
         {a, math.random() < 0.5 and a or rvalue(2), unpack(extras())}
   end,
   function() return 'assert', {C.choice({true, false, 1, nil}), C.choice({nil, 'm', ''})} end,
   function()
      local f = C.choice({function() error('boom') end, function() return 1 end,
                          function() error({code = 1}) end})
      return C.choice({'assertError', 'assertNoError'}), {f, C.choice({nil, 'm'})}
   end,
   function()
      return C.choice({'assertErrorMsg', 'assertErrorPattern'}),
         {C.choice({function() error('boom', 0) end, function() error('x.y') end,
                    function() end}), C.choice({'boom', 'x.y', 'b.om', '^boom$'})}
   end,
}

local kinds = {'th', 'py'}
for i = 1, D.n * 2 do
   local seed = math.random(1, 2^30)
   local function make()
      math.randomseed(seed)
      torch.manualSeed(seed)
      return C.choice(calls)()
   end
   local name = make()
   local res = {}
   for _, kind in ipairs({'orig', 'th', 'py'}) do
      local _, args = make()
      local t = fresh(kind)
      local ok, r = pcall(function() return t[name](t, unpack(args, 1, 4)) end)
      local errs, warns = {}, {}
      -- (a table's address differs from run to run)
      for k, e in ipairs(t.errors) do errs[k] = e:gsub('table: 0x%x+', 'table: ADDR') end
      for k, e in ipairs(t.warnings) do warns[k] = e end
      res[kind] = {ok = ok, r = ok and r or C.strip(r), errors = errs, warnings = warns,
                   pass = t.assertionPass[''], fail = t.assertionFail['']}
   end
   for _, kind in ipairs(kinds) do
      local fname = (kind == 'th' and 'th Tester:' or 'torch7py.tester Tester.') .. name
      D.call(fname)
      local why = C.same(res[kind], res.orig, 'tester')
      if why then
         local _, args = make()
         local shown = {}
         for k = 1, 4 do shown[k] = C.show(args[k]) end
         D.diff(fname, kind == 'th' and 'tester (compat/tester.lua)' or 'tester (tester.py)',
                '(' .. table.concat(shown, ', ') .. ') ' .. why)
      end
   end
end
