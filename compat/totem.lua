-- totem (deepmind's torch-totem, the 2016 release that extends torch.Tester), which nngraph's
-- own tests require: `require 'totem'` gives the global `totem` with totem.Tester,
-- totem.TestSuite, the equality checks of its asserts.lua (totem.areTensorsEq, assertTableEq,
-- ...) and, loaded when first used, totem.nn (checkGradients, checkSerializable,
-- checkTypeCastable, checkMinibatch, checkTypePreservesSharing).  Written for torch7py from
-- totem's documented behaviour and its source's semantics (its messages, its finite-difference
-- steps and tolerances); the command-line options its Tester:run reads (pl.lapp's rules) are
-- parsed here.
require 'torch'

local type, pairs, ipairs, tostring, format = type, pairs, ipairs, tostring, string.format

totem = {}

-- on demand, as totem's init.lua: totem.nn loads (and requires nn) when first read
local ondemand = {}
setmetatable(totem, {__index = function(t, key)
   local load = ondemand[key]
   if load ~= nil then
      ondemand[key] = nil
      load()
      return rawget(t, key)
   end
end})

-- -- asserts.lua: equality checks that return (success, message) --------------------------------

local function maxAbsDiff(ta, tb)
   -- Byte, Char and Short tensors have no abs: compare them as doubles
   if not ta.abs then ta = ta:double() end
   if not tb.abs then tb = tb:double() end
   return ta:clone():add(-1, tb):abs():max()
end

local function verdict(ok, negate, what, err, tolerance)
   if negate then ok = not ok end
   if ok then return true end
   return false, format('%s%s violation: max diff=%s, tolerance=%s', what,
                        negate and 'NE(==)' or 'EQ(==)', tostring(err), tostring(tolerance))
end

local function checkArgs(kind, isKind, a, b, tolerance)
   assert(isKind(a), 'First argument should be a ' .. kind)
   assert(isKind(b), 'Second argument should be a ' .. kind)
   assert(type(tolerance) == 'number', 'Third argument should be a number describing a '
          .. 'tolerance on equality for a single element')
end

function totem.areTensorsEq(ta, tb, tolerance, negate)
   negate = negate or false
   tolerance = tolerance or 0
   checkArgs('Tensor', torch.isTensor, ta, tb, tolerance)
   if ta:dim() ~= tb:dim() then return negate, 'The tensors have different dimensions' end
   if ta:type() ~= tb:type() then return negate, 'The tensors have different types' end
   if ta:dim() == 0 then return not negate, 'Both tensors are empty' end
   -- (totem reports a size mismatch with this text too)
   if not ta:isSameSizeAs(tb) then return negate, 'Both tensors are empty' end
   local err = maxAbsDiff(ta, tb)
   return verdict(err <= tolerance, negate, 'Tensor', err, tolerance)
end

function totem.areTensorsNe(ta, tb, tolerance)
   return totem.areTensorsEq(ta, tb, tolerance, true)
end

function totem.assertTensorEq(ta, tb, tolerance)
   return assert(totem.areTensorsEq(ta, tb, tolerance))
end

function totem.assertTensorNe(ta, tb, tolerance)
   return assert(totem.areTensorsNe(ta, tb, tolerance))
end

function totem.areStoragesEq(sa, sb, tolerance, negate)
   negate = negate or false
   tolerance = tolerance or 0
   checkArgs('Storage', torch.isStorage, sa, sb, tolerance)
   if sa:size() ~= sb:size() then return negate, 'The storages have different sizes' end
   local name = torch.type(sa)
   if name ~= torch.type(sb) then return negate, 'The storages have different types' end
   local T = torch[name:match('^torch%.(%a+)Storage$') .. 'Tensor']
   local err = maxAbsDiff(T(sa), T(sb))
   return verdict(err <= tolerance, negate, 'Storage', err, tolerance)
end

function totem.areStoragesNe(sa, sb, tolerance)
   return totem.areStoragesEq(sa, sb, tolerance, true)
end

function totem.assertStorageEq(sa, sb, tolerance)
   return assert(totem.areStoragesEq(sa, sb, tolerance))
end

function totem.assertStorageNe(sa, sb, tolerance)
   return assert(totem.areStoragesNe(sa, sb, tolerance))
end

-- deep equality: same Lua types, tables key by key (both ways), numbers within tolerance,
-- tensors and storages elementwise, anything else by ==
function totem.areEq(got, expected, tolerance, negate)
   negate = negate or false
   tolerance = tolerance or 0
   local tg, te = type(got), type(expected)
   if tg ~= te then
      if negate then return true end
      return false, 'Arguments are not of the same type (got: ' .. tg .. ', expected: '
                    .. te .. ')'
   end
   if tg == 'number' then
      local diff = math.abs(got - expected)
      local ok = diff <= tolerance
      if negate then ok = not ok end
      if ok then return true end
      return false, format('%s%s violation: max diff=%s, tolerance=%s', tg,
                           negate and 'NE(==)' or 'EQ(==)', tostring(diff), tostring(tolerance))
   end
   if te == 'table' then return totem.areTablesEq(got, expected, tolerance, negate) end
   if torch.isTensor(got) then return totem.areTensorsEq(got, expected, tolerance, negate) end
   if torch.isStorage(got) then return totem.areStoragesEq(got, expected, tolerance, negate) end
   local ok = got == expected
   if negate then ok = not ok end
   if ok then return true end
   return false, format('%s%s violation: val1=%s, val2=%s', tg, negate and 'NE(==)' or 'EQ(==)',
                        tostring(got), tostring(expected))
end

function totem.areTablesEq(t1, t2, tolerance, negate)
   negate = negate or false
   tolerance = tolerance or 0
   checkArgs('Table', function(x) return type(x) == 'table' end, t1, t2, tolerance)
   -- every entry of the second, then every entry of the first, compared without negation
   for k, v in pairs(t2) do
      local ok, message = totem.areEq(t1[k], v, tolerance, false)
      if not ok then return negate, message end
   end
   for k, v in pairs(t1) do
      local ok, message = totem.areEq(v, t2[k], tolerance, false)
      if not ok then return negate, message end
   end
   return not negate, 'The tables are equal.'
end

function totem.assertTableEq(ta, tb, tolerance)
   return assert(totem.areTablesEq(ta, tb, tolerance))
end

function totem.assertTableNe(ta, tb, tolerance)
   return assert(totem.areTablesEq(ta, tb, tolerance, true))
end

-- -- the command line of a test script (pl.lapp's rules for Tester.CLoptions) ------------------

-- the script's name as lapp gives it: no folder, no extension
local function scriptName()
   local a = rawget(_G, 'arg')
   if a == nil then return 'inter' end
   local s = a[0] or rawget(_G, 'LAPP_SCRIPT') or 'unknown'
   return (tostring(s):gsub('.+[\\/]', ''):gsub('%.%a+$', ''))
end
local SCRIPT = scriptName()

-- the options: their kind, and the value an unused one has
local OPTIONS = {
   list = {kind = 'boolean', default = false},
   ['log-output'] = {kind = 'file-out'},
   summary = {kind = 'boolean', default = false},
   ['early-abort'] = {kind = 'boolean'},
   rethrow = {kind = 'boolean'},
}

local function lappQuit(usage, msg, noUsage)
   if msg then io.stderr:write(msg .. '\n\n') end
   if not noUsage then io.stderr:write(usage) end
   os.exit(1)
end

-- args: a list of strings (changed as lapp changes it: `--opt=value` is split in place)
local function parseOptions(usage, args)
   local results, extra = {}, 0
   local function fail(msg, noUsage) lappQuit(usage, SCRIPT .. ': ' .. msg, noUsage) end
   local i = 1
   while i <= #args do
      local a = args[i]
      local name, value
      local long = a:match('^%-%-(%S+)')
      local short = not long and a:match('^%-(%S+)')
      if long or short then
         name = long or short
         if long or #short > 1 then
            local eq = name:find('=', 1, true)
            if eq then
               table.insert(args, i + 1, name:sub(eq + 1))
               name = name:sub(1, eq - 1)
            elseif short then
               -- -abc is -a -b -c (none of them is an option of totem's)
               for k = 2, #name do table.insert(args, i + k - 1, '-' .. name:sub(k, k)) end
               name = name:sub(1, 1)
            end
         end
         if OPTIONS[name] == nil and (name == 'h' or name == 'help') then lappQuit(usage) end
         local opt = OPTIONS[name]
         if opt == nil then fail('unrecognized parameter: ' .. name) end
         local key = name:gsub('%W', '_')
         if opt.kind == 'boolean' then
            results[key] = not opt.default
         else
            i = i + 1
            value = args[i]
            if value == nil then fail(name .. ' was expecting a value') end
            local f, err = io.open(value, 'w')
            if not f then fail(err, true) end
            results[key] = f
            results[key .. '_name'] = value
         end
         opt.used = true
      else
         extra = extra + 1
         results[extra] = a
      end
      i = i + 1
   end
   for name, opt in pairs(OPTIONS) do
      if not opt.used then results[(name:gsub('%W', '_'))] = opt.default end
      opt.used = nil
   end
   return results
end

-- -- totem.Tester: torch.Tester with totem's additions --------------------------------------

-- declared as totem's tester.lua declares it: a Lua class on the Lua torch.Tester
local Tester, Parent = torch.class('totem.Tester', 'torch.Tester', totem)

function Tester:__init()
   Parent.__init(self)
   -- a {{1}} is not equal to a {1}
   self._assertTensorEqIgnoresDims = false
end

-- with `ret`, an assertion of eq/ne only returns its outcome (totem's older API)
function Tester:_assert_sub(condition, message)
   self._assertSubCalled = true
   if self._ret then return condition end
   return Parent._assert_sub(self, condition, message)
end

function Tester:_wrapFunctionForRet(ret, f, ...)
   self._ret = ret
   local result, message = f(...)
   assert(self._assertSubCalled)
   self._ret, self._assertSubCalled = nil, nil
   return result, message
end

function Tester:eq(got, expected, message, tolerance, ret)
   return self:_wrapFunctionForRet(ret, Parent.eq, self, got, expected, message, tolerance)
end

function Tester:ne(got, expected, message, tolerance, ret)
   return self:_wrapFunctionForRet(ret, Parent.ne, self, got, expected, message, tolerance)
end

function Tester:assertStorageEq(sa, sb, tolerance, message)
   return Parent.eq(self, sa, sb, tolerance, message)
end

function Tester:assertStorageNe(sa, sb, tolerance, message)
   return Parent.ne(self, sa, sb, tolerance, message)
end

function Tester:_listTests(tests)
   for name in pairs(tests) do print(name) end
end

Tester.CLoptions = [[
    --list print the names of the available tests instead of running them.
    --log-output (optional file-out) redirect compact test results to file.
        This contains one line per test in the following format:
        name #passed-assertions #failed-assertions #exceptions
    --summary print only pass/fail status rather than full error messages.
    --early-abort (optional boolean) abort execution on first error.
    --rethrow (optional boolean) errors make the program crash and propagate up
        the stack.
    ]]

-- a script's arguments choose the tests (Lua patterns) and the options above
function Tester:run(testNames)
   local a = rawget(_G, 'arg')
   if a then
      local usage = 'Run tests\n\nUsage:\n\n  ' .. a[0] .. ' [options] [test1 [test2...] ]'
                    .. '\n\nOptions:\n\n' .. Tester.CLoptions .. '\nIf any test names are '
                    .. 'specified only the named tests are run. Otherwise\nall the tests are '
                    .. 'run.\n\n'
      local args = parseOptions(usage, a)
      if #args > 0 then testNames = args end
      if args.list then
         self:_listTests(self:_getTests(testNames))
         return 0
      end
      if args.summary then self:setSummaryOnly(true) end
      if args.early_abort then self:setEarlyAbort(true) end
      if args.rethrow then self:setRethrowErrors(true) end
      if args.log_output then self.extraOutputFile = args.log_output end
   end
   Parent.run(self, testNames)
end

function Tester:_run(tests)
   Parent._run(self, tests)
   if self.extraOutputFile then self:_logExtraOutput(tests) end
end

-- --log-output: `name passes failures errors` per test, then the totals
function Tester:_logExtraOutput(tests)
   local f = self.extraOutputFile
   local np, nf, ne = 0, 0, 0
   for name in pairs(tests) do
      local p, fl, e = self.assertionPass[name], self.assertionFail[name], self.testError[name]
      np, nf, ne = np + p, nf + fl, ne + e
      f:write(table.concat({name, p, fl, e}, ' '))
      f:write('\n')
   end
   f:write(table.concat({'[total]', np, nf, ne}, ' '))
   f:write('\n')
   f:close()
end

function totem.TestSuite()
   return torch.TestSuite()
end

-- -- totem.nn: checks of nn modules --------------------------------------------------------

ondemand.nn = function()
   local nesting = require 'nngraph.nesting'
   require 'nn'
   local tnn = {}
   rawset(totem, 'nn', tnn)

   local function inputType(t)
      if type(t) == 'table' then return inputType(t[1]) end
      return t:type()
   end

   -- a function that puts the generators back where they were when it was made
   local function checkpointRNG()
      local state = torch.getRNGState()
      local cutorch = rawget(_G, 'cutorch')
      local custate = cutorch and cutorch.getRNGState() or nil
      return function()
         torch.setRNGState(state)
         if custate then cutorch.setRNGState(custate) end
      end
   end

   -- {tensor, its gradient, name} for each tensor of the input
   local function appendParamPairs(pairsList, input, gradInput, name)
      if input == nil then return end
      if gradInput == nil or gradInput == false then
         print('\nWARNING: ignored gradInput: %s', name)
         return
      end
      if torch.isTensor(input) then
         pairsList[#pairsList + 1] = {input, gradInput, name}
         return
      end
      for i = 1, #input do
         appendParamPairs(pairsList, input[i], gradInput[i], format('%s[%s]', name, i))
      end
   end

   local function extractParamTensors(module, input)
      local list = {}
      local ps = module:parameters()
      if ps ~= nil and #ps > 0 then
         local params, gradParams = module:getParameters()
         list[#list + 1] = {params, gradParams, 'params'}
      end
      appendParamPairs(list, input, module.gradInput, 'input')
      return list
   end

   local function randomGradOutput(output)
      if torch.isTensor(output) then return torch.randn(output:size()):typeAs(output) end
      if type(output) == 'number' then return torch.normal() end
      local g = {}
      for k, v in pairs(output) do g[k] = randomGradOutput(v) end
      return g
   end

   -- sum of output .* gradOutput over every tensor and number
   local function calcLoss(output, gradOutput)
      if torch.isTensor(output) then return output.dot(output, gradOutput) end
      if type(output) == 'number' then return output * gradOutput end
      local loss = 0
      for k, v in pairs(output) do loss = loss + calcLoss(v, gradOutput[k]) end
      return loss
   end

   local function ensureGradInput(module, input)
      local output = module:forward(input)
      assert(module.output == output, 'module.output should be returned')
      local gradInput = module:backward(input, randomGradOutput(output))
      assert(module.gradInput == gradInput, 'module.gradInput should be returned')
   end

   -- central differences, one element of params' storage at a time
   local function numericGrad(feval, params)
      local flat = params.new(params:storage())
      assert(flat:nElement() == params:nElement(), 'shared storage of params is not supported')
      local grad = params.new(params:nElement())
      local h = params:type() == 'torch.DoubleTensor' and 1e-6 or 1e-3
      for i = 1, flat:nElement() do
         local v = flat[i]
         flat[i] = v - h
         local lossMinus = feval(flat)
         flat[i] = v + h
         local lossPlus = feval(flat)
         flat[i] = v
         grad[i] = (lossPlus - lossMinus) / (2 * h)
      end
      return params.new(grad:storage(), params:storageOffset(), params:size(), params:stride())
   end

   local function checkGrad(tester, feval, params, name, precision)
      name = name or 'params'
      local _, gradParams = feval(params)
      local numGrad = numericGrad(feval, params)
      precision = precision or (params:type() == 'torch.DoubleTensor' and 1e-4 or 1e-2)
      tester:eq(gradParams, numGrad, 'wrong grad w.r.t. ' .. name, precision)
   end

   local function checkSizes(tester, input, gradInput)
      if torch.isTensor(input) then
         tester:eq(input:size(), gradInput:size(), 'wrong gradInput size')
         return
      end
      for k, child in pairs(input) do
         assert(gradInput[k] ~= nil, 'missing gradInput element')
         checkSizes(tester, child, gradInput[k])
      end
   end

   -- copies its input forward and its gradOutput back: checkGradients puts it first, so the
   -- checked module's input is not shared with the caller's and gradInput is not replaced
   local CopyModule, CopyParent = torch.class('totem._nn_CopyModule', 'nn.Module')

   function CopyModule:__init(tester)
      CopyParent.__init(self)
      self.output = nil
      self.gradInput = nil
      self.tester = tester
   end

   function CopyModule:updateOutput(input)
      self.output = self.output or nesting.cloneNested(input)
      nesting.resizeNestedAs(self.output, input)
      nesting.fillNested(self.output, 0)
      nesting.addNestedTo(self.output, input)
      return self.output
   end

   function CopyModule:updateGradInput(input, gradOutput)
      checkSizes(self.tester, input, gradOutput)
      self.gradInput = self.gradInput or nesting.cloneNested(input)
      nesting.resizeNestedAs(self.gradInput, input)
      nesting.fillNested(self.gradInput, 0)
      nesting.addNestedTo(self.gradInput, gradOutput)
      return self.gradInput
   end

   -- the gradients w.r.t. the parameters and every input tensor against central differences
   function tnn.checkGradients(tester, module, input, precision)
      module = nn.Sequential():add(totem._nn_CopyModule(tester)):add(module)
      -- every evaluation replays the same random numbers (a stochastic forward is allowed)
      local revertRNG = checkpointRNG()
      ensureGradInput(module, input)
      local gradOutput = randomGradOutput(module.output)
      for _, pair in ipairs(extractParamTensors(module, input)) do
         local params, gradParams, name = pair[1], pair[2], pair[3]
         -- parameter gradients accumulate onto a non-zero start; input gradients start at 0
         local start = gradParams:clone():uniform()
         if name ~= 'params' then start:zero() end
         local function feval()
            revertRNG()
            if name ~= 'params' then module:zeroGradParameters() end
            gradParams:copy(start)
            module:forward(input)
            local loss = calcLoss(module.output, gradOutput)
            module:backward(input, gradOutput)
            gradParams:add(-1, start)
            return loss, gradParams
         end
         checkGrad(tester, feval, params, name, precision)
      end
   end

   local function debatchTensor(t)
      local rows = {}
      for i = 1, t:size(1) do rows[i] = t[i]:clone() end
      return rows
   end

   local function debatch(batch)
      if torch.isTensor(batch) then return debatchTensor(batch) end
      local parts = {}
      for i, item in ipairs(batch) do parts[i] = debatch(item) end
      local rows = {}
      for r = 1, #parts[1] do
         rows[r] = {}
         for i, part in ipairs(parts) do rows[r][i] = part[r] end
      end
      return rows
   end

   -- a batch's outputs and gradInputs against the module run on each example alone
   function tnn.checkMinibatch(tester, module, batchInput, precision)
      precision = precision or 1e-14
      local inputs = debatch(batchInput)
      local batchOutput = module:forward(batchInput)
      local outputs = debatch(batchOutput)
      local batchGradOutput = randomGradOutput(batchOutput)
      local gradOutputs = debatch(batchGradOutput)
      local gradInputs = debatch(module:updateGradInput(batchInput, batchGradOutput))
      for i = 1, #inputs do
         local output = module:forward(inputs[i])
         tester:eq(outputs[i], output, 'wrong minibatch output', precision)
         local gradInput = module:updateGradInput(inputs[i], gradOutputs[i])
         tester:eq(gradInputs[i], gradInput, 'wrong minibatch gradInput', precision)
      end
   end

   -- pl.pretty.write of a list of strings
   local function prettyList(list)
      local lines = {'{'}
      for i, s in ipairs(list) do
         lines[#lines + 1] = '  ' .. format('%q', s) .. (i < #list and ',' or '')
      end
      lines[#lines + 1] = '}'
      return table.concat(lines, '\n')
   end

   -- a clone sharing the module's parameters, both cast inside one Sequential: still shared?
   function tnn.checkTypePreservesSharing(tester, module, toType)
      local function why(kind, i, a, b)
         local msg = 'Sharing is broken for ' .. kind .. ' #' .. i .. '\n' .. tostring(a)
                     .. ' vs\n' .. tostring(b) .. '\nReason: '
         if a:storage() ~= b:storage() then msg = msg .. '\n+ different storage pointer' end
         if a:storageOffset() ~= b:storageOffset() then
            msg = msg .. '\n+ different storage offset'
         end
         if not a:isSameSizeAs(b) then
            msg = msg .. '\n+ different tensor sizes'
         elseif not torch.LongTensor(a:stride()):eq(torch.LongTensor(b:stride())):all() then
            msg = msg .. '\n+ different tensor strides'
         end
         return msg
      end
      local function preserves()
         if not module.parameters then return true end
         toType = toType or 'torch.FloatTensor'
         local copy = module:clone()
         local params, gradParams = module:parameters()
         local cparams, cgrads = copy:parameters()
         if not params then return true end
         for i = 1, #params do
            cparams[i]:set(params[i])
            cgrads[i]:set(gradParams[i])
         end
         nn.Sequential():add(module):add(copy):type(toType)
         params, gradParams = module:parameters()
         cparams, cgrads = copy:parameters()
         for i = 1, #params do
            if not cparams[i]:isSetTo(params[i]) then
               return false, why('parameter', i, params[i], cparams[i])
            elseif not cgrads[i]:isSetTo(gradParams[i]) then
               return false, why('gradParameter', i, gradParams[i], cgrads[i])
            end
         end
         return true
      end
      local ok, message = preserves()
      tester:assert(ok, message)
   end

   -- cast to toType and back: the same outputs and gradients, no tensor left behind
   function tnn.checkTypeCastable(tester, module, input, toType, precision)
      precision = precision or 1e-6
      local origType = inputType(input)
      toType = toType or 'torch.FloatTensor'

      local function contains(list, x)
         for _, v in pairs(list) do if v == x then return true end end
         return false
      end

      -- the paths ('self.weight') of the tensors of each of the two types, each object once
      local function tensorsByType(obj, path, orig, new, seen)
         path, orig, new, seen = path or 'self', orig or {}, new or {}, seen or {}
         seen[#seen + 1] = obj
         if type(obj) == 'table' then
            for k, v in pairs(obj) do
               if not contains(seen, v) and (type(k) == 'number' or type(k) == 'string') then
                  orig, new, seen = tensorsByType(v, path .. '.' .. k, orig, new, seen)
               end
            end
         elseif torch.isTensor(obj) then
            local name = torch.typename(obj)
            if name == origType then orig[#orig + 1] = path end
            if name == toType then new[#new + 1] = path end
         end
         return orig, new, seen
      end

      local function cast(obj, t)
         if type(obj) == 'table' then
            for k, v in pairs(obj) do obj[k] = cast(v, t) end
            return obj
         elseif torch.typename(obj) then
            return obj:type(t)
         end
         tester:assert(false, 'the input contains something which is not a tensor')
      end

      local revertRNG = checkpointRNG()
      local preOutput = module:updateOutput(input)
      local gradOutput = randomGradOutput(preOutput)
      local preGradInput = module:updateGradInput(input, gradOutput)

      tester:assertNoError(function() module:type(toType) end,
                           'module cannot be cast to ' .. toType)
      local origs, news = tensorsByType(module)
      assert(#origs == 0 or origType == toType, 'after casting, module still contains objects '
             .. 'of original type: ' .. prettyList(origs))
      assert(#news > 0, 'after casting, module still contains no objects of new type: '
             .. prettyList(news))

      revertRNG()
      local castInput = cast(input, toType)
      local castOutput = module:forward(castInput)
      local castGradOutput = cast(gradOutput, toType)
      local castGradInput = module:updateGradInput(castInput, castGradOutput)
      tester:eq(cast(preOutput, toType), castOutput,
                'cast module output differs from before casting', precision)
      tester:eq(cast(preGradInput, toType), castGradInput,
                'cast module grad input differs from before casting', precision)

      tester:assertNoError(function() module:type(origType) end,
                           'module cannot be base back to ' .. origType)
      revertRNG()
      cast(input, origType)
      cast(gradOutput, origType)
      local postOutput = module:updateOutput(input)
      local postGradInput = module:updateGradInput(input, gradOutput)
      tester:eq(cast(preOutput, origType), postOutput,
                'module output differs before and after typecast', precision)
      tester:eq(cast(preGradInput, origType), postGradInput,
                'module gradInput differs before and after typecast', precision)
   end

   -- saved to a file and loaded back: the same output and gradInput
   function tnn.checkSerializable(tester, module, input, precision)
      precision = precision or 1e-6
      local revertRNG = checkpointRNG()
      local preOutput = module:updateOutput(input)
      local gradOutput = randomGradOutput(preOutput)
      local preGradInput = module:updateGradInput(input, gradOutput)
      local filename = paths.tmpname()
      tester:assertNoError(function() torch.save(filename, module) end,
                           'module cannot be serialized')
      local loaded = torch.load(filename)
      revertRNG()
      local postOutput = loaded:updateOutput(input)
      local postGradInput = loaded:updateGradInput(input, gradOutput)
      tester:eq(preOutput, postOutput, 'module output differs before and after serialization',
                precision)
      tester:eq(preGradInput, postGradInput,
                'module gradInput differs before and after serialization', precision)
   end
end

return totem
