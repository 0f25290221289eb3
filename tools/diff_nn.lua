-- Differential checker: torch7py's nn against the original nn's own Lua code, run in the same
-- th runtime on the same tensors (see tools/diff_nn.py). Usage:
--   th tools/diff_nn.lua /path/to/nn [--only PATTERN] [-v]
require 'nn'
local NNDIR = arg[1]
assert(NNDIR, 'usage: th tools/diff_nn.lua /path/to/nn [--only PATTERN] [-v]')
local ONLY, VERBOSE
do
   local i = 2
   while arg[i] do
      if arg[i] == '--only' then ONLY = arg[i + 1]; i = i + 1
      elseif arg[i] == '-v' then VERBOSE = true end
      i = i + 1
   end
end
local here = debug.getinfo(1, 'S').source:sub(2):match('^(.*)/') or '.'
local orignn, failed, CLASSES = assert(loadfile(here .. '/diff_nn_load.lua'))(NNDIR)
for _, m in ipairs(failed) do print('LOAD FAILED', m) end

-- modules whose computation is C (THNN) in the original: the original namespace uses ours for
-- them, so original containers and criterions can hold them; their __tostring__ stays checked
local PURE, PARENT, CSRC = {}, {}, {}
for short in pairs(CLASSES) do
   local f = io.open(NNDIR .. '/' .. short .. '.lua')
   local src = f and f:read('*a') or ''
   if f then f:close() end
   PARENT[short] = src:match("torch%.class%(%s*['\"]nn%.[%w_]+['\"]%s*,%s*['\"]nn%.([%w_]+)")
   CSRC[short] = src:find('THNN') ~= nil
end
-- a parent that is C makes the child C too (ReLU is a Threshold)
local function isC(short)
   if short == nil then return false end
   return CSRC[short] or isC(PARENT[short])
end
-- DIFF_NN_THNN=1: the C-backed modules too run the original's Lua, calling THNN through
-- nn.THNN's tables (compat/thnn.lua), against ours
local WITH_THNN = os.getenv('DIFF_NN_THNN') == '1'
for short in pairs(CLASSES) do
   if isC(short) and not WITH_THNN then
      if nn[short] then rawset(orignn, short, nn[short]) end
   else
      PURE[short] = true
   end
end

local stats = {cases = 0, calls = 0, diffs = 0, known = 0, modules = {}}
-- differences whose cause is known and outside the module under test (the oracle runs on our
-- tensor operations, so an operation that differs from TH breaks the oracle): reported, not
-- counted
local KNOWN = {
   ['^CAdd'] = 'tensor op: TH accumulates an in-place add into an expanded (stride 0) '
      .. 'tensor element after element; ours adds once',
   ['^Linear'] = 'Linear (trainspeed) pins OpenBLAS orders that the tensor ops (addmm, addr) '
      .. 'do not',
   ['^LinearWeightNorm'] = 'its Linear parent: see Linear',
   ['^model view parameters'] = 'the original Linear: see Linear',
   ['^CMaxTable'] = 'Torch7 bug kept out: :float() after a forward converts maskByteTensor, '
      .. 'then maskedFill refuses it',
   ['^CMinTable'] = 'Torch7 bug kept out: as CMaxTable',
   ['^MaskedSelect'] = 'Torch7 bug kept out: type() after backward calls a table\'s :type()',
   ['^CriterionTable'] = 'the original Module:type passes its Lua tensorCache to our '
      .. 'criterion\'s type(): the shared gradInput is not found there',
   ['^Select'] = 'Torch7 errors on a 1-D input (select gives a number; resizeAs fails); we '
      .. 'return it',
   ['^Power bad input'] = 'a table given to Power: both fail inside Python; Torch7\'s text '
      .. 'is neither',
   ['^tostring SpatialDepthWiseConvolution'] = 'our class follows a later nn layout '
      .. '(nOutputPlane = nInputPlane x multiplier)',
}
-- key orders after a write and read whose oracle is wrong: this oracle's model of the Lua
-- original's pairs() does not see the dead node a constructor's `self.x = nil` makes (dropped at
-- the next rehash); the original's orders for these were checked against /tmp/ref7
-- (tests/test_reft716.py)
local KNOWN_ORDER = {
   ['^Add'] = 'self.scalar = nil in the constructor',
   ['^Dropout'] = 'self.inplace = nil in the constructor',
   ['^Padding'] = 'self.nInputDim = nil in the constructor',
   -- a buffer made in forward then set to nil (clearState, type) keeps its node: the original
   -- Torch7 (a local build, session 15) lists WeightedEuclidean's and PixelShuffle's fields
   -- after clone() and a round trip as torch7py does, not as this model of plain tables
   ['^WeightedEuclidean'] = 'buffers set to nil after forward',
   ['^PixelShuffle'] = 'buffers set to nil after forward',
   ['^Convert'] = 'buffers set to nil after forward (dpnn)',
   ['^ModuleCriterion'] = 'fields set to nil after forward (dpnn; the original with dpnn lists them as ours)',
}
local DIFFS = {}
-- whether case matches a pattern of the table known (then counted as a known difference)
local function is_known(known, case, what, msg)
   for pat in pairs(known) do
      if case:match(pat) then
         stats.known = stats.known + 1
         if VERBOSE then print('KNOWN ' .. case .. ': ' .. what .. ': ' .. msg) end
         return true
      end
   end
   return false
