-- torch.Tester and torch.TestSuite for Lua scripts, as Torch7's Tester.lua/TestSuite.lua behave:
-- the report goes through the script's io.write (tests capture it by replacing io.write),
-- tests are Lua functions run under xpcall in pairs() order of tables built in the order
-- Torch7 built them, colours whenever `arg` exists. torch7py.tester is the Python API's twin.
local torch, H = ...
local tensordiff = H.tensordiff
-- the tables of tests carry the order their names went in (pairs() order follows from it)
local note = H.note or function() end
local type, pairs, ipairs, tostring, next, unpack = type, pairs, ipairs, tostring, next, unpack
local format, rep = string.format, string.rep
-- Tester.lua's and TestSuite.lua's own errors name their line there: `where`
-- ('torch/Tester.lua:324') after the install prefix (H.lua_prefix, torch7py.messages'); one
-- that would name a line of this layer without a `where` names none. An error(msg, level)
-- aimed past this file (error(message, 2) of a rethrow) is unchanged.
local lua_error, getinfo = error, debug.getinfo
local function error(msg, level, where, where2)
   local at = where and H.lua_prefix .. where .. ': ' or ''
   if level == nil then level = 1 end
   local n = tonumber(level)
   if n == nil then  -- luaL_optint's check (Tester.lua passes its string argument as a level)
      lua_error(at .. "bad argument #2 to 'error' (number expected, got " .. type(level) .. ")",
                0)
   end
   level = math.floor(n)
   if level > 0 then
      local src = getinfo(level + 1, 'S')  -- level 1 is the caller of this function
      if src == nil or src.source == '=[compat]' then
         if level == 1 then
            msg = at .. msg
         elseif level == 2 and where2 then  -- the Tester.lua function that called this one
            msg = H.lua_prefix .. where2 .. ': ' .. msg
         end
         level = 0
      else
         level = level + 1
      end
   end
   lua_error(msg, level)
end
-- LuaJIT's assert puts its caller's position before a string message (lj_err_callermsg):
-- Tester.lua's asserts name their own line there, `where`
local function assert(v, msg, where)
   if v then return v end
   if msg == nil then msg = 'assertion failed!' end
   if where then msg = H.lua_prefix .. where .. ': ' .. msg end
   lua_error(msg, 0)
end

local COLS = 80
-- sys.colors' escapes
local colour = {none = '\27[0m', cyan = '\27[0;36m', green = '\27[0;32m', red = '\27[0;31m',
                magenta = '\27[0;35m', yellow = '\27[0;33m'}

-- Torch7 decides once, when Tester.lua loads: coloured when `arg` exists (run by th)
local function paint(s, c)
   if rawget(_G, 'arg') ~= nil and c ~= nil then return c .. s .. colour.none end
   return s
end

local function write(...) return io.write(...) end  -- the script's io.write at each call

local function plural(n, word)
   return n .. ' ' .. word .. (n == 1 and '' or 's')
end

local Tester = {}
Tester.__index = Tester
Tester.__typename = 'torch.Tester'

local ctor = setmetatable({}, {
   __call = function(_, ...)
      local self = setmetatable({}, Tester)
      self:__init(...)
      return self
   end,
   __index = Tester,
   __newindex = Tester,
   __metatable = Tester,  -- luaT's constructor table: getmetatable gives the class's metatable
})
-- torch.class('torch.Tester') in Torch7: its metatable is registered under the name, carries
-- __version 1 and the constructor table
Tester.__version = 1
Tester.__constructor = ctor
torch.metatype('torch.Tester', Tester)

function Tester:__init()
   self.errors = {}
   self.tests = {}
   self.warnings = {}
   self._warningCount = {}
   self.disabledTests = {}
   self._currentTestName = ''
   self._assertTensorEqIgnoresDims = true  -- {{1}} equals {1}, with a warning
end

function Tester:setEarlyAbort(v) self.earlyAbort = v end
function Tester:setRethrowErrors(v) self.rethrow = v end
function Tester:setSummaryOnly(v) self.summaryOnly = v end

-- (outside run(), where Tester.lua has not set them, the counters are nil: Tester.lua's error
-- at its _success / _failure line)
local function counters(self, field, line)
   local c = self[field]
   if c == nil then
      error("attempt to index field '" .. field .. "' (a nil value)", 1, 'torch/Tester.lua:' .. line)
   end
   return c
end

function Tester:_success()
   local name = self._currentTestName
   local pass = counters(self, 'assertionPass', 46)
   pass[name] = pass[name] + 1
   return true
end

-- the test's name, the message, and the two traceback lines just above the test's xpcall
function Tester:_addDebugInfo(message)
   local tb = debug.traceback('tester', 3) or ''
   tb = tb:match('.-\n([^\n]+\n[^\n]+)\n[^\n]+xpcall') or ''
   local name = self._currentTestName
   return (name ~= '' and name .. '\n' or '') .. message .. '\n' .. tb
end

function Tester:_failure(message)
   if self.rethrow then error(message, 2) end
   local name = self._currentTestName
   local fail = counters(self, 'assertionFail', 61)
   fail[name] = fail[name] + 1
   self.errors[#self.errors + 1] = self:_addDebugInfo(message)
   return false
end

-- Torch7's _warning is no tail call: its traceback's two lines are the Tester.lua method's
-- (`line`, named as the script called it: 'assertne', 'assertTensorEq' through its tail call)
-- and the script's; the layer's frames are not in ours, which starts 'stack traceback:' there
function Tester:_warning(message, line)
   local name = self._currentTestName
   self._warningCount[name] = (self._warningCount[name] or 0) + 1
   local info = self:_addDebugInfo(message)
   if line then
      local caller = getinfo(2, 'n')
      local fname = caller and caller.name
      local frame = '\t' .. H.lua_prefix .. 'torch/Tester.lua:' .. line .. ': in function '
                    .. (fname and "'" .. fname .. "'" or '?')
      info = info:gsub('\nstack traceback:\n', function() return '\n' .. frame .. '\n' end, 1)
   end
   self.warnings[#self.warnings + 1] = info
end

-- the calls below are tail calls where Torch7's are: the traceback levels depend on it
function Tester:_assert_sub(ok, message)
   if ok then return self:_success() end
   return self:_failure(message)
end

local function messageOf(message, ...)
   assert(next({...}) == nil, 'Unexpected arguments passed to test function', 'torch/Tester.lua:84')
   if message then
      assert(type(message) == 'string', 'message parameter must be a string', 'torch/Tester.lua:86')
      if message ~= '' then return message .. '\n' end
   end
   return ''
end

-- (tolerance, message) in either order
local function toleranceAndMessage(default, site, ...)
   local message, tolerance
   for _, a in ipairs({...}) do
      if type(a) == 'string' then
         if message then
            error('Unexpected string argument; already have message', a,
                  'torch/Tester.lua:108', site)
         end
         message = a .. '\n'
      elseif type(a) == 'number' then
         if tolerance then
            error('Unexpected number argument; already have tolerance', a,
                  'torch/Tester.lua:113', site)
         end
         tolerance = a
         assert(tolerance >= 0, 'tolerance cannot be negative', 'torch/Tester.lua:116')
      else
         error('Unrecognized argument; should be a tolerance or message', a,
               'torch/Tester.lua:118')
      end
   end
   return tolerance or default, message or ''
end

local check = {}

function Tester:assert(condition, ...)
   local message = messageOf(...)
   if type(condition) ~= 'boolean' then
      self:_warning(' :assert should only be used for boolean conditions. To check for '
                    .. 'non-nil variables, do this explicitly: Tester:assert(var ~= nil).', 129)
   end
   return self:_assert_sub(condition,
                           format('%sBOOL violation condition=%s', message, tostring(condition)))
end

function Tester:_eqOrNeq(got, expected, negate, ...)
   local tolerance, message = toleranceAndMessage(0, 'torch/Tester.lua:155', ...)
   local ok, sub = check.areEq(got, expected, tolerance, negate)
   return self:_assert_sub(ok, message .. (sub or ''))
end

function Tester:assertGeneralEq(got, expected, ...)
   return self:_eqOrNeq(got, expected, false, ...)
end
function Tester:eq(got, expected, ...) return self:assertGeneralEq(got, expected, ...) end
function Tester:assertGeneralNe(got, unexpected, ...)
   return self:_eqOrNeq(got, unexpected, true, ...)
end
function Tester:ne(got, unexpected, ...) return self:assertGeneralNe(got, unexpected, ...) end

local function comparison(name, test, label, opposite)
   Tester[name] = function(self, a, b, ...)
      local message = messageOf(...)
      return self:_assert_sub(test(a, b), format('%s%s failed: %s %s %s', message, label,
                                                 tostring(a), opposite, tostring(b)))
   end
end
-- a comparison Lua cannot make ('attempt to compare number with string') fails at the
-- Tester.lua line that compares, as the original's message names it
-- (the original's LuaJIT 2.1.0-beta2 names <= and >='s operands the other way round from
-- this layer's LuaJIT: 'a <= b' of a table and a number is 'number with table' there)
local function ordered(test, line, swap)
   return function(a, b)
      local ok, r = pcall(test, a, b)
      if ok then return r end
      if type(r) == 'string' and r:find('^%[compat%]:%d+: ') then
         r = r:gsub('^%[compat%]:%d+: ', H.lua_prefix .. 'torch/Tester.lua:' .. line .. ': ', 1)
         if swap then r = r:gsub('compare (%w+) with (%w+)$', 'compare %2 with %1', 1) end
      end
      lua_error(r, 0)
   end
end
comparison('assertlt', ordered(function(a, b) return a < b end, 163), 'LT', '>=')
comparison('assertgt', ordered(function(a, b) return a > b end, 170), 'GT', '<=')
comparison('assertle', ordered(function(a, b) return a <= b end, 177, true), 'LE', '>')
comparison('assertge', ordered(function(a, b) return a >= b end, 184, true), 'GE', '<')
comparison('asserteq', function(a, b) return a == b end, 'EQ', '~=')

function Tester:assertalmosteq(a, b, ...)
   local tolerance, message = toleranceAndMessage(1e-16, 'torch/Tester.lua:190', ...)
   return self:_assert_sub(math.abs(a - b) <= tolerance,
      format('%sALMOST_EQ failed: %s ~= %s with tolerance=%s', message, tostring(a),
             tostring(b), tostring(tolerance)))
end

function Tester:assertne(a, b, ...)
   local message = messageOf(...)
   -- (Torch7's test reads `A and B or C`: any userdata first argument warns)
   if type(a) == type(b) and type(a) == 'table' or type(a) == 'userdata' then
      self:_warning(' :assertne should only be used to compare basic lua objects (numbers, '
                    .. 'booleans, etc). Consider using either :assertGeneralNe or '
                    .. ':assert(a ~= b).', 209)
   end
   return self:_assert_sub(a ~= b,
                           format('%sNE failed: %s == %s', message, tostring(a), tostring(b)))
end

function Tester:_assertTensorEqOrNeq(ta, tb, negate, ...)
   assert(torch.isTensor(ta), 'First argument should be a Tensor', 'torch/Tester.lua:227')
   assert(torch.isTensor(tb), 'Second argument should be a Tensor', 'torch/Tester.lua:228')
   local tolerance, message = toleranceAndMessage(0, 'torch/Tester.lua:230', ...)
   local ok, sub = check.areTensorsEq(ta, tb, tolerance, negate,
                                      self._assertTensorEqIgnoresDims)
   if self._assertTensorEqIgnoresDims and not negate and ok and not ta:isSameSizeAs(tb) then
      self:_warning('Tensors have the same content but different dimensions. For backwards '
                    .. 'compatibility, they are considered equal, but this may change in the '
                    .. 'future. Consider using :eq to check for equality instead.', 238)
   end
   return self:_assert_sub(ok, message .. (sub or ''))
end
function Tester:assertTensorEq(ta, tb, ...) return self:_assertTensorEqOrNeq(ta, tb, false, ...) end
function Tester:assertTensorNe(ta, tb, ...) return self:_assertTensorEqOrNeq(ta, tb, true, ...) end

function Tester:_assertTableEqOrNeq(ta, tb, negate, ...)
   assert(type(ta) == 'table', 'First argument should be a Table', 'torch/Tester.lua:256')
   assert(type(tb) == 'table', 'Second argument should be a Table', 'torch/Tester.lua:257')
   return self:_eqOrNeq(ta, tb, negate, ...)
end
function Tester:assertTableEq(ta, tb, ...) return self:_assertTableEqOrNeq(ta, tb, false, ...) end
function Tester:assertTableNe(ta, tb, ...) return self:_assertTableEqOrNeq(ta, tb, true, ...) end

function Tester:assertErrorObj(f, errcomp, ...)
   local message = messageOf(...)
   local ok, err = pcall(f)
   return self:_assert_sub(not ok and errcomp(err),
                           format('%sERROR violation: err=%s', message, tostring(err)))
end
function Tester:assertError(f, ...)
   return self:assertErrorObj(f, function() return true end, ...)
end
function Tester:assertErrorMsg(f, errmsg, ...)
   return self:assertErrorObj(f, function(err) return err == errmsg end, ...)
end
function Tester:assertErrorPattern(f, pattern, ...)
   return self:assertErrorObj(f, function(err) return string.find(err, pattern) ~= nil end, ...)
end
function Tester:assertNoError(f, ...)
   local message = messageOf(...)
   local ok, err = pcall(f)
   return self:_assert_sub(ok, format('%sERROR violation: err=%s', message, tostring(err)))
end

function Tester:add(f, name)
   if type(f) == 'table' then
      assert(name == nil, 'Name parameter is forbidden for a table of tests, since its use '
                          .. 'is ambiguous', 'torch/Tester.lua:294')
      if f.__isTestSuite then
         f = f.__tests
      else
         self:_warning('Should use TestSuite rather than plain lua table', 299)
      end
      for k, v in pairs(f) do
         assert(type(v) ~= 'table', 'Nested sets of tests are not supported', 'torch/Tester.lua:306')
         self:add(v, k)
      end
      return self
   end
   assert(type(f) == 'function', 'Only tables of functions and functions supported', 'torch/Tester.lua:312')
   if name == '_setUp' then
      assert(not self._setUp, 'Only one set-up function allowed', 'torch/Tester.lua:316')
      self._setUp = f
   elseif name == '_tearDown' then
      assert(not self._tearDown, 'Only one tear-down function allowed', 'torch/Tester.lua:319')
      self._tearDown = f
   else
      name = name or 'unknown'
      if self.tests[name] ~= nil then
         error('Test with name ' .. name .. ' already exists!', 1, 'torch/Tester.lua:324')
      end
      self.tests[name] = f
      note(self.tests, name)
   end
   return self
end

function Tester:disable(names)
   if type(names) == 'string' then names = {names} end
   assert(type(names) == 'table', 'Expecting name or list for disable', 'torch/Tester.lua:335')
   for _, name in ipairs(names) do
      assert(self.tests[name], "Unrecognized test '" .. name .. "'", 'torch/Tester.lua:337')
      self.disabledTests[name] = true
   end
   return self
end

function Tester:_getTests(names)
   if names == nil then return self.tests end
   if type(names) == 'string' then names = {names} end
   assert(type(names) == 'table',
          'Only accept a name or table of test names (or nil for all tests)', 'torch/Tester.lua:492')
   local picked = {}
   for _, pattern in ipairs(names) do
      local found = {}
      for name in pairs(self.tests) do
         if string.match(name, pattern) then found[#found + 1] = name end
      end
      assert(#found > 0, "Couldn't find test '" .. pattern .. "'", 'torch/Tester.lua:508')
      for _, name in ipairs(found) do
         if picked[name] == nil then note(picked, name) end
         picked[name] = self.tests[name]
      end
   end
   return picked
end

function Tester:_pcall(f)
   local nerr = #self.errors
   local ok, result = xpcall(f, debug.traceback)
   if not ok then
      -- the traceback of an error object that is no string is the object itself: Tester.lua's
      -- concatenation of it fails there
      local kind = type(result)
      if kind ~= 'string' and kind ~= 'number' then
         lua_error(H.lua_prefix .. "torch/Tester.lua:480: attempt to concatenate local 'result' (a "
                   .. kind .. ' value)', 0)
      end
      self.errors[#self.errors + 1] =
         self._currentTestName .. '\n Function call failed\n' .. result .. '\n'
   end
   return ok, result, ok and nerr == #self.errors
end

function Tester:_run(tests)
   local n = 0
   for _ in pairs(tests) do n = n + 1 end
   local digits = #format('%u', n)
   local counter = format('%%%uu/%u ', digits, n)
   local i = 1
   write('Running ' .. plural(n, 'test') .. '\n')
   for name, fn in pairs(tests) do
      self._currentTestName = name
      local head = paint(format(counter, i), colour.cyan) .. name .. ' '
                   .. rep('.', COLS - 6 - 2 - (digits * 2 + 2)
                          - self._currentTestName:len()) .. ' '  -- (Tester.lua's: a number
                   -- name, from a plain list of tests, fails there: no method len)
      write(head .. '[' .. paint('WAIT', colour.cyan) .. ']')
      io.flush()
      local skip = self.disabledTests[name] and true or false
      local ok, pass
      if not skip then
         if self._setUp then self._setUp(name) end
         if self.rethrow then
            local nerr = #self.errors
            fn()
            ok, pass = true, nerr == #self.errors
         else
            local _
            ok, _, pass = self:_pcall(fn)
         end
         if self._tearDown then self._tearDown(name) end
      end
      write('\r')
      write(head)
      if skip then
         write('[' .. paint('SKIP', colour.yellow) .. ']')
      elseif not ok then
         self.testError[name] = 1
         write('[' .. paint('ERROR', colour.magenta) .. ']')
      elseif not pass then
         write('[' .. paint('FAIL', colour.red) .. ']')
      else
         write('[' .. paint('PASS', colour.green) .. ']')
         if self._warningCount[name] > 0 then
            write('\n' .. rep(' ', COLS - 10))
            write('[' .. paint('+warning', colour.yellow) .. ']')
         end
      end
      write('\n')
      io.flush()
      if self.earlyAbort and i < n and (not ok or not pass) and not skip then
         write('Aborting on first error, not all tests have been executed\n')
         break
      end
      i = i + 1
      collectgarbage()
   end
end

function Tester:_report(tests)
   local ntests, nfail, nerr, nskip, nwarn = 0, 0, 0, 0, 0
   self.countasserts = 0
   for name in pairs(tests) do
      ntests = ntests + 1
      self.countasserts = self.countasserts + self.assertionFail[name]
                          + self.assertionPass[name]
      if self.assertionFail[name] > 0 then nfail = nfail + 1 end
      if self.testError[name] > 0 then nerr = nerr + 1 end
      if self._warningCount[name] > 0 then nwarn = nwarn + 1 end
      if self.disabledTests[name] then nskip = nskip + 1 end
   end
   if self._warningCount[''] then nwarn = nwarn + self._warningCount[''] end
   write('Completed ' .. plural(self.countasserts, 'assert'))
   write(' in ' .. plural(ntests, 'test') .. ' with ')
   write(paint(plural(nfail, 'failure'), nfail == 0 and colour.green or colour.red))
   write(' and ')
   write(paint(plural(nerr, 'error'), nerr == 0 and colour.green or colour.magenta))
   if nwarn > 0 then
      write(' and ')
      write(paint(plural(nwarn, 'warning'), colour.yellow))
   end
   if nskip > 0 then
      write(' and ')
      write(paint(nskip .. ' disabled', colour.yellow))
   end
   write('\n')
   if self.summaryOnly then return end
   local dashes = rep('-', COLS) .. '\n'
   local first = true
   local function section(text)
      if first then write(dashes) first = false end
      write(text .. '\n')
      write(dashes)
   end
   for _, v in ipairs(self.errors) do section(v) end
   for _, v in ipairs(self.warnings) do section(v) end
end

function Tester:run(names)
   local tests = self:_getTests(names)
   self.assertionPass, self.assertionFail, self.haveWarning, self.testError = {}, {}, {}, {}
   for name in pairs(tests) do
      self.assertionPass[name] = 0
      self.assertionFail[name] = 0
      self.testError[name] = 0
      self._warningCount[name] = 0
   end
   self:_run(tests)
   self:_report(tests)
   -- a failure or an error is an error of run(): a script ends with a non-zero status.
   -- Tester.lua asserts, name by name, no failure (its line 361) and then no error (363)
   for name in pairs(tests) do
      assert(self.assertionFail[name] == 0, 'An error was found while running tests!',
             'torch/Tester.lua:361')
      assert(self.testError[name] == 0, 'An error was found while running tests!',
             'torch/Tester.lua:363')
   end
   return 0
end

-- -- equality checks (Tester.lua's `check`) ------------------------------------------------
function check.areSameFormatTensorsEq(ta, tb, tolerance, negate, storage)
   -- Byte, Char and Short tensors have no abs in Torch7
   local function absable(t) return t.abs and t or t:double() end
   ta, tb = absable(ta), absable(tb)
   local err = ta:clone():add(-1, tb):abs():max()
   local ok = err <= tolerance
   if negate then ok = not ok end
   if ok then return ok end
   return ok, format('%s%s violation: max diff=%s, tolerance=%s', storage and 'Storage' or 'Tensor',
                     negate and 'NE(==)' or 'EQ(==)', tostring(err), tostring(tolerance))
end

local FORM = {dims = 'The tensors have different dimensions',
              types = 'The tensors have different types',
              sizes = 'The tensors have different sizes'}
-- Tester.lua's steps (dimensions, types, both empty, sizes, then the largest difference) run
-- in one Python call (tensordiff), the verdict and its message here
function check.areTensorsEq(ta, tb, tolerance, negate, ignoreDims)
   local err = tensordiff(ta, tb, ignoreDims or false)
   if err == 'empty' then return not negate, 'Both tensors are empty' end
   local form = FORM[err]
   if form ~= nil then return negate, form end
   local ok = err <= tolerance
   if negate then ok = not ok end
   if ok then return ok end
   return ok, format('Tensor%s violation: max diff=%s, tolerance=%s',
                     negate and 'NE(==)' or 'EQ(==)', tostring(err), tostring(tolerance))
end

function check.areStoragesEq(sa, sb, tolerance, negate)
   if sa:size() ~= sb:size() then return negate, 'The storages have different sizes' end
   local ta, tb = torch.type(sa), torch.type(sb)
   if ta ~= tb then return negate, 'The storages have different types' end
   local T = torch[ta:match('^torch%.(%a+)Storage$') .. 'Tensor']
   return check.areSameFormatTensorsEq(T(sa), T(sb), tolerance, negate, true)
end

function check.areEq(got, expected, tolerance, negate)
   if type(got) ~= type(expected) then
      if negate then return negate end
      return negate, 'EQ failed: values have different types (first: ' .. type(got)
                     .. ', second: ' .. type(expected) .. ')'
   end
   if type(got) == 'number' then
      local ok = math.abs(got - expected) <= tolerance
      if negate then ok = not ok end
      if ok then return ok end
      local msg = negate and format('NE failed: %s == %s', tostring(got), tostring(expected))
                  or format('EQ failed: %s ~= %s', tostring(got), tostring(expected))
      if tolerance > 0 then msg = msg .. ' with tolerance=' .. tostring(tolerance) end
      return ok, msg
   end
   if type(expected) == 'table' then return check.areTablesEq(got, expected, tolerance, negate) end
   if torch.isTensor(got) then return check.areTensorsEq(got, expected, tolerance, negate) end
   if torch.isStorage(got) then return check.areStoragesEq(got, expected, tolerance, negate) end
   local ok = got == expected
   if negate then ok = not ok end
   if ok then return ok end
   return ok, format('%s failed: %s (%s) %s %s (%s)', negate and 'NE' or 'EQ', tostring(got),
                     type(got), negate and '==' or '~=', tostring(expected), type(expected))
end

-- breadth first, so that a difference is reported at the shallowest depth
function check.areTablesEq(t1, t2, tolerance, negate)
   local queue, head = {{t1, t2}}, 1
   while queue[head] ~= nil do
      local a, b, where = unpack(queue[head])
      head = head + 1
      local function at(key)
         return where and where .. '.' .. tostring(key) or tostring(key)
      end
      for key, v1 in pairs(a) do
         local v2 = b[key]
         if v2 == nil then
            return negate, format('Entry %s missing in second table (is %s in first)', at(key),
                                  tostring(v1))
         end
         if type(v1) == 'table' and type(v2) == 'table' then
            queue[#queue + 1] = {v1, v2, at(key)}
         else
            local ok, msg = check.areEq(v1, v2, tolerance, false)
            if not ok then return negate, 'At table location ' .. at(key) .. ': ' .. msg end
         end
      end
      for key, v2 in pairs(b) do
         if a[key] == nil then
            return negate, format('Entry %s missing in first table (is %s in second)', at(key),
                                  tostring(v2))
         end
      end
   end
   return not negate, 'The tables are equal'
end

-- torch.TestSuite(): a table of test functions where a name can be given once
local function TestSuite()
   local suite = {__tests = {}, __isTestSuite = true}
   return setmetatable(suite, {
      __index = function(self, k) return self.__tests[k] end,
      __newindex = function(self, k, v)
         if self.__tests[k] ~= nil then
            error('Test ' .. tostring(k) .. ' is already defined.', 1, 'torch/TestSuite.lua:15')
         end
         if type(v) ~= 'function' then
            if type(v) == 'table' then
               error('Nested tables of tests are not supported', 1, 'torch/TestSuite.lua:19')
            end
            error('Only functions are supported as members of a TestSuite', 1,
                  'torch/TestSuite.lua:21')
         end
         self.__tests[k] = v
         note(self.__tests, k)
      end,
   })
end

rawset(torch, 'Tester', ctor)
-- (registered above: torch.class(name, 'torch.Tester') derives from this metatable through
-- the metatable chain) and torch.class's factory
rawset(Tester, '__factory', function() return setmetatable({}, Tester) end)
-- luaT_mt__tostring: the object's typename
rawset(Tester, '__tostring', function(self) return torch.typename(self) end)
rawset(torch, 'TestSuite', TestSuite)
return Tester