end

local function diff(case, what, msg, always)
   if always and (what == 'key order after a serialize round trip'
                  or what == 'key order after clone()')
         and is_known(KNOWN_ORDER, case, what, msg) then
      return
   end
   if not always and is_known(KNOWN, case, what, msg) then return end
   stats.diffs = stats.diffs + 1
   DIFFS[#DIFFS + 1] = case .. ': ' .. what .. ': ' .. msg
   print('DIFF ' .. case .. ': ' .. what .. ': ' .. msg)
end

local function norm(s)
   return (tostring(s):gsub('orignn%.', 'nn.'))
end

-- bit-for-bit comparison of values (tensors, tables, numbers), with a message on difference
local function same(a, b, path)
   path = path or ''
   local ta, tb = torch.type(a), torch.type(b)
   if torch.isTensor(a) or torch.isTensor(b) then
      if ta ~= tb then return false, path .. ' type ' .. ta .. ' vs ' .. tb end
      if a:dim() ~= b:dim() then
         return false, path .. ' dim ' .. a:dim() .. ' vs ' .. b:dim()
      end
      for d = 1, a:dim() do
         if a:size(d) ~= b:size(d) then
            return false, path .. ' size ' .. table.concat(a:size():totable(), 'x') .. ' vs '
               .. table.concat(b:size():totable(), 'x')
         end
      end
      if a:nElement() == 0 then return true end
      if ta:match('Byte') or ta:match('Long') or ta:match('Int') or ta:match('Short')
            or ta:match('Char') then
         if a:ne(b):sum() ~= 0 then return false, path .. ' values differ' end
         return true
      end
      local bad = a:ne(b):sum() - torch.cmul(a:ne(a), b:ne(b)):sum()
      if bad ~= 0 then
         local d = (a:double() - b:double()):abs()
         d[d:ne(d)] = 0
         return false, string.format('%s %d of %d values differ, max |diff| %.3g', path, bad,
                                     a:nElement(), d:max())
      end
      return true
   end
   if ta == 'table' or tb == 'table' then
      if ta ~= tb then return false, path .. ' type ' .. ta .. ' vs ' .. tb end
      if #a ~= #b then return false, path .. ' length ' .. #a .. ' vs ' .. #b end
      for i = 1, #a do
         local ok, m = same(a[i], b[i], path .. '[' .. i .. ']')
         if not ok then return false, m end
      end
      return true
   end
   if ta == 'number' and tb == 'number' then
      if a == b or (a ~= a and b ~= b) then return true end
      return false, string.format('%s %.17g vs %.17g', path, a, b)
   end
   if a ~= b then return false, path .. ' ' .. tostring(a) .. ' vs ' .. tostring(b) end
   return true
end

local function check(case, what, a, b)
   stats.calls = stats.calls + 1
   local ok, m = same(a, b)
   if not ok then diff(case, what, m) end
   return ok
end

local function clone(x)
   if torch.isTensor(x) then return x:clone() end
   if type(x) == 'table' then
      local t = {}
      for i, v in ipairs(x) do t[i] = clone(x[i]) end
      return t
   end
   return x
end

local function totype(x, t)
   if torch.isTensor(x) then
      if x:type():match('Long') or x:type():match('Byte') then return x end
      return x:type(t)
   end
   if type(x) == 'table' then
      local r = {}
      for i, v in ipairs(x) do r[i] = totype(v, t) end
      return r
   end
   return x
end

local function randlike(x)
   if torch.isTensor(x) then
      if x:type():match('Long') or x:type():match('Byte') then return x:clone() end
      return x:clone():normal()
   end
   if type(x) == 'table' then
      local r = {}
      for i, v in ipairs(x) do r[i] = randlike(v) end
      return r
   end
   return x
end

-- which objects of a result are the same object / storage as what they were compared with
local function ident(x, y)
   if torch.isTensor(x) and torch.isTensor(y) then
      local sx, sy = x:storage(), y:storage()
      return {obj = rawequal(x, y) or x == y and torch.pointer(x) == torch.pointer(y),
              storage = sx ~= nil and sy ~= nil and torch.pointer(sx) == torch.pointer(sy)}
   end
   return {obj = torch.pointer(x) == torch.pointer(y)}
end
local function checkident(case, what, io, iu)
   stats.calls = stats.calls + 1
   if io.obj ~= iu.obj or io.storage ~= iu.storage then
      diff(case, what, string.format('original: same object %s same storage %s; ours: %s %s',
         tostring(io.obj), tostring(io.storage), tostring(iu.obj), tostring(iu.storage)))
   end
end

local function errtext(e)
   e = tostring(e)
   e = e:gsub('orignn%.', 'nn.')
   -- the location prefix names different files
   e = e:gsub('^[^\n]-:%d+: ', '')
   -- LuaJIT names a failing C function as its caller's frame names it: here the original's
   -- __tostring__ (which tail-calls string.format) is called as `f`, in Torch7 by luaT from C
   e = e:gsub("^bad argument (#%d+) to '[^']*'", "bad argument %1 to '?'")
   return (e:match('^[^\n]*'))
end

-- orig: the original namespace, with ours for C modules
local ONN = orignn

local function params(m)
   local p, g = m:parameters()
   return p or {}, g or {}
end

local function copyparams(case, from, to)
   local pf = params(from)
   local pt = params(to)
   if #pf ~= #pt then
      diff(case, 'parameters()', 'count ' .. #pt .. ' (original) vs ' .. #pf .. ' (ours)')
      return false
   end
   for i = 1, #pf do
      if not check(case, 'parameter ' .. i .. ' after construction (same seed)', pt[i], pf[i])
      then
         if pt[i]:nElement() == pf[i]:nElement() then pt[i]:copy(pf[i]) end
      end
   end
   return true
end

-- the order pairs() visits a module's fields (print of its table, serialization, scripts that
-- walk it): the layer models LuaJIT's order from the order fields were first set, so ours must
-- set them in the order the original's Lua does
local function keyorder(m)
   local ks = {}
   for k in pairs(m) do ks[#ks + 1] = tostring(k) end
   return table.concat(ks, ' ')
end

-- pairs() order after a call sequence: a difference names the first key that differs
local function checkorder(case, what, orig, ours)
   stats.calls = stats.calls + 1
   local ko, ku = keyorder(orig), keyorder(ours)
   -- (the known causes are numeric: they never excuse a field)
   if ko ~= ku then diff(case, 'key order ' .. what, ko .. ' vs ' .. ku, true) end
end

-- a type round trip, then a save and load (clone's bytes): the fields each side has then
-- (leftout: the fields the class's own write leaves out and its read sets again, as a string)
local function aftertype(case, orig, ours, leftout)
   local okO = pcall(function() orig:type('torch.FloatTensor'); orig:double() end)
   local okU = pcall(function() ours:type('torch.FloatTensor'); ours:double() end)
   stats.calls = stats.calls + 1
   if okO ~= okU then diff(case, 'type round trip', tostring(okO) .. ' vs ' .. tostring(okU)) end
   if not (okO and okU) then return end
   checkorder(case, 'after a type round trip', orig, ours)
   -- clone's bytes read back: the order File.lua's write and read give the original's fields
   -- (computed from its order: the layer's pairs on a table read from Lua is an estimate)
   local okU, cu = pcall(function() return torch.deserialize(torch.serialize(ours)) end)
   stats.calls = stats.calls + 1
   if not okU then
      diff(case, 'serialize round trip', errtext(cu))
   else
      local want, got = DIFF_CLONED_ORDER(keyorder(orig), leftout), keyorder(cu)
      if want ~= got then diff(case, 'key order after a serialize round trip', want .. ' vs '
                               .. got, true) end
      -- clone() is the same write and read (Module.lua)
      local okC, cc = pcall(function() return ours:clone() end)
      stats.calls = stats.calls + 1
      if not okC then
         diff(case, 'clone', errtext(cc))
      elseif keyorder(cc) ~= want then
         diff(case, 'key order after clone()', want .. ' vs ' .. keyorder(cc), true)
      end
   end
end

local CRIT = {}
local function run_module(spec)
   local name = spec[1]
   local case = spec.name or name
   local argsf = spec.args or function() return {} end
   torch.manualSeed(11)
   -- inner modules are ours on both sides: a container is compared on equal leaves (each
   -- leaf class has its own cases)
   -- (origleaves: a decorator that shares its leaf's tensors keeps the original's leaf, since
   -- the original's type() would pass its Lua tensorCache into our leaf's type())
   local function make(NS)
      local LEAF = spec.origleaves and NS or nn
      local m = NS[name](unpack(argsf(LEAF)))
      if spec.build then spec.build(m, LEAF) end
      if spec.post then spec.post(m) end
      return m
   end
   local okO, orig = pcall(make, ONN)
   torch.manualSeed(11)
   local okU, ours = pcall(make, nn)
   stats.calls = stats.calls + 1
   if not okO or not okU then
      if okO ~= okU or errtext(orig) ~= errtext(ours) then
         diff(case, 'constructor', 'original: ' .. (okO and 'ok' or errtext(orig))
              .. ' / ours: ' .. (okU and 'ok' or errtext(ours)))
      end
      return
   end
   stats.cases = stats.cases + 1
   stats.modules[name] = true
   -- __tostring__: the original's code on our object
   local C = CLASSES[name]
   if C and rawget(C, '__tostring__') == nil and C.__tostring__ then end
   check(case, 'tostring', norm(tostring(orig)), norm(tostring(ours)))
   checkorder(case, 'after the constructor', orig, ours)
   if spec.crit then
      local tgt = spec.target
      for _, ty in ipairs(spec.types or {'torch.DoubleTensor', 'torch.FloatTensor'}) do
         if ty ~= 'torch.DoubleTensor' then orig:type(ty); ours:type(ty) end
         for k, mk in ipairs(spec.inputs) do
            torch.manualSeed(100 + k)
            local input, target = mk()
            input = totype(input, ty)
            if not spec.keeptarget then target = totype(target, ty) end
            local tag = ty:match('torch%.(%a+)Tensor') .. ' call ' .. k
            local i1, t1, i2, t2 = clone(input), clone(target), clone(input), clone(target)
            local okO, lo = pcall(function() return orig:forward(i1, t1) end)
            local okU, lu = pcall(function() return ours:forward(i2, t2) end)
            stats.calls = stats.calls + 1
            if not okO or not okU then
               if okO ~= okU or errtext(lo) ~= errtext(lu) then
                  diff(case, tag .. ' forward error', 'original: '
                       .. (okO and 'ok' or errtext(lo)) .. ' / ours: '
                       .. (okU and 'ok' or errtext(lu)))
               end
            else
               check(case, tag .. ' loss', lo, lu)
               check(case, tag .. ' output field', orig.output, ours.output)
               local okO, go = pcall(function() return orig:backward(i1, t1) end)
               local okU, gu = pcall(function() return ours:backward(i2, t2) end)
               if not okO or not okU then
                  stats.calls = stats.calls + 1
                  if okO ~= okU or errtext(go) ~= errtext(gu) then
                     diff(case, tag .. ' backward error', 'original: '
                          .. (okO and 'ok' or errtext(go)) .. ' / ours: '
                          .. (okU and 'ok' or errtext(gu)))
                  end
               else
                  check(case, tag .. ' gradInput', go, gu)
                  checkident(case, tag .. ' gradInput is self.gradInput',
                             ident(go, orig.gradInput), ident(gu, ours.gradInput))
               end
            end
         end
      end
      checkorder(case, 'after forward and backward', orig, ours)
      aftertype(case, orig, ours, spec.leftout)
      return
   end
   if not copyparams(case, ours, orig) then return end
   local prevO, prevU, heldO, heldU, heldGO
   for _, ty in ipairs(spec.types or {'torch.DoubleTensor', 'torch.FloatTensor'}) do
      if ty ~= 'torch.DoubleTensor' then
         orig:type(ty); ours:type(ty)
         local po, pu = params(orig), params(ours)
         check(case, ty .. ' parameters after :type()', po, pu)
         check(case, ty .. ' output type after :type()', torch.type(orig.output),
               torch.type(ours.output))
      end
      for k, mk in ipairs(spec.inputs) do
         local tag = ty:match('torch%.(%a+)Tensor') .. ' call ' .. k
         torch.manualSeed(100 + k)
         local input = totype(mk(), ty)
         local i1, i2 = clone(input), clone(input)
         if spec.train == false then orig:evaluate(); ours:evaluate() end
         torch.manualSeed(7)
         local okO, oo = pcall(function() return orig:forward(i1) end)
         torch.manualSeed(7)
         local okU, ou = pcall(function() return ours:forward(i2) end)
         stats.calls = stats.calls + 1
         if not okO or not okU then
            if okO ~= okU or errtext(oo) ~= errtext(ou) then
               diff(case, tag .. ' forward error', 'original: '
                    .. (okO and 'ok' or errtext(oo)) .. ' / ours: '
                    .. (okU and 'ok' or errtext(ou)))
            end
         else
            check(case, tag .. ' output', oo, ou)
            checkident(case, tag .. ' output is self.output', ident(oo, orig.output),
                       ident(ou, ours.output))
            if torch.isTensor(oo) and torch.isTensor(ou) and torch.isTensor(i1) then
               checkident(case, tag .. ' output shares the input', ident(oo, i1), ident(ou, i2))
            end
            if prevO ~= nil and not spec.noident then
               checkident(case, tag .. ' output is the previous call\'s', ident(oo, prevO),
                          ident(ou, prevU))
            end
            prevO, prevU = oo, ou
            -- a table a script read after the first call (m.output, m.gradInput) is the
            -- module's own, which later calls fill, grow and shrink in place: the held table
            -- must read what the original's does
            if heldO == nil and type(oo) == 'table' then heldO, heldU = {oo, ou}, {} end
            if heldO and heldO[1] then
               check(case, tag .. ' the output table held since the first call', heldO[1],
                     heldO[2])
            end
            check(case, tag .. ' input after forward', i1, i2)
            torch.manualSeed(100 + k)
            local go = randlike(oo)
            local g1, g2 = clone(go), clone(go)
            if not spec.nobackward then
               local scale = (k % 2 == 0) and 0.5 or 1
               local okO, gi1 = pcall(function() return orig:backward(i1, g1, scale) end)
               local okU, gi2 = pcall(function() return ours:backward(i2, g2, scale) end)
               stats.calls = stats.calls + 1
               if not okO or not okU then
                  if okO ~= okU or errtext(gi1) ~= errtext(gi2) then
                     diff(case, tag .. ' backward error', 'original: '
                          .. (okO and 'ok' or errtext(gi1)) .. ' / ours: '
                          .. (okU and 'ok' or errtext(gi2)))
                  end
               else
                  check(case, tag .. ' gradInput', gi1, gi2)
                  if heldGO == nil and type(gi1) == 'table' then heldGO = {gi1, gi2} end
                  if heldGO then
                     check(case, tag .. ' the gradInput table held since the first call',
                           heldGO[1], heldGO[2])
                  end
                  checkident(case, tag .. ' gradInput is self.gradInput',
                             ident(gi1, orig.gradInput), ident(gi2, ours.gradInput))
                  check(case, tag .. ' gradOutput after backward', g1, g2)
                  local _, gpo = params(orig)
                  local _, gpu = params(ours)
                  check(case, tag .. ' gradParameters', gpo, gpu)
                  orig:updateParameters(0.1); ours:updateParameters(0.1)
                  check(case, tag .. ' parameters after updateParameters', params(orig),
                        params(ours))
                  if k == 2 then
                     orig:zeroGradParameters(); ours:zeroGradParameters()
                  end
               end
            end
         end
      end
   end
   -- after the calls the fields include the buffers each side creates: ours must create
   -- them too, in the same order
   checkorder(case, 'after forward and backward', orig, ours)
   -- the state a training script leaves: clearState, then a type round trip
   local okO = pcall(function() orig:clearState() end)
   local okU = pcall(function() ours:clearState() end)
   stats.calls = stats.calls + 1
   if okO ~= okU then diff(case, 'clearState', tostring(okO) .. ' vs ' .. tostring(okU)) end
   if okO and okU and torch.isTensor(orig.output) and torch.isTensor(ours.output) then
      check(case, 'output after clearState', orig.output, ours.output)
   end
   if okO and okU then
      checkorder(case, 'after clearState', orig, ours)
      aftertype(case, orig, ours, spec.leftout)
   end
end

-- inputs -------------------------------------------------------------------------------------
local function R(...) local s = {...}; return function() return torch.randn(unpack(s)) end end
local function P(...) local s = {...}; return function() return torch.rand(unpack(s)):add(0.1) end end
local function T(...)
   local fs = {...}
   return function()
      local t = {}
      for i, f in ipairs(fs) do t[i] = f() end
      return t
   end
end
local function L(n, hi) return function() return torch.LongTensor(n):random(hi) end end
local function A(...) local a = {...}; return function() return a end end
local function M(...) -- arguments that hold modules: NN is the namespace they come from
   local f = ...
   return f
end

local CASES = dofile(here .. '/diff_nn_cases.lua')(
   {R = R, P = P, T = T, L = L, A = A, M = M})

for _, spec in ipairs(CASES) do
   local case = spec.name or spec[1]
   if (not ONLY or case:match(ONLY)) then
      if ONN[spec[1]] == nil then
         print('SKIP ' .. case .. ': not in the original namespace')
      elseif nn[spec[1]] == nil then
         diff(case, 'class', 'missing in torch7py')
      else
         local ok, e = pcall(run_module, spec)
         if not ok then diff(case, 'harness', tostring(e)) end
      end
   end
end

-- Module.lua's methods on whole models: both sides built the same way (ONN's pure-Lua classes
-- are the original's; C modules are ours on both sides) ------------------------------------------
local function typesof(list)
   local t = {}
   for i, m in ipairs(list) do t[i] = norm(torch.type(m)) end
   return t
end
local function geometry(ps, flat)
   local t = {}
   for i, p in ipairs(ps) do
      t[#t + 1] = string.format('%d:%s/%s@%d%s', i, table.concat(p:size():totable(), 'x'),
         table.concat(p:stride():totable(), ','), p:storageOffset(),
         flat and (torch.pointer(p:storage()) == torch.pointer(flat:storage()) and ' flat'
                   or ' other') or '')
   end
   return table.concat(t, ' ')
end
local MODELS = {
   {'Sequential Linear Tanh Linear', function(NN)
      return NN.Sequential():add(NN.Linear(3, 4)):add(NN.Tanh()):add(NN.Linear(4, 2)) end},
   {'shared clone', function(NN)
      local l = NN.Linear(3, 3)
      return NN.Sequential():add(l):add(NN.Tanh())
         :add(l:clone('weight', 'bias', 'gradWeight', 'gradBias')) end},
   {'shared weight only', function(NN)
      local l = NN.Linear(3, 3)
      return NN.Sequential():add(l):add(l:clone('weight', 'bias')) end},
   {'Concat Add CMul Mul', function(NN)
      return NN.Sequential():add(NN.Concat(1):add(NN.Add(3)):add(NN.CMul(3)):add(NN.Mul()))
         :add(NN.Linear(9, 2)) end},
   {'ConcatTable ParallelTable', function(NN)
      return NN.Sequential():add(NN.ConcatTable():add(NN.Linear(3, 2)):add(NN.Identity()))
         :add(NN.ParallelTable():add(NN.Tanh()):add(NN.Linear(3, 2)))
         :add(NN.CAddTable()) end},
   {'view parameters (holes)', function(NN)
      local a, b = NN.Linear(4, 4), NN.Linear(2, 2)
      b.weight:set(a.weight:storage(), 1, torch.LongStorage{2, 2}, torch.LongStorage{4, 1})
      b.gradWeight:set(a.gradWeight:storage(), 1, torch.LongStorage{2, 2},
                       torch.LongStorage{4, 1})
      return NN.Sequential():add(NN.Concat(1):add(a):add(NN.Sequential()
         :add(NN.Narrow(1, 1, 2)):add(b))) end},
   {'Euclidean Cosine Bilinear', function(NN)
      return NN.Sequential():add(NN.ConcatTable():add(NN.Euclidean(3, 2)):add(NN.Cosine(3, 2)))
         :add(NN.Bilinear(2, 2, 3)) end},
}
local function run_model(name, build, input)
   local case = 'model ' .. name
   torch.manualSeed(5); local okO, o = pcall(build, ONN)
   torch.manualSeed(5); local okU, u = xpcall(build, debug.traceback, nn)
   stats.calls = stats.calls + 1
   if not (okO and okU) then
      diff(case, 'build', tostring(okO and 'ok' or errtext(o)) .. ' / '
           .. tostring(okU and 'ok' or errtext(u)))
      return
   end
   stats.cases = stats.cases + 1
   check(case, 'tostring', norm(tostring(o)), norm(tostring(u)))
   check(case, 'listModules', typesof(o:listModules()), typesof(u:listModules()))
   local seenO, seenU = {}, {}
   o:apply(function(m) seenO[#seenO + 1] = norm(torch.type(m)) end)
   u:apply(function(m) seenU[#seenU + 1] = norm(torch.type(m)) end)
   check(case, 'apply order', seenO, seenU)
   for _, tn in ipairs{'nn.Linear', 'nn.Tanh', 'nn.Sequential'} do
      local no, co = o:findModules(tn)
      local nu, cu = u:findModules(tn)
      check(case, 'findModules ' .. tn, {typesof(no), typesof(co)}, {typesof(nu), typesof(cu)})
   end
   local po, go = o:parameters()
   local pu, gu = u:parameters()
   check(case, 'parameters()', po or {}, pu or {})
   check(case, 'parameters() geometry', geometry(po or {}), geometry(pu or {}))
   -- clone with shared fields, then the clone's sharing. The original's Module:clone
   -- reassigns nn.Module.write around its write, which the th layer does not undo cleanly
   -- for a Lua class, so its result is stated from Module.lua: clone('weight', 'bias') writes
   -- those fields empty in every module and shares them back (Container:share recurses),
   -- clone() shares nothing
   local function sharing(orig, cl)
      local a, b = orig:parameters()
      local c, d = cl:parameters()
      local t = {}
      for i = 1, #(a or {}) do
         t[i] = tostring(torch.pointer(a[i]:storage()) == torch.pointer(c[i]:storage())) .. '/'
            .. tostring(torch.pointer(b[i]:storage()) == torch.pointer(d[i]:storage()))
      end
      return table.concat(t, ' ')
   end
   local function expected(m, shared)
      local a = m:parameters()
      local t = {}
      for i = 1, #(a or {}) do t[i] = tostring(shared) .. '/false' end
      return table.concat(t, ' ')
   end
   check(case, 'clone(weight, bias) sharing', expected(u, true), sharing(u, u:clone('weight', 'bias')))
   check(case, 'clone() sharing', expected(u, false), sharing(u, u:clone()))
   -- forward/backward through the model
   torch.manualSeed(9)
   local x = input()
   local yo = o:forward(x:clone())
   local yu = u:forward(x:clone())
   check(case, 'forward', yo, yu)
   local g = randlike(yo)
   check(case, 'backward', o:backward(x:clone(), g), u:backward(x:clone(), g))
   -- getParameters: flattening, sharing and offsets
   local okO, fo, fgo = pcall(function() return o:getParameters() end)
   local okU, fu, fgu = pcall(function() return u:getParameters() end)
   stats.calls = stats.calls + 1
   if not okO or not okU then
      if okO ~= okU or errtext(fo) ~= errtext(fu) then
         diff(case, 'getParameters error', (okO and 'ok' or errtext(fo)) .. ' / '
              .. (okU and 'ok' or errtext(fu)))
      end
   else
      check(case, 'getParameters values', fo, fu)
      check(case, 'getParameters grads', fgo, fgu)
      po, go = o:parameters()
      pu, gu = u:parameters()
      check(case, 'parameters after getParameters', geometry(po, fo), geometry(pu, fu))
      check(case, 'gradParameters after getParameters', geometry(go, fgo), geometry(gu, fgu))
      o:updateParameters(0.1); u:updateParameters(0.1)
      check(case, 'flat after updateParameters', fo, fu)
   end
   -- type: sharing kept, types, float forward
   o:float(); u:float()
   po, go = o:parameters()
   pu, gu = u:parameters()
   check(case, 'float parameters', po or {}, pu or {})
   check(case, 'float geometry', geometry(po or {}), geometry(pu or {}))
   check(case, 'float forward', o:forward(x:float()), u:forward(x:float()))
   -- evaluate/training reach every module
   o:evaluate(); u:evaluate()
   local function trains(m)
      local t = {}
      for i, s in ipairs(m:listModules()) do t[i] = tostring(s.train) end
      return t
   end
   check(case, 'evaluate', trains(o), trains(u))
   o:training(); u:training()
   check(case, 'training', trains(o), trains(u))
   o:clearState(); u:clearState()
   local function sizes(m)
      local t = {}
      for i, s in ipairs(m:listModules()) do
         t[i] = torch.isTensor(s.output) and s.output:nElement() or torch.type(s.output)
      end
      return t
   end
   check(case, 'clearState', sizes(o), sizes(u))
   -- replace: every Tanh becomes a Sigmoid
   local function rep(m)
      if norm(torch.type(m)) == 'nn.Tanh' then return nn.Sigmoid() end
      return m
   end
   check(case, 'replace', norm(tostring(o:replace(rep))), norm(tostring(u:replace(rep))))
end
local MODEL_INPUT = {
   ['Concat Add CMul Mul'] = function() return torch.randn(3) end,
   ['view parameters (holes)'] = function() return torch.randn(4) end,
   ['Euclidean Cosine Bilinear'] = function() return torch.randn(2, 3) end,
}
for _, mdl in ipairs(MODELS) do
   if not ONLY or ('model ' .. mdl[1]):match(ONLY) then
      local ok, e = xpcall(run_model, debug.traceback, mdl[1], mdl[2],
                          MODEL_INPUT[mdl[1]] or function() return torch.randn(2, 3) end)
      if not ok then diff('model ' .. mdl[1], 'harness', tostring(e)) end
   end
end


-- __tostring__: the original's code run on our objects (C-backed modules included, their
-- __tostring__ is Lua), compared with our print; a class without one prints its type name
local TOSTRING = dofile(here .. '/diff_nn_tostring.lua')
local function origtostring(obj)
   local name = norm(torch.type(obj)):match('^nn%.(.+)$')
   local C = name and CLASSES[name]
   if C == nil then return nil end
   local f = C.__tostring__
   if f == nil then return 'nn.' .. name end
   return norm(f(obj))
end
for _, expr in ipairs(TOSTRING) do
   if not ONLY or ('tostring ' .. expr):match(ONLY) then
      local ok, obj = pcall(function() return assert(loadstring('return nn.' .. expr))() end)
      if not ok then
         diff('tostring ' .. expr, 'constructor', errtext(obj))
      else
         local name = torch.type(obj):match('^nn%.(.+)$')
         if name and CLASSES[name] then
            stats.modules[name] = true
            local okO, so = pcall(origtostring, obj)
            stats.calls = stats.calls + 1
            if not okO then
               local okU, su = pcall(tostring, obj)
               if okU or errtext(su) ~= errtext(so) then
                  diff('tostring ' .. expr, 'original __tostring__ on ours fails',
                       errtext(so) .. ' / ours: ' .. (okU and su or errtext(su)))
               end
            else
               check('tostring ' .. expr, 'string', so, tostring(obj))
            end
         end
      end
   end
end

local nmod = 0
for _ in pairs(stats.modules) do nmod = nmod + 1 end
print(string.format('%d classes, %d cases, %d comparisons, %d differences (%d more with a known '
                    .. 'cause, -v lists them)', nmod, stats.cases, stats.calls, stats.diffs,
                    stats.known))
for pat, why in pairs(KNOWN) do print('known: ' .. pat .. ': ' .. why) end
DIFF_COUNT = stats.diffs
